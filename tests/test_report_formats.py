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
from reports.brand import Brand, load_brand
from reports.views import ReportContext

from .conftest import MINI, load_yaml, mini_args

HOSTILE_ORG = '=HYPERLINK("http://evil.example","click")'
HOSTILE_COMMENT = "[click](http://evil.example) <img src=x onerror=alert(1)> **bold**"
BRAND = MINI.parent / "brand" / "brand.yaml"
CONFIDENTIAL_EN = "Confidential — prepared for the management of "
APPENDICES_EN = [
    "Appendix A: Methodology",
    "Appendix B: Calculation trace",
    "Appendix C: Respondents and where they disagree",
    "Appendix D: Full answers",
    "Appendix E: Glossary",
]

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


def render(s: Scored, lang: Lang, fmt: str, brand: Brand | None = None) -> bytes:
    q, fw, loaded, result = s
    return render_report(result, fw, q, lang=lang, fmt=fmt, responses=loaded.responses, brand=brand)


def context(s: Scored, lang: Lang = "en") -> ReportContext:
    q, fw, loaded, result = s
    return build_context(result, fw, q, lang, responses=loaded.responses)


def styled(doc: Any, style: str) -> list[str]:
    """The text of every paragraph in this style, in order."""
    return [p.text for p in doc.paragraphs if p.style is not None and p.style.name == style]


def header(table: Any) -> list[str]:
    return [c.text for c in table.rows[0].cells]


def tables_with(doc: Any, name: str) -> list[Any]:
    """The tables with a header cell `name`."""
    return [t for t in doc.tables if name in header(t)]


def column(table: Any, name: str) -> list[str]:
    """A table's cells under the header `name`, below the header row."""
    i = [c.text for c in table.rows[0].cells].index(name)
    return [row.cells[i].text for row in table.rows[1:]]


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
    h1 = styled(doc, "Heading 1")
    assert h1 == [
        "Executive summary",
        "Maturity profile",
        "Element 1 · People",
        "Element 2 · Service",
        "In their own words",
        "Recommendations",
        "Improvement roadmap",
        *APPENDICES_EN,
    ]
    h2 = styled(doc, "Heading 2")
    assert "Key figures" in h2 and "Criteria" in h2 and "Phase 1 · Plan" in h2
    assert h2.index("Phase 1 · Plan") < h2.index("Phase 2 · Build")
    assert h2.index("Key figures") < h2.index("Strengths") < h2.index("Top priorities")
    assert h2.index("Top priorities") < h2.index("Roadmap at a glance") < h2.index("Findings")
    texts = [p.text for p in doc.paragraphs]
    assert texts[:2] == ["Maturity Assessment Report", HOSTILE_ORG]  # mini: no report title
    ctx = context(weak)
    (table,) = tables_with(doc, "Suggested owner")
    assert header(table) == ["Rank", "Action", "Criterion", "Effort", "Horizon", "Suggested owner"]
    n_actions = sum(len(r.actions) for r in ctx.recommendations)
    assert n_actions == 5 and len(table.rows) - 1 == action_rows(ctx)
    actions = [a.split("\n")[0] for a in column(table, "Action")]
    assert table.cell(2, 2).text == table.cell(1, 2).text
    assert table.cell(1, 2).text.startswith("Complaints\nService\nL1 → L3 · Priority ")
    assert column(table, "Horizon")[:2] == ["0–3 months", "12–24 months"]
    assert column(table, "Suggested owner")[0] == ctx.recommendations[0].actions[0].owner
    continued = sum(len(r.actions) - 1 for r in ctx.recommendations if r.actions)
    assert continued == 2 and table._tbl.xml.count("<w:vMerge/>") == 2 * continued
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
    assert props.title == f"Maturity Assessment Report — {HOSTILE_ORG}"
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
    h1 = styled(doc, "Heading 1")
    assert h1[:4] == ["执行摘要", "成熟度概览", "要素 1·人员", "要素 2·服务"]
    assert h1[-3:] == ["附录 C：答卷人及其分歧", "附录 D：全部答案", "附录 E：术语表"]
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
    assert wb.sheetnames == ["Action plan", "Scores", "About", "Own words"]
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
        "Horizon",
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
    assert [r[8] for r in rows if r[7]] == [
        a.horizon for r in ctx.recommendations for a in r.actions
    ]
    assert {r[8] for r in rows if r[7]} == {"0–3 months", "3–12 months", "12–24 months"}
    assert {r[13] for r in rows} == {"not started"}
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:O{len(rows) + 1}"
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["G"].width > ws.column_dimensions["A"].width
    assert ws["G2"].alignment.wrap_text
    validations = {dv.type: dv for dv in ws.data_validations.dataValidation}
    status = validations["list"]
    assert status.formula1 == '"not started,in progress,done,blocked"'
    assert str(status.sqref).startswith("N2:N") and status.showErrorMessage
    due = validations["date"]
    assert str(due.sqref).startswith("M2:M") and due.operator == "greaterThanOrEqual"
    assert ws["A1"].fill.start_color.rgb == "001F4E79"  # no brand: the neutral blue
    assert ws.oddHeader is not None and ws.oddHeader.left.text is None
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
    assert wb.sheetnames == ["行动计划", "得分", "关于", "答卷人原话"]
    ws = wb["行动计划"]
    assert ws["N1"].value == "状态" and ws["L1"].value == "负责人"
    assert ws["I1"].value == "预计周期" and ws["I2"].value == "0–3 个月"
    status = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert status.formula1 == '"未开始,进行中,已完成,受阻"'
    assert ws["N2"].value == "未开始"


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


# --- executive summary, horizons, appendices and brand in DOCX, XLSX and Markdown -----------


def tiny_png() -> bytes:
    """A valid 1 x 1 PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\x17\x3f\x5f")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def brand() -> Brand:
    return load_brand(BRAND)


@pytest.fixture(scope="module")
def branded_docx(weak: Scored, brand: Brand) -> dict[str, Any]:
    import docx

    return {
        lang: docx.Document(io.BytesIO(render(weak, lang, "docx", brand)))
        for lang in ("en", "zh-CN")
    }


def test_docx_executive_summary(weak: Scored, branded_docx: dict[str, Any]) -> None:
    doc, ctx = branded_docx["en"], context(weak)
    x = ctx.executive
    # every criterion is at level 1, below the target: no strength, said in words
    assert x is not None and len(x.strengths) == 0 and len(x.priorities) == 3
    assert not [t for t in doc.tables if header(t)[:2] == ["Criterion", "Element"]]
    texts = [p.text for p in doc.paragraphs]
    no_strength = "No clear strength yet: no criterion scored with enough evidence has reached"
    assert texts[texts.index("Strengths") + 1].startswith(no_strength)
    (priorities,) = tables_with(doc, "First action")
    firsts = column(priorities, "First action")
    for pr, cell in zip(x.priorities, firsts, strict=True):
        assert pr.first_action is not None
        assert cell.startswith(f"[{pr.first_action.effort_label}] {pr.first_action.text}\n")
        assert pr.first_action.horizon in cell
    texts = [p.text for p in doc.paragraphs]
    assert x.roadmap_line == "Phase 1 Plan: 3 actions (2 quick wins) → Phase 2 Build: 2 actions"
    assert texts.index(x.roadmap_line) == texts.index("Roadmap at a glance") + 1


def test_docx_roadmap_shows_horizons(branded_docx: dict[str, Any]) -> None:
    for lang, horizons in (
        ("en", {"0–3 months", "3–12 months", "12–24 months"}),
        ("zh-CN", {"0–3 个月", "3–12 个月", "12–24 个月"}),
    ):
        doc = branded_docx[lang]
        name = "Horizon" if lang == "en" else "预计周期"
        phases = [t for t in tables_with(doc, name) if len(t.columns) == 5]
        assert len(phases) == 2  # the two phases with actions
        assert {h for t in phases for h in column(t, name)} == horizons, lang


def test_docx_appendices(weak: Scored, branded_docx: dict[str, Any]) -> None:
    doc, ctx = branded_docx["en"], context(weak)
    assert styled(doc, "Heading 1")[-5:] == APPENDICES_EN
    h2 = styled(doc, "Heading 2")
    tail = h2[h2.index("Respondents") :]
    assert tail[:3] == [
        "Respondents",
        "Questions with the lowest agreement",
        "Agreement by element",
    ]
    assert tail[-2:] == ["Terms", "Elements of the model"]
    a = ctx.appendix_respondents
    assert a is not None and a.enough
    texts = [p.text for p in doc.paragraphs]
    assert a.reading in texts
    (lowest,) = tables_with(doc, "Mean by role")
    assert [c.split("\n")[0].split(" · ")[0] for c in column(lowest, "Question")] == [
        q.id for q in a.questions
    ]
    (agreement,) = tables_with(doc, "rwg(j)")
    assert column(agreement, "Element") == ["People", "Service", "All questions"]
    (answers,) = tables_with(doc, "alice\nBoss")
    assert answers.rows[1].cells[0].text == "People"  # an element row across the table
    assert 'w:gridSpan w:val="3"' in answers._tbl.xml
    glossary = tables_with(doc, "Term")
    assert len(glossary) == 2
    g = ctx.glossary
    assert g is not None and g.terms
    terms = [c.split("\n")[0] for c in column(glossary[0], "Term")]
    assert terms == [t.term for t in g.terms] and "maturity index" in terms
    assert [c.split("\n")[0] for c in column(glossary[1], "Term")] == ["People", "Service"]
    # the respondents are listed once, in appendix C, not under the methodology too
    assert len(tables_with(doc, "Respondent")) == 1


def test_docx_brand(branded_docx: dict[str, Any]) -> None:
    from docx.oxml.ns import qn

    for lang, name, confidential in (
        ("en", "Northwind Advisory", CONFIDENTIAL_EN + HOSTILE_ORG),
        ("zh-CN", "北风咨询", f"机密 — 仅供{HOSTILE_ORG}管理层使用"),
    ):
        doc = branded_docx[lang]
        section = doc.sections[0]
        assert section.header.paragraphs[0].text == name
        footer = "\n".join(p.text for p in section.footer.paragraphs)
        assert confidential in footer and "northwind.example" in footer
        texts = [p.text for p in doc.paragraphs]
        assert texts[0] == name and texts.index(confidential) < texts.index(
            styled(doc, "TOC Heading")[0]
        )
        for style in ("Title", "Heading 1", "Heading 2"):
            assert str(doc.styles[style].font.color.rgb) == "173F5F", style
        assert not doc.inline_shapes  # the example's logo is SVG: left out of Word
        assert doc.styles.element.find(qn("w:docDefaults")) is not None


def test_docx_png_logo_and_neutral_look(weak: Scored, brand: Brand, docx_en: bytes) -> None:
    import docx

    from reports.brand import with_logo

    doc = docx.Document(
        io.BytesIO(render(weak, "en", "docx", with_logo(brand, tiny_png(), ".png")))
    )
    assert len(doc.inline_shapes) == 1
    plain = docx.Document(io.BytesIO(docx_en))
    assert plain.sections[0].header.paragraphs[0].text == ""
    assert len(plain.sections[0].footer.paragraphs) == 1
    assert plain.styles["Heading 1"].font.color.rgb != docx.shared.RGBColor(0x17, 0x3F, 0x5F)


def test_docx_answers_split_like_the_pdf(mini_responses: dict[str, Any]) -> None:
    import docx

    first = mini_responses["respondents"][0]
    mini_responses["respondents"] = [{**first, "id": f"p{i}"} for i in range(1, 10)]
    doc = docx.Document(io.BytesIO(render(scored(mini_responses), "en", "docx")))
    h2 = styled(doc, "Heading 2")
    assert [h for h in h2 if h.startswith("Respondents ") and "of" in h] == [
        "Respondents 1–8 of 9",
        "Respondents 9–9 of 9",
    ]
    answers = [t for t in tables_with(doc, "Question") if "\n" in header(t)[1]]
    assert [len(t.columns) for t in answers] == [9, 2]


def test_xlsx_brand_and_horizon(weak: Scored, brand: Brand) -> None:
    from openpyxl import load_workbook

    cases: tuple[tuple[Lang, str, str, str, str], ...] = (
        ("en", "Consultancy", "Horizon", "Northwind Advisory", CONFIDENTIAL_EN + HOSTILE_ORG),
        ("zh-CN", "咨询机构", "预计周期", "北风咨询", f"机密 — 仅供{HOSTILE_ORG}管理层使用"),
    )
    for lang, about_name, horizon, name, confidential in cases:
        wb = load_workbook(io.BytesIO(render(weak, lang, "xlsx", brand)))
        ws = wb.worksheets[0]
        assert ws["H1"].value in ("Effort", "投入类型") and ws["I1"].value == horizon
        assert ws["A1"].fill.start_color.rgb == "00173F5F"
        assert ws["A1"].font.color.rgb == "00FFFFFF"  # white reads on the dark blue
        assert ws["L1"].fill.start_color.rgb == "00BF8F00"  # columns to fill in keep theirs
        about = [r[:2] for r in wb.worksheets[2].iter_rows(min_row=2, values_only=True)]
        assert about[:2] == [(about_name, name), (about[1][0], confidential)]
        for sheet in wb.worksheets:
            head, foot = sheet.oddHeader, sheet.oddFooter
            assert head is not None and foot is not None
            assert (head.left.text, foot.center.text) == (name, confidential)


def test_markdown_brand_line_and_executive_summary(weak: Scored, brand: Brand) -> None:
    md = render(weak, "en", "md", brand).decode()
    # nothing in the organisation's name needs escaping in Markdown
    assert md.splitlines()[0] == f"*Northwind Advisory · {CONFIDENTIAL_EN}{HOSTILE_ORG}*"
    assert md.splitlines()[2] == "# Maturity Assessment Report"
    zh = render(weak, "zh-CN", "md", brand).decode()
    assert zh.splitlines()[0] == f"*北风咨询·机密 — 仅供{HOSTILE_ORG}管理层使用*"
    assert render(weak, "en", "md").decode().startswith("# Maturity Assessment Report")
    summary = md[md.index("### Strengths") : md.index("### Roadmap at a glance")]
    items = [line for line in summary.splitlines() if re.match(r"\d\. \*\*", line)]
    assert len(items) == 3 and sum("First action: \\[" in line for line in items) == 3
    assert "No clear strength yet" in summary  # all criteria at level 1, below the target
    assert (
        "1. **Complaints** (Service): L1 → L3 · First action: \\[Quick win\\] Log complaints" in md
    )


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
