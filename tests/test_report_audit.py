"""The consultant's audit in the report (issue 14; reports/audit_view.py, ir_chart.py,
docx_audit.py): intention and reality with their gaps and findings, the assessor's ratings
marked on every figure they set, the evidence register, workshops beside the individual
answers and the certification's accepted-evidence rule, in PDF (zh-CN and en), HTML, MD
and DOCX; a one-dimension report shows none of it.

Expected figures come from the result JSON `crmm score` writes, never from the report code.
"""

from __future__ import annotations

import html
import io
import json
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assessment.cli import cli
from assessment.engine import assess
from assessment.responses import load_responses
from frameworks.langs import Lang
from questionnaires.loader import load_questionnaire
from reports import build_context, render_report
from reports.formatting import num
from reports.ir_chart import LEFT, SIZE, TOP, IRLabels, IRPoint, intention_reality_chart
from reports.labels import catalogue

from .conftest import pdf_text

ROOT = Path(__file__).resolve().parent.parent
AUDIT = ROOT / "tests" / "fixtures" / "two-dimensions"
MINI = ROOT / "examples" / "mini"
SVG = "{http://www.w3.org/2000/svg}"
AUDIT_KEYS = ("audit.", "evidence.", "recs.kind")


def inputs(folder: Path) -> list[str]:
    return [
        "--questionnaire",
        str(folder / "questionnaire.yaml"),
        "--framework",
        str(folder / "framework.yaml"),
    ]


@cache
def result_json() -> dict[str, Any]:
    """The clinic audit's result as `crmm score` writes it: the figures every test expects."""
    res = CliRunner().invoke(
        cli, ["score", str(AUDIT / "responses.yaml"), *inputs(AUDIT), "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    data: dict[str, Any] = json.loads(res.output)
    return data


@cache
def scored(folder: Path) -> tuple[Any, Any, Any, Any]:
    q, fw = load_questionnaire(folder / "questionnaire.yaml", folder / "framework.yaml")
    loaded = load_responses(folder / "responses.yaml")
    return q, fw, assess(loaded, q, fw), loaded.for_report(q)


@cache
def rendered(folder: Path, lang: Lang, fmt: str) -> bytes:
    q, fw, res, responses = scored(folder)
    return render_report(res, fw, q, lang=lang, fmt=fmt, responses=responses)


def text_of(data: bytes) -> str:
    """An HTML report's text up to its glossary (which pairs every term with the other
    language's, as tests/test_language_purity.py allows)."""
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", data.decode(), flags=re.S)
    body = body.split('id="appendix-glossary"')[0]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def criterion(cid: str) -> dict[str, Any]:
    return next(c for c in result_json()["criteria"] if c["id"] == cid)


# --- the view: every figure is the result's -------------------------------------------------


def test_gaps_are_the_results_largest_first_and_findings_reach_the_threshold() -> None:
    q, fw, res, responses = scored(AUDIT)
    audit = build_context(res, fw, q, "en", responses=responses).audit
    assert audit is not None and audit.dimensions is not None
    expected = sorted(
        (c for c in result_json()["criteria"] if c["gap"] is not None), key=lambda c: -c["gap"]
    )
    assert [g.criterion_id for g in audit.gaps] == [c["id"] for c in expected]
    for g, c in zip(audit.gaps, expected, strict=True):
        assert (g.intention, g.reality, g.gap) == (c["intention"], c["reality"], c["gap"])
        assert g.overridden == tuple(c["overridden"])
    threshold = fw.dimensions.finding_gap
    assert [g.criterion_id for g in audit.findings] == [
        c["id"] for c in expected if c["gap"] >= threshold
    ]
    # the fixture's smallest gap sits exactly on the threshold: it is a finding
    assert audit.findings[-1].gap == threshold == 20
    assert "lower of its intention and reality" in audit.dimensions.rule
    findings = [c for c in expected if c["gap"] >= threshold]
    assert audit.summary == (
        f"Intention and reality: {len(findings)} criteria are said but not done (intention"
        f" ahead of reality by 20 points or more); the largest gap is"
        f" {fw.criteria[findings[0]['id']].name.get('en')}, {num(findings[0]['gap'])} points."
    )
    assert [(e.id, e.gap) for e in audit.elements] == [
        (e["id"], e["gap"]) for e in result_json()["elements"]
    ]


def test_overrides_rows_are_the_results_and_the_trails_earlier_entry_is_kept() -> None:
    q, fw, res, responses = scored(AUDIT)
    audit = build_context(res, fw, q, "en", responses=responses).audit
    assert audit is not None
    overrides = result_json()["overrides"]
    assert [(o.criterion_id, o.before, o.after, o.rating, o.entries) for o in audit.overrides] == [
        (o["criterion"], o["before"], o["after"], o["rating"], o["entries"]) for o in overrides
    ]
    waiting = next(o for o in audit.overrides if o.criterion_id == "f-waiting")
    assert waiting.target == "Waiting times — Reality"
    assert waiting.at == "2026-11-21 09:05 +08:00"
    assert waiting.evidence[0].id == "ev-02" and waiting.evidence[0].status == "insufficient"
    complaints = next(o for o in audit.overrides if o.criterion_id == "c-complaints")
    assert complaints.dimension == "criterion score"
    # the first rating of waiting times (3, later replaced by 2) stays in the trail
    assert [(s.criterion_id, s.rating, s.after, s.counts) for s in audit.superseded] == [
        ("f-waiting", 3, 50.0, False)
    ]


def test_register_workshop_and_accepted_evidence_rule() -> None:
    q, fw, res, responses = scored(AUDIT)
    audit = build_context(res, fw, q, "zh-CN", responses=responses).audit
    assert audit is not None
    assert [(e.id, e.status, e.reason) for e in audit.register] == [
        ("ev-01", "已接受", ""),
        ("ev-02", "不充分", "只观察了两个上午，样本太小。"),
        ("ev-03", "已接受", ""),
        ("ev-04", "不予采信", "表格自三月起无人填写。"),
    ]
    (ws,) = audit.workshops
    assert ws.name == "护理组研讨会" and ws.weight == 2 and ws.count == 3
    assert ws.participants == ("陈护士长（护士）", "王护士（护士）", "赵前台（前台）")
    people = {p["id"] for p in result_json()["respondents"] if p["kind"] == "person"}
    for a in ws.answers:
        q_res = next(x for x in result_json()["questions"] if x["id"] == a.question)
        individual = [v for k, v in q_res["answers"].items() if k in people and v is not None]
        assert a.workshop == q_res["answers"]["ws-1"]
        assert a.individuals == pytest.approx(sum(individual) / len(individual))
    rule = next(
        r
        for r in result_json()["certification"]["levels"][0]["rules"]
        if r["kind"] == "accepted-evidence"
    )
    (view,) = audit.evidence_rules
    assert (view.passed, view.required, view.actual) == (
        rule["passed"],
        rule["required"],
        rule["actual"],
    )
    assert view.missing == ("候诊",) and rule["missing"] == ["f-waiting"]


def test_recommendations_carry_the_results_kind() -> None:
    q, fw, res, responses = scored(AUDIT)
    ctx = build_context(res, fw, q, "en", responses=responses)
    items = result_json()["recommendations"]["items"]
    assert [(r.criterion_id, r.kind) for r in ctx.recommendations] == [
        (i["criterion"], i["kind"]) for i in items
    ]
    assert {r.kind_label for r in ctx.recommendations} == {"Implement and embed"}


def test_one_dimension_report_has_no_audit() -> None:
    q, fw, res, responses = scored(MINI)
    ctx = build_context(res, fw, q, "en", responses=responses)
    assert ctx.audit is None
    assert all(not c.overridden for e in ctx.elements for c in e.criteria)
    assert all(r.kind is None for r in ctx.recommendations)
    page = rendered(MINI, "en", "html").decode()
    assert 'id="intention-reality"' not in page and "†" not in page
    markdown = rendered(MINI, "en", "md").decode()
    L = catalogue()
    for key, text in L.items():
        if key.startswith(AUDIT_KEYS) and len(text["en"]) > 20:  # sentences, not words
            assert text["en"] not in markdown, key


# --- the chart ------------------------------------------------------------------------------


LABELS = IRLabels(
    title="Intention vs reality",
    intention="Intention",
    reality="Reality",
    diagonal="Intention = Reality",
    ahead="Said but not done",
    finding="gap ≥ 20: finding",
    point="Criterion",
    overridden="† assessor's rating",
)


def test_chart_plots_reality_across_and_intention_up_with_the_diagonal() -> None:
    points = [
        IRPoint("1.1", "Welcome", 75.0, 55.0),
        IRPoint("1.2", "Waiting times", 50.0, 25.0, overridden=True),
        IRPoint("2.1", "Follow-up", 20.0, 60.0),
    ]
    svg = str(intention_reality_chart(points, LABELS, finding_gap=20))
    assert svg == str(intention_reality_chart(points, LABELS, finding_gap=20))  # deterministic
    root = ET.fromstring(svg)
    (diagonal,) = [e for e in root.iter(f"{SVG}line") if e.get("class") == "diagonal"]
    # the diagonal runs from (0, 0) at the bottom left to (100, 100) at the top right
    assert float(diagonal.get("x1", "")) == LEFT and float(diagonal.get("y1", "")) == TOP + SIZE
    assert float(diagonal.get("x2", "")) == LEFT + SIZE and float(diagonal.get("y2", "")) == TOP
    circles = [e for e in root.iter(f"{SVG}circle") if e.get("class") == "point"]
    squares = [e for e in root.iter(f"{SVG}rect") if e.get("class") == "point overridden"]
    assert len(circles) == 2 and len(squares) == 1
    welcome = circles[0]
    assert float(welcome.get("cx", "")) == pytest.approx(LEFT + SIZE * 0.55, abs=0.05)
    assert float(welcome.get("cy", "")) == pytest.approx(TOP + SIZE * 0.25, abs=0.05)
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for word in ("Said but not done", "Intention = Reality", "1.2†", "Waiting times", "2.1"):
        assert word in texts
    # the region above the diagonal is shaded: a triangle with its corner at the top left
    (ahead,) = [e for e in root.iter(f"{SVG}polygon") if e.get("class") == "ahead"]
    assert ahead.get("points", "").startswith(f"{LEFT:.1f},{TOP:.1f}")


def test_chart_points_at_one_place_share_a_label() -> None:
    points = [IRPoint("1.1", "A", 50.0, 50.0), IRPoint("2.3", "B", 50.0, 50.0)]
    root = ET.fromstring(str(intention_reality_chart(points, LABELS)))
    labels = [
        "".join(t.itertext()) for t in root.iter(f"{SVG}text") if t.get("class") == "point-label"
    ]
    assert labels == ["1.1, 2.3"]


# --- HTML, MD and language purity -----------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_html_and_md_carry_the_sections_in_one_language(lang: Lang) -> None:
    page = text_of(rendered(AUDIT, lang, "html"))
    markdown = rendered(AUDIT, lang, "md").decode().split("\n## ")
    markdown = "\n## ".join(
        part for part in markdown if not part.startswith(("附录 E", "Appendix E"))
    )
    L = catalogue()
    other: Lang = "zh-CN" if lang == "en" else "en"
    for key in ("audit.title", "audit.findings", "audit.overrides", "audit.register"):
        assert L[key][lang] in page, key
    for key, text in L.items():
        if key.startswith(AUDIT_KEYS) and text[other] != text[lang] and len(text[other]) > 3:
            assert text[other] not in page, (key, text[other])
            assert text[other] not in markdown, (key, text[other])
    for c in result_json()["criteria"]:
        if c["gap"] is not None:
            assert f"| {num(c['intention'])}" in markdown
    raw = rendered(AUDIT, lang, "html").decode()
    for anchor in ("intention-reality", "assessor-ratings", "evidence-register"):
        assert f'href="#{anchor}"' in raw and f'id="{anchor}"' in raw


def test_every_overridden_figure_is_marked_in_the_html() -> None:
    raw = rendered(AUDIT, "en", "html").decode()
    # criteria tables: the overridden criteria's scores carry the mark, the others none
    for cid, name in (("f-waiting", "Waiting times"), ("c-complaints", "Complaints")):
        score = num(criterion(cid)["score"])
        assert re.search(
            rf"<td>{name}</td>\s*<td class=\"num\">1</td>\s*<td class=\"num\">"
            rf"{re.escape(score)}<span class=\"mark\">†</span>",
            raw,
        ), name
    assert not re.search(
        r"<td>Welcome</td>\s*<td class=\"num\">1</td>\s*<td class=\"num\">"
        r"[0-9.]+<span class=\"mark\">",
        raw,
    )
    # the calculation trace (two decimals) and the answers appendix's workshop column
    for cid in ("f-waiting", "c-complaints"):
        assert f'{num(criterion(cid)["score"], 2)}<span class="mark">†</span></td>' in raw
    assert '<span class="ans-role">workshop</span>' in raw
    # the heatmap and the bar charts mark them too
    assert f"{criterion('f-waiting')['score']:.1f}† · L2" in raw
    assert f"{num(criterion('c-complaints')['score'])}† · L1" in raw


# --- PDF (zh-CN and en) and verify ----------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("audit-pdf")
    files = {}
    for lang in ("en", "zh-CN"):
        pdf = out / f"audit-{lang}.pdf"
        res = CliRunner().invoke(
            cli,
            [
                "report",
                str(AUDIT / "responses.yaml"),
                *inputs(AUDIT),
                "-o",
                str(pdf),
                "--lang",
                lang,
            ],
        )
        assert res.exit_code == 0, res.output
        files[lang] = pdf
    return files


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.slow
def test_pdf_en_shows_findings_overrides_register_workshop_and_kinds(pdfs: dict[str, Path]) -> None:
    text = pdf_text(pdfs["en"])
    f = flat(text)
    assert flat("Intention and reality") in f and flat("Findings: said but not done") in f
    for c in result_json()["criteria"]:
        if c["gap"] is not None and c["gap"] >= 20:
            assert flat(f"a gap of {num(c['gap'])} points") in f, c["id"]
    for o in result_json()["overrides"]:
        assert flat(f"{num(o['before'])} → {num(o['after'])}") in f
    assert flat("29.2 → 50.0") in f  # the trail's replaced entry
    assert flat("Set by an assessor's rating") in f
    for status, reason in (
        ("insufficient", "只观察了两个上午"),
        ("rejected", "表格自三月起无人填写"),
    ):
        assert status in text and flat(reason) in f
    assert flat("Criteria without accepted evidence: Waiting times") in f
    assert all(flat(n) in f for n in ("陈护士长", "王护士", "赵前台"))
    assert flat("Implement and embed") in f
    assert flat("(workshop)") in f


@pytest.mark.slow
def test_pdf_zh_shows_the_audit_in_chinese(pdfs: dict[str, Path]) -> None:
    f = flat(pdf_text(pdfs["zh-CN"]))
    for words in (
        "意图与现实",
        "发现：说了但没做",
        "评估师评分",
        "证据登记表",
        "研讨会",
        "缺少已接受证据的评估准则：候诊",
        "落实并固化",
        "差距55.0分",
        "20.0→0.0",
    ):
        assert flat(words) in f, words
    for english in ("Said but not done", "Assessor ratings", "Evidence register", "intention ("):
        assert flat(english) not in f, english


@pytest.mark.slow
def test_verify_passes_on_the_audit_report(pdfs: dict[str, Path]) -> None:
    res = CliRunner().invoke(cli, ["verify", str(pdfs["zh-CN"]), *inputs(AUDIT)])
    assert res.exit_code == 0, res.output
    assert "byte-identical to a fresh rendering" in res.output


# --- DOCX -----------------------------------------------------------------------------------


def test_docx_has_the_sections_tables_chart_and_marks() -> None:
    import docx

    doc = docx.Document(io.BytesIO(rendered(AUDIT, "en", "docx")))
    h1 = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert h1.index("Intention and reality") == h1.index("Element 2 · Care") + 1
    assert h1.index("Assessor ratings") == h1.index("Certification") + 1
    assert h1.index("Evidence register") == h1.index("Assessor ratings") + 1
    assert len(doc.inline_shapes) == 1  # the intention vs reality chart
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for o in result_json()["overrides"]:
        assert f"{num(o['before'])} → {num(o['after'])}\nRating {o['rating']}" in cells
    assert f"{num(criterion('c-complaints')['score'])}†" in cells
    assert "ws-1 (workshop)" in cells
    assert "insufficient\n只观察了两个上午，样本太小。\nReviewer: 周慧敏" in cells
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Criteria without accepted evidence: Waiting times" in body
    assert "陈护士长 (Nurse), 王护士 (Nurse), 赵前台 (Receptionist)" in body
    q, fw, res, responses = scored(AUDIT)
    again = render_report(res, fw, q, lang="en", fmt="docx", responses=responses)
    assert again == rendered(AUDIT, "en", "docx")  # the same bytes, chart picture included


def test_a_large_files_register_reaches_the_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """A responses file read as columns (TableResponses, above ANSWERS_LIMIT respondents)
    keeps its header: the evidence register is in the report as from a small file."""
    import yaml

    import assessment.scoring
    from assessment.response_columns import TableResponses
    from assessment.responses import parse_responses

    data = yaml.safe_load((AUDIT / "responses.yaml").read_text("utf-8"))
    data.pop("assessor_ratings")  # their `before` figures count the workshop, left out here
    people = [p for p in data.pop("respondents") if p.get("kind", "person") == "person"]
    qids = sorted({qid for p in people for qid in p["answers"]})

    def value(answer: Any) -> Any:
        return answer["value"] if isinstance(answer, dict) else answer

    data["respondents"] = {"id": [p["id"] for p in people], "role": [p["role"] for p in people]}
    data["answers"] = {q: [value(p["answers"].get(q)) for p in people] for q in qids}
    text = json.dumps(data, ensure_ascii=False, default=str).encode()
    monkeypatch.setattr(assessment.scoring, "ANSWERS_LIMIT", 1)
    loaded = parse_responses(text, "columns.json")
    q, fw = load_questionnaire(AUDIT / "questionnaire.yaml", AUDIT / "framework.yaml")
    table = loaded.for_report(q)
    assert isinstance(table, TableResponses)
    audit = build_context(assess(loaded, q, fw), fw, q, "en", responses=table).audit
    assert audit is not None
    assert [(e.id, e.status) for e in audit.register] == [
        ("ev-01", "accepted"),
        ("ev-02", "insufficient"),
        ("ev-03", "accepted"),
        ("ev-04", "rejected"),
    ]
    assert audit.overrides == () and audit.workshops == ()
