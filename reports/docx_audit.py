"""The consultant's audit in the Word report (reports/audit_view.py): the intention and
reality section with its chart as a picture, the assessor's ratings, the evidence register
and the workshops, written as the PDF shows them."""

from __future__ import annotations

import io

from .audit_view import MARK, AuditView, OverrideRow
from .docx_appendices import AppendixWriter
from .docx_writer import DENSE_PT, TEXT_WIDTH_CM
from .formatting import num, weight

CHART_WIDTH_CM = 16.0


def chart_png(chart: str, width_cm: float) -> bytes:
    """An SVG chart as a PNG at print resolution, drawn as the PDF draws it
    (reports/deck_charts.py: WeasyPrint with the bundled fonts, then PDFium)."""
    from markupsafe import Markup

    from .deck_charts import Chart, chart_pngs

    return chart_pngs([Chart(Markup(chart), width_cm / 2.54)])[0]


class AuditWriter(AppendixWriter):
    """The audit's sections; each writes nothing for a report without them."""

    @property
    def audit(self) -> AuditView | None:
        return self.ctx.audit

    def mark(self, text: str, marked: bool) -> str:
        return text + MARK if marked else text

    def intention_reality(self) -> None:
        au, L = self.audit, self.L
        if au is None or not au.has_dimensions or au.dimensions is None:
            return
        d = au.dimensions
        self.heading(L["audit.title"], 1)
        self.para(L["audit.intro"])
        self.key_table(
            [
                (d.intention, d.intention_description),
                (d.reality, d.reality_description),
                (L["audit.rule"], f"{d.rule} {d.finding_rule}"),
            ]
        )
        if au.chart:
            from docx.shared import Cm

            png = chart_png(str(au.chart), CHART_WIDTH_CM)
            self.doc.add_picture(io.BytesIO(png), width=Cm(CHART_WIDTH_CM))
            self.para(L["audit.chart_intro"]).runs[-1].italic = True
        self.heading(L["audit.findings"], 2)
        if au.findings:
            for g in au.findings:
                self.bullet(self.mark(g.text, g.marked))
        else:
            self.para(L.fill("audit.findings_none", gap=num(d.finding_gap)))
        if au.elements:
            self.heading(L["audit.elements"], 2)
            header = [L["table.element"], d.intention, d.reality, L["audit.gap"]]
            rows = [[e.name, num(e.intention), num(e.reality), num(e.gap)] for e in au.elements]
            self.table(header, rows, numeric=(1, 2, 3), widths=(8.0, 3.0, 3.0, 3.0))
            self.para(L["audit.elements_intro"]).runs[-1].italic = True
        self.heading(L["audit.gaps"], 2)
        self.para(L["audit.gaps_intro"])
        header = [L["audit.key"], L["table.criterion"], d.intention, d.reality]
        header += [L["audit.gap"], L["table.score"], L["table.level"]]
        rows = [
            [
                g.key,
                f"{g.criterion}\n{g.element}",
                self.mark(num(g.intention), "intention" in g.overridden),
                self.mark(num(g.reality), "reality" in g.overridden),
                num(g.gap),
                self.mark(num(g.score), g.marked),
                g.level.short if g.level is not None else L["misc.none"],
            ]
            for g in au.gaps
        ]
        widths = (1.2, 6.0, 2.1, 2.1, 2.0, 2.0, 1.6)
        self.table(header, rows, numeric=(2, 3, 4, 5), widths=widths)
        if any(g.marked for g in au.gaps):
            self.para(au.mark_note).runs[-1].italic = True

    def ratings_rows(self, rows: tuple[OverrideRow, ...]) -> list[list[str]]:
        L = self.L
        out = []
        for o in rows:
            target = f"{o.criterion}{MARK}\n{o.dimension}"
            if o.entries > 1:
                target += f"\n{L['audit.entries']}{L['misc.colon']}{o.entries}"
            before = L["audit.no_before"] if o.before is None else num(o.before)
            evidence = "\n".join(
                ev.id + (f" {ev.title}{L.fill('misc.paren', text=ev.status)}" if ev.title else "")
                for ev in o.evidence
            )
            out.append(
                [
                    target,
                    f"{before} → {num(o.after)}\n{L['audit.rating']} {o.rating}",
                    f"{o.by}\n{o.at}",
                    o.reason,
                    evidence,
                ]
            )
        return out

    def audit_annex(self) -> None:
        """The assessor's ratings (and the trail's earlier entries), the evidence register
        and the certification's accepted-evidence rule."""
        au, L = self.audit, self.L
        if au is None:
            return
        header = [L[k] for k in ("audit.target_col", "audit.before_after", "audit.by_at")]
        header += [L["audit.reason"], L["audit.evidence"]]
        widths = (3.4, 2.4, 3.2, 4.4, 3.6)
        if au.overrides or au.superseded:
            self.heading(L["audit.overrides"], 1)
            self.para(L["audit.overrides_intro"])
            self.para(au.mark_note).runs[-1].italic = True
            rows = self.ratings_rows(au.overrides)
            self.table(header, rows, numeric=(1,), widths=widths, size=DENSE_PT)
            if au.superseded:
                self.heading(L["audit.superseded"], 2)
                self.para(L["audit.superseded_intro"])
                rows = self.ratings_rows(au.superseded)
                self.table(header, rows, numeric=(1,), widths=widths, size=DENSE_PT)
        if au.register:
            self.heading(L["audit.register"], 1)
            self.para(L["audit.register_intro"])
            header = [L[k] for k in ("table.id", "audit.title_col", "audit.source")]
            header += [L["audit.criteria"], L["audit.status"]]
            rows = []
            for e in au.register:
                title = f"{e.title}\n{e.kind}{L['misc.dot']}{e.date}"
                if e.location:
                    title += f"\n{e.location}"
                status = e.status + (f"\n{e.reason}" if e.reason else "")
                if e.reviewer:
                    status += f"\n{L['audit.reviewer']}{L['misc.colon']}{e.reviewer}"
                rows.append(
                    [
                        e.id,
                        title,
                        e.source or L["misc.none"],
                        L["misc.list_sep"].join(e.criteria),
                        status,
                    ]
                )
            widths = (1.6, 5.4, 3.0, 3.0, 4.0)
            self.table(header, rows, widths=widths, size=DENSE_PT)
            for r in au.evidence_rules:
                self.heading(f"{L['audit.evidence_rules']}{L['misc.dot']}{r.level.label}", 2)
                counts = L.fill("audit.evidence_counts", actual=r.actual, required=r.required)
                self.para(f"{r.text}{L['misc.colon']}{counts}{L['misc.dot']}{r.outcome}")
                if r.missing:
                    names = L["misc.list_sep"].join(r.missing)
                    self.para(L.fill("audit.evidence_missing", names=names), "Intense Quote")
                else:
                    self.para(L["audit.evidence_complete"])

    def workshops(self) -> None:
        """Each workshop with its participants and its answers beside the individuals'."""
        au, L = self.audit, self.L
        if au is None or not au.workshops:
            return
        self.heading(L["audit.workshops"], 2)
        self.para(L["audit.workshops_intro"])
        for w in au.workshops:
            title = w.name + (f"{L['misc.dot']}{w.department}" if w.department else "")
            self.para(bold=title)
            self.para(
                L.fill("audit.workshop_line", role=w.role, weight=weight(w.weight), count=w.count)
            )
            if w.participants:
                names = L["misc.list_sep"].join(w.participants)
                self.para(names, bold=self.colon(L["audit.participants"], ""))
            header = [L["table.question"], L["audit.workshop_answer"], L["audit.individuals"]]
            header += [L["table.n"], L["audit.difference"]]
            rows = [
                [
                    f"{a.question}{L['misc.dot']}{a.criterion}\n{a.text}",
                    num(a.workshop),
                    num(a.individuals),
                    str(a.n),
                    num(a.difference),
                ]
                for a in w.answers
            ]
            widths = (TEXT_WIDTH_CM - 9.0, 2.4, 2.4, 1.6, 2.6)
            self.table(header, rows, numeric=(1, 2, 3, 4), widths=widths, size=DENSE_PT)
