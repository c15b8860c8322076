"""One call from loaded inputs to a complete, deterministic AssessmentResult."""

from __future__ import annotations

from pathlib import Path

from frameworks.fileio import canonical_json, sha256_bytes
from frameworks.model import Framework
from questionnaires.model import Questionnaire

from .certify import certify
from .recommend import recommend
from .responses import LoadedResponses, check_responses
from .result import AssessmentResult, InputRef, ResponsesRef, result_json
from .scoring import (
    answers_frame,
    question_table,
    respondent_summaries,
    score_criteria,
    score_elements,
    score_overall,
    score_questions,
)

__all__ = ["assess", "content_sha256", "result_json"]


def content_sha256(model: Framework | Questionnaire) -> str:
    """Hash of a framework's or questionnaire's content, independent of file layout."""
    return sha256_bytes(canonical_json(model.model_dump(mode="json", by_alias=True)).encode())


def assess(
    loaded: LoadedResponses,
    q: Questionnaire,
    fw: Framework,
    target_level: int | None = None,
) -> AssessmentResult:
    """Score checked responses against a questionnaire and its framework."""
    resp = check_responses(loaded, q)
    df = answers_frame(resp, q)
    t, questions = score_questions(df, question_table(q, fw), resp)
    crit, criteria = score_criteria(t, fw)
    elements, raw = score_elements(t, crit, fw)
    overall = score_overall(elements, fw, raw)
    org = resp.organization
    result = AssessmentResult(
        framework=InputRef(id=fw.id, version=fw.version, sha256=content_sha256(fw)),
        questionnaire=InputRef(id=q.id, version=q.version, sha256=content_sha256(q)),
        responses=ResponsesRef(file=Path(loaded.source).name, sha256=loaded.sha256),
        organization={
            "name": org.name,
            "industry": org.industry,
            "size": org.size,
            "region": org.region,
        },
        date=resp.date,
        assessor=resp.assessor,
        respondents=respondent_summaries(resp),
        min_coverage=fw.scoring.min_coverage,
        questions=questions,
        criteria=criteria,
        elements=elements,
        overall=overall,
        recommendations=recommend(fw, criteria, elements, overall, target_level),
    )
    return result.model_copy(update={"certification": certify(result, resp, q, fw)})
