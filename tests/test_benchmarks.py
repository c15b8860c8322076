"""Benchmarks: percentiles, peer-group fallback, the privacy rules, the CLI and the report."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from functools import cache
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.benchmarking import (
    benchmark_yaml,
    build_benchmark,
    children,
    compare,
    fallback_chain,
    group_counts,
    make_key,
    percentile,
    publishable,
)
from assessment.cli import cli
from assessment.engine import assess
from assessment.responses import load_responses
from assessment.result import AssessmentResult
from frameworks.benchmark import Benchmark, Distribution, builtin_benchmarks, load_benchmark
from frameworks.errors import InputError
from frameworks.loader import load_framework
from frameworks.text import Text
from questionnaires.loader import load_questionnaire

from .conftest import MINI, ROOT, mini_args, write_yaml

DIST = Distribution(mean=50, std=10, p10=40, p25=45, median=50, p75=55, p90=60)
LABEL = Text.model_validate({"zh-CN": "测试基准", "en": "test benchmark"})


@cache
def mini_result() -> AssessmentResult:
    q, fw = load_questionnaire(str(MINI / "questionnaire.yaml"), str(MINI / "framework.yaml"))
    return assess(load_responses(MINI / "responses.yaml"), q, fw)


def fake(industry: str, size: str, region: str, score: float) -> AssessmentResult:
    """The mini result re-profiled, with every element and the overall at `score`."""
    base = mini_result()
    return base.model_copy(
        update={
            "organization": {"name": "x", "industry": industry, "size": size, "region": region},
            "overall": base.overall.model_copy(update={"score": score}),
            "elements": [e.model_copy(update={"score": score}) for e in base.elements],
        }
    )


def build(results: list[AssessmentResult], by: list[Any], min_group: int) -> Benchmark:
    return build_benchmark(
        [(f"r{i}", res) for i, res in enumerate(results)],
        by=by,
        min_group=min_group,
        bench_id="test",
        version="1.0.0",
        label=LABEL,
        source=LABEL,
        illustrative=False,
        date=dt.date(2026, 11, 23),
    )


# --- percentiles -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (50, 50.0),
        (47.5, 37.5),  # 25 + 25 × 2.5 / 5
        (42, 16.0),  # 10 + 15 × 2 / 5
        (30, 3.33),  # tail: lo = mean − 2.5·std = 25; 0 + 10 × 5 / 15
        (65, 93.33),  # tail: hi = mean + 2.5·std = 75; 90 + 10 × 5 / 15
        (20, 0.0),
        (80, 100.0),
        (60, 90.0),
    ],
)
def test_percentile_hand_computed(score: float, expected: float) -> None:
    assert percentile(score, DIST) == expected


def test_percentile_tied_quantiles_take_the_middle() -> None:
    d = Distribution(mean=50, std=5, p10=40, p25=50, median=50, p75=50, p90=60)
    assert percentile(50, d) == 50.0  # flat from percent 25 to 75
    assert percentile(45, d) == 17.5  # 10 + 15 × 5 / 10


@given(
    st.lists(st.floats(0, 100), min_size=5, max_size=5),
    st.floats(0, 100),
    st.floats(0, 100),
    st.floats(0, 30),
)
def test_percentile_is_monotone_and_bounded(q: list[float], a: float, b: float, sd: float) -> None:
    q.sort()
    d = Distribution(mean=q[2], std=sd, p10=q[0], p25=q[1], median=q[2], p75=q[3], p90=q[4])
    lo, hi = sorted((a, b))
    assert 0.0 <= percentile(lo, d) <= percentile(hi, d) <= 100.0


# --- fallback ---------------------------------------------------------------------------


def test_fallback_chain_order() -> None:
    chain = fallback_chain(
        ["industry", "size", "region"],
        {"industry": "retail", "size": "small", "region": "east-china", "name": "x"},
    )
    assert chain == [
        {"industry": "retail", "size": "small", "region": "east-china"},
        {"industry": "retail", "size": "small"},
        {"industry": "retail", "region": "east-china"},
        {"size": "small", "region": "east-china"},
        {"industry": "retail"},
        {"size": "small"},
        {"region": "east-china"},
        {},
    ]


def fallback_bench() -> Benchmark:
    """all: 20; retail: 10 (5 medium + 5 small); banking 10 (5 large east, 5 large south)."""
    results = (
        [fake("retail", "medium", "east-china", 30 + i) for i in range(5)]
        + [fake("retail", "small", f"r-{i}", 40) for i in range(5)]
        + [fake("banking", "large", "east-china", 60) for _ in range(5)]
        + [fake("banking", "large", "south-china", 70) for _ in range(5)]
    )
    for i, res in enumerate(results[5:10]):  # small retailers in five regions: all suppressed
        region = ["north-china", "south-china", "central-china", "taiwan", "macao"][i]
        results[5 + i] = res.model_copy(
            update={"organization": {**res.organization, "region": region}}
        )
    return build(results, ["industry", "size", "region"], 5)


def test_fallback_to_coarser_groups() -> None:
    bench = fallback_bench()
    by_key = {tuple(sorted(g.key.values().items())): g.n for g in bench.groups}
    assert by_key[()] == 20
    assert by_key[(("industry", "retail"),)] == 10
    assert (("industry", "retail"), ("region", "north-china")) not in by_key
    # retail × medium × east-china is published: the exact group
    cmp = compare(fake("retail", "medium", "east-china", 32), bench, "b.yaml", "-")
    assert cmp.group == {"industry": "retail", "size": "medium", "region": "east-china"}
    assert cmp.n == 5 and len(cmp.tried) == 1
    # scores 30..34: p10 30.4, p25 31, median 32, p75 33, p90 33.6 → 32 is the median
    assert cmp.overall.percentile == 50.0
    assert cmp.overall.peers.p25 == 31.0 and cmp.overall.peers.p90 == 33.6
    # a small retailer in north China: only the retail × small group is published
    cmp = compare(fake("retail", "small", "north-china", 40), bench, "b.yaml", "-")
    assert cmp.group == {"industry": "retail", "size": "small"} and cmp.n == 5
    assert cmp.tried[0] == {"industry": "retail", "size": "small", "region": "north-china"}
    # a medium insurer in east China: size × region is the first published group
    cmp = compare(fake("insurance", "medium", "east-china", 40), bench, "b.yaml", "-")
    assert cmp.group == {"size": "medium", "region": "east-china"}
    # an insurer elsewhere: everybody
    cmp = compare(fake("insurance", "micro", "taiwan", 40), bench, "b.yaml", "-")
    assert cmp.group == {} and cmp.n == 20 and len(cmp.tried) == 8


def test_compare_rejects_another_framework_version() -> None:
    bench = fallback_bench()
    res = fake("retail", "small", "east-china", 50)
    other = res.model_copy(
        update={"framework": res.framework.model_copy(update={"version": "9.9.9"})}
    )
    with pytest.raises(InputError) as err:
        compare(other, bench, "b.yaml", "-")
    assert str(err.value) == (
        "b.yaml: framework: the benchmark is for mini 0.1.0,"
        " but the result was scored with mini 9.9.9"
    )


# --- privacy ----------------------------------------------------------------------------


def counts_of(pairs: dict[str, int]) -> dict[Any, int]:
    return {make_key(dict(kv.split("=") for kv in k.split(",") if kv)): n for k, n in pairs.items()}


def test_min_group_suppresses_small_groups() -> None:
    counts = counts_of({"": 15, "industry=retail": 5, "industry=banking": 10})
    assert publishable(counts, ["industry"], 5) == set(counts)  # residual 0: all published
    # min 6: retail (5) is too small, and all − banking would reveal those 5: banking goes too
    assert publishable(counts, ["industry"], 6) == {()}


def test_differencing_suppresses_a_sibling() -> None:
    # all = 17: retail 6, banking 7, insurance 4 (too small). Publishing all, retail and
    # banking would reveal the 4 insurers as all − retail − banking; the smallest published
    # sibling (retail) is suppressed too, leaving a residual of 10.
    counts = counts_of(
        {"": 17, "industry=retail": 6, "industry=banking": 7, "industry=insurance": 4}
    )
    assert publishable(counts, ["industry"], 5) == {(), (("industry", "banking"),)}


def test_differencing_in_two_dimensions() -> None:
    # all 18 = retail 12 + banking 6; by size: medium 6, small 11, micro 1 (unpublished).
    # all by size: 18 − 6 − 11 = 1 → suppress medium (6); retail by size: 12 − 6 − 5 = 1 →
    # suppress retail × small (5); small by industry then leaves 11 − 6 = 5: allowed.
    profiles = (
        [{"industry": "retail", "size": "medium"}] * 6
        + [{"industry": "retail", "size": "small"}] * 5
        + [{"industry": "retail", "size": "micro"}]
        + [{"industry": "banking", "size": "small"}] * 6
    )
    counts = group_counts(profiles, ["industry", "size"])
    pub = publishable(counts, ["industry", "size"], 5)
    assert (("industry", "retail"), ("size", "medium")) in pub
    assert pub == {
        (),
        (("industry", "retail"),),
        (("industry", "banking"),),
        (("size", "small"),),
        (("industry", "retail"), ("size", "medium")),
        (("industry", "banking"), ("size", "small")),
    }
    assert_private(counts, pub, ["industry", "size"], 5)


def assert_private(counts: dict[Any, int], pub: set[Any], by: list[Any], m: int) -> None:
    for key in pub:
        assert counts[key] >= m
        for dim in by:
            if dim in dict(key):
                continue
            kids = children(key, dim, pub)
            # every union of published siblings leaves 0 or at least m organisations
            for k in range(len(kids) + 1):
                for subset in combinations(kids, k):
                    rest = counts[key] - sum(counts[c] for c in subset)
                    assert rest == 0 or rest >= m, (key, dim, subset, rest)


PROFILE = st.fixed_dictionaries(
    {
        "industry": st.sampled_from(["retail", "banking", "telecom"]),
        "size": st.sampled_from(["small", "large"]),
        "region": st.sampled_from(["east-china", "south-china", "taiwan"]),
    }
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PROFILE, max_size=60), st.integers(2, 8))
def test_published_groups_are_large_also_under_differencing(
    profiles: list[dict[str, str]], m: int
) -> None:
    by: list[Any] = ["industry", "size", "region"]
    counts = group_counts(profiles, by)
    assert_private(counts, publishable(counts, by, m), by, m)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PROFILE, min_size=8, max_size=40), st.integers(2, 6))
def test_built_benchmark_file_is_private(profiles: list[dict[str, str]], m: int) -> None:
    """The published file itself: recount from its groups only."""
    results = [
        fake(p["industry"], p["size"], p["region"], 10.0 + i) for i, p in enumerate(profiles)
    ]
    bench = build(results, ["industry", "size", "region"], m)
    file_counts = {make_key(g.key.values()): g.n for g in bench.groups}
    true_counts = group_counts(profiles, ["industry", "size", "region"])
    assert all(true_counts[k] == n for k, n in file_counts.items())
    assert_private(true_counts, set(file_counts), ["industry", "size", "region"], m)
    assert bench.groups[0].key.values() == {} and bench.groups[0].n == len(profiles)


def test_too_few_results_publish_nothing() -> None:
    with pytest.raises(InputError, match="fewer than --min-group 5"):
        build([fake("retail", "small", "east-china", 50)] * 4, ["industry"], 5)


def test_results_with_an_unscored_element_are_left_out() -> None:
    good = [fake("retail", "small", "east-china", 50)] * 5
    bad = good[0].model_copy(update={"overall": good[0].overall.model_copy(update={"score": None})})
    bench = build([*good, bad], ["industry"], 5)
    assert bench.built.organizations == 5 and bench.built.excluded == 1


# --- files and CLI ----------------------------------------------------------------------


def write_results(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        res = fake("retail" if i % 2 else "banking", "small", "east-china", 20.0 + 5 * i)
        path = folder / f"r{i:02d}.json"
        path.write_text(res.model_dump_json(), "utf-8")
        paths.append(path)
    return paths


def test_cli_build_score_and_report(runner: CliRunner, tmp_path: Path) -> None:
    write_results(tmp_path / "results", 12)
    out = tmp_path / "bench.yaml"
    res = runner.invoke(
        cli,
        [
            "benchmark",
            "build",
            str(tmp_path / "results"),
            str(MINI / "responses.yaml"),
            "-o",
            str(out),
            "--by",
            "industry,size",
            *mini_args(),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "groups published from 13 organisations" in res.output
    bench, _ = load_benchmark(out, "mini")
    # 6 banks and 6 + Mini Co retailers, all small: every residual is 0, all published
    assert {g.key.label(): g.n for g in bench.groups} == {
        "all": 13,
        "banking": 6,
        "retail": 7,
        "small": 13,
        "banking × small": 6,
        "retail × small": 7,
    }
    res = runner.invoke(
        cli,
        [
            "score",
            str(MINI / "responses.yaml"),
            "--format",
            "json",
            "--benchmark",
            str(out),
            *mini_args(),
        ],
    )
    assert res.exit_code == 0, res.output
    cmp = json.loads(res.output)["benchmark"]
    assert cmp["group"] == {"industry": "retail", "size": "small"} and cmp["n"] == 7
    # retail × small overall scores: 25, 35, 45, 55, 61.25 (Mini Co), 65, 75 → p25 = 40,
    # median 55, p75 = 61.25 + 0.5 × 3.75 = 63.125 → 63.13 (half up); 61.25 lies between the
    # median and p75: 50 + 25 × (61.25 − 55) / (63.13 − 55) = 69.219 → 69.22
    assert cmp["overall"]["peers"]["p25"] == 40.0 and cmp["overall"]["peers"]["p75"] == 63.13
    assert cmp["overall"]["score"] == 61.25 and cmp["overall"]["percentile"] == 69.22
    res = runner.invoke(
        cli, ["score", str(MINI / "responses.yaml"), "--benchmark", str(out), *mini_args()]
    )
    assert res.exit_code == 0, res.output
    assert (
        "peer benchmark benchmark 1.0.0 (peer benchmark): group industry=retail, size=small,"
        " n = 7" in res.output
    )
    row = next(
        line for line in res.output.splitlines() if line.startswith("overall") and "–" in line
    )
    assert row.split() == ["overall", "61.25", "55.00", "40.00–63.13", "69"]
    md = tmp_path / "r.md"
    res = runner.invoke(
        cli,
        [
            "report",
            str(MINI / "responses.yaml"),
            "-o",
            str(md),
            "--lang",
            "en",
            "--benchmark",
            str(out),
            *mini_args(),
        ],
    )
    assert res.exit_code == 0, res.output
    text = md.read_text("utf-8")
    assert "### Peer benchmark" in text and "Within the peer group Retail × Small" in text
    html = tmp_path / "r.html"
    res = runner.invoke(
        cli,
        [
            "report",
            str(MINI / "responses.yaml"),
            "-o",
            str(html),
            "--lang",
            "zh-CN",
            "--benchmark",
            str(out),
            *mini_args(),
        ],
    )
    assert res.exit_code == 0, res.output
    page = html.read_text("utf-8")
    assert 'class="peer-band"' in page and 'class="peer-median"' in page
    assert "同业基准对比" in page and "零售 × 小型" in page


def test_cli_benchmark_errors(runner: CliRunner, tmp_path: Path, mini_responses: Any) -> None:
    write_results(tmp_path / "results", 4)
    res = runner.invoke(
        cli, ["benchmark", "build", str(tmp_path / "results"), "-o", str(tmp_path / "b.yaml")]
    )
    assert res.exit_code == 2
    assert "4 complete results" in res.output and "fewer than --min-group 5" in res.output
    assert not (tmp_path / "b.yaml").exists()
    write_results(tmp_path / "results", 5)
    res = runner.invoke(
        cli,
        [
            "benchmark",
            "build",
            str(tmp_path / "results"),
            "-o",
            str(tmp_path / "b.yaml"),
            "--id",
            "My Bench",
        ],
    )
    assert res.exit_code == 2 and res.output.startswith("benchmark: id: String should match")
    res = runner.invoke(
        cli,
        [
            "benchmark",
            "build",
            str(tmp_path / "results"),
            "-o",
            str(tmp_path / "b.yaml"),
            "--by",
            "industry,colour",
        ],
    )
    assert res.exit_code == 2 and "expected distinct dimensions" in res.output
    # unknown industry in a responses file
    mini_responses["organization"]["industry"] = "mining"
    bad = write_yaml(tmp_path / "bad.yaml", mini_responses)
    res = runner.invoke(cli, ["score", str(bad), *mini_args()])
    assert res.exit_code == 2
    assert res.output.startswith(
        f"{bad}: organization.industry: unknown industry 'mining'"
        " (allowed: retail, wholesale, banking,"
    )
    # no built-in benchmark for the mini framework
    res = runner.invoke(
        cli, ["score", str(MINI / "responses.yaml"), "--benchmark", "illustrative", *mini_args()]
    )
    assert res.exit_code == 2
    assert "no such file or built-in benchmark of mini (built-in: none)" in res.output
    # the built-in illustrative benchmark belongs to crm-maturity 1.0.0, not to mini
    builtin, path = load_benchmark("illustrative", "crm-maturity")
    res = runner.invoke(
        cli, ["score", str(MINI / "responses.yaml"), "--benchmark", str(path), *mini_args()]
    )
    assert res.exit_code == 2
    assert res.output.strip() == (
        f"{path}: framework: the benchmark is for crm-maturity {builtin.framework.version},"
        " but the result was scored with mini 0.1.0"
    )


def test_benchmark_file_errors_are_located(tmp_path: Path) -> None:
    write_results(tmp_path / "results", 6)
    results = [
        (str(p), AssessmentResult.model_validate_json(p.read_text("utf-8")))
        for p in sorted((tmp_path / "results").iterdir())
    ]
    bench = build([r for _, r in results], ["industry"], 2)
    data = yaml.safe_load(benchmark_yaml(bench))
    data["groups"][1]["key"] = {"industry": "mining"}
    data["groups"][0]["overall"]["p25"] = 99
    path = write_yaml(tmp_path / "b.yaml", data)
    with pytest.raises(InputError) as err:
        load_benchmark(path, "mini")
    assert f"{path}: groups[0].overall: Value error, quantiles must not decrease" in str(err.value)
    data["groups"][0]["overall"]["p25"] = bench.groups[0].overall.p25
    path = write_yaml(tmp_path / "b.yaml", data)
    with pytest.raises(InputError) as err:
        load_benchmark(path, "mini")
    assert str(err.value).startswith(
        f"{path}: groups[1].key.industry: unknown industry 'mining' (allowed: retail,"
    )


def test_builtin_illustrative_benchmark() -> None:
    assert builtin_benchmarks("crm-maturity") == ["illustrative"]
    bench, path = load_benchmark("illustrative", "crm-maturity")
    fw = load_framework("crm-maturity")
    assert (bench.framework.id, bench.framework.version) == (fw.id, fw.version)
    assert bench.illustrative and bench.label.en == "illustrative, synthetic — not survey data"
    assert "NOT SURVEY DATA" in path.read_text("utf-8").splitlines()[0]
    everybody = bench.group({})
    assert everybody is not None and everybody.n == bench.built.organizations >= 600
    assert 30 <= everybody.overall.mean <= 40
    assert set(everybody.elements) == {e.id for e in fw.elements}
    assert all(g.n >= bench.min_group for g in bench.groups)
    res = CliRunner().invoke(cli, ["validate", str(path)])
    assert res.exit_code == 0
    assert res.output.strip().endswith(
        f"benchmark illustrative 1.0.0 for crm-maturity 1.0.0: {len(bench.groups)} groups,"
        f" {bench.built.organizations} organisations"
    )


def test_illustrative_script_on_a_few_organisations(tmp_path: Path) -> None:
    """The seeded generator (run in full only by hand: about a minute) on 12 organisations."""
    spec = importlib.util.spec_from_file_location(
        "build_illustrative", ROOT / "scripts" / "build_illustrative_benchmark.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = tmp_path / "ill.yaml"
    assert script.main(["-o", str(out), "--organizations", "12"]) == 0
    text = out.read_text("utf-8")
    assert text.startswith("# ILLUSTRATIVE, SYNTHETIC — NOT SURVEY DATA.")
    bench, _ = load_benchmark(out, "crm-maturity")
    assert bench.illustrative and bench.built.organizations == 12
    assert bench.groups[0].key.values() == {}
    assert script.main(["-o", str(tmp_path / "again.yaml"), "--organizations", "12"]) == 0
    assert (tmp_path / "again.yaml").read_text("utf-8") == text  # seeded: reproducible
