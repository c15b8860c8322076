"""Agreement between respondents (assessment/agreement.py): hand-computed figures and
invariants."""

from __future__ import annotations

import math
import random
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.agreement import (
    RWG_CUTOFF,
    agreement,
    agreement_from_frame,
    agreement_from_result,
    icc,
    null_variance,
    rwg,
    rwg_j,
)
from assessment.engine import assess
from assessment.responses import check_responses, load_responses
from questionnaires.loader import load_questionnaire

from .conftest import MINI

Q, FW = load_questionnaire(MINI / "questionnaire.yaml", MINI / "framework.yaml")
LEVELS = [0.0, 25.0, 50.0, 75.0, 100.0]


def frame(rows: list[tuple[str, str, str, float | None]]) -> pd.DataFrame:
    """An answer table like scoring.answers_frame's: None is N/A."""
    return pd.DataFrame(
        [(p, role, q, math.nan if s is None else s, s is None) for p, role, q, s in rows],
        columns=["respondent", "role", "question", "score", "na"],
    )


def by_id(items: Any) -> dict[str, Any]:
    return {x.id: x for x in items}


# --- hand-computed examples ----------------------------------------------------------------

# Three respondents (mini questionnaire; q1 anchored 1-5, q3 yes/partly/no, q4 KPI scored on
# its five levels, q5 single choice, q6 multiple choice):
#   q1: 75, 25, 50    q3: 100, 100, 50    q4: 50, 50, 50    q6: 80, 100, 40    q5: one answer
EXAMPLE = frame(
    [
        ("a", "boss", "q1", 75.0),
        ("b", "staff", "q1", 25.0),
        ("c", "staff", "q1", 50.0),
        ("a", "boss", "q3", 100.0),
        ("b", "staff", "q3", 100.0),
        ("c", "staff", "q3", 50.0),
        ("a", "boss", "q4", 50.0),
        ("b", "staff", "q4", 50.0),
        ("c", "staff", "q4", 50.0),
        ("a", "boss", "q5", 50.0),
        ("a", "boss", "q6", 80.0),
        ("b", "staff", "q6", 100.0),
        ("c", "staff", "q6", 40.0),
        ("b", "staff", "q2", None),
    ]
)


def test_sd_and_rwg_by_hand() -> None:
    a = agreement_from_frame(EXAMPLE, Q, FW)
    qs = by_id(a.questions)
    # q1: mean (75 + 25 + 50) / 3 = 50; squared deviations 625 + 625 + 0 = 1250;
    # s² = 1250 / (3 − 1) = 625; sd (population, as the result's std) = √(1250 / 3) = 20.41.
    # Five options: σ²_EU = (5² − 1) / 12 = 2 on 1..5,
    # × 25² (the score step) = 1250 on 0-100. rwg = 1 − 625 / 1250 = 0.5.
    q1 = qs["q1"]
    assert (q1.n, q1.mean, q1.min, q1.max) == (3, 50.0, 25.0, 75.0)
    assert q1.sd == pytest.approx(math.sqrt(1250 / 3))
    assert (q1.options, q1.null_variance) == (5, 1250.0)
    assert q1.rwg == pytest.approx(0.5)
    assert q1.low  # 0.5 < 0.70
    # q3: mean 250 / 3 = 83.33; deviations 16.67, 16.67, −33.33 → squares sum 1666.67;
    # s² = 833.33. Three options: (3² − 1) / 12 = 0.667 × 50² = 1666.67. rwg = 1 − 0.5 = 0.5.
    assert qs["q3"].null_variance == pytest.approx(1666.6667, abs=1e-3)
    assert qs["q3"].sd == pytest.approx(math.sqrt(1666.6667 / 3), abs=1e-3)
    assert qs["q3"].rwg == pytest.approx(0.5)
    # q4: everyone 50 → s² = 0, rwg = 1.
    assert (qs["q4"].sd, qs["q4"].rwg, qs["q4"].low) == (0.0, 1.0, False)
    # q5: one answer; q6: multiple choice (no fixed option set); q2: only N/A.
    assert (qs["q5"].rwg, qs["q5"].reason, qs["q5"].sd) == (None, "one-answer", None)
    assert (qs["q6"].rwg, qs["q6"].reason) == (None, "no-discrete-scale")
    assert qs["q6"].sd == pytest.approx(
        math.sqrt(((80 - 220 / 3) ** 2 + (100 - 220 / 3) ** 2 + (40 - 220 / 3) ** 2) / 3)
    )
    assert (qs["q2"].n, qs["q2"].not_applicable, qs["q2"].mean) == (0, 1, None)
    # by role: boss answered 75 on q1; staff 25 and 50 → 37.5
    assert q1.by_role == {"boss": 75.0, "staff": 37.5}


def test_rwg_j_by_hand() -> None:
    a = agreement_from_frame(EXAMPLE, Q, FW)
    service = by_id(a.elements)["service"]
    # Items with a discrete scale and two or more answers: q3 (s²/σ²_EU = 0.5) and q4 (0).
    # J = 2, mean ratio 0.25: rwg(j) = 2 × 0.75 / (2 × 0.75 + 0.25) = 1.5 / 1.75 = 0.857.
    assert service.items == ("q3", "q4")
    assert service.mean_ratio == pytest.approx(0.25)
    assert service.rwg_j == pytest.approx(1.5 / 1.75)
    assert not service.low
    # People: q1 only (ratio 0.5), J = 1: rwg(j) = 0.5 / (0.5 + 0.5) = 0.5 = rwg(q1).
    assert by_id(a.elements)["people"].rwg_j == pytest.approx(0.5)
    assert rwg_j([0.5, 0.0]) == pytest.approx(1.5 / 1.75)
    assert rwg_j([1.2, 0.9]) == 0.0  # mean ratio ≥ 1: truncated to 0
    assert rwg(5000.0, 1250.0) == 0.0  # answers 0 and 100: s² = 5000 > 1250, truncated


def test_icc_balanced_by_hand() -> None:
    # Targets A: 2, 4; B: 6, 8; C: 10, 12 (k = 2 raters, T = 3, N = 6).
    # Means 3, 7, 11, grand mean 7. SSB = 2 × (4² + 0² + 4²) = 64, MSB = 64 / (3 − 1) = 32.
    # SSW = (1 + 1) × 3 = 6, MSW = 6 / (6 − 3) = 2.
    # ICC(1) = (32 − 2) / (32 + (2 − 1) × 2) = 30 / 34; ICC(2) = (32 − 2) / 32 = 0.9375.
    r = icc({"A": [2, 4], "B": [6, 8], "C": [10, 12]})
    assert (r.msb, r.msw, r.k, r.targets, r.reason) == (32.0, 2.0, 2.0, 3, None)
    assert r.icc1 == pytest.approx(30 / 34)
    assert r.icc2 == pytest.approx(0.9375)


def test_icc_unbalanced_by_hand() -> None:
    # A: 0, 2, 4 (mean 2); B: 6, 8 (mean 7); N = 5, T = 2, grand mean 20 / 5 = 4.
    # SSB = 3 × 2² + 2 × 3² = 30, MSB = 30. SSW = (4 + 0 + 4) + (1 + 1) = 10, MSW = 10 / 3.
    # k₀ = (N − Σnᵢ²/N) / (T − 1) = 5 − 13 / 5 = 2.4.
    # ICC(1) = (30 − 3.33) / (30 + 1.4 × 3.33) = 26.67 / 34.67 = 0.769; ICC(2) = 26.67 / 30.
    r = icc({"A": [0, 2, 4], "B": [6, 8], "single": [5]})
    assert r.targets == 2  # a target rated once is left out
    assert r.k == pytest.approx(2.4)
    assert r.icc1 == pytest.approx((30 - 10 / 3) / (30 + 1.4 * 10 / 3))
    assert r.icc2 == pytest.approx((30 - 10 / 3) / 30)


def test_icc_through_agreement() -> None:
    # Service questions with two or more answers: q3 (100, 100, 50), q4 (50, 50, 50),
    # q6 (80, 100, 40): means 83.33, 50, 73.33, grand mean 68.89, k = 3.
    # SSB = 3 × (14.44² + 18.89² + 4.44²) = 1755.56, MSB = 877.78;
    # SSW = 1666.67 + 0 + 1866.67 = 3533.33, MSW = 3533.33 / 6 = 588.89.
    # ICC(1) = 288.89 / (877.78 + 2 × 588.89) = 0.1405; ICC(2) = 288.89 / 877.78 = 0.3291.
    s = by_id(agreement_from_frame(EXAMPLE, Q, FW).elements)["service"].icc
    assert (s.targets, s.k) == (3, 3.0)
    assert s.msb == pytest.approx(877.78, abs=0.01)
    assert s.msw == pytest.approx(588.89, abs=0.01)
    assert s.icc1 == pytest.approx(0.1405, abs=1e-4)
    assert s.icc2 == pytest.approx(0.3291, abs=1e-4)


def test_icc_cannot_be_computed() -> None:
    assert icc({"A": [1], "B": [2]}).reason == "one-answer"
    assert icc({"A": [1, 2]}).reason == "one-question"
    same = icc({"A": [3, 3], "B": [3, 3]})
    assert (same.icc1, same.icc2, same.reason) == (None, None, "no-variance")


def test_one_respondent() -> None:
    one = EXAMPLE[EXAMPLE["respondent"] == "a"]
    a = agreement_from_frame(one, Q, FW)
    assert (a.respondents, a.reason) == (1, "one-respondent")
    assert all(q.rwg is None and q.sd is None for q in a.questions)
    assert all(e.rwg_j is None and e.reason == "one-respondent" for e in a.elements)
    assert a.overall.icc.reason == "one-respondent" and a.overall.icc.icc1 is None
    assert a.lowest() == ()


def test_null_variance() -> None:
    qs = Q.question_by_id
    assert null_variance(qs["q1"]) == (5, 1250.0)  # anchored: 2 × 25²
    assert null_variance(qs["q2"]) == (5, 1250.0)  # Likert
    assert null_variance(qs["q4"]) == (5, 1250.0)  # KPI, on its five levels
    assert null_variance(qs["q3"])[1] == pytest.approx(8 / 12 * 50**2)
    assert null_variance(qs["q5"])[1] == pytest.approx(8 / 12 * 50**2)  # options 0/50/100
    assert null_variance(qs["q6"]) == (None, None)
    assert RWG_CUTOFF == 0.70


def test_from_responses_and_from_result_agree() -> None:
    loaded = load_responses(MINI / "responses.yaml")
    resp = check_responses(loaded, Q)
    direct = agreement(resp, Q, FW)
    via = agreement_from_result(assess(loaded, Q, FW), Q, FW)
    assert direct.questions == via.questions
    assert direct.elements == via.elements
    # alice 75, bob 25 on q1: s² = 1250 = σ²_EU, so rwg = 0 (no better than chance).
    assert by_id(direct.questions)["q1"].rwg == 0.0
    assert [q.id for q in direct.lowest()] == ["q1", "q3", "q4", "q6"]


# --- invariants ----------------------------------------------------------------------------

QIDS = ["q1", "q2", "q3", "q4", "q5", "q6"]
SCALES = {"q3": [0.0, 50.0, 100.0], "q5": [0.0, 50.0, 100.0], "q6": [0.0, 40.0, 80.0, 100.0]}

answers_st = st.lists(
    st.lists(st.one_of(st.none(), st.integers(0, 4), st.just(-1)), min_size=6, max_size=6),
    min_size=2,
    max_size=7,
)


def table(people: list[list[int | None]]) -> pd.DataFrame:
    """Respondent i answers question j with option index (None: blank, -1: N/A)."""
    rows: list[tuple[str, str, str, float | None]] = []
    for i, answers in enumerate(people):
        for qid, choice in zip(QIDS, answers, strict=True):
            if choice is None:
                continue
            scale = SCALES.get(qid, LEVELS)
            value = None if choice == -1 else scale[choice % len(scale)]
            rows.append((f"p{i}", ["boss", "staff"][i % 2], qid, value))
    return frame(rows)


@settings(max_examples=25, deadline=None)
@given(answers_st, st.randoms(use_true_random=False))
def test_bounds_and_permutation(people: list[list[int | None]], rnd: random.Random) -> None:
    df = table(people)
    if df.empty:
        return
    a = agreement_from_frame(df, Q, FW)
    for q in a.questions:
        assert q.rwg is None or 0.0 <= q.rwg <= 1.0
        assert q.sd is None or q.sd >= 0.0
        assert q.low == (q.rwg is not None and q.rwg < RWG_CUTOFF)
    for g in (*a.elements, *a.criteria, a.overall):
        assert g.rwg_j is None or 0.0 <= g.rwg_j <= 1.0
        assert g.icc.icc1 is None or g.icc.icc1 <= 1.0 + 1e-12
        assert g.icc.icc2 is None or g.icc.icc2 <= 1.0 + 1e-12
    shuffled = df.sample(frac=1.0, random_state=rnd.randrange(2**31)).reset_index(drop=True)
    assert agreement_from_frame(shuffled, Q, FW) == a


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 8), st.lists(st.integers(0, 4), min_size=6, max_size=6))
def test_identical_answers_agree_fully(n: int, choice: list[int]) -> None:
    a = agreement_from_frame(table([list(choice) for _ in range(n)]), Q, FW)
    for q in a.questions:
        assert q.sd == 0.0
        assert q.rwg == (None if q.id == "q6" else 1.0)
        assert not q.low
    assert all(e.rwg_j == 1.0 for e in a.elements)
