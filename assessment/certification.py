"""The certification result: every rule of every level, its figures, and the level awarded."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

RuleKind = Literal[
    "maturity-level",
    "overall-index",
    "element-index",
    "coverage",
    "applicable",
    "evidence-share",
    "criterion-level",
    "respondents",
    "role",
    "assessor",
    "accepted-evidence",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CertificationRule(_Model):
    """One rule: what is required, the figure found, and whether it holds (≥ passes)."""

    id: str
    level: int
    kind: RuleKind
    subject: str | None
    lowest: str | None
    required: float
    actual: float | None
    passed: bool
    check: str
    missing: list[str] = []
    """accepted-evidence: the criteria that lack it."""


class CertificationLevelResult(_Model):
    level: int
    passed: bool
    rules: list[CertificationRule]


class CertificationResult(_Model):
    """The certification verdict; `awarded` is None when no level's rules all hold."""

    rules_version: str
    assessor: str | None
    self_assessment: bool
    awarded: int | None
    evidence_share: float
    scored_answers: int
    answers_with_evidence: int
    respondents: int
    """Respondents who count: at least one scored or N/A answer to a scored question."""
    levels: list[CertificationLevelResult]
