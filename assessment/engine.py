"""One call from loaded inputs to a complete, deterministic AssessmentResult."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from frameworks.errors import InputError, Problem
from frameworks.model import Framework
from questionnaires.importers.answer_table import AnswerTable
from questionnaires.model import Questionnaire

from .audit import Audit, audit_problems
from .responses import LoadedResponses, ResponsesHead, check_responses
from .result import AssessmentResult, result_json
from .table_scoring import assess_table, content_sha256, table_from_responses

__all__ = ["assess", "assess_table", "content_sha256", "result_json"]


def assess(
    loaded: LoadedResponses,
    q: Questionnaire,
    fw: Framework,
    target_level: int | None = None,
) -> AssessmentResult:
    """Score checked responses against a questionnaire and its framework."""
    if loaded.raw is not None:  # column by column: no model per answer
        head: ResponsesHead = loaded.head
        table = loaded.checked_table(q)
        people = [
            Kind("workshop", [p.get("role") for p in loaded.raw.workshops[i]])
            if i in loaded.raw.workshops
            else PERSON
            for i in range(len(table))
        ]
    else:
        resp = check_responses(loaded, q)
        head, table = resp, table_from_responses(resp, q)
        people = [Kind(p.kind, [x.role for x in p.participants]) for p in resp.respondents]
    _check_element_weights(head.role_weights, fw, loaded.source)
    audit = audit_of(head, people, table, q, fw, loaded.source)
    return assess_table(
        table,
        q,
        fw,
        organization=head.organization.model_dump(),
        date=head.date,
        source_name=Path(loaded.source).name,
        sha256=loaded.sha256,
        target_level=target_level,
        role_weights=head.role_weights,
        assessor=head.assessor,
        audit=audit,
    )


class Kind(NamedTuple):
    """What scoring needs to know of a respondent beside its answers."""

    kind: str  # person | workshop
    roles: list[str | None]  # a workshop's participants' roles


PERSON = Kind("person", [])


def audit_of(
    head: ResponsesHead,
    people: Sequence[Kind],
    table: AnswerTable,
    q: Questionnaire,
    fw: Framework,
    source: str,
) -> Audit:
    """The audit inputs of a responses file, checked (InputError lists every problem);
    `people` are the respondents in table order."""
    problems = audit_problems(head, table.evidence, q, fw, source, people)
    if problems:
        raise InputError(problems)
    workshops = {
        pid: len(p.roles) for pid, p in zip(table.ids, people, strict=True) if p.kind == "workshop"
    }
    cited: dict[str, list[str]] = {}
    if head.evidence_register:
        for (_, qid), refs in table.evidence.items():
            question = q.question_by_id.get(qid)
            if question is not None:
                cited.setdefault(question.criterion, []).extend(refs)
    weight = fw.scoring.workshop_weight
    return Audit(
        register=head.evidence_register,
        ratings=head.assessor_ratings,
        respondent_weights=[weight if p.kind == "workshop" else 1.0 for p in people]
        if workshops
        else None,
        workshops=workshops,
        source=source,
        cited=cited,
    )


def _check_element_weights(weights: dict[str, Any], fw: Framework, source: str) -> None:
    """Element-by-element role weights name the framework's elements (or "default")."""
    known = [e.id for e in fw.elements]
    problems = [
        Problem(
            source,
            f"role_weights.{role}.{key}",
            f"unknown element (known: {', '.join(known)}, default)",
        )
        for role, w in weights.items()
        if isinstance(w, dict)
        for key in w
        if key != "default" and key not in known
    ]
    if problems:
        raise InputError(problems)
