"""`crmm import`: survey-platform exports and crmm workbooks into a responses file."""

from __future__ import annotations

from pathlib import Path

import click

from .base import FRAMEWORK_OPT, cli, write_or_echo

PLATFORMS = ("wjx", "limesurvey", "qualtrics", "msforms", "surveymonkey", "csv", "workbook")


@cli.command(name="import")
@click.argument("export", type=click.Path(path_type=Path))
@click.option(
    "--from",
    "platform",
    type=click.Choice(PLATFORMS),
    help="Where the file comes from (default: recognised from its headings).",
)
@click.option(
    "--questionnaire", required=True, metavar="ID|PATH", help="The questionnaire answered."
)
@FRAMEWORK_OPT
@click.option(
    "--mapping",
    type=click.Path(path_type=Path),
    help="YAML file: export columns to question ids, export texts to values (docs/importing.md).",
)
@click.option(
    "--org",
    "org",
    type=click.Path(path_type=Path),
    help="YAML file with the organisation: name, industry, size, region.",
)
@click.option("--date", metavar="YYYY-MM-DD", help="Assessment date (default: last submission).")
@click.option("--role", help="Role of respondents whose export gives none.")
@click.option("--drop-personal", is_flag=True, help="Leave out IP, names, e-mail, location.")
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Leave unreadable cells unanswered (listed) instead of failing.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Responses file to write.")
def import_(
    export: Path,
    platform: str | None,
    questionnaire: str,
    framework: str | None,
    mapping: Path | None,
    org: Path | None,
    date: str | None,
    role: str | None,
    drop_personal: bool,
    skip_invalid: bool,
    output: Path | None,
) -> None:
    """Import answers from a survey platform's export (or a crmm workbook).

    Unreadable cells are errors, listed by row and column (exit 2), unless --skip-invalid;
    columns that match no question are listed as warnings."""
    import datetime as dt

    from frameworks.errors import InputError
    from frameworks.fileio import load_data, validate_as
    from frameworks.vocabulary import vocabulary
    from questionnaires.importers import ImportOptions
    from questionnaires.importers.convert import convert
    from questionnaires.importers.mapping import load_mapping
    from questionnaires.loader import load_questionnaire

    from ..responses import Organization, check_responses, parse_responses

    q, _ = load_questionnaire(questionnaire, framework)
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
    options = ImportOptions(
        mapping=load_mapping(mapping) if mapping else None,
        drop_personal=drop_personal,
        default_role=role,
    )
    result = convert(
        export,
        q,
        options,
        platform=platform,
        organization=organization,
        date=date,
        skip_invalid=skip_invalid,
    )
    target = str(output) if output else "<stdout>"
    check_responses(parse_responses(result.text.encode("utf-8"), target), q)
    for line in result.warnings:
        click.echo(f"warning: {line}", err=True)
    write_or_echo(result.text, output)
    click.echo(
        f"imported {len(result.imported.respondents)} respondent(s) from {export.name}"
        f" ({result.platform}{', ' + result.encoding if result.encoding else ''})",
        err=True,
    )
