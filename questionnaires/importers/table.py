"""Reading an export into rows of text cells: CSV/TSV in any supported encoding, or the first
worksheet of an XLSX workbook (openpyxl, imported only when needed)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frameworks.errors import InputError
from frameworks.fileio import read_bytes

from .encoding import decode_text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
XLSX_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Sheet:
    """The cells of an export, every cell as stripped text ("" when empty)."""

    source: str
    rows: list[list[str]]
    encoding: str | None  # None for workbooks


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


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_csv_text(text: str) -> list[list[str]]:
    """Rows of a CSV/TSV text; the delimiter (comma, tab or semicolon) is taken from the
    first line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    return [[_clean(c) for c in row] for row in reader]


def read_xlsx_rows(raw: bytes, source: str) -> list[list[str]]:
    """Rows of the first worksheet of an XLSX workbook, values as shown (not formulas)."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InputError.one(source, "", f"not a readable XLSX workbook ({exc})") from None
    try:
        ws = wb.worksheets[0]
        return [[_clean(_cell_text(v)) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def read_sheet(path: Path) -> Sheet:
    """An export file as rows of text: XLSX by its extension, otherwise delimited text."""
    raw = read_bytes(path)
    source = str(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InputError.one(source, "", "old .xls workbooks are not read; save as .xlsx or .csv")
    if suffix in XLSX_SUFFIXES or raw.startswith(b"PK\x03\x04"):
        rows = read_xlsx_rows(raw, source)
        encoding = None
    else:
        text, encoding = decode_text(raw, source)
        rows = parse_csv_text(text)
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise InputError.one(source, "", "the export is empty")
    return Sheet(source, rows, encoding)
