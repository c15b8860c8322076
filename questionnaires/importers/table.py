"""Reading an export into a table of text cells: CSV/TSV in any supported encoding (pandas'
C parser, the csv module when pandas cannot split the file), or the first worksheet of an
XLSX workbook (openpyxl, imported only when needed). Cells are kept as categorical columns:
each distinct text once, so that a 100 000-row export stays small and later steps work on
distinct values."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frameworks.errors import InputError
from frameworks.fileio import read_bytes

from .encoding import BOMS, decode_text, utf16_without_bom

if TYPE_CHECKING:
    import pandas as pd

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SEP = "\uffff"  # a noncharacter: joins distinct texts to check them in one search
_DIRTY = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|(?:^|\uffff)\s|\s(?:\uffff|$)")
XLSX_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Sheet:
    """The cells of an export, every cell as stripped text ("" when empty).

    `frame` holds every row of the file, headings included, in columns 0, 1, ... of
    categorical text; `rows` gives them as lists (meant for small files and tests)."""

    source: str
    frame: pd.DataFrame
    encoding: str | None  # None for workbooks

    @property
    def height(self) -> int:
        return len(self.frame)

    def head(self, n: int) -> list[list[str]]:
        """The first n rows as lists of text."""
        return [[str(c) for c in row] for row in self.frame.head(n).astype(object).values]

    @property
    def rows(self) -> list[list[str]]:
        return self.head(self.height)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _clean(text: str) -> str:
    """Strip a cell; control characters (kept out of responses files) become spaces."""
    return _CONTROL.sub(" ", text.replace("\r\n", "\n")).strip()


_DELIMITERS = (",", "\t", ";")
_SNIFF = 1 << 16  # characters of the start of a file that decide its delimiter
_SNIFF_LINES = 8


def _delimiter(text: str, whole: bool = True) -> str:
    """The delimiter (comma, tab or semicolon) of a CSV/TSV text, or of its start (`whole`
    False: the last line may be cut off), judged on its first lines: the one that splits
    every one of them into the same number of cells, more than one (the most cells if several
    do); failing that (one line, ragged rows), the one found most often in the first line
    outside quoted cells. Headings that are question texts full of commas, between
    semicolons (LimeSurvey's full-text export), thus still split on the semicolons."""
    lines = text[:_SNIFF].split("\n")
    if (not whole or len(text) > _SNIFF) and len(lines) > 1:
        lines.pop()  # cut off mid-line
    sample = "\n".join(lines[:_SNIFF_LINES])
    widths: dict[str, int] = {}
    for d in _DELIMITERS:
        try:
            rows = csv.reader(io.StringIO(sample, newline=""), delimiter=d)
            counts = [len(r) for r in rows if any(c.strip() for c in r)]
        except csv.Error:
            continue
        if len(counts) > 1 and counts[0] > 1 and len(set(counts)) == 1:
            widths[d] = counts[0]
    if widths:
        return max(widths, key=lambda d: widths[d])
    first = lines[0]
    outside = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in first:
        if ch == '"':  # a doubled quote inside a cell toggles twice
            quoted = not quoted
        elif not quoted and ch in outside:
            outside[ch] += 1
    best = max(outside, key=lambda d: outside[d])
    return best if outside[best] else ","


def parse_csv_text(text: str) -> list[list[str]]:
    """Rows of a CSV/TSV text; the delimiter (comma, tab or semicolon) is taken from the
    first line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    return [[_clean(c) for c in row] for row in reader]


def read_xlsx_rows(raw: bytes, source: str, max_rows: int | None = None) -> list[list[str]]:
    """Rows of the first worksheet of an XLSX workbook, values as shown (not formulas)."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InputError.one(source, "", f"not a readable XLSX workbook ({exc})") from None
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True, max_row=max_rows)
        return [[_clean(_cell_text(v)) for v in row] for row in rows]
    finally:
        wb.close()


def _categorical(values: Any) -> pd.Categorical:
    """A column of cells as categorical text, each distinct value cleaned once (missing
    cells of short rows become "")."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    texts = [str(u) for u in uniques.tolist()]
    missing = codes < 0
    if not missing.any() and not _DIRTY.search(_SEP.join(texts)):
        return pd.Categorical.from_codes(codes, pd.Index(texts, dtype=object))
    inverse, cleaned = pd.factorize(np.array([*(_clean(t) for t in texts), ""], dtype=object))
    codes = inverse[np.where(missing, len(texts), codes)]
    return pd.Categorical.from_codes(codes, pd.Index(cleaned, dtype=object))


def frame_of_rows(rows: list[list[str]]) -> pd.DataFrame:
    """Rows of text (of any lengths) as a frame of categorical columns, padded with ""."""
    import pandas as pd

    width = max((len(r) for r in rows), default=0)
    padded = [r + [""] * (width - len(r)) for r in rows]
    frame = pd.DataFrame(padded, columns=range(width), dtype=object)
    return pd.DataFrame({c: _categorical(frame[c]) for c in frame.columns}, index=frame.index)


def _parse_csv(data: bytes, nrows: int | None) -> pd.DataFrame | None:
    """UTF-8 delimited text parsed by pandas into cleaned categorical columns; None when
    pandas cannot split it (rows longer than the first); UnicodeDecodeError when it is not
    UTF-8."""
    import pandas as pd

    head = data[:_SNIFF].decode("utf-8", "replace")
    try:
        frame = pd.read_csv(
            io.BytesIO(data),  # bytes: pandas reads text streams slowly
            encoding="utf-8",
            sep=_delimiter(head, whole=len(data) <= _SNIFF),
            header=None,
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            nrows=nrows,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        return None
    frame.columns = pd.RangeIndex(frame.shape[1])
    for c in frame.columns:  # one column at a time: each column's cells are freed in turn
        frame[c] = _categorical(frame[c])
    return frame


def read_csv_frame(text: str, nrows: int | None = None) -> pd.DataFrame:
    """A CSV/TSV text as a frame of cleaned categorical text (the delimiter as in
    `parse_csv_text`); the csv module reads what pandas' parser rejects (ragged rows)."""
    frame = _parse_csv(text.encode("utf-8"), nrows)
    if frame is None:
        return frame_of_rows(parse_csv_text(text)[:nrows])
    return frame


def _read_delimited(raw: bytes, source: str, nrows: int | None) -> tuple[pd.DataFrame, str]:
    """Delimited text in any supported encoding. Plain UTF-8, the common case, is decoded
    by pandas while it parses; anything else is decoded first (`encoding.decode_text`)."""
    if not raw.startswith(BOMS) and utf16_without_bom(raw) is None:
        try:
            frame = _parse_csv(raw, nrows)
        except UnicodeDecodeError:
            frame = None  # GB18030 and the like
        else:
            if frame is not None:
                return frame, "utf-8"
    text, encoding = decode_text(raw, source)
    return read_csv_frame(text, nrows), encoding


def _drop_trailing_empty(frame: pd.DataFrame) -> pd.DataFrame:
    filled = nonempty_rows(frame)
    last = int(filled.nonzero()[0].max()) + 1 if filled.any() else 0
    return frame.iloc[:last]


def nonempty_rows(frame: pd.DataFrame) -> Any:
    """A boolean array: which rows have at least one non-empty cell."""
    import numpy as np

    out = np.zeros(len(frame), dtype=bool)
    for c in frame.columns:
        col = frame[c]
        empty = np.flatnonzero(col.cat.categories.to_numpy(dtype=object) == "")
        out |= col.cat.codes.to_numpy() != (int(empty[0]) if len(empty) else -1)
    return out


def read_sheet(path: Path, nrows: int | None = None) -> Sheet:
    """An export file as a table of text: XLSX by its extension, otherwise delimited text;
    only its first `nrows` rows when given (enough to recognise a platform)."""
    raw = read_bytes(path)
    source = str(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InputError.one(source, "", "old .xls workbooks are not read; save as .xlsx or .csv")
    if suffix in XLSX_SUFFIXES or raw.startswith(b"PK\x03\x04"):
        frame = frame_of_rows(read_xlsx_rows(raw, source, nrows))
        encoding = None
    else:
        frame, encoding = _read_delimited(raw, source, nrows)
    frame = _drop_trailing_empty(frame)
    if frame.empty or frame.shape[1] == 0:
        raise InputError.one(source, "", "the export is empty")
    return Sheet(source, frame, encoding)
