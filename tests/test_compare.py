"""`crmm compare`, `crmm score --batch` and `crmm report --previous`, on hand-computed data."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from assessment.cli import cli
from assessment.compare import compare
from assessment.inputs import load_assessment
from assessment.tabular import Sheet, safe_cell, to_csv

from .conftest import MINI, load_yaml, mini_args, pdf_text, write_yaml


def later(base: dict[str, Any]) -> dict[str, Any]:
    """Mini Co a year on: better skills (q1 5 and 4) and faster complaints (bob 2 days)."""
    d = copy.deepcopy(base)
    d["date"] = "2027-11-01"
    d["respondents"][0]["answers"]["q1"] = 5
    d["respondents"][1]["answers"]["q1"] = 4
    d["respondents"][1]["answers"]["q4"] = 2
    return d


def renamed(base: dict[str, Any], name: str) -> dict[str, Any]:
    d = copy.deepcopy(base)
    d["organization"]["name"] = name
    return d


@pytest.fixture
def files(tmp_path: Path, mini_responses: dict[str, Any]) -> dict[str, Path]:
    other = renamed(mini_responses, "=Other Co")
    other["respondents"][0]["answers"]["q3"] = "no"  # complaints worse
    return {
        "first": write_yaml(tmp_path / "first.yaml", mini_responses),
        "later": write_yaml(tmp_path / "later.yaml", later(mini_responses)),
        "other": write_yaml(tmp_path / "other.yaml", other),
        "third": write_yaml(tmp_path / "third.yaml", renamed(later(mini_responses), "Third Co")),
    }


@pytest.fixture(autouse=True)
def _english_user(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the tables in English, the language given no `--lang` to an
    English-speaking user."""
    monkeypatch.setenv("CRMM_LANG", "en")


def run(runner: CliRunner, args: list[str], code: int = 0) -> Any:
    res = runner.invoke(cli, args)
    assert res.exit_code == code, (res.output, res.stderr, res.exception)
    return res


def as_json(runner: CliRunner, paths: list[Path], extra: list[str] | None = None) -> Any:
    out = run(runner, ["compare", *map(str, paths), "--format", "json", *mini_args(extra)])
    return json.loads(out.stdout)


# --- over time -----------------------------------------------------------------------------


def test_over_time_deltas_by_hand(runner: CliRunner, files: dict[str, Path]) -> None:
    # later: q1 = mean(100, 75) = 87.5 → people (87.5 + 50) / 2 = 68.75;
    # q4 = mean(50, 75) = 62.5 → s-complaints (75×2 + 62.5) / 3 = 70.83;
    # service (70.833×2 + 70) / 3 = 70.56; overall (68.75 + 70.556×3) / 4 = 70.10
    c = as_json(runner, [files["later"], files["first"]])  # given out of order: sorted by date
    assert c["mode"] == "over-time"
    assert [e["date"] for e in c["entries"]] == ["2026-11-01", "2027-11-01"]
    step = c["first_to_last"]
    assert step == c["steps"][0]
    people, service = step["elements"]
    assert (people["score_before"], people["score_after"], people["score_delta"]) == (
        50.0,
        68.75,
        18.75,
    )
    assert (people["level_before"], people["level_after"], people["level_change"]) == (3, 4, 1)
    assert (service["score_after"], service["score_delta"], service["level_change"]) == (
        70.56,
        5.56,
        0,
    )
    o = step["overall"]
    assert (o["score_before"], o["score_after"], o["score_delta"]) == (61.25, 70.1, 8.85)
    assert step["improved"] == ["p-skills", "s-complaints"] and step["declined"] == []
    # the first assessment recommended all four criteria (target 5); only skills moved up
    acted = {a["criterion"]: (a["acted_on"], a["reached_target"]) for a in step["recommendations"]}
    assert acted == {
        "p-skills": (True, True),
        "p-reward": (False, False),
        "s-complaints": (False, False),
        "s-retention": (False, False),
    }
    assert c["left_out"] == [] and c["ranking"] == []


def test_over_time_table_and_three_dates(runner: CliRunner, files: dict[str, Path]) -> None:
    out = run(runner, ["compare", str(files["first"]), str(files["later"]), *mini_args()]).stdout
    assert "Mini Co — 2026-11-01 → 2027-11-01" in out
    assert "People" in out and "+18.75" in out and "3 → 4" in out
    assert "earlier recommendations acted on (1/4)" in out
    assert "yes Skills: L3 → L5 (→ L5, target reached)" in out
    zh = run(
        runner,
        ["compare", str(files["first"]), str(files["later"]), "--lang", "zh-CN", *mini_args()],
    ).stdout
    assert "技能: +37.50 (L3 → L5)" in zh and "已达到目标等级" in zh
    middle = load_yaml(files["later"])
    middle["date"] = "2027-05-01"
    mid = write_yaml(files["first"].parent / "middle.yaml", middle)
    c = as_json(runner, [files["first"], files["later"], mid])
    assert [e["date"] for e in c["entries"]] == ["2026-11-01", "2027-05-01", "2027-11-01"]
    assert len(c["steps"]) == 2 and c["steps"][1]["overall"]["score_delta"] == 0.0
    assert c["first_to_last"]["overall"]["score_delta"] == 8.85


def test_demo_reassessed_a_year_later(tmp_path: Path) -> None:
    """The demo retailer re-assessed with every element half a level higher."""
    import datetime as dt

    from assessment import demo
    from assessment.engine import assess, result_json
    from assessment.responses import parse_responses
    from assessment.synthetic import synthesize
    from questionnaires.loader import load_questionnaire

    q, fw = load_questionnaire(demo.QUESTIONNAIRE)
    first = write_yaml(tmp_path / "2026.yaml", demo.demo_responses(q, fw))
    people = demo.demo_people(q, "zh-CN", written=False)
    profile = {k: v + 0.5 for k, v in demo.PROFILE.items()}
    org = demo.organization("zh-CN")
    doc = synthesize(q, fw, org, profile, people, dt.date(2027, 11, 1), demo.SEED)
    second = write_yaml(tmp_path / "2027.yaml", doc)
    before = assess(parse_responses(first.read_bytes(), str(first)), q, fw)
    (tmp_path / "2026.json").write_text(result_json(before), "utf-8")
    after, _ = load_assessment(second)
    loaded, found = load_assessment(tmp_path / "2026.json")
    assert loaded == before and found is not None and found.id == "crm-maturity"
    c = compare([after, loaded], ["2027", "2026"])
    step = c.first_to_last
    assert c.mode == "over-time" and [e.source for e in c.entries] == ["2026", "2027"]
    assert step is not None and len(step.elements) == 7 and len(step.criteria) == 37
    assert step.overall.score_delta is not None and step.overall.score_delta > 5
    assert all(d.score_delta is not None and d.score_delta > 0 for d in step.elements)
    acted = [a.criterion for a in step.recommendations if a.acted_on]
    assert acted and set(acted) <= set(step.improved)


# --- organisations -------------------------------------------------------------------------


def test_organisations_ranking_and_heatmap(runner: CliRunner, files: dict[str, Path]) -> None:
    # other: q3 = mean(0, 100) = 50 → s-complaints (50×2 + 37.5) / 3 = 45.83,
    # service (45.833×2 + 70) / 3 = 53.89, overall (50 + 53.889×3) / 4 = 52.92 (level 3)
    c = as_json(runner, [files["first"], files["other"], files["third"]])
    assert c["mode"] == "organisations" and c["first_to_last"] is None
    ranked = [c["entries"][i] for i in c["ranking"]]
    assert [(e["organization"]["name"], e["score"], e["level"]) for e in ranked] == [
        ("Third Co", 70.1, 4),
        ("Mini Co", 61.25, 4),
        ("=Other Co", 52.92, 3),
    ]
    assert [e["elements"] for e in ranked] == [
        {"people": 68.75, "service": 70.56},
        {"people": 50.0, "service": 65.0},
        {"people": 50.0, "service": 53.89},
    ]
    table = run(
        runner, ["compare", *(str(files[k]) for k in ("first", "other", "third")), *mini_args()]
    )
    lines = table.stdout.splitlines()
    assert lines[2].split() == ["1", "Third", "Co", "2027-11-01", "70.10", "4", "68.75", "70.56"]


def test_ties_broken_by_name_and_mode_forced(files: dict[str, Path], tmp_path: Path) -> None:
    mini = load_yaml(files["first"])
    b = write_yaml(tmp_path / "b.yaml", renamed(mini, "B Co"))
    a = write_yaml(tmp_path / "a.yaml", renamed(mini, "A Co"))
    results = [load_assessment(p, *mini_paths())[0] for p in (b, a)]
    c = compare(results, ["b", "a"])
    assert c.ranking == [1, 0]
    same = [load_assessment(p, *mini_paths())[0] for p in (files["first"], files["later"])]
    assert compare(same, ["1", "2"], mode="organisations").ranking == [1, 0]


def mini_paths() -> tuple[str, str]:
    return str(MINI / "questionnaire.yaml"), str(MINI / "framework.yaml")


# --- framework versions --------------------------------------------------------------------


def test_mixed_framework_versions_report_what_is_left_out(
    runner: CliRunner, files: dict[str, Path], tmp_path: Path
) -> None:
    fw = load_yaml(MINI / "framework.yaml")
    fw["version"] = "0.2.0"
    fw["elements"][0]["criteria"] = [
        c for c in fw["elements"][0]["criteria"] if c["id"] != "p-reward"
    ]
    fw["actions"] = [a for a in fw["actions"] if a["criterion"] != "p-reward"]
    q = load_yaml(MINI / "questionnaire.yaml")
    q["framework"]["version"] = "0.2.0"
    q["questions"] = [x for x in q["questions"] if x["id"] != "q2"]
    responses = later(load_yaml(files["first"]))
    for person in responses["respondents"]:
        person["answers"].pop("q2", None)
    fw_path = write_yaml(tmp_path / "fw2.yaml", fw)
    q_path = write_yaml(tmp_path / "q2.yaml", q)
    new = write_yaml(tmp_path / "new.yaml", responses)
    res = run(
        runner,
        [
            "score",
            str(new),
            "--format",
            "json",
            "--questionnaire",
            str(q_path),
            "--framework",
            str(fw_path),
            "-o",
            str(tmp_path / "new.json"),
        ],
    )
    assert res.exit_code == 0
    old = tmp_path / "old.json"
    run(runner, ["score", str(files["first"]), "--format", "json", "-o", str(old), *mini_args()])
    out = run(runner, ["compare", str(old), str(tmp_path / "new.json"), "--format", "json"])
    c = json.loads(out.stdout)
    assert [e["framework"]["version"] for e in c["entries"]] == ["0.1.0", "0.2.0"]
    assert c["criteria"] == ["p-skills", "s-complaints", "s-retention"]
    assert c["left_out"] == [{"kind": "criterion", "id": "p-reward", "present_in": [0]}]
    assert "p-reward" not in [d["id"] for d in c["first_to_last"]["criteria"]]
    table = run(runner, ["compare", str(old), str(tmp_path / "new.json")]).stdout
    assert "left out (not in every assessment):" in table
    assert "criterion p-reward (only in 2026-11-01)" in table


# --- CSV, XLSX, errors ---------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_injection_escaped(text: str) -> None:
    assert safe_cell(text) == "'" + text
    assert safe_cell("ok =1") == "ok =1" and safe_cell(-1.5) == -1.5 and safe_cell(None) is None
    out = to_csv(Sheet("s", ["h"], [[text], [-2]]))
    assert list(csv.reader(io.StringIO(out, newline=""))) == [["h"], ["'" + text], ["-2"]]


def test_csv_and_xlsx(runner: CliRunner, files: dict[str, Path], tmp_path: Path) -> None:
    paths = [str(files[k]) for k in ("first", "other", "third")]
    out = run(runner, ["compare", *paths, "--format", "csv", *mini_args()]).stdout
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0][:3] == ["rank", "organisation", "industry"]
    assert [r[1] for r in rows[1:]] == ["Third Co", "Mini Co", "'=Other Co"]
    assert rows[2][2:5] == ["Retail", "Small (10–99 employees)", "East China"]  # names, not ids
    book = tmp_path / "orgs.xlsx"
    run(runner, ["compare", *paths, "-o", str(book), *mini_args()])
    wb = load_workbook(book)
    assert wb.sheetnames == ["ranking", "heatmap"]
    heat = wb["heatmap"]
    assert [c.value for c in heat[1]] == ["organisation", "date", "People", "Service", "overall"]
    assert [c.value for c in heat[4]] == ["'=Other Co", "2026-11-01", 50, 53.89, 52.92]
    assert heat["A4"].data_type == "s"
    assert [str(r.sqref) for r in heat.conditional_formatting] == ["C2:E4"]
    progress = tmp_path / "progress.xlsx"
    run(runner, ["compare", paths[0], str(files["later"]), "-o", str(progress), *mini_args()])
    sheet = load_workbook(progress)["progress"]
    skills = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "p-skills")
    assert skills == ("criterion", "p-skills", "Skills", 50, 87.5, 37.5, 3, 5, "yes", "yes")


def test_compare_usage_errors(runner: CliRunner, files: dict[str, Path], tmp_path: Path) -> None:
    res = run(runner, ["compare", str(files["first"]), *mini_args()], code=2)
    assert "give at least two assessments" in res.stderr
    res = run(runner, ["compare", str(files["first"]), str(files["later"]), "-o", "x.pptx"], code=2)
    assert "cannot tell the format of 'x.pptx' from its extension" in res.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"result_format": "crmm-result/3"}', "utf-8")
    res = run(runner, ["compare", str(files["first"]), str(bad), *mini_args()], code=2)
    assert f"{bad}: framework: required field is missing" in res.stderr


# --- batch ---------------------------------------------------------------------------------


def test_batch_scores_good_files_and_lists_failures(
    runner: CliRunner, files: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "portfolio"
    (folder / "sub").mkdir(parents=True)
    for k in ("first", "other"):
        (folder / files[k].name).write_bytes(files[k].read_bytes())
    (folder / "sub" / "third.yml").write_bytes(files["third"].read_bytes())
    (folder / "sub" / "bad.yaml").write_text("type: responses\n", "utf-8")
    (folder / "notes.txt").write_text("not a responses file", "utf-8")
    summary = tmp_path / "summary.csv"
    res = run(runner, ["score", "--batch", str(folder), "-o", str(summary), *mini_args()], code=2)
    assert f"{folder / 'sub' / 'bad.yaml'}: organization: required field is missing" in res.stderr
    assert "scored 3 of 4 files" in res.stderr
    rows = list(csv.DictReader(summary.open(encoding="utf-8", newline="")))
    assert [(r["file"], r["organization"], r["overall_score"]) for r in rows] == [
        ("first.yaml", "Mini Co", "61.25"),
        ("other.yaml", "'=Other Co", "52.92"),
        ("sub/third.yml", "Third Co", "70.1"),
    ]
    assert rows[0]["people"] == "50.0" and rows[0]["service"] == "65.0"
    assert rows[0]["overall_level"] == "4" and rows[0]["coverage"] == "1.0"
    assert len(rows[0]["sha256"]) == 64
    (folder / "sub" / "bad.yaml").unlink()
    book = tmp_path / "summary.xlsx"
    run(runner, ["score", "--batch", str(folder), "-o", str(book), *mini_args()])
    assert load_workbook(book)["summary"].max_row == 4
    res = run(runner, ["score", str(files["first"]), "--batch", str(folder)], code=2)
    assert "either RESPONSES or --batch" in res.stderr


# --- reports -------------------------------------------------------------------------------


def test_report_with_previous_shows_progress(
    runner: CliRunner, files: dict[str, Path], tmp_path: Path
) -> None:
    prev = tmp_path / "prev.json"
    run(runner, ["score", str(files["first"]), "--format", "json", "-o", str(prev), *mini_args()])
    md = tmp_path / "r.md"
    args = ["report", str(files["later"]), "--previous", str(prev), "--lang", "en"]
    run(runner, [*args, "-o", str(md), *mini_args()])
    text = md.read_text("utf-8")
    assert "### Progress since the previous assessment" in text
    assert "| People | 50.0 | 68.8 | +18.8 | L3 → L4 |" in text
    assert "| Overall score | 61.3 | 70.1 | +8.9 | L4 → L4 |" in text
    acted = "1 of the 4 earlier recommendations was acted on (its criterion moved up a level)"
    assert acted in text
    html = tmp_path / "r.html"
    run(runner, [*args, "-o", str(html), *mini_args()])
    page = html.read_text("utf-8")
    assert 'class="previous"' in page and "Previous assessment (2026-11-01)" in page
    res = run(
        runner,
        [
            "report",
            str(files["first"]),
            "--previous",
            str(files["later"]),
            "-o",
            str(md),
            *mini_args(),
        ],
        code=2,
    )
    assert "after this assessment" in res.stderr


def test_compare_reports(runner: CliRunner, files: dict[str, Path], tmp_path: Path) -> None:
    orgs = [str(files[k]) for k in ("first", "other", "third")]
    out = run(runner, ["compare", *orgs, "--format", "html", "--lang", "en", *mini_args()]).stdout
    assert 'class="chart heatmap"' in out and "Ranking by overall score" in out
    assert out.index("Third Co") < out.index("Mini Co") < out.index("=Other Co")
    pdf = tmp_path / "progress.pdf"
    args = ["compare", str(files["first"]), str(files["later"]), "-o", str(pdf), "--lang", "zh-CN"]
    run(runner, [*args, *mini_args()])
    text = pdf_text(pdf)
    assert "上次改进建议的落实情况" in text and "+18.8" in text
