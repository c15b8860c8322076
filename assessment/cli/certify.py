"""`crmm certify` and the `crmm framework` group (diff, rules)."""

from __future__ import annotations

from pathlib import Path

import click

from .base import (
    FRAMEWORK_OPT,
    OUTPUT_OPT,
    QUESTIONNAIRE_OPT,
    TABLE_JSON_OPT,
    TABLE_LANG_OPT,
    cli,
    load_inputs,
    pick_lang,
    write_or_echo,
)

NONE_AWARDED = {
    "en": "no certification level awarded: see the rules marked FAIL",
    "zh-CN": "未授予认证等级：见标为“未通过”的规则",
}


@cli.command()
@click.argument("responses", type=click.Path(path_type=Path))
@TABLE_JSON_OPT
@OUTPUT_OPT
@TABLE_LANG_OPT
@QUESTIONNAIRE_OPT
@FRAMEWORK_OPT
def certify(
    responses: Path,
    fmt: str,
    output: Path | None,
    lang: str | None,
    questionnaire: str | None,
    framework: str | None,
) -> None:
    """Award a certification level by the framework's published rules.

    Lists every rule with pass/fail and its figures. Exit code 0 when a level is awarded,
    1 when none is.
    """
    from frameworks.errors import Finding, InputError
    from frameworks.fileio import canonical_json

    from ..certtable import certification_table
    from ..engine import assess

    loaded, q, fw = load_inputs(responses, questionnaire, framework)
    table_lang = pick_lang(fw, lang)
    result = assess(loaded, q, fw)
    cert = result.certification
    if cert is None:
        raise InputError.one(
            fw.id, "certification", "this framework publishes no certification rules"
        )
    if fmt == "json":
        data = result.model_dump(
            mode="json",
            include={
                "framework",
                "questionnaire",
                "responses",
                "organization",
                "date",
                "certification",
            },
        )
        write_or_echo(canonical_json(data), output)
    else:
        write_or_echo(certification_table(result, cert, fw, q, table_lang), output, table_lang)
    if cert.awarded is None:
        raise Finding(NONE_AWARDED[table_lang])


@cli.group()
def framework() -> None:
    """Publish a framework: its certification rules, and what changed between versions."""


@framework.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "md"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to a file.")
def diff(old: str, new: str, fmt: str, output: Path | None) -> None:
    """What changed from framework OLD to NEW (built-in ids or paths).

    Criteria, weights, levels, scoring and gating settings, certification rules, phases and
    actions. Exit code 0 whether or not there are differences: a diff is a publication, not
    a check.
    """
    from frameworks.diff import diff_frameworks, diff_lines, diff_markdown
    from frameworks.loader import load_framework

    d = diff_frameworks(load_framework(old), load_framework(new))
    if fmt == "json":
        text = d.as_json()
    elif fmt == "md":
        text = diff_markdown(d)
    else:
        text = "\n".join(diff_lines(d)) + "\n"
    write_or_echo(text, output)


@framework.command()
@click.argument("framework_ref", metavar="FRAMEWORK", default="crm-maturity")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to a file.")
def rules(framework_ref: str, output: Path | None) -> None:
    """Print a framework's certification rules as a Markdown table."""
    from frameworks.certdoc import rules_markdown
    from frameworks.loader import load_framework

    write_or_echo(rules_markdown(load_framework(framework_ref)), output)
