"""The PDF downloaded from the consultant's pages is the one `crmm report` makes of the
downloaded responses file with the same options, byte for byte, and `crmm verify` passes;
hostile text in the organisation, a department and the brand footer is plain text in it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from assessment.cli import cli

from .test_consult import answer_all, create, post

pytestmark = pytest.mark.slow

EVIL = "<script>alert(1)</script>"


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_pdf_equals_crmm_report_and_verifies(
    app: Flask, consultant: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    aid = create(
        consultant,
        organization=f"华东 {EVIL}",
        brand_name="Acme 咨询",
        brand_footer=f"Footer {EVIL}",
        target_level="4",
    )
    lines = f'lead-1, leadership, 总经办 {EVIL}\nsales-1, sales, =HYPERLINK("http://x")'
    post(consultant, f"/assessments/{aid}/respondents", {"lines": lines})
    answer_all(app, aid, "lead-1", 4)
    answer_all(app, aid, "sales-1", 2)

    raw = consultant.get(f"/assessments/{aid}/export/responses.yaml").data
    web = consultant.get(f"/assessments/{aid}/export/report-zh-CN.pdf")
    assert web.status_code == 200 and web.mimetype == "application/pdf"
    disposition = web.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert "filename*=UTF-8''%E5%8D%8E%E4%B8%9C" in disposition
    annex = consultant.get(f"/assessments/{aid}/export/annex-zh-CN.pdf")
    assert annex.status_code == 200  # a self-assessment: appendices in an annex, as the CLI does

    folder = tmp_path / "cli"
    folder.mkdir()
    (folder / "responses.yaml").write_bytes(raw)
    (folder / "web.pdf").write_bytes(web.data)
    (folder / "web-annex.pdf").write_bytes(annex.data)
    brand = {"type": "brand", "name": "Acme 咨询", "footer": f"Footer {EVIL}"}
    (folder / "brand.yaml").write_text(yaml.safe_dump(brand, allow_unicode=True), "utf-8")
    runner = CliRunner()
    monkeypatch.chdir(folder)  # the responses file is read as responses.yaml, as exported
    args = ["report", "responses.yaml", "-o", "report.pdf", "--lang", "zh-CN"]
    out = runner.invoke(cli, [*args, "--target-level", "4", "--brand", "brand.yaml"])
    assert out.exit_code == 0, out.output
    assert (folder / "report.pdf").read_bytes() == web.data
    assert (folder / "report-annex.pdf").read_bytes() == annex.data

    verified = runner.invoke(cli, ["verify", str(folder / "web.pdf")])
    assert verified.exit_code == 0, verified.output

    text = pdf_text(folder / "web.pdf") + pdf_text(folder / "web-annex.pdf")
    flat = " ".join(text.split())
    for printed in (f"华东 {EVIL}", f"Footer {EVIL}", f"总经办 {EVIL}"):
        assert printed in flat, printed  # the organisation, footer, department: plain text
