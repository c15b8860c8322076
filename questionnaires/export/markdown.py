"""The questionnaire as a Markdown answer form: task-list boxes and blank lines to fill in."""

from __future__ import annotations

import re

from frameworks.model import Framework
from frameworks.text import Lang
from questionnaires.model import Questionnaire
from questionnaires.types import NA

from .form import FormQuestion, na_choice, paper_instructions, sections
from .labels import label

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#~!]|&(?=#?\w+;))")
BLANK = "\\_" * 24


def md(text: str) -> str:
    """Text safe inside Markdown: special characters escaped, on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _colon(lang: Lang) -> str:
    return "\uff1a" if lang == "zh-CN" else ":"


def _question(fq: FormQuestion, lang: Lang) -> list[str]:
    q = fq.question
    out = [f"### {md(q.id)} \u2014 {md(q.text.get(lang))}", ""]
    if q.help is not None:
        out += [f"*{md(q.help.get(lang))}*", ""]
    if fq.roles:
        out += [md(fq.roles), ""]
    out += [md(fq.hint), ""]
    if q.type == "kpi":
        assert q.kpi is not None
        out.append(
            f"- {md(label(lang, 'value_line'))}{_colon(lang)} {BLANK} {md(q.kpi.unit.get(lang))}"
        )
    elif q.type == "text":
        out.append(f"- {md(label(lang, 'answer'))}{_colon(lang)} {BLANK}{BLANK}")
    for c in ([] if q.type == "kpi" else fq.choices) + ([na_choice(lang)] if fq.allow_na else []):
        key = "" if q.type == "yes_partly_no" or c.value == NA else f"**{md(c.key)}** "
        out.append(f"- [ ] {key}{md(c.text)}")
    out += [
        "",
        f"{md(label(lang, 'comment_line'))}{_colon(lang)} {BLANK}{BLANK}  ",
        f"{md(label(lang, 'evidence_line'))}{_colon(lang)} {BLANK}{BLANK}",
        "",
    ]
    return out


def questionnaire_markdown(
    q: Questionnaire, fw: Framework, lang: Lang, role: str | None = None
) -> str:
    """A Markdown answer form (questions for `role`, or all) in `lang`."""
    secs = sections(q, fw, lang, role, paper=True)
    sub = f"{q.id} {label(lang, 'version')} {q.version} \u00b7 " + label(
        lang, "minutes", n=q.estimated_minutes
    )
    out = [
        f"# {md(q.name.get(lang))} \u2014 {md(label(lang, 'form'))}",
        "",
        md(sub),
        "",
        md(q.description.get(lang)),
        "",
        f"## {md(label(lang, 'profile'))}",
        "",
    ]
    for key in ("org_name", "industry", "size", "region", "date", "respondent", "department"):
        out.append(f"- {md(label(lang, key))}{_colon(lang)} {BLANK}")
    roles = " ".join(f"\\[ \\] {md(r.name.get(lang))}" for r in q.roles)
    out += [f"- {md(label(lang, 'role'))}{_colon(lang)} {roles}", ""]
    out += [f"## {md(label(lang, 'instructions'))}", ""]
    keys = paper_instructions(secs)
    out += [f"{n}. {md(label(lang, k))}" for n, k in enumerate(keys, start=1)] + [""]
    for n, section in enumerate(secs, start=1):
        out += [f"## {n}. {md(section.title)}", ""]
        for fq in section.questions:
            out += _question(fq, lang)
    return "\n".join(out).rstrip("\n") + "\n"
