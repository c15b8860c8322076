"""The crmm answer workbook's fixed layout, shared by the exporter and the importer.

A hidden sheet (`META_SHEET`) holds a table with one row per fact: `meta` rows (format,
questionnaire id and version, language), `profile` rows (which cell holds the organisation
name, the role...) and `question` rows (the sheet and the answer, comment and evidence cells
of each question). The importer reads answers through this table only, never by guessing
from row positions.
"""

from __future__ import annotations

import re

FORMAT = "crmm-workbook/1"
META_SHEET = "_crmm"
LISTS_SHEET = "_lists"
META_HEADER = ("kind", "key", "value", "sheet", "answer", "comment", "evidence")

ID_COL, QUESTION_COL, HINT_COL, ANSWER_COL, COMMENT_COL, EVIDENCE_COL = "ABCDEF"
HEADER_ROW = 3  # column titles on each question sheet; questions start below

# (key in the metadata table, label key): the profile cells on the instructions sheet
PROFILE_FIELDS: tuple[tuple[str, str], ...] = (
    ("organization.name", "org_name"),
    ("organization.industry", "industry"),
    ("organization.size", "size"),
    ("organization.region", "region"),
    ("date", "date"),
    ("respondent.id", "respondent"),
    ("respondent.role", "role"),
    ("respondent.department", "department"),
)

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_PLAIN_SHEET = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unused worksheet name (at most 31 characters, none of []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub(" ", name).strip(" '") or "Sheet"
    if len(base) > 31:
        cut = base[:32].rfind(" ")
        base = base[:cut] if cut > 10 else base[:31]
    title, n = base, 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f" {n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


def cell_ref(sheet: str, cell: str) -> str:
    """`Leadership!D12`, or `'People & organisation'!D12` when the name needs quotes."""
    if _PLAIN_SHEET.match(sheet) or all(ord(ch) > 127 for ch in sheet):
        return f"{sheet}!{cell}"
    return "'" + sheet.replace("'", "''") + f"'!{cell}"
