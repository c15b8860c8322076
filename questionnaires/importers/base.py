"""What every answer importer returns: respondents as responses-file data, plus what it
could not place (located problems and unmatched columns), never silently dropped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frameworks.errors import Problem
from questionnaires.model import Questionnaire

from .answer_table import AnswerTable

Progress = Callable[[str, int, int], None]
"""Told (what is being done, steps done, steps in all) while a long import runs: "columns"
after each column of an export is read, "writing" as respondents are written out."""


@dataclass(frozen=True)
class ImportOptions:
    """Choices the user makes on the command line (`crmm import`)."""

    mapping: dict[str, Any] | None = None  # parsed --mapping file: column -> question, values
    drop_personal: bool = False  # drop IP, names, e-mail and similar metadata columns
    default_role: str | None = None  # role of respondents whose export names none
    progress: Progress | None = None  # called after each column of a platform export


class ImportedAnswers:
    """The outcome of reading one export or workbook.

    `respondents` are mappings in the responses-file shape:
    {"id", "role", "department"?, "name"?, "metadata"?: {str: str},
     "answers": {question_id: {"value", "comment"?, "evidence"?}}}.
    `table` holds the same as columns (`AnswerTable`); platform exports are read into the
    table and `respondents` is built from it when first asked for, and the other way round
    for importers that give respondents.
    `problems` name each bad cell (source = the file, field = "Sheet!B7" or
    "row 5, column 'Q1[SQ001]'"); `unmatched` lists columns that matched no question.
    `organization` and `date` are filled when the file itself carries them (crmm workbooks).
    `unasked` counts, per question id, the answers left out because the respondent's role
    is not asked the question (`drop_unasked`; every importer calls it).
    """

    def __init__(
        self,
        respondents: list[dict[str, Any]] | None = None,
        problems: list[Problem] | None = None,
        unmatched: list[str] | None = None,
        organization: dict[str, str] | None = None,
        date: str | None = None,
        table: AnswerTable | None = None,
    ) -> None:
        self._respondents = respondents
        self._table = table
        self.problems: list[Problem] = problems if problems is not None else []
        self.unmatched: list[str] = unmatched if unmatched is not None else []
        self.organization = organization
        self.date = date
        self.unasked: dict[str, int] = {}

    @property
    def respondents(self) -> list[dict[str, Any]]:
        if self._respondents is None:
            self._respondents = self._table.respondents() if self._table is not None else []
        return self._respondents

    @respondents.setter
    def respondents(self, value: list[dict[str, Any]]) -> None:
        self._respondents, self._table = value, None

    @property
    def table(self) -> AnswerTable:
        if self._table is None:
            self._table = AnswerTable.from_respondents(self.respondents)
        return self._table

    def drop_unasked(self, q: Questionnaire) -> ImportedAnswers:
        """Leave out every answer (with its comment and evidence) from a respondent whose
        role the question is not asked of, counted in `unasked`; return self."""
        for qid, n in self._drop_unasked(q).items():
            self.unasked[qid] = self.unasked.get(qid, 0) + n
        return self

    def _drop_unasked(self, q: Questionnaire) -> dict[str, int]:
        dropped: dict[str, int] = {}
        if self._respondents is not None:
            for person in self._respondents:
                answers = person.get("answers", {})
                for qid in list(answers):
                    question = q.question_by_id.get(qid)
                    if question is not None and not question.asked_of(str(person.get("role"))):
                        del answers[qid]
                        dropped[qid] = dropped.get(qid, 0) + 1
            self._table = None
            return dropped
        if self._table is not None:
            dropped = self._table.drop_unasked(q)
        return dropped

    @property
    def count(self) -> int:
        """The number of respondents, without building them."""
        if self._table is not None:
            return len(self._table)
        return len(self.respondents)

    def __repr__(self) -> str:
        return (
            f"ImportedAnswers({self.count} respondents, {len(self.problems)} problems,"
            f" {len(self.unmatched)} unmatched)"
        )


Importer = Callable[[Path, Questionnaire, ImportOptions], ImportedAnswers]
