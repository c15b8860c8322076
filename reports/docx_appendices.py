"""The appendices of the Word report: calculation trace, respondents and their agreement,
full answers, glossary (methodology, appendix A, lives with the report's sections)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .docx_writer import DENSE_PT, TEXT_WIDTH_CM, DocxWriter
from .formatting import icc, num, spread

if TYPE_CHECKING:
    from .appendix import AnswerTable, GlossaryItem

ANSWER_COLUMN_CM = (1.3, 2.2)  # a respondent's column in the full answers: least, most


class AppendixWriter(DocxWriter):
    """Appendices B-E, and the respondents table that methodology also uses."""

    def workshops(self) -> None:
        """Workshops beside the individual answers (reports/docx_audit.py); none here."""

    def respondents_table(self) -> None:
        L = self.L
        header = [L[k] for k in ("table.respondent", "table.role", "table.department")]
        audit = self.ctx.audit
        workshops = {w.id for w in audit.workshops} if audit is not None else set()
        kind = f" ({L['audit.kind_workshop']})"
        rows = [
            [
                p.id
                + (kind if p.id in workshops else "")
                + ("" if p.counts else f" ({L['respondent.not_counted']})"),
                p.role,
                p.department or L["misc.none"],
                str(p.answered),
                str(p.not_applicable),
            ]
            for p in self.ctx.respondents
        ]
        self.table([*header, L["table.answered"], L["table.na"]], rows, numeric=(3, 4))

    def trace(self) -> None:
        """Appendix B: how every score was computed."""
        L, t = self.L, self.ctx.trace
        self.heading(L["trace.title"], 1)
        self.para(L["trace.intro"])
        self.heading(L["trace.overall"], 2)
        rows = [(L["trace.overall_score"], t.overall)]
        if t.gating is not None:
            rows.append((L["trace.level_rule"], t.gating))
        self.key_table(rows)
        parts = (
            (L["trace.elements"], L["table.name"], t.elements),
            (L["trace.criteria"], L["table.name"], t.criteria),
            (L["trace.questions"], L["table.criterion"], t.questions),
        )
        for title, name, trace_rows in parts:
            self.heading(title, 2)
            header = [L["table.id"], name, L["table.score"], L["table.formula"]]
            rows_t = [
                [r.id, r.name, num(r.score, 2) + ("†" if r.marked else ""), r.formula]
                for r in trace_rows
            ]
            widths = (2.4, 3.4, 1.8, 9.4)
            self.table(header, rows_t, numeric=(2,), widths=widths, small=(3,), size=DENSE_PT)

    def appendix_respondents(self) -> None:
        """Appendix C: the respondents, the questions they agree on least, agreement by
        element (tables; the PDF's chart is left out)."""
        a, L = self.ctx.appendix_respondents, self.L
        if a is None:
            return
        self.heading(L["appx.respondents.title"], 1)
        self.heading(L["appx.respondents.list"], 2)
        if a.by_role:
            self.para(a.too_many)
            header = [L[k] for k in ("table.role", "table.respondents_count")]
            header += [L["table.mean_answered"], L["table.mean_na"]]
            rows = [
                [r.role, str(r.respondents), num(r.answered, 1), num(r.not_applicable, 1)]
                for r in a.by_role
            ]
            self.table(header, rows, numeric=(1, 2, 3))
        else:
            self.respondents_table()
        self.workshops()
        if not a.enough:
            self.para(a.note, "Intense Quote")
            return
        self.heading(L["appx.lowest.title"], 2)
        if a.questions:
            self.para(L.fill("appx.lowest.intro", cutoff=num(a.cutoff, 2)))
            header = [L[k] for k in ("table.question", "table.n", "table.mean", "table.spread")]
            header += [L[k] for k in ("table.rwg", "table.by_role")]
            sep = L["misc.list_sep"]
            rows = [
                [
                    f"{q.id}{L['misc.dot']}{q.element}"
                    + (f" [{L['appx.low']}]" if q.low else "")
                    + f"\n{q.text}",
                    str(q.n),
                    num(q.mean),
                    spread(q.sd, q.min, q.max),
                    num(q.rwg, 2),
                    sep.join(f"{m.role} {num(m.mean, 0)}" for m in q.by_role),
                ]
                for q in a.questions
            ]
            widths = (6.0, 1.1, 1.5, 3.1, 1.4, 3.9)
            self.table(header, rows, numeric=(1, 2, 3, 4), widths=widths, size=DENSE_PT)
        else:
            self.para(L["appx.lowest.none"])
        self.heading(L["appx.groups.title"], 2)
        self.para(a.reading)
        header = [L[k] for k in ("table.element", "table.items", "table.rwg_j")]
        header += [L["table.icc1"], L["table.icc2"]]
        groups = [*a.elements, *([a.overall] if a.overall is not None else [])]
        rows = [
            [
                g.name + (f" [{L['appx.low']}]" if g.low else ""),
                str(g.items),
                num(g.rwg_j, 2),
                icc(g.icc1),
                icc(g.icc2),
            ]
            for g in groups
        ]
        self.table(
            header,
            rows,
            numeric=(1, 2, 3, 4),
            widths=(7.0, 1.6, 2.8, 2.8, 2.8),
            bold_last_row=a.overall is not None,
        )
        self.para(L["appx.groups.note"]).runs[-1].italic = True

    def appendix_answers(self) -> None:
        """Appendix D: every answer, as many tables as the PDF (PER_TABLE respondents each)."""
        a, L = self.ctx.appendix_answers, self.L
        if a is None:
            return
        self.heading(L["appx.answers.title"], 1)
        self.para(a.intro)
        for t in a.tables:
            if t.caption:
                self.heading(t.caption, 2)
            self.answers_table(t)
        if a.texts:
            self.heading(L["appx.answers.texts"], 2)
        for q in a.texts:
            self.para(bold=f"{q.id} {q.text}")
            for s in (s for g in q.roles for s in g.items):
                who = f"{s.respondent}{L['misc.dot']}{s.role}"
                self.bullet(s.text, bold=who + L["misc.colon"])

    def answers_table(self, t: AnswerTable) -> None:
        L = self.L
        n = len(t.respondents)
        least, most = ANSWER_COLUMN_CM
        each = max(least, min(most, (TEXT_WIDTH_CM - 6.0) / max(1, n)))
        widths = (TEXT_WIDTH_CM - each * n, *([each] * n))
        header = [L["table.question"], *(f"{p.id}\n{p.role}" for p in t.respondents)]
        rows: list[list[str]] = []
        spans: list[int] = []
        for g in t.groups:
            spans.append(len(rows))
            rows.append([g.element, *([""] * n)])
            for row in g.rows:
                cells = [c.value + (f"\n{c.score}" if c.score else "") for c in row.cells]
                rows.append([f"{row.id} {row.text}", *cells])
        self.table(header, rows, widths=widths, spans=spans, size=DENSE_PT)

    def glossary(self) -> None:
        """Appendix E: the terms this report uses and the model's elements."""
        g, L = self.ctx.glossary, self.L
        if g is None:
            return
        self.heading(L["appx.glossary.title"], 1)
        self.para(g.intro)
        for title, items in (
            (L["appx.glossary.terms"], g.terms),
            (L["appx.glossary.elements"], g.elements),
        ):
            self.heading(title, 2)
            header = [L["appx.glossary.term"], L["appx.glossary.definition"]]
            self.table(header, [self.gloss_row(t) for t in items], widths=(4.5, 12.5))

    def gloss_row(self, t: GlossaryItem) -> list[str]:
        L = self.L
        source = L.fill("misc.paren", text=self.colon(L["appx.glossary.source"], t.source))
        return [f"{t.term}\n{t.other}" if t.other else t.term, f"{t.definition} {source}"]
