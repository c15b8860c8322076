"""The audit inputs of a responses file checked and carried (issue 14 §2): the evidence
register, the assessors' trail and workshops; located errors, exit 2 at the CLI, and the
same results from YAML, JSON and columnar files."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from assessment.cli import cli
from assessment.engine import assess, result_json
from assessment.response_columns import columnar_json
from assessment.responses import parse_responses
from frameworks.errors import InputError
from questionnaires.importers.answer_table import AnswerTable
from questionnaires.loader import load_questionnaire

from .conftest import MINI, ROOT, load_yaml, write_yaml

TD = ROOT / "tests" / "fixtures" / "two-dimensions"
Mutation = Callable[[dict[str, Any]], None]


def problems(mutate: Mutation, example: Path = TD, base: dict[str, Any] | None = None) -> list[str]:
    """The located problems of the example's responses changed by `mutate` ([] if none)."""
    data = copy.deepcopy(base) if base is not None else load_yaml(example / "responses.yaml")
    mutate(data)
    q, fw = load_questionnaire(str(example / "questionnaire.yaml"), str(example / "framework.yaml"))
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
    try:
        assess(parse_responses(raw, "r.yaml"), q, fw)
    except InputError as exc:
        return exc.lines()
    return []


def _set(path: str, value: Any) -> Mutation:
    """A mutation setting `a.0.b` (list positions as numbers); None deletes the key."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for k in parents:
            node = node[int(k)] if k.isdigit() else node[k]
        key: Any = int(last) if last.isdigit() else last
        if value is None:
            del node[key]
        else:
            node[key] = value

    return mutate


CASES: list[tuple[str, Mutation, str]] = [
    (
        "unknown criterion rated",
        _set("assessor_ratings.0.criterion", "nope"),
        "r.yaml: assessor_ratings[0].criterion: unknown criterion 'nope'",
    ),
    (
        "unknown evidence cited by a rating",
        _set("assessor_ratings.0.evidence", ["ev-99"]),
        "r.yaml: assessor_ratings[0].evidence[0]: unknown evidence id 'ev-99'"
        " (register: ev-01, ev-02, ev-03, ev-04)",
    ),
    (
        "rejected evidence cited by a rating",
        _set("assessor_ratings.1.evidence", ["ev-04"]),
        "r.yaml: assessor_ratings[1].evidence[0]: evidence 'ev-04' was rejected",
    ),
    (
        "no evidence cited by a rating",
        _set("assessor_ratings.0.evidence", []),
        "r.yaml: assessor_ratings[0].evidence: List should have at least 1 item after"
        " validation, not 0",
    ),
    (
        "no reason for a rating",
        _set("assessor_ratings.0.reason", ""),
        "r.yaml: assessor_ratings[0].reason: String should have at least 1 character",
    ),
    (
        "a rating's time without its offset",
        _set("assessor_ratings.0.at", "2026-11-20T10:15:00"),
        "r.yaml: assessor_ratings[0].at: Value error, give the time with its offset,"
        " e.g. 2026-11-20T10:30:00+08:00",
    ),
    (
        "entries out of time order",
        _set("assessor_ratings.1.at", "2026-11-19T11:40:00+08:00"),
        "r.yaml: assessor_ratings[1].at: 2026-11-19T11:40:00+08:00 is before the entry above"
        " it: the trail is kept oldest first",
    ),
    (
        "a rating out of the scale",
        _set("assessor_ratings.0.rating", 6),
        "r.yaml: assessor_ratings[0].rating: Input should be less than or equal to 5",
    ),
    (
        "unknown evidence cited by an answer",
        _set("respondents.0.answers.i-welcome.evidence", ["ev-77"]),
        "r.yaml: respondents[0].answers.i-welcome.evidence[0]: unknown evidence id 'ev-77'"
        " (register: ev-01, ev-02, ev-03, ev-04)",
    ),
    (
        "a register item for an unknown criterion",
        _set("evidence_register.0.criteria", ["zzz"]),
        "r.yaml: evidence_register[0].criteria[0]: unknown criterion 'zzz'",
    ),
    (
        "an insufficient item without its reason",
        _set("evidence_register.1.reason", None),
        "r.yaml: evidence_register[1]: Value error, a reason is required for status insufficient",
    ),
    (
        "a workshop without participants",
        _set("respondents.3.participants", []),
        "r.yaml: respondents[3]: Value error, a workshop needs its participants",
    ),
    (
        "participants of a person",
        _set("respondents.0.participants", [{"name": "林院长"}]),
        "r.yaml: respondents[0]: Value error, participants are for kind workshop only",
    ),
    (
        "a participant of an unknown role",
        _set("respondents.3.participants.0.role", "boss"),
        "r.yaml: respondents[3].participants[0].role: unknown role 'boss'",
    ),
]


@pytest.mark.parametrize(("what", "mutate", "line"), CASES, ids=[c[0] for c in CASES])
def test_located_problems(what: str, mutate: Mutation, line: str) -> None:
    assert problems(mutate) == [line]


def test_a_duplicate_evidence_id() -> None:
    def dup(data: dict[str, Any]) -> None:
        data["evidence_register"].append(dict(data["evidence_register"][0]))

    assert problems(dup) == [
        "r.yaml: evidence_register: Value error, duplicate evidence id 'ev-01' at [4]"
        " (first at [0])"
    ]


def test_the_fixture_is_valid() -> None:
    assert problems(lambda d: None) == []


REGISTER = [
    {
        "id": "ev-1",
        "kind": "document",
        "title": "培训记录",
        "date": "2026-10-01",
        "status": "accepted",
    }
]
MINI_RATING = {
    "criterion": "p-skills",
    "rating": 2,
    "before": 50.0,
    "reason": "培训记录只覆盖一半员工。",
    "evidence": ["ev-1"],
    "by": "me",
    "at": "2026-11-01T10:00:00+08:00",
}


def test_one_dimension_frameworks_take_ratings_of_the_score_only() -> None:
    mini = load_yaml(MINI / "responses.yaml")
    mini["respondents"][0]["answers"]["q3"]["evidence"] = []

    def rated(dimension: str | None) -> Mutation:
        def mutate(data: dict[str, Any]) -> None:
            data["evidence_register"] = REGISTER
            data["assessor_ratings"] = [{**MINI_RATING, "dimension": dimension}]

        return mutate

    assert problems(rated(None), MINI, mini) == []
    assert problems(rated("reality"), MINI, mini) == [
        "r.yaml: assessor_ratings[0].dimension: framework mini declares no dimensions"
    ]


def test_free_evidence_references_need_no_register() -> None:
    """Without a register, answers cite evidence in their own words (examples/mini cites a
    file name); with one, they must cite its ids."""
    assert problems(lambda d: None, MINI) == []

    def registered(data: dict[str, Any]) -> None:
        data["evidence_register"] = REGISTER

    assert problems(registered, MINI) == [
        "r.yaml: respondents[0].answers.q3.evidence[0]: unknown evidence id"
        " 'complaint-log.xlsx' (register: ev-1)"
    ]


def test_the_cli_exits_2_with_every_located_problem(tmp_path: Path, runner: CliRunner) -> None:
    data = load_yaml(TD / "responses.yaml")
    data["assessor_ratings"][0]["before"] = 30.0
    data["assessor_ratings"][1]["evidence"] = ["ev-9"]
    f = write_yaml(tmp_path / "r.yaml", data)
    got = runner.invoke(
        cli,
        [
            "score",
            str(f),
            "--questionnaire",
            str(TD / "questionnaire.yaml"),
            "--framework",
            str(TD / "framework.yaml"),
            "--format",
            "json",
        ],
    )
    assert got.exit_code == 2
    assert got.stderr.splitlines() == [
        f"{f}: assessor_ratings[1].evidence[0]: unknown evidence id 'ev-9'"
        " (register: ev-01, ev-02, ev-03, ev-04)"
    ]
    data["assessor_ratings"][1]["evidence"] = ["ev-01"]
    write_yaml(f, data)
    got = runner.invoke(
        cli,
        [
            "score",
            str(f),
            "--questionnaire",
            str(TD / "questionnaire.yaml"),
            "--framework",
            str(TD / "framework.yaml"),
        ],
    )
    assert got.exit_code == 2
    assert got.stderr.splitlines() == [
        f"{f}: assessor_ratings[0].before: 30.00 recorded, but the answers give 29.17: they"
        " changed after the rating; review it and record what it replaces"
    ]
    assert "Traceback" not in got.output


# --- the same results however the file is laid out ----------------------------------------


def _layouts(data: dict[str, Any]) -> dict[str, str]:
    head = {k: v for k, v in data.items() if k != "respondents"}
    people = [
        {k: v for k, v in p.items() if k not in ("kind", "participants")}
        for p in data["respondents"]
    ]
    workshops = {
        i: p["participants"]
        for i, p in enumerate(data["respondents"])
        if p.get("kind") == "workshop"
    }
    table = AnswerTable.from_respondents(people)
    return {
        "r.yaml": yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
        "r.json": json.dumps(data, ensure_ascii=False, default=str),
        "c.json": columnar_json(
            json.loads(json.dumps(head, default=str)), table, workshops=workshops
        ),
    }


@pytest.mark.parametrize("workshop", [True, False])
def test_yaml_json_and_columnar_give_byte_identical_results(workshop: bool) -> None:
    data = load_yaml(TD / "responses.yaml")
    if not workshop:  # the lean reading path of the usual layout
        data["respondents"] = data["respondents"][:3]
        # c-complaints' reality without the workshop: (50 + 25 + 25) / 3
        data["assessor_ratings"][1]["before"] = 33.33
    q, fw = load_questionnaire(str(TD / "questionnaire.yaml"), str(TD / "framework.yaml"))
    results = []
    for name, text in _layouts(data).items():
        loaded = parse_responses(text.encode(), name)
        if name == "c.json" or not workshop:
            assert loaded.raw is not None, name
        out = json.loads(result_json(assess(loaded, q, fw)))
        out.pop("responses")
        results.append(json.dumps(out, sort_keys=True, ensure_ascii=False))
    assert results[0] == results[1] == results[2]
    out = json.loads(results[0])
    assert len(out["overrides"]) == 2
    assert [r["kind"] for r in out["respondents"]][-1] == ("workshop" if workshop else "person")
    assert {c["id"]: c["evidence"] for c in out["criteria"]} == {
        "f-welcome": ["ev-01"],
        "f-waiting": [],
        "c-followup": ["ev-03"],
        "c-complaints": [],
    }


def test_a_columnar_workshop_needs_its_participants() -> None:
    data = load_yaml(TD / "responses.yaml")
    doc = json.loads(_layouts(data)["c.json"])
    doc["respondents"]["participants"][3] = None
    with pytest.raises(InputError) as exc:
        parse_responses(json.dumps(doc, ensure_ascii=False).encode(), "c.json")
    assert exc.value.lines() == [
        "c.json: respondents.participants[3]: a workshop needs its participants"
    ]


def test_the_trail_is_part_of_the_responses_hash(tmp_path: Path, runner: CliRunner) -> None:
    data = load_yaml(TD / "responses.yaml")
    hashes = []
    for reason in ("复核排队系统。", "复核排队系统！"):
        data["assessor_ratings"][2]["reason"] = reason
        f = write_yaml(tmp_path / "r.yaml", data)
        got = runner.invoke(
            cli,
            [
                "score",
                str(f),
                "--questionnaire",
                str(TD / "questionnaire.yaml"),
                "--framework",
                str(TD / "framework.yaml"),
                "--format",
                "json",
            ],
        )
        assert got.exit_code == 0, got.output
        out = json.loads(got.stdout)
        assert out["overrides"][1]["reason"] == reason
        hashes.append(out["responses"]["sha256"])
    assert hashes[0] != hashes[1]


def test_merge_refuses_a_trail_and_keeps_workshops(tmp_path: Path, runner: CliRunner) -> None:
    data = load_yaml(TD / "responses.yaml")
    f = write_yaml(tmp_path / "a.yaml", data)
    args = [
        "--questionnaire",
        str(TD / "questionnaire.yaml"),
        "--framework",
        str(TD / "framework.yaml"),
    ]
    got = runner.invoke(cli, ["merge", str(f), "-o", str(tmp_path / "m.yaml"), *args])
    assert got.exit_code == 2
    assert got.stderr.splitlines() == [
        f"{f}: assessor_ratings: a file with an evidence register or assessor ratings is not"
        " merged: merge the answers first, then register evidence and rate (crmm rate)"
    ]
    del data["assessor_ratings"], data["evidence_register"]
    for p in data["respondents"]:
        for a in p["answers"].values():
            if isinstance(a, dict):
                a.pop("evidence", None)
    first = {**data, "respondents": data["respondents"][:2]}
    second = {**data, "respondents": data["respondents"][2:]}
    a, b = write_yaml(tmp_path / "a.yaml", first), write_yaml(tmp_path / "b.yaml", second)
    for out in ("m.yaml", "m.json"):
        got = runner.invoke(cli, ["merge", str(a), str(b), "-o", str(tmp_path / out), *args])
        assert got.exit_code == 0, got.output
        merged = parse_responses((tmp_path / out).read_bytes(), out).responses
        ws = merged.respondents[3]
        assert (ws.kind, [p.name for p in ws.participants]) == (
            "workshop",
            ["陈护士长", "王护士", "赵前台"],
        )


def test_the_readme_audit_yaml_is_valid() -> None:
    """The register entry, rating and workshop the README shows are valid as they stand."""
    import re

    from assessment.responses import AssessorRating, EvidenceItem, Respondent

    readme = (ROOT / "README.md").read_text("utf-8")
    part = readme[readme.index("## A consultant's audit") :]
    blocks = re.findall(r"```yaml\n(.*?)```", part[: part.index("\n## ", 10)], re.S)
    assert len(blocks) == 3
    register, trail, workshop = (yaml.safe_load(b) for b in blocks)
    assert [EvidenceItem.model_validate(x).status for x in register["evidence_register"]] == [
        "accepted"
    ]
    rating = AssessorRating.model_validate(trail["assessor_ratings"][0])
    assert (rating.criterion, rating.dimension, rating.rating) == ("f-waiting", "reality", 2)
    ws = Respondent.model_validate(workshop[0])
    assert (ws.kind, len(ws.participants)) == ("workshop", 2)


def test_validate_checks_the_audit_inputs(tmp_path: Path, runner: CliRunner) -> None:
    args = [
        "--questionnaire",
        str(TD / "questionnaire.yaml"),
        "--framework",
        str(TD / "framework.yaml"),
    ]
    got = runner.invoke(cli, ["validate", str(TD / "responses.yaml"), *args])
    assert got.exit_code == 0, got.output
    assert got.stdout.strip().endswith(
        "responses for clinic-audit-interview 2.0.0: 4 respondents, 22 answers;"
        " 4 evidence items, 3 assessor ratings, 1 workshop"
    )
    data = load_yaml(TD / "responses.yaml")
    data["assessor_ratings"][0]["before"] = 30.0
    f = write_yaml(tmp_path / "r.yaml", data)
    got = runner.invoke(cli, ["validate", str(f), *args])
    assert got.exit_code == 2
    assert got.stderr.splitlines() == [
        f"{f}: assessor_ratings[0].before: 30.00 recorded, but the answers give 29.17: they"
        " changed after the rating; review it and record what it replaces"
    ]
