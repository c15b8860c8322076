"""The board deck's audit slides (issue 14): intention against reality, and the assessors'
ratings that replaced self-ratings.

Each function writes one slide of a `_Deck` (reports/deck.py plans them only when the
report context has their figures). Everything shown comes from the report's audit view
(`ctx.audit`, reports/audit_view.py) and so is what the PDF prints: the chart is the
report's own (reports/ir_chart.py), rasterised like the deck's other charts; the gaps are
`criteria[].intention`, `.reality` and `.gap` of the result, the ratings its `overrides[]`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .formatting import exact, num

if TYPE_CHECKING:
    from .audit_view import AuditView
    from .deck import _Deck
    from .views import ReportContext

TOP_GAPS = 3  # the largest gaps written out beside the chart
TOP_OVERRIDES = 5  # ratings on the assessor-ratings slide; the rest are in the report's annex


def has_gaps(ctx: ReportContext) -> bool:
    """Whether the report shows intention against reality (criteria scored on both)."""
    return ctx.audit is not None and ctx.audit.has_dimensions


def has_overrides(ctx: ReportContext) -> bool:
    return ctx.audit is not None and bool(ctx.audit.overrides)


def _audit(deck: _Deck) -> AuditView:
    audit = deck.ctx.audit
    assert audit is not None
    return audit


def slide_intention_reality(deck: _Deck) -> None:
    from .deck import BODY, MARGIN, MUTED, SLIDE_W, Box, Para

    L, audit = deck.L, _audit(deck)
    assert audit.dimensions is not None
    finding_gap = exact(audit.dimensions.finding_gap)
    notes = [deck.note("intention_reality", gap=finding_gap, n=len(audit.findings))]
    slide = deck.new_slide(L["audit.chart_title"], notes)
    deck.picture(slide, "intention_reality", L["audit.chart_title"])
    ahead = [g for g in audit.gaps if g.gap > 0][:TOP_GAPS]
    lines = [Para(L["audit.said_not_done"], bold=True, color=deck.primary)]
    for g in ahead:
        lines.append(Para(f"{g.key} {g.criterion}", bold=True))
        figures = L.fill(
            "deck.gap_figures",
            intention=num(g.intention) + deck.mark_if("intention" in g.overridden),
            reality=num(g.reality) + deck.mark_if("reality" in g.overridden),
            gap=num(g.gap),
        )
        lines.append(Para(figures, scale=0.85))
    if not ahead:
        lines.append(Para(L["deck.no_gap"]))
    count = L.plural("deck.findings_count", len(audit.findings), gap=finding_gap)
    lines.append(Para(count, color=MUTED, scale=0.75))
    if any(set(g.overridden) & {"intention", "reality"} for g in ahead):
        lines.append(Para(deck.mark_note(), color=MUTED, scale=0.7))
    left = BODY.left + 7.8
    deck.text(slide, Box(left, BODY.top, SLIDE_W - MARGIN - left, BODY.height), lines, 18.0)


def slide_assessor_ratings(deck: _Deck) -> None:
    from .deck import BODY, BODY_BOTTOM, MUTED, Box, Para

    L, audit = deck.L, _audit(deck)
    overrides = audit.overrides
    shown = overrides[:TOP_OVERRIDES]
    notes = [deck.note("assessor_ratings", n=len(overrides))]
    slide = deck.new_slide(L["audit.overrides"], notes)
    deck.text(
        slide,
        Box(BODY.left, BODY.top - 0.1, BODY.width, 0.6),
        [Para(L["deck.assessor_ratings_intro"], color=MUTED)],
        13.0,
    )
    rows = []
    for o in shown:
        before = num(o.before) if o.before is not None else L["audit.no_before"]
        change = f"{before} → {num(o.after)}\n" + deck.colon(L["audit.rating"], str(o.rating))
        by = f"{o.by}\n{o.at}"
        if o.entries > 1:
            by += "\n" + L.plural("deck.entries", o.entries)
        cited = L["misc.list_sep"].join(
            e.id if not e.title else f"{e.id} {e.title}" for e in o.evidence
        )
        reason = o.reason + "\n" + deck.colon(L["audit.evidence"], cited)
        rows.append([o.target, change, by, reason])
    more = len(overrides) - len(shown)
    top = BODY.top + 0.6
    height = BODY_BOTTOM - top - (0.5 if more else 0.0)
    deck.table(
        slide,
        Box(BODY.left, top, BODY.width, height),
        [L["audit.target_col"], L["audit.before_after"], L["audit.by_at"], L["audit.reason"]],
        rows,
        [3.0, 2.0, 2.8, 5.8],
    )
    if more:
        deck.text(
            slide,
            Box(BODY.left, BODY_BOTTOM - 0.45, BODY.width, 0.45),
            [Para(L.plural("deck.more_overrides", more), color=MUTED)],
            12.0,
        )
