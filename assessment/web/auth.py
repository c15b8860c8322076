"""Signing in and out; `login_required` and the signed-in user (`current_user`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for
from sqlalchemy import func, select

from .app import database
from .i18n import request_lang, t
from .models import User
from .security import check_password, dummy_hash

bp = Blueprint("auth", __name__)

F = TypeVar("F", bound=Callable[..., Any])


@bp.before_app_request
def _load_user() -> None:
    g.user = None
    uid = session.get("uid")
    if uid is not None:
        user = database().get(User, uid)
        if user is not None and user.active and session.get("pw") == user.password_hash[-16:]:
            g.user = user
        else:  # disabled, deleted, or the password changed since: signed out everywhere
            session.pop("uid", None)


def current_user() -> User:
    user = g.get("user")
    if user is None:
        abort(401)
    return cast(User, user)


def login_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("user") is None:
            return redirect(url_for("auth.login", next=request.path))
        return view(*args, **kwargs)

    return cast(F, wrapped)


def admin_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        user = g.get("user")
        if user is None:
            return redirect(url_for("auth.login", next=request.path))
        if not user.is_admin:
            abort(404)
        return view(*args, **kwargs)

    return cast(F, wrapped)


def sign_in(user: User) -> None:
    """A fresh session for the user (no fixation: whatever the old one held is gone)."""
    lang = session.get("lang")
    session.clear()
    session.permanent = True
    session["uid"] = user.id
    session["pw"] = user.password_hash[-16:]
    if lang:
        session["lang"] = lang


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //host or a scheme): no open redirect."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return url_for("consultant.index") if "consultant.index" in _endpoints() else "/"


def _endpoints() -> set[str]:
    from flask import current_app

    return set(current_app.view_functions)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    g.lang = request_lang()
    error = None
    status = 200
    if request.method == "POST":
        email = request.form.get("email", "").strip().lower()[:254]
        password = request.form.get("password", "")[:1024]
        from . import ratelimit

        wait = ratelimit.blocked(email, request.remote_addr or "")
        if wait:
            error, status = t("too_many_logins", minutes=wait), 429
        else:
            user = database().scalar(select(User).where(func.lower(User.email) == email))
            ok = check_password(user.password_hash if user else dummy_hash(), password)
            if user is not None and ok and user.active:
                ratelimit.clear(email)
                sign_in(user)
                return redirect(_safe_next(request.args.get("next")))
            ratelimit.failed(email, request.remote_addr or "")
            error, status = t("bad_login"), 401
    return render_template("web/login.html", error=error), status


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str) -> Any:
    """The first administrator's page, opened by the one-time link `crmm serve` prints
    while there is no account; gone once used, replaced or 24 hours old."""
    from frameworks.errors import InputError

    from . import accounts

    g.lang = request_lang()
    session_db = database()
    if len(token) > 100 or not accounts.setup_token_valid(session_db, token):
        abort(404)
    errors: list[str] = []
    form = {"email": "", "name": ""}
    if request.method == "POST":
        form = {k: request.form.get(k, "")[:1024] for k in ("email", "name")}
        password = request.form.get("password", "")[: accounts.PASSWORD_MAX + 1]
        if password != request.form.get("password2", "")[: accounts.PASSWORD_MAX + 1]:
            errors.append(t("passwords_differ"))
        else:
            try:
                user = accounts.first_admin(
                    session_db, token, form["email"], form["name"], password
                )
            except InputError as exc:
                errors = [f"{p.path}: {p.message}" for p in exc.problems]
            else:
                sign_in(user)
                return redirect(url_for("admin.users") if "admin.users" in _endpoints() else "/")
    status = 400 if errors else 200
    return render_template("web/setup.html", errors=errors, form=form), status
