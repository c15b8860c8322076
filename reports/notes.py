"""Respondents' comments and evidence references, shown under the questions they answer."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from assessment.response_columns import TableResponses
from assessment.responses import Responses

from .views import NoteView, ReportContext


def with_notes(
    ctx: ReportContext,
    responses: Responses | TableResponses,
    role_name: Callable[[str | None], str],
) -> ReportContext:
    """The context with every question's comments and evidence, in respondent order; each
    respondent's role by its name in the report's language (`role_name` of the role id)."""
    notes: dict[str, list[NoteView]] = {}
    if isinstance(responses, TableResponses):
        for pid, role, qid, comment, refs in responses.note_cells():
            if comment or refs:
                note = NoteView(pid, role_name(role), comment, tuple(refs))
                notes.setdefault(qid, []).append(note)
    else:
        for r in responses.respondents:
            for qid, a in r.answers.items():
                if a.comment or a.evidence:
                    note = NoteView(r.id, role_name(r.role), a.comment, tuple(a.evidence))
                    notes.setdefault(qid, []).append(note)
    elements = tuple(
        dataclasses.replace(
            e,
            criteria=tuple(
                dataclasses.replace(
                    c,
                    questions=tuple(
                        dataclasses.replace(q, notes=tuple(notes.get(q.id, ())))
                        for q in c.questions
                    ),
                )
                for c in e.criteria
            ),
        )
        for e in ctx.elements
    )
    return dataclasses.replace(ctx, elements=elements)
