"""Report appendices C-E: respondents and disagreement, full answers, glossary."""

from __future__ import annotations

import copy
import io
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from assessment.engine import assess
from assessment.responses import check_responses, parse_responses
from frameworks.text import LANGS
from questionnaires.loader import load_questionnaire
from reports import build_context, render_report
from reports.appendix import LIST_LIMIT, PER_TABLE, glossary_entries
from reports.disagreement import SpreadRow, spread_svg
from reports.labels import labels

from .conftest import MINI, load_yaml, pdf_text

Q, FW = load_questionnaire(MINI / "questionnaire.yaml", MINI / "framework.yaml")
TITLES = ("appx.respondents.title", "appx.answers.title", "appx.glossary.title")


def inputs(doc: dict[str, Any]) -> tuple[Any, Any]:
    loaded = parse_responses(yaml.safe_dump(doc, allow_unicode=True).encode(), "r.yaml")
    return assess(loaded, Q, FW), check_responses(loaded, Q)


def context(doc: dict[str, Any], lang: str = "en") -> Any:
    res, resp = inputs(doc)
    return build_context(res, FW, Q, lang, responses=resp)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(MINI / "responses.yaml")  # alice (boss) and bob (staff)
    return data


def test_disagreement_ranking_and_element_table(doc: dict[str, Any]) -> None:
    a = context(doc).appendix_respondents
    assert a.enough and a.note == ""
    assert [p.id for p in a.respondents] == ["alice", "bob"]
    # q1 75 vs 25 (rwg 0), q3 50 vs 100 (rwg 0.25), q4 50 vs 25 (0.75), q6 no rwg
    rows = {r.id: r for r in a.questions}
    assert list(rows) == ["q1", "q3", "q4", "q6"]
    assert [rows[i].low for i in rows] == [True, True, False, False]
    assert rows["q1"].rwg == 0.0 and (rows["q1"].min, rows["q1"].max) == (25.0, 75.0)
    assert [(m.role, m.mean) for m in rows["q1"].by_role] == [("Boss", 75.0), ("Staff", 25.0)]
    groups = {g.id: g for g in a.elements}
    assert groups["people"].rwg_j == 0.0 and groups["people"].low
    assert groups["service"].rwg_j == pytest.approx(2 / 3)  # items q3 (0.5), q4 (0.5)
    assert groups["service"].icc1 == pytest.approx(0.4268, abs=1e-4)
    assert a.overall.name == "All questions" and a.overall.items == 3
    assert "People" in a.reading and "Service" in a.reading
    svg = str(a.chart)
    assert svg.count('class="range"') == 2  # one range line per element
    assert "role-0" in svg and "role-1" in svg and "Boss" in svg and "Staff" in svg


def test_one_respondent_says_so(doc: dict[str, Any]) -> None:
    one = copy.deepcopy(doc)
    one["respondents"] = one["respondents"][:1]
    for lang in LANGS:
        a = context(one, lang).appendix_respondents
        assert not a.enough and a.chart is None and a.questions == ()
        assert a.note == labels(lang)["appx.one_respondent"]
    html = render_report(*_res(one), lang="en", fmt="html").decode()
    assert "needs answers from two or more respondents" in html
    assert "Questions with the lowest agreement" not in html


def _res(doc: dict[str, Any]) -> tuple[Any, Any, Any]:
    res, _ = inputs(doc)
    return res, FW, Q


def test_answers_table_contents(doc: dict[str, Any]) -> None:
    for lang, partly, mid in (("en", "partly", "mid"), ("zh-CN", "部分", "中")):
        t = context(doc, lang).appendix_answers.tables
        assert len(t) == 1 and [p.id for p in t[0].respondents] == ["alice", "bob"]
        rows = {r.id: r for g in t[0].groups for r in g.rows}
        assert list(rows) == ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]
        alice, bob = zip(*(rows[q].cells for q in ("q1", "q2", "q3", "q4", "q5")), strict=True)
        assert [(c.value, c.score) for c in alice] == [
            ("4", "75"),
            ("3", "50"),
            (partly, "50"),
            ("4", "50"),  # a KPI: 4 days, level 3
            (mid, "50"),  # the option's label
        ]
        assert bob[1].na and bob[1].value == labels(lang)["table.na"]
        assert (bob[4].value, bob[4].score) == ("", "")  # q5 not asked of staff
        # free text: a pointer in the cell, the text in full under the tables
        assert rows["q7"].cells[0].value == labels(lang)["appx.answers.text_below"]
        assert [g.element for g in t[0].groups] == [e.name.get(lang) for e in FW.elements]  # type: ignore[arg-type]


def test_answers_without_responses_show_scores(doc: dict[str, Any]) -> None:
    res, _ = inputs(doc)
    answers = build_context(res, FW, Q, "en").appendix_answers
    assert answers is not None
    t = answers.tables[0]
    rows = {r.id: r for g in t.groups for r in g.rows}
    assert "q7" not in rows  # free text is not in the result
    assert [c.value for c in rows["q1"].cells] == ["75", "25"]
    assert rows["q2"].cells[1].na


def test_many_respondents_split_into_tables(doc: dict[str, Any]) -> None:
    many = copy.deepcopy(doc)
    base = many["respondents"]
    many["respondents"] = [
        {**copy.deepcopy(base[i % 2]), "id": f"p{i:02d}"} for i in range(PER_TABLE + 3)
    ]
    t = context(many).appendix_answers.tables
    assert [len(x.respondents) for x in t] == [PER_TABLE, 3]
    assert t[0].caption == f"Respondents 1–{PER_TABLE} of {PER_TABLE + 3}"
    assert t[1].respondents[0].id == f"p{PER_TABLE:02d}"


def test_large_survey_sums_up_by_role(doc: dict[str, Any], monkeypatch: Any) -> None:
    """Beyond LIST_LIMIT respondents: counts by role, no answer tables; agreement still comes
    from the responses although the result (beyond ANSWERS_LIMIT) lists no answers."""
    from assessment import table_scoring

    monkeypatch.setattr(table_scoring, "ANSWERS_LIMIT", 10)
    many = copy.deepcopy(doc)
    base = many["respondents"]
    n = LIST_LIMIT + 5
    many["respondents"] = [{**copy.deepcopy(base[i % 2]), "id": f"p{i:02d}"} for i in range(n)]
    res, _ = inputs(many)
    assert all(not q.answers for q in res.questions)  # the large-result rule
    ctx = context(many)
    a = ctx.appendix_respondents
    assert a.respondents == () and str(n) in a.too_many
    # alice (boss) answers 7 questions; bob (staff) 5, one of them N/A
    assert [(r.respondents, r.answered) for r in a.by_role] == [(23, 7.0), (22, 4.0)]
    assert a.enough and a.questions  # agreement from the responses
    answers = ctx.appendix_answers
    assert answers.tables == () and f"{n} respondents" in answers.intro
    html = render_report(res, FW, Q, lang="en", fmt="html", responses=inputs(many)[1]).decode()
    assert "by-role-table" in html and html.count('class="rid"') == 0


def test_glossary_complete_in_both_languages(doc: dict[str, Any]) -> None:
    entries = glossary_entries()
    ids = [e.id for e in entries]
    assert len(ids) == len(set(ids))
    required = {
        "maturity-level",
        "maturity-index",
        "element",
        "criterion",
        "coverage",
        "gating",
        "rwg",
        "rwg-j",
        "icc",
        "quick-win",
        "respondent",
        "not-applicable",
        "benchmark",
        "certification",
    }
    assert required <= set(ids)
    for e in entries:
        for lang in LANGS:
            assert e.term.get(lang).strip() and e.definition.get(lang).strip()
        assert e.source.strip()
    views = {lang: context(doc, lang).glossary for lang in LANGS}
    for lang, g in views.items():
        shown = [t.id for t in g.terms]
        assert "benchmark" not in shown and "certification" not in shown  # not in this report
        assert "rwg" in shown and "gating" in shown
        assert [t.id for t in g.elements] == [e.id for e in FW.elements]
        other = "en" if lang == "zh-CN" else "zh-CN"
        assert g.elements[0].other == FW.elements[0].name.get(other)  # type: ignore[arg-type]
    assert [t.id for t in views["en"].terms] == [t.id for t in views["zh-CN"].terms]
    # mini declares no glossary of its own: the generic terms only (the CRM ones are the
    # built-in framework's, tests/test_framework_data.py)
    assert views["zh-CN"].terms[0].id == "framework" and views["zh-CN"].terms[0].term == "评估框架"
    rwg = next(t for t in views["en"].terms if t.id == "rwg")
    assert "James, Demaree & Wolf (1984)" in rwg.source  # a public reference, shown
    assert all("DOMAIN.md" not in t.source for t in views["en"].terms)  # internal, not shown


def test_html_and_markdown_have_the_sections(doc: dict[str, Any]) -> None:
    res, resp = inputs(doc)
    for lang in LANGS:
        L = labels(lang)
        html = render_report(res, FW, Q, lang=lang, fmt="html", responses=resp).decode()
        for anchor in ("appendix-respondents", "appendix-answers", "appendix-glossary"):
            assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html
        assert html.index('id="trace"') < html.index('id="appendix-respondents"')
        assert html.index('id="appendix-answers"') < html.index('id="appendix-glossary"')
        for key in TITLES:
            assert html.count(L[key]) == 2  # the heading and its contents entry
        md = render_report(res, FW, Q, lang=lang, fmt="md", responses=resp).decode()
        positions = [md.index(f"## {L[key]}") for key in TITLES]
        assert md.index(f"## {L['trace.title']}") < positions[0] < positions[1] < positions[2]


def test_spread_chart_escaped_and_deterministic() -> None:
    rows = [
        SpreadRow("a&b", "Element <1> & co", (10.0, None, 80.0), 5.0, 90.0, 50.0),
        SpreadRow("c", "No answers", (None, None, None), None, None, None),
    ]
    roles = ["Boss", "Staff <x>", "IT"]
    kw = {"title": "t", "legend_range": "range", "legend_mean": "mean", "no_data": "none"}
    svg = str(spread_svg(rows, roles, **kw))
    assert svg == str(spread_svg(rows, roles, **kw))
    assert "<1>" not in svg and "&lt;1&gt;" in svg and "Staff &lt;x&gt;" in svg
    assert svg.count('class="range"') == 1 and ">none<" in svg
    marks = [m for m in ("role-0", "role-1", "role-2") if m in svg]
    assert marks == ["role-0", "role-1", "role-2"]  # legend shows every role's marker
    assert svg.count("role-mark") == 2 + 3  # two values plotted, three legend entries


@pytest.fixture(scope="module")
def pdf(doc: dict[str, Any]) -> bytes:
    res, resp = inputs(doc)
    return render_report(res, FW, Q, lang="en", fmt="pdf", responses=resp)


def test_pdf_text_and_outline(pdf: bytes) -> None:
    L = labels("en")
    text = pdf_text(pdf)
    for key in TITLES:
        assert L[key] in text
    reader = PdfReader(io.BytesIO(pdf))
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    for key in TITLES:
        assert L[key] in top
    assert top.index(L["trace.title"]) < top.index(L["appx.respondents.title"])
