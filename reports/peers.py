"""The benchmark comparison of a result, localised for the report."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.peers import BenchmarkComparison, PeerFigure
from frameworks.text import Lang
from frameworks.vocabulary import DIMENSIONS, vocabulary

from . import charts
from .formatting import num
from .labels import Labels


@dataclass(frozen=True)
class PeerView:
    """One score against its peers: approximate percentile ("≈ P60"), median and quartiles,
    and a one-line text."""

    percentile: str
    median: float
    p25: float
    p75: float
    line: str


@dataclass(frozen=True)
class BenchmarkView:
    """The benchmark used, the peer group it provided, and the overall comparison."""

    name: str
    illustrative: bool
    label: str
    source: str
    group: str
    n: int
    fallback: bool
    overall: PeerView
    headline: str
    note: str
    method: str  # the noise level, for the methodology appendix


def group_name(values: dict[str, str], lang: Lang, labels: Labels) -> str:
    """`零售 × 中型(100–999 人)× 华东`, or "all organisations" for the coarsest group."""
    voc = vocabulary()
    parts = []
    for dim in DIMENSIONS:
        if dim in values:
            text = voc.name(dim, values[dim])
            parts.append(text.get(lang) if text else values[dim])
    return " × ".join(parts) or labels["benchmark.all"]


def peer_view(fig: PeerFigure, labels: Labels) -> PeerView:
    p = fig.peers
    pct = labels["misc.none"] if fig.shown is None else fig.shown
    return PeerView(
        percentile=pct,
        median=p.median,
        p25=p.p25,
        p75=p.p75,
        line=labels.fill(
            "benchmark.element_line",
            median=num(p.median),
            p25=num(p.p25),
            p75=num(p.p75),
            percentile=pct,
        ),
    )


def benchmark_view(cmp: BenchmarkComparison, lang: Lang, labels: Labels) -> BenchmarkView:
    group = group_name(cmp.group, lang, labels)
    overall = peer_view(cmp.overall, labels)
    if cmp.overall.score is None or cmp.overall.shown is None:
        headline = labels.fill("benchmark.reading_none", group=group, n=cmp.n)
    else:
        headline = labels.fill(
            "benchmark.reading",
            group=group,
            n=cmp.n,
            score=num(cmp.overall.score),
            percentile=cmp.overall.shown,
            median=num(overall.median),
            p25=num(overall.p25),
            p75=num(overall.p75),
        )
    fallback = len(cmp.tried) > 1
    note = labels.fill("benchmark.note", name=f"{cmp.id} {cmp.version}", n=cmp.n)
    if fallback:
        note += " " + labels["benchmark.fallback"]
    p = cmp.privacy
    method = labels.fill(
        "benchmark.method",
        name=f"{cmp.id} {cmp.version}",
        epsilon=num(p.epsilon, 2),
        spent=num(p.epsilon_spent, 2),
        releases=len(p.releases),
        releases_text=labels.plural("count.releases", len(p.releases)),
        mean=num(p.epsilon_mean, 3),
        quantiles=num(p.epsilon_quantiles, 3),
        count_noise=num(p.count_noise, 1),
        n=cmp.n,
        mean_noise=num(cmp.mean_noise, 1),
    )
    return BenchmarkView(
        name=f"{cmp.id} {cmp.version}",
        illustrative=cmp.illustrative,
        label=cmp.label.get(lang),
        source=cmp.source.get(lang),
        group=group,
        n=cmp.n,
        fallback=fallback,
        overall=overall,
        headline=headline,
        note=note,
        method=method,
    )


def bands(cmp: BenchmarkComparison, element_ids: list[str]) -> list[charts.PeerBand]:
    """The radar's peer band: one per element, in the radar's order."""
    by_id = {e.id: e.peers for e in cmp.elements}
    return [charts.PeerBand(by_id[e].p25, by_id[e].median, by_id[e].p75) for e in element_ids]
