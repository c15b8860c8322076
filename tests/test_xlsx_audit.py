"""The XLSX action plan of an audit (tests/fixtures/two-dimensions), read back with
openpyxl: the kind of work of each recommendation, the sheets "Assessor ratings" and
"Evidence register" against the result JSON and the responses file, text that could be
taken for a formula stored as text, and a one-dimension workbook without any of it."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from assessment.cli import cli
from assessment.tabular import safe_cell
from frameworks.langs import Lang
from reports.labels import labels

from .conftest import MINI

TWO = Path(__file__).resolve().parent / "fixtures" / "two-dimensions"
INPUTS = [
    "--questionnaire",
    str(TWO / "questionnaire.yaml"),
    "--framework",
    str(TWO / "framework.yaml"),
]
HOSTILE_TITLE = '=HYPERLINK("https://evil.example","click")'
HOSTILE_REASON = "+cmd|' /C calc'!A0 — the log is empty since March"


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture's responses with a register title and a rating's reason and assessor
    that a spreadsheet would take for formulas."""
    data = yaml.safe_load((TWO / "responses.yaml").read_text("utf-8"))
    data["evidence_register"][0]["title"] = HOSTILE_TITLE
    data["assessor_ratings"][1]["reason"] = HOSTILE_REASON
    data["assessor_ratings"][1]["by"] = "@assessor"
    path = tmp_path_factory.mktemp("xlsx-audit") / "responses.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def workbook_bytes(answers: Path, lang: Lang) -> bytes:
    out = answers.parent / f"plan-{lang}.xlsx"
    res = CliRunner().invoke(cli, ["report", str(answers), *INPUTS, "--lang", lang, "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out.read_bytes()


@pytest.fixture(scope="module")
def en(answers: Path) -> Workbook:
    return load_workbook(io.BytesIO(workbook_bytes(answers, "en")))


@pytest.fixture(scope="module")
def got(answers: Path) -> dict[str, Any]:
    res = CliRunner().invoke(cli, ["score", str(answers), *INPUTS, "--format", "json"])
    assert res.exit_code == 0, res.output
    result: dict[str, Any] = json.loads(res.output)
    return result


def sheet_rows(wb: Workbook, name: str) -> list[tuple[Any, ...]]:
    return list(wb[name].iter_rows(values_only=True))


def test_sheets_in_both_languages(answers: Path, en: Workbook) -> None:
    assert en.sheetnames == [
        "Action plan",
        "Scores",
        "Assessor ratings",
        "Evidence register",
        "About",
        "Own words",
    ]
    zh = load_workbook(io.BytesIO(workbook_bytes(answers, "zh-CN")))
    L = labels("zh-CN")
    assert zh.sheetnames == [
        L["plan.sheet_actions"],
        L["plan.sheet_scores"],
        L["audit.overrides"],
        L["audit.register"],
        L["plan.sheet_about"],
        L["own_words.sheet"],
    ]
    assert [c.value for c in zh[L["audit.register"]][1]][:3] == ["编号", "类型", "标题"]
    status = {r[0]: r[7] for r in sheet_rows(zh, L["audit.register"])[1:]}
    assert status == {"ev-01": "已接受", "ev-02": "不充分", "ev-03": "已接受", "ev-04": "不予采信"}


def test_each_action_row_says_its_recommendations_kind(en: Workbook, got: dict[str, Any]) -> None:
    """The column after the target level; the status and due-date lists move along."""
    ws = en["Action plan"]
    header = [c.value for c in ws[1]]
    assert header[5:8] == ["Target level", "Kind of work", "Action"]
    assert header[13:15] == ["Due date", "Status"]
    name = {"c-complaints": "Complaints", "c-followup": "Follow-up", "f-waiting": "Waiting times"}
    kinds = {name[r["criterion"]]: r["kind"] for r in got["recommendations"]["items"]}
    rows = sheet_rows(en, "Action plan")[1:]
    assert {r[3]: r[6] for r in rows} == {
        n: labels("en")[f"recs.kind.{k}"] for n, k in kinds.items()
    }
    validations = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert str(validations["list"].sqref).startswith("O2:O")
    assert str(validations["date"].sqref).startswith("N2:N")
    assert ws.auto_filter.ref == f"A1:P{len(rows) + 1}"


def test_assessor_ratings_sheet_is_the_trail(
    en: Workbook, got: dict[str, Any], answers: Path
) -> None:
    """The ratings that count, as overrides[] in the result (before is the answers' score,
    after the rating's), then the trail's entries a later one replaced."""
    rows = sheet_rows(en, "Assessor ratings")
    assert rows[0] == (
        "ID",
        "Criterion",
        "Dimension",
        "Before",
        "Rating",
        "After",
        "Assessor",
        "When",
        "Reason",
        "Evidence cited",
        "Entries",
        "In the result",
    )
    overrides = got["overrides"]
    counting = rows[1 : 1 + len(overrides)]
    for row, o in zip(counting, overrides, strict=True):
        assert row[0] == o["criterion"]
        assert row[2] == {None: "criterion score", "reality": "Reality"}[o["dimension"]]
        assert (row[3], row[4], row[5]) == (o["before"], o["rating"], o["after"])
        assert row[6] == safe_cell(o["by"]) and row[8] == safe_cell(o["reason"])
        assert row[10] == o["entries"]
        assert row[11] == "counts"
        assert row[7].startswith(o["at"][:10])
    trail = yaml.safe_load(answers.read_text("utf-8"))["assessor_ratings"]
    replaced = rows[1 + len(overrides) :]
    assert len(replaced) == len(trail) - len(overrides) == 1
    (row,) = replaced
    first = trail[0]
    assert (row[0], row[3], row[4], row[5]) == ("f-waiting", first["before"], 3, 50)
    assert row[8] == first["reason"] and row[10] is None
    assert row[11] == "replaced by a later rating"


def test_evidence_register_sheet(en: Workbook, answers: Path) -> None:
    register = yaml.safe_load(answers.read_text("utf-8"))["evidence_register"]
    rows = sheet_rows(en, "Evidence register")
    assert rows[0] == (
        "ID",
        "Kind",
        "Title",
        "Date",
        "Source",
        "Location",
        "Supports",
        "Status",
        "Reason",
        "Reviewer",
    )
    assert [r[0] for r in rows[1:]] == [e["id"] for e in register]
    for row, item in zip(rows[1:], register, strict=True):
        assert row[3] == dt.datetime.combine(item["date"], dt.time())
        assert row[7] == item["status"]  # the English status words are the ids
        assert (row[8] or None) == item.get("reason")
        assert row[9] == item["reviewed_by"]
    assert rows[4][1] == "link" and rows[4][5] == "https://intranet.example/complaints"
    assert rows[3][1] == "interview note" and rows[3][4] == "陈护士长, Nurse"
    assert rows[3][6] == "Follow-up"


def test_text_that_looks_like_a_formula_is_text(en: Workbook, answers: Path) -> None:
    """A register title starting with "=", a reason with "+", an assessor with "@": each
    stored as text with the escaping quote, as every other sheet does; no formula cell."""
    register = sheet_rows(en, "Evidence register")
    assert register[1][2] == "'" + HOSTILE_TITLE
    ratings = sheet_rows(en, "Assessor ratings")
    hostile = [r for r in ratings if r[8] == "'" + HOSTILE_REASON]
    assert len(hostile) == 1 and hostile[0][6] == "'@assessor"
    assert ratings[1][9].startswith("ev-02")  # the evidence cited, with its title
    for ws in en:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
    data = workbook_bytes(answers, "en")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 6 and not any(b"<f>" in s or b"<f " in s for s in sheets)


def test_same_audit_same_workbook(answers: Path) -> None:
    assert workbook_bytes(answers, "zh-CN") == workbook_bytes(answers, "zh-CN")


def test_a_one_dimension_workbook_has_none_of_it(tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    args = ["report", str(MINI / "responses.yaml"), "--lang", "en", "-o", str(out)]
    for kind in ("questionnaire", "framework"):
        args += [f"--{kind}", str(MINI / f"{kind}.yaml")]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    wb = load_workbook(out)
    assert "Assessor ratings" not in wb.sheetnames and "Evidence register" not in wb.sheetnames
    assert "Kind of work" not in [c.value for c in wb["Action plan"][1]]
