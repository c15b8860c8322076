"""Build the report fonts: subsets of Noto Sans CJK SC, renamed "Noto Sans SC", as WOFF2.

Source: Debian's fonts-noto-cjk (`apt-get install fonts-noto-cjk`), whose .ttc collections
hold the SC face at font number 2. The subset keeps the OpenType layout features of
horizontal text (see FEATURES) and covers ASCII, Latin-1, general punctuation, arrows, box
drawing, geometric shapes, every CJK Unified Ideograph of the BMP and of Extension A that
the source has, CJK compatibility ideographs, radicals and strokes, CJK symbols and
punctuation, Bopomofo, enclosed and compatibility CJK, vertical, small and fullwidth forms,
all of GB 2312 (its symbols) and every character of the bundled content (frameworks,
questionnaires, report labels and templates, the demo's answers).

It also writes fonts/coverage.txt: the code points both fonts map to a glyph, which
reports/glyphs.py reads to warn about characters of an input the fonts lack.

Run from the repository root:  python scripts/subset_fonts.py
Needs the package installed with fontTools and brotli (`pip install -e ".[fonts]"`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from reports.glyphs import COVERAGE_FILE, format_ranges

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_NUMBER = 2  # "Noto Sans CJK SC" inside NotoSansCJK-*.ttc
OUT_DIR = ROOT / "reports" / "fonts"
OLD_FAMILY, NEW_FAMILY = "Noto Sans CJK SC", "Noto Sans SC"
OLD_PS, NEW_PS = "NotoSansCJKsc", "NotoSansSC"
STYLES = ("Regular", "Bold")
# Every OpenType feature horizontal Simplified-Chinese and Latin text uses. Left out: `locl`
# (Japanese, Korean and Traditional-Chinese glyph forms, some 6000 glyphs the SC face does not
# need), `aalt` (a font-picker listing of all alternates) and the vertical-writing features.
FEATURES = [
    "calt",
    "ccmp",
    "dlig",
    "fwid",
    "halt",
    "hist",
    "hwid",
    "kern",
    "liga",
    "ljmo",
    "mark",
    "palt",
    "pwid",
    "ruby",
    "tjmo",
]

RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement
    (0x2000, 0x206F),  # general punctuation
    (0x2070, 0x209F),  # superscripts and subscripts
    (0x20A0, 0x20CF),  # currency symbols
    (0x2100, 0x214F),  # letterlike symbols (№, ™)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators (×, ≤, ≥, −)
    (0x2460, 0x24FF),  # enclosed alphanumerics (①)
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes (bullets, ▲, ●)
    (0x2600, 0x26FF),  # miscellaneous symbols (★)
    (0x2713, 0x2717),  # check marks and crosses
    (0x2E80, 0x2EFF),  # CJK radicals supplement
    (0x2F00, 0x2FDF),  # Kangxi radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3100, 0x312F),  # Bopomofo
    (0x31A0, 0x31BF),  # Bopomofo extended
    (0x31C0, 0x31EF),  # CJK strokes
    (0x3200, 0x32FF),  # enclosed CJK letters and months (㈱)
    (0x3300, 0x33FF),  # CJK compatibility (㎡)
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFE50, 0xFE6F),  # small form variants
    (0xFF00, 0xFFEF),  # halfwidth and fullwidth forms
)
CONTENT_GLOBS = (
    "frameworks/data/**/*.yaml",
    "questionnaires/data/*.yaml",
    "reports/static/*.yaml",
    "reports/templates/*",
    "assessment/data/demo_answers.yaml",
)


def gb2312_chars() -> tuple[set[str], int]:
    """Every character of GB 2312 (rows 0xA1-0xF7) and how many of them are hanzi."""
    chars: set[str] = set()
    hanzi = 0
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                ch = bytes((hi, lo)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            chars.add(ch)
            hanzi += hi >= 0xB0
    return chars, hanzi


def content_chars(root: Path) -> tuple[set[str], list[Path]]:
    """Characters of the bundled content files, and the files read."""
    files = sorted({p for g in CONTENT_GLOBS for p in root.glob(g) if p.is_file()})
    chars: set[str] = set()
    for p in files:
        chars.update(p.read_text("utf-8"))
    return {c for c in chars if c.isprintable()}, files


def rename(font: TTFont) -> None:
    """Call the family "Noto Sans SC" in every name record."""
    for rec in font["name"].names:
        text = rec.toUnicode()
        new = text.replace(OLD_FAMILY, NEW_FAMILY).replace(OLD_PS, NEW_PS)
        if new != text:
            rec.string = new
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [n.replace(OLD_PS, NEW_PS) for n in cff.fontNames]


COVERAGE_HEADER = """\
# The code points both report fonts (NotoSansSC-Regular.woff2, NotoSansSC-Bold.woff2) map
# to a glyph, as hex ranges. Written by scripts/subset_fonts.py; tests/test_fonts.py checks
# it against the fonts; reports/glyphs.py reads it.
"""


def coverage(fonts: list[Path]) -> set[int]:
    """The code points every one of `fonts` maps to a glyph other than .notdef."""
    maps = [{c for c, g in TTFont(str(f)).getBestCmap().items() if g != ".notdef"} for f in fonts]
    return set.intersection(*maps)


def build(style: str, text: str, source_dir: Path, out_dir: Path) -> Path:
    src = source_dir / f"NotoSansCJK-{style}.ttc"
    font = TTCollection(str(src), lazy=False).fonts[FONT_NUMBER]
    family = font["name"].getDebugName(1)
    if family != OLD_FAMILY:
        raise SystemExit(f"{src} font {FONT_NUMBER} is {family!r}, expected {OLD_FAMILY!r}")
    options = subset.Options()
    options.layout_features = FEATURES
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    # vertical metrics: reports are laid out horizontally, and every PDF subset would carry
    # them for all glyphs (WeasyPrint keeps glyph ids when it subsets)
    options.drop_tables += ["vhea", "vmtx", "VORG"]
    options.glyph_names = False
    options.flavor = "woff2"
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    rename(font)
    out = out_dir / f"NotoSansSC-{style}.woff2"
    font.flavor = "woff2"
    font.save(str(out))
    glyphs = len(font.getGlyphOrder())
    print(
        f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: from {src.name}"
        f" #{FONT_NUMBER}, {glyphs} glyphs, {out.stat().st_size / 1e6:.2f} MB"
    )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source-dir", type=Path, default=SOURCE_DIR)
    ap.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = ap.parse_args(argv)
    chars: set[str] = set()
    for lo, hi in RANGES:
        chars.update(chr(c) for c in range(lo, hi + 1))
    gb, hanzi = gb2312_chars()
    content, files = content_chars(ROOT)
    extra = content - chars - gb
    chars |= gb | content
    print(
        f"characters: {len(chars)} in all; GB 2312 {len(gb)} ({hanzi} hanzi);"
        f" {len(content)} in {len(files)} content files, {len(extra)} of them beyond"
        f" the ranges and GB 2312"
    )
    args.out_dir.mkdir(parents=True, exist_ok=True)
    text = "".join(sorted(chars))
    fonts = [build(style, text, args.source_dir, args.out_dir) for style in STYLES]
    codes = coverage(fonts)
    out = args.out_dir / COVERAGE_FILE.name
    out.write_text(COVERAGE_HEADER + format_ranges(codes), "utf-8")
    print(f"{out.name}: {len(codes)} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
