"""Fixtures for the web app (Flask's tutorial pattern): an app on a fresh SQLite database
per test, its test client, users; `pg_app` / `any_app` for the storage tests on a fresh
PostgreSQL database too (CRMM_TEST_POSTGRES, set by .ci/run)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment.web import create_app
from assessment.web.models import User
from assessment.web.security import hash_password

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = create_app({"DATABASE": str(tmp_path / "crmm.sqlite"), "TESTING": True})
    yield app
    app.extensions["crmm_engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def add_user(app: Flask, email: str, *, admin: bool = False, name: str = "") -> int:
    with app.extensions["crmm_sessions"]() as session:
        user = User(
            email=email,
            name=name or email.split("@")[0],
            password_hash=hash_password(PASSWORD),
            is_admin=admin,
            active=True,
        )
        session.add(user)
        session.commit()
        return user.id


def csrf_token(client: FlaskClient, url: str = "/login") -> str:
    """The CSRF token of the form on `url` (the session's token)."""
    page = client.get(url).get_data(as_text=True)
    found = _CSRF.search(page)
    assert found, f"no CSRF token on {url}"
    return found.group(1)


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def consultant(app: Flask, client: FlaskClient) -> FlaskClient:
    """The client signed in as consultant ana@example.com."""
    add_user(app, "ana@example.com", name="Ana")
    response = login(client, "ana@example.com")
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def postgres_url() -> str:
    url = os.environ.get("CRMM_TEST_POSTGRES")
    if not url:
        pytest.skip("CRMM_TEST_POSTGRES not set (.ci/run starts a throw-away PostgreSQL)")
    return url


@pytest.fixture
def fresh_postgres(postgres_url: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database on the CRMM_TEST_POSTGRES server, dropped
    after the test (CREATE DATABASE from template0 takes some 50 ms)."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"crmm_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
    try:
        yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_app(fresh_postgres: str) -> Iterator[Flask]:
    """The app on a fresh PostgreSQL database (skipped without CRMM_TEST_POSTGRES)."""
    app = create_app({"DATABASE": fresh_postgres, "TESTING": True})
    yield app
    app.extensions["crmm_engine"].dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The app on SQLite, then on PostgreSQL (skipped without CRMM_TEST_POSTGRES): for the
    storage tests that must hold on both."""
    if request.param == "sqlite":
        app = create_app({"DATABASE": str(tmp_path / "crmm.sqlite"), "TESTING": True})
    else:
        app = create_app({"DATABASE": request.getfixturevalue("fresh_postgres"), "TESTING": True})
    yield app
    app.extensions["crmm_engine"].dispose()


# --- a live server and a real browser (end-to-end tests, marked slow) -------------------------


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served by waitress (the server `crmm serve` uses) on a free loopback port, in
    a thread; yields its base URL."""
    import threading

    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=8)
    port = server.socket.getsockname()[1]  # type: ignore[union-attr]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright (no browser download: see ../shared/RECIPES.md
    and .ci/run); the tests skip where chromium is not installed."""
    import shutil

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield browser
        browser.close()


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
