"""Questionnaires as forms to fill in: an Excel workbook, a printable HTML form and Markdown.

`export_questionnaire` makes the workbook, HTML and Markdown; the PDF form is the HTML form
laid out by `reports.form_pdf` (this layer does not render PDFs). The workbook importer
(`questionnaires.importers.workbook`) reads a filled workbook back.
"""

from __future__ import annotations

from frameworks.model import Framework
from frameworks.text import Lang
from questionnaires.model import Questionnaire

FORMATS = ("xlsx", "pdf", "html", "md")


def export_questionnaire(
    q: Questionnaire, fw: Framework, fmt: str, lang: Lang, role: str | None = None
) -> bytes:
    """The form in `fmt` (xlsx, html or md) for the questions of `role` (or all), as bytes."""
    if fmt == "xlsx":
        from .xlsx import questionnaire_xlsx

        return questionnaire_xlsx(q, fw, lang, role)
    if fmt == "html":
        from .html import questionnaire_html

        return questionnaire_html(q, fw, lang, role).encode("utf-8")
    if fmt == "md":
        from .markdown import questionnaire_markdown

        return questionnaire_markdown(q, fw, lang, role).encode("utf-8")
    raise ValueError(f"unknown form format {fmt!r} (pdf is made by reports.form_pdf)")


__all__ = ["FORMATS", "export_questionnaire"]
