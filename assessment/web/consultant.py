"""The consultant's pages: their assessments, creating and editing one, inviting respondents,
progress, the live results, every export, imports, comparison and evidence files.

Every page of an assessment is its owner's alone: any other consultant gets 404 (not 403),
so that ids cannot even be probed. Scoring and reports are the library's (exports.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import (
    Blueprint,
    Response,
    abort,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from frameworks.errors import InputError

from . import exports, forms, invitations, store
from .app import database
from .auth import current_user, login_required
from .i18n import request_lang, t, tx
from .models import (
    SHORT,
    AnswerRow,
    Assessment,
    EvidenceFile,
    EvidenceUpload,
    Invitation,
    Respondent,
)
from .store import PinChanged, pinned, questions_for, today

bp = Blueprint("consultant", __name__)
F = TypeVar("F", bound=Callable[..., Any])
MAX_DAYS = 365
MAX_BULK_LINES = 200


@bp.before_request
def _lang() -> None:
    g.lang = request_lang()
    g.langs = ["zh-CN", "en"]


@bp.before_app_request
def _other_method_not_yours() -> None:
    """A URL of someone else's assessment asked with a method it does not take is 404 too
    (not 405): a 405 would confirm that the assessment exists."""
    from flask import current_app
    from werkzeug.exceptions import HTTPException, MethodNotAllowed

    exc = request.routing_exception
    if not isinstance(exc, MethodNotAllowed):
        return
    adapter = current_app.url_map.bind_to_environ(request.environ)
    for method in exc.valid_methods or ():
        try:
            endpoint, args = adapter.match(method=method)
        except HTTPException:
            continue
        if str(endpoint).startswith(f"{bp.name}.") and "aid" in args:
            user = g.get("user")
            a = database().get(Assessment, args["aid"])
            if user is None or a is None or a.owner_id != user.id:
                abort(404)
        return


@bp.errorhandler(PinChanged)
def _pin_changed(exc: PinChanged) -> Any:
    """An assessment made with another questionnaire or framework than the one installed:
    said plainly (its scores would change), not a server error."""
    database().rollback()
    return render_template("web/error.html", code=409, message=" ".join(exc.lines())), 409


def owned(view: F) -> F:
    """Signed in, and `aid` one of the user's assessments (else 404): the view gets it as `a`."""

    @wraps(view)
    @login_required
    def wrapped(aid: int, **kwargs: Any) -> Any:
        a = database().get(Assessment, aid)
        if a is None or a.owner_id != current_user().id:
            abort(404)
        return view(a, **kwargs)

    return cast(F, wrapped)


def _respondent(a: Assessment, rid: int) -> Respondent:
    resp = database().get(Respondent, rid)
    if resp is None or resp.assessment_id != a.id:
        abort(404)
    return resp


def _mine() -> list[Assessment]:
    return list(
        database().scalars(
            select(Assessment)
            .where(Assessment.owner_id == current_user().id)
            .order_by(Assessment.id.desc())
        )
    )


# --- the list, creating and editing ----------------------------------------------------------


@bp.route("/")
@login_required
def index() -> Any:
    return render_template("web/consultant/index.html", assessments=_mine())


def _choices(exclude: int | None = None) -> dict[str, Any]:
    from frameworks.vocabulary import DIMENSIONS, vocabulary
    from questionnaires.loader import builtin_questionnaires, load_questionnaire

    voc = vocabulary()
    return {
        "vocab": {d: voc.names(d) for d in DIMENSIONS},
        "questionnaires": [(qid, load_questionnaire(qid)[0]) for qid in builtin_questionnaires()],
        "benchmarks": forms.benchmark_choices(),
        "levels": forms.LEVELS,
        "language_choices": forms.LANGUAGE_CHOICES,
        "previous": [x for x in _mine() if x.id != exclude],
        "limits": forms.LIMITS,
    }


@bp.route("/assessments/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    choices = _choices()
    values: dict[str, str] = {"date": today().isoformat(), "languages": "zh-CN,en"}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {k: str(v) for k, v in request.form.items()}
        checked = forms.read_profile(
            request.form,
            request.files,
            questionnaire=None,
            previous_choices={x.id for x in choices["previous"]},
        )
        errors = checked.errors
        _check_previous(checked, choices["previous"])
        if not errors:
            a = Assessment(owner_id=current_user().id, **checked.values)
            database().add(a)
            database().commit()
            return redirect(url_for("consultant.assessment", aid=a.id))
    status = 400 if errors else 200
    return render_template(
        "web/consultant/form.html", values=values, errors=errors, editing=None, **choices
    ), status


@bp.route("/assessments/<int:aid>/edit", methods=["GET", "POST"])
@owned
def edit(a: Assessment) -> Any:
    choices = _choices(exclude=a.id)
    values = forms.form_of(a)
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {**{k: str(v) for k, v in request.form.items()}, "has_logo": values["has_logo"]}
        checked = forms.read_profile(
            request.form,
            request.files,
            questionnaire=(a.questionnaire_id, a.questionnaire_version, a.framework_id),
            previous_choices={x.id for x in choices["previous"]},
            old_brand=a.brand_json,
        )
        errors = checked.errors
        _check_previous(checked, choices["previous"])
        if not errors:
            for key, value in checked.values.items():
                setattr(a, key, value)
            database().commit()
            return redirect(url_for("consultant.assessment", aid=a.id))
    status = 400 if errors else 200
    return render_template(
        "web/consultant/form.html", values=values, errors=errors, editing=a, **choices
    ), status


def _check_previous(checked: forms.Profile, mine: list[Assessment]) -> None:
    """The previous assessment must be dated before this one (the report's progress
    section compares them in that order)."""
    prev = next((x for x in mine if x.id == checked.values.get("previous_id")), None)
    date = checked.values.get("date")
    if prev is not None and date is not None and prev.date > date:
        checked.errors["previous_id"] = t("c_previous_later", date=prev.date.isoformat())


# --- one assessment: profile, progress, invitations -----------------------------------------


def progress(a: Assessment) -> dict[str, Any]:
    """Per respondent: answered of asked (their role's questions), submitted, last saved;
    per role the same summed; overall the share of asked questions answered."""
    session = database()
    q, fw = pinned(a)
    asked_of: dict[str, set[str]] = {}
    rows = session.execute(
        select(
            AnswerRow.respondent_id,
            AnswerRow.question_id,
            AnswerRow.updated_at,
        )
        .join(Respondent, Respondent.id == AnswerRow.respondent_id)
        .where(Respondent.assessment_id == a.id, AnswerRow.value_json.is_not(None))
    ).all()
    answered: dict[int, set[str]] = {}
    last: dict[int, dt.datetime] = {}
    for rid, qid, at in rows:
        answered.setdefault(rid, set()).add(qid)
        last[rid] = max(last.get(rid, at), at)
    people = []
    roles: dict[str, dict[str, int]] = {}
    for r in a.respondents:
        if r.role not in asked_of:
            asked_of[r.role] = {x.id for page in questions_for(q, fw, r.role) for x in page}
        asked = asked_of[r.role]
        done = len(answered.get(r.id, set()) & asked)
        people.append({"r": r, "answered": done, "asked": len(asked), "last": last.get(r.id)})
        role = roles.setdefault(r.role, {"people": 0, "submitted": 0, "answered": 0, "asked": 0})
        role["people"] += 1
        role["submitted"] += int(r.submitted_at is not None)
        role["answered"] += done
        role["asked"] += len(asked)
    total_asked = sum(n["asked"] for n in roles.values())
    total = sum(n["answered"] for n in roles.values())
    return {
        "people": people,
        "roles": roles,
        "role_names": {x.id: x.name for x in q.roles},
        "answered": total,
        "asked": total_asked,
        "share": total / total_asked if total_asked else 0.0,
    }


@bp.route("/assessments/<int:aid>")
@owned
def assessment(a: Assessment) -> Any:
    return _overview(a, {})


def _overview(a: Assessment, errors: dict[str, str]) -> Any:
    """The assessment's page: profile, pins, downloads, progress, links, invitation forms;
    `errors` from a refused invitation form."""
    q, fw = pinned(a)
    links = database().scalars(
        select(Invitation).where(Invitation.assessment_id == a.id).order_by(Invitation.id)
    )
    by_respondent: dict[int | None, list[Invitation]] = {}
    for inv in links:
        by_respondent.setdefault(inv.respondent_id, []).append(inv)
    i = exports.inputs(database(), a)
    return render_template(
        "web/consultant/assessment.html",
        a=a,
        q=q,
        fw=fw,
        progress=progress(a),
        links=by_respondent,
        now=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        has_answers=i is not None,
        annex=i is not None and exports.has_annex(i),
        previous=database().get(Assessment, a.previous_id) if a.previous_id else None,
        brand=json.loads(a.brand_json) if a.brand_json else {},
        names=_names(a),
        errors=errors,
    ), (400 if errors else 200)


def _back(a: Assessment) -> Any:
    """An action's URL opened with GET (the language switch of the links page, a reload):
    back to the assessment; links are made, and shown, only by POST."""
    lang = request.args.get("lang")
    target = url_for("consultant.assessment", aid=a.id)
    return redirect(target + (f"?lang={lang}" if lang in ("zh-CN", "en") else ""))


def _names(a: Assessment) -> dict[str, str]:
    """The profile's industry, size and region in the page language."""
    from frameworks.vocabulary import DIMENSIONS, vocabulary

    from .i18n import tx

    voc = vocabulary()
    return {d: tx(voc.name(d, getattr(a, d))) or getattr(a, d) for d in DIMENSIONS}


def _days() -> int | None:
    text = request.form.get("days", "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_DAYS:
        raise InputError.one("form", "days", t("c_err_days", n=MAX_DAYS))
    return int(text)


def _links_page(a: Assessment, made: list[tuple[str, str, str]]) -> Any:
    """The new links (label, role, URL) with their QR codes: shown once, printable."""
    import segno

    root = request.host_url.rstrip("/")
    q, _fw = store.pinned(a)
    names = {r.id: tx(r.name) for r in q.roles}
    items = [
        {
            "label": label,
            "role": names.get(role, role),
            "url": root + path,
            "qr": segno.make(root + path, error="m").svg_data_uri(scale=3, border=2),
        }
        for label, role, path in made
    ]
    return render_template("web/consultant/links.html", a=a, items=items)


def _failed(a: Assessment, exc: InputError) -> Any:
    """A refused invitation form: nothing of it kept, the page again with the problems."""
    database().rollback()
    return _overview(a, {p.path or "form": p.message for p in exc.problems})


def _check_role(a: Assessment, role: str) -> None:
    q, _fw = pinned(a)
    if role not in q.role_by_id:
        known = ", ".join(q.role_by_id)
        raise InputError.one("form", "role", t("c_err_role", role=role[:64], known=known))


def _short(value: str, field: str) -> str | None:
    value = value.strip()
    if len(value) > SHORT:
        raise InputError.one("form", field, t("c_err_length", n=SHORT))
    if any(not c.isprintable() for c in value):
        raise InputError.one("form", field, t("c_err_control"))
    return value or None


@bp.route("/assessments/<int:aid>/respondents", methods=["GET", "POST"])
@owned
def add_respondents(a: Assessment) -> Any:
    """One respondent from the fields, or several from pasted lines "id, role, department"."""
    if request.method == "GET":
        return _back(a)
    session = database()
    try:
        days = _days()
        lines = request.form.get("lines", "")
        if len(lines) > 100_000:
            raise InputError.one("form", "lines", t("c_err_lines", n=MAX_BULK_LINES))
        people: list[tuple[str, str, str | None, str | None]] = []
        if lines.strip():
            rows = [x for x in lines.splitlines() if x.strip()]
            if len(rows) > MAX_BULK_LINES:
                raise InputError.one("form", "lines", t("c_err_lines", n=MAX_BULK_LINES))
            for n, line in enumerate(rows, start=1):
                parts = [x.strip() for x in line.replace("，", ",").split(",")]
                if len(parts) < 2:
                    message = t("c_err_line", n=n)
                    raise InputError.one("form", "lines", message)
                dept = _short(",".join(parts[2:]), "lines") if len(parts) > 2 else None
                people.append((parts[0], parts[1], dept, None))
        else:
            people.append(
                (
                    request.form.get("rid", "").strip()[:100],
                    request.form.get("role", "")[:100],
                    _short(request.form.get("department", ""), "department"),
                    _short(request.form.get("name", ""), "name"),
                )
            )
        made = []
        for rid, role, dept, name in people:
            _check_role(a, role)
            resp = invitations.add_respondent(session, a, rid, role, dept, name)
            inv, token = invitations.invite(session, a, "respondent", role, resp, days)
            made.append((rid, role, invitations.link_path(inv, token)))
        session.commit()
    except InputError as exc:
        return _failed(a, exc)
    return _links_page(a, made)


@bp.route("/assessments/<int:aid>/open-links", methods=["GET", "POST"])
@owned
def open_link(a: Assessment) -> Any:
    if request.method == "GET":
        return _back(a)
    session = database()
    try:
        role = request.form.get("role", "")[:100]
        _check_role(a, role)
        inv, token = invitations.invite(session, a, "open", role, None, _days())
        session.commit()
    except InputError as exc:
        return _failed(a, exc)
    label = t("open_link_for", role=role)
    return _links_page(a, [(label, role, invitations.link_path(inv, token))])


@bp.route("/assessments/<int:aid>/respondents/<int:rid>/link", methods=["GET", "POST"])
@owned
def new_link(a: Assessment, rid: int) -> Any:
    resp = _respondent(a, rid)
    if request.method == "GET":
        return _back(a)
    session = database()
    try:
        inv, token = invitations.invite(session, a, "respondent", resp.role, resp, _days())
        session.commit()
    except InputError as exc:
        return _failed(a, exc)
    return _links_page(a, [(resp.rid, resp.role, invitations.link_path(inv, token))])


@bp.route("/assessments/<int:aid>/links/<int:iid>/revoke", methods=["GET", "POST"])
@owned
def revoke(a: Assessment, iid: int) -> Any:
    inv = database().get(Invitation, iid)
    if inv is None or inv.assessment_id != a.id:
        abort(404)
    if request.method == "GET":
        return _back(a)
    invitations.revoke(database(), inv)
    database().commit()
    return redirect(url_for("consultant.assessment", aid=a.id) + "#links")


@bp.route("/assessments/<int:aid>/respondents/<int:rid>")
@owned
def respondent(a: Assessment, rid: int) -> Any:
    resp = _respondent(a, rid)
    q, fw = pinned(a)
    rows = {
        r.question_id: r
        for r in database().scalars(select(AnswerRow).where(AnswerRow.respondent_id == resp.id))
    }
    uploads = list(
        database().scalars(
            select(EvidenceUpload)
            .where(EvidenceUpload.respondent_id == resp.id)
            .order_by(EvidenceUpload.id)
        )
    )
    pages = questions_for(q, fw, resp.role)
    return render_template(
        "web/consultant/respondent.html",
        a=a,
        r=resp,
        pages=pages,
        rows=rows,
        uploads=uploads,
        value=lambda row: json.loads(row.value_json) if row and row.value_json else None,
    )


# --- results, exports, imports, comparison, evidence -----------------------------------------


@bp.route("/assessments/<int:aid>/results")
@owned
def results(a: Assessment) -> Any:
    i = exports.inputs(database(), a)
    ctx = None if i is None else exports.context(database(), a, i, g.lang)
    agreement = None if i is None else exports.agreement(i)
    q, _fw = pinned(a)
    return render_template(
        "web/consultant/results.html",
        a=a,
        ctx=ctx,
        agreement=agreement,
        role_names={x.id: x.name for x in q.roles},
        element_names={} if ctx is None else {e.id: e.name for e in ctx.elements},
    )


@bp.route("/assessments/<int:aid>/export/<kind>")
@owned
def export(a: Assessment, kind: str) -> Any:
    if kind not in exports.KINDS:
        abort(404)
    i = exports.inputs(database(), a)
    if i is None:
        abort(404)
    if kind.startswith("annex") and not exports.has_annex(i):
        abort(404)
    data = exports.export(database(), a, i, kind)
    response = Response(data, mimetype=exports.KINDS[kind][1])
    response.headers["Content-Disposition"] = exports.disposition(a.organization, kind)
    return response


@bp.route("/assessments/<int:aid>/import", methods=["GET", "POST"])
@owned
def import_answers(a: Assessment) -> Any:
    from .importing import MAX_IMPORT, import_file

    done = None
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            problems, status = [t("import_choose_file")], 400
        else:
            data = upload.stream.read(MAX_IMPORT + 1)
            try:
                done = import_file(
                    database(), a, upload.filename, data, rename=request.form.get("rename") == "1"
                )
            except InputError as exc:
                problems, status = exc.lines(), 400
    return render_template("web/consultant/import.html", a=a, done=done, problems=problems), status


@bp.route("/assessments/<int:aid>/compare")
@owned
def compare(a: Assessment) -> Any:
    from assessment.compare import compare as compare_results
    from reports.compare import comparison_context

    session = database()
    others = [x for x in _mine() if x.id != a.id]
    chosen = request.args.get("with", "")
    other_id = int(chosen) if chosen.isdigit() else a.previous_id
    other = next((x for x in others if x.id == other_id), None)
    if chosen and other is None:
        abort(404)
    view = None
    missing = False
    if other is not None:
        now_in, then_in = exports.inputs(session, a), exports.inputs(session, other)
        if now_in is None or then_in is None:
            missing = True
        else:
            now_s, then_s = exports.scored(now_in), exports.scored(then_in)
            c = compare_results(
                [then_s.result, now_s.result],
                [f"{other.id}", f"{a.id}"],
                "over-time",
            )
            view = comparison_context(c, [then_s.framework, now_s.framework], g.lang)
    return render_template(
        "web/consultant/compare.html", a=a, others=others, other=other, view=view, missing=missing
    )


@bp.route("/assessments/<int:aid>/evidence/<sha256>")
@owned
def evidence(a: Assessment, sha256: str) -> Any:
    session = database()
    upload = session.scalar(
        select(EvidenceUpload)
        .where(EvidenceUpload.assessment_id == a.id, EvidenceUpload.sha256 == sha256[:64])
        .order_by(EvidenceUpload.id)
    )
    stored = session.get(EvidenceFile, sha256[:64]) if upload is not None else None
    if upload is None or stored is None:
        abort(404)
    response = Response(stored.data, mimetype=stored.media_type)
    response.headers["Content-Disposition"] = _file_disposition(upload.filename)
    return response


def _file_disposition(filename: str) -> str:
    from urllib.parse import quote

    from .importing import safe_name

    name = safe_name(filename)
    plain = "".join(c if c.isascii() and (c.isalnum() or c in ".-_") else "_" for c in name)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
