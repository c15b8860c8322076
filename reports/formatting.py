"""Number, date and formula presentation shared by the context and the templates."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from frameworks.text import Lang

from .labels import Labels, catalogue

DASH = "—"


def num(value: float | None, digits: int = 1) -> str:
    """A number rounded half up as written (61.25 → 61.3), or a dash for a missing value."""
    if value is None:
        return DASH
    exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    return f"{exact + 0:.{digits}f}"


def compact(value: float | None) -> str:
    """A score with at most one decimal and no trailing `.0`."""
    text = num(value, 1)
    return text[:-2] if text.endswith(".0") else text


def spread(std: float | None, low: float | None, high: float | None) -> str:
    """The spread of a question's answers, written the same way on every page: the
    population standard deviation (the result's `std`), then the lowest–highest score."""
    if std is None:
        return DASH
    return f"{num(std)}; {compact(low)}–{compact(high)}"


def exact(value: float | None) -> str:
    """A threshold as declared, every decimal it has and no more (42.5, 60, 2.7)."""
    if value is None:
        return DASH
    text = format(Decimal(repr(float(value))).normalize(), "f")
    return "0" if text in ("-0", "") else text


def icc(value: float | None) -> str:
    """An ICC with two decimals; at or below zero as "≤ 0" (respondents differ more than
    questions: the size of a negative estimate means nothing)."""
    return "≤ 0" if value is not None and value <= 0 else num(value, 2)


def pct(value: float | None, digits: int = 0) -> str:
    """A share 0-1 as a percentage."""
    if value is None:
        return DASH
    return num(float(value) * 100, digits) + "%"


def weight(value: float) -> str:
    """A weight as written in the framework (no trailing zeros)."""
    return f"{value:g}"


def long_date(day: dt.date, labels: Labels) -> str:
    """The date written out in the report's language."""
    months = re.split("[,\uff0c]", labels["date.months"])
    return labels.fill(
        "date.format", year=day.year, month=day.month, day=day.day, month_name=months[day.month - 1]
    )


@cache
def _formula_terms(lang: Lang) -> tuple[tuple[re.Pattern[str], str], ...]:
    pairs = [(v["en"], v[lang]) for k, v in catalogue().items() if k.startswith("formula.")]
    pairs.sort(key=lambda p: -len(p[0]))
    return tuple(
        (re.compile(rf"(?<![\w-]){re.escape(en)}(?![\w-])"), local)
        for en, local in pairs
        if en != local
    )


def formula(text: str, lang: Lang) -> str:
    """An engine formula with its words in the report's language (numbers and ids unchanged)."""
    for pattern, local in _formula_terms(lang):
        text = pattern.sub(local, text)
    return text
