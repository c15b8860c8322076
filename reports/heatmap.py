"""Hand-written SVG heatmap of every criterion: one row per element, one cell per criterion.

Same conventions as `charts`: deterministic output, escaped text, legible in greyscale. Cells
are filled by maturity level with a sequential palette whose lightness falls with the level,
the score and level are printed in every cell, and criteria without a score are hatched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from .charts import ACCENT, GRID, INK, MUTED, _svg, _text, f, text_width, wrap

# Level 1-5 fills, light to dark: their luminance falls steadily, so greyscale keeps the order.
PALETTE = ("#f2f6f9", "#c9dbe8", "#8fb4cf", "#4a80a8", "#1d4e73")
DARK_FROM = 4  # levels drawn with white text
HATCH = "#c4c4c4"
FULL = 99  # "max_lines" for labels that wrap in full


@dataclass(frozen=True)
class Cell:
    """One criterion: its name, score 0-100 and level (None: not enough answers)."""

    key: str
    label: str
    score: float | None
    level: int | None
    marked: bool = False
    """An assessor's rating set the score (or a dimension of it): † after the score."""


@dataclass(frozen=True)
class Row:
    """One element: its name, a note (score and level, or why it is missing) and criteria."""

    key: str
    label: str
    note: str
    cells: Sequence[Cell]
    insufficient: bool = False


_SOFT = "\x1f"  # marks a break opportunity after a hyphen; removed after wrapping
_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")


def wrap_label(text: str, max_width: float, size: float, max_lines: int) -> list[str]:
    """`charts.wrap`, but a line may also break after a hyphen inside a word
    (`Customer-management` → `Customer-` / `management`)."""
    marked = _HYPHEN.sub(f"-{_SOFT} ", text)
    lines = wrap(marked, max_width, size, max_lines=max_lines)
    return [ln.replace(f"{_SOFT} ", "").replace(_SOFT, "") for ln in lines]


def _fill(level: int | None) -> str:
    return "#ffffff" if level is None else PALETTE[max(1, min(5, level)) - 1]


def _hatch(x: float, y: float, w: float, h: float, step: float = 6.0) -> str:
    """Diagonal lines (45°, bottom-left to top-right) clipped to a rectangle, as one path."""
    segments = []
    c = step
    while c < w + h:
        # the line x' + y' = c in cell coordinates (origin at the bottom-left corner)
        x_a, y_a = max(0.0, c - h), min(c, h)
        x_b, y_b = min(c, w), max(0.0, c - w)
        segments.append(f"M{f(x + x_a)},{f(y + h - y_a)}L{f(x + x_b)},{f(y + h - y_b)}")
        c += step
    return (
        f'<path class="hatch" d="{"".join(segments)}" stroke="{HATCH}" stroke-width="0.8"'
        ' fill="none"/>'
    )


def heatmap_svg(
    rows: Sequence[Row],
    level_names: Sequence[str],
    *,
    title: str,
    na: str,
    na_legend: str,
) -> Markup:
    """Elements as rows, each row's criteria as cells across the full width; a level legend.

    `level_names` are the five legend labels (level 1 first); `na` is written in cells
    without a score and `na_legend` explains it in the legend."""
    width, label_w, gap = 660.0, 128.0, 3.0
    name_size, score_size, line_h = 8.5, 10.5, 8.5 * 1.2
    x0 = label_w + 8
    body: list[str] = []
    y = 4.0
    for row in rows:
        n = max(len(row.cells), 1)
        cell_w = (width - x0 - gap * (n - 1)) / n
        # labels wrap onto as many lines as they need (the row grows): never cut
        names = [wrap_label(c.label, cell_w - 8, name_size, max_lines=FULL) for c in row.cells]
        label = wrap_label(row.label, label_w - 4, 9.5 * 1.06, max_lines=FULL)
        lines = max([len(x) for x in names] + [len(label) + 1])
        height = max(44.0, 8 + lines * line_h + score_size + 10)
        body.append(_row_label(row, label, label_w, y, height))
        for k, (cell, name) in enumerate(zip(row.cells, names, strict=True)):
            body.append(_cell(cell, name, x0 + k * (cell_w + gap), y, cell_w, height, na))
        y += height + gap
    y += 10
    legend, legend_h = _legend(level_names, na_legend, y, width)
    body.append(legend)
    return _svg(width, y + legend_h, title, body, "chart heatmap criteria-heatmap")


def _row_label(row: Row, label: list[str], label_w: float, y: float, h: float) -> str:
    size, step = 9.5, 9.5 * 1.25
    block = len(label) * step + 10
    top = y + (h - block) / 2 + size * 0.85
    out = _text(label_w, top, label, size=size, anchor="end", weight="bold", cls="row-label")
    out += _text(
        label_w,
        top + len(label) * step,
        [row.note],
        size=8.5,
        anchor="end",
        fill=MUTED if row.insufficient else ACCENT,
        cls="row-note",
    )
    return out


def _cell(cell: Cell, name: list[str], x: float, y: float, w: float, h: float, na: str) -> str:
    scored = cell.score is not None and cell.level is not None
    dark = scored and (cell.level or 0) >= DARK_FROM
    ink = "#ffffff" if dark else INK
    out = [
        f'<rect class="cell" data-criterion="{escape(cell.key)}"'
        f' data-level="{cell.level if scored else "na"}" x="{f(x)}" y="{f(y)}"'
        f' width="{f(w)}" height="{f(h)}" fill="{_fill(cell.level if scored else None)}"'
        f' stroke="{GRID}" stroke-width="0.6"/>'
    ]
    if not scored:
        out.append(_hatch(x, y, w, h))
        # a white plate keeps the name and "n/a" readable over the hatching
        plate_h = len(name) * 8.5 * 1.2 + 4
        out.append(
            f'<rect x="{f(x + 2)}" y="{f(y + 3)}" width="{f(w - 4)}" height="{f(plate_h)}"'
            ' fill="#ffffff" fill-opacity="0.9"/>'
        )
    out.append(
        _text(
            x + 4,
            y + 4 + 8.5,
            name,
            size=8.5,
            fill=MUTED if not scored else ink,
            cls="cell-name",
            line_height=1.2,
        )
    )
    mark = "†" if cell.marked else ""
    value = na if not scored else f"{cell.score:.1f}{mark} · L{cell.level}"
    base = y + h - 6
    if not scored:
        vw = text_width(value, 10.5) + 6
        out.append(
            f'<rect x="{f(x + 2)}" y="{f(base - 11)}" width="{f(vw)}" height="14"'
            ' fill="#ffffff" fill-opacity="0.9"/>'
        )
    out.append(
        _text(
            x + 4,
            base,
            [value],
            size=10.5,
            fill=MUTED if not scored else ink,
            weight="bold",
            cls="cell-value" if scored else "cell-na",
        )
    )
    return "".join(out)


def _legend(names: Sequence[str], na_legend: str, y: float, width: float) -> tuple[str, float]:
    """Swatches for the five levels and the hatched n/a mark, wrapped onto rows as needed."""
    size, sw = 9.0, 16.0
    items: list[tuple[str, str]] = []
    for level, name in enumerate(names, start=1):
        items.append(
            (
                f'<rect width="{f(sw)}" height="10" y="-8.5" fill="{_fill(level)}"'
                f' stroke="{GRID}" stroke-width="0.6"/>',
                name,
            )
        )
    items.append(
        (
            f'<rect width="{f(sw)}" height="10" y="-8.5" fill="#ffffff" stroke="{GRID}"'
            f' stroke-width="0.6"/>{_hatch(0, -8.5, sw, 10, step=4.0)}',
            na_legend,
        )
    )
    widths = [sw + 5 + text_width(label, size) + 14 for _, label in items]
    rows: list[list[int]] = [[]]
    used = 0.0
    for i, w in enumerate(widths):
        if rows[-1] and used + w > width:
            rows.append([])
            used = 0.0
        rows[-1].append(i)
        used += w
    out = ['<g class="legend heatmap-legend">']
    for r, idx in enumerate(rows):
        x = (width - sum(widths[i] for i in idx) + 14) / 2
        for i in idx:
            mark, label = items[i]
            out.append(
                f'<g transform="translate({f(x)} {f(y + 8 + r * 16)})">{mark}'
                + _text(sw + 5, 0, [label], size=size, fill=INK)
                + "</g>"
            )
            x += widths[i]
    out.append("</g>")
    return "".join(out), 12 + 16 * len(rows)
