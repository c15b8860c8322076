"""Report content for a board: executive summary, criteria heatmap, recommendations table,
roadmap timeline (reports/executive.py, heatmap.py, timeline.py)."""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
import xml.etree.ElementTree as ET
from typing import get_args

import pytest
import yaml
from pypdf import PdfReader

from assessment.benchmarking import with_benchmark
from assessment.demo import BENCHMARK, demo_responses
from assessment.engine import assess
from assessment.responses import parse_responses
from assessment.result import AssessmentResult
from frameworks.model import Effort, Framework
from frameworks.text import LANGS
from questionnaires.loader import load_questionnaire
from questionnaires.model import Questionnaire
from reports import build_context, render_report
from reports.executive import executive_view, roadmap_steps, strengths
from reports.heatmap import PALETTE, Cell, Row, heatmap_svg, wrap_label
from reports.labels import catalogue, labels
from reports.paths import TEMPLATES_DIR
from reports.timeline import Column, Marker, timeline_svg
from reports.views import ReportContext

SVG = "{http://www.w3.org/2000/svg}"
HORIZONS = {
    "en": {"quick-win": "0–3 months", "medium": "3–12 months", "long-term": "12–24 months"},
    "zh-CN": {"quick-win": "0–3 个月", "medium": "3–12 个月", "long-term": "12–24 个月"},
}
Demo = tuple[Questionnaire, Framework, AssessmentResult]


@pytest.fixture(scope="module")
def demo() -> Demo:
    """The `crmm demo` full audit, scored against the illustrative benchmark (no PDF)."""
    q, fw = load_questionnaire("full-audit")
    text = yaml.safe_dump(demo_responses(q, fw), allow_unicode=True, sort_keys=False)
    loaded = parse_responses(text.encode(), "demo-responses.yaml")
    return q, fw, with_benchmark(assess(loaded, q, fw), BENCHMARK)


@pytest.fixture(scope="module")
def ctx(demo: Demo) -> ReportContext:
    q, fw, res = demo
    return build_context(res, fw, q, "en")


# --- context -------------------------------------------------------------------------------


def test_strengths_are_the_three_highest_scoring_criteria(demo: Demo, ctx: ReportContext) -> None:
    _, fw, res = demo
    order = [c.id for e in fw.elements for c in e.criteria]
    scored = [c for c in res.criteria if c.score is not None]
    want = sorted(scored, key=lambda c: (-(c.score or 0.0), order.index(c.id)))[:3]
    assert ctx.executive is not None
    got = ctx.executive.strengths
    assert [s.criterion_id for s in got] == [c.id for c in want]
    assert [s.score for s in got] == [c.score for c in want]
    assert [s.level.number for s in got] == [c.level for c in want]
    names = {e.id: e.name.en for e in fw.elements}
    assert [s.element for s in got] == [names[c.element] for c in want]


def test_strengths_leave_out_elements_with_insufficient_evidence(ctx: ReportContext) -> None:
    assert ctx.executive is not None
    top = ctx.executive.strengths[0].criterion_id
    elements = tuple(
        dataclasses.replace(e, insufficient=True) if any(c.id == top for c in e.criteria) else e
        for e in ctx.elements
    )
    assert top not in [s.criterion_id for s in strengths(elements, 1)]
    assert len(strengths(elements, 1)) == 3
    assert strengths(tuple(dataclasses.replace(e, insufficient=True) for e in elements), 1) == ()


def test_priorities_follow_the_recommendation_rank(demo: Demo, ctx: ReportContext) -> None:
    _, _, res = demo
    assert ctx.executive is not None
    pr = ctx.executive.priorities
    items = res.recommendations.items
    assert len(items) > 3 and len(pr) == 3
    assert [p.rank for p in pr] == [1, 2, 3]
    assert [p.criterion_id for p in pr] == [i.criterion for i in items[:3]]
    for p, item in zip(pr, items, strict=False):
        assert (p.current.number, p.target.number) == (item.current_level, item.target_level)
        assert p.first_action is not None and p.first_action.id == item.actions[0].id
        assert p.more_actions == len(item.actions) - 1


def test_roadmap_line_lists_the_phases_with_actions_in_order(
    demo: Demo, ctx: ReportContext
) -> None:
    _, fw, res = demo
    assert ctx.executive is not None
    steps = ctx.executive.steps
    phases = [p for p in res.recommendations.roadmap if p.actions]
    emptied = tuple(dataclasses.replace(p, actions=()) if p.order == 3 else p for p in ctx.roadmap)
    assert 3 not in [s.order for s in roadmap_steps(emptied, labels("en"))]  # an empty phase
    assert [s.order for s in steps] == [p.order for p in phases]
    efforts = {a.id: a.effort for i in res.recommendations.items for a in i.actions}
    for step, phase in zip(steps, phases, strict=True):
        assert step.actions == len(phase.actions)
        assert step.quick_wins == sum(efforts[a] == "quick-win" for a in phase.actions)
    line = ctx.executive.roadmap_line
    assert line == " → ".join(s.text for s in steps)
    positions = [
        line.index(f"Phase {s.order} {fw.phase_by_id[s_id].name.en}: ")
        for s, s_id in zip(steps, [p.phase for p in phases], strict=True)
    ]
    assert positions == sorted(positions)
    quick = next(s for s in steps if s.quick_wins > 1)
    assert f"{quick.actions} actions ({quick.quick_wins} quick wins)" in quick.text


def test_roadmap_line_without_actions(ctx: ReportContext) -> None:
    L = labels("en")
    empty = tuple(dataclasses.replace(p, actions=()) for p in ctx.roadmap)
    assert roadmap_steps(empty, L) == ()
    no_actions = dataclasses.replace(ctx, roadmap=empty)
    assert executive_view(no_actions, L).roadmap_line == L["exec.roadmap_none"]
    done = dataclasses.replace(no_actions, recommendations=())
    view = executive_view(done, L)
    assert view.roadmap_line == L["recs.none"] and view.priorities == ()


@pytest.mark.parametrize("lang", LANGS)
def test_horizon_follows_the_effort(demo: Demo, lang: str) -> None:
    q, fw, res = demo
    c = build_context(res, fw, q, lang)  # type: ignore[arg-type]
    actions = [a for r in c.recommendations for a in r.actions]
    assert {a.effort for a in actions} >= {"quick-win", "medium"}
    for r in c.recommendations:
        for a in r.actions:
            assert a.horizon == HORIZONS[lang][a.effort] and a.rank == r.rank
    in_roadmap = {a.id: a for p in c.roadmap for a in p.actions}
    assert in_roadmap == {a.id: a for a in actions}  # the same views, horizon and rank included
    for effort in get_args(Effort):  # every effort the framework model allows has a horizon
        assert set(catalogue()[f"horizon.{effort}"]) == set(LANGS)


# --- SVG -----------------------------------------------------------------------------------


def _xml(svg: str) -> ET.Element:
    assert not re.search(r'="[^"]*\b(nan|inf)\b', svg, re.I)  # no NaN or infinite coordinate
    return ET.fromstring(svg)


def test_heatmap_has_one_cell_per_criterion(demo: Demo, ctx: ReportContext) -> None:
    _, fw, res = demo
    root = _xml(str(ctx.heatmap))
    cells = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "cell"]
    assert [c.get("data-criterion") for c in cells] == [c.id for c in res.criteria]
    assert len(cells) == sum(len(e.criteria) for e in fw.elements)
    level = {c.id: c.level for c in res.criteria}
    for cell in cells:
        n = level[cell.get("data-criterion") or ""]
        assert cell.get("data-level") == str(n) and cell.get("fill") == PALETTE[(n or 1) - 1]
    texts = "".join(root.itertext())
    for c in res.criteria:
        assert f"{c.score:.1f} · L{c.level}" in texts
    rows = [t for t in root.iter(f"{SVG}text") if t.get("class") == "row-label"]
    assert len(rows) == len(fw.elements)
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend heatmap-legend")
    assert len(legend.findall(f"{SVG}g")) == 6  # five levels and n/a


def test_heatmap_hatches_criteria_without_a_score() -> None:
    rows = [
        Row(
            "a",
            "Element A",
            "50.0 · L3",
            [Cell("a1", "Scored", 50.0, 3), Cell("a2", "Gap", None, None)],
        ),
        Row("b", "Element B", "insufficient", [Cell("b1", "<Only> & one", None, None)], True),
    ]
    svg = str(heatmap_svg(rows, [f"L{n}" for n in range(1, 6)], title="t", na="n/a", na_legend="x"))
    root = _xml(svg)
    cells = {
        r.get("data-criterion"): r for r in root.iter(f"{SVG}rect") if r.get("class") == "cell"
    }
    assert cells["a1"].get("data-level") == "3"
    assert cells["a2"].get("data-level") == "na" and cells["b1"].get("data-level") == "na"
    hatches = [p for p in root.iter(f"{SVG}path") if p.get("class") == "hatch"]
    assert len(hatches) == 3  # two cells and the legend swatch
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "cell-na"] == ["n/a"] * 2
    assert "&lt;Only&gt; &amp; one" in svg


def test_heatmap_labels_wrap_in_full() -> None:
    """Long element and criterion names wrap onto more lines and the row grows; none is cut."""
    element = "Customer-management operations across every channel and partner network"
    criterion = "Complaint and suggestion handling with root-cause analysis and follow-up " * 2
    rows = [Row("a", element, "50.0 · L3", [Cell(f"a{i}", criterion, 50.0, 3) for i in range(6)])]
    root = _xml(str(heatmap_svg(rows, ["L1"] * 5, title="t", na="n/a", na_legend="x")))

    def letters(cls: str) -> list[str]:  # each label's text, spaces left out
        return [
            "".join("".join(s.text or "" for s in t.iter(f"{SVG}tspan")).split())
            for t in root.iter(f"{SVG}text")
            if t.get("class") == cls
        ]

    assert letters("row-label") == ["".join(element.split())]
    assert letters("cell-name") == ["".join(criterion.split())] * 6
    assert "…" not in "".join(root.itertext())


def test_heatmap_palette_stays_in_order_in_greyscale() -> None:
    def luminance(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    grey = [luminance(c) for c in PALETTE]
    assert all(a - b > 0.1 for a, b in itertools.pairwise(grey))


def test_long_words_break_after_hyphens() -> None:
    assert wrap_label("Customer-management skills", 60, 8.5, 3) == [
        "Customer-",
        "management",
        "skills",
    ]
    assert wrap_label("cross- and up-selling", 200, 8.5, 3) == ["cross- and up-selling"]


def _bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if (r.get("class") or "").startswith("bar ")]


def test_timeline_is_a_gantt_chart_one_row_per_action_in_phase_order(
    demo: Demo, ctx: ReportContext
) -> None:
    _, fw, res = demo
    root = _xml(str(ctx.timeline))
    bars = _bars(root)
    roadmap = [a for p in res.recommendations.roadmap for a in p.actions]
    actions = [a.id for i in res.recommendations.items for a in i.actions]
    # each recommended action exactly once, in the roadmap's order
    assert [b.get("data-action") for b in bars] == roadmap
    assert sorted(roadmap) == sorted(actions) and len(set(roadmap)) == len(roadmap)
    # the phases as headings, in phase order, each followed by its own actions
    heads = [r.get("data-phase") for r in root.iter(f"{SVG}rect") if r.get("class") == "phase-head"]
    assert heads == [p.id for p in sorted(fw.phases, key=lambda p: p.order)]
    # months across: ticks 0 to 24, and each bar spans its horizon on that axis
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "tick"]
    assert ticks == [str(m) for m in range(0, 25, 3)]
    x = {
        t.text: float(t.get("x") or 0) for t in root.iter(f"{SVG}text") if t.get("class") == "tick"
    }
    months = {"quick-win": ("0", "3"), "medium": ("3", "12"), "long-term": ("12", "24")}
    effort = {a.id: a.effort for i in res.recommendations.items for a in i.actions}
    for b in bars:
        start, end = months[effort[b.get("data-action") or ""]]
        left, width = float(b.get("x") or 0), float(b.get("width") or 0)
        assert abs(left - x[start]) <= 1 and abs(left + width - x[end]) <= 1
    # quick wins first inside each phase
    rank = {"quick-win": 0, "medium": 1, "long-term": 2}
    for phase in res.recommendations.roadmap:
        order = [rank[effort[a]] for a in phase.actions]
        assert order == sorted(order)
    empty = sum(1 for p in res.recommendations.roadmap if not p.actions)
    assert "".join(root.itertext()).count("no action") == empty
    assert "Quick win (0–3 months)" in "".join(root.itertext())  # the legend


def test_timeline_labels_every_bar_in_full() -> None:
    """A long label wraps onto more lines and its row grows; nothing is cut."""
    name = "A very long criterion name that needs several lines in the label column " * 2
    markers = [Marker(f"a{i}", f"{i}. {name}", "medium", "3–12 months") for i in range(3)]
    root = _xml(
        str(
            timeline_svg(
                [Column("p", "Phase 1", "Plan", markers)],
                title="t",
                empty="none",
                legend=[("medium", "Medium term")],
            )
        )
    )
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "bar-label"]
    assert len(labels) == 3 and len(_bars(root)) == 3
    for i, t in enumerate(labels):
        text = " ".join(s.text or "" for s in t.iter(f"{SVG}tspan"))
        assert "…" not in text and text.split() == f"{i}. {name}".split()
        assert len(list(t.iter(f"{SVG}tspan"))) >= 3
    ys = [float(b.get("y") or 0) for b in _bars(root)]
    assert ys[1] - ys[0] >= 3 * 8.5  # rows sized to their labels


def test_roadmap_puts_quick_wins_in_the_first_phase(demo: Demo) -> None:
    """A plan a project manager can run: the first phase is not empty while a later one holds
    most of the actions; quick wins (0-3 months) are in phase 1, the rest in their phase."""
    _, fw, res = demo
    roadmap = res.recommendations.roadmap
    total = sum(len(p.actions) for p in roadmap)
    assert roadmap[0].order == 1 and roadmap[0].actions
    assert max(len(p.actions) for p in roadmap) <= total / 2
    library = {a.id: a for a in fw.actions}
    phase_of = {a: p.phase for p in roadmap for a in p.actions}
    for item in res.recommendations.items:
        for a in item.actions:
            want = roadmap[0].phase if a.effort == "quick-win" else library[a.id].phase
            assert a.phase == phase_of[a.id] == want


@pytest.mark.parametrize("lang", LANGS)
def test_html_roadmap_tables_agree_with_the_chart_and_intro_is_printed_once(
    demo: Demo, lang: str
) -> None:
    q, fw, res = demo
    html = render_report(res, fw, q, lang=lang, fmt="html").decode()  # type: ignore[arg-type]
    section = re.search(r'<section class="major roadmap" id="roadmap">(.*?)</section>', html, re.S)
    assert section is not None
    body = section.group(1)
    chart = re.search(r"<svg .*?</svg>", body, re.S)
    assert chart is not None
    bars = [b.get("data-action") for b in _bars(_xml(chart.group(0)))]
    rows = re.findall(r'<tr data-action="([^"]+)">', body)
    assert rows == bars == [a for p in res.recommendations.roadmap for a in p.actions]
    text = re.sub(r"<[^>]+>", "", body)
    intro = labels(lang)["roadmap.intro"].split("{")[0]  # type: ignore[arg-type]
    assert text.count(intro[:12]) == 1 and body.count('class="lead"') == 1
    assert "figure-intro" not in body


# --- HTML ----------------------------------------------------------------------------------

RECS_HEADERS = {
    "en": ["Rank", "Action", "Criterion", "Effort and horizon", "Suggested owner"],
    "zh-CN": ["排序", "改进举措", "评估准则", "投入类型与周期", "建议负责角色"],
}


@pytest.mark.parametrize("lang", LANGS)
def test_html_recommendations_table_and_summary(demo: Demo, lang: str) -> None:
    q, fw, res = demo
    html = render_report(res, fw, q, lang=lang, fmt="html").decode()  # type: ignore[arg-type]
    table = re.search(r'<table class="data recs-table">(.*?)</table>', html, re.S)
    assert table is not None
    head = re.search(r"<thead>(.*?)</thead>", table.group(1), re.S)
    assert head is not None
    cells = [
        re.sub(r"<[^>]+>", "", h).strip()
        for h in re.findall(r"<th[^>]*>.*?</th>", head.group(1), re.S)
    ]
    assert cells == RECS_HEADERS[lang]
    body = table.group(1)
    items = res.recommendations.items
    assert body.count('<tbody class="rec-group"') == len(items)
    assert body.count("<tr") - 1 == sum(max(1, len(i.actions)) for i in items)
    assert HORIZONS[lang]["quick-win"] in body and HORIZONS[lang]["medium"] in body
    summary = re.search(
        r'<section class="major summary exec" id="summary">(.*?)</section>', html, re.S
    )
    assert summary is not None
    text = summary.group(1)
    c = build_context(res, fw, q, lang)  # type: ignore[arg-type]
    assert c.executive is not None
    for s in c.executive.strengths:
        assert s.criterion in text
    for p in c.executive.priorities:
        assert p.criterion in text
    assert 'class="exec-step"' in text and text.count('class="exec-step"') == len(c.executive.steps)
    assert "illustrative" in text  # the synthetic benchmark is labelled where it is used
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart heatmap criteria-heatmap"' in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline"' in html


def test_markdown_summary_and_recommendations_table(demo: Demo) -> None:
    q, fw, res = demo
    md = render_report(res, fw, q, lang="en", fmt="md").decode()
    assert "### Strengths" in md and "### Top priorities" in md
    assert "### Roadmap at a glance" in md
    assert "| Rank | Action | Criterion | Effort | Horizon | Suggested owner |" in md
    actions = sum(max(1, len(i.actions)) for i in res.recommendations.items)
    rows = [ln for ln in md.splitlines() if re.match(r"\| \d+ \| ", ln)]
    assert len(rows) == actions


# --- PDF: the executive summary is one page --------------------------------------------------


@pytest.fixture(scope="module")
def summary_pdf(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The demo report's first sections only (the later ones start on new pages, so they
    cannot change how the summary lays out): a few pages instead of dozens, for speed."""
    source = (TEMPLATES_DIR / "report.html.j2").read_text("utf-8")
    keep = ("_running", "_cover", "_summary", "_profile")
    trimmed = re.sub(r'{% include "(?!' + "|".join(keep) + r')[^"]+" %}', "", source)
    assert '{% include "_summary.html.j2" %}' in trimmed and "_element" not in trimmed
    folder = tmp_path_factory.mktemp("templates")
    (folder / "report.html.j2").write_text(trimmed, "utf-8")
    q, fw, res = demo
    return render_report(res, fw, q, lang="en", fmt="pdf", template_dir=folder)


def test_pdf_executive_summary_fits_one_page(summary_pdf: bytes) -> None:
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(summary_pdf)).pages]
    first = [i for i, t in enumerate(pages) if "Executive summary" in t and "Strengths" in t]
    assert len(first) == 1
    page, after = pages[first[0]], pages[first[0] + 1]
    for part in ("Peer benchmark", "Top priorities", "Roadmap at a glance", "Only phases with"):
        assert part in page, part
    assert after.split("\n").count("Maturity profile") >= 1 and "Top priorities" not in after
    assert "Only phases with" not in after
