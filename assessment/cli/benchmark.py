"""`crmm benchmark build`, and the `--benchmark` option of score and report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from frameworks.plurals import counted

from .base import FRAMEWORK_OPT, QUESTIONNAIRE_OPT, cli, write_or_echo

BENCHMARK_OPT = click.option(
    "--benchmark",
    "benchmark",
    metavar="ID|FILE",
    help="Compare with a peer benchmark: a benchmark file or a built-in id (e.g. illustrative).",
)


def apply_benchmark(result: Any, benchmark: str | None) -> Any:
    """The result with its benchmark comparison, if a benchmark was asked for."""
    if benchmark is None:
        return result
    from ..benchmarking import with_benchmark

    return with_benchmark(result, benchmark)


def _dimensions(value: str) -> list[str]:
    from frameworks.vocabulary import DIMENSIONS

    dims = [d.strip() for d in value.split(",") if d.strip()]
    bad = [d for d in dims if d not in DIMENSIONS]
    if bad or not dims or len(set(dims)) != len(dims):
        raise click.BadParameter(
            f"expected distinct dimensions among {', '.join(DIMENSIONS)}, got {value!r}"
        )
    return dims


@cli.group()
def benchmark() -> None:
    """Peer benchmarks: score distributions by industry, size band and region."""


@benchmark.command()
@click.argument("results", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="Benchmark file."
)
@click.option(
    "--by",
    default="industry,size,region",
    show_default=True,
    help="Dimensions of the peer groups, most important first (also the fallback order).",
)
@click.option(
    "--depth",
    type=click.IntRange(0, 3),
    default=1,
    show_default=True,
    help="Most dimensions a group restricts (0: everybody only; 1: each dimension alone; …).",
)
@click.option(
    "--min-group",
    type=click.IntRange(2),
    default=400,
    show_default=True,
    help="Smallest noisy count of a published group (smaller groups would publish mostly noise:"
    " docs/benchmarks.md).",
)
@click.option(
    "--epsilon",
    type=click.FloatRange(0, min_open=True),
    default=20.0,
    show_default=True,
    help="Differential-privacy budget of this release (all groups and statistics).",
)
@click.option(
    "--previous",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="The previous release of this benchmark: its epsilon is added to this one's.",
)
@click.option(
    "--max-epsilon",
    type=click.FloatRange(0, min_open=True),
    help="Total budget of all releases of this benchmark (default: the previous release's).",
)
@click.option("--force", is_flag=True, help="Exceed --max-epsilon knowingly.")
@click.option(
    "--id", "bench_id", help="Benchmark id (default: the previous release's, else benchmark)."
)
@click.option(
    "--version",
    "version",
    help="Release version (default: 1.0.0, or the previous release's next minor version).",
)
@click.option("--source", default="", help="Where the results come from (recorded in the file).")
@QUESTIONNAIRE_OPT
@FRAMEWORK_OPT
def build(
    results: tuple[Path, ...],
    output: Path,
    by: str,
    depth: int,
    min_group: int,
    epsilon: float,
    previous: Path | None,
    max_epsilon: float | None,
    force: bool,
    bench_id: str | None,
    version: str | None,
    source: str,
    questionnaire: str | None,
    framework: str | None,
) -> None:
    """Build a differentially private benchmark from scored results (JSON results, responses
    files, or folders); every run draws new noise and spends --epsilon again."""
    from frameworks.benchmark import load_benchmark
    from frameworks.text import Text

    from ..benchmarking import (
        benchmark_yaml,
        build_benchmark,
        complete,
        load_results,
        next_version,
        one_per_organisation,
        weak_suppression,
    )

    dims = _dimensions(by)
    old = None if previous is None else load_benchmark(previous, "")[0]
    loaded = load_results(list(results), questionnaire, framework)
    what = source or f"{len(loaded)} assessment results"
    bench = build_benchmark(
        loaded,
        by=dims,  # type: ignore[arg-type]
        min_group=min_group,
        bench_id=bench_id or (old.id if old is not None else "benchmark"),
        version=version or next_version(old),
        label=Text.model_validate({"zh-CN": "同业基准", "en": "peer benchmark"}),
        source=Text.model_validate({"zh-CN": what, "en": what}),
        illustrative=False,
        date=dt.date.today(),
        epsilon=epsilon,
        depth=depth,
        previous=old,
        max_epsilon=max_epsilon,
        force=force,
    )
    write_or_echo(benchmark_yaml(bench), output)
    kept = one_per_organisation(loaded)
    used = sum(1 for _, res in kept if complete(res))
    p = bench.privacy
    click.echo(
        f"{counted(len(bench.groups), 'group', 'groups')} published from"
        f" {counted(used, 'organisation', 'organisations')}"
        f" ({len(loaded) - len(kept)} earlier results of the same organisations and"
        f" {len(kept) - used} incomplete results left out; these counts are not in the file);"
        f" epsilon {p.epsilon:g} spent, {p.epsilon_spent:g} by"
        f" {counted(len(p.releases), 'release', 'releases')}"
        f" of {p.lineage}",
        err=True,
    )
    warning = weak_suppression(bench)
    if warning:
        click.echo(warning, err=True)
