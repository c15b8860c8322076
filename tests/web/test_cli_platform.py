"""`crmm serve`, `crmm db upgrade|backup` and `crmm user …`: exit codes and one-line messages
(CliRunner), and the server itself started as a user starts it (a subprocess)."""

from __future__ import annotations

import re
import sqlite3
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from assessment.cli import cli
from assessment.web import db

from .served import Served

PW = "a long enough password"
Run = Callable[..., Result]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Run]:
    """crmm in tmp_path, as a user runs it there (crmm.sqlite is the default database)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CRMM_DB", raising=False)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    yield invoke


def _users(path: Path) -> list[tuple[str, str, int, int]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT email, name, is_admin, active FROM users ORDER BY id"
        ).fetchall()


# --- crmm db ---------------------------------------------------------------------------------


def test_db_upgrade_makes_the_database_then_says_it_is_current(run: Run, tmp_path: Path) -> None:
    first = run("db", "upgrade")
    assert first.exit_code == 0, first.output
    assert first.output == f"crmm.sqlite: schema none → {db.head_revision()}\n"
    again = run("db", "upgrade")
    assert again.output == f"crmm.sqlite: already at schema {db.head_revision()}\n"
    assert (tmp_path / "crmm.sqlite").is_file()


def test_db_upgrade_from_an_older_revision(run: Run, tmp_path: Path) -> None:
    engine = db.make_engine(tmp_path / "old.sqlite")
    db.upgrade(engine, "0001")
    engine.dispose()
    done = run("db", "upgrade", "--db", "old.sqlite")
    assert done.exit_code == 0
    assert done.output == f"old.sqlite: schema 0001 → {db.head_revision()}\n"


def test_backup_is_a_database_with_the_data(run: Run, tmp_path: Path) -> None:
    assert (
        run(
            "user", "add", "ana@example.com", "--name", "Ana", "--password-stdin", input=PW + "\n"
        ).exit_code
        == 0
    )
    done = run("db", "backup", "-o", "copy.sqlite")
    assert done.exit_code == 0, done.output
    assert done.stderr == "wrote copy.sqlite\n"
    assert _users(tmp_path / "copy.sqlite") == [("ana@example.com", "Ana", 0, 1)]
    assert not list(tmp_path.glob(".copy.sqlite.*"))  # no temporary file left behind
    with sqlite3.connect(tmp_path / "copy.sqlite") as conn:  # one self-contained file
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_backup_while_another_connection_writes(run: Run, tmp_path: Path) -> None:
    """The online backup sees what is committed, even in the WAL and while a writer holds
    the database open (as crmm serve does)."""
    run("db", "upgrade")
    writer = sqlite3.connect(tmp_path / "crmm.sqlite")
    try:
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute(
            "INSERT INTO settings (key, value) VALUES ('probe', 'committed before the backup')"
        )
        writer.commit()
        writer.execute("INSERT INTO settings (key, value) VALUES ('pending', 'not committed')")
        done = run("db", "backup", "-o", "copy.sqlite")
    finally:
        writer.rollback()
        writer.close()
    assert done.exit_code == 0, done.output
    with sqlite3.connect(tmp_path / "copy.sqlite") as conn:
        keys = {k for (k,) in conn.execute("SELECT key FROM settings")}
    assert "probe" in keys and "pending" not in keys


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--db", "missing.sqlite", "-o", "x.sqlite"], "missing.sqlite: no such database"),
        (["-o", "."], ".: cannot write: a directory"),
        (["-o", "no/such/x.sqlite"], "no/such/x.sqlite: cannot write: no folder no/such"),
        (["-o", "crmm.sqlite"], "crmm.sqlite: the backup would overwrite the database itself"),
    ],
)
def test_backup_refusals(run: Run, args: list[str], message: str) -> None:
    if "missing.sqlite" not in args:
        run("db", "upgrade")
    done = run("db", "backup", *args)
    assert done.exit_code == 2
    assert done.stderr == message + "\n"


def test_postgresql_backup_without_pg_dump_names_it(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "")
    done = run("db", "backup", "--db", "postgresql://crmm@127.0.0.1:1/x", "-o", "x.dump")
    assert done.exit_code == 2
    assert done.stderr.startswith("postgresql+psycopg://crmm@127.0.0.1:1/x: backing up")
    assert "needs pg_dump on the PATH" in done.stderr and done.stderr.count("\n") == 1


def test_postgresql_backup_with_pg_dump(run: Run, fresh_postgres: str, tmp_path: Path) -> None:
    import shutil

    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    assert run("db", "upgrade", "--db", fresh_postgres).exit_code == 0
    done = run("db", "backup", "--db", fresh_postgres, "-o", "firm.dump")
    assert done.exit_code == 0, done.output
    assert (tmp_path / "firm.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format


def test_missing_psycopg_is_one_line(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now fails
    done = run("user", "list", "--db", "postgresql://crmm@db.example/crmm")
    assert done.exit_code == 2
    assert done.stderr == (
        "postgresql+psycopg://crmm@db.example/crmm: PostgreSQL needs the psycopg driver:"
        " pip install 'crm-maturity[postgres]'\n"
    )


def test_unreachable_postgresql_is_one_line(run: Run) -> None:
    done = run("user", "list", "--db", "postgresql://crmm:secret@127.0.0.1:1/crmm")
    assert done.exit_code == 2
    assert done.stderr.startswith(
        "postgresql+psycopg://crmm:***@127.0.0.1:1/crmm: cannot open the database:"
    )
    assert "secret" not in done.stderr and done.stderr.count("\n") == 1


# --- crmm user -------------------------------------------------------------------------------


def test_user_add_prompts_twice_and_stores_an_argon2_hash(run: Run, tmp_path: Path) -> None:
    done = run(
        "user", "add", "Ana@Example.com", "--name", "Ana Li", "--admin", input=f"{PW}\n{PW}\n"
    )
    assert done.exit_code == 0, done.output
    assert done.output.endswith("added administrator ana@example.com\n")
    assert _users(tmp_path / "crmm.sqlite") == [("ana@example.com", "Ana Li", 1, 1)]
    with sqlite3.connect(tmp_path / "crmm.sqlite") as conn:
        (stored,) = conn.execute("SELECT password_hash FROM users").fetchone()
    assert stored.startswith("$argon2id$") and PW not in stored


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["not-an-email", "--name", "X"], PW, "user: email: not an e-mail address"),
        (["bo@example.com", "--name", "Bo"], "short", "user: password: at least 12 characters"),
        (["bo@example.com", "--name", " "], PW, "user: name: at least 1 characters"),
        (["bo@example.com", "--name", "x" * 201], PW, "user: name: at most 200 characters"),
    ],
)
def test_user_add_refusals(
    run: Run, tmp_path: Path, args: list[str], password: str, message: str
) -> None:
    done = run("user", "add", *args, "--password-stdin", input=password + "\n")
    assert done.exit_code == 2
    assert done.stderr == message + "\n"
    assert _users(tmp_path / "crmm.sqlite") == []


def test_user_add_twice_is_refused(run: Run) -> None:
    run("user", "add", "ana@example.com", "--name", "Ana", "--password-stdin", input=PW)
    done = run("user", "add", "ANA@example.com", "--name", "Ana", "--password-stdin", input=PW)
    assert done.exit_code == 2
    assert done.stderr == "user: email: 'ana@example.com' already has an account\n"


def test_user_disable_enable_list_password(run: Run, tmp_path: Path) -> None:
    run(
        "user", "add", "root@example.com", "--name", "Root", "--admin", "--password-stdin", input=PW
    )
    run("user", "add", "ana@example.com", "--name", "安娜", "--password-stdin", input=PW)
    assert run("user", "disable", "ana@example.com").output == "disabled ana@example.com\n"
    listed = run("user", "list").output.splitlines()
    assert listed[0].split() == ["email", "role", "status", "name"]
    assert listed[1].split() == ["root@example.com", "administrator", "active", "Root"]
    assert listed[2].split() == ["ana@example.com", "consultant", "disabled", "安娜"]
    assert run("user", "enable", "ana@example.com").output == "enabled ana@example.com\n"
    with sqlite3.connect(tmp_path / "crmm.sqlite") as conn:
        (before,) = conn.execute("SELECT password_hash FROM users WHERE id = 2").fetchone()
    changed = run(
        "user", "password", "ana@example.com", "--password-stdin", input="another long password\n"
    )
    assert changed.output == "password set for ana@example.com\n"
    with sqlite3.connect(tmp_path / "crmm.sqlite") as conn:
        (after,) = conn.execute("SELECT password_hash FROM users WHERE id = 2").fetchone()
    from assessment.web.security import check_password

    assert after != before and check_password(after, "another long password")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["disable", "nobody@example.com"], "user: email: no account 'nobody@example.com'"),
        (
            ["disable", "root@example.com"],
            "user: active: the last active administrator cannot be disabled",
        ),
        (
            ["password", "root@example.com", "--password-stdin"],
            "user: password: at least 12 characters",
        ),
    ],
)
def test_user_refusals(run: Run, args: list[str], message: str) -> None:
    run(
        "user", "add", "root@example.com", "--name", "Root", "--admin", "--password-stdin", input=PW
    )
    done = run("user", *args, input="short\n")
    assert done.exit_code == 2
    assert done.stderr == message + "\n"


def test_old_schema_is_refused_in_one_line(run: Run, tmp_path: Path) -> None:
    engine = db.make_engine(tmp_path / "crmm.sqlite")
    db.upgrade(engine, "0001")
    engine.dispose()
    for args in (["user", "list"], ["serve", "--port", "0"]):
        done = run(*args)
        assert done.exit_code == 2
        assert done.stderr == (
            f"the database is at schema revision 0001, this crmm needs {db.head_revision()}:"
            " back it up (crmm db backup) and run crmm db upgrade\n"
        )


# --- crmm serve, as a user starts it ---------------------------------------------------------


def test_serve_prints_the_url_and_a_one_time_setup_link(tmp_path: Path) -> None:
    served = Served(tmp_path)
    try:
        setup = served.setup_line()
        link = re.match(
            rf"First administrator: open ({re.escape(served.url)}/setup/[\w-]+)  \(once", setup
        )
        assert link, setup
        with urllib.request.urlopen(served.url + "/login") as page:
            assert page.status == 200 and page.headers["Server"] == "crmm"
        with urllib.request.urlopen(link.group(1)) as page:
            assert page.status == 200 and 'name="password2"' in page.read().decode()
        token = link.group(1).rsplit("/", 1)[1]
    finally:
        err = served.stop()
    assert "warning" not in err  # loopback: no TLS warning
    with sqlite3.connect(tmp_path / "crmm.sqlite") as conn:
        (stored,) = conn.execute("SELECT value FROM settings WHERE key = 'setup_token'").fetchone()
    assert token not in stored  # only its hash


def test_serve_with_an_account_prints_no_setup_link(run: Run, tmp_path: Path) -> None:
    run(
        "user", "add", "root@example.com", "--name", "Root", "--admin", "--password-stdin", input=PW
    )
    served = Served(tmp_path)
    with urllib.request.urlopen(served.url + "/login") as page:
        assert page.status == 200
    served.stop()
    assert served.proc.returncode == 0
    assert "setup" not in served.out


def test_serve_on_all_addresses_warns_about_tls(tmp_path: Path) -> None:
    served = Served(tmp_path, "--host", "0.0.0.0")
    err = served.stop()
    assert err.startswith("warning: serving on 0.0.0.0, reachable from other machines, but crmm")
    assert "--behind-https" in err


def test_behind_https_marks_cookies_secure_and_trusts_one_proxy(tmp_path: Path) -> None:
    from assessment.web import create_app
    from assessment.web.serving import behind_proxy

    app = create_app({"DATABASE": str(tmp_path / "crmm.sqlite")})
    behind_proxy(app)

    @app.route("/probe")
    def probe() -> str:
        from flask import request

        return f"{request.scheme} {request.remote_addr} {request.host}"

    client = app.test_client()
    page = client.get(
        "/probe",
        headers={
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "198.51.100.7, 203.0.113.9",
            "X-Forwarded-Host": "crmm.example.com",
        },
    )
    assert page.get_data(as_text=True) == "https 203.0.113.9 crmm.example.com"  # one hop only
    login = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in login.headers["Set-Cookie"]
    app.extensions["crmm_engine"].dispose()


def test_loopback_detection() -> None:
    from assessment.web.serving import is_loopback

    assert all(is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.5", "crmm.example.com"))


def test_serve_on_postgresql(fresh_postgres: str, tmp_path: Path) -> None:
    served = Served(tmp_path, "--db", fresh_postgres)
    try:
        assert f"(database {fresh_postgres};" in served.first
        assert served.setup_line().startswith("First administrator: open ")
        with urllib.request.urlopen(served.url + "/login") as page:
            assert page.status == 200
    finally:
        served.stop()
    assert not (tmp_path / "crmm.sqlite").exists()


def test_serve_on_a_port_in_use_is_one_line(run: Run) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = run("serve", "--port", str(port))
    assert done.exit_code == 2
    assert done.stderr.startswith(f"127.0.0.1:{port}: cannot listen: ")
    assert done.stderr.count("\n") == 1


def test_a_database_from_a_newer_crmm_is_refused(run: Run, tmp_path: Path) -> None:
    run("db", "upgrade")
    with sqlite3.connect(tmp_path / "crmm.sqlite") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    upgrade = run("db", "upgrade")
    assert upgrade.exit_code == 2
    assert upgrade.stderr == (
        "crmm.sqlite: schema revision 0099 is newer than this crmm knows"
        f" (latest {db.head_revision()}): upgrade crmm instead\n"
    )
    served = run("serve", "--port", "0")
    assert served.exit_code == 2
    assert served.stderr == (
        "the database is at schema revision 0099, made by a newer crmm than this one"
        f" (which knows up to {db.head_revision()}): install that crmm release\n"
    )
