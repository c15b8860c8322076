"""Answering a questionnaire step by step: the order of questions, reading one typed input,
and saving every answer at once, so that an interrupted session loses nothing.

No terminal here: `assessment/cli/answer.py` prints and prompts, `answer_input` reads what
is typed, and this module decides what comes next and saves.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from frameworks.errors import InputError
from frameworks.fileio import parse_data, read_bytes, write_atomic
from frameworks.model import Element, Framework
from frameworks.text import Lang
from questionnaires.model import Question, Questionnaire
from questionnaires.types import NA

from .answer_input import (
    BACK,
    CLEAR,
    HELP,
    NOTE_SUFFIX,
    QUIT,
    SKIP,
    Invalid,
    label,
    parse_value,
    valid_id,
)
from .responses import Answer, check_responses, parse_responses

Kind = Literal[
    "answered", "skipped", "kept", "cleared", "back", "help", "quit", "invalid", "first", "done"
]


@dataclass(frozen=True)
class Step:
    """One question in answering order, with where it stands."""

    question: Question
    element: Element
    element_no: int
    element_count: int
    no: int
    count: int

    def progress(self, lang: Lang) -> str:
        return label(
            "progress", lang, e=self.element_no, ne=self.element_count, i=self.no, n=self.count
        )


def question_steps(q: Questionnaire, fw: Framework, role: str) -> list[Step]:
    """The questions for `role`, ordered by element and criterion as in the framework."""
    order = {c: i for i, c in enumerate(fw.criteria)}
    questions = [x for x in q.questions if not x.roles or role in x.roles]
    questions.sort(key=lambda x: order[x.criterion])
    elements: list[str] = []
    for x in questions:
        eid = fw.element_of[x.criterion].id
        if eid not in elements:
            elements.append(eid)
    return [
        Step(
            question=x,
            element=fw.element_of[x.criterion],
            element_no=elements.index(fw.element_of[x.criterion].id) + 1,
            element_count=len(elements),
            no=i,
            count=len(questions),
        )
        for i, x in enumerate(questions, start=1)
    ]


@dataclass(frozen=True)
class Outcome:
    """What one input did: its kind, the question it concerned, a reason when invalid."""

    kind: Kind
    question_id: str | None = None
    message: str = ""
    wants_note: bool = False


@dataclass(frozen=True)
class Summary:
    answered: int
    na: int
    skipped: list[str]
    total: int


def new_document(
    q: Questionnaire,
    organization: dict[str, str],
    respondent: str,
    role: str,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """A responses document with one respondent and no answers yet (already valid)."""
    return {
        "type": "responses",
        "questionnaire": {"id": q.id, "version": q.version},
        "organization": dict(organization),
        "date": today or dt.date.today(),
        "respondents": [{"id": respondent, "role": role, "answers": {}}],
    }


def load_document(path: Path, q: Questionnaire) -> dict[str, Any]:
    """Read a responses file to continue it; it must be valid for this questionnaire."""
    raw = read_bytes(path)
    check_responses(parse_responses(raw, str(path)), q)
    data: dict[str, Any] = parse_data(raw, str(path))
    for r in data["respondents"]:
        answers = r.get("answers") or {}
        r["answers"] = {k: v for k, v in answers.items() if not _empty(v)}
    return data


def _empty(answer: Any) -> bool:
    """Unanswered in a responses file: an empty value, or a mapping with an empty value."""
    return answer is None or (isinstance(answer, dict) and answer.get("value", "") is None)


def respondent_ids(doc: dict[str, Any]) -> list[str]:
    return [str(r["id"]) for r in doc["respondents"]]


class AnswerSession:
    """One respondent answering: the current question, input handling, and atomic saving."""

    def __init__(
        self,
        q: Questionnaire,
        fw: Framework,
        path: Path,
        doc: dict[str, Any],
        respondent: str,
        role: str | None = None,
        lang: Lang = "en",
        header: str = "",
    ) -> None:
        self.q, self.path, self.doc, self.lang, self.header = q, path, doc, lang, header
        if role is not None and role not in q.role_by_id:
            raise InputError.one("--role", "", f"unknown role {role!r} ({', '.join(q.role_by_id)})")
        if not valid_id(respondent):
            raise InputError.one("--respondent", "", f"not a valid id: {respondent!r}")
        ids = respondent_ids(doc)
        if respondent not in ids:
            if role is None:
                raise InputError.one(path, "respondents", f"no respondent {respondent!r}")
            doc["respondents"].append({"id": respondent, "role": role, "answers": {}})
            ids.append(respondent)
        self.entry: dict[str, Any] = doc["respondents"][ids.index(respondent)]
        self.entry.setdefault("answers", {})
        if role is not None and self.entry["role"] != role:
            raise InputError.one(
                path, "respondents", f"respondent {respondent!r} has role {self.entry['role']!r}"
            )
        self.steps = question_steps(q, fw, self.entry["role"])
        self.position = self.first_unanswered()

    @property
    def answers(self) -> dict[str, Any]:
        answers: dict[str, Any] = self.entry["answers"]
        return answers

    @property
    def current(self) -> Step | None:
        return self.steps[self.position] if self.position < len(self.steps) else None

    @property
    def finished(self) -> bool:
        return self.position >= len(self.steps)

    def value_of(self, qid: str) -> Any:
        a = self.answers.get(qid)
        return a.get("value") if isinstance(a, dict) else a

    def first_unanswered(self, start: int = 0) -> int:
        """Index of the first step at or after `start` without an answer (len if none)."""
        for i in range(start, len(self.steps)):
            if self.steps[i].question.id not in self.answers:
                return i
        return len(self.steps)

    def _advance(self) -> None:
        self.position = self.first_unanswered(self.position + 1)

    def restart_unanswered(self) -> bool:
        """Go to the first unanswered question; False if every question is answered."""
        self.position = self.first_unanswered()
        return not self.finished

    def handle(self, text: str) -> Outcome:
        """Apply one typed input to the current question, saving the file on any change."""
        step = self.current
        if step is None:
            return Outcome("done")
        qid = step.question.id
        cmd = text.strip().lower()
        if cmd in SKIP:
            kind: Kind = "kept" if qid in self.answers else "skipped"
            self._advance()
            return Outcome(kind, qid)
        if cmd in BACK:
            if self.position == 0:
                return Outcome("first", qid, label("err_first", self.lang))
            self.position -= 1
            return Outcome("back", qid)
        if cmd in HELP:
            return Outcome("help", qid)
        if cmd in QUIT:
            return Outcome("quit", qid)
        if cmd in CLEAR and qid in self.answers:
            del self.answers[qid]
            self.save()
            return Outcome("cleared", qid)
        body = text.strip()
        wants_note = body.lower().endswith(NOTE_SUFFIX)
        if wants_note:
            body = body[: -len(NOTE_SUFFIX)].rstrip()
        try:
            value = parse_value(step.question, body, self.lang)
            Answer.model_validate({"value": value})
        except Invalid as exc:
            return Outcome("invalid", qid, str(exc))
        except ValidationError:
            return Outcome("invalid", qid, label("err_control", self.lang))
        old = self.answers.get(qid)
        if isinstance(old, dict):
            self.answers[qid] = {**old, "value": value}
        else:
            self.answers[qid] = value
        self.save()
        self._advance()
        return Outcome("answered", qid, wants_note=wants_note)

    def add_note(self, qid: str, comment: str, evidence: str) -> str | None:
        """Attach a comment and evidence (`;`-separated) to an answer; a reason if refused."""
        comment = comment.strip()
        refs = [e.strip() for e in re.split(r"[;\uff1b]", evidence) if e.strip()]
        if not comment and not refs:
            return None
        old = self.answers[qid]
        entry = dict(old) if isinstance(old, dict) else {"value": old}
        if comment:
            entry["comment"] = comment
        if refs:
            entry["evidence"] = [*entry.get("evidence", []), *refs]
        try:
            Answer.model_validate(entry)
        except ValidationError as exc:
            err = exc.errors()[0]
            if "too_long" in err["type"]:
                n = (err.get("ctx") or {}).get("max_length", "")
                return label("err_long", self.lang, n=n)
            return label("err_control", self.lang)
        self.answers[qid] = entry
        self.save()
        return None

    def summary(self) -> Summary:
        answered = [s for s in self.steps if s.question.id in self.answers]
        return Summary(
            answered=len(answered),
            na=sum(1 for s in answered if self.value_of(s.question.id) == NA),
            skipped=[s.question.id for s in self.steps if s.question.id not in self.answers],
            total=len(self.steps),
        )

    def save(self) -> None:
        """Write the whole responses file atomically, answers in questionnaire order."""
        import yaml

        order = {s.question.id: i for i, s in enumerate(self.steps)}
        items = sorted(self.answers.items(), key=lambda kv: order.get(kv[0], len(order)))
        self.entry["answers"] = dict(items)
        text = yaml.safe_dump(self.doc, allow_unicode=True, sort_keys=False, width=100)
        write_atomic(self.path, self.header + text)
