"""Import a filled crmm answer workbook (`crmm questionnaire export --format xlsx`).

Cells are found through the workbook's hidden metadata sheet, never by row position: each
question's answer, comment and evidence cells, and the organisation and respondent fields.
Values are read back in either language (see `questionnaires.export.answers`); every cell
that cannot be read becomes a Problem located as `Sheet!D12`.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frameworks.errors import InputError, Problem
from frameworks.model import ID_PATTERN
from frameworks.text import LANGS, Text
from frameworks.vocabulary import vocabulary
from questionnaires.export.answers import (
    cell_text,
    norm,
    parse_answer,
    parse_date,
    split_evidence,
)
from questionnaires.export.layout import FORMAT, META_HEADER, META_SHEET, cell_ref
from questionnaires.model import Questionnaire
from questionnaires.types import AnswerValueError

from .base import ImportedAnswers, ImportOptions

MAX_SHORT = 500
MAX_COMMENT = 5000


@dataclass
class _Meta:
    values: dict[str, str] = field(default_factory=dict)
    profile: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (sheet, cell)
    questions: list[tuple[str, str, str, str, str, int]] = field(default_factory=list)


def _open(path: Path) -> Any:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, data_only=False)
    except FileNotFoundError:
        raise InputError.one(path, "", "file not found") from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError.one(path, "", f"not a readable .xlsx workbook ({exc})") from None


def _read_meta(wb: Any, path: Path) -> _Meta:
    if META_SHEET not in wb.sheetnames:
        raise InputError.one(
            path,
            "",
            "not a crmm answer workbook (no hidden _crmm sheet); make one with"
            " `crmm questionnaire export QUESTIONNAIRE --format xlsx`",
        )
    ws = wb[META_SHEET]
    rows = [tuple(cell_text(v) or "" for v in r[:7]) for r in ws.iter_rows(values_only=True)]
    if not rows or rows[0] != META_HEADER:
        raise InputError.one(path, cell_ref(META_SHEET, "A1"), "metadata table header changed")
    meta = _Meta()
    for n, r in enumerate(rows[1:], start=2):
        kind, key, value, sheet, answer, comment, evidence = (list(r) + [""] * 7)[:7]
        if kind == "meta":
            meta.values[key] = value
        elif kind == "profile":
            meta.profile[key] = (sheet, answer)
        elif kind == "question":
            meta.questions.append((key, sheet, answer, comment, evidence, n))
    if meta.values.get("format") != FORMAT:
        found = meta.values.get("format") or "none"
        raise InputError.one(
            path, cell_ref(META_SHEET, "C2"), f"workbook format {found!r}, expected {FORMAT!r}"
        )
    return meta


class _Reader:
    """Reads cells of one workbook and collects located problems."""

    def __init__(self, wb: Any, path: Path) -> None:
        self.wb, self.path = wb, path
        self.problems: list[Problem] = []

    def problem(self, sheet: str, cell: str, message: str) -> None:
        self.problems.append(Problem(str(self.path), cell_ref(sheet, cell), message))

    def raw(self, sheet: str, cell: str) -> Any:
        """A cell's value; formulas are refused (their text is not an answer)."""
        if sheet not in self.wb.sheetnames:
            self.problem(sheet, cell, "sheet missing: it was renamed or deleted")
            return None
        if not cell:
            return None
        c = self.wb[sheet][cell]
        if c.data_type == "f" or not isinstance(c.value, str | int | float | dt.date | None):
            self.problem(sheet, cell, "a formula is not read as an answer: type the value")
            return None
        return c.value

    def text(self, sheet: str, cell: str, limit: int) -> str | None:
        text = cell_text(self.raw(sheet, cell))
        if text is not None and len(text) > limit:
            self.problem(sheet, cell, f"longer than {limit} characters")
            return None
        return text


def _named(value: str, names: dict[str, Text]) -> str | None:
    """The id whose id or name (either language) is `value`."""
    key = norm(value)
    for ident, text in names.items():
        if key == norm(ident) or any(key == norm(text.get(lang)) for lang in LANGS):
            return ident
    return None


def _organization(r: _Reader, meta: _Meta) -> dict[str, str] | None:
    org: dict[str, str] = {}
    sheet, cell = meta.profile.get("organization.name", ("", ""))
    if (name := r.text(sheet, cell, MAX_SHORT)) is not None:
        org["name"] = name
    for dim in ("industry", "size", "region"):
        sheet, cell = meta.profile.get(f"organization.{dim}", ("", ""))
        value = r.text(sheet, cell, MAX_SHORT)
        if value is None:
            continue
        names = vocabulary().names(dim)
        ident = _named(value, names)
        if ident is None:
            r.problem(sheet, cell, f"unknown {dim} {value!r}: choose one from the list")
        else:
            org[dim] = ident
    return org or None


def _date(r: _Reader, meta: _Meta) -> str | None:
    sheet, cell = meta.profile.get("date", ("", ""))
    raw = r.raw(sheet, cell)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        return parse_date(raw).isoformat()
    except AnswerValueError as exc:
        r.problem(sheet, cell, str(exc))
        return None


def _respondent(
    r: _Reader, meta: _Meta, q: Questionnaire, options: ImportOptions
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    sheet, cell = meta.profile.get("respondent.id", ("", ""))
    rid = (r.text(sheet, cell, 64) or "r1").strip().lower()
    if not re.match(ID_PATTERN, rid):
        r.problem(
            sheet,
            cell,
            f"respondent id {rid!r}: use lowercase letters, digits and hyphens,"
            " starting with a letter (e.g. r1)",
        )
    out["id"] = rid
    sheet, cell = meta.profile.get("respondent.role", ("", ""))
    role_text = r.text(sheet, cell, MAX_SHORT)
    if role_text is None:
        role = options.default_role or meta.values.get("role") or None
        if role is None:
            r.problem(sheet, cell, "no role chosen: choose the respondent's role from the list")
    else:
        role = _named(role_text, {k: v.name for k, v in q.role_by_id.items()})
        if role is None:
            known = ", ".join(x.name.get("en") for x in q.roles)
            r.problem(sheet, cell, f"unknown role {role_text!r} (choose one of: {known})")
    if role is not None:
        out["role"] = role
    sheet, cell = meta.profile.get("respondent.department", ("", ""))
    if (dept := r.text(sheet, cell, MAX_SHORT)) is not None:
        out["department"] = dept
    return out


def _answers(r: _Reader, meta: _Meta, q: Questionnaire) -> dict[str, dict[str, Any]]:
    answers: dict[str, dict[str, Any]] = {}
    for qid, sheet, answer, comment, evidence, meta_row in meta.questions:
        question = q.question_by_id.get(qid)
        if question is None:
            r.problem(META_SHEET, f"B{meta_row}", f"question {qid!r} is not in {q.id} {q.version}")
            continue
        try:
            value = parse_answer(question, r.raw(sheet, answer))
        except AnswerValueError as exc:
            r.problem(sheet, answer, f"{qid}: {exc}")
            continue
        note = r.text(sheet, comment, MAX_COMMENT)
        refs = split_evidence(r.raw(sheet, evidence))
        for ref in refs:
            if len(ref) > MAX_SHORT:
                r.problem(sheet, evidence, f"an evidence reference is longer than {MAX_SHORT}")
                refs = []
        if value is None:
            if note is not None or refs:
                r.problem(
                    sheet, answer, f"{qid}: a comment or evidence without an answer: answer it"
                )
            continue
        entry: dict[str, Any] = {"value": value}
        if note is not None:
            entry["comment"] = note
        if refs:
            entry["evidence"] = refs
        answers[qid] = entry
    return answers


def workbook_questionnaire(path: Path) -> str | None:
    """The id of the questionnaire a crmm answer workbook was exported from; None when the
    file is not a crmm workbook."""
    ref = workbook_ref(path)
    return ref[0] if ref is not None else None


def workbook_ref(path: Path) -> tuple[str, str] | None:
    """(id, version) of the questionnaire a crmm answer workbook was exported from; None
    when the file is not a crmm workbook (or names no questionnaire)."""
    wb = _open(path)
    if META_SHEET not in wb.sheetnames:
        return None
    values = _read_meta(wb, path).values
    if not values.get("questionnaire"):
        return None
    return values["questionnaire"], values.get("version", "")


def import_workbook(
    path: Path, questionnaire: Questionnaire, options: ImportOptions
) -> ImportedAnswers:
    """Read one respondent's filled crmm workbook for `questionnaire` (an `Importer`)."""
    wb = _open(path)
    meta = _read_meta(wb, path)
    got = (meta.values.get("questionnaire", ""), meta.values.get("version", ""))
    if got != (questionnaire.id, questionnaire.version):
        raise InputError.one(
            path,
            cell_ref(META_SHEET, "C3"),
            f"workbook is for {got[0]} {got[1]}, but the questionnaire is"
            f" {questionnaire.id} {questionnaire.version}",
        )
    r = _Reader(wb, path)
    organization = _organization(r, meta)
    date = _date(r, meta)
    respondent = _respondent(r, meta, questionnaire, options)
    respondent["answers"] = _answers(r, meta, questionnaire)
    return ImportedAnswers(
        respondents=[respondent],
        problems=r.problems,
        organization=organization,
        date=date,
    ).drop_unasked(questionnaire)
