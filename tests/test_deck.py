"""The board deck (`crmm report -o deck.pptx`, reports/deck.py), read back with python-pptx:
slides and titles, every number against the JSON result, speaker notes, fonts, text that
fits its box, pictures at print resolution, one language per deck, reproducible bytes; and,
where LibreOffice is installed, the deck rendered to PDF and PNG."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from PIL import Image
from pptx import Presentation
from pptx.util import Emu

from assessment.benchmarking import with_benchmark
from assessment.cli import cli
from assessment.demo import BENCHMARK
from assessment.engine import assess
from assessment.responses import parse_responses
from assessment.result import result_json
from frameworks.langs import Lang
from frameworks.text import zh_typography
from questionnaires.loader import load_questionnaire
from reports import FORMATS, build_context, render_report
from reports.brand import css_variables, load_brand
from reports.charts import BOLD, text_width
from reports.deck import EA_FONT, LATIN_FONT, NEUTRAL, slide_plan
from reports.deck_charts import Chart, chart_pdf, svg_size
from reports.errors import ReportError
from reports.labels import labels

from .conftest import MINI, embedded_fonts
from .test_language_purity import QUESTIONNAIRE, foreign_in_en, foreign_in_zh, neutral_responses

ROOT = Path(__file__).resolve().parent.parent
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
EMU_PER_PT = 12700
DPI_MIN = 200


@cache
def demo(lang: Lang) -> tuple[bytes, dict[str, Any]]:
    """The demo's deck in `lang` (answers as the language-purity tests make them neutral,
    with the built-in benchmark) and its JSON result."""
    q, fw = load_questionnaire(QUESTIONNAIRE)
    text = yaml.safe_dump(neutral_responses(lang), allow_unicode=True, sort_keys=False)
    loaded = parse_responses(text.encode(), "demo-responses.yaml")
    result = with_benchmark(assess(loaded, q, fw), BENCHMARK)
    deck = render_report(result, fw, q, lang=lang, fmt="pptx", responses=loaded.responses)
    return deck, json.loads(result_json(result))


def both_dimensions(got: dict[str, Any]) -> bool:
    """Whether the result rates some criterion on intention and reality (a gap)."""
    return any(c.get("gap") is not None for c in got["criteria"])


def slides(data: bytes) -> list[Any]:
    return list(Presentation(io.BytesIO(data)).slides)


def shape_texts(shape: Any) -> list[str]:
    if shape.has_text_frame:
        return [p.text for p in shape.text_frame.paragraphs]
    if getattr(shape, "has_table", False) and shape.has_table:
        return [cell.text for row in shape.table.rows for cell in row.cells]
    return []


def slide_text(slide: Any) -> str:
    return "\n".join(t for shape in slide.shapes for t in shape_texts(shape))


def notes_text(slide: Any) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def table_rows(slide: Any) -> list[list[str]]:
    tables = [s for s in slide.shapes if getattr(s, "has_table", False) and s.has_table]
    assert len(tables) == 1
    return [[c.text for c in row.cells] for row in tables[0].table.rows]


def half_up(x: float, digits: int) -> str:
    """A figure as published: rounded half up as written (docs/scoring.md, "Rounding")."""
    return str(Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP))


def f1(x: float) -> str:
    return half_up(x, 1)


def f2(x: float) -> str:
    return half_up(x, 2)


def test_every_label_the_deck_names_exists_and_every_deck_label_is_used() -> None:
    """Labels on paths the demo does not take (no strength, no action, a framework without
    phases) are in the catalogue too; the deck's own block holds nothing unused."""
    from reports.labels import catalogue

    source = "".join(
        (ROOT / "reports" / name).read_text("utf-8") for name in ("deck.py", "deck_audit.py")
    )
    used = set(re.findall(r"L(?:\.fill|\.plural)?[\[(]\s*\"([\w.-]+)\"", source))
    used |= {f"deck.note.{k}" for k in re.findall(r"(?:self|deck)\.note\(\"(\w+)\"", source)}
    plural = {k.rsplit(".", 1)[0] for k in catalogue() if k.endswith((".one", ".other"))}
    known = set(catalogue()) | plural
    assert len(used) > 40 and sorted(used - known) == []
    own = {
        k.removesuffix(".one").removesuffix(".other") for k in catalogue() if k.startswith("deck.")
    }
    assert sorted(own - used) == []


def test_registered_as_a_binary_format() -> None:
    r = FORMATS["pptx"]
    assert r.extension == ".pptx" and r.binary and r.available()
    assert (
        r.media_type == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    )


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_slides_and_titles(lang: Lang) -> None:
    """16:9, 12 slides for the demo (certification, no previous assessment; 13 when its
    answers rate intention and reality), each titled in the report language in the planned
    order."""
    data, got = demo(lang)
    prs = Presentation(io.BytesIO(data))
    assert (prs.slide_width, prs.slide_height) == (Emu(12191695), Emu(6858000))
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.001
    for part in (prs.slide_master, *prs.slide_layouts):  # a slide the user adds fits too
        for ph in part.placeholders:
            assert ph.left >= 0 and ph.left + ph.width <= prs.slide_width, (part.name, ph.name)
    assert prs.slide_master.placeholders[0].width > prs.slide_width * 0.85  # the title
    L = labels(lang)
    _, fw = load_questionnaire(QUESTIONNAIRE)
    want = [
        fw.report.title.get(lang) if fw.report else L["report.title"],
        L["deck.verdict"],
        L["deck.basis"],
        L["deck.radar"],
        *([L["audit.chart_title"]] if both_dimensions(got) else []),
        L["deck.elements"],
        L["heatmap.title"],
        L["exec.strengths"],
        L["exec.priorities"],
        L["roadmap.title"],
        L["deck.recommendations"],
        L["cert.title"],
        L["deck.method"],
    ]
    titles = [s.shapes.title.text for s in prs.slides]
    assert len(titles) == 12 + both_dimensions(got) and 10 <= len(titles) <= 14
    assert titles[1:] == want[1:]
    assert titles[0] == (zh_typography(want[0]) if lang == "zh-CN" else want[0])
    assert got["certification"] is not None


def test_every_number_on_the_verdict_and_element_slides_is_the_results() -> None:
    """Level, index, score, coverage and peer percentile on the verdict; each element's
    score and level in the element table; every number on the verdict tiles is one of them."""
    data, got = demo("en")
    by_title = {s.shapes.title.text: s for s in slides(data)}
    L = labels("en")
    o = got["overall"]
    verdict = by_title[L["deck.verdict"]]
    tiles = [
        s.text_frame.text
        for s in verdict.shapes
        if s.has_text_frame and s != verdict.shapes.title and s.top < Emu(int(3.6 * 914400))
    ]
    tile_text = "\n".join(tiles)
    assert f"Level {o['level']} ·" in tile_text
    assert f2(o["index"]) in tile_text and f1(o["score"]) in tile_text
    assert half_up(o["coverage"] * 100, 0) + "%" in tile_text
    assert got["benchmark"]["overall"]["shown"] in tile_text
    allowed = {
        str(o["level"]),
        f2(o["index"]),
        f1(o["score"]),
        half_up(o["coverage"] * 100, 0),
        "5.00",  # "out of 5.00"
        "100",  # "out of 100"
        *re.findall(r"\d+(?:\.\d+)?", got["benchmark"]["overall"]["shown"]),
    }
    assert set(re.findall(r"\d+(?:\.\d+)?", tile_text)) <= allowed
    rows = table_rows(by_title[L["deck.elements"]])
    assert len(rows) == len(got["elements"]) + 1
    _, fw = load_questionnaire(QUESTIONNAIRE)
    for row, e in zip(rows[1:], got["elements"], strict=True):
        assert row[0] == fw.element_by_id[e["id"]].name.en
        assert row[1] == f1(e["score"])
        assert row[2].startswith(f"Level {e['level']} ·")


def _floats(value: Any) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, dict):
        return [x for v in value.values() for x in _floats(v)]
    if isinstance(value, list):
        return [x for v in value for x in _floats(v)]
    return []


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_every_decimal_on_the_slides_is_a_figure_of_the_result(lang: Lang) -> None:
    """Every decimal number on the slides before the appendix (scores, indices, peer
    figures, certification figures, shares) is a number of the JSON result as published:
    rounded half up to 1 or 2 decimals, or a share as a percentage; or a scale's top."""
    data, got = demo(lang)
    published = {"5.00"}
    for x in _floats(got):
        published |= {half_up(x, 1), half_up(x, 2), half_up(x * 100, 1), half_up(x * 100, 2)}
    text = "\n".join(slide_text(s) for s in slides(data)[1:-1])
    text = re.sub(r"\d+\.\d+\.\d+", " ", text)  # versions
    text = re.sub(r"(?m)^\d+\.\d+ (?=[^\W\d_])", " ", text)  # criterion numbers (2.1 Name)
    found = re.findall(r"(?<![\d.])\d+\.\d+(?![\d.])", text)
    assert len(found) > 20
    assert sorted(set(found) - published) == []


def test_strengths_priorities_and_recommendations_match_the_result() -> None:
    data, got = demo("en")
    by_title = {s.shapes.title.text: s for s in slides(data)}
    L = labels("en")
    _, fw = load_questionnaire(QUESTIONNAIRE)
    scores = {c["id"]: c for c in got["criteria"]}
    name_of = {cid: c.name.en for cid, c in fw.criteria.items()}
    strengths = slide_text(by_title[L["exec.strengths"]])
    shown = [cid for cid in scores if name_of[cid] in strengths.split("\n")]
    assert 1 <= len(shown) <= 3
    for cid in shown:
        assert f"{f1(scores[cid]['score'])} · Level {scores[cid]['level']} ·" in strengths
    items = got["recommendations"]["items"]
    priorities = slide_text(by_title[L["exec.priorities"]])
    for rank, item in enumerate(items[:3], start=1):
        assert f"{rank}. {name_of[item['criterion']]}" in priorities
        assert f"Level {item['current_level']} ·" in priorities
        assert f"Level {item['target_level']} ·" in priorities
    slide = by_title[L["deck.recommendations"]]
    rows = table_rows(slide)[1:]
    assert 1 <= len(rows) <= min(6, len(items))  # as many as fit at the smallest font
    more = L.plural("deck.more_recommendations", len(items) - len(rows))
    assert more in slide_text(slide).split("\n")
    for row, item in zip(rows, items, strict=False):
        assert row[1].split("\n")[0] == name_of[item["criterion"]]
        assert row[2] == f"L{item['current_level']} → L{item['target_level']}"


def test_certification_slide_says_the_verdict() -> None:
    data, got = demo("en")
    text = slide_text({s.shapes.title.text: s for s in slides(data)}[labels("en")["cert.title"]])
    cert = got["certification"]
    assert f"Certification level awarded: Level {cert['awarded']} ·" in text
    failing = [r for lv in cert["levels"] for r in lv["rules"] if not r["passed"]]
    nxt = [r for r in failing if r["level"] == cert["awarded"] + 1]
    assert nxt and all(f"L{r['level']} ·" in text for r in nxt)


def test_a_provisional_result_is_called_provisional(tmp_path: Path) -> None:
    """The README's quick-check example (3 answers): the verdict says the level is
    provisional, what is missing and what to do, as the PDF's summary does."""
    readme = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"```yaml\n(type: responses\n.*?)```", readme, re.S)
    assert block is not None
    answers = tmp_path / "answers.yaml"
    answers.write_text(block.group(1), "utf-8")
    out = tmp_path / "deck.pptx"
    res = CliRunner().invoke(cli, ["report", str(answers), "--lang", "en", "-o", str(out)])
    assert res.exit_code == 0, res.output
    L = labels("en")
    prs = Presentation(str(out))
    assert text_fits(prs) > 50
    verdict = slide_text(prs.slides[1])
    assert L["provisional.level"] in verdict and f"({L['provisional.tag']})" in verdict
    assert L["provisional.title"] in verdict
    assert "crmm answer quick-check -o" in verdict


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_speaker_notes_name_the_sources(lang: Lang) -> None:
    data, got = demo(lang)
    all_slides = slides(data)
    for s in all_slides:
        assert notes_text(s).strip(), s.shapes.title.text
    verdict = notes_text(all_slides[1])
    o = got["overall"]
    for field, figure in (
        ("overall.level", str(o["level"])),
        ("overall.index", f2(o["index"])),
        ("overall.coverage", half_up(o["coverage"] * 100, 0) + "%"),
        ("benchmark.overall.shown", got["benchmark"]["overall"]["shown"]),
    ):
        assert field in verdict and figure in verdict
    assert "docs/scoring.md" in verdict
    elements = {s.shapes.title.text: s for s in all_slides}[labels(lang)["deck.elements"]]
    assert "elements[].score" in notes_text(elements)
    assert "responses.sha256" in notes_text(all_slides[-1])


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_every_run_declares_latin_and_east_asian_fonts(lang: Lang) -> None:
    data, _ = demo(lang)
    runs = 0
    for s in slides(data):
        for part in (s, s.notes_slide):
            for r in part._element.iter(f"{A}r"):
                rpr = r.find(f"{A}rPr")
                assert rpr is not None
                assert rpr.find(f"{A}latin").get("typeface") == LATIN_FONT
                assert rpr.find(f"{A}ea").get("typeface") == EA_FONT
                assert rpr.get("lang") == ("zh-CN" if lang == "zh-CN" else "en-US")
                runs += 1
    assert runs > 100


def _fits(paras: list[tuple[str, float, bool]], width_pt: float, height_pt: float) -> bool:
    """The deck's own estimate, restated: each paragraph's width in the report font's
    metrics (+10 % for word wrapping) over the box's inner width gives its lines, at 1.2
    line height plus 0.35 of its size after it; no word may be wider than the box."""
    h = 0.0
    for text, size, bold in paras:
        factor = (BOLD if bold else 1.0) * 1.1
        for line in text.split("\n"):
            words = re.findall(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+", line)
            if any(text_width(w, size) * factor > width_pt for w in words):
                return False
            n = max(1, -(-text_width(line, size) * factor // width_pt))
            h += n * size * 1.2
        h += size * 0.35
    return h <= height_pt + 0.5


def _paras(tf: Any) -> list[tuple[str, float, bool]]:
    out = []
    for p in tf.paragraphs:
        if not p.runs:
            continue
        run = p.runs[0]
        out.append((p.text, run.font.size.pt, bool(run.font.bold)))
    return out


def text_fits(prs: Any) -> int:
    """Estimated, as the deck is laid out (python-pptx cannot measure text and PowerPoint's
    auto-fit acts only when a file is opened): every text box and table cell holds its
    text at the size written, and every shape lies within the slide, tables above the
    footer. The number of boxes and cells checked."""
    W, H = prs.slide_width, prs.slide_height
    checked = 0
    for s in prs.slides:
        for shape in s.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= W and shape.top + shape.height <= H, shape.name
            if shape.has_text_frame:
                width = shape.width / EMU_PER_PT - 2 * 7.2
                height = shape.height / EMU_PER_PT - 2 * 3.6
                assert _fits(_paras(shape.text_frame), width, height), shape.text_frame.text
                checked += 1
            elif getattr(shape, "has_table", False) and shape.has_table:
                table = shape.table
                total = sum(r.height for r in table.rows)
                assert shape.top + total <= H - Emu(int(0.5 * 914400)), s.shapes.title.text
                below = [x.top for x in s.shapes if x.has_text_frame and x.top > shape.top]
                assert all(shape.top + total <= top for top in below), s.shapes.title.text
                for row in table.rows:
                    for j, cell in enumerate(row.cells):
                        width = table.columns[j].width / EMU_PER_PT - 2 * 7.2
                        height = row.height / EMU_PER_PT - 2 * 3.6
                        assert _fits(_paras(cell.text_frame), width, height), cell.text
                        checked += 1
    return checked


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_no_text_overflows_its_box_or_the_slide(lang: Lang) -> None:
    data, _ = demo(lang)
    assert text_fits(Presentation(io.BytesIO(data))) > 100


def pictures_at_print_resolution(prs: Any) -> int:
    """How many pictures the deck has; each has alt text and at least DPI_MIN pixels per
    inch of its width on the slide."""
    pictures = 0
    for s in prs.slides:
        for shape in s.shapes:
            if shape.shape_type == 13:  # MSO_SHAPE_TYPE.PICTURE
                with Image.open(io.BytesIO(shape.image.blob)) as im:
                    width_px = im.size[0]
                assert width_px / (shape.width / 914400) >= DPI_MIN, shape.name
                assert shape._element.nvPicPr.cNvPr.get("descr")
                pictures += 1
    return pictures


def test_pictures_are_at_print_resolution_with_alt_text() -> None:
    data, got = demo("zh-CN")
    prs = Presentation(io.BytesIO(data))
    # radar, element bars, heatmap, timeline (and intention vs reality)
    assert pictures_at_print_resolution(prs) == 4 + both_dimensions(got)


def test_svg_size_from_width_and_height_or_viewbox() -> None:
    assert svg_size('<svg xmlns="http://www.w3.org/2000/svg" width="64px" height="32">') == (
        64.0,
        32.0,
    )
    assert svg_size("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 120 40'>") == (
        120.0,
        40.0,
    )
    with pytest.raises(ReportError):
        svg_size('<svg xmlns="http://www.w3.org/2000/svg" width="100%">')


def test_chinese_chart_labels_are_drawn_in_the_bundled_font() -> None:
    """The charts are laid out with the report's Noto Sans SC, embedded in the PDF that is
    rasterised: Chinese labels do not depend on the fonts of the machine."""
    q, fw = load_questionnaire(QUESTIONNAIRE)
    text = yaml.safe_dump(neutral_responses("zh-CN"), allow_unicode=True, sort_keys=False)
    loaded = parse_responses(text.encode(), "demo-responses.yaml")
    ctx = build_context(assess(loaded, q, fw), fw, q, "zh-CN")
    assert "领导" in ctx.radar
    fonts = embedded_fonts(chart_pdf([Chart(ctx.radar, 7.0)]))
    assert any("NotoSansSC" in f.replace("-", "") for f in fonts), fonts


def test_same_inputs_same_bytes() -> None:
    first, _ = demo("en")
    q, fw = load_questionnaire(QUESTIONNAIRE)
    text = yaml.safe_dump(neutral_responses("en"), allow_unicode=True, sort_keys=False)
    loaded = parse_responses(text.encode(), "demo-responses.yaml")
    result = with_benchmark(assess(loaded, q, fw), BENCHMARK)
    again = render_report(result, fw, q, lang="en", fmt="pptx", responses=loaded.responses)
    assert again == first
    props = Presentation(io.BytesIO(first)).core_properties
    assert props.created.date().isoformat() == props.modified.date().isoformat() == "2026-11-01"
    assert props.last_modified_by == "crmm" and props.language == "en"


@pytest.mark.slow
def test_same_bytes_from_two_processes(tmp_path: Path) -> None:
    """`crmm report` in two processes with different hash seeds writes the same deck."""
    args = ["report", str(ROOT / "examples" / "audit" / "responses.yaml")]
    for kind in ("questionnaire", "framework"):
        args += [f"--{kind}", str(ROOT / "examples" / "audit" / f"{kind}.yaml")]
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"deck{seed}.pptx"
        subprocess.run(
            [sys.executable, "-m", "assessment", *args, "--lang", "zh-CN", "-o", str(out)],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=300,
        )
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_zh_deck_has_no_english_and_en_deck_no_chinese() -> None:
    zh, _ = demo("zh-CN")
    text = "\n".join(slide_text(s) + "\n" + notes_text(s) for s in slides(zh))
    assert foreign_in_zh(text) == []
    en, _ = demo("en")
    text = "\n".join(slide_text(s) + "\n" + notes_text(s) for s in slides(en))
    assert foreign_in_en(text) == []


def test_slide_plan_follows_the_context() -> None:
    """Slides whose data the context lacks are left out (no certification, no previous
    assessment: 11); a previous assessment adds its progress slide."""
    q, fw = load_questionnaire(QUESTIONNAIRE)
    text = yaml.safe_dump(neutral_responses("en"), allow_unicode=True, sort_keys=False)
    loaded = parse_responses(text.encode(), "demo-responses.yaml")
    result = assess(loaded, q, fw)
    ctx = build_context(result, fw, q, "en")
    both = any(c.gap is not None for c in result.criteria)  # the intention-vs-reality slide
    plain = [k for k in slide_plan(ctx) if k != "certification"]
    assert len(plain) == 11 + both and "progress" not in plain
    assert ("intention_reality" in plain) == both
    with_previous = build_context(result, fw, q, "en", previous=result)
    plan = slide_plan(with_previous)
    assert plan[-3:] == ("certification", "progress", "method") and len(plan) == 13 + both


def mini_json() -> str:
    res = CliRunner().invoke(
        cli,
        [
            "score",
            str(MINI / "responses.yaml"),
            "--questionnaire",
            str(MINI / "questionnaire.yaml"),
            "--framework",
            str(MINI / "framework.yaml"),
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    return res.output


def test_cli_writes_a_branded_deck(tmp_path: Path) -> None:
    """`crmm report … -o deck.pptx` with a brand: its name on the title slide, its SVG logo
    as a picture, titles in its colour; a previous assessment adds the progress slide."""
    out = tmp_path / "deck.pptx"
    args = [
        "report",
        str(MINI / "responses.yaml"),
        "--questionnaire",
        str(MINI / "questionnaire.yaml"),
        "--framework",
        str(MINI / "framework.yaml"),
        "--brand",
        str(ROOT / "examples" / "brand" / "brand.yaml"),
        "--previous",
        str(MINI / "responses.yaml"),
        "--lang",
        "en",
        "-o",
        str(out),
    ]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    prs = Presentation(str(out))
    titles = [s.shapes.title.text for s in prs.slides]
    assert 10 <= len(titles) <= 14
    progress = prs.slides[titles.index(labels("en")["progress.title"])]
    rows = table_rows(progress)
    assert [r[3] for r in rows[1:]] == ["0.0"] * (len(rows) - 1)  # the same answers as before
    assert rows[-1][1] == rows[-1][2] == f1(json.loads(mini_json())["overall"]["score"])
    assert pictures_at_print_resolution(prs) == 5  # the logo and four charts
    assert text_fits(prs) > 50
    first = prs.slides[0]
    assert "Northwind Advisory" in slide_text(first)
    assert any(s.shape_type == 13 for s in first.shapes)  # the logo
    brand = load_brand(ROOT / "examples" / "brand" / "brand.yaml")
    primary = dict(css_variables(brand.colors))["--primary-text"].lstrip("#").upper()
    assert primary != NEUTRAL.lstrip("#").upper()
    assert str(first.shapes.title.text_frame.paragraphs[0].runs[0].font.color.rgb) == primary


def test_input_text_is_text(tmp_path: Path) -> None:
    """Markup in an organisation's name is shown as written, escaped in the slide XML,
    never taken as markup."""
    text = (MINI / "responses.yaml").read_text("utf-8")
    hostile = text.replace("name: Mini Co,", 'name: "<script>alert(1)</script> & <b>Co</b>",')
    assert hostile != text
    answers = tmp_path / "answers.yaml"
    answers.write_text(hostile, "utf-8")
    out = tmp_path / "deck.pptx"
    args = ["report", str(answers), "--questionnaire", str(MINI / "questionnaire.yaml")]
    args += ["--framework", str(MINI / "framework.yaml"), "--lang", "en", "-o", str(out)]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    prs = Presentation(str(out))
    assert "<script>alert(1)</script> & <b>Co</b>" in slide_text(prs.slides[0])
    with zipfile.ZipFile(out) as z:
        xml = z.read("ppt/slides/slide1.xml").decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;" in xml
    assert "<script>" not in xml and "<b>" not in xml


def test_a_very_long_organisation_name_fits(tmp_path: Path) -> None:
    """A 300-character organisation name: the file's properties are cut to the 255
    characters python-pptx (and python-docx) accept, the footer's part to 60, and every
    box still fits."""
    name = "Very Long Organisation Name Holdings " * 8 + "Ltd"
    text = (MINI / "responses.yaml").read_text("utf-8").replace("name: Mini Co,", f"name: {name},")
    answers = tmp_path / "answers.yaml"
    answers.write_text(text, "utf-8")
    out = tmp_path / "deck.pptx"
    args = ["report", str(answers), "--brand", str(ROOT / "examples" / "brand" / "brand.yaml")]
    for kind in ("questionnaire", "framework"):
        args += [f"--{kind}", str(MINI / f"{kind}.yaml")]
    res = CliRunner().invoke(cli, [*args, "--lang", "zh-CN", "-o", str(out)])
    assert res.exit_code == 0, res.output
    prs = Presentation(str(out))
    assert text_fits(prs) > 50
    assert name in slide_text(prs.slides[0])
    assert len(prs.core_properties.title) == 255 and prs.core_properties.title.endswith("…")
    docx_out = tmp_path / "report.docx"  # the Word report shares the limit and the cure
    res = CliRunner().invoke(cli, [*args, "--lang", "en", "-o", str(docx_out)])
    assert res.exit_code == 0, res.output
    import docx

    title = docx.Document(str(docx_out)).core_properties.title
    assert len(title) == 255 and title.endswith("…")


def test_a_logo_with_only_a_viewbox(tmp_path: Path) -> None:
    """An SVG logo sized by its viewBox alone is drawn at its aspect on the title slide."""
    logo = (ROOT / "examples" / "brand" / "logo.svg").read_text("utf-8")
    wide = logo.replace('width="64" height="64" viewBox="0 0 64 64"', 'viewBox="0 0 128 64"')
    assert wide != logo
    (tmp_path / "logo.svg").write_text(wide, "utf-8")
    (tmp_path / "brand.yaml").write_text("type: brand\nname: Wide\nlogo: logo.svg\n", "utf-8")
    out = tmp_path / "deck.pptx"
    args = ["report", str(MINI / "responses.yaml"), "--brand", str(tmp_path / "brand.yaml")]
    for kind in ("questionnaire", "framework"):
        args += [f"--{kind}", str(MINI / f"{kind}.yaml")]
    res = CliRunner().invoke(cli, [*args, "--lang", "en", "-o", str(out)])
    assert res.exit_code == 0, res.output
    (picture,) = [s for s in Presentation(str(out)).slides[0].shapes if s.shape_type == 13]
    assert abs(picture.width / picture.height - 2.0) < 0.02
    with Image.open(io.BytesIO(picture.image.blob)) as im:
        assert abs(im.size[0] / im.size[1] - 2.0) < 0.02


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_renders_every_slide(tmp_path: Path) -> None:
    """The deck opens in LibreOffice Impress: one PDF page per slide, each rasterised."""
    data, _ = demo("zh-CN")
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(data)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "deck.pdf"
    from pypdf import PdfReader

    assert len(PdfReader(pdf).pages) == len(slides(data))
    if shutil.which("pdftoppm") is not None:
        subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / "s")], check=True)
        assert len(list(tmp_path.glob("s-*.png"))) == len(slides(data))
