"""The questionnaire as a LimeSurvey survey structure file (tab-separated `.txt`, imported with
"Create survey → Import"), in both product languages.

The format is LimeSurvey's own TSV survey structure: a heading row of column names, then one
row per survey setting (`S`), survey language setting (`SL`), question group (`G`), question
(`Q`), sub-question (`SQ`) and answer option (`A`), one block of groups and questions per
language. LimeSurvey's importer (`TSVImportSurvey` in application/helpers/admin/
import_helper.php) matches a group across languages by its `type/scale` (the group order),
a question by its group and code, a sub-question by its question, scale and code; answer
options follow their question and are numbered in file order. Question attributes are read
from further columns of a `Q` row (here `min_num_value_n` / `max_num_value_n` of numerical
questions and `exclude_all_others` of multiple choice, written in the first language only, as
LimeSurvey's own export does).

Question types: anchored, likert, yes/partly/no and single choice are list (radio) questions
`L` with answer codes A1..An in crmm's order and "not applicable" last where allowed;
multiple choice is `M` with sub-questions SQ001.. (N/A last where allowed, excluding the
others: `exclude_all_others`); a KPI is numerical input `N` with its
range; free text is long free text `T`. The role question `ROLE` (a list of the roles) comes
first, and questions for some roles only are shown to those roles (relevance
`ROLE.NAOK == 'A1' or ...`).
"""

from __future__ import annotations

import csv
import html
import io

from frameworks.model import Framework
from frameworks.text import Lang
from questionnaires.model import Question, Questionnaire

from .form import sections, type_hint
from .labels import label
from .survey import ROLE_CODE, ROLE_TEXT, answer_list, check_codes, one_line, option_texts

LANGUAGE_CODES: dict[Lang, str] = {"zh-CN": "zh-Hans", "en": "en"}  # LimeSurvey's codes
COLUMNS = (
    "class",
    "type/scale",
    "name",
    "relevance",
    "text",
    "help",
    "language",
    "validation",
    "mandatory",
    "other",
    "default",
    "same_default",
    "min_num_value_n",
    "max_num_value_n",
    "exclude_all_others",
)
TYPES = {
    "anchored": "L",
    "likert": "L",
    "yes_partly_no": "L",
    "single_choice": "L",
    "multiple_choice": "M",
    "kpi": "N",
    "text": "T",
}

Row = dict[str, str]


def _html(text: str) -> str:
    """LimeSurvey shows texts as HTML: one line, `&`, `<` and `>` escaped."""
    return html.escape(one_line(text), quote=False)


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def _question(x: Question, code: str, relevance: str, lang: Lang, first: bool) -> list[Row]:
    lscode = LANGUAGE_CODES[lang]
    helps = [x.help.get(lang)] if x.help is not None else []
    if x.type in ("kpi", "multiple_choice"):
        helps.append(type_hint(x, lang, paper=True))
    row: Row = {
        "class": "Q",
        "type/scale": TYPES[x.type],
        "name": code,
        "relevance": relevance,
        "text": _html(x.text.get(lang)),
        "help": _html(" ".join(helps)),
        "language": lscode,
        "mandatory": "N",
        "other": "N",
        "same_default": "0",
    }
    if x.type == "kpi" and first:
        assert x.kpi is not None
        row["min_num_value_n"] = _num(x.kpi.minimum)
        row["max_num_value_n"] = _num(x.kpi.maximum)
    rows = [row]
    if x.type == "multiple_choice":
        texts = option_texts(x, lang)
        for i, text in enumerate(texts, start=1):
            rows.append(_sub("SQ", f"SQ{i:03d}", text, lscode))
        if x.allow_na and first:  # N/A excludes the other options
            row["exclude_all_others"] = f"SQ{len(texts):03d}"
    for a in answer_list(x, lang):
        rows.append(_sub("A", f"A{a.position}", a.text, lscode))
    return rows


def _sub(kind: str, name: str, text: str, lscode: str) -> Row:
    return {"class": kind, "type/scale": "0", "name": name, "text": _html(text), "language": lscode}


def _relevance(x: Question, q: Questionnaire, role: str | None) -> str:
    """Show a question for some roles only to those roles (by their answer code)."""
    if role is not None or not x.roles:
        return "1"
    position = {r.id: i for i, r in enumerate(q.roles, start=1)}
    return " or ".join(f"{ROLE_CODE}.NAOK == 'A{position[r]}'" for r in x.roles)


def _language_block(
    q: Questionnaire,
    fw: Framework,
    lang: Lang,
    role: str | None,
    codes: dict[str, str],
    first: bool,
) -> list[Row]:
    lscode = LANGUAGE_CODES[lang]
    rows: list[Row] = []
    order = 0
    if role is None:  # the role question, in a group of its own
        order += 1
        rows.append(
            {
                "class": "G",
                "type/scale": str(order),
                "name": label(lang, "role"),
                "language": lscode,
            }
        )
        rows.append(
            {
                "class": "Q",
                "type/scale": "L",
                "name": ROLE_CODE,
                "relevance": "1",
                "text": _html(ROLE_TEXT.get(lang)),
                "language": lscode,
                "mandatory": "Y",
                "other": "N",
                "same_default": "0",
            }
        )
        for i, r in enumerate(q.roles, start=1):
            rows.append(_sub("A", f"A{i}", r.name.get(lang), lscode))
    for section in sections(q, fw, lang, role):
        order += 1
        rows.append(
            {
                "class": "G",
                "type/scale": str(order),
                "name": one_line(section.title),  # a plain name, not HTML
                "language": lscode,
            }
        )
        for fq in section.questions:
            x = fq.question
            rows += _question(x, codes[x.id], _relevance(x, q, role), lang, first)
    return rows


def questionnaire_limesurvey(
    q: Questionnaire, fw: Framework, lang: Lang, role: str | None = None
) -> str:
    """A LimeSurvey TSV survey structure of the questions for `role` (or all, with a role
    question), `lang` as the base language and the other product language added."""
    codes = check_codes(q, q.id)
    langs: list[Lang] = [lang, *(x for x in LANGUAGE_CODES if x != lang)]
    rows: list[Row] = [
        {"class": "S", "name": "language", "text": LANGUAGE_CODES[lang]},
        {
            "class": "S",
            "name": "additional_languages",
            "text": " ".join(LANGUAGE_CODES[x] for x in langs[1:]),
        },
        {"class": "S", "name": "format", "text": "G"},  # one page per group
    ]
    for x in langs:
        name = q.name.get(x)
        if role is not None:
            name += f" \u2014 {q.role_by_id[role].name.get(x)}"
        rows.append(
            {
                "class": "SL",
                "name": "surveyls_title",
                "text": _html(name),
                "language": LANGUAGE_CODES[x],
            }
        )
        rows.append(
            {
                "class": "SL",
                "name": "surveyls_description",
                "text": _html(q.description.get(x)),
                "language": LANGUAGE_CODES[x],
            }
        )
    for i, x in enumerate(langs):
        rows += _language_block(q, fw, x, role, codes, first=i == 0)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, COLUMNS, restval="", delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
