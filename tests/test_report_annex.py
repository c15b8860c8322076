"""`crmm report --appendices annex`: the main report and its appendices as two PDFs, each
verifiable on its own (docs/verification.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from assessment.cli import cli

from .conftest import MINI, mini_args, pdf_text

pytestmark = pytest.mark.slow  # renders and verifies two PDFs


def _record(pdf: Path) -> dict[str, object]:
    files = PdfReader(pdf).attachments
    data: dict[str, object] = json.loads(files["report.json"][0])
    return data


def test_annex_is_written_beside_the_report_and_both_verify(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "report.pdf"
    args = ["report", str(MINI / "responses.yaml"), "-o", str(out), "--lang", "en"]
    res = runner.invoke(cli, [*args, "--appendices", "annex", *mini_args()])
    assert res.exit_code == 0, res.output
    annex = tmp_path / "report-annex.pdf"
    assert out.exists() and annex.exists()
    main_text, annex_text = pdf_text(out), pdf_text(annex)
    # the main report: the body, and a contents line saying where the appendices are
    assert "Improvement roadmap" in main_text and "Executive summary" in main_text
    assert "Appendices A–E (methodology" in main_text
    for title in ("Appendix A: Methodology", "Appendix B: Calculation trace"):
        assert title not in main_text and title in annex_text
    # the annex: its own cover naming the organisation, then the appendices alone
    assert "Annex: appendices to the assessment report" in annex_text
    assert "Improvement roadmap" not in annex_text and "Executive summary" not in annex_text
    assert _record(out)["part"] == "main" and _record(annex)["part"] == "annex"
    whole = tmp_path / "whole.pdf"
    whole_args = [*args[:3], str(whole), "--lang", "en", "--appendices", "full", *mini_args()]
    assert runner.invoke(cli, whole_args).exit_code == 0
    assert "part" not in _record(whole)  # a whole report's record reads as before
    assert len(PdfReader(out).pages) + len(PdfReader(annex).pages) - 1 == len(
        PdfReader(whole).pages
    )
    for pdf in (out, annex):
        check = runner.invoke(cli, ["verify", str(pdf), *mini_args()])
        assert check.exit_code == 0, check.output
        assert "byte-identical to a fresh rendering" in check.output


@pytest.mark.parametrize(
    ("output", "message"),
    [("-", "give -o FILE.pdf"), ("report.html", "--appendices annex writes PDFs only")],
)
def test_annex_needs_a_pdf_file(tmp_path: Path, output: str, message: str) -> None:
    target = output if output == "-" else str(tmp_path / output)
    res = CliRunner().invoke(
        cli,
        [
            "report",
            str(MINI / "responses.yaml"),
            "-o",
            target,
            "--appendices",
            "annex",
            *mini_args(),
        ],
    )
    assert res.exit_code == 2 and message in res.output
    assert list(tmp_path.iterdir()) == []


def _self_assessment(tmp_path: Path, assessor: str | None) -> Path:
    """The quick check as its first respondent alone answered it, with or without an assessor."""
    from assessment.demo import demo_responses
    from frameworks.fileio import canonical_json
    from questionnaires.loader import load_questionnaire

    q, fw = load_questionnaire("quick-check")
    data = json.loads(canonical_json(demo_responses(q, fw)))  # type: ignore[arg-type]
    data["respondents"] = data["respondents"][:1]
    data.pop("assessor", None)
    if assessor is not None:
        data["assessor"] = assessor
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_self_assessment_pdf_gets_its_appendices_in_an_annex(tmp_path: Path, lang: str) -> None:
    """`--appendices auto` (the default): no assessor, a PDF file → a report of at most 16
    pages and its annex beside it; the record stores what was written, not `auto`."""
    responses = _self_assessment(tmp_path, None)
    out = tmp_path / "r.pdf"
    res = CliRunner().invoke(cli, ["report", str(responses), "-o", str(out), "--lang", lang])
    assert res.exit_code == 0, res.output
    annex = tmp_path / "r-annex.pdf"
    assert out.exists() and annex.exists()
    assert len(PdfReader(out).pages) <= 16
    assert _record(out)["part"] == "main" and _record(annex)["part"] == "annex"
    check = CliRunner().invoke(cli, ["verify", str(out)])
    assert check.exit_code == 0, check.output


def test_an_assessors_audit_pdf_keeps_its_appendices(tmp_path: Path) -> None:
    responses = _self_assessment(tmp_path, "Example Consulting")
    out = tmp_path / "r.pdf"
    res = CliRunner().invoke(cli, ["report", str(responses), "-o", str(out), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.json", "r.pdf"]
    assert "part" not in _record(out)
    assert "Appendix A: Methodology" in pdf_text(out)


def test_a_self_assessment_in_other_formats_is_whole(tmp_path: Path) -> None:
    responses = _self_assessment(tmp_path, None)
    out = tmp_path / "r.html"
    res = CliRunner().invoke(cli, ["report", str(responses), "-o", str(out), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.json", "r.html"]
    assert "Appendix A: Methodology" in out.read_text("utf-8")
