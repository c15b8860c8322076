"""Signing in: argon2 hashes, the session cookie's flags, wrong passwords, rate limiting."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from assessment.web.models import User

from .conftest import add_user, csrf_token, login


def test_sign_in_sets_a_hardened_session_cookie(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ana@example.com")
    response = login(client, "ana@example.com")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with app.extensions["crmm_sessions"]() as session:
        stored = session.query(User).one().password_hash
    assert stored.startswith("$argon2id$") and "horse" not in stored


def test_wrong_password_is_refused_in_the_page_language(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ana@example.com")
    response = login(client, "ana@example.com", "wrong")
    assert response.status_code == 401
    assert "邮箱或密码不正确" in response.get_data(as_text=True)


def test_sixth_failure_is_rate_limited(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ana@example.com")
    for _ in range(5):
        assert login(client, "ana@example.com", "wrong").status_code == 401
    blocked = login(client, "ana@example.com")  # even the right password, for a while
    assert blocked.status_code == 429


def test_post_without_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ana@example.com")
    csrf_token(client)
    response = client.post("/login", data={"email": "ana@example.com", "password": "x"})
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)
