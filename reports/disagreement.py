"""Hand-written SVG of how respondents' roles spread on each element (0-100).

One row per element: a line from the lowest to the highest respondent, a short bar at the
mean of all respondents, and one marker per role, each role in its own lane and with its
own shape (filled or hollow), so the chart reads in greyscale. Deterministic and escaped
like `charts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from .charts import ACCENT, GRID, INK, MUTED, _svg, _text, f, text_width, wrap


@dataclass(frozen=True)
class SpreadRow:
    """One element: its label, role means aligned with the roles (None: role did not
    answer), the lowest and highest respondent and the mean of all (None: no answer)."""

    key: str
    label: str
    by_role: tuple[float | None, ...]
    low: float | None
    high: float | None
    mean: float | None


def marker(index: int, x: float, y: float, size: float = 4.2) -> str:
    """The marker of the index-th role: eight shapes, filled then hollow, then repeated."""
    shape = index % 4
    filled = index % 8 < 4
    style = (
        f'fill="{INK if filled else "#ffffff"}" stroke="{INK}" stroke-width="1.1"'
        f' class="role-mark role-{index}"'
    )
    s = size
    if shape == 0:
        return f'<circle cx="{f(x)}" cy="{f(y)}" r="{f(s)}" {style}/>'
    if shape == 1:
        return (
            f'<rect x="{f(x - s)}" y="{f(y - s)}" width="{f(2 * s)}" height="{f(2 * s)}" {style}/>'
        )
    if shape == 2:
        corners = [(0.0, -1.2), (1.15, 0.9), (-1.15, 0.9)]
    else:
        corners = [(0.0, -1.3), (1.2, 0.0), (0.0, 1.3), (-1.2, 0.0)]
    pts = " ".join(f"{f(x + dx * s)},{f(y + dy * s)}" for dx, dy in corners)
    return f'<polygon points="{pts}" {style}/>'


def spread_svg(
    rows: Sequence[SpreadRow],
    roles: Sequence[str],
    *,
    title: str,
    legend_range: str,
    legend_mean: str,
    no_data: str,
) -> Markup:
    """The spread chart; `roles` are the role names in marker order."""
    width, label_w, size = 660.0, 190.0, 10.0
    x0, x1 = label_w + 14, width - 16
    span = x1 - x0
    lane = 5.0
    band = max(26.0, lane * len(roles) + 12)
    top = 16.0
    labels = [wrap(r.label, label_w - 6, size, max_lines=2) for r in rows]
    height_rows = band * len(rows)
    body: list[str] = []
    for s in (0, 25, 50, 75, 100):
        x = x0 + span * s / 100
        body.append(
            f'<line x1="{f(x)}" x2="{f(x)}" y1="{f(top - 4)}" y2="{f(top + height_rows)}"'
            f' stroke="{GRID}" stroke-width="0.6" stroke-dasharray="1.5 2.5"/>'
        )
        body.append(_text(x, top - 6, [str(s)], size=8, anchor="middle", fill=MUTED, cls="scale"))
    y = top
    for row, lines in zip(rows, labels, strict=True):
        mid = y + band / 2
        first = mid - (len(lines) - 1) * size * 1.25 / 2 + size * 0.35
        body.append(_text(label_w, first, lines, size=size, anchor="end", cls="spread-label"))
        body.append(
            f'<line x1="{f(x0)}" x2="{f(x1)}" y1="{f(y + band)}" y2="{f(y + band)}"'
            f' stroke="{GRID}" stroke-width="0.5"/>'
        )
        if row.low is None or row.high is None:
            body.append(_text(x0 + 6, mid + 3.5, [no_data], size=9, fill=MUTED, cls="no-data"))
            y += band
            continue
        body.append(
            f'<line class="range" data-element="{escape(row.key)}"'
            f' x1="{f(x0 + span * row.low / 100)}" x2="{f(x0 + span * row.high / 100)}"'
            f' y1="{f(mid)}" y2="{f(mid)}"'
            f' stroke="{ACCENT}" stroke-width="2.2" stroke-linecap="round" stroke-opacity="0.55"/>'
        )
        if row.mean is not None:
            xm = x0 + span * row.mean / 100
            body.append(
                f'<line class="mean" x1="{f(xm)}" x2="{f(xm)}" y1="{f(y + 4)}"'
                f' y2="{f(y + band - 4)}" stroke="{ACCENT}" stroke-width="1.6"/>'
            )
        first_lane = mid - lane * (len(roles) - 1) / 2
        for i, value in enumerate(row.by_role):
            if value is not None:
                body.append(marker(i, x0 + span * value / 100, first_lane + i * lane, 2.7))
        y += band
    legend, legend_h = _legend(roles, legend_range, legend_mean, width, top + height_rows + 18)
    body.extend(legend)
    return _svg(width, top + height_rows + 18 + legend_h, title, body, "chart spread")


def _legend(
    roles: Sequence[str], range_label: str, mean_label: str, width: float, y0: float
) -> tuple[list[str], float]:
    """Legend entries left to right, wrapping to new rows; returns the SVG and its height."""
    size, gap, row_h = 9.5, 16.0, 16.0
    items: list[tuple[str, str]] = [(marker(i, 7, -3.5, 3.6), name) for i, name in enumerate(roles)]
    items.append(
        (
            f'<line x1="0" x2="16" y1="-3.5" y2="-3.5" stroke="{ACCENT}" stroke-width="2.2"'
            ' stroke-linecap="round" stroke-opacity="0.55"/>',
            range_label,
        )
    )
    items.append(
        (
            f'<line x1="8" x2="8" y1="-10" y2="3" stroke="{ACCENT}" stroke-width="1.6"/>',
            mean_label,
        )
    )
    out = ['<g class="legend">']
    x, y = 12.0, y0
    for mark, label in items:
        w = 22 + text_width(label, size)
        if x + w > width - 8 and x > 12:
            x, y = 12.0, y + row_h
        out.append(
            f'<g transform="translate({f(x)} {f(y)})">{mark}'
            + _text(22, 0, [label], size=size, fill=INK)
            + "</g>"
        )
        x += w + gap
    out.append("</g>")
    return out, y - y0 + row_h
