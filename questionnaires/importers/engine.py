"""From classified columns and data rows to respondents: ids, roles, metadata and answers,
with every cell that cannot be placed reported by row and column.

The work is done per column over the column's distinct texts (the export is read as
categorical columns, `table.Sheet`): each distinct text is interpreted once by the same
`values.cell_value`, and the result is spread over the rows through the column's codes.
A bad text is reported for every row that holds it, in row order, then column order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from frameworks.errors import Problem
from questionnaires.model import Question, Questionnaire
from questionnaires.types import NA

from .answer_table import AnswerColumn, AnswerTable, value_key
from .base import ImportedAnswers, ImportOptions
from .columns import SUBMIT_KEYS, Column, Match, QuestionIndex, classify
from .mapping import check_mapping
from .textmatch import norm, short
from .values import NA_TEXTS, SKIP, CellError, Dialect, cell_value

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

META_MAX = 500
_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})")
_DIGITS = re.compile(r"^[0-9]+\Z")


def respondent_id(raw: str, row_number: int) -> str:
    """A valid respondent id from a platform's response id: lower case, other characters
    as '-', prefixed with 'r' unless it starts with a letter; 'r<row>' when empty."""
    return _id_core(raw) or f"r{row_number}"


def _id_core(raw: str) -> str:
    """`respondent_id` of a non-empty platform id; "" when nothing of it is usable."""
    if _DIGITS.match(raw):  # the common case, quickly: a row number
        return ("r" + raw)[:64]
    s = re.sub(r"[^a-z0-9_]+", "-", raw.strip().lower())
    s = re.sub(r"[-_]{2,}", "-", s).strip("-_")
    if not s:
        return ""
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
            for t in (r.id, *r.name.texts()):
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


def _classify_columns(
    source: str,
    columns: Sequence[Column],
    has_data: Callable[[int], bool],
    q: Questionnaire,
    dialect: Dialect,
    mapping: Mapping[str, Any],
    out: ImportedAnswers,
) -> list[tuple[Column, Match]]:
    """The columns that hold something, with what; unmatched and conflicting ones reported."""
    index = QuestionIndex(q)
    matches: list[tuple[Column, Match]] = []
    answer_cols: dict[str, Column] = {}
    subs: dict[str, list[str]] = {}  # question number -> sub-headings of its columns
    for col in columns:
        if col.group and col.sub:
            subs.setdefault(col.group, []).append(col.sub)
    for col in columns:
        m = classify(col, index, dialect, mapping, subs.get(col.group, []) if col.group else [])
        where = f"column '{short(col.label)}'"
        if m.kind == "unmatched":
            if col.label or has_data(col.index):
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
    """Respondents from data rows given as lists of text (see `import_frame`)."""
    from .table import frame_of_rows

    return import_frame(
        source, columns, frame_of_rows([list(r) for r in rows]), first_row, q, options, dialect
    )


class _Cells:
    """One export column over the rows that hold anything: its distinct texts (only those
    used in these rows) and, per row, the position of its text."""

    def __init__(self, data: pd.DataFrame, index: int, keep: np.ndarray) -> None:
        import numpy as np

        if index in data.columns:
            col = data[index]
            self.texts = [str(c) for c in col.cat.categories.tolist()]
            codes = col.cat.codes.to_numpy()
            codes = codes if keep.all() else codes[keep]
        else:  # a heading wider than the data
            self.texts, codes = [""], np.zeros(int(keep.sum()), dtype=np.int8)
        used = np.bincount(codes, minlength=len(self.texts)) > 0
        self.codes = codes
        self.used = used.nonzero()[0].tolist()
        self.empty = self.texts.index("") if "" in self.texts else -1

    def lookup(self, table: Sequence[Any], dtype: Any) -> np.ndarray:
        """Per row, `table[code]` (one entry per distinct text)."""
        import numpy as np

        out: np.ndarray = np.asarray(table, dtype=dtype)[self.codes]
        return out

    def nonempty(self) -> np.ndarray:
        """Per row: does the cell hold anything."""
        out: np.ndarray = self.codes != self.empty
        return out


class _Report:
    """Reading one export: the problems found so far, with their row and column order."""

    def __init__(self, source: str, row_numbers: np.ndarray) -> None:
        self.source = source
        self.rows = row_numbers
        self.found: list[tuple[int, int, Problem]] = []

    def bad_cells(self, col_order: int, col: Column, bad: np.ndarray, messages: list[str]) -> None:
        """Report each row where `bad` holds a message index (>= 0)."""
        import numpy as np

        where = f"column '{short(col.label)}'"
        for pos in np.flatnonzero(bad >= 0):
            row_no = int(self.rows[pos])
            self.found.append(
                (
                    row_no,
                    col_order,
                    Problem(self.source, f"row {row_no}, {where}", messages[int(bad[pos])]),
                )
            )


def _role_by_answers(
    columns: Sequence[Column],
    matches: Sequence[tuple[Column, Match]],
    data: pd.DataFrame,
    keep: np.ndarray,
    roles: _RoleNames,
) -> Column | None:
    """The one unmatched column every filled cell of which names a role (its id, or its name
    in either language): the role question, whatever its heading says."""
    taken = {col.index for col, _ in matches}
    hits = []
    for col in columns:
        if col.index in taken or col.index not in data.columns:
            continue
        cells = _Cells(data, col.index, keep)
        used = [cells.texts[i] for i in cells.used if cells.texts[i]]
        if used and all(norm(t) in roles.names for t in used):
            hits.append(col)
    return hits[0] if len(hits) == 1 else None


def import_frame(
    source: str,
    columns: Sequence[Column],
    data: pd.DataFrame,
    first_row: int,
    q: Questionnaire,
    options: ImportOptions,
    dialect: Dialect,
) -> ImportedAnswers:
    """Respondents from the data rows of an export (categorical text columns numbered as
    `columns` index them); `first_row` is the spreadsheet row number of the first data row
    (for messages)."""
    import numpy as np

    from .table import nonempty_rows

    mapping = check_mapping(options.mapping)
    out = ImportedAnswers()
    keep = nonempty_rows(data) if len(data.columns) else np.zeros(len(data), dtype=bool)

    def has_data(index: int) -> bool:
        return index in data.columns and bool(_Cells(data, index, keep).nonempty().any())

    matches = _classify_columns(source, columns, has_data, q, dialect, mapping, out)
    roles = _RoleNames(q, mapping.get("roles") or {}, dialect)
    no_role = not any(m.kind == "role" for _, m in matches) and not mapping.get("role_column")
    if no_role and (found := _role_by_answers(columns, matches, data, keep, roles)) is not None:
        matches.insert(0, (found, Match("role")))
        label = found.label or f"column {found.index + 1}"
        out.unmatched = [u for u in out.unmatched if u != label]
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
    positions = np.flatnonzero(keep)
    if not len(positions):
        out.problems.append(Problem(source, "", "no respondent rows below the headings"))
        return out
    reader = _Report(source, first_row + positions)
    table, latest = _read_columns(
        reader, data, keep, matches, q, options, dialect, roles, mapping, default_role, has_role
    )
    reader.found.sort(key=lambda f: (f[0], f[1]))
    return ImportedAnswers(
        problems=[*out.problems, *(p for _, _, p in reader.found)],
        unmatched=out.unmatched,
        date=latest.isoformat() if latest else None,
        table=table,
    ).drop_unasked(q)


def _read_columns(
    reader: _Report,
    data: pd.DataFrame,
    keep: np.ndarray,
    matches: list[tuple[Column, Match]],
    q: Questionnaire,
    options: ImportOptions,
    dialect: Dialect,
    roles: _RoleNames,
    mapping: Mapping[str, Any],
    default_role: str | None,
    has_role: bool,
) -> tuple[AnswerTable, dt.date | None]:
    """Every matched column read over its distinct texts."""
    import numpy as np
    import pandas as pd

    n = int(keep.sum())
    values_map: Mapping[str, Mapping[str, Any]] = mapping.get("values") or {}
    role_names: list[str | None] = [default_role]  # role codes index this list
    role = np.zeros(n, dtype=np.int32)  # 0: the default role (None when there is none)
    role_bad = np.zeros(n, dtype=bool)
    rid = np.full(n, "", dtype=object)  # per row: the usable core of its platform id
    department = np.full(n, None, dtype=object)
    meta: dict[str, np.ndarray] = {}
    latest: dt.date | None = None
    answer_cols: dict[str, AnswerColumn] = {}
    option_bits: dict[str, np.ndarray] = {}
    na_columns: dict[str, tuple[int, Column]] = {}  # multiple choice: the N/A column
    total = len(matches)
    for order, (col, m) in enumerate(matches):
        cells = _Cells(data, col.index, keep)
        texts = cells.texts
        filled = cells.nonempty()
        if m.kind == "id":  # the last id column decides, even when empty
            rid = cells.lookup([_id_core(t) for t in texts], object)
        elif m.kind == "role":
            found = [roles.get(texts[i]) if texts[i] else None for i in range(len(texts))]
            codes = []
            for r in found:
                if r is not None and r not in role_names:
                    role_names.append(r)
                codes.append(role_names.index(r) if r is not None else -1)
            per_row = cells.lookup(codes, np.int32)
            unknown = filled & (per_row < 0)
            role = np.where(filled, np.where(per_row < 0, -1, per_row), role)
            role_bad = np.where(filled, unknown, role_bad)
            messages = [f"unknown role {t!r} ({roles.known})" for t in texts]
            bad = np.where(unknown, cells.codes, -1)
            reader.bad_cells(order, col, bad, messages)
        elif m.kind == "department":
            short_texts = [t[:META_MAX] for t in texts]
            department = np.where(filled, cells.lookup(short_texts, object), department)
        elif m.kind == "meta":
            if norm(col.label) in SUBMIT_KEYS:
                # the date is in the first 10 characters: read each distinct one once
                heads = {texts[i][:10] for i in cells.used if texts[i]}
                for d in map(_date_of, heads):
                    if d is not None and (latest is None or d > latest):
                        latest = d
            if not (m.personal and options.drop_personal):
                label = col.label[:META_MAX]
                here = cells.lookup([t[:META_MAX] for t in texts], object)
                meta[label] = np.where(filled, here, meta[label]) if label in meta else here
        elif m.kind == "answer" and m.qid is not None:
            question = q.question_by_id[m.qid]
            column, errors, messages = _answer_codes(question, cells, dialect, values_map)
            reader.bad_cells(order, col, errors, messages)
            answer_cols[m.qid] = column
        elif m.kind == "option" and m.qid is not None and m.option is not None:
            question = q.question_by_id[m.qid]
            states = [_option_state(t, question, m.option, dialect) for t in texts]
            per_row = cells.lookup([-1 if s is None else int(s) for s in states], np.int8)
            messages = [f"expected selected (1) or not (0), got {t!r}" for t in texts]
            reader.bad_cells(order, col, np.where(per_row < 0, cells.codes, -1), messages)
            bits = option_bits.setdefault(m.qid, np.zeros(n, dtype=object))
            option_bits[m.qid] = np.where(per_row == 1, bits | (1 << m.option), bits)
            if m.option == len(question.options or []):
                na_columns[m.qid] = (order, col)
        if options.progress is not None:
            options.progress("columns", order + 1, total)
    for qid, bits in option_bits.items():
        opts = q.question_by_id[qid].options or []
        mask_codes, masks = pd.factorize(bits)
        chosen: list[Any] = []
        clash = np.zeros(len(masks), dtype=bool)  # N/A ticked together with options
        for k, b in enumerate(masks):
            on = [o.id for i, o in enumerate(opts) if int(b) >> i & 1]
            if int(b) >> len(opts) & 1:  # the N/A column
                clash[k] = bool(on)
                chosen.append(None if on else NA)
            else:
                chosen.append(on)
        if qid in na_columns and clash.any():
            order, col = na_columns[qid]
            message = "not applicable is chosen together with other options"
            reader.bad_cells(order, col, np.where(clash[mask_codes], 0, -1), [message])
        picked = AnswerColumn.from_values([chosen[c] or None for c in mask_codes])
        if qid in answer_cols:
            picked = _merge(answer_cols[qid], picked)
        answer_cols[qid] = picked
    # rows without a role are left out; with a role column, an empty cell is said once
    role_ids = np.array(role_names, dtype=object)
    has = role >= 0
    if role_names[0] is None:
        has &= role > 0
    missing = ~has & ~role_bad
    if has_role:
        for pos in np.flatnonzero(missing):
            row_no = int(reader.rows[pos])
            reader.found.append(
                (
                    row_no,
                    len(matches),
                    Problem(
                        reader.source,
                        f"row {row_no}",
                        "no role (give --role for empty role cells)",
                    ),
                )
            )
    rows = np.flatnonzero(has)
    ids = rid[rows]
    for pos in np.flatnonzero(ids == ""):
        ids[pos] = f"r{int(reader.rows[rows[pos]])}"
    if not pd.Index(ids).is_unique:  # repeated ids get -2, -3, ... in row order
        seen: set[str] = set()
        ids = np.array([_unique(str(x), seen) for x in ids], dtype=object)
    metadata = None
    if meta:
        metadata = pd.DataFrame({k: v[rows] for k, v in meta.items()})
    table = AnswerTable(
        ids=ids.tolist(),
        roles=[str(r) for r in role_ids[role[rows]]],
        departments=list(department[rows]),
        columns={
            qid: AnswerColumn(c.codes[rows], c.uniques)
            for qid, c in answer_cols.items()
            if bool((c.codes[rows] >= 0).any())
        },
        metadata=metadata,
    )
    return table, latest


def _answer_codes(
    question: Question,
    cells: _Cells,
    dialect: Dialect,
    values_map: Mapping[str, Mapping[str, Any]],
) -> tuple[AnswerColumn, np.ndarray, list[str]]:
    """An answer column from the distinct texts of an export column: the coded canonical
    values, and per row the index of its error message (-1: none)."""
    import numpy as np

    uniques: list[Any] = []
    index: dict[Any, int] = {}
    to_value = np.full(len(cells.texts), -1, dtype=np.int32)
    to_error = np.full(len(cells.texts), -1, dtype=np.int32)
    messages: list[str] = []
    for i in cells.used:
        try:
            v = cell_value(question, cells.texts[i], dialect, values_map)
        except CellError as exc:
            to_error[i] = len(messages)
            messages.append(str(exc))
            continue
        if v is SKIP:
            continue
        key = value_key(v)
        if key not in index:
            index[key] = len(uniques)
            uniques.append(v)
        to_value[i] = index[key]
    return AnswerColumn(to_value[cells.codes], uniques), to_error[cells.codes], messages


def _merge(first: AnswerColumn, then: AnswerColumn) -> AnswerColumn:
    """`first`'s answer where it has one, else `then`'s."""
    import numpy as np

    offset = len(first.uniques)
    codes = np.where(
        first.codes >= 0, first.codes, np.where(then.codes >= 0, then.codes + offset, -1)
    )
    return AnswerColumn(codes.astype(np.int32), [*first.uniques, *then.uniques])


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
    if option == len(q.options):  # the N/A column
        return True if key in NA_TEXTS else None
    o = q.options[option]
    if key in (*(norm(t) for t in o.text.texts()), norm(o.id)):
        return True  # SurveyMonkey writes the option text when chosen
    return None
