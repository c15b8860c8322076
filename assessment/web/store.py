"""What the web app does with an assessment, without HTTP: pin its questionnaire and
framework, check and save answers, and write its responses file — the one file every report,
export and `crmm verify` is made from, exactly as on the command line."""

from __future__ import annotations

import datetime as dt
import json
import math
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frameworks.errors import InputError
from frameworks.model import Framework
from questionnaires.model import Question, Questionnaire
from questionnaires.types import NA, AnswerValueError, normalize_value

from ..answer_input import plain_number
from ..responses import TEXT_LIMIT, Answer
from .models import AnswerRow, Assessment, Respondent, now

EXPORT_NAME = "responses.yaml"  # the name the exported responses file is read under


class PinChanged(InputError):
    """The installed questionnaire or framework is no longer the one the assessment pinned."""


@cache
def _load(questionnaire_id: str) -> tuple[Questionnaire, Framework]:
    from questionnaires.loader import load_questionnaire

    return load_questionnaire(questionnaire_id)


def pin(questionnaire_id: str) -> dict[str, str]:
    """The columns that pin an assessment to a questionnaire and its framework as installed
    now: ids, versions and content hashes."""
    q, fw = _load(questionnaire_id)
    return {
        "questionnaire_id": q.id,
        "questionnaire_version": q.version,
        "questionnaire_sha256": q.sha256,
        "framework_id": fw.id,
        "framework_version": fw.version,
        "framework_sha256": fw.sha256,
    }


def pinned_builtin(questionnaire_id: str) -> tuple[Questionnaire, Framework]:
    """A questionnaire and its framework as installed now (what `pin` records)."""
    return _load(questionnaire_id)


def pinned(a: Assessment) -> tuple[Questionnaire, Framework]:
    """The assessment's questionnaire and framework; PinChanged if what is installed now
    differs from what it was created with (its scores would silently change otherwise)."""
    q, fw = _load(a.questionnaire_id)
    for what, have, want in (
        ("questionnaire", (q.version, q.sha256), (a.questionnaire_version, a.questionnaire_sha256)),
        ("framework", (fw.version, fw.sha256), (a.framework_version, a.framework_sha256)),
    ):
        if have != want:
            raise PinChanged.one(
                f"assessment {a.id}",
                what,
                f"created with {what} version {want[0]} ({want[1][:12]}), but the installed one"
                f" is {have[0]} ({have[1][:12]}): install the crmm release it was made with",
            )
    return q, fw


def questions_for(q: Questionnaire, fw: Framework, role: str) -> list[list[Question]]:
    """The questions a role answers, one list per element in the framework's order (the
    respondent's pages)."""
    from ..answering import question_steps

    pages: list[list[Question]] = []
    last = None
    for step in question_steps(q, fw, role):
        if step.element.id != last:
            pages.append([])
            last = step.element.id
        pages[-1].append(step.question)
    return pages


# --- answers ---------------------------------------------------------------------------------


def form_value(question: Question, raw: list[str]) -> Any:
    """The answer value a form's field(s) stand for, before checking: None when nothing was
    given (the answer is then removed), 'na', an int level, a number, option id(s), text."""
    items = [x.strip() for x in raw if x is not None]
    if question.type == "multiple_choice":
        chosen = [x for x in items if x]
        if chosen == [NA]:
            return NA
        return chosen or None
    text = items[0] if items else ""
    if question.type == "text":
        text = raw[0] if raw else ""
        return text if text.strip() else None
    if not text:
        return None
    if text.lower() == NA:
        return NA
    if question.type in ("anchored", "likert"):
        try:
            return int(text)
        except ValueError:
            return text
    if question.type == "kpi":
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            return text
        if not math.isfinite(number):
            return text
        return plain_number(number)
    return text


def check_answer(
    question: Question,
    value: Any,
    comment: str | None = None,
    evidence: list[str] | None = None,
    *,
    where: str = "answer",
) -> Answer:
    """The answer as a responses file would hold it, checked by the same models and with
    the same messages as `crmm validate`; InputError located at `where.<question id>`."""
    answer = _as_answer(question, value, comment, evidence, where)
    try:
        return answer.model_copy(update={"value": normalize_value(question, answer.value)})
    except AnswerValueError as exc:
        raise InputError.one("answer", f"{where}.{question.id}", str(exc)) from None


def _as_answer(
    question: Question, value: Any, comment: str | None, evidence: list[str] | None, where: str
) -> Answer:
    """The Answer model of a value, comment and evidence (the value not yet checked against
    the question); InputError located at `where.<question id>.<field>`."""
    from pydantic import ValidationError

    data: dict[str, Any] = {"value": value}
    if comment:
        data["comment"] = comment
    if evidence:
        data["evidence"] = evidence
    try:
        return Answer.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        raise InputError.one("answer", f"{where}.{question.id}.{loc}", err["msg"]) from None


def save_answer(
    session: Session,
    respondent: Respondent,
    question: Question,
    value: Any,
    comment: str | None = None,
    evidence: list[str] | None = None,
) -> AnswerRow | None:
    """Check and store one answer at once (committed), replacing the respondent's earlier
    answer to the question; a None value with no comment removes it. Returns the row."""
    if comment is not None and len(comment) > TEXT_LIMIT:
        raise InputError.one(
            "answer", f"answer.{question.id}.comment", f"at most {TEXT_LIMIT} characters"
        )
    row = _row(session, respondent.id, question.id)
    if value is None and not comment and not evidence:
        if row is not None:
            session.delete(row)
            session.commit()
        return None
    if value is not None:
        checked = check_answer(question, value, comment, evidence)
        value_json: str | None = json.dumps(checked.value, ensure_ascii=False)
        comment, evidence = checked.comment, checked.evidence
    else:  # a comment or evidence before the value: kept, exported once there is a value
        _as_answer(question, NA, comment, evidence, "answer")  # the comment and evidence alone
        value_json = None
    for attempt in range(2):
        if row is None:
            row = AnswerRow(respondent_id=respondent.id, question_id=question.id)
            session.add(row)
        row.value_json = value_json
        row.comment = comment or None
        row.evidence_json = json.dumps(evidence, ensure_ascii=False) if evidence else None
        row.updated_at = now()
        try:
            session.commit()
            return row
        except IntegrityError:  # saved at the same moment from another tab: update that one
            session.rollback()
            if attempt:
                raise
            row = _row(session, respondent.id, question.id)
    return row


def _row(session: Session, respondent_id: int, question_id: str) -> AnswerRow | None:
    return session.scalar(
        select(AnswerRow).where(
            AnswerRow.respondent_id == respondent_id, AnswerRow.question_id == question_id
        )
    )


def answers_of(session: Session, respondent: Respondent) -> dict[str, AnswerRow]:
    rows = session.scalars(select(AnswerRow).where(AnswerRow.respondent_id == respondent.id))
    return {r.question_id: r for r in rows}


def value_of(row: AnswerRow | None) -> Any:
    return None if row is None or row.value_json is None else json.loads(row.value_json)


# --- the responses file ----------------------------------------------------------------------


def responses_data(session: Session, a: Assessment) -> dict[str, Any] | None:
    """The assessment as a responses file's data: every respondent with at least one answer,
    in the order they joined, answers in the questionnaire's order; None with no answers."""
    q, _fw = pinned(a)
    order = {x.id: i for i, x in enumerate(q.questions)}
    rows = session.execute(
        select(Respondent, AnswerRow)
        .join(AnswerRow, AnswerRow.respondent_id == Respondent.id)
        .where(Respondent.assessment_id == a.id, AnswerRow.value_json.is_not(None))
        .order_by(Respondent.id)
    ).all()
    by_respondent: dict[int, tuple[Respondent, list[AnswerRow]]] = {}
    for resp, row in rows:
        by_respondent.setdefault(resp.id, (resp, []))[1].append(row)
    respondents = []
    for resp, answer_rows in by_respondent.values():
        answers: dict[str, Any] = {}
        for row in sorted(answer_rows, key=lambda r: order.get(r.question_id, len(order))):
            if row.question_id not in order:
                continue
            entry: dict[str, Any] = {"value": json.loads(row.value_json or "null")}
            if row.comment:
                entry["comment"] = row.comment
            if row.evidence_json:
                entry["evidence"] = json.loads(row.evidence_json)
            answers[row.question_id] = entry["value"] if len(entry) == 1 else entry
        person: dict[str, Any] = {"id": resp.rid, "role": resp.role}
        if resp.department:
            person["department"] = resp.department
        if resp.name:
            person["name"] = resp.name
        person["answers"] = answers
        if resp.submitted_at is not None:
            person["metadata"] = {"submitted": resp.submitted_at.isoformat(timespec="seconds")}
        respondents.append(person)
    if not respondents:
        return None
    data: dict[str, Any] = {
        "type": "responses",
        "questionnaire": {"id": a.questionnaire_id, "version": a.questionnaire_version},
        "organization": {
            "name": a.organization,
            "industry": a.industry,
            "size": a.size,
            "region": a.region,
        },
        "date": a.date,
    }
    if a.assessor:
        data["assessor"] = a.assessor
    data["respondents"] = respondents
    return data


def responses_text(session: Session, a: Assessment) -> bytes | None:
    """The responses file (YAML) of the assessment as it stands, or None with no answers:
    the same answers give the same bytes."""
    import yaml

    data = responses_data(session, a)
    if data is None:
        return None
    header = f"# Exported by crmm serve: assessment {a.id}, {a.organization}.\n"
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return (header + body).encode("utf-8")


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
