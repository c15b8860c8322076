"""The report as an editable Word document (DOCX), built from the same ReportContext.

For consultants who rewrite the narrative: real Heading 1/2 styles (navigation pane, table of
contents), styled tables instead of charts, the document language and an East-Asian font set
on the styles, and core properties dated by the assessment, not by the moment of writing.
python-docx is imported only when a document is made.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from jinja2 import Environment

from .formatting import num, pct, weight
from .ooxml import stable_zip, stamp
from .templating import compact
from .views import ElementView, LevelView, NoteView, ReportContext

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EAST_ASIAN_FONT = "Microsoft YaHei"  # on every Windows Word; Word substitutes it elsewhere
WORD_LANG = {"zh-CN": "zh-CN", "en": "en-US"}
DATA_STYLE = "Light List Accent 1"
KEY_STYLE = "Light Shading Accent 1"
TEXT_WIDTH_CM = 17.0  # A4 less 2 cm margins
TWIPS_PER_CM = 1440 / 2.54
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FIGURES = ("table.weight", "table.score", "table.index", "table.level", "table.coverage")


def render_docx(ctx: ReportContext, env: Environment) -> bytes:
    """The report as a DOCX file (the template environment is not used)."""
    return docx_bytes(ctx)


def docx_bytes(ctx: ReportContext) -> bytes:
    """A Word document of the whole report; the same context gives the same bytes."""
    import docx

    doc = docx.Document()
    rels = doc.part.package.rels
    for rid in [k for k, rel in rels.items() if rel.reltype.endswith("/thumbnail")]:
        rels.pop(rid)  # the template's preview picture, of some other document
    _Writer(ctx, doc).write()
    out = io.BytesIO()
    doc.save(out)
    return stable_zip(out.getvalue(), ctx.result.date)


def run_xml(text: str, *, bold: bool = False, small: bool = False) -> str:
    """One run of escaped text (line breaks and tabs kept; characters XML forbids dropped)."""
    parts = []
    for i, line in enumerate(_NOT_XML.sub("", text).replace("\r", "").split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, segment in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if segment:
                parts.append(f'<w:t xml:space="preserve">{escape(segment)}</w:t>')
    if not parts:
        return ""
    rpr = ("<w:b/>" if bold else "") + ('<w:sz w:val="14"/>' if small else "")
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


class _Writer:
    """Writes the sections of the report, in the order of the PDF, into one document."""

    def __init__(self, ctx: ReportContext, doc: Document) -> None:
        self.ctx, self.doc, self.L = ctx, doc, ctx.labels
        self.roles = {p.id: p.role for p in ctx.respondents}
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
            p.add_run(_NOT_XML.sub("", bold)).bold = True
        if text:
            p.add_run(_NOT_XML.sub("", text))
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
    ) -> None:
        """A styled table; a `header` row is repeated on every page; `numeric` columns are
        right-aligned, `small` ones in 7 pt, `widths` in cm (else equal shares); `merge`
        columns are merged down over rows of the same `groups` id (one per data row).

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
            xml.append("<w:tr>")
            if n == 0 and header is not None:
                xml.append("<w:trPr><w:tblHeader/></w:trPr>")
            for i, text in enumerate(line):
                vmerge = ""
                if i in merge and k >= 0:
                    vmerge = "<w:vMerge/>" if joined else '<w:vMerge w:val="restart"/>'
                    text = "" if joined else text
                xml.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{twips[i]}" w:type="dxa"/>{vmerge}</w:tcPr><w:p>'
                    + ('<w:pPr><w:jc w:val="right"/></w:pPr>' if i in numeric else "")
                    + run_xml(text, bold=bold_last_row and n == last, small=i in small)
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

    # --- document ------------------------------------------------------------------------

    def write(self) -> None:
        self.setup()
        self.title_page()
        self.contents()
        self.summary()
        self.profile()
        for e in self.ctx.elements:
            self.element(e)
        self.recommendations()
        self.roadmap()
        self.certification()
        self.methodology()

    def setup(self) -> None:
        from docx.oxml.ns import qn
        from docx.shared import Cm

        ctx, c = self.ctx, self.ctx.cover
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2.0))
        set_language(self.doc, ctx.lang)
        props = self.doc.core_properties
        props.title = f"{ctx.title} — {c.organization}"
        props.author = c.assessor if c.assessor is not None else c.organization
        props.subject = f"{c.framework} {c.framework_version} — {c.date}"
        props.keywords = f"{self.L['report.keywords']}, {ctx.inputs.framework_id}"
        props.language = ctx.lang
        props.comments = ctx.generator
        props.category = ctx.inputs.framework_id
        props.last_modified_by = "crmm"
        props.revision = 1
        props.created = props.modified = stamp(ctx.result.date)
        footer = section.footer.paragraphs[0]
        footer.text = (
            f"{c.organization}{self.L['misc.dot']}{ctx.inputs.framework_id}"
            f" {ctx.inputs.framework_version}{self.L['misc.dot']}"
            f"{self.L['footer.responses']} {ctx.inputs.responses_short}…   "
        )
        page = footer._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): "PAGE"})
        footer._p.append(page)

    def title_page(self) -> None:
        from docx.enum.text import WD_BREAK

        ctx, c, L = self.ctx, self.ctx.cover, self.L
        self.para(ctx.title, "Title")
        self.para(c.organization, "Subtitle")
        o = ctx.overall
        level = self.level_label(o.level, L["summary.no_level"])
        self.para(level, bold=self.colon(L["summary.overall_level"], ""))
        self.key_table(
            [
                (L["cover.prepared_for"], c.organization),
                (L["cover.industry"], c.industry),
                (L["cover.size"], c.size),
                (L["cover.region"], c.region),
                (L["cover.date"], c.date),
                (L["cover.framework"], f"{c.framework} {c.framework_version}"),
                (L["cover.questionnaire"], f"{c.questionnaire} {c.questionnaire_version}"),
                (L["cover.assessment_type"], c.assessment_type),
                (L["cover.respondents"], L.fill("cover.respondents_count", n=c.respondents)),
            ]
        )
        generator = self.para(ctx.generator)
        generator.runs[-1].italic = True
        generator.add_run().add_break(WD_BREAK.PAGE)

    def contents(self) -> None:
        """A table-of-contents field over Heading 1-2; Word fills it in on Update Field."""
        from docx.enum.text import WD_BREAK
        from docx.oxml.ns import qn

        self.para(self.L["toc.title"], "TOC Heading")
        p = self.para()
        fld = p._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): 'TOC \\o "1-2" \\h \\z \\u'})
        run = p.add_run(self.L["docx.toc_hint"])
        run.italic = True
        p._p.remove(run._r)
        fld.append(run._r)
        p._p.append(fld)
        self.para().add_run().add_break(WD_BREAK.PAGE)

    def summary(self) -> None:
        ctx, L, o, s = self.ctx, self.L, self.ctx.overall, self.ctx.summary
        self.heading(L["summary.title"], 1)
        self.heading(L["docx.key_figures"], 2)
        level = self.level_label(o.level, L["summary.no_level"])
        if o.gated:
            level = self.paren(level, L["summary.gated"])
        rows = [
            (L["summary.overall_level"], level),
            (L["summary.index"], self.paren(num(o.index, 2), L["summary.index_scale"])),
            (L["summary.score"], self.paren(num(o.score), L["summary.score_scale"])),
            (L["summary.coverage"], pct(o.coverage)),
        ]
        if s.strongest is not None and s.weakest is not None:
            for key, e in (("summary.strongest", s.strongest), ("summary.weakest", s.weakest)):
                rows.append((L[key], self.paren(e.name, num(e.score))))
        towards = L.fill(
            "summary.recommendations_count", n=s.recommendations, target=s.target.label
        )
        rows.append((L["summary.recommendations"], self.paren(str(s.recommendations), towards)))
        self.key_table(rows)
        if ctx.benchmark is not None:
            b = ctx.benchmark
            title = (
                self.paren(L["benchmark.title"], b.label)
                if b.illustrative
                else L["benchmark.title"]
            )
            self.heading(title, 2)
            self.para(b.headline)
            self.para(f"{b.note} {self.colon(L['benchmark.source'], b.source)}")
        self.heading(L["summary.reading_title"], 2)
        for text in s.paragraphs:
            self.para(text)
        if o.level is not None:
            self.heading(L.fill("summary.level_meaning", name=o.level.label), 2)
            self.para(o.level.description)
            for ladder in o.level.ladders:
                self.bullet(ladder.position, bold=self.colon(ladder.label, ""))

    def profile(self) -> None:
        ctx, L, o = self.ctx, self.L, self.ctx.overall
        self.heading(L["profile.title"], 1)
        rows = [
            [
                e.name,
                weight(e.weight),
                L["status.insufficient"] if e.insufficient else num(e.score),
                num(e.index, 2),
                self.level_label(e.level),
                pct(e.coverage),
            ]
            for e in ctx.elements
        ]
        rows.append(
            [
                L["trace.overall_score"],
                "",
                num(o.score),
                num(o.index, 2),
                self.level_label(o.level),
                pct(o.coverage),
            ]
        )
        header = [L[k] for k in ("table.element", *FIGURES)]
        widths = (5.0, 1.8, 2.2, 2.0, 4.0, 2.0)
        self.table(header, rows, numeric=(1, 2, 3, 5), widths=widths, bold_last_row=True)
        if ctx.progress is not None:
            self.progress()

    def progress(self) -> None:
        L, p = self.L, self.ctx.progress
        assert p is not None
        self.heading(L["progress.title"], 2)
        self.para(p.intro)

        def short(level: LevelView | None) -> str:
            return level.short if level is not None else L["misc.none"]

        rows = [
            [
                r.name,
                num(r.previous),
                num(r.current),
                ("+" if r.delta is not None and r.delta > 0 else "") + num(r.delta),
                f"{short(r.previous_level)} → {short(r.current_level)}",
            ]
            for r in (*p.elements, p.overall)
        ]
        header = [L[k] for k in ("table.element", "progress.previous", "progress.current")]
        header += [L["progress.delta"], L["progress.level"]]
        self.table(header, rows, numeric=(1, 2, 3))
        self.para(p.acted_on)
        sep = L["misc.list_sep"]
        if p.improved:
            self.para(sep.join(p.improved), bold=self.colon(L["progress.improved"], ""))
        if p.declined:
            self.para(sep.join(p.declined), bold=self.colon(L["progress.declined"], ""))
        if p.left_out:
            self.para(f"{L['progress.left_out']} {sep.join(p.left_out)}")

    def element(self, e: ElementView) -> None:
        ctx, L = self.ctx, self.L
        self.heading(f"{L.fill('element.heading', n=e.number)}{L['misc.dot']}{e.name}", 1)
        self.para(e.description)
        if e.insufficient:
            note = L.fill(
                "element.insufficient_note",
                coverage=pct(e.coverage),
                min=pct(ctx.result.min_coverage),
            )
            self.para(note, "Intense Quote")
        rows = [
            (L["table.score"], L["status.insufficient"] if e.insufficient else num(e.score)),
            (L["table.index"], num(e.index, 2)),
            (L["table.level"], self.level_label(e.level)),
            (L["table.coverage"], pct(e.coverage)),
            (
                L["table.weight"],
                L.fill("element.weight_line", weight=weight(e.weight), share=pct(e.weight_share)),
            ),
        ]
        if e.peer is not None and ctx.benchmark is not None:
            b = ctx.benchmark
            line = self.paren(e.peer.line, b.label) if b.illustrative else e.peer.line
            rows.append((L["benchmark.title"], line))
        self.key_table(rows)
        if e.level is not None:
            self.heading(L.fill("summary.level_meaning", name=e.level.label), 2)
            self.para(e.level.description)
        self.heading(L["element.criteria"], 2)
        header = [L[k] for k in ("table.criterion", *FIGURES)]
        rows_c = [
            [
                c.name,
                weight(c.weight),
                num(c.score),
                num(c.index, 2),
                self.level_label(c.level, L["status.no_score"]),
                pct(c.coverage),
            ]
            for c in e.criteria
        ]
        self.table(header, rows_c, numeric=(1, 2, 3, 5), widths=(5.0, 1.8, 2.2, 2.0, 4.0, 2.0))
        questions = [(c, q) for c in e.criteria for q in c.questions]
        if questions:
            self.heading(L["element.questions"], 2)
            header = [L[k] for k in ("table.question", "table.criterion", "table.n")]
            header += [L["table.na"], L["table.mean"], L["table.spread"]]
            rows_q = [
                [
                    f"{q.id} {q.text}",
                    c.name,
                    str(q.n),
                    str(q.not_applicable),
                    num(q.score),
                    f"{num(q.std)}; {compact(q.min)}–{compact(q.max)}"
                    if q.std is not None
                    else L["misc.none"],
                ]
                for c, q in questions
            ]
            self.table(header, rows_q, numeric=(2, 3, 4, 5), widths=(6.4, 3.4, 1.2, 1.2, 1.8, 3.0))
        noted = [(q.id, n) for _, q in questions for n in q.notes]
        if noted:
            self.heading(L["element.notes"], 2)
            for qid, n in noted:
                self.note(qid, n)

    def note(self, qid: str, n: NoteView) -> None:
        L = self.L
        p = self.bullet("", bold=f"{qid} ")
        who = self.paren(n.respondent, self.roles.get(n.respondent, n.role))
        p.add_run(_NOT_XML.sub("", who + (L["misc.colon"] + n.comment if n.comment else "")))
        if n.evidence:
            p.add_run(L["misc.dot"])
            refs = L["misc.list_sep"].join(n.evidence)
            p.add_run(_NOT_XML.sub("", self.colon(L["element.evidence"], refs)))

    def recommendations(self) -> None:
        ctx, L, s = self.ctx, self.L, self.ctx.summary
        self.heading(L["recs.title"], 1)
        if not ctx.recommendations:
            self.para(L["recs.none"])
        else:
            self.para(L.fill("recs.intro", target=s.target.label))
            rows: list[list[str]] = []
            groups: list[int] = []
            for r in ctx.recommendations:
                head = [
                    str(r.rank),
                    self.paren(r.criterion, r.element),
                    f"{r.current.short} → {r.target.short}",
                    num(r.priority, 2),
                ]
                for a in r.actions:
                    rows.append([*head, a.text, a.effort_label, a.phase, a.owner])
                if not r.actions:
                    rows.append([*head, L["recs.no_actions"], "", "", ""])
                groups += [r.rank] * max(1, len(r.actions))
            header = [L[k] for k in ("table.rank", "table.criterion", "table.current_target")]
            header += [L[k] for k in ("table.priority", "plan.action", "table.effort")]
            header += [L["table.phase"], L["table.owner"]]
            self.table(
                header,
                rows,
                numeric=(0, 3),
                widths=(0.8, 3.0, 1.5, 1.3, 4.4, 1.8, 2.2, 2.0),
                merge=(0, 1, 2, 3),
                groups=groups,
            )
        if ctx.unassessed:
            self.para(f"{L['recs.unassessed']} {L['misc.list_sep'].join(ctx.unassessed)}")

    def roadmap(self) -> None:
        L = self.L
        self.heading(L["roadmap.title"], 1)
        self.para(L["roadmap.intro"])
        for phase in self.ctx.roadmap:
            self.heading(f"{L.fill('roadmap.phase', n=phase.order)}{L['misc.dot']}{phase.name}", 2)
            if phase.description:
                self.para(phase.description)
            self.para(phase.counts).runs[-1].italic = True
            for a in phase.actions:
                detail = a.criterion + L["misc.dot"] + self.colon(L["table.owner"], a.owner)
                self.bullet(self.paren(a.text, detail), bold=f"[{a.effort_label}] ")
            if not phase.actions:
                self.bullet(L["roadmap.empty"])

    def certification(self) -> None:
        c, L, i = self.ctx.certification, self.L, self.ctx.inputs
        if c is None:
            return
        self.heading(L["cert.title"], 1)
        self.para(c.marker_note, bold=f"{c.marker} — ")
        p = self.para(c.verdict)
        p.runs[0].bold = True
        version = L.fill(
            "cert.rules_version",
            version=c.rules_version,
            framework=i.framework_id,
            framework_version=i.framework_version,
        )
        p.add_run(L["misc.dot"] + version)
        self.para(c.description)
        self.para(f"{L['cert.how']} {c.evidence}")
        header = [L[k] for k in ("table.level", "cert.rule", "cert.required")]
        header += [L["cert.actual"], L["cert.outcome"]]
        rows = [
            [lv.level.short, r.text, r.required, r.actual, r.outcome]
            for lv in c.levels
            for r in lv.rules
        ]
        self.table(header, rows, widths=(1.2, 7.8, 3.0, 3.0, 2.0))

    def methodology(self) -> None:
        ctx, L, m, i = self.ctx, self.L, self.ctx.methodology, self.ctx.inputs
        self.heading(L["method.title"], 1)
        self.heading(L["method.scoring"], 2)
        self.para(m.scoring)
        self.para(m.settings)
        self.heading(L["method.gating"], 2)
        self.para(m.gating)
        self.heading(L["method.levels"], 2)
        header = [L[k] for k in ("table.level", "table.min_index", "table.min_score")]
        rows = [
            [lv.label, num(lv.min_index, 2), num(lv.min_score, 0), lv.description]
            for lv in m.levels
        ]
        self.table([*header, L["table.description"]], rows, numeric=(1, 2), widths=(3.5, 2, 2, 9.5))
        self.heading(L["method.weighting"], 2)
        self.para(m.weighting)
        rows = [[e.name, weight(e.weight), pct(e.weight_share, 1)] for e in ctx.elements]
        header = [L[k] for k in ("table.element", "table.weight", "table.weight_share")]
        self.table(header, rows, numeric=(1, 2))
        self.heading(L["method.respondents"], 2)
        header = [L[k] for k in ("table.respondent", "table.role", "table.department")]
        rows = [
            [p.id, p.role, p.department or L["misc.none"], str(p.answered), str(p.not_applicable)]
            for p in ctx.respondents
        ]
        self.table([*header, L["table.answered"], L["table.na"]], rows, numeric=(3, 4))
        self.heading(L["method.inputs"], 2)
        self.para(L["method.inputs_note"])
        header = [L[k] for k in ("table.input", "table.id", "table.version", "table.sha256")]
        rows = [
            [L["method.framework_file"], i.framework_id, i.framework_version, i.framework_sha256],
            [
                L["method.questionnaire_file"],
                i.questionnaire_id,
                i.questionnaire_version,
                i.questionnaire_sha256,
            ],
            [L["method.responses_file"], i.responses_file, L["misc.none"], i.responses_sha256],
        ]
        self.table(header, rows, widths=(3.0, 3.5, 1.5, 9.0), small=(3,))
