"""The report's SVG charts as PNG pictures at print resolution, for the board deck.

PowerPoint and WPS do not all show SVG, so each chart is drawn the way the PDF draws it:
WeasyPrint lays every chart out on a page of its own size, with the bundled Noto Sans SC
(so Chinese labels come out as in the PDF), and PDFium (pypdfium2: Apache-2.0 / BSD-3-Clause,
no GPL) rasterises each page. One layout pass for all charts of a deck. The same SVGs give
the same pixels, and Pillow writes a PNG without dates, so the pictures are reproducible.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from . import pdf
from .errors import ReportError
from .paths import STATIC_DIR
from .pdf_worker import PDF_STYLESHEET

DPI = 220  # pixels per inch of the picture as placed on the slide (print: 200 or more)
PX_PER_INCH = 96  # CSS pixels, the unit of the charts' width and height
_ROOT = re.compile(r"<svg\b[^>]*>")
_ATTR = r'\s{}\s*=\s*["\']\s*([0-9.]+)(?:px)?\s*["\']'
_VIEWBOX = re.compile(
    r'\sviewBox\s*=\s*["\']\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)'
)
_FONT_FACES = re.compile(r"@font-face\s*\{[^}]*\}")


@dataclass(frozen=True)
class Chart:
    """One SVG chart and the width (inches) it takes on a slide."""

    svg: Markup
    width_in: float


def svg_size(svg: str) -> tuple[float, float]:
    """The width and height (CSS pixels) an SVG declares on its root element: its width
    and height in pixels, else its viewBox's (a logo may give only a viewBox)."""
    root = _ROOT.search(svg)
    tag = root.group() if root else ""
    w, h = (re.search(_ATTR.format(a), tag) for a in ("width", "height"))
    if w and h and float(w.group(1)) > 0 and float(h.group(1)) > 0:
        return float(w.group(1)), float(h.group(1))
    box = _VIEWBOX.search(tag)
    if box and float(box.group(1)) > 0 and float(box.group(2)) > 0:
        return float(box.group(1)), float(box.group(2))
    raise ReportError("a picture without a size in pixels or a viewBox cannot go on a slide")


def _stylesheet(sizes: Sequence[tuple[float, float]]) -> str:
    """The report's bundled font faces and one named page per chart, of its exact size."""
    css = (STATIC_DIR / PDF_STYLESHEET).read_text("utf-8")
    rules = [*_FONT_FACES.findall(css), "html, body { margin: 0; } svg { display: block; }"]
    for i, (w, h) in enumerate(sizes):
        rules.append(f"@page c{i} {{ size: {w}px {h}px; margin: 0; }}")
        rules.append(f".c{i} {{ page: c{i}; break-before: page; }}")
        rules.append(f".c{i} svg {{ width: {w}px; height: {h}px; }}")
    return "\n".join(rules)


def chart_pdf(charts: Sequence[Chart], date: dt.date | None = None) -> bytes:
    """The charts laid out by WeasyPrint, one page of its own size each (fonts embedded)."""
    sizes = [svg_size(c.svg) for c in charts]
    body = "".join(f'<div class="c{i}">{c.svg}</div>' for i, c in enumerate(charts))
    html = f"<!DOCTYPE html><html><body>{body}</body></html>"
    return pdf.html_to_pdf(html, _stylesheet(sizes), date=date)


def chart_pngs(charts: Sequence[Chart], date: dt.date | None = None) -> list[bytes]:
    """Each chart as PNG bytes, `DPI` pixels per inch at the width it is placed with."""
    if not charts:
        return []
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(chart_pdf(charts, date))
    try:
        if len(doc) != len(charts):
            raise ReportError(f"{len(charts)} charts were laid out on {len(doc)} pages")
        out = []
        for i, chart in enumerate(charts):
            page = doc[i]
            scale = chart.width_in * DPI / page.get_width()  # pixels per point
            image = page.render(scale=scale).to_pil().convert("RGB")
            page.close()
            buf = io.BytesIO()
            image.save(buf, "PNG")
            out.append(buf.getvalue())
        return out
    finally:
        doc.close()
