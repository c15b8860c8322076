"""Large responses files (issue 12 §4): read as columns, the same results and errors as the
models, and the columnar JSON layout."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.cli import cli
from assessment.engine import assess, result_json
from assessment.response_columns import TableResponses, check_table, columnar_json
from assessment.responses import (
    LoadedResponses,
    Responses,
    check_responses,
    parse_responses,
)
from frameworks.errors import InputError
from frameworks.fileio import sha256_bytes, validate_as
from questionnaires.importers.answer_table import AnswerTable
from questionnaires.loader import load_questionnaire
from reports.notes import with_notes

from .conftest import MINI, ROOT

HEAD = {
    "type": "responses",
    "questionnaire": {"id": "mini-q", "version": "0.1.0"},
    "organization": {
        "name": "Mini Co",
        "industry": "retail",
        "size": "small",
        "region": "east-china",
    },
    "date": "2026-11-01",
}
VALUES: dict[str, list[Any]] = {
    "q1": [1, 2, 3, 4, 5, "3", 9, "many", "na", 2.0, True, ""],
    "q2": [1, 5, "na", "4", 0, "agree"],
    "q3": ["yes", "partly", "no", "na", "maybe", 1],
    "q4": [0, 2.5, "4", -1, "fast", 12],
    "q5": ["low", "mid", "high", "huge", "na"],
    "q6": [["phone"], ["phone", "web"], [], ["fax"], "web", ["web", "app", "phone"]],
    "q7": ["fine", "a" * 5001, "bad\x07bell", "ok\nthen", ""],
    "q9": [1],  # not in the questionnaire
}


def _mini() -> tuple[Any, Any]:
    return load_questionnaire(str(MINI / "questionnaire.yaml"), str(MINI / "framework.yaml"))


def _slow(data: dict[str, Any], source: str) -> LoadedResponses:
    """The model path of before: one model per answer."""
    raw = yaml.safe_dump(data, allow_unicode=True).encode()
    return LoadedResponses(validate_as(Responses, data, source), source, sha256_bytes(raw))


def _outcome(make: Any) -> tuple[str, Any]:
    q, fw = _mini()
    try:
        loaded = make()
        result = json.loads(result_json(assess(loaded, q, fw)))
    except InputError as exc:
        return "error", exc.lines()
    result.pop("responses")
    return "ok", result


respondent = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h"]),
        "role": st.sampled_from(["boss", "staff", "staff", "ghost"]),
        "answers": st.dictionaries(
            st.sampled_from(list(VALUES)),
            st.sampled_from(list(VALUES)).flatmap(lambda k: st.sampled_from(VALUES[k])),
            max_size=8,
        ),
    },
    optional={
        "department": st.sampled_from(["Sales", "", "x" * 501]),
        "comments": st.dictionaries(
            st.sampled_from(["q1", "q3", "q6"]), st.sampled_from(["why", "no\x01", None])
        ),
    },
)


def _as_file(people: list[dict[str, Any]]) -> dict[str, Any]:
    out = []
    for p in people:
        p = dict(p)
        notes = p.pop("comments", {})
        answers = dict(p["answers"])
        for qid, note in notes.items():
            if qid in answers:
                answers[qid] = {"value": answers[qid], "comment": note}
        p["answers"] = answers
        out.append(p)
    return {**HEAD, "respondents": out}


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(respondent, min_size=1, max_size=6))
def test_lean_reading_gives_the_models_results_and_errors(people: list[dict[str, Any]]) -> None:
    data = _as_file(people)
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
    lean = _outcome(lambda: parse_responses(raw, "r.yaml"))
    slow = _outcome(lambda: _slow(data, "r.yaml"))
    assert lean == slow


def _synthetic(n: int) -> dict[str, Any]:
    import random

    rng = random.Random(n)
    people = []
    for i in range(n):
        role = rng.choice(["boss", "staff"])
        answers: dict[str, Any] = {}
        for qid in VALUES:
            good = {
                "q1": [1, 2, 3, 4, 5, "na"],
                "q2": [1, 5, "na", 3],
                "q3": ["yes", "partly", "no"],
                "q4": [0, 2.5, 4, 12],
                "q5": ["low", "mid", "high", "na"],
                "q6": [["phone"], ["phone", "web"], [], "web"],
                "q7": ["fine", "ok\nthen"],
            }.get(qid)
            if good is None or (qid == "q5" and role != "boss") or rng.random() < 0.1:
                continue
            answers[qid] = rng.choice(good)
            if rng.random() < 0.05:
                answers[qid] = {
                    "value": answers[qid],
                    "comment": f"note {i}",
                    "evidence": ["e.pdf"],
                }
        people.append(
            {"id": f"r{i}", "role": role, "department": rng.choice(["S", "M"]), "answers": answers}
        )
    return {**HEAD, "respondents": people}


def _columnar(data: dict[str, Any]) -> str:
    table = AnswerTable.from_respondents(data["respondents"])
    return columnar_json(HEAD, table)


@pytest.mark.parametrize("n", [3, 400, 1200])
def test_yaml_json_and_columnar_give_byte_identical_results(n: int, tmp_path: Path) -> None:
    data = _synthetic(n)
    files = {
        "r.yaml": yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
        "r.json": json.dumps(data, ensure_ascii=False),
        "c.json": _columnar(data),
    }
    results = []
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        loaded = parse_responses(text.encode(), name)
        assert loaded.raw is not None, name
        q, fw = _mini()
        out = json.loads(result_json(assess(loaded, q, fw)))
        out.pop("responses")
        results.append(json.dumps(out, sort_keys=True))
    slow = _outcome(lambda: _slow(data, "r.yaml"))
    assert slow[0] == "ok"
    assert results[0] == results[1] == results[2] == json.dumps(slow[1], sort_keys=True)


def test_report_reads_notes_and_agreement_from_the_table() -> None:
    from assessment.agreement import agreement

    data = _synthetic(1200)
    q, fw = _mini()
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
    loaded = parse_responses(raw, "r.yaml")
    assert loaded.raw is not None
    table = check_table(loaded.head, loaded.raw, "r.yaml", q)
    lean = TableResponses(table, loaded.head.role_weights, loaded.raw.order)
    model = check_responses(_slow(data, "r.yaml"), q)
    assert isinstance(loaded.for_report(q), TableResponses)
    assert repr(agreement(lean, q, fw)) == repr(agreement(model, q, fw))

    class Ctx:  # with_notes needs only `elements`
        elements = ()

    notes_model = [
        (r.id, r.role, qid, a.comment, list(a.evidence))
        for r in model.respondents
        for qid, a in r.answers.items()
        if a.comment or a.evidence
    ]
    assert [c for c in lean.note_cells() if c[3] or c[4]] == notes_model
    assert with_notes is not None


def test_columnar_errors_are_located_in_the_file(tmp_path: Path) -> None:
    doc = json.loads(_columnar(_synthetic(5)))
    doc["answers"]["q1"][3] = 9
    doc["respondents"]["role"][1] = "ghost"
    doc["answers"]["q7"][2] = "bad\x07"
    path = tmp_path / "c.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    args = ["--questionnaire", str(MINI / "questionnaire.yaml")]
    args += ["--framework", str(MINI / "framework.yaml")]
    got = CliRunner().invoke(cli, ["score", str(path), *args])
    assert got.exit_code == 2
    assert (
        f"{path}: answers.q7[2]: Value error, control character '\\x07' at position 3" in got.output
    )
    doc["answers"]["q7"][2] = "ok"
    path.write_text(json.dumps(doc), encoding="utf-8")
    got = CliRunner().invoke(cli, ["validate", str(path), *args])
    assert got.exit_code == 2
    lines = got.output.strip().splitlines()
    assert lines[0].startswith(f"{path}: respondents.role[1]: unknown role 'ghost'")
    assert lines[1].startswith(f"{path}: answers.q1[3]: ")


def test_crmm_import_writes_a_columnar_file(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "import_scale", ROOT / "benchmarks" / "import_scale.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    export = tmp_path / "e.csv"
    bench.generate(export, 300)
    org = tmp_path / "org.yaml"
    org.write_text("name: X\nindustry: retail\nsize: large\nregion: east-china\n", encoding="utf-8")
    how = ["--from", "csv", "--questionnaire", "full-audit", "--org", str(org)]
    runner = CliRunner()
    for out in ("r.yaml", "r.json"):
        got = runner.invoke(cli, ["import", str(export), *how, "-o", str(tmp_path / out)])
        assert got.exit_code == 0, got.output
    results = []
    for args in (
        [str(tmp_path / "r.yaml")],
        [str(tmp_path / "r.json")],
        [str(export), *how],
    ):
        got = runner.invoke(cli, ["score", *args, "--format", "json"])
        assert got.exit_code == 0, got.output
        out = json.loads(got.stdout)
        out.pop("responses")
        results.append(out)
    assert results[0] == results[1] == results[2]
    got = runner.invoke(cli, ["validate", str(tmp_path / "r.json")])
    assert got.exit_code == 0 and "300 respondents" in got.output
