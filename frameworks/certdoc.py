"""The published certification rules of a framework as a Markdown table (for docs and CLI)."""

from __future__ import annotations

from .model import CertificationLevel, Framework


def _pct(x: float) -> str:
    return f"{x * 100:g} %"


def _elements(lv: CertificationLevel, fw: Framework) -> str:
    text = f"every element ≥ {lv.min_element_index:.2f}"
    for eid, v in lv.element_minimums.items():
        text += f"; {fw.element_by_id[eid].name} ≥ {v:.2f}"
    return text


def _accepted(lv: CertificationLevel) -> str:
    rule = lv.accepted_evidence
    if rule is None:
        return "–"
    items = "1 accepted item" if rule.min_items == 1 else f"{rule.min_items} accepted items"
    return f"every criterion at level ≥ {rule.min_level}: ≥ {items}"


def rules_markdown(fw: Framework) -> str:
    """One column per certification level, one row per rule type."""
    cert = fw.certification
    if cert is None:
        return f"{fw.id} {fw.version} publishes no certification rules.\n"
    levels = cert.levels
    rows: list[tuple[str, list[str]]] = [
        ("level name", [str(fw.levels[lv.level - 1].name) for lv in levels]),
        ("overall maturity level (after gating)", [f"≥ {lv.level}" for lv in levels]),
        ("overall maturity index", [f"≥ {lv.min_overall_index:.2f}" for lv in levels]),
        ("element indices", [_elements(lv, fw) for lv in levels]),
        ("coverage", [f"≥ {_pct(lv.min_coverage)}" for lv in levels]),
        (
            "answers backed by evidence",
            [f"≥ {_pct(lv.min_evidence_share)}" if lv.min_evidence_share else "–" for lv in levels],
        ),
        (
            "required criteria (minimum level)",
            [
                "; ".join(
                    f"{fw.criteria[rc.criterion].name} (`{rc.criterion}`) ≥ {rc.min_level}"
                    for rc in lv.required_criteria
                )
                or "–"
                for lv in levels
            ],
        ),
        (
            "elements mostly not applicable",
            ["allowed" if lv.allow_mostly_not_applicable else "none" for lv in levels],
        ),
        ("respondents who count", [f"≥ {lv.min_respondents}" for lv in levels]),
        ("required roles", [", ".join(lv.required_roles) or "–" for lv in levels]),
        ("named external assessor", ["required" if lv.external_assessor else "–" for lv in levels]),
        ("criteria backed by accepted evidence", [_accepted(lv) for lv in levels]),
    ]
    head = "| rule | " + " | ".join(f"level {lv.level}" for lv in levels) + " |"
    sep = "|---|" + "---|" * len(levels)
    lines = [
        f"Certification rules {cert.version} of {fw.id} {fw.version}:",
        "",
        head,
        sep,
        *("| " + name + " | " + " | ".join(cells) + " |" for name, cells in rows),
    ]
    return "\n".join(lines) + "\n"
