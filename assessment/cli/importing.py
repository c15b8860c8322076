"""`crmm import`: survey-platform exports and crmm workbooks into a responses file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .base import FRAMEWORK_OPT, cli, write_or_echo

PLATFORMS = ("wjx", "limesurvey", "qualtrics", "msforms", "surveymonkey", "csv", "workbook")
LARGE_EXPORT = 2_000_000  # bytes (about 2 000 respondents): show progress from here
CHECKED = 200  # respondents of a large import re-read and checked before writing
_LABELS = {"columns": "reading columns", "writing": "writing respondents"}


class _Progress:
    """A click progress bar on stderr per phase of a long import (`ImportOptions.progress`)."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.phase = ""
        self.done = 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if phase != self.phase:
            self.close()
            label = _LABELS.get(phase, phase)
            self.bar = click.progressbar(length=total, label=label, file=sys.stderr)
            self.bar.__enter__()
            self.phase, self.done = phase, 0
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _head(text: str, respondents: int) -> str:
    """A responses file cut after its first `respondents` respondents (still valid YAML)."""
    start = text.find("\nrespondents:\n")
    pos = start
    for _ in range(respondents + 1):
        pos = text.find("\n- id: ", pos + 1)
        if pos < 0:
            return text
    return text[: pos + 1]


def import_options(f: Any) -> Any:
    """The options that say how to read an export (shared by `crmm import` and `crmm score`)."""
    for option in reversed(
        [
            click.option(
                "--mapping",
                type=click.Path(path_type=Path),
                help="YAML file: export columns to question ids, export texts to values"
                " (docs/importing.md).",
            ),
            click.option(
                "--org",
                "org",
                type=click.Path(path_type=Path),
                help="YAML file with the organisation: name, industry, size, region.",
            ),
            click.option(
                "--date", metavar="YYYY-MM-DD", help="Assessment date (default: last submission)."
            ),
            click.option("--role", help="Role of respondents whose export gives none."),
            click.option(
                "--drop-personal", is_flag=True, help="Leave out IP, names, e-mail, location."
            ),
            click.option(
                "--skip-invalid",
                is_flag=True,
                help="Leave unreadable cells unanswered (listed) instead of failing.",
            ),
            click.option(
                "--allow-empty",
                is_flag=True,
                help="Import even when no column matches a question or a respondent answered"
                " nothing (an error otherwise).",
            ),
        ]
    ):
        f = option(f)
    return f


@cli.command(name="import")
@click.argument("export", type=click.Path(path_type=Path))
@click.option(
    "--from",
    "platform",
    type=click.Choice(PLATFORMS),
    help="Where the file comes from (default: recognised from its headings).",
)
@click.option(
    "--questionnaire",
    metavar="ID|PATH",
    help="The questionnaire answered (a crmm workbook names its own).",
)
@FRAMEWORK_OPT
@import_options
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Responses file to write.")
def import_(
    export: Path,
    platform: str | None,
    questionnaire: str | None,
    framework: str | None,
    output: Path | None,
    **how: Any,
) -> None:
    """Import answers from a survey platform's export (or a crmm workbook).

    Unreadable cells are errors, listed by row and column (exit 2), unless --skip-invalid;
    columns that match no question are listed as warnings."""
    from ..responses import check_responses, parse_responses

    if output is not None and output.suffix.lower() == ".json":
        return _import_columnar(export, platform, questionnaire, framework, output, how)
    result, q, _ = read_export(export, platform, questionnaire, framework, **how)
    target = str(output) if output else "<stdout>"
    # A large import's values went through the same checks one by one (normalize_value);
    # re-reading the whole file would take minutes, so its first respondents are re-read.
    checked = _head(result.text, CHECKED) if result.large else result.text
    check_responses(parse_responses(checked.encode("utf-8"), target), q)
    write_or_echo(result.text, output)
    click.echo(
        f"imported {result.imported.count} respondent(s) from {export.name}"
        f" ({result.platform}{', ' + result.encoding if result.encoding else ''})",
        err=True,
    )


def _import_columnar(
    export: Path,
    platform: str | None,
    questionnaire: str | None,
    framework: str | None,
    output: Path,
    how: dict[str, Any],
) -> None:
    """`crmm import … -o FILE.json`: a columnar responses file (docs/importing.md), read
    back whole and checked before it is written (seconds, even for 100 000 respondents)."""
    from ..response_columns import check_table, columnar_json
    from ..responses import parse_responses

    result, q, _ = read_export(export, platform, questionnaire, framework, text=False, **how)
    head = {
        "type": "responses",
        "questionnaire": {"id": q.id, "version": q.version},
        "organization": result.organization,
        "date": str(result.date),
    }
    text = columnar_json(head, result.imported.table)
    loaded = parse_responses(text.encode("utf-8"), str(output))
    assert loaded.raw is not None
    check_table(loaded.head, loaded.raw, str(output), q)
    write_or_echo(text, output)
    click.echo(
        f"imported {result.imported.count} respondent(s) from {export.name}"
        f" ({result.platform}{', ' + result.encoding if result.encoding else ''})",
        err=True,
    )


def read_export(
    export: Path,
    platform: str | None,
    questionnaire: str | None,
    framework: str | None,
    *,
    mapping: Path | None,
    org: Path | None,
    date: str | None,
    role: str | None,
    drop_personal: bool,
    skip_invalid: bool,
    allow_empty: bool = False,
    text: bool = True,
) -> tuple[Any, Any, Any]:
    """An export read as `crmm import` reads it: (Conversion, questionnaire, framework);
    warnings are printed. With `text=False` no responses file is made (to score the table)."""
    import datetime as dt

    from frameworks.errors import InputError
    from frameworks.fileio import load_data, validate_as
    from frameworks.vocabulary import vocabulary
    from questionnaires.importers import ImportOptions
    from questionnaires.importers.convert import convert
    from questionnaires.importers.mapping import load_mapping
    from questionnaires.loader import load_questionnaire

    from ..responses import Organization

    if questionnaire is None:
        questionnaire = _workbook_questionnaire(export, platform)
    q, fw = load_questionnaire(questionnaire, framework)
    if date is not None:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise InputError.one("--date", "", f"expected YYYY-MM-DD, got {date!r}") from None
    organization = None
    if org is not None:
        o = validate_as(Organization, load_data(org), org)
        problems = vocabulary().problems(
            {"industry": o.industry, "size": o.size, "region": o.region}, str(org), ""
        )
        if problems:
            raise InputError(problems)
        organization = o.model_dump()
    large = export.is_file() and export.stat().st_size >= LARGE_EXPORT
    progress = _Progress() if large else None
    options = ImportOptions(
        mapping=load_mapping(mapping) if mapping else None,
        drop_personal=drop_personal,
        default_role=role,
        progress=progress,
    )
    try:
        result = convert(
            export,
            q,
            options,
            platform=platform,
            organization=organization,
            date=date,
            skip_invalid=skip_invalid,
            text=text,
            allow_empty=allow_empty,
        )
    finally:
        if progress is not None:
            progress.close()
    for line in result.warnings:
        click.echo(f"warning: {line}", err=True)
    return result, q, fw


def _workbook_questionnaire(export: Path, platform: str | None) -> str:
    """The questionnaire a crmm workbook names, when --questionnaire is left out."""
    from questionnaires.importers.workbook import workbook_questionnaire

    if platform in (None, "workbook") and export.suffix.lower() == ".xlsx" and export.is_file():
        found = workbook_questionnaire(export)
        if found is not None:
            return found
    raise click.UsageError("--questionnaire is required (only a crmm workbook names its own)")
