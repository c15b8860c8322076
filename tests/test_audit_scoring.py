"""Intention and reality, assessor ratings and workshops in the scores (issue 14 §1, §2).

Expected figures are worked out by hand from tests/fixtures/two-dimensions (anchored level
n scores (n − 1) × 25; a workshop's answers weigh scoring.workshop_weight = 2) or, for the
one-dimension examples, were recorded from main before intention and reality existed."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.dimensions import combine, gap, gap_findings
from assessment.engine import assess, result_json
from assessment.responses import parse_responses
from frameworks.errors import InputError
from frameworks.model import CriterionRule
from questionnaires.loader import load_questionnaire

from .conftest import ROOT, load_yaml

TD = ROOT / "tests" / "fixtures" / "two-dimensions"


def score(
    tmp_path: Path,
    responses: dict[str, Any] | None = None,
    framework: dict[str, Any] | None = None,
    example: Path = TD,
) -> dict[str, Any]:
    """The result JSON of `example` with its responses or framework replaced."""
    fw_path = example / "framework.yaml"
    if framework is not None:
        fw_path = tmp_path / "framework.yaml"
        fw_path.write_text(yaml.safe_dump(framework, allow_unicode=True), "utf-8")
    q, fw = load_questionnaire(str(example / "questionnaire.yaml"), str(fw_path))
    data = responses if responses is not None else load_yaml(example / "responses.yaml")
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
    out: dict[str, Any] = json.loads(result_json(assess(parse_responses(raw, "r.yaml"), q, fw)))
    return out


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {x["id"]: x for x in items}


def responses() -> dict[str, Any]:
    return load_yaml(TD / "responses.yaml")


def framework() -> dict[str, Any]:
    return load_yaml(TD / "framework.yaml")


def no_trail() -> dict[str, Any]:
    data = responses()
    data["assessor_ratings"] = []
    return data


# --- intention, reality, combination, gap -----------------------------------------------


def test_each_dimension_the_minimum_rule_and_the_gaps(tmp_path: Path) -> None:
    out = score(tmp_path)
    c = by_id(out["criteria"])
    # criterion: (intention, reality, score, gap, overridden)
    assert {
        k: (v["intention"], v["reality"], v["score"], v["gap"], v["overridden"])
        for k, v in c.items()
    } == {
        # intention: the manager's 4 = 75; reality (3, 3, 4, workshop 3 ×2) = 275 / 5 = 55
        "f-welcome": (75.0, 55.0, 55.0, 20.0, []),
        # reality rated 3 (before 29.17 = mean(25, 33.33)), then 2 = 25.00
        "f-waiting": (50.0, 25.0, 25.0, 25.0, ["reality"]),
        # reality (3, 2, workshop 2 ×2) = 125 / 4 = 31.25
        "c-followup": (75.0, 31.25, 31.25, 43.75, []),
        # reality (3, 2, 2, workshop 1 ×2) = 100 / 5 = 20; the score rated 1 = 0
        "c-complaints": (75.0, 20.0, 0.0, 55.0, ["score"]),
    }
    e = by_id(out["elements"])
    assert (e["front"]["intention"], e["front"]["reality"], e["front"]["gap"]) == (62.5, 40.0, 22.5)
    # care: c-complaints weight 1, c-followup weight 2
    assert (e["care"]["intention"], e["care"]["reality"], e["care"]["gap"]) == (75.0, 27.5, 47.5)
    assert (e["front"]["score"], e["care"]["score"]) == (40.0, 20.83)
    assert (out["overall"]["score"], out["overall"]["index"]) == (27.22, 2.09)


def test_formulas_show_each_dimension_the_rating_and_the_rule(tmp_path: Path) -> None:
    c = by_id(score(tmp_path)["criteria"])
    assert c["f-welcome"]["formula"] == (
        "intention (75.00×1) / (1) = 75.00; reality (55.00×1) / (1) = 55.00;"
        " score = min(intention 75.00, reality 55.00) = 55.00"
    )
    assert c["f-waiting"]["formula"] == (
        "intention (50.00×1) / (1) = 50.00; reality = assessor rating 2 = 25.00;"
        " score = min(intention 50.00, reality 25.00) = 25.00"
    )
    assert c["c-complaints"]["formula"].startswith(
        "assessor rating 1 = 0.00 (replaces 20.00: intention (75.00×1) / (1) = 75.00;"
    )


def test_the_weighted_rule(tmp_path: Path) -> None:
    fw = framework()
    fw["dimensions"]["criterion_score"] = {
        "rule": "weighted",
        "weights": {"intention": 1, "reality": 3},
    }
    c = by_id(score(tmp_path, no_trail(), fw)["criteria"])
    # (75×1 + 55×3) / 4 = 60
    assert c["f-welcome"]["score"] == 60.0
    assert c["f-welcome"]["formula"].endswith("score = (75.00×1 + 55.00×3) / (1 + 3) = 60.00")
    # (50×1 + 29.1666…×3) / 4 = 34.375 → 34.38 (from the unrounded reality)
    assert c["f-waiting"]["score"] == 34.38
    assert c["f-waiting"]["reality"] == 29.17


def test_a_criterion_scored_on_one_dimension_takes_it(tmp_path: Path) -> None:
    data = no_trail()
    mgr = data["respondents"][0]
    del mgr["answers"]["i-followup"]
    out = score(tmp_path, data)
    c = by_id(out["criteria"])["c-followup"]
    assert (c["intention"], c["reality"], c["score"], c["gap"]) == (None, 31.25, 31.25, None)
    assert c["formula"].endswith("score = reality only = 31.25")
    care = by_id(out["elements"])["care"]
    # intention from c-complaints alone; the gap of the criteria scored on both (c-complaints)
    assert (care["intention"], care["reality"], care["gap"]) == (75.0, 27.5, 55.0)


def test_the_gap_findings_follow_finding_gap(tmp_path: Path) -> None:
    from assessment.result import AssessmentResult
    from frameworks.loader import load_framework

    fw = load_framework(str(TD / "framework.yaml"))
    result = AssessmentResult.model_validate(score(tmp_path))
    # finding_gap 20: every criterion's gap is at least 20, the largest first
    assert [c.id for c in gap_findings(result.criteria, fw)] == [
        "c-complaints",
        "c-followup",
        "f-waiting",
        "f-welcome",
    ]
    fw2 = fw.model_copy(
        update={"dimensions": fw.dimensions.model_copy(update={"finding_gap": 25.0})}
    )  # type: ignore[union-attr]
    assert [c.id for c in gap_findings(result.criteria, fw2)] == [
        "c-complaints",
        "c-followup",
        "f-waiting",
    ]


def test_recommendation_kinds(tmp_path: Path) -> None:
    out = score(tmp_path)
    kinds = {r["criterion"]: r["kind"] for r in out["recommendations"]["items"]}
    # target level 3 (overall 2 + 1): every intention is 50 or 75 (index 3 or 4, level 3
    # or more): intended, not yet real
    assert kinds == {
        "c-complaints": "implement-and-embed",
        "c-followup": "implement-and-embed",
        "f-waiting": "implement-and-embed",
    }
    data = no_trail()
    data["respondents"][0]["answers"]["i-followup"] = 2  # intention 25: index 2, level 2
    kinds = {r["criterion"]: r["kind"] for r in score(tmp_path, data)["recommendations"]["items"]}
    assert kinds["c-followup"] == "decide-and-communicate"


# --- one-dimension frameworks -----------------------------------------------------------

# Recorded from main at 457f06d, before intention and reality existed.
BEFORE = {
    "mini": {
        "criteria": {
            "p-skills": [50.0, 3, 1.0],
            "p-reward": [50.0, 3, 1.0],
            "s-complaints": [62.5, 4, 1.0],
            "s-retention": [70.0, 4, 1.0],
        },
        "elements": {"people": [50.0, 3.0, 3, "scored"], "service": [65.0, 3.6, 4, "scored"]},
        "overall": [61.25, 3.45, 4, 1.0],
    },
    "audit": {
        "criteria": {
            "gov-charter": [42.4, 3, 1.0],
            "ops-planning": [62.5, 4, 1.0],
            "ops-tools": [50.0, 3, 1.0],
            "rep-committee": [62.5, 4, 1.0],
        },
        "elements": {
            "governance": [42.4, 2.7, 3, "scored"],
            "operations": [56.25, 3.25, 3, "scored"],
            "reporting": [62.5, 3.5, 4, "scored"],
        },
        "overall": [54.35, 3.17, 3, 1.0],
    },
}


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_one_dimension_frameworks_score_as_before(name: str, tmp_path: Path) -> None:
    example = ROOT / "examples" / name
    out = score(tmp_path, example=example)
    want = BEFORE[name]
    assert {c["id"]: [c["score"], c["level"], c["coverage"]] for c in out["criteria"]} == want[
        "criteria"
    ]
    assert {
        e["id"]: [e["score"], e["index"], e["level"], e["status"]] for e in out["elements"]
    } == want["elements"]
    o = out["overall"]
    assert [o["score"], o["index"], o["level"], o["coverage"]] == want["overall"]
    for c in out["criteria"]:
        assert (c["intention"], c["reality"], c["gap"], c["overridden"]) == (None, None, None, [])
    assert out["overrides"] == []
    assert all(r["kind"] is None for r in out["recommendations"]["items"])


# --- assessor ratings ---------------------------------------------------------------------


def test_overrides_in_the_result(tmp_path: Path) -> None:
    out = score(tmp_path)
    assert out["overrides"] == [
        {
            "criterion": "c-complaints",
            "dimension": None,
            "rating": 1,
            "before": 20.0,
            "after": 0.0,
            "by": "周慧敏 (lead assessor)",
            "at": "2026-11-20T11:40:00+08:00",
            "reason": "投诉登记表自三月起无人填写，口头处理无记录；现实与规定不符。",
            "evidence": ["ev-02"],
            "entries": 1,
        },
        {
            "criterion": "f-waiting",
            "dimension": "reality",
            "rating": 2,
            "before": 29.17,  # what the answers gave, before the first of its two entries
            "after": 25.0,
            "by": "周慧敏 (lead assessor)",
            "at": "2026-11-21T09:05:00+08:00",
            "reason": "复核排队系统：数据只覆盖上午门诊，下午等待更久。",
            "evidence": ["ev-02"],
            "entries": 2,
        },
    ]


def test_without_the_trail_the_answers_count(tmp_path: Path) -> None:
    c = by_id(score(tmp_path, no_trail())["criteria"])
    assert (c["f-waiting"]["reality"], c["f-waiting"]["score"]) == (29.17, 29.17)
    assert c["c-complaints"]["score"] == 20.0
    assert all(x["overridden"] == [] for x in c.values())


def rating(
    criterion: str, r: int, before: float | None, at: str, dimension: str | None = None
) -> dict[str, Any]:
    entry: dict[str, Any] = {"criterion": criterion, "rating": r, "before": before}
    if dimension:
        entry["dimension"] = dimension
    return {
        **entry,
        "reason": "复核",
        "evidence": ["ev-01"],
        "by": "周慧敏",
        "at": f"2026-11-2{at}+08:00",
    }


def test_a_score_rating_then_a_dimension_rating_of_the_same_criterion(tmp_path: Path) -> None:
    """The score rated first (before: what the answers give), then its reality: the score
    stays the rating's; the reality entry's before is the answers' reality."""
    data = no_trail()
    data["assessor_ratings"] = [
        rating("f-welcome", 4, 55.0, "0T10:00:00"),
        rating("f-welcome", 2, 55.0, "0T11:00:00", "reality"),
    ]
    c = by_id(score(tmp_path, data)["criteria"])["f-welcome"]
    assert (c["intention"], c["reality"], c["score"], c["gap"]) == (75.0, 25.0, 75.0, 50.0)
    assert c["overridden"] == ["score", "reality"]
    # the other order: the reality first; the score's before is then min(75, 25) = 25
    data["assessor_ratings"] = [
        rating("f-welcome", 2, 55.0, "0T10:00:00", "reality"),
        rating("f-welcome", 4, 25.0, "0T11:00:00"),
    ]
    c = by_id(score(tmp_path, data)["criteria"])["f-welcome"]
    assert (c["reality"], c["score"], c["overridden"]) == (25.0, 75.0, ["score", "reality"])


def test_a_before_the_answers_no_longer_give_is_refused(tmp_path: Path) -> None:
    data = responses()
    data["respondents"][0]["answers"]["p-waiting"] = 5  # reality moves from 29.17
    with pytest.raises(InputError) as exc:
        score(tmp_path, data)
    assert exc.value.lines() == [
        "r.yaml: assessor_ratings[0].before: 29.17 recorded, but the answers give 37.50:"
        " they changed after the rating; review it and record what it replaces"
    ]


def test_a_chained_before_must_be_what_the_entry_above_set(tmp_path: Path) -> None:
    data = responses()
    data["assessor_ratings"][2]["before"] = 29.17  # the entry above set 50.00
    with pytest.raises(InputError) as exc:
        score(tmp_path, data)
    assert exc.value.lines() == [
        "r.yaml: assessor_ratings[2].before: 29.17 recorded, but the entries above it and the"
        " answers give 50.00"
    ]


# --- workshops ------------------------------------------------------------------------------


def test_a_workshop_weighs_scoring_workshop_weight(tmp_path: Path) -> None:
    out = score(tmp_path, no_trail())
    q = by_id(out["questions"])
    assert q["r-welcome"]["score"] == 55.0
    assert q["r-welcome"]["formula"] == (
        "weighted mean (50.00×1 + 50.00×1 + 75.00×1 + 50.00×2) / (1 + 1 + 1 + 2) = 55.00"
    )
    ws = by_id(out["respondents"])["ws-1"]
    assert (ws["kind"], ws["participants"], ws["weight"]) == ("workshop", 3, 2.0)
    fw = framework()
    fw["scoring"]["workshop_weight"] = 1
    q = by_id(score(tmp_path, no_trail(), fw)["questions"])
    # (50 + 50 + 75 + 50) / 4
    assert q["r-welcome"]["score"] == 56.25
    assert q["r-welcome"]["formula"] == "mean(50.00, 50.00, 75.00, 50.00) = 56.25"


# --- properties -----------------------------------------------------------------------------

finite = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(finite, finite)
def test_minimum_is_at_most_both(i: float, r: float) -> None:
    c = combine(i, r, CriterionRule(rule="minimum"))
    assert c <= i and c <= r and c in (i, r)


@given(finite, finite, st.integers(1, 9), st.integers(1, 9))
def test_weighted_lies_between(i: float, r: float, wi: int, wr: int) -> None:
    rule = CriterionRule(rule="weighted", weights={"intention": wi, "reality": wr})
    c = combine(i, r, rule)
    assert min(i, r) - 1e-9 <= c <= max(i, r) + 1e-9


cents = st.integers(0, 10000).map(lambda n: n / 100)


@given(cents, cents)
def test_gap_is_intention_minus_reality_to_the_cent(i: float, r: float) -> None:
    g = gap(i, r)
    assert g is not None
    assert round(g * 100) == round(i * 100) - round(r * 100)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    level=st.integers(1, 5),
    other=st.integers(1, 5),
    target=st.sampled_from(
        [("c-followup", None), ("c-followup", "reality"), ("f-welcome", "intention")]
    ),
)
def test_overriding_then_restoring_gives_the_same_scores(
    tmp_path: Path, level: int, other: int, target: tuple[str, str | None]
) -> None:
    """Every anchored answer at `level`: each figure is (level − 1) × 25; an assessor rates
    the target `other`, then `level` again: every score is as without the trail."""
    data = no_trail()
    for p in data["respondents"]:
        for qid in list(p["answers"]):
            if qid.startswith(("i-", "r-")):
                p["answers"][qid] = level
            elif qid.startswith("p-"):
                del p["answers"][qid]
    plain = score(tmp_path, copy.deepcopy(data))
    criterion, dim = target
    same = (level - 1) * 25.0
    data["assessor_ratings"] = [
        rating(criterion, other, same, "0T10:00:00", dim),
        rating(criterion, level, (other - 1) * 25.0, "0T11:00:00", dim),
    ]
    rated = score(tmp_path, data)

    def figures(out: dict[str, Any]) -> Any:
        return (
            [(c["score"], c["intention"], c["reality"], c["gap"]) for c in out["criteria"]],
            [(e["score"], e["gap"]) for e in out["elements"]],
            out["overall"]["score"],
        )

    assert figures(rated) == figures(plain)
