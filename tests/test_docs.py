"""The worked example in docs/scoring.md is executed and its figures checked."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from assessment.cli import cli

from .conftest import MINI, ROOT


def _figures(got: dict[str, Any], root: Path) -> dict[str, Any]:
    """Every figure a worked example may state, by the key its expected block uses."""
    from assessment.dimensions import gap_findings
    from assessment.result import AssessmentResult
    from frameworks.loader import load_framework

    o = got["overall"]
    cert = got.get("certification") or {}
    fw = load_framework(str(root / "framework.yaml"))
    findings = gap_findings(AssessmentResult.model_validate(got).criteria, fw)
    return {
        "dimensions": {c["id"]: [c["intention"], c["reality"], c["gap"]] for c in got["criteria"]},
        "element_dimensions": {
            e["id"]: [e["intention"], e["reality"], e["gap"]] for e in got["elements"]
        },
        "findings": [c.id for c in findings],
        "kinds": {i["criterion"]: i["kind"] for i in got["recommendations"]["items"]},
        "overridden": {c["id"]: c["overridden"] for c in got["criteria"]},
        "overrides": [
            [x["criterion"], x["dimension"], x["rating"], x["before"], x["after"], x["entries"]]
            for x in got["overrides"]
        ],
        "weights": {p["id"]: p["weight"] for p in got["respondents"]},
        "questions": {q["id"]: q["score"] for q in got["questions"]},
        "criteria": {c["id"]: c["score"] for c in got["criteria"]},
        "elements": {e["id"]: [e["score"], e["index"], e["level"]] for e in got["elements"]},
        "element_na": {
            e["id"]: [e["status"], e["coverage"], e["na_share"], e["mostly_not_applicable"]]
            for e in got["elements"]
        },
        "overall": [o["score"], o["index"], o["level"]],
        "overall_coverage": o["coverage"],
        "priorities": {i["criterion"]: i["priority"] for i in got["recommendations"]["items"]},
        "respondents_count": {p["id"]: p["counts"] for p in got["respondents"]},
        "certification_awarded": cert.get("awarded"),
    }


def test_worked_examples_match(runner) -> None:  # type: ignore[no-untyped-def]
    """Each "```json expected [folder]" block of docs/scoring.md against `crmm score` of
    the folder's responses (examples/mini without a folder)."""
    doc = (ROOT / "docs" / "scoring.md").read_text("utf-8")
    blocks = re.findall(r"```json expected(?: (\S+))?\n(.*?)```", doc, re.S)
    assert [folder for folder, _ in blocks] == [
        "",
        "examples/audit",
        "tests/fixtures/two-dimensions",
    ]
    for folder, text in blocks:
        want = json.loads(text)
        root = ROOT / folder if folder else MINI
        args = ["--questionnaire", str(root / "questionnaire.yaml")]
        args += ["--framework", str(root / "framework.yaml")]
        res = runner.invoke(cli, ["score", str(root / "responses.yaml"), "--format", "json", *args])
        assert res.exit_code == 0, res.output
        got = _figures(json.loads(res.output), root)
        assert {k: got[k] for k in want} == want, folder


def test_every_command_is_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for name in cli.commands:
        assert f"crmm {name}" in readme, name


def test_every_report_format_is_documented() -> None:
    """Each format of the renderer registry has its row in docs/reports.md, and the README
    names its extension."""
    from reports import FORMATS

    readme = (ROOT / "README.md").read_text("utf-8")
    doc = (ROOT / "docs" / "reports.md").read_text("utf-8")
    for name, renderer in FORMATS.items():
        assert f"| `{name}` | `{renderer.extension}` |" in doc, name
        assert renderer.extension in readme, name


def test_readme_responses_example_is_valid(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    readme = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"```yaml\n(type: responses\n.*?)```", readme, re.S)
    assert block is not None
    f = tmp_path / "answers.yaml"
    f.write_text(block.group(1), "utf-8")
    res = runner.invoke(cli, ["validate", str(f)])
    assert res.exit_code == 0, res.output
    assert "responses for quick-check 1.1.0: 1 respondent, 3 answers" in res.output
