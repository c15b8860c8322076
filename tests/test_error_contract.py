"""The error contract, fuzzed: whatever a responses file, questionnaire, framework or survey
export contains, `crmm` exits 0, 1 or 2, never shows a traceback, names the file it blames
on every error line, and leaves no output file behind when it fails.

Hypothesis mutates the mini example's files (a field set to another type, a key in the
wrong place) and their bytes (cut short, a byte replaced); the budget is fixed
(`max_examples`) so CI time stays bounded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.cli import cli

from .conftest import MINI, ROOT, load_yaml
from .test_loaders import _mutate, _mutations

SURVEY = ROOT / "tests" / "fixtures" / "surveys" / "plain.csv"
ORG = "name: 示例公司\nindustry: retail\nsize: medium\nregion: east-china\n"
BUDGET = settings(
    max_examples=40,
    derandomize=True,  # the same examples on every run: CI fails only on a real change
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
RESPONSE_KEYS = [
    "respondents",
    "answers",
    "organization",
    "questionnaire",
    "role",
    "id",
    "value",
    "comment",
    "evidence",
    "q1",
    "q3",
    "q6",
    "date",
    "role_weights",
]


def _check(args: list[str], out: Path, blamed: list[Path]) -> None:
    """Run crmm; assert the contract."""
    res = CliRunner().invoke(cli, [*args, "-o", str(out)])
    assert res.exit_code in (0, 1, 2), (res.exit_code, res.output, res.exception)
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output + res.stderr
    if res.exit_code == 2:
        lines = res.stderr.strip().splitlines()
        assert lines, "an error without a message"
        for line in lines:
            if line.startswith(("Usage:", "Try ", "Error:", "warning: ")):
                continue  # click's own usage errors, and warnings (they name a file too)
            assert any(line.startswith(str(p)) for p in blamed), line
        assert not out.exists(), "a failed command left an output file"
    elif res.exit_code == 0:
        assert out.exists()


def _dump(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


def _byte_edit(raw: bytes, cut: int, pos: int, byte: int) -> bytes:
    """Cut the file short at `cut` (a fraction) or replace the byte at `pos` by `byte`."""
    if cut:
        return raw[: len(raw) * cut // 100]
    i = pos % len(raw)
    return raw[:i] + bytes([byte]) + raw[i + 1 :]


_BYTE_EDITS = st.tuples(st.integers(0, 99), st.integers(0, 10**6), st.integers(0, 255))


@BUDGET
@given(
    path=st.lists(
        st.one_of(st.integers(0, 6), st.sampled_from(RESPONSE_KEYS)), min_size=1, max_size=5
    ),
    value=_mutations().map(lambda m: m[1]),
)
def test_mutated_responses(tmp_path_factory: Any, path: list[str | int], value: Any) -> None:
    d = tmp_path_factory.mktemp("r")
    data = _mutate(load_yaml(MINI / "responses.yaml"), path, value)
    answers = d / "answers.yaml"
    answers.write_bytes(_dump(data))
    q, fw = MINI / "questionnaire.yaml", MINI / "framework.yaml"
    args = ["score", str(answers), "--questionnaire", str(q), "--framework", str(fw)]
    _check([*args, "--format", "json"], d / "out.json", [answers])


@BUDGET
@given(
    mut=_mutations(),
    which=st.sampled_from(["framework.yaml", "questionnaire.yaml"]),
    edit=st.one_of(st.none(), _BYTE_EDITS),
)
def test_mutated_questionnaire_and_framework(
    tmp_path_factory: Any, mut: tuple[list[str | int], Any], which: str, edit: Any
) -> None:
    d = tmp_path_factory.mktemp("m")
    fw, q = load_yaml(MINI / "framework.yaml"), load_yaml(MINI / "questionnaire.yaml")
    _mutate(fw if which == "framework.yaml" else q, *mut)
    (d / "framework.yaml").write_bytes(_dump(fw))
    (d / "questionnaire.yaml").write_bytes(_dump(q))
    if edit is not None:
        target = d / which
        target.write_bytes(_byte_edit(target.read_bytes(), *edit))
    args = [
        "report",
        str(MINI / "responses.yaml"),
        "--questionnaire",
        str(d / "questionnaire.yaml"),
        "--framework",
        str(d / "framework.yaml"),
        "--format",
        "md",
    ]
    # a questionnaire cut short is valid, and the answers to its lost questions are the errors
    blamed = [d / "framework.yaml", d / "questionnaire.yaml", MINI / "responses.yaml"]
    _check(args, d / "report.md", blamed)


@BUDGET
@given(edit=_BYTE_EDITS)
def test_damaged_responses_bytes(tmp_path_factory: Any, edit: tuple[int, int, int]) -> None:
    d = tmp_path_factory.mktemp("b")
    answers = d / "answers.yaml"
    answers.write_bytes(_byte_edit((MINI / "responses.yaml").read_bytes(), *edit))
    q, fw = MINI / "questionnaire.yaml", MINI / "framework.yaml"
    args = ["score", str(answers), "--questionnaire", str(q), "--framework", str(fw)]
    _check(args, d / "out.txt", [answers])


@BUDGET
@given(
    row=st.integers(0, 3),
    col=st.integers(0, 18),
    cell=st.one_of(
        st.text(max_size=6),
        st.sampled_from(["", "na", "N/A", "=1+1", "99", "-3", "4.5", "yes", "是", "\ufeff"]),
    ),
    edit=st.one_of(st.none(), _BYTE_EDITS),
)
def test_mutated_survey_export(
    tmp_path_factory: Any, row: int, col: int, cell: str, edit: Any
) -> None:
    d = tmp_path_factory.mktemp("s")
    lines = SURVEY.read_text("utf-8").splitlines()
    cells = lines[row].split(",")
    cells[col % len(cells)] = cell.replace(",", "").replace("\n", "").replace("\r", "")
    lines[row] = ",".join(cells)
    export = d / "export.csv"
    export.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    if edit is not None:
        export.write_bytes(_byte_edit(export.read_bytes(), *edit))
    org = d / "org.yaml"
    org.write_text(ORG, "utf-8")
    args = ["import", str(export), "--from", "csv", "--questionnaire", "quick-check"]
    _check([*args, "--org", str(org)], d / "answers.yaml", [export])


def test_a_nul_byte_is_located_on_one_line(tmp_path: Path) -> None:
    """Found by the fuzzing above: PyYAML's reader error spans two lines and has no line."""
    bad = tmp_path / "answers.yaml"
    bad.write_bytes(b"type: responses\nquestionnaire: {id: mini-q,\x00 version: 0.1.0}\n")
    res = CliRunner().invoke(cli, ["validate", str(bad)])
    assert res.exit_code == 2
    assert res.stderr == f"{bad}: line 2, column 28: character '\\x00' is not allowed in YAML\n"


def test_a_c1_control_in_an_export_heading_imports(tmp_path: Path) -> None:
    """Found by the fuzzing above: a heading with U+0080 was written raw into the YAML
    header comment, which YAML cannot read back."""
    lines = SURVEY.read_text("utf-8").splitlines()
    lines[0] = lines[0].replace("department", "dept\x80")
    export = tmp_path / "export.csv"
    export.write_text("\n".join(lines) + "\n", "utf-8")
    org = tmp_path / "org.yaml"
    org.write_text(ORG, "utf-8")
    out = tmp_path / "answers.yaml"
    args = ["import", str(export), "--from", "csv", "--questionnaire", "quick-check"]
    res = CliRunner().invoke(cli, [*args, "--org", str(org), "-o", str(out)])
    assert res.exit_code == 0, res.stderr
    assert "column not imported: dept\\u0080" in res.stderr
    res = CliRunner().invoke(cli, ["validate", str(out)])
    assert res.exit_code == 0, res.stderr
