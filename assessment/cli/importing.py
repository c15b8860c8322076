"""`crmm import`: survey-platform exports and crmm workbooks into a responses file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from frameworks.plurals import counted

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


RENAME_OPT = click.option(
    "--rename-duplicates",
    is_flag=True,
    help="Rename a respondent id already taken by an earlier file (r1 -> r1-2) instead of failing.",
)
FORCE_OPT = click.option(
    "--force",
    is_flag=True,
    help="Replace the output file even when it holds more respondents than are written.",
)


def _append_hint(output: Path | None) -> str:
    return f"give --append {output} to add to it"


def _warn_merged(merged: Any) -> None:
    for line in merged.warnings:
        click.echo(f"warning: {line}", err=True)


def _say_merged(merged: Any, target: str) -> None:
    from ..merging import respondents_phrase

    inputs = ", ".join(f"{src} ({respondents_phrase(n)})" for src, n in merged.sources)
    click.echo(f"merged {respondents_phrase(merged.count)} from {inputs} into {target}", err=True)


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
@click.option(
    "--append",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Add the imported respondents to this responses file (the rules of `crmm merge`).",
)
@RENAME_OPT
@FORCE_OPT
def import_(
    export: Path,
    platform: str | None,
    questionnaire: str | None,
    framework: str | None,
    output: Path | None,
    append: Path | None,
    rename_duplicates: bool,
    force: bool,
    **how: Any,
) -> None:
    """Import answers from a survey platform's export (or a crmm workbook).

    Unreadable cells are errors, listed by row and column (exit 2), unless --skip-invalid;
    columns that match no question are listed as warnings. An existing responses file is
    not replaced by one with fewer respondents: give --append FILE to add to it (or
    --force)."""
    from ..merging import check_overwrite
    from ..responses import check_responses, parse_responses

    if append is not None:
        if output is not None:
            raise click.UsageError("give -o or --append, not both (--append writes its file)")
        return _append(export, append, platform, questionnaire, framework, rename_duplicates, how)
    if output is not None and output.suffix.lower() == ".json":
        return _import_columnar(export, platform, questionnaire, framework, output, force, how)
    result, q, _ = read_export(export, platform, questionnaire, framework, **how)
    target = str(output) if output else "<stdout>"
    # A large import's values went through the same checks one by one (normalize_value);
    # re-reading the whole file would take minutes, so its first respondents are re-read.
    checked = _head(result.text, CHECKED) if result.large else result.text
    check_responses(parse_responses(checked.encode("utf-8"), target), q)
    check_overwrite(output, result.imported.count, force=force, hint=_append_hint(output))
    write_or_echo(result.text, output)
    click.echo(
        f"imported {counted(result.imported.count, 'respondent', 'respondents')} from {export.name}"
        f" ({result.platform}{', ' + result.encoding if result.encoding else ''})",
        err=True,
    )


def _import_columnar(
    export: Path,
    platform: str | None,
    questionnaire: str | None,
    framework: str | None,
    output: Path,
    force: bool,
    how: dict[str, Any],
) -> None:
    """`crmm import … -o FILE.json`: a columnar responses file (docs/importing.md), read
    back whole and checked before it is written (seconds, even for 100 000 respondents)."""
    from ..merging import check_overwrite
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
    check_overwrite(output, result.imported.count, force=force, hint=_append_hint(output))
    write_or_echo(text, output)
    click.echo(
        f"imported {counted(result.imported.count, 'respondent', 'respondents')} from {export.name}"
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
    from questionnaires.importers import ImportOptions
    from questionnaires.importers.convert import convert
    from questionnaires.importers.mapping import load_mapping
    from questionnaires.loader import load_questionnaire

    if questionnaire is None:
        questionnaire = _workbook_questionnaire(export, platform)
    q, fw = load_questionnaire(questionnaire, framework)
    check_date(date)
    organization = load_org(org)
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


def check_date(date: str | None) -> None:
    """`--date` must be YYYY-MM-DD."""
    import datetime as dt

    from frameworks.errors import InputError

    if date is not None:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise InputError.one("--date", "", f"expected YYYY-MM-DD, got {date!r}") from None


def load_org(org: Path | None) -> dict[str, str] | None:
    """The organisation profile of `--org FILE` (checked against the vocabulary)."""
    from frameworks.errors import InputError
    from frameworks.fileio import load_data, validate_as
    from frameworks.vocabulary import vocabulary

    from ..responses import Organization

    if org is None:
        return None
    o = validate_as(Organization, load_data(org), org)
    problems = vocabulary().problems(
        {"industry": o.industry, "size": o.size, "region": o.region}, str(org), ""
    )
    if problems:
        raise InputError(problems)
    return o.model_dump()


def _workbook_questionnaire(export: Path, platform: str | None) -> str:
    """The questionnaire a crmm workbook names, when --questionnaire is left out."""
    from questionnaires.importers.workbook import workbook_questionnaire

    if platform in (None, "workbook") and export.suffix.lower() == ".xlsx" and export.is_file():
        found = workbook_questionnaire(export)
        if found is not None:
            return found
    raise click.UsageError("--questionnaire is required (only a crmm workbook names its own)")


def _import_how(how: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """ImportOptions and the other reading choices of `import_options`, as merging takes them."""
    from questionnaires.importers import ImportOptions
    from questionnaires.importers.mapping import load_mapping

    check_date(how["date"])
    options = ImportOptions(
        mapping=load_mapping(how["mapping"]) if how["mapping"] else None,
        drop_personal=how["drop_personal"],
        default_role=how["role"],
    )
    rest = {
        "date": how["date"],
        "skip_invalid": how["skip_invalid"],
        "allow_empty": how["allow_empty"],
    }
    return options, rest


def _append(
    export: Path,
    target: Path,
    platform: str | None,
    questionnaire: str | None,
    framework: str | None,
    rename_duplicates: bool,
    how: dict[str, Any],
) -> None:
    """`crmm import EXPORT --append FILE`: FILE and EXPORT merged, written back to FILE."""
    from frameworks.errors import InputError

    from ..merging import merge_files, merged_text, respondents_phrase

    if not target.is_file():
        raise InputError.one(target, "", "no such responses file to append to (use -o to make one)")
    options, rest = _import_how(how)
    merged = merge_files(
        [target, export],
        questionnaire=questionnaire,
        framework=framework,
        platform=platform,
        options=options,
        imports_organization=load_org(how["org"]),
        rename_duplicates=rename_duplicates,
        **rest,
    )
    columnar = target.suffix.lower() == ".json"
    _warn_merged(merged)
    write_or_echo(merged_text(merged, columnar=columnar, tool="crmm import --append"), target)
    added, n = merged.sources[-1][1], merged.count
    click.echo(
        f"appended {respondents_phrase(added)} from {export} to {target}"
        f" ({respondents_phrase(n)} in all)",
        err=True,
    )


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Responses file to write.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"]),
    help="yaml (the default), or the columnar JSON layout (the default for -o FILE.json).",
)
@click.option(
    "--from",
    "platform",
    type=click.Choice(PLATFORMS),
    help="Where the inputs that are not responses files come from (as for `crmm import`).",
)
@click.option(
    "--questionnaire",
    metavar="ID|PATH",
    help="The questionnaire answered (default: the one the first input names).",
)
@FRAMEWORK_OPT
@import_options
@RENAME_OPT
@FORCE_OPT
def merge(
    files: tuple[Path, ...],
    output: Path | None,
    fmt: str | None,
    platform: str | None,
    questionnaire: str | None,
    framework: str | None,
    rename_duplicates: bool,
    force: bool,
    **how: Any,
) -> None:
    """Merge responses files, filled crmm workbooks and survey exports into one assessment.

    FILES ending in .yaml, .yml or .json are responses files; others are read as `crmm
    import` reads them. All must answer the same questionnaire and version and be about the
    same organisation (--org states it); a respondent id found in two files is an error
    unless --rename-duplicates. The date is --date, else the latest of the files'. See
    docs/importing.md, "Merging files into one assessment"."""
    from ..merging import check_overwrite, merge_files, merged_text
    from .base import output_format

    fmt = output_format(output, fmt, {".yaml": "yaml", ".yml": "yaml", ".json": "json"}, "yaml")
    options, rest = _import_how(how)
    merged = merge_files(
        list(files),
        questionnaire=questionnaire,
        framework=framework,
        platform=platform,
        options=options,
        organization=load_org(how["org"]),
        rename_duplicates=rename_duplicates,
        **rest,
    )
    hint = "add it to the files merged"
    check_overwrite(output, merged.count, force=force, hint=hint)
    _warn_merged(merged)
    write_or_echo(merged_text(merged, columnar=fmt == "json"), output)
    _say_merged(merged, "<stdout>" if output is None or str(output) == "-" else str(output))
