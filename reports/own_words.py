"""What respondents wrote, in full: free-text answers and comments, by question and role.

Where they are shown:

- under its question in the element sections: the free-text answers (comments stay with
  the scored questions they explain, reports/notes.py);
- the section "In their own words" (after the element sections): the free-text answers,
  each open question's texts grouped by role (comments on scored answers are printed once,
  under their questions, where the score they explain is);
- appendix D: the free-text answers, listed under the answer tables (a cell says "see below");
- the "Own words" sheet of the XLSX action plan: every text, whatever the number of
  respondents.

Up to LIST_LIMIT respondents every text is shown everywhere. Above it (a survey: hundreds or
100 000 respondents) the element sections and the own-words section show a bounded selection,
labelled as such: per question and role at most PER_ROLE texts, the longest first (a text
repeated word for word counts once), ties by respondent id; appendix D has no answer tables
and no text list, and the label sends the reader to the XLSX sheet, which has all of them.

Nothing is shortened: texts are printed as written and wrap.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from questionnaires.types import NA

from .appendix import LIST_LIMIT
from .views import ReportContext

if TYPE_CHECKING:
    from assessment.response_columns import TableResponses
    from assessment.responses import Responses

    from .context import _Builder

PER_ROLE = 3
"""Texts shown per question and role above LIST_LIMIT respondents."""


@dataclass(frozen=True)
class Said:
    """One text a respondent wrote: a free-text answer, or a comment on an answer."""

    respondent: str
    role: str
    """The role's name in the report language."""
    text: str
    comment: bool = False


@dataclass(frozen=True)
class RoleTexts:
    role: str
    items: tuple[Said, ...]


@dataclass(frozen=True)
class SaidQuestion:
    """One question's texts, grouped by role (the questionnaire's role order)."""

    id: str
    text: str
    element: str
    free_text: bool
    """A free-text question (its answers), else a scored one (comments on its answers)."""
    roles: tuple[RoleTexts, ...]
    shown: int
    total: int
    note: str = ""
    """Above LIST_LIMIT respondents: how many are shown, and where the rest are."""


@dataclass(frozen=True)
class OwnWords:
    intro: str
    selection: str
    """Empty when every text is shown; else the selection rule and where all texts are."""
    questions: tuple[SaidQuestion, ...]
    every: Callable[[], Iterator[SaidRow]] = field(compare=False, repr=False)
    """Every text, whatever the number of respondents, made when asked (the XLSX sheet)."""


class SaidRow(NamedTuple):
    """One text with its question, for a sheet: a row per text."""

    question: str
    question_text: str
    element: str
    comment: bool
    role: str
    respondent: str
    text: str


@dataclass(frozen=True)
class _Raw:
    position: int
    respondent: str
    role: str
    question: str
    text: str
    comment: bool


def _written(value: object) -> str:
    """A free-text answer as written (outer blanks off), "" for none or not applicable."""
    return value.strip() if isinstance(value, str) and value != NA else ""


def _from_models(responses: Responses, b: _Builder) -> Iterator[_Raw]:
    for pos, r in enumerate(responses.respondents):
        for qid, a in r.answers.items():
            question = b.q.question_by_id.get(qid)
            if question is None:
                continue
            if question.type == "text" and (text := _written(a.value)):
                yield _Raw(pos, r.id, r.role, qid, text, False)
            if a.comment and a.comment.strip():
                yield _Raw(pos, r.id, r.role, qid, a.comment.strip(), True)


def _from_table(responses: TableResponses, b: _Builder) -> Iterator[_Raw]:
    t = responses.table
    for qid, col in t.columns.items():
        question = b.q.question_by_id.get(qid)
        if question is None or question.type != "text":
            continue
        # each distinct text is read once; the rows come from its code
        written = [_written(x) for x in col.uniques]
        codes = col.codes.tolist()
        shown = np.array([bool(x) for x in written] + [False])[col.codes]
        for i in np.flatnonzero(shown).tolist():
            yield _Raw(i, t.ids[i], t.roles[i], qid, written[codes[i]], False)
    for (i, qid), note in t.comments.items():
        answered = t.columns.get(qid)
        if answered is None or answered.codes[i] < 0 or qid not in b.q.question_by_id:
            continue
        if note and note.strip():
            yield _Raw(i, t.ids[i], t.roles[i], qid, note.strip(), True)


def texts(responses: Responses | TableResponses, b: _Builder) -> list[_Raw]:
    """Every text, in questionnaire order, then respondent order (answers before comments)."""
    from assessment.responses import Responses

    raw = (
        _from_models(responses, b)
        if isinstance(responses, Responses)
        else _from_table(responses, b)
    )
    order = {x.id: i for i, x in enumerate(b.q.questions)}
    return sorted(raw, key=lambda r: (order[r.question], r.comment, r.position))


def select(items: Iterable[_Raw], k: int = PER_ROLE) -> list[_Raw]:
    """At most `k` texts: the longest first, a text repeated word for word once, ties by
    respondent id."""
    seen: set[str] = set()
    out = []
    for r in sorted(items, key=lambda r: (-len(r.text), r.respondent)):
        key = " ".join(r.text.split()).casefold()
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
        if len(out) == k:
            break
    return out


def _question(
    b: _Builder, qid: str, items: list[_Raw], bounded: bool, elements: dict[str, str]
) -> SaidQuestion:
    question = b.q.question_by_id[qid]
    role_order = {r.id: i for i, r in enumerate(b.q.roles)}
    by_role: dict[str, list[_Raw]] = {}
    for r in items:
        by_role.setdefault(r.role, []).append(r)
    groups = []
    shown = 0
    for role in sorted(by_role, key=lambda x: (role_order.get(x, len(role_order)), x)):
        chosen = select(by_role[role]) if bounded else by_role[role]
        shown += len(chosen)
        groups.append(
            RoleTexts(
                b.role(role),
                tuple(Said(r.respondent, b.role(r.role), r.text, r.comment) for r in chosen),
            )
        )
    element = b.fw.element_of[question.criterion].id
    return SaidQuestion(
        id=qid,
        text=b.t(question.text),
        element=elements.get(element, element),
        free_text=question.type == "text",
        roles=tuple(groups),
        shown=shown,
        total=len(items),
    )


def _grouped(raw: list[_Raw]) -> dict[str, list[_Raw]]:
    out: dict[str, list[_Raw]] = {}
    for r in raw:
        out.setdefault(r.question, []).append(r)
    return out


def with_own_words(
    ctx: ReportContext, b: _Builder, responses: Responses | TableResponses
) -> ReportContext:
    """The context with free-text answers under their questions, the own-words section and
    (up to LIST_LIMIT respondents) every free-text answer in appendix D."""
    L = b.L
    bounded = len(ctx.result.respondents) > LIST_LIMIT
    raw = texts(responses, b)
    elements = {e.id: e.name for e in ctx.elements}
    answers = _grouped([r for r in raw if not r.comment])
    comments = _grouped([r for r in raw if r.comment])
    free = {qid: _question(b, qid, items, bounded, elements) for qid, items in answers.items()}
    if bounded:
        free = {
            qid: dataclasses.replace(
                s, note=L.fill("own_words.question_note", shown=s.shown, total=s.total)
            )
            for qid, s in free.items()
        }
    said = list(free.values())

    def every() -> Iterator[SaidRow]:
        for group in (answers, comments):
            for qid, items in group.items():
                s = _question(b, qid, items, False, elements)
                for g in s.roles:
                    for x in g.items:
                        yield SaidRow(
                            qid, s.text, s.element, x.comment, g.role, x.respondent, x.text
                        )

    selection = ""
    if bounded:
        selection = L.fill(
            "own_words.selection",
            shown=sum(s.shown for s in said),
            total=sum(len(items) for items in answers.values()),
            k=PER_ROLE,
        )
    own = OwnWords(L["own_words.intro"], selection, tuple(said), every) if said else None
    by_criterion: dict[str, list[SaidQuestion]] = {}
    for qid, s in free.items():
        by_criterion.setdefault(b.q.question_by_id[qid].criterion, []).append(s)
    new_elements = tuple(
        dataclasses.replace(
            e,
            criteria=tuple(
                dataclasses.replace(c, texts=tuple(by_criterion.get(c.id, ()))) for c in e.criteria
            ),
        )
        for e in ctx.elements
    )
    appendix = ctx.appendix_answers
    if appendix is not None and answers and not bounded:
        appendix = dataclasses.replace(appendix, texts=tuple(free.values()))
    return dataclasses.replace(ctx, elements=new_elements, own_words=own, appendix_answers=appendix)
