"""`crmm benchmark build`, and the `--benchmark` option of score and report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

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
    "--min-group",
    type=click.IntRange(2),
    default=5,
    show_default=True,
    help="Smallest number of organisations a published group (or difference) may describe.",
)
@click.option("--id", "bench_id", default="benchmark", show_default=True, help="Benchmark id.")
@click.option("--version", "version", default="1.0.0", show_default=True)
@click.option("--source", default="", help="Where the results come from (recorded in the file).")
@QUESTIONNAIRE_OPT
@FRAMEWORK_OPT
def build(
    results: tuple[Path, ...],
    output: Path,
    by: str,
    min_group: int,
    bench_id: str,
    version: str,
    source: str,
    questionnaire: str | None,
    framework: str | None,
) -> None:
    """Build a benchmark from scored results (JSON results, responses files, or folders)."""
    from frameworks.text import Text

    from ..benchmarking import benchmark_yaml, build_benchmark, load_results

    dims = _dimensions(by)
    loaded = load_results(list(results), questionnaire, framework)
    what = source or f"{len(loaded)} assessment results"
    bench = build_benchmark(
        loaded,
        by=dims,  # type: ignore[arg-type]
        min_group=min_group,
        bench_id=bench_id,
        version=version,
        label=Text.model_validate({"zh-CN": "同业基准", "en": "peer benchmark"}),
        source=Text.model_validate({"zh-CN": what, "en": what}),
        illustrative=False,
        date=dt.date.today(),
    )
    write_or_echo(benchmark_yaml(bench), output)
    click.echo(
        f"{len(bench.groups)} groups published from {bench.built.organizations} organisations"
        f" ({bench.built.excluded} results left out: an element or the overall not scored)",
        err=True,
    )
