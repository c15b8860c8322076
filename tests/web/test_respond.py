"""The respondent's pages through Flask's test client: links that open (and those that do
not), one page per element, saving at once and on Next, resume, N/A and range checks with
the CLI's messages, CSRF, submission, and the responses file made from what was answered."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment.responses import check_responses, parse_responses
from assessment.web import store
from assessment.web.models import AnswerRow, Assessment, Respondent

from .respond_fixtures import Survey, make_survey, page_csrf, pages_of


@pytest.fixture
def survey(app: Flask) -> Survey:
    return make_survey(app)


def _open(client: FlaskClient, token: str) -> tuple[str, str]:
    """Follow a respondent link to its page: (path, csrf token)."""
    first = client.get(f"/r/{token}")
    assert first.status_code == 302
    path = first.headers["Location"]
    page = client.get(path)
    assert page.status_code == 200
    return path, page_csrf(page.get_data(as_text=True))


def _answer(client: FlaskClient, token: str, csrf: str, qid: str, *values: str, **more: str):
    data: dict[str, object] = {"question": qid, "value": list(values), **more}
    return client.post(
        f"/r/{token}/answer",
        data=data,
        headers={"X-CSRFToken": csrf, "Accept": "application/json"},
    )


def _rows(app: Flask, rid: str) -> list[AnswerRow]:
    with app.extensions["crmm_sessions"]() as s:
        resp = s.query(Respondent).filter_by(rid=rid).one()
        return list(s.query(AnswerRow).filter_by(respondent_id=resp.id))


def _respondent(app: Flask, rid: str) -> Respondent:
    with app.extensions["crmm_sessions"]() as s:
        return s.query(Respondent).filter_by(rid=rid).one()


def _export(app: Flask, survey: Survey) -> bytes | None:
    with app.extensions["crmm_sessions"]() as s:
        a = s.get(Assessment, survey.assessment_id)
        assert a is not None
        return store.responses_text(s, a)


# --- links ------------------------------------------------------------------------------------


def test_link_opens_the_first_element_page_in_zh(client: FlaskClient, survey: Survey) -> None:
    path, _csrf = _open(client, survey.tokens["sales-a"])
    assert path.endswith("/p/1")
    html = client.get(path).get_data(as_text=True)
    assert "<h1>要素 1/7 · " in html
    assert "要素 1/7 · 已答 0/48 题" in html
    assert '<progress id="progress" max="48" value="0"' in html
    assert html.count('<fieldset class="question') == 5


@pytest.mark.parametrize(("which", "code"), [("unknown", 404), ("expired", 410), ("revoked", 410)])
def test_dead_links_get_a_friendly_page(
    client: FlaskClient, survey: Survey, which: str, code: int
) -> None:
    token = {"unknown": "x" * 32, "expired": survey.expired, "revoked": survey.revoked}[which]
    for url in (f"/r/{token}", f"/r/{token}/p/1", f"/r/{token}/review", f"/r/{token}/done"):
        response = client.get(url)
        assert response.status_code == code, url
        html = response.get_data(as_text=True)
        assert "请联系邀请您参加评估的顾问" in html
        assert which not in html  # the same words whatever the reason
    en = client.get(f"/r/{token}?lang=en").get_data(as_text=True)
    assert "ask the consultant who invited you for a new link" in en


def test_dead_link_refuses_saving(client: FlaskClient, survey: Survey) -> None:
    _path, csrf = _open(client, survey.tokens["sales-a"])
    response = _answer(client, survey.revoked, csrf, "fa-lead-02", "3")
    assert response.status_code == 410
    assert "请联系邀请您参加评估的顾问" in response.get_json()["error"]
    assert _rows_count_all(client) == 0


def _rows_count_all(client: FlaskClient) -> int:
    app = client.application
    with app.extensions["crmm_sessions"]() as s:
        return s.query(AnswerRow).count()


def test_open_link_for_an_open_kind_token_only(client: FlaskClient, survey: Survey) -> None:
    assert client.get(f"/o/{survey.tokens['sales-a']}").status_code == 404
    assert client.get(f"/r/{survey.open_token}").status_code == 404


def test_open_link_joins_and_shows_the_own_link(
    app: Flask, client: FlaskClient, survey: Survey
) -> None:
    start = client.get(f"/o/{survey.open_token}")
    assert start.status_code == 200
    html = start.get_data(as_text=True)
    assert "参加评估：示例公司" in html
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    joined = client.post(
        f"/o/{survey.open_token}",
        data={"csrf_token": csrf, "department": "华东销售", "name": "王<b>"},
    )
    assert joined.status_code == 302
    own = joined.headers["Location"]
    token = re.search(r"/r/([^/?]+)\?joined=1", own).group(1)  # type: ignore[union-attr]
    page = client.get(own, follow_redirects=True).get_data(as_text=True)
    assert "请收藏您的个人链接" in page
    assert f"http://localhost/r/{token}" in page
    with app.extensions["crmm_sessions"]() as s:
        resp = s.query(Respondent).filter_by(source="open").one()
    assert (resp.role, resp.department, resp.name, resp.source) == (
        "sales",
        "华东销售",
        "王<b>",
        "open",
    )
    # the same browser opening the open link again resumes its own respondent
    again = client.get(f"/o/{survey.open_token}")
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/r/{token}")


def test_open_link_refuses_control_characters(client: FlaskClient, survey: Survey) -> None:
    html = client.get(f"/o/{survey.open_token}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    response = client.post(f"/o/{survey.open_token}", data={"csrf_token": csrf, "name": "a\x07b"})
    assert response.status_code == 400
    assert "control character" in response.get_data(as_text=True)


# --- saving -----------------------------------------------------------------------------------


def test_answer_saved_at_once_and_replaced_not_duplicated(
    app: Flask, client: FlaskClient, survey: Survey
) -> None:
    token = survey.tokens["sales-a"]
    _path, csrf = _open(client, token)
    first = _answer(client, token, csrf, "fa-lead-05", "2", comment="", evidence="")
    assert first.status_code == 200
    assert first.get_json() == {"saved": "fa-lead-05", "answered": 1, "total": 48}
    again = _answer(client, token, csrf, "fa-lead-05", "4", comment="a note", evidence="memo")
    assert again.get_json()["answered"] == 1
    rows = _rows(app, "sales-a")
    assert len(rows) == 1
    assert (rows[0].value_json, rows[0].comment, json.loads(rows[0].evidence_json or "[]")) == (
        "4",
        "a note",
        ["memo"],
    )
    page = client.get(f"/r/{token}/p/1").get_data(as_text=True)
    assert 'name="v-fa-lead-05" value="4" checked' in page
    assert '<details class="extra" open>' in page  # the comment shown, not collapsed


def test_out_of_range_refused_with_the_cli_message(
    app: Flask, client: FlaskClient, survey: Survey
) -> None:
    token = survey.tokens["sales-a"]
    _path, csrf = _open(client, token)
    response = _answer(client, token, csrf, "fa-lead-05", "7")
    assert response.status_code == 400
    assert response.get_json() == {"error": "expected an integer 1 to 5, got 7"}
    kpi = _answer(client, token, csrf, "fa-out-04", "140")
    assert kpi.get_json() == {"error": "140 is above the maximum 100"}
    assert _rows(app, "sales-a") == []


def test_na_only_where_allowed(app: Flask, client: FlaskClient, survey: Survey) -> None:
    token = survey.tokens["sales-a"]
    _path, csrf = _open(client, token)
    refused = _answer(client, token, csrf, "fa-lead-05", "na")
    assert refused.status_code == 400
    assert refused.get_json() == {"error": "N/A is not allowed for this question"}
    assert _answer(client, token, csrf, "fa-res-07", "na").status_code == 200
    assert [r.value_json for r in _rows(app, "sales-a")] == ['"na"']


def test_question_not_asked_of_the_role_is_refused(client: FlaskClient, survey: Survey) -> None:
    token = survey.tokens["sales-a"]
    _path, csrf = _open(client, token)
    response = _answer(client, token, csrf, "fa-lead-01", "3")  # leadership only
    assert response.status_code == 400
    assert response.get_json() == {"error": "未知的问题。"}


def test_post_without_csrf_is_refused(app: Flask, client: FlaskClient, survey: Survey) -> None:
    token = survey.tokens["sales-a"]
    _open(client, token)
    response = client.post(f"/r/{token}/answer", data={"question": "fa-lead-05", "value": "3"})
    assert response.status_code == 400
    page = client.post(f"/r/{token}/p/1", data={"v-fa-lead-05": "3"})
    assert page.status_code == 400
    assert _rows(app, "sales-a") == []


def test_every_value_type_saved_as_the_file_would_hold_it(
    app: Flask, client: FlaskClient, survey: Survey
) -> None:
    token = survey.tokens["sales-a"]
    _path, csrf = _open(client, token)
    given = [
        ("fa-lead-02", ["4"]),  # likert
        ("fa-lead-05", ["5"]),  # anchored
        ("fa-strat-04", None),  # single choice: its first option
        ("fa-res-04", ["partly"]),
        ("fa-res-08", None),  # multiple choice: two options
        ("fa-out-04", ["62.5"]),  # kpi
        ("fa-out-06", ["na"]),
        ("fa-ops-09", ["我们每周开一次例会 & review"]),
    ]
    pages = pages_of(app, survey, "sales")
    by_id = {x.id: x for page in pages for x in page}
    for qid, values in given:
        if values is None:
            options = [o.id for o in by_id[qid].options or []]
            values = options[:1] if by_id[qid].type == "single_choice" else options[:2]
        response = _answer(client, token, csrf, qid, *values)
        assert response.status_code == 200, (qid, response.get_json())
    raw = _export(app, survey)
    assert raw is not None
    loaded = parse_responses(raw, "responses.yaml")
    with app.extensions["crmm_sessions"]() as s:
        a = s.get(Assessment, survey.assessment_id)
        assert a is not None
        questionnaire, _fw = store.pinned(a)
    checked = check_responses(loaded, questionnaire)
    (person,) = checked.respondents
    assert person.id == "sales-a"
    values = {qid: ans.value for qid, ans in person.answers.items()}
    options = [o.id for o in by_id["fa-res-08"].options or []]
    assert values == {
        "fa-lead-02": 4,
        "fa-lead-05": 5,
        "fa-strat-04": (by_id["fa-strat-04"].options or [])[0].id,
        "fa-res-04": "partly",
        "fa-res-08": options[:2],
        "fa-out-04": 62.5,
        "fa-out-06": "na",
        "fa-ops-09": "我们每周开一次例会 & review",
    }


# --- without JavaScript: Next and Back post the page ------------------------------------------


def test_next_saves_the_page_and_resumes_there(
    app: Flask, client: FlaskClient, survey: Survey
) -> None:
    token = survey.tokens["sales-a"]
    _path, csrf = _open(client, token)
    form = {
        "csrf_token": csrf,
        "v-fa-lead-02": "3",
        "v-fa-lead-05": "4",
        "c-fa-lead-05": "comment typed without JavaScript",
        "e-fa-lead-05": "CRM dashboard screenshot",
        "go": "next",
    }
    response = client.post(f"/r/{token}/p/1", data=form)
    assert response.status_code == 302 and response.headers["Location"].endswith("/p/2")
    assert sorted(r.question_id for r in _rows(app, "sales-a")) == ["fa-lead-02", "fa-lead-05"]
    assert _respondent(app, "sales-a").page == 2
    # another device, the same link: resumes on page 2
    other = app.test_client()
    assert other.get(f"/r/{token}").headers["Location"].endswith("/p/2")
    html = other.get(f"/r/{token}/p/2").get_data(as_text=True)
    assert "要素 2/7 · 已答 2/48 题" in html
    # Back saves nothing new and goes to page 1, which shows what was given
    back = client.post(f"/r/{token}/p/2", data={"csrf_token": csrf, "go": "back"})
    assert back.headers["Location"].endswith("/p/1")
    page1 = client.get(f"/r/{token}/p/1").get_data(as_text=True)
    assert 'value="3" checked' in page1 and "comment typed without JavaScript" in page1
    assert 'value="CRM dashboard screenshot"' in page1


def test_invalid_values_on_next_show_messages_and_keep_the_valid(
    app: Flask, client: FlaskClient, survey: Survey
) -> None:
    token = survey.tokens["sales-a"]
    client.get(f"/r/{token}")
    html = client.get(f"/r/{token}/p/7").get_data(as_text=True)
    csrf = page_csrf(html)
    response = client.post(
        f"/r/{token}/p/7",
        data={"csrf_token": csrf, "v-fa-out-03": "2", "v-fa-out-04": "abc", "go": "next"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "expected a number, got &#39;abc&#39;" in page
    assert 'value="abc"' in page  # what was typed is kept for correcting
    assert [r.question_id for r in _rows(app, "sales-a")] == ["fa-out-03"]


def test_text_and_comment_with_script_are_inert_and_stored_as_typed(
    app: Flask, client: FlaskClient, survey: Survey
) -> None:
    token = survey.tokens["sales-a"]
    client.get(f"/r/{token}")
    csrf = page_csrf(client.get(f"/r/{token}/p/6").get_data(as_text=True))
    script = "<script>alert(1)</script>"
    response = client.post(
        f"/r/{token}/p/6",
        data={
            "csrf_token": csrf,
            "v-fa-ops-09": script,
            "c-fa-ops-01": script,
            "v-fa-ops-01": "3",
            "e-fa-ops-01": script,
            "go": "back",
        },
    )
    assert response.status_code == 302
    rows = {r.question_id: r for r in _rows(app, "sales-a")}
    assert rows["fa-ops-09"].value_json == json.dumps(script)
    assert rows["fa-ops-01"].comment == script
    html = client.get(f"/r/{token}/p/6").get_data(as_text=True)
    assert script not in html
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert html.count(f">{escaped}</textarea>") == 2  # the text answer and the comment
    assert f'id="e-fa-ops-01" name="e-fa-ops-01" maxlength="500" value="{escaped}"' in html


# --- review, submit, done ---------------------------------------------------------------------


def test_review_lists_unanswered_and_submit_locks(
    app: Flask, client: FlaskClient, survey: Survey
) -> None:
    token = survey.tokens["it-1"]
    _path, csrf = _open(client, token)
    pages = pages_of(app, survey, "it")
    first = pages[0][0]
    assert _answer(client, token, csrf, first.id, "3").status_code == 200
    review = client.get(f"/r/{token}/review").get_data(as_text=True)
    total = sum(len(p) for p in pages)
    assert f"以下 {total - 1} 个问题尚未回答" in review
    assert f"#q-{first.id}" not in review and f"#q-{pages[0][1].id}" in review
    assert "提交后回答将无法再修改" in review
    done = client.post(f"/r/{token}/review", data={"csrf_token": csrf})
    assert done.status_code == 302 and done.headers["Location"].endswith("/done")
    assert _respondent(app, "it-1").submitted_at is not None
    thanks = client.get(f"/r/{token}/done").get_data(as_text=True)
    assert "感谢您的参与" in thanks
    assert tx_first(first) not in thanks  # own answers not shown unless allowed
    # the link now opens the thank-you page; answers no longer change
    assert client.get(f"/r/{token}").headers["Location"].endswith("/done")
    assert client.get(f"/r/{token}/p/1").headers["Location"].endswith("/done")
    late = _answer(client, token, csrf, first.id, "5")
    assert late.status_code == 409
    assert [r.value_json for r in _rows(app, "it-1")] == ["3"]
    raw = _export(app, survey)
    assert raw is not None and b"submitted:" in raw


def tx_first(question) -> str:  # type: ignore[no-untyped-def]
    return str(question.text.get("zh-CN"))


def test_done_shows_own_answers_when_allowed(app: Flask, client: FlaskClient) -> None:
    survey = make_survey(app, show_own_answers=True)
    token = survey.tokens["it-1"]
    _path, csrf = _open(client, token)
    first = pages_of(app, survey, "it")[0][0]
    _answer(client, token, csrf, first.id, "4", comment="<i>mine</i>")
    client.post(f"/r/{token}/review", data={"csrf_token": csrf})
    html = client.get(f"/r/{token}/done").get_data(as_text=True)
    assert "您的回答" in html and tx_first(first) in html
    assert "&lt;i&gt;mine&lt;/i&gt;" in html


# --- language ---------------------------------------------------------------------------------


def test_language_switch_is_remembered_on_the_respondent(
    app: Flask, client: FlaskClient, survey: Survey
) -> None:
    token = survey.tokens["sales-a"]
    client.get(f"/r/{token}")
    en = client.get(f"/r/{token}/p/1?lang=en").get_data(as_text=True)
    assert "Element 1/7 · 0 of 48 answered" in en and '<html lang="en">' in en
    assert _respondent(app, "sales-a").lang == "en"
    phone = app.test_client()  # another device, no session: the respondent's language
    html = phone.get(f"/r/{token}/p/1", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "Element 1/7" in html


def test_only_the_assessment_languages(app: Flask, client: FlaskClient) -> None:
    survey = make_survey(app, langs="en")
    token = survey.tokens["sales-a"]
    client.get(f"/r/{token}")
    html = client.get(f"/r/{token}/p/1?lang=zh-CN").get_data(as_text=True)
    assert "Element 1/7" in html and "中文" not in html


# --- weight and accessibility -----------------------------------------------------------------


def test_largest_page_weighs_under_200_kb(app: Flask, client: FlaskClient, survey: Survey) -> None:
    """HTML + CSS + JS of the largest element page of the full audit, with every question's
    controls (the font excluded: phones have their own)."""
    best = ("", 0, 0)
    for role in ("leadership", "sales", "it"):
        pages = pages_of(app, survey, role)
        n = max(range(len(pages)), key=lambda i: len(pages[i])) + 1
        if len(pages[n - 1]) > best[2]:
            rid = {"leadership": "lead-1", "sales": "sales-a", "it": "it-1"}[role]
            best = (survey.tokens[rid], n, len(pages[n - 1]))
    token, n, count = best
    assert count >= 11
    client.get(f"/r/{token}")
    html = client.get(f"/r/{token}/p/{n}").get_data()
    css = client.get("/static/app.css").get_data()
    js = client.get("/static/respond.js").get_data()
    assert html.count(b'<fieldset class="question') == count
    total = len(html) + len(css) + len(js)
    assert total < 200 * 1024, total


def test_every_control_has_a_label_and_no_inline_script_or_style(
    client: FlaskClient, survey: Survey
) -> None:
    token = survey.tokens["lead-1"]
    client.get(f"/r/{token}")
    for n in range(1, 7):
        html = client.get(f"/r/{token}/p/{n}").get_data(as_text=True)
        assert "style=" not in html and "onclick" not in html.lower()
        assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
        for control in re.finditer(r'<(?:input|textarea)[^>]*\bid="([^"]+)"', html):
            assert f'for="{control.group(1)}"' in html, control.group(1)
        for radio in re.finditer(r'<input type="(?:radio|checkbox)"', html):
            before = html[: radio.start()]
            assert before.rfind("<label") > before.rfind("</label>")  # wrapped in its label
        assert 'class="skip" href="#main"' in html


def test_over_long_fields_are_refused_not_cut(
    app: Flask, client: FlaskClient, survey: Survey
) -> None:
    token = survey.tokens["sales-a"]
    _path, csrf = _open(client, token)
    long_text = _answer(client, token, csrf, "fa-ops-09", "x" * 6000)
    assert long_text.status_code == 400
    assert long_text.get_json()["error"].endswith(
        "text of 5001 characters; at most 5000 are allowed"
    )
    long_comment = _answer(client, token, csrf, "fa-lead-05", "3", comment="c" * 5001)
    assert long_comment.get_json() == {"error": "at most 5000 characters"}
    long_reference = _answer(client, token, csrf, "fa-lead-05", "3", evidence="e" * 501)
    assert long_reference.status_code == 400
    bell = _answer(client, token, csrf, "fa-ops-09", "ring\x07")
    assert bell.get_json()["error"].endswith("control character '\\x07' at position 4 not allowed")
    assert _rows(app, "sales-a") == []


def test_pages_outside_the_role_range_are_not_found(client: FlaskClient, survey: Survey) -> None:
    token = survey.tokens["it-1"]
    client.get(f"/r/{token}")
    assert client.get(f"/r/{token}/p/0").status_code == 404
    assert client.get(f"/r/{token}/p/6").status_code == 200  # it answers 6 elements
    assert client.get(f"/r/{token}/p/7").status_code == 404


def test_open_link_post_without_csrf_makes_no_respondent(
    app: Flask, client: FlaskClient, survey: Survey
) -> None:
    client.get(f"/o/{survey.open_token}")
    response = client.post(f"/o/{survey.open_token}", data={"name": "x"})
    assert response.status_code == 400
    with app.extensions["crmm_sessions"]() as s:
        assert s.query(Respondent).filter_by(source="open").count() == 0


def test_a_changed_questionnaire_is_not_opened(
    app: Flask, client: FlaskClient, survey: Survey
) -> None:
    with app.extensions["crmm_sessions"]() as s:
        a = s.get(Assessment, survey.assessment_id)
        assert a is not None
        a.questionnaire_sha256 = "0" * 64
        s.commit()
    response = client.get(f"/r/{survey.tokens['sales-a']}")
    assert response.status_code == 503
    assert "此问卷暂时无法打开" in response.get_data(as_text=True)
    assert "sha" not in response.get_data(as_text=True)


def _form_of(html: str) -> dict[str, list[str]]:
    """The fields a browser would post from the page as shown (no change made)."""
    form: dict[str, list[str]] = {}
    for m in re.finditer(r"<input ([^>]*)>", html):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(1)))
        kind, name = attrs.get("type", "text"), attrs.get("name")
        if not name or kind in ("file", "submit"):
            continue
        if kind in ("radio", "checkbox") and " checked" not in m.group(1):
            continue
        form.setdefault(name, []).append(unescape(attrs.get("value", "")))
    for m in re.finditer(r'<textarea id="[^"]+" name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        form.setdefault(m.group(1), []).append(unescape(m.group(2)))
    return form


def test_a_stale_page_does_not_undo_answers_given_elsewhere(
    app: Flask, client: FlaskClient, survey: Survey
) -> None:
    token = survey.tokens["sales-a"]
    _path, csrf = _open(client, token)
    _answer(client, token, csrf, "fa-lead-06", "2", comment="first")
    laptop = client.get(f"/r/{token}/p/1").get_data(as_text=True)  # left open
    phone = app.test_client()
    _p, phone_csrf = _open(phone, token)
    assert _answer(phone, token, phone_csrf, "fa-lead-02", "5").status_code == 200
    assert _answer(phone, token, phone_csrf, "fa-lead-06", "4", comment="second").status_code == 200
    form = _form_of(laptop)
    form["v-fa-lead-05"] = ["3"]  # the one change made on the laptop
    response = client.post(f"/r/{token}/p/1", data={**form, "go": "next"})
    assert response.status_code == 302
    rows = {r.question_id: (r.value_json, r.comment) for r in _rows(app, "sales-a")}
    assert rows == {
        "fa-lead-02": ("5", None),
        "fa-lead-05": ("3", None),
        "fa-lead-06": ("4", "second"),
    }
    # a change made on the page is saved, clearing included
    page = client.get(f"/r/{token}/p/1").get_data(as_text=True)
    form = _form_of(page)
    assert form["c-fa-lead-06"] == ["second"]
    form["c-fa-lead-06"] = [""]
    client.post(f"/r/{token}/p/1", data={**form, "go": "next"})
    rows = {r.question_id: (r.value_json, r.comment) for r in _rows(app, "sales-a")}
    assert rows["fa-lead-06"] == ("4", None)
