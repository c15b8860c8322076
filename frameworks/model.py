"""The maturity-framework model: elements, criteria, levels, weights, gating, actions."""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
    model_validator,
)

from .text import LANGS, Lang, Text

ID_PATTERN = r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$"
SEMVER_PATTERN = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$"

Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
SemVer = Annotated[str, Field(pattern=SEMVER_PATTERN)]
PositiveWeight = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Effort = Literal["quick-win", "medium", "long-term"]
LevelNumber = Annotated[int, Field(ge=1, le=5)]


def _places(limit: int, what: str) -> AfterValidator:
    """At most `limit` decimal places: a threshold compared with a figure published with
    `limit` places (docs/scoring.md, "Rounding") must be one such a figure can take."""

    def check(v: float) -> float:
        if Decimal(repr(v)).as_tuple().exponent < -limit:  # type: ignore[operator]
            raise ValueError(f"{v!r} has more than {limit} decimal places ({what})")
        return v

    return AfterValidator(check)


IndexThreshold = Annotated[float, Field(ge=1.0, le=5.0), _places(2, "indices are published with 2")]
Share = Annotated[float, Field(ge=0, le=1), _places(4, "shares are published with 4")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class LadderDimension(Strict):
    """A dimension along which levels are described, e.g. business orientation (optional)."""

    id: Id
    name: Text


class Level(Strict):
    """One of the five maturity levels."""

    level: LevelNumber
    id: Id
    name: Text
    description: Text
    min_index: IndexThreshold
    ladders: dict[Id, Text] = Field(
        default_factory=dict, description="where the level sits on each declared ladder"
    )


class Phase(Strict):
    """An implementation phase of the improvement roadmap (seed 001 §6)."""

    id: Id
    order: Annotated[int, Field(ge=1)]
    name: Text
    description: Text
    source: str = Field(min_length=3)


Dimension = Literal["intention", "reality"]
DIMENSIONS: tuple[Dimension, ...] = ("intention", "reality")
Anchors = Annotated[list[Text], Field(min_length=5, max_length=5)]


class CriterionAnchors(Strict):
    """A criterion's own level 1-5 anchor texts for each dimension it is rated on."""

    intention: Anchors
    reality: Anchors


class Criterion(Strict):
    """What is assessed inside an element; questions and actions refer to it by id."""

    id: Id
    name: Text
    description: Text
    weight: PositiveWeight = 1.0
    source: list[Annotated[str, Field(min_length=3)]] = Field(min_length=1)
    anchors: CriterionAnchors | None = Field(
        default=None,
        description="levels 1-5 of intention and of reality; required if and only if the"
        " framework declares dimensions",
    )


class DimensionText(Strict):
    """What one dimension means, as the report and the questions explain it."""

    name: Text
    description: Text


class CriterionRule(Strict):
    """How a criterion's score follows from its intention and reality scores
    (docs/scoring.md, "Intention and reality"): `weighted`, the mean weighted by `weights`,
    or `minimum`, the lower of the two. A criterion scored on one dimension only takes it."""

    rule: Literal["weighted", "minimum"]
    weights: dict[Dimension, PositiveWeight] | None = None

    @model_validator(mode="after")
    def _weights(self) -> CriterionRule:
        if (self.rule == "weighted") != (self.weights is not None):
            raise ValueError("weights are required for, and only for, rule weighted")
        if self.weights is not None and set(self.weights) != set(DIMENSIONS):
            raise ValueError("weights need intention and reality")
        return self


class Dimensions(Strict):
    """Criteria rated on two dimensions, as QCi's CMAT does: whether the organisation
    intends a practice (planned, communicated, owned) and whether it is real (implemented,
    evidenced, adopted). Questions name their dimension; one that names none measures
    `default`."""

    intention: DimensionText
    reality: DimensionText
    default: Dimension = "reality"
    criterion_score: CriterionRule
    finding_gap: Annotated[float, Field(gt=0, le=100), _places(2, "scores have 2")] = Field(
        default=15.0,
        description="a criterion whose intention score exceeds its reality score by at least"
        " this many points is a finding (said but not done)",
    )


class Element(Strict):
    """One of the model's elements, e.g. leadership; one YAML file each."""

    type: Literal["element"] = "element"
    id: Id
    name: Text
    description: Text
    weight: PositiveWeight
    weight_rationale: Text
    source: list[Annotated[str, Field(min_length=3)]] = Field(min_length=1)
    criteria: list[Criterion] = Field(min_length=1)
    max_na_share: Share | None = Field(
        default=None, description="this element's own scoring.max_na_share"
    )

    @field_validator("criteria")
    @classmethod
    def _unique_criteria(cls, v: list[Criterion]) -> list[Criterion]:
        _no_duplicates([c.id for c in v], "criterion")
        return v


class Action(Strict):
    """An improvement action for one criterion, helping it reach `level`."""

    id: Id
    criterion: Id
    level: Annotated[int, Field(ge=2, le=5)]
    phase: Id | None = Field(
        default=None, description="a phase id; required if and only if the framework has phases"
    )
    effort: Effort
    owner_role: Id | None = None
    text: Text


class ActionLibrary(Strict):
    """A recommendation-library file: actions for the criteria of one element."""

    type: Literal["recommendations"] = "recommendations"
    element: Id
    actions: list[Action] = Field(min_length=1)


class Gating(Strict):
    """The level-gating rule: a weak element holds back the overall level."""

    max_above_weakest: Annotated[int, Field(ge=0, le=4)] = 1
    insufficient_element_level: LevelNumber = 1
    description: Text


class Scoring(Strict):
    """Scoring settings declared with the framework."""

    min_coverage: Annotated[Share, Field(gt=0)] = 0.6
    max_na_share: Share = Field(
        default=0.5,
        description="above this share of its question weight answered only N/A, an element"
        " is mostly not applicable (docs/scoring.md)",
    )
    target_levels_ahead: Annotated[int, Field(ge=1, le=4)] = 1
    workshop_weight: PositiveWeight = Field(
        default=1.0,
        description="the weight of a workshop's consensus answers against one person's"
        " (multiplies the role weight)",
    )
    description: Text


class RequiredCriterion(Strict):
    """A criterion that must reach at least `min_level` for a certification level."""

    criterion: Id
    min_level: LevelNumber


class EvidenceRule(Strict):
    """Every criterion at `min_level` or above must be supported by at least `min_items`
    accepted items of the evidence register (docs/certification.md)."""

    min_level: LevelNumber
    min_items: Annotated[int, Field(ge=1)] = 1


class CertificationLevel(Strict):
    """The rules one certification level needs; every rule must hold (see docs/certification.md)."""

    level: Annotated[int, Field(ge=2, le=5)]
    min_overall_index: IndexThreshold
    min_element_index: IndexThreshold
    element_minimums: dict[Id, IndexThreshold] = Field(default_factory=dict)
    min_coverage: Share
    min_evidence_share: Share = 0.0
    required_criteria: list[RequiredCriterion] = Field(default_factory=list)
    min_respondents: Annotated[int, Field(ge=1)] = 1
    required_roles: list[Id] = Field(default_factory=list)
    external_assessor: bool = False
    accepted_evidence: EvidenceRule | None = None
    allow_mostly_not_applicable: bool = Field(
        default=False,
        description="false: no element may be mostly not applicable for this level",
    )

    @field_validator("required_criteria")
    @classmethod
    def _unique_criteria(cls, v: list[RequiredCriterion]) -> list[RequiredCriterion]:
        _no_duplicates([c.criterion for c in v], "required criterion")
        return v

    @field_validator("required_roles")
    @classmethod
    def _unique_roles(cls, v: list[str]) -> list[str]:
        _no_duplicates(v, "required role")
        return v

    def element_minimum(self, element: str) -> float:
        """The minimum index of one element: its own override, else the default."""
        return self.element_minimums.get(element, self.min_element_index)


class Certification(Strict):
    """Published, versioned rules that award certification levels from a result."""

    version: SemVer
    description: Text
    levels: list[CertificationLevel] = Field(min_length=1)

    @field_validator("levels")
    @classmethod
    def _increasing(cls, v: list[CertificationLevel]) -> list[CertificationLevel]:
        numbers = [lv.level for lv in v]
        if numbers != sorted(set(numbers)):
            raise ValueError("certification levels must be unique and in increasing order")
        return v


class ReportText(Strict):
    """What a report for this framework is called and tagged with (title, PDF metadata)."""

    title: Text
    subtitle: Text | None = None
    subject: Text | None = None
    keywords: list[Text] = Field(default_factory=list)
    comparison_title: Text | None = None


class GlossaryTerm(Strict):
    """A term of the framework's domain, printed in the report's glossary.

    A term with the id of one of the report's generic terms (reports/static/glossary.yaml)
    replaces it; the others come first. `basis` is what the report prints as the definition's
    basis: `framework` (this framework, by name and version), `method` (the report's method)
    or a text; `cite` adds a public reference; `source` is for maintainers and not printed."""

    id: Id
    term: Text
    definition: Text
    basis: Literal["framework", "method"] | Text = "framework"
    cite: str | None = None
    source: str | None = None
    shown_with: Literal["benchmark", "certification", "phases"] | None = None


class GlossaryFile(Strict):
    """`glossary.yaml` beside `framework.yaml`: more glossary terms of the framework."""

    type: Literal["glossary"] = "glossary"
    terms: list[GlossaryTerm] = Field(min_length=1)


class FrameworkRef(Strict):
    id: Id
    version: SemVer


class FrameworkBase(Strict):
    """Fields shared by a framework file and the assembled framework."""

    type: Literal["framework"] = "framework"
    id: Id
    version: SemVer
    name: Text
    description: Text
    weighting_rationale: Text
    languages: list[Lang] = Field(
        default_factory=lambda: list(LANGS), min_length=1, description="the languages of its texts"
    )
    report: ReportText | None = None
    ladders: list[LadderDimension] = Field(default_factory=list)
    levels: list[Level]
    phases: list[Phase] = Field(default_factory=list)
    scoring: Scoring
    dimensions: Dimensions | None = None
    gating: Gating
    certification: Certification | None = None
    glossary: list[GlossaryTerm] = Field(default_factory=list)

    @field_validator("languages")
    @classmethod
    def _languages(cls, v: list[Lang]) -> list[Lang]:
        if len(set(v)) != len(v):
            raise ValueError("each language at most once")
        return [lang for lang in LANGS if lang in v]

    @field_validator("ladders")
    @classmethod
    def _unique_ladders(cls, v: list[LadderDimension]) -> list[LadderDimension]:
        _no_duplicates([d.id for d in v], "ladder")
        return v

    @field_validator("glossary")
    @classmethod
    def _unique_terms(cls, v: list[GlossaryTerm]) -> list[GlossaryTerm]:
        _no_duplicates([t.id for t in v], "glossary term")
        return v

    @field_validator("levels")
    @classmethod
    def _five_levels(cls, v: list[Level]) -> list[Level]:
        if [lv.level for lv in v] != [1, 2, 3, 4, 5]:
            raise ValueError("exactly five levels numbered 1 to 5, in order")
        if v[0].min_index != 1.0:
            raise ValueError("level 1 must start at min_index 1.0")
        mins = [lv.min_index for lv in v]
        if len(set(mins)) != 5 or mins != sorted(mins):
            raise ValueError("min_index must increase strictly from level to level")
        _no_duplicates([lv.id for lv in v], "level")
        return v

    @field_validator("phases")
    @classmethod
    def _phases(cls, v: list[Phase]) -> list[Phase]:
        _no_duplicates([p.id for p in v], "phase")
        if sorted(p.order for p in v) != list(range(1, len(v) + 1)):
            raise ValueError("phase order must run 1..n without gaps")
        return v


def _element_entry_kind(v: object) -> str:
    return "~ref" if isinstance(v, str) else "~inline"


# An element entry of framework.yaml: the id of a file in elements/, or the element inline.
# The "~" tags are dropped from error locations (see fileio.dotted).
ElementEntry = Annotated[
    Annotated[Id, Tag("~ref")] | Annotated[Element, Tag("~inline")],
    Discriminator(_element_entry_kind),
]


class FrameworkFile(FrameworkBase):
    """`framework.yaml`: elements are ids of files in `elements/` or inline mappings."""

    elements: list[ElementEntry] = Field(min_length=1)
    actions: list[Action] = Field(default_factory=list)


class Framework(FrameworkBase):
    """A complete, cross-checked maturity framework."""

    elements: list[Element] = Field(min_length=1)
    actions: list[Action] = Field(default_factory=list)
    _sha256: str | None = PrivateAttr(default=None)  # of its files (frameworks/hashing.py)

    @property
    def sha256(self) -> str:
        """The hash a result records: of the files it was loaded from (set by the loader),
        else of its canonical JSON (frameworks/hashing.py)."""
        from .hashing import model_sha256

        return self._sha256 or model_sha256(self)

    @model_validator(mode="after")
    def _cross_references(self) -> Framework:
        _no_duplicates([e.id for e in self.elements], "element")
        _no_duplicates([c.id for e in self.elements for c in e.criteria], "criterion")
        _no_duplicates([a.id for a in self.actions], "action")
        _no_duplicates([t.id for t in self.glossary], "glossary term")
        problems = [
            *(f"{where}: {what}" for where, what in ladder_problems(self)),
            *(
                f"action {a.id}: {what}"
                for a in self.actions
                for what in [phase_problem(a, self.phases)]
                if what
            ),
        ]
        for a in self.actions:
            if a.criterion not in self.criteria:
                problems.append(f"action {a.id}: unknown criterion {a.criterion!r}")
        problems += [f"{where}: {what}" for where, what in anchor_problems(self)]
        from .languages import language_problems  # it walks these models

        problems += [f"{p.path}: {p.message}" for p in language_problems(self, self.languages, "")]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def ref(self) -> FrameworkRef:
        return FrameworkRef(id=self.id, version=self.version)

    @cached_property
    def criteria(self) -> dict[str, Criterion]:
        return {c.id: c for e in self.elements for c in e.criteria}

    @cached_property
    def element_of(self) -> dict[str, Element]:
        """Criterion id → its element."""
        return {c.id: e for e in self.elements for c in e.criteria}

    @cached_property
    def element_by_id(self) -> dict[str, Element]:
        return {e.id: e for e in self.elements}

    @cached_property
    def phase_by_id(self) -> dict[str, Phase]:
        return {p.id: p for p in self.phases}

    def level_for(self, index: float) -> Level:
        """The highest level whose min_index a published (2-decimal) index reaches.

        Both are decimals of at most 2 places held as the floats nearest to them, so the
        comparison is exact (no tolerance)."""
        return [lv for lv in self.levels if index >= lv.min_index][-1]

    def max_na_share_of(self, element: str) -> float:
        """The N/A share above which `element` is mostly not applicable."""
        own = self.element_by_id[element].max_na_share
        return self.scoring.max_na_share if own is None else own


def ladder_problems(fw: FrameworkBase) -> list[tuple[str, str]]:
    """(location, message) for each level whose ladders are not exactly the declared ones."""
    declared = [d.id for d in fw.ladders]
    out = []
    for i, lv in enumerate(fw.levels):
        for key in lv.ladders:
            if key not in declared:
                known = ", ".join(declared) if declared else "none declared"
                out.append((f"levels[{i}].ladders.{key}", f"unknown ladder (ladders: {known})"))
        for key in declared:
            if key not in lv.ladders:
                out.append((f"levels[{i}].ladders.{key}", "required field is missing"))
    return out


def anchor_problems(fw: Framework) -> list[tuple[str, str]]:
    """(location, message) for each criterion whose anchors disagree with the framework's
    dimensions: required when it declares them, refused when it does not."""
    return [
        (f"elements[{i}].{where}", what)
        for i, e in enumerate(fw.elements)
        for where, what in element_anchor_problems(e, fw.dimensions is not None)
    ]


def element_anchor_problems(element: Element, dimensions: bool) -> list[tuple[str, str]]:
    """`anchor_problems` of one element, located within it."""
    out = []
    for j, c in enumerate(element.criteria):
        where = f"criteria[{j}].anchors"
        if dimensions and c.anchors is None:
            out.append((where, "required field is missing (the framework declares dimensions)"))
        elif not dimensions and c.anchors is not None:
            out.append((where, "the framework declares no dimensions"))
    return out


def phase_problem(action: Action, phases: list[Phase]) -> str | None:
    """Why an action's phase is wrong for a framework with these phases, or None."""
    if not phases:
        return None if action.phase is None else "the framework declares no phases"
    if action.phase is None:
        return "required field is missing (the framework declares phases)"
    if action.phase not in {p.id for p in phases}:
        return f"unknown phase {action.phase!r}"
    return None


def _no_duplicates(ids: list[str], what: str) -> None:
    dups = duplicates(ids)
    if dups:
        raise ValueError(f"duplicate {what} id(s): {', '.join(dups)}")


def duplicates(ids: list[str]) -> list[str]:
    seen: set[str] = set()
    dups: set[str] = set()
    for i in ids:
        (dups if i in seen else seen).add(i)
    return sorted(dups)
