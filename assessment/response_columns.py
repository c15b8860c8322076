"""Responses files read as columns: the fast way through large files.

A responses file of 100 000 respondents holds eight million answers; one pydantic model per
answer (`responses.Respondent`) costs minutes and gigabytes. Here the respondents are read
into an `AnswerTable` whose columns hold each question's distinct *raw* values, every
distinct value is checked once (`normalize_value`, as the importers do) and the codes carry
the verdict to the rows. Two layouts are read this way:

- the usual layout (a list of respondents, YAML or JSON): a lean check that accepts only
  what the pydantic models certainly accept; anything else (a wrong type, an unknown field,
  a control character, a duplicate id) sends the file down the exact model path, whose
  messages are the contract;
- the columnar JSON layout (`respondents` a mapping of arrays, `answers` one array per
  question, `comments`/`evidence` sparse), written by `crmm import -o FILE.json`; see
  docs/importing.md, "Columnar responses files".

Either gives the same checks as `check_responses`, with the same messages, in the same order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from frameworks.errors import InputError, Problem
from frameworks.fileio import validation_problems
from frameworks.model import ID_PATTERN
from questionnaires.importers.answer_table import AnswerColumn, AnswerTable, value_key
from questionnaires.types import AnswerValueError, normalize_value

if TYPE_CHECKING:
    from questionnaires.model import Questionnaire

    from .responses import ResponsesHead

__all__ = ["RawAnswers", "check_table", "columnar_json", "raw_from_columns", "raw_from_rows"]

_ID = re.compile(ID_PATTERN)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_RESPONDENT_KEYS = frozenset(["id", "role", "department", "name", "answers", "metadata"])
_ANSWER_KEYS = frozenset(["value", "comment", "evidence"])
_SCALARS = (str, int, float, bool)
SHORT, LONG = 500, 5000  # ShortText and TEXT_LIMIT (responses.py)


class RawAnswers:
    """Respondents and their answers as they are in the file (values not yet normalised).

    `where(i, qid)` is the location of respondent i's answer to `qid` in the file;
    `order(i, qid)` sorts problems as `check_responses` lists them (respondent by respondent,
    each in the order of its answers)."""

    def __init__(
        self,
        table: AnswerTable,
        where: Callable[[int, str], str],
        role_where: Callable[[int], str],
        order: Callable[[int, str], int],
        workshops: Mapping[int, list[dict[str, Any]]] | None = None,
    ) -> None:
        self.table = table
        self.where = where
        self.role_where = role_where
        self.order = order
        self.workshops: Mapping[int, list[dict[str, Any]]] = workshops or {}
        """Row -> participants of each respondent of kind workshop."""

    def respondents(self) -> list[dict[str, Any]]:
        """The respondents as a responses file lists them (a workshop with its kind and
        participants)."""
        people = self.table.respondents()
        for i, participants in self.workshops.items():
            people[i] = {**people[i], "kind": "workshop", "participants": participants}
        return people


def _id(v: Any) -> bool:
    return isinstance(v, str) and len(v) <= 64 and "\n" not in v and _ID.match(v) is not None


def _short(v: Any) -> bool:
    return isinstance(v, str) and 1 <= len(v) <= SHORT and not _CONTROL.search(v)


def _comment(v: Any) -> bool:
    return v is None or (isinstance(v, str) and len(v) <= LONG and not _CONTROL.search(v))


def _value(v: Any) -> bool:
    """A value the lean path can key and the Answer model accepts as it is."""
    if isinstance(v, str):
        return len(v) <= LONG and not _CONTROL.search(v)
    if isinstance(v, list):
        return all(isinstance(x, _SCALARS) for x in v)
    return isinstance(v, _SCALARS)


def _unanswered(v: Any) -> bool:
    return v is None or (isinstance(v, list) and not v)


def raw_from_rows(people: Any) -> RawAnswers | None:
    """The respondents of the usual layout as raw columns, or None when anything is not
    certainly valid (the caller then validates the file with the models, for their messages)."""
    if not isinstance(people, list) or not people:
        return None
    n = len(people)
    ids: list[str] = []
    roles: list[str] = []
    departments: list[str | None] = []
    names: list[str | None] = []
    columns: dict[str, list[Any]] = {}
    comments: dict[tuple[int, str], str] = {}
    evidence: dict[tuple[int, str], list[str]] = {}
    for i, p in enumerate(people):
        if not isinstance(p, dict) or not p.keys() <= _RESPONDENT_KEYS:
            return None
        pid, role = p.get("id"), p.get("role")
        dept, name = p.get("department"), p.get("name")
        if not (isinstance(pid, str) and isinstance(role, str) and _id(pid) and _id(role)):
            return None
        if not (dept is None or _short(dept)) or not (name is None or _short(name)):
            return None
        meta = p.get("metadata", {})
        if not isinstance(meta, dict) or not all(_short(k) and _short(v) for k, v in meta.items()):
            return None
        answers = p.get("answers", {})
        if not isinstance(answers, dict):
            return None
        ids.append(pid)
        roles.append(role)
        departments.append(dept)
        names.append(name)
        for qid, a in answers.items():
            if not isinstance(qid, str):
                return None
            if isinstance(a, dict):
                value = a.get("value", "")  # as the model's short form reads it
                if _unanswered(value):
                    continue
                if not a.keys() <= _ANSWER_KEYS or "value" not in a:
                    return None
                note, refs = a.get("comment"), a.get("evidence", [])
                if not _comment(note) or not isinstance(refs, list):
                    return None
                if not all(_short(r) for r in refs):
                    return None
                if note is not None:
                    comments[(i, qid)] = note
                if refs:
                    evidence[(i, qid)] = list(refs)
            else:
                value = a
                if _unanswered(value):
                    continue
            if not _value(value):
                return None
            col = columns.get(qid)
            if col is None:
                col = columns[qid] = [None] * n
            col[i] = value
    if len(set(ids)) != n:
        return None
    table = AnswerTable(
        ids=ids,
        roles=roles,
        departments=departments,
        columns={qid: AnswerColumn.from_values(v) for qid, v in columns.items()},
        comments=comments,
        evidence=evidence,
        names=names if any(x is not None for x in names) else None,
    )

    def order(i: int, qid: str) -> int:
        return list(people[i].get("answers", {})).index(qid)

    return RawAnswers(
        table,
        where=lambda i, qid: f"respondents[{i}].answers.{qid}",
        role_where=lambda i: f"respondents[{i}].role",
        order=order,
    )


def check_table(head: ResponsesHead, raw: RawAnswers, source: str, q: Questionnaire) -> AnswerTable:
    """Check raw answers against the questionnaire as `check_responses` does (same messages,
    same order); return the table of canonical values, columns in questionnaire order."""
    import numpy as np

    from .responses import header_problems

    problems = header_problems(head, q, source)
    table = raw.table
    located: list[tuple[int, int, Problem]] = []
    roles = np.asarray(table.roles, dtype=object)
    known_role = np.isin(roles, list(q.role_by_id))
    if not known_role.all():
        known = ", ".join(q.role_by_id)
        for i in np.flatnonzero(~known_role).tolist():
            msg = f"unknown role {table.roles[i]!r} ({known})"
            located.append((i, -1, Problem(source, raw.role_where(i), msg)))

    def at(rows: Sequence[int], qid: str, msg: str | Callable[[str], str]) -> None:
        """A problem at each of `rows`; `msg` of the respondent's role when a function."""
        for i in rows:
            text = msg if isinstance(msg, str) else msg(table.roles[i])
            located.append((i, raw.order(i, qid), Problem(source, raw.where(i, qid), text)))

    columns: dict[str, AnswerColumn] = {}
    for qid, col in table.columns.items():
        answered = col.codes >= 0
        question = q.question_by_id.get(qid)
        if question is None:
            at(np.flatnonzero(answered).tolist(), qid, "unknown question id")
            continue
        codes = col.codes
        if question.roles:
            unasked = answered & known_role & ~np.isin(roles, question.roles)
            if unasked.any():
                at(np.flatnonzero(unasked).tolist(), qid, question.not_asked)
                codes = np.where(unasked, -1, codes)
        canonical: list[Any] = []
        index: dict[Any, int] = {}
        remap = np.full(len(col.uniques) + 1, -1, dtype=np.int32)  # last serves code -1
        bad: dict[int, str] = {}
        for k, v in enumerate(col.uniques):
            try:
                value = normalize_value(question, v)
            except AnswerValueError as exc:
                bad[k] = str(exc)
                continue
            key = value_key(value)
            c = index.get(key)
            if c is None:
                c = index[key] = len(canonical)
                canonical.append(value)
            remap[k] = c
        for k, msg in bad.items():
            at(np.flatnonzero(codes == k).tolist(), qid, msg)
        if not problems and not located:
            columns[qid] = AnswerColumn(remap[codes], canonical)
    if problems or located:
        located.sort(key=lambda t: (t[0], t[1]))
        raise InputError(problems + [p for _, _, p in located])
    ordered = {x.id: columns[x.id] for x in q.questions if x.id in columns}
    return AnswerTable(
        ids=table.ids,
        roles=table.roles,
        departments=table.departments,
        columns={k: c for k, c in ordered.items() if c.uniques and bool((c.codes >= 0).any())},
        comments=table.comments,
        evidence=table.evidence,
        names=table.names,
    )


# --- the columnar JSON layout ------------------------------------------------------------


def is_columnar(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("respondents"), dict)


def raw_from_columns(data: dict[str, Any], source: str) -> RawAnswers:
    """The respondents of a columnar file as raw columns; structural errors are raised with
    their place in the file (`respondents.id[3]`, `answers.q12[40]`, `comments.q3.17`)."""
    from pydantic import TypeAdapter, ValidationError

    from frameworks.model import Id

    from .responses import Answer, Participant, ShortText

    problems: list[Problem] = []
    people = data["respondents"]
    unknown = set(people) - {"id", "role", "department", "name", "kind", "participants"}
    problems += [Problem(source, f"respondents.{k}", "unknown field") for k in sorted(unknown)]
    ids = people.get("id")
    if not isinstance(ids, list) or not ids:
        problems.append(Problem(source, "respondents.id", "expected a non-empty list of ids"))
        raise InputError(problems)
    n = len(ids)

    def column(name: str, adapter: TypeAdapter[Any], required: bool) -> list[Any]:
        values = people.get(name)
        where = f"respondents.{name}"
        if values is None and not required:
            return [None] * n
        if not isinstance(values, list) or len(values) != n:
            problems.append(Problem(source, where, f"expected a list of {n} entries, as id"))
            return [None] * n
        try:
            out: list[Any] = adapter.validate_python(values)
            return out
        except ValidationError as exc:
            problems.extend(validation_problems(exc, source, where))
            return [None] * n

    ids = column("id", TypeAdapter(list[Id]), True)
    roles = column("role", TypeAdapter(list[Id]), True)
    departments = column("department", TypeAdapter(list[ShortText | None]), False)
    names = column("name", TypeAdapter(list[ShortText | None]), False)
    kinds = column("kind", TypeAdapter(list[Literal["person", "workshop"] | None]), False)
    participants = column("participants", TypeAdapter(list[list[Participant] | None]), False)
    workshops: dict[int, list[dict[str, Any]]] = {}
    for i, (kind, who) in enumerate(zip(kinds, participants, strict=True)):
        if kind == "workshop" and not who:
            problems.append(
                Problem(
                    source, f"respondents.participants[{i}]", "a workshop needs its participants"
                )
            )
        elif kind != "workshop" and who:
            problems.append(
                Problem(
                    source,
                    f"respondents.participants[{i}]",
                    "participants are for kind workshop only",
                )
            )
        elif kind == "workshop":
            workshops[i] = [p.model_dump(exclude_none=True) for p in who]
    seen: dict[str, int] = {}
    for i, pid in enumerate(ids):
        if pid is not None and pid in seen:
            problems.append(
                Problem(source, f"respondents.id[{i}]", f"duplicate respondent id {pid!r}")
            )
        seen.setdefault(pid, i)
    answers = data.get("answers", {})
    comments_in = data.get("comments", {})
    evidence_in = data.get("evidence", {})
    columns: dict[str, AnswerColumn] = {}
    if not isinstance(answers, dict):
        problems.append(Problem(source, "answers", "expected a mapping of question ids to lists"))
        answers = {}
    for qid, values in answers.items():
        where = f"answers.{qid}"
        if not isinstance(values, list) or len(values) != n:
            problems.append(Problem(source, where, f"expected a list of {n} values, as id"))
            continue
        try:
            col = AnswerColumn.from_values(values)
        except TypeError:  # an unhashable value (a mapping): check the cells one by one
            col = AnswerColumn.from_values([_checked_value(v) for v in values])
            problems.extend(
                Problem(source, f"{where}[{i}]", "expected a value or a list of values")
                for i, v in enumerate(values)
                if not _unanswered(v) and not _keyable(v)
            )
        for k, v in enumerate(col.uniques):
            try:
                Answer.model_validate({"value": v})
            except ValidationError as exc:
                msg = exc.errors(include_url=False)[0]["msg"]
                rows = (col.codes == k).nonzero()[0].tolist()
                problems.extend(Problem(source, f"{where}[{i}]", msg) for i in rows)
        columns[qid] = col
    comments = _sparse(comments_in, "comments", source, n, problems, _comment_adapter())
    evidence = _sparse(evidence_in, "evidence", source, n, problems, _evidence_adapter())
    for field in set(data) - _COLUMNAR_KEYS:
        problems.append(Problem(source, field, "unknown field"))
    if problems:
        raise InputError(problems)
    table = AnswerTable(
        ids=ids,
        roles=roles,
        departments=departments,
        columns=columns,
        comments={k: v for k, v in comments.items() if v is not None},
        evidence={k: v for k, v in evidence.items() if v},
        names=names if any(x is not None for x in names) else None,
    )
    position = {qid: j for j, qid in enumerate(columns)}
    return RawAnswers(
        table,
        where=lambda i, qid: f"answers.{qid}[{i}]",
        role_where=lambda i: f"respondents.role[{i}]",
        order=lambda i, qid: position[qid],
        workshops=workshops,
    )


_COLUMNAR_KEYS = frozenset(
    [
        "type",
        "questionnaire",
        "organization",
        "date",
        "assessor",
        "role_weights",
        "evidence_register",
        "assessor_ratings",
        "respondents",
        "answers",
        "comments",
        "evidence",
        "evidence_register",
        "assessor_ratings",
    ]
)


def _keyable(v: Any) -> bool:
    return isinstance(v, _SCALARS) or (
        isinstance(v, list) and all(isinstance(x, _SCALARS) for x in v)
    )


def _checked_value(v: Any) -> Any:
    return v if _keyable(v) else None


def _comment_adapter() -> Any:
    from pydantic import TypeAdapter

    from .responses import Comment

    return TypeAdapter(Comment | None)


def _evidence_adapter() -> Any:
    from pydantic import TypeAdapter

    from .responses import ShortText

    return TypeAdapter(list[ShortText])


def _sparse(
    data: Any, name: str, source: str, n: int, problems: list[Problem], adapter: Any
) -> dict[tuple[int, str], Any]:
    """`{qid: {"17": item}}` (respondent positions as keys) as {(17, qid): item}."""
    from pydantic import ValidationError

    out: dict[tuple[int, str], Any] = {}
    if not isinstance(data, dict):
        problems.append(Problem(source, name, "expected a mapping of question ids"))
        return out
    for qid, cells in data.items():
        if not isinstance(cells, dict):
            problems.append(Problem(source, f"{name}.{qid}", "expected a mapping of positions"))
            continue
        for pos, item in cells.items():
            where = f"{name}.{qid}.{pos}"
            if not (isinstance(pos, str) and pos.isdigit() and int(pos) < n):
                problems.append(Problem(source, where, f"not a respondent position (0-{n - 1})"))
                continue
            try:
                out[(int(pos), qid)] = adapter.validate_python(item)
            except ValidationError as exc:
                problems.extend(validation_problems(exc, source, where))
    return out


def columnar_json(
    head: Mapping[str, Any],
    table: AnswerTable,
    *,
    indent: int | None = None,
    workshops: Mapping[int, list[dict[str, Any]]] | None = None,
) -> str:
    """A columnar responses file (JSON) of `head` (type, questionnaire, organization, date,
    assessor, role_weights, evidence_register, assessor_ratings) and the table's canonical
    answers; `workshops` (row -> participants) are the respondents of kind workshop."""
    doc: dict[str, Any] = {k: v for k, v in head.items() if v is not None}
    people: dict[str, Any] = {"id": table.ids, "role": table.roles}
    if any(d is not None for d in table.departments):
        people["department"] = table.departments
    if table.names is not None:
        people["name"] = table.names
    if workshops:
        n = len(table.ids)
        people["kind"] = ["workshop" if i in workshops else "person" for i in range(n)]
        people["participants"] = [workshops.get(i) for i in range(n)]
    doc["respondents"] = people
    answers: dict[str, Any] = {}
    for qid, col in table.columns.items():
        pool: list[Any] = [*col.uniques, None]
        answers[qid] = [pool[c] for c in col.codes.tolist()]
    doc["answers"] = answers
    for name, cells in (("comments", table.comments), ("evidence", table.evidence)):
        sparse: dict[str, dict[str, Any]] = {}
        for (i, qid), item in sorted(cells.items(), key=lambda t: (t[0][1], t[0][0])):
            sparse.setdefault(qid, {})[str(i)] = item
        if sparse:
            doc[name] = sparse
    return json.dumps(doc, ensure_ascii=False, indent=indent) + "\n"


class TableResponses:
    """Checked responses of a large file as a table: what a report needs of them (comments
    and evidence, the answers for agreement) without one model per answer."""

    def __init__(
        self,
        table: AnswerTable,
        role_weights: Mapping[str, Any],
        order: Callable[[int, str], int],
        head: ResponsesHead | None = None,
    ) -> None:
        self.table = table
        self.role_weights = dict(role_weights)
        self._order = order
        self.head = head
        """The file's header (evidence register, assessor ratings) for the report."""

    def note_cells(self) -> list[tuple[str, str, str, str | None, list[str]]]:
        """(respondent id, role, question id, comment, evidence) of every answer with a
        comment or evidence, respondent by respondent, each in the file's answer order."""
        t = self.table
        keys = set(t.comments) | set(t.evidence)
        cells = []
        for i, qid in sorted(keys, key=lambda k: (k[0], self._order(k[0], k[1]))):
            col = t.columns.get(qid)
            if col is None or col.codes[i] < 0:
                continue
            note, refs = t.comments.get((i, qid)), t.evidence.get((i, qid), [])
            cells.append((t.ids[i], t.roles[i], qid, note, refs))
        return cells
