"""The report's view model: frozen records of localised names, texts and result figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup

from assessment.result import AssessmentResult
from frameworks.model import Framework
from frameworks.text import Lang
from questionnaires.model import Questionnaire

from .brand import BrandView
from .labels import Labels
from .peers import BenchmarkView, PeerView

if TYPE_CHECKING:  # appendices C-E (reports/appendix.py)
    from .appendix import AnswersAppendix, GlossaryView, RespondentsAppendix
    from .audit_view import AuditView
    from .own_words import OwnWords, SaidQuestion


@dataclass(frozen=True)
class Ladder:
    label: str
    position: str


@dataclass(frozen=True)
class LevelView:
    number: int
    id: str
    name: str
    label: str
    short: str
    description: str
    min_index: float
    min_score: float
    ladders: tuple[Ladder, ...]


@dataclass(frozen=True)
class Cover:
    organization: str
    industry: str
    size: str
    region: str
    date: str
    date_iso: str
    framework: str
    framework_version: str
    questionnaire: str
    questionnaire_version: str
    assessor: str | None
    assessment_type: str
    respondents: int


@dataclass(frozen=True)
class Inputs:
    framework_id: str
    framework_version: str
    framework_sha256: str
    questionnaire_id: str
    questionnaire_version: str
    questionnaire_sha256: str
    responses_file: str
    responses_sha256: str
    responses_short: str


@dataclass(frozen=True)
class QuestionView:
    id: str
    text: str
    type: str
    weight: float
    effective_weight: float
    n: int
    not_applicable: int
    score: float | None
    std: float | None
    min: float | None
    max: float | None
    formula: str
    notes: tuple[NoteView, ...] = ()


@dataclass(frozen=True)
class NoteView:
    """One respondent's comment and evidence references on one question."""

    respondent: str
    role: str
    comment: str | None
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class CriterionView:
    id: str
    name: str
    description: str
    weight: float
    score: float | None
    index: float | None
    level: LevelView | None
    coverage: float | None
    formula: str
    questions: tuple[QuestionView, ...]
    texts: tuple[SaidQuestion, ...] = ()
    """The criterion's free-text questions with their answers (reports/own_words.py)."""
    overridden: tuple[str, ...] = ()
    """The figures an assessor's rating set ("score", "intention", "reality"): the score
    shown is marked (reports/audit_view.py MARK)."""

    @property
    def status_key(self) -> str:
        """The label of a criterion without a score: every question N/A, or none scored."""
        return "status.not_applicable" if self.coverage is None else "status.no_score"


@dataclass(frozen=True)
class ElementView:
    number: int
    id: str
    name: str
    description: str
    weight: float
    weight_share: float
    weight_rationale: str
    insufficient: bool
    """Not scored: insufficient evidence, or every question not applicable."""
    coverage: float | None
    score: float | None
    index: float | None
    level: LevelView | None
    note: str
    formula: str
    criteria: tuple[CriterionView, ...]
    chart: Markup
    peer: PeerView | None = None
    status_label: str = ""
    """Why an unscored element has no score (insufficient evidence / not applicable)."""
    status_note: str | None = None
    not_applicable: bool = False
    """Every question of the element answered only N/A (not scored either)."""
    na_share: float = 0.0
    mostly_na: bool = False
    na_note: str | None = None
    """Said of an element mostly not applicable (N/A share above its maximum)."""


@dataclass(frozen=True)
class ActionView:
    id: str
    text: str
    level: int
    effort: str
    effort_label: str
    phase_order: int
    phase: str
    owner: str
    criterion: str
    element: str
    horizon: str = ""  # when to expect it, from its effort (labels horizon.*)
    rank: int = 0  # the rank of the recommendation it belongs to


@dataclass(frozen=True)
class RecommendationView:
    rank: int
    priority: float
    criterion_id: str
    criterion: str
    element_id: str
    element: str
    current: LevelView
    target: LevelView
    gap: int
    actions: tuple[ActionView, ...]
    kind: str | None = None
    """decide-and-communicate or implement-and-embed (with intention and reality)."""
    kind_label: str = ""


@dataclass(frozen=True)
class PhaseView:
    order: int
    id: str
    name: str
    description: str
    actions: tuple[ActionView, ...]
    counts: str


@dataclass(frozen=True)
class OverallView:
    score: float | None
    index: float | None
    coverage: float | None
    level: LevelView | None
    level_by_index: LevelView | None
    gated: bool
    formula: str
    gating_formula: str | None


@dataclass(frozen=True)
class ProvisionalView:
    """Why a result is provisional and what completes it: shown on the cover and atop the
    executive summary whenever coverage is below the framework's minimum or an element
    could not be scored for lack of answers (docs/scoring.md, "Provisional results")."""

    title: str  # "Provisional result"
    level_label: str  # "Provisional overall maturity level", in place of the plain label
    tag: str  # "provisional", beside a level
    missing: str  # coverage below the minimum, the elements not scored, unanswered questions
    meaning: str  # the level rests on the answered questions only
    todo: str  # what to do: answer the rest (the crmm answer --resume command) and report again
    unanswered: int  # questions without any answer
    elements: tuple[str, ...]  # names of the elements not scored for lack of answers


@dataclass(frozen=True)
class SummaryView:
    paragraphs: tuple[str, ...]
    strongest: ElementView | None
    weakest: ElementView | None
    insufficient: tuple[ElementView, ...]
    recommendations: int
    actions: int
    quick_wins: int
    target: LevelView
    recommendations_line: str = ""  # actions proposed for the criteria below the target
    provisional: ProvisionalView | None = None  # None: the result rests on enough answers


@dataclass(frozen=True)
class MethodologyView:
    scoring: str
    gating: str
    weighting: str
    settings: str
    levels: tuple[LevelView, ...]
    levels_note: str = ""


@dataclass(frozen=True)
class TraceRow:
    id: str
    name: str
    score: float | None
    formula: str
    marked: bool = False  # a criterion whose score (or a dimension of it) a rating set


@dataclass(frozen=True)
class TraceView:
    questions: tuple[TraceRow, ...]
    criteria: tuple[TraceRow, ...]
    elements: tuple[TraceRow, ...]
    overall: str
    gating: str | None


@dataclass(frozen=True)
class RespondentView:
    id: str
    role: str
    department: str
    answered: int
    not_applicable: int
    counts: bool = True
    """A scored or N/A answer to a scored question (docs/scoring.md, "Who counts")."""


@dataclass(frozen=True)
class ProgressRow:
    """One element (or the overall result) in an earlier assessment and in this one."""

    id: str
    name: str
    previous: float | None
    current: float | None
    delta: float | None
    previous_level: LevelView | None
    current_level: LevelView | None


@dataclass(frozen=True)
class ProgressView:
    """A re-assessment beside the previous one (`crmm report --previous`)."""

    previous_date: str
    current_date: str
    intro: str
    elements: tuple[ProgressRow, ...]
    overall: ProgressRow
    improved: tuple[str, ...]
    declined: tuple[str, ...]
    acted_on: str
    left_out: tuple[str, ...]


@dataclass(frozen=True)
class CertRuleView:
    """One certification rule with its figures, as shown on the certification page."""

    id: str
    text: str
    required: str
    actual: str
    passed: bool
    outcome: str


@dataclass(frozen=True)
class CertLevelView:
    level: LevelView
    passed: bool
    outcome: str
    rules: tuple[CertRuleView, ...]


@dataclass(frozen=True)
class CertificationView:
    """The certification page: verdict, who assessed, every rule, rules version and inputs."""

    awarded: LevelView | None
    verdict: str
    self_assessment: bool
    marker: str
    marker_note: str
    rules_version: str
    description: str
    evidence: str
    levels: tuple[CertLevelView, ...]
    # the levels the certification page shows: the awarded one and the next one up (all
    # levels are in appendix A, the methodology)
    headline: tuple[CertLevelView, ...] = ()


@dataclass(frozen=True)
class ReportContext:
    """The whole report in one language; templates read only this."""

    lang: Lang
    labels: Labels
    title: str
    generator: str
    cover: Cover
    inputs: Inputs
    overall: OverallView
    summary: SummaryView
    elements: tuple[ElementView, ...]
    recommendations: tuple[RecommendationView, ...]
    unassessed: tuple[str, ...]
    roadmap: tuple[PhaseView, ...]
    methodology: MethodologyView
    trace: TraceView
    respondents: tuple[RespondentView, ...]
    radar: Markup
    result: AssessmentResult
    framework: Framework
    questionnaire: Questionnaire
    progress: ProgressView | None = None
    certification: CertificationView | None = None
    benchmark: BenchmarkView | None = None
    brand: BrandView = field(default_factory=BrandView)
    executive: ExecutiveView | None = None
    heatmap: Markup = field(default_factory=Markup)
    timeline: Markup = field(default_factory=Markup)
    appendix_respondents: RespondentsAppendix | None = None
    appendix_answers: AnswersAppendix | None = None
    glossary: GlossaryView | None = None
    own_words: OwnWords | None = None  # what respondents wrote (reports/own_words.py)
    # intention and reality, assessor ratings, evidence register, workshops
    # (reports/audit_view.py); None for an assessment without any of them
    audit: AuditView | None = None
    subtitle: str | None = None  # the framework's report subtitle, if it declares one
    subject: str | None = None  # the PDF subject, if the framework declares one
    keywords: tuple[str, ...] = ()  # the framework's keywords (generic ones if it has none)
    phased: bool = True  # False: the framework has no phases; the roadmap groups by effort
    # which document: "full" (every section), "main" (the appendices A-E left
    # to an annex) or "annex" (those appendices alone, after a cover of their own)
    part: str = "full"

    @property
    def one_respondent(self) -> bool:
        """A single respondent: per-question counts and spreads carry nothing, so the
        element sections leave them out."""
        return self.cover.respondents == 1


# --- executive summary, criteria heatmap and roadmap timeline (reports/executive.py) -------


@dataclass(frozen=True)
class StrengthView:
    """One of the highest-scoring criteria."""

    criterion_id: str
    criterion: str
    element: str
    score: float
    level: LevelView
    marked: bool = False  # an assessor's rating set the score or one of its dimensions


@dataclass(frozen=True)
class PriorityView:
    """One of the top recommendations, with the first action it proposes."""

    rank: int
    criterion_id: str
    criterion: str
    element: str
    current: LevelView
    target: LevelView
    first_action: ActionView | None
    more_actions: int


@dataclass(frozen=True)
class RoadmapStep:
    """A roadmap phase that has actions, in one line: `Phase 4 …: 10 actions (4 quick wins)`."""

    order: int
    name: str
    actions: int
    quick_wins: int
    text: str


@dataclass(frozen=True)
class ExecutiveView:
    """The one-page executive summary: headline, strengths, priorities, roadmap line."""

    headline: tuple[str, ...]
    findings: tuple[str, ...]
    strengths: tuple[StrengthView, ...]
    priorities: tuple[PriorityView, ...]
    steps: tuple[RoadmapStep, ...]
    roadmap_line: str
