"""Plain-text tables for the terminal, aware of double-width CJK characters."""

from __future__ import annotations

import unicodedata

from frameworks.model import Framework
from frameworks.text import Lang

from .result import AssessmentResult
from .rounding import half_up

HEAD = {
    "en": ("element", "weight", "coverage", "score", "index", "level"),
    "zh-CN": ("要素", "权重", "覆盖率", "得分", "成熟度指数", "等级"),
}
WORDS = {
    "en": {
        "overall": "overall",
        "insufficient": "insufficient evidence",
        "not-applicable": "not applicable",
        "mostly_na": "mostly N/A",
        "gated": "capped by gating",
        "recs": "top recommendations",
        "target": "target level",
        "none": "-",
        "cert": "certification (rules {rules}, {who}): {verdict}; the rules: crmm certify",
        "self": "self-assessment",
        "assessor": "assessed by {name}",
        "awarded": "level {n} {name} awarded",
        "not_awarded": "no level awarded",
    },
    "zh-CN": {
        "overall": "总体",
        "insufficient": "证据不足",
        "not-applicable": "不适用",
        "mostly_na": "大部分不适用",
        "gated": "受木桶规则限制",
        "recs": "优先改进建议",
        "target": "目标等级",
        "none": "-",
        "cert": "认证（规则 {rules}，{who}）：{verdict}；各项规则见 crmm certify",
        "self": "自评",
        "assessor": "评估师：{name}",
        "awarded": "授予 {n} 级（{name}）",
        "not_awarded": "未授予任何等级",
    },
}


def width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def pad(s: str, n: int, right: bool = False) -> str:
    fill = " " * max(0, n - width(s))
    return fill + s if right else s + fill


def render_table(rows: list[tuple[str, ...]], right: set[int]) -> list[str]:
    widths = [max(width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(pad(c, widths[i], i in right) for i, c in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def score_table(result: AssessmentResult, fw: Framework, lang: Lang, top: int = 5) -> str:
    w = WORDS[lang]
    rows: list[tuple[str, ...]] = [HEAD[lang]]

    def level_name(level: int | None) -> str:
        return f"{level} {fw.levels[level - 1].name.get(lang)}" if level else w["none"]

    def share(x: float | None) -> str:
        return w["none"] if x is None else f"{half_up(x * 100, 0):.0f}%"

    for e in result.elements:
        name = fw.element_by_id[e.id].name.get(lang)
        if e.mostly_not_applicable:
            name += f" ({w['mostly_na']})"
        if e.status != "scored":
            rows.append((name, f"{e.weight:g}", share(e.coverage), w[e.status], "", ""))
        else:
            rows.append(
                (
                    name,
                    f"{e.weight:g}",
                    share(e.coverage),
                    f"{e.score:.2f}",
                    f"{e.index:.2f}",
                    level_name(e.level),
                )
            )
    o = result.overall
    gated = f" ({w['gated']})" if o.gating and o.gating.applied else ""
    rows.append(
        (
            w["overall"],
            "",
            share(o.coverage),
            f"{o.score:.2f}" if o.score is not None else w["none"],
            f"{o.index:.2f}" if o.index is not None else "",
            level_name(o.level) + gated,
        )
    )
    org = result.organization["name"]
    lines = [f"{org} — {result.date} — {fw.name.get(lang)} {fw.version}", ""]
    lines += render_table(rows, right={1, 2, 3, 4})
    cert = result.certification
    if cert is not None:
        who = w["self"] if cert.self_assessment else w["assessor"].format(name=cert.assessor)
        verdict = (
            w["awarded"].format(n=cert.awarded, name=fw.levels[cert.awarded - 1].name.get(lang))
            if cert.awarded
            else w["not_awarded"]
        )
        lines += ["", w["cert"].format(rules=cert.rules_version, who=who, verdict=verdict)]
    if result.benchmark is not None:
        lines += ["", *peer_lines(result, fw, lang)]
    recs = result.recommendations
    if recs.items:
        lines += ["", f"{w['recs']} ({w['target']} {recs.target_level}):"]
        for item in recs.items[:top]:
            crit = fw.criteria[item.criterion].name.get(lang)
            lines.append(
                f"  {item.priority:.2f}  {crit}: {item.current_level} → {item.target_level}"
            )
    return "\n".join(lines) + "\n"


PEER_WORDS = {
    "en": ("peer benchmark", "group", "all", "peer median", "p25–p75", "percentile"),
    "zh-CN": ("同业基准", "对比组", "全部组织", "同业中位数", "四分位区间", "百分位"),
}


NOISE = {
    "en": "differentially private (ε = {eps:g}, {spent:g} over all releases): figures are"
    " approximate",
    "zh-CN": "差分隐私(ε = {eps:g},全部发布累计 {spent:g}):数字为近似值",
}


def peer_lines(result: AssessmentResult, fw: Framework, lang: Lang) -> list[str]:
    """The benchmark comparison: the group used, then score, peer median, quartiles, percentile."""
    b = result.benchmark
    assert b is not None
    title, group, everybody, median, band, pct = PEER_WORDS[lang]
    key = ", ".join(f"{k}={v}" for k, v in b.group.items()) or everybody
    lines = [
        f"{title} {b.id} {b.version} ({b.label.get(lang)}): {group} {key}, n ≈ {b.n}",
        NOISE[lang].format(eps=b.privacy.epsilon, spent=b.privacy.epsilon_spent),
        "",
    ]
    rows: list[tuple[str, ...]] = [(HEAD[lang][0], HEAD[lang][3], median, band, pct)]
    names = {e.id: e.name.get(lang) for e in fw.elements}
    for fig in [*b.elements, b.overall]:
        p = fig.peers
        rows.append(
            (
                names.get(fig.id, WORDS[lang]["overall"]),
                f"{fig.score:.2f}" if fig.score is not None else WORDS[lang]["none"],
                f"{p.median:.2f}",
                f"{p.p25:.2f}–{p.p75:.2f}",
                fig.shown if fig.shown is not None else WORDS[lang]["none"],
            )
        )
    return lines + render_table(rows, right={1, 2, 3, 4})
