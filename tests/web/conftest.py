"""Fixtures for the web app (Flask's tutorial pattern): an app on a fresh SQLite database
per test (or PostgreSQL with CRMM_TEST_POSTGRES set, see .ci/run), its test client, users."""

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
