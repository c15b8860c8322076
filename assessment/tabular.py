"""CSV and XLSX output shared by `crmm compare` and `crmm score --batch`.

Every text cell that a spreadsheet would read as a formula (starting with = + - @, a tab or
a carriage return) gets a leading apostrophe, so that names from input files cannot run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

Cell = str | int | float | None
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Cell) -> Cell:
    """A cell value that no spreadsheet evaluates: numbers as they are, risky text quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@dataclass(frozen=True)
class Sheet:
    """One table: a title, a header row and data rows; `heatmap` marks numeric columns
    (0-based, as a first and last column) to colour by value in a workbook."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    heatmap: tuple[int, int] | None = None
    widths: dict[int, float] = field(default_factory=dict)


def to_csv(sheet: Sheet) -> str:
    """The sheet as CSV text (RFC 4180: CRLF line ends, fields with CR or LF quoted),
    formulas neutralised."""
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([safe_cell(h) for h in sheet.header])
    for row in sheet.rows:
        w.writerow(["" if c is None else safe_cell(c) for c in row])
    return out.getvalue()


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one worksheet per sheet; text is stored as text, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.worksheets[0])
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title[:31])
        ws.append([safe_cell(h) for h in sheet.header])
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in sheet.rows:
            ws.append([safe_cell(c) for c in row])
        for row_cells in ws.iter_rows():
            for c in row_cells:
                if isinstance(c.value, str):
                    c.data_type = "s"  # never a formula, whatever the text
        ws.freeze_panes = "B2"
        for i in range(len(sheet.header)):
            ws.column_dimensions[get_column_letter(i + 1)].width = sheet.widths.get(i, 14)
        if sheet.heatmap and sheet.rows:
            first, last = (get_column_letter(i + 1) for i in sheet.heatmap)
            ws.conditional_formatting.add(
                f"{first}2:{last}{len(sheet.rows) + 1}",
                ColorScaleRule(  # type: ignore[no-untyped-call]
                    start_type="num",
                    start_value=0,
                    start_color="F8696B",
                    mid_type="num",
                    mid_value=50,
                    mid_color="FFEB84",
                    end_type="num",
                    end_value=100,
                    end_color="63BE7B",
                ),
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
