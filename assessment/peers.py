"""What a result says about its peers: approximate percentiles within a benchmark peer group."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from frameworks.benchmark import Distribution, Privacy
from frameworks.text import Text


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PeerFigure(Model):
    """One score set against the peer group's distribution of that score."""

    id: str
    score: float | None
    percentile: float | None  # interpolated between the published (noisy) quantiles
    shown: str | None  # as printed: "≈ P60", "< P10", "> P90"
    peers: Distribution


class BenchmarkComparison(Model):
    """The organisation's place in the most specific published peer group that has it."""

    id: str
    version: str
    sha256: str
    illustrative: bool
    label: Text
    source: Text
    group: dict[str, str]
    n: int  # the group's noisy count
    tried: list[dict[str, str]]
    approximate: bool  # the benchmark's figures carry differential-privacy noise
    privacy: Privacy
    mean_noise: float  # scale (points) of the Laplace noise on this group's means
    overall: PeerFigure
    elements: list[PeerFigure]
