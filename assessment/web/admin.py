"""The administrator's page of accounts (/admin/users): list, add, disable or enable, set a
password. The same library functions as `crmm user …` (accounts.py), the same messages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from frameworks.errors import InputError

from . import accounts
from .app import database
from .auth import admin_required, current_user
from .i18n import request_lang, t
from .models import User

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _lang() -> None:
    g.lang = request_lang()
    g.langs = ["zh-CN", "en"]


def _field(name: str, limit: int) -> str:
    """A form field cut one past its limit, so that the model says it is too long."""
    return request.form.get(name, "")[: limit + 1]


def _page(errors: list[str] | None = None, form: dict[str, str] | None = None) -> Any:
    return render_template(
        "web/admin_users.html",
        users=accounts.users(database()),
        errors=errors or [],
        form=form or {"email": "", "name": ""},
        me=current_user(),
    ), (400 if errors else 200)


def _problems(exc: InputError) -> list[str]:
    return [f"{p.path}: {p.message}" for p in exc.problems]


def _user(user_id: int) -> User:
    user = database().get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/")
@admin_required
def index() -> Any:
    return redirect(url_for("admin.users"))


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users() -> Any:
    if request.method == "GET":
        return _page()
    form = {"email": _field("email", 254), "name": _field("name", 200)}
    password = _field("password", accounts.PASSWORD_MAX)
    if password != _field("password2", accounts.PASSWORD_MAX):
        return _page([t("passwords_differ")], form)
    try:
        user = accounts.add(
            database(),
            form["email"],
            form["name"],
            password,
            admin=request.form.get("is_admin") == "1",
            where="form",
        )
    except InputError as exc:
        return _page(_problems(exc), form)
    flash(t("user_added", email=user.email))
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@admin_required
def active(user_id: int) -> Any:
    user = _user(user_id)
    want = request.form.get("active") == "1"
    try:
        accounts.set_active(database(), user, want, by=current_user())
    except InputError as exc:
        return _page(_problems(exc))
    flash(t("user_enabled" if want else "user_disabled", email=user.email))
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@admin_required
def password(user_id: int) -> Any:
    user = _user(user_id)
    try:
        accounts.set_password(
            database(), user, _field("password", accounts.PASSWORD_MAX), where="form"
        )
    except InputError as exc:
        return _page(_problems(exc))
    if user.id == current_user().id:  # keep the administrator who set it signed in here
        from .auth import sign_in

        sign_in(user)
    flash(t("password_set", email=user.email))
    return redirect(url_for("admin.users"))
