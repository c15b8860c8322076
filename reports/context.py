"""Everything a report shows, computed once from an assessment result and its inputs.

The context only presents the result: names and texts in the report language, figures
formatted by the templates; no score is recomputed here.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from assessment import __version__
from assessment.result import (
    ActionItem,
    AssessmentResult,
    CriterionResult,
    ElementResult,
    QuestionResult,
)
from frameworks.model import Framework, Level
from frameworks.text import Lang
from questionnaires.model import Questionnaire

from . import charts
from .errors import ReportError
from .formatting import formula, long_date, num, pct
from .labels import Labels, labels

EFFORTS = ("quick-win", "medium", "long-term")
LADDERS = ("business_orientation", "management_focus", "loyalty", "relationship_lifecycle")


@dataclass(frozen=True)
class Ladder:
    label: str
    position: str


@dataclass(frozen=True)
class LevelView:
    number: int
    id: str
    name: str
    label: str
    short: str
    description: str
    min_index: float
    min_score: float
    ladders: tuple[Ladder, ...]


@dataclass(frozen=True)
class Cover:
    organization: str
    industry: str
    size: str
    region: str
    date: str
    date_iso: str
    framework: str
    framework_version: str
    questionnaire: str
    questionnaire_version: str
    assessor: str | None
    assessment_type: str
    respondents: int


@dataclass(frozen=True)
class Inputs:
    framework_id: str
    framework_version: str
    framework_sha256: str
    questionnaire_id: str
    questionnaire_version: str
    questionnaire_sha256: str
    responses_file: str
    responses_sha256: str
    responses_short: str


@dataclass(frozen=True)
class QuestionView:
    id: str
    text: str
    type: str
    type_label: str
    weight: float
    effective_weight: float
    n: int
    not_applicable: int
    score: float | None
    std: float | None
    min: float | None
    max: float | None
    formula: str


@dataclass(frozen=True)
class CriterionView:
    id: str
    name: str
    description: str
    weight: float
    score: float | None
    index: float | None
    level: LevelView | None
    coverage: float
    formula: str
    questions: tuple[QuestionView, ...]


@dataclass(frozen=True)
class ElementView:
    number: int
    id: str
    name: str
    description: str
    weight: float
    weight_share: float
    weight_rationale: str
    insufficient: bool
    coverage: float
    score: float | None
    index: float | None
    level: LevelView | None
    note: str
    formula: str
    criteria: tuple[CriterionView, ...]
    chart: Markup


@dataclass(frozen=True)
class ActionView:
    id: str
    text: str
    level: int
    effort: str
    effort_label: str
    phase_order: int
    phase: str
    owner: str
    criterion: str
    element: str


@dataclass(frozen=True)
class RecommendationView:
    rank: int
    priority: float
    criterion_id: str
    criterion: str
    element_id: str
    element: str
    current: LevelView
    target: LevelView
    gap: int
    actions: tuple[ActionView, ...]


@dataclass(frozen=True)
class PhaseView:
    order: int
    id: str
    name: str
    description: str
    actions: tuple[ActionView, ...]
    counts: str


@dataclass(frozen=True)
class OverallView:
    score: float | None
    index: float | None
    coverage: float
    level: LevelView | None
    level_by_index: LevelView | None
    gated: bool
    formula: str
    gating_formula: str | None


@dataclass(frozen=True)
class SummaryView:
    paragraphs: tuple[str, ...]
    strongest: ElementView | None
    weakest: ElementView | None
    insufficient: tuple[ElementView, ...]
    recommendations: int
    actions: int
    quick_wins: int
    target: LevelView


@dataclass(frozen=True)
class MethodologyView:
    scoring: str
    gating: str
    weighting: str
    settings: str
    levels: tuple[LevelView, ...]


@dataclass(frozen=True)
class TraceRow:
    id: str
    name: str
    score: float | None
    formula: str


@dataclass(frozen=True)
class TraceView:
    questions: tuple[TraceRow, ...]
    criteria: tuple[TraceRow, ...]
    elements: tuple[TraceRow, ...]
    overall: str
    gating: str | None


@dataclass(frozen=True)
class RespondentView:
    id: str
    role: str
    department: str
    answered: int
    not_applicable: int


@dataclass(frozen=True)
class ReportContext:
    """The whole report in one language; templates read only this."""

    lang: Lang
    labels: Labels
    title: str
    generator: str
    cover: Cover
    inputs: Inputs
    overall: OverallView
    summary: SummaryView
    elements: tuple[ElementView, ...]
    recommendations: tuple[RecommendationView, ...]
    unassessed: tuple[str, ...]
    roadmap: tuple[PhaseView, ...]
    methodology: MethodologyView
    trace: TraceView
    respondents: tuple[RespondentView, ...]
    radar: Markup
    result: AssessmentResult
    framework: Framework
    questionnaire: Questionnaire


def build_context(
    result: AssessmentResult, framework: Framework, questionnaire: Questionnaire, lang: Lang
) -> ReportContext:
    """Localise and arrange a result for the templates of one language."""
    _check_inputs(result, framework, questionnaire)
    return _Builder(result, framework, questionnaire, lang).build()


def _check_inputs(result: AssessmentResult, fw: Framework, q: Questionnaire) -> None:
    for what, ref, obj in (("framework", result.framework, fw),
                           ("questionnaire", result.questionnaire, q)):
        if (ref.id, ref.version) != (obj.id, obj.version):
            raise ReportError(f"the result was scored with {what} {ref.id} {ref.version},"
                              f" but {obj.id} {obj.version} was given for the report")


class _Builder:
    def __init__(self, result: AssessmentResult, fw: Framework, q: Questionnaire,
                 lang: Lang) -> None:
        self.r, self.fw, self.q, self.lang = result, fw, q, lang
        self.L = labels(lang)

    def level(self, number: int | None) -> LevelView | None:
        return None if number is None else self.level_view(self.fw.levels[number - 1])

    def must_level(self, number: int) -> LevelView:
        return self.level_view(self.fw.levels[number - 1])

    def level_view(self, lv: Level) -> LevelView:
        name = lv.name.get(self.lang)
        return LevelView(
            number=lv.level, id=lv.id, name=name,
            label=self.L.fill("level.named", n=lv.level, name=name),
            short=self.L.fill("level.short", n=lv.level),
            description=lv.description.get(self.lang),
            min_index=lv.min_index, min_score=(lv.min_index - 1.0) * 25.0,
            ladders=tuple(
                Ladder(self.L[f"ladder.{k}"], getattr(lv.ladders, k).get(self.lang))
                for k in LADDERS
            ),
        )

    def role(self, role_id: str | None) -> str:
        if role_id is None:
            return self.L["misc.unassigned"]
        role = self.q.role_by_id.get(role_id)
        return role.name.get(self.lang) if role else self.L.optional(f"role.{role_id}", role_id)

    def build(self) -> ReportContext:
        elements = tuple(self.element(i, e) for i, e in enumerate(self.r.elements, start=1))
        recs = self.recommendations()
        overall = self.overall()
        target = self.must_level(self.r.recommendations.target_level)
        return ReportContext(
            lang=self.lang, labels=self.L, title=self.L["report.title"],
            generator=self.L.fill("report.generator", version=__version__),
            cover=self.cover(), inputs=self.inputs(), overall=overall,
            summary=self.summary(overall, elements, recs, target), elements=elements,
            recommendations=recs,
            unassessed=tuple(self.fw.criteria[c].name.get(self.lang)
                             for c in self.r.recommendations.unassessed_criteria),
            roadmap=self.roadmap(recs), methodology=self.methodology(target),
            trace=self.trace(), respondents=self.respondents(),
            radar=self.radar(elements, target), result=self.r, framework=self.fw,
            questionnaire=self.q,
        )

    def cover(self) -> Cover:
        org = self.r.organization
        assessor = self.r.assessor
        return Cover(
            organization=org["name"],
            industry=self.L.optional(f"industry.{org['industry']}", org["industry"]),
            size=self.L.optional(f"size.{org['size']}", org["size"]),
            region=self.L.optional(f"region.{org['region']}", org["region"]),
            date=long_date(self.r.date, self.L), date_iso=self.r.date.isoformat(),
            framework=self.fw.name.get(self.lang), framework_version=self.fw.version,
            questionnaire=self.q.name.get(self.lang), questionnaire_version=self.q.version,
            assessor=assessor,
            assessment_type=self.L["cover.self_assessment"] if assessor is None
            else self.L.fill("cover.assessed_by", assessor=assessor),
            respondents=len(self.r.respondents),
        )

    def inputs(self) -> Inputs:
        r = self.r
        return Inputs(
            framework_id=r.framework.id, framework_version=r.framework.version,
            framework_sha256=r.framework.sha256, questionnaire_id=r.questionnaire.id,
            questionnaire_version=r.questionnaire.version,
            questionnaire_sha256=r.questionnaire.sha256, responses_file=r.responses.file,
            responses_sha256=r.responses.sha256, responses_short=r.responses.sha256[:12],
        )

    def question(self, qr: QuestionResult) -> QuestionView:
        question = self.q.question_by_id.get(qr.id)
        return QuestionView(
            id=qr.id, text=question.text.get(self.lang) if question else qr.id, type=qr.type,
            type_label=self.L.optional(f"qtype.{qr.type}", qr.type), weight=qr.weight,
            effective_weight=qr.effective_weight, n=qr.n, not_applicable=qr.not_applicable,
            score=qr.score, std=qr.std, min=qr.min, max=qr.max,
            formula=formula(qr.formula, self.lang),
        )

    def criterion(self, cr: CriterionResult) -> CriterionView:
        c = self.fw.criteria[cr.id]
        by_id = {qr.id: qr for qr in self.r.questions}
        return CriterionView(
            id=cr.id, name=c.name.get(self.lang), description=c.description.get(self.lang),
            weight=cr.weight, score=cr.score, index=cr.index, level=self.level(cr.level),
            coverage=cr.coverage, formula=formula(cr.formula, self.lang),
            questions=tuple(self.question(by_id[qid]) for qid in cr.questions if qid in by_id),
        )

    def note(self, score: float | None, level: LevelView | None, missing: str) -> str:
        if score is None or level is None:
            return missing
        return f"{num(score)} · {level.short}"

    def element(self, number: int, er: ElementResult) -> ElementView:
        e = self.fw.element_by_id[er.id]
        name = e.name.get(self.lang)
        criteria = tuple(self.criterion(c) for c in self.r.criteria if c.element == er.id)
        level = self.level(er.level)
        insufficient = er.status == "insufficient"
        chart = charts.bars_svg(
            [charts.Bar(c.id, c.name, c.score, self.note(c.score, c.level, "")) for c in criteria],
            self.rings(), title=self.L.fill("chart.bars_title", element=name),
            no_data=self.L["chart.no_data"],
        )
        return ElementView(
            number=number, id=er.id, name=name, description=e.description.get(self.lang),
            weight=er.weight, weight_share=er.weight_share,
            weight_rationale=e.weight_rationale.get(self.lang), insufficient=insufficient,
            coverage=er.coverage, score=er.score, index=er.index, level=level,
            note=self.note(er.score, level, self.L["chart.insufficient"]),
            formula=formula(er.formula, self.lang), criteria=criteria, chart=chart,
        )

    def rings(self) -> list[charts.Ring]:
        return [charts.Ring((lv.min_index - 1.0) * 25.0, self.L.fill("level.short", n=lv.level))
                for lv in self.fw.levels]

    def radar(self, elements: tuple[ElementView, ...], target: LevelView) -> Markup:
        return charts.radar_svg(
            [charts.Axis(e.id, e.name, e.score, e.note) for e in elements], self.rings(),
            title=self.L["chart.radar_title"],
            target=charts.Ring(target.min_score, self.L.fill("chart.target", n=target.number)),
            legend_series=self.L["chart.organization"], legend_gap=self.L["chart.insufficient"],
        )

    def overall(self) -> OverallView:
        o = self.r.overall
        g = o.gating
        return OverallView(
            score=o.score, index=o.index, coverage=o.coverage, level=self.level(o.level),
            level_by_index=self.level(g.level_by_index) if g else None,
            gated=bool(g and g.applied), formula=formula(o.formula, self.lang),
            gating_formula=formula(g.formula, self.lang) if g else None,
        )

    def action(self, a: ActionItem, criterion: str, element: str) -> ActionView:
        phase = self.fw.phase_by_id.get(a.phase)
        return ActionView(
            id=a.id, text=a.text.get(self.lang), level=a.level, effort=a.effort,
            effort_label=self.L.optional(f"effort.{a.effort}", a.effort),
            phase_order=phase.order if phase else 0,
            phase=phase.name.get(self.lang) if phase else a.phase,
            owner=self.role(a.owner_role), criterion=criterion, element=element,
        )

    def recommendations(self) -> tuple[RecommendationView, ...]:
        out = []
        for rank, item in enumerate(self.r.recommendations.items, start=1):
            crit = self.fw.criteria[item.criterion].name.get(self.lang)
            elem = self.fw.element_by_id[item.element].name.get(self.lang)
            out.append(RecommendationView(
                rank=rank, priority=item.priority, criterion_id=item.criterion, criterion=crit,
                element_id=item.element, element=elem,
                current=self.must_level(item.current_level),
                target=self.must_level(item.target_level), gap=item.gap,
                actions=tuple(self.action(a, crit, elem) for a in item.actions),
            ))
        return tuple(out)

    def roadmap(self, recs: tuple[RecommendationView, ...]) -> tuple[PhaseView, ...]:
        by_id = {a.id: a for rec in recs for a in rec.actions}
        out = []
        for rp in self.r.recommendations.roadmap:
            phase = self.fw.phase_by_id.get(rp.phase)
            actions = tuple(by_id[a] for a in rp.actions if a in by_id)
            n = {e: sum(1 for a in actions if a.effort == e) for e in EFFORTS}
            out.append(PhaseView(
                order=rp.order, id=rp.phase,
                name=phase.name.get(self.lang) if phase else rp.phase,
                description=phase.description.get(self.lang) if phase else "",
                actions=actions,
                counts=self.L.fill("roadmap.counts", quick=n["quick-win"], medium=n["medium"],
                                   long=n["long-term"]),
            ))
        return tuple(out)

    def summary(self, overall: OverallView, elements: tuple[ElementView, ...],
                recs: tuple[RecommendationView, ...], target: LevelView) -> SummaryView:
        scored = [e for e in elements if not e.insufficient and e.score is not None]
        strongest = max(scored, key=lambda e: (e.score or 0.0, -e.number), default=None)
        weakest = min(scored, key=lambda e: (e.score or 0.0, e.number), default=None)
        insufficient = tuple(e for e in elements if e.insufficient)
        actions = [a for rec in recs for a in rec.actions]
        quick = sum(1 for a in actions if a.effort == "quick-win")
        L = self.L
        paras: list[str] = []
        if overall.level is None:
            paras.append(L["summary.reading_none"])
        else:
            paras.append(L.fill(
                "summary.reading_level", org=self.r.organization["name"],
                level=overall.level.number, name=overall.level.name, index=num(overall.index, 2),
                score=num(overall.score), coverage=pct(overall.coverage),
            ))
            gating = self.r.overall.gating
            if gating is not None and gating.applied and overall.level_by_index is not None:
                paras.append(L.fill(
                    "summary.reading_gated", by_index=overall.level_by_index.number,
                    weakest=self.fw.element_by_id[gating.weakest_element].name.get(self.lang),
                    weakest_level=gating.weakest_level, level=overall.level.number,
                ))
        if strongest is not None and weakest is not None and strongest is not weakest:
            paras.append(L.fill("summary.reading_profile", strong=strongest.name,
                                strong_score=num(strongest.score), weak=weakest.name,
                                weak_score=num(weakest.score)))
        if insufficient:
            paras.append(L.fill("summary.reading_insufficient",
                                level=self.fw.gating.insufficient_element_level,
                                names=L["misc.list_sep"].join(e.name for e in insufficient)))
        if recs:
            paras.append(L.fill("summary.reading_recommendations", target=target.number,
                                n=len(recs), actions=len(actions), quick=quick))
        return SummaryView(
            paragraphs=tuple(paras), strongest=strongest, weakest=weakest,
            insufficient=insufficient, recommendations=len(recs), actions=len(actions),
            quick_wins=quick, target=target,
        )

    def methodology(self, target: LevelView) -> MethodologyView:
        fw = self.fw
        return MethodologyView(
            scoring=fw.scoring.description.get(self.lang),
            gating=fw.gating.description.get(self.lang),
            weighting=fw.weighting_rationale.get(self.lang),
            settings=self.L.fill("method.settings", min=pct(self.r.min_coverage),
                                 ahead=fw.scoring.target_levels_ahead, target=target.label),
            levels=tuple(self.level_view(lv) for lv in fw.levels),
        )

    def trace(self) -> TraceView:
        crit = self.fw.criteria
        return TraceView(
            questions=tuple(TraceRow(q.id, crit[q.criterion].name.get(self.lang), q.score,
                                     formula(q.formula, self.lang)) for q in self.r.questions),
            criteria=tuple(TraceRow(c.id, crit[c.id].name.get(self.lang), c.score,
                                    formula(c.formula, self.lang)) for c in self.r.criteria),
            elements=tuple(
                TraceRow(e.id, self.fw.element_by_id[e.id].name.get(self.lang), e.score,
                         formula(e.formula, self.lang)) for e in self.r.elements),
            overall=formula(self.r.overall.formula, self.lang),
            gating=formula(self.r.overall.gating.formula, self.lang)
            if self.r.overall.gating else None,
        )

    def respondents(self) -> tuple[RespondentView, ...]:
        return tuple(
            RespondentView(id=p.id, role=self.role(p.role), department=p.department or "",
                           answered=p.answered, not_applicable=p.not_applicable)
            for p in self.r.respondents
        )
