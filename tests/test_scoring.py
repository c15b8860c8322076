"""Scoring by hand-computed examples: aggregation, N/A, coverage, gating, determinism."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.cli import cli
from assessment.engine import assess, result_json
from assessment.responses import parse_responses
from assessment.result import AssessmentResult
from frameworks.loader import load_framework
from questionnaires.loader import load_questionnaire

from .conftest import MINI, load_yaml, mini_args, write_yaml


def score(data: dict[str, Any]) -> AssessmentResult:
    q, fw = load_questionnaire(MINI / "questionnaire.yaml", MINI / "framework.yaml")
    raw = yaml.safe_dump(data, allow_unicode=True).encode()
    return assess(parse_responses(raw, "responses.yaml"), q, fw)


def by_id(items: list[Any]) -> dict[str, Any]:
    return {i.id: i for i in items}


def test_hand_computed_example(mini_responses: dict[str, Any]) -> None:
    r = score(mini_responses)
    qs = by_id(r.questions)
    assert qs["q1"].score == 50.0 and qs["q1"].std == 25.0 and qs["q1"].n == 2
    assert qs["q4"].score == 37.5  # 4 days → level 3 (50), 6 days → level 2 (25)
    assert qs["q6"].score == 90.0  # 80 and a capped 120 → 100
    assert qs["q2"].not_applicable == 1 and qs["q2"].n == 1
    crit = by_id(r.criteria)
    assert crit["s-complaints"].score == 62.5
    assert crit["s-retention"].score == 70.0
    el = by_id(r.elements)
    assert (el["people"].score, el["people"].index, el["people"].level) == (50.0, 3.0, 3)
    assert (el["service"].score, el["service"].index, el["service"].level) == (65.0, 3.6, 4)
    assert (r.overall.score, r.overall.index, r.overall.level) == (61.25, 3.45, 4)
    assert "(50.00×1 + 65.00×3) / (1 + 3) = 61.25" in r.overall.formula


def test_na_for_everyone_renormalises_weights(mini_responses: dict[str, Any]) -> None:
    # s-complaints: q3 (weight 2) becomes N/A for both → criterion = q4 alone = 37.5
    for person in mini_responses["respondents"]:
        person["answers"]["q4"] = "na"
    mini_responses["respondents"][0]["answers"]["q3"] = "partly"
    r = score(mini_responses)
    assert by_id(r.questions)["q4"].score is None
    assert by_id(r.criteria)["s-complaints"].score == 75.0
    # q4 is not applicable: it leaves coverage (numerator and denominator alike); its
    # effective weight in service, 1/3 × 2/3 = 2/9, is the element's N/A share
    service = by_id(r.elements)["service"]
    assert service.coverage == 1.0 and service.status == "scored"
    assert service.na_share == 0.2222 and not service.mostly_not_applicable
    assert by_id(r.criteria)["s-complaints"].coverage == 1.0


def test_low_coverage_makes_element_insufficient_and_gates(
    mini_responses: dict[str, Any],
) -> None:
    # Only q1 answered in people → coverage 0.5 (p-skills share) ≥ 0.5 minimum → still scored
    for person in mini_responses["respondents"]:
        person["answers"].pop("q2", None)
    r = score(mini_responses)
    assert by_id(r.elements)["people"].status == "scored"
    assert by_id(r.elements)["people"].coverage == 0.5
    # Nothing in people → insufficient, counts as level 1, caps overall at 2
    for person in mini_responses["respondents"]:
        person["answers"].pop("q1", None)
    r = score(mini_responses)
    people = by_id(r.elements)["people"]
    assert people.status == "insufficient" and people.score is None
    assert r.overall.score == 65.0  # only service is scored
    assert r.overall.gating is not None
    assert r.overall.gating.level_by_index == 4
    assert r.overall.gating.applied and r.overall.level == 2


def test_gating_caps_at_weakest_plus_one(mini_responses: dict[str, Any]) -> None:
    for person in mini_responses["respondents"]:
        a = person["answers"]
        a.update({"q1": 1, "q2": 1, "q3": "yes", "q4": 0.5, "q6": ["phone", "web", "app"]})
        if person["role"] == "boss":
            a["q5"] = "high"
    r = score(mini_responses)
    assert by_id(r.elements)["people"].level == 1
    assert by_id(r.elements)["service"].level == 5
    # overall = (0 × 1 + 100 × 3) / 4 = 75 → index 4.0 → level 4 by index, capped at 1 + 1
    assert r.overall.score == 75.0 and r.overall.gating is not None
    assert r.overall.gating.level_by_index == 4 and r.overall.level == 2


def test_role_weights(mini_responses: dict[str, Any]) -> None:
    mini_responses["role_weights"] = {"boss": 3}
    r = score(mini_responses)
    # q1: (75 × 3 + 25 × 1) / 4 = 62.5
    assert by_id(r.questions)["q1"].score == 62.5


def test_recommendations_prioritised_and_grouped(mini_responses: dict[str, Any]) -> None:
    recs = score(mini_responses).recommendations
    assert recs.target_level == 5
    assert [(i.criterion, i.priority) for i in recs.items] == [
        ("s-complaints", 0.75),
        ("s-retention", 0.75),
        ("p-reward", 0.5),
        ("p-skills", 0.5),
    ]
    assert [p.phase for p in recs.roadmap] == ["plan", "build"]


def test_recommendations_pick_actions_between_level_and_target(
    mini_responses: dict[str, Any],
) -> None:
    for person in mini_responses["respondents"]:
        person["answers"]["q1"] = 1
    r = score(mini_responses)
    # people = (0 + 50) / 2 = 25 → level 2; overall = (25 + 65 × 3) / 4 = 55 → index 3.2 → 3
    assert r.overall.level == 3
    item = next(i for i in r.recommendations.items if i.criterion == "p-skills")
    assert (item.current_level, item.target_level, item.gap) == (1, 4, 3)
    assert [a.id for a in item.actions] == ["p-skills-2", "p-skills-3"]
    assert r.recommendations.roadmap[0].actions[0] == "p-skills-2"  # quick win first


def test_json_is_deterministic_and_carries_inputs(mini_responses: dict[str, Any]) -> None:
    a = result_json(score(mini_responses))
    b = result_json(score(mini_responses))
    assert a == b
    data = json.loads(a)
    assert data["framework"]["id"] == "mini" and data["framework"]["version"] == "0.1.0"
    assert data["questionnaire"]["id"] == "mini-q"
    assert len(data["responses"]["sha256"]) == 64
    assert list(data) == sorted(data)


LEVEL_VALUES = st.sampled_from([1, 2, 3, 4, 5, "na"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answers=st.lists(
        st.fixed_dictionaries(
            {
                "q1": LEVEL_VALUES,
                "q2": LEVEL_VALUES,
                "q3": st.sampled_from(["yes", "partly", "no"]),
                "q4": st.floats(min_value=0, max_value=30, allow_nan=False),
                "q6": st.lists(st.sampled_from(["phone", "web", "app"]), unique=True, min_size=1),
            }
        ),
        min_size=1,
        max_size=5,
    )
)
def test_invariants(answers: list[dict[str, Any]]) -> None:
    data = load_yaml(MINI / "responses.yaml")
    data["respondents"] = [
        {"id": f"r{i}", "role": "staff", "answers": a} for i, a in enumerate(answers)
    ]
    r = score(data)
    _q, fw = load_questionnaire(MINI / "questionnaire.yaml", MINI / "framework.yaml")
    for item in [*r.questions, *r.criteria, *r.elements]:
        if item.score is not None:
            assert 0.0 <= item.score <= 100.0
    for e in r.elements:
        if e.index is not None:
            assert 1.0 <= e.index <= 5.0 and e.level == fw.level_for(e.index).level
    if r.overall.level is not None:
        assert r.overall.index is not None and r.overall.gating is not None
        assert r.overall.level <= fw.level_for(r.overall.index).level
        assert r.overall.level <= r.overall.gating.weakest_level + 1
    # the order of respondents never changes a score
    data["respondents"].reverse()
    r2 = score(data)
    assert [x.score for x in r2.criteria] == [x.score for x in r.criteria]
    assert r2.overall == r.overall


def test_result_file_name_not_path(mini_responses: dict[str, Any], tmp_path: Path) -> None:
    r = score(mini_responses)
    assert r.responses.file == "responses.yaml"


def test_role_weights_by_element(mini_responses: dict[str, Any]) -> None:
    """boss answers count 3 on the people element only; elsewhere 1 ("default")."""
    fw = load_framework(MINI / "framework.yaml")
    element_of_q1 = fw.element_of[by_id(score(mini_responses).questions)["q1"].criterion].id
    other = next(e.id for e in fw.elements if e.id != element_of_q1)
    mini_responses["role_weights"] = {"boss": {element_of_q1: 3, "default": 1}}
    weighted = by_id(score(mini_responses).questions)
    # q1: (75 × 3 + 25 × 1) / 4 = 62.5, as with a weight of 3 for every question
    assert weighted["q1"].score == 62.5
    mini_responses["role_weights"] = {"boss": {other: 3}}
    assert by_id(score(mini_responses).questions)["q1"].score == 50.0  # (75 + 25) / 2


def test_role_weights_name_known_elements(
    mini_responses: dict[str, Any], runner: Any, tmp_path: Any
) -> None:
    mini_responses["role_weights"] = {"boss": {"no-such-element": 2}}
    path = write_yaml(tmp_path / "r.yaml", mini_responses)
    out = runner.invoke(cli, ["score", str(path), *mini_args()])
    assert out.exit_code == 2
    assert "role_weights.boss.no-such-element: unknown element" in out.output
