"""The assessors' ratings applied to the criteria: the audit trail replayed, oldest first.

Before the trail, each criterion has what its answers give: its intention and reality
scores (with dimensions) and its score (their combination by the framework's rule, or the
answers' mean without dimensions). Each entry then sets its target, a dimension or the
criterion's score, to the score of its rating, (rating − 1) × 25; a dimension's entry also
recombines the criterion's score, unless an entry has set that score itself. Each entry's
`before` must be the published value of its target just before it, so neither the answers
nor an entry can change without the trail saying so (docs/scoring.md, "Assessor ratings").
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from frameworks.errors import InputError, Problem
from frameworks.model import Framework

from .audit import Audit, Target, rating_score
from .dimensions import combine, combine_formula
from .responses import AssessorRating
from .rounding import half_up


def published(v: float) -> float | None:
    """A figure as the result shows it (None: not scored)."""
    return None if math.isnan(v) else half_up(v, 2)


def apply_ratings(
    crit: pd.DataFrame,
    fw: Framework,
    audit: Audit,
    formulas: dict[str, str],
    dimension_formula: Callable[[str, str, float], str],
    source: str,
) -> dict[str, list[str]]:
    """Combine each criterion's dimensions, replay the trail on `crit` (columns score,
    intention, reality; updated in place, as are `formulas`), and return criterion ->
    the figures an entry set. InputError lists every entry whose `before` is not the value
    it replaced. `dimension_formula(criterion, dimension, score)` says how the answers
    gave a dimension its score."""
    rule = fw.dimensions.criterion_score if fw.dimensions is not None else None
    answers_score = {str(c): float(s) for c, s in crit["score"].items()}

    def value(c: str, dim: str) -> float:
        return _value(crit, c, dim)

    def recombine(c: str) -> None:
        if rule is not None:
            crit.at[c, "score"] = combine(value(c, "intention"), value(c, "reality"), rule)

    for cid in crit.index:
        recombine(str(cid))
    overridden: dict[str, list[str]] = {}
    touched: set[str] = set()
    problems: list[Problem] = []
    known = {str(c) for c in crit.index}
    for i, entry in enumerate(audit.ratings):
        c, dim = entry.criterion, entry.dimension
        if c not in known or (dim is not None and rule is None):
            continue  # audit_problems names these
        column = dim or "score"
        now = published(value(c, column))
        if entry.before != now:
            given = (
                "the entries above it and the answers give" if c in touched else "the answers give"
            )
            why = (
                ""
                if c in touched
                else ": they changed after the rating; review it and record what it replaces"
            )
            problems.append(
                Problem(
                    source,
                    f"assessor_ratings[{i}].before",
                    f"{shown(entry.before)} recorded, but {given} {shown(now)}{why}",
                )
            )
        crit.at[c, column] = rating_score(entry.rating)
        marks = overridden.setdefault(c, [])
        if column not in marks:
            marks.append(column)
        if dim is not None and "score" not in marks:
            recombine(c)
        touched.add(c)
    if problems:
        raise InputError(problems)
    for marks in overridden.values():
        marks.sort(key=("score", "intention", "reality").index)
    last = audit.last_by_target()
    for cid in crit.index:
        c = str(cid)
        _formula(
            c, crit, fw, last, formulas, overridden.get(c, []), answers_score[c], dimension_formula
        )
    return overridden


def _value(crit: pd.DataFrame, c: str, column: str) -> float:
    return float(crit.at[c, column])  # type: ignore[arg-type]


def _formula(
    c: str,
    crit: pd.DataFrame,
    fw: Framework,
    last: dict[Target, tuple[int, AssessorRating]],
    formulas: dict[str, str],
    marks: list[str],
    answers_score: float,
    dimension_formula: Callable[[str, str, float], str],
) -> None:
    """The criterion's formula: each dimension (the answers', or the rating that set it),
    their combination, and the rating of the score that replaced it (`last`: the entry
    that counts for each target)."""
    combined = answers_score
    if fw.dimensions is not None:
        rule = fw.dimensions.criterion_score
        i, re_ = _value(crit, c, "intention"), _value(crit, c, "reality")
        parts = []
        for dim, v in (("intention", i), ("reality", re_)):
            if dim in marks:
                rating = last[(c, dim)][1].rating
                parts.append(f"{dim} = assessor rating {rating} = {rating_score(rating):.2f}")
            elif not math.isnan(v):
                parts.append(dimension_formula(c, dim, v))
        combined = combine(i, re_, rule)
        if parts:
            parts.append(combine_formula(i, re_, rule, combined))
            formulas[c] = "; ".join(parts)
    if "score" in marks:
        rating = last[(c, None)][1].rating
        was = "no scored answer" if math.isnan(combined) else f"{half_up(combined, 2):.2f}"
        formulas[c] = (
            f"assessor rating {rating} = {rating_score(rating):.2f} (replaces {was}: "
            + formulas[c]
            + ")"
        )


def shown(v: float | None) -> str:
    return "none" if v is None else f"{v:.2f}"
