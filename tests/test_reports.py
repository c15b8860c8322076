"""Reports: PDF text and fonts in both languages, escaping, confined fetching, charts, formats."""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from assessment.engine import assess, result_json
from assessment.responses import parse_responses
from assessment.result import AssessmentResult
from frameworks.errors import CrmmError
from frameworks.model import Framework
from frameworks.text import LANGS, zh_typography
from questionnaires.loader import load_questionnaire
from questionnaires.model import Questionnaire
from reports import FORMATS, build_context, render_report
from reports import resources as report_resources
from reports.charts import Axis, PeerBand, Ring, radar_svg
from reports.labels import LabelError, catalogue, check_catalogue
from reports.paths import FONTS_DIR, STATIC_DIR, TEMPLATES_DIR

from .conftest import ROOT, embedded_fonts, pdf_text

MINI = ROOT / "examples" / "mini"
Inputs = tuple[Questionnaire, Framework]


# --- inputs --------------------------------------------------------------------------------


def fake_value(question: Any, rng: random.Random) -> Any:
    """A random but valid answer for any question type."""
    t = question.type
    if t in ("anchored", "likert"):
        return rng.randint(1, 5)
    if t == "yes_partly_no":
        return rng.choice(["yes", "partly", "no"])
    if t == "kpi":
        k = question.kpi
        lo = k.minimum if k.minimum is not None else min(k.thresholds) - 1
        hi = k.maximum if k.maximum is not None else max(k.thresholds) + 1
        return round(rng.uniform(lo, hi), 1)
    if t == "single_choice":
        return rng.choice(question.options).id
    if t == "multiple_choice":
        ids = [o.id for o in question.options]
        return rng.sample(ids, rng.randint(1, len(ids)))
    return "free text / 自由文字"


def fake_responses(
    q: Questionnaire,
    fw: Framework,
    *,
    name: str = "示例公司 Example Co",
    seed: int = 7,
    skip_element: str | None = None,
    assessor: str | None = None,
) -> dict[str, Any]:
    """A responses document: one respondent per role, a few N/A, maybe an element unanswered."""
    rng = random.Random(seed)
    people = []
    for n, role in enumerate(q.roles):
        answers: dict[str, Any] = {}
        for question in q.questions:
            if question.roles and role.id not in question.roles:
                continue
            if skip_element and fw.element_of[question.criterion].id == skip_element:
                continue
            if question.allow_na and rng.random() < 0.06:
                answers[question.id] = "na"
            else:
                answers[question.id] = fake_value(question, rng)
        people.append(
            {"id": f"r{n + 1}", "role": role.id, "department": f"部门 {n + 1}", "answers": answers}
        )
    doc: dict[str, Any] = {
        "type": "responses",
        "questionnaire": {"id": q.id, "version": q.version},
        "organization": {
            "name": name,
            "industry": "retail",
            "size": "medium",
            "region": "east-china",
        },
        "date": "2026-11-01",
        "respondents": people,
    }
    if assessor:
        doc["assessor"] = assessor
    return doc


def score(q: Questionnaire, fw: Framework, doc: dict[str, Any]) -> AssessmentResult:
    raw = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()
    return assess(parse_responses(raw, "x.yaml"), q, fw)


def mini_inputs() -> Inputs:
    return load_questionnaire(MINI / "questionnaire.yaml", MINI / "framework.yaml")


def builtin_inputs() -> Inputs | None:
    """The built-in quick check (the full audit's PDFs are checked by tests/test_demo.py)."""
    try:
        return load_questionnaire("quick-check")
    except (CrmmError, OSError):
        return None


@pytest.fixture(scope="module")
def mini() -> tuple[Questionnaire, Framework, AssessmentResult]:
    q, fw = mini_inputs()
    return q, fw, score(q, fw, fake_responses(q, fw, name="迷你公司 Mini Co"))


@pytest.fixture(scope="module")
def builtin() -> tuple[Questionnaire, Framework, AssessmentResult]:
    inputs = builtin_inputs()
    if inputs is None:
        pytest.skip("the built-in quick-check questionnaire does not load")
    q, fw = inputs
    return (
        q,
        fw,
        score(
            q,
            fw,
            fake_responses(
                q,
                fw,
                name="海澜湾零售连锁有限公司",
                skip_element=fw.elements[-1].id,
                assessor="王评估师",
            ),
        ),
    )


# --- PDF -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("dataset", ["mini", "builtin"])
def test_pdf_text_and_fonts(
    dataset: str, lang: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    q, fw, res = request.getfixturevalue(dataset)
    data = render_report(res, fw, q, lang=lang, fmt="pdf")  # type: ignore[arg-type]
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    flat = re.sub(r"\s+", "", text)
    for element in fw.elements:
        assert re.sub(r"\s+", "", element.name.get(lang)) in flat
    assert res.organization["name"].replace(" ", "") in flat
    assert res.overall.level is not None
    assert fw.levels[res.overall.level - 1].name.get(lang) in text
    assert f"{fw.id} {fw.version}" in text
    if lang == "zh-CN":
        assert "成熟度" in text and "改进建议" in text and "执行摘要" in text
    else:
        assert "Executive summary" in text and "Recommendations" in text
    fonts = embedded_fonts(data)
    assert fonts and all("+" in f for f in fonts)  # every font embedded as a subset
    assert any("Noto-Sans-SC" in f for f in fonts)
    reader = PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == lang
    assert reader.metadata is not None and reader.metadata.title
    assert res.organization["name"] in reader.metadata.title


def test_builtin_insufficient_element_and_assessor(builtin: Any) -> None:
    q, fw, res = builtin
    ctx = build_context(res, fw, q, "en")
    gap = {e.id for e in ctx.elements if e.insufficient}
    assert fw.elements[-1].id in gap  # its answers were left out
    assert ctx.radar.count('class="gap"') == len(gap)
    assert ctx.radar.count('class="vertex"') == len(ctx.elements) - len(gap)
    assert ctx.cover.assessment_type == "Assessed by 王评估师"
    html = render_report(res, fw, q, lang="zh-CN", fmt="html").decode()
    assert "证据不足" in html and "评估师" in html


# --- HTML and escaping ---------------------------------------------------------------------


def test_html_lang_selfcontained_and_escaped(mini: Any) -> None:
    q, fw, _ = mini
    res = score(q, fw, fake_responses(q, fw, name="<script>alert(1)</script> & Co"))
    for lang in LANGS:
        html = render_report(res, fw, q, lang=lang, fmt="html").decode()
        assert f'<html lang="{lang}">' in html
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
        assert "<style>" in html and "<svg" in html  # stylesheet and charts inline
        assert "@font-face" not in html and ".woff2" not in html  # no 4 MB of fonts
        assert "<link" not in html and "src=" not in html


def test_pdf_fetches_only_package_files(
    mini: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    q, fw, _ = mini
    seen: list[tuple[str, bool]] = []
    real = report_resources.fetch_resource

    def spy(url: str) -> tuple[bytes, str]:
        try:
            out = real(url)
        except report_resources.ResourceRefused:
            seen.append((url, False))
            raise
        seen.append((url, True))
        return out

    monkeypatch.setattr(report_resources, "fetch_resource", spy)
    evil = (
        '<img src="http://example.com/x.png"> <a href="file:///etc/passwd">x</a>'
        ' <img src="file:///etc/passwd">'
    )
    res = score(q, fw, fake_responses(q, fw, name=evil))
    data = render_report(res, fw, q, lang="en", fmt="pdf")
    assert data.startswith(b"%PDF-")
    assert all(ok for _, ok in seen)  # escaped markup is text: nothing was even requested
    assert not any("example.com" in u or "passwd" in u for u, _ in seen)

    # a user template that does ask for outside resources gets every one refused
    user = tmp_path / "templates"
    user.mkdir()
    (user / "_cover.html.j2").write_text(
        '<section><img src="http://example.com/x.png"><img src="file:///etc/passwd">'
        '<img src="../../../../../../etc/passwd"><img src="https://example.com/y.svg">'
        "<p>{{ ctx.cover.organization }}</p></section>",
        "utf-8",
    )
    seen.clear()
    data = render_report(res, fw, q, lang="en", fmt="pdf", template_dir=user)
    assert data.startswith(b"%PDF-")
    refused = {u for u, ok in seen if not ok}
    assert {
        "http://example.com/x.png",
        "file:///etc/passwd",
        "https://example.com/y.svg",
    } <= refused
    assert not any(ok and ("passwd" in u or "example" in u) for u, ok in seen)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://example.com/x.png",
        "ftp://example.com/x",
        "file:///etc/passwd",
        "file://remote-host/etc/passwd",
        (STATIC_DIR / ".." / ".." / "pyproject.toml").as_uri(),
        STATIC_DIR.as_uri() + "/%2e%2e/%2e%2e/pyproject.toml",
        (TEMPLATES_DIR / "report.html.j2").as_uri(),
        STATIC_DIR.as_uri() + "/no-such-file.css",
        "javascript:alert(1)",
        "x.png",
    ],
)
def test_fetch_resource_refuses(url: str) -> None:
    with pytest.raises(report_resources.ResourceRefused):
        report_resources.fetch_resource(url)


def test_fetch_resource_serves_package_files_and_data_urls() -> None:
    data, media = report_resources.fetch_resource((FONTS_DIR / "NotoSansSC-Bold.woff2").as_uri())
    assert media == "font/woff2" and data[:4] == b"wOF2"
    data, media = report_resources.fetch_resource((STATIC_DIR / "report.css").as_uri())
    assert media == "text/css" and b"@page" in data
    assert report_resources.fetch_resource("data:text/plain;base64,aGk=") == (b"hi", "text/plain")


# --- Markdown, JSON, registry --------------------------------------------------------------


def test_markdown_sections_and_escaping(mini: Any) -> None:
    q, fw, _ = mini
    res = score(q, fw, fake_responses(q, fw, name="A|B *bold* <x>"))
    md = render_report(res, fw, q, lang="en", fmt="md").decode()
    for heading in (
        "# Maturity Assessment Report",  # mini declares no report title: the generic one
        "## Executive summary",
        "## Maturity profile",
        "## Element 1 · People",
        "## Element 2 · Service",
        "## Recommendations",
        "## Improvement roadmap",
        "## Appendix A: Methodology",
        "## Appendix B: Calculation trace",
    ):
        assert f"\n{heading}\n" in f"\n{md}", heading
    assert r"A\|B \*bold\* \<x\>" in md and "<x>" not in md
    zh = render_report(res, fw, q, lang="zh-CN", fmt="md").decode()
    assert "## 执行摘要" in zh and "## 改进路线图" in zh and "成熟度" in zh


def test_json_is_the_result(mini: Any) -> None:
    q, fw, res = mini
    assert render_report(res, fw, q, lang="en", fmt="json") == result_json(res).encode()


def test_registry() -> None:
    assert set(FORMATS) == {"pdf", "html", "md", "json", "docx", "xlsx", "pptx"}
    assert FORMATS["pdf"].binary and FORMATS["pdf"].media_type == "application/pdf"
    assert [FORMATS[f].extension for f in ("html", "md", "json")] == [".html", ".md", ".json"]
    assert all(r.available() for r in FORMATS.values())


def test_unknown_format_and_mismatched_inputs(mini: Any) -> None:
    q, fw, res = mini
    with pytest.raises(CrmmError, match="unknown report format"):
        render_report(res, fw, q, lang="en", fmt="odt")
    other = fw.model_copy(update={"version": "9.9.9"})
    with pytest.raises(CrmmError, match="scored with framework"):
        build_context(res, other, q, "en")


def test_user_templates_override_and_strict_undefined(mini: Any, tmp_path: Path) -> None:
    q, fw, res = mini
    (tmp_path / "_cover.html.j2").write_text(
        "<p>MY COVER {{ ctx.cover.organization }}</p>", "utf-8"
    )
    html = render_report(res, fw, q, lang="en", fmt="html", template_dir=tmp_path).decode()
    assert "MY COVER" in html and "Executive summary" in html
    strict = tmp_path / "strict"
    strict.mkdir()
    (strict / "report.md.j2").write_text("{{ ctx.no_such_field }}", "utf-8")
    with pytest.raises(Exception, match="no_such_field"):
        render_report(res, fw, q, lang="en", fmt="md", template_dir=strict)


def test_import_reports_is_light() -> None:
    code = (
        "import sys, reports\n"
        "print(sorted(m for m in ('weasyprint', 'pandas', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]"


# --- labels, charts, typography ------------------------------------------------------------


def test_label_catalogue_complete_and_used() -> None:
    cat = catalogue()
    text = (STATIC_DIR / "labels.yaml").read_text("utf-8")
    assert check_catalogue(yaml.safe_load(text)) == cat
    with pytest.raises(LabelError, match="needs exactly"):
        check_catalogue({"a": {"en": "only English"}})
    with pytest.raises(LabelError, match="non-empty"):
        check_catalogue({"a": {"en": "x", "zh-CN": ""}})
    used = set()
    for t in TEMPLATES_DIR.glob("*.j2"):
        used |= set(re.findall(r"L\['([\w.-]+)'\]", t.read_text("utf-8")))
    context = (ROOT / "reports" / "context.py").read_text("utf-8")
    used |= set(re.findall(r"L(?:\.fill)?[\[(]\"([\w.-]+)\"", context))
    assert used and used <= set(cat), sorted(used - set(cat))


def test_radar_deterministic_one_vertex_per_element() -> None:
    axes = [Axis(f"e{i}", f"Element <{i}> & co", 10.0 * i + 5, f"{i}") for i in range(7)]
    rings = [Ring(s, f"L{n}") for n, s in enumerate((0, 20, 40, 60, 80), start=1)]
    svg = radar_svg(axes, rings, title="t & <t>", target=Ring(60, "target"))
    assert svg == radar_svg(axes, rings, title="t & <t>", target=Ring(60, "target"))
    assert svg.count('class="vertex"') == 7 and svg.count('class="axis"') == 7
    assert "Element &lt;3&gt; &amp; co" in svg and "<3>" not in svg
    gap = radar_svg([*axes[:6], Axis("e6", "Gap", None, "insufficient")], rings, title="t")
    assert gap.count('class="vertex"') == 6 and gap.count('class="gap"') == 1
    assert 'stroke-dasharray="3 3"' in gap


def test_radar_ring_labels_sit_above_every_line() -> None:
    """Level and score labels are drawn after the series, target, peer band and earlier
    outline, each on a white plate: no line strikes through them."""
    axes = [Axis(f"e{i}", f"E{i}", 10.0 * i + 5, f"{i}") for i in range(7)]
    rings = [Ring(s, f"L{n}") for n, s in enumerate((0, 20, 40, 60, 80), start=1)]
    peers = [PeerBand(30.0, 45.0, 60.0) for _ in axes]
    svg = str(
        radar_svg(axes, rings, title="t", target=Ring(60, "target"), previous=axes, peers=peers)
    )
    body = svg[: svg.index('class="legend')] if 'class="legend' in svg else svg
    marks = ('class="series', 'class="target"', 'class="peer-', 'class="previous"', 'class="vertex')
    last_line = max(body.rfind(m) for m in marks)
    labels = [m.start() for m in re.finditer(r'class="ring-(label|score)"', body)]
    assert len(labels) == 5 + 5 and min(labels) > last_line
    assert body.count('class="label-plate"') == 10


def test_zh_typography() -> None:
    assert zh_typography("得分 61.3(满分 100),覆盖率 90%") == "得分 61.3（满分 100），覆盖率 90%"
    assert zh_typography("CRM(客户关系管理):定义") == "CRM（客户关系管理）：定义"
    assert zh_typography("index (a, b): 3") == "index (a, b): 3"
    assert zh_typography("开始处理投诉并 偶尔调查, CRM 系统") == "开始处理投诉并偶尔调查，CRM 系统"


def test_fonts_bundled_with_licence() -> None:
    for style in ("Regular", "Bold"):
        font = FONTS_DIR / f"NotoSansSC-{style}.woff2"
        assert font.read_bytes()[:4] == b"wOF2" and font.stat().st_size > 500_000
    ofl = (FONTS_DIR / "OFL.txt").read_text("utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in ofl and "Adobe" in ofl


def test_builtin_templates_copyable(tmp_path: Path, mini: Any) -> None:
    """A copy of the built-in templates as a user folder renders the same report."""
    q, fw, res = mini
    for t in TEMPLATES_DIR.glob("*.j2"):
        shutil.copy(t, tmp_path / t.name)
    same = render_report(res, fw, q, lang="en", fmt="html", template_dir=tmp_path)
    assert same == render_report(res, fw, q, lang="en", fmt="html")
    assert json.loads(render_report(res, fw, q, lang="en", fmt="json"))["overall"]
