"""Reading what a respondent types in the terminal: prompts in both languages, the
allowed inputs per question type, and turning a typed line into an answer value."""

from __future__ import annotations

import math
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from frameworks.fileio import load_data, validate_as
from frameworks.model import ID_PATTERN
from frameworks.text import Lang, Text
from questionnaires.model import Question
from questionnaires.types import LIKERT_LABELS, NA, NA_LABEL, YPN_LABELS

SKIP = {"", "s"}
BACK = {"b", "<"}
HELP = {"?", "\uff1f", "h"}
QUIT = {"q"}
CLEAR = {"x"}
NOTE_SUFFIX = "+c"
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_YPN = {
    "yes": ("y", "yes", "1", "\u662f"),
    "partly": ("p", "partly", "2", "\u90e8\u5206"),
    "no": ("n", "no", "3", "\u5426"),
}


@cache
def _labels() -> dict[str, Text]:
    path = Path(str(resources.files("assessment") / "data" / "answer_labels.yaml"))
    data = load_data(path)
    return {k: validate_as(Text, v, path, k) for k, v in data.items()}


def label(key: str, lang: Lang, **fmt: Any) -> str:
    """A text of `crmm answer` in `lang`, its placeholders filled in."""
    return _labels()[key].get(lang).format(**fmt)


class Invalid(ValueError):
    """A typed input a question does not accept; the message is one line for the user."""


def choices(q: Question, lang: Lang) -> list[tuple[str, str]]:
    """(what to type, label) pairs shown under a question; N/A last where allowed."""
    out: list[tuple[str, str]] = []
    if q.type == "anchored":
        assert q.anchors is not None
        out = [(str(i), a.get(lang)) for i, a in enumerate(q.anchors, start=1)]
    elif q.type == "likert":
        out = [(str(i), t.get(lang)) for i, t in enumerate(LIKERT_LABELS, start=1)]
    elif q.type == "yes_partly_no":
        out = [(k[0], YPN_LABELS[k].get(lang)) for k in ("yes", "partly", "no")]
    elif q.options is not None:
        out = [(str(i), o.text.get(lang)) for i, o in enumerate(q.options, start=1)]
    if q.allow_na:
        out.append((NA, NA_LABEL.get(lang)))
    return out


def input_hint(q: Question, lang: Lang) -> str:
    """One line saying what to type for this question."""
    if q.type in ("anchored", "likert"):
        hint = label("hint_level", lang)
    elif q.type == "yes_partly_no":
        hint = label("hint_ypn", lang)
    elif q.type == "single_choice":
        hint = label("hint_single", lang)
    elif q.type == "multiple_choice":
        hint = label("hint_multi", lang)
    elif q.type == "kpi":
        assert q.kpi is not None
        hint = label("hint_kpi", lang, unit=q.kpi.unit.get(lang))
        lo, hi = q.kpi.minimum, q.kpi.maximum
        if lo is not None and hi is not None:
            hint += " · " + label("hint_range", lang, min=f"{lo:g}", max=f"{hi:g}")
    else:
        hint = label("hint_text", lang)
    if q.allow_na:
        hint += " · " + label("hint_na", lang)
    return hint


def _number(text: str) -> float:
    t = text.replace("\uff0e", ".").rstrip("%\uff05").strip()
    try:
        value = float(t)
    except ValueError:
        raise Invalid("err_number") from None
    if not math.isfinite(value):
        raise Invalid("err_number")
    return value


def plain_number(number: float) -> int | float:
    """A number as a responses file writes it: a whole number as an int (up to 2**53, where
    floats stop being exact), anything else as a float."""
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _option_numbers(text: str, n: int, many: bool) -> list[int]:
    parts = [p for p in re.split(r"[\s,\uff0c\u3001;\uff1b]+", text) if p]
    key = "err_multi" if many else "err_choice"
    if not parts or (not many and len(parts) > 1):
        raise Invalid(key)
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        raise Invalid(key) from None
    if any(not 1 <= x <= n for x in numbers):
        raise Invalid(key)
    if len(set(numbers)) != len(numbers):
        raise Invalid("err_twice")
    return numbers


def parse_value(q: Question, text: str, lang: Lang) -> Any:
    """The answer value a typed input stands for; Invalid with a one-line reason if none."""
    try:
        return _parse_value(q, text.strip())
    except Invalid as exc:
        key = str(exc)
        n = len(q.options or [])
        kpi = q.kpi
        fmt = {"n": n, "value": text.strip(), "min": "", "max": ""}
        if kpi is not None:
            fmt.update(
                min=f"{kpi.minimum:g}" if kpi.minimum is not None else "",
                max=f"{kpi.maximum:g}" if kpi.maximum is not None else "",
            )
        raise Invalid(label(key, lang, **fmt)) from None


def _parse_value(q: Question, text: str) -> Any:
    if has_control(text):
        raise Invalid("err_control")
    if text.lower() in (NA, "n/a"):
        if not q.allow_na:
            raise Invalid("err_na")
        return NA
    if q.type in ("anchored", "likert"):
        if text not in ("1", "2", "3", "4", "5"):
            raise Invalid("err_level")
        return int(text)
    if q.type == "yes_partly_no":
        for value, spellings in _YPN.items():
            if text.lower() in spellings:
                return value
        raise Invalid("err_ypn")
    if q.type == "kpi":
        assert q.kpi is not None
        number = _number(text)
        if q.kpi.minimum is not None and number < q.kpi.minimum:
            raise Invalid("err_min")
        if q.kpi.maximum is not None and number > q.kpi.maximum:
            raise Invalid("err_max")
        return plain_number(number)
    if q.options is not None:
        ids = [o.id for o in q.options]
        many = q.type == "multiple_choice"
        numbers = _option_numbers(text, len(ids), many)
        chosen = [ids[x - 1] for x in sorted(numbers)]
        return chosen if many else chosen[0]
    return text


def describe(q: Question, value: Any, lang: Lang, width: int = 60) -> str:
    """A short display of a stored value: what was typed and, for choices, its label."""
    if value == NA:
        return f"na · {NA_LABEL.get(lang)}"
    if q.type in ("single_choice", "multiple_choice") and q.options is not None:
        ids = [o.id for o in q.options]
        chosen = value if isinstance(value, list) else [value]
        typed = ",".join(str(ids.index(v) + 1) for v in chosen if v in ids)
        text = "; ".join(o.text.get(lang) for o in q.options if o.id in chosen)
    elif q.type == "yes_partly_no" and value in YPN_LABELS:
        typed, text = str(value)[0], YPN_LABELS[value].get(lang)
    elif q.type in ("anchored", "likert") and value in (1, 2, 3, 4, 5):
        labels = q.anchors if q.anchors is not None else list(LIKERT_LABELS)
        typed, text = str(value), labels[int(value) - 1].get(lang)
    elif q.type == "kpi" and q.kpi is not None and isinstance(value, int | float):
        typed, text = f"{value:g}", q.kpi.unit.get(lang)
    else:
        typed, text = str(value), ""
    if len(text) > width:
        text = text[: width - 1] + "…"
    return f"{typed} · {text}" if text else typed


def pick(text: str, ids: list[str]) -> str | None:
    """An id chosen by its number (1-based) or typed as is; None if neither."""
    t = text.strip()
    if t.isdigit() and 1 <= int(t) <= len(ids):
        return ids[int(t) - 1]
    return t if t in ids else None


def has_control(text: str) -> bool:
    """Control characters (arrow keys, escapes) that a responses file does not accept."""
    return _CONTROL.search(text) is not None


def valid_id(text: str) -> bool:
    return re.match(ID_PATTERN, text) is not None and len(text) <= 64
