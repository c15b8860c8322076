"""Differentially private statistics for benchmarks, drawn with OpenDP.

Unit of privacy: one organisation (one result); neighbouring inputs differ by adding or
removing one organisation (OpenDP's symmetric distance 1). Every statistic here is pure
epsilon-differentially private (OpenDP's max divergence); how epsilon is split over groups
and statistics is `split_budget` (docs/benchmarks.md, "The guarantee").

OpenDP draws its noise from the operating system's CSPRNG: there is no seed, and building
twice from the same results gives different figures (and spends the budget twice).
OpenDP is imported only when a benchmark is built, never when one is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from frameworks.benchmark import SCORE_RANGE

# The candidate scores a private quantile chooses from: 0, 1, …, 100.
CANDIDATES = tuple(float(x) for x in range(int(SCORE_RANGE) + 1))
QUANTILES = (("p10", 0.10), ("p25", 0.25), ("median", 0.50), ("p75", 0.75), ("p90", 0.90))
PER_SCORE = 1 + len(QUANTILES)  # a mean and five quantiles for each score
COUNT_SHARE = 0.1  # the share of a level's epsilon spent on each group's count
RANDOMNESS = (
    "OpenDP's noise from the operating system's CSPRNG; no seed, so a rebuild gives other"
    " figures and spends its epsilon again"
)


@dataclass(frozen=True)
class Budget:
    """How one release's epsilon is split (see `split_budget`)."""

    epsilon: float
    levels: int
    statistics: int
    epsilon_count: float
    epsilon_statistic: float


def split_budget(epsilon: float, levels: int, scores: int) -> Budget:
    """Split a release's epsilon: equally over the group levels (sequential composition: a
    member is in one group of each level; groups of a level are disjoint, so they compose in
    parallel); within a group COUNT_SHARE for its count and the rest equally over the
    `scores` × PER_SCORE means and quantiles."""
    per_level = epsilon / levels
    statistics = scores * PER_SCORE
    count = per_level * COUNT_SHARE
    return Budget(epsilon, levels, statistics, count, (per_level - count) / statistics)


def mechanism() -> str:
    """The mechanisms, named with the OpenDP version that draws them."""
    from importlib.metadata import version

    return (
        f"OpenDP {version('opendp')}, pure epsilon-DP per organisation: group counts with the"
        " discrete Laplace mechanism; means as a Laplace-noised sum of scores clamped to"
        " 0-100 divided by the published count; quantiles with the exponential mechanism"
        " over the candidate scores 0, 1, …, 100, then sorted"
    )


@cache
def _dp() -> Any:
    import opendp.prelude as dp

    dp.enable_features("contrib")
    return dp


@cache
def mechanisms(budget: Budget) -> Mechanisms:
    """The measurements for a budget (made once: finding the noise scales takes a second)."""
    return Mechanisms(budget)


class Mechanisms:
    """The OpenDP measurements of one budget; each call draws fresh noise."""

    def __init__(self, budget: Budget) -> None:
        dp = _dp()
        space = dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.symmetric_distance()
        bounded = (
            dp.vector_domain(dp.atom_domain(bounds=(0.0, SCORE_RANGE))),
            dp.symmetric_distance(),
        )
        self._count = dp.t.make_count(*space) >> dp.m.then_laplace(scale=1.0 / budget.epsilon_count)
        self._clamp = dp.t.make_clamp(*space, bounds=(0.0, SCORE_RANGE))
        self._sum = dp.binary_search_chain(
            lambda s: bounded >> dp.t.then_sum() >> dp.m.then_laplace(scale=s),
            d_in=1,
            d_out=budget.epsilon_statistic,
        )
        self._quantiles = [
            (
                name,
                dp.binary_search_chain(
                    lambda s, a=alpha: dp.m.make_private_quantile(
                        *space, dp.max_divergence(), list(CANDIDATES), a, s
                    ),
                    d_in=1,
                    d_out=budget.epsilon_statistic,
                ),
            )
            for name, alpha in QUANTILES
        ]
        self.epsilon = {
            "count": self._count.map(1),
            "mean": (self._clamp >> self._sum).map(1),
            **{name: q.map(1) for name, q in self._quantiles},
        }

    def count(self, values: Sequence[float]) -> int:
        """The noisy number of organisations (one value each)."""
        return int(self._count([float(v) for v in values]))

    def distribution(self, values: Sequence[float], n: int) -> dict[str, float]:
        """The noisy mean (over the published count n) and sorted noisy quantiles."""
        data = [float(v) for v in values]
        total = float(self._sum(self._clamp(data)))
        mean = min(SCORE_RANGE, max(0.0, total / max(n, 1)))
        qs = sorted(float(q(data)) for _, q in self._quantiles)
        return {
            "mean": round(mean, 2),
            **{name: q for (name, _), q in zip(QUANTILES, qs, strict=True)},
        }
