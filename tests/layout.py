"""Layout checks on WeasyPrint's boxes: text running out of its box, blank pages.

Used by tests/test_report_layout.py; it walks the laid-out page boxes, so it sees what a
reader of the PDF would (a cell's text spilling into the next cell, a chart wider than the
page), not just whether the PDF could be written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from weasyprint.formatting_structure import boxes

TOLERANCE = 1.0  # CSS px; sub-pixel rounding is not overflow


@dataclass(frozen=True)
class Overflow:
    page: int
    text: str
    right: float
    limit: float

    def __str__(self) -> str:
        return f"page {self.page}: {self.text!r} ends at {self.right:.1f}px > {self.limit:.1f}px"


def _text_of(box: Any) -> str:
    if isinstance(box, boxes.TextBox):
        return str(box.text)
    return "".join(_text_of(c) for c in getattr(box, "children", ()))


def _walk(box: Any, limit: float, page: int, out: list[Overflow]) -> None:
    """Record boxes whose right edge passes `limit`, the content edge of their container."""
    if isinstance(box, boxes.TextBox | boxes.ReplacedBox):
        right = box.position_x + box.margin_width()
        if right > limit + TOLERANCE and (box.text.strip() if hasattr(box, "text") else True):
            out.append(Overflow(page, _text_of(box)[:60] or type(box).__name__, right, limit))
        return
    if isinstance(box, boxes.BlockContainerBox | boxes.TableBox | boxes.FlexContainerBox):
        if box.style["overflow"] == "hidden":
            return
        limit = min(limit, box.content_box_x() + box.width)
    for child in getattr(box, "children", ()):
        _walk(child, limit, page, out)


def overflows(document: Any) -> list[Overflow]:
    """Every text or image box that ends right of its block's content edge, per page."""
    out: list[Overflow] = []
    for number, page in enumerate(document.pages, start=1):
        root = page._page_box
        for child in root.children:
            if isinstance(child, boxes.MarginBox):
                continue
            _walk(child, root.content_box_x() + root.width, number, out)
    return out


def blank_pages(document: Any) -> list[int]:
    """Pages with no text or image in their body (running headers and footers aside)."""
    blank = []
    for number, page in enumerate(document.pages, start=1):
        body = [c for c in page._page_box.children if not isinstance(c, boxes.MarginBox)]
        if not any(_has_content(c) for c in body):
            blank.append(number)
    return blank


def _has_content(box: Any) -> bool:
    if isinstance(box, boxes.TextBox):
        return bool(box.text.strip())
    if isinstance(box, boxes.ReplacedBox):
        return True
    return any(_has_content(c) for c in getattr(box, "children", ()))
