"""The bundled CJK font covers every character of the built-in content and labels."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTFont

from assessment import demo
from assessment.cli import cli
from frameworks.loader import load_framework
from questionnaires.loader import load_questionnaire

from .conftest import MINI, load_yaml, mini_args, write_yaml

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "reports" / "fonts"


def _strings(obj: object) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, list | tuple):
        return [s for v in obj for s in _strings(v)]
    return []


def test_font_covers_builtin_content() -> None:
    texts = _strings(load_framework("crm-maturity").model_dump(by_alias=True))
    for qid in ("full-audit", "quick-check"):
        texts += _strings(load_questionnaire(qid)[0].model_dump(by_alias=True))
    texts += _strings(demo.demo_written().model_dump(by_alias=True))
    from frameworks.fileio import load_data

    texts += _strings(load_data(ROOT / "frameworks" / "data" / "vocabulary.yaml"))
    from frameworks.text import zh_typography

    report_files = [*(ROOT / "reports" / "static").glob("*.yaml")]
    report_files += (ROOT / "reports" / "templates").glob("*.j2")
    for path in report_files:
        text = path.read_text("utf-8")
        texts += [text, zh_typography(text)]
    chars = {ch for t in texts for ch in t if ord(ch) > 0x20}
    for style in ("Regular", "Bold"):
        cmap = TTFont(FONTS / f"NotoSansSC-{style}.woff2").getBestCmap()
        missing = sorted(ch for ch in chars if ord(ch) not in cmap)
        assert not missing, f"{style} lacks {''.join(missing)!r}: run scripts/subset_fonts.py"


# --- every character a client writes is printed (issue 11 §1) ---

RARE_NAMES = ROOT / "tests" / "fixtures" / "rare-names" / "responses.yaml"
# rare hanzi of company and personal names, Extension A, full-width forms, CJK brackets
RARE = "璟昇喆堃旻珺犇淼燚鑫垚嵘玥彧翀甪㐀䶵ＡＢ１２〔〕【】"
BUNDLED = "+Noto-Sans-SC"  # the PDF names of the bundled fonts' subsets (…-SC, …-SC-Bold)


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """Glyph code -> text of a PDF ToUnicode CMap (bfchar and bfrange entries)."""
    import re

    def utf16(hexa: bytes) -> str:
        return bytes.fromhex(hexa.decode()).decode("utf-16-be")

    out: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            out[int(code, 16)] = utf16(text)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, start in re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            first = ord(utf16(start))
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(first + i)
    return out


def _glyph_fonts(pdf: Path, wanted: str) -> dict[str, set[str]]:
    """Character of `wanted` -> base names of the embedded fonts that draw it with a real
    glyph: its ToUnicode code (Identity CID = glyph index) is not 0 and the embedded font
    program has an outline at that index."""
    import io

    from fontTools.cffLib import CFFFontSet
    from pypdf import PdfReader

    found: dict[str, set[str]] = {}
    done: set[int] = set()
    for page in PdfReader(pdf).pages:
        for ref in page["/Resources"].get_object().get("/Font", {}).values():
            if ref.idnum in done:
                continue
            done.add(ref.idnum)
            font = ref.get_object()
            cid = font["/DescendantFonts"][0].get_object()
            desc = cid["/FontDescriptor"].get_object()
            stream = desc["/FontFile3"].get_object()
            program = io.BytesIO(stream.get_data())
            if stream.get("/Subtype") == "/OpenType":  # a whole OpenType font around its CFF
                cff = TTFont(program)["CFF "].cff
            else:
                cff = CFFFontSet()
                cff.decompile(program, None)
            top = cff[cff.fontNames[0]]
            order = top.getGlyphOrder()
            for code, text in _to_unicode(font["/ToUnicode"].get_object().get_data()).items():
                if not set(text) & set(wanted):
                    continue
                if not 0 < code < len(order) or order[code] == ".notdef":
                    continue
                glyph = top.CharStrings[order[code]]
                glyph.decompile()
                if glyph.calcBounds(top.CharStrings) is None:
                    continue  # an empty outline (a space) draws nothing
                for ch in text:
                    found.setdefault(ch, set()).add(str(font["/BaseFont"]))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_rare_characters_print_with_the_bundled_font(tmp_path: Path, lang: str) -> None:
    out = tmp_path / f"rare-{lang}.pdf"
    res = CliRunner().invoke(cli, ["report", str(RARE_NAMES), "-o", str(out), "--lang", lang])
    assert res.exit_code == 0, res.output
    assert "warning" not in res.output  # every character is in the bundled fonts
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert not [ch for ch in RARE if ch not in text]
    drawn = _glyph_fonts(out, RARE)
    # each character drawn from a real glyph of the bundled font (not a box, not a system font)
    lacking = {ch: drawn.get(ch) for ch in RARE if not any(BUNDLED in f for f in drawn.get(ch, ()))}
    assert not lacking, f"not drawn from a glyph of the bundled fonts: {lacking}"
    # the running header of every page but the cover carries the organisation's name
    pages = text.split("\f")[1:-1]
    assert all("璟昇喆堃" in p for p in pages[1:])


def test_coverage_file_matches_the_fonts() -> None:
    from reports.glyphs import COVERAGE_FILE, parse_ranges

    ranges = parse_ranges(COVERAGE_FILE.read_text("utf-8"))
    listed = {c for lo, hi in ranges for c in range(lo, hi + 1)}
    real = [
        {
            c
            for c, g in TTFont(FONTS / f"NotoSansSC-{style}.woff2").getBestCmap().items()
            if g != ".notdef"
        }
        for style in ("Regular", "Bold")
    ]
    assert listed == real[0] & real[1]


def test_fonts_cover_cjk_ideographs_and_forms() -> None:
    """Every ideograph of the BMP and Extension A the source font has (all but a handful of
    the newest), CJK punctuation and full-width forms."""
    from reports.glyphs import covered

    for lo, hi, least in (
        (0x4E00, 0x9FFF, 20900),
        (0x3400, 0x4DBF, 6500),
        (0x3000, 0x303F, 64),
        (0xFF01, 0xFF5E, 94),
    ):
        assert sum(covered(chr(c)) for c in range(lo, hi + 1)) >= least, hex(lo)
    assert all(covered(ch) for ch in RARE)


EXT_B, EMOJI = "\U00020bb7", "\U0001f600"  # 𠮷 (CJK Extension B), 😀
_NAMED = "characters the report fonts lack: "


def _with_missing(tmp_path: Path) -> Path:
    data = load_yaml(RARE_NAMES)
    data["organization"]["name"] += EXT_B
    data["respondents"][1]["answers"]["qc-02"]["comment"] += EMOJI + EXT_B
    return write_yaml(tmp_path / "missing.yaml", data)


def test_missing_glyphs_named_with_their_fields(tmp_path: Path) -> None:
    from assessment.responses import parse_document
    from reports.glyphs import covered, missing_glyphs

    assert not covered(EXT_B) and not covered(EMOJI)
    path = _with_missing(tmp_path)
    found = missing_glyphs(parse_document(path.read_bytes(), str(path)), system_fonts=False)
    assert [(m.char, m.code, m.places) for m in found] == [
        (EMOJI, "U+1F600", ("respondents[1].answers.qc-02.comment",)),
        (
            EXT_B,
            "U+20BB7",
            ("organization.name", "respondents[1].answers.qc-02.comment"),
        ),
    ]
    assert missing_glyphs(load_yaml(RARE_NAMES)) == []


@pytest.mark.slow
def test_report_warns_once_about_missing_glyphs(tmp_path: Path) -> None:
    path = _with_missing(tmp_path)
    out = tmp_path / "report.pdf"
    res = CliRunner().invoke(cli, ["report", str(path), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_bytes().startswith(b"%PDF")
    warnings = [line for line in res.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1, res.stderr
    line = warnings[0]
    assert line.startswith(f"warning: {path}: ")
    for part in (
        f"{EMOJI} U+1F600 in respondents[1].answers.qc-02.comment (",
        f"{EXT_B} U+20BB7 in organization.name, respondents[1].answers.qc-02.comment (",
    ):
        assert part in line
    assert "Traceback" not in res.output
    # how each prints: a system font named by fontconfig, or a box
    assert line.count("system font") + line.count("printed as a box") == 2


@pytest.mark.slow
def test_pdf_form_warns_about_its_questionnaire(tmp_path: Path) -> None:
    """A questionnaire file of one's own printed as a form: characters the fonts lack are
    named once, in the form's language only; the form is still written."""
    data = load_yaml(MINI / "questionnaire.yaml")
    data["questions"][1]["text"]["zh-CN"] += EXT_B
    data["questions"][2]["text"]["en"] += EMOJI
    path = write_yaml(tmp_path / "q.yaml", data)
    for lang, named in (("zh-CN", f"{EXT_B} U+20BB7 in questions[1].text.zh-CN ("), ("en", EMOJI)):
        out = tmp_path / f"form-{lang}.pdf"
        args = ["questionnaire", "export", str(path), "-o", str(out), "--lang", lang]
        res = CliRunner().invoke(cli, [*args, "--framework", str(MINI / "framework.yaml")])
        assert res.exit_code == 0, res.output
        assert out.read_bytes().startswith(b"%PDF")
        warnings = [line for line in res.stderr.splitlines() if line.startswith("warning:")]
        assert len(warnings) == 1 and named in warnings[0], res.stderr
        assert (EXT_B in warnings[0]) == (lang == "zh-CN")


@pytest.mark.slow
def test_report_batch_warns_per_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = _with_missing(folder)
    write_yaml(folder / "plain.yaml", load_yaml(RARE_NAMES))
    res = CliRunner().invoke(cli, ["report", "--batch", str(folder), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    warnings = [line for line in res.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and warnings[0].startswith(f"warning: {path}: "), res.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["missing.pdf", "plain.pdf"]


@pytest.mark.slow
def test_brand_file_characters_checked_too(tmp_path: Path) -> None:
    """The consultancy's name and footer print on every page: the brand file is read too."""
    brand = write_yaml(tmp_path / "brand.yaml", {"type": "brand", "name": f"喆{EXT_B} Advisory"})
    out = tmp_path / "report.pdf"
    args = ["report", str(MINI / "responses.yaml"), "-o", str(out), "--brand", str(brand)]
    res = CliRunner().invoke(cli, [*args, *mini_args()])
    assert res.exit_code == 0, res.output
    warnings = [line for line in res.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and warnings[0].startswith(f"warning: {brand}: {_NAMED}")
    assert f"{EXT_B} U+20BB7 in name (" in warnings[0] and "喆" not in warnings[0]
    assert out.exists()
