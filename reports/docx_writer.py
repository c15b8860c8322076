"""Low-level writing of Word documents: escaped runs, document language, and a base writer
with styled paragraphs and tables written as XML in one piece (python-docx's cell API is slow).

Nothing here knows the report's sections; python-docx is imported only when a document is made.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from .views import LevelView, ReportContext

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

EAST_ASIAN_FONT = "Microsoft YaHei"  # on every Windows Word; Word substitutes it elsewhere
WORD_LANG = {"zh-CN": "zh-CN", "en": "en-US"}
DATA_STYLE = "Light List Accent 1"
KEY_STYLE = "Light Shading Accent 1"
TEXT_WIDTH_CM = 17.0  # A4 less 2 cm margins
TWIPS_PER_CM = 1440 / 2.54
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SMALL_PT, DENSE_PT = 7, 9  # text sizes in tables: notes; tables with many columns


def xml_safe(text: str) -> str:
    """`text` without the characters XML forbids."""
    return NOT_XML.sub("", text)


def run_xml(text: str, *, bold: bool = False, small: bool = False, size: float = 0) -> str:
    """One run of escaped text (line breaks and tabs kept; characters XML forbids dropped),
    `small` (7 pt) or in `size` points."""
    parts = []
    for i, line in enumerate(xml_safe(text).replace("\r", "").split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, segment in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if segment:
                parts.append(f'<w:t xml:space="preserve">{escape(segment)}</w:t>')
    if not parts:
        return ""
    points = SMALL_PT if small else size
    rpr = ("<w:b/>" if bold else "") + (f'<w:sz w:val="{round(points * 2)}"/>' if points else "")
    return "<w:r>" + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "") + "".join(parts) + "</w:r>"


def set_language(doc: Document, lang: str) -> None:
    """Document language and East-Asian font on the default run properties and every style
    (theme East-Asian fonts replaced by a named one, which Word would otherwise pick by locale)."""
    from docx.oxml.ns import qn

    word_lang = WORD_LANG.get(lang, lang)
    styles = doc.styles.element
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is not None:
        lang_el = rpr.find(qn("w:lang"))
        if lang_el is None:
            lang_el = rpr.makeelement(qn("w:lang"), {})
            rpr.append(lang_el)
        lang_el.set(qn("w:val"), word_lang)
        lang_el.set(qn("w:eastAsia"), "zh-CN")
    for fonts in styles.iter(qn("w:rFonts")):
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
        fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
        if lang == "zh-CN":
            fonts.set(qn("w:hint"), "eastAsia")
    normal = doc.styles["Normal"].element.get_or_add_rPr()
    normal.get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), word_lang)
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


class DocxWriter:
    """Generic building blocks for writing one report context into one Word document."""

    def __init__(self, ctx: ReportContext, doc: Document) -> None:
        self.ctx, self.doc, self.L = ctx, doc, ctx.labels
        self._style_ids: dict[str, str] = {}

    def style_id(self, name: str) -> str:
        """A style's id, looked up once (python-docx searches the whole style sheet each time)."""
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        return self._style_ids[name]

    # --- building blocks -----------------------------------------------------------------

    def heading(self, text: str, level: int) -> Paragraph:
        return self.para(text, f"Heading {level}")

    def para(self, text: str = "", style: str | None = None, *, bold: str = "") -> Paragraph:
        """A paragraph, optionally led by a bold run (a label)."""
        p: Paragraph = self.doc.add_paragraph()
        if style is not None:
            p._p.get_or_add_pPr().style = self.style_id(style)
        if bold:
            p.add_run(xml_safe(bold)).bold = True
        if text:
            p.add_run(xml_safe(text))
        return p

    def bullet(self, text: str, *, bold: str = "") -> Paragraph:
        return self.para(text, "List Bullet", bold=bold)

    def table(
        self,
        header: Sequence[str] | None,
        rows: Sequence[Sequence[str]],
        *,
        numeric: Sequence[int] = (),
        widths: Sequence[float] = (),
        style: str = DATA_STYLE,
        first_column: bool = False,
        bold_last_row: bool = False,
        small: Sequence[int] = (),
        merge: Sequence[int] = (),
        groups: Sequence[int] = (),
        spans: Sequence[int] = (),
        size: float = 0,
    ) -> None:
        """A styled table; a `header` row is repeated on every page; `numeric` columns are
        right-aligned, `small` ones in 7 pt, `widths` in cm (else equal shares); `merge`
        columns are merged down over rows of the same `groups` id (one per data row); the
        data rows numbered in `spans` are one bold cell across the table (their first text);
        `size` sets the text size in points (else the style's). Rows don't break across pages.

        The table's XML is written in one piece: python-docx's cell-by-cell API is about ten
        times slower on a full audit's tables."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        lines: list[Sequence[str]] = list(rows)
        if header is not None:
            lines.insert(0, header)
        cols = len(lines[0])
        cm = widths or [TEXT_WIDTH_CM / cols] * cols
        twips = [round(w * TWIPS_PER_CM) for w in cm]
        flags = (0x20 if header else 0) | (0x80 if first_column else 0) | 0x400
        xml = [
            f"<w:tbl {nsdecls('w')}><w:tblPr>",
            f'<w:tblStyle w:val="{self.style_id(style)}"/><w:tblW w:w="0" w:type="auto"/>',
            '<w:tblLayout w:type="fixed"/>',
            f'<w:tblLook w:val="{flags:04X}" w:firstRow="{int(header is not None)}"',
            f' w:lastRow="0" w:firstColumn="{int(first_column)}" w:lastColumn="0"',
            ' w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
            *(f'<w:gridCol w:w="{w}"/>' for w in twips),
            "</w:tblGrid>",
        ]
        last, top = len(lines) - 1, int(header is not None)
        for n, line in enumerate(lines):
            k = n - top
            joined = k > 0 and len(groups) > k and groups[k] == groups[k - 1]
            head = "<w:tblHeader/>" if n == 0 and header is not None else ""
            xml.append(f"<w:tr><w:trPr><w:cantSplit/>{head}</w:trPr>")
            if k >= 0 and k in spans:
                xml.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{sum(twips)}" w:type="dxa"/>'
                    f'<w:gridSpan w:val="{cols}"/></w:tcPr><w:p>'
                    + run_xml(line[0], bold=True, size=size)
                    + "</w:p></w:tc></w:tr>"
                )
                continue
            for i, text in enumerate(line):
                vmerge = ""
                if i in merge and k >= 0:
                    vmerge = "<w:vMerge/>" if joined else '<w:vMerge w:val="restart"/>'
                    text = "" if joined else text
                xml.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{twips[i]}" w:type="dxa"/>{vmerge}</w:tcPr><w:p>'
                    + ('<w:pPr><w:jc w:val="right"/></w:pPr>' if i in numeric else "")
                    + run_xml(text, bold=bold_last_row and n == last, small=i in small, size=size)
                    + "</w:p></w:tc>"
                )
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        self.doc.element.body._insert_tbl(parse_xml("".join(xml)))
        self.doc.add_paragraph()

    def key_table(self, rows: Sequence[tuple[str, str]]) -> None:
        """Label-value pairs as a two-column table without a header row."""
        self.table(
            None,
            rows,
            widths=(5.5, TEXT_WIDTH_CM - 5.5),
            style=KEY_STYLE,
            first_column=True,
        )

    def level_label(self, level: LevelView | None, missing: str | None = None) -> str:
        if level is not None:
            return level.label
        return self.L["misc.none"] if missing is None else missing

    def paren(self, before: str, inside: str) -> str:
        """`before (inside)`; full-width parentheses, without a space, in Chinese."""
        sep = "" if self.ctx.lang == "zh-CN" else " "
        return before + sep + self.L.fill("misc.paren", text=inside)

    def colon(self, label: str, value: str) -> str:
        return f"{label}{self.L['misc.colon']}{value}"

    def setup(self) -> None:
        """An A4 page with 2 cm margins, and the document language of the context."""
        from docx.shared import Cm

        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.0))
        set_language(self.doc, self.ctx.lang)
