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

QUANTILES = (("p10", 0.10), ("p25", 0.25), ("median", 0.50), ("p75", 0.75), ("p90", 0.90))
BINS = int(SCORE_RANGE)  # the histogram's bins: [0, 1), [1, 2), …, [99, 100]
COUNT_SHARE = 0.1  # of a level's epsilon, for each group's count
MEAN_SHARE = 1 / 3  # of a score's epsilon, for its mean; the rest for its quantiles
BRANCHING_SIZE_GUESS = 1000  # OpenDP's choose_branching_factor(size_guess)
RANDOMNESS = (
    "OpenDP's noise from the operating system's CSPRNG; no seed, so a rebuild gives other"
    " figures and spends its epsilon again"
)


@dataclass(frozen=True)
class Budget:
    """How one release's epsilon is split (see `split_budget`)."""

    epsilon: float
    levels: int
    scores: int
    epsilon_count: float
    epsilon_mean: float
    epsilon_quantiles: float


def split_budget(epsilon: float, levels: int, scores: int) -> Budget:
    """Split a release's epsilon: equally over the group levels (sequential composition: a
    member is in one group of each level; groups of a level are disjoint, so they compose in
    parallel); within a group COUNT_SHARE for its count and the rest equally over its
    `scores` (the overall and every element); within a score MEAN_SHARE for the mean and
    the rest for the histogram its five quantiles are read from."""
    per_level = epsilon / levels
    count = per_level * COUNT_SHARE
    per_score = (per_level - count) / scores
    mean = per_score * MEAN_SHARE
    return Budget(epsilon, levels, scores, count, mean, per_score - mean)


def mechanism() -> str:
    """The mechanisms, named with the OpenDP version that draws them."""
    from importlib.metadata import version

    return (
        f"OpenDP {version('opendp')}, pure epsilon-DP per organisation: group counts with the"
        " discrete Laplace mechanism; means as a Laplace-noised sum of scores clamped to"
        " 0-100 divided by the published count; quantiles read (linear interpolation) from a"
        f" histogram of {BINS} one-point bins counted in a b-ary tree with Laplace noise on"
        " every node and made consistent"
    )


@cache
def _dp() -> Any:
    import opendp.prelude as dp

    dp.enable_features("contrib")
    return dp


@cache
def mechanisms(budget: Budget) -> Mechanisms:
    """The measurements for a budget (made once: finding the noise scales takes a moment)."""
    return Mechanisms(budget)


class Mechanisms:
    """The OpenDP measurements of one budget; each call draws fresh noise."""

    def __init__(self, budget: Budget) -> None:
        dp = _dp()
        space = dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.symmetric_distance()
        # A count changes by at most 1 when one organisation is added or removed (OpenDP's
        # make_count says so); the noise goes on the exact count, sparing the conversion of
        # every group's scores.
        if dp.t.make_count(*space).map(1) != 1:  # pragma: no cover - OpenDP's own contract
            raise RuntimeError("a count's sensitivity is not 1")
        self._count = dp.m.make_laplace(
            dp.atom_domain(T=int), dp.absolute_distance(T=int), scale=1.0 / budget.epsilon_count
        )
        self._sum = dp.binary_search_chain(
            lambda s: (
                dp.t.make_clamp(*space, bounds=(0.0, SCORE_RANGE))
                >> dp.t.then_sum()
                >> dp.m.then_laplace(scale=s)
            ),
            d_in=1,
            d_out=budget.epsilon_mean,
        )
        # bin i holds the scores in [i, i + 1); 100 falls into the last bin, [99, 100]
        edges = [float(x) for x in range(1, BINS)]
        histogram = dp.t.make_find_bin(*space, edges=edges) >> dp.t.then_count_by_categories(
            categories=list(range(BINS)), null_category=False
        )
        branching = dp.t.choose_branching_factor(size_guess=BRANCHING_SIZE_GUESS)
        self._tree = dp.binary_search_chain(
            lambda s: (
                histogram
                >> dp.t.then_b_ary_tree(leaf_count=BINS, branching_factor=branching)
                >> dp.m.then_laplace(scale=s)
            ),
            d_in=1,
            d_out=budget.epsilon_quantiles,
        )
        # post-processing, chained so that the tree never leaves OpenDP
        self._quantiles = (
            self._tree
            >> dp.t.make_consistent_b_ary_tree(branching_factor=branching)
            >> dp.t.make_quantiles_from_counts(
                bin_edges=[float(x) for x in range(BINS + 1)], alphas=[a for _, a in QUANTILES]
            )
        )
        self.epsilon = {
            "count": self._count.map(1),
            "mean": self._sum.map(1),
            "quantiles": self._quantiles.map(1),
        }

    def count(self, n: int) -> int:
        """The noisy count of n organisations."""
        return int(self._count(n))

    def distribution(self, values: Sequence[float], n: int) -> dict[str, float]:
        """The noisy mean (over the published count n) and sorted noisy quantiles."""
        data = [float(v) for v in values]
        total = float(self._sum(data))
        mean = min(SCORE_RANGE, max(0.0, total / max(n, 1)))
        qs = sorted(min(SCORE_RANGE, max(0.0, float(q))) for q in self._quantiles(data))
        return {
            "mean": round(mean, 2),
            **{name: round(q, 2) for (name, _), q in zip(QUANTILES, qs, strict=True)},
        }
