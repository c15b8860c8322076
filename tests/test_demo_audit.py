"""The demo company's full audit (`crmm demo`, demo-audit-*): ten interviewees who answer
intention and reality, an evidence register, two assessor ratings whose `before` the library
computed, one workshop; written the same on every run, checked in as examples/full-audit/.
In process, without reports (tests/test_demo.py renders them)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from assessment.cli import cli
from assessment.demo_audit import PATH, audit_texts, load_demo_audit
from frameworks.errors import InputError
from frameworks.fileio import parse_data
from frameworks.text import LANGS
from questionnaires.loader import load_questionnaire

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "full-audit"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]{2,}){2,}")  # three Latin words in a row


TEXT_QUESTIONS = {x.id for x in load_questionnaire("full-audit")[0].questions if x.type == "text"}


@cache
def files() -> dict[str, tuple[str, dict[str, Any], dict[str, Any]]]:
    """Per language: the full audit's responses text `crmm demo` writes, the document it
    parses to (as crmm reads YAML) and its result."""
    out: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {}
    for lang in LANGS:
        text, result = audit_texts(Path(f"demo-audit-responses-{lang}.yaml"), lang)
        out[lang] = (text, parse_data(text.encode(), "audit.yaml"), json.loads(result))
    return out


def people(doc: dict[str, Any], kind: str = "person") -> list[dict[str, Any]]:
    return [r for r in doc["respondents"] if r.get("kind", "person") == kind]


def test_every_criterion_has_intention_and_reality() -> None:
    """Every criterion the full audit asks is scored on both dimensions, with its gap."""
    q, fw = load_questionnaire("full-audit")
    assert fw.dimensions is not None
    asked = {x.criterion for x in q.questions if x.dimension == "intention"}
    assert asked == {x.criterion for x in q.questions if x.scored}
    for lang in LANGS:
        result = files()[lang][2]
        for c in result["criteria"]:
            assert c["intention"] is not None and c["reality"] is not None, c["id"]
            assert c["gap"] == pytest.approx(c["intention"] - c["reality"], abs=0.011), c["id"]


def test_intention_runs_ahead_of_reality_as_the_profile_says() -> None:
    """The documented profile (assessment/demo.py INTENTION): intention ahead of reality in
    every element, technology's gap among the largest and operations' among the smallest; several
    criteria are findings ("said but not done")."""
    result = files()["en"][2]
    _, fw = load_questionnaire("full-audit")
    assert fw.dimensions is not None
    gaps = {e["id"]: e["gap"] for e in result["elements"]}
    assert all(g > 0 for g in gaps.values()), gaps
    ranked = sorted(gaps, key=gaps.__getitem__, reverse=True)
    assert ranked.index("technology") < 3 and ranked.index("operations") >= 4, ranked
    findings = [c for c in result["criteria"] if (c["gap"] or 0) >= fw.dimensions.finding_gap]
    assert len(findings) >= 5


def test_ten_interviewees_across_the_roles() -> None:
    zh, en = files()["zh-CN"][1], files()["en"][1]
    interviewees = people(en)
    assert 8 <= len(interviewees) <= 10
    roles = [p["role"] for p in interviewees]
    assert {r: roles.count(r) for r in set(roles)} == {
        "leadership": 2,
        "sales": 2,
        "marketing": 2,
        "service": 2,
        "it": 2,
    }
    assert all(HAN.fullmatch(p["name"][0]) and len(p["name"]) <= 3 for p in people(zh))
    assert [p["id"] for p in people(zh)] == [p["id"] for p in interviewees]
    # an audit by a named assessor, not a self-assessment
    for lang in LANGS:
        doc, result = files()[lang][1], files()[lang][2]
        assert doc["assessor"] and result["assessor"] == doc["assessor"]
        assert result["certification"]["self_assessment"] is False
    assert en["assessor"] == "Lu Xiaolan (lead assessor)"


def test_the_evidence_register() -> None:
    doc = files()["en"][1]
    register = doc["evidence_register"]
    assert 8 <= len(register) <= 12
    assert {e["kind"] for e in register} == {"document", "link", "interview", "observation"}
    assert {e["status"] for e in register} == {"accepted", "insufficient", "rejected", "pending"}
    date = dt.date.fromisoformat(doc["date"])
    for e in register:
        assert dt.date.fromisoformat(e["date"]) < date, e["id"]
        assert e["source"]["role"] in {"leadership", "sales", "marketing", "service", "it"}
        assert e["criteria"], e["id"]
        assert bool(e.get("reason")) == (e["status"] in ("insufficient", "rejected")), e["id"]
        assert ("reviewed_by" in e) == (e["status"] != "pending"), e["id"]
    # answers cite register ids only, and they do cite them
    ids = {e["id"] for e in register}
    cited = [
        ref
        for p in doc["respondents"]
        for a in p["answers"].values()
        if isinstance(a, dict)
        for ref in a.get("evidence", [])
    ]
    assert set(cited) <= ids and len(cited) >= 15


def test_two_overrides_with_before_computed_by_the_library() -> None:
    """One rating of a criterion, one of another criterion's reality; each `before` is what
    the answers give without the trail (scored again here), each by the lead assessor at a
    +08:00 time, citing accepted evidence; the result lists them and marks the figures."""
    from assessment.inputs import score_responses

    for lang in LANGS:
        _, doc, result = files()[lang]
        trail = doc["assessor_ratings"]
        assert [(e["criterion"], e.get("dimension")) for e in trail] == [
            ("ops-complaints", None),
            ("tech-customer-data", "reality"),
        ]
        bare = {k: v for k, v in doc.items() if k != "assessor_ratings"}
        text = yaml.safe_dump(bare, allow_unicode=True)
        scored = score_responses(text.encode(), "bare.yaml").result
        criteria = {c.id: c for c in scored.criteria}
        assert trail[0]["before"] == criteria["ops-complaints"].score
        assert trail[1]["before"] == criteria["tech-customer-data"].reality
        accepted = {e["id"] for e in doc["evidence_register"] if e["status"] == "accepted"}
        for e in trail:
            assert e["by"] == doc["assessor"]
            assert e["at"].endswith("+08:00") and e["at"][:10] <= doc["date"]
            assert e["reason"] and set(e["evidence"]) <= accepted
        overrides = result["overrides"]
        assert [(o["criterion"], o["dimension"], o["entries"]) for o in overrides] == [
            ("ops-complaints", None, 1),
            ("tech-customer-data", "reality", 1),
        ]
        for o, e in zip(overrides, trail, strict=True):
            assert o["before"] == e["before"] and o["after"] == (e["rating"] - 1) * 25
            assert o["after"] < o["before"]  # the assessor found less than the answers said
        shown = {c["id"]: c for c in result["criteria"]}
        assert shown["ops-complaints"]["overridden"] == ["score"]
        assert shown["ops-complaints"]["score"] == 25.0
        assert shown["tech-customer-data"]["overridden"] == ["reality"]
        assert shown["tech-customer-data"]["reality"] == 25.0


def test_crmm_rate_writes_the_same_trail(runner: CliRunner, tmp_path: Path) -> None:
    """An assessor who rates the demo's answers with `crmm rate`, entry by entry, gets the
    trail the demo wrote: the same befores, and the same overrides in the result."""
    _, doc, result = files()["en"]
    bare = tmp_path / "audit.yaml"
    body = {k: v for k, v in doc.items() if k != "assessor_ratings"}
    bare.write_text(yaml.safe_dump(body, allow_unicode=True, sort_keys=False), "utf-8")
    for e in doc["assessor_ratings"]:
        target = e["criterion"] + (f".{e['dimension']}" if e.get("dimension") else "")
        args = ["rate", str(bare), target, "--rating", str(e["rating"]), "--reason", e["reason"]]
        args += [x for ref in e["evidence"] for x in ("--evidence", ref)]
        res = runner.invoke(cli, [*args, "--by", e["by"], "--at", e["at"]])
        assert res.exit_code == 0, res.output
    rated = parse_data(bare.read_bytes(), str(bare))
    assert [e["before"] for e in rated["assessor_ratings"]] == [
        e["before"] for e in doc["assessor_ratings"]
    ]
    res = runner.invoke(cli, ["score", str(bare), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["overrides"] == result["overrides"]


def test_the_data_file_types_no_before() -> None:
    """`before` is never typed: the demo's audit data refuses it."""
    raw = yaml.safe_load(PATH.read_text("utf-8"))
    assert all("before" not in r for r in raw["ratings"])


def test_one_workshop_answering_a_subset() -> None:
    doc, result = files()["zh-CN"][1], files()["zh-CN"][2]
    (ws,) = people(doc, "workshop")
    assert ws["name"] == "门店一线共识研讨会（城东区域）"
    assert len(ws["participants"]) >= 3
    assert all(p["name"] and p["role"] and p["department"] for p in ws["participants"])
    same_role = [p for p in people(doc) if p["role"] == ws["role"]]
    assert 5 <= len(ws["answers"]) < min(len(p["answers"]) for p in same_role)
    (summary,) = [r for r in result["respondents"] if r["kind"] == "workshop"]
    assert summary["id"] == ws["id"] and summary["participants"] == len(ws["participants"])


def test_written_the_same_every_time_and_in_both_languages() -> None:
    """Two runs write the same bytes; the zh-CN and en files differ in their words only."""
    for lang in LANGS:
        again = audit_texts(Path(f"demo-audit-responses-{lang}.yaml"), lang)
        assert again[0] == files()[lang][0]
    (_, zh, zh_res), (_, en, en_res) = files()["zh-CN"], files()["en"]

    def values(doc: dict[str, Any]) -> list[Any]:
        return [
            (p["id"], qid, a["value"] if isinstance(a, dict) else a)
            for p in doc["respondents"]
            for qid, a in p["answers"].items()
            if qid not in TEXT_QUESTIONS
        ]

    assert values(zh) == values(en)
    for key in ("overall", "elements", "criteria", "questions"):
        assert zh_res[key] == en_res[key], key
    assert [e["before"] for e in zh["assessor_ratings"]] == [
        e["before"] for e in en["assessor_ratings"]
    ]


def test_each_file_in_its_own_language() -> None:
    zh, en = files()["zh-CN"][0], files()["en"][0]
    assert not CJK.search(en.replace("—", ""))  # the English file has no Chinese at all
    doc = files()["zh-CN"][1]
    texts = [doc["assessor"], doc["organization"]["name"]]
    texts += [e["title"] for e in doc["evidence_register"]]
    texts += [e.get("reason", "") for e in doc["evidence_register"] if e.get("reason")]
    texts += [e["reason"] for e in doc["assessor_ratings"]]
    texts += [p["name"] for p in doc["respondents"]] + [p["department"] for p in doc["respondents"]]
    texts += [a["comment"] for p in doc["respondents"] for a in p["answers"].values()
              if isinstance(a, dict) and "comment" in a]  # fmt: skip
    for text in texts:
        assert HAN.search(text) and not ENGLISH.search(text), text
    comments = [line for line in zh.splitlines() if line.startswith("#")]
    assert len(comments) >= 15 and all(HAN.search(c) for c in comments)


def test_examples_are_what_the_demo_writes() -> None:
    """examples/full-audit/ holds the demo's full audit byte for byte (regenerate with
    `python scripts/full_audit_example.py`)."""
    for lang in LANGS:
        example = EXAMPLE / f"responses-{lang}.yaml"
        assert example.read_text("utf-8") == files()[lang][0], example


def test_the_example_scores_certifies_and_validates(runner: CliRunner) -> None:
    example = str(EXAMPLE / "responses-en.yaml")
    res = runner.invoke(cli, ["validate", example])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["score", example, "--format", "json"])
    assert res.exit_code == 0, res.output
    scored = json.loads(res.output)
    assert len(scored["overrides"]) == 2
    res = runner.invoke(cli, ["certify", example, "--format", "json", "--lang", "en"])
    assert res.exit_code == 0, res.output
    awarded = json.loads(res.output)["certification"]["awarded"]
    assert awarded == scored["certification"]["awarded"] >= 1


def test_the_example_is_documented() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "examples/full-audit/" in readme
    local = (EXAMPLE / "README.md").read_text("utf-8")
    for lang in LANGS:
        assert f"responses-{lang}.yaml" in local


def _broken(tmp_path: Path, edit: Any) -> list[str]:
    raw = yaml.safe_load(PATH.read_text("utf-8"))
    raw = copy.deepcopy(raw)
    edit(raw)
    bad = tmp_path / "demo_audit.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), "utf-8")
    with pytest.raises(InputError) as err:
        load_demo_audit(bad)
    return [line.removeprefix(f"{bad}: ") for line in err.value.lines()]


def test_the_audit_data_names_what_does_not_resolve(tmp_path: Path) -> None:
    def edit(raw: dict[str, Any]) -> None:
        raw["ratings"][0]["evidence"] = ["ev-07"]  # rejected
        raw["ratings"][1]["criterion"] = "no-such"
        raw["evidence_register"][0]["document"] = "no-such-file"
        raw["evidence_register"][1]["date"] = dt.date(2026, 12, 1)
        raw["workshop"]["answers"]["fa-lead-01"] = 3  # leadership only
        raw["answers"]["fa-tech-01"]["xu-tao"]["evidence"] = ["ev-99"]
        raw["answers"]["fa-tech-03"]["zhang-wei"] = {"value": 3}  # a survey respondent

    assert sorted(_broken(tmp_path, edit)) == [
        "answers.fa-tech-01.xu-tao.evidence[0]: no such evidence id: ev-99",
        "answers.fa-tech-03.zhang-wei: not a new interviewee (the survey's five write in"
        " demo_answers.yaml)",
        "evidence_register[0].document: no such document in the survey: no-such-file",
        "evidence_register[1].date: evidence is dated before the audit",
        "ratings[0].evidence[0]: ev-07 is not an accepted register item",
        "ratings[1].criterion: 'no-such' is not asked by full-audit",
        "workshop.answers.fa-lead-01: the question is not asked of role sales",
    ]


def test_the_audit_data_refuses_a_typed_before(tmp_path: Path) -> None:
    def edit(raw: dict[str, Any]) -> None:
        raw["ratings"][0]["before"] = 50.0

    assert _broken(tmp_path, edit) == ["ratings[0].before: unknown field"]
