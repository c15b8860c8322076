"""`crmm compare` and the portfolio run behind `crmm score --batch`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from frameworks.langs import Lang

from .base import (
    FRAMEWORK_OPT,
    QUESTIONNAIRE_OPT,
    cli,
    lang_option,
    output_format,
    pick_lang,
    user_lang,
    write_or_echo,
    write_output,
)

if TYPE_CHECKING:
    from frameworks.model import Framework

    from ..tabular import Sheet

FORMATS = ("table", "json", "csv", "xlsx", "pdf", "html")
BINARY = ("xlsx", "pdf")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Output format (default: from the output file extension, else table).",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to a file.")
@click.option(
    "--mode",
    type=click.Choice(["over-time", "organisations"]),
    help="Force the comparison mode (default: over-time when all files are one organisation).",
)
@lang_option("Output language.")
@QUESTIONNAIRE_OPT
@FRAMEWORK_OPT
def compare(
    files: tuple[Path, ...],
    fmt: str | None,
    output: Path | None,
    mode: str | None,
    lang: str | None,
    questionnaire: str | None,
    framework: str | None,
) -> None:
    """Compare assessments: one organisation over time, or organisations side by side.

    FILES are result JSON files (`crmm score --format json`) or responses files, at least two.
    """
    from frameworks.errors import InputError
    from frameworks.languages import check_language

    from ..compare import Mode, compare, comparison_json
    from ..inputs import load_assessment

    if len(files) < 2:
        raise InputError.one("FILES", "", "give at least two assessments to compare")
    by_suffix = {f".{f}": f for f in FORMATS if f != "table"} | {".txt": "table"}
    fmt = output_format(output, fmt, by_suffix, "table")
    loaded = [load_assessment(f, questionnaire, framework) for f in files]
    results = [r for r, _ in loaded]
    c = compare(results, [str(f) for f in files], cast("Mode | None", mode))
    frameworks = [fw for _, fw in loaded if fw is not None]
    if frameworks:
        language = pick_lang(frameworks[0], lang)
    else:
        language = cast(Lang, lang) if lang else user_lang()
    for fw in frameworks[1:]:
        check_language(fw, language)
    if fmt == "json":
        write_or_echo(comparison_json(c), output)
    elif fmt in ("pdf", "html"):
        from reports.compare import render_comparison

        data = render_comparison(c, frameworks, lang=language, fmt=fmt)
        write_output(data, output, binary=fmt in BINARY)
    else:
        from ..compare_tables import comparison_sheets, comparison_table

        names = id_names(frameworks, language)
        if fmt == "table":
            write_or_echo(comparison_table(c, names, language), output)
        else:
            write_sheets(comparison_sheets(c, names, language), fmt, output)


def id_names(frameworks: list[Framework], lang: Lang) -> dict[str, str]:
    """Element and criterion names by id in one language; later frameworks win."""
    names: dict[str, str] = {}
    for fw in frameworks:
        for e in fw.elements:
            names[e.id] = e.name.get(lang)
            names.update({c.id: c.name.get(lang) for c in e.criteria})
    return names


def write_sheets(sheets: list[Sheet], fmt: str, output: Path | None) -> None:
    """CSV (the first sheet) to a file or stdout, or an XLSX workbook of all sheets."""
    from ..tabular import to_csv, to_xlsx

    if fmt == "csv":
        write_or_echo(to_csv(sheets[0]), output)
        return
    write_output(to_xlsx(sheets), output, binary=True)


def run_batch(
    folder: Path, output: Path | None, questionnaire: str | None, framework: str | None
) -> None:
    """Score every responses file under `folder`; write the summary; list failures last.

    One bad file never stops the run: its problems are collected and raised at the end
    (exit code 2), after the summary of the good files has been written.
    """
    from frameworks.errors import CrmmError, InputError, Problem

    from ..batch import batch_files, summary_sheet
    from ..engine import assess
    from ..result import AssessmentResult
    from .base import load_inputs

    files = batch_files(folder)
    if not files:
        raise InputError.one(folder, "", "no responses files (*.yaml, *.yml, *.json) found")
    fmt = output_format(output, None, {".csv": "csv", ".xlsx": "xlsx"}, "csv")
    scored: list[tuple[str, AssessmentResult]] = []
    problems: list[Problem] = []
    with click.progressbar(files, label="scoring", file=sys.stderr) as bar:
        for path in bar:
            try:
                loaded, q, fw = load_inputs(path, questionnaire, framework)
                scored.append((str(path.relative_to(folder)), assess(loaded, q, fw)))
            except InputError as exc:
                problems += exc.problems
            except Exception as exc:  # one bad file must never stop the batch
                kind = "" if isinstance(exc, CrmmError) else f"{type(exc).__name__}: "
                problems.append(Problem(str(path), "", f"{kind}{exc}"))
    write_sheets([summary_sheet(scored)], fmt, output)
    click.echo(f"scored {len(scored)} of {len(files)} files", err=True)
    if problems:
        raise InputError(problems)
