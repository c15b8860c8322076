"""End to end in Debian's chromium: a respondent on a phone answers by tapping, reloads and
finds the answers and the page again, opens the link in a second browser that resumes
there, and submits."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from assessment.web.models import AnswerRow

from .conftest import PHONE
from .respond_fixtures import make_survey

pytestmark = pytest.mark.slow


def _choose(page: Any, qid: str, value: str) -> None:
    """Tap a choice's card (its label) and wait for the saved status."""
    page.locator(f'#q-{qid} label.choice:has(input[value="{value}"])').click()
    status = page.locator(f"#s-{qid}")
    status.locator(".ok").wait_for()
    assert status.inner_text() in ("已保存", "Saved"), status.inner_text()


def test_answer_on_a_phone_reload_resume_elsewhere_submit(
    app: Flask, live_server: str, browser: Any
) -> None:
    survey = make_survey(app)
    link = f"{live_server}/r/{survey.tokens['sales-a']}"
    phone = browser.new_context(locale="zh-CN", **PHONE)
    page = phone.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(link)
    assert page.url.endswith("/p/1")
    assert page.locator("h1").inner_text().startswith("要素 1/7 · ")
    card = page.locator("#q-fa-lead-05 label.choice").first.bounding_box()
    assert card is not None and card["height"] >= 44
    _choose(page, "fa-lead-02", "4")
    _choose(page, "fa-lead-05", "2")
    assert page.locator("#progress-text").inner_text() == "要素 1/7 · 已答 2/48 题"
    # an out-of-range value cannot be tapped; a comment is saved when the field is left
    page.locator("#q-fa-lead-09 details.extra summary").first.click()
    page.fill("#c-fa-lead-09", "我们<有>例会")
    page.locator("#c-fa-lead-09").blur()
    page.locator("#s-fa-lead-09 .ok").wait_for()

    page.reload()
    assert page.url.endswith("/p/1")
    assert page.locator('input[name="v-fa-lead-02"][value="4"]').is_checked()
    assert page.locator('input[name="v-fa-lead-05"][value="2"]').is_checked()
    assert page.locator("#c-fa-lead-09").input_value() == "我们<有>例会"

    page.locator('button[value="next"]').click()
    page.wait_for_url("**/p/2")
    _choose(page, "fa-strat-03", "5")

    # the same link in another browser (a laptop, in English): resumes on page 2
    laptop = browser.new_context(locale="en-GB")
    other = laptop.new_page()
    other.goto(link + "?lang=en")
    assert other.url.split("?")[0].endswith("/p/2")
    assert "Element 2/7" in other.locator("h1").inner_text()
    assert other.locator('input[name="v-fa-strat-03"][value="5"]').is_checked()
    assert other.locator("#progress-text").inner_text() == "Element 2/7 · 3 of 48 answered"

    # keyboard: arrow keys move within a radio group and save
    other.locator('input[name="v-fa-strat-07"]').first.focus()
    other.keyboard.press("Space")
    other.locator("#s-fa-strat-07 .ok").wait_for()
    other.keyboard.press("ArrowDown")
    other.wait_for_function(
        'document.querySelector(\'input[name="v-fa-strat-07"][value="2"]\').checked'
    )
    other.locator("#s-fa-strat-07 .ok").wait_for()

    # to the review page through Next, then submit
    for _ in range(7):
        if "/review" in other.url:
            break
        with other.expect_navigation():  # click() does not wait for the next page
            other.locator('button[value="next"]').click()
    assert other.url.endswith("/review")
    assert "44 questions are not answered yet" in other.locator("main").inner_text()
    other.locator('form.submit-box button[type="submit"]').click()
    other.wait_for_url("**/done")
    assert "Thank you" in other.locator("h1").inner_text()
    # the phone now gets the thank-you page too
    page.goto(link)
    assert page.url.endswith("/done")
    assert not errors, errors  # nothing the CSP blocked
    with app.extensions["crmm_sessions"]() as s:
        saved = {r.question_id: (r.value_json, r.comment) for r in s.query(AnswerRow)}
    assert saved == {
        "fa-lead-02": ("4", None),
        "fa-lead-05": ("2", None),
        "fa-lead-09": (None, "我们<有>例会"),
        "fa-strat-03": ("5", None),
        "fa-strat-07": ("2", None),
    }
    phone.close()
    laptop.close()


def test_copy_button_and_own_link_after_an_open_link(
    app: Flask, live_server: str, browser: Any
) -> None:
    survey = make_survey(app)
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/o/{survey.open_token}")
    page.fill("#department", "华东销售")
    page.locator('button[type="submit"]').click()
    page.wait_for_url("**/p/1?joined=1")
    own = page.locator("#own-link").input_value()
    assert own.startswith(f"{live_server}/r/") and own != page.url
    _choose(page, "fa-lead-02", "3")
    fresh = browser.new_context()
    other = fresh.new_page()
    other.goto(own)
    assert other.locator('input[name="v-fa-lead-02"][value="3"]').is_checked()
    context.close()
    fresh.close()
