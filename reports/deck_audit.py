"""The board deck's audit slides (issue 14): intention against reality, and the assessors'
ratings that replaced self-ratings.

Each function writes one slide of a `_Deck` (reports/deck.py, which plans them only when
the result has their figures). Every number is the result JSON's, formatted as the PDF
formats it: `criteria[].intention`, `.reality`, `.gap` and `overrides[]`; the names and
words come from the report context. The chart is the report's own (reports/ir_chart.py via
`ctx.audit.chart`), rasterised like the deck's other charts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assessment.result import AssessmentResult, CriterionResult

from .formatting import num

if TYPE_CHECKING:
    from .deck import _Deck

TOP_GAPS = 3  # the largest gaps written out beside the chart
TOP_OVERRIDES = 6  # overrides on the assessor-ratings slide; the rest are in the report


@dataclass(frozen=True)
class Gap:
    """A criterion rated on both dimensions, as the deck shows it."""

    criterion: CriterionResult
    intention: float
    reality: float
    gap: float


def gaps(result: AssessmentResult) -> list[Gap]:
    """Every criterion with both an intention and a reality score, largest gap first
    (ties in framework order); the gap is the result's (published intention − reality)."""
    found = [
        Gap(c, c.intention, c.reality, c.gap)
        for c in result.criteria
        if c.intention is not None and c.reality is not None and c.gap is not None
    ]
    return sorted(found, key=lambda g: -g.gap)  # stable: framework order among equals


def has_dimensions(result: AssessmentResult) -> bool:
    return bool(gaps(result))


def slide_intention_reality(deck: _Deck) -> None:
    from .deck import BODY, MARGIN, MUTED, SLIDE_W, Box, Para

    ctx, L = deck.ctx, deck.L
    fw = ctx.framework
    finding_gap = fw.dimensions.finding_gap if fw.dimensions is not None else None
    all_gaps = gaps(ctx.result)
    findings = [g for g in all_gaps if finding_gap is not None and g.gap >= finding_gap]
    notes = [deck.note("intention_reality", gap=num(finding_gap), n=len(findings))]
    slide = deck.new_slide(L["deck.intention_reality"], notes)
    deck.picture(slide, "intention_reality", L["deck.intention_reality"])
    ahead = [g for g in all_gaps if g.gap > 0][:TOP_GAPS]
    lines = [Para(L["deck.said_not_done"], bold=True, color=deck.primary)]
    marked = False
    for g in ahead:
        cid = g.criterion.id
        over = set(g.criterion.overridden)
        mark_i, mark_r = deck.mark_if("intention" in over), deck.mark_if("reality" in over)
        marked = marked or bool(mark_i or mark_r)
        lines.append(Para(deck.criterion_name(cid), bold=True))
        figures = L.fill(
            "deck.gap_figures",
            intention=num(g.intention) + mark_i,
            reality=num(g.reality) + mark_r,
            gap=num(g.gap),
        )
        lines.append(Para(figures, scale=0.85))
    if not ahead:
        lines.append(Para(L["deck.no_gap"]))
    lines.append(
        Para(
            L.plural("deck.findings_count", len(findings), gap=num(finding_gap)),
            color=MUTED,
            scale=0.75,
        )
    )
    if marked:
        lines.append(Para(deck.mark_note(), color=MUTED, scale=0.7))
    left = BODY.left + 7.8
    deck.text(slide, Box(left, BODY.top, SLIDE_W - MARGIN - left, BODY.height), lines, 18.0)


def slide_assessor_ratings(deck: _Deck) -> None:
    from .deck import BODY, BODY_BOTTOM, MUTED, Box, Para

    ctx, L = deck.ctx, deck.L
    overrides = ctx.result.overrides
    shown = overrides[:TOP_OVERRIDES]
    notes = [deck.note("assessor_ratings", n=len(overrides))]
    slide = deck.new_slide(L["deck.assessor_ratings"], notes)
    deck.text(
        slide,
        Box(BODY.left, BODY.top - 0.1, BODY.width, 0.55),
        [Para(L["deck.assessor_ratings_intro"], color=MUTED)],
        13.0,
    )
    rows = []
    for o in shown:
        what = deck.criterion_name(o.criterion)
        if o.dimension is not None:
            what += "\n" + deck.dimension_name(o.dimension)
        before = num(o.before) if o.before is not None else L["misc.none"]
        change = f"{before} → {num(o.after)}\n" + L.fill("deck.rating", rating=o.rating)
        by = o.by + "\n" + o.at  # as written, with its offset
        if o.entries > 1:
            by += "\n" + L.plural("deck.entries", o.entries)
        reason = o.reason + "\n" + deck.colon(L["deck.evidence"], L["misc.list_sep"].join(o.evidence))
        rows.append([what, change, by, reason])
    more = len(overrides) - len(shown)
    top = BODY.top + 0.55
    height = BODY_BOTTOM - top - (0.5 if more else 0.0)
    deck.table(
        slide,
        Box(BODY.left, top, BODY.width, height),
        [L["table.criterion"], L["deck.before_after"], L["deck.rated_by"], L["deck.reason"]],
        rows,
        [3.0, 2.0, 2.6, 6.0],
    )
    if more:
        deck.text(
            slide,
            Box(BODY.left, BODY_BOTTOM - 0.45, BODY.width, 0.45),
            [Para(L.plural("deck.more_overrides", more), color=MUTED)],
            12.0,
        )
