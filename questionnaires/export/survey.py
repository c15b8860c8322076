"""What the survey definitions for online platforms share: question codes, the role question,
and the answer lists in the order crmm's importer reads coded exports by.

A survey built from these lists exports answers that `crmm import` reads with no mapping
file: questions by their code (the crmm id without `-` and `_`, upper-case: `QC01` for
`qc-01`) or their text; options by position in crmm's order, "not applicable" last where the
question allows it (the position after the last option means N/A,
`questionnaires.importers.values`); the role by a question whose answers are the
questionnaire's roles in order (1 = the first role).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from frameworks.errors import InputError, Problem
from frameworks.text import Lang, Text
from questionnaires.model import Question, Questionnaire
from questionnaires.types import NA_LABEL

from .form import choices

ROLE_CODE = "ROLE"
ROLE_TEXT = Text(zh="您的角色", en="Your role")  # a heading crmm's importer reads as the role
CODE_LIMIT = 20  # LimeSurvey keeps question codes in a 20-character column
_CODE = re.compile(r"^[A-Z][A-Z0-9]*$")


def survey_code(qid: str) -> str:
    """The platform code of a question: its crmm id without `-` and `_`, upper-case."""
    return qid.replace("-", "").replace("_", "").upper()


def check_codes(q: Questionnaire, source: str) -> dict[str, str]:
    """question id -> code, or an InputError naming every id that cannot be a code (too long,
    or the same code as another question or the role question)."""
    codes: dict[str, str] = {}
    seen: dict[str, str] = {ROLE_CODE: "the role question"}
    problems = []
    for i, x in enumerate(q.questions):
        code = survey_code(x.id)
        why = ""
        if len(code) > CODE_LIMIT or not _CODE.match(code):
            why = f"longer than {CODE_LIMIT} characters"
        elif code in seen:
            why = f"the code of {seen[code]} too"
        if why:
            message = f"{x.id!r} gives the survey question code {code!r}, {why}: rename it"
            problems.append(Problem(source, f"questions[{i}].id", message))
        seen.setdefault(code, repr(x.id))
        codes[x.id] = code
    if problems:
        raise InputError(problems)
    return codes


@dataclass(frozen=True)
class Answer:
    """One answer of a list question: its position (1-based) and text."""

    position: int
    text: str


def na_text(lang: Lang) -> str:
    text = NA_LABEL.get(lang)
    return text[:1].upper() + text[1:]


def answer_list(x: Question, lang: Lang) -> list[Answer]:
    """The answers of a one-answer list question (anchored, likert, yes/partly/no, single
    choice) in crmm's order, then N/A where allowed; empty for other types."""
    if x.type not in ("anchored", "likert", "yes_partly_no", "single_choice"):
        return []
    texts = [c.text for c in choices(x, lang)]
    if x.type == "yes_partly_no":
        texts = [t[:1].upper() + t[1:] for t in texts]
    if x.allow_na:
        texts.append(na_text(lang))
    return [Answer(i, t) for i, t in enumerate(texts, start=1)]


def option_texts(x: Question, lang: Lang) -> list[str]:
    """The options of a multiple-choice question in crmm's order, then N/A where allowed (an
    export's column for it, or its text alone, reads as not applicable)."""
    assert x.options is not None
    return [o.text.get(lang) for o in x.options] + ([na_text(lang)] if x.allow_na else [])


def one_line(text: str) -> str:
    """A text on one line: line breaks and tabs become spaces."""
    return " ".join(text.split())
