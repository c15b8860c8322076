"""Verifiable PDFs: metadata, outline, embedded responses and result, `crmm verify`."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from assessment.cli import cli
from assessment.engine import assess, result_json
from assessment.responses import load_responses
from questionnaires.loader import load_questionnaire

from .conftest import MINI, mini_args, pdf_text

RESPONSES = MINI / "responses.yaml"


def outline_titles(outline: list[Any]) -> list[str]:
    out: list[str] = []
    for item in outline:
        out += outline_titles(item) if isinstance(item, list) else [item.title]
    return out


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("verify") / "report.pdf"
    res = CliRunner().invoke(
        cli, ["report", str(RESPONSES), "-o", str(out), "--lang", "en", *mini_args()]
    )
    assert res.exit_code == 0, res.output
    return out


def rebuilt(src: Path, dest: Path, files: dict[str, bytes]) -> Path:
    """The pages of `src` with exactly `files` attached."""
    writer = PdfWriter()
    for page in PdfReader(src).pages:
        writer.add_page(page)
    for name, data in files.items():
        writer.add_attachment(name, data)
    with dest.open("wb") as f:
        writer.write(f)
    return dest


def test_metadata_outline_and_attachments(report_pdf: Path) -> None:
    reader = PdfReader(report_pdf)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Maturity Assessment Report — Mini Co"  # mini: the generic title
    assert meta.author == "Mini Co"
    assert meta.subject and meta.subject.startswith("Mini framework")
    assert "maturity assessment" in (meta.get("/Keywords") or "")
    assert reader.trailer["/Root"]["/Lang"] == "en"
    titles = outline_titles(reader.outline)
    q, fw = load_questionnaire(MINI / "questionnaire.yaml", MINI / "framework.yaml")
    for want in ["Contents", "Executive summary", "Recommendations", "Appendix A: Methodology"]:
        assert want in titles
    for e in fw.elements:
        assert e.name.en in titles
    text = pdf_text(report_pdf)
    assert "alice (boss): only by phone · Evidence: complaint-log.xlsx" in text
    files = reader.attachments
    assert set(files) == {"responses.yaml", "result.json"}
    assert files["responses.yaml"] == [RESPONSES.read_bytes()]
    expected = result_json(assess(load_responses(RESPONSES), q, fw))
    assert files["result.json"] == [expected.encode()]


def test_verify_fresh_report(report_pdf: Path) -> None:
    res = CliRunner().invoke(cli, ["verify", str(report_pdf), *mini_args()])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert [ln.split(":")[0] for ln in lines[:-1]] == [
        "ok        responses sha256",
        "ok        framework id",
        "ok        framework version",
        "ok        framework sha256",
        "ok        questionnaire id",
        "ok        questionnaire version",
        "ok        questionnaire sha256",
        "ok        result",
    ]
    assert lines[-1] == f"{report_pdf}: verified (8 checks)"


def test_verify_tampered_result_and_responses(report_pdf: Path, tmp_path: Path) -> None:
    files = {k: v[0] for k, v in PdfReader(report_pdf).attachments.items()}
    doc = json.loads(files["result.json"])
    doc["overall"]["score"] = 4.99
    bad = dict(files, **{"result.json": json.dumps(doc).encode()})
    res = CliRunner().invoke(
        cli, ["verify", str(rebuilt(report_pdf, tmp_path / "t.pdf", bad)), *mini_args()]
    )
    assert res.exit_code == 1
    assert "MISMATCH  result: recorded " in res.output
    assert "ok        responses sha256" in res.output
    assert "does not match its embedded inputs: result" in res.output

    # an edited answer: the responses hash and the re-scored result both differ
    edited = files["responses.yaml"].replace(b"q1: 4", b"q1: 5", 1)
    bad = dict(files, **{"responses.yaml": edited})
    res = CliRunner().invoke(
        cli, ["verify", str(rebuilt(report_pdf, tmp_path / "r.pdf", bad)), *mini_args()]
    )
    assert res.exit_code == 1
    assert "MISMATCH  responses sha256" in res.output
    assert "MISMATCH  result" in res.output

    # a different framework than the one recorded
    fw = (
        (MINI / "framework.yaml")
        .read_text("utf-8")
        .replace("Service weighs more.", "Service weighs most.")
    )
    other = tmp_path / "framework.yaml"
    other.write_text(fw, "utf-8")
    args = ["--questionnaire", str(MINI / "questionnaire.yaml"), "--framework", str(other)]
    res = CliRunner().invoke(cli, ["verify", str(report_pdf), *args])
    assert res.exit_code == 1
    assert "MISMATCH  framework sha256" in res.output


def test_verify_without_attachments_or_not_a_pdf(report_pdf: Path, tmp_path: Path) -> None:
    bare = rebuilt(report_pdf, tmp_path / "bare.pdf", {})
    res = CliRunner().invoke(cli, ["verify", str(bare)])
    assert res.exit_code == 2
    assert f"{bare}: attachments: no embedded result.json: not verifiable" in res.output
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    res = CliRunner().invoke(cli, ["verify", str(junk)])
    assert res.exit_code == 2
    assert f"{junk}: not a readable PDF" in res.output


def test_pdf_a3u_variant_keeps_attachments(tmp_path: Path) -> None:
    out = tmp_path / "a.pdf"
    args = ["report", str(RESPONSES), "-o", str(out), "--pdf-variant", "pdf/a-3u", *mini_args()]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert set(reader.attachments) == {"responses.yaml", "result.json"}
    assert b"pdfaid:part" in out.read_bytes() or "/Metadata" in reader.trailer["/Root"]
    res = CliRunner().invoke(cli, ["verify", str(out), *mini_args()])
    assert res.exit_code == 0, res.output

    res = CliRunner().invoke(cli, [*args[:4], "--pdf-variant", "pdf/z", *mini_args()])
    assert res.exit_code == 2
    assert "unknown PDF variant 'pdf/z'" in res.output
