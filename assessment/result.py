"""The assessment result: what `crmm score` prints as JSON and what reports are made from."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from frameworks.fileio import canonical_json
from frameworks.text import Text

from .certification import CertificationResult
from .peers import BenchmarkComparison


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
    department: str | None
    answered: int
    not_applicable: int


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
    coverage: float
    formula: str


class ElementResult(Model):
    id: str
    weight: float
    weight_share: float
    status: Literal["scored", "insufficient"]
    coverage: float
    score: float | None
    index: float | None
    level: int | None
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
    coverage: float
    gating: Gating | None
    formula: str


class ActionItem(Model):
    id: str
    level: int
    phase: str | None  # None when the framework declares no phases
    effort: str
    owner_role: str | None
    text: Text


class Recommendation(Model):
    criterion: str
    element: str
    current_level: int
    target_level: int
    gap: int
    priority: float
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

    result_format: Literal["crmm-result/1"] = "crmm-result/1"
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
    certification: CertificationResult | None = None
    benchmark: BenchmarkComparison | None = None


def result_json(result: AssessmentResult) -> str:
    """Deterministic JSON: sorted keys, fixed rounding already applied, trailing newline."""
    return canonical_json(result.model_dump(mode="json"))
