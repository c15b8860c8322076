"""The application factory: `create_app(config)` as in Flask's tutorial; one blueprint per
area (auth, admin, consultant pages, respondent pages)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask, g
from sqlalchemy.orm import Session

from . import db
from .models import Setting

MAX_BODY = 12 * 1024 * 1024  # an evidence upload (10 MiB) and its form


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The crmm web app on the database `config["DATABASE"]` (a SQLite path or a URL; default
    crmm.sqlite in the current folder), creating its schema when the database is empty and
    refusing to start on an older schema (`crmm db upgrade`)."""
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config.update(
        DATABASE="crmm.sqlite",
        MAX_CONTENT_LENGTH=MAX_BODY,
        MAX_FORM_MEMORY_SIZE=256 * 1024,
        MAX_FORM_PARTS=2000,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="crmm_session",
        PERMANENT_SESSION_LIFETIME=12 * 3600,
        WTF_CSRF_TIME_LIMIT=None,  # a respondent may leave a page open for hours
        EVIDENCE_MAX_BYTES=10 * 1024 * 1024,
        TEMPLATES_AUTO_RELOAD=False,
    )
    if config:
        app.config.update(config)
    engine = db.make_engine(app.config["DATABASE"])
    if db.is_empty(engine):
        db.upgrade(engine)
    db.check_schema(engine)
    factory = db.session_factory(engine)
    app.extensions["crmm_engine"] = engine
    app.extensions["crmm_sessions"] = factory
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(factory)

    from flask_wtf.csrf import CSRFProtect

    CSRFProtect(app)
    _templates(app)

    from .security import secure_headers

    app.after_request(secure_headers)
    app.teardown_appcontext(_close_session)

    _errors(app)
    _fonts(app)

    from . import auth

    app.register_blueprint(auth.bp)
    for name in ("admin", "consultant", "respond"):
        module = _optional(name)
        if module is not None:
            app.register_blueprint(module.bp)
    return app


def _optional(name: str) -> Any:
    import importlib

    try:
        return importlib.import_module(f"{__package__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.{name}":
            raise
        return None


def _secret_key(factory: Any) -> str:
    """The key that signs session cookies, made once and kept in the database, so that
    every worker and every restart signs alike."""
    with factory() as session:
        row = session.get(Setting, "secret_key")
        if row is None:
            row = Setting(key="secret_key", value=secrets.token_hex(32))
            session.add(row)
            session.commit()
        return str(row.value)


def _templates(app: Flask) -> None:
    from jinja2 import StrictUndefined

    from .i18n import lang, t, tx

    app.jinja_env.undefined = StrictUndefined
    app.jinja_env.autoescape = True

    @app.context_processor
    def _page() -> dict[str, Any]:
        return {
            "t": t,
            "tx": tx,
            "page_lang": lang(),
            "page_langs": g.get("langs", ["zh-CN", "en"]),
        }


def _fonts(app: Flask) -> None:
    """The reports' bundled Chinese font, for browsers without one of their own (phones
    have one and never fetch it): cached for a year, it never changes within a release."""
    from flask import abort, send_from_directory

    from reports.paths import FONTS_DIR

    names = {"NotoSansSC-Regular.woff2", "NotoSansSC-Bold.woff2"}

    @app.route("/fonts/<name>")
    def font(name: str) -> Any:
        if name not in names:
            abort(404)
        response = send_from_directory(FONTS_DIR, name, max_age=365 * 86400)
        response.cache_control.public = True
        return response


def _errors(app: Flask) -> None:
    """Every error a page of its own in the request's language, never a traceback."""
    from flask import render_template, request
    from flask_wtf.csrf import CSRFError
    from werkzeug.exceptions import HTTPException

    from .i18n import request_lang, t

    messages = {400: "bad_request", 403: "forbidden", 404: "not_found", 413: "too_large"}

    def page(code: int, message: str) -> Any:
        if "lang" not in g:
            g.lang = request_lang()
        if request.accept_mimetypes.best == "application/json" or request.is_json:
            return {"error": message}, code
        return render_template("web/error.html", code=code, message=message), code

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> Any:
        return page(400, t("csrf_failed"))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Any:
        code = exc.code or 500
        key = messages.get(code)
        return page(code, t(key) if key else (exc.description or exc.name))


def database() -> Session:
    """The request's database session (closed when the request ends)."""
    from flask import current_app

    if "db" not in g:
        g.db = current_app.extensions["crmm_sessions"]()
    session: Session = g.db
    return session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()


def static_path() -> Path:
    return Path(__file__).with_name("static")
