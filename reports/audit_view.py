"""The consultant's audit in a report: intention and reality with their gaps, the assessor's
ratings (the overrides and their trail), the evidence register, workshops beside the
individual answers, and the certification's accepted-evidence rule.

Nothing is scored here: every figure is the result's (docs/scoring.md); names and texts are
put into the report language. A result without any of it gets no audit view (`ctx.audit` is
None), so reports of other assessments are unchanged.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from assessment.dimensions import gap_findings
from assessment.result import CriterionResult, Override

from .formatting import exact, num
from .ir_chart import IRLabels, IRPoint, intention_reality_chart
from .views import LevelView, ReportContext

if TYPE_CHECKING:
    from assessment.response_columns import TableResponses
    from assessment.responses import (
        AssessorRating,
        EvidenceItem,
        Participant,
        Respondent,
        Responses,
        ResponsesHead,
    )

    from .context import _Builder

MARK = "†"
"""Beside every figure an assessor's rating set (or that follows from one)."""


@dataclass(frozen=True)
class DimensionsView:
    """The framework's two dimensions and how they combine, in the report language."""

    intention: str
    intention_description: str
    reality: str
    reality_description: str
    rule: str  # the criterion_score rule in words
    finding_gap: float
    finding_rule: str  # which gaps are findings, in words


@dataclass(frozen=True)
class GapRow:
    """A criterion scored on both dimensions."""

    key: str  # its number in the report, e.g. "2.1" (the chart's label)
    criterion_id: str
    criterion: str
    element: str
    intention: float
    reality: float
    gap: float
    score: float | None
    level: LevelView | None
    overridden: tuple[str, ...]  # "score", "intention", "reality": the figures a rating set
    finding: bool
    text: str  # the finding in one sentence ("said but not done")

    @property
    def marked(self) -> bool:
        return bool(self.overridden)


@dataclass(frozen=True)
class ElementGapRow:
    id: str
    name: str
    intention: float | None
    reality: float | None
    gap: float | None


@dataclass(frozen=True)
class EvidenceRef:
    id: str
    title: str  # the register's title ("" when the register is not at hand)
    status: str  # its reviewer status in words ("" likewise)


@dataclass(frozen=True)
class OverrideRow:
    """An assessor's rating: the one that counts for its target, or an earlier entry of
    the trail that a later one for the same target replaced (`counts` False)."""

    criterion_id: str
    criterion: str
    dimension: str  # the dimension's name, or "criterion score"
    target: str  # "criterion — dimension"
    before: float | None
    after: float
    rating: int
    by: str
    at: str  # date and time as written, with the offset
    reason: str
    evidence: tuple[EvidenceRef, ...]
    entries: int  # entries of the trail for this target (on the row that counts)
    counts: bool = True


@dataclass(frozen=True)
class RegisterRow:
    id: str
    kind: str
    title: str
    date: str
    source: str
    location: str
    criteria: tuple[str, ...]
    status_id: str
    status: str
    reason: str
    reviewer: str


@dataclass(frozen=True)
class WorkshopAnswer:
    """One question the workshop answered, beside the individuals' answers to it."""

    question: str
    text: str
    criterion: str
    workshop: float | None  # the workshop's score 0-100
    individuals: float | None  # the unweighted mean of the individual respondents' scores
    n: int  # individual respondents who scored the question
    difference: float | None  # workshop − individuals


@dataclass(frozen=True)
class WorkshopView:
    id: str
    name: str
    role: str
    department: str
    weight: float
    participants: tuple[str, ...]  # "name (role, department)"
    count: int
    answers: tuple[WorkshopAnswer, ...]


@dataclass(frozen=True)
class EvidenceRuleView:
    """A certification level's accepted-evidence rule and which criteria lack it."""

    level: LevelView
    text: str
    passed: bool
    outcome: str
    required: int
    actual: int
    missing: tuple[str, ...]


@dataclass(frozen=True)
class AuditView:
    """Everything the audit sections show (docs/reports.md, "Intention and reality",
    "Assessor ratings", "Evidence register")."""

    dimensions: DimensionsView | None
    chart: Markup
    gaps: tuple[GapRow, ...]  # largest gap first
    findings: tuple[GapRow, ...]  # gap ≥ finding_gap, largest first
    elements: tuple[ElementGapRow, ...]
    overrides: tuple[OverrideRow, ...]  # the ratings that count, in the result's order
    superseded: tuple[OverrideRow, ...]  # earlier entries of the trail, oldest first
    register: tuple[RegisterRow, ...]
    workshops: tuple[WorkshopView, ...]
    evidence_rules: tuple[EvidenceRuleView, ...]
    mark: str = MARK
    mark_note: str = ""
    summary: str = ""  # the findings in one sentence, for the executive summary ("": none)

    @property
    def has_dimensions(self) -> bool:
        return self.dimensions is not None and bool(self.gaps)


def with_audit(
    ctx: ReportContext, b: _Builder, responses: Responses | TableResponses | None = None
) -> ReportContext:
    """The context with its audit view when the result has intention and reality figures,
    assessor ratings, an evidence register or a workshop; else the context unchanged."""
    view = audit_view(b, responses)
    return ctx if view is None else dataclasses.replace(ctx, audit=view)


def _head(responses: Responses | TableResponses | None) -> ResponsesHead | None:
    """What the responses file says beside the answers: the register and the trail."""
    if responses is None:
        return None
    from assessment.responses import ResponsesHead

    if isinstance(responses, ResponsesHead):
        return responses
    return getattr(responses, "head", None)


def audit_view(b: _Builder, responses: Responses | TableResponses | None) -> AuditView | None:
    r = b.r
    head = _head(responses)
    register = list(head.evidence_register) if head is not None else []
    trail = list(head.assessor_ratings) if head is not None else []
    has_figures = any(c.intention is not None or c.reality is not None for c in r.criteria)
    workshops = [p for p in r.respondents if p.kind == "workshop"]
    if not (has_figures or r.overrides or register or workshops):
        return None
    L = b.L
    keys = _keys(b)
    dims = _dimensions(b)
    found = {c.id for c in gap_findings(r.criteria, b.fw)}
    gaps = _gaps(b, keys, dims, found)
    items = {e.id: e for e in register}
    overrides = tuple(_override(b, o, items) for o in r.overrides)
    findings = tuple(g for g in gaps if g.finding)  # largest first, as gap_findings
    summary = ""
    if dims is not None and findings:
        summary = L.plural(
            "audit.summary",
            len(findings),
            gap=exact(dims.finding_gap),
            criterion=findings[0].criterion,
            largest=num(findings[0].gap),
        )
    return AuditView(
        dimensions=dims,
        chart=_chart(b, gaps, keys, dims) if dims is not None and gaps else Markup(),
        gaps=gaps,
        findings=findings,
        elements=tuple(
            ElementGapRow(e.id, b.t(b.fw.element_by_id[e.id].name), e.intention, e.reality, e.gap)
            for e in r.elements
            if e.intention is not None or e.reality is not None
        )
        if dims is not None
        else (),
        overrides=overrides,
        superseded=_superseded(b, trail, items),
        register=tuple(_register_row(b, e) for e in register),
        workshops=tuple(_workshop(b, p.id, responses) for p in workshops),
        evidence_rules=_evidence_rules(b),
        mark_note=L.fill("audit.mark_note", mark=MARK),
        summary=summary,
    )


def _keys(b: _Builder) -> dict[str, str]:
    """Each criterion's number as the report's sections give it (element 2's second: 2.2)."""
    keys: dict[str, str] = {}
    for n, e in enumerate(b.r.elements, start=1):
        own = [c for c in b.r.criteria if c.element == e.id]
        keys.update({c.id: f"{n}.{i}" for i, c in enumerate(own, start=1)})
    return keys


def _dimensions(b: _Builder) -> DimensionsView | None:
    d = b.fw.dimensions
    if d is None:
        return None
    L = b.L
    rule = d.criterion_score
    if rule.rule == "minimum":
        words = L["audit.rule.minimum"]
    else:
        assert rule.weights is not None
        words = L.fill(
            "audit.rule.weighted",
            intention=num(rule.weights["intention"], 2).rstrip("0").rstrip("."),
            reality=num(rule.weights["reality"], 2).rstrip("0").rstrip("."),
        )
    return DimensionsView(
        intention=b.t(d.intention.name),
        intention_description=b.t(d.intention.description),
        reality=b.t(d.reality.name),
        reality_description=b.t(d.reality.description),
        rule=words + ("" if b.lang == "zh-CN" else " ") + L["audit.rule.one_dimension"],
        finding_gap=d.finding_gap,
        finding_rule=L.fill("audit.finding_rule", gap=exact(d.finding_gap)),
    )


def _gaps(
    b: _Builder, keys: dict[str, str], dims: DimensionsView | None, found: set[str]
) -> tuple[GapRow, ...]:
    if dims is None:
        return ()
    order = {c.id: i for i, c in enumerate(b.r.criteria)}
    both = [
        c
        for c in b.r.criteria
        if c.intention is not None and c.reality is not None and c.gap is not None
    ]
    both.sort(key=lambda c: (-(c.gap or 0.0), order[c.id]))
    return tuple(_gap_row(b, c, keys, c.id in found) for c in both)


def _gap_row(b: _Builder, c: CriterionResult, keys: dict[str, str], finding: bool) -> GapRow:
    assert c.intention is not None and c.reality is not None and c.gap is not None
    name = b.t(b.fw.criteria[c.id].name)
    element = b.t(b.fw.element_by_id[c.element].name)
    text = b.L.fill(
        "audit.finding",
        criterion=name,
        element=element,
        intention=num(c.intention),
        reality=num(c.reality),
        gap=num(c.gap),
    )
    return GapRow(
        key=keys[c.id],
        criterion_id=c.id,
        criterion=name,
        element=element,
        intention=c.intention,
        reality=c.reality,
        gap=c.gap,
        score=c.score,
        level=b.level(c.level),
        overridden=tuple(c.overridden),
        finding=finding,
        text=text,
    )


def _chart(
    b: _Builder, gaps: tuple[GapRow, ...], keys: dict[str, str], dims: DimensionsView
) -> Markup:
    """The chart of the criteria scored on both dimensions, in the framework's order (the
    key beside it reads 1.1, 1.2, 2.1…)."""
    L = b.L
    order = {cid: i for i, cid in enumerate(keys)}
    points = [
        IRPoint(g.key, g.criterion, g.intention, g.reality, g.marked)
        for g in sorted(gaps, key=lambda g: order[g.criterion_id])
    ]
    return intention_reality_chart(
        points,
        IRLabels(
            title=L["audit.chart_title"],
            intention=dims.intention,
            reality=dims.reality,
            diagonal=L.fill("audit.chart_diagonal", intention=dims.intention, reality=dims.reality),
            ahead=L["audit.said_not_done"],
            finding=L.fill("audit.chart_finding", gap=exact(dims.finding_gap)),
            point=L["audit.chart_point"],
            overridden=L.fill("audit.chart_overridden", mark=MARK),
        ),
        finding_gap=dims.finding_gap,
    )


def _dimension_name(b: _Builder, dimension: str | None) -> str:
    d = b.fw.dimensions
    if dimension is None or d is None:
        return b.L["audit.criterion_score"]
    return b.t(d.intention.name if dimension == "intention" else d.reality.name)


def _at(text: str) -> str:
    """A time as written in the trail (ISO 8601 with its offset), made easier to read:
    `2026-11-20T10:15:00+08:00` → `2026-11-20 10:15 +08:00`."""
    date, _, rest = text.partition("T")
    if not rest:
        return text
    for sign in ("+", "-", "Z"):
        if sign in rest:
            clock, _, offset = rest.partition(sign)
            offset = sign + offset if sign != "Z" else "Z"
            break
    else:
        clock, offset = rest, ""
    if clock.endswith(":00") and clock.count(":") == 2:
        clock = clock[:-3]
    return f"{date} {clock} {offset}".strip()


def _refs(b: _Builder, ids: list[str], items: dict[str, EvidenceItem]) -> tuple[EvidenceRef, ...]:
    out = []
    for i in ids:
        item = items.get(i)
        out.append(
            EvidenceRef(
                i,
                item.title if item else "",
                b.L[f"evidence.status.{item.status}"] if item else "",
            )
        )
    return tuple(out)


def _override(b: _Builder, o: Override, items: dict[str, EvidenceItem]) -> OverrideRow:
    criterion = b.t(b.fw.criteria[o.criterion].name)
    dimension = _dimension_name(b, o.dimension)
    return OverrideRow(
        criterion_id=o.criterion,
        criterion=criterion,
        dimension=dimension,
        target=b.L.fill("audit.target", criterion=criterion, dimension=dimension),
        before=o.before,
        after=o.after,
        rating=o.rating,
        by=o.by,
        at=_at(o.at),
        reason=o.reason,
        evidence=_refs(b, o.evidence, items),
        entries=o.entries,
    )


def _superseded(
    b: _Builder, trail: list[AssessorRating], items: dict[str, EvidenceItem]
) -> tuple[OverrideRow, ...]:
    """The trail's entries that a later entry for the same target replaced, oldest first."""
    from assessment.audit import rating_score

    last: dict[tuple[str, str | None], int] = {}
    for i, entry in enumerate(trail):
        last[(entry.criterion, entry.dimension)] = i
    out = []
    for i, entry in enumerate(trail):
        if last[(entry.criterion, entry.dimension)] == i or entry.criterion not in b.fw.criteria:
            continue
        criterion = b.t(b.fw.criteria[entry.criterion].name)
        dimension = _dimension_name(b, entry.dimension)
        out.append(
            OverrideRow(
                criterion_id=entry.criterion,
                criterion=criterion,
                dimension=dimension,
                target=b.L.fill("audit.target", criterion=criterion, dimension=dimension),
                before=entry.before,
                after=rating_score(entry.rating),
                rating=entry.rating,
                by=entry.by,
                at=_at(entry.at.isoformat()),
                reason=entry.reason,
                evidence=_refs(b, entry.evidence, items),
                entries=0,
                counts=False,
            )
        )
    return tuple(out)


def _register_row(b: _Builder, e: EvidenceItem) -> RegisterRow:
    L = b.L
    src = e.source
    source = L["misc.list_sep"].join(
        s for s in (src.person or "", b.role(src.role) if src.role else "") if s
    )
    return RegisterRow(
        id=e.id,
        kind=L[f"evidence.kind.{e.kind}"],
        title=e.title,
        date=e.date.isoformat(),
        source=source,
        location=e.location or "",
        criteria=tuple(b.t(b.fw.criteria[c].name) if c in b.fw.criteria else c for c in e.criteria),
        status_id=e.status,
        status=L[f"evidence.status.{e.status}"],
        reason=e.reason or "",
        reviewer=e.reviewed_by or "",
    )


def _respondent(responses: Responses | TableResponses | None, rid: str) -> Respondent | None:
    people = getattr(responses, "respondents", None)
    if people is None:
        return None
    return next((p for p in people if p.id == rid), None)


def _workshop(b: _Builder, rid: str, responses: Responses | TableResponses | None) -> WorkshopView:
    summary = next(p for p in b.r.respondents if p.id == rid)
    person = _respondent(responses, rid)
    persons = {p.id for p in b.r.respondents if p.kind == "person"}
    participants: tuple[str, ...] = ()
    if person is not None:
        participants = tuple(_participant(b, p) for p in person.participants)
    answers = []
    for qr in b.r.questions:
        if rid not in qr.answers:
            continue
        own = qr.answers[rid]
        others = [v for k, v in qr.answers.items() if k in persons and v is not None]
        mean = sum(others) / len(others) if others else None
        question = b.q.question_by_id.get(qr.id)
        answers.append(
            WorkshopAnswer(
                question=qr.id,
                text=b.t(question.text) if question else qr.id,
                criterion=b.t(b.fw.criteria[qr.criterion].name),
                workshop=own,
                individuals=mean,
                n=len(others),
                difference=None if own is None or mean is None else own - mean,
            )
        )
    return WorkshopView(
        id=rid,
        name=(person.name if person is not None and person.name else rid),
        role=b.role(summary.role),
        department=summary.department or "",
        weight=summary.weight,
        participants=participants,
        count=summary.participants,
        answers=tuple(answers),
    )


def _participant(b: _Builder, p: Participant) -> str:
    """`name (role, department)`, as much of it as the file gives."""
    about = [s for s in (b.role(p.role) if p.role else "", p.department or "") if s]
    if not about:
        return p.name
    space = "" if b.lang == "zh-CN" else " "
    return p.name + space + b.L.fill("misc.paren", text=b.L["misc.list_sep"].join(about))


def _evidence_rules(b: _Builder) -> tuple[EvidenceRuleView, ...]:
    cert, rules = b.r.certification, b.fw.certification
    if cert is None or rules is None:
        return ()
    declared = {lv.level: lv.accepted_evidence for lv in rules.levels}
    out = []
    for lv in cert.levels:
        for rule in lv.rules:
            spec = declared.get(lv.level)
            if rule.kind != "accepted-evidence" or spec is None:
                continue
            out.append(
                EvidenceRuleView(
                    level=b.must_level(lv.level),
                    text=b.L.plural("audit.evidence_rule", spec.min_items, level=spec.min_level),
                    passed=rule.passed,
                    outcome=b.L["cert.pass"] if rule.passed else b.L["cert.fail"],
                    required=int(rule.required),
                    actual=int(rule.actual or 0),
                    missing=tuple(
                        b.t(b.fw.criteria[c].name) if c in b.fw.criteria else c
                        for c in rule.missing
                    ),
                )
            )
    return tuple(out)
