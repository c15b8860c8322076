"""Hostile text in a responses file: printed as text, never fetched, or rejected with a location."""

from __future__ import annotations

import re

import pytest
import yaml

from assessment.engine import assess
from assessment.responses import parse_responses
from frameworks.errors import InputError
from questionnaires.loader import load_questionnaire
from reports import render_report

from .conftest import MINI, load_yaml, pdf_text, spy_on_fetches

MARKUP = [
    '<img src="http://127.0.0.1:1/x.png">',
    '<link rel=stylesheet href="file:///etc/passwd">',
    "url(file:///etc/passwd)",
]


def dump(doc: object) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()


def test_markup_in_name_and_comment_is_text_and_fetches_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = spy_on_fetches(monkeypatch)
    doc = load_yaml(MINI / "responses.yaml")
    doc["organization"]["name"] = " ".join(MARKUP)
    doc["respondents"][0]["answers"]["q3"]["comment"] = " ".join(MARKUP) + " " + "x" * 4800
    q, fw = load_questionnaire(MINI / "questionnaire.yaml", MINI / "framework.yaml")
    doc["respondents"][0]["answers"]["q3"]["evidence"] = ["file:///etc/passwd"]
    loaded = parse_responses(dump(doc), "hostile.yaml")
    result = assess(loaded, q, fw)
    pdf = render_report(result, fw, q, lang="en", fmt="pdf", responses=loaded.responses)
    text = "".join(pdf_text(pdf).split())  # line breaks fall anywhere in a long name
    for m in MARKUP:
        assert text.count("".join(m.split())) >= 2  # cover/title and the comment
    assert "Evidence:file:///etc/passwd" in text
    assert max(len(r) for r in re.findall("x+", text)) > 1000  # the long comment, wrapped
    assert not any("127.0.0.1" in u or "passwd" in u for u in asked)  # nothing was asked for
    html = render_report(result, fw, q, lang="en", fmt="html", responses=loaded.responses)
    html = html.decode()
    assert "<img" not in html and "<link" not in html
    assert "&lt;img src=&#34;http://127.0.0.1:1/x.png&#34;&gt;" in html


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        ("organization.name", "Mini\x00Co", "control character '\\x00' at position 4"),
        ("organization.name", "Mini\x1b[31mCo", "control character '\\x1b' at position 4"),
        ("organization.name", "L" * 5000, "at most 500 characters"),
        ("respondents.0.answers.q3.comment", "ok\x07", "control character '\\x07'"),
        ("respondents.0.answers.q7.value", "grow\x0bing", "control character '\\x0b'"),
        ("respondents.0.answers.q3.comment", "c" * 5001, "at most 5000 characters"),
        ("respondents.0.answers.q7.value", "t" * 5001, "text of 5001 characters; at most 5000"),
    ],
)
def test_control_characters_and_long_strings_rejected(where: str, value: str, message: str) -> None:
    doc = load_yaml(MINI / "responses.yaml")
    doc["respondents"][0]["answers"]["q7"] = {"value": "we are growing"}  # long form
    *parents, last = [int(k) if k.isdigit() else k for k in where.split(".")]
    node = doc
    for k in parents:
        node = node[k]
    node[last] = value
    with pytest.raises(InputError) as err:
        parse_responses(dump(doc), "hostile.yaml")
    line = err.value.lines()[0]
    assert line.startswith(f"hostile.yaml: {where.replace('.0.', '[0].')}: ")
    assert message in line


def test_newlines_and_tabs_allowed() -> None:
    doc = load_yaml(MINI / "responses.yaml")
    doc["respondents"][0]["answers"]["q3"]["comment"] = "line one\n\tline two"
    loaded = parse_responses(dump(doc), "ok.yaml")
    assert loaded.responses.respondents[0].answers["q3"].comment == "line one\n\tline two"


def test_a_long_answer_is_printed_whole() -> None:
    """A free-text answer as long as allowed is printed whole, never cut or measured for a
    narrow column (cutting a 100 000-character answer once made `crmm report` take minutes)."""
    from assessment.responses import TEXT_LIMIT, check_responses

    q, fw = load_questionnaire(MINI / "questionnaire.yaml", MINI / "framework.yaml")
    doc = load_yaml(MINI / "responses.yaml")
    text = ("客户投诉处理流程不统一" * 500)[:TEXT_LIMIT]
    doc["respondents"][0]["answers"]["q7"] = text
    loaded = parse_responses(dump(doc), "long.yaml")
    html = render_report(
        assess(loaded, q, fw), fw, q, lang="zh-CN", fmt="html", responses=check_responses(loaded, q)
    ).decode()
    assert html.count(text) == 3  # its element section, "in their own words", appendix D
