"""benchmarks/web_load.py keeps working: three respondents answer the whole full audit at
once through the respondent pages' save endpoint, and every answer is in the database once,
with the value sent (the benchmark itself runs 50; CI does not run it)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _benchmark() -> Any:
    spec = importlib.util.spec_from_file_location("web_load", ROOT / "benchmarks" / "web_load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_three_respondents_lose_and_duplicate_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("assessment.web.respond", reason="the respondent pages (part B)")
    args = ["--respondents", "3", "--threads", "4"]
    if os.environ.get("CRMM_TEST_POSTGRES"):
        args += ["--postgres", os.environ["CRMM_TEST_POSTGRES"]]
    code = _benchmark().main(args)
    out = capsys.readouterr().out
    assert "error:" not in out, out
    stored = [line for line in out.splitlines() if line.startswith("answers: ")]
    assert len(stored) == (2 if "--postgres" in args else 1)
    for line in stored:  # 3 respondents: leadership, sales, marketing
        assert line.endswith("; wrong, missing or duplicated: 0"), line
        sent = line.split(" stored of ")[1].split(" ")[0]
        assert line.startswith(f"answers: {sent} stored of {sent} sent") and int(sent) > 50
    assert "save latency p50: " in out and "x the floor" in out
    assert code == 0


def test_answers_made_for_every_question_type_are_valid() -> None:
    """The benchmark's answers pass the same check as a respondent's (crmm validate's)."""
    from assessment.web import store

    bench = _benchmark()
    q, _fw = store._load("full-audit")
    for question in q.questions:
        values, stored = bench.answer_for(question)
        value = store.form_value(question, values)
        assert store.check_answer(question, value).value == stored, question.id
