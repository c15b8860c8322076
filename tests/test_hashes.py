"""Framework and questionnaire SHA-256: the recipes of docs/verification.md, run as written,
give what crmm records."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assessment.cli import cli
from frameworks.loader import builtin_dir, load_framework
from questionnaires.loader import builtin_dir as questionnaires_dir
from questionnaires.loader import load_questionnaire

from .conftest import MINI, ROOT, mini_args

DOC = (ROOT / "docs" / "verification.md").read_text("utf-8")
BUILTIN = builtin_dir() / "crm-maturity" / "framework.yaml"


def recipe(lang: str) -> str:
    block = re.search(rf"```{lang} recipe\n(.*?)```", DOC, re.S)
    assert block is not None, f"no {lang} recipe in docs/verification.md"
    return block.group(1)


@pytest.fixture(scope="module")
def documented() -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile(recipe("python"), "docs/verification.md", "exec"), namespace)
    return namespace


def edited_copy(tmp_path: Path) -> Path:
    """The built-in framework with one element file changed by one byte."""
    folder = tmp_path / "fw"
    shutil.copytree(BUILTIN.parent, folder)
    element = next((folder / "elements").glob("*.yaml"))
    element.write_bytes(element.read_bytes() + b"\n")
    return folder / "framework.yaml"


def test_python_recipe_gives_the_recorded_hashes(
    documented: dict[str, Any], tmp_path: Path
) -> None:
    for framework_file in (BUILTIN, MINI / "framework.yaml", edited_copy(tmp_path)):
        fw = load_framework(framework_file)
        assert documented["framework_sha256"](framework_file) == fw.sha256, framework_file
    for path in [*questionnaires_dir().glob("*.yaml")]:
        q, _ = load_questionnaire(path)
        assert documented["questionnaire_sha256"](path) == q.sha256
    # an edit anywhere in the framework's files changes its hash; benchmarks do not count
    assert load_framework(edited_copy(tmp_path / "b")).sha256 != load_framework(BUILTIN).sha256
    assert (BUILTIN.parent / "benchmarks").is_dir()
    assert documented["framework_sha256"](BUILTIN) == load_framework("crm-maturity").sha256


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs coreutils sha256sum")
def test_shell_recipe_gives_the_recorded_hashes(tmp_path: Path) -> None:
    for framework_file in (BUILTIN, MINI / "framework.yaml", edited_copy(tmp_path)):
        out = subprocess.run(
            ["bash", "-c", recipe("sh")],
            env={**os.environ, "FRAMEWORK_DIR": str(framework_file.parent)},
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.split()[0] == load_framework(framework_file).sha256


def test_result_records_file_hashes_and_crmm_hash_prints_them(documented: dict[str, Any]) -> None:
    res = CliRunner().invoke(
        cli, ["score", str(MINI / "responses.yaml"), "--format", "json", *mini_args()]
    )
    assert res.exit_code == 0, res.output
    result = json.loads(res.output)
    fw_hash = documented["framework_sha256"](MINI / "framework.yaml")
    q_hash = documented["questionnaire_sha256"](MINI / "questionnaire.yaml")
    assert result["framework"]["sha256"] == fw_hash
    assert result["questionnaire"]["sha256"] == q_hash

    args = ["hash", str(MINI / "framework.yaml"), str(MINI / "questionnaire.yaml"), "quick-check"]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    quick = documented["questionnaire_sha256"](questionnaires_dir() / "quick-check.yaml")
    assert res.output.splitlines() == [
        f"{fw_hash}  framework mini 0.1.0  {MINI / 'framework.yaml'}",
        f"{q_hash}  questionnaire mini-q 0.1.0  {MINI / 'questionnaire.yaml'}",
        f"{quick}  questionnaire quick-check 1.1.0  quick-check",
    ]
    res = CliRunner().invoke(cli, ["hash", str(MINI / "responses.yaml")])
    assert res.exit_code == 2
    assert "a responses file: crmm hash takes frameworks and questionnaires" in res.output


def test_the_framework_hash_covers_its_glossary(tmp_path: Path) -> None:
    """glossary.yaml is read by the loader, so it is part of what the hash identifies."""
    import shutil

    from frameworks.loader import builtin_dir, load_framework

    fw = tmp_path / "fw"
    shutil.copytree(builtin_dir() / "crm-maturity", fw)
    before = load_framework(fw).sha256
    glossary = fw / "glossary.yaml"
    glossary.write_text(glossary.read_text("utf-8") + "# edited\n", "utf-8")
    assert load_framework(fw).sha256 != before
