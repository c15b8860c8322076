"""Hand-written SVG charts: the elements' radar and a bar chart of criterion scores.

Output is deterministic (fixed rounding, no ids or timestamps), every text is escaped, and
the charts stay legible in greyscale: one accent colour, and shapes and dashes rather than
hue carry the meaning.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

ACCENT = "#1f5f8b"
INK = "#222222"
MUTED = "#6b6b6b"
GRID = "#bdbdbd"
BAND = "#f1f1f1"
PEER = "#b5651d"
FONT = "'Noto Sans SC', 'Noto Sans CJK SC', sans-serif"
Point = Callable[[int, float], tuple[float, float]]


@dataclass(frozen=True)
class Axis:
    """One element on the radar: its label, score 0-100 (None: insufficient) and a note."""

    key: str
    label: str
    value: float | None
    note: str


@dataclass(frozen=True)
class Bar:
    """One criterion in a bar chart: label, score 0-100 (None: no score) and a note."""

    key: str
    label: str
    value: float | None
    note: str


@dataclass(frozen=True)
class PeerBand:
    """A peer group's quartiles and median of one radar axis's score (0-100)."""

    p25: float
    median: float
    p75: float


@dataclass(frozen=True)
class Ring:
    """A reference score (0-100), e.g. where a level starts, with a short label."""

    score: float
    label: str


def f(x: float) -> str:
    """A coordinate as fixed text: one decimal, no negative zero."""
    return f"{round(x, 1) + 0.0:.1f}"


# Advance widths (1/1000 em) of printable ASCII in Noto Sans SC Regular, for label layout.
_ASCII_WIDTHS = (
    224,
    323,
    474,
    555,
    555,
    921,
    680,
    278,
    338,
    338,
    467,
    555,
    278,
    347,
    278,
    392,
    555,
    555,
    555,
    555,
    555,
    555,
    555,
    555,
    555,
    555,
    278,
    278,
    555,
    555,
    555,
    474,
    946,
    608,
    657,
    638,
    688,
    589,
    552,
    689,
    728,
    293,
    535,
    646,
    543,
    812,
    723,
    742,
    633,
    742,
    635,
    596,
    599,
    721,
    575,
    878,
    573,
    531,
    603,
    338,
    392,
    338,
    555,
    559,
    606,
    563,
    618,
    510,
    620,
    554,
    325,
    564,
    607,
    275,
    275,
    552,
    284,
    926,
    610,
    606,
    620,
    620,
    388,
    468,
    377,
    607,
    521,
    802,
    498,
    521,
    475,
    338,
    270,
    338,
    555,
)
BOLD = 1.06  # bold text is about this much wider


def text_width(s: str, size: float) -> float:
    """Rendered width of a label in the report font (CJK and fullwidth characters 1 em)."""
    em = 0.0
    for ch in s:
        code = ord(ch)
        if 0x20 <= code < 0x7F:
            em += _ASCII_WIDTHS[code - 0x20] / 1000
        elif unicodedata.east_asian_width(ch) in "WFA":
            em += 1.0
        else:
            em += 0.6
    return em * size


_NO_LINE_START = "\u3001\u3002\uff0c\uff1b\uff1a\uff09\u300d\u300f\u300b\uff01\uff1f,.;:)"


def _tokens(s: str) -> list[str]:
    """Words, spaces and single CJK characters; closing punctuation stays with what precedes."""
    tokens: list[str] = []
    word = ""
    for ch in s:
        if ch in _NO_LINE_START and (word or tokens):
            if word:
                word += ch
            else:
                tokens[-1] += ch
        elif ch == " " or unicodedata.east_asian_width(ch) in "WF":
            if word:
                tokens.append(word)
            word = ""
            tokens.append(ch)
        else:
            word += ch
    return [*tokens, word] if word else tokens


def _ellipsis(text: str, max_width: float, size: float) -> str:
    while text and text_width(text + "…", size) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap(s: str, max_width: float, size: float, max_lines: int = 3) -> list[str]:
    """Split a label into at most max_lines lines no wider than max_width (at spaces, or
    between CJK characters); what does not fit ends in an ellipsis."""
    lines: list[str] = []
    line = ""
    for tok in _tokens(s):
        candidate = line + tok
        if line.strip() and tok != " " and text_width(candidate.rstrip(), size) > max_width:
            lines.append(line.strip())
            line = tok
        else:
            line = candidate
    if line.strip():
        lines.append(line.strip())
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], _ellipsis(rest, max_width, size)]
    return [
        ln if text_width(ln, size) <= max_width else _ellipsis(ln, max_width, size) for ln in lines
    ]


def _text(
    x: float,
    y: float,
    lines: Sequence[str],
    *,
    size: float,
    anchor: str = "start",
    cls: str = "",
    fill: str = INK,
    weight: str = "normal",
    line_height: float = 1.25,
) -> str:
    attrs = (
        f'x="{f(x)}" y="{f(y)}" font-size="{f(size)}" text-anchor="{anchor}"'
        f' fill="{fill}" font-weight="{weight}"'
    )
    if cls:
        attrs += f' class="{cls}"'
    if len(lines) == 1:
        return f"<text {attrs}>{escape(lines[0])}</text>"
    spans = "".join(
        f'<tspan x="{f(x)}" dy="{f(0 if i == 0 else size * line_height)}">{escape(t)}</tspan>'
        for i, t in enumerate(lines)
    )
    return f"<text {attrs}>{spans}</text>"


def _svg(width: float, height: float, title: str, body: list[str], cls: str) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" role="img"'
        f' width="{f(width)}" height="{f(height)}" viewBox="0 0 {f(width)} {f(height)}"'
        f' font-family="{FONT}">'
        f"<title>{escape(title)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")


def radar_svg(
    axes: Sequence[Axis],
    rings: Sequence[Ring],
    *,
    title: str,
    target: Ring | None = None,
    legend_series: str = "",
    legend_gap: str = "",
    previous: Sequence[Axis] | None = None,
    legend_previous: str = "",
    peers: Sequence[PeerBand] | None = None,
    legend_peer_band: str = "",
    legend_peer_median: str = "",
) -> Markup:
    """A radar of element scores with level rings; insufficient elements are left as gaps.

    `previous` (the same axes from an earlier assessment) is drawn as a dashed outline;
    `peers` (one per axis) as a shaded p25-p75 band with the peer median as a line, and a
    second legend row."""
    width, radius, pad = 660.0, 165.0, 72.0
    cx, cy = width / 2, pad + radius
    n = max(len(axes), 1)
    angle = [-math.pi / 2 + 2 * math.pi * i / n for i in range(n)]

    def point(i: int, score: float) -> tuple[float, float]:
        return _polar(cx, cy, radius * max(0.0, min(100.0, score)) / 100.0, angle[i])

    body: list[str] = []
    bounds = sorted({0.0, *(r.score for r in rings), 100.0})
    for k, s in enumerate(reversed(bounds[1:])):  # bands, outermost first, alternating fill
        fill = BAND if k % 2 == 0 else "#ffffff"
        body.append(
            f'<circle cx="{f(cx)}" cy="{f(cy)}" r="{f(radius * s / 100)}"'
            f' fill="{fill}" stroke="{GRID}" stroke-width="0.8"/>'
        )
    for i, ax in enumerate(axes):
        x, y = point(i, 100.0)
        dash = ' stroke-dasharray="3 3"' if ax.value is None else ""
        body.append(
            f'<line class="axis" x1="{f(cx)}" y1="{f(cy)}" x2="{f(x)}" y2="{f(y)}"'
            f' stroke="{MUTED if ax.value is None else GRID}" stroke-width="0.8"{dash}/>'
        )
    if target is not None:
        body.append(
            f'<circle class="target" cx="{f(cx)}" cy="{f(cy)}"'
            f' r="{f(radius * target.score / 100)}" fill="none" stroke="{INK}"'
            f' stroke-width="1.2" stroke-dasharray="6 3"/>'
        )
    if peers is not None:
        body.extend(_peer_band(peers, point))
    if previous is not None:
        body.extend(_outline(previous, point))
    body.extend(_series(axes, point, (cx, cy)))
    # level names mid-band and ring scores, on the bisectors either side of the first axis,
    # where no vertex can sit; drawn last, each on a white plate, so that no series, target,
    # peer or earlier outline strikes through them
    half = math.pi / n
    for ring in rings:
        upper = min((b for b in bounds if b > ring.score), default=100.0)
        x, y = _polar(cx, cy, radius * (ring.score + upper) / 200, angle[0] + half)
        body.append(_plate(x, y, ring.label, 8.5))
        body.append(
            _text(x, y + 3, [ring.label], size=8.5, anchor="middle", fill=MUTED, cls="ring-label")
        )
    for s in bounds[1:]:
        x, y = _polar(cx, cy, radius * s / 100, angle[0] - half)
        body.append(_plate(x, y, f"{s:g}", 7.5))
        body.append(
            _text(x, y + 3, [f"{s:g}"], size=7.5, anchor="middle", fill=MUTED, cls="ring-score")
        )
    for i, ax in enumerate(axes):
        body.append(_axis_label(ax, angle[i], cx, cy, radius + 14))
    legend_y = cy + radius + pad - 10
    body.append(
        _legend(
            legend_y,
            width,
            legend_series,
            target,
            legend_gap if any(a.value is None for a in axes) else "",
            legend_previous if previous is not None else "",
        )
    )
    if peers is not None:
        legend_y += 18
        body.append(_peer_legend(legend_y, width, legend_peer_band, legend_peer_median))
    return _svg(width, legend_y + 16, title, body, "chart radar")


def _plate(x: float, y: float, label: str, size: float) -> str:
    """A white plate behind a small centred label, so lines under it do not cross the text."""
    w, h = text_width(label, size) + 4, size + 2.5
    return (
        f'<rect class="label-plate" x="{f(x - w / 2)}" y="{f(y - h / 2)}" width="{f(w)}"'
        f' height="{f(h)}" rx="1.5" fill="#ffffff" fill-opacity="0.9"/>'
    )


def _peer_band(peers: Sequence[PeerBand], point: Point) -> list[str]:
    """The peer group's interquartile band (an even-odd ring) and its median outline."""
    if not peers:
        return []

    def ring(values: list[float]) -> str:
        return " ".join(
            ("M" if i == 0 else "L") + f"{f(x)},{f(y)}"
            for i, (x, y) in enumerate(point(i, v) for i, v in enumerate(values))
        )

    outer = ring([p.p75 for p in peers])
    inner = ring([p.p25 for p in peers])
    median = " ".join(
        f"{f(x)},{f(y)}" for x, y in (point(i, p.median) for i, p in enumerate(peers))
    )
    return [
        f'<path class="peer-band" d="{outer} Z {inner} Z" fill="{PEER}" fill-opacity="0.2"'
        ' fill-rule="evenodd" stroke="none"/>',
        f'<polygon class="peer-median" points="{median}" fill="none" stroke="{PEER}"'
        ' stroke-width="1.6" stroke-dasharray="5 2.5" stroke-linejoin="round"/>',
    ]


def _peer_legend(y: float, width: float, band: str, median: str) -> str:
    items = [
        (f'<rect width="14" height="9" y="-8" fill="{PEER}" fill-opacity="0.2"/>', band),
        (
            f'<line x1="0" x2="16" y1="-4" y2="-4" stroke="{PEER}" stroke-width="1.6"'
            ' stroke-dasharray="5 2.5"/>',
            median,
        ),
    ]
    return legend_row(items, y, width, "legend peer-legend")


def legend_row(
    items: Sequence[tuple[str, str]],
    y: float,
    width: float,
    cls: str,
    size: float = 10.0,
    label_x: float = 22.0,
) -> str:
    """A centred row of legend entries: each a small SVG mark followed by its label (at
    `label_x`), 40 units of room per entry besides the label's width."""
    widths = [text_width(label, size) + 40 for _, label in items]
    x = (width - sum(widths)) / 2
    out = [f'<g class="{cls}">']
    for (mark, label), w in zip(items, widths, strict=True):
        out.append(
            f'<g transform="translate({f(x)} {f(y)})">{mark}'
            + _text(label_x, 0, [label], size=size, fill=INK)
            + "</g>"
        )
        x += w
    out.append("</g>")
    return "".join(out)


def _outline(axes: Sequence[Axis], point: Point) -> list[str]:
    """An earlier assessment's scores: a dashed outline through its scored axes."""
    pts = [point(i, a.value) for i, a in enumerate(axes) if a.value is not None]
    if len(pts) < 2:
        return []
    shape = "polygon" if len(pts) == len(axes) else "polyline"
    path = " ".join(f"{f(x)},{f(y)}" for x, y in pts)
    return [
        f'<{shape} class="previous" points="{path}" fill="none" stroke="{INK}"'
        ' stroke-width="1.8" stroke-dasharray="0.1 3.6" stroke-linecap="round"'
        ' stroke-linejoin="round"/>'
    ]


def _polar(cx: float, cy: float, r: float, theta: float) -> tuple[float, float]:
    return cx + r * math.cos(theta), cy + r * math.sin(theta)


def _series(axes: Sequence[Axis], point: Point, center: tuple[float, float]) -> list[str]:
    """The organisation's polygon, as fan-filled runs of consecutive scored axes."""
    n = len(axes)
    scored = [a.value is not None for a in axes]
    out: list[str] = []
    pts = {i: point(i, a.value) for i, a in enumerate(axes) if a.value is not None}
    if n and all(scored):
        path = " ".join(f"{f(x)},{f(y)}" for x, y in (pts[i] for i in range(n)))
        out.append(
            f'<polygon class="series" points="{path}" fill="{ACCENT}"'
            f' fill-opacity="0.22" stroke="{ACCENT}" stroke-width="2"'
            ' stroke-linejoin="round"/>'
        )
    elif any(scored):
        start = next(i for i in range(n) if not scored[i])
        run: list[int] = []
        for k in range(1, n + 1):
            i = (start + k) % n
            if scored[i]:
                run.append(i)
            if (not scored[i] or k == n) and run:
                out.extend(_run(run, pts, center))
                run = []
    for i, (x, y) in sorted(pts.items()):
        out.append(
            f'<circle class="vertex" data-element="{escape(axes[i].key)}" cx="{f(x)}"'
            f' cy="{f(y)}" r="3.2" fill="#ffffff" stroke="{ACCENT}" stroke-width="1.8"/>'
        )
    return out


def _run(
    run: list[int], pts: dict[int, tuple[float, float]], center: tuple[float, float]
) -> list[str]:
    line = " ".join(f"{f(pts[i][0])},{f(pts[i][1])}" for i in run)
    out = []
    if len(run) > 1:
        fan = f"{f(center[0])},{f(center[1])} {line}"
        out.append(
            f'<polygon class="series-fill" points="{fan}" fill="{ACCENT}"'
            ' fill-opacity="0.22" stroke="none"/>'
        )
        out.append(
            f'<polyline class="series" points="{line}" fill="none" stroke="{ACCENT}"'
            ' stroke-width="2" stroke-linejoin="round"/>'
        )
    return out


def _axis_label(ax: Axis, theta: float, cx: float, cy: float, r: float) -> str:
    c, s = math.cos(theta), math.sin(theta)
    x, y = cx + r * c, cy + r * s
    anchor = "start" if c > 0.25 else "end" if c < -0.25 else "middle"
    size = 11.5
    room = 150.0 if anchor != "middle" else 220.0
    lines = wrap(ax.label, room / BOLD, size, max_lines=2)
    total = len(lines) + 1
    step = size * 1.25
    if s < -0.5:
        top = y - step * (total - 1) - 2
    elif s > 0.5:
        top = y + size
    else:
        top = y - step * (total - 1) / 2 + size * 0.35
    gap = ax.value is None
    name = _text(
        x,
        top,
        lines,
        size=size,
        anchor=anchor,
        weight="bold",
        fill=MUTED if gap else INK,
        cls="axis-label",
    )
    note = _text(
        x,
        top + step * (total - 1),
        [ax.note],
        size=10,
        anchor=anchor,
        fill=MUTED if gap else ACCENT,
        cls="gap" if gap else "axis-value",
    )
    return name + note


def _legend(
    y: float, width: float, series: str, target: Ring | None, gap: str, previous: str = ""
) -> str:
    items: list[tuple[str, str]] = []
    if series:
        items.append(
            (
                f'<rect width="14" height="9" y="-8" fill="{ACCENT}"'
                f' fill-opacity="0.22" stroke="{ACCENT}" stroke-width="1.5"/>',
                series,
            )
        )
    if previous:
        items.append(
            (
                f'<line x1="1" x2="16" y1="-4" y2="-4" stroke="{INK}" stroke-width="1.8"'
                ' stroke-dasharray="0.1 3.6" stroke-linecap="round"/>',
                previous,
            )
        )
    if target is not None:
        items.append(
            (
                f'<line x1="0" x2="16" y1="-4" y2="-4" stroke="{INK}" stroke-width="1.2"'
                ' stroke-dasharray="6 3"/>',
                target.label,
            )
        )
    if gap:
        items.append(
            (
                f'<line x1="0" x2="16" y1="-4" y2="-4" stroke="{MUTED}"'
                ' stroke-width="0.8" stroke-dasharray="3 3"/>',
                gap,
            )
        )
    return legend_row(items, y, width, "legend")


def bars_svg(bars: Sequence[Bar], ticks: Sequence[Ring], *, title: str, no_data: str) -> Markup:
    """Horizontal bars of criterion scores (0-100) with dotted lines where levels start."""
    width, label_w, size = 660.0, 230.0, 10.5
    x0, x1 = label_w + 10, width - 86
    span = x1 - x0
    rows = [wrap(b.label, label_w - 8, size, max_lines=2) for b in bars]
    heights = [max(26.0, len(lines) * size * 1.25 + 10) for lines in rows]
    top = 18.0
    height = top + sum(heights) + 20
    body: list[str] = []
    y = top
    for bar, lines, h in zip(bars, rows, heights, strict=True):
        mid = y + h / 2
        first = mid - (len(lines) - 1) * size * 1.25 / 2 + size * 0.35
        body.append(_text(label_w, first, lines, size=size, anchor="end", cls="bar-label"))
        body.append(
            f'<rect x="{f(x0)}" y="{f(mid - 6)}" width="{f(span)}" height="12" fill="#ececec"/>'
        )
        if bar.value is None:
            body.append(_text(x0 + 6, mid + 3.5, [no_data], size=9.5, fill=MUTED, cls="no-data"))
        else:
            w = span * max(0.0, min(100.0, bar.value)) / 100
            body.append(
                f'<rect class="bar" data-criterion="{escape(bar.key)}" x="{f(x0)}"'
                f' y="{f(mid - 6)}" width="{f(w)}" height="12" fill="{ACCENT}"/>'
            )
            body.append(_text(x1 + 8, mid + 3.5, [bar.note], size=9.5, cls="bar-value"))
        y += h
    bottom = top + sum(heights)
    for tick in ticks:
        x = x0 + span * tick.score / 100
        if tick.score > 0:
            body.append(
                f'<line x1="{f(x)}" x2="{f(x)}" y1="{f(top - 2)}" y2="{f(bottom)}"'
                f' stroke="{MUTED}" stroke-width="0.7" stroke-dasharray="1.5 2.5"/>'
            )
        body.append(_text(x + 3, top - 6, [tick.label], size=8, fill=MUTED, cls="tick"))
    for s in (0, 50, 100):
        body.append(
            _text(
                x0 + span * s / 100,
                bottom + 13,
                [str(s)],
                size=8,
                anchor="middle",
                fill=MUTED,
                cls="scale",
            )
        )
    return _svg(width, height, title, body, "chart bars")
