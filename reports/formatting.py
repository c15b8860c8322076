"""Number, date and formula presentation shared by the context and the templates."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from frameworks.text import Lang

from .labels import Labels, catalogue

DASH = "—"


def num(value: float | None, digits: int = 1) -> str:
    """A fixed-decimal number, or a dash for a missing value."""
    if value is None:
        return DASH
    return f"{round(float(value), digits) + 0.0:.{digits}f}"


def pct(value: float | None, digits: int = 0) -> str:
    """A share 0-1 as a percentage."""
    if value is None:
        return DASH
    return f"{round(float(value) * 100, digits) + 0.0:.{digits}f}%"


def weight(value: float) -> str:
    """A weight as written in the framework (no trailing zeros)."""
    return f"{value:g}"


def long_date(day: dt.date, labels: Labels) -> str:
    """The date written out in the report's language."""
    months = labels["date.months"].split(",")
    return labels.fill("date.format", year=day.year, month=day.month, day=day.day,
                       month_name=months[day.month - 1])


@cache
def _formula_terms(lang: Lang) -> tuple[tuple[re.Pattern[str], str], ...]:
    pairs = [(v["en"], v[lang]) for k, v in catalogue().items() if k.startswith("formula.")]
    pairs.sort(key=lambda p: -len(p[0]))
    return tuple(
        (re.compile(rf"(?<![\w-]){re.escape(en)}(?![\w-])"), local)
        for en, local in pairs if en != local
    )


def formula(text: str, lang: Lang) -> str:
    """An engine formula with its words in the report's language (numbers and ids unchanged)."""
    for pattern, local in _formula_terms(lang):
        text = pattern.sub(local, text)
    return text
