"""`crmm questionnaire export`: a questionnaire as a form to fill in (XLSX, PDF, HTML, MD) or
as a survey definition to import into LimeSurvey or 问卷星 wjx.cn (`--format limesurvey|wjx`)."""

from __future__ import annotations

from pathlib import Path

import click

from .base import FRAMEWORK_OPT, cli, lang_option, output_format, pick_lang, write_output

FORMS = ("xlsx", "pdf", "html", "md")
SURVEYS = ("limesurvey", "wjx")  # survey definitions: text files whose suffix says nothing
BY_SUFFIX = {".xlsx": "xlsx", ".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "md"}


@cli.group()
def questionnaire() -> None:
    """Questionnaires as answer forms (a workbook, a printable PDF, HTML or Markdown) or as
    survey definitions for LimeSurvey and 问卷星 (wjx.cn)."""


@questionnaire.command("export")
@click.argument("questionnaire_ref", metavar="QUESTIONNAIRE")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="Form file to write."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMS + SURVEYS),
    help="Form format (default: from the output file extension; limesurvey and wjx, which"
    " write .txt files, must be named).",
)
@lang_option()
@click.option("--role", help="Only the questions for this respondent role.")
@FRAMEWORK_OPT
def export(
    questionnaire_ref: str,
    output: Path,
    fmt: str | None,
    lang: str | None,
    role: str | None,
    framework: str | None,
) -> None:
    """Write an answer form for QUESTIONNAIRE (a built-in id or a file).

    The XLSX workbook has drop-down lists and protected sheets; read it back with
    `crmm import FILE.xlsx`. The PDF and HTML forms are for printing.

    `--format limesurvey` writes a LimeSurvey survey structure (.txt, both languages; import
    it as a new survey) and `--format wjx` the text to paste into 问卷星's 文本导入 (in
    --lang). The survey's exported answers import with `crmm import` and no mapping file.
    """
    from frameworks.errors import InputError
    from questionnaires.export import export_questionnaire
    from questionnaires.loader import load_questionnaire

    if fmt is None and output.suffix.lower() == ".txt":
        raise click.UsageError(
            f"{str(output)!r}: a .txt survey definition needs --format ({' or '.join(SURVEYS)})"
        )
    fmt = output_format(output, fmt, BY_SUFFIX, "html")
    q, fw = load_questionnaire(questionnaire_ref, framework)
    form_lang = pick_lang(fw, lang)
    if role is not None and role not in q.role_by_id:
        raise InputError.one("--role", "", f"unknown role {role!r} ({', '.join(q.role_by_id)})")
    if fmt == "pdf":
        from frameworks.text import LANGS
        from questionnaires.export.html import questionnaire_html
        from reports.form_pdf import form_pdf
        from reports.glyphs import glyph_warning, missing_glyphs

        other = tuple(f".{code}" for code in LANGS if code != form_lang)  # not printed
        warning = glyph_warning(
            missing_glyphs(q.model_dump(mode="json", by_alias=True), skip=other)
        )
        if warning:  # a questionnaire file of one's own may hold characters the fonts lack
            click.echo(f"warning: {questionnaire_ref}: {warning}", err=True)
        data = form_pdf(questionnaire_html(q, fw, form_lang, role))
    else:
        data = export_questionnaire(q, fw, fmt, form_lang, role)
    write_output(data, output, binary=fmt in ("xlsx", "pdf"))
