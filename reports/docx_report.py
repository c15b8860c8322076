"""The report as an editable Word document (DOCX), built from the same ReportContext.

For consultants who rewrite the narrative: real Heading 1/2 styles (navigation pane, table of
contents), styled tables instead of charts, the document language and an East-Asian font set
on the styles, and core properties dated by the assessment, not by the moment of writing.
python-docx is imported only when a document is made.
"""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

from jinja2 import Environment

from .docx_audit import AuditWriter
from .docx_writer import DENSE_PT, xml_safe
from .formatting import exact, num, pct, spread, weight
from .ooxml import core_text, stable_zip, stamp
from .views import ElementView, LevelView, NoteView, PhaseView, ReportContext

if TYPE_CHECKING:
    from docx.document import Document

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIGURES = ("table.weight", "table.score", "table.index", "table.level", "table.coverage")
FIGURE_WIDTHS = (4.6, 2.0, 2.0, 2.0, 3.9, 2.5)
HEADING_STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "TOC Heading")
PNG_DATA_URL = "data:image/png;base64,"
LOGO_WIDTH_CM = 4.0


def render_docx(ctx: ReportContext, env: Environment) -> bytes:
    """The report as a DOCX file (the template environment is not used)."""
    return docx_bytes(ctx)


def brand_color(ctx: ReportContext) -> str | None:
    """The brand's primary colour as it is used for text (`RRGGBB`), if the brand sets one."""
    color = dict(ctx.brand.css).get("--primary-text")
    return None if color is None else color.lstrip("#").upper()


def png_logo(ctx: ReportContext) -> bytes | None:
    """The brand's logo if it is a PNG (Word documents here take no SVG logo)."""
    logo = ctx.brand.logo
    if logo is None or not logo.startswith(PNG_DATA_URL):
        return None
    return base64.b64decode(logo[len(PNG_DATA_URL) :])


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


class _Writer(AuditWriter):
    """Writes the sections of the report, in the order of the PDF, into one document."""

    def __init__(self, ctx: ReportContext, doc: Document) -> None:
        super().__init__(ctx, doc)
        self.roles = {p.id: p.role for p in ctx.respondents}

    def write(self) -> None:
        self.setup()
        self.title_page()
        self.contents()
        self.summary()
        self.profile()
        for e in self.ctx.elements:
            self.element(e)
        self.intention_reality()
        self.own_words()
        self.recommendations()
        self.roadmap()
        self.certification()
        self.audit_annex()
        self.methodology()
        self.trace()
        self.appendix_respondents()
        self.appendix_answers()
        self.glossary()

    def setup(self) -> None:
        """The page and language, core properties, header and footer, brand colours."""
        from docx.oxml.ns import qn

        super().setup()
        ctx, c = self.ctx, self.ctx.cover
        section = self.doc.sections[0]
        props = self.doc.core_properties
        props.title = core_text(f"{ctx.title} — {c.organization}")
        props.author = core_text(c.assessor if c.assessor is not None else c.organization)
        subject = f"{c.framework} {c.framework_version} — {c.date}"
        props.subject = core_text(subject if ctx.subject is None else f"{ctx.subject} — {subject}")
        props.keywords = core_text(", ".join([*ctx.keywords, ctx.inputs.framework_id]))
        props.language = ctx.lang
        props.comments = ctx.generator
        props.category = ctx.inputs.framework_id
        props.last_modified_by = "crmm"
        props.revision = 1
        props.created = props.modified = stamp(ctx.result.date)
        b = ctx.brand
        if b.name is not None:
            section.header.paragraphs[0].text = xml_safe(b.name)
        footer = section.footer.paragraphs[0]
        branded = [t for t in (b.confidentiality, b.footer) if t is not None]
        if branded:
            footer.text = xml_safe(self.L["misc.dot"].join(branded))
            footer = section.footer.add_paragraph()
        footer.text = (
            f"{c.organization}{self.L['misc.dot']}{ctx.inputs.framework_id}"
            f" {ctx.inputs.framework_version}{self.L['misc.dot']}"
            f"{self.L['footer.responses']} {ctx.inputs.responses_short}…   "
        )
        page = footer._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): "PAGE"})
        footer._p.append(page)
        color = brand_color(ctx)
        if color is not None:
            from docx.shared import RGBColor

            for name in HEADING_STYLES:
                self.doc.styles[name].font.color.rgb = RGBColor.from_string(color)

    def title_page(self) -> None:
        from docx.enum.text import WD_BREAK
        from docx.shared import Cm

        ctx, c, L = self.ctx, self.ctx.cover, self.L
        logo = png_logo(ctx)
        if logo is not None:
            self.doc.add_picture(io.BytesIO(logo), width=Cm(LOGO_WIDTH_CM))
        if ctx.brand.name is not None:
            self.para(ctx.brand.name, "Subtitle")
        self.para(ctx.title, "Title")
        if ctx.subtitle is not None:
            self.para(ctx.subtitle, "Subtitle")
        self.para(c.organization, "Subtitle")
        o, pv = ctx.overall, ctx.summary.provisional
        level = self.level_label(o.level, L["summary.no_level"])
        label = L["summary.overall_level"] if pv is None else pv.level_label
        self.para(level, bold=self.colon(label, ""))
        if pv is not None:
            self.para(pv.missing, bold=self.colon(pv.title, ""))
            self.para(pv.todo)
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
                (L["cover.respondents"], L.plural("cover.respondents_count", c.respondents)),
            ]
        )
        if ctx.brand.confidentiality is not None:
            self.para(bold=ctx.brand.confidentiality)
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
        x, pv = ctx.executive, s.provisional
        if pv is not None:
            self.para(pv.missing, bold=self.colon(pv.title, ""))
            self.para(f"{pv.meaning}{'' if ctx.lang == 'zh-CN' else ' '}{pv.todo}")
        for text in x.headline if x is not None else ():
            self.para(text)
        self.heading(L["docx.key_figures"], 2)
        level = self.level_label(o.level, L["summary.no_level"])
        if o.gated:
            level = self.paren(level, L["summary.gated"])
        rows = [
            (L["summary.overall_level"] if pv is None else pv.level_label, level),
            (L["summary.index"], self.paren(num(o.index, 2), L["summary.index_scale"])),
            (L["summary.score"], self.paren(num(o.score), L["summary.score_scale"])),
            (L["summary.coverage"], pct(o.coverage)),
        ]
        if s.strongest is not None and s.weakest is not None and s.strongest is not s.weakest:
            for key, e in (("summary.strongest", s.strongest), ("summary.weakest", s.weakest)):
                rows.append((L[key], self.paren(e.name, num(e.score))))
        towards = L.fill(
            "summary.recommendations_count", n=s.recommendations, target=s.target.label
        )
        rows.append((L["summary.recommendations"], self.paren(str(s.recommendations), towards)))
        self.key_table(rows)
        if ctx.audit is not None and ctx.audit.summary:
            self.para(ctx.audit.summary)
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
        if x is not None:
            self.executive()

    def executive(self) -> None:
        """Strengths, priorities with their first action, the roadmap in a line."""
        L, s, x = self.L, self.ctx.summary, self.ctx.executive
        assert x is not None
        self.heading(L["exec.strengths"], 2)
        if x.strengths:
            self.para(L["exec.strengths_note"]).runs[-1].italic = True
            header = [L[k] for k in ("table.criterion", "table.element", "table.score")]
            rows = [
                [t.criterion, t.element, num(t.score) + ("†" if t.marked else ""), t.level.label]
                for t in x.strengths
            ]
            widths = (5.5, 4.5, 2.0, 5.0)
            self.table([*header, L["table.level"]], rows, numeric=(2,), widths=widths)
        else:
            self.para(L.fill("exec.no_strengths", target=s.target.label))
        self.heading(L["exec.priorities"], 2)
        if x.priorities:
            self.para(L["exec.priorities_note"]).runs[-1].italic = True
            rows = []
            for pr in x.priorities:
                a = pr.first_action
                if a is None:
                    first = L["recs.no_actions"]
                else:
                    meta = [a.horizon, self.colon(L["table.owner"], a.owner)]
                    if pr.more_actions:
                        meta.append(L.plural("exec.more_actions", pr.more_actions))
                    first = f"[{a.effort_label}] {a.text}\n{L['misc.dot'].join(meta)}"
                rows.append(
                    [
                        str(pr.rank),
                        f"{pr.criterion}\n{pr.element}",
                        f"{pr.current.short} → {pr.target.short}\n{pr.target.name}",
                        first,
                    ]
                )
            header = [L[k] for k in ("table.rank", "table.criterion", "table.current_target")]
            widths = (1.2, 4.0, 2.6, 9.2)
            self.table(
                [*header, L["exec.first_action"]], rows, numeric=(0,), widths=widths, size=DENSE_PT
            )
        else:
            self.para(L["recs.none"])
        self.heading(L["exec.roadmap"], 2)
        self.para(x.roadmap_line)
        foot = []
        if s.recommendations_line:
            foot.append(s.recommendations_line)
        if x.steps:
            foot.append(L["exec.roadmap_note"])
        if foot:
            self.para(" ".join(foot)).runs[-1].italic = True

    def reading(self) -> None:
        """What the result means: the summary's findings and the overall level described."""
        L, o, x = self.L, self.ctx.overall, self.ctx.executive
        findings = x.findings if x is not None else self.ctx.summary.paragraphs
        if findings:
            self.heading(L["summary.reading_title"], 2)
            for text in findings:
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
                e.name + (f" ({L['status.mostly_na']})" if e.mostly_na else ""),
                weight(e.weight),
                e.status_label if e.insufficient else num(e.score),
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
        self.table(header, rows, numeric=(1, 2, 3, 5), widths=FIGURE_WIDTHS, bold_last_row=True)
        self.reading()
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
        for note in (e.status_note, e.na_note):
            if note:
                self.para(note, "Intense Quote")
        rows = [
            (L["table.score"], e.status_label if e.insufficient else num(e.score)),
            (L["table.index"], num(e.index, 2)),
            (L["table.level"], self.level_label(e.level)),
            (L["table.coverage"], pct(e.coverage)),
            (
                L["table.weight"],
                L.fill("element.weight_line", weight=weight(e.weight), share=pct(e.weight_share)),
            ),
        ]
        au = ctx.audit
        if au is not None and au.has_dimensions and au.dimensions is not None:
            for x in au.elements:
                if x.id == e.id and x.gap is not None:
                    rows.append((au.dimensions.intention, num(x.intention)))
                    rows.append((au.dimensions.reality, num(x.reality)))
                    rows.append((L["audit.gap"], num(x.gap)))
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
                num(c.score) + ("†" if c.overridden else ""),
                num(c.index, 2),
                self.level_label(c.level, L[c.status_key]),
                pct(c.coverage),
            ]
            for c in e.criteria
        ]
        self.table(header, rows_c, numeric=(1, 2, 3, 5), widths=FIGURE_WIDTHS)
        if ctx.audit is not None and any(c.overridden for c in e.criteria):
            self.para(ctx.audit.mark_note).runs[-1].italic = True
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
                    spread(q.std, q.min, q.max) if q.std is not None else L["misc.none"],
                ]
                for c, q in questions
            ]
            widths: tuple[float, ...] = (6.4, 3.4, 1.2, 1.2, 1.8, 3.0)
            numeric: tuple[int, ...]
            if self.ctx.one_respondent:  # one answer each: no count, no spread
                keep = (0, 1, 3, 4)
                header = [header[i] for i in keep]
                rows_q = [[row[i] for i in keep] for row in rows_q]
                widths, numeric = (8.6, 5.0, 1.6, 1.8), (2, 3)
            else:
                numeric = (2, 3, 4, 5)
            self.table(header, rows_q, numeric=numeric, widths=widths)
        noted = [(q.id, n) for _, q in questions for n in q.notes]
        if noted:
            self.heading(L["element.notes"], 2)
            for qid, n in noted:
                self.note(qid, n)
        for t in (t for c in e.criteria for t in c.texts):
            self.heading(self.colon(L["element.texts"], f"{t.id} {t.text}"), 2)
            if t.note:
                self.para(t.note)
            for s in (s for g in t.roles for s in g.items):
                self.said(s.text, f"{s.respondent}{L['misc.dot']}{s.role}")

    def said(self, text: str, who: str) -> None:
        """A respondent's text in full, as a quotation, and who wrote it."""
        self.para(text, "Quote").add_run(xml_safe("\n— " + who))

    def own_words(self) -> None:
        """What respondents wrote, by question and role (reports/own_words.py)."""
        w, L = self.ctx.own_words, self.L
        if w is None:
            return
        self.heading(L["own_words.title"], 1)
        self.para(w.intro)
        if w.selection:
            self.para(w.selection, "Intense Quote")
        for q in w.questions:
            self.heading(f"{q.id} {q.text}", 2)
            kind = L["own_words.free_text" if q.free_text else "own_words.comments"]
            self.para(f"{q.element}{L['misc.dot']}{kind}").runs[-1].italic = True
            if q.note:
                self.para(q.note)
            for g in q.roles:
                self.para(bold=g.role)
                for s in g.items:
                    self.said(s.text, s.respondent)

    def note(self, qid: str, n: NoteView) -> None:
        L = self.L
        p = self.bullet("", bold=f"{qid} ")
        who = self.paren(n.respondent, self.roles.get(n.respondent, n.role))
        p.add_run(xml_safe(who + (L["misc.colon"] + n.comment if n.comment else "")))
        if n.evidence:
            p.add_run(L["misc.dot"])
            refs = L["misc.list_sep"].join(n.evidence)
            p.add_run(xml_safe(self.colon(L["element.evidence"], refs)))

    def recommendations(self) -> None:
        ctx, L, s = self.ctx, self.L, self.ctx.summary
        self.heading(L["recs.title"], 1)
        if not ctx.recommendations:
            self.para(L["recs.none"])
        else:
            self.para(L.fill("recs.intro", target=s.target.label))
            self.para(L["recs.horizon_note"]).runs[-1].italic = True
            if any(r.kind for r in ctx.recommendations):
                self.para(L["recs.kind_note"]).runs[-1].italic = True
            rows: list[list[str]] = []
            groups: list[int] = []
            for r in ctx.recommendations:
                levels = f"{r.current.short} → {r.target.short}"
                priority = f"{L['table.priority']} {num(r.priority, 2)}"
                criterion = f"{r.criterion}\n{r.element}\n{levels}{L['misc.dot']}{priority}"
                if r.kind:
                    criterion += f"\n{r.kind_label}"
                for a in r.actions:
                    meta = L.fill("recs.action_level", n=a.level)
                    if a.phase_order:
                        meta += L["misc.dot"] + L.fill("roadmap.phase", n=a.phase_order)
                    text = f"{a.text}\n{meta}"
                    rows.append([str(r.rank), text, criterion, a.effort_label, a.horizon, a.owner])
                if not r.actions:
                    rows.append([str(r.rank), L["recs.no_actions"], criterion, "", "", ""])
                groups += [r.rank] * max(1, len(r.actions))
            header = [L[k] for k in ("table.priority_rank", "table.action", "table.criterion")]
            header += [L[k] for k in ("table.effort", "table.horizon", "table.suggested_owner")]
            self.table(
                header,
                rows,
                numeric=(0,),
                widths=(1.2, 5.8, 3.4, 2.1, 2.1, 2.4),
                merge=(0, 2),
                groups=groups,
                size=DENSE_PT,
            )
        if ctx.unassessed:
            self.para(f"{L['recs.unassessed']} {L['misc.list_sep'].join(ctx.unassessed)}")

    def roadmap(self) -> None:
        L = self.L
        self.heading(L["roadmap.title"], 1)
        ctx = self.ctx
        if ctx.phased:
            n = len(ctx.roadmap)
            self.para(L.fill("roadmap.intro", n=n, framework=ctx.cover.framework))
        else:
            self.para(L["roadmap.intro_by_effort"])
        for phase in ctx.roadmap:
            number = f"{L.fill('roadmap.phase', n=phase.order)}{L['misc.dot']}"
            self.heading(f"{number if ctx.phased else ''}{phase.name}", 2)
            if phase.description:
                self.para(phase.description)
            if phase.actions:
                if phase.counts:
                    self.para(phase.counts).runs[-1].italic = True
                self.phase_table(phase)
            else:
                self.para(L["roadmap.empty"]).runs[-1].italic = True

    def phase_table(self, phase: PhaseView) -> None:
        L = self.L
        header = [L[k] for k in ("table.effort", "table.horizon", "table.actions")]
        header += [L["table.criterion"], L["table.owner"]]
        rows = [
            [
                a.effort_label,
                a.horizon,
                a.text,
                (f"{a.rank} " if a.rank else "") + f"{a.criterion}\n{a.element}",
                a.owner,
            ]
            for a in phase.actions
        ]
        self.table(header, rows, widths=(2.2, 2.2, 6.2, 3.8, 2.6), size=DENSE_PT)

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
            [lv.label, num(lv.min_index, 2), exact(lv.min_score), lv.description] for lv in m.levels
        ]
        self.table([*header, L["table.description"]], rows, numeric=(1, 2), widths=(3.5, 2, 2, 9.5))
        self.para(m.levels_note)
        self.heading(L["method.weighting"], 2)
        self.para(m.weighting)
        rows = [[e.name, weight(e.weight), pct(e.weight_share, 1)] for e in ctx.elements]
        header = [L[k] for k in ("table.element", "table.weight", "table.weight_share")]
        self.table(header, rows, numeric=(1, 2))
        if ctx.appendix_respondents is None:  # otherwise listed in appendix C
            self.heading(L["method.respondents"], 2)
            self.respondents_table()
        if ctx.benchmark is not None:
            self.heading(L["benchmark.title"], 2)
            self.para(ctx.benchmark.method)
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
        self.table(header, rows, widths=(3.0, 3.0, 2.0, 9.0), small=(3,))
