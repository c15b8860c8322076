"""What every answer importer returns: respondents as responses-file data, plus what it
could not place (located problems and unmatched columns), never silently dropped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frameworks.errors import Problem
from questionnaires.model import Questionnaire


@dataclass(frozen=True)
class ImportOptions:
    """Choices the user makes on the command line (`crmm import`)."""

    mapping: dict[str, Any] | None = None  # parsed --mapping file: column -> question, values
    drop_personal: bool = False  # drop IP, names, e-mail and similar metadata columns
    default_role: str | None = None  # role of respondents whose export names none


@dataclass
class ImportedAnswers:
    """The outcome of reading one export or workbook.

    `respondents` are mappings in the responses-file shape:
    {"id", "role", "department"?, "name"?, "metadata"?: {str: str},
     "answers": {question_id: {"value", "comment"?, "evidence"?}}}.
    `problems` name each bad cell (source = the file, field = "Sheet!B7" or
    "row 5, column 'Q1[SQ001]'"); `unmatched` lists columns that matched no question.
    `organization` and `date` are filled when the file itself carries them (crmm workbooks).
    """

    respondents: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    organization: dict[str, str] | None = None
    date: str | None = None


Importer = Callable[[Path, Questionnaire, ImportOptions], ImportedAnswers]
