"""Which characters the bundled fonts print, and which characters of an input they do not.

The report fonts (reports/fonts/NotoSansSC-*.woff2) cover the CJK ideographs of the BMP and
Extension A, CJK punctuation, full-width forms and the Latin text of the reports. Their
coverage is listed in `fonts/coverage.txt` (hex code-point ranges, written by
scripts/subset_fonts.py and checked against the fonts by tests/test_fonts.py), so nothing
parses a font at run time. A character outside it (an Extension B ideograph, an emoji) is
printed by a system font if one has it (the stylesheets end in generic families), else as a
box: `missing_glyphs` finds such characters in an input and where they occur, and
`glyph_warning` words the one warning the CLI prints.
"""

from __future__ import annotations

import bisect
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from .paths import FONTS_DIR

COVERAGE_FILE = FONTS_DIR / "coverage.txt"
MAX_PLACES = 3  # field paths named per character; the rest are counted
# the system families report.css names after the bundled one, in its order
STYLESHEET_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei")


@dataclass(frozen=True)
class MissingGlyph:
    """A character no bundled font has, the fields it occurs in, and a system font with it
    (`looked_up` False: fontconfig could not be asked)."""

    char: str
    places: tuple[str, ...]
    system_font: str | None
    looked_up: bool = True

    @property
    def code(self) -> str:
        return f"U+{ord(self.char):04X}"


def parse_ranges(text: str) -> list[tuple[int, int]]:
    """Code-point ranges from lines `4E00-9FFF` or `00A9` (`#` starts a comment)."""
    ranges = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            lo, _, hi = line.partition("-")
            ranges.append((int(lo, 16), int(hi or lo, 16)))
    return sorted(ranges)


def format_ranges(codes: Iterable[int]) -> str:
    """Code points as the lines of a coverage file: runs of consecutive codes as ranges."""
    lines: list[str] = []
    run: list[int] = []
    for c in sorted(set(codes)):
        if run and c == run[-1] + 1:
            run[-1] = c
            continue
        if run:
            lines.append(_range_line(*run))
        run = [c, c]
    if run:
        lines.append(_range_line(*run))
    return "".join(line + "\n" for line in lines)


def _range_line(lo: int, hi: int) -> str:
    return f"{lo:04X}" if lo == hi else f"{lo:04X}-{hi:04X}"


@cache
def _coverage() -> tuple[list[int], list[int]]:
    ranges = parse_ranges(COVERAGE_FILE.read_text("utf-8"))
    return [lo for lo, _ in ranges], [hi for _, hi in ranges]


@cache
def _uncovered() -> re.Pattern[str]:
    """A pattern matching any character `covered` rejects (searched in C: fast on big files)."""
    los, his = _coverage()
    pairs = zip(los, his, strict=True)
    spans = "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in pairs)
    return re.compile(f"[^\\x00-\\x20\\s{spans}]")


def covered(char: str) -> bool:
    """Whether both bundled fonts (regular and bold) have a glyph for `char`."""
    code = ord(char)
    if code < 0x20 or char.isspace():
        return True  # laid out as space or line breaks, never drawn
    los, his = _coverage()
    i = bisect.bisect_right(los, code) - 1
    return i >= 0 and code <= his[i]


def _strings(obj: Any, path: str) -> Iterator[tuple[str, str]]:
    """(field path, text) of every string in JSON-like data, keys included."""
    if isinstance(obj, str):
        yield path, obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            sub = f"{path}.{k}" if path else str(k)
            if isinstance(k, str):
                yield sub, k
            yield from _strings(v, sub)
    elif isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            yield from _strings(v, f"{path}[{i}]")


def missing_glyphs(
    data: Any, system_fonts: bool = True, skip: tuple[str, ...] = ()
) -> list[MissingGlyph]:
    """The characters of `data` (parsed YAML or JSON) that no bundled font has, in code
    order, each with the field paths where it occurs (e.g. `organization.name`) and, with
    `system_fonts`, an installed font that has it (asked of fontconfig). Fields whose path
    ends with one of `skip` (e.g. `.en` for a zh-CN form) are not printed, so not read."""
    places: dict[str, list[str]] = {}
    for path, text in _strings(data, ""):
        if skip and path.endswith(skip):
            continue
        for ch in set(text):
            if not covered(ch):
                places.setdefault(ch, []).append(path)
    ask = system_fonts and shutil.which("fc-list") is not None
    return [
        MissingGlyph(ch, tuple(places[ch]), system_font(ch) if ask else None, ask)
        for ch in sorted(places)
    ]


def missing_in_document(raw: bytes, source: str) -> list[MissingGlyph]:
    """`missing_glyphs` of a YAML or JSON file's data; the file is parsed only when its text
    holds an uncovered character or an escape sequence (which could stand for one)."""
    text = raw.decode("utf-8", errors="replace")
    if "\\" not in text and not _uncovered().search(text):
        return []
    from assessment.responses import parse_document

    return missing_glyphs(parse_document(raw, source))


def system_font(char: str) -> str | None:
    """The family of an installed font that has `char` (fontconfig's fc-list), if any."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        out = subprocess.run(
            [fc_list, f":charset={ord(char):x}", "family"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families = sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()})
    preferred = [f for f in STYLESHEET_FAMILIES if f in families]  # what Pango tries first
    return (preferred or families)[0] if families else None


def glyph_warning(missing: list[MissingGlyph]) -> str | None:
    """One warning naming every missing character, its fields, and how it will print."""
    if not missing:
        return None
    parts = []
    for m in missing:
        where = ", ".join(m.places[:MAX_PLACES])
        if len(m.places) > MAX_PLACES:
            where += f" and {len(m.places) - MAX_PLACES} more"
        if m.system_font:
            how = f"a system font has it: {m.system_font}"
        elif m.looked_up:
            how = "no installed font has it: printed as a box"
        else:
            how = "printed by a system font if one has it, else as a box"
        parts.append(f"{m.char} {m.code} in {where} ({how})")
    return "characters the report fonts lack: " + "; ".join(parts)
