"""An honest verdict at low coverage (issue 11 §3): a provisional result says so on the cover
and in the executive summary of every format, with what is missing and what to do; gating is
explained with scored elements only; a strength is never a priority and reaches the target;
English counts take their plural forms (Babel)."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment.cli import cli
from assessment.engine import assess
from assessment.responses import load_responses, questionnaire_for
from frameworks.plurals import counted
from reports import build_context
from reports.labels import catalogue, labels

from .conftest import MINI, mini_args

ROOT = Path(__file__).resolve().parent.parent
# the elements of crm-maturity the README's quick-check example leaves (almost) unanswered
UNSCORED_EN = (
    "Strategic planning",
    "People & organisation",
    "Resource allocation",
    "Information & technology",
    "Customer-management operations",
    "Effectiveness of customer management",
)
UNSCORED_ZH = ("战略规划", "人事组织", "资源分配", "信息和技术", "客户管理业务", "客户管理的有效性")
COMMAND = "crmm answer quick-check -o answers.yaml --resume"


@pytest.fixture
def readme_answers(tmp_path: Path) -> Path:
    """The README's quick-check example: 3 answers, 17 % coverage."""
    readme = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"```yaml\n(type: responses\n.*?)```", readme, re.S)
    assert block is not None
    path = tmp_path / "answers.yaml"
    path.write_text(block.group(1), "utf-8")
    return path


def report(path: Path, out: Path, lang: str, *extra: str) -> bytes:
    res = CliRunner().invoke(cli, ["report", str(path), "-o", str(out), "--lang", lang, *extra])
    assert res.exit_code == 0, res.output
    return out.read_bytes()


def docx_text(data: bytes) -> str:
    import docx

    doc = docx.Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def html_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", data.decode())))


def summary_part(text: str, title: str, end: str) -> str:
    start = text.index(title)
    return text[start : text.index(end, start)]


def test_readme_example_is_provisional_in_md_html_and_docx(
    readme_answers: Path, tmp_path: Path
) -> None:
    md = report(readme_answers, tmp_path / "r.md", "en").decode()
    html = html_text(report(readme_answers, tmp_path / "r.html", "en"))
    docx = docx_text(report(readme_answers, tmp_path / "r.docx", "en"))
    for fmt, text in (("md", md), ("html", html), ("docx", docx)):
        flat = re.sub(r"\s+", " ", text).replace("\\", "")
        assert "Provisional result" in flat, fmt
        assert "Provisional overall maturity level" in flat, fmt
        assert "Answered questions carry only 17% of the question weight, below the" in flat, fmt
        assert "6 of the 7 elements could not be scored for lack of answers" in flat, fmt
        assert all(name in flat for name in UNSCORED_EN), fmt
        assert "13 of the 16 scored questions have no answer yet" in flat, fmt
        assert COMMAND in flat, fmt
        # no confident level: the plain label is never used for the result (the certification
        # rule "Overall maturity level (after gating)" is another figure)
        plain = flat.replace("Provisional overall", "").replace("level (after gating)", "")
        assert "Overall maturity level" not in plain, fmt
        assert "stands at maturity level" not in flat, fmt
        assert "would stand at maturity level 2, Developing, a provisional result" in flat, fmt
    # and only then: a complete assessment keeps its plain verdict
    out = tmp_path / "mini.md"
    args = ["report", str(MINI / "responses.yaml"), "-o", str(out), "--lang", "en"]
    res = CliRunner().invoke(cli, [*args, *mini_args()])
    assert res.exit_code == 0, res.output
    md = out.read_text("utf-8")
    assert "Provisional" not in md and "- Overall maturity level: **Level 4" in md


def test_gating_names_only_scored_elements(readme_answers: Path, tmp_path: Path) -> None:
    md = report(readme_answers, tmp_path / "r.md", "en").decode()
    assert "because Customer-management operations is at level 1" not in md
    assert (
        "The maturity index of the scored elements alone would reach level 3; under the gating"
        " rule the elements that could not be scored count at level 1, so the overall level is"
        " set at 2." in md
    )
    zh = report(readme_answers, tmp_path / "z.md", "zh-CN").decode()
    assert "由于要素「客户管理业务」处于 1 级" not in zh
    assert "按木桶规则，未能评分的要素计为 1 级，因此总体等级定为 2 级" in zh


def test_zh_summary_is_provisional_with_the_command(readme_answers: Path, tmp_path: Path) -> None:
    zh = report(readme_answers, tmp_path / "z.md", "zh-CN").decode()
    head = zh[: zh.index("### 主要优势")]
    assert "**暂定结果**：已答题目仅占题目权重的 17%，低于评估框架要求的最低覆盖率 60%。" in head
    assert "7 个要素中有 6 个因答案不足未能评分：" + "、".join(UNSCORED_ZH) in head
    assert "16 道计分题目中有 13 道尚无答案。" in head
    assert f"请补齐其余题目的答案（继续作答：{COMMAND}），然后重新生成报告。" in head
    assert "- 暂定总体成熟度等级：**2 级·发展级**" in head


def test_several_respondents_are_told_to_resume_each(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        "type: responses\nquestionnaire: {id: quick-check, version: 1.1.0}\n"
        "organization: {name: Two Co, industry: retail, size: medium, region: east-china}\n"
        "date: 2026-11-01\nrespondents:\n"
        "  - {id: r1, role: leadership, answers: {qc-01: 3}}\n"
        "  - {id: r2, role: sales, answers: {qc-02: 2}}\n",
        "utf-8",
    )
    md = report(path, tmp_path / "two.md", "en").decode().replace("\\", "")
    assert "crmm answer quick-check -o two.yaml --resume --respondent <ID>" in md
    assert "have each respondent answer the remaining questions" in md


def readme_context(path: Path, lang: str = "en"):  # type: ignore[no-untyped-def]
    loaded = load_responses(path)
    q, fw = questionnaire_for(loaded, None, None)
    return build_context(assess(loaded, q, fw), fw, q, lang)  # type: ignore[arg-type]


def test_a_strength_is_never_a_priority_and_reaches_the_target(readme_answers: Path) -> None:
    ctx = readme_context(readme_answers)
    x = ctx.executive
    assert x is not None
    priorities = {p.criterion_id for p in x.priorities}
    assert priorities == {"lead-commitment"}
    # it scored 25.0 (level 2): once a "strength" and priority #1 at the same time
    assert [s.criterion_id for s in x.strengths] == ["lead-customer-vision"]
    target = ctx.summary.target
    assert all(s.level.number >= target.number for s in x.strengths)
    assert all(s.score >= target.min_score for s in x.strengths)


def test_no_strength_yet_is_said(tmp_path: Path) -> None:
    path = tmp_path / "low.yaml"
    path.write_text(
        "type: responses\nquestionnaire: {id: quick-check, version: 1.1.0}\n"
        "organization: {name: Low Co, industry: retail, size: medium, region: east-china}\n"
        "date: 2026-11-01\nrespondents:\n"
        "  - {id: r1, role: leadership, answers: {qc-01: 1, qc-02: 1}}\n",
        "utf-8",
    )
    md = report(path, tmp_path / "low.md", "en").decode()
    strengths = summary_part(md, "### Strengths", "### Top priorities")
    no_strength = "No clear strength yet: no criterion scored with enough evidence has reached"
    assert no_strength in strengths
    assert not re.search(r"^1\. ", strengths, re.M)


def test_english_counts_take_their_plural_forms(readme_answers: Path, tmp_path: Path) -> None:
    md = report(readme_answers, tmp_path / "r.md", "en").decode()
    assert "the report proposes 1 action for 1 criterion, 0 of them quick wins." in md
    assert "1 actions" not in md and "1 criteria" not in md
    docx = docx_text(report(readme_answers, tmp_path / "r.docx", "en"))
    assert "1 respondent\n" in docx + "\n" and "1 respondents" not in docx
    html = html_text(report(readme_answers, tmp_path / "r.html", "en"))
    assert " 1 respondent " in html and "1 respondents" not in html
    assert "the target is 1 level above the overall level" in html


def test_no_label_writes_a_plural_by_hand() -> None:
    for key, text in catalogue().items():
        assert "(s)" not in text["en"], key
        assert not key.endswith(".many"), key  # CLDR categories: one, other
    en = labels("en")
    assert en.plural("count.actions", 1) == "1 action"
    assert en.plural("count.actions", 0) == "0 actions"
    assert en.plural("count.criteria", 2) == "2 criteria"
    assert labels("zh-CN").plural("count.actions", 1) == "1 项改进举措"
    assert counted(1, "respondent", "respondents") == "1 respondent"
    assert counted(21, "respondent", "respondents") == "21 respondents"


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text without whitespace (extraction breaks lines anywhere)."""
    from pypdf import PdfReader

    return [re.sub(r"\s+", "", p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.slow
def test_pdf_cover_and_summary_say_provisional(readme_answers: Path, tmp_path: Path) -> None:
    squeeze = COMMAND.replace(" ", "")
    for lang, level, title, summary in (
        ("en", "Provisionaloverallmaturitylevel", "Provisionalresult", "Executivesummary"),
        ("zh-CN", "暂定总体成熟度等级", "暂定结果", "执行摘要"),
    ):
        pages = pdf_pages(report(readme_answers, tmp_path / f"{lang}.pdf", lang))
        cover = pages[0]
        assert level in cover and title in cover and squeeze in cover, lang
        assert any(
            summary in p and level.lower() in p.lower() and title in p and squeeze in p
            for p in pages[2:]
        ), lang


def test_the_worked_example_names_no_strength() -> None:
    """docs/scoring.md §7: target level 5, every criterion at level 3 or 4."""
    from questionnaires.loader import load_questionnaire

    q, fw = load_questionnaire(
        str(MINI / "questionnaire.yaml"), framework=str(MINI / "framework.yaml")
    )
    loaded = load_responses(MINI / "responses.yaml")
    ctx = build_context(assess(loaded, q, fw), fw, q, "en")
    assert ctx.summary.target.number == 5 and ctx.summary.provisional is None
    assert ctx.executive is not None and ctx.executive.strengths == ()
