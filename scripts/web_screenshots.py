"""The README's pictures of `crmm serve`: run `python scripts/web_screenshots.py` (chromium and
Playwright needed, as for the tests) to write docs/images/web-*.png anew.

A throw-away database gets a consultant, the demo company's finished audit (assessment/web/
demo.py) and a new self-assessment made through the pages; chromium, driven by Playwright,
visits each main page at a laptop's width, and the respondent's pages at a phone's.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright
from waitress.server import create_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assessment.web import create_app  # noqa: E402
from assessment.web.demo import seed_demo  # noqa: E402
from assessment.web.models import User  # noqa: E402
from assessment.web.security import hash_password  # noqa: E402

OUT = ROOT / "docs" / "images"
EMAIL, PASSWORD = "ana@example.com", "a long enough password"
LAPTOP = {"viewport": {"width": 1100, "height": 760}}
PHONE = {"viewport": {"width": 390, "height": 760}, "is_mobile": True, "has_touch": True}


def shot(page: object, name: str) -> None:
    """A screenshot, reduced to 256 colours (the README stays light)."""
    path = OUT / f"web-{name}.png"
    page.screenshot(path=str(path))  # type: ignore[attr-defined]
    Image.open(path).convert("RGB").quantize(256).save(path, optimize=True)
    print("wrote", path.relative_to(ROOT))


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    app = create_app({"DATABASE": str(folder / "crmm.sqlite")})
    with app.extensions["crmm_sessions"]() as session:
        user = User(email=EMAIL, name="Ana Li", password_hash=hash_password(PASSWORD))
        session.add(user)
        session.commit()
        demo = seed_demo(session, user, "en").id
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    base = f"http://127.0.0.1:{server.socket.getsockname()[1]}"  # type: ignore[union-attr]
    threading.Thread(target=server.run, daemon=True).start()
    with sync_playwright() as p:
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_context(locale="en", **LAPTOP).new_page()
        page.goto(base + "/login")
        page.fill("#email", EMAIL)
        page.fill("#password", PASSWORD)
        page.locator("button[type=submit]").click()

        page.goto(base + "/assessments/new")
        page.fill("#f-organization", "璟昇贸易（上海）有限公司")
        page.select_option("#f-industry", "retail")
        page.select_option("#f-questionnaire", "quick-check")
        page.select_option("#f-target_level", "3")
        shot(page, "new-assessment")
        page.locator("form.c-form button[type=submit]").click()
        page.fill(
            "#i-lines",
            "lead-1, leadership, 总经理办公室\nsales-1, sales, 华东销售部\n"
            "svc-1, service, 客服中心",
        )
        page.locator("form", has=page.locator("#i-lines")).locator("button").click()
        shot(page, "links")
        links = page.locator("a.c-url").all_inner_texts()
        mine = page.url.split("/links")[0] if "/links" in page.url else None

        phone = browser.new_context(locale="zh-CN", **PHONE).new_page()
        phone.goto(links[1])
        for fieldset in phone.locator("fieldset.question").all()[:1]:
            fieldset.locator("input[type=radio][value='2']").check()
        phone.wait_for_timeout(400)
        shot(phone, "respondent-phone")
        phone.goto(links[1] + "/review")
        shot(phone, "review-phone")

        page.goto(base + "/")
        shot(page, "assessments")
        if mine:
            page.goto(mine)
        page.goto(base + f"/assessments/{demo}")
        page.locator("#progress").scroll_into_view_if_needed()
        shot(page, "progress")
        page.goto(base + f"/assessments/{demo}/results")
        shot(page, "dashboard")
        browser.close()
    server.close()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
