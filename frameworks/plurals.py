"""Counted nouns in the product's languages by CLDR plural rules (Babel), not hand-written
ones: `1 action`, `3 actions`; Chinese has a single form."""

from __future__ import annotations

from functools import cache
from typing import Any

from .langs import Lang


@cache
def _locale(lang: Lang) -> Any:
    from babel import Locale  # lazily: `crmm --help` needs none of it

    return Locale.parse(lang.replace("-", "_"))


def plural_form(lang: Lang, n: int) -> str:
    """The CLDR plural category of `n` in `lang`: `one` or `other` for en, `other` for zh."""
    return str(_locale(lang).plural_form(n))


def counted(n: int, one: str, other: str, lang: Lang = "en") -> str:
    """`n` and the noun in the form its count takes: counted(1, "respondent", "respondents")
    is "1 respondent", counted(3, …) "3 respondents"."""
    return f"{n} {one if plural_form(lang, n) == 'one' else other}"
