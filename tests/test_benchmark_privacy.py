"""The two attacks that recovered members from published benchmarks, as an attacker runs
them: from the published files only.

(a) Differencing: a benchmark built from N organisations and its next release from N + 1;
    the count-weighted difference of a group's means gives the added organisation's scores.
(b) A group of exactly five publishing p10, p25, median, p75 and p90 with linear
    interpolation: the five members' scores follow from the five quantiles.

Each attack runs first on the exact statistics the old builder published (computed here,
the way it computed them), where it recovers the members to the hundredth: so these tests
can fail. Then it runs on many differentially private builds (fresh noise each time) with
the default budget of `crmm benchmark build`; for each of the target's scores (overall and
every element), the attacker must land within ±5 points in at most 5 % of the trials.
A blind guess within a 10-point window of a score away from the edges succeeds about
10 % of the time, so the bound says the release tells the attacker less than a guess.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import numpy as np
import pytest
import yaml

from assessment.benchmarking import benchmark_yaml, build_benchmark
from assessment.result import AssessmentResult

from .test_benchmarks import LABEL, fake

pytestmark = pytest.mark.slow  # end to end: run in CI, skip locally with -m 'not slow'

TRIALS = 200
WITHIN = 5.0  # points: an estimate this close counts as a recovery
MAX_SHARE = 0.05  # of the trials, for each score
INDUSTRIES = ["retail", "banking", "telecom", "software"]
DEFAULTS: dict[str, Any] = {  # those of crmm benchmark build, with a smaller min group
    "by": ["industry", "size", "region"],  # (default 400) so that the groups attacked are
    "epsilon": 20.0,  # published: the noise, not suppression, must defeat the attacks
    "depth": 1,
    "min_group": 100,
}


def org(i: int, industry: str, overall: float, elements: list[float]) -> AssessmentResult:
    res = fake(industry, "small", "east-china", overall)
    return res.model_copy(
        update={
            "organization": {**res.organization, "name": f"org-{i}"},
            "elements": [
                e.model_copy(update={"score": s})
                for e, s in zip(res.elements, elements, strict=True)
            ],
        }
    )


def population(n: int, seed: int, industries: list[str]) -> list[AssessmentResult]:
    """n organisations with scores around 40 (sd 8), elements varying around the overall."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        base = min(95.0, max(5.0, rng.gauss(40, 8)))
        els = [round(min(100.0, max(0.0, base + rng.gauss(0, 5))), 2) for _ in range(2)]
        out.append(org(i, rng.choice(industries), round(base, 2), els))
    return out


def published(results: list[AssessmentResult], version: str = "1.0.0") -> dict[str, Any]:
    """A differentially private release, as the file an attacker downloads."""
    bench = build_benchmark(
        [(f"r{i}", res) for i, res in enumerate(results)],
        bench_id="target",
        version=version,
        label=LABEL,
        source=LABEL,
        illustrative=False,
        date=dt.date(2026, 11, 23),
        **DEFAULTS,
    )
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when there: faster
    data: dict[str, Any] = yaml.load(benchmark_yaml(bench), Loader=loader)
    return data


def exact_release(results: list[AssessmentResult], min_group: int = 5) -> dict[str, Any]:
    """What the old builder published: exact n, mean and linear quantiles of every group
    of at least min_group organisations (by industry, and everybody)."""
    present = sorted({r.organization["industry"] for r in results})
    keys: list[dict[str, str]] = [{}, *({"industry": i} for i in present)]
    groups = []
    for key in keys:
        rows = [r for r in results if all(r.organization[d] == v for d, v in key.items())]
        if len(rows) < min_group:
            continue

        def stats(values: list[float]) -> dict[str, float]:
            a = np.asarray(values)
            q = np.percentile(a, [10, 25, 50, 75, 90])
            names = ["p10", "p25", "median", "p75", "p90"]
            return {"mean": round(float(a.mean()), 2)} | {
                k: round(float(v), 2) for k, v in zip(names, q, strict=True)
            }

        groups.append(
            {
                "key": key,
                "n": len(rows),
                "overall": stats([r.overall.score or 0.0 for r in rows]),
                "elements": {
                    e.id: stats([x.score or 0.0 for r in rows for x in r.elements if x.id == e.id])
                    for e in rows[0].elements
                },
            }
        )
    return {"groups": groups}


def scores(res: AssessmentResult) -> dict[str, float]:
    return {"overall": res.overall.score or 0.0} | {e.id: e.score or 0.0 for e in res.elements}


# --- (a) differencing two releases ------------------------------------------------------


def group_of(release: dict[str, Any], key: dict[str, str]) -> dict[str, Any] | None:
    return next((g for g in release["groups"] if g["key"] == key), None)


def differencing_attack(before: dict[str, Any], after: dict[str, Any]) -> dict[str, float]:
    """The added organisation's scores: n'·mean' − n·mean of the everybody group, clamped
    to the score range (the attacker knows scores lie in 0–100)."""
    g0, g1 = group_of(before, {}), group_of(after, {})
    assert g0 is not None and g1 is not None
    out = {}
    for fig in ["overall", *g1["elements"]]:
        m0 = g0["overall" if fig == "overall" else "elements"]
        m1 = g1["overall" if fig == "overall" else "elements"]
        d0 = m0 if fig == "overall" else m0[fig]
        d1 = m1 if fig == "overall" else m1[fig]
        estimate = g1["n"] * d1["mean"] - g0["n"] * d0["mean"]
        out[fig] = min(100.0, max(0.0, estimate))
    return out


TARGET = org(10_000, "retail", 80.0, [75.0, 85.0])  # far from the others (around 40)


def test_differencing_recovers_the_added_organisation_from_exact_means() -> None:
    base = population(150, 1, INDUSTRIES)
    guess = differencing_attack(exact_release(base), exact_release([*base, TARGET]))
    truth = scores(TARGET)
    # exact but for the rounding of the published means to 0.005: at most 0.005 × (2N + 1)
    assert max(abs(guess[k] - truth[k]) for k in truth) <= 0.005 * (2 * len(base) + 1)


def test_differencing_fails_on_private_releases() -> None:
    base = population(150, 2, INDUSTRIES)
    truth = scores(TARGET)
    hits = dict.fromkeys(truth, 0)
    for _ in range(TRIALS):
        guess = differencing_attack(published(base), published([*base, TARGET], "1.1.0"))
        for k in truth:
            hits[k] += abs(guess[k] - truth[k]) <= WITHIN
    assert all(h <= MAX_SHARE * TRIALS for h in hits.values()), hits


# --- (b) five members from five quantiles -----------------------------------------------

FIVE = [20.0, 35.0, 50.0, 65.0, 80.0]  # the insurers' scores (overall and elements)


def five_members() -> list[AssessmentResult]:
    return [org(20_000 + i, "insurance", s, [s, s]) for i, s in enumerate(FIVE)]


def solve_five(d: dict[str, float]) -> list[float]:
    """Linear interpolation over five sorted values x1..x5: p10 = 0.6·x1 + 0.4·x2,
    p25 = x2, median = x3, p75 = x4, p90 = 0.4·x4 + 0.6·x5."""
    x2, x3, x4 = d["p25"], d["median"], d["p75"]
    return [(d["p10"] - 0.4 * x2) / 0.6, x2, x3, x4, (d["p90"] - 0.4 * x4) / 0.6]


def quantile_attack(release: dict[str, Any]) -> dict[str, list[float]] | None:
    """The five insurers' scores per figure, or None when their group is not published."""
    g = group_of(release, {"industry": "insurance"})
    if g is None:
        return None
    return {"overall": solve_five(g["overall"])} | {
        k: solve_five(v) for k, v in g["elements"].items()
    }


def test_five_members_are_solved_from_exact_quantiles() -> None:
    data = [*population(150, 3, INDUSTRIES), *five_members()]
    recovered = quantile_attack(exact_release(data, min_group=5))
    assert recovered is not None
    for values in recovered.values():
        assert max(abs(a - b) for a, b in zip(values, FIVE, strict=True)) <= 0.02


def test_five_members_are_not_recovered_from_private_releases() -> None:
    data = [*population(150, 4, INDUSTRIES), *five_members()]
    hits = dict.fromkeys(["overall", "people", "service"], 0)
    for _ in range(TRIALS):
        recovered = quantile_attack(published(data))
        if recovered is None:  # suppressed: nothing to solve
            continue
        for k, values in recovered.items():
            hits[k] += any(abs(a - b) <= WITHIN for a, b in zip(values, FIVE, strict=True))
    assert all(h <= MAX_SHARE * TRIALS for h in hits.values()), hits
