"""What every exported form shows: questions grouped by element, each with its choices.

The spreadsheet, HTML, Markdown and PDF forms and the workbook importer share these
functions, so that what a form offers is exactly what an import accepts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from frameworks.model import Element, Framework
from frameworks.text import Lang
from questionnaires.model import Question, Questionnaire
from questionnaires.types import LIKERT_LABELS, NA, NA_LABEL, YPN_LABELS

from .labels import label

DROPDOWN_CHARS = 90  # longer anchor texts are shortened in a drop-down list (column C has all)


@dataclass(frozen=True)
class Choice:
    """One answer a respondent may pick: its canonical value, number or key, and text."""

    value: Any  # 1..5, "yes" / "partly" / "no", an option id, or "na"
    key: str  # what is written for it: "1".."5", an option number, the yes/partly/no label
    text: str


@dataclass(frozen=True)
class FormQuestion:
    question: Question
    hint: str  # the answer-type line: "Choose the level (1-5) that fits best:" ...
    choices: list[Choice]  # without N/A
    allow_na: bool
    roles: str | None  # "Only for: Leadership, Sales", or None for every role


@dataclass(frozen=True)
class Section:
    element: Element
    title: str
    questions: list[FormQuestion]


def choices(q: Question, lang: Lang) -> list[Choice]:
    """The choices of a closed question in `lang` (N/A excluded); empty for KPI and text."""
    if q.type == "anchored":
        assert q.anchors is not None
        return [Choice(i, str(i), a.get(lang)) for i, a in enumerate(q.anchors, start=1)]
    if q.type == "likert":
        return [Choice(i, str(i), t.get(lang)) for i, t in enumerate(LIKERT_LABELS, start=1)]
    if q.type == "yes_partly_no":
        return [Choice(k, t.get(lang), t.get(lang)) for k, t in YPN_LABELS.items()]
    if q.type in ("single_choice", "multiple_choice"):
        assert q.options is not None
        return [Choice(o.id, str(i), o.text.get(lang)) for i, o in enumerate(q.options, 1)]
    return []


def na_choice(lang: Lang) -> Choice:
    return Choice(NA, "N/A", NA_LABEL.get(lang))


def dropdown_text(q: Question, c: Choice) -> str:
    """How a choice reads in a spreadsheet drop-down list."""
    if c.value == NA:
        return f"N/A \u2013 {c.text}"
    if q.type in ("anchored", "likert"):
        text = c.text if len(c.text) <= DROPDOWN_CHARS else c.text[: DROPDOWN_CHARS - 1] + "\u2026"
        return f"{c.key} \u2013 {text}"
    return c.text


def dropdown(q: Question, lang: Lang) -> list[tuple[Any, str]]:
    """(canonical value, drop-down text) of a question with a list; empty when it has none."""
    if q.type not in ("anchored", "likert", "yes_partly_no", "single_choice"):
        return []
    items = choices(q, lang) + ([na_choice(lang)] if q.allow_na else [])
    return [(c.value, dropdown_text(q, c)) for c in items]


def paren(text: str, lang: Lang) -> str:
    """` (text)`, or `（text）` in Chinese."""
    return f"\uff08{text}\uff09" if lang == "zh-CN" else f" ({text})"


def _num(x: float) -> str:
    return f"{x:g}"


def kpi_range(q: Question, lang: Lang) -> str:
    """`from 0 to 365`, `at least 0`, or empty."""
    assert q.kpi is not None
    lo, hi = q.kpi.minimum, q.kpi.maximum
    if lo is not None and hi is not None:
        return label(lang, "range", lo=_num(lo), hi=_num(hi))
    if lo is not None:
        return label(lang, "at_least", lo=_num(lo))
    if hi is not None:
        return label(lang, "at_most", hi=_num(hi))
    return ""


def type_hint(q: Question, lang: Lang, paper: bool = False) -> str:
    """The line that says how to answer a question."""
    if q.type == "kpi":
        assert q.kpi is not None
        hint = label(lang, "type_kpi", unit=q.kpi.unit.get(lang))
        rng = kpi_range(q, lang)
        return hint + paren(rng, lang) if rng else hint
    if q.type == "multiple_choice" and paper:
        return label(lang, "type_multiple_choice_paper")
    return label(lang, f"type_{q.type}")


def form_question(
    q: Question, questionnaire: Questionnaire, lang: Lang, paper: bool
) -> FormQuestion:
    roles = None
    if q.roles:
        names = [questionnaire.role_by_id[r].name.get(lang) for r in q.roles]
        roles = label(lang, "for_roles", roles=", ".join(names))
    return FormQuestion(q, type_hint(q, lang, paper), choices(q, lang), q.allow_na, roles)


def sections(
    questionnaire: Questionnaire,
    fw: Framework,
    lang: Lang,
    role: str | None = None,
    paper: bool = False,
) -> list[Section]:
    """The questions (those for `role`, or all) grouped by element in framework order."""
    order = {c: i for i, c in enumerate(fw.criteria)}
    picked = [x for x in questionnaire.questions if role is None or not x.roles or role in x.roles]
    picked.sort(key=lambda x: order[x.criterion])
    out: list[Section] = []
    for question in picked:
        element = fw.element_of[question.criterion]
        if not out or out[-1].element.id != element.id:
            out.append(Section(element, element.name.get(lang), []))
        out[-1].questions.append(form_question(question, questionnaire, lang, paper))
    return out


def paper_instructions(sections_: list[Section]) -> list[str]:
    """Label keys of a paper form's instructions: what to do, then how to answer each
    question type the form has, then N/A and comments."""
    types = {fq.question.type for s in sections_ for fq in s.questions}
    keys = ["who", "how"]
    keys += [k for k in ("anchored", "likert") if k in types]
    keys += ["ypn"] if "yes_partly_no" in types else []
    keys += ["kpi"] if "kpi" in types else []
    keys += ["choice_paper"] if types & {"single_choice", "multiple_choice"} else []
    return [*keys, "na", "comment"]
