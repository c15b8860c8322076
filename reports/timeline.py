"""Hand-written SVG roadmap as a Gantt chart: months 0-24 across, one row per action.

Rows are grouped by phase in phase order (quick wins first inside a phase, as in the roadmap
tables); each action is a bar over its horizon (quick win 0-3 months, medium-term 3-12,
long-term 12-24, counted from the start of the programme). Same conventions as `charts`:
deterministic output, escaped text, legible in greyscale — the effort is carried by the
bar's fill (solid, light with an outline, dashed outline) as well as by its length, and the
legend names both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from .charts import ACCENT, BAND, GRID, INK, MUTED, _svg, _text, f, legend_row
from .heatmap import wrap_label

EFFORTS = ("quick-win", "medium", "long-term")
# When an action of each effort is expected to deliver, in months from the programme's start
# (the labels `horizon.<effort>` say the same in words).
HORIZON_MONTHS = {"quick-win": (0, 3), "medium": (3, 12), "long-term": (12, 24)}
MONTHS = 24
TICKS = tuple(range(0, MONTHS + 1, 3))
LIGHT = "#e4edf3"

WIDTH = 660.0
LABEL_W = 262.0  # the label column, left of the time axis
AXIS_X0, AXIS_X1 = LABEL_W + 8.0, WIDTH - 8.0
SIZE = 8.5  # label font size
STEP = SIZE * 1.22  # line height


@dataclass(frozen=True)
class Marker:
    """One action: its key (action id), a label (e.g. rank, criterion and level) and effort."""

    key: str
    label: str
    effort: str
    tag: str


@dataclass(frozen=True)
class Column:
    """One group of rows: a phase's heading (`Phase 1`), its name and its actions in order."""

    key: str
    heading: str
    name: str
    markers: Sequence[Marker]


def _style(effort: str) -> str:
    """Bar rectangle attributes for an effort."""
    if effort == "quick-win":
        return f'fill="{ACCENT}" stroke="{ACCENT}" stroke-width="1"'
    if effort == "medium":
        return f'fill="{LIGHT}" stroke="{ACCENT}" stroke-width="1.4"'
    return f'fill="#ffffff" stroke="{MUTED}" stroke-width="1.2" stroke-dasharray="4 2.5"'


def month_x(month: float) -> float:
    """The horizontal position of a month on the chart's axis."""
    return AXIS_X0 + (AXIS_X1 - AXIS_X0) * month / MONTHS


def timeline_svg(
    columns: Sequence[Column],
    *,
    title: str,
    empty: str,
    legend: Sequence[tuple[str, str]],
    axis: str = "months",
    sep: str = " · ",
) -> Markup:
    """A Gantt chart of the roadmap: for each group (a phase) a heading row, then one row per
    action with its label (wrapped, never cut: the row grows) and a bar over its horizon.

    `legend` pairs an effort with its label; `empty` is written in a group without actions;
    `axis` names the time axis; `sep` joins a group's heading and name."""
    body: list[str] = []
    top = 22.0  # the month ticks above the rows
    body.append(_text(0, 12, [axis], size=8, fill=MUTED, cls="axis-title"))
    for m in TICKS:
        body.append(_text(month_x(m), 12, [str(m)], size=8, anchor="middle", cls="tick"))
    y = top
    under: list[str] = []  # row shading, below the month grid
    rows: list[str] = []  # phase headings, labels and bars, above it
    for col in columns:
        head = f"{col.heading}{sep}{col.name}" if col.heading else col.name
        lines = wrap_label(head, WIDTH - 12, 9 * 1.06, max_lines=3)
        h = 6 + len(lines) * 9 * 1.2
        rows.append(
            f'<rect class="phase-head" data-phase="{escape(col.key)}" x="0" y="{f(y)}"'
            f' width="{f(WIDTH)}" height="{f(h)}" fill="{INK}"/>'
            + _text(
                6,
                y + 3 + 9,
                lines,
                size=9,
                fill="#ffffff",
                weight="bold",
                cls="phase-name",
                line_height=1.2,
            )
        )
        y += h + 2
        if not col.markers:
            rows.append(_text(6, y + 11, [empty], size=8, fill=MUTED, cls="empty"))
            y += 16
        for i, marker in enumerate(col.markers):
            h, shade, svg = _row(marker, y, shade=i % 2 == 1)
            under.append(shade)
            rows.append(svg)
            y += h
        y += 4
    bottom = y
    grid = [
        f'<line class="grid" x1="{f(month_x(m))}" y1="{f(top - 4)}" x2="{f(month_x(m))}"'
        f' y2="{f(bottom)}" stroke="{MUTED if m in (3, 12) else GRID}"'
        f' stroke-width="{"0.8" if m in (3, 12) else "0.5"}"/>'
        for m in TICKS
    ]
    legend_y = bottom + 16
    body.append(_legend(legend, legend_y))
    return _svg(WIDTH, legend_y + 10, title, body + under + grid + rows, "chart timeline")


def _row(m: Marker, y: float, *, shade: bool) -> tuple[float, str, str]:
    """One action's row: its height, its background and its label and bar."""
    lines = wrap_label(m.label, LABEL_W - 10, SIZE, max_lines=8)
    h = max(16.0, len(lines) * STEP + 6)
    start, end = HORIZON_MONTHS.get(m.effort, (0, MONTHS))
    bar_h = min(10.0, h - 6)
    bar_y = y + (h - bar_h) / 2
    x0, x1 = month_x(start), month_x(end)
    background = (
        f'<rect class="row-shade" x="0" y="{f(y)}" width="{f(WIDTH)}" height="{f(h)}"'
        f' fill="{BAND}" fill-opacity="0.7"/>'
        if shade
        else ""
    )
    out = (
        _text(
            6,
            y + 3 + SIZE,
            lines,
            size=SIZE,
            cls="bar-label",
            line_height=STEP / SIZE,
        )
        + f'<rect class="bar bar-{escape(m.effort)}" data-action="{escape(m.key)}"'
        f' data-start="{start}" data-end="{end}" x="{f(x0 + 0.5)}" y="{f(bar_y)}"'
        f' width="{f(x1 - x0 - 1)}" height="{f(bar_h)}" rx="2" {_style(m.effort)}>'
        f"<title>{escape(m.tag)}</title></rect>"
    )
    return h, background, out


def _legend(items: Sequence[tuple[str, str]], y: float) -> str:
    """Effort and horizon by the bar style: a small bar styled as the chart's are."""
    marks = [
        (f'<rect width="18" height="10" y="-8.5" rx="2" {_style(effort)}/>', label)
        for effort, label in items
    ]
    return legend_row(marks, y, WIDTH, "legend timeline-legend", size=9.0, label_x=24.0)
