"""Bad input never shows a traceback: one located line per problem, exit code 2, no output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assessment.cli import cli

from .conftest import MINI, load_yaml, mini_args, write_yaml


def run(runner: CliRunner, args: list[str]) -> Any:
    res = runner.invoke(cli, args)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output
    return res


def fw_data() -> dict[str, Any]:
    return load_yaml(MINI / "framework.yaml")  # type: ignore[no-any-return]


def q_data() -> dict[str, Any]:
    return load_yaml(MINI / "questionnaire.yaml")  # type: ignore[no-any-return]


def test_help_and_version(runner: CliRunner) -> None:
    res = run(runner, ["--help"])
    assert res.exit_code == 0
    for cmd in ("demo", "template", "score", "report", "validate", "schema"):
        assert f"  {cmd} " in res.output
    res = run(runner, ["--version"])
    assert res.exit_code == 0 and res.output.startswith("crmm, version ")


def test_score_table_and_json(runner: CliRunner) -> None:
    res = run(runner, ["score", str(MINI / "responses.yaml"), "--lang", "en", *mini_args()])
    assert res.exit_code == 0
    assert "overall" in res.output and "61.25" in res.output
    res = run(runner, ["score", str(MINI / "responses.yaml"), "--format", "json", *mini_args()])
    assert json.loads(res.output)["overall"]["level"] == 4


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    res = run(runner, ["score", str(tmp_path / "nope.yaml")])
    assert res.exit_code == 2
    assert res.output.strip() == f"{tmp_path / 'nope.yaml'}: file not found"


def test_yaml_syntax_error_has_line_and_column(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("type: responses\nrespondents: [\n  - id: x\n", "utf-8")
    res = run(runner, ["validate", str(bad)])
    assert res.exit_code == 2
    assert res.output.startswith(f"{bad}: line ")
    assert "column" in res.output and "YAML syntax error" in res.output


def test_python_tags_are_rejected(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "evil.yaml"
    bad.write_text("type: responses\nx: !!python/object/apply:os.system ['echo hi']\n", "utf-8")
    res = run(runner, ["validate", str(bad)])
    assert res.exit_code == 2 and "YAML syntax error" in res.output


def test_unknown_question_and_bad_values(
    runner: CliRunner, tmp_path: Path, mini_responses: dict[str, Any]
) -> None:
    a = mini_responses["respondents"][0]["answers"]
    a["nope"] = 3
    a["q1"] = 7
    a["q3"] = "na"  # not allowed
    a["q4"] = "fast"
    a["q5"] = "huge"
    f = write_yaml(tmp_path / "r.yaml", mini_responses)
    out = tmp_path / "out.json"
    res = run(runner, ["score", str(f), "-o", str(out), "--format", "json", *mini_args()])
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()
    assert f"{f}: respondents[0].answers.nope: unknown question id" in lines
    assert f"{f}: respondents[0].answers.q1: expected an integer 1 to 5, got 7" in lines
    assert f"{f}: respondents[0].answers.q3: N/A is not allowed for this question" in lines
    assert f"{f}: respondents[0].answers.q4: expected a number, got 'fast'" in lines
    assert any(
        line.startswith(f"{f}: respondents[0].answers.q5: expected one of") for line in lines
    )
    assert not out.exists()


def test_wrong_type_and_unknown_field(
    runner: CliRunner, tmp_path: Path, mini_responses: dict[str, Any]
) -> None:
    mini_responses["date"] = "last tuesday"
    mini_responses["organization"]["colour"] = "blue"
    f = write_yaml(tmp_path / "r.yaml", mini_responses)
    res = run(runner, ["validate", str(f), *mini_args()])
    assert res.exit_code == 2
    assert f"{f}: organization.colour: unknown field" in res.output
    assert f"{f}: date: " in res.output


def test_other_questionnaire_version(
    runner: CliRunner, tmp_path: Path, mini_responses: dict[str, Any]
) -> None:
    mini_responses["questionnaire"]["version"] = "9.9.9"
    f = write_yaml(tmp_path / "r.yaml", mini_responses)
    res = run(runner, ["score", str(f), *mini_args()])
    assert res.exit_code == 2
    assert res.output.strip() == (
        f"{f}: questionnaire: answers are for mini-q 9.9.9, but the questionnaire is mini-q 0.1.0"
    )


def test_duplicate_ids(runner: CliRunner, tmp_path: Path) -> None:
    q = q_data()
    q["questions"].append(dict(q["questions"][0]))
    f = write_yaml(tmp_path / "q.yaml", q)
    res = run(runner, ["validate", str(f), "--framework", str(MINI / "framework.yaml")])
    assert res.exit_code == 2
    assert f"{f}: questions: Value error, duplicate question id 'q1' at [7] (first at [0])" in (
        res.output
    )


def test_duplicate_yaml_keys(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "r.yaml"
    f.write_text(
        (MINI / "responses.yaml")
        .read_text("utf-8")
        .replace("      q2: 3\n", "      q2: 3\n      q2: 4\n"),
        "utf-8",
    )
    res = run(runner, ["validate", str(f), *mini_args()])
    assert res.exit_code == 2 and "duplicate key 'q2'" in res.output


def test_question_with_unknown_criterion(runner: CliRunner, tmp_path: Path) -> None:
    q = q_data()
    q["questions"][1]["criterion"] = "p-nothing"
    f = write_yaml(tmp_path / "q.yaml", q)
    res = run(runner, ["validate", str(f), "--framework", str(MINI / "framework.yaml")])
    assert res.exit_code == 2
    assert res.output.strip() == f"{f}: questions[1].criterion: unknown criterion 'p-nothing'"


@pytest.mark.parametrize("weight", [0, -1])
def test_non_positive_weights(runner: CliRunner, tmp_path: Path, weight: int) -> None:
    fw = fw_data()
    fw["elements"][0]["criteria"][1]["weight"] = weight
    fw["elements"][1]["weight"] = weight
    f = write_yaml(tmp_path / "framework.yaml", fw)
    res = run(runner, ["validate", str(f)])
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [
        f"{f}: elements[0].criteria[1].weight: Input should be greater than 0",
        f"{f}: elements[1].weight: Input should be greater than 0",
    ]


def test_action_with_unknown_criterion_and_phase(runner: CliRunner, tmp_path: Path) -> None:
    fw = fw_data()
    fw["actions"][0]["criterion"] = "p-ghost"
    fw["actions"][1]["phase"] = "someday"
    f = write_yaml(tmp_path / "framework.yaml", fw)
    res = run(runner, ["validate", str(f)])
    assert res.exit_code == 2
    assert f"{f}: actions[0].criterion: unknown criterion 'p-ghost'" in res.output
    assert f"{f}: actions[1].phase: unknown phase 'someday'" in res.output


def test_questionnaire_for_other_framework_version(runner: CliRunner, tmp_path: Path) -> None:
    q = q_data()
    q["framework"]["version"] = "0.2.0"
    f = write_yaml(tmp_path / "q.yaml", q)
    res = run(runner, ["validate", str(f), "--framework", str(MINI / "framework.yaml")])
    assert res.exit_code == 2
    assert "questionnaire is for mini 0.2.0, but the framework loaded is mini 0.1.0" in res.output


def test_report_error_writes_nothing(
    runner: CliRunner, tmp_path: Path, mini_responses: dict[str, Any]
) -> None:
    mini_responses["respondents"][0]["answers"]["q1"] = 9
    f = write_yaml(tmp_path / "r.yaml", mini_responses)
    out = tmp_path / "report.pdf"
    res = run(runner, ["report", str(f), "-o", str(out), *mini_args()])
    assert res.exit_code == 2 and not out.exists()
    assert list(tmp_path.iterdir()) == [f]


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    assert run(runner, ["score"]).exit_code == 2
    assert run(runner, ["schema", "nonsense"]).exit_code == 2
    assert run(runner, ["frobnicate"]).exit_code == 2


def test_schema(runner: CliRunner) -> None:
    for kind in ("framework", "questionnaire", "responses", "result"):
        res = run(runner, ["schema", kind])
        assert res.exit_code == 0
        schema = json.loads(res.output)
        assert schema["type"] == "object" and schema["additionalProperties"] is False


def test_validate_reports_all_files(runner: CliRunner, tmp_path: Path) -> None:
    res = run(
        runner,
        [
            "validate",
            str(MINI / "framework.yaml"),
            str(MINI / "questionnaire.yaml"),
            str(MINI / "responses.yaml"),
            "--framework",
            str(MINI / "framework.yaml"),
            "--questionnaire",
            str(MINI / "questionnaire.yaml"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "framework mini 0.1.0: 2 elements, 4 criteria, 6 actions" in res.output
    assert "questionnaire mini-q 0.1.0 for mini 0.1.0: 7 questions" in res.output
    assert "responses for mini-q 0.1.0: 2 respondents" in res.output


def test_template_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "answers.yaml"
    for lang in ("en", "zh-CN"):
        res = run(
            runner,
            [
                "template",
                str(MINI / "questionnaire.yaml"),
                "-o",
                str(out),
                "--lang",
                lang,
                "--framework",
                str(MINI / "framework.yaml"),
            ],
        )
        assert res.exit_code == 0
    text = out.read_text("utf-8")
    assert "# [q1] 技能如何？" in text and "na = 不适用" in text
    # fill the blanks and score the file
    filled = (
        text.replace("  name:", "  name: Filled Co")
        .replace("  industry:", "  industry: retail")
        .replace("  size:", "  size: small")
        .replace("  region:", "  region: east-china")
        .replace("      q1:", "      q1: 3")
        .replace("      q3:", "      q3: yes")
    )
    out.write_text(filled, "utf-8")
    res = run(runner, ["score", str(out), "--format", "json", *mini_args()])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["organization"]["name"] == "Filled Co"
    assert {q["id"]: q["score"] for q in data["questions"]}["q3"] == 100.0


def test_report_formats_match_renderer_registry() -> None:
    from reports import FORMATS

    report_cmd = cli.commands["report"]
    fmt_opt = next(p for p in report_cmd.params if p.name == "fmt")
    assert sorted(fmt_opt.type.choices) == sorted(FORMATS)  # type: ignore[attr-defined]


def test_written_files_get_normal_permissions(tmp_path: Path) -> None:
    import os

    from frameworks.fileio import write_atomic

    out = tmp_path / "x.txt"
    write_atomic(out, "hi")
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_validate_passes_builtin_content(runner: CliRunner) -> None:
    from frameworks.loader import builtin_dir

    res = run(
        runner,
        [
            "validate",
            "crm-maturity",
            "full-audit",
            "quick-check",
            str(builtin_dir() / "crm-maturity"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "framework crm-maturity 1.1.0: 7 elements, 37 criteria" in res.output
    assert "questionnaire full-audit 1.1.0 for crm-maturity 1.1.0: 116 questions" in res.output
    assert "questionnaire quick-check 1.1.0 for crm-maturity 1.1.0: 16 questions" in res.output


@pytest.mark.parametrize("command", ["validate", "score", "report", "certify", "compare"])
def test_unknown_questionnaire_id_is_located_in_the_responses(
    runner: CliRunner, tmp_path: Path, command: str
) -> None:
    data = load_yaml(MINI / "responses.yaml")
    data["questionnaire"]["id"] = "no-such-questionnaire"
    answers = write_yaml(tmp_path / "answers.yaml", data)
    args = [command, str(answers)]
    if command == "report":
        args += ["-o", str(tmp_path / "r.pdf")]
    if command == "compare":
        args += [str(answers)]
    res = run(runner, args)
    assert res.exit_code == 2
    assert res.output.strip() == (
        f"{answers}: questionnaire.id: no such questionnaire 'no-such-questionnaire'"
        " (built-in: full-audit, quick-check; for another, give --questionnaire FILE)"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yaml"]


def test_an_element_left_out_of_the_list_is_named_first(runner: CliRunner, tmp_path: Path) -> None:
    """Removing an element from `elements:` names the framework file and the cause first,
    and its recommendation library once (not every action that refers to it)."""
    import shutil

    from frameworks.loader import builtin_dir

    fw = tmp_path / "fw"
    shutil.copytree(builtin_dir() / "crm-maturity", fw)
    head = fw / "framework.yaml"
    head.write_text(head.read_text("utf-8").replace("  - resources\n", ""), "utf-8")
    res = run(runner, ["validate", str(fw)])
    assert res.exit_code == 2
    assert res.output.splitlines() == [
        f"{head}: elements: 'resources' is not listed, but elements/resources.yaml exists: list"
        " it, or remove the file and the recommendations and questions that refer to it",
        f"{fw / 'recommendations' / 'resources.yaml'}: element: element 'resources' is not"
        " listed in framework.yaml: its 16 actions are left out",
    ]
