"""The worked example in docs/scoring.md is executed and its figures checked."""

from __future__ import annotations

import json
import re

from assessment.cli import cli

from .conftest import MINI, ROOT, mini_args


def test_worked_example_matches(runner) -> None:  # type: ignore[no-untyped-def]
    doc = (ROOT / "docs" / "scoring.md").read_text("utf-8")
    block = re.search(r"```json expected\n(.*?)```", doc, re.S)
    assert block is not None
    want = json.loads(block.group(1))
    res = runner.invoke(
        cli, ["score", str(MINI / "responses.yaml"), "--format", "json", *mini_args()]
    )
    assert res.exit_code == 0, res.output
    got = json.loads(res.output)
    assert {q["id"]: q["score"] for q in got["questions"]} == want["questions"]
    assert {c["id"]: c["score"] for c in got["criteria"]} == want["criteria"]
    assert {e["id"]: [e["score"], e["index"], e["level"]] for e in got["elements"]} == want[
        "elements"
    ]
    o = got["overall"]
    assert [o["score"], o["index"], o["level"]] == want["overall"]
    assert {i["criterion"]: i["priority"] for i in got["recommendations"]["items"]} == want[
        "priorities"
    ]


def test_every_command_is_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for name in cli.commands:
        assert f"crmm {name}" in readme, name


def test_readme_responses_example_is_valid(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    readme = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"```yaml\n(type: responses\n.*?)```", readme, re.S)
    assert block is not None
    f = tmp_path / "answers.yaml"
    f.write_text(block.group(1), "utf-8")
    res = runner.invoke(cli, ["validate", str(f)])
    assert res.exit_code == 0, res.output
    assert "responses for quick-check 1.0.0: 1 respondent(s), 3 answers" in res.output
