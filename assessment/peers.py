"""What a result says about its peers: percentiles within a benchmark peer group."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from frameworks.benchmark import Distribution
from frameworks.text import Text


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PeerFigure(Model):
    """One score set against the peer group's distribution of that score."""

    id: str
    score: float | None
    percentile: float | None
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
    n: int
    tried: list[dict[str, str]]
    overall: PeerFigure
    elements: list[PeerFigure]
