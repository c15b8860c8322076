"""One language per report (issue 11 §5): the zh-CN demo report carries no identifier or
label of the English side, and the en report nothing Chinese.

The demo's answers are rendered with every piece of input text the respondents wrote made
neutral in the report's language (organisation name, respondent ids, departments, comments,
evidence, free-text answers): input data is exempt from the rule and is being rewritten
separately, so these tests check only what crmm itself writes around it.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from assessment.benchmarking import with_benchmark
from assessment.cli import cli
from assessment.demo import BENCHMARK, demo_responses
from assessment.engine import assess
from assessment.responses import parse_responses
from frameworks.langs import Lang
from frameworks.vocabulary import vocabulary
from questionnaires.loader import load_questionnaire
from reports import render_report
from reports.labels import catalogue

from .conftest import pdf_text

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRE = "full-audit"
CJK = re.compile("[\u3000-\u303f\u30fb\u4e00-\u9fff\uff00-\uffef]")
NEUTRAL = {
    "zh-CN": {"org": "示例零售公司", "comment": "答卷人的说明", "evidence": "证据文件.pdf"},
    "en": {"org": "Example Retail Co", "comment": "A respondent's remark", "evidence": "file.pdf"},
}


def neutral_responses(lang: Lang) -> dict[str, Any]:
    """The demo's answers with the text people wrote replaced by neutral text in `lang`."""
    q, fw = load_questionnaire(QUESTIONNAIRE)
    data: dict[str, Any] = demo_responses(q, fw)
    words = NEUTRAL[lang]
    free = {x.id for x in q.questions if x.type == "text"}
    data["organization"] = {**data["organization"], "name": words["org"]}
    for i, person in enumerate(data["respondents"], start=1):
        person["id"] = f"r{i}"
        person.pop("department", None)
        for qid, answer in person["answers"].items():
            if qid in free:
                person["answers"][qid] = words["comment"]
            elif isinstance(answer, dict):
                if answer.get("comment"):
                    answer["comment"] = words["comment"]
                if answer.get("evidence"):
                    answer["evidence"] = [words["evidence"]]
    return data


@cache
def rendered(lang: Lang, fmt: str) -> bytes:
    q, fw = load_questionnaire(QUESTIONNAIRE)
    text = yaml.safe_dump(neutral_responses(lang), allow_unicode=True, sort_keys=False)
    loaded = parse_responses(text.encode(), "demo-responses.yaml")
    result = with_benchmark(assess(loaded, q, fw), BENCHMARK)
    return render_report(result, fw, q, lang=lang, fmt=fmt, responses=loaded.responses)


def html_text(data: bytes) -> str:
    """The text of an HTML report up to its glossary."""
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", data.decode(), flags=re.S)
    body = body.split('id="appendix-glossary"')[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def before_glossary(text: str, lang: Lang) -> str:
    """The glossary gives each term with its equivalent in the other language on purpose
    (appendix E): the rule holds for everything before it."""
    title = catalogue()["appx.glossary.title"][lang]
    return text[: text.rindex(title)] if title in text else text


def ids() -> set[str]:
    """Identifiers crmm must never print in a zh-CN report: roles, elements, criteria,
    levels, phases and efforts of the demo's framework and questionnaire."""
    q, fw = load_questionnaire(QUESTIONNAIRE)
    found = {r.id for r in q.roles} | {e.id for e in fw.elements} | set(fw.criteria)
    found |= {lv.id for lv in fw.levels} | {p.id for p in fw.phases}
    return found | {"quick-win", "medium", "long-term"}


def english_names() -> set[str]:
    """The English of everything crmm names in the demo report: framework and questionnaire
    names, roles, profile vocabulary, and the fixed labels whose English differs."""
    q, fw = load_questionnaire(QUESTIONNAIRE)
    names = {e.name.en for e in fw.elements} | {c.name.en for c in fw.criteria.values()}
    names |= {lv.name.en for lv in fw.levels} | {p.name.en for p in fw.phases}
    names |= {r.name.en for r in q.roles}
    voc = vocabulary()
    for dim in ("industry", "size", "region"):
        for value in ("retail", "medium", "east-china"):
            name = voc.name(dim, value)  # type: ignore[arg-type]
            if name is not None:
                names.add(name.en)
    for text in catalogue().values():
        if text["en"] != text["zh-CN"]:
            # the longest run of plain words between placeholders: "Respondents' comments"
            parts = re.split(r"\{[^}]*\}", text["en"])
            names |= {p.strip(" :;,.()") for p in parts}
    return {n for n in names if len(re.findall(r"[A-Za-z]{3,}", n)) >= 2}


def foreign_in_zh(text: str) -> list[str]:
    flat = re.sub(r"\s+", " ", text)
    word = r"(?<![\w-]){}(?![\w-])"
    found = [f"id {i!r}" for i in sorted(ids()) if re.search(word.format(re.escape(i)), flat)]
    found += [f"English {n!r}" for n in sorted(english_names()) if n in flat]
    # ASCII punctuation right after Chinese text: "证据:" instead of "证据："
    found += [f"half-width {m!r}" for m in sorted(set(re.findall(r"[\u4e00-\u9fff][:;,!?]", flat)))]
    return found


def foreign_in_en(text: str) -> list[str]:
    flat = re.sub(r"\s+", " ", text)
    found = [f"Chinese {c!r}" for c in sorted(set(CJK.findall(flat)))]
    q, _ = load_questionnaire(QUESTIONNAIRE)
    found += [f"role id ({r.id})" for r in q.roles if f"({r.id})" in flat]
    return found


def test_zh_html_and_markdown_reports_have_no_english() -> None:
    assert foreign_in_zh(html_text(rendered("zh-CN", "html"))) == []
    md = rendered("zh-CN", "md").decode()
    assert foreign_in_zh(before_glossary(md, "zh-CN")) == []


def test_en_html_and_markdown_reports_have_no_chinese() -> None:
    assert foreign_in_en(html_text(rendered("en", "html"))) == []
    assert foreign_in_en(before_glossary(rendered("en", "md").decode(), "en")) == []


@pytest.mark.slow
def test_both_demo_pdf_reports_are_in_one_language() -> None:
    zh = before_glossary(pdf_text(rendered("zh-CN", "pdf")), "zh-CN")
    assert foreign_in_zh(zh) == []
    en = before_glossary(pdf_text(rendered("en", "pdf")), "en")
    assert foreign_in_en(en) == []


def test_certify_in_chinese_prints_no_english(tmp_path: Path) -> None:
    """`crmm certify --lang zh-CN` (table, the finding, the note on the file written):
    nothing in English, and full-width punctuation next to Chinese."""
    readme = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"```yaml\n(type: responses\n.*?)```", readme, re.S)
    assert block is not None
    answers = tmp_path / "answers.yaml"  # organisation 示例公司: no Latin input text
    answers.write_text(block.group(1), "utf-8")
    out = tmp_path / "c.txt"
    res = CliRunner().invoke(cli, ["certify", str(answers), "--lang", "zh-CN", "-o", str(out)])
    assert res.exit_code == 1  # no level awarded for 3 answers
    text = out.read_text("utf-8") + res.stdout + res.stderr.replace(str(out), "")
    assert "未授予认证等级" in text and "已写入" in text
    assert re.findall(r"[A-Za-z]{2,}", text) == []
    assert re.findall(r"[\u4e00-\u9fff][:;,!?]|[:;,][\u4e00-\u9fff]", text) == []
