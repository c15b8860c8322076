"""Schema migrations: a database made at the first revision, filled with plain SQL, upgraded
to the latest keeps its data and the app can use it; and the migrations make exactly the
schema the models describe (Alembic's compare_metadata finds nothing) — on SQLite, and on
PostgreSQL with CRMM_TEST_POSTGRES (.ci/run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from assessment.web import db, store
from assessment.web.models import Assessment, Base, Respondent

FIRST = "0001"


def _fill_at_first_revision(engine: Engine) -> None:
    pinned = store.pin("full-audit")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, email, name, password_hash, is_admin, active, created_at)"
                " VALUES (1, 'ana@example.com', 'Ana', 'x', false, true, '2026-11-01 09:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO assessments (id, owner_id, organization, industry, size, region,"
                " date, questionnaire_id, questionnaire_version, questionnaire_sha256,"
                " framework_id, framework_version, framework_sha256, target_level, languages,"
                " created_at) VALUES (1, 1, 'Audit Co', 'retail', 'small', 'east-china',"
                " '2026-11-01', :questionnaire_id, :questionnaire_version,"
                " :questionnaire_sha256, :framework_id, :framework_version, :framework_sha256,"
                " 3, 'zh-CN,en', '2026-11-01 09:00:00')"
            ),
            pinned,
        )
        conn.execute(
            text(
                "INSERT INTO respondents (id, assessment_id, rid, role, department, source,"
                " page, created_at) VALUES (1, 1, 'lead', 'leadership', 'Board', 'link', 2,"
                " '2026-11-01 09:00:00')"
            )
        )
        for i, (question, value) in enumerate([("fa-lead-01", "3"), ("fa-lead-02", '"na"')]):
            conn.execute(
                text(
                    "INSERT INTO answers (id, respondent_id, question_id, value_json, comment,"
                    " updated_at) VALUES (:id, 1, :q, :v, :c, '2026-11-01 09:05:00')"
                ),
                {"id": i + 1, "q": question, "v": value, "c": "说明" if i == 0 else None},
            )


def _upgrade_keeps_data(engine: Engine) -> None:
    db.upgrade(engine, FIRST)
    assert db.current_revision(engine) == FIRST
    _fill_at_first_revision(engine)
    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision()
    db.check_schema(engine)
    with db.session_factory(engine)() as session:
        a = session.get(Assessment, 1)
        assert a is not None
        assert a.show_own_answers is False and a.previous_id is None  # the columns 0002 added
        assert session.scalar(select(Respondent.page)) == 2
        exported = store.responses_text(session, a)
    assert exported is not None
    text_ = exported.decode("utf-8")
    assert "fa-lead-01:\n" in text_ and "value: 3" in text_ and "comment: 说明" in text_
    assert "fa-lead-02: na" in text_


def _models_match_migrations(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    db.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_upgrade_from_the_first_revision_keeps_data_on_sqlite(tmp_path: Path) -> None:
    engine = db.make_engine(tmp_path / "old.sqlite")
    try:
        _upgrade_keeps_data(engine)
    finally:
        engine.dispose()


def test_models_and_migrations_agree_on_sqlite(tmp_path: Path) -> None:
    engine = db.make_engine(tmp_path / "new.sqlite")
    try:
        _models_match_migrations(engine)
    finally:
        engine.dispose()


@pytest.mark.parametrize("check", [_upgrade_keeps_data, _models_match_migrations])
def test_on_postgresql(fresh_postgres: str, check: object) -> None:
    engine = db.make_engine(fresh_postgres)
    try:
        check(engine)  # type: ignore[operator]
    finally:
        engine.dispose()


def test_an_older_schema_is_refused_until_upgraded(tmp_path: Path) -> None:
    from assessment.web import create_app

    path = tmp_path / "old.sqlite"
    engine = db.make_engine(path)
    db.upgrade(engine, FIRST)
    engine.dispose()
    with pytest.raises(db.SchemaError, match="schema revision 0001, this crmm needs"):
        create_app({"DATABASE": str(path)})
    assert db.upgrade_database(path) == (FIRST, db.head_revision())
    app = create_app({"DATABASE": str(path)})
    app.extensions["crmm_engine"].dispose()
