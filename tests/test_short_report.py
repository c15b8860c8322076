"""A self-assessment's report stays short (issue 11 §6): what one respondent's answers make
redundant is left out, and the certification page shows the levels that matter.

Rendered as HTML and Markdown (fast); the page count itself is checked on the laid-out PDF in
tests/test_report_layout.py.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any

import pytest

from assessment.demo import demo_responses
from assessment.engine import assess
from assessment.responses import parse_responses
from frameworks.fileio import canonical_json
from questionnaires.loader import load_questionnaire
from reports import render_report


@cache
def _report(fmt: str, respondents: int) -> str:
    """The demo's quick check answered by its first `respondents`, no assessor, in English."""
    q, fw = load_questionnaire("quick-check")
    data: dict[str, Any] = copy.deepcopy(demo_responses(q, fw, "en"))  # type: ignore[arg-type]
    data["respondents"] = data["respondents"][:respondents]
    data.pop("assessor", None)
    loaded = parse_responses(canonical_json(data).encode(), "answers.json")
    result = assess(loaded, q, fw)
    out = render_report(result, fw, q, lang="en", fmt=fmt, responses=loaded.for_report(q))
    return out.decode()


def _section(html: str, ident: str) -> str:
    start = html.index(f'id="{ident}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


def _headers(html: str, table_class: str) -> list[list[str]]:
    tables = re.findall(rf'<table class="data {table_class}">(.*?)</thead>', html, re.S)
    return [re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", t, re.S) for t in tables]


def test_one_respondent_questions_have_no_count_or_spread() -> None:
    html = _report("html", 1)
    element = _section(html, "element-leadership")
    headers = _headers(element, "questions-table")
    assert headers and all(h == ["Question", "N/A", "Mean"] for h in headers)
    # the respondent's comment and evidence sit under the answer, not in a block of their own
    assert 'class="note-row"' in element and "Respondents&#39; comments" not in element
    assert 'class="bars-figure"' not in element  # the criteria table shows the same figures
    md = _report("md", 1)
    assert "| Question | Criterion | N/A | Mean |" in md
    assert "| Question | Criterion | n |" not in md


def test_several_respondents_keep_count_and_spread() -> None:
    html = _report("html", 3)
    element = _section(html, "element-leadership")
    headers = _headers(element, "questions-table")
    assert headers and all(h[1] == "n" and len(h) == 5 for h in headers), headers
    assert 'class="bars-figure"' in element and 'class="note-row"' not in element


@pytest.mark.parametrize("respondents", [1, 3])
def test_certification_page_shows_the_awarded_and_the_next_level(respondents: int) -> None:
    html = _report("html", respondents)
    page = _section(html, "certification")
    shown = re.findall(r"Rules for (Level \d)", page)
    awarded = re.search(r"Certification level awarded: (Level \d)", page)
    assert awarded is not None
    level = int(awarded.group(1)[-1])
    assert shown == [f"Level {level}", f"Level {level + 1}"]
    assert "are in appendix A (methodology)" in page
    method = _section(html, "methodology")
    assert re.findall(r"Rules for (Level \d)", method) == [
        "Level 2",
        "Level 3",
        "Level 4",
        "Level 5",
    ]
