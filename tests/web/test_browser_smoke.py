"""The browser fixtures work: chromium opens the sign-in page served by waitress, and the
page is in the language the browser asks for, with the bundled stylesheet applied."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import PHONE

pytestmark = pytest.mark.slow


def test_sign_in_page_in_chromium_on_a_phone(live_server: str, browser: Any) -> None:
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server + "/login")
    assert page.locator("h1").inner_text() == "登录"
    assert page.locator("button[type=submit]").bounding_box()["height"] >= 44
    assert not errors, errors  # nothing the CSP blocked
    context.close()
