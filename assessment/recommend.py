"""Recommendations: the framework's actions for each criterion below the target level."""

from __future__ import annotations

from frameworks.model import Framework

from .result import (
    ActionItem,
    CriterionResult,
    ElementResult,
    Overall,
    Recommendation,
    RecommendationKind,
    Recommendations,
    RoadmapPhase,
)
from .rounding import half_up, index_of_published

EFFORT_ORDER = {"quick-win": 0, "medium": 1, "long-term": 2}


def target_level(overall: Overall, fw: Framework, explicit: int | None = None) -> int:
    """The level to aim for: given explicitly, or the overall level plus the framework's step."""
    if explicit is not None:
        return explicit
    current = overall.level or 1
    return min(5, current + fw.scoring.target_levels_ahead)


def scheduled_phase(phase: str | None, effort: str, first: str | None) -> str | None:
    """The roadmap phase of an action: a quick win (0-3 months) is done in the programme's
    first phase, while its goals are set; any other action in the phase the library names.

    The library's phase says what kind of work an action is, its effort when it can deliver;
    a plan whose first phase waits for work that a quick win would finish in weeks reads
    backwards (docs/scoring.md, "Roadmap")."""
    if phase is None or first is None:
        return phase
    return first if effort == "quick-win" else phase


def work_kind(c: CriterionResult, goal: int, fw: Framework) -> RecommendationKind | None:
    """With intention scored: "decide-and-communicate" while the intention itself is below
    the target level (the practice is not yet planned, communicated and owned), else
    "implement-and-embed" (intended, not yet real). None without an intention score."""
    if c.intention is None:
        return None
    intended = fw.level_for(index_of_published(c.intention)).level
    return "decide-and-communicate" if intended < goal else "implement-and-embed"


def recommend(
    fw: Framework,
    criteria: list[CriterionResult],
    elements: list[ElementResult],
    overall: Overall,
    target: int | None = None,
) -> Recommendations:
    """Prioritise gaps by element weight share × gap; group the actions by phase
    (`scheduled_phase`: quick wins in the first phase, every other action in its own)."""
    goal = target_level(overall, fw, target)
    first = min(fw.phases, key=lambda p: p.order).id if fw.phases else None
    share = {e.id: e.weight_share for e in elements}
    items = []
    for c in criteria:
        if c.level is None or c.level >= goal:
            continue
        actions = sorted(
            (a for a in fw.actions if a.criterion == c.id and c.level < a.level <= goal),
            key=lambda a: (a.level, EFFORT_ORDER[a.effort], a.id),
        )
        gap = goal - c.level
        items.append(
            Recommendation(
                criterion=c.id,
                element=c.element,
                current_level=c.level,
                target_level=goal,
                gap=gap,
                priority=half_up(share[c.element] * gap, 4),
                kind=work_kind(c, goal, fw),
                actions=[
                    ActionItem.model_validate(
                        a.model_dump(exclude={"criterion"})
                        | {"phase": scheduled_phase(a.phase, a.effort, first)}
                    )
                    for a in actions
                ],
            )
        )
    score_of = {c.id: c.score or 0.0 for c in criteria}
    items.sort(key=lambda i: (-i.priority, score_of[i.criterion], i.criterion))
    rank = {i.criterion: n for n, i in enumerate(items)}
    roadmap = []
    for phase in sorted(fw.phases, key=lambda p: p.order):
        in_phase = [
            (EFFORT_ORDER[a.effort], rank[i.criterion], a.level, a.id)
            for i in items
            for a in i.actions
            if a.phase == phase.id
        ]
        roadmap.append(
            RoadmapPhase(
                phase=phase.id, order=phase.order, actions=[a[-1] for a in sorted(in_phase)]
            )
        )
    return Recommendations(
        target_level=goal,
        items=items,
        roadmap=roadmap,
        unassessed_criteria=[c.id for c in criteria if c.level is None],
    )
