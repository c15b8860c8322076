"""The benchmark file: peer-group score distributions built from many assessments.

A benchmark belongs to one framework id and version. Each published peer group is a key
(some of industry, size and region; an absent dimension means "any") with its number of
organisations and the distribution of the overall score and of every element's score.
"""

from __future__ import annotations

import datetime as dt
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
BENCHMARKS_DIR = "benchmarks"


class Distribution(Strict):
    """A score distribution: mean, population standard deviation and five quantiles."""

    mean: Score
    std: Annotated[float, Field(ge=0, allow_inf_nan=False)]
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
    n: Annotated[int, Field(ge=1)]
    overall: Distribution
    elements: dict[Id, Distribution] = Field(min_length=1)


class Built(Strict):
    """How the benchmark was built."""

    date: dt.date
    source: Text
    organizations: Annotated[int, Field(ge=1)]
    excluded: Annotated[int, Field(ge=0)] = 0
    method: str = Field(min_length=3)


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
    min_group: Annotated[int, Field(ge=1)]
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
            if g.n < self.min_group:
                raise ValueError(f"groups[{i}]: n = {g.n} is below min_group {self.min_group}")
        return self

    def group(self, values: dict[str, str]) -> Group | None:
        """The published group with exactly these key values, if any."""
        want = tuple(sorted(values.items()))
        for g in self.groups:
            if tuple(sorted(g.key.values().items())) == want:
                return g
        return None


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
    bench = validate_as(Benchmark, data, path)
    voc = vocabulary()
    problems: list[Problem] = []
    for i, g in enumerate(bench.groups):
        problems += voc.problems(g.key.values(), str(path), f"groups[{i}].key.")
    if problems:
        raise InputError(problems)
    return bench, path
