"""`crmm demo` writes answers, a result and two PDFs whose text extracts in both languages."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment import demo
from assessment.cli import cli
from frameworks.loader import load_framework
from frameworks.text import Lang

from .conftest import embedded_fonts
from .conftest import pdf_text as _pdf_text

pytestmark = pytest.mark.slow  # end to end: run in CI, skip locally with -m 'not slow'


@cache
def pdf_text(pdf: Path) -> str:
    """The demo PDFs' text, extracted once per file (57 pages take pypdf a few seconds)."""
    return _pdf_text(pdf)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    res = CliRunner().invoke(cli, ["demo", "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_demo_writes_everything(demo_dir: Path) -> None:
    names = sorted(p.name for p in demo_dir.iterdir())
    assert names == [
        "demo-report-en.pdf",
        "demo-report-zh-CN.pdf",
        "demo-responses-en.yaml",
        "demo-responses-zh-CN.yaml",
        "demo-result-en.json",
        "demo-result-zh-CN.json",
    ]
    result = json.loads((demo_dir / "demo-result-en.json").read_text("utf-8"))
    assert len(result["respondents"]) >= 4
    assert sum(r["not_applicable"] for r in result["respondents"]) > 0
    assert any((q["std"] or 0) > 0 for q in result["questions"])
    assert result["overall"]["level"] in (2, 3)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_demo_is_reproducible(demo_dir: Path, tmp_path: Path, lang: Lang) -> None:
    """The files `crmm demo` wrote are made again byte for byte (in-process: no PDFs)."""
    text, result = demo.demo_texts(tmp_path / f"demo-responses-{lang}.yaml", lang)
    assert text.encode() == (demo_dir / f"demo-responses-{lang}.yaml").read_bytes()
    assert result.encode() == (demo_dir / f"demo-result-{lang}.json").read_bytes()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh-CN", ["客户服务中心", "热线识别不了金卡会员", "会员数据字典 v3.xlsx"]),
        ("en", ["Customer service centre", "cannot recognise gold", "Member data dictionary v3"]),
    ],
)
def test_demo_report_is_made_from_its_own_language_file(
    demo_dir: Path, lang: Lang, said: list[str]
) -> None:
    """Each report embeds the responses file of its language and prints its words: the
    respondents' department, a comment and a document named as evidence."""
    sha = hashlib.sha256((demo_dir / f"demo-responses-{lang}.yaml").read_bytes()).hexdigest()
    result = json.loads((demo_dir / f"demo-result-{lang}.json").read_text("utf-8"))
    assert result["responses"] == {"file": f"demo-responses-{lang}.yaml", "sha256": sha}
    text = pdf_text(demo_dir / f"demo-report-{lang}.pdf")
    flat = " ".join(text.split())
    assert sha in text.replace("\n", "")
    for words in said:
        assert words in flat or words.replace(" ", "") in flat.replace(" ", ""), words


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_demo_pdf_text_and_fonts(demo_dir: Path, lang: Lang) -> None:
    pdf = demo_dir / f"demo-report-{lang}.pdf"
    text = pdf_text(pdf)
    fw = load_framework("crm-maturity")
    for element in fw.elements:
        assert element.name.get(lang) in text  # type: ignore[arg-type]
    assert demo.demo_written().organization.get(lang) in " ".join(text.split())
    assert f"{fw.id} {fw.version}" in text or fw.version in text
    if lang == "zh-CN":
        assert "成熟度" in text and "改进建议" in text
    fonts = embedded_fonts(pdf)
    assert fonts and all("+" in f for f in fonts)  # embedded as subsets
    assert {f.split("+", 1)[1] for f in fonts} <= {"Noto-Sans-SC", "Noto-Sans-SC-Bold"}, (
        "a character outside the bundled font fell back to a system font"
    )


@pytest.mark.parametrize(
    ("lang", "marker", "verdict"),
    [
        ("en", "Self-assessment — not an external certification", "Certification level awarded"),
        ("zh-CN", "自评，并非外部认证", "授予认证等级"),
    ],
)
def test_demo_certification_page(demo_dir: Path, lang: str, marker: str, verdict: str) -> None:
    result = json.loads((demo_dir / f"demo-result-{lang}.json").read_text("utf-8"))
    cert = result["certification"]
    assert cert["self_assessment"] and cert["awarded"] == 2 == result["overall"]["level"]
    text = pdf_text(demo_dir / f"demo-report-{lang}.pdf")
    assert marker in text and verdict in text
    assert result["responses"]["sha256"] in text.replace("\n", "")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh-CN", ["同业基准对比", "示意性合成数据", "同业百分位", "全部组织", "以差分隐私发布"]),
        (
            "en",
            ["Peer benchmark", "illustrative, synthetic", "Peer percentile", "all organisations"],
        ),
    ],
)
def test_demo_shows_the_illustrative_benchmark(demo_dir: Path, lang: str, words: list[str]) -> None:
    result = json.loads((demo_dir / f"demo-result-{lang}.json").read_text("utf-8"))
    bench = result["benchmark"]
    assert bench["id"] == "illustrative" and bench["illustrative"] is True
    assert bench["label"]["en"] == "illustrative, synthetic — not survey data"
    # the built-in benchmark (650 organisations, min group 400) publishes only everybody
    assert bench["group"] == {} and bench["approximate"] is True
    assert 0 <= bench["overall"]["percentile"] <= 100
    shown = bench["overall"]["shown"]
    assert shown in ("< P10", "> P90") or shown.startswith("≈ P")
    text = pdf_text(demo_dir / f"demo-report-{lang}.pdf").replace(" ", "")
    for word in [*words, shown]:
        assert word.replace(" ", "") in text, word
    assert "differentiallyprivate" in text.replace("\n", "") or "差分隐私" in text


def test_demo_report_verifies(demo_dir: Path) -> None:
    """A built-in framework, a zh-CN report and the built-in benchmark: verify renders the
    report again from what it embeds alone and finds it the same."""
    pdf = demo_dir / "demo-report-zh-CN.pdf"
    res = CliRunner().invoke(cli, ["verify", str(pdf)])
    assert res.exit_code == 0, res.output
    assert "ok        benchmark sha256: " in res.output
    assert "byte-identical to a fresh rendering" in res.output
    assert res.output.splitlines()[-1].startswith(f"{pdf}: verified (")
