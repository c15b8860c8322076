"""The auditor's inputs beside the answers: the evidence register, the assessors' ratings
(an audit trail) and workshops, checked against the framework and questionnaire.

An assessor's rating of a criterion, or of one dimension of it, replaces the aggregated
self-ratings by the score of the rated level: (rating − 1) × 25, as an anchored answer.
Entries are kept oldest first; the last entry for a target is the one that counts, and
each entry's `before` must be what it replaced: the first one the score the answers give
(published), each later one the score the entry before it set. So neither the answers nor
the trail can change without the trail saying so (docs/scoring.md, "Assessor ratings")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from frameworks.errors import Problem
from frameworks.model import Framework
from questionnaires.model import Questionnaire

from .responses import AssessorRating, EvidenceItem, ResponsesHead
from .result import Override

Target = tuple[str, str | None]  # (criterion, dimension or None for the criterion's score)


def rating_score(rating: int) -> float:
    """The score of an assessor's level rating, as an anchored answer scores it."""
    return (rating - 1) * 25.0


@dataclass(frozen=True)
class Audit:
    """What scoring needs of the audit inputs: the register, the trail, and per respondent
    (in table order) the weight of a workshop's answers (1 for a person)."""

    register: Sequence[EvidenceItem] = ()
    ratings: Sequence[AssessorRating] = ()
    respondent_weights: Sequence[float] | None = None
    workshops: Mapping[str, int] = field(default_factory=dict)  # id -> participants
    source: str = ""  # the responses file, for located problems
    cited: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """criterion -> evidence ids cited by answers to its questions"""

    def last_by_target(self) -> dict[Target, tuple[int, AssessorRating]]:
        """The entry that counts for each target, with its place in the trail."""
        out: dict[Target, tuple[int, AssessorRating]] = {}
        for i, entry in enumerate(self.ratings):
            out[(entry.criterion, entry.dimension)] = (i, entry)
        return out

    def first_by_target(self) -> dict[Target, tuple[int, AssessorRating]]:
        out: dict[Target, tuple[int, AssessorRating]] = {}
        for i, entry in enumerate(self.ratings):
            out.setdefault((entry.criterion, entry.dimension), (i, entry))
        return out

    def supporting(self) -> dict[str, list[str]]:
        """Per criterion, the accepted register items that support it: those listing it,
        and those cited by an answer to one of its questions or by a rating of it."""
        accepted = {e.id for e in self.register if e.status == "accepted"}
        out: dict[str, set[str]] = {}
        for item in self.register:
            if item.id in accepted:
                for c in item.criteria:
                    out.setdefault(c, set()).add(item.id)
        for c, ids in self.cited.items():
            out.setdefault(c, set()).update(i for i in ids if i in accepted)
        for entry in self.ratings:
            out.setdefault(entry.criterion, set()).update(
                i for i in entry.evidence if i in accepted
            )
        return {c: sorted(ids) for c, ids in out.items() if ids}


def overrides(audit: Audit) -> list[Override]:
    """The ratings that count, one per target, in the order of their last entry: each with
    the score the answers gave (the first entry's `before`) and the number of entries."""
    first = audit.first_by_target()
    counts: dict[Target, int] = {}
    for entry in audit.ratings:
        key = (entry.criterion, entry.dimension)
        counts[key] = counts.get(key, 0) + 1
    out = []
    for target, (_, entry) in sorted(audit.last_by_target().items(), key=lambda kv: kv[1][0]):
        out.append(
            Override(
                criterion=entry.criterion,
                dimension=entry.dimension,
                rating=entry.rating,
                before=first[target][1].before,
                after=rating_score(entry.rating),
                by=entry.by,
                at=entry.at.isoformat(),
                reason=entry.reason,
                evidence=list(entry.evidence),
                entries=counts[target],
            )
        )
    return out


def audit_problems(
    head: ResponsesHead,
    cited: Mapping[tuple[int, str], Sequence[str]],
    q: Questionnaire,
    fw: Framework,
    source: str,
    respondents: Sequence[tuple[str, Sequence[str | None]]] = (),
) -> list[Problem]:
    """Located problems of the register, the trail and workshops: unknown criteria, roles,
    dimensions and evidence ids, and a trail out of time order or whose `before` does not
    follow from the entry before it. `cited` is (respondent row, question) -> evidence
    references of the answers; `respondents` (kind, participants' roles) by row."""
    problems: list[Problem] = []
    ids = [e.id for e in head.evidence_register]
    status = {e.id: e.status for e in head.evidence_register}
    known = set(ids)
    roles = set(q.role_by_id)
    asked = {x.criterion for x in q.questions if x.scored}
    for i, item in enumerate(head.evidence_register):
        for j, c in enumerate(item.criteria):
            if c not in fw.criteria:
                problems.append(
                    Problem(
                        source, f"evidence_register[{i}].criteria[{j}]", f"unknown criterion {c!r}"
                    )
                )
        if item.source.role is not None and item.source.role not in roles:
            problems.append(
                Problem(
                    source,
                    f"evidence_register[{i}].source.role",
                    f"unknown role {item.source.role!r}",
                )
            )
    if head.evidence_register:
        listing = _listing(ids)
        for (row, qid), refs in sorted(cited.items()):
            for j, ref in enumerate(refs):
                if ref not in known:
                    problems.append(
                        Problem(
                            source,
                            f"respondents[{row}].answers.{qid}.evidence[{j}]",
                            f"unknown evidence id {ref!r} (register: {listing})",
                        )
                    )
    for i, entry in enumerate(head.assessor_ratings):
        where = f"assessor_ratings[{i}]"
        if entry.criterion not in fw.criteria:
            problems.append(
                Problem(source, f"{where}.criterion", f"unknown criterion {entry.criterion!r}")
            )
        elif entry.criterion not in asked:
            problems.append(
                Problem(
                    source,
                    f"{where}.criterion",
                    f"{entry.criterion!r} is not asked by {q.id} {q.version}: rate a criterion"
                    " the questionnaire asks",
                )
            )
        if entry.dimension is not None and fw.dimensions is None:
            problems.append(
                Problem(source, f"{where}.dimension", f"framework {fw.id} declares no dimensions")
            )
        for j, ref in enumerate(entry.evidence):
            if ref not in known:
                listing = f"register: {_listing(ids)}" if ids else "the register is empty"
                problems.append(
                    Problem(
                        source, f"{where}.evidence[{j}]", f"unknown evidence id {ref!r} ({listing})"
                    )
                )
            elif status[ref] == "rejected":
                problems.append(
                    Problem(source, f"{where}.evidence[{j}]", f"evidence {ref!r} was rejected")
                )
        if i and entry.at < head.assessor_ratings[i - 1].at:
            problems.append(
                Problem(
                    source,
                    f"{where}.at",
                    f"{entry.at.isoformat()} is before the entry above it: the trail is kept"
                    " oldest first",
                )
            )
    for row, (kind, participant_roles) in enumerate(respondents):
        if kind != "workshop":
            continue
        for j, role in enumerate(participant_roles):
            if role is not None and role not in roles:
                problems.append(
                    Problem(
                        source,
                        f"respondents[{row}].participants[{j}].role",
                        f"unknown role {role!r}",
                    )
                )
    return problems


def _listing(ids: Sequence[str]) -> str:
    return ", ".join(ids[:8]) + (f", … {len(ids)} in all" if len(ids) > 8 else "")
