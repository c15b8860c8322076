"""Seeded synthetic answers: plausible, reproducible responses for demos and test data.

Each respondent answers from a latent maturity per element (1.0-5.0), shifted by a personal
bias and blurred by noise, so that respondents disagree the way real ones do. A question on the
intention dimension (what is decided, planned and owned) answers from a second profile when one
is given: an organisation usually means more than it does.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from frameworks.model import Framework
from questionnaires.model import Question, Questionnaire


@dataclass(frozen=True)
class SyntheticRespondent:
    id: str
    role: str
    department: str
    bias: float = 0.0
    na_rate: float = 0.05
    comments: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    # answers given outright (a free-text answer, or a value that replaces the drawn one; the
    # draw still happens, so the other answers stay the same)
    values: dict[str, Any] = field(default_factory=dict)


def _clip(x: float, lo: float = 1.0, hi: float = 5.0) -> float:
    return max(lo, min(hi, x))


def synthetic_value(q: Question, latent: float, rng: random.Random) -> Any:
    """An answer value for question q from a respondent whose view of the practice is `latent`."""
    level = round(_clip(latent))
    if q.type in ("anchored", "likert"):
        return level
    if q.type == "yes_partly_no":
        return "no" if latent < 2.3 else "partly" if latent < 3.7 else "yes"
    if q.type == "kpi":
        assert q.kpi is not None
        t = q.kpi.thresholds
        step = t[1] - t[0]
        edges = [t[0] - step, *t, t[3] + (t[3] - t[2])]
        frac = _clip(latent) - 1.0  # 0..4
        i = min(int(frac), 4)
        value = edges[i] + (edges[i + 1] - edges[i]) * (frac - i)
        if q.kpi.minimum is not None:
            value = max(value, q.kpi.minimum)
        if q.kpi.maximum is not None:
            value = min(value, q.kpi.maximum)
        return round(value, 1)
    if q.type == "single_choice":
        assert q.options is not None
        target = (_clip(latent) - 1.0) * 25.0
        return min(q.options, key=lambda o: (abs(o.score - target), o.id)).id
    if q.type == "multiple_choice":
        assert q.options is not None
        p = (_clip(latent) - 1.0) / 4.0
        return [o.id for o in q.options if o.score > 0 and rng.random() < p] or [
            min(q.options, key=lambda o: o.score).id
        ]
    return None


def synthesize(
    q: Questionnaire,
    fw: Framework,
    organization: dict[str, str],
    profile: dict[str, float],
    respondents: list[SyntheticRespondent],
    date: dt.date,
    seed: int,
    noise: float = 0.6,
    intention: dict[str, float] | None = None,
) -> dict[str, Any]:
    """A responses document (plain data, ready for YAML) drawn from an element profile, and
    from the `intention` profile for the questions on that dimension, if given."""
    rng = random.Random(seed)
    out = []
    for person in respondents:
        answers: dict[str, Any] = {}
        for question in q.questions:
            if question.roles and person.role not in question.roles:
                continue
            if question.type == "text":
                if question.id in person.values:
                    answers[question.id] = person.values[question.id]
                continue
            element = fw.element_of[question.criterion].id
            value: Any = "na"
            if not (question.allow_na and rng.random() < person.na_rate):
                levels = profile
                if intention is not None and question.dimension == "intention":
                    levels = intention
                latent = levels[element] + person.bias + rng.gauss(0.0, noise)
                value = synthetic_value(question, latent, rng)
            value = person.values.get(question.id, value)
            extra: dict[str, Any] = {}
            if question.id in person.comments:
                extra["comment"] = person.comments[question.id]
            if question.id in person.evidence:
                extra["evidence"] = person.evidence[question.id]
            answers[question.id] = {"value": value, **extra} if extra else value
        out.append(
            {
                "id": person.id,
                "role": person.role,
                "department": person.department,
                "answers": answers,
            }
        )
    return {
        "type": "responses",
        "questionnaire": {"id": q.id, "version": q.version},
        "organization": organization,
        "date": date.isoformat(),
        "respondents": out,
    }
