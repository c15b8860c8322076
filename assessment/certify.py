"""Award a certification level by the framework's published rules.

Every rule compares a published figure of the result (indices to 2 decimals, shares to 4)
with its minimum, exactly (both are decimals of those places); a figure exactly at the
minimum passes. Respondents are those who count (`RespondentSummary.counts`). A level is
awarded when its rules and those of every level below it hold, so the award never skips a
failed level. Each level also carries the rule that the scored, gated maturity level reaches
it: the award can never exceed the level scoring gives.
"""

from __future__ import annotations

from frameworks.model import CertificationLevel, EvidenceRule, Framework
from questionnaires.model import Questionnaire
from questionnaires.types import NA

from .certification import (
    CertificationLevelResult,
    CertificationResult,
    CertificationRule,
    RuleKind,
)
from .responses import Responses
from .result import AssessmentResult
from .rounding import half_up


def evidence_counts(resp: Responses, q: Questionnaire) -> tuple[int, int]:
    """(scored answers, those with at least one evidence reference); `na` is not scored,
    and an answer whose every reference is a rejected register item is not backed."""
    rejected = {e.id for e in resp.evidence_register if e.status == "rejected"}
    scored = with_evidence = 0
    for person in resp.respondents:
        for qid, ans in person.answers.items():
            question = q.question_by_id.get(qid)
            if question is None or not question.scored or ans.value == NA:
                continue
            scored += 1
            with_evidence += any(r not in rejected for r in ans.evidence)
    return scored, with_evidence


def certify(
    result: AssessmentResult,
    resp: Responses | None,
    q: Questionnaire,
    fw: Framework,
    *,
    evidence: tuple[int, int] | None = None,
) -> CertificationResult | None:
    """The certification verdict for a scored result, or None if the framework has no rules.

    The evidence share comes from `evidence` (scored answers, those with evidence) when
    given (`table_scoring.evidence_counts`), else it is counted in `resp`."""
    cert = fw.certification
    if cert is None:
        return None
    if evidence is None:
        assert resp is not None, "certify needs the responses or their evidence counts"
        evidence = evidence_counts(resp, q)
    scored, with_evidence = evidence
    share = half_up(with_evidence / scored, 4) if scored else 0.0
    respondents = sum(1 for p in result.respondents if p.counts)
    levels = [
        CertificationLevelResult(level=lv.level, passed=all(r.passed for r in rules), rules=rules)
        for lv in cert.levels
        for rules in [_rules(lv, result, fw, share, respondents)]
    ]
    awarded = None
    for lv in levels:
        if not lv.passed:
            break
        awarded = lv.level
    return CertificationResult(
        rules_version=cert.version,
        assessor=result.assessor,
        self_assessment=result.assessor is None,
        awarded=awarded,
        evidence_share=share,
        scored_answers=scored,
        answers_with_evidence=with_evidence,
        respondents=respondents,
        levels=levels,
    )


def _rule(
    level: int,
    kind: RuleKind,
    required: float,
    actual: float | None,
    subject: str | None = None,
    lowest: str | None = None,
    digits: int = 2,
) -> CertificationRule:
    passed = actual is not None and actual >= required
    shown = "none" if actual is None else f"{actual:.{digits}f}"
    return CertificationRule(
        id=f"L{level}.{kind}" + (f".{subject}" if subject else ""),
        level=level,
        kind=kind,
        subject=subject,
        lowest=lowest,
        required=required,
        actual=actual,
        passed=passed,
        check=f"{shown} {'≥' if passed else '<'} {required:.{digits}f}",
    )


def _rules(
    lv: CertificationLevel,
    result: AssessmentResult,
    fw: Framework,
    evidence_share: float,
    respondents: int,
) -> list[CertificationRule]:
    n = lv.level
    o = result.overall
    rules = [
        _rule(n, "maturity-level", n, o.level, digits=0),
        _rule(n, "overall-index", lv.min_overall_index, o.index),
    ]
    elements = {e.id: e for e in result.elements}
    own = [e.id for e in fw.elements if e.id in lv.element_minimums]
    # every element without its own minimum, but those with no applicable question
    # (whether they may be mostly not applicable is a rule of its own, below)
    others = [
        elements[e.id]
        for e in fw.elements
        if e.id not in lv.element_minimums and elements[e.id].status != "not-applicable"
    ]
    if others:
        # One rule for every element without its own minimum: the lowest one decides.
        weakest = min(others, key=lambda e: (e.index is not None, e.index or 0.0))
        rules.append(
            _rule(n, "element-index", lv.min_element_index, weakest.index, lowest=weakest.id)
        )
    for eid in own:
        rules.append(_rule(n, "element-index", lv.element_minimums[eid], elements[eid].index, eid))
    rules.append(_rule(n, "coverage", lv.min_coverage, o.coverage, digits=4))
    if not lv.allow_mostly_not_applicable:
        # "elements within their N/A limit ≥ all elements"; the first one over it is named
        over = [e.id for e in result.elements if e.mostly_not_applicable]
        within = len(result.elements) - len(over)
        rules.append(
            _rule(
                n,
                "applicable",
                len(result.elements),
                within,
                lowest=over[0] if over else None,
                digits=0,
            )
        )
    if lv.min_evidence_share > 0:
        rules.append(_rule(n, "evidence-share", lv.min_evidence_share, evidence_share, digits=4))
    criteria = {c.id: c for c in result.criteria}
    for rc in lv.required_criteria:
        found = criteria.get(rc.criterion)
        level = None if found is None else found.level
        rules.append(_rule(n, "criterion-level", rc.min_level, level, rc.criterion, digits=0))
    rules.append(_rule(n, "respondents", lv.min_respondents, respondents, digits=0))
    for role in lv.required_roles:
        count = sum(1 for p in result.respondents if p.role == role and p.counts)
        rules.append(_rule(n, "role", 1, count, role, digits=0))
    if lv.external_assessor:
        rules.append(_rule(n, "assessor", 1, 0 if result.assessor is None else 1, digits=0))
    if lv.accepted_evidence is not None:
        rules.append(_evidence_rule(n, lv.accepted_evidence, result))
    return rules


def _evidence_rule(n: int, rule: EvidenceRule, result: AssessmentResult) -> CertificationRule:
    """Every criterion at `min_level` or above has `min_items` accepted evidence items:
    "criteria with them ≥ criteria at that level", naming those without."""
    due = [c for c in result.criteria if c.level is not None and c.level >= rule.min_level]
    missing = [c.id for c in due if len(c.evidence) < rule.min_items]
    found = _rule(n, "accepted-evidence", len(due), len(due) - len(missing), digits=0)
    return found.model_copy(update={"lowest": missing[0] if missing else None, "missing": missing})
