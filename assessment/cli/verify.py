"""`crmm verify` and `crmm sign`: check what a PDF report shows; sign it as a PDF signature."""

from __future__ import annotations

import os
from pathlib import Path

import click

from frameworks.errors import Finding
from frameworks.plurals import counted

from .base import FRAMEWORK_OPT, QUESTIONNAIRE_OPT, cli

PASSPHRASE_ENV = "CRMM_KEY_PASSPHRASE"


@cli.command()
@click.argument("report", type=click.Path(path_type=Path))
@click.option(
    "--benchmark",
    metavar="ID|PATH",
    help="Benchmark to re-make the comparison with (default: the built-in one recorded).",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="The template folder the report was rendered with, if it was (crmm report --templates).",
)
@click.option(
    "--trust",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    metavar="CERT",
    help="A certificate (PEM or DER) the report's signer must chain up to; repeatable.",
)
@QUESTIONNAIRE_OPT
@FRAMEWORK_OPT
def verify(
    report: Path,
    benchmark: str | None,
    templates: Path | None,
    trust: tuple[Path, ...],
    questionnaire: str | None,
    framework: str | None,
) -> None:
    """Check that a PDF report shows what its embedded inputs give.

    Checks the file (attachments, revisions, signatures), re-scores the embedded responses,
    renders the report again and compares the text of every page. Exit 0 when everything
    holds, 1 on any finding, 2 when the PDF is unreadable or not a crmm report."""
    from reports.verify import verify_report

    found = verify_report(report, questionnaire, framework, benchmark, templates, trust)
    for c in found.checks:
        click.echo(f"{'ok' if c.ok else 'MISMATCH':<9} {c.name}: {c.detail}")
    for note in found.notes:
        click.echo(f"note      {note}")
    if found.stopped is not None:
        raise Finding(f"{report}: {found.stopped}")
    bad = list(dict.fromkeys(c.name for c in found.checks if not c.ok))
    pages = [n.removeprefix("page ") for n in bad if n.startswith("page ")]
    if len(pages) > 3:
        bad = [n for n in bad if not n.startswith("page ")] + [f"{len(pages)} pages"]  # > 3
    if bad:
        raise Finding(f"{report}: does not match its embedded inputs: {', '.join(bad)}")
    click.echo(f"{report}: verified ({counted(len(found.checks), 'check', 'checks')})")


@cli.command()
@click.argument("report", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="Signed PDF to write."
)
@click.option(
    "--key",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The signer's private key (PEM or DER).",
)
@click.option(
    "--cert",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The signer's certificate (PEM or DER).",
)
@click.option(
    "--chain",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    metavar="CERT",
    help="Intermediate certificates to embed; repeatable.",
)
@click.option(
    "--field", default="CertificationBody", show_default=True, help="Signature field name."
)
@click.option("--reason", help="Reason shown by PDF readers, e.g. 'Certified at level 3'.")
@click.option("--location", help="Location shown by PDF readers.")
def sign(
    report: Path,
    output: Path,
    key: Path,
    cert: Path,
    chain: tuple[Path, ...],
    field: str,
    reason: str | None,
    location: str | None,
) -> None:
    """Sign a PDF report (PAdES): PDF readers show the signer and any later change.

    The key's passphrase, if any, is read from the CRMM_KEY_PASSPHRASE environment variable.
    `crmm verify` checks the signature with the report."""
    from frameworks.errors import InputError
    from frameworks.fileio import read_bytes, write_atomic
    from reports.record import RESULT_NAME
    from reports.signing import sign_pdf
    from reports.verify import pdf_attachments

    data = read_bytes(report)
    if RESULT_NAME not in pdf_attachments(data, str(report)):
        raise InputError.one(report, "attachments", f"no embedded {RESULT_NAME}: not a crmm report")
    secret = os.environ.get(PASSPHRASE_ENV)
    signed = sign_pdf(
        data,
        key,
        cert,
        passphrase=secret.encode() if secret else None,
        field=field,
        reason=reason,
        location=location,
        chain=chain,
    )
    write_atomic(output, signed)
    click.echo(f"wrote {output}", err=True)


@cli.command(name="hash")
@click.argument("refs", nargs=-1, required=True, metavar="FRAMEWORK|QUESTIONNAIRE...")
def hash_(refs: tuple[str, ...]) -> None:
    """Print the SHA-256 a result records for frameworks and questionnaires.

    Each is a built-in id, a framework folder or file, or a questionnaire file. The hash is
    of the files as written: docs/verification.md shows how to compute it without crmm."""
    from frameworks.loader import load_framework
    from questionnaires.loader import read_questionnaire

    from ..validate import detect_kind

    for ref in refs:
        kind = detect_kind(Path(ref))
        if kind == "framework":
            fw = load_framework(ref)
            click.echo(f"{fw.sha256}  framework {fw.id} {fw.version}  {ref}")
        elif kind == "questionnaire":
            q = read_questionnaire(ref)
            click.echo(f"{q.sha256}  questionnaire {q.id} {q.version}  {ref}")
        else:
            from frameworks.errors import InputError

            raise InputError.one(
                ref, "", f"a {kind} file: crmm hash takes frameworks and questionnaires"
            )
