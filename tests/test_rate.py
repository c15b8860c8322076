"""`crmm rate`: an assessor's rating appended to the trail, `before` worked out by crmm."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment.cli import cli

from .conftest import MINI, ROOT, load_yaml, write_yaml

TD = ROOT / "tests" / "fixtures" / "two-dimensions"
INPUTS = [
    "--questionnaire",
    str(TD / "questionnaire.yaml"),
    "--framework",
    str(TD / "framework.yaml"),
]


def rate(runner: CliRunner, path: Path, target: str, *extra: str) -> tuple[int, str]:
    args = ["rate", str(path), target, "--reason", "随访记录只有一半。", "--by", "周慧敏"]
    if "--rating" not in extra:
        args += ["--rating", "2"]
    if "--evidence" not in extra:
        args += ["--evidence", "ev-03"]
    got = runner.invoke(cli, [*args, *extra, *INPUTS])
    return got.exit_code, got.stderr


def scored(runner: CliRunner, path: Path) -> dict:  # type: ignore[type-arg]
    got = runner.invoke(cli, ["score", str(path), "--format", "json", *INPUTS])
    assert got.exit_code == 0, got.output
    out: dict = json.loads(got.stdout)  # type: ignore[type-arg]
    return out


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    f = tmp_path / "responses.yaml"
    f.write_bytes((TD / "responses.yaml").read_bytes())
    return f


def test_a_dimension_rating_is_appended_and_the_rest_kept(runner: CliRunner, copy: Path) -> None:
    original = copy.read_text("utf-8")
    code, err = rate(runner, copy, "c-followup.reality", "--at", "2026-11-21T10:00:00+08:00")
    assert code == 0, err
    assert err.splitlines() == [
        "c-followup.reality：31.25 → 25.00（评估师评级 2）",
        f"已写入 {copy}",
    ]
    new = copy.read_text("utf-8")
    entry = (
        "  - criterion: c-followup\n"
        "    dimension: reality\n"
        "    rating: 2\n"
        "    before: 31.25\n"
        "    reason: 随访记录只有一半。\n"
        "    evidence:\n"
        "    - ev-03\n"
        "    by: 周慧敏\n"
        "    at: 2026-11-21T10:00:00+08:00\n"
    )
    # inserted as text at the end of the trail: every other byte as it was
    cut = original.index("respondents:\n")
    assert new == original[:cut] + entry + original[cut:]
    c = {x["id"]: x for x in scored(runner, copy)["criteria"]}["c-followup"]
    assert (c["reality"], c["score"], c["overridden"]) == (25.0, 25.0, ["reality"])


def test_before_follows_the_trail_and_chains(runner: CliRunner, copy: Path) -> None:
    """f-waiting's reality is 25.00 after the fixture's two entries; its score (the minimum)
    too: a new score rating replaces 25.00, the next one the rating before it."""
    assert (
        rate(runner, copy, "f-waiting", "--rating", "3", "--at", "2026-11-22T09:00:00+08:00")[0]
        == 0
    )
    code, err = rate(
        runner, copy, "f-waiting", "--rating", "4", "--at", "2026-11-22T10:00:00+08:00"
    )
    assert code == 0, err
    assert err.splitlines()[0] == "f-waiting：50.00 → 75.00（评估师评级 4）"
    trail = load_yaml(copy)["assessor_ratings"]
    assert [(e["criterion"], e.get("dimension"), e["before"]) for e in trail[3:]] == [
        ("f-waiting", None, 25.0),
        ("f-waiting", None, 50.0),
    ]
    out = scored(runner, copy)
    assert [
        (o["criterion"], o["dimension"], o["before"], o["after"], o["entries"])
        for o in out["overrides"]
    ] == [
        ("c-complaints", None, 20.0, 0.0, 1),
        ("f-waiting", "reality", 29.17, 25.0, 2),
        ("f-waiting", None, 25.0, 75.0, 2),
    ]


@pytest.mark.parametrize(
    ("target", "extra", "line"),
    [
        (
            "c-followup",
            ["--evidence", "ev-09"],
            "{f}: assessor_ratings[3].evidence[0]: unknown evidence id 'ev-09'"
            " (register: ev-01, ev-02, ev-03, ev-04)",
        ),
        (
            "c-followup",
            ["--evidence", "ev-04"],
            "{f}: assessor_ratings[3].evidence[0]: evidence 'ev-04' was rejected",
        ),
        ("nope", [], "{f}: assessor_ratings[3].criterion: unknown criterion 'nope'"),
        (
            "c-followup",
            ["--at", "2026-11-01T10:00:00+08:00"],
            "{f}: assessor_ratings[3].at: 2026-11-01T10:00:00+08:00 is before the entry above"
            " it: the trail is kept oldest first",
        ),
        (
            "c-followup",
            ["--at", "2026-11-22T10:00:00"],
            "--at: give the time with its offset, e.g. 2026-11-20T10:30:00+08:00",
        ),
        ("c-followup", ["--at", "tomorrow"], "--at: not an ISO date and time: 'tomorrow'"),
    ],
)
def test_refused_with_the_located_message_and_nothing_written(
    runner: CliRunner, copy: Path, target: str, extra: list[str], line: str
) -> None:
    before = copy.read_bytes()
    code, err = rate(runner, copy, target, *extra)
    assert code == 2
    assert err.splitlines() == [line.format(f=copy)]
    assert copy.read_bytes() == before


def test_a_dimension_needs_a_framework_with_dimensions(runner: CliRunner, tmp_path: Path) -> None:
    data = load_yaml(MINI / "responses.yaml")
    data["respondents"][0]["answers"]["q3"]["evidence"] = []
    data["evidence_register"] = [
        {
            "id": "ev-1",
            "kind": "document",
            "title": "培训记录",
            "date": "2026-10-01",
            "status": "accepted",
        }
    ]
    f = write_yaml(tmp_path / "r.yaml", data)
    mini = [
        "--questionnaire",
        str(MINI / "questionnaire.yaml"),
        "--framework",
        str(MINI / "framework.yaml"),
    ]
    base = ["rate", str(f), "--rating", "2", "--reason", "r", "--evidence", "ev-1", "--by", "me"]
    got = runner.invoke(cli, [*base, "p-skills.reality", *mini])
    assert got.exit_code == 2
    assert got.stderr.splitlines() == [
        f"{f}: assessor_ratings[0].dimension: framework mini declares no dimensions"
    ]
    got = runner.invoke(cli, [*base, "p-skills.quality", *mini])
    assert got.exit_code == 2
    assert "give CRITERION or CRITERION.intention / CRITERION.reality" in got.stderr
    got = runner.invoke(cli, [*base, "p-skills", "--at", "2026-11-02T09:00:00+08:00", *mini])
    assert got.exit_code == 0, got.output
    # a file without a trail gains one at its end
    assert f.read_text("utf-8").endswith(
        "assessor_ratings:\n  - criterion: p-skills\n    rating: 2\n    before: 50.0\n"
        "    reason: r\n    evidence:\n    - ev-1\n    by: me\n    at: 2026-11-02T09:00:00+08:00\n"
    )


def test_output_elsewhere_and_json_files(runner: CliRunner, copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "rated.yaml"
    before = copy.read_bytes()
    code, err = rate(
        runner, copy, "c-followup", "-o", str(out), "--at", "2026-11-22T10:00:00+08:00"
    )
    assert code == 0, err
    assert copy.read_bytes() == before
    assert load_yaml(out)["assessor_ratings"][3]["before"] == 31.25
    j = tmp_path / "r.json"
    j.write_text(json.dumps(load_yaml(copy), ensure_ascii=False, default=str, indent=2), "utf-8")
    code, err = rate(runner, j, "c-followup", "--at", "2026-11-22T10:00:00+08:00")
    assert code == 0, err
    entry = json.loads(j.read_text("utf-8"))["assessor_ratings"][3]
    assert entry == {
        "criterion": "c-followup",
        "rating": 2,
        "before": 31.25,
        "reason": "随访记录只有一半。",
        "evidence": ["ev-03"],
        "by": "周慧敏",
        "at": "2026-11-22T10:00:00+08:00",
    }
