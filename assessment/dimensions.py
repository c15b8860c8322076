"""Intention and reality: a criterion scored on each dimension and the two combined.

In a framework that declares `dimensions`, every scored question measures one dimension
(its own `dimension`, else the framework's default). A criterion's intention (reality)
score is the question-weighted mean of its scored intention (reality) questions, exactly as
a criterion is scored on one dimension; its score combines the two by the framework's
`criterion_score` rule (`weighted`: mean weighted by the rule's weights; `minimum`: the
lower). A criterion with answers on one dimension only takes that one. The gap is the
published intention score minus the published reality score (docs/scoring.md,
"Intention and reality")."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from frameworks.model import DIMENSIONS, CriterionRule, Framework

from .result import CriterionResult
from .rounding import half_up


def dimension_of_questions(q_dimensions: list[str | None], fw: Framework) -> list[str | None]:
    """Each question's dimension: its own, else the framework's default (None without
    dimensions)."""
    if fw.dimensions is None:
        return [None] * len(q_dimensions)
    return [d or fw.dimensions.default for d in q_dimensions]


def dimension_scores(t: pd.DataFrame) -> pd.DataFrame:
    """Per criterion (index), the unrounded intention and reality scores (NaN when the
    criterion has no scored answer on that dimension); `t` is the scored question table."""
    scored = t[(t["n"] > 0) & t["dimension"].notna()].copy()
    scored["wx"] = scored["score"] * scored["qw"]
    g = scored.groupby(["criterion", "dimension"])
    means = (g["wx"].sum() / g["qw"].sum()).unstack("dimension")
    return means.reindex(columns=list(DIMENSIONS)).astype(float)


def combine(intention: float, reality: float, rule: CriterionRule) -> float:
    """A criterion's score from its two dimension scores (NaN: not scored on it)."""
    have_i, have_r = not math.isnan(intention), not math.isnan(reality)
    if not (have_i and have_r):
        return intention if have_i else reality
    if rule.rule == "minimum":
        return min(intention, reality)
    assert rule.weights is not None
    wi, wr = rule.weights["intention"], rule.weights["reality"]
    return (wi * intention + wr * reality) / (wi + wr)


def combine_formula(intention: float, reality: float, rule: CriterionRule, score: float) -> str:
    """How `combine` reached `score`, with the numbers as published."""
    have_i, have_r = not math.isnan(intention), not math.isnan(reality)
    if not (have_i and have_r):
        which = "intention" if have_i else "reality"
        return f"score = {which} only = {score:.2f}"
    i, r = half_up(intention, 2), half_up(reality, 2)
    if rule.rule == "minimum":
        return f"score = min(intention {i:.2f}, reality {r:.2f}) = {half_up(score, 2):.2f}"
    assert rule.weights is not None
    wi, wr = rule.weights["intention"], rule.weights["reality"]
    return (
        f"score = ({i:.2f}×{wi:g} + {r:.2f}×{wr:g}) / ({wi:g} + {wr:g}) = {half_up(score, 2):.2f}"
    )


def gap(intention: float | None, reality: float | None) -> float | None:
    """Published intention minus published reality (None unless both are scored)."""
    if intention is None or reality is None:
        return None
    return half_up(intention - reality, 2)


def gap_findings(criteria: Sequence[CriterionResult], fw: Framework) -> list[CriterionResult]:
    """ "Said but not done": the criteria whose published gap is at least the framework's
    `finding_gap`, the largest gap first (ties in the framework's order); none without
    dimensions."""
    if fw.dimensions is None:
        return []
    limit = fw.dimensions.finding_gap
    found = [(i, c) for i, c in enumerate(criteria) if c.gap is not None and c.gap >= limit]
    return [c for _, c in sorted(found, key=lambda ic: (-(ic[1].gap or 0.0), ic[0]))]
