"""What respondents wrote is read in full (reports/own_words.py), one spread of answers on
every page, and a glossary that agrees with the framework (issue 11, §2 and §5)."""

from __future__ import annotations

import copy
import io
import re
import shutil
import subprocess
from html import unescape
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from assessment.engine import assess
from assessment.responses import check_responses, parse_responses
from frameworks.text import LANGS, zh_typography
from questionnaires.loader import load_questionnaire
from reports import build_context, render_report
from reports.appendix import LIST_LIMIT
from reports.labels import labels
from reports.own_words import PER_ROLE

from .conftest import MINI, load_yaml

Q, FW = load_questionnaire(MINI / "questionnaire.yaml", MINI / "framework.yaml")

# 600 characters each, no character that HTML or Markdown escapes, words of a real audit
EN_LONG = (
    "Deliveries to the northern stores arrive late every second week, and the complaint "
    "only reaches us when the customer calls the hotline a second time. "
) * 4
EN_LONG = (EN_LONG + "Nobody owns the follow-up between logistics and the stores. " * 4)[:600]
ZH_LONG = (
    "北区门店的配送每隔一周就会延误，客户第二次打热线时投诉才转到我们这里。"
    "物流部门和门店之间没有人负责跟进，客户的问题常常在两个部门之间来回推诿，"
    "最后只能由店长自己打电话协调，效率很低，客户也越来越不满意。"
) * 6
ZH_LONG = ZH_LONG[:600]


def inputs(doc: dict[str, Any]) -> tuple[Any, Any]:
    loaded = parse_responses(yaml.safe_dump(doc, allow_unicode=True).encode(), "r.yaml")
    return assess(loaded, Q, FW), check_responses(loaded, Q)


@pytest.fixture(scope="module")
def long_doc() -> dict[str, Any]:
    """examples/mini with a 600-character English answer (alice, boss) and a 600-character
    Chinese one (bob, staff) to the free-text question q7."""
    assert len(EN_LONG) == len(ZH_LONG) == 600
    doc: dict[str, Any] = load_yaml(MINI / "responses.yaml")
    doc["respondents"][0]["answers"]["q7"] = EN_LONG
    doc["respondents"][1]["answers"]["q7"] = ZH_LONG
    return doc


def section(html: str, start: str, end: str) -> str:
    """The HTML from the element with id `start` up to the one with id `end`."""
    return html[html.index(f'id="{start}"') : html.index(f'id="{end}"')]


@pytest.mark.parametrize("lang", LANGS)
def test_html_has_free_text_in_full_in_three_places(long_doc: dict[str, Any], lang: str) -> None:
    res, resp = inputs(long_doc)
    html = render_report(res, FW, Q, lang=lang, fmt="html", responses=resp).decode()
    L = labels(lang)
    places = {
        "element": section(html, "element-service", "own-words"),
        "own words": section(html, "own-words", "recommendations"),
        "appendix D": section(html, "appendix-answers", "appendix-glossary"),
    }
    for where, part in places.items():
        for text in (EN_LONG.strip(), ZH_LONG):
            assert text in part, where
    assert f'<a href="#own-words">{L["own_words.title"]}</a>' in html  # in the contents
    assert f"<h1>{L['own_words.title']}</h1>" in html


@pytest.mark.parametrize("lang", LANGS)
def test_markdown_and_docx_have_free_text_in_full(long_doc: dict[str, Any], lang: str) -> None:
    import docx

    res, resp = inputs(long_doc)
    L = labels(lang)
    md = render_report(res, FW, Q, lang=lang, fmt="md", responses=resp).decode()
    own = md[md.index(f"## {L['own_words.title']}") : md.index(f"## {L['recs.title']}")]
    element = md[: md.index(f"## {L['own_words.title']}")]
    appendix = md[md.index(f"## {L['appx.answers.title']}") :]
    for part in (element, own, appendix):
        assert EN_LONG.strip() in part and ZH_LONG in part
    raw = render_report(res, FW, Q, lang=lang, fmt="docx", responses=resp)
    doc = docx.Document(io.BytesIO(raw))
    paras = [p.text for p in doc.paragraphs]
    h1 = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert L["own_words.title"] in h1
    for text in (EN_LONG.strip(), ZH_LONG):
        assert sum(text in p for p in paras) == 3  # element section, own words, appendix D


def test_own_words_grouped_by_question_then_role(long_doc: dict[str, Any]) -> None:
    res, resp = inputs(long_doc)
    for lang, boss, staff in (("en", "Boss", "Staff"), ("zh-CN", "老板", "员工")):
        w = build_context(res, FW, Q, lang, responses=resp).own_words  # type: ignore[arg-type]
        assert w is not None and w.selection == ""
        # the open question; alice's comment on q3 stays under q3 in the element section
        assert [(q.id, q.free_text) for q in w.questions] == [("q7", True)]
        q7 = w.questions[0]
        assert [g.role for g in q7.roles] == [boss, staff]  # role names in the report language
        assert [[s.respondent for s in g.items] for g in q7.roles] == [["alice"], ["bob"]]
        assert [s.text for g in q7.roles for s in g.items] == [EN_LONG.strip(), ZH_LONG]


def test_no_responses_no_own_words(long_doc: dict[str, Any]) -> None:
    res, _ = inputs(long_doc)
    assert build_context(res, FW, Q, "en").own_words is None


def _crowd(doc: dict[str, Any], n: int) -> dict[str, Any]:
    """n respondents, boss and staff in turn, each with a q7 answer of its own length; the
    bosses repeat alice's comment on q3 word for word."""
    many = copy.deepcopy(doc)
    base = many["respondents"]
    people = []
    for i in range(n):
        p = {**copy.deepcopy(base[i % 2]), "id": f"p{i:02d}"}
        p["answers"]["q7"] = f"answer {i:02d} " + "x" * (i % 7)
        people.append(p)
    many["respondents"] = people
    return many


def test_above_the_limit_a_labelled_bounded_selection(long_doc: dict[str, Any]) -> None:
    n = LIST_LIMIT + 5
    res, resp = inputs(_crowd(long_doc, n))
    ctx = build_context(res, FW, Q, "en", responses=resp)  # type: ignore[arg-type]
    w = ctx.own_words
    assert w is not None
    bosses = [i for i in range(n) if i % 2 == 0]
    staff = [i for i in range(n) if i % 2 == 1]
    shown = 2 * PER_ROLE  # the open question's answers; comments stay under their questions
    assert f"Texts shown: {shown} of {n}." in w.selection
    assert f"at most {PER_ROLE} texts per question and role" in w.selection
    q7 = w.questions[0]
    assert q7.note == (
        f"Answers shown: {2 * PER_ROLE} of {n} (the longest per role);"
        " all of them are on the “Own words” sheet of the XLSX action plan."
    )

    def longest(ids: list[int]) -> list[str]:  # longest first, ties by respondent id
        return [f"p{i:02d}" for i in sorted(ids, key=lambda i: (-(i % 7), f"p{i:02d}"))][:3]

    assert [[s.respondent for s in g.items] for g in q7.roles] == [longest(bosses), longest(staff)]
    assert len(w.questions) == 1
    # the element section shows the same selection under the question
    (criterion,) = [c for e in ctx.elements for c in e.criteria if c.texts]
    assert criterion.texts[0] == q7
    # the XLSX sheet has all of them (test_xlsx_sheet_has_every_text_escaped); appendix D
    # lists none (a survey of 100 000 would fill thousands of pages) and says where they are
    answers = ctx.appendix_answers
    assert answers is not None and answers.tables == () and answers.texts == ()
    assert "“Own words” sheet of the XLSX action plan" in answers.intro
    assert "All of them, and every comment, are on the “Own words” sheet" in w.selection
    html = render_report(res, FW, Q, lang="en", fmt="html", responses=resp).decode()
    appendix = section(html, "appendix-answers", "appendix-glossary")
    assert not any(f"answer {i:02d}" in appendix for i in range(n))
    own = section(html, "own-words", "recommendations")
    assert sum(f"answer {i:02d}" in own for i in range(n)) == 2 * PER_ROLE
    assert w.selection in own


def test_xlsx_sheet_has_every_text_escaped(long_doc: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    many = _crowd(long_doc, LIST_LIMIT + 5)
    many["respondents"][0]["answers"]["q7"] = "=HYPERLINK(1)"
    res, resp = inputs(many)
    raw = render_report(res, FW, Q, lang="zh-CN", fmt="xlsx", responses=resp)
    wb = load_workbook(io.BytesIO(raw))
    ws = wb["答卷人原话"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["编号", "题目", "要素", "类型", "角色", "答卷人", "原文"]
    texts = [r for r in rows[1:] if r[3] == "回答"]
    assert len(texts) == LIST_LIMIT + 5 and len(rows) - 1 - len(texts) == (LIST_LIMIT + 6) // 2
    assert texts[0][6] == "'=HYPERLINK(1)"  # escaped like every other cell
    assert all(ws.cell(row=r, column=7).data_type == "s" for r in range(2, len(rows) + 1))


def test_large_file_read_as_a_table_gives_the_same_texts(
    long_doc: dict[str, Any], monkeypatch: Any
) -> None:
    from assessment import scoring

    many = _crowd(long_doc, LIST_LIMIT + 5)
    raw = yaml.safe_dump(many, allow_unicode=True).encode()
    res, model = inputs(many)
    monkeypatch.setattr(scoring, "ANSWERS_LIMIT", 10)
    table = parse_responses(raw, "r.yaml").for_report(Q)
    assert type(table).__name__ == "TableResponses"
    a = build_context(res, FW, Q, "en", responses=model).own_words  # type: ignore[arg-type]
    b = build_context(res, FW, Q, "en", responses=table).own_words
    assert a == b and a is not None and b is not None
    assert list(a.every()) == list(b.every()) and len(list(a.every())) > LIST_LIMIT


# --- one spread of answers -------------------------------------------------------------------


def test_one_spread_on_element_page_and_appendix_c(long_doc: dict[str, Any]) -> None:
    """Answers 0 and 100: population sd 50.0 (the result's std) everywhere, never the
    sample sd 70.7, under one label."""
    import docx

    doc = copy.deepcopy(long_doc)
    doc["respondents"][0]["answers"]["q1"] = 5  # 100
    doc["respondents"][1]["answers"]["q1"] = 1  # 0
    res, resp = inputs(doc)
    assert next(q.std for q in res.questions if q.id == "q1") == 50.0
    for lang in LANGS:
        L = labels(lang)
        html = render_report(res, FW, Q, lang=lang, fmt="html", responses=resp).decode()
        element = section(html, "element-people", "element-service")
        appendix = section(html, "appendix-respondents", "appendix-answers")
        for part in (element, appendix):
            assert "50.0; 0–100" in part and L["table.spread"] in part
        assert "70.7" not in html
        md = render_report(res, FW, Q, lang=lang, fmt="md", responses=resp).decode()
        assert md.count("50.0; 0–100") == 2 and "70.7" not in md
        d = docx.Document(
            io.BytesIO(render_report(res, FW, Q, lang=lang, fmt="docx", responses=resp))
        )
        cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
        assert cells.count("50.0; 0–100") == 2 and not any("70.7" in c for c in cells)
        assert cells.count(L["table.spread"]) == 3  # two elements' questions, appendix C


# --- glossary --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_result() -> tuple[Any, Any, Any]:
    from assessment.demo import demo_responses

    q, fw = load_questionnaire("full-audit")
    text = yaml.safe_dump(demo_responses(q, fw), allow_unicode=True, sort_keys=False)
    return q, fw, assess(parse_responses(text.encode(), "demo.yaml"), q, fw)


def _local(text: Any, lang: str) -> str:
    t: str = text.get(lang)
    return zh_typography(t) if lang == "zh-CN" else t


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_prints_definitions_in_full(demo_result: tuple[Any, Any, Any], lang: str) -> None:
    q, fw, res = demo_result
    g = build_context(res, fw, q, lang).glossary
    assert g is not None
    for item, e in zip(g.elements, fw.elements, strict=True):
        assert item.definition == _local(e.description, lang)  # in full, past its first ";"
    html = render_report(res, fw, q, lang=lang, fmt="html").decode()
    glossary = unescape(html[html.index('id="appendix-glossary"') :])
    assert all(_local(e.description, lang) in glossary for e in fw.elements)


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_names_levels_as_the_framework(
    demo_result: tuple[Any, Any, Any], lang: str
) -> None:
    q, fw, res = demo_result
    g = build_context(res, fw, q, lang).glossary
    assert g is not None

    def local(text: Any) -> str:
        return _local(text, lang)

    names = {lv.level: local(lv.name) for lv in fw.levels}
    pattern = r"(\d) 级（([^）]+)）" if lang == "zh-CN" else r"level (\d) \(([^)]+)\)"
    named = [(int(n), name) for t in g.terms for n, name in re.findall(pattern, t.definition)]
    assert len(named) >= 2
    assert all(names[n] == name for n, name in named), named


# --- the PDF ---------------------------------------------------------------------------------


def _squeeze(text: str) -> str:
    """Text without white space (pdftotext breaks wrapped lines where the PDF does)."""
    return re.sub(r"\s+", "", text)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("lang", LANGS)
def test_pdf_prints_long_free_text_in_full(long_doc: dict[str, Any], lang: str) -> None:
    res, resp = inputs(long_doc)
    pdf = render_report(res, FW, Q, lang=lang, fmt="pdf", responses=resp)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    L = labels(lang)
    flat = _squeeze(text)
    for long in (EN_LONG, ZH_LONG):
        assert flat.count(_squeeze(long)) == 3  # element section, own words, appendix D
    top = [i.title for i in PdfReader(io.BytesIO(pdf)).outline if not isinstance(i, list)]
    assert top.index(L["own_words.title"]) == top.index(L["recs.title"]) - 1
