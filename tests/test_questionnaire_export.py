"""`crmm questionnaire export` forms and the workbook importer: formats, protection, dropdowns,
formula safety, and the round trip workbook → import → responses → score."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from assessment.cli import cli
from assessment.engine import assess
from assessment.responses import check_responses, parse_responses
from frameworks.errors import InputError
from frameworks.text import LANGS, Lang
from questionnaires.export import export_questionnaire
from questionnaires.export.form import dropdown
from questionnaires.export.layout import META_SHEET, cell_ref
from questionnaires.export.markdown import md
from questionnaires.importers import IMPORTERS
from questionnaires.importers.assemble import to_responses_data
from questionnaires.importers.base import ImportedAnswers, ImportOptions
from questionnaires.loader import load_questionnaire
from questionnaires.model import Questionnaire

from .conftest import embedded_fonts, pdf_text

EXT = {"xlsx": "xlsx", "html": "html", "md": "md"}


@pytest.fixture(scope="module")
def qc() -> tuple[Any, Any]:
    return load_questionnaire("quick-check")


def _export(runner: Any, tmp_path: Path, fmt: str, lang: str, qid: str = "quick-check") -> Path:
    out = tmp_path / f"form-{lang}.{fmt}"
    res = runner.invoke(cli, ["questionnaire", "export", qid, "-o", str(out), "--lang", lang])
    assert res.exit_code == 0, res.output
    return out


def _meta(wb: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Profile cells and question cells from the hidden metadata table."""
    rows = list(wb[META_SHEET].iter_rows(values_only=True))
    profile = {r[1]: (r[3], r[4]) for r in rows if r[0] == "profile"}
    questions = {r[1]: (r[3], r[4], r[5], r[6]) for r in rows if r[0] == "question"}
    return profile, questions


def _validation(ws: Any, cell: str) -> Any:
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, cell
    return found[0]


def _list_values(wb: Any, formula: str) -> list[str]:
    sheet, rng = formula.rsplit("!", 1)
    ws = wb[sheet.strip("'")]
    return [c.value for (c,) in ws[rng.replace("$", "")]]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_text_forms_hold_every_question(runner, tmp_path, qc, fmt: str, lang: Lang) -> None:  # type: ignore[no-untyped-def]
    q, _ = qc
    text = _export(runner, tmp_path, fmt, lang).read_text("utf-8")
    escape = (lambda s: html.escape(s, quote=True)) if fmt == "html" else md
    for question in q.questions:
        assert question.id in text
        assert escape(question.text.get(lang)) in text, question.id
    assert escape(q.questions[0].anchors[0].get(lang)) in text  # the anchor texts to tick
    if fmt == "html":
        assert text.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in text
        assert "<script" not in text and "http" not in text.split("</style>")[1]
        boxes = sum({"anchored": 5, "yes_partly_no": 3}.get(x.type, 0) for x in q.questions)
        assert text.count('class="box"') == boxes + len(q.roles)  # levels, y/p/n, roles
    else:
        assert "- [ ] **1**" in text


@pytest.mark.parametrize("lang", LANGS)
def test_workbook_structure(runner, tmp_path, qc, lang: Lang) -> None:  # type: ignore[no-untyped-def]
    q, fw = qc
    wb = openpyxl.load_workbook(_export(runner, tmp_path, "xlsx", lang))
    elements = [e.name.get(lang) for e in fw.elements]
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert len(visible) == 1 + len(elements)
    assert {ws.title: ws.sheet_state for ws in wb.worksheets}[META_SHEET] == "hidden"
    assert all(ws.protection.sheet and not ws.protection.password for ws in wb.worksheets)
    assert wb.security is not None and wb.security.lockStructure
    profile, cells = _meta(wb)
    assert set(cells) == {x.id for x in q.questions}  # the hidden row → question map
    meta = {r[1]: r[2] for r in wb[META_SHEET].iter_rows(values_only=True) if r[0] == "meta"}
    assert (meta["questionnaire"], meta["version"], meta["lang"]) == (q.id, q.version, lang)
    for question in q.questions:
        sheet, answer, comment, evidence = cells[question.id]
        ws = wb[sheet]
        assert ws[f"A{ws[answer].row}"].value == question.id
        for ref in (answer, comment, evidence):
            assert ws[ref].protection.locked is False
        assert ws[f"B{ws[answer].row}"].protection.locked is True
        dv = _validation(ws, answer)
        if question.type == "kpi":
            assert question.kpi is not None
            assert (dv.type, dv.operator) == ("decimal", "between")
            assert (float(dv.formula1), float(dv.formula2)) == (
                question.kpi.minimum,
                question.kpi.maximum,
            )
        else:
            assert dv.type == "list" and dv.showErrorMessage and dv.errorStyle == "stop"
            allowed = _list_values(wb, dv.formula1)
            assert allowed == [text for _, text in dropdown(question, lang)]
            if question.type == "anchored":
                assert [a[:2] for a in allowed] == ["1 ", "2 ", "3 ", "4 ", "5 "]
            if question.type == "yes_partly_no":
                assert allowed == (
                    ["是", "部分", "否"] if lang == "zh-CN" else ["yes", "partly", "no"]
                )
    sheet, role_cell = profile["respondent.role"]
    role_dv = _validation(wb[sheet], role_cell)
    assert _list_values(wb, role_dv.formula1) == [r.name.get(lang) for r in q.roles]
    assert wb[sheet][role_cell].protection.locked is False
    assert wb[visible[1]].print_title_rows == "$3:$3"


def test_workbook_text_never_runs_as_a_formula(qc, tmp_path) -> None:  # type: ignore[no-untyped-def]
    q, fw = qc
    data = q.model_dump(by_alias=True)
    data["name"] = {"zh-CN": "=HYPERLINK(1)", "en": "=HYPERLINK(1)"}
    data["questions"][0]["text"] = {"zh-CN": "@SUM(A1)", "en": "+cmd|' /C calc'!A0"}
    data["questions"][0]["anchors"][0] = {"zh-CN": "-1+1", "en": "=1+1"}
    hostile = Questionnaire.model_validate(data)
    wb_path = tmp_path / "hostile.xlsx"
    wb_path.write_bytes(export_questionnaire(hostile, fw, "xlsx", "en"))
    wb = openpyxl.load_workbook(wb_path)
    values = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                values.append(str(c.value))
    assert "'+cmd|' /C calc'!A0" in "\n".join(values)
    assert "'=HYPERLINK(1) \u2014 answer form" in values  # the title on the first sheet


def _fill(path: Path, answers: dict[str, Any], profile: dict[str, Any], out: Path) -> Path:
    wb = openpyxl.load_workbook(path)
    prof_cells, cells = _meta(wb)
    for key, value in profile.items():
        sheet, ref = prof_cells[key]
        wb[sheet][ref].value = value
    for qid, value in answers.items():
        sheet, answer, comment, evidence = cells[qid]
        if isinstance(value, tuple):
            value, note, refs = value
            wb[sheet][comment].value = note
            wb[sheet][evidence].value = refs
        wb[sheet][answer].value = value
    wb.save(out)
    return out


PROFILE = {
    "organization.name": "示例公司",
    "organization.industry": "Retail",  # a name from the list
    "organization.size": "中型（100–999 人）",  # the other language's name
    "organization.region": "east-china",  # an id
    "date": dt.datetime(2026, 11, 1),
    "respondent.id": "r1",
    "respondent.role": "Leadership",
    "respondent.department": "CEO office",
}


def _import(path: Path, q: Questionnaire) -> ImportedAnswers:
    return IMPORTERS["workbook"](path, q, ImportOptions())


def test_round_trip_scores_like_the_responses_file(runner, tmp_path, qc) -> None:  # type: ignore[no-untyped-def]
    q, fw = qc
    blank = _export(runner, tmp_path, "xlsx", "en")
    anchored = [x.id for x in q.questions if x.type == "anchored"]
    levels = {qid: 1 + i % 5 for i, qid in enumerate(anchored)}
    # as a respondent would write them: the dropdown text, a bare number, text in zh
    cells: dict[str, Any] = {qid: lvl for qid, lvl in levels.items()}
    cells["qc-01"] = (
        dropdown(q.question_by_id["qc-01"], "en")[levels["qc-01"] - 1][1],
        "只有年度计划提到客户",
        "2026 plan.pdf; board minutes\nCRM report",
    )
    cells["qc-02"] = str(levels["qc-02"])
    cells.update({"qc-04": "partly", "qc-07": "是", "qc-13": "2", "qc-15": "85%"})
    filled = _fill(blank, cells, PROFILE, tmp_path / "filled.xlsx")

    imported = _import(filled, q)
    assert imported.problems == []
    assert imported.organization == {
        "name": "示例公司",
        "industry": "retail",
        "size": "medium",
        "region": "east-china",
    }
    assert imported.date == "2026-11-01"
    data = to_responses_data(imported, q)
    loaded = parse_responses(yaml.safe_dump(data, allow_unicode=True).encode(), "imported.yaml")
    checked = check_responses(loaded, q)
    resp = checked.respondents[0]
    assert (resp.id, resp.role, resp.department) == ("r1", "leadership", "CEO office")
    assert resp.answers["qc-01"].comment == "只有年度计划提到客户"
    assert resp.answers["qc-01"].evidence == ["2026 plan.pdf", "board minutes", "CRM report"]

    expected = {
        **levels,
        "qc-04": "partly",
        "qc-07": "yes",
        "qc-13": 2.0,
        "qc-15": 85.0,
    }
    assert {k: a.value for k, a in resp.answers.items()} == expected
    by_hand = {
        "type": "responses",
        "questionnaire": {"id": q.id, "version": q.version},
        "organization": data["organization"],
        "date": "2026-11-01",
        "respondents": [{"id": "r1", "role": "leadership", "answers": expected}],
    }
    want = assess(parse_responses(yaml.safe_dump(by_hand).encode(), "hand.yaml"), q, fw)
    got = assess(loaded, q, fw)
    assert got.overall.score == want.overall.score
    assert got.overall.level == want.overall.level
    assert [(e.id, e.score) for e in got.elements] == [(e.id, e.score) for e in want.elements]
    # qc-13: 2 days reaches level 4 (thresholds 10, 5, 3, 1); qc-15: 85 % reaches level 4
    scores = {x.id: x.score for x in got.questions}
    assert (scores["qc-13"], scores["qc-15"], scores["qc-04"]) == (75.0, 75.0, 50.0)

    # the command line: the workbook names its questionnaire, so --questionnaire may be left out
    out = tmp_path / "from-cli.yaml"
    res = runner.invoke(cli, ["import", str(filled), "-o", str(out)])
    assert res.exit_code == 0, res.output
    cli_loaded = parse_responses(out.read_bytes(), str(out))
    assert assess(cli_loaded, q, fw).overall.score == want.overall.score
    res = runner.invoke(cli, ["import", str(tmp_path / "x.csv"), "-o", str(out)])
    assert res.exit_code == 2 and "--questionnaire is required" in res.output


def test_bad_cells_are_located(runner, tmp_path, qc) -> None:  # type: ignore[no-untyped-def]
    q, _ = qc
    blank = _export(runner, tmp_path, "xlsx", "en")
    wb = openpyxl.load_workbook(blank)
    prof_cells, cells = _meta(wb)
    bad = {
        "qc-01": "7",  # not in the list
        "qc-13": "about five",  # text in a KPI cell
        "qc-15": 120,  # above the maximum
        "qc-04": "maybe",
        "qc-05": ("", "a comment without an answer", None),
    }
    profile = {**PROFILE, "organization.industry": "fishing", "respondent.id": "Zhang San"}
    imported = _import(_fill(blank, bad, profile, tmp_path / "bad.xlsx"), q)
    where = {p.path: p.message for p in imported.problems}

    def ref(qid: str) -> str:
        return cell_ref(*cells[qid][:2])

    assert ref("qc-01") == f"Leadership!{cells['qc-01'][1]}"
    assert "not an allowed answer" in where[ref("qc-01")]
    assert "expected a number" in where[ref("qc-13")]
    assert "above the maximum" in where[ref("qc-15")]
    assert "maybe" in where[ref("qc-04")]
    assert "without an answer" in where[ref("qc-05")]
    sheet, industry = prof_cells["organization.industry"]
    assert "unknown industry 'fishing'" in where[f"'{sheet}'!{industry}"]  # 'How to answer'!B7
    assert any("respondent id 'zhang san'" in m for m in where.values())
    assert all(p.file == str(tmp_path / "bad.xlsx") for p in imported.problems)
    assert len(imported.problems) == 7
    assert set(imported.respondents[0]["answers"]) == set()  # nothing bad slipped through


def test_workbook_import_refuses_other_files(runner, tmp_path, qc) -> None:  # type: ignore[no-untyped-def]
    q, _ = qc
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    with pytest.raises(InputError, match="not a crmm answer workbook"):
        _import(plain, q)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    with pytest.raises(InputError, match=r"not a readable \.xlsx"):
        _import(junk, q)
    fa, _ = load_questionnaire("full-audit")
    with pytest.raises(InputError, match=r"workbook is for quick-check 1\.1\.0"):
        _import(_export(runner, tmp_path, "xlsx", "en"), fa)


def test_assemble_needs_an_organisation(qc) -> None:  # type: ignore[no-untyped-def]
    q, _ = qc
    imported = ImportedAnswers(
        respondents=[{"id": "r1", "role": "sales", "answers": {"qc-01": {"value": 2}}}],
        organization={"name": "X"},
    )
    with pytest.raises(InputError) as err:
        to_responses_data(imported, q)
    assert [p.path for p in err.value.problems] == [
        "organization.industry",
        "organization.size",
        "organization.region",
    ]
    org = {"industry": "banking", "size": "large", "region": "north-china"}
    data = to_responses_data(imported, q, organization=org, date=dt.date(2026, 1, 2))
    assert data["organization"] == {"name": "X", **org} and data["date"] == "2026-01-02"
    assert check_responses(parse_responses(yaml.safe_dump(data).encode(), "x"), q)


def test_pdf_form_has_questions_and_embedded_cjk_font(runner, tmp_path, qc) -> None:  # type: ignore[no-untyped-def]
    q, _ = qc
    pdf = _export(runner, tmp_path, "pdf", "zh-CN")
    text = "".join(pdf_text(pdf).split())
    for question in q.questions:
        assert question.id in text
    assert "".join(q.questions[0].text.zh.split()) in text
    assert any("Noto-Sans-SC" in name for name in embedded_fonts(pdf))


def test_export_usage_errors(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    res = runner.invoke(
        cli, ["questionnaire", "export", "quick-check", "-o", str(tmp_path / "x.txt")]
    )
    assert res.exit_code == 2 and "--format" in res.output
    res = runner.invoke(
        cli,
        ["questionnaire", "export", "quick-check", "-o", str(tmp_path / "x.md"), "--role", "ceo"],
    )
    assert res.exit_code == 2 and "unknown role 'ceo'" in res.output
    assert not (tmp_path / "x.md").exists()


def test_role_comes_from_the_form_or_the_default(runner, tmp_path, qc) -> None:  # type: ignore[no-untyped-def]
    q, _ = qc
    filled = _fill(
        _export(runner, tmp_path, "xlsx", "zh-CN"), {"qc-04": "no"}, {}, tmp_path / "f.xlsx"
    )
    bare = _import(filled, q)
    assert [p.message for p in bare.problems] == [
        "no role chosen: choose the respondent's role from the list"
    ]
    assert bare.organization is None and bare.date is None
    imported = IMPORTERS["workbook"](filled, q, ImportOptions(default_role="service"))
    assert imported.problems == []
    assert imported.respondents == [
        {"id": "r1", "role": "service", "answers": {"qc-04": {"value": "no"}}}
    ]
