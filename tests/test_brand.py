"""`crmm report --brand`: a consultancy's name, logo, colours, footer and confidentiality line."""

from __future__ import annotations

import shutil
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assessment.cli import cli
from assessment.engine import assess
from assessment.responses import load_responses
from questionnaires.loader import load_questionnaire
from reports import render_report
from reports import resources as report_resources
from reports.brand import (
    INK,
    NEUTRAL,
    WHITE,
    BrandColors,
    contrast,
    css_variables,
    load_brand,
    readable,
    text_on,
    with_logo,
)
from reports.paths import FONTS_DIR, STATIC_DIR

from .conftest import MINI, ROOT, mini_args, pdf_text, spy_on_fetches, write_yaml

BRAND_DIR = ROOT / "examples" / "brand"
EXAMPLE = BRAND_DIR / "brand.yaml"
HOSTILE_REFS = ("http://127.0.0.1:1/x.png", "file:///etc/passwd")


def png(width: int = 2, height: int = 1) -> bytes:
    """A valid RGB PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x17\x3f\x5f" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def svg(body: str) -> bytes:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        f' viewBox="0 0 10 10">{body}</svg>'
    ).encode()


def brand_file(folder: Path, logo_file: tuple[str, bytes] | None = None, **fields: Any) -> Path:
    """A brand.yaml in `folder` (with a logo file written beside it)."""
    doc: dict[str, Any] = {"type": "brand", "name": "Test Advisory"}
    if logo_file is not None:
        (folder / logo_file[0]).write_bytes(logo_file[1])
        doc["logo"] = logo_file[0]
    doc.update(fields)
    return write_yaml(folder / "brand.yaml", doc)


def report(runner: CliRunner, out: Path, *extra: str) -> Any:
    args = ["report", str(MINI / "responses.yaml"), "-o", str(out), "--lang", "en", *extra]
    return runner.invoke(cli, [*args, *mini_args()])


@pytest.fixture(scope="module")
def mini_result() -> Any:
    q, fw = load_questionnaire(MINI / "questionnaire.yaml", MINI / "framework.yaml")
    loaded = load_responses(MINI / "responses.yaml")
    return assess(loaded, q, fw), fw, q


# -- loading: every problem located, exit 2, one line, nothing written --------------------


@pytest.mark.parametrize(
    ("fields", "logo", "where", "message"),
    [
        ({"colors": {"primary": "blue"}}, None, "colors.primary", "'blue' is not a colour"),
        ({"colors": {"accent": "#12345"}}, None, "colors.accent", "is not a colour"),
        ({"slogan": "We advise"}, None, "slogan", "unknown field"),
        ({"name": {"zh-CN": "测试"}}, None, "name.en", "required field is missing"),
        ({"footer": "a\x07b"}, None, "footer", "control character '\\x07' at position 1"),
        ({"confidentiality": {"zh-CN": "机密", "en": ""}}, None, "confidentiality.en", "at least"),
        ({"name": "N" * 201}, None, "name", "must be 1-200 characters long"),
        ({"logo": "nowhere.svg"}, None, "logo", "file not found"),
        ({}, ("logo.jpg", b"\xff\xd8\xff\xe0"), "logo", "must be an .svg or .png file"),
        ({}, ("logo.png", b"<svg/>"), "logo", "not a PNG image"),
        ({}, ("logo.svg", b"<html><body/></html>"), "logo", "root element is not <svg"),
        ({}, ("logo.svg", b"<svg"), "logo", "not a well-formed SVG document"),
        ({}, ("logo.png", png() + b"\0" * (1 << 20)), "logo", "larger than 1 MB (1048576 bytes)"),
    ],
)
def test_bad_brand_is_located_and_exits_2(
    runner: CliRunner,
    tmp_path: Path,
    fields: dict[str, Any],
    logo: tuple[str, bytes] | None,
    where: str,
    message: str,
) -> None:
    path = brand_file(tmp_path, logo, **fields)
    out = tmp_path / "out.html"
    res = report(runner, out, "--brand", str(path))
    assert res.exit_code == 2, res.output
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{path}: {where}: ")
    assert message in lines[0]
    assert not out.exists()


def test_missing_brand_file(runner: CliRunner, tmp_path: Path) -> None:
    res = report(runner, tmp_path / "out.html", "--brand", str(tmp_path / "none.yaml"))
    assert res.exit_code == 2
    assert res.stderr.strip() == f"{tmp_path / 'none.yaml'}: file not found"


# -- a hostile SVG logo fetches nothing -----------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        f'<image href="{HOSTILE_REFS[0]}" width="10" height="10"/>',
        f'<use xlink:href="{HOSTILE_REFS[1]}#x"/>',
        f'<rect width="10" height="10" style="fill: url({HOSTILE_REFS[0]}#g)"/>',
        f'<rect width="10" height="10" fill="url(&apos;{HOSTILE_REFS[1]}&apos;)"/>',
        f"<style>rect {{ fill: url({HOSTILE_REFS[0]}) }}</style>",
        f"<style>@import '{HOSTILE_REFS[1]}';</style>",
        '<image href="data:image/svg+xml;base64,PHN2Zy8+" width="1" height="1"/>',
        "<script>fetch('http://127.0.0.1:1/')</script>",
        '<rect width="1" height="1" onload="x()"/>',
        "<style>rect { fill: \\75rl(http://127.0.0.1:1/) }</style>",
        '<rect width="1" height="1" style="fill: image-set(\'x.png\' 1x)"/>',
        "<foreignObject><img src='http://127.0.0.1:1/x.png'/></foreignObject>",
    ],
)
def test_svg_logo_must_be_self_contained(body: str) -> None:
    with pytest.raises(ValueError, match=r"self-contained|may not|may load"):
        with_logo(NEUTRAL, svg(body), ".svg")


def test_svg_with_a_dtd_is_refused() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    with pytest.raises(ValueError, match="DOCTYPE"):
        with_logo(NEUTRAL, data + svg("<text>&x;</text>"), ".svg")


def test_hostile_svg_logo_fetches_nothing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = spy_on_fetches(monkeypatch)
    body = f'<image href="{HOSTILE_REFS[0]}"/><use xlink:href="{HOSTILE_REFS[1]}#a"/>'
    path = brand_file(tmp_path, ("logo.svg", svg(body)))
    out = tmp_path / "out.pdf"
    res = report(runner, out, "--brand", str(path))
    assert res.exit_code == 2
    assert res.stderr.strip() == (
        f"{path}: logo: logo.svg: <image href> refers to '{HOSTILE_REFS[0]}';"
        " a logo must be self-contained (only #id references and embedded PNG/JPEG data)"
    )
    assert asked == [] and not out.exists()


# -- what the report shows ------------------------------------------------------------------


@pytest.fixture(scope="module")
def branded_pdf(mini_result: Any) -> Iterator[tuple[str, list[str]]]:
    """ONE branded PDF (mini, en): its text and every URL the renderer asked for."""
    result, fw, q = mini_result
    with pytest.MonkeyPatch.context() as mp:
        asked = spy_on_fetches(mp)
        pdf = render_report(result, fw, q, lang="en", fmt="pdf", brand=load_brand(EXAMPLE))
    yield pdf_text(pdf), asked


def test_pdf_shows_name_footer_and_confidentiality(branded_pdf: tuple[str, list[str]]) -> None:
    text, _ = branded_pdf
    assert "Northwind Advisory" in text.splitlines()[0]  # top of the cover
    confidential = "Confidential — prepared for the management of Mini Co"
    footer = "Northwind Advisory (fictitious) · Shanghai · northwind.example"
    pages = text.count("responses SHA-256")  # once per page: the running footer
    assert pages >= 3
    assert text.count(confidential) == pages  # the cover body and every later page's footer
    assert text.count(footer) == pages  # every page's footer


def test_pdf_fetches_only_package_files_and_data(branded_pdf: tuple[str, list[str]]) -> None:
    _, asked = branded_pdf
    assert any(u.startswith("data:image/svg+xml;base64,") for u in asked)  # the logo
    for url in asked:
        if not url.startswith("data:"):
            path = report_resources.allowed_path(url)
            assert path.is_relative_to(STATIC_DIR) or path.is_relative_to(FONTS_DIR)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_html_carries_brand(mini_result: Any, lang: str) -> None:
    result, fw, q = mini_result
    brand = load_brand(EXAMPLE)
    html = render_report(result, fw, q, lang=lang, fmt="html", brand=brand).decode()  # type: ignore[arg-type]
    name = "Northwind Advisory" if lang == "en" else "北风咨询"
    assert f'<span class="cover-brand-name">{name}</span>' in html
    assert '<img class="cover-logo" src="data:image/svg+xml;base64,' in html
    assert "--primary: #173f5f;" in html and "--accent: #d9822b;" in html
    assert html.index("--primary: #173f5f;") > html.index("--accent: #1f5f8b;")  # after report.css
    assert "--on-accent: #222222;" in html  # dark text on the light orange tiles
    conf = "Confidential — prepared for the management of Mini Co"
    zh_conf = "机密 — 仅供Mini Co管理层使用"
    assert f'<p class="cover-confidential">{conf if lang == "en" else zh_conf}</p>' in html
    assert 'fill="#173f5f"' in html and '="#1f5f8b"' not in html  # charts in the brand colour


def test_png_logo_and_single_colour(mini_result: Any, tmp_path: Path) -> None:
    result, fw, q = mini_result
    path = brand_file(tmp_path, ("logo.png", png(3, 2)), colors={"accent": "#0A0"})
    html = render_report(result, fw, q, lang="en", fmt="html", brand=load_brand(path)).decode()
    assert 'src="data:image/png;base64,' in html
    assert "--primary: #00aa00;" in html and "--accent: #00aa00;" in html  # one sets both


def test_no_brand_is_todays_neutral_look(mini_result: Any) -> None:
    result, fw, q = mini_result
    plain = render_report(result, fw, q, lang="en", fmt="html")
    assert render_report(result, fw, q, lang="en", fmt="html", brand=NEUTRAL) == plain
    html = plain.decode()
    assert "cover-brand" not in html.split("</style>")[-1] and "--primary: #" in html
    assert html.count("--primary: #") == 1  # report.css's default only, no brand <style>


def test_batch_passes_the_brand(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(MINI / "responses.yaml", folder / "a.yaml")
    out = tmp_path / "out"
    args = ["report", "--batch", str(folder), "-o", str(out), "--jobs", "1", "--format", "html"]
    res = runner.invoke(cli, [*args, "--brand", str(EXAMPLE), "--lang", "en", *mini_args()])
    assert res.exit_code == 0, res.output
    html = (out / "a.html").read_text("utf-8")
    assert "Northwind Advisory" in html and "data:image/svg+xml;base64," in html


# -- colours stay legible -------------------------------------------------------------------


def test_text_on_colour_by_luminance() -> None:
    assert text_on("#ffd700") == INK and text_on("#173f5f") == WHITE
    assert text_on("#d9822b") == INK and text_on("#c2410c") == WHITE


@pytest.mark.parametrize("color", ["#ffd700", "#d9822b", "#00aa00", "#ffffff", "#1f5f8b"])
def test_colours_as_text_are_darkened_until_legible(color: str) -> None:
    assert contrast(readable(color, WHITE), WHITE) >= 4.5
    variables = dict(css_variables(BrandColors(primary=color, accent=color)))
    for text in ("--primary-text", "--accent-text"):
        assert contrast(variables[text], WHITE) >= 4.5
    assert contrast(variables["--accent-text"], variables["--accent-light"]) >= 4.5
    assert contrast(variables["--on-accent"], color) >= 3.0
    if color == "#1f5f8b":  # already legible: unchanged
        assert variables["--accent-text"] == color


def test_example_brand_loads() -> None:
    brand = load_brand(EXAMPLE)
    assert brand.name is not None and brand.name.en == "Northwind Advisory"
    assert brand.colors == BrandColors(primary="#173f5f", accent="#d9822b")
    assert (brand.logo_url or "").startswith("data:image/svg+xml;base64,")
    assert css_variables(BrandColors()) == ()


def test_readme_brand_example_is_valid(tmp_path: Path) -> None:
    import re

    readme = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"```yaml\n(type: brand\n.*?)```", readme, re.S)
    assert block is not None
    path = tmp_path / "brand.yaml"
    path.write_text(block.group(1), "utf-8")
    shutil.copy(BRAND_DIR / "logo.svg", tmp_path / "logo.svg")
    brand = load_brand(path)
    assert brand.footer is not None and brand.footer.get("zh-CN") == brand.footer.en
    assert brand.confidentiality is not None and "{organization}" in brand.confidentiality.en
