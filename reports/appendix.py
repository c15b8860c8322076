"""The report's last appendices: respondents and where they disagree, every answer, glossary.

Agreement figures come from `assessment.agreement` (imported here lazily: it needs pandas);
this module only arranges and labels them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from markupsafe import Markup

from frameworks.fileio import parse_data, validate_as
from frameworks.model import GlossaryTerm, Strict
from frameworks.text import Lang, Text
from questionnaires.model import Question
from questionnaires.types import NA, YPN_LABELS, score_value

from .disagreement import SpreadRow, spread_svg
from .formatting import num
from .paths import STATIC_DIR
from .views import ReportContext, RespondentView

if TYPE_CHECKING:
    from assessment.agreement import Agreement, QuestionAgreement
    from assessment.response_columns import TableResponses
    from assessment.responses import Responses

    from .context import _Builder
    from .own_words import SaidQuestion

GLOSSARY_FILE = STATIC_DIR / "glossary.yaml"
PER_TABLE = 8
LIST_LIMIT = 40
"""Respondents listed one by one, and every answer shown, up to this many respondents; a
larger survey gets a summary by role instead (the answers are in the responses file)."""
"""Respondents per answers table: more are split into further tables (A4 width)."""
LOWEST = 10


# --- views ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleMean:
    role: str
    mean: float


@dataclass(frozen=True)
class DisagreementRow:
    """A question with low agreement: its figures and the mean answer of each role."""

    id: str
    text: str
    element: str
    n: int
    mean: float | None
    min: float | None
    max: float | None
    sd: float | None
    rwg: float | None
    low: bool
    by_role: tuple[RoleMean, ...]


@dataclass(frozen=True)
class GroupRow:
    """rwg(j) and the ICCs of one element (or of all questions)."""

    id: str
    name: str
    items: int
    rwg_j: float | None
    low: bool
    icc1: float | None
    icc2: float | None


@dataclass(frozen=True)
class RoleCount:
    """Respondents of one role, for surveys too large to list one by one."""

    role: str
    respondents: int
    answered: float
    not_applicable: float


@dataclass(frozen=True)
class RespondentsAppendix:
    respondents: tuple[RespondentView, ...]
    """Empty above LIST_LIMIT respondents: `by_role` and `too_many` are shown instead."""
    enough: bool
    """Two or more respondents: otherwise only `note` is shown."""
    note: str
    cutoff: float
    questions: tuple[DisagreementRow, ...]
    chart: Markup | None
    elements: tuple[GroupRow, ...]
    overall: GroupRow | None
    reading: str
    by_role: tuple[RoleCount, ...] = ()
    too_many: str = ""


@dataclass(frozen=True)
class AnswerCell:
    """One answer in short form (`value`) and its 0-100 score; empty when not answered."""

    value: str
    score: str
    na: bool = False


@dataclass(frozen=True)
class AnswerRow:
    id: str
    text: str
    cells: tuple[AnswerCell, ...]


@dataclass(frozen=True)
class AnswerGroup:
    element: str
    rows: tuple[AnswerRow, ...]


@dataclass(frozen=True)
class AnswerTable:
    """The answers of up to PER_TABLE respondents (columns) to every question (rows)."""

    caption: str
    respondents: tuple[RespondentView, ...]
    groups: tuple[AnswerGroup, ...]


@dataclass(frozen=True)
class AnswersAppendix:
    intro: str
    tables: tuple[AnswerTable, ...]
    """Empty above LIST_LIMIT respondents (`intro` then says where the answers are)."""
    texts: tuple[SaidQuestion, ...] = ()
    """Every free-text answer, listed in full under the tables (reports/own_words.py)."""


@dataclass(frozen=True)
class GlossaryItem:
    """A term in the report language, the same term in the other language (empty when the
    framework has one language), its meaning and the basis printed with it."""

    id: str
    term: str
    other: str
    definition: str
    source: str


@dataclass(frozen=True)
class GlossaryView:
    intro: str
    terms: tuple[GlossaryItem, ...]
    elements: tuple[GlossaryItem, ...]


# --- the generic glossary file -------------------------------------------------------------


class GlossaryEntry(Strict):
    """A term of crmm's method, the same for every framework (reports/static/glossary.yaml)."""

    id: str
    term: Text
    definition: Text
    source: str
    cite: str | None = None
    shown_with: Literal["benchmark", "certification", "phases"] | None = None


class GenericGlossary(Strict):
    type: Literal["glossary"]
    version: str
    terms: list[GlossaryEntry]


@cache
def glossary_entries() -> tuple[GlossaryEntry, ...]:
    """The checked generic glossary (reports/static/glossary.yaml), read once."""
    data = parse_data(GLOSSARY_FILE.read_bytes(), GLOSSARY_FILE)
    return tuple(validate_as(GenericGlossary, data, GLOSSARY_FILE).terms)


# --- building ------------------------------------------------------------------------------


def with_appendices(
    ctx: ReportContext, b: _Builder, responses: Responses | TableResponses | None = None
) -> ReportContext:
    """The context with the respondents and agreement, full answers and glossary appendices;
    with `responses` the answers table shows the values given, else their scores."""
    from assessment.agreement import agreement, agreement_from_result

    # the responses when given: a result of a large survey lists no per-respondent scores
    if responses is not None:
        agr = agreement(responses, b.q, b.fw)
    else:
        agr = agreement_from_result(ctx.result, b.q, b.fw)
    return dataclasses.replace(
        ctx,
        appendix_respondents=_listed_or_by_role(respondents_appendix(ctx, b, agr), ctx, b),
        appendix_answers=answers_appendix(ctx, b, responses),
        glossary=glossary_view(ctx, b),
    )


def _listed_or_by_role(
    a: RespondentsAppendix, ctx: ReportContext, b: _Builder
) -> RespondentsAppendix:
    """Above LIST_LIMIT respondents, a count by role instead of one row per respondent."""
    people = ctx.result.respondents
    if len(people) <= LIST_LIMIT:
        return a
    roles: dict[str, list[Any]] = {}
    for p in people:
        roles.setdefault(p.role, []).append(p)
    order = {r.id: i for i, r in enumerate(b.q.roles)}
    by_role = tuple(
        RoleCount(
            b.role(role),
            len(group),
            sum(p.answered for p in group) / len(group),
            sum(p.not_applicable for p in group) / len(group),
        )
        for role, group in sorted(roles.items(), key=lambda kv: order.get(kv[0], len(order)))
    )
    note = b.L.fill("appx.respondents.too_many", n=len(people), limit=LIST_LIMIT)
    return dataclasses.replace(a, respondents=(), by_role=by_role, too_many=note)


def respondents_appendix(ctx: ReportContext, b: _Builder, agr: Agreement) -> RespondentsAppendix:
    L = b.L
    enough = agr.reason is None and len(ctx.result.respondents) >= 2
    cutoff = num(agr.cutoff, 2)
    if not enough:
        return RespondentsAppendix(
            ctx.respondents, False, L["appx.one_respondent"], agr.cutoff, (), None, (), None, ""
        )
    names = {e.id: e.name for e in ctx.elements}
    rows = tuple(_disagreement_row(b, qa, names) for qa in agr.lowest(LOWEST))
    groups = tuple(
        GroupRow(
            g.id,
            names.get(g.id, g.id),
            len(g.items),
            g.rwg_j,
            g.low,
            g.icc.icc1,
            g.icc.icc2,
        )
        for g in agr.elements
    )
    o = agr.overall
    overall = GroupRow(
        o.id, L["appx.overall"], len(o.items), o.rwg_j, o.low, o.icc.icc1, o.icc.icc2
    )
    rated = [g for g in groups if g.rwg_j is not None]
    low = [g.name for g in rated if g.low]
    if not rated:
        reading = L["appx.groups.reading_none"]
    elif not low:
        reading = L.plural("appx.groups.reading_all", len(rated), cutoff=cutoff)
    else:
        reading = L.fill(
            "appx.groups.reading_some",
            agree=len(rated) - len(low),
            n=len(rated),
            cutoff=cutoff,
            names=L["misc.list_sep"].join(low),
        )
    scores = {e.id: e.score for e in ctx.elements}
    chart = spread_svg(
        [
            SpreadRow(
                g.id,
                names.get(g.id, g.id),
                tuple(g.by_role.get(r) for r in agr.roles),
                min(g.by_respondent.values(), default=None),
                max(g.by_respondent.values(), default=None),
                scores.get(g.id),
            )
            for g in agr.elements
        ],
        [b.role(r) for r in agr.roles],
        title=L["appx.chart.title"],
        legend_range=L["appx.chart.range"],
        legend_mean=L["appx.chart.mean"],
        no_data=L["chart.no_data"],
    )
    return RespondentsAppendix(
        ctx.respondents, True, "", agr.cutoff, rows, chart, groups, overall, reading
    )


def _disagreement_row(
    b: _Builder, qa: QuestionAgreement, elements: dict[str, str]
) -> DisagreementRow:
    question = b.q.question_by_id.get(qa.id)
    return DisagreementRow(
        id=qa.id,
        text=b.t(question.text) if question else qa.id,
        element=elements.get(qa.element, qa.element),
        n=qa.n,
        mean=qa.mean,
        min=qa.min,
        max=qa.max,
        sd=qa.sd,
        rwg=qa.rwg,
        low=qa.low,
        by_role=tuple(RoleMean(b.role(r), m) for r, m in qa.by_role.items()),
    )


def answers_appendix(
    ctx: ReportContext, b: _Builder, responses: Responses | TableResponses | None
) -> AnswersAppendix:
    """Every question's answers, PER_TABLE respondents to a table, grouped by element (up
    to LIST_LIMIT respondents)."""
    people = ctx.result.respondents
    if len(people) > LIST_LIMIT:
        return AnswersAppendix(
            b.L.fill("appx.answers.too_many", n=len(people), limit=LIST_LIMIT), ()
        )
    given: dict[str, dict[str, Any]] = {}
    from assessment.responses import Responses

    if isinstance(responses, Responses):  # (a TableResponses has more than LIST_LIMIT)
        given = {p.id: {k: a.value for k, a in p.answers.items()} for p in responses.respondents}
    scored = {qr.id: qr.answers for qr in ctx.result.questions}
    shown = [
        x for x in b.q.questions if x.id in scored or (responses is not None and x.type == "text")
    ]
    views = {v.id: v for v in ctx.respondents}
    na, below = b.L["table.na"], b.L["appx.answers.text_below"]
    tables = []
    for start in range(0, len(people), PER_TABLE):
        chunk = people[start : start + PER_TABLE]
        groups: dict[str, list[AnswerRow]] = {}
        for x in shown:
            element = b.fw.element_of[x.criterion].id
            cells = tuple(
                _cell(x, given.get(p.id), scored.get(x.id, {}), p.id, b.lang, na, below)
                for p in chunk
            )
            groups.setdefault(element, []).append(AnswerRow(x.id, b.t(x.text), cells))
        names = {e.id: e.name for e in ctx.elements}
        tables.append(
            AnswerTable(
                caption=b.L.fill(
                    "appx.answers.part", first=start + 1, last=start + len(chunk), total=len(people)
                )
                if len(people) > PER_TABLE
                else "",
                respondents=tuple(views[p.id] for p in chunk if p.id in views),
                groups=tuple(
                    AnswerGroup(names.get(e.id, e.id), tuple(groups[e.id]))
                    for e in b.fw.elements
                    if e.id in groups
                ),
            )
        )
    return AnswersAppendix(
        intro=b.L.fill("appx.answers.intro", per=PER_TABLE), tables=tuple(tables)
    )


def _cell(
    q: Question,
    answers: dict[str, Any] | None,
    scores: dict[str, float | None],
    person: str,
    lang: Lang,
    na_text: str,
    below: str,
) -> AnswerCell:
    """A cell of the answers table; a free-text answer is listed in full below the tables."""
    if answers is not None:
        if q.id not in answers:
            return AnswerCell("", "")
        value = answers[q.id]
        if value == NA:
            return AnswerCell(na_text, "", na=True)
        if q.type == "text":
            return AnswerCell(below, "")
        score = score_value(q, value)
        return AnswerCell(short_answer(q, value, lang), "" if score is None else num(score, 0))
    if person not in scores:
        return AnswerCell("", "")
    s = scores[person]
    return AnswerCell(na_text, "", na=True) if s is None else AnswerCell(num(s, 0), "")


def short_answer(q: Question, value: Any, lang: Lang) -> str:
    """An answer as a respondent gave it, for a narrow column (it wraps, never cut)."""
    t = q.type
    if t in ("anchored", "likert"):
        return str(value)
    if t == "yes_partly_no":
        return YPN_LABELS[value].get(lang)
    if t == "kpi":
        return f"{float(value):g}"
    if t in ("single_choice", "multiple_choice") and q.options is not None:
        text = {o.id: o.text.get(lang) for o in q.options}
        chosen = [value] if isinstance(value, str) else list(value)
        return " + ".join(text[c] for c in chosen)
    return str(value)


def glossary_view(ctx: ReportContext, b: _Builder) -> GlossaryView:
    """The glossary terms this report uses, and the framework's elements.

    The framework's own terms come first; a framework term with the id of a generic term
    takes its place; a term shown with the benchmark, the certification or the phases is
    listed only when the report shows them."""
    lang: Lang = b.lang
    other: Lang | None = next((x for x in b.fw.languages if x != lang), None)
    shown = {
        "benchmark": ctx.benchmark is not None,
        "certification": ctx.certification is not None,
        "phases": bool(b.fw.phases),
    }
    L = b.L
    fw_source = L.fill("appx.glossary.element_source", framework=b.fw.id, version=b.fw.version)
    method = L["appx.glossary.basis.method"]

    def item(id: str, term: Text, definition: Text, basis: str, cite: str | None) -> GlossaryItem:
        return GlossaryItem(
            id,
            b.t(term),
            term.get(other) if other is not None else "",
            b.t(definition),
            L["misc.list_sep"].join([basis, *filter(None, [cite])]),
        )

    def basis(t: GlossaryTerm) -> str:
        if isinstance(t.basis, Text):
            return b.t(t.basis)
        return method if t.basis == "method" else fw_source

    own = {t.id: t for t in b.fw.glossary if t.shown_with is None or shown[t.shown_with]}
    generic = [e for e in glossary_entries() if e.shown_with is None or shown[e.shown_with]]
    ids = {e.id for e in glossary_entries()}
    terms = tuple(
        [
            item(t.id, t.term, t.definition, basis(t), t.cite)
            for t in own.values()
            if t.id not in ids
        ]
        + [
            item(t.id, t.term, t.definition, basis(t), t.cite)
            if (t := own.get(e.id)) is not None
            else item(e.id, e.term, e.definition, method, e.cite)
            for e in generic
        ]
    )
    elements = tuple(
        GlossaryItem(
            e.id,
            b.t(e.name),
            e.name.get(other) if other is not None else "",
            b.t(e.description),
            fw_source,
        )
        for e in b.fw.elements
    )
    intro = L["appx.glossary.intro" if other is not None else "appx.glossary.intro_single"]
    return GlossaryView(intro=intro, terms=terms, elements=elements)
