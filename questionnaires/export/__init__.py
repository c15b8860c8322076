"""Questionnaires as forms to fill in: an Excel workbook, a printable HTML form and Markdown;
and as survey definitions for online platforms: a LimeSurvey survey structure and 问卷星
(wjx.cn) import text.

`export_questionnaire` makes the workbook, HTML, Markdown and survey definitions; the PDF form
is the HTML form laid out by `reports.form_pdf` (this layer does not render PDFs). The
workbook importer (`questionnaires.importers.workbook`) reads a filled workbook back, and
`crmm import` reads a platform's export of a survey built from a definition with no mapping.
"""

from __future__ import annotations

from frameworks.model import Framework
from frameworks.text import Lang
from questionnaires.model import Questionnaire

FORMATS = ("xlsx", "pdf", "html", "md")
SURVEY_FORMATS = ("limesurvey", "wjx")  # survey definitions to import into a platform


def export_questionnaire(
    q: Questionnaire, fw: Framework, fmt: str, lang: Lang, role: str | None = None
) -> bytes:
    """The form in `fmt` (xlsx, html, md, limesurvey or wjx) for the questions of `role` (or
    all), as bytes. The survey definitions are UTF-8 text; a questionnaire whose question ids
    make no valid LimeSurvey code is an InputError."""
    if fmt == "xlsx":
        from .xlsx import questionnaire_xlsx

        return questionnaire_xlsx(q, fw, lang, role)
    if fmt == "html":
        from .html import questionnaire_html

        return questionnaire_html(q, fw, lang, role).encode("utf-8")
    if fmt == "md":
        from .markdown import questionnaire_markdown

        return questionnaire_markdown(q, fw, lang, role).encode("utf-8")
    if fmt == "limesurvey":
        from .limesurvey import questionnaire_limesurvey

        return questionnaire_limesurvey(q, fw, lang, role).encode("utf-8")
    if fmt == "wjx":
        from .wjx import questionnaire_wjx

        return questionnaire_wjx(q, fw, lang, role).encode("utf-8")
    raise ValueError(f"unknown form format {fmt!r} (pdf is made by reports.form_pdf)")


__all__ = ["FORMATS", "SURVEY_FORMATS", "export_questionnaire"]
