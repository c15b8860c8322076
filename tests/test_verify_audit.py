"""`crmm verify` catches an edited assessor rating (issue 14 §2): the trail is part of the
embedded responses (their hash) and the overrides part of the embedded result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from assessment.cli import cli

from .conftest import ROOT

TD = ROOT / "tests" / "fixtures" / "two-dimensions"


@pytest.fixture(scope="module")
def inputs() -> list[str]:
    """The fixture's questionnaire and framework."""
    return [
        "--questionnaire",
        str(TD / "questionnaire.yaml"),
        "--framework",
        str(TD / "framework.yaml"),
    ]


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory, inputs: list[str]) -> Path:
    out = tmp_path_factory.mktemp("verify-audit") / "report.pdf"
    args = ["report", str(TD / "responses.yaml"), "-o", str(out), "--lang", "en", *inputs]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    return out


def attachments(pdf: Path) -> dict[str, bytes]:
    return {k: v[0] for k, v in PdfReader(pdf).attachments.items()}


def rebuilt(src: Path, dest: Path, files: dict[str, bytes]) -> Path:
    writer = PdfWriter()
    for page in PdfReader(src).pages:
        writer.add_page(page)
    for name, data in files.items():
        writer.add_attachment(name, data)
    with dest.open("wb") as f:
        writer.write(f)
    return dest


def verify(pdf: Path, inputs: list[str]) -> Any:
    return CliRunner().invoke(cli, ["verify", str(pdf), *inputs])


@pytest.mark.slow
def test_the_fresh_report_verifies(report_pdf: Path, inputs: list[str]) -> None:
    res = verify(report_pdf, inputs)
    assert res.exit_code == 0, res.output
    result = json.loads(attachments(report_pdf)["result.json"])
    assert [o["criterion"] for o in result["overrides"]] == ["c-complaints", "f-waiting"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("old", "new", "first"),
    [
        # the reason of the last entry: the figures stay, the hash does not
        (
            "复核排队系统：数据只覆盖上午门诊",
            "复核排队系统：数据覆盖全天门诊",
            "overrides[1].reason",
        ),
        # the rating of c-complaints, 1 → 2, and its figures with it
        (
            "  - criterion: c-complaints\n    rating: 1",
            "  - criterion: c-complaints\n    rating: 2",
            "certification.levels[0].rules[1].actual",  # the overall index
        ),
    ],
    ids=["reason", "rating"],
)
def test_an_edited_trail_in_the_embedded_responses(
    report_pdf: Path, inputs: list[str], tmp_path: Path, old: str, new: str, first: str
) -> None:
    files = attachments(report_pdf)
    text = files["responses.yaml"].decode("utf-8")
    assert old in text
    files["responses.yaml"] = text.replace(old, new, 1).encode("utf-8")
    pdf = rebuilt(report_pdf, tmp_path / "t.pdf", files)
    res = verify(pdf, inputs)
    assert res.exit_code == 1, res.output
    lines = res.output.splitlines()
    assert any(line.startswith("MISMATCH  responses sha256: recorded") for line in lines)
    result = next(ln for ln in lines if ln.startswith("MISMATCH  result"))
    assert result.endswith(f"; first difference at {first}"), result
    assert lines[-1].startswith(f"{pdf}: ")
    assert "Traceback" not in res.output


@pytest.mark.slow
def test_an_edited_override_in_the_embedded_result(
    report_pdf: Path, inputs: list[str], tmp_path: Path
) -> None:
    files = attachments(report_pdf)
    doc = json.loads(files["result.json"])
    doc["overrides"][0]["reason"] = "（已删除）"
    files["result.json"] = (
        json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    ).encode()
    pdf = rebuilt(report_pdf, tmp_path / "t.pdf", files)
    res = verify(pdf, inputs)
    assert res.exit_code == 1, res.output
    assert "ok        responses sha256" in res.output
    assert "MISMATCH  result: recorded" in res.output
    line = next(ln for ln in res.output.splitlines() if ln.startswith("MISMATCH  result"))
    assert line.endswith("; first difference at overrides[0].reason")


@pytest.mark.slow
def test_an_edited_before_is_a_finding_not_bad_input(
    report_pdf: Path, inputs: list[str], tmp_path: Path
) -> None:
    """A trail edited so that it no longer scores (a `before` changed) is still a finding
    about the report (exit 1) that names the responses hash, not an input error (exit 2)."""
    files = attachments(report_pdf)
    text = files["responses.yaml"].decode("utf-8")
    files["responses.yaml"] = text.replace("before: 29.17", "before: 35.0", 1).encode("utf-8")
    pdf = rebuilt(report_pdf, tmp_path / "t.pdf", files)
    res = verify(pdf, inputs)
    assert res.exit_code == 1, res.output
    assert res.stderr.startswith("MISMATCH  responses sha256: recorded ")
    assert res.stderr.rstrip().endswith(
        "the embedded responses were changed and no longer score (responses.yaml:"
        " assessor_ratings[0].before: 35.00 recorded, but the answers give 29.17: they"
        " changed after the rating; review it and record what it replaces)"
    )
