"""The accepted-evidence certification rule (issue 14 §2; docs/certification.md, "Accepted
evidence"): which criteria are due, which evidence supports them, and `crmm certify`
naming those that lack it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from assessment.cli import cli
from frameworks.loader import load_framework

from .conftest import ROOT, load_yaml, write_yaml

TD = ROOT / "tests" / "fixtures" / "two-dimensions"
INPUTS = [
    "--questionnaire",
    str(TD / "questionnaire.yaml"),
    "--framework",
    str(TD / "framework.yaml"),
]


def certify(runner: CliRunner, path: Path, *extra: str) -> Any:
    return runner.invoke(cli, ["certify", str(path), *INPUTS, *extra])


def scored(runner: CliRunner, path: Path) -> Any:
    got = runner.invoke(cli, ["score", str(path), "--format", "json", *INPUTS])
    assert got.exit_code == 0, got.output
    return json.loads(got.stdout)


def evidence_rule(out: dict[str, Any]) -> dict[str, Any]:
    rules = out["certification"]["levels"][0]["rules"]
    found: dict[str, Any] = next(r for r in rules if r["kind"] == "accepted-evidence")
    return found


def test_the_docs_example(runner: CliRunner) -> None:
    got = certify(runner, TD / "responses.yaml", "--lang", "en")
    assert got.exit_code == 1
    lines = got.stdout.splitlines()
    assert " ".join(lines[-3].split()) == (
        "2 criteria at level ≥ 2 with ≥ 1 accepted evidence item(s) 3 2 FAIL"
    )
    assert lines[-1] == (
        "Level 2: criteria without enough accepted evidence: Waiting times (f-waiting)"
    )
    doc = (ROOT / "docs" / "certification.md").read_text("utf-8")
    assert lines[-3] in doc and lines[-1] in doc
    zh = certify(runner, TD / "responses.yaml", "--lang", "zh-CN")
    assert zh.stdout.splitlines()[-1] == "2 级：已接受证据不足的评估准则：候诊 (f-waiting)"


def test_json_names_the_missing_criteria(runner: CliRunner) -> None:
    got = certify(runner, TD / "responses.yaml", "--format", "json")
    assert got.exit_code == 1
    rule = evidence_rule(json.loads(got.stdout))
    # due: f-welcome (level 3), f-waiting and c-followup (level 2); c-complaints is rated 1
    assert {k: rule[k] for k in ("id", "required", "actual", "passed", "lowest", "missing")} == {
        "id": "L2.accepted-evidence",
        "required": 3.0,
        "actual": 2.0,
        "passed": False,
        "lowest": "f-waiting",
        "missing": ["f-waiting"],
    }
    assert rule["check"] == "2 < 3"


def test_accepting_the_item_passes_the_rule(runner: CliRunner, tmp_path: Path) -> None:
    data = load_yaml(TD / "responses.yaml")
    item = data["evidence_register"][1]
    item["status"], item["reason"] = "accepted", None
    got = certify(runner, write_yaml(tmp_path / "r.yaml", data), "--format", "json")
    out = scored(runner, tmp_path / "r.yaml")
    rule = evidence_rule(out)
    assert (rule["passed"], rule["missing"], rule["actual"]) == (True, [], 3.0)
    # ev-02 is cited by the ratings of f-waiting and c-complaints and listed for f-waiting
    criteria = {c["id"]: c["evidence"] for c in out["criteria"]}
    assert criteria == {
        "f-welcome": ["ev-01"],
        "f-waiting": ["ev-02"],
        "c-followup": ["ev-03"],
        "c-complaints": ["ev-02"],
    }
    assert got.exit_code == 0
    assert out["certification"]["awarded"] == 2


def test_evidence_cited_by_an_answer_supports_its_criterion(
    runner: CliRunner, tmp_path: Path
) -> None:
    """ev-03 is listed for c-followup; accepted and cited by the manager's answer to a
    f-waiting question it supports f-waiting too."""
    data = load_yaml(TD / "responses.yaml")
    data["respondents"][0]["answers"]["i-waiting"] = {"value": 3, "evidence": ["ev-03"]}
    out = scored(runner, write_yaml(tmp_path / "r.yaml", data))
    assert {c["id"]: c["evidence"] for c in out["criteria"]}["f-waiting"] == ["ev-03"]
    assert evidence_rule(out)["passed"]


def test_a_criterion_rated_below_the_level_is_not_due(runner: CliRunner, tmp_path: Path) -> None:
    data = load_yaml(TD / "responses.yaml")
    data["assessor_ratings"].append(
        {
            "criterion": "f-waiting",
            "rating": 1,
            "before": 25.0,
            "reason": "下午无人管理候诊。",
            "evidence": ["ev-01"],
            "by": "周慧敏",
            "at": "2026-11-22T09:00:00+08:00",
        }
    )
    out = json.loads(
        certify(runner, write_yaml(tmp_path / "r.yaml", data), "--format", "json").stdout
    )
    rule = evidence_rule(out)
    # f-waiting now level 1; f-welcome and c-followup are due and supported
    assert (rule["required"], rule["actual"], rule["missing"]) == (2.0, 2.0, [])


def test_the_builtin_rules_ask_accepted_evidence_at_levels_4_and_5() -> None:
    fw = load_framework("crm-maturity")
    assert fw.certification is not None and fw.certification.version == "1.2.0"
    asked = {
        lv.level: (lv.accepted_evidence.min_level, lv.accepted_evidence.min_items)
        if lv.accepted_evidence
        else None
        for lv in fw.certification.levels
    }
    assert asked == {2: None, 3: None, 4: (4, 1), 5: (4, 2)}


def test_answers_citing_only_rejected_evidence_are_not_backed(
    runner: CliRunner, tmp_path: Path
) -> None:
    """rec-1 cites ev-04 (rejected) for r-complaints: of the 21 scored answers, those of
    mgr-1 (ev-01) and nurse-1 (ev-03) are backed; once ev-04 is accepted, three are."""
    cert = json.loads(certify(runner, TD / "responses.yaml", "--format", "json").stdout)
    assert cert["certification"]["answers_with_evidence"] == 2
    assert cert["certification"]["scored_answers"] == 21
    data = load_yaml(TD / "responses.yaml")
    item = data["evidence_register"][3]
    item["status"], item["reason"] = "accepted", None
    f = write_yaml(tmp_path / "r.yaml", data)
    cert = json.loads(certify(runner, f, "--format", "json").stdout)
    assert cert["certification"]["answers_with_evidence"] == 3
