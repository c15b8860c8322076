"""Reading what a person wrote on a form back into a canonical answer value.

The inverse of `form`: a drop-down text, an option's text or number, a level number, a
yes/partly/no label or an N/A marker, in either language, becomes the value a responses
file holds; anything else raises AnswerValueError with a message a respondent understands.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

from frameworks.text import LANGS
from questionnaires.model import Question
from questionnaires.types import NA, NA_LABEL, AnswerValueError, normalize_value

from .cells import unquote
from .form import choices, dropdown, na_choice

_LEVEL = re.compile(r"^([1-5])(?:\.0+)?(?:\s*[\u2013\u2014\-.:\u3001)\uff09\uff1a]|\s|$)")
_PIECES = re.compile(r"[;\uff1b\n]+")
_COMMAS = re.compile(r"[,\uff0c\u3001]+")
NA_MARKERS = {"na", "n/a", "n.a.", "n. a.", "-na-"} | {
    NA_LABEL.get(lang).casefold() for lang in LANGS
}


def norm(text: str) -> str:
    """Text compared loosely: full-width forms folded (NFKC), spaces collapsed, case folded."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def cell_text(raw: Any) -> str | None:
    """A cell's content as text without the formula guard, or None when it is empty."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return str(raw).upper()
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, dt.datetime):
        raw = raw.date() if raw.time() == dt.time() else raw
    if isinstance(raw, dt.date | dt.datetime):
        return raw.isoformat()
    text = unquote(str(raw)).strip()
    return text or None


def _lookup(q: Question) -> dict[str, Any]:
    """Every text that names a choice (both languages, drop-down form, key, id) → value."""
    table: dict[str, Any] = {}
    for lang in LANGS:
        for c in choices(q, lang):
            table[norm(c.text)] = c.value
            table[norm(c.key)] = c.value
            table[norm(str(c.value))] = c.value
        for value, text in dropdown(q, lang):
            table[norm(text)] = value
    return table


def _allowed(q: Question) -> str:
    if q.type in ("anchored", "likert"):
        return "a level 1 to 5 from the list"
    keys = ", ".join(c.key for c in choices(q, "en"))
    return f"one of {keys}" + (" or N/A" if q.allow_na else "")


def _choice(q: Question, text: str, table: dict[str, Any]) -> Any:
    key = norm(text)
    if key in table:
        return table[key]
    if q.type in ("anchored", "likert") and (m := _LEVEL.match(text)):
        return int(m.group(1))
    raise AnswerValueError(f"{text!r} is not an allowed answer (expected {_allowed(q)})")


def _multiple(q: Question, raw: Any, table: dict[str, Any]) -> list[str]:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = cell_text(raw)
    picked: list[str] = []
    for piece in _PIECES.split(str(raw)):
        piece = piece.strip()
        if not piece:
            continue
        if norm(piece) in table:
            picked.append(table[norm(piece)])
            continue
        for part in _COMMAS.split(piece):
            if part.strip():
                picked.append(_choice(q, part.strip(), table))
    return picked


def _number(q: Question, raw: Any) -> float:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    text = str(raw).strip()
    if q.kpi is not None and "%" in (u.strip() for u in q.kpi.unit.texts()) and text.endswith("%"):
        text = text[:-1].strip()
    try:
        value = float(text)
    except ValueError:
        raise AnswerValueError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise AnswerValueError(f"expected a number, got {text!r}")
    return value


def parse_answer(q: Question, raw: Any) -> Any:
    """The canonical value of a cell's content for `q`; None when the cell is empty."""
    text = cell_text(raw)
    if text is None:
        return None
    if isinstance(raw, str):
        raw = text
    folded = norm(text)
    if folded in NA_MARKERS or folded in {
        norm(f"N/A \u2013 {na_choice(lang).text}") for lang in LANGS
    }:
        return normalize_value(q, NA)
    if q.type == "text":
        return normalize_value(q, text)
    if q.type == "kpi":
        return normalize_value(q, _number(q, raw))
    table = _lookup(q)
    if q.type == "multiple_choice":
        picked = _multiple(q, raw, table)  # only separators: nothing chosen, not answered
        return normalize_value(q, picked) if picked else None
    if (
        q.type in ("anchored", "likert")
        and isinstance(raw, int | float)
        and not isinstance(raw, bool)
    ):
        return normalize_value(q, raw)
    return normalize_value(q, _choice(q, text, table))


def split_evidence(raw: Any) -> list[str]:
    """Evidence references from a cell: separated by semicolons or line breaks."""
    text = cell_text(raw)
    if text is None:
        return []
    return [p.strip() for p in _PIECES.split(text) if p.strip()]


_DATE = re.compile(r"^(\d{4})\s*[-/.\u5e74]\s*(\d{1,2})\s*[-/.\u6708]\s*(\d{1,2})\s*\u65e5?$")


def parse_date(raw: Any) -> dt.date:
    """A date from a date cell or text such as 2026-11-01, 2026/11/1 or 2026年11月1日."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = cell_text(raw) or ""
    m = _DATE.match(text)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        pass
    raise AnswerValueError(f"expected a date such as 2026-11-01, got {text!r}")
