"""What a board reads first: strengths, priorities and the roadmap in a line, the criteria
heatmap and the roadmap timeline, added to a built report context.

Only the result is arranged here (sorted, counted, put into words); nothing is rescored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from typing import TYPE_CHECKING

from markupsafe import Markup

from . import heatmap, timeline
from .views import (
    ActionView,
    ElementView,
    ExecutiveView,
    PhaseView,
    PriorityView,
    RecommendationView,
    ReportContext,
    RoadmapStep,
    StrengthView,
)

if TYPE_CHECKING:
    from .labels import Labels

TOP = 3  # strengths and priorities shown in the executive summary


def with_report_content(ctx: ReportContext, labels: Labels) -> ReportContext:
    """The context with horizons on actions, the executive view, heatmap and timeline."""
    recs = tuple(_with_horizons(r, labels) for r in ctx.recommendations)
    by_id = {a.id: a for r in recs for a in r.actions}
    roadmap = tuple(
        dataclasses.replace(p, actions=tuple(by_id.get(a.id, a) for a in p.actions))
        for p in ctx.roadmap
    )
    ctx = dataclasses.replace(ctx, recommendations=recs, roadmap=roadmap)
    return dataclasses.replace(
        ctx,
        executive=executive_view(ctx, labels),
        heatmap=criteria_heatmap(ctx, labels),
        timeline=roadmap_timeline(ctx, labels) if ctx.phased else Markup(""),
    )


def horizon(effort: str, labels: Labels) -> str:
    """When an action of this effort is expected to deliver (labels `horizon.<effort>`)."""
    return labels.optional(f"horizon.{effort}", labels["misc.none"])


def _with_horizons(rec: RecommendationView, labels: Labels) -> RecommendationView:
    actions = tuple(
        dataclasses.replace(a, horizon=horizon(a.effort, labels), rank=rec.rank)
        for a in rec.actions
    )
    return dataclasses.replace(rec, actions=actions)


def strengths(
    elements: tuple[ElementView, ...],
    target: int,
    priorities: Collection[str] = (),
    n: int = TOP,
) -> tuple[StrengthView, ...]:
    """The `n` highest-scoring criteria (ties in framework order) that have reached the
    target level `target` (a score at least its threshold), leaving out criteria of elements
    with insufficient evidence and every criterion among the `priorities` (ids): a strength
    is never also a priority. None qualifying: no clear strength yet (docs/scoring.md)."""
    ranked = [
        (c.score, c.level, c, e)
        for e in elements
        if not e.insufficient
        for c in e.criteria
        if c.score is not None
        and c.level is not None
        and c.level.number >= target
        and c.id not in priorities
    ]
    ranked.sort(key=lambda r: -r[0])  # stable: ties keep the framework's order
    return tuple(
        StrengthView(c.id, c.name, e.name, s, lv, bool(c.overridden)) for s, lv, c, e in ranked[:n]
    )


def priorities(recs: tuple[RecommendationView, ...], n: int = TOP) -> tuple[PriorityView, ...]:
    """The `n` top-ranked recommendations, each with its first action (if any)."""
    return tuple(
        PriorityView(
            rank=r.rank,
            criterion_id=r.criterion_id,
            criterion=r.criterion,
            element=r.element,
            current=r.current,
            target=r.target,
            first_action=r.actions[0] if r.actions else None,
            more_actions=max(0, len(r.actions) - 1),
        )
        for r in recs[:n]
    )


def roadmap_steps(
    roadmap: tuple[PhaseView, ...], labels: Labels, phased: bool = True
) -> tuple[RoadmapStep, ...]:
    """The phases that have actions, in order, each with its action and quick-win counts
    (without phases: the efforts that have actions, each with its count)."""
    steps = []
    for p in sorted(roadmap, key=lambda p: p.order):
        if not p.actions:
            continue
        total = len(p.actions)
        quick = sum(1 for a in p.actions if a.effort == "quick-win")
        count = _plural(labels, "exec.actions", total)
        if not phased:
            text = labels.fill("exec.effort_step", name=p.name, count=count)
            steps.append(RoadmapStep(p.order, p.name, total, quick, text))
            continue
        if quick:
            count += _plural(labels, "exec.quick", quick)
        text = labels.fill("exec.step", n=p.order, name=p.name, count=count)
        steps.append(RoadmapStep(p.order, p.name, total, quick, text))
    return tuple(steps)


def _plural(labels: Labels, key: str, n: int) -> str:
    return labels.plural(key, n)


def _headline_size(ctx: ReportContext) -> int:
    """How many of the summary's paragraphs state the level (and why it is capped)."""
    o = ctx.overall
    return 2 if o.level is not None and o.gated and o.level_by_index is not None else 1


def executive_view(ctx: ReportContext, labels: Labels) -> ExecutiveView:
    paragraphs = ctx.summary.paragraphs
    k = min(_headline_size(ctx), len(paragraphs))
    steps = roadmap_steps(ctx.roadmap, labels, ctx.phased)
    if steps:
        line = labels["exec.step_sep"].join(s.text for s in steps)
    elif ctx.recommendations:
        line = labels["exec.roadmap_none"]
    else:
        line = labels["recs.none"]
    return ExecutiveView(
        headline=paragraphs[:k],
        findings=paragraphs[k:],
        strengths=strengths(
            ctx.elements,
            ctx.summary.target.number,
            {r.criterion_id for r in ctx.recommendations},
        ),
        priorities=priorities(ctx.recommendations),
        steps=steps,
        roadmap_line=line,
    )


def criteria_heatmap(ctx: ReportContext, labels: Labels) -> Markup:
    rows = [
        heatmap.Row(
            key=e.id,
            label=e.name,
            note=e.note,
            insufficient=e.insufficient,
            cells=[
                heatmap.Cell(
                    c.id,
                    c.name,
                    c.score,
                    c.level.number if c.level is not None else None,
                    bool(c.overridden),
                )
                for c in e.criteria
            ],
        )
        for e in ctx.elements
    ]
    names = [f"{lv.short} {lv.name}" for lv in ctx.methodology.levels]
    return heatmap.heatmap_svg(
        rows,
        names,
        title=labels["heatmap.title"],
        na=labels["heatmap.na"],
        na_legend=labels["heatmap.na_legend"],
    )


def _marker(a: ActionView, labels: Labels) -> timeline.Marker:
    return timeline.Marker(
        key=a.id,
        label=labels.fill(
            "timeline.row",
            rank=a.rank,
            criterion=a.criterion,
            level=labels.fill("level.short", n=a.level),
        ),
        effort=a.effort,
        tag=a.horizon,
    )


def roadmap_timeline(ctx: ReportContext, labels: Labels) -> Markup:
    """The roadmap as a Gantt chart: the phases in order, each action once, in the order of
    the per-phase tables (quick wins first)."""
    columns = [
        timeline.Column(
            key=p.id,
            heading=labels.fill("roadmap.phase", n=p.order),
            name=p.name,
            markers=[_marker(a, labels) for a in p.actions],
        )
        for p in sorted(ctx.roadmap, key=lambda p: p.order)
    ]
    legend = [
        (
            effort,
            labels.fill(
                "timeline.legend",
                effort=labels.optional(f"effort.{effort}", effort),
                horizon=horizon(effort, labels),
            ),
        )
        for effort in timeline.EFFORTS
    ]
    return timeline.timeline_svg(
        columns,
        title=labels["timeline.title"],
        empty=labels["timeline.empty"],
        legend=legend,
        axis=labels["timeline.axis"],
        sep=labels["misc.dot"],
    )
