"""`crmm verify`: re-score the responses a PDF report embeds and check its result."""

from __future__ import annotations

from pathlib import Path

import click

from frameworks.errors import Finding

from .base import FRAMEWORK_OPT, QUESTIONNAIRE_OPT, cli


@cli.command()
@click.argument("report", type=click.Path(path_type=Path))
@click.option(
    "--benchmark",
    metavar="ID|PATH",
    help="Benchmark to re-make the comparison with (default: the built-in one recorded).",
)
@QUESTIONNAIRE_OPT
@FRAMEWORK_OPT
def verify(
    report: Path, benchmark: str | None, questionnaire: str | None, framework: str | None
) -> None:
    """Check a PDF report: re-score its embedded responses and compare hashes and result.

    Exit 0 when everything matches, 1 when anything differs, 2 when the PDF is unreadable or
    embeds no responses and result."""
    from ..verify import verify_pdf

    checks = verify_pdf(report, questionnaire, framework, benchmark)
    for c in checks:
        if c.ok:
            click.echo(f"ok        {c.name}: {c.found}")
        else:
            click.echo(f"MISMATCH  {c.name}: recorded {c.recorded}, found {c.found}")
    bad = [c.name for c in checks if not c.ok]
    if bad:
        raise Finding(f"{report}: does not match its embedded inputs: {', '.join(bad)}")
    click.echo(f"{report}: verified ({len(checks)} checks)")
