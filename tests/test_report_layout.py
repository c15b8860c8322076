"""Reports lay out cleanly: nothing runs out of its box, no blank page, page counts in range.

Each case is laid out once by WeasyPrint (no PDF written) and checked box by box
(tests/layout.py): the combinations a consultant produces — both languages, the quick
check and the full audit, with a peer benchmark and a previous assessment.
"""

from __future__ import annotations

import copy
import dataclasses
from functools import cache
from typing import Any

import pytest
from markupsafe import Markup

from assessment.benchmarking import with_benchmark
from assessment.demo import demo_responses
from assessment.engine import assess
from assessment.responses import parse_responses
from assessment.result import AssessmentResult
from frameworks.fileio import canonical_json
from frameworks.text import LANGS
from questionnaires.loader import load_questionnaire
from reports.brand import load_brand
from reports.context import build_context
from reports.pdf import BASE_URL, _engine, _stylesheet, url_fetcher
from reports.render import STYLESHEET, _html
from reports.templating import environment, template_source

from .conftest import ROOT
from .layout import blank_pages, overflows, underfilled_pages

pytestmark = pytest.mark.slow  # end to end: run in CI, skip locally with -m 'not slow'


@cache
def _scored(
    questionnaire: str, earlier: bool = False, alone: bool = False
) -> tuple[Any, AssessmentResult, Any, Any]:
    q, fw = load_questionnaire(questionnaire)
    data: dict[str, Any] = copy.deepcopy(demo_responses(q, fw))  # type: ignore[arg-type]
    if alone:  # a self-assessment: one respondent, no assessor
        data["respondents"] = data["respondents"][:1]
        data.pop("assessor", None)
    if earlier:  # the same organisation a year before, one step lower on every scale answer
        data["date"] = "2025-11-03"
        for person in data["respondents"]:
            for qid, answer in person["answers"].items():
                value = answer["value"] if isinstance(answer, dict) else answer
                if q.question_by_id[qid].type in ("anchored", "likert") and value not in (1, "na"):
                    if isinstance(answer, dict):
                        answer["value"] = value - 1
                    else:
                        person["answers"][qid] = value - 1
    loaded = parse_responses(canonical_json(data).encode(), f"{questionnaire}.json")
    return loaded, assess(loaded, q, fw), q, fw


def _layout(
    questionnaire: str,
    lang: str,
    *,
    benchmark: bool,
    previous: bool,
    brand: bool = False,
    part: str = "full",
    alone: bool = False,
) -> Any:
    loaded, result, q, fw = _scored(questionnaire, alone=alone)
    if benchmark:
        result = with_benchmark(result, "illustrative")
    before = _scored(questionnaire, earlier=True)[1] if previous else None
    branding = load_brand(ROOT / "examples" / "brand" / "brand.yaml") if brand else None
    ctx = build_context(
        result,
        fw,
        q,
        lang,
        before,
        loaded.responses,
        brand=branding,  # type: ignore[arg-type]
    )
    ctx = dataclasses.replace(ctx, part=part)
    env = environment(None)
    html = _html(ctx, env, Markup(""))
    weasyprint, fonts = _engine()
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher())
    return document.render(
        stylesheets=[_stylesheet(template_source(env, STYLESHEET))], font_config=fonts
    )


CASES = [
    # questionnaire, lang, benchmark, previous, brand, (min pages, max pages)
    ("quick-check", "zh-CN", False, False, True, (20, 40)),
    ("quick-check", "en", True, True, False, (20, 45)),
    ("full-audit", "zh-CN", True, True, False, (35, 60)),
    ("full-audit", "en", False, False, True, (35, 80)),  # 116 questions since 1.1.0
]


@pytest.mark.parametrize(
    ("questionnaire", "lang", "benchmark", "previous", "brand", "pages"), CASES
)
def test_report_layout(
    questionnaire: str,
    lang: str,
    benchmark: bool,
    previous: bool,
    brand: bool,
    pages: tuple[int, int],
) -> None:
    document = _layout(questionnaire, lang, benchmark=benchmark, previous=previous, brand=brand)
    assert pages[0] <= len(document.pages) <= pages[1]
    assert blank_pages(document) == []
    problems = overflows(document)
    assert not problems, "\n".join(map(str, problems[:10]))
    short = underfilled_pages(document)  # below a third, not the last page of a section
    assert not short, "\n".join(map(str, short))


@pytest.mark.parametrize("lang", LANGS)
def test_full_audit_main_report_is_at_most_48_pages(lang: str) -> None:
    """The demo audit with a peer benchmark and a previous assessment, its appendices in an
    annex (`--appendices annex`): the report a board reads. (35 pages until full-audit 1.1.0
    added an intention question to each of the 37 criteria, listed on the element pages, and
    the intention-and-reality section.)"""
    document = _layout("full-audit", lang, benchmark=True, previous=True, part="main")
    assert len(document.pages) <= 48
    assert not underfilled_pages(document)
    annex = _layout("full-audit", lang, benchmark=True, previous=True, part="annex")
    assert len(document.pages) + len(annex.pages) > 35  # the appendices went somewhere


@pytest.mark.parametrize("lang", LANGS)
def test_quick_check_self_assessment_is_at_most_16_pages(lang: str) -> None:
    """The demo's quick check answered by one respondent, no assessor, its appendices in an
    annex (what `crmm report --appendices auto` writes for a self-assessment)."""
    document = _layout(
        "quick-check", lang, benchmark=False, previous=False, alone=True, part="main"
    )
    assert len(document.pages) <= 16
    assert blank_pages(document) == []
    problems = overflows(document)
    assert not problems, "\n".join(map(str, problems[:10]))
    assert not underfilled_pages(document)


def test_overflow_check_sees_overflow() -> None:
    """The checker itself: an unbreakable word wider than its box is reported."""
    weasyprint, fonts = _engine()
    html = '<p style="width: 30mm; white-space: nowrap">a-very-long-unbreakable-line-of-text</p>'
    document = weasyprint.HTML(string=html).render(font_config=fonts)
    found = overflows(document)
    assert found and "a-very-long" in found[0].text
    blank = weasyprint.HTML(string='<p>x</p><p style="break-before: page"></p>').render()
    assert blank_pages(blank) == [2]
    short = weasyprint.HTML(
        string='<section id="a"><p>x</p><p style="break-before: page">y</p></section>'
        '<section id="b" style="break-before: page"><p>z</p></section>'
    ).render()
    assert [f.page for f in underfilled_pages(short)] == [1]  # page 2 ends section a
