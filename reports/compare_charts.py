"""SVG charts of a comparison: a heatmap of element scores and grouped bars over time.

Like the report's charts: deterministic, escaped, legible in greyscale (the score is written
in every heatmap cell; bars of successive assessments darken with time).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from .charts import ACCENT, GRID, INK, MUTED, _svg, _text, f, text_width, wrap


def _shade(score: float) -> str:
    """Accent fill whose opacity grows with the score (0-100)."""
    return f'fill="{ACCENT}" fill-opacity="{0.08 + 0.8 * max(0.0, min(100.0, score)) / 100:.2f}"'


def heatmap_svg(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
) -> Markup:
    """Rows (organisations) × columns (elements), each cell shaded by and showing its score."""
    size, label_w, head_h = 9.5, 170.0, 46.0
    width = 660.0
    cell_w = (width - label_w - 8) / max(len(columns), 1)
    cell_h = 22.0
    body: list[str] = []
    for j, col in enumerate(columns):
        x = label_w + 8 + cell_w * (j + 0.5)
        lines = wrap(col, cell_w - 4, 8.5, max_lines=3)
        top = head_h - 6 - (len(lines) - 1) * 8.5 * 1.2
        body.append(_text(x, top, lines, size=8.5, anchor="middle", weight="bold", line_height=1.2))
    for i, (row, cells) in enumerate(zip(rows, values, strict=True)):
        y = head_h + i * cell_h
        label = wrap(row, label_w - 6, size, max_lines=1)
        body.append(_text(label_w, y + cell_h / 2 + 3.5, label, size=size, anchor="end"))
        for j, v in enumerate(cells):
            x = label_w + 8 + cell_w * j
            fill = _shade(v) if v is not None else 'fill="#ffffff"'
            body.append(
                f'<rect class="cell" x="{f(x)}" y="{f(y)}" width="{f(cell_w)}"'
                f' height="{f(cell_h)}" {fill} stroke="{GRID}" stroke-width="0.6"/>'
            )
            text = "—" if v is None else f"{v:.1f}"
            colour = "#ffffff" if v is not None and v >= 60 else INK if v is not None else MUTED
            body.append(
                _text(
                    x + cell_w / 2,
                    y + cell_h / 2 + 3.5,
                    [text],
                    size=size,
                    anchor="middle",
                    fill=colour,
                )
            )
    return _svg(width, head_h + len(rows) * cell_h + 6, title, body, "chart heatmap")


def grouped_bars_svg(
    groups: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
) -> Markup:
    """One group of horizontal bars per element, one bar per assessment (oldest first)."""
    width, label_w, size = 660.0, 170.0, 9.5
    x0, x1 = label_w + 10, width - 50
    span = x1 - x0
    bar_h, gap = 9.0, 10.0
    n = max(len(series), 1)
    opacity = [0.3 + 0.7 * k / max(n - 1, 1) for k in range(n)]
    legend_h = 22.0
    body: list[str] = []
    y = legend_h
    for g, cells in zip(groups, values, strict=True):
        group_h = n * bar_h
        lines = wrap(g, label_w - 8, size, max_lines=2)
        first = y + group_h / 2 - (len(lines) - 1) * size * 1.25 / 2 + size * 0.35
        body.append(_text(label_w, first, lines, size=size, anchor="end"))
        for k, v in enumerate(cells):
            by = y + k * bar_h
            w = 0.0 if v is None else span * max(0.0, min(100.0, v)) / 100
            body.append(
                f'<rect class="bar" x="{f(x0)}" y="{f(by + 0.5)}" width="{f(w)}"'
                f' height="{f(bar_h - 1)}" fill="{ACCENT}" fill-opacity="{opacity[k]:.2f}"/>'
            )
            note = "—" if v is None else f"{v:.1f}"
            body.append(_text(x0 + w + 4, by + bar_h - 1.5, [note], size=7.5, fill=MUTED))
        y += group_h + gap
    for s in (0, 20, 40, 60, 80, 100):
        x = x0 + span * s / 100
        body.append(
            f'<line x1="{f(x)}" x2="{f(x)}" y1="{f(legend_h - 4)}" y2="{f(y - gap)}"'
            f' stroke="{GRID}" stroke-width="0.5" stroke-dasharray="1.5 2.5"/>'
        )
        body.append(_text(x, y + 2, [str(s)], size=7.5, anchor="middle", fill=MUTED))
    lx = x0
    for k, name in enumerate(series):
        body.append(
            f'<rect x="{f(lx)}" y="4" width="14" height="9" fill="{ACCENT}"'
            f' fill-opacity="{opacity[k]:.2f}"/>'
        )
        body.append(_text(lx + 18, 12, [name], size=9))
        lx += 18 + text_width(name, 9) + 16
    return _svg(width, y + 8, title, body, "chart grouped-bars")
