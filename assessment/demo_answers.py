"""What the demo's respondents wrote (assessment/data/demo_answers.yaml), in both languages.

The demo's scores are synthesised (assessment/synthetic.py); its words are not. The data file
holds, per question and respondent, a free-text answer, a comment, evidence (ids of named
documents) and, where a comment explains a view, the value given. `load_demo_answers` reads
it strictly and checks every reference: the questionnaire's questions, the respondents and
their roles, the documents, and that each kind of text goes with the right kind of question.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
)

from frameworks.errors import InputError, Problem
from frameworks.fileio import load_data, validate_as
from frameworks.text import Lang, zh_typography
from questionnaires.loader import load_questionnaire

__all__ = ["PATH", "DemoAnswers", "Translated", "Written", "load_demo_answers"]

PATH = Path(str(resources.files("assessment") / "data" / "demo_answers.yaml"))


class Translated(BaseModel):
    """A text in both languages (the demo writes one responses file per language)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    zh: str = Field(alias="zh-CN", min_length=1)
    en: str = Field(min_length=1)

    @field_validator("zh")
    @classmethod
    def _typeset(cls, v: str) -> str:
        return zh_typography(v)

    def get(self, lang: Lang) -> str:
        return self.zh if lang == "zh-CN" else self.en


Value = StrictInt | StrictFloat | StrictStr | list[StrictStr]


class Written(BaseModel):
    """What one respondent wrote for one question."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Value | None = None  # replaces the synthesised answer
    text: Translated | None = None  # the answer to a free-text question
    comment: Translated | None = None
    evidence: list[str] = Field(default_factory=list)  # document ids


class DemoAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["demo-answers"]
    version: int
    questionnaire: str
    organization: Translated
    departments: dict[str, Translated]
    documents: dict[str, Translated]
    answers: dict[str, dict[str, Written]]

    def evidence(self, written: Written, lang: Lang) -> list[str]:
        """The names of the documents a respondent named, in one language."""
        return [self.documents[d].get(lang) for d in written.evidence]


def check(data: DemoAnswers, roles: Mapping[str, str], source: str) -> list[Problem]:
    """Every reference of the demo answers resolves against the questionnaire and people."""
    q, _ = load_questionnaire(data.questionnaire)
    questions = {x.id: x for x in q.questions}
    problems: list[Problem] = []

    def bad(path: str, message: str) -> None:
        problems.append(Problem(source, path, message))

    for pid in sorted(set(roles) ^ set(data.departments)):
        bad(
            f"departments.{pid}",
            "not one of the demo's respondents"
            if pid in data.departments
            else "the respondent has no department",
        )
    for qid, by_person in data.answers.items():
        question = questions.get(qid)
        if question is None:
            bad(f"answers.{qid}", f"no such question in {q.id}")
            continue
        asked = [p for p in roles if not question.roles or roles[p] in question.roles]
        for pid, w in by_person.items():
            where = f"answers.{qid}.{pid}"
            if pid not in roles:
                bad(where, "not one of the demo's respondents")
            elif pid not in asked:
                bad(where, f"the question is not asked of role {roles[pid]}")
            if question.type == "text":
                if w.text is None or w.value is not None or w.comment or w.evidence:
                    bad(where, "a free-text question takes `text` only")
            elif w.text is not None:
                bad(f"{where}.text", "only free-text questions take `text`")
            elif w.value is None and w.comment is None and not w.evidence:
                bad(where, "writes nothing")
            for i, doc in enumerate(w.evidence):
                if doc not in data.documents:
                    bad(f"{where}.evidence[{i}]", f"no such document: {doc}")
        if question.type == "text":
            for pid in asked:
                if pid not in by_person:
                    bad(f"answers.{qid}", f"{pid} is asked this free-text question: no answer")
    for x in q.questions:
        if x.type == "text" and x.id not in data.answers:
            bad("answers", f"free-text question {x.id} has no answers")
    return problems


@cache
def _load(path: Path) -> DemoAnswers:
    return validate_as(DemoAnswers, load_data(path), path)


def load_demo_answers(roles: Mapping[str, str], path: Path = PATH) -> DemoAnswers:
    """The demo answers, read once and checked against the questionnaire and the demo's
    respondents (`roles`: respondent id → role); a located InputError when they do not fit."""
    data = _load(path)
    problems = check(data, roles, str(path))
    if problems:
        raise InputError(problems)
    return data
