"""The declarative questionnaire format: questions referring to framework criteria."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal, Protocol, TypeVar

from pydantic import Field, PrivateAttr, field_validator, model_validator

from frameworks.model import Dimension, FrameworkRef, Id, PositiveWeight, SemVer, Strict, duplicates
from frameworks.text import Text


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_HasId)

QuestionType = Literal[
    "anchored", "likert", "yes_partly_no", "kpi", "single_choice", "multiple_choice", "text"
]
QUESTION_TYPES: tuple[str, ...] = QuestionType.__args__  # type: ignore[attr-defined]
Score = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Finite = Annotated[float, Field(allow_inf_nan=False)]


def unique_ids(items: list[T], what: str) -> list[T]:
    """`items`, refused (ValueError) if two have the same id: `duplicate <what> id`."""
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        if item.id in first:
            raise ValueError(
                f"duplicate {what} id {item.id!r} at [{i}] (first at [{first[item.id]}])"
            )
        first[item.id] = i
    return items


class Option(Strict):
    """A choice option with the score (0-100) it earns."""

    id: Id
    text: Text
    score: Score


class Kpi(Strict):
    """A numeric indicator scored through four thresholds: the values that reach levels 2-5."""

    unit: Text
    direction: Literal["higher_is_better", "lower_is_better"]
    thresholds: list[Finite] = Field(min_length=4, max_length=4)
    minimum: Finite | None = None
    maximum: Finite | None = None

    @model_validator(mode="after")
    def _monotonic(self) -> Kpi:
        t = self.thresholds
        ordered = sorted(t) if self.direction == "higher_is_better" else sorted(t, reverse=True)
        if t != ordered or len(set(t)) != 4:
            raise ValueError(
                "thresholds must be strictly increasing for higher_is_better"
                " and strictly decreasing for lower_is_better"
            )
        if self.minimum is not None and self.maximum is not None and self.minimum >= self.maximum:
            raise ValueError("minimum must be below maximum")
        return self


class Question(Strict):
    """One question: what it asks, of whom, for which criterion, and how it is scored."""

    id: Id
    criterion: Id
    type: QuestionType
    weight: PositiveWeight = 1.0
    text: Text
    help: Text | None = None
    allow_na: bool = True
    roles: list[Id] = Field(default_factory=list, description="empty means every role")
    anchors: list[Text] | None = Field(
        default=None,
        description="anchored: levels 1..5; a question with a dimension may leave them to"
        " its criterion's anchors for that dimension in the framework",
    )
    dimension: Dimension | None = Field(
        default=None,
        description="intention or reality, in a framework that declares dimensions (none:"
        " the framework's default dimension)",
    )
    options: list[Option] | None = None
    kpi: Kpi | None = None

    @model_validator(mode="after")
    def _type_fields(self) -> Question:
        t = self.type
        if self.anchors is not None and t != "anchored":
            raise ValueError("anchors are required for, and only for, type anchored")
        if self.anchors is None and t == "anchored" and self.dimension is None:
            raise ValueError(
                "anchors are required for type anchored (or a dimension, whose anchors the"
                " framework's criterion gives)"
            )
        if self.anchors is not None and len(self.anchors) != 5:
            raise ValueError("anchored questions need exactly five anchors (levels 1 to 5)")
        if (self.options is not None) != (t in ("single_choice", "multiple_choice")):
            raise ValueError("options are required for, and only for, choice questions")
        if self.options is not None:
            if len(self.options) < 2:
                raise ValueError("a choice question needs at least two options")
            dups = duplicates([o.id for o in self.options])
            if dups:
                raise ValueError(f"duplicate option id(s): {', '.join(dups)}")
            if "na" in {o.id for o in self.options}:
                raise ValueError("option id 'na' is reserved for not applicable")
        if (self.kpi is not None) != (t == "kpi"):
            raise ValueError("kpi settings are required for, and only for, type kpi")
        return self

    @property
    def scored(self) -> bool:
        return self.type != "text"

    def asked_of(self, role: str) -> bool:
        """Whether respondents in `role` are asked this question (and may answer it)."""
        return not self.roles or role in self.roles

    def asked_text(self) -> str:
        """Whom the question is asked of: `asked of leadership and sales only`."""
        r = self.roles
        if not r:
            return "asked of every role"
        asked = r[0] if len(r) == 1 else ", ".join(r[:-1]) + " and " + r[-1]
        return f"asked of {asked} only"

    def not_asked(self, role: str) -> str:
        """Why `role` may not answer: `asked of leadership only, not service`."""
        return f"{self.asked_text()}, not {role}"


class Role(Strict):
    """A respondent role, e.g. leadership or service."""

    id: Id
    name: Text


class QuestionnaireRef(Strict):
    id: Id
    version: SemVer


class Questionnaire(Strict):
    """A questionnaire: a versioned list of questions for one framework version."""

    type: Literal["questionnaire"] = "questionnaire"
    id: Id
    version: SemVer
    framework: FrameworkRef
    name: Text
    description: Text
    estimated_minutes: Annotated[int, Field(ge=1, le=600)]
    roles: list[Role] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)
    _sha256: str | None = PrivateAttr(default=None)  # of its file (frameworks/hashing.py)

    @property
    def sha256(self) -> str:
        """The hash a result records: of the file it was loaded from (set by the loader),
        else of its canonical JSON (frameworks/hashing.py)."""
        from frameworks.hashing import model_sha256

        return self._sha256 or model_sha256(self)

    @field_validator("questions")
    @classmethod
    def _unique_questions(cls, v: list[Question]) -> list[Question]:
        return unique_ids(v, "question")

    @field_validator("roles")
    @classmethod
    def _unique_roles(cls, v: list[Role]) -> list[Role]:
        return unique_ids(v, "role")

    @property
    def ref(self) -> QuestionnaireRef:
        return QuestionnaireRef(id=self.id, version=self.version)

    @cached_property
    def question_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def role_by_id(self) -> dict[str, Role]:
        return {r.id: r for r in self.roles}
