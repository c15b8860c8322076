"""The demo's answers read like a real audit: texts that fit their question, one language per
responses file, evidence on about a third of the answers, disagreement that is explained."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from assessment import demo
from assessment.demo_answers import PATH, load_demo_answers
from frameworks.errors import InputError
from frameworks.text import LANGS
from questionnaires.loader import load_questionnaire

ROLES = {p.id: p.role for p in demo.PEOPLE}
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# three Latin words in a row: an English phrase (an acronym such as POS, NPS or RFM is one word)
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]{2,}){2,}")


@cache
def files() -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Per language: the demo responses document `crmm demo` writes, and its result."""
    out = {}
    for lang in LANGS:
        text, result = demo.demo_texts(Path(f"demo-responses-{lang}.yaml"), lang)
        out[lang] = (yaml.safe_load(text), json.loads(result))
    return out


def answers(lang: str) -> list[tuple[str, str, Any]]:
    """(respondent, question, answer) of one language's responses file."""
    doc = files()[lang][0]
    return [(p["id"], qid, a) for p in doc["respondents"] for qid, a in p["answers"].items()]


def texts(lang: str) -> list[tuple[str, str]]:
    """Every text a respondent wrote in one file, with where: free text, comment, evidence,
    department and the organisation's name."""
    doc = files()[lang][0]
    out = [("organization.name", doc["organization"]["name"])]
    for p in doc["respondents"]:
        out.append((f"{p['id']}.department", p["department"]))
        for qid, a in p["answers"].items():
            where = f"{p['id']}.{qid}"
            if qid in TEXT_QUESTIONS:
                out.append((where, a))
            elif isinstance(a, dict):
                if "comment" in a:
                    out.append((f"{where}.comment", a["comment"]))
                out += [(f"{where}.evidence", e) for e in a.get("evidence", [])]
    return out


TEXT_QUESTIONS = {x.id for x in load_questionnaire("full-audit")[0].questions if x.type == "text"}


def test_demo_answers_resolve_against_the_questionnaire() -> None:
    data = load_demo_answers(ROLES)
    q, _ = load_questionnaire(data.questionnaire)
    ids = {x.id for x in q.questions}
    assert set(data.answers) <= ids
    assert {d for by in data.answers.values() for w in by.values() for d in w.evidence} <= set(
        data.documents
    )


def test_demo_answers_name_what_does_not_resolve(tmp_path: Path) -> None:
    """A wrong question id, a role the question is not asked of, an unknown document and a
    free-text question left unanswered are each reported with their place in the file."""
    raw = yaml.safe_load(PATH.read_text("utf-8"))
    raw["answers"]["fa-nope-01"] = raw["answers"].pop("fa-lead-01")
    raw["answers"]["fa-org-01"]["li-na"] = {"evidence": ["org-chart"]}  # leadership only
    raw["answers"]["fa-tech-09"]["zhou-lei"]["evidence"] = ["no-such-file"]
    del raw["answers"]["fa-ops-09"]["wang-fang"]
    bad = tmp_path / "demo_answers.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
    with pytest.raises(InputError) as err:
        load_demo_answers(ROLES, bad)
    assert sorted(err.value.lines()) == [
        f"{bad}: answers.fa-nope-01: no such question in full-audit",
        f"{bad}: answers.fa-ops-09: wang-fang is asked this free-text question: no answer",
        f"{bad}: answers.fa-org-01.li-na: the question is not asked of role sales",
        f"{bad}: answers.fa-tech-09.zhou-lei.evidence[0]: no such document: no-such-file",
    ]


def test_demo_answers_refuse_unknown_fields(tmp_path: Path) -> None:
    raw = yaml.safe_load(PATH.read_text("utf-8"))
    raw["answers"]["fa-lead-01"]["zhang-wei"]["note"] = "?"
    bad = tmp_path / "demo_answers.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
    with pytest.raises(InputError, match=r"answers\.fa-lead-01\.zhang-wei\.note: unknown field"):
        load_demo_answers(ROLES, bad)


@pytest.mark.parametrize("lang", LANGS)
def test_free_text_answers_are_each_respondents_own(lang: str) -> None:
    """Every respondent asked a free-text question answers it, in words of their own: no text
    is given to two questions or by two people."""
    given = [(pid, qid, a) for pid, qid, a in answers(lang) if qid in TEXT_QUESTIONS]
    q, _ = load_questionnaire("full-audit")
    asked = {
        (p.id, x.id)
        for x in q.questions
        if x.type == "text"
        for p in demo.PEOPLE
        if not x.roles or p.role in x.roles
    }
    assert {(pid, qid) for pid, qid, _ in given} == asked
    words = [a for _, _, a in given]
    assert all(isinstance(a, str) and len(a) >= 20 for a in words)
    assert len(set(words)) == len(words), "a free-text answer is repeated"


def test_zh_file_is_chinese() -> None:
    for where, text in texts("zh-CN"):
        assert HAN.search(text), f"{where}: no Chinese in {text!r}"
        assert not ENGLISH.search(text), f"{where}: English in {text!r}"


def test_en_file_is_english() -> None:
    for where, text in texts("en"):
        assert not CJK.search(text), f"{where}: Chinese in {text!r}"
        assert ENGLISH.search(text) or where.endswith(("department", "evidence")), where


def test_both_languages_score_the_same() -> None:
    """The two files differ in their words only: the same answers, and the same result apart
    from the organisation's name, the departments and the file they came from."""
    (zh_doc, zh_res), (en_doc, en_res) = files()["zh-CN"], files()["en"]

    def values(doc: dict[str, Any]) -> list[tuple[str, str, Any]]:
        return [
            (p["id"], qid, a["value"] if isinstance(a, dict) else a)
            for p in doc["respondents"]
            for qid, a in p["answers"].items()
            if qid not in TEXT_QUESTIONS
        ]

    assert values(zh_doc) == values(en_doc)
    for key in zh_res:
        if key not in ("organization", "respondents", "responses"):
            assert zh_res[key] == en_res[key], key
    for zh_p, en_p in zip(zh_res["respondents"], en_res["respondents"], strict=True):
        assert {**zh_p, "department": ""} == {**en_p, "department": ""}
    names = demo.demo_written().organization
    assert zh_res["organization"] == {**en_res["organization"], "name": names.zh}
    assert en_res["organization"]["name"] == names.en


def test_evidence_and_comments_on_a_good_share_of_the_answers() -> None:
    given = [a for _, qid, a in answers("zh-CN")]
    scored = [a for _, qid, a in answers("zh-CN") if qid not in TEXT_QUESTIONS]
    with_evidence = [a for a in given if isinstance(a, dict) and a.get("evidence")]
    assert 0.25 <= len(with_evidence) / len(given) <= 0.45
    commented = [a for a in scored if isinstance(a, dict) and a.get("comment")]
    assert 0.3 <= len(commented) / len(scored) <= 0.6


def test_respondents_disagree_and_say_why() -> None:
    """On several questions the respondents' scores are two levels (50 points) or more apart,
    and both the most and the least favourable respondent explain their answer."""
    doc, result = files()["en"]
    commented = {
        (p["id"], qid)
        for p in doc["respondents"]
        for qid, a in p["answers"].items()
        if isinstance(a, dict) and a.get("comment")
    }
    explained = []
    for question in result["questions"]:
        scores = {pid: s for pid, s in question["answers"].items() if s is not None}  # not N/A
        if len(scores) < 2 or max(scores.values()) - min(scores.values()) < 50:
            continue
        high = max(scores, key=lambda pid: scores[pid])
        low = min(scores, key=lambda pid: scores[pid])
        if (high, question["id"]) in commented and (low, question["id"]) in commented:
            explained.append(question["id"])
    assert len(explained) >= 5, explained
    # the CEO sees the company more favourably than the service centre does
    both = [
        s
        for s in (q["answers"] for q in result["questions"])
        if s.get("zhang-wei") is not None and s.get("wang-fang") is not None
    ]
    assert sum(s["zhang-wei"] for s in both) > sum(s["wang-fang"] for s in both)


def test_a_value_given_outright_leaves_every_other_answer_as_drawn() -> None:
    """A demo answer's value replaces the synthesised one without moving the random draws of
    the answers after it: the written values change those answers and no other."""
    from assessment.synthetic import synthesize

    q, fw = load_questionnaire("full-audit")
    written = demo.demo_people(q, "en")
    bare = demo.demo_people(q, "en", written=False)
    org = demo.organization("en")
    with_values = synthesize(q, fw, org, demo.PROFILE, written, demo.DATE, demo.SEED)
    drawn = synthesize(q, fw, org, demo.PROFILE, bare, demo.DATE, demo.SEED)
    for person, a, b in zip(written, with_values["respondents"], drawn["respondents"], strict=True):
        assert a["answers"].keys() - b["answers"].keys() == {
            qid for qid in person.values if qid in TEXT_QUESTIONS
        }
        for qid, answer in b["answers"].items():
            value = (
                a["answers"][qid]["value"]
                if isinstance(a["answers"][qid], dict)
                else a["answers"][qid]
            )
            assert value == person.values.get(qid, answer), (person.id, qid)
