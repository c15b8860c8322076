"""The recommendations as an action-plan workbook (XLSX), built from the same ReportContext.

Sheet 1 holds one improvement action per row with editable columns (owner, due date, status
from a list, notes) and, with intention and reality, each recommendation's kind of work;
sheet 2 the element and criterion scores; in an audit, the assessor's ratings (those that
count, then the trail's earlier entries) and the evidence register; then what the plan was
made from; with responses, a last sheet holds every free-text answer and comment in full. Every
text cell is escaped against formula injection (assessment.tabular.safe_cell) and stored as
text. openpyxl is imported only when a workbook is made.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jinja2 import Environment

from assessment.tabular import Cell, safe_cell

from .brand import text_on
from .ooxml import stable_zip, stamp
from .views import LevelView, ReportContext

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUSES = ("not_started", "in_progress", "done", "blocked")
SPARE_ROWS = 50  # rows below the plan that keep the validations, for actions added by hand
HEADER_FILL = "1F4E79"
EDIT_HEADER_FILL = "BF8F00"
EDIT_FILL = "FFF2CC"
LINE_HEIGHT = 15.0  # points per line of 11-point text
MAX_ROW_HEIGHT = 409.0  # the tallest row a spreadsheet allows (a long text scrolls in it)
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of spreadsheet date serials


@dataclass(frozen=True)
class Column:
    label: str  # labels.yaml key
    width: float
    wrap: bool = False
    editable: bool = False
    number_format: str | None = None


PLAN_COLUMNS = (
    Column("table.rank", 6),
    Column("table.priority", 9, number_format="0.00"),
    Column("table.element", 16, wrap=True),
    Column("table.criterion", 22, wrap=True),
    Column("plan.current_level", 14, wrap=True),
    Column("plan.target_level", 14, wrap=True),
    Column("plan.action", 46, wrap=True),
    Column("table.effort", 12, wrap=True),
    Column("table.horizon", 12, wrap=True),
    Column("table.phase", 16, wrap=True),
    Column("plan.suggested_owner", 16, wrap=True),
    Column("plan.owner", 16, wrap=True, editable=True),
    Column("plan.due", 13, editable=True, number_format="yyyy-mm-dd"),
    Column("plan.status", 14, editable=True),
    Column("plan.notes", 36, wrap=True, editable=True),
)
KIND_COLUMN = Column("plan.work_kind", 18, wrap=True)  # after the target level, with kinds

SCORE_COLUMNS = (
    Column("plan.kind", 12),
    Column("table.id", 16),
    Column("table.element", 18, wrap=True),
    Column("table.name", 28, wrap=True),
    Column("table.weight", 9, number_format="0.##"),
    Column("table.score", 9, number_format="0.0"),
    Column("table.index", 9, number_format="0.00"),
    Column("table.level", 18, wrap=True),
    Column("table.coverage", 10, number_format="0%"),
)

RATING_COLUMNS = (
    Column("table.id", 14),
    Column("table.criterion", 22, wrap=True),
    Column("plan.dimension", 16, wrap=True),
    Column("plan.before", 10, number_format="0.0"),
    Column("audit.rating", 9),
    Column("plan.after", 10, number_format="0.0"),
    Column("plan.by", 18, wrap=True),
    Column("plan.at", 20),
    Column("audit.reason", 48, wrap=True),
    Column("audit.evidence", 30, wrap=True),
    Column("audit.entries", 9),
    Column("plan.in_result", 18, wrap=True),
)

REGISTER_COLUMNS = (
    Column("table.id", 10),
    Column("audit.kind", 14, wrap=True),
    Column("audit.title_col", 36, wrap=True),
    Column("audit.date", 12, number_format="yyyy-mm-dd"),
    Column("audit.source", 20, wrap=True),
    Column("audit.location", 30, wrap=True),
    Column("audit.criteria", 26, wrap=True),
    Column("audit.status", 14, wrap=True),
    Column("audit.reason", 40, wrap=True),
    Column("audit.reviewer", 16, wrap=True),
)

WORDS_COLUMNS = (
    Column("table.id", 12),
    Column("table.question", 40, wrap=True),
    Column("table.element", 16, wrap=True),
    Column("own_words.kind", 14, wrap=True),
    Column("table.role", 14, wrap=True),
    Column("table.respondent", 14, wrap=True),
    Column("own_words.text", 80, wrap=True),
)


def render_xlsx(ctx: ReportContext, env: Environment) -> bytes:
    """The action plan as an XLSX workbook (the template environment is not used)."""
    return plan_xlsx(ctx)


def plan_xlsx(ctx: ReportContext) -> bytes:
    """The workbook: action plan, scores, about; the same context gives the same bytes."""
    from openpyxl import Workbook

    L = ctx.labels
    wb = Workbook()
    plan = wb.active
    assert plan is not None
    plan.title = L["plan.sheet_actions"]
    _plan_sheet(plan, ctx)
    _scores_sheet(wb.create_sheet(L["plan.sheet_scores"]), ctx)
    audit = ctx.audit
    if audit is not None and audit.overrides:
        _ratings_sheet(wb.create_sheet(L["audit.overrides"]), ctx)
    if audit is not None and audit.register:
        _register_sheet(wb.create_sheet(L["audit.register"]), ctx)
    _about_sheet(wb.create_sheet(L["plan.sheet_about"]), ctx)
    if ctx.own_words is not None:
        _words_sheet(wb.create_sheet(L["own_words.sheet"]), ctx)
    c = ctx.cover
    props = wb.properties
    props.title = f"{L['plan.sheet_actions']} — {c.organization}"
    props.subject = f"{ctx.title} — {c.framework} {c.framework_version}"
    props.creator = c.assessor if c.assessor is not None else c.organization
    props.keywords = ", ".join([*ctx.keywords, ctx.inputs.framework_id])
    props.language = ctx.lang
    props.description = ctx.generator
    props.lastModifiedBy = "crmm"
    props.created = props.modified = stamp(ctx.result.date)
    out = io.BytesIO()
    wb.save(out)
    return stable_zip(out.getvalue(), ctx.result.date)


def header_colors(ctx: ReportContext) -> tuple[str, str]:
    """The header fill (the brand's primary colour, else the neutral blue) and the white or
    black text that reads on it, as `RRGGBB`."""
    primary = dict(ctx.brand.css).get("--primary")
    if primary is None:
        return HEADER_FILL, "FFFFFF"
    return primary.lstrip("#").upper(), text_on(primary).lstrip("#").upper()


def _print_text(text: str) -> str:
    """Text for a print header or footer: `&` doubled (it starts a code there)."""
    return text.replace("&", "&&")


def text_width(text: str) -> int:
    """Width in spreadsheet column units: East-Asian wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def line_count(text: str, width: float) -> int:
    """Lines a wrapped cell of `width` needs (an estimate: spreadsheets don't refit rows)."""
    per_line = max(1.0, width - 1.0)
    return sum(max(1, math.ceil(text_width(part) / per_line)) for part in text.split("\n"))


def _put(ws: Worksheet, row: int, col: int, value: Cell | Any) -> None:
    """One cell: text escaped and stored as text, never as a formula."""
    cell = ws.cell(row=row, column=col, value=safe_cell(value) if isinstance(value, str) else value)
    if isinstance(cell.value, str):
        cell.data_type = "s"


def _table(
    ws: Worksheet,
    ctx: ReportContext,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    *,
    autofilter: bool = True,
) -> None:
    """Header, rows, widths, wrapping, frozen header, filter and print setup of one sheet."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    L = ctx.labels
    brand_fill, brand_ink = header_colors(ctx)
    for i, col in enumerate(columns, start=1):
        _put(ws, 1, i, L[col.label])
        head = ws.cell(row=1, column=i)
        head.font = Font(bold=True, color="FFFFFF" if col.editable else brand_ink)
        fill = EDIT_HEADER_FILL if col.editable else brand_fill
        head.fill = PatternFill("solid", start_color=fill, end_color=fill)
        head.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.row_dimensions[1].height = LINE_HEIGHT * max(
        line_count(L[c.label], c.width) for c in columns
    )
    edit = PatternFill("solid", start_color=EDIT_FILL, end_color=EDIT_FILL)
    for r, values in enumerate(rows, start=2):
        lines = 1
        for i, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
            _put(ws, r, i, value)
            cell = ws.cell(row=r, column=i)
            cell.alignment = Alignment(wrap_text=col.wrap, vertical="top")
            if col.number_format:
                cell.number_format = col.number_format
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if col.editable:
                cell.fill = edit
            if col.wrap and isinstance(value, str):
                lines = max(lines, line_count(value, col.width))
        ws.row_dimensions[r].height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines)
    last = get_column_letter(len(columns))
    ws.freeze_panes = "A2"
    if autofilter:
        ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    ws.print_title_rows = "1:1"
    ws.print_area = f"A1:{last}{len(rows) + 1}"
    footer = ws.oddFooter
    if footer is not None:
        footer.left.text = _print_text(ctx.cover.organization)
        if ctx.brand.confidentiality is not None:
            footer.center.text = _print_text(ctx.brand.confidentiality)
        footer.right.text = "&P / &N"
    header = ws.oddHeader
    if header is not None and ctx.brand.name is not None:
        header.left.text = _print_text(ctx.brand.name)


def _level(level: LevelView | None, missing: str) -> str:
    return level.label if level is not None else missing


def plan_columns(ctx: ReportContext) -> tuple[Column, ...]:
    """The action plan's columns: with intention and reality, the kind of work of each
    recommendation (decide and communicate, implement and embed) after its target level."""
    if not any(r.kind is not None for r in ctx.recommendations):
        return PLAN_COLUMNS
    at = [c.label for c in PLAN_COLUMNS].index("plan.target_level") + 1
    return (*PLAN_COLUMNS[:at], KIND_COLUMN, *PLAN_COLUMNS[at:])


def _plan_sheet(ws: Worksheet, ctx: ReportContext) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    L = ctx.labels
    columns = plan_columns(ctx)
    labels_of = [c.label for c in columns]
    due, status_col = labels_of.index("plan.due") + 1, labels_of.index("plan.status") + 1
    status = [L[f"plan.status.{s}"] for s in STATUSES]
    rows: list[list[Any]] = []
    for r in ctx.recommendations:
        head = [
            r.rank,
            round(r.priority, 4),
            r.element,
            r.criterion,
            r.current.label,
            r.target.label,
        ]
        if columns is not PLAN_COLUMNS:
            head.append(r.kind_label or L["misc.none"])
        for a in r.actions:
            plan = [a.text, a.effort_label, a.horizon, a.phase or L["misc.none"], a.owner]
            rows.append([*head, *plan, "", None, status[0], ""])
        if not r.actions:
            rows.append([*head, L["recs.no_actions"], "", "", "", "", "", None, status[0], ""])
    _table(ws, ctx, columns, rows)
    end = len(rows) + 1 + SPARE_ROWS
    lists = DataValidation(
        type="list",
        formula1='"' + ",".join(status) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=L["plan.error_title"],
        error=L["plan.status_error"],
    )
    letter = get_column_letter(status_col)
    lists.add(f"{letter}2:{letter}{end}")
    dates = DataValidation(
        type="date",
        operator="greaterThanOrEqual",
        formula1=str((ctx.result.date - EXCEL_EPOCH).days),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=L["plan.error_title"],
        error=L["plan.due_error"],
    )
    letter = get_column_letter(due)
    dates.add(f"{letter}2:{letter}{end}")
    ws.add_data_validation(lists)
    ws.add_data_validation(dates)


def _scores_sheet(ws: Worksheet, ctx: ReportContext) -> None:
    L = ctx.labels
    rows: list[list[Any]] = []
    for e in ctx.elements:
        level = e.status_label if e.insufficient else _level(e.level, L["misc.none"])
        kind = L["plan.kind.element"]
        rows.append([kind, e.id, e.name, e.name, e.weight, e.score, e.index, level, e.coverage])
        for c in e.criteria:
            level = _level(c.level, L[c.status_key])
            kind = L["plan.kind.criterion"]
            rows.append([kind, c.id, e.name, c.name, c.weight, c.score, c.index, level, c.coverage])
    o = ctx.overall
    level = _level(o.level, L["summary.no_level"])
    name = L["trace.overall_score"]
    rows.append([L["plan.kind.overall"], "", "", name, None, o.score, o.index, level, o.coverage])
    _table(ws, ctx, SCORE_COLUMNS, rows)


def _ratings_sheet(ws: Worksheet, ctx: ReportContext) -> None:
    """The assessor's ratings that count (the result's `overrides`, one per criterion or
    dimension rated), then the trail's earlier entries that a later one replaced."""
    L, audit = ctx.labels, ctx.audit
    assert audit is not None
    rows: list[list[Any]] = []
    for o in (*audit.overrides, *audit.superseded):
        rows.append(
            [
                o.criterion_id,
                o.criterion,
                o.dimension,
                o.before if o.before is not None else L["audit.no_before"],
                o.rating,
                o.after,
                o.by,
                o.at,
                o.reason,
                L["misc.list_sep"].join(
                    e.id if not e.title else f"{e.id} {e.title}" for e in o.evidence
                ),
                o.entries if o.counts else None,
                L["plan.counts"] if o.counts else L["plan.replaced"],
            ]
        )
    _table(ws, ctx, RATING_COLUMNS, rows)


def _register_sheet(ws: Worksheet, ctx: ReportContext) -> None:
    """Every item of the evidence register with the reviewer's verdict."""
    L, audit = ctx.labels, ctx.audit
    assert audit is not None
    rows: list[list[Any]] = [
        [
            e.id,
            e.kind,
            e.title,
            dt.date.fromisoformat(e.date),
            e.source,
            e.location,
            L["misc.list_sep"].join(e.criteria),
            e.status,
            e.reason,
            e.reviewer,
        ]
        for e in audit.register
    ]
    _table(ws, ctx, REGISTER_COLUMNS, rows)


def _words_sheet(ws: Worksheet, ctx: ReportContext) -> None:
    """Every free-text answer and comment, whatever the number of respondents."""
    L = ctx.labels
    assert ctx.own_words is not None
    rows: list[list[Any]] = []
    kinds = {True: L["own_words.comment"], False: L["own_words.answer"]}
    for r in ctx.own_words.every():
        rows.append([r.question, r.question_text, r.element, kinds[r.comment], *r[4:]])
    _table(ws, ctx, WORDS_COLUMNS, rows)


def _about_sheet(ws: Worksheet, ctx: ReportContext) -> None:
    from openpyxl.styles import Font

    L, c, i, o = ctx.labels, ctx.cover, ctx.inputs, ctx.overall
    sha = L["table.sha256"]
    brand = [
        [L[key], text]
        for key, text in (
            ("plan.brand", ctx.brand.name),
            ("plan.confidentiality", ctx.brand.confidentiality),
        )
        if text is not None
    ]
    rows: list[list[Any]] = [
        *brand,
        [L["cover.prepared_for"], c.organization],
        [L["cover.industry"], c.industry],
        [L["cover.size"], c.size],
        [L["cover.region"], c.region],
        [L["cover.date"], ctx.result.date],
        [L["cover.assessment_type"], c.assessment_type],
        [L["cover.respondents"], c.respondents],
        [L["summary.overall_level"], _level(o.level, L["summary.no_level"])],
        [L["method.framework_file"], f"{i.framework_id} {i.framework_version} ({c.framework})"],
        [f"{L['method.framework_file']} {sha}", i.framework_sha256],
        [
            L["method.questionnaire_file"],
            f"{i.questionnaire_id} {i.questionnaire_version} ({c.questionnaire})",
        ],
        [f"{L['method.questionnaire_file']} {sha}", i.questionnaire_sha256],
        [L["method.responses_file"], i.responses_file],
        [f"{L['method.responses_file']} {sha}", i.responses_sha256],
    ]
    if ctx.certification is not None:
        rows.append([L["cert.title"], ctx.certification.verdict])
    rows.append([ctx.title, ctx.generator])
    about = (Column("plan.item", 28, wrap=True), Column("plan.value", 72, wrap=True))
    _table(ws, ctx, about, rows, autofilter=False)
    for r in range(2, len(rows) + 2):
        ws.cell(row=r, column=1).font = Font(bold=True)
