"""Issue 13's "done when", as a new user does it: `crmm serve` (a real server process, on
SQLite and on PostgreSQL), the first administrator made from the setup link, an assessment
created in the browser, three respondents answering through their links (one on a phone),
the zh-CN PDF downloaded and `crmm verify` passing on it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import PHONE
from .served import Served

pytestmark = pytest.mark.slow

ORG = "璟昇贸易（上海）有限公司"  # a name with characters beyond GB 2312
PEOPLE = "lead-1, leadership, 总经理办公室\nsales-1, sales, 华东销售部\nsvc-1, service, 客服中心"
PW = "a long enough password"


def answer_every_page(page: Any, level: str) -> int:
    """Answer every question of every page as a respondent would (the level's radio, the
    first option, a number, a sentence), going on with "next" until the review page."""
    pages = 0
    while page.locator("form#answers").count():
        for fieldset in page.locator("fieldset.question").all():
            radios = fieldset.locator("input[type=radio]:not([value=na])")
            boxes = fieldset.locator("input[type=checkbox]:not([value=na])")
            if radios.count():
                wanted = fieldset.locator(f"input[type=radio][value='{level}']")
                (wanted if wanted.count() else radios.first).check()
            elif boxes.count():
                boxes.first.check()
            elif fieldset.locator("input[type=number]").count():
                fieldset.locator("input[type=number]").fill(level)
            else:
                fieldset.locator("textarea[name^=v-]").fill("门店与客服之间的信息不通。")
        with page.expect_navigation():  # click() does not wait for the next page
            page.locator("button[name=go][value=next]").click()
        pages += 1
    return pages


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_serve_invite_answer_download_verify(
    database: str, browser: Any, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    db = (
        request.getfixturevalue("fresh_postgres")
        if database == "postgresql"
        else str(tmp_path / "crmm.sqlite")
    )
    served = Served(tmp_path, "--db", db)
    try:
        link = re.search(r"open (\S+/setup/\S+)", served.setup_line())
        assert link, "no setup link printed"
        desk = browser.new_context(locale="zh-CN", accept_downloads=True)
        page = desk.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(link.group(1))
        page.fill("#email", "root@example.com")
        page.fill("#name", "Root")
        page.fill("#password", PW)
        page.fill("#password2", PW)
        with page.expect_navigation():
            page.locator("button[type=submit]").click()

        page.goto(served.url + "/assessments/new")
        page.fill("#f-organization", ORG)
        page.select_option("#f-industry", "retail")
        page.select_option("#f-questionnaire", "quick-check")
        page.select_option("#f-target_level", "3")
        with page.expect_navigation():
            page.locator("form.c-form button[type=submit]").click()
        assert page.locator("h1").inner_text() == ORG

        page.fill("#i-lines", PEOPLE)
        with page.expect_navigation():
            page.locator("form", has=page.locator("#i-lines")).locator("button").click()
        links = page.locator("a.c-url").all_inner_texts()
        assert len(links) == 3 and all("/r/" in x for x in links)

        for i, url in enumerate(links):  # the second respondent answers on a phone
            ctx = browser.new_context(locale="zh-CN", **(PHONE if i == 1 else {}))
            who = ctx.new_page()
            who.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            who.goto(url)
            assert answer_every_page(who, str(2 + i)) >= 1
            who.locator("form.submit-box button[type=submit]").click()
            who.wait_for_url(re.compile(r"/done$"))
            ctx.close()

        page.goto(page.url)
        progress = page.locator("#progress").inner_text()
        assert "3" in progress
        with page.expect_download() as download:
            page.locator("a", has_text="PDF zh-CN").first.click()
        pdf = tmp_path / "report.pdf"
        download.value.save_as(pdf)
        assert not errors, errors  # nothing the CSP blocked, no failed request
        desk.close()
    finally:
        served.stop()
    checked = subprocess.run(
        [sys.executable, "-m", "assessment", "verify", str(pdf)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert ORG in text and "客户管理成熟度评估报告" in text
