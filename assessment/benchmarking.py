"""Building benchmarks from many results, and placing one result within its peer group.

Privacy: a peer group is published only if it has at least `min_group` organisations, and,
for every published group G and every dimension d that G leaves open, the organisations of G
that are in none of G's published children along d number 0 or at least `min_group`.
Subtracting any set of published siblings from their published parent therefore describes
either nobody or at least `min_group` organisations (docs/benchmarks.md).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from frameworks.benchmark import Benchmark, Built, Distribution, Group, GroupKey
from frameworks.errors import InputError, Problem
from frameworks.fileio import load_data, read_bytes, sha256_bytes, validate_as
from frameworks.text import Text
from frameworks.vocabulary import DIMENSIONS, Dimension, vocabulary

from .peers import BenchmarkComparison, PeerFigure
from .result import AssessmentResult, load_result
from .scoring import r

Key = tuple[tuple[str, str], ...]
METHOD = (
    "groups: every combination of the `by` dimensions down to all organisations;"
    " quantiles: linear interpolation between order statistics (numpy 'linear');"
    " std: population; privacy: min_group and the residual rule (docs/benchmarks.md)"
)
SUFFIXES = (".json", ".yaml", ".yml")


def make_key(values: dict[str, str]) -> Key:
    """A group key in dimension order: ((dimension, value), …); () is everybody."""
    return tuple((d, values[d]) for d in DIMENSIONS if d in values)


def group_counts(profiles: Sequence[dict[str, str]], by: Sequence[Dimension]) -> dict[Key, int]:
    """The number of organisations in every group over every subset of `by` (incl. all)."""
    counts: dict[Key, int] = {}
    for k in range(len(by) + 1):
        for dims in itertools.combinations(by, k):
            for p in profiles:
                key = make_key({d: p[d] for d in dims})
                counts[key] = counts.get(key, 0) + 1
    return counts


def children(key: Key, dim: str, keys: Iterable[Key]) -> list[Key]:
    """The keys among `keys` that refine `key` by one value of dimension `dim`."""
    base = dict(key)
    return [
        k
        for k in keys
        if len(k) == len(key) + 1
        and dict(k).get(dim) is not None
        and dim not in base
        and all(dict(k).get(d) == v for d, v in key)
    ]


def publishable(counts: dict[Key, int], by: Sequence[Dimension], min_group: int) -> set[Key]:
    """The groups that may be published: min_group, then the residual rule to a fixed point.

    While some published group G and dimension d leave a residual n(G) − Σ n(published
    children of G along d) strictly between 0 and min_group, the smallest of those children
    is suppressed (ties: the first key in sort order).
    """
    published = {k for k, n in counts.items() if n >= min_group}
    changed = True
    while changed:
        changed = False
        for key in sorted(published, key=lambda k: (len(k), k)):
            if key not in published:
                continue
            for dim in by:
                if dim in dict(key):
                    continue
                kids = children(key, dim, published)
                residual = counts[key] - sum(counts[c] for c in kids)
                if kids and 0 < residual < min_group:
                    published.discard(min(kids, key=lambda c: (counts[c], c)))
                    changed = True
    return published


def distribution(values: Sequence[float]) -> Distribution:
    a = np.asarray(values, dtype=float)
    p10, p25, p50, p75, p90 = (r(x) for x in np.percentile(a, [10, 25, 50, 75, 90]))
    return Distribution(
        mean=r(a.mean()), std=r(a.std()), p10=p10, p25=p25, median=p50, p75=p75, p90=p90
    )


def complete(result: AssessmentResult) -> bool:
    """Whether a result has an overall score and every element scored (benchmark-ready)."""
    return result.overall.score is not None and all(e.score is not None for e in result.elements)


def build_benchmark(
    results: Sequence[tuple[str, AssessmentResult]],
    *,
    by: Sequence[Dimension],
    min_group: int,
    bench_id: str,
    version: str,
    label: Text,
    source: Text,
    illustrative: bool,
    date: dt.date,
) -> Benchmark:
    """A benchmark from many results of one framework version (see the module docstring)."""
    if not results:
        raise InputError.one("RESULTS", "", "no results given")
    problems: list[Problem] = []
    first = results[0][1].framework
    voc = vocabulary()
    for src, res in results:
        if (res.framework.id, res.framework.version) != (first.id, first.version):
            problems.append(
                Problem(
                    src,
                    "framework",
                    f"scored with {res.framework.id} {res.framework.version},"
                    f" but {results[0][0]} with {first.id} {first.version}",
                )
            )
        problems += voc.problems(res.organization, src, "organization.")
        problems += [
            Problem(src, f"organization.{d}", "required field is missing")
            for d in by
            if d not in res.organization
        ]
    if problems:
        raise InputError(problems)
    usable = [res for _, res in results if complete(res)]
    if len(usable) < min_group:
        raise InputError.one(
            "RESULTS",
            "",
            f"{len(usable)} complete results (overall and every element scored),"
            f" fewer than --min-group {min_group}: nothing can be published",
        )
    element_ids = [e.id for e in usable[0].elements]
    profiles = [res.organization for res in usable]
    counts = group_counts(profiles, by)
    published = publishable(counts, by, min_group)
    groups = []
    for key in sorted(published, key=lambda k: (len(k), [by.index(d) for d, _ in k], k)):
        members = [res for res in usable if all(res.organization[d] == v for d, v in key)]
        groups.append(
            Group(
                key=GroupKey.model_validate(dict(key)),
                n=len(members),
                overall=distribution([res.overall.score or 0.0 for res in members]),
                elements={
                    eid: distribution([_element_score(res, eid) for res in members])
                    for eid in element_ids
                },
            )
        )
    built = Built(
        date=date,
        source=source,
        organizations=len(usable),
        excluded=len(results) - len(usable),
        method=METHOD,
    )
    data = {
        "id": bench_id,
        "version": version,
        "framework": {"id": first.id, "version": first.version},
        "illustrative": illustrative,
        "label": label,
        "built": built,
        "by": list(by),
        "min_group": min_group,
        "groups": groups,
    }
    return validate_as(Benchmark, data, "benchmark")


def _element_score(res: AssessmentResult, element_id: str) -> float:
    for e in res.elements:
        if e.id == element_id and e.score is not None:
            return e.score
    raise ValueError(f"{element_id} is not scored")  # excluded by complete()


def percentile(score: float, dist: Distribution) -> float:
    """The percentile of a score within a published distribution (0–100).

    Piecewise-linear through (lo, 0), (p10, 10), (p25, 25), (median, 50), (p75, 75),
    (p90, 90), (hi, 100), where lo = max(0, min(p10, mean − 2.5·std)) and
    hi = min(100, max(p90, mean + 2.5·std)); below lo 0, above hi 100. Where the curve is
    flat at the score (tied quantiles), the middle of the flat stretch.
    """
    lo = max(0.0, min(dist.p10, dist.mean - 2.5 * dist.std))
    hi = min(100.0, max(dist.p90, dist.mean + 2.5 * dist.std))
    pts = [(0.0, lo), *dist.quantiles, (100.0, hi)]
    if score < lo:
        return 0.0
    if score > hi:
        return 100.0
    found: list[float] = []
    for (p0, x0), (p1, x1) in itertools.pairwise(pts):
        if x0 <= score <= x1:
            if x1 > x0:
                found.append(p0 + (p1 - p0) * (score - x0) / (x1 - x0))
            else:
                found += [p0, p1]
    return r((min(found) + max(found)) / 2)


def fallback_chain(by: Sequence[Dimension], profile: dict[str, str]) -> list[dict[str, str]]:
    """Peer-group keys from most to least specific: fewer dimensions later; among equally
    specific keys, those keeping the earlier dimensions of `by` first; last, everybody."""
    return [
        {d: profile[d] for d in dims}
        for k in range(len(by), -1, -1)
        for dims in itertools.combinations(by, k)
    ]


def compare(
    result: AssessmentResult, bench: Benchmark, source: str, sha256: str
) -> BenchmarkComparison:
    """The result's percentiles within its most specific published peer group."""
    if (bench.framework.id, bench.framework.version) != (
        result.framework.id,
        result.framework.version,
    ):
        raise InputError.one(
            source,
            "framework",
            f"the benchmark is for {bench.framework.id} {bench.framework.version},"
            f" but the result was scored with {result.framework.id} {result.framework.version}",
        )
    missing = [e.id for e in result.elements if e.id not in bench.groups[0].elements]
    if missing:
        raise InputError.one(
            source, "groups", f"no distribution for element(s) {', '.join(missing)}"
        )
    tried: list[dict[str, str]] = []
    group = None
    for key in fallback_chain(bench.by, result.organization):
        tried.append(key)
        group = bench.group(key)
        if group is not None:
            break
    if group is None:
        raise InputError.one(source, "groups", "no published group covers this organisation")
    return BenchmarkComparison(
        id=bench.id,
        version=bench.version,
        sha256=sha256,
        illustrative=bench.illustrative,
        label=bench.label,
        source=bench.built.source,
        group=group.key.values(),
        n=group.n,
        tried=tried,
        overall=_figure("overall", result.overall.score, group.overall),
        elements=[_figure(e.id, e.score, group.elements[e.id]) for e in result.elements],
    )


def _figure(fid: str, score: float | None, dist: Distribution) -> PeerFigure:
    return PeerFigure(
        id=fid,
        score=score,
        percentile=None if score is None else percentile(score, dist),
        peers=dist,
    )


def with_benchmark(result: AssessmentResult, ref: str | Path) -> AssessmentResult:
    """The result with its benchmark comparison (a file path or a built-in benchmark id)."""
    from frameworks.benchmark import load_benchmark

    bench, path = load_benchmark(ref, result.framework.id)
    comparison = compare(result, bench, str(path), sha256_bytes(read_bytes(path)))
    return result.model_copy(update={"benchmark": comparison})


def load_results(
    paths: Sequence[Path], questionnaire: str | None = None, framework: str | None = None
) -> list[tuple[str, AssessmentResult]]:
    """Results from JSON result files and responses files (scored here), or folders of them."""
    from questionnaires.loader import load_questionnaire

    from .engine import assess
    from .responses import parse_responses

    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += sorted(f for f in p.iterdir() if f.suffix in SUFFIXES and f.is_file())
        else:
            files.append(p)
    loaded_q: dict[str, Any] = {}
    out: list[tuple[str, AssessmentResult]] = []
    for f in files:
        raw = read_bytes(f)
        data = load_data(f)
        if isinstance(data, dict) and "result_format" in data:
            out.append((str(f), load_result(data, f)))
        elif isinstance(data, dict) and data.get("type") == "responses":
            loaded = parse_responses(raw, str(f))
            qref = questionnaire or loaded.responses.questionnaire.id
            if qref not in loaded_q:
                loaded_q[qref] = load_questionnaire(qref, framework)
            q, fw = loaded_q[qref]
            out.append((str(f), assess(loaded, q, fw)))
        else:
            raise InputError.one(
                f, "", "neither a result (result_format) nor a responses file (type: responses)"
            )
    return out


def benchmark_yaml(bench: Benchmark, header: str = "") -> str:
    """The benchmark as YAML, in a stable order, ready to write."""
    import yaml

    data = bench.model_dump(mode="json", by_alias=True, exclude_none=True)
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
