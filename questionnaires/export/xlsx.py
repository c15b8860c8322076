"""The questionnaire as an Excel answer workbook (openpyxl, imported only when used).

Sheets: instructions with the organisation and respondent fields, one sheet per element with
the questions, a hidden list sheet feeding the drop-down lists and a hidden metadata sheet
(see `layout`). Sheets are protected without a password: only the yellow answer, comment,
evidence and profile cells are editable. Every text cell is stored as text, never a formula.
"""

from __future__ import annotations

import io
import math
import unicodedata
from typing import Any

from frameworks.model import Framework
from frameworks.text import Lang
from frameworks.vocabulary import DIMENSIONS, vocabulary
from questionnaires.model import Question, Questionnaire
from questionnaires.types import NA_LABEL

from .cells import safe_text
from .form import FormQuestion, Section, dropdown, kpi_range, na_choice, paren, sections
from .labels import label
from .layout import (
    ANSWER_COL,
    COMMENT_COL,
    EVIDENCE_COL,
    FORMAT,
    HEADER_ROW,
    HINT_COL,
    LISTS_SHEET,
    META_HEADER,
    META_SHEET,
    PROFILE_FIELDS,
    sheet_title,
)

ANSWER_FILL = "FFF2CC"
HEADER_FILL = "1F4E79"
SECTION_FILL = "DDEBF7"
QUESTION_WIDTHS = {"A": 9, "B": 58, "C": 46, "D": 24, "E": 30, "F": 30}
POINTS_PER_LINE = 15.0


def _width(text: str) -> int:
    """Display width in character cells (CJK characters count twice)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column `width` characters wide."""
    usable = max(width - 1.5, 4.0)
    return sum(max(1, math.ceil(_width(part) / usable)) for part in text.split("\n"))


class _Builder:
    """Builds one workbook; keeps the list sheet and the metadata rows as it goes."""

    def __init__(self, q: Questionnaire, fw: Framework, lang: Lang, role: str | None) -> None:
        from openpyxl import Workbook

        self.q, self.fw, self.lang, self.role = q, fw, lang, role
        self.wb = Workbook()
        self.taken: set[str] = {META_SHEET, LISTS_SHEET}
        self.meta: list[tuple[str, ...]] = []
        self.lists = self.wb.create_sheet(LISTS_SHEET)
        self.list_count = 0

    # -- helpers ------------------------------------------------------------------------
    def text(self, ws: Any, ref: str, value: str, **style: Any) -> Any:
        from openpyxl.styles import Alignment, Font

        cell = ws[ref]
        cell.value = safe_text(value)
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=style.get("wrap", True), vertical="top")
        if style.get("bold") or style.get("size") or style.get("color"):
            cell.font = Font(
                bold=style.get("bold", False), size=style.get("size"), color=style.get("color")
            )
        return cell

    def input_cell(self, ws: Any, ref: str) -> Any:
        from openpyxl.styles import Alignment, PatternFill, Protection

        cell = ws[ref]
        cell.fill = PatternFill("solid", fgColor=ANSWER_FILL)
        cell.protection = Protection(locked=False)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.number_format = "@" if ref[0] in (COMMENT_COL, EVIDENCE_COL) else "General"
        return cell

    def add_list(self, items: list[str]) -> str:
        """Write a drop-down list on the hidden list sheet; return its range for validation."""
        from openpyxl.utils import get_column_letter

        self.list_count += 1
        col = get_column_letter(self.list_count)
        for i, item in enumerate(items, start=1):
            cell = self.lists[f"{col}{i}"]
            cell.value = safe_text(item)
            cell.data_type = "s"
        return f"'{LISTS_SHEET}'!${col}$1:${col}${len(items)}"

    def list_validation(self, ws: Any, ref: str, items: list[str], prompt: str) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        dv = DataValidation(
            type="list",
            formula1=self.add_list(items),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=label(self.lang, "invalid_title")[:32],
            error=label(self.lang, "invalid")[:225],
            showInputMessage=bool(prompt),
            prompt=prompt[:255] or None,
        )
        ws.add_data_validation(dv)
        dv.add(ref)

    def protect(self, ws: Any) -> None:
        ws.protection.sheet = True  # no password: it guards the layout, not a secret
        ws.protection.formatColumns = False
        ws.protection.formatRows = False

    def print_setup(self, ws: Any, landscape: bool, title_rows: str | None) -> None:
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.7
        ws.page_margins.header = ws.page_margins.footer = 0.3
        if title_rows:
            ws.print_title_rows = title_rows
        ws.oddHeader.left.text = safe_text(f"{self.q.name.get(self.lang)} {self.q.version}")
        ws.oddFooter.right.text = "&P / &N"

    # -- sheets -------------------------------------------------------------------------
    def instructions(self, sections_: list[Section]) -> None:
        from openpyxl.styles import Alignment, PatternFill

        lang, q = self.lang, self.q
        ws: Any = self.wb.active
        ws.title = sheet_title(label(lang, "instructions"), self.taken)
        ws.column_dimensions["A"].width = 34
        ws.column_dimensions["B"].width = 90
        title = f"{q.name.get(lang)} \u2014 {label(lang, 'form')}"
        self.text(ws, "A1", title, bold=True, size=14, wrap=False)
        sub = f"{q.id} {label(lang, 'version')} {q.version} \u00b7 " + label(
            lang, "minutes", n=q.estimated_minutes
        )
        self.text(ws, "A2", sub, color="595959", wrap=False)
        self.text(ws, "B3", q.description.get(lang))
        ws.row_dimensions[3].height = POINTS_PER_LINE * _lines(q.description.get(lang), 90)
        fill = PatternFill("solid", fgColor=SECTION_FILL)
        self.text(ws, "A5", label(lang, "profile"), bold=True).fill = fill
        ws["B5"].fill = fill
        row = 6
        for key, lab in PROFILE_FIELDS:
            ref = f"B{row}"
            self.text(ws, f"A{row}", label(lang, lab))
            cell = self.input_cell(ws, ref)
            if key == "date":
                cell.number_format = "yyyy-mm-dd"
            elif key == "respondent.role":
                names = [r.name.get(lang) for r in q.roles]
                self.list_validation(ws, ref, names, "")
            elif key.startswith("organization.") and key.split(".")[1] in DIMENSIONS:
                dim = key.split(".")[1]
                names = [t.get(lang) for t in vocabulary().names(dim).values()]  # type: ignore[arg-type]
                self.list_validation(ws, ref, names, "")
            else:
                cell.number_format = "@"
            self.meta.append(("profile", key, "", ws.title, ref, "", ""))
            ws.row_dimensions[row].height = 20
            row += 1
            if key == "respondent.role" and self.role is not None:
                cell.value = q.role_by_id[self.role].name.get(lang)
        row += 1
        self.text(ws, f"A{row}", label(lang, "instructions"), bold=True).fill = fill
        ws[f"B{row}"].fill = fill
        types = {fq.question.type for s in sections_ for fq in s.questions}
        keys = ["who", "how", "how_xlsx"]
        keys += [k for k, t in (("anchored", "anchored"), ("likert", "likert")) if t in types]
        keys += ["ypn"] if "yes_partly_no" in types else []
        keys += ["kpi"] if "kpi" in types else []
        keys += ["choice"] if types & {"single_choice", "multiple_choice"} else []
        keys += ["na", "comment", "protect", "return"]
        for n, key in enumerate(keys, start=1):
            row += 1
            text = label(lang, key, answer=ANSWER_COL, hint=HINT_COL, qid=q.id)
            self.text(ws, f"A{row}", str(n)).alignment = Alignment(
                horizontal="right", vertical="top"
            )
            self.text(ws, f"B{row}", text)
            ws.row_dimensions[row].height = POINTS_PER_LINE * _lines(text, 90)
        self.protect(ws)
        self.print_setup(ws, landscape=False, title_rows=None)

    def question_sheet(self, section: Section) -> None:
        from openpyxl.styles import Border, Font, PatternFill, Side

        lang = self.lang
        ws = self.wb.create_sheet(sheet_title(section.title, self.taken))
        for col, width in QUESTION_WIDTHS.items():
            ws.column_dimensions[col].width = width
        self.text(ws, "A1", section.title, bold=True, size=13, wrap=False)
        self.text(ws, "A2", label(lang, "sheet_note", hint=HINT_COL), color="595959", wrap=False)
        heads = ["id", "question", "answer_hint", "answer", "comment_col", "evidence_col"]
        thin = Side(style="thin", color="A6A6A6")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        for col, key in zip("ABCDEF", heads, strict=True):
            cell = self.text(ws, f"{col}{HEADER_ROW}", label(lang, key), bold=True)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.border = border
        row = HEADER_ROW
        for fq in section.questions:
            row += 1
            self.question_row(ws, row, fq)
            for col in "ABCDEF":
                ws[f"{col}{row}"].border = border
        ws.freeze_panes = f"A{HEADER_ROW + 1}"
        self.protect(ws)
        self.print_setup(ws, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")

    def question_row(self, ws: Any, row: int, fq: FormQuestion) -> None:
        from openpyxl.cell.rich_text import CellRichText, TextBlock
        from openpyxl.cell.text import InlineFont
        from openpyxl.styles.colors import Color

        q, lang = fq.question, self.lang
        self.text(ws, f"A{row}", q.id)
        text = q.text.get(lang)
        cell = ws[f"B{row}"]
        self.text(ws, f"B{row}", text)
        lines_b = _lines(text, QUESTION_WIDTHS["B"])
        if q.help is not None:
            colon = "\uff1a" if lang == "zh-CN" else ": "
            help_text = f"{label(lang, 'help')}{colon}{q.help.get(lang)}"
            cell.value = CellRichText(
                TextBlock(InlineFont(b=True), safe_text(text)),
                TextBlock(InlineFont(i=True, color=Color("595959")), "\n" + help_text),
            )
            lines_b += _lines(help_text, QUESTION_WIDTHS["B"])
        hint = self.hint_text(fq)
        self.text(ws, f"C{row}", hint)
        lines = max(lines_b, _lines(hint, QUESTION_WIDTHS["C"]), 2)
        ws.row_dimensions[row].height = min(409.0, POINTS_PER_LINE * lines)
        answer, comment, evidence = (f"{c}{row}" for c in (ANSWER_COL, COMMENT_COL, EVIDENCE_COL))
        for ref in (answer, comment, evidence):
            self.input_cell(ws, ref)
        self.answer_validation(ws, answer, q, fq.hint)
        self.meta.append(("question", q.id, q.type, ws.title, answer, comment, evidence))

    def hint_text(self, fq: FormQuestion) -> str:
        lang, q = self.lang, fq.question
        lines = [fq.hint]
        if q.type in ("anchored", "likert", "single_choice", "multiple_choice"):
            lines += [f"{c.key} = {c.text}" for c in fq.choices]
        elif q.type == "yes_partly_no":
            lines.append(" / ".join(c.text for c in fq.choices))
        if fq.allow_na:
            lines.append(f"N/A = {NA_LABEL.get(lang)}")
        if fq.roles:
            lines.append(fq.roles)
        return "\n".join(lines)

    def answer_validation(self, ws: Any, ref: str, q: Question, prompt: str) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        lang = self.lang
        items = dropdown(q, lang)
        if items:
            self.list_validation(ws, ref, [text for _, text in items], prompt)
            return
        if q.type == "kpi":
            assert q.kpi is not None
            lo, hi = q.kpi.minimum, q.kpi.maximum
            rng = kpi_range(q, lang)
            error = label(lang, "invalid_kpi", hint=HINT_COL) + (paren(rng, lang) if rng else "")
            common: dict[str, Any] = {
                "allow_blank": True,
                "showErrorMessage": True,
                "errorTitle": label(lang, "invalid_title")[:32],
                "error": error[:225],
                "showInputMessage": True,
                "prompt": f"{q.kpi.unit.get(lang)} {rng}".strip()[:255],
            }
            if q.allow_na:
                na = na_choice(lang)
                checks = [f"ISNUMBER({ref})"]
                checks += [f"{ref}>={lo:g}"] if lo is not None else []
                checks += [f"{ref}<={hi:g}"] if hi is not None else []
                formula = (
                    f'OR(LOWER({ref})="na",{ref}="N/A",{ref}="{na.text}",AND({",".join(checks)}))'
                )
                dv = DataValidation(type="custom", formula1=formula, **common)
            else:
                dv = DataValidation(
                    type="decimal",
                    operator="between",
                    formula1="-1E+300" if lo is None else f"{lo:g}",
                    formula2="1E+300" if hi is None else f"{hi:g}",
                    **common,
                )
        else:  # multiple choice and text: any value, with a note
            dv = DataValidation(allow_blank=True, showInputMessage=True, prompt=prompt[:255])
        ws.add_data_validation(dv)
        dv.add(ref)

    def metadata(self) -> None:
        ws = self.wb.create_sheet(META_SHEET)
        q = self.q
        rows: list[tuple[str, ...]] = [
            META_HEADER,
            ("meta", "format", FORMAT, "", "", "", ""),
            ("meta", "questionnaire", q.id, "", "", "", ""),
            ("meta", "version", q.version, "", "", "", ""),
            ("meta", "framework", f"{q.framework.id} {q.framework.version}", "", "", "", ""),
            ("meta", "lang", self.lang, "", "", "", ""),
            ("meta", "role", self.role or "", "", "", "", ""),
            *self.meta,
        ]
        for r in rows:
            ws.append([safe_text(v) if v else None for v in r])
        for row_cells in ws.iter_rows():
            for c in row_cells:
                if isinstance(c.value, str):
                    c.data_type = "s"
        for ws_hidden in (ws, self.lists):
            ws_hidden.sheet_state = "hidden"
            self.protect(ws_hidden)

    def build(self) -> bytes:
        from openpyxl.workbook.protection import WorkbookProtection

        secs = sections(self.q, self.fw, self.lang, self.role)
        self.instructions(secs)
        for section in secs:
            self.question_sheet(section)
        self.wb.move_sheet(self.lists, len(self.wb.sheetnames) - 1 - self.wb.index(self.lists))
        self.metadata()
        self.wb.active = 0
        self.wb.security = WorkbookProtection(lockStructure=True)
        self.wb.properties.title = f"{self.q.name.get(self.lang)} {self.q.version}"
        self.wb.properties.creator = "crmm"
        out = io.BytesIO()
        self.wb.save(out)
        return out.getvalue()


def questionnaire_xlsx(
    q: Questionnaire, fw: Framework, lang: Lang, role: str | None = None
) -> bytes:
    """The answer workbook for a questionnaire (questions for `role`, or all) in `lang`."""
    return _Builder(q, fw, lang, role).build()
