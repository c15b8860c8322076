"""In chromium: the one-time setup link makes the first administrator, who adds a consultant
and disables them on the admin page — on a phone, with nothing blocked by the CSP."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from assessment.web import accounts

from .conftest import PHONE

pytestmark = pytest.mark.slow

PW = "a long enough password"


def test_first_admin_then_a_consultant_in_chromium(
    app: Flask, live_server: str, browser: Any
) -> None:
    with app.extensions["crmm_sessions"]() as session:
        token = accounts.new_setup_token(session)
    context = browser.new_context(locale="en-GB", **PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/setup/{token}")
    assert page.locator("h1").inner_text() == "Create the first administrator"
    page.get_by_label("E-mail").fill("root@example.com")
    page.get_by_label("Name").fill("Root")
    page.get_by_label("Password", exact=True).fill(PW)
    page.get_by_label("Password again").fill(PW)
    page.get_by_role("button", name="Create administrator").tap()
    page.wait_for_url(f"{live_server}/admin/users")
    assert "root@example.com (you)" in page.locator("table.users").inner_text()

    form = page.locator("form", has=page.get_by_role("button", name="Add a user"))
    form.get_by_label("E-mail").fill("ana@example.com")
    form.get_by_label("Name").fill("Ana")
    form.get_by_label("Password", exact=True).fill(PW)
    form.get_by_label("Password again").fill(PW)
    form.get_by_role("button", name="Add a user").tap()
    expect(page.get_by_role("status")).to_have_text("User ana@example.com added.")
    row = page.locator("tr", has_text="ana@example.com")
    assert "Consultant" in row.inner_text() and "Active" in row.inner_text()
    disable = row.get_by_role("button", name="Disable")
    assert disable.bounding_box()["height"] >= 44  # a touch target
    disable.tap()
    expect(page.get_by_role("status")).to_contain_text("signed out at their next request")
    expect(page.locator("tr", has_text="ana@example.com")).to_contain_text("Disabled")
    assert not errors, errors  # nothing the CSP blocked
    context.close()
    with app.extensions["crmm_sessions"]() as session:
        assert [(u.email, u.active) for u in accounts.users(session)] == [
            ("root@example.com", True),
            ("ana@example.com", False),
        ]
