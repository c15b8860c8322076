"""The assessment result: what `crmm score` prints as JSON and what reports are made from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from frameworks.errors import InputError
from frameworks.fileio import canonical_json, validate_as
from frameworks.text import Text

from .certification import CertificationResult
from .peers import BenchmarkComparison

RESULT_FORMAT: Literal["crmm-result/3"] = "crmm-result/3"
"""/3: intention and reality with their gaps, assessor ratings, the evidence that supports
each criterion, workshops (docs/scoring.md); /2: N/A leaves coverage, N/A shares,
respondents who count, figures rounded half up. Results of another format are refused with
what wrote them."""


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InputRef(Model):
    id: str
    version: str
    sha256: str


class ResponsesRef(Model):
    file: str
    sha256: str


class RespondentSummary(Model):
    id: str
    role: str
    kind: Literal["person", "workshop"] = "person"
    participants: int = 0
    """A workshop's number of participants (0 for a person)."""
    weight: float = 1.0
    """What the respondent's answers weigh beside one person's, role weight aside."""
    department: str | None
    answered: int
    not_applicable: int
    counts: bool
    """Counts as a respondent (min_respondents, required_roles): at least one scored or
    N/A answer to a scored question; free text alone does not count."""


class QuestionResult(Model):
    id: str
    criterion: str
    element: str
    type: str
    weight: float
    effective_weight: float
    answers: dict[str, float | None]
    n: int
    not_applicable: int
    score: float | None
    std: float | None
    min: float | None
    max: float | None
    formula: str


class CriterionResult(Model):
    id: str
    element: str
    weight: float
    questions: list[str]
    score: float | None
    index: float | None
    level: int | None
    coverage: float | None
    """Scored ÷ applicable question weight; None when every question is N/A."""
    intention: float | None = None
    reality: float | None = None
    gap: float | None = None
    """Published intention − published reality (both scored; else None)."""
    overridden: list[Literal["score", "intention", "reality"]] = []
    """The figures an assessor's rating set (docs/scoring.md, "Assessor ratings")."""
    evidence: list[str] = []
    """Accepted evidence-register items that support the criterion."""
    formula: str


class Override(Model):
    """An assessor's rating that counts: the last entry of the trail for its target."""

    criterion: str
    dimension: str | None
    rating: int
    before: float | None
    """What the first entry for the target replaced: the published value the answers (and
    any earlier entries for the criterion) gave it; None: not scored."""
    after: float
    by: str
    at: str
    reason: str
    evidence: list[str]
    entries: int
    """How many entries of the trail rated this target."""


class ElementResult(Model):
    id: str
    weight: float
    weight_share: float
    status: Literal["scored", "insufficient", "not-applicable"]
    coverage: float | None
    """Scored ÷ applicable question weight; None when every question is N/A."""
    na_share: float
    """Share of the element's question weight answered only N/A."""
    max_na_share: float
    mostly_not_applicable: bool
    """na_share > max_na_share: counts as an insufficient element in gating."""
    score: float | None
    index: float | None
    level: int | None
    intention: float | None = None
    reality: float | None = None
    gap: float | None = None
    """Criterion-weighted mean of the gaps of its criteria scored on both dimensions."""
    formula: str


class Gating(Model):
    level_by_index: int
    weakest_element: str
    weakest_level: int
    cap: int
    applied: bool
    formula: str


class Overall(Model):
    score: float | None
    index: float | None
    level: int | None
    coverage: float | None
    gating: Gating | None
    formula: str


class ActionItem(Model):
    id: str
    level: int
    phase: str | None  # None when the framework declares no phases
    effort: str
    owner_role: str | None
    text: Text


RecommendationKind = Literal["decide-and-communicate", "implement-and-embed"]


class Recommendation(Model):
    criterion: str
    element: str
    current_level: int
    target_level: int
    gap: int
    priority: float
    kind: RecommendationKind | None = None
    """With intention and reality: whether the target is not yet intended (decide and
    communicate) or intended but not yet real (implement and embed); docs/scoring.md."""
    actions: list[ActionItem]


class RoadmapPhase(Model):
    phase: str
    order: int
    actions: list[str]


class Recommendations(Model):
    target_level: int
    items: list[Recommendation]
    roadmap: list[RoadmapPhase]
    unassessed_criteria: list[str]


class AssessmentResult(Model):
    """Everything one scoring run produces; serialised deterministically."""

    result_format: Literal["crmm-result/3"] = RESULT_FORMAT
    framework: InputRef
    questionnaire: InputRef
    responses: ResponsesRef
    organization: dict[str, str]
    date: dt.date
    assessor: str | None
    respondents: list[RespondentSummary]
    min_coverage: float
    questions: list[QuestionResult]
    criteria: list[CriterionResult]
    elements: list[ElementResult]
    overall: Overall
    recommendations: Recommendations
    overrides: list[Override] = []
    certification: CertificationResult | None = None
    benchmark: BenchmarkComparison | None = None


def load_result(
    data: dict[str, Any],
    source: str | Path,
    where: str = "result_format",
    advice: str = "score the responses again",
) -> AssessmentResult:
    """A result file's data as a result; one written in another format (by another crmm
    version) is refused as such, not as a list of missing fields or a false mismatch."""
    found = data.get("result_format")
    if found != RESULT_FORMAT:
        raise InputError.one(
            source,
            where,
            f"{found!r} was written by another version of crmm; this version reads"
            f" {RESULT_FORMAT!r}: {advice}",
        )
    return validate_as(AssessmentResult, data, source)


def result_json(result: AssessmentResult) -> str:
    """Deterministic JSON: sorted keys, fixed rounding already applied, trailing newline."""
    return canonical_json(result.model_dump(mode="json"))
