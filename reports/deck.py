"""The board deck: a 16:9 PowerPoint presentation (PPTX) built from the same ReportContext.

Consultants present to boards in slides. The deck holds what a board reads (the verdict, the
profile, strengths and priorities, the roadmap, certification) and an appendix slide with the
method; every figure is the one the PDF prints. Charts are the report's own SVGs rasterised at
print resolution (reports/deck_charts.py); all text is real, editable text in text boxes and
tables, each run with a Latin and an East Asian font that PowerPoint and WPS have; each slide's
speaker notes name the result JSON fields and the docs/scoring.md sections its numbers come
from. The slides are chosen from the context (`slide_plan`): a slide whose data the context
lacks is left out, never shown empty. python-pptx is imported only when a deck is made; the
same context gives the same bytes (pictures, zip dates and core properties are reproducible).
"""

from __future__ import annotations

import base64
import io
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from markupsafe import Markup

from . import charts
from .audit_view import MARK
from .brand import INK, WHITE, mix, recolor_charts, text_on
from .deck_audit import has_gaps, has_overrides
from .deck_charts import Chart, chart_pngs, svg_size
from .docx_writer import xml_safe
from .formatting import num, pct, weight
from .ooxml import core_text, stable_zip, stamp
from .views import LevelView, ReportContext

if TYPE_CHECKING:
    from pptx.presentation import Presentation
    from pptx.slide import Slide
    from pptx.text.text import TextFrame

WORD = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")  # unbreakable runs
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
LATIN_FONT = "Arial"  # in every PowerPoint and WPS install
EA_FONT = "Microsoft YaHei"  # 微软雅黑: PowerPoint's and WPS's Chinese UI font
SLIDE_W, SLIDE_H = 13.333, 7.5  # inches: 16:9
MARGIN = 0.6
BODY_TOP, BODY_BOTTOM = 1.45, 6.85
FOOTER_TOP = 6.98
LINE = 1.2  # line height, in font sizes
SPACE_AFTER = 0.35  # space after a paragraph, in font sizes
INSET = 0.1  # inches of a text box's inner margin left and right (python-pptx's default)
INSET_Y = 0.05
MIN_PT = 10.0
TOP_RECOMMENDATIONS = 6
MAX_SLIDES = 14
MARK_NOTE_H = 0.4  # inches kept under a slide's cards or table for the override mark's note
FOOTER_PART = 60  # characters of each part of the footer line (organisation, brand line…)
MUTED = "#595959"
NEUTRAL = charts.ACCENT
PNG_DATA_URL = "data:image/png;base64,"
SVG_DATA_URL = "data:image/svg+xml;base64,"


def render_pptx(ctx: ReportContext, env: Environment) -> bytes:
    """The board deck of the report as a PPTX file (the template environment is not used)."""
    return deck_bytes(ctx)


# --- which slides: built from the context ------------------------------------------------


def slide_plan(ctx: ReportContext) -> tuple[str, ...]:
    """The deck's slides, in order, as keys of `_Deck` methods (`slide_<key>`): 11 always,
    and more when the context has their data: intention vs reality (criteria rated on both
    dimensions), certification, progress, assessor ratings (overrides). At most 14: with
    all four, the basis slide is left out (its coverage is on the verdict slide, the
    number of respondents on the title slide)."""
    plan = ["title", "verdict", "basis", "radar"]
    if has_gaps(ctx):
        plan.append("intention_reality")
    plan += ["elements", "heatmap", "strengths", "priorities", "roadmap", "recommendations"]
    if ctx.certification is not None:
        plan.append("certification")
    if ctx.progress is not None:
        plan.append("progress")
    if has_overrides(ctx):
        plan.append("assessor_ratings")
    plan.append("method")
    if len(plan) > MAX_SLIDES:
        plan.remove("basis")
    return tuple(plan)


def deck_bytes(ctx: ReportContext) -> bytes:
    """The deck of the whole report; the same context gives the same bytes."""
    from pptx import Presentation

    prs = Presentation()
    _widen(prs)
    _drop_thumbnail(prs)
    deck = _Deck(ctx, prs)
    deck.write()
    out = io.BytesIO()
    prs.save(out)
    return stable_zip(out.getvalue(), ctx.result.date)


def _widen(prs: Presentation) -> None:
    """The default 4:3 template made 16:9: the slide size, and the placeholders of its master
    and layouts stretched across, so that a slide the user adds has its title in place."""
    from pptx.util import Emu, Inches

    factor = Inches(SLIDE_W) / prs.slide_width
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    for part in (prs.slide_master, *prs.slide_layouts):
        for shape in part.shapes:
            element: Any = shape._element
            if element.spPr.xfrm is None:  # placed where its master's placeholder is
                continue
            shape.left = Emu(round(shape.left * factor))
            shape.width = Emu(round(shape.width * factor))


def _drop_thumbnail(prs: Presentation) -> None:
    """The template's preview picture is of some other presentation: leave it out."""
    package = prs.part.package
    for rel in list(package._rels.values()):
        if rel.reltype.endswith("/thumbnail"):
            package.drop_rel(rel.rId)


# --- text fitting ------------------------------------------------------------------------


@dataclass(frozen=True)
class Para:
    """One paragraph of a text box; `scale` is its size relative to the box's font size."""

    text: str
    bold: bool = False
    scale: float = 1.0
    color: str | None = None


def lines_needed(text: str, size: float, width_pt: float, bold: bool = False) -> int:
    """How many lines `text` takes at `size` points in a box `width_pt` wide: its width in
    the report font's metrics (charts.text_width, CJK 1 em) plus a tenth for the ragged
    right edge of word wrapping, per line of the text."""
    factor = (charts.BOLD if bold else 1.0) * 1.1
    return sum(
        max(1, math.ceil(charts.text_width(line, size) * factor / width_pt))
        for line in text.split("\n")
    )


def words_fit(text: str, size: float, width_pt: float, bold: bool = False) -> bool:
    """Whether every word fits on a line of its own (a wider one would be broken inside;
    Chinese text breaks between any two characters)."""
    factor = (charts.BOLD if bold else 1.0) * 1.1
    return all(charts.text_width(w, size) * factor <= width_pt for w in WORD.findall(text))


def text_height(
    paras: Sequence[Para], size: float, width_in: float, *, whole_words: bool = True
) -> float:
    """Points of height the paragraphs take at `size` in a text box `width_in` wide
    (infinite if a word does not fit across it, unless `whole_words` is False)."""
    width_pt = (width_in - 2 * INSET) * 72
    h = 0.0
    for p in paras:
        s = size * p.scale
        if whole_words and not words_fit(p.text, s, width_pt, p.bold):
            return math.inf
        h += lines_needed(p.text, s, width_pt, p.bold) * s * LINE + s * SPACE_AFTER
    return h


def fitting_size(
    paras: Sequence[Para], width_in: float, height_in: float, size: float, least: float = MIN_PT
) -> float:
    """The largest font size, from `size` down in half points to `least`, at which the text
    fits its box (`least` if none does; the deck's tests check that it fits)."""
    room = (height_in - 2 * INSET_Y) * 72
    s = size
    while s > least and text_height(paras, s, width_in) > room:
        s -= 0.5
    return s


def row_heights_at(
    box: Box,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    size: float,
    whole_words: bool = True,
) -> list[float]:
    """Inches of each row of a table in `box` (columns in the proportions of `widths`) at
    `size` (infinite if a word is wider than its column, unless `whole_words` is False:
    the height of the text with the word broken)."""
    total = sum(widths)
    cols = [box.width * w / total for w in widths]
    out = []
    for row in [header, *rows]:
        need = max(
            text_height([Para(cell, bold=row is header)], size, col, whole_words=whole_words)
            for cell, col in zip(row, cols, strict=True)
        )
        out.append(need / 72 + 2 * INSET_Y)
    return out


def rows_that_fit(
    box: Box, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
) -> int:
    """How many of the first `rows` a table in `box` holds at the smallest font (at least
    one: a table is never empty)."""
    n = len(rows)
    while n > 1 and sum(row_heights_at(box, header, rows[:n], widths, MIN_PT)) > box.height:
        n -= 1
    return n


def clip(text: str, n: int) -> str:
    """`text`, cut to `n` characters with an ellipsis if it is longer."""
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _hex(color: str) -> str:
    return color.lstrip("#").upper()


def rgb(color: str) -> Any:
    """A `#rrggbb` colour as python-pptx's RGBColor."""
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(_hex(color))  # type: ignore[no-untyped-call]


# --- the deck ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float


BODY = Box(MARGIN, BODY_TOP, SLIDE_W - 2 * MARGIN, BODY_BOTTOM - BODY_TOP)
# where each picture goes: the box it fills as far as its shape allows, centred across it
PLACES: dict[str, Box] = {
    "logo": Box(MARGIN, 1.6, 1.6, 1.2),
    "radar": Box(MARGIN, BODY_TOP, 7.4, BODY.height),
    "elements": Box(MARGIN, BODY_TOP, 7.0, BODY.height),
    "heatmap": Box(MARGIN, BODY_TOP + 0.5, BODY.width, BODY.height - 0.5),
    "roadmap": Box(MARGIN, BODY_TOP, 7.4, BODY.height),
    "intention_reality": Box(MARGIN, BODY_TOP, 7.6, BODY.height),
}


def placed(
    key: str, size: tuple[float, float], box: Box | None = None
) -> tuple[float, float, float, float]:
    """Left, top, width and height (inches) of a picture of `size` (any unit) in its place
    (or in `box`)."""
    box = PLACES[key] if box is None else box
    w, h = size
    scale = min(box.width / w, box.height / h)
    width, height = w * scale, h * scale
    return box.left + (box.width - width) / 2, box.top, width, height


class _Deck:
    """Writes the planned slides, one method per slide key."""

    def __init__(self, ctx: ReportContext, prs: Presentation) -> None:
        self.ctx, self.prs, self.L = ctx, prs, ctx.labels
        css = dict(ctx.brand.css)
        self.primary = css.get("--primary-text", NEUTRAL)
        self.accent = css.get("--accent", NEUTRAL)
        self.on_accent = css.get("--on-accent", text_on(self.accent))
        self.tint = css.get("--accent-light", mix(self.accent, WHITE, 0.11))
        self.lang_tag = "zh-CN" if ctx.lang == "zh-CN" else "en-US"
        self.space = "" if ctx.lang == "zh-CN" else " "
        self.pictures: dict[str, bytes] = {}
        self.number = 0
        self.overridden = {c.id for e in ctx.elements for c in e.criteria if c.overridden}
        self.places = dict(PLACES)
        if self.overridden:  # room under the heatmap for what its marks mean
            h = PLACES["heatmap"]
            self.places["heatmap"] = Box(h.left, h.top, h.width, h.height - MARK_NOTE_H)

    def write(self) -> None:
        plan = slide_plan(self.ctx)
        self.pictures = self.chart_pictures(plan)
        self.core_properties()
        for key in plan:
            self.number += 1
            slide_method: Callable[[], None] = getattr(self, f"slide_{key}")
            slide_method()

    # -- pictures --

    def charts_of(self, plan: Sequence[str]) -> dict[str, Chart]:
        """The SVGs to draw, each at the width it takes in its place (PLACES)."""
        ctx = self.ctx
        svgs: dict[str, str] = {"radar": ctx.radar}
        if "elements" in plan:
            svgs["elements"] = self.element_bars()
        if "heatmap" in plan and ctx.heatmap:
            svgs["heatmap"] = ctx.heatmap
        if "roadmap" in plan and ctx.timeline:
            svgs["roadmap"] = ctx.timeline
        if "intention_reality" in plan and ctx.audit is not None:
            svgs["intention_reality"] = ctx.audit.chart
        svgs = {k: recolor_charts(svg, ctx.brand) for k, svg in svgs.items()}
        logo = ctx.brand.logo
        if logo is not None and logo.startswith(SVG_DATA_URL):
            svgs["logo"] = base64.b64decode(logo[len(SVG_DATA_URL) :]).decode("utf-8-sig")
        return {
            k: Chart(Markup(v), placed(k, svg_size(v), self.places.get(k))[2])
            for k, v in svgs.items()
        }

    def chart_pictures(self, plan: Sequence[str]) -> dict[str, bytes]:
        found = self.charts_of(plan)
        pngs = chart_pngs(list(found.values()), self.ctx.result.date)
        pictures = dict(zip(found, pngs, strict=True))
        logo = self.ctx.brand.logo
        if logo is not None and logo.startswith(PNG_DATA_URL):
            pictures["logo"] = base64.b64decode(logo[len(PNG_DATA_URL) :])
        return pictures

    def element_bars(self) -> Markup:
        """The elements' scores as the report's bar chart (levels marked where they start)."""
        ctx = self.ctx
        rings = [
            charts.Ring(lv.min_score, self.L.fill("level.short", n=lv.number))
            for lv in ctx.methodology.levels
        ]
        return charts.bars_svg(
            [charts.Bar(e.id, e.name, e.score, e.note) for e in ctx.elements],
            rings,
            title=self.L["deck.elements"],
            no_data=self.L["chart.insufficient"],
        )

    # -- building blocks --

    def core_properties(self) -> None:
        """Title, author, subject… of the file (each cut to the 255 characters python-pptx
        accepts), dated by the assessment."""
        ctx, c = self.ctx, self.ctx.cover
        props = self.prs.core_properties
        subject = f"{c.framework} {c.framework_version} — {c.date}"
        texts = {
            "title": f"{ctx.title} — {c.organization}",
            "author": c.assessor if c.assessor is not None else c.organization,
            "subject": subject if ctx.subject is None else f"{ctx.subject} — {subject}",
            "keywords": ", ".join([*ctx.keywords, ctx.inputs.framework_id]),
            "comments": ctx.generator,
            "category": ctx.inputs.framework_id,
        }
        for name, text in texts.items():
            setattr(props, name, core_text(text))
        props.language = ctx.lang
        props.last_modified_by = "crmm"
        props.revision = 1
        props.created = props.modified = stamp(ctx.result.date)
        props.last_printed = stamp(ctx.result.date)

    def new_slide(self, title: str, notes: Sequence[str]) -> Slide:
        """A slide with its title (a real title placeholder), footer and speaker notes."""
        from pptx.util import Inches

        slide: Slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # "Title Only"
        shape = slide.shapes.title
        assert shape is not None
        shape.left, shape.top = Inches(MARGIN), Inches(0.35)
        shape.width, shape.height = Inches(SLIDE_W - 2 * MARGIN), Inches(0.95)
        tf = shape.text_frame
        size = fitting_size([Para(title, bold=True)], SLIDE_W - 2 * MARGIN, 0.95, 28.0)
        self.fill(tf, [Para(title, bold=True, color=self.primary)], size, align_left=True)
        if self.number > 1:
            self.footer(slide)
        self.notes(slide, notes)
        return slide

    def footer(self, slide: Slide) -> None:
        ctx, c, dot = self.ctx, self.ctx.cover, self.L["misc.dot"]
        parts = [c.organization, f"{ctx.inputs.framework_id} {ctx.inputs.framework_version}"]
        parts.append(c.date)
        if ctx.brand.confidentiality is not None:
            parts.append(ctx.brand.confidentiality)
        parts = [clip(p, FOOTER_PART) for p in parts]
        box = Box(MARGIN, FOOTER_TOP, SLIDE_W - 2 * MARGIN - 0.8, 0.4)
        self.text(slide, box, [Para(dot.join(parts), color=MUTED)], 9.0, min_size=7.0)
        self.text(
            slide, Box(SLIDE_W - MARGIN - 0.8, FOOTER_TOP, 0.8, 0.4),
            [Para(str(self.number), color=MUTED)], 9.0, align_right=True,
        )  # fmt: skip

    def notes(self, slide: Slide, lines: Sequence[str]) -> None:
        tf = slide.notes_slide.notes_text_frame
        assert tf is not None
        self.fill(tf, [Para(line) for line in lines], 12.0, align_left=True)

    def style_run(
        self, run: Any, size: float, *, bold: bool = False, color: str | None = None
    ) -> None:
        """Font size, weight, colour, language, and the Latin, East Asian and complex-script
        typefaces of one run (PowerPoint picks the East Asian one for Chinese characters)."""
        from pptx.oxml.ns import qn
        from pptx.util import Pt

        font = run.font
        font.size = Pt(size)
        font.bold = bold
        font.color.rgb = rgb(color or INK)
        font.name = LATIN_FONT
        rpr = run._r.get_or_add_rPr()
        rpr.set("lang", self.lang_tag)
        rpr.set("altLang", "en-US" if self.lang_tag == "zh-CN" else "zh-CN")
        latin = rpr.find(qn("a:latin"))
        for tag, face in (("a:ea", EA_FONT), ("a:cs", LATIN_FONT)):
            el = rpr.makeelement(qn(tag), {"typeface": face})
            latin.addnext(el)
            latin = el

    def fill(
        self,
        tf: TextFrame,
        paras: Sequence[Para],
        size: float,
        *,
        align_left: bool = False,
        align_right: bool = False,
        center: bool = False,
    ) -> None:
        from pptx.enum.text import PP_ALIGN
        from pptx.util import Pt

        tf.word_wrap = True
        for i, p in enumerate(paras):
            para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()  # type: ignore[no-untyped-call]
            para.space_after = Pt(size * p.scale * SPACE_AFTER)
            if align_right:
                para.alignment = PP_ALIGN.RIGHT
            elif center:
                para.alignment = PP_ALIGN.CENTER
            elif align_left:
                para.alignment = PP_ALIGN.LEFT
            run = para.add_run()
            run.text = xml_safe(p.text)
            self.style_run(run, size * p.scale, bold=p.bold, color=p.color)

    def text(
        self,
        slide: Slide,
        box: Box,
        paras: Sequence[Para],
        size: float,
        *,
        min_size: float = MIN_PT,
        align_right: bool = False,
        center: bool = False,
        fill: str | None = None,
    ) -> Any:
        """A text box whose text fits it: the font shrinks from `size` as far as needed."""
        from pptx.enum.text import MSO_AUTO_SIZE
        from pptx.util import Inches

        shape = slide.shapes.add_textbox(
            Inches(box.left), Inches(box.top), Inches(box.width), Inches(box.height)
        )
        tf = shape.text_frame
        tf.auto_size = MSO_AUTO_SIZE.NONE
        s = fitting_size(paras, box.width, box.height, size, min(min_size, size))
        self.fill(tf, paras, s, align_right=align_right, center=center)
        if fill is not None:
            shape.fill.solid()
            shape.fill.fore_color.rgb = rgb(fill)
        return shape

    def picture(self, slide: Slide, key: str, alt: str) -> None:
        """A picture in its place (PLACES), with `alt` as its alternative text."""
        from PIL import Image
        from pptx.util import Inches

        data = self.pictures[key]
        with Image.open(io.BytesIO(data)) as image:
            left, top, width, height = placed(key, image.size, self.places.get(key))
        pic = slide.shapes.add_picture(
            io.BytesIO(data), Inches(left), Inches(top), Inches(width), Inches(height)
        )
        element: Any = pic._element
        element.nvPicPr.cNvPr.set("descr", alt)

    def table(
        self,
        slide: Slide,
        box: Box,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        size: float = 14.0,
    ) -> Any:
        """An editable table with a brand-coloured header row; the font shrinks from `size`
        until every row's wrapped text fits the box's height."""
        from pptx.util import Inches, Pt

        def heights(s: float, whole_words: bool = True) -> list[float]:
            return row_heights_at(box, header, rows, widths, s, whole_words)

        total = sum(widths)
        cols = [box.width * w / total for w in widths]
        s = size
        while s > MIN_PT and sum(heights(s)) > box.height:
            s -= 0.5
        row_heights = heights(s, whole_words=False)
        shape = slide.shapes.add_table(
            len(rows) + 1,
            len(header),
            Inches(box.left),
            Inches(box.top),
            Inches(box.width),
            Inches(sum(row_heights)),
        )
        table = shape.table
        table.first_row = True
        table.horz_banding = False
        for j, w in enumerate(cols):
            table.columns[j].width = Inches(w)
        for i, row in enumerate([header, *rows]):
            table.rows[i].height = Inches(row_heights[i])
            for j, value in enumerate(row):
                cell = table.cell(i, j)
                cell.margin_left = cell.margin_right = Inches(INSET)
                cell.margin_top = cell.margin_bottom = Inches(INSET_Y)
                cell.fill.solid()  # type: ignore[no-untyped-call]
                background = self.accent if i == 0 else (WHITE if i % 2 else self.tint)
                cell.fill.fore_color.rgb = rgb(background)
                tf = cell.text_frame
                tf.word_wrap = True
                run = tf.paragraphs[0].add_run()
                run.text = xml_safe(value)
                color = self.on_accent if i == 0 else INK
                self.style_run(run, s, bold=i == 0, color=color)
                tf.paragraphs[0].space_after = Pt(0)
        return shape

    def band(self, slide: Slide) -> None:
        """A band of the brand's accent colour down the left edge of the slide."""
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.util import Inches

        shape = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, Inches(0), Inches(0), Inches(MARGIN / 3), Inches(SLIDE_H)
        )
        shape.fill.solid()
        shape.fill.fore_color.rgb = rgb(self.accent)
        shape.line.fill.background()

    def level_text(self, level: LevelView | None) -> str:
        return level.label if level is not None else self.L["summary.no_level"]

    def colon(self, label: str, value: str) -> str:
        return f"{label}{self.L['misc.colon']}{value}"

    def note(self, key: str, **values: object) -> str:
        return self.L.fill(f"deck.note.{key}", **values)

    def mark_if(self, overridden: bool) -> str:
        """The mark of a figure an assessor's rating set (as the PDF marks it), or nothing."""
        return MARK if overridden else ""

    def mark(self, criterion: str) -> str:
        """The mark after a criterion's score or level if an assessor's rating set it (or
        one of its dimensions, which the score follows)."""
        return self.mark_if(criterion in self.overridden)

    def mark_note(self) -> str:
        return self.L.fill("deck.mark_note", mark=MARK)

    # -- audit slides (reports/deck_audit.py) --

    def slide_intention_reality(self) -> None:
        from .deck_audit import slide_intention_reality

        slide_intention_reality(self)

    def slide_assessor_ratings(self) -> None:
        from .deck_audit import slide_assessor_ratings

        slide_assessor_ratings(self)

    # -- the slides --

    def slide_title(self) -> None:
        ctx, c, L = self.ctx, self.ctx.cover, self.L
        slide = self.new_slide(ctx.title, [self.note("title", file=ctx.inputs.responses_file)])
        self.band(slide)
        top = 1.6
        if "logo" in self.pictures:
            self.picture(slide, "logo", ctx.brand.name or "")
            top += 1.4
        paras = []
        if ctx.brand.name is not None:
            paras.append(Para(ctx.brand.name, bold=True, color=self.primary))
        if ctx.subtitle is not None:
            paras.append(Para(ctx.subtitle, color=MUTED))
        paras.append(Para(c.organization, bold=True, scale=1.5))
        self.text(slide, Box(MARGIN, top, 12.1, 1.7), paras, 20.0)
        dot = L["misc.dot"]
        details = [
            Para(self.colon(L["cover.date"], c.date)),
            Para(self.colon(L["cover.framework"], f"{c.framework} {c.framework_version}")),
            Para(
                self.colon(L["cover.questionnaire"], f"{c.questionnaire} {c.questionnaire_version}")
            ),
            Para(
                self.colon(
                    L["cover.assessment_type"],
                    dot.join(
                        [c.assessment_type, L.plural("cover.respondents_count", c.respondents)]
                    ),
                )
            ),
        ]
        if ctx.brand.confidentiality is not None:
            details.append(Para(ctx.brand.confidentiality, bold=True, color=self.primary))
        self.text(slide, Box(MARGIN, top + 1.9, 12.1, 6.8 - top - 1.9), details, 16.0)

    def slide_verdict(self) -> None:
        ctx, L, o, pv = self.ctx, self.L, self.ctx.overall, self.ctx.summary.provisional
        notes = [
            self.note("level", level=o.level.number if o.level else L["misc.none"]),
            self.note("index", index=num(o.index, 2), score=num(o.score)),
            self.note("coverage", coverage=pct(o.coverage)),
        ]
        if o.gated and o.gating_formula is not None:
            notes.append(self.note("gating", formula=o.gating_formula, field="overall.gating"))
        tiles = [
            (
                pv.level_label if pv is not None else L["summary.overall_level"],
                self.level_text(o.level)
                + ("" if pv is None else self.space + L.fill("misc.paren", text=pv.tag)),
                L["summary.gated"] if o.gated else "",
            ),
            (L["summary.index"], num(o.index, 2), L["summary.index_scale"]),
            (L["summary.score"], num(o.score), L["summary.score_scale"]),
            (L["summary.coverage"], pct(o.coverage), L["summary.coverage_note"]),
        ]
        bench = ctx.benchmark
        if bench is not None:
            tiles.append(
                (L["deck.percentile"], bench.overall.percentile, L["exec.percentile_note"])
            )
            notes.append(self.note("percentile", percentile=bench.overall.percentile))
        slide = self.new_slide(L["deck.verdict"], notes)
        n = len(tiles)
        gap = 0.2
        width = (BODY.width - gap * (n - 1)) / n
        for i, (label, value, small) in enumerate(tiles):
            left = BODY.left + i * (width + gap)
            on = self.on_accent
            paras = [Para(label, scale=0.55, color=on), Para(value, True, 1.0 if i else 0.8, on)]
            if small:
                paras.append(Para(small, scale=0.45, color=on))
            box = Box(left, BODY.top, width, 2.0)
            self.text(slide, box, paras, 30.0, fill=self.accent, center=True)
        lines: list[Para] = []
        if pv is not None:
            lines.append(Para(self.colon(pv.title, pv.missing), bold=True))
            lines.append(Para(pv.todo))
        x = ctx.executive
        lines += [Para(t) for t in (x.headline if x is not None else ctx.summary.paragraphs)]
        if bench is not None:
            lines.append(Para(bench.headline, color=MUTED, scale=0.85))
        self.text(slide, Box(BODY.left, BODY.top + 2.3, BODY.width, 3.1), lines, 18.0)

    def slide_basis(self) -> None:
        ctx, L, c = self.ctx, self.L, self.ctx.cover
        by_role: dict[str, list[int]] = {}
        for p in ctx.respondents:
            counts = by_role.setdefault(p.role, [0, 0])
            counts[0] += 1
            counts[1] += p.answered
        notes = [self.note("basis", n=c.respondents, coverage=pct(ctx.overall.coverage))]
        if ctx.audit is not None and (ctx.audit.workshops or ctx.audit.register):
            notes.append(self.note("workshops"))
        slide = self.new_slide(L["deck.basis"], notes)
        rows = [[role, str(n), str(answered)] for role, (n, answered) in by_role.items()]
        self.table(
            slide,
            Box(BODY.left, BODY.top, 6.6, BODY.height),
            [L["table.role"], L["cover.respondents"], L["table.answered"]],
            rows,
            [3.0, 1.6, 2.0],
        )
        lines = [
            Para(self.colon(L["cover.assessment_type"], c.assessment_type)),
            Para(self.colon(L["cover.respondents"], str(c.respondents))),
            Para(self.colon(L["summary.coverage"], pct(ctx.overall.coverage))),
            Para(L["summary.coverage_note"], color=MUTED, scale=0.8),
            Para(self.colon(L["cover.date"], c.date)),
        ]
        audit = ctx.audit
        if audit is not None:  # workshops and the evidence register, in an audit
            for w in audit.workshops:
                text = L.plural("deck.workshop", w.count, name=w.name, role=w.role)
                one = 1 if w.weight == 1 else 2  # "1 respondent", "1.5 respondents"
                counting = L.plural("deck.counts_as", one, weight=weight(w.weight))
                lines.append(Para(text + counting))
            if audit.register:
                accepted = sum(1 for e in audit.register if e.status_id == "accepted")
                lines.append(
                    Para(L.plural("deck.register", len(audit.register), accepted=accepted))
                )
        self.text(slide, Box(7.5, BODY.top, SLIDE_W - MARGIN - 7.5, BODY.height), lines, 18.0)

    def slide_radar(self) -> None:
        ctx, L, s = self.ctx, self.L, self.ctx.summary
        notes = [self.note("radar", target=s.target.number)]
        slide = self.new_slide(L["deck.radar"], notes)
        self.picture(slide, "radar", L["deck.radar"])
        lines: list[Para] = []
        if s.strongest is not None:
            lines.append(Para(L["summary.strongest"], color=MUTED, scale=0.8))
            lines.append(Para(f"{s.strongest.name}{L['misc.dot']}{s.strongest.note}", bold=True))
        if s.weakest is not None and s.weakest is not s.strongest:
            lines.append(Para(L["summary.weakest"], color=MUTED, scale=0.8))
            lines.append(Para(f"{s.weakest.name}{L['misc.dot']}{s.weakest.note}", bold=True))
        for e in s.insufficient:
            lines.append(Para(f"{e.name}{L['misc.dot']}{e.status_label}", color=MUTED))
        if ctx.benchmark is not None:
            b = ctx.benchmark
            lines.append(
                Para(L.fill("exec.peer_line", group=b.group, n=b.n, median=num(b.overall.median)))
            )
        left = BODY.left + 7.6
        self.text(slide, Box(left, BODY.top + 0.3, SLIDE_W - MARGIN - left, 4.8), lines, 18.0)

    def slide_elements(self) -> None:
        ctx, L = self.ctx, self.L
        slide = self.new_slide(L["deck.elements"], [self.note("elements")])
        self.picture(slide, "elements", L["deck.elements"])
        rows = [
            [
                e.name,
                num(e.score),  # a dash when not scored
                e.status_label if e.insufficient else self.level_text(e.level),
            ]
            for e in ctx.elements
        ]
        left = BODY.left + 7.2
        self.table(
            slide,
            Box(left, BODY.top, SLIDE_W - MARGIN - left, BODY.height),
            [L["table.element"], L["table.score"], L["table.level"]],
            rows,
            [2.4, 1.0, 1.9],
        )

    def slide_heatmap(self) -> None:
        L = self.L
        slide = self.new_slide(L["heatmap.title"], [self.note("heatmap")])
        self.text(
            slide,
            Box(BODY.left, BODY.top - 0.1, BODY.width, 0.55),
            [Para(L["heatmap.intro"], color=MUTED)],
            13.0,
        )
        if "heatmap" in self.pictures:
            self.picture(slide, "heatmap", L["heatmap.title"])
        self.marks_note(slide, sorted(self.overridden))

    def slide_strengths(self) -> None:
        ctx, L = self.ctx, self.L
        x = ctx.executive
        items = x.strengths if x is not None else ()
        slide = self.new_slide(L["exec.strengths"], [self.note("strengths")])
        self.text(
            slide,
            Box(BODY.left, BODY.top - 0.1, BODY.width, 0.5),
            [Para(L["exec.strengths_note"], color=MUTED)],
            14.0,
        )
        if not items:
            text = L.fill("exec.no_strengths", target=ctx.summary.target.label)
            self.text(slide, Box(BODY.left, BODY.top + 0.6, BODY.width, 1.5), [Para(text)], 22.0)
            return
        self.cards(
            slide,
            [
                [
                    Para(st.criterion, bold=True),
                    Para(st.element, color=MUTED, scale=0.8),
                    Para(
                        f"{num(st.score)}{self.mark(st.criterion_id)}{L['misc.dot']}"
                        f"{st.level.label}",
                        bold=True,
                        scale=1.2,
                        color=self.primary,
                    ),
                ]
                for st in items
            ],
            [st.criterion_id for st in items],
        )

    def cards(
        self, slide: Slide, cards: Sequence[Sequence[Para]], criteria: Sequence[str] = ()
    ) -> None:
        """Up to three cards side by side under the slide's note line (and above the line
        that explains the override mark, when one of their `criteria` has it)."""
        gap = 0.3
        width = (BODY.width - gap * 2) / 3
        marked = any(c in self.overridden for c in criteria)
        height = BODY.height - 0.6 - (MARK_NOTE_H if marked else 0.0)
        for i, paras in enumerate(cards):
            box = Box(BODY.left + i * (width + gap), BODY.top + 0.6, width, height)
            self.text(slide, box, paras, 20.0, fill=self.tint)
        self.marks_note(slide, criteria)

    def marks_note(self, slide: Slide, criteria: Sequence[str]) -> None:
        """Under the slide's body, what the override mark means, if a figure has one."""
        if any(c in self.overridden for c in criteria):
            box = Box(BODY.left, BODY_BOTTOM - MARK_NOTE_H + 0.05, BODY.width, MARK_NOTE_H - 0.05)
            self.text(slide, box, [Para(self.mark_note(), color=MUTED)], 11.0)

    def slide_priorities(self) -> None:
        ctx, L = self.ctx, self.L
        x = ctx.executive
        items = x.priorities if x is not None else ()
        slide = self.new_slide(L["exec.priorities"], [self.note("priorities")])
        self.text(
            slide,
            Box(BODY.left, BODY.top - 0.1, BODY.width, 0.5),
            [Para(L["exec.priorities_note"], color=MUTED)],
            14.0,
        )
        if not items:
            text = L["exec.roadmap_none"]
            self.text(slide, Box(BODY.left, BODY.top + 0.6, BODY.width, 1.5), [Para(text)], 22.0)
            return
        cards = []
        for p in items:
            paras = [
                Para(f"{p.rank}. {p.criterion}", bold=True),
                Para(p.element, color=MUTED, scale=0.8),
                Para(
                    f"{p.current.label}{self.mark(p.criterion_id)} → {p.target.label}",
                    bold=True,
                    color=self.primary,
                ),
            ]
            if p.first_action is not None:
                paras.append(Para(L["exec.first_action"], color=MUTED, scale=0.75))
                paras.append(Para(p.first_action.text, scale=0.8))
            if p.more_actions:
                paras.append(
                    Para(L.plural("exec.more_actions", p.more_actions), color=MUTED, scale=0.7)
                )
            cards.append(paras)
        self.cards(slide, cards, [p.criterion_id for p in items])

    def slide_roadmap(self) -> None:
        ctx, L = self.ctx, self.L
        x = ctx.executive
        steps = [Para(s.text) for s in x.steps] if x is not None else []
        if not steps:
            steps = [Para(L["exec.roadmap_none"])]
        slide = self.new_slide(L["roadmap.title"], [self.note("roadmap")])
        if "roadmap" not in self.pictures:  # a framework without phases: no timeline
            self.text(slide, BODY, steps, 20.0)
            return
        self.picture(slide, "roadmap", L["timeline.title"])
        left = BODY.left + 7.6
        self.text(slide, Box(left, BODY.top, SLIDE_W - MARGIN - left, BODY.height), steps, 16.0)

    def slide_recommendations(self) -> None:
        """The highest-ranked recommendations, six at most and fewer if their first actions
        are too long for the slide at the smallest font; the rest are counted below."""
        ctx, L = self.ctx, self.L
        recs = ctx.recommendations[:TOP_RECOMMENDATIONS]
        kinds = any(r.kind is not None for r in ctx.recommendations)
        rows = []
        for r in recs:
            first = r.actions[0] if r.actions else None
            row = [
                str(r.rank),
                f"{r.criterion}\n{r.element}",
                f"{r.current.short}{self.mark(r.criterion_id)} → {r.target.short}",
            ]
            if kinds:
                row.append(r.kind_label or L["misc.none"])
            row += [
                first.text if first else L["misc.none"],
                f"{first.effort_label}\n{first.horizon}" if first else L["misc.none"],
                first.owner if first else L["misc.none"],
            ]
            rows.append(row)
        header = [L["table.rank"], L["table.criterion"], L["table.current_target"]]
        widths = [0.6, 3.0, 1.5]
        if kinds:
            header.append(L["plan.work_kind"])
            widths.append(1.9)
        header += [L["exec.first_action"], L["table.effort_horizon"], L["table.suggested_owner"]]
        widths += [4.6 - (1.3 if kinds else 0.0), 1.7, 1.5 - (0.3 if kinds else 0.0)]
        marked = any(r.criterion_id in self.overridden for r in recs)
        below = MARK_NOTE_H if marked else 0.0
        box = Box(BODY.left, BODY.top, BODY.width, BODY.height - below)
        if rows and (
            len(ctx.recommendations) > len(recs)
            or rows_that_fit(box, header, rows, widths) < len(rows)
        ):
            below += 0.5  # room for the line that counts the rest
            box = Box(BODY.left, BODY.top, BODY.width, BODY.height - below)
            rows = rows[: rows_that_fit(box, header, rows, widths)]
            recs = recs[: len(rows)]
        notes = [self.note("recommendations", n=len(recs), total=len(ctx.recommendations))]
        if kinds:
            notes.append(self.note("kinds"))
        slide = self.new_slide(L["deck.recommendations"], notes)
        if not recs:
            self.text(slide, BODY, [Para(L["exec.roadmap_none"])], 20.0)
            return
        self.table(slide, box, header, rows, widths)
        more = len(ctx.recommendations) - len(recs)
        if more:
            text = L.plural("deck.more_recommendations", more)
            top = BODY_BOTTOM - 0.45 - (MARK_NOTE_H if marked else 0.0)
            self.text(slide, Box(BODY.left, top, BODY.width, 0.45), [Para(text, color=MUTED)], 12.0)
        self.marks_note(slide, [r.criterion_id for r in recs])

    def slide_certification(self) -> None:
        ctx, L = self.ctx, self.L
        cert = ctx.certification
        assert cert is not None
        slide = self.new_slide(
            L["cert.title"],
            [self.note("certification", version=cert.rules_version, doc="docs/certification.md")],
        )
        paras = [
            Para(cert.verdict, bold=True, color=self.primary, scale=1.2),
            Para(cert.marker, bold=True),
            Para(cert.marker_note, color=MUTED, scale=0.7),
        ]
        self.text(slide, Box(BODY.left, BODY.top, BODY.width, 1.6), paras, 22.0)
        rows = []
        for lv in cert.headline:  # the level awarded and the next one up
            passed = sum(1 for r in lv.rules if r.passed)
            count = L.fill("deck.rules_passed", n=passed, total=len(lv.rules))
            rows.append([self.colon(lv.level.label, lv.outcome), "", "", count])
            rows += [
                [
                    f"{lv.level.short}{L['misc.dot']}{r.text}{self.lacking(r.id)}",
                    r.required,
                    r.actual,
                    r.outcome,
                ]
                for r in lv.rules
                if not r.passed
            ]
        if rows:
            self.table(
                slide,
                Box(BODY.left, BODY.top + 1.7, BODY.width, BODY.height - 1.7),
                [L["cert.rule"], L["cert.required"], L["cert.actual"], L["cert.outcome"]],
                rows,
                [7.0, 1.7, 1.7, 1.7],
            )

    def lacking(self, rule_id: str) -> str:
        """For an accepted-evidence rule, a line naming the criteria that lack accepted
        evidence (certification.levels[].rules[].missing); else nothing."""
        audit = self.ctx.audit
        level = rule_id.split(".", 1)[0]
        if audit is None or not rule_id.endswith(".accepted-evidence"):
            return ""
        for rule in audit.evidence_rules:
            if f"L{rule.level.number}" == level and rule.missing:
                names = self.L["misc.list_sep"].join(rule.missing)
                return "\n" + self.L.fill("audit.evidence_missing", names=names)
        return ""

    def slide_progress(self) -> None:
        ctx, L = self.ctx, self.L
        pg = ctx.progress
        assert pg is not None
        slide = self.new_slide(
            L["progress.title"], [self.note("progress", previous=pg.previous_date)]
        )
        self.text(
            slide,
            Box(BODY.left, BODY.top - 0.1, BODY.width, 0.8),
            [Para(pg.intro, color=MUTED)],
            14.0,
        )

        def delta(v: float | None) -> str:  # as the PDF's progress table writes it
            return ("+" if v is not None and v > 0 else "") + num(v)

        rows = [
            [r.name, num(r.previous) if r.previous is not None else L["misc.none"],
             num(r.current) if r.current is not None else L["misc.none"], delta(r.delta)]
            for r in (*pg.elements, pg.overall)
        ]  # fmt: skip
        self.table(
            slide,
            Box(BODY.left, BODY.top + 0.8, BODY.width, BODY.height - 0.8),
            [
                L["table.element"],
                L["progress.previous"],
                L["progress.current"],
                L["progress.delta"],
            ],
            rows,
            [5.0, 2.0, 2.0, 2.0],
        )

    def slide_method(self) -> None:
        ctx, L, m, i = self.ctx, self.L, self.ctx.methodology, self.ctx.inputs
        slide = self.new_slide(L["deck.method"], [self.note("method")])
        paras = [Para(m.scoring), Para(m.gating), Para(m.settings)]
        dims = ctx.audit.dimensions if ctx.audit is not None else None
        if dims is not None:  # how intention and reality make a score, which gaps are findings
            paras += [Para(dims.rule), Para(dims.finding_rule)]
        self.text(slide, Box(BODY.left, BODY.top, 6.9, BODY.height), paras, 14.0)
        inputs = [
            Para(L["cert.inputs"], bold=True),
            Para(
                self.colon(L["cover.framework"], f"{i.framework_id} {i.framework_version}"),
                scale=0.85,
            ),
            Para(i.framework_sha256, scale=0.7, color=MUTED),
            Para(
                self.colon(
                    L["cover.questionnaire"], f"{i.questionnaire_id} {i.questionnaire_version}"
                ),
                scale=0.85,
            ),
            Para(i.questionnaire_sha256, scale=0.7, color=MUTED),
            Para(self.colon(L["table.file"], i.responses_file), scale=0.85),
            Para(i.responses_sha256, scale=0.7, color=MUTED),
            Para(ctx.generator, scale=0.7, color=MUTED),
        ]
        left = BODY.left + 7.2
        self.text(slide, Box(left, BODY.top, SLIDE_W - MARGIN - left, BODY.height), inputs, 14.0)
