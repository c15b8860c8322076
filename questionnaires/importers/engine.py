"""From classified columns and data rows to respondents: ids, roles, metadata and answers,
with every cell that cannot be placed reported by row and column."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from frameworks.errors import Problem
from questionnaires.model import Question, Questionnaire

from .base import ImportedAnswers, ImportOptions
from .columns import SUBMIT_KEYS, Column, Match, QuestionIndex, classify
from .mapping import check_mapping
from .textmatch import norm, short
from .values import SKIP, CellError, Dialect, cell_value

META_MAX = 500
_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})")


def respondent_id(raw: str, row_number: int) -> str:
    """A valid respondent id from a platform's response id: lower case, other characters
    as '-', prefixed with 'r' unless it starts with a letter; 'r<row>' when empty."""
    s = re.sub(r"[^a-z0-9_]+", "-", raw.strip().lower())
    s = re.sub(r"[-_]{2,}", "-", s).strip("-_")
    if not s:
        return f"r{row_number}"
    if not s[0].isalpha():
        s = "r" + s
    return s[:64].rstrip("-_")


def _unique(rid: str, seen: set[str]) -> str:
    out, n = rid, 2
    while out in seen:
        out = f"{rid[:58]}-{n}"
        n += 1
    seen.add(out)
    return out


def _date_of(text: str) -> dt.date | None:
    try:
        if m := _ISO_DATE.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _US_DATE.match(text):
            return dt.date(int(m[3]), int(m[1]), int(m[2]))
    except ValueError:
        return None
    return None


class _RoleNames:
    def __init__(self, q: Questionnaire, extra: Mapping[str, Any], dialect: Dialect) -> None:
        self.dialect = dialect
        self.names: dict[str, str] = {}
        for r in q.roles:
            for t in (r.id, r.name.zh, r.name.en):
                self.names[norm(t)] = r.id
        for k, v in extra.items():
            self.names[norm(str(k))] = str(v)
        self.known = ", ".join(q.role_by_id)
        self.by_position = {str(i): r.id for i, r in enumerate(q.roles, start=1)}

    def get(self, text: str) -> str | None:
        """A role id from a role id, name or mapped text, or a position in the
        questionnaire's role list (coded exports)."""
        if (found := self.names.get(norm(text))) is not None:
            return found
        pos = text.strip()
        if self.dialect.code_positions and (m := re.match(r"^(?:A|AO)0*(\d+)$", pos)):
            pos = m.group(1)
        return self.by_position.get(pos)


@dataclass
class _Context:
    """What reading each row needs: the file, questionnaire, options and role names."""

    source: str
    q: Questionnaire
    options: ImportOptions
    dialect: Dialect
    roles: _RoleNames
    values: Mapping[str, Mapping[str, Any]]
    default_role: str | None
    has_role: bool
    out: ImportedAnswers
    seen: set[str] = field(default_factory=set)
    latest: dt.date | None = None

    def problem(self, where: str, message: str) -> None:
        self.out.problems.append(Problem(self.source, where, message))


def _classify_columns(
    source: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    q: Questionnaire,
    dialect: Dialect,
    mapping: Mapping[str, Any],
    out: ImportedAnswers,
) -> list[tuple[Column, Match]]:
    """The columns that hold something, with what; unmatched and conflicting ones reported."""
    index = QuestionIndex(q)
    matches: list[tuple[Column, Match]] = []
    answer_cols: dict[str, Column] = {}
    for col in columns:
        m = classify(col, index, dialect, mapping)
        where = f"column '{short(col.label)}'"
        if m.kind == "unmatched":
            if col.label or any(r[col.index] for r in rows):
                out.unmatched.append(col.label or f"column {col.index + 1}")
            continue
        if m.kind in ("answer", "option") and (m.qid not in q.question_by_id):
            out.problems.append(Problem(source, where, f"mapped to unknown question {m.qid!r}"))
            continue
        if m.kind == "option" and m.option is None:
            out.problems.append(Problem(source, where, f"names no option of {m.qid}"))
            continue
        if m.kind == "answer" and m.qid is not None:
            if m.qid in answer_cols:
                other = short(answer_cols[m.qid].label)
                out.problems.append(
                    Problem(source, where, f"also matches {m.qid} (column '{other}'); map one")
                )
                continue
            answer_cols[m.qid] = col
        matches.append((col, m))
    return matches


def import_rows(
    source: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    first_row: int,
    q: Questionnaire,
    options: ImportOptions,
    dialect: Dialect,
) -> ImportedAnswers:
    """Respondents from the data rows of an export whose columns are described by `columns`;
    `first_row` is the spreadsheet row number of rows[0] (for messages)."""
    mapping = check_mapping(options.mapping)
    out = ImportedAnswers()
    matches = _classify_columns(source, columns, rows, q, dialect, mapping, out)
    roles = _RoleNames(q, mapping.get("roles") or {}, dialect)
    for text, role_id in (mapping.get("roles") or {}).items():
        if role_id not in q.role_by_id:
            out.problems.append(
                Problem("--mapping", f"roles.{text}", f"unknown role {role_id!r} ({roles.known})")
            )
    has_role = any(m.kind == "role" for _, m in matches)
    default_role = options.default_role
    if default_role is not None and default_role not in q.role_by_id:
        out.problems.append(Problem("--role", "", f"unknown role {default_role!r} ({roles.known})"))
        default_role = None
    elif not has_role and default_role is None:
        out.problems.append(
            Problem(source, "", f"no role column: give --role ({roles.known}) or a role_column")
        )
    ctx = _Context(
        source, q, options, dialect, roles, mapping.get("values") or {}, default_role, has_role, out
    )
    filled = [(first_row + n, row) for n, row in enumerate(rows) if any(row)]
    for row_no, row in filled:
        resp = _read_row(ctx, matches, row, row_no)
        if resp is not None:
            out.respondents.append(resp)
    if not filled:
        out.problems.append(Problem(source, "", "no respondent rows below the headings"))
    out.date = ctx.latest.isoformat() if ctx.latest else None
    return out


def _read_row(
    ctx: _Context, matches: list[tuple[Column, Match]], row: Sequence[str], row_no: int
) -> dict[str, Any] | None:
    """One respondent from one row (None when the row has no usable role)."""
    rid, role, role_bad = "", ctx.default_role, False
    extra: dict[str, Any] = {}
    meta: dict[str, str] = {}
    answers: dict[str, Any] = {}
    chosen: dict[str, list[int]] = {}
    for col, m in matches:
        cell = row[col.index] if col.index < len(row) else ""
        where = f"row {row_no}, column '{short(col.label)}'"
        if m.kind == "id":
            rid = cell
        elif m.kind == "role" and cell:
            found = ctx.roles.get(cell)
            if found is None:
                ctx.problem(where, f"unknown role {cell!r} ({ctx.roles.known})")
            role, role_bad = (found, False) if found else (None, True)
        elif m.kind == "department" and cell:
            extra["department"] = cell[:META_MAX]
        elif m.kind == "meta" and cell:
            if norm(col.label) in SUBMIT_KEYS and (d := _date_of(cell)):
                ctx.latest = d if ctx.latest is None or d > ctx.latest else ctx.latest
            if not (m.personal and ctx.options.drop_personal):
                meta[col.label[:META_MAX]] = cell[:META_MAX]
        elif m.kind == "answer" and m.qid is not None:
            try:
                v = cell_value(ctx.q.question_by_id[m.qid], cell, ctx.dialect, ctx.values)
            except CellError as exc:
                ctx.problem(where, str(exc))
                continue
            if v is not SKIP:
                answers[m.qid] = {"value": v}
        elif m.kind == "option" and m.qid is not None and m.option is not None:
            state = _option_state(cell, ctx.q.question_by_id[m.qid], m.option, ctx.dialect)
            if state is None:
                ctx.problem(where, f"expected selected (1) or not (0), got {cell!r}")
                continue
            chosen.setdefault(m.qid, [])
            if state:
                chosen[m.qid].append(m.option)
    for qid, picked in chosen.items():
        opts = ctx.q.question_by_id[qid].options or []
        if picked and qid not in answers:
            answers[qid] = {"value": [opts[i].id for i in sorted(set(picked))]}
    if role is None:  # the row is left out; without a role column that is said once
        if ctx.has_role and not role_bad:
            ctx.problem(f"row {row_no}", "no role (give --role for empty role cells)")
        return None
    resp = {"id": _unique(respondent_id(rid, row_no), ctx.seen), "role": role, **extra}
    resp["answers"] = answers
    if meta:
        resp["metadata"] = meta
    return resp


def _option_state(cell: str, q: Question, option: int, dialect: Dialect) -> bool | None:
    """Whether a one-column-per-option cell marks its option chosen (None: unreadable)."""
    key = norm(cell)
    if not cell.strip() or cell.strip() in dialect.skip_texts:
        return False
    if key in dialect.chosen_texts:
        return True
    if key in dialect.unchosen_texts:
        return False
    assert q.options is not None
    o = q.options[option]
    if key in (norm(o.text.zh), norm(o.text.en), norm(o.id)):
        return True  # SurveyMonkey writes the option text when chosen
    return None
