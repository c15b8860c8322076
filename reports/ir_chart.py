"""The "intention vs reality" chart: each criterion rated on both dimensions plotted as a
point, reality across and intention up, with the diagonal where the two agree.

Same conventions as `charts`: deterministic output (fixed rounding, no ids or timestamps),
escaped text, legible in greyscale (the "said but not done" region is shaded, overridden
criteria are drawn as squares rather than in another hue). Points carry a short key (the
criterion's number, e.g. 2.3); the key beside the plot names each criterion.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from .charts import (
    ACCENT,
    BAND,
    BOLD,
    GRID,
    INK,
    MUTED,
    _svg,
    _text,
    f,
    legend_row,
    text_width,
    wrap,
)

AHEAD = "#f4e3d3"  # the region where intention runs ahead of reality (light, prints grey)
SIZE = 360.0  # the square plot's side
LEFT, TOP = 44.0, 30.0  # room for the intention scale and its title
KEY_X = LEFT + SIZE + 26  # where the key beside the plot begins
WIDTH = 660.0


@dataclass(frozen=True)
class IRPoint:
    """One criterion: its short key (e.g. "2.3"), its name (for the key beside the plot),
    its intention and reality scores (0-100) and whether an assessor's rating set either
    (or the criterion's score)."""

    key: str
    name: str
    intention: float
    reality: float
    overridden: bool = False


@dataclass(frozen=True)
class IRLabels:
    """The chart's words, in the report language."""

    title: str
    intention: str  # the vertical axis
    reality: str  # the horizontal axis
    diagonal: str  # "intention = reality"
    ahead: str  # "said but not done" (intention ahead of reality)
    finding: str  # the finding threshold line, e.g. "gap ≥ 20: finding"
    point: str  # legend: a criterion
    overridden: str  # legend: set by an assessor's rating


def _x(reality: float) -> float:
    return LEFT + SIZE * max(0.0, min(100.0, reality)) / 100


def _y(intention: float) -> float:
    return TOP + SIZE * (1 - max(0.0, min(100.0, intention)) / 100)


def _grid() -> list[str]:
    out = [
        f'<rect class="plot" x="{f(LEFT)}" y="{f(TOP)}" width="{f(SIZE)}" height="{f(SIZE)}"'
        f' fill="#ffffff" stroke="{GRID}" stroke-width="0.8"/>',
        # above the diagonal (intention > reality): said but not done
        f'<polygon class="ahead" points="{f(LEFT)},{f(TOP)} {f(LEFT)},{f(TOP + SIZE)}'
        f' {f(LEFT + SIZE)},{f(TOP)}" fill="{AHEAD}" stroke="none"/>',
    ]
    for s in (25, 50, 75):
        out.append(
            f'<line class="grid" x1="{f(_x(s))}" x2="{f(_x(s))}" y1="{f(TOP)}"'
            f' y2="{f(TOP + SIZE)}" stroke="{GRID}" stroke-width="0.5" stroke-dasharray="2 3"/>'
        )
        out.append(
            f'<line class="grid" x1="{f(LEFT)}" x2="{f(LEFT + SIZE)}" y1="{f(_y(s))}"'
            f' y2="{f(_y(s))}" stroke="{GRID}" stroke-width="0.5" stroke-dasharray="2 3"/>'
        )
    for s in (0, 25, 50, 75, 100):
        out.append(
            _text(
                _x(s), TOP + SIZE + 13, [str(s)], size=8, anchor="middle", fill=MUTED, cls="scale"
            )
        )
        out.append(
            _text(LEFT - 5, _y(s) + 3, [str(s)], size=8, anchor="end", fill=MUTED, cls="scale")
        )
    return out


def _diagonal(labels: IRLabels, finding_gap: float | None) -> list[str]:
    out = [
        f'<line class="diagonal" x1="{f(_x(0))}" y1="{f(_y(0))}" x2="{f(_x(100))}"'
        f' y2="{f(_y(100))}" stroke="{INK}" stroke-width="1.2"/>',
    ]
    # the diagonal's label, along it near the top right, inside the plot
    x, y = _x(88), _y(88)
    out.append(
        f'<g transform="translate({f(x)} {f(y)}) rotate(-45)">'
        + _text(0, 11, [labels.diagonal], size=8.5, anchor="middle", fill=INK, cls="diagonal-label")
        + "</g>"
    )
    if finding_gap is not None and 0 < finding_gap < 100:
        g = finding_gap
        out.append(
            f'<line class="finding-line" x1="{f(_x(0))}" y1="{f(_y(g))}" x2="{f(_x(100 - g))}"'
            f' y2="{f(_y(100))}" stroke="{MUTED}" stroke-width="0.9" stroke-dasharray="5 3"/>'
        )
    # the region's name, top left (the emptiest corner: intention high, reality nil)
    lines = wrap(labels.ahead, SIZE * 0.45, 10.5, max_lines=2)
    out.append(
        _text(LEFT + 8, TOP + 16, lines, size=10.5, fill=INK, weight="bold", cls="ahead-label")
    )
    return out


Box = tuple[float, float, float, float]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _groups(points: Sequence[IRPoint]) -> list[list[IRPoint]]:
    """Points at the same place share one marker and one label ("1.1, 2.3")."""
    by_place: dict[tuple[float, float], list[IRPoint]] = {}
    for p in points:
        by_place.setdefault((round(p.reality, 2), round(p.intention, 2)), []).append(p)
    return list(by_place.values())


def _fixed_boxes(labels: IRLabels) -> list[Box]:
    """Where the chart's own labels are (the region's name, the diagonal's, the scales'),
    so that no point label is put over them."""
    lines = wrap(labels.ahead, SIZE * 0.45, 10.5, max_lines=2)
    wide = max(text_width(ln, 10.5) for ln in lines) * BOLD
    boxes: list[Box] = [(LEFT + 6, TOP + 4, LEFT + 10 + wide, TOP + 20 + 13 * (len(lines) - 1))]
    # the diagonal's label: rotated 45°, centred 11 units below the line at 88 (the square
    # around it)
    half = text_width(labels.diagonal, 8.5) * 0.354 + 4
    cx, cy = _x(88) + 7.8, _y(88) + 7.8
    boxes.append((cx - half, cy - half, cx + half, cy + half))
    for s in (0, 25, 50, 75, 100):
        boxes.append((LEFT - 20, _y(s) - 5, LEFT - 3, _y(s) + 5))  # intention scale
        boxes.append((_x(s) - 8, TOP + SIZE + 4, _x(s) + 8, TOP + SIZE + 15))  # reality scale
    return boxes


def _points(points: Sequence[IRPoint], fixed: Sequence[Box] = ()) -> list[str]:
    marks: list[str] = []
    labels: list[str] = []
    taken: list[Box] = list(fixed)
    groups = _groups(points)
    for group in groups:  # every marker's own room, before any label is placed
        x, y = _x(group[0].reality), _y(group[0].intention)
        taken.append((x - 4, y - 4, x + 4, y + 4))
    size = 9.5
    for group in groups:
        x, y = _x(group[0].reality), _y(group[0].intention)
        overridden = any(p.overridden for p in group)
        keys = ", ".join(p.key + ("†" if p.overridden else "") for p in group)
        if overridden:
            marks.append(
                f'<rect class="point overridden" x="{f(x - 3.6)}" y="{f(y - 3.6)}" width="7.2"'
                f' height="7.2" fill="#ffffff" stroke="{INK}" stroke-width="1.6"/>'
            )
        else:
            marks.append(
                f'<circle class="point" cx="{f(x)}" cy="{f(y)}" r="3.6" fill="{ACCENT}"'
                f' stroke="#ffffff" stroke-width="0.8"/>'
            )
        w = text_width(keys, size)
        # right, left, above, below, then further out: the first place free of markers,
        # labels and the plot's edge
        tries = [
            (x + 6, y + 3, "start"),
            (x - 6, y + 3, "end"),
            (x, y - 7, "middle"),
            (x, y + 13, "middle"),
            (x + 6, y - 7, "start"),
            (x + 6, y + 13, "start"),
            (x - 6, y - 7, "end"),
            (x - 6, y + 13, "end"),
        ]
        chosen = tries[0]
        for tx, ty, anchor in tries:
            left = tx if anchor == "start" else tx - w if anchor == "end" else tx - w / 2
            box = (left - 1, ty - size, left + w + 1, ty + 2)
            inside = box[0] >= LEFT - 30 and box[2] <= LEFT + SIZE + 20 and box[1] >= TOP - 12
            if inside and not any(_overlaps(box, t) for t in taken):
                chosen = (tx, ty, anchor)
                taken.append(box)
                break
        tx, ty, anchor = chosen
        labels.append(_text(tx, ty, [keys], size=size, anchor=anchor, fill=INK, cls="point-label"))
    return marks + labels


def _key(points: Sequence[IRPoint]) -> tuple[list[str], float]:
    """The key beside the plot: each criterion's short key and name, one line each (names
    too long for the room end in an ellipsis; the report's gap table names them in full)."""
    room = WIDTH - KEY_X - 6
    n = max(len(points), 1)
    step = max(9.5, min(15.0, (SIZE + 12) / n))
    size = min(10.0, step - 1.5)
    out = ['<g class="key">']
    y = TOP + size
    for p in points:
        key = p.key + ("†" if p.overridden else "")
        kw = text_width("00.00†", size) + 4
        name = wrap(p.name, room - kw, size, max_lines=1)
        out.append(_text(KEY_X, y, [key], size=size, fill=ACCENT, weight="bold", cls="key-id"))
        out.append(_text(KEY_X + kw, y, name, size=size, fill=INK, cls="key-name"))
        y += step
    out.append("</g>")
    return out, y


def intention_reality_chart(
    points: Sequence[IRPoint], labels: IRLabels, *, finding_gap: float | None = None
) -> Markup:
    """A square scatter of criteria, reality (x, 0-100) against intention (y, 0-100): the
    diagonal intention = reality drawn and labelled, the region above it (intention ahead:
    said but not done) shaded and named, the line where the gap reaches `finding_gap`
    dashed, points labelled by key (overridden ones as squares with †), a key of names
    beside the plot and a legend below."""
    body = _grid()
    body.extend(_diagonal(labels, finding_gap))
    body.extend(_points(points, _fixed_boxes(labels)))
    body.append(
        _text(
            LEFT - 5,
            TOP - 12,
            [labels.intention + " ↑"],
            size=9.5,
            fill=INK,
            weight="bold",
            cls="axis-title",
        )
    )
    body.append(
        _text(
            LEFT + SIZE,
            TOP + SIZE + 27,
            [labels.reality + " →"],
            size=9.5,
            anchor="end",
            fill=INK,
            weight="bold",
            cls="axis-title",
        )
    )
    key, key_bottom = _key(points)
    body.extend(key)
    items = [
        (
            f'<circle cx="7" cy="-4" r="3.6" fill="{ACCENT}"/>',
            labels.point,
        ),
        (
            f'<line x1="0" x2="16" y1="-4" y2="-4" stroke="{INK}" stroke-width="1.2"/>',
            labels.diagonal,
        ),
        (
            f'<rect width="14" height="9" y="-8" fill="{AHEAD}" stroke="{BAND}"/>',
            labels.ahead,
        ),
    ]
    if finding_gap is not None:
        items.append(
            (
                f'<line x1="0" x2="16" y1="-4" y2="-4" stroke="{MUTED}" stroke-width="0.9"'
                ' stroke-dasharray="5 3"/>',
                labels.finding,
            )
        )
    if any(p.overridden for p in points):
        items.append(
            (
                f'<rect x="3.4" y="-7.6" width="7.2" height="7.2" fill="#ffffff" stroke="{INK}"'
                ' stroke-width="1.6"/>',
                labels.overridden,
            )
        )
    legend_y = max(TOP + SIZE + 50, key_bottom + 10)
    rows = _legend_rows(items)
    for i, row in enumerate(rows):
        body.append(legend_row(row, legend_y + 16 * i, WIDTH, "legend", size=9.0))
    return _svg(WIDTH, legend_y + 16 * (len(rows) - 1) + 12, labels.title, body, "chart ir-chart")


def _legend_rows(items: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """The legend's entries in rows that fit the chart's width."""
    rows: list[list[tuple[str, str]]] = [[]]
    used = 0.0
    for item in items:
        w = text_width(item[1], 9.0) + 40
        if rows[-1] and used + w > WIDTH - 20:
            rows.append([])
            used = 0.0
        rows[-1].append(item)
        used += w
    return rows
