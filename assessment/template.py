"""A blank responses file for a questionnaire, each question a readable comment."""

from __future__ import annotations

import datetime as dt
import textwrap

from frameworks.model import Framework
from frameworks.text import Lang, zh_typography
from questionnaires.model import Question, Questionnaire
from questionnaires.types import allowed_values

HEADER = {
    "zh-CN": [
        "crmm 答卷文件 —— 问卷 {qid} {qver}\uff08{qname}\uff09",
        "在每道题的冒号后填写答案\uff1b留空表示未作答\uff1b写 na 表示不适用"
        "\uff08仅限允许不适用的题目\uff09。",
        "可以写成 `题号: 值`\uff0c也可以写成\n"
        "# `题号: {{value: 值, comment: 说明, evidence: [证据文件]}}`。",
        "每位答卷人复制一份 respondents 条目\uff1b检查文件\uff1acrmm validate {{本文件}}",
    ],
    "en": [
        "crmm responses file — questionnaire {qid} {qver} ({qname})",
        "Write each answer after the colon; leave it empty to skip; write na for not applicable"
        " (where allowed).",
        "Write `question: value`, or `question: {{value: v, comment: why, evidence: [files]}}`.",
        "Copy the respondents entry once per respondent; check the file: crmm validate <this file>",
    ],
}
LABELS = {
    "zh-CN": {
        "org": "被评估组织",
        "name": "组织名称",
        "industry": "行业,例如 retail、banking、manufacturing",
        "size": "规模,例如 micro、small、medium、large、enterprise",
        "region": "地区,例如 east-china、north-china、south-china",
        "date": "评估日期",
        "assessor": "评估师(自评时留空)",
        "role": "角色",
        "dept": "部门",
        "help": "说明",
        "values": "可填写",
        "na_no": "(不可填 na)",
        "weight": "权重",
        "roles": "适用角色",
        "all": "全部",
    },
    "en": {
        "org": "assessed organisation",
        "name": "organisation name",
        "industry": "industry, e.g. retail, banking, manufacturing",
        "size": "size band, e.g. micro, small, medium, large, enterprise",
        "region": "region, e.g. east-china, north-china, south-china",
        "date": "assessment date",
        "assessor": "assessor (empty for a self-assessment)",
        "role": "role",
        "dept": "department",
        "help": "help",
        "values": "allowed values",
        "na_no": "(na not allowed)",
        "weight": "weight",
        "roles": "for roles",
        "all": "all",
    },
}


LABELS["zh-CN"] = {k: zh_typography(v) for k, v in LABELS["zh-CN"].items()}


def _wrap(text: str, indent: str, width: int = 96) -> list[str]:
    lines = textwrap.wrap(" ".join(text.split()), width=width, break_long_words=True)
    return [f"{indent}# {line}".rstrip() for line in lines] or [f"{indent}#"]


def _question_block(q: Question, lang: Lang, indent: str) -> list[str]:
    lab = LABELS[lang]
    roles = ", ".join(q.roles) if q.roles else lab["all"]
    out = [f"{indent}#", *_wrap(f"[{q.id}] {q.text.get(lang)}", indent)]
    if q.help is not None:
        out += _wrap(f"{lab['help']}: {q.help.get(lang)}", indent + "  ")
    out.append(
        f"{indent}#   {lab['weight']} {q.weight:g}; {lab['roles']}: {roles}"
        + ("" if q.allow_na else f" {lab['na_no']}")
    )
    out.append(f"{indent}#   {lab['values']}:")
    for value, label in allowed_values(q, lang):
        out += _wrap(f"  {value} = {label}" if label else f"  {value}", indent + "  ")
    out.append(f"{indent}{q.id}:")
    return out


def responses_template(
    q: Questionnaire,
    fw: Framework,
    lang: Lang,
    role: str | None = None,
    today: dt.date | None = None,
) -> str:
    """YAML text of a blank responses file; questions ordered by element as in the framework."""
    lab = LABELS[lang]
    fmt = {"qid": q.id, "qver": q.version, "qname": q.name.get(lang)}
    lines = [f"# {h.format(**fmt)}" for h in HEADER[lang]]
    first_role = role or q.roles[0].id
    role_list = ", ".join(r.id for r in q.roles)
    lines += [
        "type: responses",
        f"questionnaire: {{id: {q.id}, version: {q.version}}}",
        f"organization:   # {lab['org']}",
        f"  name:         # {lab['name']}",
        f"  industry:     # {lab['industry']}",
        f"  size:         # {lab['size']}",
        f"  region:       # {lab['region']}",
        f"date: {(today or dt.date.today()).isoformat()}   # {lab['date']}",
        f"assessor:       # {lab['assessor']}",
        "respondents:",
        "  - id: r1",
        f"    role: {first_role}   # {lab['role']}: {role_list}",
        f"    department:   # {lab['dept']}",
        "    answers:",
    ]
    order = {c: i for i, c in enumerate(fw.criteria)}
    questions = [x for x in q.questions if role is None or not x.roles or role in x.roles]
    questions.sort(key=lambda x: order[x.criterion])
    current = None
    for question in questions:
        element = fw.element_of[question.criterion]
        if element.id != current:
            current = element.id
            title = element.name.get(lang)
            lines += ["", f"      # ══ {title} ══"]
        lines += _question_block(question, lang, "      ")
    return "\n".join(lines) + "\n"
