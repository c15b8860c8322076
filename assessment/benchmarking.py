"""Building differentially private benchmarks from many results, and placing one result
within its peer group.

Privacy (docs/benchmarks.md): one result per organisation; every group key the vocabulary
allows (up to `depth` dimensions of `by`) gets a noisy count, and groups whose noisy count
reaches `min_group` publish a noisy mean and noisy quantiles of the overall score and of
every element's score (assessment.privacy, OpenDP). The release's epsilon is recorded with
the epsilon all earlier releases of the same benchmark spent.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from frameworks.benchmark import Benchmark, Built, Distribution, levels
from frameworks.errors import InputError, Problem
from frameworks.fileio import load_data, read_bytes, sha256_bytes, validate_as
from frameworks.text import Text
from frameworks.vocabulary import DIMENSIONS, Dimension, vocabulary

from .peers import BenchmarkComparison, PeerFigure
from .result import AssessmentResult, load_result
from .scoring import r

Key = tuple[tuple[str, str], ...]
METHOD = (
    "one result per organisation (the latest); groups: every key of at most `depth` of the"
    " `by` dimensions over the declared vocabulary; a group is published when its noisy count"
    " reaches min_group; mean and quantiles of the overall and of every element are"
    " differentially private (privacy block, docs/benchmarks.md)"
)
SUFFIXES = (".json", ".yaml", ".yml")
STEP = 5  # a percentile against a noisy benchmark is shown to the nearest 5


def make_key(values: dict[str, str]) -> Key:
    """A group key in dimension order: ((dimension, value), …); () is everybody."""
    return tuple((d, values[d]) for d in DIMENSIONS if d in values)


def candidate_keys(by: Sequence[Dimension], depth: int) -> list[Key]:
    """Every group key of at most `depth` of the `by` dimensions over the declared ids.

    The list comes from the vocabulary, not from the results, so which keys are tried
    reveals nothing about who is in the data. Order: fewer dimensions first, then `by`.
    """
    voc = vocabulary()
    keys: list[Key] = []
    for k in range(min(depth, len(by)) + 1):
        for dims in itertools.combinations(by, k):
            for values in itertools.product(*(sorted(voc.names(d)) for d in dims)):
                keys.append(make_key(dict(zip(dims, values, strict=True))))
    return keys


def one_per_organisation(
    results: Sequence[tuple[str, AssessmentResult]],
) -> list[tuple[str, AssessmentResult]]:
    """One result per organisation, so that each contributes once: the latest by date (the
    last given among equal dates). An organisation is its name, case and spacing aside."""
    latest: dict[str, tuple[int, tuple[str, AssessmentResult]]] = {}
    for i, (src, res) in enumerate(results):
        name = " ".join(res.organization.get("name", src).split()).casefold()
        if name not in latest or res.date >= latest[name][1][1].date:
            latest[name] = (i, (src, res))
    return [item for _, item in sorted(latest.values(), key=lambda x: x[0])]


def complete(result: AssessmentResult) -> bool:
    """Whether a result has an overall score and every element scored (benchmark-ready)."""
    return result.overall.score is not None and all(e.score is not None for e in result.elements)


def lineage_of(
    previous: Benchmark | None,
    bench_id: str,
    version: str,
    date: dt.date,
    epsilon: float,
    max_epsilon: float | None,
    force: bool,
) -> dict[str, Any]:
    """The privacy accounting of a new release: its lineage, every release, the total spent.

    With `previous` (the lineage's latest release) the id must be the same and the version
    newer; the total may not exceed `max_epsilon` (or the previous release's) unless forced.
    """
    releases: list[dict[str, Any]] = []
    lineage = bench_id
    if previous is not None:
        lineage = previous.privacy.lineage
        if previous.id != bench_id:
            raise InputError.one(
                "--previous", "id", f"the previous release is {previous.id!r}, not {bench_id!r}"
            )
        if _semver(version) <= _semver(previous.version):
            raise InputError.one(
                "--version",
                "",
                f"{version} is not newer than the previous release {previous.version}",
            )
        releases = [x.model_dump() for x in previous.privacy.releases]
        if max_epsilon is None:
            max_epsilon = previous.privacy.max_epsilon
    releases.append({"version": version, "date": date, "epsilon": epsilon})
    spent = sum(float(x["epsilon"]) for x in releases)
    if max_epsilon is not None and spent > max_epsilon + 1e-9 and not force:
        raise InputError.one(
            "--max-epsilon",
            "",
            f"this release would bring the epsilon spent by {bench_id} to {spent:g}, above"
            f" its budget of {max_epsilon:g} (earlier releases: {spent - epsilon:g});"
            " use a smaller --epsilon, or --force to exceed the budget knowingly",
        )
    return {
        "lineage": lineage,
        "releases": releases,
        "epsilon_spent": spent,
        "max_epsilon": max_epsilon,
    }


def next_version(previous: Benchmark | None) -> str:
    """The version of a new release: 1.0.0, or the previous release's next minor version."""
    if previous is None:
        return "1.0.0"
    major, minor = _semver(previous.version)[:2]
    return f"{major}.{minor + 1}.0"


def weak_suppression(bench: Benchmark) -> str | None:
    """A warning when min_group is within 5 noise scales of zero: a group with few or no
    organisations then reaches it with probability above ½·e^(−5) ≈ 0.3 %."""
    scale = bench.privacy.count_noise
    if bench.min_group >= 5 * scale:
        return None
    return (
        f"warning: --min-group {bench.min_group} is within 5 noise scales (scale {scale:.3g})"
        " of zero: groups with few or no organisations may be published, with figures that"
        " are mostly noise"
    )


def _semver(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in v.split("-")[0].split("+")[0].split("."))


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
    epsilon: float,
    depth: int = 1,
    previous: Benchmark | None = None,
    max_epsilon: float | None = None,
    force: bool = False,
) -> Benchmark:
    """A differentially private benchmark from many results of one framework version."""
    from .privacy import RANDOMNESS, mechanism, mechanisms, split_budget

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
    accounting = lineage_of(previous, bench_id, version, date, epsilon, max_epsilon, force)
    usable = [res for _, res in one_per_organisation(results) if complete(res)]
    if not usable:
        raise InputError.one("RESULTS", "", "no complete result (overall and every element scored)")
    element_ids = [e.id for e in usable[0].elements]
    budget = split_budget(epsilon, levels(len(by), depth), len(element_ids) + 1)
    mech = mechanisms(budget)
    members: dict[Key, list[AssessmentResult]] = {}
    for res in usable:
        for k in range(min(depth, len(by)) + 1):
            for dims in itertools.combinations(by, k):
                key = make_key({d: res.organization[d] for d in dims})
                members.setdefault(key, []).append(res)
    groups = []
    for key in candidate_keys(by, depth):
        rows = members.get(key, [])
        n = mech.count(len(rows))
        if n < min_group:
            continue
        groups.append(
            {
                "key": dict(key),
                "n": n,
                "overall": mech.distribution([res.overall.score or 0.0 for res in rows], n),
                "elements": {
                    eid: mech.distribution([_element_score(res, eid) for res in rows], n)
                    for eid in element_ids
                },
            }
        )
    if not groups:
        raise InputError.one(
            "RESULTS",
            "",
            f"no group reached a noisy count of --min-group {min_group}: nothing can be"
            f" published from {len(usable)} complete results",
        )
    privacy = {
        "mechanism": mechanism(),
        "epsilon": epsilon,
        "levels": budget.levels,
        "epsilon_count": budget.epsilon_count,
        "scores": budget.scores,
        "epsilon_mean": budget.epsilon_mean,
        "epsilon_quantiles": budget.epsilon_quantiles,
        **accounting,
        "randomness": RANDOMNESS,
    }
    data = {
        "id": bench_id,
        "version": version,
        "framework": {"id": first.id, "version": first.version},
        "illustrative": illustrative,
        "label": label,
        "built": Built(date=date, source=source, method=METHOD),
        "by": list(by),
        "depth": depth,
        "min_group": min_group,
        "privacy": privacy,
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

    Piecewise-linear through (0, 0), (p10, 10), (p25, 25), (median, 50), (p75, 75),
    (p90, 90), (100, 100): no score is below 0 or above 100. Where the curve is flat at the
    score (tied quantiles), the middle of the flat stretch.
    """
    pts = [(0.0, 0.0), *dist.quantiles, (100.0, 100.0)]
    found: list[float] = []
    for (p0, x0), (p1, x1) in itertools.pairwise(pts):
        if x0 <= score <= x1:
            if x1 > x0:
                found.append(p0 + (p1 - p0) * (score - x0) / (x1 - x0))
            else:
                found += [p0, p1]
    return r((min(found) + max(found)) / 2)


def shown_percentile(pct: float) -> str:
    """How a percentile against a noisy benchmark is printed: `≈ P60` (to the nearest 5,
    halves up), `< P10` below 10 and `> P90` above 90 (never P0 or P100)."""
    if pct < 10:
        return "< P10"
    if pct > 90:
        return "> P90"
    step = Decimal(STEP)
    near = (Decimal(str(pct)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    return f"≈ P{near}"


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
        approximate=True,
        privacy=bench.privacy,
        mean_noise=r(bench.privacy.mean_noise(group.n)),
        overall=_figure("overall", result.overall.score, group.overall),
        elements=[_figure(e.id, e.score, group.elements[e.id]) for e in result.elements],
    )


def _figure(fid: str, score: float | None, dist: Distribution) -> PeerFigure:
    pct = None if score is None else percentile(score, dist)
    return PeerFigure(
        id=fid,
        score=score,
        percentile=pct,
        shown=None if pct is None else shown_percentile(pct),
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
            qref = questionnaire or loaded.head.questionnaire.id
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
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's when there
    text = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)
    return header + text
