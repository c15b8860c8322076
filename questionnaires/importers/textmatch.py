"""Text normalisation for matching export headings and answers to questions and options:
full-width and half-width forms folded (NFKC), case folded, spaces and punctuation removed,
question numbering ("3、", "Q3.", "第3题") and type markers ("[单选题]") stripped."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NUMBERING = re.compile(r"^\s*(?:[Qq]|第)?\s*\d+(?:\.\d+)*\s*(?:[、.:)\]】]|题|\s-\s)\s*")
_TYPE_MARKER = re.compile(
    r"\s*[\[【(]"
    r"(?:单选题|多选题|填空题|量表题|矩阵[^\]】)]*|single choice|multiple choice)"
    r"[\]】)]\s*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """NFKC (full-width letters, digits and punctuation to half-width) and trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """The comparable core of a text: letters and digits only, case folded."""
    folded = fold(text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def strip_numbering(heading: str) -> str:
    """A question heading without its number and type marker: '3、题干[单选题]' -> '题干'."""
    text = fold(heading)
    text = _TYPE_MARKER.sub("", text)
    return _NUMBERING.sub("", text, count=1).strip()


def short(label: str, limit: int = 40) -> str:
    """A heading shortened for messages."""
    one_line = " ".join(label.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
