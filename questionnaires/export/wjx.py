"""The questionnaire as 问卷星 (wjx.cn) import text: pasted into 创建问卷 → 文本导入.

No specification of wjx's text import was found (see docs/importing.md); this follows the
form wjx's text-import page and its users describe: the survey title on the first line and
its description below, a blank line, then each question as a numbered title line ending in a
type marker — `[单选题]`, `[多选题]`, `[填空题]` — with its options on the following lines,
one per line, and a blank line between questions.

The role question (`您的角色`, the questionnaire's roles in order) comes first; questions list
their options in crmm's order with 不适用 last where allowed; a KPI's title
ends with its unit and range in brackets. wjx exports these as `N、title` columns, answers
as option texts or option numbers (1 = the first option), which `crmm import` reads with no
mapping.
"""

from __future__ import annotations

from frameworks.model import Framework
from frameworks.text import Lang
from questionnaires.model import Question, Questionnaire

from .form import kpi_range, paren, sections
from .labels import label
from .survey import ROLE_TEXT, answer_list, one_line, option_texts

MARKERS = {
    "anchored": "[单选题]",
    "likert": "[单选题]",
    "yes_partly_no": "[单选题]",
    "single_choice": "[单选题]",
    "multiple_choice": "[多选题]",
    "kpi": "[填空题]",
    "text": "[填空题]",
}


def _title(x: Question, lang: Lang) -> str:
    """The question text; a KPI's ends with its unit and range in brackets."""
    text = one_line(x.text.get(lang))
    if x.type == "kpi":
        assert x.kpi is not None
        parts = [label(lang, "type_kpi", unit=x.kpi.unit.get(lang)), kpi_range(x, lang)]
        text += paren(("\uff0c" if lang == "zh-CN" else ", ").join(p for p in parts if p), lang)
    return text


def _options(x: Question, lang: Lang) -> list[str]:
    if x.type == "multiple_choice":
        return [one_line(t) for t in option_texts(x, lang)]
    return [one_line(a.text) for a in answer_list(x, lang)]


def questionnaire_wjx(q: Questionnaire, fw: Framework, lang: Lang, role: str | None = None) -> str:
    """wjx import text of the questions for `role` (or all, after a role question) in `lang`."""
    title = one_line(q.name.get(lang))
    if role is not None:
        title += f" \u2014 {one_line(q.role_by_id[role].name.get(lang))}"
    blocks = [[title, one_line(q.description.get(lang))]]
    if role is None:
        roles = [one_line(r.name.get(lang)) for r in q.roles]
        blocks.append([f"1. {ROLE_TEXT.get(lang)}{MARKERS['single_choice']}", *roles])
    for section in sections(q, fw, lang, role):
        for fq in section.questions:
            x = fq.question
            n = len(blocks)
            blocks.append([f"{n}. {_title(x, lang)}{MARKERS[x.type]}", *_options(x, lang)])
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"
