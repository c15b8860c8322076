"""Other report formats from the same context: DOCX report, XLSX action plan, Markdown notes."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from assessment.cli import cli
from assessment.engine import assess
from assessment.responses import LoadedResponses, parse_responses
from assessment.result import AssessmentResult
from frameworks.model import Framework
from frameworks.text import Lang
from questionnaires.loader import load_questionnaire
from questionnaires.model import Questionnaire
from reports import FORMATS, build_context, render_report
from reports.views import ReportContext

from .conftest import MINI, load_yaml, mini_args

HOSTILE_ORG = '=HYPERLINK("http://evil.example","click")'
HOSTILE_COMMENT = "[click](http://evil.example) <img src=x onerror=alert(1)> **bold**"

Scored = tuple[Questionnaire, Framework, LoadedResponses, AssessmentResult]


def scored(doc: dict[str, Any], target: int | None = None) -> Scored:
    q, fw = load_questionnaire(MINI / "questionnaire.yaml", MINI / "framework.yaml")
    raw = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()
    loaded = parse_responses(raw, "mini.yaml")
    return q, fw, loaded, assess(loaded, q, fw, target)


@pytest.fixture(scope="module")
def weak() -> Scored:
    """examples/mini answered low (so that the framework has actions to recommend towards
    level 3), by an organisation whose name is a spreadsheet formula, with a hostile comment."""
    doc = load_yaml(MINI / "responses.yaml")
    doc["organization"]["name"] = HOSTILE_ORG
    alice, bob = (r["answers"] for r in doc["respondents"])
    alice.update(q1=1, q2=2, q4=12, q5="low", q6=["phone"])
    bob.update(q1={"value": 2, "comment": HOSTILE_COMMENT}, q3="no", q4=11, q6=["web"])
    return scored(doc, target=3)


def render(s: Scored, lang: Lang, fmt: str) -> bytes:
    q, fw, loaded, result = s
    return render_report(result, fw, q, lang=lang, fmt=fmt, responses=loaded.responses)


def context(s: Scored, lang: Lang = "en") -> ReportContext:
    q, fw, loaded, result = s
    return build_context(result, fw, q, lang, responses=loaded.responses)


def action_rows(ctx: ReportContext) -> int:
    """Rows of an action table: one per action, one per recommendation without any."""
    return sum(max(1, len(r.actions)) for r in ctx.recommendations)


@pytest.fixture(scope="module")
def docx_en(weak: Scored) -> bytes:
    return render(weak, "en", "docx")


@pytest.fixture(scope="module")
def xlsx_en(weak: Scored) -> bytes:
    return render(weak, "en", "xlsx")


# --- registry ------------------------------------------------------------------------------


def test_registered_with_extensions() -> None:
    assert FORMATS["docx"].extension == ".docx" and FORMATS["docx"].binary
    assert FORMATS["xlsx"].extension == ".xlsx" and FORMATS["xlsx"].binary
    assert FORMATS["docx"].media_type.endswith("wordprocessingml.document")
    assert FORMATS["xlsx"].media_type.endswith("spreadsheetml.sheet")
    assert FORMATS["docx"].available() and FORMATS["xlsx"].available()


# --- DOCX ----------------------------------------------------------------------------------


def test_docx_headings_tables_and_text(weak: Scored, docx_en: bytes) -> None:
    import docx

    doc = docx.Document(io.BytesIO(docx_en))
    h1 = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert h1 == [
        "Executive summary",
        "Maturity profile",
        "Element 1 · People",
        "Element 2 · Service",
        "Recommendations",
        "Improvement roadmap",
        "Appendix A: Methodology",
    ]
    h2 = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 2"]
    assert "Key figures" in h2 and "Criteria" in h2 and "Phase 1 · Plan" in h2
    assert h2.index("Phase 1 · Plan") < h2.index("Phase 2 · Build")
    texts = [p.text for p in doc.paragraphs]
    assert texts[:2] == ["Customer-Management Maturity Assessment Report", HOSTILE_ORG]
    ctx = context(weak)
    table = next(t for t in doc.tables if len(t.columns) == 8 and t.cell(0, 4).text == "Action")
    n_actions = sum(len(r.actions) for r in ctx.recommendations)
    assert n_actions == 5 and len(table.rows) - 1 == action_rows(ctx)
    actions = [row.cells[4].text for row in table.rows[1:]]
    assert table.cell(2, 1).text == table.cell(1, 1).text == "Complaints (Service)"
    continued = sum(len(r.actions) - 1 for r in ctx.recommendations if r.actions)
    assert continued == 2 and table._tbl.xml.count("<w:vMerge/>") == 4 * continued
    assert [a.text for r in ctx.recommendations for a in r.actions] == [
        a for a in actions if a != "The framework lists no action for this step."
    ]
    criteria = {row.cells[0].text for t in doc.tables for row in t.rows}
    assert {"Skills", "Rewards", "Complaints", "Retention"} <= criteria
    notes = [p.text for p in doc.paragraphs if p.text.startswith("q3 ") or p.text.startswith("q1 ")]
    assert any("only by phone" in n and "complaint-log.xlsx" in n for n in notes)
    assert f"q1 bob (Staff): {HOSTILE_COMMENT}" in notes  # plain text in Word, not markup


def test_docx_properties_language_and_stable_bytes(weak: Scored, docx_en: bytes) -> None:
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(io.BytesIO(docx_en))
    props = doc.core_properties
    assert props.title == f"Customer-Management Maturity Assessment Report — {HOSTILE_ORG}"
    assert props.author == HOSTILE_ORG  # no assessor: the organisation, as in the PDF
    assert props.subject.startswith("Mini framework 0.1.0")
    assert "maturity assessment" in props.keywords and props.keywords.endswith("mini")
    assert props.language == "en"
    noon = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
    assert props.created == noon and props.modified == noon
    defaults = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    lang = defaults.find(qn("w:lang"))
    assert (lang.get(qn("w:val")), lang.get(qn("w:eastAsia"))) == ("en-US", "zh-CN")
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "Microsoft YaHei"
    heading = doc.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert heading.get(qn("w:eastAsiaTheme")) is None  # the named East-Asian font applies
    with zipfile.ZipFile(io.BytesIO(docx_en)) as z:
        assert not any("thumbnail" in n for n in z.namelist())
        assert {i.date_time for i in z.infolist()} == {(2026, 11, 1, 12, 0, 0)}
    assert render(weak, "en", "docx") == docx_en


def test_docx_in_chinese(weak: Scored) -> None:
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(io.BytesIO(render(weak, "zh-CN", "docx")))
    h1 = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert h1[:4] == ["执行摘要", "成熟度概览", "要素 1·人员", "要素 2·服务"]
    defaults = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "zh-CN"
    assert doc.core_properties.language == "zh-CN"
    theme = doc.settings.element.find(qn("w:themeFontLang"))
    assert theme.get(qn("w:eastAsia")) == "zh-CN"


def libreoffice_writer() -> str | None:
    """The soffice command, if LibreOffice with its Writer module is installed."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    program = Path(soffice).resolve().parent
    return soffice if any(program.glob("libswlo.so*")) else None


@pytest.mark.skipif(libreoffice_writer() is None, reason="LibreOffice Writer is not installed")
def test_docx_opens_in_libreoffice(docx_en: bytes, tmp_path: Path) -> None:
    src = tmp_path / "report.docx"
    src.write_bytes(docx_en)
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    convert = ["--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)]
    subprocess.run(
        [str(libreoffice_writer()), profile, *convert],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert (tmp_path / "report.pdf").stat().st_size > 1000


# --- XLSX ----------------------------------------------------------------------------------


def test_xlsx_one_row_per_action_with_editable_columns(weak: Scored, xlsx_en: bytes) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx_en))
    assert wb.sheetnames == ["Action plan", "Scores", "About"]
    ws = wb["Action plan"]
    header = [c.value for c in ws[1]]
    assert header == [
        "#",
        "Priority",
        "Element",
        "Criterion",
        "Current level",
        "Target level",
        "Action",
        "Effort",
        "Phase",
        "Suggested owner role",
        "Owner",
        "Due date",
        "Status",
        "Notes",
    ]
    ctx = context(weak)
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == action_rows(ctx) == ws.max_row - 1
    expected = [a.text for r in ctx.recommendations for a in r.actions]
    assert [r[6] for r in rows if r[7]] == expected and len(expected) == 5
    first = ctx.recommendations[0]
    assert rows[0][:6] == (
        1,
        round(first.priority, 4),
        first.element,
        first.criterion,
        first.current.label,
        first.target.label,
    )
    assert {r[12] for r in rows} == {"not started"}
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:N{len(rows) + 1}"
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["G"].width > ws.column_dimensions["A"].width
    assert ws["G2"].alignment.wrap_text
    validations = {dv.type: dv for dv in ws.data_validations.dataValidation}
    status = validations["list"]
    assert status.formula1 == '"not started,in progress,done,blocked"'
    assert str(status.sqref).startswith("M2:M") and status.showErrorMessage
    due = validations["date"]
    assert str(due.sqref).startswith("L2:L") and due.operator == "greaterThanOrEqual"
    assert int(due.formula1) == (dt.date(2026, 11, 1) - dt.date(1899, 12, 30)).days


def test_xlsx_scores_about_and_formula_injection(xlsx_en: bytes) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx_en))
    scores = list(wb["Scores"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in scores] == [
        ("Element", "people"),
        ("Criterion", "p-skills"),
        ("Criterion", "p-reward"),
        ("Element", "service"),
        ("Criterion", "s-complaints"),
        ("Criterion", "s-retention"),
        ("Overall", None),
    ]
    assert all(isinstance(r[5], float | int) for r in scores)
    about = {r[0]: r[1] for r in wb["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Prepared for"] == "'" + HOSTILE_ORG
    assert about["Framework"].startswith("mini 0.1.0")
    assert len(about["Responses SHA-256"]) == 64
    assert about["Assessment date"] == dt.datetime(2026, 11, 1)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
    with zipfile.ZipFile(io.BytesIO(xlsx_en)) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in s or b"<f " in s for s in sheets)


def test_xlsx_in_chinese(weak: Scored) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render(weak, "zh-CN", "xlsx")))
    assert wb.sheetnames == ["行动计划", "得分", "关于"]
    ws = wb["行动计划"]
    assert ws["M1"].value == "状态" and ws["K1"].value == "负责人"
    status = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert status.formula1 == '"未开始,进行中,已完成,受阻"'
    assert ws["M2"].value == "未开始"


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_shows_comments_and_evidence_escaped(mini_responses: dict[str, Any]) -> None:
    mini_responses["respondents"][1]["answers"]["q1"] = {"value": 2, "comment": HOSTILE_COMMENT}
    md = render(scored(mini_responses), "en", "md").decode()
    section = md[md.index("## Element 2 · Service") : md.index("## Recommendations")]
    assert "### Respondents' comments and evidence" in section
    assert "- **q3** Complaints · alice (Boss): only by phone · Evidence: complaint-log.xlsx" in (
        section
    )
    people = md[md.index("## Element 1 · People") : md.index("## Element 2 · Service")]
    assert r"bob (Staff): \[click\](http://evil.example) \<img src=x onerror=alert(1)\>" in people
    assert r"\*\*bold\*\*" in people
    for raw in ("<img", "[click](", "**bold**"):  # only ever preceded by a backslash
        assert re.search(r"(?<!\\)" + re.escape(raw), md) is None, raw


def test_markdown_without_notes_has_no_notes_heading(mini_responses: dict[str, Any]) -> None:
    mini_responses["respondents"][0]["answers"]["q3"] = "partly"
    md = render(scored(mini_responses), "en", "md").decode()
    assert "comments and evidence" not in md


# --- CLI -----------------------------------------------------------------------------------


def test_cli_picks_the_format_from_the_extension(runner: CliRunner, tmp_path: Path) -> None:
    import docx
    from openpyxl import load_workbook

    responses = str(MINI / "responses.yaml")
    out = tmp_path / "x.docx"
    res = runner.invoke(cli, ["report", responses, "-o", str(out), *mini_args(["--lang", "en"])])
    assert res.exit_code == 0, res.output
    assert docx.Document(str(out)).paragraphs[1].text == "Mini Co"
    plan = tmp_path / "plan.xlsx"
    res = runner.invoke(cli, ["report", responses, "-o", str(plan), *mini_args()])
    assert res.exit_code == 0, res.output
    assert load_workbook(plan).sheetnames[0] == "行动计划"
    named = tmp_path / "plan.out"
    res = runner.invoke(
        cli, ["report", responses, "-o", str(named), "--format", "xlsx", *mini_args()]
    )
    assert res.exit_code == 0, res.output
    assert zipfile.is_zipfile(named)


def test_cli_batch_writes_docx(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(MINI / "responses.yaml", folder / "mini.yaml")
    res = runner.invoke(
        cli,
        [
            "report",
            "--batch",
            str(folder),
            "-o",
            str(tmp_path / "out"),
            "--format",
            "docx",
            *mini_args(),
        ],
    )
    assert res.exit_code == 0, res.output
    assert zipfile.is_zipfile(tmp_path / "out" / "mini.docx")
