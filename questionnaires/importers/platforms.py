"""One reader per survey platform: how its export lays out headings, metadata and answers.

Each `import_<platform>(path, questionnaire, options)` is an `Importer`. Layouts:

- 问卷星 wjx.cn: one heading row: 序号, 提交答卷时间, 所用时间, 来源, 来源详情, 来自IP, then
  "N、题干"; matrix rows "N(子题)"; by option text (multiple choice joined with ┋) or by
  option number (-2/-3 = not answered / skipped by logic, one 0/1 column "N(选项)" per option).
- LimeSurvey: one heading row, question codes (`Q1`, arrays `Q1[SQ001]`) or full question
  texts (`Text [Sub-question]`); answer codes or full answer texts; comma or semicolon.
- Qualtrics: three heading rows (names Q1, Q2_1; question texts; {"ImportId": ...}); two in
  legacy exports.
- Microsoft Forms: one heading row (ID, Start time, Completion time, Email, Name, ...),
  question texts as headings, multiple choice joined with ';' (with a trailing ';').
- SurveyMonkey: two heading rows: question texts (blank over the further columns of the same
  question) and "Response", option texts or matrix row texts.
- Plain CSV: respondent, role, department, then question ids as headings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from questionnaires.model import Questionnaire

from .base import ImportedAnswers, ImportOptions
from .columns import Column
from .engine import import_frame
from .table import Sheet, read_sheet
from .textmatch import fold, norm, strip_numbering
from .values import Dialect

WJX = Dialect(
    skip_texts=frozenset(fold(t) for t in ("-2", "-3", "(跳过)", "(空)")),
    separators=("┋", "|", ";", "；"),
)
LIMESURVEY = Dialect(
    skip_texts=frozenset(("No answer", "无回答", "N/A (no answer)")),
    separators=(";", "|", ","),
    code_positions=True,
)
QUALTRICS = Dialect(separators=(",", ";"))
MSFORMS = Dialect(separators=(";", "；"))
SURVEYMONKEY = Dialect(separators=(";", ","))
PLAIN = Dialect()


def _split_sub(heading: str, opener: str, closer: str) -> tuple[str, str] | None:
    """'Head[Sub]' -> ('Head', 'Sub') for a heading ending in closer."""
    h = fold(heading)
    if not h.endswith(closer) or opener not in h:
        return None
    head, _, sub = h[:-1].rpartition(opener)
    return head.strip(), sub.strip()


_WJX_SUB = re.compile(r"^\s*(\d+)\((.*)\)\s*$", re.S)


def wjx_columns(sheet: Sheet) -> tuple[list[Column], int]:
    cols = []
    for i, h in enumerate(sheet.head(1)[0]):
        # "5(子题)" or, coded, "6(选项)"; the option may hold brackets itself: "6(ERP(订单))"
        if m := _WJX_SUB.match(fold(h)):
            cols.append(Column(i, h, group=m.group(1), sub=m.group(2).strip()))
        else:
            cols.append(Column(i, h, code=h, text=strip_numbering(h)))
    return cols, 1


def limesurvey_columns(sheet: Sheet) -> tuple[list[Column], int]:
    cols = []
    for i, h in enumerate(sheet.head(1)[0]):
        parts = _split_sub(h, "[", "]")
        if parts:
            cols.append(Column(i, h, code=parts[0], text=parts[0], sub=parts[1]))
        else:
            cols.append(Column(i, h, code=h, text=h))
    return cols, 1


def _is_import_ids(row: list[str]) -> bool:
    return any(c.startswith('{"ImportId"') for c in row)


def qualtrics_columns(sheet: Sheet) -> tuple[list[Column], int]:
    rows = sheet.head(3)
    names = rows[0]
    texts = rows[1] if len(rows) > 1 else [""] * len(names)
    skip = 3 if len(rows) > 2 and _is_import_ids(rows[2]) else 2
    cols = []
    for i, (name, text) in enumerate(zip(names, texts, strict=True)):
        t = text
        for tail in (" - Selected Choice",):
            t = t.removesuffix(tail)
        sub = t.rpartition(" - ")[2] if " - " in t else ""
        cols.append(Column(i, name or text, code=name, text=t, sub=sub, group=name.split("_")[0]))
    return cols, skip


def msforms_columns(sheet: Sheet) -> tuple[list[Column], int]:
    return [Column(i, h, code=h, text=h) for i, h in enumerate(sheet.head(1)[0])], 1


def surveymonkey_columns(sheet: Sheet) -> tuple[list[Column], int]:
    rows = sheet.head(2)
    top = rows[0]
    second = rows[1] if len(rows) > 1 else [""] * len(top)
    cols, current = [], ""
    for i, (head, sub) in enumerate(zip(top, second, strict=True)):
        current = head or current
        label = f"{current} / {sub}" if sub and norm(sub) not in ("response",) else current
        cols.append(Column(i, label, code=current, text=current, sub=sub, group=current))
    return cols, 2


def plain_columns(sheet: Sheet) -> tuple[list[Column], int]:
    return [Column(i, h, code=h, text=h) for i, h in enumerate(sheet.head(1)[0])], 1


Layout = Callable[[Sheet], tuple[list[Column], int]]  # columns, number of heading rows


def _run(
    path: Path,
    q: Questionnaire,
    options: ImportOptions,
    layout: Layout,
    dialect: Dialect,
) -> ImportedAnswers:
    sheet = read_sheet(path)
    cols, skip = layout(sheet)
    data = sheet.frame.iloc[skip:]
    return import_frame(sheet.source, cols, data, skip + 1, q, options, dialect)


def import_wjx(path: Path, q: Questionnaire, options: ImportOptions) -> ImportedAnswers:
    """问卷星 (wjx.cn) export, by option text or by option number, CSV or XLSX."""
    return _run(path, q, options, wjx_columns, WJX)


def import_limesurvey(path: Path, q: Questionnaire, options: ImportOptions) -> ImportedAnswers:
    """LimeSurvey CSV export: codes or full texts, for headings and for answers."""
    return _run(path, q, options, limesurvey_columns, LIMESURVEY)


def import_qualtrics(path: Path, q: Questionnaire, options: ImportOptions) -> ImportedAnswers:
    """Qualtrics CSV/TSV/XLSX export with its two or three heading rows."""
    return _run(path, q, options, qualtrics_columns, QUALTRICS)


def import_msforms(path: Path, q: Questionnaire, options: ImportOptions) -> ImportedAnswers:
    """Microsoft Forms "Open results in Excel" workbook (or the same as CSV)."""
    return _run(path, q, options, msforms_columns, MSFORMS)


def import_surveymonkey(path: Path, q: Questionnaire, options: ImportOptions) -> ImportedAnswers:
    """SurveyMonkey "All individual responses" export (CSV or XLSX, expanded layout)."""
    return _run(path, q, options, surveymonkey_columns, SURVEYMONKEY)


def import_csv(path: Path, q: Questionnaire, options: ImportOptions) -> ImportedAnswers:
    """A plain table: respondent, role, department, then one column per question id."""
    return _run(path, q, options, plain_columns, PLAIN)


def sniff_platform(sheet: Sheet) -> str | None:
    """The platform an export's headings look like, or None."""
    head = sheet.head(3)
    top = {norm(h) for h in head[0]}
    if {norm("序号"), norm("提交答卷时间")} <= top or {norm("序号"), norm("所用时间")} <= top:
        return "wjx"
    if len(head) > 2 and _is_import_ids(head[2]):
        return "qualtrics"
    if {"responseid", "startdate"} <= top:
        return "qualtrics"
    if {"respondentid", "collectorid"} <= top:
        return "surveymonkey"
    if {"starttime", "completiontime"} <= top or {"开始时间", "完成时间"} <= top:
        return "msforms"
    if top & {"submitdate", "lastpage", "startlanguage", "datesubmitted"}:
        return "limesurvey"
    if top & {"respondent", "role"}:
        return "csv"
    return None


def detect_platform(path: Path) -> tuple[str | None, Sheet]:
    """Guess the platform of an export from its headings; the sheet read to guess it."""
    sheet = read_sheet(path, nrows=3)
    return sniff_platform(sheet), sheet
