"""The store on both databases: an answer saved again replaces the first, the database itself
keeps one answer per respondent and question, and an assessment exports the same responses
file bytes from SQLite and from PostgreSQL (PostgreSQL with CRMM_TEST_POSTGRES, .ci/run)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assessment.responses import load_responses
from assessment.web import store
from assessment.web.invitations import add_respondent
from assessment.web.models import AnswerRow, Assessment, Respondent

from .conftest import add_user


def make_assessment(session: Session, owner_id: int) -> Assessment:
    a = Assessment(
        owner_id=owner_id,
        organization="Audit Co <script>alert(1)</script>",
        industry="retail",
        size="small",
        region="east-china",
        date=dt.date(2026, 11, 1),
        **store.pin("full-audit"),
    )
    session.add(a)
    session.flush()
    return a


def answer_some(session: Session, a: Assessment) -> None:
    """Two respondents; lead answers a few questions of its first page, one twice."""
    q, fw = store.pinned(a)
    lead = add_respondent(session, a, "lead", "leadership", department="Board")
    sales = add_respondent(session, a, "sales-1", "sales", name="王芳")
    session.commit()
    first = store.questions_for(q, fw, "leadership")[0]
    store.save_answer(session, lead, first[0], 2)
    store.save_answer(session, lead, first[0], 4, comment="改过：评论")  # replaces
    store.save_answer(session, lead, first[1], 3, evidence=["minutes 2026-10"])
    sales_first = store.questions_for(q, fw, "sales")[0]
    store.save_answer(session, sales, sales_first[0], 1)


def test_saving_again_replaces_the_answer(any_app: Flask) -> None:
    owner = add_user(any_app, "ana@example.com")
    with any_app.extensions["crmm_sessions"]() as session:
        a = make_assessment(session, owner)
        answer_some(session, a)
        lead = session.scalar(select(Respondent).where(Respondent.rid == "lead"))
        assert lead is not None
        rows = store.answers_of(session, lead)
        assert len(rows) == 2
        q, fw = store.pinned(a)
        first = store.questions_for(q, fw, "leadership")[0][0]
        assert store.value_of(rows[first.id]) == 4
        assert rows[first.id].comment == "改过：评论"
        total = session.scalar(select(func.count()).select_from(AnswerRow))
        assert total == 3


def test_database_keeps_one_answer_per_respondent_and_question(any_app: Flask) -> None:
    owner = add_user(any_app, "ana@example.com")
    with any_app.extensions["crmm_sessions"]() as session:
        a = make_assessment(session, owner)
        resp = add_respondent(session, a, "r1", "it")
        session.add(AnswerRow(respondent_id=resp.id, question_id="fa-it-01", value_json="1"))
        session.commit()
        session.add(AnswerRow(respondent_id=resp.id, question_id="fa-it-01", value_json="2"))
        with pytest.raises(IntegrityError):
            session.commit()


def test_an_out_of_range_answer_is_refused_on_both(any_app: Flask) -> None:
    from frameworks.errors import InputError

    owner = add_user(any_app, "ana@example.com")
    with any_app.extensions["crmm_sessions"]() as session:
        a = make_assessment(session, owner)
        resp = add_respondent(session, a, "r1", "leadership")
        session.commit()
        q, fw = store.pinned(a)
        question = store.questions_for(q, fw, "leadership")[0][0]
        with pytest.raises(InputError) as caught:
            store.save_answer(session, resp, question, 9)
        assert caught.value.problems[0].path == f"answer.{question.id}"
        assert session.scalar(select(func.count()).select_from(AnswerRow)) == 0


def test_export_is_the_same_bytes_on_sqlite_and_postgresql(
    app: Flask, pg_app: Flask, tmp_path: Path
) -> None:
    exported = []
    for each in (app, pg_app):
        owner = add_user(each, "ana@example.com")
        with each.extensions["crmm_sessions"]() as session:
            a = make_assessment(session, owner)
            answer_some(session, a)
            lead = session.scalar(select(Respondent).where(Respondent.rid == "lead"))
            assert lead is not None
            lead.submitted_at = dt.datetime(2026, 11, 2, 9, 30)
            session.commit()
            exported.append(store.responses_text(session, a))
    sqlite_bytes, pg_bytes = exported
    assert sqlite_bytes is not None and b"lead" in sqlite_bytes and "王芳".encode() in sqlite_bytes
    assert sqlite_bytes == pg_bytes
    exported_file = tmp_path / store.EXPORT_NAME
    exported_file.write_bytes(sqlite_bytes)
    loaded = load_responses(exported_file)  # what crmm report reads
    assert [r.id for r in loaded.responses.respondents] == ["lead", "sales-1"]
