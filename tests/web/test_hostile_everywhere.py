"""Markup in every text a consultant or a respondent can type is inert everywhere it shows:
the pages (escaped), the PDF (printed as text), and the exports (YAML, DOCX, XLSX, PPTX keep
it as plain text; no cell starts a formula). And every page carries the security headers,
with no inline script, event handler or style attribute the CSP would have to allow."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from .respond_fixtures import page_csrf
from .test_consult import create, post

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example","click")'


def _respondent_link(page: str) -> str:
    found = re.search(r'href="https?://[^/"]+(/r/[\w-]+)"', page)
    assert found, "no respondent link on the links page"
    return found.group(1)


def _fill_in(app: Flask, consultant: FlaskClient) -> tuple[int, str]:
    """An assessment whose every text field holds markup, answered through the respondent's
    own save route (text answer, comments, evidence references)."""
    aid = create(
        consultant,
        organization=f"Org {EVIL}",
        assessor=f"A {EVIL}",
        brand_name=f"B {EVIL}",
        brand_footer=f"F {EVIL}",
        brand_confidentiality=f"C {EVIL}",
    )
    links = post(
        consultant,
        f"/assessments/{aid}/respondents",
        {"rid": "s-1", "role": "sales", "department": FORMULA, "name": f"N {EVIL}"},
    )
    assert links.status_code == 200, links.get_data(as_text=True)[:500]
    path = _respondent_link(links.get_data(as_text=True))
    respondent = app.test_client()
    first = respondent.get(path, follow_redirects=True)
    token = page_csrf(first.get_data(as_text=True))
    from assessment.web import store
    from assessment.web.models import Assessment

    with app.extensions["crmm_sessions"]() as session:
        a = session.get(Assessment, aid)
        assert a is not None
        q, fw = store.pinned(a)
        pages = store.questions_for(q, fw, "sales")
    for page in pages:
        for question in page:
            if question.type == "text":
                value = f"T {EVIL}"
            elif question.type == "kpi":
                assert question.kpi is not None
                value = str(question.kpi.thresholds[1])
            elif question.type in ("anchored", "likert"):
                value = "3"
            elif question.type == "yes_partly_no":
                value = "partly"
            else:
                assert question.options is not None
                value = question.options[0].id
            saved = respondent.post(
                path + "/answer",
                data={
                    "question": question.id,
                    "value": value,
                    "comment": f"c {EVIL}",
                    "evidence": f"e {EVIL}",
                },
                headers={"X-CSRFToken": token},
            )
            assert saved.status_code == 200, saved.get_data(as_text=True)
    return aid, path


def _no_live_markup(html: str, where: str) -> None:
    assert "<script>alert" not in html and "<img src=x" not in html, where
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"{where}: inline script"
    assert not re.search(r"\son[a-z]+\s*=", html.replace("onerror=alert", "")), where
    assert not re.search(r"<[^>]+\sstyle=", html), f"{where}: style attribute"


def _headers_hold(response: Any, where: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    script_src = re.search(r"script-src ([^;]*)", csp)
    assert script_src and "'unsafe-inline'" not in script_src.group(1), where
    assert "frame-ancestors 'none'" in csp, where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "no-referrer", where


def test_markup_in_every_field_is_inert_in_pages(app: Flask, consultant: FlaskClient) -> None:
    aid, path = _fill_in(app, consultant)
    respondent = app.test_client()
    pages = {
        url: consultant.get(url)
        for url in (
            "/",
            f"/assessments/{aid}",
            f"/assessments/{aid}/results",
            f"/assessments/{aid}/edit",
            f"/assessments/{aid}/import",
            f"/assessments/{aid}/compare",
            "/login",
        )
    }
    pages |= {url: respondent.get(url) for url in (path + "/p/1", path + "/review", "/r/nope")}
    rid = re.search(rf'/assessments/{aid}/respondents/(\d+)"', pages[f"/assessments/{aid}"].text)
    assert rid
    pages["respondent"] = consultant.get(f"/assessments/{aid}/respondents/{rid.group(1)}")
    for where, response in pages.items():
        html = response.get_data(as_text=True)
        _no_live_markup(html, where)
        _headers_hold(response, where)
    assert "&lt;script&gt;" in pages[f"/assessments/{aid}"].text
    assert "&lt;script&gt;" in pages[path + "/p/1"].text  # the comment, shown as typed


@pytest.mark.slow
def test_markup_in_every_field_is_text_in_the_pdf_and_exports(
    app: Flask, consultant: FlaskClient, tmp_path: Path
) -> None:
    aid, _path = _fill_in(app, consultant)

    def get(kind: str) -> bytes:
        response = consultant.get(f"/assessments/{aid}/export/{kind}")
        assert response.status_code == 200, kind
        assert "attachment" in response.headers["Content-Disposition"], kind
        return bytes(response.data)

    data = yaml.safe_load(get("responses.yaml"))
    assert data["organization"]["name"] == f"Org {EVIL}"
    answers = data["respondents"][0]["answers"]
    assert any(a.get("comment") == f"c {EVIL}" for a in answers.values() if isinstance(a, dict))

    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(get("report-en.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", " ", text)
    assert 'Org <script>alert("x")</script>' in flat  # printed, not run or dropped

    for kind in ("report-en.docx", "plan-en.xlsx", "deck-en.pptx"):
        with zipfile.ZipFile(io.BytesIO(get(kind))) as z:
            xml = "".join(
                z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml")
            )
        assert "<script>" not in xml and "&lt;script&gt;" in xml, kind

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(get("plan-en.xlsx")))
    cells = [c.value for ws in book for row in ws.iter_rows() for c in row]
    assert not [v for v in cells if isinstance(v, str) and v.startswith(("=", "+", "-", "@"))]
