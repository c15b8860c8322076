"""Layout checks on WeasyPrint's boxes: text running out of its box, blank pages.

Used by tests/test_report_layout.py; it walks the laid-out page boxes, so it sees what a
reader of the PDF would (a cell's text spilling into the next cell, a chart wider than the
page), not just whether the PDF could be written.
"""

from __future__ import annotations

import itertools
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


@dataclass(frozen=True)
class Fill:
    page: int
    share: float  # how far down the page body its content reaches, 0-1
    sections: tuple[str, ...]  # ids of the report sections on the page

    def __str__(self) -> str:
        return f"page {self.page}: {self.share:.0%} filled ({', '.join(self.sections)})"


def _sections(box: Any, out: list[str]) -> None:
    """The report sections a page holds, by id; the element sections count as one part
    ("elements"), as they are read one after the other."""
    element = getattr(box, "element", None)
    if element is not None and getattr(box, "element_tag", "") in ("section", "nav"):
        ident = element.get("id")
        if ident and ident.startswith("element-"):
            ident = "elements"
        if ident and ident not in out:
            out.append(ident)
        return
    for child in getattr(box, "children", ()):
        _sections(child, out)


def _bottom(box: Any) -> float:
    """The lowest edge of any text or image inside a box (0 when there is none)."""
    if isinstance(box, boxes.TextBox):
        return box.position_y + box.margin_height() if box.text.strip() else 0.0
    if isinstance(box, boxes.ReplacedBox):
        return float(box.position_y + box.margin_height())
    return max((_bottom(c) for c in getattr(box, "children", ())), default=0.0)


def page_fill(document: Any) -> list[Fill]:
    """For every page: how far down its body the content reaches and which sections it holds."""
    out = []
    for number, page in enumerate(document.pages, start=1):
        root = page._page_box
        body = [c for c in root.children if not isinstance(c, boxes.MarginBox)]
        top, height = root.content_box_y(), root.height
        bottom = max((_bottom(c) for c in body), default=top)
        sections: list[str] = []
        for c in body:
            _sections(c, sections)
        out.append(Fill(number, max(0.0, bottom - top) / height, tuple(sections)))
    return out


def underfilled_pages(document: Any, least: float = 1 / 3) -> list[Fill]:
    """Pages filled less than `least` whose last section goes on over the next page: only
    the last page of a section (or of the document) may be that short."""
    fills = page_fill(document)
    return [
        fill
        for fill, after in itertools.pairwise(fills)
        if fill.share < least and fill.sections and fill.sections[-1] in after.sections
    ]
