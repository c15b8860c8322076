"""The certification verdict as a plain-text table for the terminal (zh-CN or en)."""

from __future__ import annotations

from frameworks.model import EvidenceRule, Framework
from frameworks.text import Lang, zh_typography
from questionnaires.model import Questionnaire

from .certification import CertificationResult, CertificationRule
from .result import AssessmentResult
from .rounding import half_up
from .table import render_table

HEAD = {
    "en": ("level", "rule", "required", "actual", "result"),
    "zh-CN": ("等级", "规则", "要求", "实际", "结果"),
}
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "maturity-level": "overall maturity level (after gating)",
        "overall-index": "overall maturity index",
        "element-index": "index of {subject}",
        "element-index-all": "index of every element (lowest: {lowest})",
        "coverage": "coverage",
        "applicable": "elements within their N/A limit",
        "applicable-over": "elements within their N/A limit (over: {lowest})",
        "evidence-share": "answers backed by evidence",
        "criterion-level": "level of criterion {subject}",
        "respondents": "respondents who count",
        "role": "respondents in role {subject}",
        "assessor": "named assessor",
        "accepted-evidence": "criteria at level ≥ {min_level} with ≥ {min_items} accepted"
        " evidence item(s)",
        "lacking": "Level {level}: criteria without enough accepted evidence: {criteria}",
        "pass": "pass",
        "fail": "FAIL",
        "none": "none",
        "awarded": "Certification level awarded: {level} {name}",
        "not_awarded": "No certification level awarded",
        "self": "Self-assessment — not an external certification",
        "assessed": "Assessed by {assessor}",
        "evidence": "Scored answers backed by evidence: {n} of {total}",
        "counted": "Respondents who count: {n} of {total}"
        " (a scored or N/A answer to a scored question)",
        "rules": "rules {version}",
        "sep": ", ",
    },
    "zh-CN": {
        "maturity-level": "总体成熟度等级(经木桶规则)",
        "overall-index": "总体成熟度指数",
        "element-index": "要素「{subject}」成熟度指数",
        "element-index-all": "每个要素的成熟度指数(最低:{lowest})",
        "coverage": "覆盖率",
        "applicable": "不适用占比未超上限的要素",
        "applicable-over": "不适用占比未超上限的要素(超出:{lowest})",
        "evidence-share": "有证据支持的答案占比",
        "criterion-level": "评估准则「{subject}」等级",
        "respondents": "计入的答卷人数",
        "role": "角色为「{subject}」的答卷人",
        "assessor": "具名评估师",
        "accepted-evidence": "达到 {min_level} 级且有至少 {min_items} 项已接受证据的评估准则",
        "lacking": "{level} 级:已接受证据不足的评估准则:{criteria}",
        "pass": "通过",
        "fail": "未通过",
        "none": "无",
        "awarded": "授予认证等级:{level} {name}",
        "not_awarded": "未授予认证等级",
        "self": "自评,并非外部认证",
        "assessed": "评估师:{assessor}",
        "evidence": "{total} 个已评分答案中 {n} 个附有证据",
        "counted": "{total} 位答卷人中 {n} 位计入(对评分题目至少有一个评分或不适用答案)",
        "rules": "认证规则版本 {version}",
        "sep": "，",
    },
}


def rule_text(rule: CertificationRule, fw: Framework, q: Questionnaire, lang: Lang) -> str:
    """What a rule asks, in words (names from the framework and the questionnaire)."""
    w = WORDS[lang]
    elements = {e.id: e.name.get(lang) for e in fw.elements}
    if rule.kind == "element-index" and rule.subject is None:
        lowest = rule.lowest or ""
        return _typeset(w["element-index-all"].format(lowest=elements.get(lowest, lowest)), lang)
    if rule.kind == "applicable" and rule.lowest is not None:
        over = elements.get(rule.lowest, rule.lowest)
        return _typeset(w["applicable-over"].format(lowest=over), lang)
    if rule.kind == "accepted-evidence":
        ask = evidence_rule(fw, rule.level)
        text = w[rule.kind].format(min_level=ask.min_level, min_items=ask.min_items)
        return _typeset(text, lang)
    subject = rule.subject or ""
    if rule.kind == "element-index":
        subject = elements.get(subject, subject)
    elif rule.kind == "criterion-level" and subject in fw.criteria:
        subject = fw.criteria[subject].name.get(lang)
    elif rule.kind == "role" and subject in q.role_by_id:
        subject = q.role_by_id[subject].name.get(lang)
    return _typeset(w[rule.kind].format(subject=subject), lang)


def evidence_rule(fw: Framework, level: int) -> EvidenceRule:
    """The accepted-evidence rule of a certification level of `fw`."""
    assert fw.certification is not None
    found = next(lv for lv in fw.certification.levels if lv.level == level).accepted_evidence
    assert found is not None
    return found


def lacking_lines(cert: CertificationResult, fw: Framework, lang: Lang) -> list[str]:
    """Per accepted-evidence rule that fails, the criteria that lack the evidence (names and
    ids), for the reader who has to go and find it."""
    w = WORDS[lang]
    lines = []
    for lv in cert.levels:
        for rule in lv.rules:
            if rule.kind == "accepted-evidence" and rule.missing:
                named = w["sep"].join(
                    f"{fw.criteria[c].name.get(lang)} ({c})" if c in fw.criteria else c
                    for c in rule.missing
                )
                lines.append(_typeset(w["lacking"].format(level=rule.level, criteria=named), lang))
    return lines


def _typeset(text: str, lang: Lang) -> str:
    return zh_typography(text) if lang == "zh-CN" else text


def figure(rule: CertificationRule, value: float | None) -> str:
    """A required or actual figure as people read it: index, percentage or count."""
    if value is None:
        return "-"
    if rule.kind == "assessor":
        return "✓"
    if rule.kind in ("coverage", "evidence-share"):
        percent = half_up(value * 100, 2)
        return f"{percent:.0f}%" if percent.is_integer() else f"{percent:.2f}%"
    if rule.kind in ("overall-index", "element-index"):
        return f"{value:.2f}"
    return f"{value:g}"


def actual_figure(rule: CertificationRule, assessor: str | None, none: str) -> str:
    """The figure found; for the assessor rule, the assessor's name."""
    if rule.kind == "assessor":
        return assessor or none
    return figure(rule, rule.actual) if rule.actual is not None else none


def certification_table(
    result: AssessmentResult,
    cert: CertificationResult,
    fw: Framework,
    q: Questionnaire,
    lang: Lang,
) -> str:
    w = WORDS[lang]
    rows: list[tuple[str, ...]] = [HEAD[lang]]
    for lv in cert.levels:
        for rule in lv.rules:
            rows.append(
                (
                    str(rule.level),
                    rule_text(rule, fw, q, lang),
                    figure(rule, rule.required),
                    actual_figure(rule, cert.assessor, w["none"]),
                    w["pass"] if rule.passed else w["fail"],
                )
            )
    if cert.awarded is None:
        verdict = w["not_awarded"]
    else:
        name = fw.levels[cert.awarded - 1].name.get(lang)
        verdict = w["awarded"].format(level=cert.awarded, name=name)
    who = w["self"] if cert.assessor is None else w["assessed"].format(assessor=cert.assessor)
    org = result.organization["name"]
    head = [
        f"{org} — {result.date} — {fw.name.get(lang)} {fw.version}"
        f"{w['sep']}{w['rules'].format(version=cert.rules_version)}",
        verdict,
        who,
        w["evidence"].format(n=cert.answers_with_evidence, total=cert.scored_answers),
        w["counted"].format(n=cert.respondents, total=len(result.respondents)),
    ]
    lines = [_typeset(line, lang) for line in head] + ["", *render_table(rows, right={2, 3})]
    lacking = lacking_lines(cert, fw, lang)
    if lacking:
        lines += ["", *lacking]
    return "\n".join(lines) + "\n"
