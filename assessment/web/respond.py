"""The respondent's pages: a link opens the questionnaire, one page per element, every answer
saved the moment it is given (respond.js posts each change; without JavaScript "Next" and
"Back" post the page), a review page that submits, and a thank-you page.

No account: the link's token is the key. Pages, saving and checking go through store.py
(the same models and messages as `crmm validate`) and invitations.py; nothing is scored here.
After submission the link opens the thank-you page only: answers can no longer change, so
that what the consultant reports on is what the respondent submitted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from frameworks.errors import InputError
from frameworks.model import Element, Framework
from questionnaires.model import Question, Questionnaire
from questionnaires.types import NA, NA_LABEL, allowed_values

from ..responses import ShortText
from . import evidence as ev
from . import store
from .app import database
from .i18n import request_lang, t
from .invitations import LinkGone, join, opened
from .models import AnswerRow, Assessment, EvidenceUpload, Invitation, Respondent, now

bp = Blueprint("respond", __name__)

QID_MAX = 64
VALUE_MAX = 5000  # a text answer (assessment.responses.TEXT_LIMIT); one more is read, so
# that a longer one is refused with the model's message rather than cut
_SHORT = TypeAdapter(ShortText)


class Submitted(Exception):
    """The respondent has submitted: answers no longer change."""


@dataclass
class Visit:
    """What a respondent link opens: the respondent, their assessment, its questionnaire and
    framework, and their pages (one list of questions per element)."""

    token: str
    inv: Invitation
    respondent: Respondent
    assessment: Assessment
    questionnaire: Questionnaire
    framework: Framework
    pages: list[list[Question]]

    @property
    def review_page(self) -> int:
        return len(self.pages) + 1

    def element(self, n: int) -> Element:
        return self.framework.element_of[self.pages[n - 1][0].criterion]

    def questions(self) -> dict[str, Question]:
        return {x.id: x for page in self.pages for x in page}

    def page_of(self, qid: str) -> int:
        for n, page in enumerate(self.pages, start=1):
            if any(x.id == qid for x in page):
                return n
        return 0


def _gone(reason: str) -> Any:
    """A dead link: the same words whatever the reason (nothing that helps guessing), 404 for
    an unknown token, 410 for one revoked or expired."""
    g.lang = request_lang()
    g.langs = ["zh-CN", "en"]
    code = 404 if reason == "unknown" else 410
    if _wants_json():
        return {"error": t("respond_gone_text")}, code
    return render_template("web/respond/gone.html"), code


def _visit(token: str) -> Visit:
    s = database()
    inv = opened(s, token, "respondent")
    respondent = s.get(Respondent, inv.respondent_id)
    assessment = s.get(Assessment, inv.assessment_id)
    if respondent is None or assessment is None:
        raise LinkGone("unknown")
    q, fw = store.pinned(assessment)
    pages = store.questions_for(q, fw, respondent.role)
    _language(assessment, respondent)
    return Visit(token, inv, respondent, assessment, q, fw, pages)


def _language(a: Assessment, respondent: Respondent | None) -> None:
    """The page language among the assessment's: ?lang= (remembered on the respondent),
    else what the respondent chose before, else the browser's."""
    langs = a.langs or ["zh-CN", "en"]
    g.langs = langs
    asked = request.args.get("lang")
    if respondent is not None and asked in langs and respondent.lang != asked:
        respondent.lang = asked
        database().commit()
    if respondent is not None and asked not in langs and respondent.lang in langs:
        g.lang = respondent.lang
    else:
        g.lang = request_lang(langs)


@bp.errorhandler(LinkGone)
def _link_gone(exc: LinkGone) -> Any:
    return _gone(exc.reason)


@bp.errorhandler(store.PinChanged)
def _pin_changed(exc: store.PinChanged) -> Any:
    """The installed questionnaire is not the one the assessment pinned: nothing a respondent
    can do about it (the consultant sees why on their pages), so no detail here."""
    current_app.logger.error("respondent link: %s", exc)
    if "lang" not in g:
        g.lang = request_lang()
    if _wants_json():
        return {"error": t("respond_unavailable")}, 503
    return render_template("web/error.html", code=503, message=t("respond_unavailable")), 503


@bp.errorhandler(Submitted)
def _submitted(exc: Submitted) -> Any:
    if _wants_json():
        return {"error": t("respond_already_submitted")}, 409
    return redirect(url_for("respond.done", token=request.view_args["token"]))  # type: ignore[index]


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or bool(
        request.headers.get("X-CSRFToken")
    )


def _open(token: str) -> Visit:
    """The visit for a page that changes answers: Submitted once submitted."""
    v = _visit(token)
    if v.respondent.submitted_at is not None:
        raise Submitted()
    return v


def _resume(v: Visit, n: int) -> None:
    """Remember the page the respondent is on (the link resumes there)."""
    if v.respondent.page != n:
        v.respondent.page = n
        database().commit()


# --- the link ---------------------------------------------------------------------------------


@bp.route("/r/<token>")
def start(token: str) -> Any:
    v = _visit(token)
    if v.respondent.submitted_at is not None:
        return redirect(url_for("respond.done", token=token))
    n = min(max(v.respondent.page, 1), v.review_page)
    joined: dict[str, Any] = {"joined": "1"} if request.args.get("joined") else {}
    if n == v.review_page:
        return redirect(url_for("respond.review", token=token, **joined))
    return redirect(url_for("respond.page", token=token, n=n, **joined))


@bp.route("/o/<token>", methods=["GET", "POST"])
def open_link(token: str) -> Any:
    """An open link: whoever opens it becomes a respondent in its role, with a link of their
    own (kept in this browser's session, so opening the open link again resumes)."""
    s = database()
    inv = opened(s, token, "open")
    a = s.get(Assessment, inv.assessment_id)
    if a is None:
        raise LinkGone("unknown")
    _language(a, None)
    q, _fw = store.pinned(a)
    mine = session.get("open", {}).get(str(inv.id))
    if mine:
        try:
            opened(s, mine, "respondent")
            return redirect(url_for("respond.start", token=mine))
        except LinkGone:
            pass
    errors: dict[str, str] = {}
    values = {"department": "", "name": ""}
    if request.method == "POST":
        for field in values:
            raw = request.form.get(field, "")[:600].strip()
            values[field] = raw
            if raw:
                try:
                    _SHORT.validate_python(raw)
                except ValidationError as exc:
                    errors[field] = exc.errors()[0]["msg"]
        if not errors:
            _resp, personal = join(s, inv, values["department"] or None, values["name"] or None)
            kept = dict(session.get("open", {}))
            kept[str(inv.id)] = personal
            session["open"] = kept
            return redirect(url_for("respond.start", token=personal, joined=1))
    role = q.role_by_id.get(inv.role)
    return render_template(
        "web/respond/open.html",
        a=a,
        q=q,
        role=role,
        values=values,
        errors=errors,
    ), (400 if errors else 200)


# --- pages ------------------------------------------------------------------------------------


@bp.route("/r/<token>/p/<int:n>", methods=["GET", "POST"])
def page(token: str, n: int) -> Any:
    v = _open(token)
    if not 1 <= n <= len(v.pages):
        abort(404)
    errors: dict[str, str] = {}
    typed: dict[str, dict[str, Any]] = {}
    if request.method == "POST":
        errors, typed = _save_page(v, v.pages[n - 1])
        if not errors:
            go = request.form.get("go", "next")
            target = n - 1 if go == "back" else n + 1
            target = min(max(target, 1), v.review_page)
            _resume(v, target)
            if target == v.review_page:
                return redirect(url_for("respond.review", token=token))
            return redirect(url_for("respond.page", token=token, n=target))
    _resume(v, n)
    return render_template("web/respond/page.html", **_page_context(v, n, errors, typed)), (
        400 if errors else 200
    )


def _page_context(
    v: Visit, n: int, errors: dict[str, str], typed: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    s = database()
    rows = store.answers_of(s, v.respondent)
    uploads: dict[str, list[EvidenceUpload]] = {}
    for up in s.scalars(
        select(EvidenceUpload)
        .where(EvidenceUpload.respondent_id == v.respondent.id)
        .order_by(EvidenceUpload.id)
    ):
        uploads.setdefault(up.question_id, []).append(up)
    items = []
    for question in v.pages[n - 1]:
        row = rows.get(question.id)
        stored = _shown(question, row)
        shown = typed.get(question.id) or stored
        items.append(
            {
                "q": question,
                "choices": _choices(question),
                "shown": shown,
                "was": _fingerprint(
                    stored["values"], stored["na"], stored["comment"], stored["evidence"]
                ),
                "error": errors.get(question.id),
                "uploads": [
                    {"name": u.filename, "ref": ev.reference(u.filename, u.sha256)}
                    for u in uploads.get(question.id, [])
                ],
            }
        )
    answered, total = _progress(v, rows)
    return {
        "v": v,
        "n": n,
        "count": len(v.pages),
        "element": v.element(n),
        "items": items,
        "answered": answered,
        "total": total,
        "errors": errors,
        "joined": bool(request.args.get("joined")),
        "own_link": url_for("respond.start", token=v.token, _external=True),
        "accept": ev.ACCEPT,
        "max_mib": current_app.config["EVIDENCE_MAX_BYTES"] // (1024 * 1024),
    }


def _choices(question: Question) -> list[tuple[str, str]]:
    """(value, label) of a question's choices in the page language; N/A excluded."""
    from .i18n import lang

    return [(v, label) for v, label in allowed_values(question, lang()) if v != NA]


def _shown(question: Question, row: AnswerRow | None) -> dict[str, Any]:
    """What the page's controls show of a stored answer."""
    value = store.value_of(row)
    evidence = _evidence(row)
    typed_refs = [x for x in evidence if not ev.is_upload_reference(x)]
    if value is None:
        values: list[str] = []
    elif isinstance(value, list):
        values = [str(x) for x in value]
    elif isinstance(value, float) and value.is_integer():
        values = [str(int(value))]
    else:
        values = [str(value)]
    return {
        "values": values,
        "na": value == NA,
        "comment": (row.comment or "") if row else "",
        "evidence": typed_refs[0] if typed_refs else "",
    }


def _evidence(row: AnswerRow | None) -> list[str]:
    if row is None or not row.evidence_json:
        return []
    return [str(x) for x in json.loads(row.evidence_json)]


def _progress(v: Visit, rows: dict[str, AnswerRow]) -> tuple[int, int]:
    ids = v.questions()
    answered = sum(1 for qid, r in rows.items() if qid in ids and r.value_json is not None)
    return answered, len(ids)


def _save_page(
    v: Visit, questions: list[Question]
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """Save every answer of a page posted without JavaScript and the files chosen on it; the
    messages of those refused, and what was typed in them.

    Only what was changed on this page is saved: each question carries the fingerprint of
    what the page showed (`was-<id>`), and a question posted as shown is left alone, so that
    a page left open on one device does not undo answers given meanwhile on another."""
    s = database()
    rows = store.answers_of(s, v.respondent)
    errors: dict[str, str] = {}
    typed: dict[str, dict[str, Any]] = {}
    form = request.form
    for question in questions:
        qid = question.id
        raw = [x[: VALUE_MAX + 1] for x in form.getlist(f"v-{qid}")][:100]
        na = bool(form.get(f"na-{qid}"))
        comment = form.get(f"c-{qid}", "")[: VALUE_MAX + 1]
        reference = form.get(f"e-{qid}", "")[:600].strip()
        upload = request.files.get(f"f-{qid}")
        unchanged = form.get(f"was-{qid}") == _fingerprint(raw, na, comment, reference)
        try:
            if upload is not None and upload.filename:
                _upload(v, question, upload)
                rows = store.answers_of(s, v.respondent)
            if not unchanged:
                _save(v, question, rows.get(qid), raw, na, comment, reference)
        except InputError as exc:
            s.rollback()
            errors[qid] = exc.problems[0].message
            typed[qid] = {
                "values": [x for x in raw if x],
                "na": na,
                "comment": comment,
                "evidence": reference,
            }
    return errors, typed


def _fingerprint(values: list[str], na: bool, comment: str, reference: str) -> str:
    """What a question's fields hold, the same whether read from a stored answer or from a
    posted form (N/A as a radio or a checkbox alike; browsers send CRLF in textareas)."""
    chosen = sorted(x.strip() for x in values if x.strip())
    if na or chosen == [NA]:
        chosen, na = [], True
    text = comment.replace("\r\n", "\n")
    return json.dumps([chosen, na, text, reference.strip()], ensure_ascii=False)


def _save(
    v: Visit,
    question: Question,
    row: AnswerRow | None,
    raw: list[str],
    na: bool,
    comment: str,
    reference: str,
) -> AnswerRow | None:
    """Check and save one answer as posted (a form's fields); InputError with the CLI's
    message if refused. Uploaded files' references are kept; `reference` replaces the typed
    one. Unchanged answers are not written again."""
    value = NA if na else store.form_value(question, raw)
    uploads = [x for x in _evidence(row) if ev.is_upload_reference(x)]
    refs = ([reference] if reference else []) + uploads
    if reference and len(reference) > 500:
        raise InputError.one("answer", question.id, "evidence: at most 500 characters")
    if row is not None and value is not None:
        checked = store.check_answer(question, value, comment or None, refs or None)
        same = (
            row.value_json == json.dumps(checked.value, ensure_ascii=False)
            and (row.comment or "") == (checked.comment or "")
            and _evidence(row) == list(checked.evidence)
        )
        if same:
            return row
    elif row is None and value is None and not comment and not refs:
        return None
    return store.save_answer(
        database(), v.respondent, question, value, comment or None, refs or None
    )


# --- saving one answer at once (respond.js) ---------------------------------------------------


@bp.route("/r/<token>/answer", methods=["POST"])
def answer(token: str) -> Any:
    """One answer, saved at once: JSON {saved, answered, total}, or {error} with 400 and the
    message `crmm validate` gives."""
    v = _open(token)
    qid = request.form.get("question", "")[:QID_MAX]
    question = v.questions().get(qid)
    if question is None:
        return {"error": t("respond_unknown_question")}, 400
    raw = [x[: VALUE_MAX + 1] for x in request.form.getlist("value")][:100]
    comment = request.form.get("comment", "")[: VALUE_MAX + 1]
    reference = request.form.get("evidence", "")[:600].strip()
    s = database()
    rows = store.answers_of(s, v.respondent)
    try:
        saved = _save(v, question, rows.get(qid), raw, False, comment, reference)
    except InputError as exc:
        s.rollback()
        return {"error": exc.problems[0].message}, 400
    if saved is None:
        rows.pop(qid, None)
    else:
        rows[qid] = saved
    _resume(v, v.page_of(qid))
    answered, total = _progress(v, rows)
    return {"saved": qid, "answered": answered, "total": total}


@bp.route("/r/<token>/evidence", methods=["POST"])
def upload(token: str) -> Any:
    """An evidence file for one question (multipart: question, file): JSON with its
    reference, or {error} with 400."""
    v = _open(token)
    qid = request.form.get("question", "")[:QID_MAX]
    question = v.questions().get(qid)
    file = request.files.get("file")
    if question is None or file is None or not file.filename:
        return {"error": t("respond_upload_missing")}, 400
    s = database()
    try:
        stored = _upload(v, question, file)
    except InputError as exc:
        s.rollback()
        return {"error": exc.problems[0].message}, 400
    return {"saved": qid, "name": stored.filename, "reference": stored.reference}


def _upload(v: Visit, question: Question, file: FileStorage) -> ev.Stored:
    limit = int(current_app.config["EVIDENCE_MAX_BYTES"])
    data = file.stream.read(limit + 1)
    name, kind = ev.check_upload(data, file.filename or "", limit)
    s = database()
    stored = ev.store_upload(s, v.respondent, question.id, data, name, kind)
    row = store.answers_of(s, v.respondent).get(question.id)
    refs = _evidence(row)
    if stored.reference not in refs:
        refs.append(stored.reference)
    value = store.value_of(row)
    store.save_answer(s, v.respondent, question, value, row.comment if row else None, refs)
    s.commit()
    return stored


# --- review, submit, thank you ----------------------------------------------------------------


@bp.route("/r/<token>/review", methods=["GET", "POST"])
def review(token: str) -> Any:
    v = _open(token)
    if request.method == "POST":
        v.respondent.submitted_at = now()
        v.respondent.page = v.review_page
        database().commit()
        return redirect(url_for("respond.done", token=token))
    _resume(v, v.review_page)
    rows = store.answers_of(database(), v.respondent)
    missing = []
    for n, questions in enumerate(v.pages, start=1):
        open_ = [x for x in questions if rows.get(x.id) is None or rows[x.id].value_json is None]
        if open_:
            missing.append({"n": n, "element": v.element(n), "questions": open_})
    answered, total = _progress(v, rows)
    return render_template(
        "web/respond/review.html",
        v=v,
        missing=missing,
        answered=answered,
        total=total,
        count=len(v.pages),
        joined=bool(request.args.get("joined")),
        own_link=url_for("respond.start", token=token, _external=True),
    )


@bp.route("/r/<token>/done")
def done(token: str) -> Any:
    v = _visit(token)
    if v.respondent.submitted_at is None:
        return redirect(url_for("respond.start", token=token))
    own: list[dict[str, Any]] = []
    if v.assessment.show_own_answers:
        rows = store.answers_of(database(), v.respondent)
        for n, questions in enumerate(v.pages, start=1):
            own.append(
                {
                    "element": v.element(n),
                    "answers": [
                        {"q": x, "row": rows.get(x.id), "text": _display(x, rows.get(x.id))}
                        for x in questions
                    ],
                }
            )
    return render_template("web/respond/done.html", v=v, own=own)


def _display(question: Question, row: AnswerRow | None) -> str:
    """A stored answer in words, in the page language."""
    from .i18n import lang

    value = store.value_of(row)
    if value is None:
        return "—"
    if value == NA:
        return NA_LABEL.get(lang())
    labels = dict(allowed_values(question, lang()))
    if question.type in ("anchored", "likert"):
        return f"{value} · {labels.get(str(value), '')}"
    if question.type == "kpi":
        unit = question.kpi.unit.get(lang()) if question.kpi else ""
        return f"{value:g} {unit}".strip()
    if question.type == "multiple_choice":
        return "; ".join(labels.get(x, x) for x in value)
    if question.type in ("single_choice", "yes_partly_no"):
        return labels.get(value, str(value))
    return str(value)
