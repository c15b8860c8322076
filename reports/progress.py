"""A re-assessment beside the previous one: progress table and radar overlay.

The changes come from `assessment.compare`; nothing is computed here but presentation.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from assessment.compare import Delta, compare
from assessment.result import AssessmentResult

from . import charts
from .errors import ReportError
from .formatting import long_date
from .views import ProgressRow, ProgressView, ReportContext

if TYPE_CHECKING:
    from .context import _Builder


def with_progress(ctx: ReportContext, b: _Builder, previous: AssessmentResult) -> ReportContext:
    """The context with a progress section and the previous scores on the radar."""
    current = ctx.result
    if previous.date > current.date:
        raise ReportError(
            f"the previous result is dated {previous.date}, after this assessment ({current.date})"
        )
    c = compare([previous, current], ["previous", "current"], mode="over-time")
    step = c.first_to_last
    assert step is not None
    L = b.L
    names = {e.id: e.name for e in ctx.elements}

    def crit(cid: str) -> str:
        c = b.fw.criteria.get(cid)
        return b.t(c.name) if c else cid

    def row(d: Delta, name: str) -> ProgressRow:
        return ProgressRow(
            id=d.id,
            name=name,
            previous=d.score_before,
            current=d.score_after,
            delta=d.score_delta,
            previous_level=b.level(d.level_before),
            current_level=b.level(d.level_after),
        )

    prev_date = long_date(previous.date, L)
    done = sum(a.acted_on for a in step.recommendations)
    view = ProgressView(
        previous_date=prev_date,
        current_date=ctx.cover.date,
        intro=L.fill("progress.intro", previous=prev_date, current=ctx.cover.date),
        elements=tuple(row(d, names.get(d.id, d.id)) for d in step.elements),
        overall=row(step.overall, L["trace.overall_score"]),
        improved=tuple(crit(i) for i in step.improved),
        declined=tuple(crit(i) for i in step.declined),
        acted_on=L.plural("progress.acted_on", done, total=len(step.recommendations)),
        left_out=tuple(crit(lo.id) if lo.kind == "criterion" else lo.id for lo in c.left_out),
    )
    before = {e.id: e.score for e in previous.elements}
    target = ctx.summary.target
    radar = charts.radar_svg(
        [charts.Axis(e.id, e.name, e.score, e.note) for e in ctx.elements],
        b.rings(),
        title=L["chart.radar_title"],
        target=charts.Ring(target.min_score, L.fill("chart.target", n=target.number)),
        legend_series=L["chart.organization"],
        legend_gap=L["chart.insufficient"],
        previous=[charts.Axis(e.id, e.name, before.get(e.id), "") for e in ctx.elements],
        legend_previous=L.fill("chart.previous", date=previous.date.isoformat()),
        **b.peer_radar(),
    )
    return dataclasses.replace(ctx, progress=view, radar=radar)
