"""Answer forms as PDF: the questionnaire's printable HTML form laid out with the report fonts.

The HTML comes from `questionnaires.export.html`; only the bundled Noto Sans SC fonts are
added here, so Chinese text is embedded and looks the same everywhere.
"""

from __future__ import annotations

from .pdf import html_to_pdf

FONT_CSS = """
@font-face { font-family: "Noto Sans SC"; font-style: normal; font-weight: 400;
  src: url("../fonts/NotoSansSC-Regular.woff2") format("woff2"); }
@font-face { font-family: "Noto Sans SC"; font-style: normal; font-weight: 700;
  src: url("../fonts/NotoSansSC-Bold.woff2") format("woff2"); }
html { font-family: "Noto Sans SC", sans-serif; }
"""


def form_pdf(html: str) -> bytes:
    """A PDF of a printable form; resources limited to the report package (see resources)."""
    return html_to_pdf(html, FONT_CSS)
