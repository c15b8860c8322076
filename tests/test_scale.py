"""Columnar import and scoring (issue 6 §4): the same answers and results as cell by cell,
the large-assessment rule, the fast YAML writer, and the scale benchmark in small."""

from __future__ import annotations

import importlib.util
import random
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.cli import cli
from assessment.engine import assess, result_json
from assessment.responses import check_responses, parse_responses
from assessment.scoring import ANSWERS_LIMIT, question_table, score_questions
from assessment.table_scoring import answer_frame, assess_table, table_from_responses
from frameworks.fileio import parse_data
from questionnaires.importers import IMPORTERS, ImportOptions
from questionnaires.importers.answer_table import AnswerColumn, AnswerTable
from questionnaires.importers.columns import QuestionIndex, classify
from questionnaires.importers.convert import convert
from questionnaires.importers.emit import scalar
from questionnaires.importers.encoding import decode_text
from questionnaires.importers.platforms import (
    LIMESURVEY,
    MSFORMS,
    PLAIN,
    QUALTRICS,
    SURVEYMONKEY,
    WJX,
    limesurvey_columns,
    msforms_columns,
    plain_columns,
    qualtrics_columns,
    surveymonkey_columns,
    wjx_columns,
)
from questionnaires.importers.table import parse_csv_text, read_sheet
from questionnaires.importers.values import SKIP, cell_value
from questionnaires.loader import load_questionnaire
from questionnaires.types import NA

from .conftest import MINI, ROOT
from .test_import_surveys import QUICK_CHECK_FILES

SURVEYS = ROOT / "tests" / "fixtures" / "surveys"
ORG = {"name": "示例公司", "industry": "retail", "size": "medium", "region": "east-china"}
LAYOUTS: dict[str, Any] = {
    "wjx": (wjx_columns, WJX),
    "limesurvey": (limesurvey_columns, LIMESURVEY),
    "qualtrics": (qualtrics_columns, QUALTRICS),
    "msforms": (msforms_columns, MSFORMS),
    "surveymonkey": (surveymonkey_columns, SURVEYMONKEY),
    "csv": (plain_columns, PLAIN),
}
FIXTURES = {
    **QUICK_CHECK_FILES,
    "mini-wjx-text.csv": "wjx",
    "mini-wjx-coded.csv": "wjx",
}


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load(SURVEYS / "build.py", "survey_fixtures_scale")
bench = _load(ROOT / "benchmarks" / "import_scale.py", "import_scale")
QC, QC_FW = load_questionnaire("quick-check")
MINI_Q = build.mini()


def _questionnaire(name: str) -> Any:
    return MINI_Q if name.startswith("mini-") else QC


# ----------------------------------------------------------------------------- import
@pytest.mark.parametrize("name", [n for n in FIXTURES if not n.endswith(".xlsx")])
def test_pandas_reads_the_cells_the_csv_module_reads(name: str) -> None:
    text, _ = decode_text((SURVEYS / name).read_bytes(), name)
    rows = parse_csv_text(text)
    width = max(len(r) for r in rows)
    assert read_sheet(SURVEYS / name).rows == [r + [""] * (width - len(r)) for r in rows]


@pytest.mark.parametrize(("name", "platform"), FIXTURES.items())
def test_columnar_import_matches_cell_by_cell(name: str, platform: str) -> None:
    """Every answer column, every row: the table holds what cell_value makes of the cell."""
    q = _questionnaire(name)
    layout, dialect = LAYOUTS[platform]
    sheet = read_sheet(SURVEYS / name)
    columns, skip = layout(sheet)
    index = QuestionIndex(q)
    matched = [(c, classify(c, index, dialect)) for c in columns]
    by_option = {m.qid for _, m in matched if m.kind == "option"}
    rows = [r for r in sheet.rows[skip:] if any(r)]
    got = IMPORTERS[platform](SURVEYS / name, q, ImportOptions())
    assert got.problems == []
    table = got.table
    assert len(table) == len(rows) == got.count
    values = table.values
    compared = 0
    for col, m in matched:
        if m.kind != "answer" or m.qid is None or m.qid in by_option:
            continue
        for i, row in enumerate(rows):
            want = cell_value(q.question_by_id[m.qid], row[col.index], dialect)
            have = values[m.qid].iloc[i] if m.qid in values else None
            assert have == (None if want is SKIP else want), (name, m.qid, i)
            compared += 1
    assert compared >= 2 * 5
    # the respondents view is built from the table, and the table from it again
    again = AnswerTable.from_respondents(got.respondents)
    assert again.respondents() == got.respondents


@pytest.mark.parametrize("ragged", [False, True])  # pandas' parser, or the csv module
def test_row_numbers_count_blank_lines(tmp_path: Path, ragged: bool) -> None:
    path = tmp_path / "plain.csv"
    last = "r4,it,1,no,extra" if ragged else "r4,it,1,no"
    path.write_text(
        f"respondent,role,qc-01,qc-04\nr1,sales,3,yes\n\nr2,it,9,no\nr3,it,2\n{last}\n\n",
        "utf-8",
    )
    got = IMPORTERS["csv"](path, QC, ImportOptions())
    assert [str(p) for p in got.problems] == [
        f"{path}: row 4, column 'qc-01': expected a level 1 to 5 or an anchor text, got '9'"
    ]
    assert got.unmatched == (["column 5"] if ragged else [])
    assert [r["id"] for r in got.respondents] == ["r1", "r2", "r3", "r4"]
    assert got.respondents[1]["answers"] == {"qc-04": {"value": "no"}}
    assert got.respondents[2]["answers"] == {"qc-01": {"value": 2}}


def test_repeated_and_missing_ids_in_many_rows(tmp_path: Path) -> None:
    lines = ["respondent,role,qc-01"] + [f"{i % 3 or ''},sales,{i % 5 + 1}" for i in range(12)]
    path = tmp_path / "ids.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    got = IMPORTERS["csv"](path, QC, ImportOptions())
    ids = [r["id"] for r in got.respondents]
    assert ids[:4] == ["r2", "r1", "r2-2", "r5"]  # row 2 has no id: r<row number>
    assert len(set(ids)) == 12


def test_answer_table_values_and_respondents() -> None:
    table = AnswerTable(
        ids=["a", "b", "c"],
        roles=["sales"] * 3,
        departments=[None, "部", None],
        columns={
            "q6": AnswerColumn.from_values([["phone"], ["web"], ["phone"]]),
            "q1": AnswerColumn.from_values([3, None, NA]),
        },
    )
    values = table.values
    assert values.loc["a", "q6"] == ["phone"] and values.loc["b", "q1"] is None
    assert values.loc["c", "q1"] == NA and list(values.columns) == ["q6", "q1"]
    people = table.respondents()
    assert people[1] == {
        "id": "b",
        "role": "sales",
        "department": "部",
        "answers": {"q6": {"value": ["web"]}},
    }
    people[0]["answers"]["q6"]["value"].append("app")  # each respondent has its own list
    assert people[2]["answers"]["q6"]["value"] == ["phone"]
    assert AnswerTable.from_respondents(people[1:]).respondents() == people[1:]


def test_progress_is_reported_per_column_and_while_writing(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    options = ImportOptions(progress=lambda *a: calls.append(a))
    done = convert(SURVEYS / "plain.csv", QC, options, organization=ORG, fast=True)
    columns = [c for c in calls if c[0] == "columns"]
    assert columns[-1][1] == columns[-1][2] == len(columns) >= 16
    assert calls[-1] == ("writing", 3, 3)
    assert done.imported.count == 3


# ----------------------------------------------------------------------------- writing
@pytest.mark.parametrize("name", [n for n, p in FIXTURES.items() if not n.startswith("mini-")])
def test_fast_writer_gives_the_same_data(name: str) -> None:
    slow = convert(SURVEYS / name, QC, ImportOptions(), organization=ORG)
    fast = convert(SURVEYS / name, QC, ImportOptions(), organization=ORG, fast=True)
    assert parse_data(fast.text.encode(), "f") == parse_data(slow.text.encode(), "s")


@pytest.mark.parametrize(
    "value",
    ["yes", "No", "null", "1", "3.5", "a: b", " x", "#x", "- x", "长文本，含逗号", "x\ny", "é\t",
     "[a]", "{a}", "'q'", '"q"', "~", "2026-11-02", "1e3", ".inf", "r1", "fa-lead-01", "@x",
     3, 4.5, 85.0, 1e-07, ["phone", "web"], "na", "\u2028", "x #y", "%x", "!x", "&a", "*a"],
)  # fmt: skip
def test_scalars_read_back_as_written(value: Any) -> None:
    text = f"k: {scalar(value)}\nl: [{scalar(value)}]\n"
    assert parse_data(text.encode(), "x") == {"k": value, "l": [value]}
    assert yaml.safe_load(text)["k"] == value


def test_large_cli_import_scores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The paths for large imports (fast writer, partial re-check, no listed answers), with
    their thresholds lowered so that 80 respondents take them."""
    import assessment.cli.importing as cli_importing
    import assessment.table_scoring as table_scoring
    import questionnaires.importers.convert as convert_module

    monkeypatch.setattr(convert_module, "LARGE_IMPORT", 50)
    monkeypatch.setattr(cli_importing, "CHECKED", 20)
    monkeypatch.setattr(table_scoring, "ANSWERS_LIMIT", 50)
    export = tmp_path / "export.csv"
    bench.generate(export, 80)
    org = tmp_path / "org.yaml"
    org.write_text(yaml.safe_dump(ORG, allow_unicode=True), "utf-8")
    out = tmp_path / "answers.yaml"
    args = [str(export), "--questionnaire", "full-audit", "--org", str(org), "-o", str(out)]
    res = CliRunner().invoke(cli, ["import", *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "imported 80 respondents" in res.stderr
    assert ': "yes"\n' in out.read_text("utf-8")  # the fast writer (PyYAML writes 'yes')
    fa, fw = load_questionnaire("full-audit")
    loaded = parse_responses(out.read_bytes(), str(out))  # assess checks it completely
    assert len(loaded.responses.respondents) == 80
    imported = IMPORTERS["csv"](export, fa, ImportOptions())
    by_file = assess(loaded, fa, fw)
    by_table = assess_table(
        imported.table, fa, fw, ORG, loaded.responses.date, out.name, loaded.sha256
    )
    assert result_json(by_file) == result_json(by_table)
    assert all(qr.answers == {} for qr in by_file.questions)


# ----------------------------------------------------------------------------- scoring
@pytest.mark.parametrize("questionnaire", ["quick-check", "full-audit"])
def test_assess_table_equals_assess_on_the_demo(questionnaire: str) -> None:
    from assessment.demo import demo_responses

    q, fw = load_questionnaire(questionnaire)
    data = demo_responses(q, fw)
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
    loaded = parse_responses(raw, "demo.yaml")
    want = result_json(assess(loaded, q, fw))
    people: list[Any] = data["respondents"]  # type: ignore[assignment]
    table = AnswerTable.from_respondents(people, [x.id for x in q.questions])
    org: dict[str, str] = data["organization"]  # type: ignore[assignment]
    got = assess_table(table, q, fw, org, str(data["date"]), "demo.yaml", loaded.sha256)
    assert result_json(got) == want
    assert got.certification is not None and got.certification.answers_with_evidence > 0


def test_csv_export_of_the_demo_scores_the_same() -> None:
    """Demo answers written as a plain CSV export, imported by columns, scored by table."""
    from assessment.demo import demo_responses

    data = demo_responses(QC, QC_FW)
    people: list[Any] = data["respondents"]  # type: ignore[assignment]
    ids = [x.id for x in QC.questions]

    def cell(a: Any) -> str:
        v = a["value"] if isinstance(a, dict) else a
        return ";".join(v) if isinstance(v, list) else "" if v is None else str(v)

    lines = [",".join(["respondent", "role", *ids])]
    lines += [
        ",".join([p["id"], p["role"], *(cell(p["answers"].get(q, "")) for q in ids)])
        for p in people
    ]
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
    want = assess(parse_responses(raw, "demo.yaml"), QC, QC_FW)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.csv"
        path.write_text("\n".join(lines) + "\n", "utf-8")
        imported = IMPORTERS["csv"](path, QC, ImportOptions())
    got = assess_table(imported.table, QC, QC_FW, ORG, "2026-11-01", "demo.csv", "0" * 64)
    for part in ("questions", "criteria", "elements", "overall", "recommendations"):
        assert getattr(got, part) == getattr(want, part), part


def _synthetic(n: int, seed: int = 7) -> AnswerTable:
    rnd = random.Random(seed)
    roles = [r.id for r in QC.roles]
    columns = {}
    for x in QC.questions:
        values: list[Any] = []
        for _ in range(n):
            roll = rnd.random()
            if roll < 0.05:
                values.append(None)
            elif roll < 0.08 and x.allow_na:
                values.append(NA)
            elif x.type in ("anchored", "likert"):
                values.append(rnd.randint(1, 5))
            elif x.type == "yes_partly_no":
                values.append(rnd.choice(["yes", "partly", "no"]))
            elif x.type == "kpi":
                assert x.kpi is not None
                values.append(float(rnd.randint(0, 100)))
            elif x.options:
                values.append(rnd.choice([o.id for o in x.options]))
            else:
                values.append("text")
        columns[x.id] = AnswerColumn.from_values(values)
    return AnswerTable(
        ids=[f"r{i}" for i in range(n)],
        roles=[rnd.choice(roles) for _ in range(n)],
        departments=[None] * n,
        columns=columns,
    )


def test_large_assessments_list_no_answers_and_score_the_same() -> None:
    table = _synthetic(ANSWERS_LIMIT + 500)
    df = answer_frame(table, QC)
    qt = question_table(QC, QC_FW)
    _, listed = score_questions(df, qt, False, True)
    _, short = score_questions(df, qt, False, False)
    for a, b in zip(listed, short, strict=True):
        assert (a.score, a.std, a.min, a.max, a.n) == (b.score, b.std, b.min, b.max, b.n)
        assert b.answers == {} and len(a.answers) == a.n + a.not_applicable
        if b.n:
            assert b.formula == f"mean of {b.n} answers = {b.score:.2f}"
            assert len(b.formula) < 40
    result = assess_table(table, QC, QC_FW, ORG, "2026-11-01", "t", "0" * 64)
    assert all(qr.answers == {} for qr in result.questions)
    assert len(result.respondents) == ANSWERS_LIMIT + 500
    weighted = assess_table(
        table, QC, QC_FW, ORG, "2026-11-01", "t", "0" * 64, role_weights={"leadership": 2.0}
    )
    assert weighted.questions[0].formula.startswith("role-weighted mean of ")
    small = assess_table(_synthetic(ANSWERS_LIMIT), QC, QC_FW, ORG, "2026-11-01", "t", "0" * 64)
    assert all(len(qr.answers) == qr.n + qr.not_applicable for qr in small.questions)


MINI_QN, MINI_FW = load_questionnaire(MINI / "questionnaire.yaml", MINI / "framework.yaml")


@st.composite
def mini_tables(draw: st.DrawFn) -> AnswerTable:
    n = draw(st.integers(min_value=1, max_value=12))
    roles = [r.id for r in MINI_QN.roles]
    columns = {}
    for x in MINI_QN.questions:
        if x.type in ("anchored", "likert"):
            pool: list[Any] = [1, 2, 3, 4, 5]
        elif x.type == "yes_partly_no":
            pool = ["yes", "partly", "no"]
        elif x.type == "kpi":
            pool = [0.0, 3.0, 4.5, 6.0, 10.0]
        elif x.type == "single_choice":
            pool = [o.id for o in x.options or []]
        elif x.type == "multiple_choice":
            ids = [o.id for o in x.options or []]
            pool = [ids[:1], ids[1:], ids]
        else:
            pool = ["a note"]
        if x.allow_na:
            pool.append(NA)
        values = draw(st.lists(st.sampled_from([None, *pool]), min_size=n, max_size=n))
        columns[x.id] = AnswerColumn.from_values(values)
    return AnswerTable(
        ids=[f"r{i}" for i in range(n)],
        roles=draw(st.lists(st.sampled_from(roles), min_size=n, max_size=n)),
        departments=[None] * n,
        columns=columns,
    )


def _shuffled(table: AnswerTable, order: list[int]) -> AnswerTable:
    return AnswerTable(
        ids=[table.ids[i] for i in order],
        roles=[table.roles[i] for i in order],
        departments=[table.departments[i] for i in order],
        columns={k: AnswerColumn(c.codes[order], c.uniques) for k, c in table.columns.items()},
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=mini_tables(), seed=st.integers(0, 1000))
def test_random_tables_score_in_range_whatever_the_order(table: AnswerTable, seed: int) -> None:
    def run(t: AnswerTable) -> Any:
        return assess_table(t, MINI_QN, MINI_FW, ORG, "2026-11-01", "t", "0" * 64)

    one = run(table)
    for item in [*one.questions, *one.criteria, *one.elements, one.overall]:
        assert item.score is None or 0.0 <= item.score <= 100.0
    order = list(range(len(table)))
    random.Random(seed).shuffle(order)
    two = run(_shuffled(table, order))
    for a, b in zip(one.questions, two.questions, strict=True):
        assert (a.score, a.n, a.not_applicable, a.min, a.max) == (
            b.score,
            b.n,
            b.not_applicable,
            b.min,
            b.max,
        )
        assert a.answers == b.answers
    assert [c.score for c in one.criteria] == [c.score for c in two.criteria]
    assert one.elements == two.elements
    assert one.overall == two.overall
    assert one.certification == two.certification


def test_answers_frame_keeps_its_columns(mini_responses: dict[str, Any]) -> None:
    from assessment.scoring import answers_frame

    raw = yaml.safe_dump(mini_responses, allow_unicode=True).encode()
    resp = check_responses(parse_responses(raw, "r.yaml"), MINI_QN)
    df = answers_frame(resp, MINI_QN)
    assert list(df.columns) == ["respondent", "role", "rw", "question", "score", "na"]
    first = resp.respondents[0]
    scored = [q for q, a in first.answers.items() if MINI_QN.question_by_id[q].scored]
    assert df["respondent"].tolist()[: len(scored)] == [first.id] * len(scored)
    assert set(df["question"]) <= {x.id for x in MINI_QN.questions}
    assert len(table_from_responses(resp, MINI_QN)) == len(resp.respondents)


# ----------------------------------------------------------------------------- benchmark
def test_benchmark_runs_small() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "import_scale.py"), "--rows", "2000"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=True,
    )
    out = done.stdout
    assert "2000 respondents" in out and "ratio ours / floor:" in out
    assert "goal peak <= 1 GiB: met" in out


def test_generated_export_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    bench.generate(a, 50)
    bench.generate(b, 50)
    assert a.read_bytes() == b.read_bytes()
    head = a.read_text("utf-8").splitlines()[0].split(",")
    assert head[:4] == ["respondent", "role", "department", "提交答卷时间"] and len(head) == 120
