"""Comparing assessment results: one organisation over time, or several side by side.

Results scored with different framework versions are compared only on the element and
criterion ids they share; everything else is listed as left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from frameworks.errors import InputError
from frameworks.fileio import canonical_json

from .result import AssessmentResult, InputRef
from .scoring import r

Mode = Literal["over-time", "organisations"]
PROFILE_KEYS = ("name", "industry", "size", "region")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entry(Model):
    """One compared assessment: whose, when, with which framework; its overall result and
    the scores of the compared elements (the heatmap's row)."""

    source: str
    organization: dict[str, str]
    date: dt.date
    framework: InputRef
    score: float | None
    index: float | None
    level: int | None
    elements: dict[str, float | None]


class Delta(Model):
    """Score, index and level of one element, criterion or the overall result, before/after."""

    id: str
    element: str | None = None
    score_before: float | None
    score_after: float | None
    score_delta: float | None
    index_before: float | None
    index_after: float | None
    index_delta: float | None
    level_before: int | None
    level_after: int | None
    level_change: int | None


class ActedOn(Model):
    """A criterion the earlier assessment recommended improving, and where it is now."""

    criterion: str
    element: str
    level_before: int
    target_level: int
    level_after: int | None
    acted_on: bool
    reached_target: bool


class Step(Model):
    """The change from one assessment to a later one."""

    before: int
    after: int
    overall: Delta
    elements: list[Delta]
    criteria: list[Delta]
    improved: list[str]
    declined: list[str]
    recommendations: list[ActedOn]


class LeftOut(Model):
    """An element or criterion id that not every compared result has."""

    kind: Literal["element", "criterion"]
    id: str
    present_in: list[int]


class Comparison(Model):
    """What `crmm compare` prints as JSON; tables, workbooks and reports are made from it."""

    comparison_format: Literal["crmm-comparison/1"] = "crmm-comparison/1"
    mode: Mode
    entries: list[Entry]
    elements: list[str]
    criteria: list[str]
    left_out: list[LeftOut]
    steps: list[Step]
    first_to_last: Step | None
    ranking: list[int]


def comparison_json(c: Comparison) -> str:
    return canonical_json(c.model_dump(mode="json"))


def same_organisation(results: Sequence[AssessmentResult]) -> bool:
    """Whether all results profile the same organisation (name, industry, size, region)."""
    keys = {tuple(x.organization.get(k, "") for k in PROFILE_KEYS) for x in results}
    return len(keys) == 1


def compare(
    results: Sequence[AssessmentResult], sources: Sequence[str], mode: Mode | None = None
) -> Comparison:
    """Compare two or more results; the mode defaults to over-time for one organisation."""
    if len(results) < 2:
        raise InputError.one("compare", "", "give at least two assessments to compare")
    mode = mode or ("over-time" if same_organisation(results) else "organisations")
    order = list(range(len(results)))
    if mode == "over-time":
        order.sort(key=lambda i: (results[i].date, sources[i]))
    rs = [results[i] for i in order]
    srcs = [sources[i] for i in order]
    elements, e_out = _common([[e.id for e in x.elements] for x in rs], "element")
    criteria, c_out = _common([[c.id for c in x.criteria] for x in rs], "criterion")
    entries = [
        Entry(
            source=s,
            organization=x.organization,
            date=x.date,
            framework=x.framework,
            score=x.overall.score,
            index=x.overall.index,
            level=x.overall.level,
            elements={e.id: e.score for e in x.elements if e.id in elements},
        )
        for s, x in zip(srcs, rs, strict=True)
    ]
    steps: list[Step] = []
    last: Step | None = None
    if mode == "over-time":
        n = len(rs)
        steps = [_step(rs, i, i + 1, elements, criteria) for i in range(n - 1)]
        last = steps[0] if n == 2 else _step(rs, 0, n - 1, elements, criteria)
    return Comparison(
        mode=mode,
        entries=entries,
        elements=elements,
        criteria=criteria,
        left_out=e_out + c_out,
        steps=steps,
        first_to_last=last,
        ranking=_ranking(rs) if mode == "organisations" else [],
    )


def _common(
    ids: list[list[str]], kind: Literal["element", "criterion"]
) -> tuple[list[str], list[LeftOut]]:
    """Ids every result has (in the first result's order), and the others with where they are."""
    everywhere = set(ids[0]).intersection(*ids[1:])
    seen: list[str] = []
    for group in ids:
        seen += [i for i in group if i not in seen]
    left = [
        LeftOut(kind=kind, id=i, present_in=[n for n, g in enumerate(ids) if i in g])
        for i in seen
        if i not in everywhere
    ]
    return [i for i in seen if i in everywhere], left


def _sub(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else r(b - a)


def _isub(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else b - a


def _delta(
    id: str,
    before: tuple[float | None, float | None, int | None],
    after: tuple[float | None, float | None, int | None],
    element: str | None = None,
) -> Delta:
    return Delta(
        id=id,
        element=element,
        score_before=before[0],
        score_after=after[0],
        score_delta=_sub(before[0], after[0]),
        index_before=before[1],
        index_after=after[1],
        index_delta=_sub(before[1], after[1]),
        level_before=before[2],
        level_after=after[2],
        level_change=_isub(before[2], after[2]),
    )


def _step(
    rs: Sequence[AssessmentResult], i: int, j: int, elements: list[str], criteria: list[str]
) -> Step:
    a, b = rs[i], rs[j]
    ea = {e.id: e for e in a.elements}
    eb = {e.id: e for e in b.elements}
    ca = {c.id: c for c in a.criteria}
    cb = {c.id: c for c in b.criteria}
    el = [
        _delta(k, (ea[k].score, ea[k].index, ea[k].level), (eb[k].score, eb[k].index, eb[k].level))
        for k in elements
    ]
    cr = [
        _delta(
            k,
            (ca[k].score, ca[k].index, ca[k].level),
            (cb[k].score, cb[k].index, cb[k].level),
            element=ca[k].element,
        )
        for k in criteria
    ]
    oa, ob = a.overall, b.overall
    overall = _delta("overall", (oa.score, oa.index, oa.level), (ob.score, ob.index, ob.level))
    recs = []
    for item in a.recommendations.items:
        if item.criterion not in cb:
            continue
        after = cb[item.criterion].level
        recs.append(
            ActedOn(
                criterion=item.criterion,
                element=item.element,
                level_before=item.current_level,
                target_level=item.target_level,
                level_after=after,
                acted_on=after is not None and after > item.current_level,
                reached_target=after is not None and after >= item.target_level,
            )
        )
    return Step(
        before=i,
        after=j,
        overall=overall,
        elements=el,
        criteria=cr,
        improved=[d.id for d in cr if _moved(d) > 0],
        declined=[d.id for d in cr if _moved(d) < 0],
        recommendations=recs,
    )


def _moved(d: Delta) -> int:
    """+1 if a criterion improved (level up, or same level and a higher score), -1 if it
    declined, 0 otherwise; a criterion without a score on either side has not moved."""
    if d.level_change:
        return 1 if d.level_change > 0 else -1
    if d.score_delta:
        return 1 if d.score_delta > 0 else -1
    return 0


def _ranking(rs: Sequence[AssessmentResult]) -> list[int]:
    """Entry numbers best first: overall score, then level, then name, date (unscored last)."""

    def key(i: int) -> tuple[bool, float, int, str, dt.date, int]:
        o = rs[i].overall
        return (
            o.score is None,
            -(o.score or 0.0),
            -(o.level or 0),
            rs[i].organization.get("name", ""),
            rs[i].date,
            i,
        )

    return sorted(range(len(rs)), key=key)
