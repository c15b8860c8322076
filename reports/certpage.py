"""The certification page: the verdict and rules `assessment.certify` decided, localised.

Nothing is decided here; rule texts and figures are only put into words.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from assessment.certification import CertificationResult, CertificationRule
from assessment.certtable import figure

from .views import CertificationView, CertLevelView, CertRuleView, ReportContext

if TYPE_CHECKING:
    from .context import _Builder


def with_certification(ctx: ReportContext, b: _Builder) -> ReportContext:
    """The context with its certification page, when the result carries a verdict."""
    cert = ctx.result.certification
    if cert is None or b.fw.certification is None:
        return ctx
    return dataclasses.replace(ctx, certification=certification_view(cert, b))


def certification_view(cert: CertificationResult, b: _Builder) -> CertificationView:
    L = b.L
    awarded = b.level(cert.awarded)
    if awarded is None:
        verdict = L["cert.none_awarded"]
    else:
        verdict = L.fill("cert.awarded", level=awarded.label)
    if cert.assessor is None:
        marker, note = L["cert.self_assessment"], L["cert.self_assessment_note"]
    else:
        marker = L.fill("cert.assessed_by", assessor=cert.assessor)
        note = L["cert.assessed_note"]
    levels = tuple(
        CertLevelView(
            level=b.must_level(lv.level),
            passed=lv.passed,
            outcome=L["cert.level_passed"] if lv.passed else L["cert.level_failed"],
            rules=tuple(_rule(r, cert, b) for r in lv.rules),
        )
        for lv in cert.levels
    )
    assert b.fw.certification is not None
    return CertificationView(
        awarded=awarded,
        verdict=verdict,
        self_assessment=cert.self_assessment,
        marker=marker,
        marker_note=note,
        rules_version=cert.rules_version,
        description=b.t(b.fw.certification.description),
        evidence=L.fill("cert.evidence", n=cert.answers_with_evidence, total=cert.scored_answers)
        + ("" if b.lang == "zh-CN" else " ")
        + L.fill("cert.counted", n=cert.respondents, total=len(b.r.respondents)),
        levels=levels,
        headline=_headline(levels, cert.awarded),
    )


def _headline(levels: tuple[CertLevelView, ...], awarded: int | None) -> tuple[CertLevelView, ...]:
    """The awarded level (what was met) and the next one up (what is missing for it); the
    lowest level when none was awarded."""
    if awarded is None:
        return levels[:1]
    return tuple(lv for lv in levels if awarded <= lv.level.number <= awarded + 1)


def _rule(rule: CertificationRule, cert: CertificationResult, b: _Builder) -> CertRuleView:
    L = b.L
    subject = rule.subject or ""
    if rule.kind == "element-index" and rule.subject is None:
        lowest = b.fw.element_by_id.get(rule.lowest or "")
        text = L.fill("cert.rule.element-index-all", lowest=b.t(lowest.name) if lowest else "")
    elif rule.kind == "applicable" and rule.lowest is not None:
        over = b.fw.element_by_id.get(rule.lowest)
        text = L.fill("cert.rule.applicable-over", lowest=b.t(over.name) if over else rule.lowest)
    else:
        if rule.kind == "element-index" and subject in b.fw.element_by_id:
            subject = b.t(b.fw.element_by_id[subject].name)
        elif rule.kind == "criterion-level" and subject in b.fw.criteria:
            subject = b.t(b.fw.criteria[subject].name)
        elif rule.kind == "role":
            subject = b.role(subject)
        text = L.fill(f"cert.rule.{rule.kind}", subject=subject)
    if rule.kind == "assessor":
        required, actual = L["cert.named"], cert.assessor or L["misc.none"]
    else:
        required = figure(rule, rule.required)
        actual = figure(rule, rule.actual) if rule.actual is not None else L["misc.none"]
    return CertRuleView(
        id=rule.id,
        text=text,
        required=required,
        actual=actual,
        passed=rule.passed,
        outcome=L["cert.pass"] if rule.passed else L["cert.fail"],
    )
