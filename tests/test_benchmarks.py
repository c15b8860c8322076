"""Benchmarks: percentiles, peer-group fallback, the privacy accounting, the CLI and the report.

The attacks on published benchmarks are in test_benchmark_privacy.py."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from assessment.benchmarking import (
    benchmark_yaml,
    build_benchmark,
    candidate_keys,
    compare,
    fallback_chain,
    one_per_organisation,
    percentile,
    shown_percentile,
)
from assessment.cli import cli
from assessment.engine import assess
from assessment.privacy import split_budget
from assessment.responses import load_responses
from assessment.result import AssessmentResult
from frameworks.benchmark import Benchmark, Distribution, builtin_benchmarks, load_benchmark
from frameworks.errors import InputError
from frameworks.loader import load_framework
from frameworks.text import Text
from questionnaires.loader import load_questionnaire

from .conftest import MINI, ROOT, mini_args, write_yaml

DIST = Distribution(mean=50, p10=40, p25=45, median=50, p75=55, p90=60)
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


def named(results: list[AssessmentResult]) -> list[tuple[str, AssessmentResult]]:
    """Each result as its own organisation (org-0, org-1, …)."""
    return [
        (f"r{i}", res.model_copy(update={"organization": {**res.organization, "name": f"org-{i}"}}))
        for i, res in enumerate(results)
    ]


def build(results: list[AssessmentResult], by: list[Any], min_group: int, **kw: Any) -> Benchmark:
    return build_benchmark(
        named(results),
        by=by,
        min_group=min_group,
        bench_id=kw.pop("bench_id", "test"),
        version=kw.pop("version", "1.0.0"),
        label=LABEL,
        source=LABEL,
        illustrative=False,
        date=dt.date(2026, 11, 23),
        epsilon=kw.pop("epsilon", 20.0),
        **kw,
    )


def privacy_block(by: int, depth: int, epsilon: float = 20.0, scores: int = 3) -> dict[str, Any]:
    """A consistent privacy block (the budget split of `crmm benchmark build`)."""
    from frameworks.benchmark import levels

    b = split_budget(epsilon, levels(by, depth), scores)
    return {
        "mechanism": "hand-made for a test",
        "epsilon": epsilon,
        "levels": b.levels,
        "epsilon_count": b.epsilon_count,
        "scores": b.scores,
        "epsilon_mean": b.epsilon_mean,
        "epsilon_quantiles": b.epsilon_quantiles,
        "lineage": "test",
        "releases": [{"version": "1.0.0", "date": "2026-11-23", "epsilon": epsilon}],
        "epsilon_spent": epsilon,
        "randomness": "none: hand-made",
    }


def dist(*q: float) -> dict[str, float]:
    return {"mean": q[2], **dict(zip(["p10", "p25", "median", "p75", "p90"], q, strict=True))}


def hand_made(groups: list[tuple[dict[str, str], int, dict[str, float]]]) -> Benchmark:
    """A benchmark file of the mini framework with these (key, n, distribution) groups."""
    data = {
        "type": "benchmark",
        "id": "test",
        "version": "1.0.0",
        "framework": {"id": "mini", "version": "0.1.0"},
        "illustrative": False,
        "label": LABEL.model_dump(by_alias=True),
        "built": {
            "date": "2026-11-23",
            "source": LABEL.model_dump(by_alias=True),
            "method": "by hand",
        },
        "by": ["industry", "size", "region"],
        "depth": 3,
        "min_group": 5,
        "privacy": privacy_block(3, 3),
        "groups": [
            {"key": key, "n": n, "overall": d, "elements": {"people": d, "service": d}}
            for key, n, d in groups
        ],
    }
    return Benchmark.model_validate(data)


# --- percentiles -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (50, 50.0),
        (47.5, 37.5),  # 25 + 25 × 2.5 / 5
        (42, 16.0),  # 10 + 15 × 2 / 5
        (30, 7.5),  # tail from (0, 0): 10 × 30 / 40
        (65, 91.25),  # tail to (100, 100): 90 + 10 × 5 / 40
        (0, 0.0),
        (100, 100.0),
        (60, 90.0),
    ],
)
def test_percentile_hand_computed(score: float, expected: float) -> None:
    assert percentile(score, DIST) == expected


def test_percentile_tied_quantiles_take_the_middle() -> None:
    d = Distribution(mean=50, p10=40, p25=50, median=50, p75=50, p90=60)
    assert percentile(50, d) == 50.0  # flat from percent 25 to 75
    assert percentile(45, d) == 17.5  # 10 + 15 × 5 / 10


@given(
    st.lists(st.floats(0, 100), min_size=5, max_size=5),
    st.floats(0, 100),
    st.floats(0, 100),
)
def test_percentile_is_monotone_and_bounded(q: list[float], a: float, b: float) -> None:
    q.sort()
    d = Distribution(mean=q[2], p10=q[0], p25=q[1], median=q[2], p75=q[3], p90=q[4])
    lo, hi = sorted((a, b))
    assert 0.0 <= percentile(lo, d) <= percentile(hi, d) <= 100.0
    assert shown_percentile(percentile(hi, d)) not in ("≈ P0", "≈ P100")


@pytest.mark.parametrize(
    ("pct", "shown"),
    [
        (62.5, "≈ P65"),  # halves up
        (12.5, "≈ P15"),
        (57.49, "≈ P55"),
        (10.0, "≈ P10"),
        (9.99, "< P10"),
        (0.0, "< P10"),
        (90.0, "≈ P90"),
        (90.01, "> P90"),
        (100.0, "> P90"),
    ],
)
def test_shown_percentile(pct: float, shown: str) -> None:
    assert shown_percentile(pct) == shown


def test_docs_worked_examples() -> None:
    """docs/benchmarks.md: the percentile example and the default budget arithmetic."""
    text = " ".join((ROOT / "docs" / "benchmarks.md").read_text("utf-8").split())
    for score, formula in [
        (47.5, "25 + 25 × (47.5 − 45) / (50 − 45) = {p}, shown {s}"),
        (30, "10 × 30 / 40 = {p}, shown {s}"),
        (65, "90 + 10 × (65 − 60) / (100 − 60) = {p}, shown {s}"),
    ]:
        pct = percentile(score, DIST)
        assert formula.format(p=f"{pct:g}", s=shown_percentile(pct)) in text
    b = split_budget(20.0, 4, 8)
    assert f"`epsilon_count` = {b.epsilon_count:g}" in text
    assert f"`epsilon_mean` = 0.5625 / 3 = {b.epsilon_mean:g}" in text
    assert f"`epsilon_quantiles` = 0.5625 × 2 / 3 = {b.epsilon_quantiles:g}" in text
    assert (
        f"4 × ({b.epsilon_count:g} + 8 × ({b.epsilon_mean:g} + {b.epsilon_quantiles:g})) = 20"
        in text
    )
    assert f"about {100 / (b.epsilon_mean * 150):.1f} points for n = 150" in text
    assert f"{100 / (b.epsilon_mean * 650):.1f} points for n = 650" in text


def test_top_of_a_group_of_ten_is_not_p100() -> None:
    """The best of ten organisations is above the published p90, shown as > P90."""
    bench = hand_made([({}, 10, dist(30, 35, 40, 45, 50))])
    cmp = compare(fake("retail", "small", "east-china", 70), bench, "b.yaml", "-")
    assert cmp.overall.percentile == 94.0 and cmp.overall.shown == "> P90"
    assert cmp.approximate and cmp.privacy.epsilon == 20.0
    assert cmp.mean_noise == round(100 / (cmp.privacy.epsilon_mean * 10), 2)
    cmp = compare(fake("retail", "small", "east-china", 41), bench, "b.yaml", "-")
    assert cmp.overall.percentile == 55.0 and cmp.overall.shown == "≈ P55"


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
    """all; retail; retail × small; retail × medium × east-china; medium × east-china."""
    d = dist(30.4, 31, 32, 33, 33.6)
    return hand_made(
        [
            ({}, 20, d),
            ({"industry": "retail"}, 10, d),
            ({"industry": "retail", "size": "small"}, 5, d),
            ({"industry": "retail", "size": "medium", "region": "east-china"}, 5, d),
            ({"size": "medium", "region": "east-china"}, 6, d),
        ]
    )


def test_fallback_to_coarser_groups() -> None:
    bench = fallback_bench()
    # retail × medium × east-china is published: the exact group
    cmp = compare(fake("retail", "medium", "east-china", 32), bench, "b.yaml", "-")
    assert cmp.group == {"industry": "retail", "size": "medium", "region": "east-china"}
    assert cmp.n == 5 and len(cmp.tried) == 1
    assert cmp.overall.percentile == 50.0 and cmp.overall.shown == "≈ P50"
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


# --- privacy: who counts, which groups, the budget ------------------------------------


def test_candidate_keys_come_from_the_vocabulary_not_the_data() -> None:
    from frameworks.vocabulary import vocabulary

    voc = vocabulary()
    keys = candidate_keys(["industry", "size", "region"], 1)
    sizes = [len(voc.names(d)) for d in ("industry", "size", "region")]  # type: ignore[arg-type]
    assert keys[0] == () and len(keys) == 1 + sum(sizes)
    assert len(candidate_keys(["industry", "size", "region"], 3)) == (sizes[0] + 1) * (
        sizes[1] + 1
    ) * (sizes[2] + 1)
    assert (("industry", "mining"),) not in keys and (("industry", "retail"),) in keys


def test_one_result_per_organisation_the_latest() -> None:
    a = fake("retail", "small", "east-china", 40)
    old = a.model_copy(update={"date": dt.date(2025, 1, 1)})
    new = a.model_copy(update={"date": dt.date(2026, 1, 1)})
    renamed = new.model_copy(update={"organization": {**new.organization, "name": "  X "}})
    other = fake("banking", "small", "east-china", 50).model_copy(
        update={"organization": {**a.organization, "name": "Y"}}
    )
    kept = one_per_organisation([("new", new), ("old", old), ("other", other), ("x", renamed)])
    # "  X " is x (case and spacing aside) with new's date: the later given is kept
    assert [src for src, _ in kept] == ["other", "x"]
    kept = one_per_organisation([("old", old), ("new", new)])
    assert [src for src, _ in kept] == ["new"]


def test_budget_split_and_the_recorded_arithmetic() -> None:
    b = split_budget(20.0, 4, 8)  # depth 1 over three dimensions: all + three single ones
    assert (b.epsilon_count, b.scores) == (0.5, 8)
    assert b.epsilon_mean == pytest.approx(4.5 / 8 / 3)
    assert b.epsilon_quantiles == pytest.approx(4.5 / 8 * 2 / 3)
    per_score = b.epsilon_mean + b.epsilon_quantiles
    assert b.levels * (b.epsilon_count + b.scores * per_score) == pytest.approx(20)
    bad = privacy_block(3, 3)
    bad["epsilon"] = 10.0
    with pytest.raises(ValueError, match="is not levels × "):
        from frameworks.benchmark import Privacy

        Privacy.model_validate(bad)


def test_lineage_accounting_across_releases(tmp_path: Path) -> None:
    results = [fake("retail", "small", "east-china", 30 + i % 20) for i in range(60)]
    v1 = build(results, ["industry"], 10, epsilon=4.0, max_epsilon=10.0)
    assert v1.privacy.epsilon_spent == 4.0 and v1.privacy.max_epsilon == 10.0
    v2 = build(results, ["industry"], 10, epsilon=4.0, previous=v1, version="1.1.0")
    assert [r.version for r in v2.privacy.releases] == ["1.0.0", "1.1.0"]
    assert v2.privacy.epsilon_spent == 8.0 and v2.privacy.max_epsilon == 10.0  # inherited
    with pytest.raises(InputError, match="to 12, above its budget of 10"):
        build(results, ["industry"], 10, epsilon=4.0, previous=v2, version="1.2.0")
    v3 = build(results, ["industry"], 10, epsilon=4.0, previous=v2, version="1.2.0", force=True)
    assert v3.privacy.epsilon_spent == 12.0
    with pytest.raises(InputError, match=r"not newer than the previous release 1\.1\.0"):
        build(results, ["industry"], 10, epsilon=1.0, previous=v2, version="1.1.0")
    with pytest.raises(InputError, match="the previous release is 'test', not 'other'"):
        build(
            results, ["industry"], 10, epsilon=1.0, previous=v2, version="2.0.0", bench_id="other"
        )


def test_builds_differ_and_suppress_small_groups() -> None:
    """Noise from the OS: two builds differ; a group of 5 never reaches a noisy count of 50."""
    results = [fake("retail", "small", "east-china", 30 + i % 20) for i in range(120)]
    results += [fake("banking", "small", "east-china", 60) for _ in range(5)]
    a = build(results, ["industry"], 50)
    b = build(results, ["industry"], 50)
    assert benchmark_yaml(a) != benchmark_yaml(b)
    for bench in (a, b):
        assert bench.group({"industry": "banking"}) is None
        everybody = bench.group({})
        assert everybody is not None and abs(everybody.n - 125) < 15


def test_results_with_an_unscored_element_are_left_out() -> None:
    good = [fake("retail", "small", "east-china", 50)] * 60
    bad = good[0].model_copy(update={"overall": good[0].overall.model_copy(update={"score": None})})
    with pytest.raises(InputError, match="no complete result"):
        build([bad] * 3, ["industry"], 5)
    bench = build([*good, bad], ["industry"], 20)
    assert bench.group({}) is not None


# --- files and CLI ----------------------------------------------------------------------


def write_results(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        res = fake("retail" if i % 2 else "banking", "small", "east-china", 20.0 + i % 60)
        res = res.model_copy(update={"organization": {**res.organization, "name": f"org-{i}"}})
        path = folder / f"r{i:02d}.json"
        path.write_text(res.model_dump_json(), "utf-8")
        paths.append(path)
    return paths


def test_cli_build_and_account(runner: CliRunner, tmp_path: Path) -> None:
    write_results(tmp_path / "results", 80)
    out = tmp_path / "bench.yaml"
    args = [str(tmp_path / "results"), str(MINI / "responses.yaml"), "--by", "industry,size"]
    res = runner.invoke(
        cli,
        [
            "benchmark",
            "build",
            *args,
            "-o",
            str(out),
            "--min-group",
            "10",
            "--max-epsilon",
            "30",
            *mini_args(),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "groups published from 81 organisations" in res.output
    assert "epsilon 20 spent, 20 by 1 release of benchmark" in res.output
    bench, _ = load_benchmark(out, "mini")
    p = bench.privacy
    assert (p.epsilon, p.levels, p.scores, p.max_epsilon) == (20.0, 3, 3, 30.0)
    assert "OpenDP" in p.mechanism and "no seed" in p.randomness
    everybody = bench.group({})
    assert everybody is not None and abs(everybody.n - 81) <= 15
    assert all(len(g.key.values()) <= 1 for g in bench.groups)  # --depth 1
    assert "warning" not in res.output  # 10 ≥ 5 × count noise 1.5
    again = [*args, "--min-group", "10", "--previous", str(out)]  # version 1.1.0
    res = runner.invoke(cli, ["benchmark", "build", *again, "-o", str(out), *mini_args()])
    assert res.exit_code == 2
    assert res.output.strip() == (
        "--max-epsilon: this release would bring the epsilon spent by benchmark to 40, above"
        " its budget of 30 (earlier releases: 20); use a smaller --epsilon, or --force to"
        " exceed the budget knowingly"
    )
    res = runner.invoke(
        cli, ["benchmark", "build", *again, "--epsilon", "5", "-o", str(out), *mini_args()]
    )
    assert res.exit_code == 0, res.output
    assert "epsilon 5 spent, 25 by 2 releases of benchmark" in res.output
    # count noise 1 / (0.1 × 5 / 3) = 6: a min group of 10 is too close to zero
    assert "warning: --min-group 10 is within 5 noise scales (scale 6) of zero" in res.output
    bench = load_benchmark(out, "mini")[0]
    assert bench.version == "1.1.0" and bench.privacy.epsilon_spent == 25.0


def test_cli_score_and_report_show_approximate_percentiles(
    runner: CliRunner, tmp_path: Path
) -> None:
    # Mini Co (retail, small) scores 61.25 overall; its group's median is 55 and p75 63.12:
    # 50 + 25 × (61.25 − 55) / (63.12 − 55) = 69.24, shown ≈ P70
    bench = hand_made(
        [
            ({}, 40, dist(20, 30, 40, 50, 60)),
            ({"industry": "retail"}, 21, dist(30, 40, 55, 63.12, 70)),
        ]
    )
    out = tmp_path / "bench.yaml"
    out.write_text(benchmark_yaml(bench), "utf-8")
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
    assert cmp["group"] == {"industry": "retail"} and cmp["n"] == 21 and cmp["approximate"]
    assert cmp["overall"]["score"] == 61.25 and cmp["overall"]["percentile"] == 69.24
    assert cmp["overall"]["shown"] == "≈ P70" and cmp["privacy"]["epsilon"] == 20.0
    res = runner.invoke(
        cli,
        ["score", str(MINI / "responses.yaml"), "--benchmark", str(out), "--lang=en", *mini_args()],
    )
    assert res.exit_code == 0, res.output
    assert "peer benchmark test 1.0.0 (test benchmark): group industry=retail, n ≈ 21" in res.output
    assert "differentially private (ε = 20, 20 over all releases)" in res.output
    row = next(
        line for line in res.output.splitlines() if line.startswith("overall") and "–" in line
    )
    assert row.split() == ["overall", "61.25", "55.00", "40.00–63.12", "≈", "P70"]
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
    assert "### Peer benchmark" in text
    assert "Within the peer group Retail (n ≈ 21), the overall score of 61.3 is at ≈ P70" in text
    assert "is differentially private (unit: one organisation): ε = 20.00 for this release" in text
    assert "percentile 100" not in text and "P100" not in text
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
    assert "同业基准对比" in page and "零售" in page and "位于 ≈ P70" in page
    assert "以差分隐私发布" in page
    import docx

    word = tmp_path / "r.docx"
    res = runner.invoke(
        cli,
        [
            "report",
            str(MINI / "responses.yaml"),
            "-o",
            str(word),
            "--lang",
            "en",
            "--benchmark",
            str(out),
            *mini_args(),
        ],
    )
    assert res.exit_code == 0, res.output
    paragraphs = [p.text for p in docx.Document(str(word)).paragraphs]
    assert any("the overall score of 61.3 is at ≈ P70" in t for t in paragraphs)
    assert any(t.startswith("The peer benchmark test 1.0.0 is differentially") for t in paragraphs)


def test_cli_benchmark_errors(runner: CliRunner, tmp_path: Path, mini_responses: Any) -> None:
    write_results(tmp_path / "results", 4)
    res = runner.invoke(
        cli, ["benchmark", "build", str(tmp_path / "results"), "-o", str(tmp_path / "b.yaml")]
    )
    assert res.exit_code == 2
    assert res.output.strip() == (
        "RESULTS: no group reached a noisy count of --min-group 400: nothing can be published"
        " from 4 complete results"
    )
    assert not (tmp_path / "b.yaml").exists()
    write_results(tmp_path / "results", 40)
    res = runner.invoke(
        cli,
        [
            "benchmark",
            "build",
            str(tmp_path / "results"),
            "-o",
            str(tmp_path / "b.yaml"),
            "--min-group",
            "2",
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
    # the built-in illustrative benchmark belongs to crm-maturity 1.1.0, not to mini
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
    bench = fallback_bench()
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
    data["groups"][1]["key"] = {"industry": "retail"}
    data["privacy"]["epsilon_spent"] = 5.0
    path = write_yaml(tmp_path / "b.yaml", data)
    with pytest.raises(
        InputError, match=r"privacy: Value error, epsilon_spent 5\.0 is not the sum"
    ):
        load_benchmark(path, "mini")
    # a benchmark built before differential privacy is refused, with the reason
    del data["privacy"]
    path = write_yaml(tmp_path / "b.yaml", data)
    with pytest.raises(InputError) as err:
        load_benchmark(path, "mini")
    assert str(err.value) == (
        f"{path}: privacy: no privacy block: this benchmark was built without differential"
        " privacy by an older crmm, and its figures can reveal members; rebuild it with"
        " crmm benchmark build"
    )


def test_builtin_illustrative_benchmark() -> None:
    assert builtin_benchmarks("crm-maturity") == ["illustrative"]
    bench, path = load_benchmark("illustrative", "crm-maturity")
    fw = load_framework("crm-maturity")
    assert (bench.framework.id, bench.framework.version) == (fw.id, fw.version)
    assert bench.illustrative and bench.label.en == "illustrative, synthetic — not survey data"
    assert "NOT SURVEY DATA" in path.read_text("utf-8").splitlines()[0]
    everybody = bench.group({})
    assert everybody is not None and abs(everybody.n - 650) <= 20  # a noisy count of 650
    assert 30 <= everybody.overall.median <= 40
    assert set(everybody.elements) == {e.id for e in fw.elements}
    assert all(g.n >= bench.min_group == 400 for g in bench.groups)
    p = bench.privacy
    assert (p.epsilon, p.epsilon_spent, p.levels, p.lineage) == (20.0, 20.0, 4, "illustrative")
    res = CliRunner().invoke(cli, ["validate", str(path)])
    assert res.exit_code == 0
    assert res.output.strip().endswith(
        "benchmark illustrative 3.0.0 for crm-maturity 1.1.0: 1 group,"  # one published group
        " epsilon 20 (20 by all releases)"
    )


def test_illustrative_script_on_a_few_organisations(tmp_path: Path) -> None:
    """The generator (run in full only by hand: about a minute) on 40 organisations."""
    spec = importlib.util.spec_from_file_location(
        "build_illustrative", ROOT / "scripts" / "build_illustrative_benchmark.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = tmp_path / "ill.yaml"
    args = ["--organizations", "40", "--min-group", "15"]
    assert script.main(["-o", str(out), *args]) == 0
    text = out.read_text("utf-8")
    assert text.startswith("# ILLUSTRATIVE, SYNTHETIC — NOT SURVEY DATA.")
    bench, _ = load_benchmark(out, "crm-maturity")
    assert bench.illustrative and bench.privacy.epsilon == 20.0
    assert bench.groups[0].key.values() == {}
    assert script.main(["-o", str(tmp_path / "again.yaml"), *args]) == 0
    # the organisations are seeded, the privacy noise is not: the figures differ
    assert (tmp_path / "again.yaml").read_text("utf-8") != text


def test_reading_and_comparing_do_not_import_opendp() -> None:
    """Only `crmm benchmark build` needs OpenDP; scoring against a benchmark does not."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from assessment.benchmarking import percentile, shown_percentile\n"
        "from frameworks.benchmark import load_benchmark\n"
        "bench, _ = load_benchmark('illustrative', 'crm-maturity')\n"
        "shown_percentile(percentile(40.0, bench.groups[0].overall))\n"
        "assert 'opendp' not in sys.modules, 'opendp imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
