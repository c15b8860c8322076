"""The consultant's journey in Debian's chromium: sign in, create an assessment, invite two
respondents, a respondent's link opened in another browser context, progress, the PDF
downloaded and `crmm verify` passing on it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask

from assessment.cli import cli

from .conftest import PASSWORD, add_user
from .test_consult import answer_all

pytestmark = pytest.mark.slow


def _saved_within(app: Flask, aid: int, rid: str, qid: str, seconds: float) -> bool:
    """Whether the respondent's answer to `qid` is stored within `seconds` (autosave)."""
    import time

    from assessment.web.models import AnswerRow, Respondent

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with app.extensions["crmm_sessions"]() as session:
            row = (
                session.query(AnswerRow)
                .join(Respondent, Respondent.id == AnswerRow.respondent_id)
                .filter(Respondent.assessment_id == aid, Respondent.rid == rid)
                .filter(AnswerRow.question_id == qid, AnswerRow.value_json.is_not(None))
                .first()
            )
            if row is not None:
                return True
        time.sleep(0.2)
    return False


def test_consultant_journey(app: Flask, live_server: str, browser: Any, tmp_path: Path) -> None:
    add_user(app, "ana@example.com", name="Ana")
    context = browser.new_context(locale="en-GB", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(live_server + "/login")
    page.fill("#email", "ana@example.com")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server + "/")
    page.click("text=New assessment")
    page.fill("#f-organization", "华东制造有限公司")
    page.select_option("#f-industry", "manufacturing")
    page.select_option("#f-size", "medium")
    page.select_option("#f-region", "east-china")
    page.select_option("#f-questionnaire", "quick-check")
    page.fill("#f-assessor", "Consultant A")  # an audit: the appendices stay in the report
    page.click("button.primary")
    page.wait_for_url(re.compile(r".*/assessments/\d+$"))
    aid = int(page.url.rsplit("/", 1)[1])
    assert page.locator("h1").inner_text() == "华东制造有限公司"

    page.fill("#i-lines", "lead-1, leadership, 总经办\nsales-1, sales, 华东销售部")
    page.click("text=Add all and make links")
    links = page.locator("a.c-url").all_inner_texts()
    assert len(links) == 2 and all("/r/" in x for x in links)
    assert page.locator("img.c-qr").count() == 2

    other = browser.new_context(locale="zh-CN")
    respondent = other.new_page()
    response = respondent.goto(links[0])
    assert response is not None
    if "respond.start" in app.view_functions:  # the respondent's pages: answer one there
        assert response.status == 200
        choice = respondent.locator("fieldset.question input[type=radio]").first
        choice.check()
        qid = str(choice.get_attribute("name"))[2:]
        assert _saved_within(app, aid, "lead-1", qid, seconds=15)
    answer_all(app, aid, "lead-1", 4)  # the rest through the store, as the pages save them
    other.close()

    page.goto(f"{live_server}/assessments/{aid}")
    row = page.locator('tr.c-person[data-rid="lead-1"] .c-count').inner_text()
    done, asked = (int(x) for x in row.split("/"))
    assert done == asked > 0
    assert page.locator('tr.c-person[data-rid="sales-1"] .c-count').inner_text().startswith("0 /")

    with page.expect_download(timeout=120_000) as info:
        page.click("text=PDF zh-CN")
    download = info.value
    pdf = tmp_path / "report.pdf"
    download.save_as(pdf)
    assert download.suggested_filename.endswith("report-zh-CN.pdf")
    verified = CliRunner().invoke(cli, ["verify", str(pdf)])
    assert verified.exit_code == 0, verified.output
    assert not errors, errors  # nothing the CSP blocked
    context.close()
