"""The consultant's pages with Flask's test client: creating and editing an assessment,
inviting, progress, results, downloads, imports, comparison, evidence; another consultant
gets 404 on every URL; hostile input stays inert; CSRF and length limits."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from assessment.web.models import (
    Assessment,
    EvidenceFile,
    EvidenceUpload,
    Invitation,
    Respondent,
)

from .conftest import add_user, csrf_token, login

PROFILE = {
    "organization": "华东制造有限公司",
    "industry": "manufacturing",
    "size": "medium",
    "region": "east-china",
    "questionnaire": "quick-check",
    "date": "2026-11-30",
    "assessor": "",
    "target_level": "3",
    "languages": "zh-CN,en",
    "benchmark": "",
    "previous_id": "",
}


def vocab_ok() -> None:
    from frameworks.vocabulary import vocabulary

    v = vocabulary()
    assert "manufacturing" in v.industry and "medium" in v.size and "east-china" in v.region


def create(client: FlaskClient, **fields: Any) -> int:
    token = csrf_token(client, "/assessments/new")
    data = {**PROFILE, **fields, "csrf_token": token}
    response = client.post("/assessments/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def post(client: FlaskClient, url: str, data: dict[str, Any], page: str = "/") -> Any:
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page)})


def answer_all(app: Flask, aid: int, rid: str, value: int = 3) -> None:
    """Answers every question of the respondent's role through the store (part B's pages
    save the same way)."""
    from assessment.web import store

    with app.extensions["crmm_sessions"]() as session:
        a = session.get(Assessment, aid)
        assert a is not None
        resp = session.query(Respondent).filter_by(assessment_id=aid, rid=rid).one()
        q, fw = store.pinned(a)
        for page in store.questions_for(q, fw, resp.role):
            for question in page:
                store.save_answer(session, resp, question, _value(question, value))


def _value(question: Any, level: int) -> Any:
    """A valid answer standing for `level` (1-5) whatever the question's type."""
    if question.type in ("anchored", "likert"):
        return level
    if question.type == "yes_partly_no":
        return "yes" if level >= 4 else "partly" if level == 3 else "no"
    if question.type == "kpi":
        thresholds = question.kpi.thresholds
        return thresholds[min(level, len(thresholds)) - 1]
    if question.options:
        ids = [o.id for o in question.options]
        pick = ids[min(level, len(ids)) - 1]
        return pick if question.type == "single_choice" else [pick]
    return f"answer {level}"


def test_vocabulary_has_the_profile_used_here() -> None:
    vocab_ok()


def test_index_lists_only_own_assessments(app: Flask, consultant: FlaskClient) -> None:
    aid = create(consultant)
    page = consultant.get("/").get_data(as_text=True)
    assert "华东制造有限公司" in page and f"/assessments/{aid}" in page
    other = app.test_client()
    add_user(app, "bo@example.com")
    login(other, "bo@example.com")
    assert "华东制造有限公司" not in other.get("/").get_data(as_text=True)


def test_create_pins_questionnaire_and_shows_hashes(app: Flask, consultant: FlaskClient) -> None:
    form = consultant.get("/assessments/new").get_data(as_text=True)
    from assessment.web.store import today

    assert "quick-check" in form and "1.1.0" in form
    assert f'value="{today().isoformat()}"' in form  # the date defaults to today
    aid = create(consultant, assessor="顾问甲")
    with app.extensions["crmm_sessions"]() as session:
        a = session.get(Assessment, aid)
        assert a is not None
        assert (a.questionnaire_id, a.framework_id, a.target_level) == (
            "quick-check",
            "crm-maturity",
            3,
        )
        sha = a.questionnaire_sha256
    page = consultant.get(f"/assessments/{aid}").get_data(as_text=True)
    assert sha[:12] in page and "顾问甲" in page


def test_create_refuses_bad_fields_next_to_them(consultant: FlaskClient) -> None:
    token = csrf_token(consultant, "/assessments/new")
    data = {
        **PROFILE,
        "industry": "nonsense",
        "organization": "",
        "brand_primary": "red",
        "target_level": "9",
        "csrf_token": token,
    }
    response = consultant.post("/assessments/new", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for field in ("industry", "organization", "brand_primary", "target_level"):
        assert f'id="err-{field}"' in page, field
    assert "unknown industry" in page


def test_length_limits(consultant: FlaskClient) -> None:
    token = csrf_token(consultant, "/assessments/new")
    data = {**PROFILE, "organization": "x" * 501, "brand_footer": "y" * 201, "csrf_token": token}
    response = consultant.post("/assessments/new", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="err-organization"' in page and 'id="err-brand_footer"' in page


def test_post_without_csrf_is_refused(consultant: FlaskClient) -> None:
    response = consultant.post("/assessments/new", data=PROFILE)
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)


def test_edit_profile_keeps_questionnaire(app: Flask, consultant: FlaskClient) -> None:
    aid = create(consultant)
    page = consultant.get(f"/assessments/{aid}/edit").get_data(as_text=True)
    assert 'value="华东制造有限公司"' in page
    data = {**PROFILE, "organization": "新名字", "questionnaire": "full-audit"}
    response = post(consultant, f"/assessments/{aid}/edit", data, f"/assessments/{aid}/edit")
    assert response.status_code == 302
    with app.extensions["crmm_sessions"]() as session:
        a = session.get(Assessment, aid)
        assert a is not None and a.organization == "新名字" and a.questionnaire_id == "quick-check"


def test_brand_logo_checked_by_reports_brand(app: Flask, consultant: FlaskClient) -> None:
    token = csrf_token(consultant, "/assessments/new")
    data = {
        **PROFILE,
        "brand_name": "Acme 咨询",
        "csrf_token": token,
        "brand_logo": (io.BytesIO(b"GIF89a not a png"), "logo.png"),
    }
    response = consultant.post("/assessments/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "not a PNG image" in response.get_data(as_text=True)
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<rect width="10" height="10"/></svg>'
    )
    data["brand_logo"] = (io.BytesIO(svg), "logo.svg")
    data["csrf_token"] = csrf_token(consultant, "/assessments/new")
    response = consultant.post("/assessments/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.extensions["crmm_sessions"]() as session:
        a = session.query(Assessment).one()
        brand = json.loads(a.brand_json or "{}")
    assert brand["name"] == "Acme 咨询" and brand["logo"]["suffix"] == ".svg"


def test_invite_shows_links_once_with_qr_codes(app: Flask, consultant: FlaskClient) -> None:
    aid = create(consultant)
    lines = "lead-1, leadership, 总经办\nsales-1, sales, 华东销售部"
    response = post(consultant, f"/assessments/{aid}/respondents", {"lines": lines, "days": "14"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    urls = re.findall(r'href="(http://localhost/r/[^"]+)"', page)
    assert len(urls) == 2
    assert page.count('src="data:image/svg+xml') == 2
    with app.extensions["crmm_sessions"]() as session:
        invs = session.query(Invitation).all()
        assert len(invs) == 2 and all(inv.expires_at is not None for inv in invs)
        token = urls[0].rsplit("/", 1)[1]
        assert all(token not in inv.token_hash for inv in invs)
    overview = consultant.get(f"/assessments/{aid}").get_data(as_text=True)
    assert "总经办" in overview and urls[0] not in overview  # shown once only


def test_invite_one_new_link_and_revoke(app: Flask, consultant: FlaskClient) -> None:
    from assessment.web import invitations

    aid = create(consultant)
    data = {"rid": "it-1", "role": "it", "department": "IT", "name": "王五"}
    first = post(consultant, f"/assessments/{aid}/respondents", data).get_data(as_text=True)
    token1 = re.search(r"/r/([A-Za-z0-9_-]+)", first)
    assert token1
    with app.extensions["crmm_sessions"]() as session:
        rid = session.query(Respondent).one().id
    again = post(consultant, f"/assessments/{aid}/respondents/{rid}/link", {}).get_data(
        as_text=True
    )
    token2 = re.search(r"/r/([A-Za-z0-9_-]+)", again)
    assert token2 and token2.group(1) != token1.group(1)
    with app.extensions["crmm_sessions"]() as session:
        inv = invitations.opened(session, token1.group(1), "respondent")
        iid = inv.id
    response = post(consultant, f"/assessments/{aid}/links/{iid}/revoke", {})
    assert response.status_code == 302
    with app.extensions["crmm_sessions"]() as session:
        with pytest.raises(invitations.LinkGone):
            invitations.opened(session, token1.group(1), "respondent")
        assert invitations.opened(session, token2.group(1), "respondent")  # the new one works


def test_invite_refuses_bad_id_role_and_days(consultant: FlaskClient) -> None:
    aid = create(consultant)
    bad = [
        {"rid": "Bad Id", "role": "it"},
        {"rid": "ok-1", "role": "nope"},
        {"rid": "ok-2", "role": "it", "days": "9999"},
        {"rid": "ok-3", "role": "it", "department": "d" * 501},
    ]
    messages = ["is not an id", "未知角色", "有效天数为 1 到 365", "最多 500 个字符"]
    for data, message in zip(bad, messages, strict=True):
        response = post(consultant, f"/assessments/{aid}/respondents", data)
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), data
    assert "c-person" not in consultant.get(f"/assessments/{aid}").get_data(as_text=True)


def test_open_link(app: Flask, consultant: FlaskClient) -> None:
    aid = create(consultant)
    page = post(consultant, f"/assessments/{aid}/open-links", {"role": "sales"})
    assert page.status_code == 200 and "/o/" in page.get_data(as_text=True)
    with app.extensions["crmm_sessions"]() as session:
        assert session.query(Invitation).one().kind == "open"


def test_progress_per_respondent_and_role(app: Flask, consultant: FlaskClient) -> None:
    aid = create(consultant)
    lines = "lead-1, leadership, 总经办\nsales-1, sales, 销售"
    post(consultant, f"/assessments/{aid}/respondents", {"lines": lines})
    answer_all(app, aid, "lead-1")
    page = consultant.get(f"/assessments/{aid}").get_data(as_text=True)
    counts = re.findall(r'data-rid="([^"]+)">.*?class="c-count">(\d+) / (\d+)<', page, re.S)
    got = {rid: (int(a), int(b)) for rid, a, b in counts}
    assert got["lead-1"][0] == got["lead-1"][1] > 0
    assert got["sales-1"][0] == 0 and got["sales-1"][1] > 0


def test_results_without_answers_say_so(consultant: FlaskClient) -> None:
    aid = create(consultant)
    page = consultant.get(f"/assessments/{aid}/results").get_data(as_text=True)
    assert "还没有答案" in page
    assert consultant.get(f"/assessments/{aid}/export/result.json").status_code == 404


def test_results_dashboard_and_json_equal_crmm_score(
    app: Flask, consultant: FlaskClient, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from assessment.cli import cli

    aid = create(consultant, benchmark="illustrative")
    post(consultant, f"/assessments/{aid}/respondents", {"lines": "lead-1, leadership\nit-1, it"})
    answer_all(app, aid, "lead-1", 4)
    answer_all(app, aid, "it-1", 2)
    page = consultant.get(f"/assessments/{aid}/results?lang=en").get_data(as_text=True)
    assert "<svg" in page and 'class="c-percentile"' in page and "c-agreement" in page
    by_role = re.search(r'<table class="c-by-role">.*?</table>', page, re.S)
    assert by_role and "Leadership" in by_role.group(0) and "IT" in by_role.group(0)
    cells = re.findall(r"<td>(\d+\.\d)</td>", by_role.group(0))
    assert "75.0" in cells and "25.0" in cells  # level 4 and level 2 answers, by role
    raw = consultant.get(f"/assessments/{aid}/export/responses.yaml")
    assert raw.status_code == 200 and "attachment" in raw.headers["Content-Disposition"]
    assert "filename*=UTF-8''" in raw.headers["Content-Disposition"]
    (tmp_path / "responses.yaml").write_bytes(raw.data)
    got = consultant.get(f"/assessments/{aid}/export/result.json").data
    monkeypatch.chdir(tmp_path)
    args = ["score", "responses.yaml", "--format", "json", "--target-level", "3"]
    out = CliRunner().invoke(cli, [*args, "--benchmark", "illustrative"])
    assert out.exit_code == 0, out.output
    assert got == out.stdout_bytes


def test_docx_and_xlsx_downloads(app: Flask, consultant: FlaskClient) -> None:
    aid = create(consultant, organization='=HYPERLINK("http://evil")')
    post(
        consultant,
        f"/assessments/{aid}/respondents",
        {"rid": "s-1", "role": "sales", "department": '=HYPERLINK("http://x","y")'},
    )
    answer_all(app, aid, "s-1")
    docx = consultant.get(f"/assessments/{aid}/export/report-en.docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    xlsx = consultant.get(f"/assessments/{aid}/export/plan-zh-CN.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx.data))
    cells = [
        c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)
    ]
    assert not any(v.startswith("=") for v in cells)  # formula injection escaped as text
    assert '\'=HYPERLINK("http://evil")' in cells  # the organisation, kept as text
    assert consultant.get(f"/assessments/{aid}/export/nothing.exe").status_code == 404


@pytest.mark.slow
def test_board_deck_download_is_the_cli_deck(
    app: Flask, consultant: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PPTX deck downloaded equals `crmm report … -o deck.pptx` of the downloaded
    responses file, byte for byte (the same make_report call)."""
    from click.testing import CliRunner

    from assessment.cli import cli

    aid = create(consultant)
    post(consultant, f"/assessments/{aid}/respondents", {"rid": "s-1", "role": "sales"})
    answer_all(app, aid, "s-1")
    deck = consultant.get(f"/assessments/{aid}/export/deck-en.pptx")
    assert deck.status_code == 200 and deck.data[:2] == b"PK"
    assert "presentationml" in deck.headers["Content-Type"]
    (tmp_path / "responses.yaml").write_bytes(
        consultant.get(f"/assessments/{aid}/export/responses.yaml").data
    )
    monkeypatch.chdir(tmp_path)
    args = ["report", "responses.yaml", "-o", "deck.pptx", "--lang", "en", "--target-level", "3"]
    out = CliRunner().invoke(cli, args)
    assert out.exit_code == 0, out.output
    assert (tmp_path / "deck.pptx").read_bytes() == deck.data


def test_hostile_text_is_inert_in_pages(app: Flask, consultant: FlaskClient) -> None:
    evil = "<script>alert(1)</script>"
    aid = create(consultant, organization=f"Org {evil}", brand_footer=f"F {evil}")
    post(
        consultant,
        f"/assessments/{aid}/respondents",
        {"rid": "s-1", "role": "sales", "department": f"D {evil}", "name": evil},
    )
    answer_all(app, aid, "s-1")
    for url in (
        "/",
        f"/assessments/{aid}",
        f"/assessments/{aid}/results",
        f"/assessments/{aid}/edit",
        f"/assessments/{aid}/import",
    ):
        page = consultant.get(url).get_data(as_text=True)
        assert "<script>" not in page, url
        assert "&lt;script&gt;" in page, url
    raw = consultant.get(f"/assessments/{aid}/export/responses.yaml").data
    assert yaml.safe_load(raw)["respondents"][0]["department"] == f"D {evil}"


def test_import_responses_file(app: Flask, consultant: FlaskClient) -> None:
    first = create(consultant)
    post(consultant, f"/assessments/{first}/respondents", {"lines": "lead-1, leadership"})
    answer_all(app, first, "lead-1", 4)
    raw = consultant.get(f"/assessments/{first}/export/responses.yaml").data
    second = create(consultant, organization="第二家")
    url = f"/assessments/{second}/import"

    def upload(data: bytes, name: str, **extra: str) -> Any:
        form = {
            "file": (io.BytesIO(data), name),
            "csrf_token": csrf_token(consultant, url),
            **extra,
        }
        return consultant.post(url, data=form, content_type="multipart/form-data")

    done = upload(raw, "../../etc/passwd/responses.yaml")
    assert done.status_code == 200, done.get_data(as_text=True)
    assert "已导入 1 位答卷人" in done.get_data(as_text=True)
    again = upload(raw, "responses.yaml")
    assert again.status_code == 400 and "already a respondent" in again.get_data(as_text=True)
    renamed = upload(raw, "responses.yaml", rename="1")
    assert renamed.status_code == 200 and "lead-1-2" in renamed.get_data(as_text=True)
    with app.extensions["crmm_sessions"]() as session:
        rows = session.query(Respondent).filter_by(assessment_id=second).all()
        assert {(r.rid, r.source) for r in rows} == {("lead-1", "import"), ("lead-1-2", "import")}
    other_q = raw.replace(b"id: quick-check", b"id: full-audit")
    wrong = upload(other_q, "responses.yaml")
    assert wrong.status_code == 400
    assert (
        "answers are for full-audit 1.1.0, but the questionnaire is quick-check"
        in wrong.get_data(as_text=True)
    )
    bad_value = raw.replace(b"\n    qc-09: 4\n", b"\n    qc-09: 9\n")
    assert bad_value != raw
    refused = upload(bad_value, "r.yaml")
    assert refused.status_code == 400
    assert "qc-09" in refused.get_data(as_text=True)
    assert upload(b"\x00\x01", "evil.exe").status_code == 400


def test_compare_with_previous(app: Flask, consultant: FlaskClient) -> None:
    before = create(consultant, date="2025-11-30")
    post(consultant, f"/assessments/{before}/respondents", {"lines": "lead-1, leadership"})
    answer_all(app, before, "lead-1", 2)
    now = create(consultant, previous_id=str(before))
    post(consultant, f"/assessments/{now}/respondents", {"lines": "lead-1, leadership"})
    answer_all(app, now, "lead-1", 4)
    page = consultant.get(f"/assessments/{now}/compare?lang=en").get_data(as_text=True)
    assert "c-compare" in page and "+" in page and "<svg" in page
    assert consultant.get(f"/assessments/{now}/compare?with=999").status_code == 404


def _evidence(app: Flask, aid: int) -> str:
    with app.extensions["crmm_sessions"]() as session:
        resp = session.query(Respondent).filter_by(assessment_id=aid).first()
        assert resp is not None
        data = b"%PDF-1.4 evidence"
        import hashlib

        sha = hashlib.sha256(data).hexdigest()
        session.add(
            EvidenceFile(sha256=sha, size=len(data), media_type="application/pdf", data=data)
        )
        session.add(
            EvidenceUpload(
                assessment_id=aid,
                respondent_id=resp.id,
                question_id="q1",
                sha256=sha,
                filename="合同 <b>.pdf",
            )
        )
        session.commit()
        return sha


def test_evidence_served_to_owner_only(app: Flask, consultant: FlaskClient) -> None:
    aid = create(consultant)
    post(consultant, f"/assessments/{aid}/respondents", {"rid": "s-1", "role": "sales"})
    sha = _evidence(app, aid)
    with app.extensions["crmm_sessions"]() as session:
        rid = session.query(Respondent).one().id
    listing = consultant.get(f"/assessments/{aid}/respondents/{rid}").get_data(as_text=True)
    assert f"/assessments/{aid}/evidence/{sha}" in listing and "合同 &lt;b&gt;.pdf" in listing
    got = consultant.get(f"/assessments/{aid}/evidence/{sha}")
    assert got.status_code == 200 and got.data == b"%PDF-1.4 evidence"
    assert got.mimetype == "application/pdf"
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert consultant.get(f"/assessments/{aid}/evidence/{'0' * 64}").status_code == 404


# --- another consultant: 404 on every URL ----------------------------------------------------


def test_every_url_of_another_consultants_assessment_is_404(
    app: Flask, consultant: FlaskClient
) -> None:
    aid = create(consultant)
    post(consultant, f"/assessments/{aid}/respondents", {"rid": "s-1", "role": "sales"})
    answer_all(app, aid, "s-1")
    sha = _evidence(app, aid)
    with app.extensions["crmm_sessions"]() as session:
        rid = session.query(Respondent).one().id
        iid = session.query(Invitation).one().id
    values = {"aid": aid, "rid": rid, "iid": iid, "sha256": sha, "kind": "responses.yaml"}
    assert consultant.get(f"/assessments/{aid}/export/responses.yaml").status_code == 200
    bo = app.test_client()
    add_user(app, "bo@example.com")
    login(bo, "bo@example.com")
    token = csrf_token(bo, "/")
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("consultant.") or "aid" not in rule.arguments:
            continue
        url = rule.build(values)[1]
        for method in ("GET", "POST"):
            response = bo.open(url, method=method, data={"csrf_token": token})
            assert response.status_code == 404, (method, url, response.status_code)
            checked += 1
        assert consultant.get(url).status_code in (200, 302, 405), url  # the owner's do work
    assert checked >= 2 * 12


def test_import_survey_export(app: Flask, consultant: FlaskClient) -> None:
    from pathlib import Path

    export = Path(__file__).parents[1] / "fixtures" / "surveys" / "plain.csv"
    aid = create(consultant)
    url = f"/assessments/{aid}/import"
    form = {
        "file": (io.BytesIO(export.read_bytes()), "plain.csv"),
        "csrf_token": csrf_token(consultant, url),
    }
    done = consultant.post(url, data=form, content_type="multipart/form-data")
    page = done.get_data(as_text=True)
    assert done.status_code == 200, page
    assert "已导入 3 位答卷人" in page and "(csv)" in page
    raw = yaml.safe_load(consultant.get(f"/assessments/{aid}/export/responses.yaml").data)
    people = {r["id"]: r for r in raw["respondents"]}
    assert set(people) == {"r1", "r2", "r3"}
    assert people["r1"]["department"] == "总经理办公室"
    assert people["r1"]["answers"]["qc-04"] == "partly"
    assert raw["organization"]["name"] == "华东制造有限公司"  # the assessment's profile


def test_upload_too_large_is_refused(app: Flask, consultant: FlaskClient) -> None:
    aid = create(consultant)
    url = f"/assessments/{aid}/import"
    big = b"x" * (13 * 1024 * 1024)
    form = {"file": (io.BytesIO(big), "big.yaml"), "csrf_token": csrf_token(consultant, url)}
    response = consultant.post(url, data=form, content_type="multipart/form-data")
    assert response.status_code == 413


def test_action_url_opened_with_get_goes_back(consultant: FlaskClient) -> None:
    aid = create(consultant)
    response = consultant.get(f"/assessments/{aid}/respondents?lang=en")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/assessments/{aid}?lang=en")


def test_changed_questionnaire_is_said_not_a_server_error(
    app: Flask, consultant: FlaskClient
) -> None:
    aid = create(consultant)
    with app.extensions["crmm_sessions"]() as session:
        a = session.get(Assessment, aid)
        assert a is not None
        a.questionnaire_sha256 = "0" * 64
        session.commit()
    response = consultant.get(f"/assessments/{aid}")
    assert response.status_code == 409
    assert "install the crmm release it was made with" in response.get_data(as_text=True)


def test_report_with_previous_assessment(app: Flask, consultant: FlaskClient) -> None:
    from assessment.web import exports

    before = create(consultant, date="2025-11-30")
    post(consultant, f"/assessments/{before}/respondents", {"lines": "lead-1, leadership"})
    answer_all(app, before, "lead-1", 2)
    now = create(consultant, previous_id=str(before))
    post(consultant, f"/assessments/{now}/respondents", {"lines": "lead-1, leadership"})
    answer_all(app, now, "lead-1", 4)
    with app.extensions["crmm_sessions"]() as session:
        a = session.get(Assessment, now)
        assert a is not None
        previous = exports.previous_result(session, a)
        assert previous is not None and str(previous.date) == "2025-11-30"
    docx = consultant.get(f"/assessments/{now}/export/report-en.docx")
    assert docx.status_code == 200
    import zipfile

    body = zipfile.ZipFile(io.BytesIO(docx.data)).read("word/document.xml").decode()
    assert "30 November 2025" in body  # the progress section names the earlier assessment


def test_previous_must_be_earlier(consultant: FlaskClient) -> None:
    later = create(consultant, date="2027-01-01")
    token = csrf_token(consultant, "/assessments/new")
    data = {**PROFILE, "previous_id": str(later), "csrf_token": token}
    response = consultant.post("/assessments/new", data=data)
    assert response.status_code == 400
    assert 'id="err-previous_id"' in response.get_data(as_text=True)


def test_import_crmm_workbook(app: Flask, consultant: FlaskClient, tmp_path: Any) -> None:
    from questionnaires.export import export_questionnaire
    from questionnaires.loader import load_questionnaire

    from ..test_questionnaire_export import PROFILE as BOOK_PROFILE
    from ..test_questionnaire_export import _fill

    q, fw = load_questionnaire("quick-check")
    blank = tmp_path / "form.xlsx"
    blank.write_bytes(export_questionnaire(q, fw, "xlsx", "en"))
    cells = {x.id: 4 for x in q.questions if x.type == "anchored"}
    profile = {**BOOK_PROFILE, "respondent.id": "wb-1"}
    book = _fill(blank, cells, profile, tmp_path / "filled.xlsx")
    aid = create(consultant)
    url = f"/assessments/{aid}/import"
    form = {
        "file": (io.BytesIO(book.read_bytes()), "访谈 filled.xlsx"),
        "csrf_token": csrf_token(consultant, url),
    }
    done = consultant.post(url, data=form, content_type="multipart/form-data")
    page = done.get_data(as_text=True)
    assert done.status_code == 200, page
    assert "(workbook)" in page
    raw = yaml.safe_load(consultant.get(f"/assessments/{aid}/export/responses.yaml").data)
    person = raw["respondents"][0]
    assert (person["id"], person["role"]) == ("wb-1", "leadership")
    assert person["answers"] == {qid: 4 for qid in cells}
