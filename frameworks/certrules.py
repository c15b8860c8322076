"""Cross-checks of a framework's certification rules, each problem located in the file."""

from __future__ import annotations

from pathlib import Path

from .errors import Problem
from .model import CertificationLevel, Element, FrameworkFile

# Thresholds that may not decrease from one certification level to the next.
MONOTONE = ("min_overall_index", "min_element_index", "min_coverage", "min_evidence_share")


def certification_problems(
    head: FrameworkFile, elements: list[Element], path: Path
) -> list[Problem]:
    """Unknown ids, rules weaker than the level itself, and levels not growing stricter."""
    cert = head.certification
    if cert is None:
        return []
    file = str(path)
    element_ids = {e.id for e in elements}
    criteria = {c.id for e in elements for c in e.criteria}
    min_index = {lv.level: lv.min_index for lv in head.levels}
    problems: list[Problem] = []
    prev: CertificationLevel | None = None
    for i, lv in enumerate(cert.levels):
        where = f"certification.levels[{i}]"
        if lv.min_overall_index < min_index[lv.level]:
            problems.append(
                Problem(
                    file,
                    f"{where}.min_overall_index",
                    f"{lv.min_overall_index:g} is below level {lv.level}'s own min_index"
                    f" {min_index[lv.level]:g}",
                )
            )
        for eid in lv.element_minimums:
            if eid not in element_ids:
                problems.append(
                    Problem(file, f"{where}.element_minimums.{eid}", f"unknown element {eid!r}")
                )
        for j, rc in enumerate(lv.required_criteria):
            if rc.criterion not in criteria:
                problems.append(
                    Problem(
                        file,
                        f"{where}.required_criteria[{j}].criterion",
                        f"unknown criterion {rc.criterion!r}",
                    )
                )
        if prev is not None:
            problems += _stricter(prev, lv, sorted(element_ids), file, where)
        prev = lv
    return problems


def _stricter(
    prev: CertificationLevel,
    lv: CertificationLevel,
    element_ids: list[str],
    file: str,
    where: str,
) -> list[Problem]:
    """Level `lv` must ask at least what the level below it, `prev`, asks."""
    below = f"level {prev.level}"
    out: list[Problem] = []
    for name in MONOTONE:
        old, new = getattr(prev, name), getattr(lv, name)
        if new < old:
            out.append(Problem(file, f"{where}.{name}", f"{new:g} is below {below}'s {old:g}"))
    for eid in element_ids:
        old, new = prev.element_minimum(eid), lv.element_minimum(eid)
        if new < old:
            out.append(
                Problem(
                    file,
                    f"{where}.element_minimums.{eid}",
                    f"{eid} needs {new:g}, below {below}'s {old:g}",
                )
            )
    if lv.min_respondents < prev.min_respondents:
        out.append(
            Problem(
                file,
                f"{where}.min_respondents",
                f"{lv.min_respondents} is below {below}'s {prev.min_respondents}",
            )
        )
    missing = [r for r in prev.required_roles if r not in lv.required_roles]
    if missing:
        out.append(
            Problem(
                file, f"{where}.required_roles", f"drops {below}'s role(s) {', '.join(missing)}"
            )
        )
    mine = {rc.criterion: rc.min_level for rc in lv.required_criteria}
    for rc in prev.required_criteria:
        if mine.get(rc.criterion, 0) < rc.min_level:
            out.append(
                Problem(
                    file,
                    f"{where}.required_criteria",
                    f"must require {rc.criterion} at level {rc.min_level} or higher, as {below}"
                    " does",
                )
            )
    if lv.allow_mostly_not_applicable and not prev.allow_mostly_not_applicable:
        out.append(
            Problem(
                file,
                f"{where}.allow_mostly_not_applicable",
                f"must be false, as {below} does not allow mostly not applicable elements",
            )
        )
    if prev.external_assessor and not lv.external_assessor:
        out.append(
            Problem(file, f"{where}.external_assessor", f"must be true, as {below} requires it")
        )
    return out
