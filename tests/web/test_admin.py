"""The first administrator's setup link and the admin page of accounts: who may see them,
what they refuse (same messages as `crmm user`), and that a disabled account is signed out
at its next request."""

from __future__ import annotations

import datetime as dt
import json

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assessment.web import accounts
from assessment.web.models import Setting, User
from assessment.web.security import check_password

from .conftest import PASSWORD, add_user, csrf_token, login

NEW_PW = "another long password"


def _token(app: Flask) -> str:
    with app.extensions["crmm_sessions"]() as session:
        token = accounts.new_setup_token(session)
    assert token is not None
    return token


def _users(app: Flask) -> list[tuple[str, bool, bool]]:
    with app.extensions["crmm_sessions"]() as session:
        return [(u.email, u.is_admin, u.active) for u in session.scalars(select(User))]


def _setup_form(client: FlaskClient, url: str, **fields: str) -> dict[str, str]:
    data = {
        "email": "root@example.com",
        "name": "Root",
        "password": PASSWORD,
        "password2": PASSWORD,
        "csrf_token": csrf_token(client, url),
    }
    data.update(fields)
    return data


# --- the first administrator -----------------------------------------------------------------


def test_setup_link_makes_the_first_admin_once(app: Flask, client: FlaskClient) -> None:
    url = f"/setup/{_token(app)}"
    page = client.get(url)
    assert page.status_code == 200 and "创建首个管理员" in page.get_data(as_text=True)
    done = client.post(url, data=_setup_form(client, url))
    assert done.status_code == 302
    assert _users(app) == [("root@example.com", True, True)]
    assert client.get("/admin/users").status_code == 200  # signed in as the new admin
    with app.extensions["crmm_sessions"]() as session:
        assert session.get(Setting, accounts.SETUP_KEY) is None  # the token is gone
    other = app.test_client()
    assert other.get(url).status_code == 404
    assert accounts.new_setup_token(app.extensions["crmm_sessions"]()) is None


def test_setup_refuses_a_short_password_and_different_passwords(
    app: Flask, client: FlaskClient
) -> None:
    url = f"/setup/{_token(app)}"
    short = client.post(url, data=_setup_form(client, url, password="short", password2="short"))
    assert short.status_code == 400
    assert "password: at least 12 characters" in short.get_data(as_text=True)
    differ = client.post(url, data=_setup_form(client, url, password2=PASSWORD + "x"))
    assert differ.status_code == 400 and "两次输入的密码不一致" in differ.get_data(as_text=True)
    assert _users(app) == []
    assert client.get(url).status_code == 200  # still usable


def test_setup_link_unknown_replaced_or_expired_is_404(app: Flask, client: FlaskClient) -> None:
    first = _token(app)
    second = _token(app)  # a restart of crmm serve prints a new one: the first stops working
    assert client.get(f"/setup/{first}").status_code == 404
    assert client.get("/setup/guessed").status_code == 404
    assert client.get(f"/setup/{second}").status_code == 200
    with app.extensions["crmm_sessions"]() as session:
        row = session.get(Setting, accounts.SETUP_KEY)
        assert row is not None
        stored = json.loads(row.value)
        assert second not in row.value
        stored["expires"] = (dt.datetime(2000, 1, 1)).isoformat()
        row.value = json.dumps(stored)
        session.commit()
    assert client.get(f"/setup/{second}").status_code == 404


def test_setup_link_stops_working_once_an_account_exists(app: Flask, client: FlaskClient) -> None:
    url = f"/setup/{_token(app)}"
    add_user(app, "ana@example.com")  # e.g. made with crmm user add meanwhile
    assert client.get(url).status_code == 404


def test_setup_post_without_csrf_is_refused(app: Flask, client: FlaskClient) -> None:
    url = f"/setup/{_token(app)}"
    data = _setup_form(client, url)
    del data["csrf_token"]
    assert client.post(url, data=data).status_code == 400
    assert _users(app) == []


# --- the admin page --------------------------------------------------------------------------


def _admin(app: Flask, client: FlaskClient) -> FlaskClient:
    add_user(app, "root@example.com", admin=True, name="Root")
    assert login(client, "root@example.com").status_code == 302
    return client


def test_admin_pages_are_for_administrators_only(app: Flask, consultant: FlaskClient) -> None:
    for url in ("/admin/", "/admin/users"):
        assert consultant.get(url).status_code == 404
    token = csrf_token(consultant, "/login")
    refused = consultant.post("/admin/users/1/active", data={"active": "0", "csrf_token": token})
    assert refused.status_code == 404
    anonymous = app.test_client()
    assert anonymous.get("/admin/users").status_code == 302
    assert anonymous.get("/admin/users").headers["Location"].startswith("/login")


def test_admin_adds_a_user_who_can_sign_in(app: Flask, client: FlaskClient) -> None:
    admin = _admin(app, client)
    data = {
        "email": "Bo@Example.com",
        "name": "博",
        "password": NEW_PW,
        "password2": NEW_PW,
        "csrf_token": csrf_token(admin, "/admin/users"),
    }
    added = admin.post("/admin/users", data=data, follow_redirects=True)
    assert added.status_code == 200
    page = added.get_data(as_text=True)
    assert "已添加用户 bo@example.com" in page and "博" in page
    assert ("bo@example.com", False, True) in _users(app)
    assert login(app.test_client(), "bo@example.com", NEW_PW).status_code == 302


def test_admin_add_refusals_show_the_cli_messages(app: Flask, client: FlaskClient) -> None:
    admin = _admin(app, client)
    token = csrf_token(admin, "/admin/users")
    cases = [
        ({"email": "root@example.com"}, "email: &#39;root@example.com&#39; already has"),
        ({"email": "nope"}, "email: not an e-mail address"),
        ({"password": "short", "password2": "short"}, "password: at least 12 characters"),
        ({"name": "x" * 5000}, "name: at most 200 characters"),
        ({"email": "<script>@x.io"}, "email: not an e-mail address"),
    ]
    for fields, message in cases:
        data = {"email": "cy@example.com", "name": "Cy", "password": NEW_PW, "password2": NEW_PW}
        data.update(fields)
        data["csrf_token"] = token
        refused = admin.post("/admin/users", data=data)
        assert refused.status_code == 400, fields
        assert message in refused.get_data(as_text=True), fields
        assert "<script>@" not in refused.get_data(as_text=True)
    assert [u[0] for u in _users(app)] == ["root@example.com"]


def test_disabled_user_is_signed_out_at_the_next_request(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ana@example.com")
    ana = app.test_client()
    assert login(ana, "ana@example.com").status_code == 302
    admin = _admin(app, client)
    with app.extensions["crmm_sessions"]() as session:
        ana_id = session.scalar(select(User.id).where(User.email == "ana@example.com"))
    token = csrf_token(admin, "/admin/users")
    done = admin.post(f"/admin/users/{ana_id}/active", data={"active": "0", "csrf_token": token})
    assert done.status_code == 302
    assert ("ana@example.com", False, False) in _users(app)
    assert ana.get("/admin/users").status_code == 302  # signed out: back to the login page
    assert login(app.test_client(), "ana@example.com").status_code == 401
    again = admin.post(f"/admin/users/{ana_id}/active", data={"active": "1", "csrf_token": token})
    assert again.status_code == 302 and ("ana@example.com", False, True) in _users(app)


def test_admin_cannot_disable_themselves(app: Flask, client: FlaskClient) -> None:
    admin = _admin(app, client)
    add_user(app, "second@example.com", admin=True)  # not the last admin: still refused
    token = csrf_token(admin, "/admin/users")
    with app.extensions["crmm_sessions"]() as session:
        me = session.scalar(select(User.id).where(User.email == "root@example.com"))
    refused = admin.post(f"/admin/users/{me}/active", data={"active": "0", "csrf_token": token})
    assert refused.status_code == 400
    assert "you cannot disable your own account" in refused.get_data(as_text=True)
    assert ("root@example.com", True, True) in _users(app)


def test_admin_sets_a_password_and_the_old_sessions_end(app: Flask, client: FlaskClient) -> None:
    add_user(app, "ana@example.com")
    ana = app.test_client()
    login(ana, "ana@example.com")
    admin = _admin(app, client)
    with app.extensions["crmm_sessions"]() as session:
        ana_id = session.scalar(select(User.id).where(User.email == "ana@example.com"))
    token = csrf_token(admin, "/admin/users")
    short = admin.post(
        f"/admin/users/{ana_id}/password", data={"password": "short", "csrf_token": token}
    )
    assert short.status_code == 400
    assert "password: at least 12 characters" in short.get_data(as_text=True)
    done = admin.post(
        f"/admin/users/{ana_id}/password", data={"password": NEW_PW, "csrf_token": token}
    )
    assert done.status_code == 302
    with app.extensions["crmm_sessions"]() as session:
        user = session.get(User, ana_id)
        assert user is not None and check_password(user.password_hash, NEW_PW)
    assert ana.get("/admin/users").status_code == 302  # Ana's old session has ended
    assert admin.get("/admin/users").status_code == 200
    assert (
        admin.post(
            "/admin/users/999/password", data={"password": NEW_PW, "csrf_token": token}
        ).status_code
        == 404
    )


def test_admin_page_lists_users_in_english_too(app: Flask, client: FlaskClient) -> None:
    admin = _admin(app, client)
    add_user(app, "ana@example.com", name="Ana <b>bold</b>")
    page = admin.get("/admin/users?lang=en").get_data(as_text=True)
    assert "Add a user" in page and "Administrator" in page and "Consultant" in page
    assert "Ana &lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold" not in page
    assert " style=" not in page and "<script" not in page


def test_labels_are_each_defined_once_in_both_languages() -> None:
    """Four areas add their blocks to labels.yaml: a key given twice would silently replace
    the other's text (YAML keeps the last), so the loader refuses it."""
    import re
    from pathlib import Path

    from assessment.web import i18n

    path = Path(i18n.__file__).with_name("labels.yaml")
    keys = re.findall(r"^([A-Za-z0-9_]+):", path.read_text("utf-8"), re.MULTILINE)
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})
    assert set(i18n.labels()) == set(keys)
