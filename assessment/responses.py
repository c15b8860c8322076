"""The responses file: who answered which questionnaire, for which organisation, and how."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, Field, ValidationError, field_validator, model_validator

from frameworks.errors import InputError, Problem
from frameworks.fileio import parse_data, read_bytes, sha256_bytes, validate_as
from frameworks.model import Dimension, Framework, Id, LevelNumber, PositiveWeight, Strict
from frameworks.vocabulary import vocabulary
from questionnaires.model import Questionnaire, QuestionnaireRef, unique_ids
from questionnaires.types import AnswerValueError, normalize_value

if TYPE_CHECKING:
    from questionnaires.importers.answer_table import AnswerTable

    from .response_columns import RawAnswers, TableResponses

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _printable(v: Any) -> Any:
    """Reject control characters (newline and tab allowed): they would garble a report."""
    if isinstance(v, str) and (m := _CONTROL.search(v)):
        raise ValueError(f"control character {m.group()!r} at position {m.start()} not allowed")
    return v


def _bounded(v: Any) -> Any:
    """A text answer may be as long as a comment, no longer (a report must stay quick)."""
    if isinstance(v, str) and len(v) > TEXT_LIMIT:
        raise ValueError(f"text of {len(v)} characters; at most {TEXT_LIMIT} are allowed")
    return v


TEXT_LIMIT = 5000  # characters of a comment or a free-text answer
ShortText = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_printable)]


class Organization(Strict):
    """The assessed organisation's profile (used for benchmarks and the report cover)."""

    name: ShortText
    industry: Id
    size: Id
    region: Id


Comment = Annotated[str, Field(max_length=TEXT_LIMIT), AfterValidator(_printable)]


class Answer(Strict):
    """One answer: its value ('na' for not applicable), an optional comment and evidence."""

    value: Annotated[Any, AfterValidator(_printable), AfterValidator(_bounded)]
    comment: Comment | None = None
    evidence: list[ShortText] = Field(default_factory=list)


class Participant(Strict):
    """Someone who took part in a workshop."""

    name: ShortText
    role: Id | None = None
    department: ShortText | None = None


class Respondent(Strict):
    id: Id
    role: Id
    kind: Literal["person", "workshop"] = "person"
    department: ShortText | None = None
    name: ShortText | None = None
    participants: list[Participant] = Field(
        default_factory=list,
        description="a workshop's participants (required for, and only for, a workshop)",
    )
    answers: dict[str, Answer] = Field(default_factory=dict)
    metadata: dict[ShortText, ShortText] = Field(
        default_factory=dict,
        description="what a survey platform recorded (submit time, source, ...); not scored",
    )

    @field_validator("answers", mode="before")
    @classmethod
    def _short_form(cls, v: Any) -> Any:
        """`q1: 3` is short for `q1: {value: 3}`; an empty value means unanswered, and so
        does an empty list (a multiple choice with nothing chosen)."""
        if not isinstance(v, dict):
            return v
        out = {}
        for k, a in v.items():
            value = a.get("value", "") if isinstance(a, dict) else a
            if value is None or (isinstance(value, list) and not value):
                continue
            out[k] = a if isinstance(a, dict) else {"value": a}
        return out

    @model_validator(mode="after")
    def _participants(self) -> Respondent:
        if self.kind == "workshop" and not self.participants:
            raise ValueError("a workshop needs its participants")
        if self.kind == "person" and self.participants:
            raise ValueError("participants are for kind workshop only")
        return self


EvidenceKind = Literal["document", "link", "interview", "observation"]
EvidenceStatus = Literal["pending", "accepted", "insufficient", "rejected"]


class EvidenceSource(Strict):
    """Who gave or showed an evidence item."""

    person: ShortText | None = None
    role: Id | None = None


class EvidenceItem(Strict):
    """One item of the evidence register and its reviewer's status."""

    id: Id
    kind: EvidenceKind
    title: ShortText
    date: dt.date
    source: EvidenceSource = Field(default_factory=EvidenceSource)
    location: ShortText | None = Field(default=None, description="file name, URL or archive ref")
    criteria: list[Id] = Field(default_factory=list, description="the criteria it supports")
    status: EvidenceStatus = "pending"
    reason: Comment | None = None
    reviewed_by: ShortText | None = None

    @model_validator(mode="after")
    def _reason(self) -> EvidenceItem:
        if self.status in ("insufficient", "rejected") and not self.reason:
            raise ValueError(f"a reason is required for status {self.status}")
        return self


class AssessorRating(Strict):
    """One entry of the audit trail: an assessor rates a criterion (or one dimension of
    it) directly, replacing the aggregated self-ratings (docs/scoring.md, "Assessor
    ratings"). `before` is the score the entry replaced, as the assessor saw it."""

    criterion: Id
    dimension: Dimension | None = None
    rating: LevelNumber
    before: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] | None
    reason: Annotated[str, Field(min_length=1, max_length=TEXT_LIMIT), AfterValidator(_printable)]
    evidence: list[Id] = Field(min_length=1)
    by: ShortText
    at: dt.datetime

    @field_validator("at")
    @classmethod
    def _zoned(cls, v: dt.datetime) -> dt.datetime:
        if v.tzinfo is None:
            raise ValueError("give the time with its offset, e.g. 2026-11-20T10:30:00+08:00")
        return v


class ResponsesHead(Strict):
    """A responses file without its respondents: what the file says about the assessment."""

    type: str = Field(default="responses", pattern="^responses$")
    questionnaire: QuestionnaireRef
    organization: Organization
    date: dt.date
    assessor: ShortText | None = None
    role_weights: dict[Id, PositiveWeight | dict[Id, PositiveWeight]] = Field(
        default_factory=dict,
        description="role -> weight of its answers, or -> {element id or 'default': weight}",
    )
    evidence_register: list[EvidenceItem] = Field(
        default_factory=list, description="the evidence register (answers cite its ids)"
    )
    assessor_ratings: list[AssessorRating] = Field(
        default_factory=list, description="the assessors' audit trail, oldest first"
    )

    @field_validator("evidence_register")
    @classmethod
    def _unique_evidence(cls, v: list[EvidenceItem]) -> list[EvidenceItem]:
        return unique_ids(v, "evidence")


class Responses(ResponsesHead):
    """A responses file."""

    respondents: list[Respondent] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_respondents(self) -> Responses:
        seen: dict[str, int] = {}
        for i, r in enumerate(self.respondents):
            if r.id in seen:
                raise ValueError(f"duplicate respondent id {r.id!r} at respondents[{i}]")
            seen[r.id] = i
        return self


class LoadedResponses:
    """A responses file with its source and raw bytes hash: its `head` (all but the
    respondents) and its answers as raw columns (`raw`, see response_columns.py) when the
    lean reading applies, and the whole `Responses` model, made when first asked for."""

    def __init__(
        self,
        responses: Responses | None,
        source: str,
        sha256: str,
        *,
        head: ResponsesHead | None = None,
        raw: RawAnswers | None = None,
    ) -> None:
        self._responses = responses
        self.head: ResponsesHead = head if head is not None else _head_of(responses)
        self.raw = raw
        self.checked: tuple[Questionnaire, AnswerTable] | None = None  # by `checked_table`
        self.source = source
        self.sha256 = sha256

    @property
    def responses(self) -> Responses:
        """The whole model (one pydantic model per answer: slow for large files)."""
        if self._responses is None:
            assert self.raw is not None
            people = self.raw.respondents()
            data = {**self.head.model_dump(exclude_none=True), "respondents": people}
            self._responses = validate_as(Responses, data, self.source)
        return self._responses

    def for_report(self, q: Questionnaire) -> Responses | TableResponses:
        """What a report reads of the answers (comments, evidence, agreement): the model for
        a file of up to ANSWERS_LIMIT respondents, else the checked table."""
        from .response_columns import TableResponses
        from .scoring import ANSWERS_LIMIT

        if self.raw is None or len(self.raw.table) <= ANSWERS_LIMIT:
            return self.responses
        return TableResponses(
            self.checked_table(q), self.head.role_weights, self.raw.order, self.head
        )

    def checked_table(self, q: Questionnaire) -> AnswerTable:
        """The answers checked against `q` as a table of canonical values (kept for `q`)."""
        from .response_columns import check_table

        assert self.raw is not None
        if self.checked is None or self.checked[0] is not q:
            self.checked = (q, check_table(self.head, self.raw, self.source, q))
        return self.checked[1]


def _head_of(responses: Responses | None) -> ResponsesHead:
    assert responses is not None
    fields = {k: getattr(responses, k) for k in ResponsesHead.model_fields}
    return ResponsesHead.model_construct(**fields)


def load_responses(path: Path) -> LoadedResponses:
    raw = read_bytes(path)
    return parse_responses(raw, str(path))


def parse_responses(raw: bytes, source: str, data: Any = None) -> LoadedResponses:
    """Read a responses file (YAML, JSON, or columnar JSON); `data` if already parsed.

    Structural errors are raised here, located as the models locate them; the answers are
    checked against a questionnaire later (`check_responses`, or `check_table` for columns).
    """
    from .response_columns import is_columnar, raw_from_columns, raw_from_rows

    if data is None:
        data = parse_document(raw, source)
    if not isinstance(data, dict):
        raise InputError.one(source, "", "expected a mapping at the top level")
    sha = sha256_bytes(raw)
    if is_columnar(data):
        head_data = {k: v for k, v in data.items() if k in ResponsesHead.model_fields}
        head = validate_as(ResponsesHead, head_data, source)
        return LoadedResponses(None, source, sha, head=head, raw=raw_from_columns(data, source))
    lean = raw_from_rows(data.get("respondents"))
    if lean is not None:
        head_data = {k: v for k, v in data.items() if k != "respondents"}
        try:
            head = ResponsesHead.model_validate(head_data)
        except ValidationError:
            pass  # the whole model says what is wrong, in its order
        else:
            return LoadedResponses(None, source, sha, head=head, raw=lean)
    return LoadedResponses(validate_as(Responses, data, source), source, sha)


def parse_document(raw: bytes, source: str) -> Any:
    """JSON read by the json module (a hundred times faster than YAML for large files),
    anything else, or JSON it refuses, by the YAML reader (a superset of JSON)."""
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        try:
            return json.loads(
                raw, object_pairs_hook=_unique_keys, parse_constant=_no_constant, parse_float=_float
            )
        except (ValueError, UnicodeDecodeError):
            pass  # the YAML reader gives the located message (or reads it after all)
    return parse_data(raw, source)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise ValueError("duplicate key")
    return out


# what PyYAML reads as a float (1.5, 1.5e+3); other JSON numbers (1e5, 1.5e3) it reads as text
_YAML_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?$")


def _float(text: str) -> float | str:
    return float(text) if _YAML_FLOAT.match(text) else text


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a value")


def questionnaire_for(
    loaded: LoadedResponses,
    questionnaire: str | Path | None = None,
    framework: str | Path | Framework | None = None,
) -> tuple[Questionnaire, Framework]:
    """The questionnaire (and its framework) to check `loaded` with: `questionnaire` if given,
    else the one the file names; a name that is neither a file nor a built-in id is an error
    located at the responses file's `questionnaire.id`."""
    from questionnaires.loader import builtin_questionnaires, load_questionnaire

    if questionnaire is not None:
        return load_questionnaire(questionnaire, framework)
    ref = loaded.head.questionnaire.id
    if ref not in builtin_questionnaires() and not Path(ref).exists():
        known = ", ".join(builtin_questionnaires())
        raise InputError.one(
            loaded.source,
            "questionnaire.id",
            f"no such questionnaire {ref!r} (built-in: {known}; for another, give"
            " --questionnaire FILE)",
        )
    return load_questionnaire(ref, framework)


def header_problems(head: ResponsesHead, q: Questionnaire, source: str) -> list[Problem]:
    """A responses file's header against the questionnaire: InputError when it names another
    questionnaire; the problems of its organisation profile and role weights."""
    ref = head.questionnaire
    if (ref.id, ref.version) != (q.id, q.version):
        raise InputError.one(
            source,
            "questionnaire",
            f"answers are for {ref.id} {ref.version}, but the questionnaire is {q.id} {q.version}",
        )
    org = head.organization
    problems = vocabulary().problems(
        {"industry": org.industry, "size": org.size, "region": org.region}, source, "organization."
    )
    for role in head.role_weights:
        if role not in q.role_by_id:
            problems.append(Problem(source, f"role_weights.{role}", "unknown role"))
    return problems


def check_responses(loaded: LoadedResponses, q: Questionnaire) -> Responses:
    """Check every answer against the questionnaire; return responses with canonical values."""
    src = loaded.source
    if loaded.raw is not None:  # the same checks, column by column (raises the same problems)
        from .response_columns import check_table

        check_table(loaded.head, loaded.raw, src, q)
    r = loaded.responses
    problems = header_problems(r, q, src)
    respondents = []
    for i, resp in enumerate(r.respondents):
        if resp.role not in q.role_by_id:
            known = ", ".join(q.role_by_id)
            problems.append(
                Problem(src, f"respondents[{i}].role", f"unknown role {resp.role!r} ({known})")
            )
        answers = {}
        for qid, ans in resp.answers.items():
            where = f"respondents[{i}].answers.{qid}"
            question = q.question_by_id.get(qid)
            if question is None:
                problems.append(Problem(src, where, "unknown question id"))
                continue
            if resp.role in q.role_by_id and not question.asked_of(resp.role):
                problems.append(Problem(src, where, question.not_asked(resp.role)))
                continue
            try:
                value = normalize_value(question, ans.value)
            except AnswerValueError as exc:
                problems.append(Problem(src, where, str(exc)))
                continue
            answers[qid] = ans.model_copy(update={"value": value})
        respondents.append(resp.model_copy(update={"answers": answers}))
    if problems:
        raise InputError(problems)
    return r.model_copy(update={"respondents": respondents})
