"""The benchmark file: peer-group score distributions built from many assessments.

A benchmark belongs to one framework id and version. Each published peer group is a key
(some of industry, size and region; an absent dimension means "any") with its (noisy) number
of organisations and the distribution of the overall score and of every element's score.
Every published figure is differentially private; the `privacy` block records the budget
this release spent and all releases of the same benchmark spent before it
(docs/benchmarks.md).
"""

from __future__ import annotations

import datetime as dt
import math
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from .errors import InputError, Problem
from .fileio import load_data, validate_as
from .model import FrameworkRef, Id, SemVer, Strict
from .text import Text
from .vocabulary import DIMENSIONS, Dimension, vocabulary

Score = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
SCORE_RANGE = 100.0
BENCHMARKS_DIR = "benchmarks"


class Distribution(Strict):
    """A score distribution: mean and five quantiles (differentially private estimates)."""

    mean: Score
    p10: Score
    p25: Score
    median: Score
    p75: Score
    p90: Score

    @model_validator(mode="after")
    def _ordered(self) -> Distribution:
        q = [self.p10, self.p25, self.median, self.p75, self.p90]
        if q != sorted(q):
            raise ValueError("quantiles must not decrease: p10 ≤ p25 ≤ median ≤ p75 ≤ p90")
        return self

    @property
    def quantiles(self) -> list[tuple[float, float]]:
        """(percent, score) pairs of the published quantiles."""
        return [
            (10.0, self.p10),
            (25.0, self.p25),
            (50.0, self.median),
            (75.0, self.p75),
            (90.0, self.p90),
        ]


class GroupKey(Strict):
    """A peer group: the profile values it is restricted to; an absent one means any."""

    industry: Id | None = None
    size: Id | None = None
    region: Id | None = None

    def values(self) -> dict[str, str]:
        return {d: v for d in DIMENSIONS if (v := getattr(self, d)) is not None}

    def label(self) -> str:
        return " × ".join(self.values().values()) or "all"


class Group(Strict):
    key: GroupKey
    n: Annotated[int, Field(ge=1)]  # noisy count
    overall: Distribution
    elements: dict[Id, Distribution] = Field(min_length=1)


class Built(Strict):
    """How the benchmark was built (exact counts of the input are not published)."""

    date: dt.date
    source: Text
    method: str = Field(min_length=3)


Epsilon = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class Release(Strict):
    """One release of a benchmark lineage and the privacy budget it spent."""

    version: SemVer
    date: dt.date
    epsilon: Epsilon


class Privacy(Strict):
    """The differential-privacy budget of a benchmark (docs/benchmarks.md, "The guarantee").

    A member belongs to one group per level (levels = the subsets of `by` with at most
    `depth` dimensions), and groups of one level are disjoint, so a release spends
    epsilon = levels × (epsilon_count + scores × (epsilon_mean + epsilon_quantiles)).
    """

    mechanism: str = Field(min_length=3)
    unit: Literal["organisation"] = "organisation"
    epsilon: Epsilon  # this release
    levels: Annotated[int, Field(ge=1)]
    epsilon_count: Epsilon  # each group's count (Laplace)
    scores: Annotated[int, Field(ge=1)]  # distributions per group: the overall and elements
    epsilon_mean: Epsilon  # each mean (Laplace on the sum)
    epsilon_quantiles: Epsilon  # each score's five quantiles together (tree histogram)
    lineage: Id  # the benchmark whose releases are accounted together
    releases: list[Release] = Field(min_length=1)  # every release so far, this one last
    epsilon_spent: Epsilon  # the sum over `releases`
    max_epsilon: Epsilon | None = None  # the lineage's declared total budget
    randomness: str = Field(min_length=3)

    @model_validator(mode="after")
    def _arithmetic(self) -> Privacy:
        per_score = self.epsilon_mean + self.epsilon_quantiles
        per_release = self.levels * (self.epsilon_count + self.scores * per_score)
        if abs(per_release - self.epsilon) > 1e-6 * max(1.0, self.epsilon):
            raise ValueError(
                f"epsilon {self.epsilon} is not levels × (epsilon_count + scores ×"
                f" (epsilon_mean + epsilon_quantiles)) = {per_release:.6g}"
            )
        if abs(self.releases[-1].epsilon - self.epsilon) > 1e-9 * max(1.0, self.epsilon):
            raise ValueError("the last release must be this one (same epsilon)")
        spent = sum(x.epsilon for x in self.releases)
        if abs(spent - self.epsilon_spent) > 1e-6 * max(1.0, spent):
            raise ValueError(f"epsilon_spent {self.epsilon_spent} is not the sum {spent:.6g}")
        return self

    def mean_noise(self, n: int) -> float:
        """The scale (points) of the Laplace noise on the mean of a group of about n."""
        return SCORE_RANGE / (self.epsilon_mean * max(n, 1))

    @property
    def count_noise(self) -> float:
        """The scale (organisations) of the noise on a group's count."""
        return 1.0 / self.epsilon_count


class Benchmark(Strict):
    """A benchmark file (`type: benchmark`)."""

    type: Literal["benchmark"] = "benchmark"
    id: Id
    version: SemVer
    framework: FrameworkRef
    illustrative: bool
    label: Text
    built: Built
    by: list[Dimension] = Field(min_length=1)
    depth: Annotated[int, Field(ge=0, le=len(DIMENSIONS))]  # most dimensions a key restricts
    min_group: Annotated[int, Field(ge=1)]  # published groups have a noisy count ≥ this
    privacy: Privacy
    groups: list[Group] = Field(min_length=1)

    @field_validator("by")
    @classmethod
    def _unique_by(cls, v: list[Dimension]) -> list[Dimension]:
        if len(set(v)) != len(v):
            raise ValueError("dimensions must not repeat")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Benchmark:
        seen: set[tuple[tuple[str, str], ...]] = set()
        elements = set(self.groups[0].elements)
        for i, g in enumerate(self.groups):
            key = tuple(sorted(g.key.values().items()))
            if key in seen:
                raise ValueError(f"groups[{i}]: duplicate group {g.key.label()}")
            seen.add(key)
            if set(g.elements) != elements:
                raise ValueError(f"groups[{i}]: elements differ from those of groups[0]")
            extra = set(g.key.values()) - set(self.by)
            if extra:
                raise ValueError(f"groups[{i}]: key uses {', '.join(sorted(extra))}, not in `by`")
            if len(key) > self.depth:
                raise ValueError(f"groups[{i}]: key restricts more than depth {self.depth}")
            if g.n < self.min_group:
                raise ValueError(f"groups[{i}]: n = {g.n} is below min_group {self.min_group}")
        if self.privacy.levels != levels(len(self.by), self.depth):
            raise ValueError(
                f"privacy.levels {self.privacy.levels} is not the number of group levels"
                f" {levels(len(self.by), self.depth)} of by × depth"
            )
        if self.privacy.releases[-1].version != self.version:
            raise ValueError("privacy.releases: the last release must be this version")
        return self

    def group(self, values: dict[str, str]) -> Group | None:
        """The published group with exactly these key values, if any."""
        want = tuple(sorted(values.items()))
        for g in self.groups:
            if tuple(sorted(g.key.values().items())) == want:
                return g
        return None


def levels(dimensions: int, depth: int) -> int:
    """The number of group levels: subsets of `dimensions` with at most `depth` members."""
    return sum(math.comb(dimensions, k) for k in range(min(depth, dimensions) + 1))


def builtin_benchmarks(framework_id: str) -> list[str]:
    folder = Path(str(resources.files("frameworks") / "data")) / framework_id / BENCHMARKS_DIR
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def resolve_benchmark(ref: str | Path, framework_id: str) -> Path:
    """A benchmark file path, or the id of a built-in benchmark of the framework."""
    path = Path(ref)
    if path.exists():
        return path
    if isinstance(ref, str) and ref in builtin_benchmarks(framework_id):
        root = Path(str(resources.files("frameworks") / "data"))
        return root / framework_id / BENCHMARKS_DIR / f"{ref}.yaml"
    known = ", ".join(builtin_benchmarks(framework_id)) or "none"
    raise InputError.one(
        ref, "", f"no such file or built-in benchmark of {framework_id} (built-in: {known})"
    )


def load_benchmark(ref: str | Path, framework_id: str) -> tuple[Benchmark, Path]:
    """Load and check a benchmark: strict fields, declared vocabulary, consistent groups."""
    path = resolve_benchmark(ref, framework_id)
    data = load_data(path)
    if not isinstance(data, dict):
        raise InputError.one(path, "", "expected a mapping at the top level")
    if data.get("type") == "benchmark" and "privacy" not in data:
        raise InputError.one(
            path,
            "privacy",
            "no privacy block: this benchmark was built without differential privacy by an"
            " older crmm, and its figures can reveal members; rebuild it with crmm benchmark build",
        )
    bench = validate_as(Benchmark, data, path)
    voc = vocabulary()
    problems: list[Problem] = []
    for i, g in enumerate(bench.groups):
        problems += voc.problems(g.key.values(), str(path), f"groups[{i}].key.")
    if problems:
        raise InputError(problems)
    return bench, path
