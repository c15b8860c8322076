"""Scoring answers held as columns (`AnswerTable`): the one scoring path.

`assess` (engine.py) turns a checked responses file into a table and calls `assess_table`;
an import of a large export can be scored without building a responses file at all. Scores
are computed once per distinct answer of a question and spread over the respondents with
numpy, so 100 000 respondents × 80 questions take seconds; every figure is then reduced by
the same functions of `scoring` (see its note on large assessments).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
from pydantic import TypeAdapter

from frameworks.model import Framework
from questionnaires.importers.answer_table import AnswerColumn, AnswerTable
from questionnaires.model import Question, Questionnaire
from questionnaires.types import NA, score_value

from .audit import Audit, overrides
from .certify import certify
from .recommend import recommend
from .response_columns import TableResponses
from .responses import Responses
from .result import AssessmentResult, InputRef, RespondentSummary, ResponsesRef
from .scoring import (
    ANSWERS_LIMIT,
    question_table,
    score_criteria,
    score_elements,
    score_overall,
    score_questions,
)

COLUMNS = ["respondent", "role", "rw", "question", "score", "na"]
_SUMMARIES = TypeAdapter(list[RespondentSummary])


def content_sha256(model: Framework | Questionnaire) -> str:
    """The SHA-256 a result records for a framework or questionnaire: of its files as
    written, recomputable without crmm (frameworks/hashing.py, docs/verification.md)."""
    return model.sha256


def table_from_responses(resp: Responses | TableResponses, q: Questionnaire) -> AnswerTable:
    """The answers of checked responses as a table (columns in questionnaire order)."""
    if isinstance(resp, TableResponses):
        return resp.table
    people = [
        {
            "id": p.id,
            "role": p.role,
            "department": p.department,
            "name": p.name,
            "answers": {
                qid: {"value": a.value, "comment": a.comment, "evidence": a.evidence}
                for qid, a in p.answers.items()
            },
        }
        for p in resp.respondents
    ]
    return AnswerTable.from_respondents(people, [x.id for x in q.questions])


def _na_values(uniques: list[Any]) -> np.ndarray:
    """Per distinct value: is it "not applicable" (a trailing False serves code -1)."""
    return np.array([v == NA for v in uniques] + [False], dtype=bool)


def _na_flags(col: AnswerColumn) -> np.ndarray:
    """Per respondent: answered "not applicable"."""
    flags: np.ndarray = _na_values(col.uniques)[col.codes]
    return flags


def _scores(question: Question, uniques: list[Any]) -> np.ndarray:
    """Per distinct value: its 0-100 score, NaN for N/A and text (a trailing NaN serves
    code -1)."""
    per_value = [score_value(question, v) for v in uniques]
    return np.array([np.nan if s is None else s for s in per_value] + [np.nan], dtype=float)


RoleWeights = Mapping[str, float | Mapping[str, float]]
"""A responses file's role_weights: role -> weight, or role -> {element id | "default": weight}."""


def role_weight(weights: RoleWeights, role: str, element: str | None) -> float:
    """The weight of `role`'s answers on a question of `element` (1 where none is declared;
    an element-by-element weight without `element` known falls back to its "default")."""
    w = weights.get(role, 1.0)
    if isinstance(w, Mapping):
        return float(w.get(element, w.get("default", 1.0)) if element else w.get("default", 1.0))
    return float(w)


def answer_frame(
    table: AnswerTable,
    q: Questionnaire,
    role_weights: RoleWeights | None = None,
    by_respondent: bool = False,
    fw: Framework | None = None,
    respondent_weights: Sequence[float] | None = None,
) -> pd.DataFrame:
    """One row per answer to a scored question: respondent, role, rw (role weight),
    question, score (NaN for N/A), na; respondent, role and question are categorical.

    Rows come question by question, each in table order (what grouping by question needs);
    `by_respondent` orders them respondent by respondent, as a responses file lists them.
    Element-by-element role weights need the framework `fw` (without it, their "default");
    `respondent_weights` (a workshop's weight, by row) multiply the role weight."""
    scored = [x for x in q.questions if x.scored and x.id in table.columns]
    who, which, scores, na = [], [], [], []
    for j, x in enumerate(scored):
        col = table.columns[x.id]
        rows = np.flatnonzero(col.codes >= 0).astype(np.int32)
        codes = col.codes[rows]
        who.append(rows)
        which.append(np.full(len(rows), j, dtype=np.int16))
        scores.append(_scores(x, col.uniques)[codes])
        na.append(_na_values(col.uniques)[codes])
    if scored:
        who_a, which_a = np.concatenate(who), np.concatenate(which)
        score_a, na_a = np.concatenate(scores), np.concatenate(na)
    else:
        who_a, which_a = np.zeros(0, np.int32), np.zeros(0, np.int16)
        score_a, na_a = np.zeros(0), np.zeros(0, dtype=bool)
    if by_respondent:
        order = np.argsort(who_a, kind="stable")
        who_a, which_a, score_a, na_a = who_a[order], which_a[order], score_a[order], na_a[order]
    role_codes, role_names = pd.factorize(pd.Index(table.roles, dtype=object))
    weights = role_weights or {}
    person_role = role_codes[who_a]
    # (role, question) -> weight; the last row serves role code -1
    by_element = [fw.element_of[x.criterion].id if fw else None for x in scored]
    matrix = np.ones((len(role_names) + 1, max(len(scored), 1)))
    for i, role in enumerate(role_names):
        matrix[i, : len(scored)] = [role_weight(weights, str(role), e) for e in by_element]
    rw = matrix[person_role, which_a]
    if respondent_weights is not None:
        rw = rw * np.asarray(respondent_weights, dtype=float)[who_a]
    return pd.DataFrame(
        {
            "respondent": pd.Categorical.from_codes(who_a, pd.Index(table.ids, dtype=object)),
            "role": pd.Categorical.from_codes(person_role, role_names),
            "rw": rw,
            "question": pd.Categorical.from_codes(which_a, pd.Index([x.id for x in scored])),
            "score": score_a,
            "na": na_a,
        },
        columns=COLUMNS,
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while many acyclic objects are made: each collection
    would walk every live object (a large import's included) for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def respondent_summaries(
    table: AnswerTable, q: Questionnaire, audit: Audit | None = None
) -> list[RespondentSummary]:
    """Per respondent: answers given (N/A aside, text included), N/A answers, and whether
    the respondent counts: at least one scored or N/A answer to a scored question; a
    workshop's participants and weight."""
    workshops = audit.workshops if audit is not None else {}
    weights = (
        list(audit.respondent_weights)
        if audit is not None and audit.respondent_weights is not None
        else [1.0] * len(table)
    )
    n = len(table)
    given = np.zeros(n, dtype=np.int64)
    not_applicable = np.zeros(n, dtype=np.int64)
    counts = np.zeros(n, dtype=bool)
    for qid, col in table.columns.items():
        flags = _na_flags(col)
        given += (col.codes >= 0) & ~flags
        not_applicable += flags
        question = q.question_by_id.get(qid)
        if question is not None and question.scored:
            counts |= col.codes >= 0
    with _gc_paused():
        made: list[RespondentSummary] = _SUMMARIES.validate_python(
            [
                {
                    "id": pid,
                    "role": role,
                    "department": dept,
                    "answered": a,
                    "not_applicable": b,
                    "counts": c,
                    **(
                        {"kind": "workshop", "participants": workshops[pid], "weight": w}
                        if pid in workshops
                        else {}
                    ),
                }
                for pid, role, dept, a, b, c, w in zip(
                    table.ids,
                    table.roles,
                    table.departments,
                    given.tolist(),
                    not_applicable.tolist(),
                    counts.tolist(),
                    weights,
                    strict=True,
                )
            ]
        )
    return made


def evidence_counts(
    table: AnswerTable, q: Questionnaire, rejected: frozenset[str] = frozenset()
) -> tuple[int, int]:
    """(scored answers, those with at least one evidence reference); `na` is not scored.
    An answer whose every reference is a `rejected` item of the evidence register is not
    backed by evidence."""
    scored = 0
    counted: dict[str, np.ndarray] = {}
    for qid, col in table.columns.items():
        question = q.question_by_id.get(qid)
        if question is None or not question.scored:
            continue
        counted[qid] = (col.codes >= 0) & ~_na_flags(col)
        scored += int(counted[qid].sum())
    with_evidence = sum(
        1
        for (i, qid), refs in table.evidence.items()
        if qid in counted and bool(counted[qid][i]) and any(r not in rejected for r in refs)
    )
    return scored, with_evidence


def assess_table(
    table: AnswerTable,
    questionnaire: Questionnaire,
    framework: Framework,
    organization: Mapping[str, str],
    date: dt.date | str,
    source_name: str,
    sha256: str,
    target_level: int | None = None,
    *,
    role_weights: RoleWeights | None = None,
    assessor: str | None = None,
    audit: Audit | None = None,
) -> AssessmentResult:
    """Score a table of canonical answers (roles and values already checked against the
    questionnaire, as `check_responses` and the importers do) into a complete result;
    `audit` brings the evidence register, the assessors' ratings and the workshops'
    weights (checked by `audit.audit_problems`)."""
    q, fw = questionnaire, framework
    audit = audit or Audit()
    weights = dict(role_weights or {})
    df = answer_frame(table, q, weights, fw=fw, respondent_weights=audit.respondent_weights)
    listed = len(table) <= ANSWERS_LIMIT
    workshops = any(w != 1 for w in audit.respondent_weights or ())
    how = "role-weighted mean" if weights else "weighted mean"
    t, questions = score_questions(
        df, question_table(q, fw), bool(weights) or workshops, listed, how
    )
    del df
    crit, criteria = score_criteria(t, fw, audit, audit.source or source_name)
    elements, raw = score_elements(t, crit, fw)
    overall = score_overall(elements, fw, raw, t)
    result = AssessmentResult(
        framework=InputRef(id=fw.id, version=fw.version, sha256=content_sha256(fw)),
        questionnaire=InputRef(id=q.id, version=q.version, sha256=content_sha256(q)),
        responses=ResponsesRef(file=source_name, sha256=sha256),
        organization={k: organization[k] for k in ("name", "industry", "size", "region")},
        date=dt.date.fromisoformat(date) if isinstance(date, str) else date,
        assessor=assessor,
        respondents=respondent_summaries(table, q, audit),
        min_coverage=fw.scoring.min_coverage,
        questions=questions,
        criteria=criteria,
        elements=elements,
        overall=overall,
        recommendations=recommend(fw, criteria, elements, overall, target_level),
        overrides=overrides(audit),
    )
    rejected = frozenset(e.id for e in audit.register if e.status == "rejected")
    cert = certify(result, None, q, fw, evidence=evidence_counts(table, q, rejected))
    return result.model_copy(update={"certification": cert})
