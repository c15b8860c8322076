"""Everything a report shows, computed once from an assessment result and its inputs.

The context only presents the result: names and texts in the report language, figures
formatted by the templates; no score is recomputed here.
"""

from __future__ import annotations

import dataclasses
import shlex
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from assessment import __version__
from assessment.result import (
    ActionItem,
    AssessmentResult,
    CriterionResult,
    ElementResult,
    Gating,
    QuestionResult,
)
from assessment.rounding import lowest_score_for_index
from frameworks.model import Framework, Level
from frameworks.text import Lang, Text, zh_typography
from frameworks.vocabulary import Dimension, vocabulary
from questionnaires.model import Questionnaire

from . import charts
from .brand import brand_view
from .errors import ReportError
from .formatting import exact, formula, long_date, num, pct
from .labels import labels
from .peers import BenchmarkView, PeerView, bands, benchmark_view, peer_view
from .views import (
    ActionView,
    Cover,
    CriterionView,
    ElementView,
    Inputs,
    Ladder,
    LevelView,
    MethodologyView,
    OverallView,
    PhaseView,
    ProvisionalView,
    QuestionView,
    RecommendationView,
    ReportContext,
    RespondentView,
    SummaryView,
    TraceRow,
    TraceView,
)

if TYPE_CHECKING:
    from assessment.response_columns import TableResponses
    from assessment.responses import Responses

    from .brand import Brand

EFFORTS = ("quick-win", "medium", "long-term")


def build_context(
    result: AssessmentResult,
    framework: Framework,
    questionnaire: Questionnaire,
    lang: Lang,
    previous: AssessmentResult | None = None,
    responses: Responses | TableResponses | None = None,
    *,
    brand: Brand | None = None,
) -> ReportContext:
    """Localise and arrange a result for the templates of one language; with `previous`,
    an earlier assessment of the organisation is shown beside it; with `responses` (those
    scored), respondents' comments and evidence appear under the questions; `brand` puts a
    consultancy's name, logo, colours and footer on the report."""
    _check_inputs(result, framework, questionnaire)
    builder = _Builder(result, framework, questionnaire, lang)
    ctx = builder.build()
    from .executive import with_report_content  # strengths, priorities, heatmap, timeline

    ctx = with_report_content(ctx, builder.L)
    if result.certification is not None:
        from .certpage import with_certification

        ctx = with_certification(ctx, builder)
    if previous is not None:
        from .progress import with_progress

        ctx = with_progress(ctx, builder, previous)
    if responses is not None:
        from .notes import with_notes

        ctx = with_notes(ctx, responses, builder.role)
    from .appendix import with_appendices  # respondents and agreement, answers, glossary

    ctx = with_appendices(ctx, builder, responses)
    from .audit_view import with_audit  # intention and reality, ratings, evidence, workshops

    ctx = with_audit(ctx, builder, responses)
    if responses is not None:
        from .own_words import with_own_words  # free text in full, "in their own words"

        ctx = with_own_words(ctx, builder, responses)
    if brand is not None:
        ctx = dataclasses.replace(ctx, brand=brand_view(brand, lang, result.organization["name"]))
    return ctx


def start_score(level: Level) -> float:
    """The 0-100 score equal to a level's min_index (exact: 2.7 gives 42.5)."""
    return float((Decimal(repr(level.min_index)) - 1) * 25)


def _check_inputs(result: AssessmentResult, fw: Framework, q: Questionnaire) -> None:
    for what, ref, obj in (
        ("framework", result.framework, fw),
        ("questionnaire", result.questionnaire, q),
    ):
        if (ref.id, ref.version) != (obj.id, obj.version):
            raise ReportError(
                f"the result was scored with {what} {ref.id} {ref.version},"
                f" but {obj.id} {obj.version} was given for the report"
            )


class _Builder:
    def __init__(
        self, result: AssessmentResult, fw: Framework, q: Questionnaire, lang: Lang
    ) -> None:
        self.r, self.fw, self.q, self.lang = result, fw, q, lang
        self.L = labels(lang)
        self.question_results = {qr.id: qr for qr in result.questions}

    def t(self, text: Text) -> str:
        """Framework or questionnaire text in the report language."""
        local = text.get(self.lang)
        return zh_typography(local) if self.lang == "zh-CN" else local

    def level(self, number: int | None) -> LevelView | None:
        return None if number is None else self.level_view(self.fw.levels[number - 1])

    def must_level(self, number: int) -> LevelView:
        return self.level_view(self.fw.levels[number - 1])

    def level_view(self, lv: Level) -> LevelView:
        name = self.t(lv.name)
        return LevelView(
            number=lv.level,
            id=lv.id,
            name=name,
            label=self.L.fill("level.named", n=lv.level, name=name),
            short=self.L.fill("level.short", n=lv.level),
            description=self.t(lv.description),
            min_index=lv.min_index,
            min_score=start_score(lv),
            ladders=tuple(
                Ladder(self.t(d.name), self.t(lv.ladders[d.id]))
                for d in self.fw.ladders
                if d.id in lv.ladders
            ),
        )

    def role(self, role_id: str | None) -> str:
        if role_id is None:
            return self.L["misc.unassigned"]
        role = self.q.role_by_id.get(role_id)
        return self.t(role.name) if role else self.L.optional(f"role.{role_id}", role_id)

    def build(self) -> ReportContext:
        elements = tuple(self.element(i, e) for i, e in enumerate(self.r.elements, start=1))
        recs = self.recommendations()
        overall = self.overall()
        target = self.must_level(self.r.recommendations.target_level)
        report = self.fw.report
        return ReportContext(
            lang=self.lang,
            labels=self.L,
            title=self.t(report.title) if report is not None else self.L["report.title"],
            subtitle=self.t(report.subtitle) if report and report.subtitle else None,
            subject=self.t(report.subject) if report and report.subject else None,
            keywords=tuple(self.t(k) for k in report.keywords)
            if report and report.keywords
            else (self.L["report.keywords"],),
            phased=bool(self.fw.phases),
            generator=self.L.fill("report.generator", version=__version__),
            cover=self.cover(),
            inputs=self.inputs(),
            overall=overall,
            summary=self.summary(overall, elements, recs, target),
            elements=elements,
            recommendations=recs,
            unassessed=tuple(
                self.t(self.fw.criteria[c].name) for c in self.r.recommendations.unassessed_criteria
            ),
            roadmap=self.roadmap(recs),
            methodology=self.methodology(target),
            trace=self.trace(),
            respondents=self.respondents(),
            radar=self.radar(elements, target),
            result=self.r,
            framework=self.fw,
            questionnaire=self.q,
            benchmark=self.benchmark(),
        )

    def profile_name(self, dimension: Dimension, value: str) -> str:
        """An industry, size band or region in the report language (frameworks/vocabulary)."""
        name = vocabulary().name(dimension, value)
        return value if name is None else self.t(name)

    def benchmark(self) -> BenchmarkView | None:
        cmp = self.r.benchmark
        return None if cmp is None else benchmark_view(cmp, self.lang, self.L)

    def peer(self, element_id: str) -> PeerView | None:
        cmp = self.r.benchmark
        fig = None if cmp is None else next((e for e in cmp.elements if e.id == element_id), None)
        return None if fig is None else peer_view(fig, self.L)

    def peer_radar(self) -> dict[str, Any]:
        """The radar's peer band arguments, when the result carries a benchmark comparison."""
        cmp = self.r.benchmark
        if cmp is None:
            return {}
        return {
            "peers": bands(cmp, [e.id for e in self.r.elements]),
            "legend_peer_band": self.L["chart.peer_band"],
            "legend_peer_median": self.L["chart.peer_median"],
        }

    def cover(self) -> Cover:
        org = self.r.organization
        assessor = self.r.assessor
        return Cover(
            organization=org["name"],
            industry=self.profile_name("industry", org["industry"]),
            size=self.profile_name("size", org["size"]),
            region=self.profile_name("region", org["region"]),
            date=long_date(self.r.date, self.L),
            date_iso=self.r.date.isoformat(),
            framework=self.t(self.fw.name),
            framework_version=self.fw.version,
            questionnaire=self.t(self.q.name),
            questionnaire_version=self.q.version,
            assessor=assessor,
            assessment_type=self.L["cover.self_assessment"]
            if assessor is None
            else self.L.fill("cover.assessed_by", assessor=assessor),
            respondents=len(self.r.respondents),
        )

    def inputs(self) -> Inputs:
        r = self.r
        return Inputs(
            framework_id=r.framework.id,
            framework_version=r.framework.version,
            framework_sha256=r.framework.sha256,
            questionnaire_id=r.questionnaire.id,
            questionnaire_version=r.questionnaire.version,
            questionnaire_sha256=r.questionnaire.sha256,
            responses_file=r.responses.file,
            responses_sha256=r.responses.sha256,
            responses_short=r.responses.sha256[:12],
        )

    def question(self, qr: QuestionResult) -> QuestionView:
        question = self.q.question_by_id.get(qr.id)
        return QuestionView(
            id=qr.id,
            text=self.t(question.text) if question else qr.id,
            type=qr.type,
            weight=qr.weight,
            effective_weight=qr.effective_weight,
            n=qr.n,
            not_applicable=qr.not_applicable,
            score=qr.score,
            std=qr.std,
            min=qr.min,
            max=qr.max,
            formula=formula(qr.formula, self.lang),
        )

    def criterion(self, cr: CriterionResult) -> CriterionView:
        c = self.fw.criteria[cr.id]
        by_id = self.question_results
        return CriterionView(
            id=cr.id,
            name=self.t(c.name),
            description=self.t(c.description),
            weight=cr.weight,
            score=cr.score,
            index=cr.index,
            level=self.level(cr.level),
            coverage=cr.coverage,
            formula=formula(cr.formula, self.lang),
            questions=tuple(self.question(by_id[qid]) for qid in cr.questions if qid in by_id),
            overridden=tuple(cr.overridden),
        )

    def note(
        self, score: float | None, level: LevelView | None, missing: str, mark: str = ""
    ) -> str:
        """`61.3 · L3`; with `mark` (†: an assessor's rating set it) after the score."""
        if score is None or level is None:
            return missing
        return f"{num(score)}{mark}{self.L['misc.dot']}{level.short}"

    def element(self, number: int, er: ElementResult) -> ElementView:
        e = self.fw.element_by_id[er.id]
        name = self.t(e.name)
        criteria = tuple(self.criterion(c) for c in self.r.criteria if c.element == er.id)
        level = self.level(er.level)
        insufficient = er.status != "scored"
        not_applicable = er.status == "not-applicable"
        status_note = None
        if er.status == "insufficient":
            status_note = self.L.fill(
                "element.insufficient_note",
                coverage=pct(er.coverage),
                min=pct(self.r.min_coverage),
            )
        elif not_applicable:
            status_note = self.L["element.not_applicable_note"]
        na_note = None
        if er.mostly_not_applicable:
            na_note = self.L.fill(
                "element.mostly_na_note",
                share=pct(er.na_share, 1),
                max=pct(er.max_na_share, 1),
                level=self.fw.gating.insufficient_element_level,
            )
        chart = charts.bars_svg(
            [
                charts.Bar(
                    c.id,
                    c.name,
                    c.score,
                    self.note(c.score, c.level, "", "†" if c.overridden else ""),
                )
                for c in criteria
            ],
            self.rings(),
            title=self.L.fill("chart.bars_title", element=name),
            no_data=self.L["chart.no_data"],
        )
        return ElementView(
            number=number,
            id=er.id,
            name=name,
            description=self.t(e.description),
            weight=er.weight,
            weight_share=er.weight_share,
            weight_rationale=self.t(e.weight_rationale),
            insufficient=insufficient,
            coverage=er.coverage,
            score=er.score,
            index=er.index,
            level=level,
            note=self.note(er.score, level, self.L["chart.insufficient"]),
            formula=formula(er.formula, self.lang),
            criteria=criteria,
            chart=chart,
            peer=self.peer(er.id),
            status_label=self.L[
                "status.not_applicable" if not_applicable else "status.insufficient"
            ],
            status_note=status_note,
            not_applicable=not_applicable,
            na_share=er.na_share,
            mostly_na=er.mostly_not_applicable,
            na_note=na_note,
        )

    def rings(self) -> list[charts.Ring]:
        return [
            charts.Ring(start_score(lv), self.L.fill("level.short", n=lv.level))
            for lv in self.fw.levels
        ]

    def radar(self, elements: tuple[ElementView, ...], target: LevelView) -> Markup:
        return charts.radar_svg(
            [charts.Axis(e.id, e.name, e.score, e.note) for e in elements],
            self.rings(),
            title=self.L["chart.radar_title"],
            target=charts.Ring(target.min_score, self.L.fill("chart.target", n=target.number)),
            legend_series=self.L["chart.organization"],
            legend_gap=self.L["chart.insufficient"],
            **self.peer_radar(),
        )

    def overall(self) -> OverallView:
        o = self.r.overall
        g = o.gating
        return OverallView(
            score=o.score,
            index=o.index,
            coverage=o.coverage,
            level=self.level(o.level),
            level_by_index=self.level(g.level_by_index) if g else None,
            gated=bool(g and g.applied),
            formula=formula(o.formula, self.lang),
            gating_formula=self.gating_formula(g) if g else None,
        )

    def gating_formula(self, g: Gating) -> str:
        """The gating formula with the weakest element by its name in the report language
        (the engine writes its id: `weakest element organization level 1`)."""
        element = self.fw.element_by_id.get(g.weakest_element)
        text = g.formula
        if element is not None:
            name = self.t(element.name)
            text = text.replace(
                f"weakest element {g.weakest_element} level", f"weakest element {name} level"
            )
        return formula(text, self.lang)

    def action(self, a: ActionItem, criterion: str, element: str) -> ActionView:
        phase = self.fw.phase_by_id.get(a.phase) if a.phase is not None else None
        return ActionView(
            id=a.id,
            text=self.t(a.text),
            level=a.level,
            effort=a.effort,
            effort_label=self.L.optional(f"effort.{a.effort}", a.effort),
            phase_order=phase.order if phase else 0,
            phase=self.t(phase.name) if phase else a.phase or "",
            owner=self.role(a.owner_role),
            criterion=criterion,
            element=element,
        )

    def recommendations(self) -> tuple[RecommendationView, ...]:
        out = []
        for rank, item in enumerate(self.r.recommendations.items, start=1):
            crit = self.t(self.fw.criteria[item.criterion].name)
            elem = self.t(self.fw.element_by_id[item.element].name)
            out.append(
                RecommendationView(
                    rank=rank,
                    priority=item.priority,
                    criterion_id=item.criterion,
                    criterion=crit,
                    element_id=item.element,
                    element=elem,
                    current=self.must_level(item.current_level),
                    target=self.must_level(item.target_level),
                    gap=item.gap,
                    actions=tuple(self.action(a, crit, elem) for a in item.actions),
                    kind=item.kind,
                    kind_label=self.L[f"recs.kind.{item.kind}"] if item.kind else "",
                )
            )
        return tuple(out)

    def roadmap(self, recs: tuple[RecommendationView, ...]) -> tuple[PhaseView, ...]:
        """The framework's phases with their actions; without phases, one group per effort
        (quick wins first), each in the recommendations' order."""
        if not self.fw.phases:
            return self.roadmap_by_effort(recs)
        by_id = {a.id: a for rec in recs for a in rec.actions}
        out = []
        for rp in self.r.recommendations.roadmap:
            phase = self.fw.phase_by_id.get(rp.phase)
            actions = tuple(by_id[a] for a in rp.actions if a in by_id)
            n = {e: sum(1 for a in actions if a.effort == e) for e in EFFORTS}
            out.append(
                PhaseView(
                    order=rp.order,
                    id=rp.phase,
                    name=self.t(phase.name) if phase else rp.phase,
                    description=self.t(phase.description) if phase else "",
                    actions=actions,
                    counts=self.L.fill(
                        "roadmap.counts",
                        quick_text=self.L.plural("count.quick_wins", n["quick-win"]),
                        medium=n["medium"],
                        long=n["long-term"],
                    ),
                )
            )
        return tuple(out)

    def roadmap_by_effort(self, recs: tuple[RecommendationView, ...]) -> tuple[PhaseView, ...]:
        out = []
        for order, effort in enumerate(EFFORTS, start=1):
            actions = tuple(a for rec in recs for a in rec.actions if a.effort == effort)
            out.append(
                PhaseView(
                    order=order,
                    id=effort,
                    name=self.L.optional(f"effort.{effort}", effort),
                    description=self.L.optional(f"horizon.{effort}", ""),
                    actions=actions,
                    counts="",
                )
            )
        return tuple(out)

    def summary(
        self,
        overall: OverallView,
        elements: tuple[ElementView, ...],
        recs: tuple[RecommendationView, ...],
        target: LevelView,
    ) -> SummaryView:
        scored = [e for e in elements if not e.insufficient and e.score is not None]
        strongest = max(scored, key=lambda e: (e.score or 0.0, -e.number), default=None)
        weakest = min(scored, key=lambda e: (e.score or 0.0, e.number), default=None)
        insufficient = tuple(e for e in elements if e.insufficient and not e.not_applicable)
        mostly_na = tuple(e for e in elements if e.mostly_na)
        actions = [a for rec in recs for a in rec.actions]
        quick = sum(1 for a in actions if a.effort == "quick-win")
        L = self.L
        provisional = self.provisional(elements)
        paras: list[str] = []
        if overall.level is None:
            paras.append(L["summary.reading_none"])
        else:
            paras.append(
                L.fill(
                    "summary.reading_level_provisional" if provisional else "summary.reading_level",
                    org=self.r.organization["name"],
                    level=overall.level.number,
                    name=overall.level.name,
                    index=num(overall.index, 2),
                    score=num(overall.score),
                    coverage=pct(overall.coverage),
                )
            )
            gating = self.r.overall.gating
            capping = None if gating is None else self.fw.element_by_id[gating.weakest_element]
            scored_ids = {e.id for e in elements if not e.insufficient}
            if (
                gating is not None
                and gating.applied
                and overall.level_by_index is not None
                and gating.weakest_element not in scored_ids
            ):
                # the element that caps the level was never scored: name none (only scored
                # elements are named as being at a level)
                paras.append(
                    L.fill(
                        "summary.reading_gated_unscored",
                        by_index=overall.level_by_index.number,
                        weakest_level=gating.weakest_level,
                        level=overall.level.number,
                    )
                )
            elif gating is not None and gating.applied and overall.level_by_index is not None:
                assert capping is not None
                paras.append(
                    L.fill(
                        "summary.reading_gated",
                        by_index=overall.level_by_index.number,
                        weakest=self.t(capping.name),
                        weakest_level=gating.weakest_level,
                        level=overall.level.number,
                    )
                )
        if insufficient:
            paras.append(
                L.fill(
                    "summary.reading_insufficient",
                    level=self.fw.gating.insufficient_element_level,
                    names=L["misc.list_sep"].join(e.name for e in insufficient),
                )
            )
        if mostly_na:
            paras.append(
                L.fill(
                    "summary.reading_mostly_na",
                    level=self.fw.gating.insufficient_element_level,
                    names=L["misc.list_sep"].join(e.name for e in mostly_na),
                )
            )
        if strongest is not None and weakest is not None and strongest is not weakest:
            paras.append(
                L.fill(
                    "summary.reading_profile",
                    strong=strongest.name,
                    strong_score=num(strongest.score),
                    weak=weakest.name,
                    weak_score=num(weakest.score),
                )
            )
        recommendations_line = ""
        if recs and actions:
            recommendations_line = L.fill(
                "summary.reading_recommendations",
                target=target.number,
                n=len(recs),
                actions=len(actions),
                quick=quick,
                actions_text=L.plural("count.actions", len(actions)),
                criteria_text=L.plural("count.criteria", len(recs)),
                quick_text=L.plural("count.quick_of", quick),
            )
            paras.append(recommendations_line)
        elif recs:
            paras.append(L.plural("summary.reading_no_actions", len(recs), target=target.number))
        return SummaryView(
            paragraphs=tuple(paras),
            strongest=strongest,
            weakest=weakest,
            insufficient=insufficient,
            recommendations=len(recs),
            actions=len(actions),
            quick_wins=quick,
            target=target,
            recommendations_line=recommendations_line,
            provisional=provisional,
        )

    def provisional(self, elements: tuple[ElementView, ...]) -> ProvisionalView | None:
        """Why the result is provisional, if it is: coverage below the framework's minimum,
        or an element not scored for lack of answers (not-applicable elements aside)."""
        r, L = self.r, self.L
        missing = tuple(e.name for e in elements if e.insufficient and not e.not_applicable)
        coverage = r.overall.coverage
        low = coverage is None or coverage < r.min_coverage
        if not missing and not low:
            return None
        unanswered = sum(1 for q in r.questions if q.n == 0 and q.not_applicable == 0)
        parts = []
        if low:
            shares = {"coverage": pct(coverage or 0.0), "min": pct(r.min_coverage)}
            parts.append(L.fill("provisional.coverage", **shares))
        if missing:
            parts.append(
                L.plural(
                    "provisional.elements",
                    len(missing),
                    total=len(elements),
                    names=L["misc.list_sep"].join(missing),
                )
            )
        if unanswered:
            parts.append(L.plural("provisional.questions", unanswered, total=len(r.questions)))
        return ProvisionalView(
            title=L["provisional.title"],
            level_label=L["provisional.level"],
            tag=L["provisional.tag"],
            missing=("" if self.lang == "zh-CN" else " ").join(parts),
            meaning=L["provisional.meaning"],
            todo=self.provisional_todo(),
            unanswered=unanswered,
            elements=missing,
        )

    def provisional_todo(self) -> str:
        """What completes the assessment: the `crmm answer … --resume` command that continues
        the responses file (for a YAML file; `--respondent` when there are several)."""
        r, L = self.r, self.L
        file = r.responses.file
        if not file.lower().endswith((".yaml", ".yml")):
            return L["provisional.todo_other"]
        command = f"crmm answer {r.questionnaire.id} -o {shlex.quote(file)} --resume"
        if len(r.respondents) > 1:
            command += f" --respondent <{L['provisional.respondent_id']}>"
            return L.fill("provisional.todo_many", command=command)
        return L.fill("provisional.todo", command=command)

    def methodology(self, target: LevelView) -> MethodologyView:
        fw = self.fw
        return MethodologyView(
            scoring=self.t(fw.scoring.description),
            gating=self.t(fw.gating.description),
            weighting=self.t(fw.weighting_rationale),
            settings=self.L.fill(
                "method.settings",
                min=pct(self.r.min_coverage),
                ahead=fw.scoring.target_levels_ahead,
                ahead_text=self.L.plural("count.levels", fw.scoring.target_levels_ahead),
                target=target.label,
            ),
            levels=tuple(self.level_view(lv) for lv in fw.levels),
            levels_note=self.L.fill(
                "method.levels_note",
                index=num(fw.levels[2].min_index, 2),
                score=exact(lowest_score_for_index(fw.levels[2].min_index)),
            ),
        )

    def trace(self) -> TraceView:
        crit = self.fw.criteria
        key = self.trace_keys()
        return TraceView(
            questions=tuple(
                TraceRow(
                    q.id, self.t(crit[q.criterion].name), q.score, formula(q.formula, self.lang)
                )
                for q in self.r.questions
            ),
            criteria=tuple(
                TraceRow(
                    key[c.id],
                    self.t(crit[c.id].name),
                    c.score,
                    formula(c.formula, self.lang),
                    bool(c.overridden),
                )
                for c in self.r.criteria
            ),
            elements=tuple(
                TraceRow(
                    key[e.id],
                    self.t(self.fw.element_by_id[e.id].name),
                    e.score,
                    formula(e.formula, self.lang),
                )
                for e in self.r.elements
            ),
            overall=formula(self.r.overall.formula, self.lang),
            gating=self.gating_formula(self.r.overall.gating) if self.r.overall.gating else None,
        )

    def trace_keys(self) -> dict[str, str]:
        """How the trace names elements and criteria beside their names: by id in English
        (as in the JSON result); in a zh-CN report, whose ids would be English words, by
        number as the report's sections do (element 2, its criteria 2.1, 2.2…)."""
        if self.lang != "zh-CN":
            return {e.id: e.id for e in self.r.elements} | {c.id: c.id for c in self.r.criteria}
        keys: dict[str, str] = {}
        for n, e in enumerate(self.r.elements, start=1):
            keys[e.id] = str(n)
            own = [c for c in self.r.criteria if c.element == e.id]
            keys.update({c.id: f"{n}.{i}" for i, c in enumerate(own, start=1)})
        return keys

    def respondents(self) -> tuple[RespondentView, ...]:
        return tuple(
            RespondentView(
                id=p.id,
                role=self.role(p.role),
                department=p.department or "",
                answered=p.answered,
                not_applicable=p.not_applicable,
                counts=p.counts,
            )
            for p in self.r.respondents
        )
