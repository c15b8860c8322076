"""Question types: which answer values each accepts and the 0-100 score a value earns."""

from __future__ import annotations

import math
from typing import Any

from frameworks.text import Lang, Text

from .model import Question

NA = "na"
LEVEL_SCORES = {1: 0.0, 2: 25.0, 3: 50.0, 4: 75.0, 5: 100.0}
YES_PARTLY_NO = {"yes": 100.0, "partly": 50.0, "no": 0.0}

LIKERT_LABELS: tuple[Text, ...] = (
    Text(zh="完全不同意", en="strongly disagree"),
    Text(zh="不同意", en="disagree"),
    Text(zh="一般", en="neither agree nor disagree"),
    Text(zh="同意", en="agree"),
    Text(zh="完全同意", en="strongly agree"),
)
YPN_LABELS = {
    "yes": Text(zh="是", en="yes"),
    "partly": Text(zh="部分", en="partly"),
    "no": Text(zh="否", en="no"),
}
NA_LABEL = Text(zh="不适用", en="not applicable")


class AnswerValueError(ValueError):
    """An answer value a question does not accept."""


def normalize_value(q: Question, value: Any) -> Any:
    """Return the canonical form of an answer value, or raise AnswerValueError."""
    if isinstance(value, str) and value.strip().lower() == NA:
        if not q.allow_na:
            raise AnswerValueError("N/A is not allowed for this question")
        return NA
    t = q.type
    if t in ("anchored", "likert"):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or value not in LEVEL_SCORES
        ):
            raise AnswerValueError(f"expected an integer 1 to 5, got {value!r}")
        return int(value)
    if t == "yes_partly_no":
        if not isinstance(value, str) or value.strip().lower() not in YES_PARTLY_NO:
            raise AnswerValueError(f"expected yes, partly or no, got {value!r}")
        return value.strip().lower()
    if t == "kpi":
        assert q.kpi is not None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise AnswerValueError(f"expected a number, got {value!r}")
        if q.kpi.minimum is not None and value < q.kpi.minimum:
            raise AnswerValueError(f"{value} is below the minimum {q.kpi.minimum:g}")
        if q.kpi.maximum is not None and value > q.kpi.maximum:
            raise AnswerValueError(f"{value} is above the maximum {q.kpi.maximum:g}")
        return float(value)
    if t == "single_choice":
        assert q.options is not None
        ids = [o.id for o in q.options]
        if not isinstance(value, str) or value not in ids:
            raise AnswerValueError(f"expected one of {', '.join(ids)}, got {value!r}")
        return value
    if t == "multiple_choice":
        assert q.options is not None
        ids = [o.id for o in q.options]
        chosen = [value] if isinstance(value, str) else value
        if not isinstance(chosen, list) or not all(isinstance(v, str) for v in chosen):
            raise AnswerValueError(f"expected a list of option ids, got {value!r}")
        unknown = [v for v in chosen if v not in ids]
        if unknown:
            raise AnswerValueError(
                f"unknown option(s) {', '.join(unknown)}; expected some of {', '.join(ids)}"
            )
        if len(set(chosen)) != len(chosen):
            raise AnswerValueError("an option is chosen twice")
        return sorted(chosen, key=ids.index)
    if not isinstance(value, str):
        raise AnswerValueError(f"expected text, got {value!r}")
    return value


def kpi_level(q: Question, value: float) -> int:
    """The level 1-5 a KPI value reaches through the question's thresholds."""
    assert q.kpi is not None
    higher = q.kpi.direction == "higher_is_better"
    return 1 + sum(1 for t in q.kpi.thresholds if (value >= t if higher else value <= t))


def score_value(q: Question, value: Any) -> float | None:
    """The 0-100 score of a canonical value; None for N/A and unscored (text) questions."""
    if value == NA or q.type == "text":
        return None
    if q.type in ("anchored", "likert"):
        return LEVEL_SCORES[int(value)]
    if q.type == "yes_partly_no":
        return YES_PARTLY_NO[value]
    if q.type == "kpi":
        return LEVEL_SCORES[kpi_level(q, float(value))]
    assert q.options is not None
    scores = {o.id: o.score for o in q.options}
    if q.type == "single_choice":
        return scores[value]
    return min(100.0, sum(scores[v] for v in value))


def allowed_values(q: Question, lang: Lang) -> list[tuple[str, str]]:
    """(value, label) pairs a person may write for this question."""
    out: list[tuple[str, str]]
    if q.type == "anchored":
        assert q.anchors is not None
        out = [(str(i), a.get(lang)) for i, a in enumerate(q.anchors, start=1)]
    elif q.type == "likert":
        out = [(str(i), lbl.get(lang)) for i, lbl in enumerate(LIKERT_LABELS, start=1)]
    elif q.type == "yes_partly_no":
        out = [(k, v.get(lang)) for k, v in YPN_LABELS.items()]
    elif q.type == "kpi":
        assert q.kpi is not None
        k = q.kpi
        bounds = [f"{x:g}" for x in (k.minimum, k.maximum) if x is not None]
        rng = (" [" + " .. ".join(bounds) + "]") if len(bounds) == 2 else ""
        out = [("<number>", k.unit.get(lang) + rng)]
    elif q.type in ("single_choice", "multiple_choice"):
        assert q.options is not None
        out = [(o.id, o.text.get(lang)) for o in q.options]
    else:
        out = [("<text>", "")]
    if q.allow_na:
        out.append((NA, NA_LABEL.get(lang)))
    return out
