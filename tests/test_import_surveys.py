"""`crmm import` of survey-platform exports: wjx, LimeSurvey, Qualtrics, MS Forms,
SurveyMonkey and plain tables, in their encodings (fixtures: tests/fixtures/surveys)."""

from __future__ import annotations

import codecs
import hashlib
import importlib.util
import io
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from assessment.cli import cli
from assessment.cli.importing import PLATFORMS as CLI_PLATFORMS
from assessment.engine import assess
from assessment.responses import check_responses, parse_responses
from frameworks.errors import InputError
from questionnaires.importers import IMPORTERS, ImportOptions
from questionnaires.importers.convert import PLATFORMS
from questionnaires.importers.encoding import decode_text
from questionnaires.importers.engine import respondent_id
from questionnaires.importers.platforms import detect_platform
from questionnaires.importers.table import parse_csv_text, read_sheet
from questionnaires.importers.values import SKIP, CellError, Dialect, cell_value
from questionnaires.loader import load_questionnaire

from .conftest import ROOT, load_yaml

SURVEYS = ROOT / "tests" / "fixtures" / "surveys"
ORG = "name: 示例公司\nindustry: retail\nsize: medium\nregion: east-china\n"


def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("survey_fixtures", SURVEYS / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _build_module()
QC = load_questionnaire("quick-check")[0]
MINI_Q = build.mini()

QUICK_CHECK_FILES = {
    "wjx-text.csv": "wjx",
    "wjx-text.xlsx": "wjx",
    "wjx-coded.csv": "wjx",
    "limesurvey-codes.csv": "limesurvey",
    "limesurvey-full.csv": "limesurvey",
    "qualtrics.csv": "qualtrics",
    "msforms.xlsx": "msforms",
    "surveymonkey.csv": "surveymonkey",
    "plain.csv": "csv",
    "plain-utf16.txt": "csv",
}


def run_import(name: str, platform: str, q: Any = QC, **kw: Any) -> Any:
    return IMPORTERS[platform](SURVEYS / name, q, ImportOptions(**kw))


def values(resp: dict[str, Any]) -> dict[str, Any]:
    return {qid: a["value"] for qid, a in resp["answers"].items()}


@pytest.fixture
def org(tmp_path: Path) -> Path:
    path = tmp_path / "org.yaml"
    path.write_text(ORG, "utf-8")
    return path


def invoke(args: list[str]) -> Any:
    return CliRunner().invoke(cli, ["import", *args], catch_exceptions=False)


# ----------------------------------------------------------------------------- fixtures
def _xlsx_cells(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def test_committed_fixtures_are_what_build_writes(tmp_path: Path) -> None:
    written = build.build(tmp_path)
    assert {p.name for p in written} == set(build.FILES)
    for path in written:
        committed = (SURVEYS / path.name).read_bytes()
        if path.suffix == ".xlsx":  # zip timestamps differ; the cells must not
            assert _xlsx_cells(path.read_bytes()) == _xlsx_cells(committed), path.name
        else:
            assert path.read_bytes() == committed, f"run {SURVEYS / 'build.py'}: {path.name}"


def test_fixtures_hold_no_real_addresses() -> None:
    """Only documentation IPs (192.0.2.0/24) and example.com e-mail addresses."""
    import re

    for name in QUICK_CHECK_FILES:
        text = "\n".join(",".join(r) for r in read_sheet(SURVEYS / name).rows)
        ips = re.findall(r"\b\d{1,3}(?:\.\d{1,3}){3}\b", text)
        assert all(ip.startswith("192.0.2.") for ip in ips), name
        emails = re.findall(r"[\w.]+@[\w.]+", text)
        assert all(e.endswith("@example.com") for e in emails), name


# ----------------------------------------------------------------------------- platforms
@pytest.mark.parametrize(("name", "platform"), QUICK_CHECK_FILES.items())
def test_every_export_gives_the_same_answers(name: str, platform: str) -> None:
    got = run_import(name, platform)
    assert got.problems == []
    assert len(got.respondents) == 3
    for resp, want in zip(got.respondents, build.RESPONDENTS, strict=True):
        assert resp["role"] == want["role"]
        expected = {k: v for k, v in want["answers"].items() if v is not None}
        assert values(resp) == expected, name


@pytest.mark.parametrize(("name", "platform"), QUICK_CHECK_FILES.items())
def test_platform_is_recognised_from_the_headings(name: str, platform: str) -> None:
    assert detect_platform(SURVEYS / name)[0] == platform


def test_wjx_text_export_values() -> None:
    got = run_import("wjx-text.csv", "wjx")
    r1, r2, r3 = got.respondents
    assert r1["id"] == "r1" and r3["id"] == "r3"
    assert values(r1)["qc-01"] == 3  # the anchor text of level 3
    assert values(r1)["qc-04"] == "partly"  # 部分
    assert values(r1)["qc-13"] == 4.5
    assert values(r2)["qc-07"] == "partly"
    assert "qc-05" not in r3["answers"]  # (跳过): skipped by logic
    assert r1["metadata"]["来自IP"] == "192.0.2.10(测试地区)"
    assert r1["metadata"]["提交答卷时间"] == "2026/11/02 09:15:31"
    assert got.unmatched == ["18、您对客户管理还有什么建议？"]
    assert got.date == "2026-11-03"  # the last submission


def test_wjx_coded_export_values() -> None:
    got = run_import("wjx-coded.csv", "wjx")
    r1, r2, r3 = got.respondents
    assert values(r1)["qc-04"] == "partly"  # option 2 of 是/部分/否
    assert values(r2)["qc-04"] == "no"
    assert r3["role"] == "it"  # role option 5 in the questionnaire's order
    assert "qc-05" not in r3["answers"]  # -3


def test_mini_wjx_text_choices_likert_and_na() -> None:
    got = run_import("mini-wjx-text.csv", "wjx", MINI_Q)
    assert got.problems == [] and got.unmatched == []
    boss, staff = got.respondents
    assert (boss["role"], staff["role"]) == ("boss", "staff")  # 老板 / 员工
    assert values(boss) == {
        "q1": 4,
        "q2": 4,  # 同意
        "q3": "partly",
        "q4": 4.0,
        "q5": "high",  # 高
        "q6": ["phone", "app"],  # 电话┋应用
        "q7": "产品线扩大",
    }
    assert values(staff) == {"q1": "na", "q2": 5, "q3": "yes", "q4": 6.0, "q6": ["web"]}


def test_mini_wjx_coded_option_columns() -> None:
    got = run_import("mini-wjx-coded.csv", "wjx", MINI_Q)
    assert got.problems == [] and got.unmatched == []
    boss, staff = got.respondents
    assert values(boss)["q6"] == ["phone", "app"]  # 6(电话)=1, 6(网站)=0, 6(应用)=1
    assert values(boss)["q5"] == "high"  # option 3
    assert values(staff) == {"q1": 2, "q2": 5, "q3": "yes", "q4": 6.0, "q6": ["web"]}


def test_limesurvey_codes_and_full_texts() -> None:
    codes = run_import("limesurvey-codes.csv", "limesurvey").respondents
    full = run_import("limesurvey-full.csv", "limesurvey").respondents
    assert values(codes[0])["qc-01"] == 3  # LEAD[QC01] = A3
    assert values(codes[1])["qc-04"] == "no"  # A3 of yes/partly/no
    assert codes[2]["role"] == "it"  # A5
    assert values(full[0])["qc-02"] == 4  # "Leadership [How does top management ...]"
    assert full[0]["metadata"]["Start language"] == "en"


@pytest.mark.parametrize("quote", [False, True], ids=["bare", "quoted"])
def test_semicolon_export_with_more_commas_than_semicolons_in_its_headings(
    tmp_path: Path, quote: bool
) -> None:
    """LimeSurvey's full-text CSV: question texts, commas and all, as headings between
    semicolons (bare, as tests/fixtures/surveys/build.py writes them, or quoted). More commas
    than semicolons in the first line; the cells are still the three the export holds."""
    head = ["Response ID", "Your role", "How far is a plan, with owner, budget, targets, set?"]
    line = ";".join(f'"{h}"' if quote else h for h in head)
    rows = [["1", "Leadership", "A3"], ["2", "IT", "A4"]]
    path = tmp_path / "ls.csv"
    path.write_text("\r\n".join([line, *(";".join(r) for r in rows)]) + "\r\n", "utf-8")
    assert read_sheet(path).rows == [head, *rows]
    assert parse_csv_text(path.read_text("utf-8")) == [head, *rows]


def test_qualtrics_three_heading_rows() -> None:
    got = run_import("qualtrics.csv", "qualtrics")
    r1 = got.respondents[0]
    assert r1["id"] == "r_1ab2cd3ef4gh5ij"  # ResponseId R_1aB2cD3eF4gH5iJ
    assert values(r1)["qc-01"] == 3 and values(r1)["qc-02"] == 4  # Q1_1, Q1_2 (matrix)
    assert values(got.respondents[2])["qc-15"] == 91.5
    assert r1["metadata"]["Duration (in seconds)"] == "540"
    assert r1["metadata"]["IPAddress"] == "192.0.2.10"


def test_msforms_and_surveymonkey() -> None:
    forms = run_import("msforms.xlsx", "msforms").respondents
    assert forms[1]["metadata"]["Email"] == "li.test@example.com"
    assert values(forms[1])["qc-13"] == 7
    monkey = run_import("surveymonkey.csv", "surveymonkey").respondents
    assert [r["id"] for r in monkey] == ["r118052219061", "r118052219068", "r118052219075"]
    assert values(monkey[0])["qc-02"] == 4  # matrix row under "Leadership"
    assert monkey[0]["metadata"]["IP Address"] == "192.0.2.10"


# ----------------------------------------------------------------------------- encodings
@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("wjx-text.csv", "gb18030"),
        ("wjx-coded.csv", "utf-8-sig"),
        ("qualtrics.csv", "utf-8-sig"),
        ("limesurvey-codes.csv", "utf-8"),
        ("plain-utf16.txt", "utf-16-le"),
        ("wjx-text.xlsx", None),
    ],
)
def test_encoding_detected(name: str, encoding: str | None) -> None:
    assert read_sheet(SURVEYS / name).encoding == encoding


def test_decode_text_variants() -> None:
    text = "序号,提交答卷时间\r\n1,2026/11/02\r\n"
    assert decode_text(codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "x") == (text, "utf-16-be")
    assert decode_text(text.encode("gbk"), "x") == (text, "gb18030")
    assert decode_text("id,role\r\n".encode("utf-16-le"), "x")[1] == "utf-16-le"
    assert decode_text(codecs.BOM_UTF8 + text.encode(), "x") == (text, "utf-8-sig")
    with pytest.raises(InputError):
        decode_text(b"\x81\x30\xff\xff\xfe", "x")


# ----------------------------------------------------------------------------- values
def q_(qid: str, q: Any = QC) -> Any:
    return q.question_by_id[qid]


@pytest.mark.parametrize(
    ("qid", "text", "want"),
    [
        ("qc-01", "３", 3),  # full-width digit
        ("qc-01", "3、以客户为中心写入经营计划,并设有客户目标", 3),  # numbered option text
        ("qc-01", "Every major decision is assessed for its impact on customers.", 4),
        ("qc-04", "Partly", "partly"),
        ("qc-04", "否", "no"),
        ("qc-04", "1", "yes"),
        ("qc-13", "4.5天", 4.5),
        ("qc-15", "85%", 85.0),
        ("qc-15", "", SKIP),
    ],
)
def test_cell_values(qid: str, text: str, want: Any) -> None:
    assert cell_value(q_(qid), text, Dialect()) == want


@pytest.mark.parametrize(
    ("qid", "text", "message"),
    [
        ("qc-01", "不适用", "N/A is not allowed"),
        ("qc-01", "7", "expected a level 1 to 5"),
        ("qc-04", "maybe", "expected yes, partly or no"),
        ("qc-15", "101", "above the maximum 100"),
        ("qc-13", "about five", "expected a number"),
    ],
)
def test_bad_cell_values(qid: str, text: str, message: str) -> None:
    with pytest.raises(CellError, match=message):
        cell_value(q_(qid), text, Dialect())


def test_choice_and_likert_values() -> None:
    d = Dialect()
    assert cell_value(q_("q6", MINI_Q), "phone;web;", d) == ["phone", "web"]  # MS Forms
    assert cell_value(q_("q6", MINI_Q), "3,1", d) == ["phone", "app"]  # positions
    assert cell_value(q_("q2", MINI_Q), "Strongly agree", d) == 5
    assert cell_value(q_("q2", MINI_Q), "N/A", d) == "na"
    assert cell_value(q_("q5", MINI_Q), "Mid", d) == "mid"
    values_map = {"q5": {"还行": "mid"}}
    assert cell_value(q_("q5", MINI_Q), "还行", d, values_map) == "mid"
    with pytest.raises(CellError, match="unknown option"):
        cell_value(q_("q6", MINI_Q), "phone;fax", d)


def test_respondent_ids() -> None:
    assert respondent_id("R_1aB2cD", 2) == "r_1ab2cd"
    assert respondent_id("118052219061", 2) == "r118052219061"
    assert respondent_id("  ", 7) == "r7"
    assert respondent_id("张 三!", 3) == "r3"
    assert respondent_id("Team A / 1", 3) == "team-a-1"


# ----------------------------------------------------------------------------- CLI
def test_cli_writes_valid_scorable_responses(tmp_path: Path, org: Path) -> None:
    out = tmp_path / "answers.yaml"
    args = [str(SURVEYS / "wjx-text.csv"), "--questionnaire", "quick-check", "--org", str(org)]
    res = invoke([*args, "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "column not imported: 18、您对客户管理还有什么建议？" in res.stderr
    assert "qc-05" not in res.stderr  # others answered it
    assert "(wjx, gb18030)" in res.stderr
    loaded = parse_responses(out.read_bytes(), str(out))
    q, fw = load_questionnaire("quick-check")
    checked = check_responses(loaded, q)
    assert [r.id for r in checked.respondents] == ["r1", "r2", "r3"]
    assert str(checked.date) == "2026-11-03"
    result = assess(loaded, q, fw)
    score = result.overall.score
    assert score is not None and 0 < score < 100
    data = load_yaml(out)
    assert data["respondents"][0]["answers"]["qc-13"] == 4.5
    assert data["respondents"][0]["metadata"]["来自IP"] == "192.0.2.10(测试地区)"


def test_score_from_export_equals_score_of_imported_file(tmp_path: Path, org: Path) -> None:
    """`crmm score EXPORT --from wjx` scores the export's table directly: the same figures as
    importing it first, with the export itself named and hashed as the input."""
    export = SURVEYS / "wjx-text.csv"
    out = tmp_path / "answers.yaml"
    args = ["--questionnaire", "quick-check", "--org", str(org)]
    assert invoke([str(export), *args, "-o", str(out)]).exit_code == 0
    runner = CliRunner()
    via_file = runner.invoke(cli, ["score", str(out), "--format", "json"])
    direct = runner.invoke(cli, ["score", str(export), "--from", "wjx", *args, "--format", "json"])
    assert via_file.exit_code == 0 and direct.exit_code == 0, direct.output
    a, b = json.loads(via_file.stdout), json.loads(direct.stdout)
    assert b["responses"]["file"] == "wjx-text.csv"
    assert b["responses"]["sha256"] == hashlib.sha256(export.read_bytes()).hexdigest()
    for key in ("questions", "criteria", "elements", "overall", "recommendations"):
        assert a[key] == b[key], key
    misuse = runner.invoke(cli, ["score", str(out), "--org", str(org)])
    assert misuse.exit_code == 2 and "go with --from" in misuse.output


@pytest.mark.parametrize(
    "name", ["qualtrics.csv", "msforms.xlsx", "surveymonkey.csv", "wjx-text.csv"]
)
def test_drop_personal(tmp_path: Path, org: Path, name: str) -> None:
    out = tmp_path / "a.yaml"
    args = [str(SURVEYS / name), "--questionnaire", "quick-check", "--org", str(org)]
    res = invoke([*args, "--drop-personal", "--date", "2026-12-01", "-o", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text("utf-8")
    assert "192.0.2." not in text and "@example.com" not in text and "测试甲" not in text
    assert "31.2304" not in text  # Qualtrics location
    data = load_yaml(out)
    assert data["date"] == "2026-12-01"
    meta = data["respondents"][0]["metadata"]
    assert meta  # submit times and the like stay
    assert not {"IPAddress", "IP Address", "来自IP", "来源详情", "Email", "Name"} & set(meta)


def _bad_wjx(tmp_path: Path) -> Path:
    rows = build.wjx_rows(coded=False)
    rows[2][7] = "看情况"  # row 3 in the file, column "2、高层管理者如何推动客户管理？"
    rows[3][9] = "很多"  # row 4, qc-04
    path = tmp_path / "bad.csv"
    path.write_bytes(build.csv_bytes(rows, "gb18030"))
    return path


def test_bad_values_are_located_exit_2(tmp_path: Path, org: Path) -> None:
    bad = _bad_wjx(tmp_path)
    out = tmp_path / "a.yaml"
    res = invoke([str(bad), "--questionnaire", "quick-check", "--org", str(org), "-o", str(out)])
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert lines[0] == (
        f"{bad}: row 3, column '2、高层管理者如何推动客户管理？': expected a level 1 to 5 or an"
        " anchor text, got '看情况'"
    )
    assert lines[1].startswith(f"{bad}: row 4, column '4、贵组织是否有书面的客户保持计划")
    assert lines[1].endswith("expected yes, partly or no (是/部分/否), got '很多'")
    assert not out.exists()


def test_skip_invalid_leaves_cells_unanswered(tmp_path: Path, org: Path) -> None:
    bad = _bad_wjx(tmp_path)
    out = tmp_path / "a.yaml"
    args = [str(bad), "--questionnaire", "quick-check", "--org", str(org)]
    res = invoke([*args, "--skip-invalid", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "row 3, column '2、高层管理者如何推动客户管理？'" in res.stderr
    data = load_yaml(out)
    assert "qc-02" not in data["respondents"][1]["answers"]
    assert data["respondents"][1]["answers"]["qc-01"] == 2
    assert "(skipped)" in out.read_text("utf-8").split("type: responses")[0]


def test_mapping_file(tmp_path: Path, org: Path) -> None:
    rows = build.wjx_rows(coded=False)
    rows[0][6] = "Q1 (renamed)"  # a heading nothing could match
    rows[0][-2] = "岗位类别"  # the role question
    rows[1][8] = "基本是"  # r1 qc-03 -> mapped text
    export = tmp_path / "x.csv"
    export.write_bytes(build.csv_bytes(rows, "gb18030"))
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "columns:\n  'Q1 (renamed)': qc-01\n  '18、您对客户管理还有什么建议？': null\n"
        "values:\n  qc-03: {'基本是': 4}\nrole_column: 岗位类别\n"
        "roles: {'管理层': leadership}\n",
        "utf-8",
    )
    out = tmp_path / "a.yaml"
    args = [str(export), "--from", "wjx", "--questionnaire", "quick-check", "--org", str(org)]
    res = invoke([*args, "--mapping", str(mapping), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "not imported" not in res.stderr
    r1 = load_yaml(out)["respondents"][0]
    assert r1["answers"]["qc-01"] == 3 and r1["answers"]["qc-03"] == 4
    assert r1["role"] == "leadership"


def test_bad_mapping_file_is_located(tmp_path: Path, org: Path) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columnz: {}\n", "utf-8")
    args = [str(SURVEYS / "plain.csv"), "--questionnaire", "quick-check", "--org", str(org)]
    res = invoke([*args, "--mapping", str(mapping)])
    assert res.exit_code == 2
    assert res.stderr.strip() == f"{mapping}: columnz: unknown field"


def test_role_needed(tmp_path: Path, org: Path) -> None:
    rows = [r[:1] + r[3:] for r in build.plain_rows()]  # respondent + answers, no role
    export = tmp_path / "noroles.csv"
    export.write_bytes(build.csv_bytes(rows, "utf-8"))
    args = [str(export), "--from", "csv", "--questionnaire", "quick-check", "--org", str(org)]
    res = invoke(args)
    assert res.exit_code == 2
    assert res.stderr.strip() == (
        f"{export}: no role column: give --role (leadership, sales, marketing, service, it)"
        " or a role_column"
    )
    res = invoke([*args, "--role", "sales", "-o", str(tmp_path / "a.yaml")])
    assert res.exit_code == 0, res.output
    assert {r["role"] for r in load_yaml(tmp_path / "a.yaml")["respondents"]} == {"sales"}


def test_unknown_layout_and_missing_org(tmp_path: Path, org: Path) -> None:
    export = tmp_path / "odd.csv"
    export.write_text("foo,bar\n1,2\n", "utf-8")
    res = invoke([str(export), "--questionnaire", "quick-check", "--org", str(org)])
    assert res.exit_code == 2 and "cannot tell which platform" in res.stderr
    res = invoke([str(SURVEYS / "plain.csv"), "--questionnaire", "quick-check"])
    assert res.exit_code == 2 and res.stderr.startswith("--org: give the organisation")


def test_two_columns_for_one_question(tmp_path: Path, org: Path) -> None:
    rows = build.plain_rows()
    for r in rows:
        r.append(r[3])
    export = tmp_path / "dup.csv"
    export.write_bytes(build.csv_bytes(rows, "utf-8"))
    res = invoke([str(export), "--questionnaire", "quick-check", "--org", str(org)])
    assert res.exit_code == 2
    assert "column 'qc-01': also matches qc-01 (column 'qc-01'); map one" in res.stderr


def test_cli_and_library_list_the_same_platforms() -> None:
    assert CLI_PLATFORMS == PLATFORMS
    assert set(PLATFORMS) == set(IMPORTERS)


def _write(tmp_path: Path, name: str, rows: list[list[str]]) -> Path:
    path = tmp_path / name
    path.write_bytes(build.csv_bytes(rows, "utf-8"))
    return path


def test_multiple_choice_layouts(tmp_path: Path) -> None:
    """LimeSurvey Y columns, Qualtrics numbers in one column, SurveyMonkey option texts."""
    lime = _write(
        tmp_path,
        "lime.csv",
        [
            ["id", "submitdate", "role", "Q6[SQ001]", "Q6[SQ002]", "Q6[SQ003]", "Q5"],
            ["7", "2026-11-05 10:00:00", "A1", "Y", "", "Y", "A2"],
        ],
    )
    got = IMPORTERS["limesurvey"](lime, MINI_Q, ImportOptions())
    assert got.problems == []
    assert got.respondents[0]["id"] == "r7" and got.respondents[0]["role"] == "boss"
    assert values(got.respondents[0]) == {"q6": ["phone", "app"], "q5": "mid"}
    qualtrics = _write(
        tmp_path,
        "q.csv",
        [
            ["ResponseId", "StartDate", "role", "Q6", "Q2"],
            [
                "Response ID",
                "Start Date",
                "role",
                "Channels - Selected Choice",
                "Rewards are right",
            ],
            ['{"ImportId":"_recordId"}', '{"ImportId":"startDate"}', "{}", "{}", "{}"],
            ["R_x", "2026-11-05", "staff", "1,3", "2"],
        ],
    )
    got = IMPORTERS["qualtrics"](qualtrics, MINI_Q, ImportOptions())
    assert got.problems == []
    assert values(got.respondents[0]) == {"q6": ["phone", "app"], "q2": 2}
    monkey = _write(
        tmp_path,
        "sm.csv",
        [
            ["Respondent ID", "IP Address", "Your role", "Channels", "", ""],
            ["", "", "Response", "phone", "web", "app"],
            ["11", "192.0.2.1", "Boss", "phone", "", "app"],
            ["12", "192.0.2.2", "Staff", "", "", ""],
        ],
    )
    got = IMPORTERS["surveymonkey"](monkey, MINI_Q, ImportOptions(drop_personal=True))
    assert got.problems == []
    one, two = got.respondents
    assert values(one) == {"q6": ["phone", "app"]} and values(two) == {}
    assert "metadata" not in one  # only the IP address, dropped


def test_option_column_with_a_bad_cell(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "w.csv",
        [["序号", "提交答卷时间", "您的角色", "6(电话)", "6(网站)"], ["1", "x", "1", "1", "maybe"]],
    )
    got = IMPORTERS["wjx"](path, MINI_Q, ImportOptions())
    assert [str(p) for p in got.problems] == [
        f"{path}: row 2, column '6(网站)': expected selected (1) or not (0), got 'maybe'"
    ]


@pytest.mark.parametrize("name", QUICK_CHECK_FILES)
def test_every_export_scores(name: str) -> None:
    from questionnaires.importers.convert import convert

    org = {"name": "示例公司", "industry": "retail", "size": "medium", "region": "east-china"}
    done = convert(SURVEYS / name, QC, ImportOptions(), organization=org)
    assert done.platform == QUICK_CHECK_FILES[name]
    loaded = parse_responses(done.text.encode("utf-8"), name)
    q, fw = load_questionnaire("quick-check")
    result = assess(loaded, q, fw)
    assert len(loaded.responses.respondents) == 3
    # the same answers, so the same result, on every platform
    assert (result.overall.score, result.overall.level) == (49.49, 3)


def test_mapping_to_an_unknown_role(tmp_path: Path, org: Path) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text("roles: {总经理: boss}\n", "utf-8")
    args = [str(SURVEYS / "plain.csv"), "--questionnaire", "quick-check", "--org", str(org)]
    res = invoke([*args, "--mapping", str(mapping), "--skip-invalid"])
    assert res.exit_code == 2
    assert res.stderr.strip() == (
        "--mapping: roles.总经理: unknown role 'boss' (leadership, sales, marketing, service, it)"
    )


def test_limesurvey_code_and_text_headings_need_no_mapping(tmp_path: Path) -> None:
    """LimeSurvey's "full" headings `QC01. question text` match by their code part (or text
    when the code is not crmm's), and a role question with any heading is recognised by its
    answers (role names in either language): no `columns:` or `role_column` mapping."""
    rows = build.limesurvey_rows(full=True)
    q = build.quick_check()
    heads = rows[0]
    heads[5] = "QROLE. 您在组织中属于哪个团队？"  # no role keyword: recognised by the answers
    for i, qid in enumerate(build.QC_IDS):
        code = qid.replace("-", "").upper() if i % 2 else f"X{i}"  # a foreign code: by text
        heads[6 + i] = f"{code}. {q.question_by_id[qid].text.zh}"
    for r in rows[1:2]:
        zh = {en: build.ROLE_ZH[rid] for rid, en in build.ROLE_EN.items()}
        r[5] = zh[r[5]]  # one role written in Chinese
    export = tmp_path / "lime-full.csv"
    export.write_bytes(build.csv_bytes(rows, "utf-8"))
    got = IMPORTERS["limesurvey"](export, QC, ImportOptions())
    assert got.problems == [] and got.unmatched == []
    want = run_import("limesurvey-full.csv", "limesurvey").respondents
    assert [values(r) for r in got.respondents] == [values(r) for r in want]
    assert [r["role"] for r in got.respondents] == [r["role"] for r in want]


def test_an_import_that_matches_no_question_is_an_error(tmp_path: Path, org: Path) -> None:
    rows = build.plain_rows()
    rows[0] = rows[0][:3] + [f"Frage {i}" for i in range(1, len(rows[0]) - 2)]
    rows[0][3] = "qc01 customer plans"  # looks like qc-01
    export = tmp_path / "renamed.csv"
    export.write_bytes(build.csv_bytes(rows, "utf-8"))
    out = tmp_path / "answers.yaml"
    args = [str(export), "--from", "csv", "--questionnaire", "quick-check", "--org", str(org)]
    res = invoke([*args, "-o", str(out)])
    assert res.exit_code == 2
    errors = [x for x in res.stderr.splitlines() if not x.startswith("warning: ")]
    assert errors[0] == (
        f"{export}: no column matches a question of quick-check 1.1.0; give --allow-empty to"
        " import it all the same"
    )
    assert f"{export}: column 'qc01 customer plans': unmatched (closest question: qc-01)" in errors
    assert f"{export}: column 'Frage 2': unmatched (no question looks like it)" in errors
    assert not out.exists()
    res = invoke([*args, "-o", str(out), "--allow-empty"])
    assert res.exit_code == 0 and out.exists()


def test_a_respondent_who_answered_nothing_is_an_error(tmp_path: Path, org: Path) -> None:
    rows = build.plain_rows()
    rows[2] = rows[2][:3] + [""] * (len(rows[2]) - 3)
    export = tmp_path / "silent.csv"
    export.write_bytes(build.csv_bytes(rows, "utf-8"))
    args = [str(export), "--from", "csv", "--questionnaire", "quick-check", "--org", str(org)]
    res = invoke(args)
    assert res.exit_code == 2
    assert res.stderr.splitlines()[-1] == (
        f"{export}: 1 respondent answered no question (r2); leave them out of the export,"
        " or give --allow-empty to import it all the same"
    )
    assert invoke([*args, "--allow-empty"]).exit_code == 0


@pytest.mark.parametrize(
    ("qid", "cell", "code_positions", "expected"),
    [
        ("q1", "6", False, "na"),  # anchored: levels 1-5, then N/A (问卷星 按选项序号)
        ("q1", "A6", True, "na"),  # LimeSurvey answer code
        ("q1", "5", False, 5),
        ("q2", "6", False, "na"),  # likert
        ("q5", "4", False, "na"),  # single choice with three options
        ("q5", "3", False, "high"),
    ],
)
def test_option_positions_include_na(
    qid: str, cell: str, code_positions: bool, expected: Any
) -> None:
    """Coded exports give the position of the chosen option; crmm's forms list N/A after
    the last option, so that position means N/A where the question allows it."""
    from questionnaires.importers.values import Dialect, cell_value

    question = MINI_Q.question_by_id[qid]
    assert cell_value(question, cell, Dialect(code_positions=code_positions)) == expected


def test_the_na_position_is_refused_where_na_is_not_allowed() -> None:
    from questionnaires.importers.values import CellError, Dialect, cell_value

    with pytest.raises(CellError, match="expected yes, partly or no"):
        cell_value(MINI_Q.question_by_id["q3"], "4", Dialect())  # q3: allow_na false
