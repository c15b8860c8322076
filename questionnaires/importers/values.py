"""Turning an export cell into an answer value for a question: level numbers or anchor texts,
agreement labels, yes/partly/no in Chinese or English, options by text, id or position,
KPI numbers with their unit, and not-applicable texts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from questionnaires.model import Question
from questionnaires.types import LIKERT_LABELS, NA, AnswerValueError, normalize_value

from .textmatch import fold, norm


class CellError(ValueError):
    """A cell whose text cannot be turned into an answer value."""


SKIP = object()  # the cell holds no answer

NA_TEXTS = frozenset(norm(t) for t in ("na", "N/A", "not applicable", "不适用", "不适用 N/A"))
LIKERT_WORDS: dict[str, int] = {
    **{norm(lbl.get("zh-CN")): i for i, lbl in enumerate(LIKERT_LABELS, start=1)},
    **{norm(lbl.get("en")): i for i, lbl in enumerate(LIKERT_LABELS, start=1)},
    **{
        norm(k): v
        for k, v in {
            "非常不同意": 1,
            "很不同意": 1,
            "强烈不同意": 1,
            "比较不同意": 2,
            "中立": 3,
            "不确定": 3,
            "说不清": 3,
            "比较同意": 4,
            "非常同意": 5,
            "neutral": 3,
            "somewhat disagree": 2,
            "somewhat agree": 4,
        }.items()
    },
}
YPN_WORDS: dict[str, str] = {
    **{norm(w): "yes" for w in ("yes", "y", "是", "有", "是的", "true")},
    **{norm(w): "partly" for w in ("partly", "partially", "partial", "部分", "部分是", "部分做到")},
    **{norm(w): "no" for w in ("no", "n", "否", "没有", "无", "不是", "false")},
}
YPN_ORDER = ("yes", "partly", "no")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_LEVEL_PREFIX = re.compile(r"^([1-5])\s*(?:[-.、:)]|分)\s*\S")
_CODE_POSITION = re.compile(r"^(?:A|SQ|AO)0*(\d+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Dialect:
    """How a platform writes answers: texts meaning "no answer", separators of chosen
    options, whether LimeSurvey-style answer codes (A1, SQ001) stand for positions."""

    skip_texts: frozenset[str] = frozenset()
    separators: tuple[str, ...] = ("┋", "|", ";", "；", ",", "，")
    code_positions: bool = False
    chosen_texts: frozenset[str] = field(
        default_factory=lambda: frozenset(
            norm(t) for t in ("1", "y", "yes", "是", "selected", "checked", "true", "选中")
        )
    )
    unchosen_texts: frozenset[str] = field(
        default_factory=lambda: frozenset(
            norm(t) for t in ("0", "n", "no", "否", "not selected", "未选中", "false")
        )
    )


def as_number(text: str, units: tuple[str, ...] = ()) -> float | None:
    """A number written in a cell, allowing full-width digits and a trailing unit or %."""
    t = fold(text).replace(" ", "")
    for unit in (*units, "%"):
        u = fold(unit).replace(" ", "")
        if u and t.casefold().endswith(u.casefold()) and len(t) > len(u):
            t = t[: -len(u)]
            break
    return float(t) if _NUMBER.match(t) else None


def _position(text: str, count: int, dialect: Dialect) -> int | None:
    """A 1-based option position written as a number (or an answer code like A2)."""
    n = as_number(text)
    if n is None and dialect.code_positions and (m := _CODE_POSITION.match(fold(text))):
        n = float(m.group(1))
    if n is not None and n.is_integer() and 1 <= n <= count:
        return int(n)
    return None


def _level(q: Question, text: str, dialect: Dialect) -> int:
    n = _position(text, 5, dialect)
    if n is not None:
        return n
    key = norm(text)
    if q.anchors is not None:
        for i, a in enumerate(q.anchors, start=1):
            if key in {norm(t) for t in a.texts()}:
                return i
    if q.type == "likert" and key in LIKERT_WORDS:
        return LIKERT_WORDS[key]
    if m := _LEVEL_PREFIX.match(fold(text)):
        return int(m.group(1))
    what = "a level 1 to 5 or an anchor text" if q.anchors else "1 to 5 or an agreement label"
    raise CellError(f"expected {what}, got {short_value(text)}")


def option_index(q: Question, text: str, dialect: Dialect) -> int | None:
    """The 0-based index of the option a text names (id, zh/en text or position)."""
    assert q.options is not None
    key = norm(text)
    for i, o in enumerate(q.options):
        if text.strip() == o.id or key in {norm(t) for t in o.text.texts()}:
            return i
    pos = _position(text, len(q.options), dialect)
    return None if pos is None else pos - 1


def _choices(q: Question, text: str, dialect: Dialect) -> list[str]:
    assert q.options is not None
    whole = option_index(q, text, dialect)
    if whole is not None:
        return [q.options[whole].id]
    unknown: list[str] = []
    for sep in dialect.separators:
        if sep not in text:
            continue
        parts = [p.strip() for p in text.split(sep) if p.strip()]
        found = [option_index(q, p, dialect) for p in parts]
        if all(i is not None for i in found):
            ids: list[str] = []
            for i in found:
                assert i is not None
                if q.options[i].id not in ids:
                    ids.append(q.options[i].id)
            return ids
        if not unknown:
            unknown = [p for p, i in zip(parts, found, strict=True) if i is None]
    if not unknown:
        unknown = [text]
    known = ", ".join(o.id for o in q.options)
    raise CellError(
        f"unknown option(s) {', '.join(short_value(u) for u in unknown)} (options: {known})"
    )


def short_value(text: str, limit: int = 30) -> str:
    one = " ".join(text.split())
    return repr(one if len(one) <= limit else one[: limit - 1] + "…")


def _mapped(q: Question, text: str, values: Mapping[str, Mapping[str, Any]]) -> Any:
    key = norm(text)
    for scope in (q.id, "*"):
        for export_text, value in values.get(scope, {}).items():
            if norm(str(export_text)) == key or str(export_text).strip() == text:
                return value
    return SKIP


def cell_value(
    q: Question,
    text: str,
    dialect: Dialect,
    values: Mapping[str, Mapping[str, Any]] | None = None,
) -> Any:
    """The canonical answer value of a cell, SKIP for no answer; raises CellError."""
    text = text.strip()
    if not text or text in dialect.skip_texts or fold(text) in dialect.skip_texts:
        return SKIP
    value = _mapped(q, text, values) if values else SKIP
    if value is SKIP:
        value = _interpret(q, text, dialect)
    if isinstance(value, list) and not value:
        return SKIP  # a multiple choice with nothing chosen is not answered
    try:
        return normalize_value(q, value)
    except AnswerValueError as exc:
        raise CellError(str(exc)) from None


def _option_count(q: Question) -> int | None:
    """How many options a coded export numbers before N/A (None: answers are not options)."""
    if q.type in ("anchored", "likert"):
        return 5
    if q.type == "yes_partly_no":
        return len(YPN_ORDER)
    if q.type == "single_choice" and q.options is not None:
        return len(q.options)
    return None


def na_option(q: Question, text: str, dialect: Dialect) -> bool:
    """Whether a multiple-choice option heading or code names "not applicable" where the
    question allows it: an N/A text, or the position after the last option (`SQ005` of four
    options), where crmm's survey definitions put it."""
    if not q.allow_na or q.options is None:
        return False
    n = len(q.options)
    return norm(text) in NA_TEXTS or _position(text, n + 1, dialect) == n + 1


def _interpret(q: Question, text: str, dialect: Dialect) -> Any:
    if q.type == "kpi":  # a number is never a not-applicable text: read it first
        assert q.kpi is not None
        if (n := as_number(text, q.kpi.unit.texts())) is not None:
            return n
    if norm(text) in NA_TEXTS and q.type != "text":
        return NA
    if (
        q.allow_na
        and (count := _option_count(q))
        and _position(text, count + 1, dialect) == count + 1
    ):
        return NA  # the option after the last: N/A, where crmm's forms list it
    t = q.type
    if t in ("anchored", "likert"):
        return _level(q, text, dialect)
    if t == "yes_partly_no":
        word = YPN_WORDS.get(norm(text))
        if word is not None:
            return word
        pos = _position(text, 3, dialect)
        if pos is not None:
            return YPN_ORDER[pos - 1]
        raise CellError(f"expected yes, partly or no (是/部分/否), got {short_value(text)}")
    if t == "kpi":
        assert q.kpi is not None
        n = as_number(text, q.kpi.unit.texts())
        if n is None:
            raise CellError(f"expected a number ({q.kpi.unit.get('en')}), got {short_value(text)}")
        return n
    if t == "single_choice":
        i = option_index(q, text, dialect)
        if i is None:
            assert q.options is not None
            known = ", ".join(o.id for o in q.options)
            raise CellError(f"unknown option {short_value(text)} (options: {known})")
        assert q.options is not None
        return q.options[i].id
    if t == "multiple_choice":
        return _choices(q, text, dialect)
    return text
