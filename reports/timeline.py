"""Hand-written SVG roadmap timeline: implementation phases left to right, actions as markers.

Same conventions as `charts`: deterministic output, escaped text, legible in greyscale. The
effort of an action is carried three ways: the marker's fill (solid, outlined, dashed), a text
tag in the marker, and the legend; quick wins come first in each phase.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from .charts import ACCENT, BAND, INK, MUTED, _svg, _text, f, legend_row
from .heatmap import wrap_label

EFFORTS = ("quick-win", "medium", "long-term")
LIGHT = "#e4edf3"


@dataclass(frozen=True)
class Marker:
    """One action: a label (e.g. recommendation rank and criterion), its effort and a tag."""

    key: str
    label: str
    effort: str
    tag: str


@dataclass(frozen=True)
class Column:
    """One phase: its heading (`Phase 1`), its name and its actions, in roadmap order."""

    key: str
    heading: str
    name: str
    markers: Sequence[Marker]


def _style(effort: str) -> tuple[str, str, str]:
    """Marker rectangle attributes, text colour and tag colour for an effort."""
    if effort == "quick-win":
        return f'fill="{ACCENT}" stroke="{ACCENT}" stroke-width="1"', "#ffffff", "#ffffff"
    if effort == "medium":
        return f'fill="{LIGHT}" stroke="{ACCENT}" stroke-width="1.4"', INK, ACCENT
    return (
        f'fill="#ffffff" stroke="{MUTED}" stroke-width="1.2" stroke-dasharray="4 2.5"',
        INK,
        MUTED,
    )


def timeline_svg(
    columns: Sequence[Column],
    *,
    title: str,
    empty: str,
    legend: Sequence[tuple[str, str]],
    more: str = "+{n}",
    max_markers: int = 12,
) -> Markup:
    """Phases as columns joined by arrows, each with its actions stacked below the heading.

    `legend` pairs an effort with its label; `empty` is written in a phase without actions;
    beyond `max_markers` in a phase, `more` (with `{n}`) says how many were left out."""
    width, gap = 660.0, 6.0
    n = max(len(columns), 1)
    col_w = (width - gap * (n - 1)) / n
    size, tag_size, step = 8.5, 7.5, 8.5 * 1.2
    names = [wrap_label(c.name, col_w - 6, size * 1.06, max_lines=3) for c in columns]
    chevron_h = 20.0
    name_h = max((len(x) for x in names), default=1) * step + 6
    top = chevron_h + 6 + name_h + 4
    body: list[str] = []
    bottom = top
    for i, (col, name) in enumerate(zip(columns, names, strict=True)):
        x = i * (col_w + gap)
        body.append(_chevron(x, col_w, chevron_h, col.heading, first=i == 0, last=i == n - 1))
        body.append(
            _text(
                x + col_w / 2,
                chevron_h + 6 + size,
                name,
                size=size,
                anchor="middle",
                weight="bold",
                cls="phase-name",
                line_height=1.2,
            )
        )
        y = top
        shown = list(col.markers[:max_markers])
        if not shown:
            body.append(_text(x + col_w / 2, y + 14, [empty], size=8, anchor="middle", fill=MUTED))
            y += 22
        for m in shown:
            h, svg = _marker(m, x, y, col_w, size, tag_size)
            body.append(svg)
            y += h + 4
        rest = len(col.markers) - len(shown)
        if rest > 0:
            body.append(
                _text(
                    x + col_w / 2,
                    y + 10,
                    [more.format(n=rest)],
                    size=8,
                    anchor="middle",
                    fill=MUTED,
                    cls="more",
                )
            )
            y += 16
        bottom = max(bottom, y)
    # faint column guides behind the markers
    guides = [
        f'<rect x="{f(i * (col_w + gap))}" y="{f(top - 3)}" width="{f(col_w)}"'
        f' height="{f(bottom - top + 3)}" fill="{BAND}" fill-opacity="0.6"/>'
        for i in range(len(columns))
    ]
    legend_y = bottom + 16
    body.append(_legend(legend, legend_y, width))
    return _svg(width, legend_y + 10, title, guides + body, "chart timeline")


def _chevron(x: float, w: float, h: float, label: str, *, first: bool, last: bool) -> str:
    """A phase heading shaped as an arrow pointing to the next phase."""
    tip = 0.0 if last else 7.0
    notch = 0.0 if first else 7.0
    pts = [
        (x, 0.0),
        (x + w - tip, 0.0),
        (x + w + (0 if last else 2), h / 2),
        (x + w - tip, h),
        (x, h),
        (x + notch, h / 2),
    ]
    path = " ".join(f"{f(px)},{f(py)}" for px, py in pts)
    return f'<polygon class="phase-head" points="{path}" fill="{INK}"/>' + _text(
        x + (w + notch - tip) / 2,
        h / 2 + 3.3,
        [label],
        size=9,
        anchor="middle",
        fill="#ffffff",
        weight="bold",
    )


def _marker(
    m: Marker, x: float, y: float, w: float, size: float, tag_size: float
) -> tuple[float, str]:
    rect, ink, tag_ink = _style(m.effort)
    lines = wrap_label(m.label, w - 10, size, max_lines=4)
    step = size * 1.2
    h = 5 + len(lines) * step + tag_size * 1.2 + 4
    out = (
        f'<rect class="marker marker-{m.effort}" data-action="{escape(m.key)}" x="{f(x + 1)}"'
        f' y="{f(y)}" width="{f(w - 2)}" height="{f(h)}" rx="2" {rect}/>'
        + _text(
            x + 5, y + 3 + size, lines, size=size, fill=ink, cls="marker-label", line_height=1.2
        )
        + _text(
            x + 5,
            y + 3 + size + len(lines) * step,
            [m.tag],
            size=tag_size,
            fill=tag_ink,
            weight="bold",
            cls="marker-tag",
        )
    )
    return h, out


def _legend(items: Sequence[tuple[str, str]], y: float, width: float) -> str:
    """Effort by its marker style: a small rectangle styled as the markers are."""
    marks = [
        (f'<rect width="18" height="10" y="-8.5" rx="2" {_style(effort)[0]}/>', label)
        for effort, label in items
    ]
    return legend_row(marks, y, width, "legend timeline-legend", size=9.0, label_x=24.0)
