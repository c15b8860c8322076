"""The web app's database: an engine for a URL (SQLite in WAL mode, or PostgreSQL through
psycopg 3), sessions, and the schema's migrations (Alembic, `crmm db upgrade`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from frameworks.errors import CrmmError

MIGRATIONS = Path(__file__).with_name("migrations")
POSTGRES_EXTRA = "pip install 'crm-maturity[postgres]'"


class SchemaError(CrmmError):
    """The database's schema is not the one this crmm needs (run `crmm db upgrade`); a
    CrmmError, so the command line says it in one line and exits 2."""


class DatabaseError(CrmmError):
    """The database cannot be used: unreachable, not a database, or its driver is missing."""


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


def shown(db: str | Path) -> str:
    """The database as it may be printed: a URL without its password, or the path."""
    from sqlalchemy.engine import make_url

    url = database_url(db)
    if url.startswith("sqlite:///"):
        return str(db)
    return make_url(url).render_as_string(hide_password=True)


def make_engine(db: str | Path) -> Engine:
    """An engine for `--db`; DatabaseError if it needs psycopg and psycopg is missing."""
    url = database_url(db)
    if url.startswith("postgresql+psycopg"):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise DatabaseError(
                f"{shown(db)}: PostgreSQL needs the psycopg driver: {POSTGRES_EXTRA}"
            ) from None
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
    if have is not None and have != want and have not in _known_revisions():
        raise SchemaError(
            f"the database is at schema revision {have}, made by a newer crmm than this one"
            f" (which knows up to {want}): install that crmm release"
        )
    if have != want:
        raise SchemaError(
            f"the database is at schema revision {have or 'none'}, this crmm needs {want}:"
            " back it up (crmm db backup) and run crmm db upgrade"
        )


def open_database(db: str | Path, *, create: bool = True) -> Engine:
    """The engine of a database ready for this crmm: an empty one gets the latest schema
    (unless `create` is false: then DatabaseError), an older one is refused (SchemaError);
    DatabaseError, in one line, if it cannot be reached or read."""
    from sqlalchemy.exc import DBAPIError

    url = database_url(db)
    if url.startswith("sqlite:///") and not create and not Path(url[10:]).exists():
        raise DatabaseError(f"{shown(db)}: no such database")
    engine = make_engine(db)
    try:
        if is_empty(engine):
            if not create:
                raise DatabaseError(f"{shown(db)}: not a crmm database (no tables)")
            upgrade(engine)
        check_schema(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise DatabaseError(f"{shown(db)}: cannot open the database: {_first_line(exc)}") from None
    except CrmmError:
        engine.dispose()
        raise
    return engine


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def upgrade_database(db: str | Path) -> tuple[str | None, str]:
    """`crmm db upgrade`: bring the database (made if missing) to the latest schema, keeping
    its data; returns the revisions (before, after)."""
    from sqlalchemy.exc import DBAPIError

    engine = make_engine(db)
    try:
        before = current_revision(engine)
        if before is not None and before not in _known_revisions():
            raise SchemaError(
                f"{shown(db)}: schema revision {before} is newer than this crmm knows"
                f" (latest {head_revision()}): upgrade crmm instead"
            )
        upgrade(engine)
        return before, head_revision()
    except DBAPIError as exc:
        raise DatabaseError(f"{shown(db)}: cannot open the database: {_first_line(exc)}") from None
    finally:
        engine.dispose()


def _known_revisions() -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return {s.revision for s in ScriptDirectory.from_config(cfg).walk_revisions()}


def backup(db: str | Path, output: Path) -> None:
    """`crmm db backup`: a consistent copy of the database in `output`, safe while the app
    serves. SQLite: the online backup API (a snapshot of every committed answer, WAL
    included); PostgreSQL: pg_dump's custom format (restore with pg_restore). The file
    appears whole or not at all."""
    if output.is_dir():
        raise DatabaseError(f"{output}: cannot write: a directory")
    if not output.parent.is_dir():
        raise DatabaseError(f"{output}: cannot write: no folder {output.parent}")
    url = database_url(db)
    if url.startswith("sqlite:///"):
        _backup_sqlite(Path(url[len("sqlite:///") :]), output, shown(db))
    elif url.startswith("postgresql"):
        _backup_postgres(url, output, shown(db))
    else:
        raise DatabaseError(f"{shown(db)}: crmm backs up SQLite and PostgreSQL databases only")


def _temp_beside(output: Path) -> Path:
    import os
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent or Path("."))
    os.close(fd)
    return Path(name)


def _backup_sqlite(path: Path, output: Path, name: str) -> None:
    import os
    import sqlite3

    if not path.is_file():
        raise DatabaseError(f"{name}: no such database")
    if output.resolve() == path.resolve():
        raise DatabaseError(f"{output}: the backup would overwrite the database itself")
    tmp = _temp_beside(output)
    try:
        source = sqlite3.connect(path)
        try:
            if source.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise DatabaseError(f"{name}: the database is damaged (PRAGMA quick_check)")
            target = sqlite3.connect(tmp)
            try:
                source.backup(target)
                target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                target.close()
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"{name}: cannot back up: {exc}") from None
        finally:
            source.close()
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)


def _backup_postgres(url: str, output: Path, name: str) -> None:
    import os
    import shutil
    import subprocess

    from sqlalchemy.engine import make_url

    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise DatabaseError(
            f"{name}: backing up PostgreSQL needs pg_dump on the PATH (PostgreSQL's client"
            " tools, e.g. apt-get install postgresql-client)"
        )
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    tmp = _temp_beside(output)
    try:
        done = subprocess.run(
            [pg_dump, "--format=custom", "--no-owner", f"--file={tmp}", f"--dbname={libpq}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            message = (done.stderr.strip().splitlines() or ["failed"])[-1]
            raise DatabaseError(f"{name}: pg_dump: {message}")
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
