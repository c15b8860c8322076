"""The web app's database: an engine for a URL (SQLite in WAL mode, or PostgreSQL through
psycopg 3), sessions, and the schema's migrations (Alembic, `crmm db upgrade`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")


class SchemaError(RuntimeError):
    """The database's schema is not the one this crmm needs (run `crmm db upgrade`)."""


def database_url(db: str | Path) -> str:
    """A SQLAlchemy URL for `--db`: a PostgreSQL URL (postgresql:// is read as psycopg 3),
    any other SQLAlchemy URL as given, or a file path for SQLite."""
    text = str(db)
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    if "://" in text:
        return text
    return "sqlite:///" + str(Path(text).expanduser().resolve())


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """WAL (readers never wait for the writer; an answer committed is on disk even if the
    process is killed), foreign keys on, and a wait rather than an error when busy."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(db: str | Path) -> Engine:
    url = database_url(db)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (the latest by default), keeping the data."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


def check_schema(engine: Engine) -> None:
    """SchemaError unless the database is at the latest revision."""
    have, want = current_revision(engine), head_revision()
    if have != want:
        raise SchemaError(
            f"the database is at schema revision {have or 'none'}, this crmm needs {want}:"
            " back it up (crmm db backup) and run crmm db upgrade"
        )
