"""Certification: each rule type at, above and below its threshold, the award, the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.certification import CertificationResult
from assessment.certify import certify
from assessment.cli import cli
from assessment.engine import assess
from assessment.responses import check_responses, parse_responses
from assessment.result import AssessmentResult
from frameworks.errors import InputError
from frameworks.loader import load_framework
from frameworks.model import Framework
from questionnaires.loader import load_questionnaire
from questionnaires.model import Questionnaire
from reports import render_report

from .conftest import MINI, load_yaml, write_yaml

# Mini: people 3.00, service 3.60, overall index 3.45 at level 4, s-complaints level 4,
# coverage 100 %, 10 scored answers of which 1 carries evidence, respondents boss + staff.
RULES: dict[str, Any] = {
    "version": "1.0.0",
    "description": {"zh-CN": "测试规则。", "en": "Test rules."},
    "levels": [
        {
            "level": 2,
            "min_overall_index": 1.8,
            "min_element_index": 1.4,
            "min_coverage": 0.6,
        },
        {
            "level": 3,
            "min_overall_index": 2.6,
            "min_element_index": 2.2,
            "element_minimums": {"service": 3.0},
            "min_coverage": 0.8,
            "min_evidence_share": 0.1,
            "required_criteria": [{"criterion": "s-complaints", "min_level": 3}],
            "min_respondents": 2,
            "required_roles": ["boss", "staff"],
        },
        {
            "level": 4,
            "min_overall_index": 3.4,
            "min_element_index": 2.6,
            "element_minimums": {"service": 3.4},
            "min_coverage": 0.9,
            "min_evidence_share": 0.2,
            "required_criteria": [{"criterion": "s-complaints", "min_level": 4}],
            "min_respondents": 2,
            "required_roles": ["boss", "staff"],
            "external_assessor": True,
        },
    ],
}
Inputs = tuple[Questionnaire, Framework]


def cert_framework_file(tmp: Path, rules: dict[str, Any] | None = None) -> Path:
    data = load_yaml(MINI / "framework.yaml")
    data["certification"] = rules if rules is not None else RULES
    return write_yaml(tmp / "framework.yaml", data)


@pytest.fixture(scope="module")
def fw_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cert_framework_file(tmp_path_factory.mktemp("certfw"))


@pytest.fixture(scope="module")
def inputs(fw_path: Path) -> Inputs:
    return load_questionnaire(MINI / "questionnaire.yaml", str(fw_path))


def responses_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(MINI / "responses.yaml")
    data.update(changes)
    return data


def scored(inputs: Inputs, data: dict[str, Any]) -> tuple[AssessmentResult, Any]:
    import yaml

    q, fw = inputs
    loaded = parse_responses(yaml.safe_dump(data, allow_unicode=True).encode(), "r.yaml")
    return assess(loaded, q, fw), check_responses(loaded, q)


def tweak(
    result: AssessmentResult,
    index: float | None = None,
    level: int | None = None,
    coverage: float | None = None,
    elements: dict[str, float | None] | None = None,
    criteria: dict[str, int | None] | None = None,
) -> AssessmentResult:
    """The result with some published figures replaced (the certifier reads only these)."""
    o = result.overall
    overall = o.model_copy(
        update={
            "index": o.index if index is None else index,
            "level": o.level if level is None else level,
            "coverage": o.coverage if coverage is None else coverage,
        }
    )
    els = [
        e.model_copy(update={"index": (elements or {})[e.id]}) if e.id in (elements or {}) else e
        for e in result.elements
    ]
    crs = [
        c.model_copy(update={"level": (criteria or {})[c.id]}) if c.id in (criteria or {}) else c
        for c in result.criteria
    ]
    return result.model_copy(update={"overall": overall, "elements": els, "criteria": crs})


def rule(cert: CertificationResult, rule_id: str) -> tuple[float | None, bool]:
    found = [r for lv in cert.levels for r in lv.rules if r.id == rule_id]
    assert len(found) == 1, rule_id
    return found[0].actual, found[0].passed


@pytest.fixture(scope="module")
def base(inputs: Inputs) -> tuple[AssessmentResult, Any]:
    return scored(inputs, responses_data())


def verdict(inputs: Inputs, base: tuple[AssessmentResult, Any], **kw: Any) -> CertificationResult:
    q, fw = inputs
    result, resp = base
    cert = certify(tweak(result, **kw), resp, q, fw)
    assert cert is not None
    return cert


# --- the figures and the award ---------------------------------------------------------------


def test_mini_is_certified_level_3_with_every_figure(
    inputs: Inputs, base: tuple[AssessmentResult, Any]
) -> None:
    result, _ = base
    cert = result.certification
    assert cert is not None
    assert (cert.scored_answers, cert.answers_with_evidence, cert.evidence_share) == (10, 1, 0.1)
    assert cert.respondents == 2 and cert.self_assessment and cert.rules_version == "1.0.0"
    assert [(lv.level, lv.passed) for lv in cert.levels] == [(2, True), (3, True), (4, False)]
    assert cert.awarded == 3
    l3 = {r.id: (r.required, r.actual, r.passed) for r in cert.levels[1].rules}
    assert l3 == {
        "L3.maturity-level": (3, 4, True),
        "L3.overall-index": (2.6, 3.45, True),
        "L3.element-index": (2.2, 3.0, True),
        "L3.element-index.service": (3.0, 3.6, True),
        "L3.coverage": (0.8, 1.0, True),
        "L3.applicable": (2, 2, True),  # both elements within their N/A limit
        "L3.evidence-share": (0.1, 0.1, True),  # exactly at the minimum: passes
        "L3.criterion-level.s-complaints": (3, 4, True),
        "L3.respondents": (2, 2, True),
        "L3.role.boss": (1, 1, True),
        "L3.role.staff": (1, 1, True),
    }
    assert cert.levels[1].rules[2].lowest == "people"
    failed = [r.id for r in cert.levels[2].rules if not r.passed]
    assert failed == ["L4.evidence-share", "L4.assessor"]


def test_level_4_with_assessor_and_more_evidence(inputs: Inputs) -> None:
    data = responses_data(assessor="Dr. Wu")
    data["respondents"][1]["answers"]["q3"] = {"value": "yes", "evidence": ["survey.pdf"]}
    result, _ = scored(inputs, data)
    cert = result.certification
    assert cert is not None
    assert cert.evidence_share == 0.2 and not cert.self_assessment and cert.assessor == "Dr. Wu"
    assert cert.awarded == 4 == result.overall.level


@pytest.mark.parametrize(
    ("changes", "rule_id", "passed"),
    [
        ({"index": 2.6}, "L3.overall-index", True),
        ({"index": 2.59}, "L3.overall-index", False),
        ({"elements": {"people": 2.2}}, "L3.element-index", True),
        ({"elements": {"people": 2.19}}, "L3.element-index", False),
        ({"elements": {"people": None}}, "L3.element-index", False),  # insufficient evidence
        ({"elements": {"service": 3.0}}, "L3.element-index.service", True),
        ({"elements": {"service": 2.99}}, "L3.element-index.service", False),
        ({"coverage": 0.8}, "L3.coverage", True),
        ({"coverage": 0.7999}, "L3.coverage", False),
        ({"criteria": {"s-complaints": 3}}, "L3.criterion-level.s-complaints", True),
        ({"criteria": {"s-complaints": 2}}, "L3.criterion-level.s-complaints", False),
        ({"criteria": {"s-complaints": None}}, "L3.criterion-level.s-complaints", False),
        ({"level": 3}, "L3.maturity-level", True),
        ({"level": 2}, "L3.maturity-level", False),
    ],
)
def test_rule_thresholds(
    inputs: Inputs,
    base: tuple[AssessmentResult, Any],
    changes: dict[str, Any],
    rule_id: str,
    passed: bool,
) -> None:
    cert = verdict(inputs, base, **changes)
    assert rule(cert, rule_id)[1] is passed
    insufficient = changes.get("elements") == {"people": None}
    assert cert.awarded == (3 if passed else None if insufficient else 2)


def test_lowest_element_decides_the_every_element_rule(
    inputs: Inputs, base: tuple[AssessmentResult, Any]
) -> None:
    cert = verdict(inputs, base, elements={"people": None})
    r = next(x for x in cert.levels[0].rules if x.id == "L2.element-index")
    assert (r.lowest, r.actual, r.passed, r.check) == ("people", None, False, "none < 1.40")
    assert cert.awarded is None


def test_evidence_share_just_below(inputs: Inputs) -> None:
    data = responses_data()
    data["respondents"][0]["answers"]["q3"] = "partly"  # no evidence left: 0 of 10
    result, _ = scored(inputs, data)
    assert result.certification is not None
    assert rule(result.certification, "L3.evidence-share") == (0.0, False)
    assert result.certification.awarded == 2


def test_respondents_and_roles(inputs: Inputs) -> None:
    data = responses_data()
    data["respondents"] = data["respondents"][:1]  # only the boss
    result, _ = scored(inputs, data)
    cert = result.certification
    assert cert is not None
    assert rule(cert, "L3.respondents") == (1, False)
    assert rule(cert, "L3.role.staff") == (0, False)
    assert rule(cert, "L3.role.boss") == (1, True)
    data = responses_data()
    data["respondents"][1]["role"] = "boss"  # two respondents, but no staff
    result, _ = scored(inputs, data)
    assert result.certification is not None
    assert rule(result.certification, "L3.respondents") == (2, True)
    assert rule(result.certification, "L3.role.staff") == (0, False)


def test_award_needs_every_lower_level(inputs: Inputs, base: tuple[AssessmentResult, Any]) -> None:
    """Level 3's figures all pass, but level 2 fails on its own rule: nothing is awarded."""
    rules = json.loads(json.dumps(RULES))
    rules["levels"][0]["min_element_index"] = 2.2
    rules["levels"][1]["min_element_index"] = 2.2
    cert = verdict(inputs, base, elements={"people": 2.19})
    assert cert.awarded == 2  # sanity with the default rules
    q, fw = inputs
    result, resp = base
    fw2 = fw.model_copy(update={"certification": fw.certification.model_validate(rules)})  # type: ignore[union-attr]
    cert2 = certify(tweak(result, elements={"people": 2.19}), resp, q, fw2)
    assert cert2 is not None and cert2.awarded is None


@settings(max_examples=60, deadline=None)
@given(
    index=st.floats(1.0, 5.0),
    level=st.integers(1, 5),
    people=st.floats(1.0, 5.0),
    coverage=st.floats(0.0, 1.0),
)
def test_award_never_exceeds_the_gated_level(
    inputs: Inputs,
    base: tuple[AssessmentResult, Any],
    index: float,
    level: int,
    people: float,
    coverage: float,
) -> None:
    cert = verdict(
        inputs,
        base,
        index=round(index, 2),
        level=level,
        coverage=round(coverage, 4),
        elements={"people": round(people, 2)},
    )
    assert cert.awarded is None or cert.awarded <= level
    awarded = [lv.level for lv in cert.levels if lv.passed]
    expected = None
    for lv in cert.levels:
        if not lv.passed:
            break
        expected = lv.level
    assert cert.awarded == expected and (expected is None or expected in awarded)


# --- the CLI ------------------------------------------------------------------------------


def test_score_table_names_the_certification(runner: CliRunner, fw_path: Path) -> None:
    args = ["score", str(MINI / "responses.yaml"), "--questionnaire"]
    args += [str(MINI / "questionnaire.yaml"), "--framework", str(fw_path)]
    res = runner.invoke(cli, [*args, "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "certification (rules 1.0.0, self-assessment): level 3 Three awarded" in res.output
    res = runner.invoke(cli, [*args, "--lang", "zh-CN"])
    assert "认证（规则 1.0.0，自评）：授予 3 级（三级）" in res.output


def test_cli_awarded_exit_0_table(runner: CliRunner, fw_path: Path) -> None:
    args = ["certify", str(MINI / "responses.yaml"), "--questionnaire"]
    args += [str(MINI / "questionnaire.yaml"), "--framework", str(fw_path)]
    res = runner.invoke(cli, [*args, "--lang", "en"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[1:5] == [
        "Certification level awarded: 3 Three",
        "Self-assessment — not an external certification",
        "Scored answers backed by evidence: 1 of 10",
        "Respondents who count: 2 of 2 (a scored or N/A answer to a scored question)",
    ]
    assert lines[6:8] == [
        "level  rule                                     required  actual  result",
        "-----  ---------------------------------------  --------  ------  ------",
    ]
    assert "3      answers backed by evidence                    10%     10%  pass" in lines
    assert "4      answers backed by evidence                    20%     10%  FAIL" in lines
    assert "4      named assessor                                  ✓    none  FAIL" in lines
    assert len(lines) == 8 + 6 + 11 + 12
    res = runner.invoke(cli, [*args, "--lang", "zh-CN"])
    assert res.exit_code == 0 and "授予认证等级：3 三级" in res.output


def test_cli_none_awarded_exit_1_still_prints(
    runner: CliRunner, fw_path: Path, tmp_path: Path
) -> None:
    data = responses_data()
    data["respondents"] = [
        {"id": "al", "role": "boss", "answers": {"q1": 1, "q2": 1, "q3": "no", "q4": 20}}
    ]
    path = write_yaml(tmp_path / "low.yaml", data)
    args = ["certify", str(path), "--questionnaire", str(MINI / "questionnaire.yaml")]
    args += ["--framework", str(fw_path), "--format", "json", "--lang", "en"]
    res = runner.invoke(cli, args)
    assert res.exit_code == 1
    assert res.stderr.strip() == "no certification level awarded: see the rules marked FAIL"
    out = json.loads(res.stdout)
    assert out["certification"]["awarded"] is None
    assert rule(CertificationResult.model_validate(out["certification"]), "L2.overall-index") == (
        1.0,
        False,
    )
    assert set(out) == {
        "certification",
        "date",
        "framework",
        "organization",
        "questionnaire",
        "responses",
    }
    again = runner.invoke(cli, args)
    assert again.stdout == res.stdout  # deterministic


def test_cli_framework_without_rules_exit_2(runner: CliRunner) -> None:
    args = ["certify", str(MINI / "responses.yaml"), "--questionnaire"]
    args += [str(MINI / "questionnaire.yaml"), "--framework", str(MINI / "framework.yaml")]
    res = runner.invoke(cli, args)
    assert res.exit_code == 2
    assert (
        res.stderr.strip() == "mini: certification: this framework publishes no certification rules"
    )


# --- bad rules are located ------------------------------------------------------------------


def test_bad_rules_are_located(tmp_path: Path) -> None:
    rules = json.loads(json.dumps(RULES))
    lv2, lv3, lv4 = rules["levels"]
    lv2["min_overall_index"] = 1.5  # below level 2's own min_index 1.8
    lv3["element_minimums"] = {"sales": 3.0}
    lv3["required_criteria"] = [{"criterion": "s-nothing", "min_level": 3}]
    lv4["min_coverage"] = 0.7  # below level 3's 0.8
    lv4["required_roles"] = ["boss"]
    lv4["required_criteria"] = []
    lv4["external_assessor"] = False
    rules["levels"] = [lv2, lv3, lv4]
    path = cert_framework_file(tmp_path, rules)
    with pytest.raises(InputError) as exc:
        load_framework(path)
    f = str(path.resolve())
    assert exc.value.lines() == [
        f"{f}: certification.levels[0].min_overall_index: 1.5 is below level 2's own min_index 1.8",
        f"{f}: certification.levels[1].element_minimums.sales: unknown element 'sales'",
        f"{f}: certification.levels[1].required_criteria[0].criterion: unknown criterion"
        " 's-nothing'",
        f"{f}: certification.levels[2].min_coverage: 0.7 is below level 3's 0.8",
        f"{f}: certification.levels[2].required_criteria: must require s-nothing at level 3"
        " or higher, as level 3 does",
        f"{f}: certification.levels[2].required_roles: drops level 3's role(s) staff",
    ]


def test_levels_out_of_order_and_element_minimum_weaker(tmp_path: Path) -> None:
    rules = json.loads(json.dumps(RULES))
    rules["levels"] = [rules["levels"][1], rules["levels"][0]]
    with pytest.raises(InputError) as exc:
        load_framework(cert_framework_file(tmp_path, rules))
    assert exc.value.lines()[0].endswith(
        "certification.levels: Value error, certification levels must be unique and in"
        " increasing order"
    )
    rules = json.loads(json.dumps(RULES))
    rules["levels"][2]["element_minimums"] = {"service": 2.9}
    with pytest.raises(InputError) as exc:
        load_framework(cert_framework_file(tmp_path, rules))
    assert [line.split(": ", 1)[1] for line in exc.value.lines()] == [
        "certification.levels[2].element_minimums.service: service needs 2.9, below level 3's 3"
    ]


# --- the report page ------------------------------------------------------------------------


def test_report_page_self_assessment_and_assessor(inputs: Inputs) -> None:
    q, fw = inputs
    result, _ = scored(inputs, responses_data())
    en = render_report(result, fw, q, lang="en", fmt="html").decode()
    assert 'id="certification"' in en and 'href="#certification"' in en
    assert "Self-assessment — not an external certification" in en
    assert "Certification level awarded: Level 3 · Three" in en
    assert "Rules version 1.0.0 (mini 0.1.0)" in en
    assert result.responses.sha256 in en.split('id="certification"')[1]
    zh = render_report(result, fw, q, lang="zh-CN", fmt="md").decode()
    assert "**自评，并非外部认证**" in zh and "授予认证等级：3 级·三级" in zh
    result, _ = scored(inputs, responses_data(assessor="Dr. Wu"))
    en = render_report(result, fw, q, lang="en", fmt="md").decode()
    assert "**Assessed by Dr. Wu**" in en and "Self-assessment — not" not in en


def test_no_page_without_rules() -> None:
    q, fw = load_questionnaire(MINI / "questionnaire.yaml", str(MINI / "framework.yaml"))
    loaded = parse_responses((MINI / "responses.yaml").read_bytes(), "r.yaml")
    result = assess(loaded, q, fw)
    assert result.certification is None
    html = render_report(result, fw, q, lang="en", fmt="html").decode()
    assert 'id="certification"' not in html


# --- the published rules --------------------------------------------------------------------


def test_docs_publish_the_builtin_rules(runner: CliRunner) -> None:
    from frameworks.certdoc import rules_markdown

    doc = (Path(__file__).parent.parent / "docs" / "certification.md").read_text("utf-8")
    table = rules_markdown(load_framework("crm-maturity"))
    assert table in doc, "docs/certification.md differs: run `crmm framework rules crm-maturity`"
    res = runner.invoke(cli, ["framework", "rules", "crm-maturity"])
    assert res.exit_code == 0 and res.output == table


# --- framework diff -------------------------------------------------------------------------


def modified_copy(tmp: Path) -> Path:
    """The built-in framework with a new version, a weight, a criterion in and one out, a rule."""
    import shutil

    from frameworks.loader import builtin_dir

    root = tmp / "crm-maturity-1.1"
    shutil.copytree(builtin_dir() / "crm-maturity", root)
    head = load_yaml(root / "framework.yaml")
    head["version"] = "1.2.0"
    head["certification"]["version"] = "1.3.0"
    lv3 = head["certification"]["levels"][1]
    lv3["min_evidence_share"] = 0.35
    lv3["required_roles"] = ["leadership", "service", "sales"]
    head["certification"]["levels"][2]["accepted_evidence"]["min_level"] = 3
    write_yaml(root / "framework.yaml", head)
    ops = load_yaml(root / "elements" / "operations.yaml")
    crit = {c["id"]: c for c in ops["criteria"]}
    crit["ops-complaints"]["weight"] = 2
    new = dict(crit["ops-welcoming"], id="ops-referrals")
    ops["criteria"] = [c for c in ops["criteria"] if c["id"] != "ops-winback"] + [new]
    write_yaml(root / "elements" / "operations.yaml", ops)
    recs = load_yaml(root / "recommendations" / "operations.yaml")
    recs["actions"] = [a for a in recs["actions"] if a["criterion"] != "ops-winback"]
    write_yaml(root / "recommendations" / "operations.yaml", recs)
    return root


def test_framework_diff_table(runner: CliRunner, tmp_path: Path) -> None:
    root = modified_copy(tmp_path)
    old, new = load_framework("crm-maturity"), load_framework(root)
    res = runner.invoke(cli, ["framework", "diff", "crm-maturity", str(root)])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    removed_actions = [a.id for a in old.actions if a.criterion == "ops-winback"]
    assert lines[0] == "crm-maturity 1.1.0 → crm-maturity 1.2.0"
    assert lines[1].endswith(f"actions {len(old.actions)} → {len(new.actions)}")
    body = [" ".join(line.split()) for line in lines[4:]]
    assert body[:8] == [
        "changed framework crm-maturity version 1.1.0 → 1.2.0",
        "changed criterion ops-complaints weight 1 → 2",
        "removed criterion ops-winback element operations → -",
        "added criterion ops-referrals element - → operations",
        "changed certification certification version 1.2.0 → 1.3.0",
        "changed certification level 3 min_evidence_share 0.3 → 0.35",
        "added certification level 3 required_roles.sales - → sales",
        "changed certification level 4 accepted_evidence.min_level 4 → 3",
    ]
    assert body[8:] == [f"removed action {a} criterion ops-winback → -" for a in removed_actions]
    assert lines[2] == (
        f"{len(body)} changes: 2 added, {1 + len(removed_actions)} removed, 5 changed"
    )


def test_framework_diff_json_md_and_identical(runner: CliRunner, tmp_path: Path) -> None:
    root = modified_copy(tmp_path)
    res = runner.invoke(cli, ["framework", "diff", "crm-maturity", str(root), "--format", "json"])
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert data["old"]["version"] == "1.1.0" and data["new"]["version"] == "1.2.0"
    assert {
        "change": "changed",
        "section": "criterion",
        "id": "ops-complaints",
        "field": "weight",
        "old": 1.0,
        "new": 2.0,
    } in data["changes"]
    res = runner.invoke(cli, ["framework", "diff", "crm-maturity", str(root), "--format", "md"])
    assert res.exit_code == 0
    assert "| changed | criterion | ops-complaints | weight | 1 | 2 |" in res.output
    res = runner.invoke(cli, ["framework", "diff", "crm-maturity", "crm-maturity"])
    assert res.exit_code == 0
    assert res.output.splitlines()[2] == "0 changes: 0 added, 0 removed, 0 changed"


def test_readme_table_matches_the_builtin_rules() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    fw = load_framework("crm-maturity")
    assert fw.certification is not None
    for lv in fw.certification.levels:
        name = fw.levels[lv.level - 1].name.en
        row = next(
            line for line in readme.splitlines() if line.startswith(f"| {lv.level} {name} |")
        )
        cells = [c.strip() for c in row.split("|")[1:-1]]
        assert cells[1] == f"≥ {lv.min_overall_index:.2f}"
        assert cells[2].startswith(f"≥ {lv.min_element_index:.2f}")
        for eid, v in lv.element_minimums.items():
            assert f"{eid} ≥ {v:.2f}" in cells[2]
        assert cells[3] == f"≥ {lv.min_coverage * 100:g} %"
        share = lv.min_evidence_share
        assert cells[4] == (f"≥ {share * 100:g} %" if share else "–")
        assert cells[5].startswith(f"≥ {lv.min_respondents}")
