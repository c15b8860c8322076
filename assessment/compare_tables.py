"""A comparison as a terminal table and as sheets for CSV and XLSX, in either language.

`names` maps element and criterion ids to their names in the output language; ids without
a name are shown as they are.
"""

from __future__ import annotations

from collections.abc import Mapping

from frameworks.text import Lang
from frameworks.vocabulary import DIMENSIONS, Dimension, vocabulary

from .compare import Comparison, Delta, Entry, Step
from .table import render_table
from .tabular import Cell, Sheet

WORDS: dict[Lang, dict[str, str]] = {
    "en": {
        "kind": "kind",
        "id": "id",
        "name": "name",
        "element": "element",
        "criterion": "criterion",
        "overall": "overall",
        "delta": "change",
        "level": "level",
        "index": "index",
        "score": "score",
        "rank": "rank",
        "organization": "organisation",
        "industry": "industry",
        "size": "size",
        "region": "region",
        "date": "date",
        "framework": "framework",
        "version": "version",
        "source": "file",
        "recommended": "recommended",
        "acted_on": "acted on",
        "yes": "yes",
        "no": "no",
        "improved": "criteria improved",
        "declined": "criteria declined",
        "recs": "earlier recommendations acted on",
        "reached": "target reached",
        "left_out": "left out (not in every assessment)",
        "only_in": "only in",
        "progress": "progress",
        "ranking": "ranking",
        "heatmap": "heatmap",
        "none": "-",
    },
    "zh-CN": {
        "kind": "类别",
        "id": "编号",
        "name": "名称",
        "element": "要素",
        "criterion": "评估准则",
        "overall": "总体",
        "delta": "变化",
        "level": "等级",
        "index": "成熟度指数",
        "score": "得分",
        "rank": "排名",
        "organization": "组织",
        "industry": "行业",
        "size": "规模",
        "region": "地区",
        "date": "评估日期",
        "framework": "评估框架",
        "version": "版本",
        "source": "文件",
        "recommended": "曾建议改进",
        "acted_on": "已落实",
        "yes": "是",
        "no": "否",
        "improved": "提升的评估准则",
        "declined": "下降的评估准则",
        "recs": "上次改进建议的落实情况",
        "reached": "已达到目标等级",
        "left_out": "未参与比较(并非每次评估都有)",
        "only_in": "仅见于",
        "progress": "进展",
        "ranking": "排名",
        "heatmap": "热力图",
        "none": "-",
    },
}


def _num(x: float | None, sign: bool = False) -> str:
    if x is None:
        return "-"
    return f"{x:+.2f}" if sign else f"{x:.2f}"


def _lvl(before: int | None, after: int | None) -> str:
    return f"{before or '-'} → {after or '-'}"


def entry_label(e: Entry, mode: str) -> str:
    return e.date.isoformat() if mode == "over-time" else f"{e.organization['name']} ({e.date})"


def comparison_table(c: Comparison, names: Mapping[str, str], lang: Lang) -> str:
    """The comparison for the terminal (CJK-width aware)."""
    lines = over_time_lines(c, names, lang) if c.mode == "over-time" else org_lines(c, names, lang)
    w = WORDS[lang]
    if c.left_out:
        lines += ["", f"{w['left_out']}:"]
        for lo in c.left_out:
            where = ", ".join(entry_label(c.entries[i], c.mode) for i in lo.present_in)
            lines.append(f"  {w[lo.kind]} {names.get(lo.id, lo.id)} ({w['only_in']} {where})")
    return "\n".join(lines) + "\n"


def over_time_lines(c: Comparison, names: Mapping[str, str], lang: Lang) -> list[str]:
    w = WORDS[lang]
    last = c.first_to_last
    assert last is not None
    first, final = c.entries[0], c.entries[-1]
    head = (w["element"], *(e.date.isoformat() for e in c.entries), w["delta"], w["level"])
    rows: list[tuple[str, ...]] = [head]
    for d in last.elements:
        scores = (_num(e.elements.get(d.id)) for e in c.entries)
        rows.append(
            (
                names.get(d.id, d.id),
                *scores,
                _num(d.score_delta, True),
                _lvl(d.level_before, d.level_after),
            )
        )
    o = last.overall
    rows.append(
        (
            w["overall"],
            *(_num(e.score) for e in c.entries),
            _num(o.score_delta, True),
            _lvl(o.level_before, o.level_after),
        )
    )
    org = first.organization["name"]
    lines = [f"{org} — {first.date} → {final.date}", ""]
    lines += render_table(rows, right=set(range(1, len(head) - 1)))
    lines += _criteria_lines(last, names, w)
    return lines


def _criteria_lines(step: Step, names: Mapping[str, str], w: Mapping[str, str]) -> list[str]:
    by_id = {d.id: d for d in step.criteria}
    out: list[str] = []
    for key in ("improved", "declined"):
        ids: list[str] = getattr(step, key)
        out += ["", f"{w[key]} ({len(ids)}):"]
        for i in ids:
            d = by_id[i]
            out.append(
                f"  {names.get(i, i)}: {_num(d.score_delta, True)}"
                f" (L{d.level_before or '-'} → L{d.level_after or '-'})"
            )
    recs = step.recommendations
    if recs:
        done = [a for a in recs if a.acted_on]
        out += ["", f"{w['recs']} ({len(done)}/{len(recs)}):"]
        for a in recs:
            mark = w["yes"] if a.acted_on else w["no"]
            reached = f", {w['reached']}" if a.reached_target else ""
            out.append(
                f"  {mark:<3} {names.get(a.criterion, a.criterion)}:"
                f" L{a.level_before} → L{a.level_after or '-'} (→ L{a.target_level}{reached})"
            )
    return out


def org_lines(c: Comparison, names: Mapping[str, str], lang: Lang) -> list[str]:
    w = WORDS[lang]
    head = (
        w["rank"],
        w["organization"],
        w["date"],
        w["score"],
        w["level"],
        *(names.get(e, e) for e in c.elements),
    )
    rows: list[tuple[str, ...]] = [head]
    for rank, i in enumerate(c.ranking, start=1):
        e = c.entries[i]
        rows.append(
            (
                str(rank),
                e.organization["name"],
                e.date.isoformat(),
                _num(e.score),
                str(e.level or "-"),
                *(_num(e.elements.get(k)) for k in c.elements),
            )
        )
    right = {0, 3, 4, *range(5, len(head))}
    return render_table(rows, right=right)


def comparison_sheets(c: Comparison, names: Mapping[str, str], lang: Lang) -> list[Sheet]:
    """The comparison as sheets: the first is what CSV holds."""
    if c.mode == "over-time":
        return [progress_sheet(c, names, lang)]
    return [ranking_sheet(c, lang), heatmap_sheet(c, names, lang)]


def progress_sheet(c: Comparison, names: Mapping[str, str], lang: Lang) -> Sheet:
    """Over time, one row per element, criterion and the overall result, first → last."""
    w = WORDS[lang]
    last = c.first_to_last
    assert last is not None
    dates = [e.date.isoformat() for e in c.entries]
    header = [
        w["kind"],
        w["id"],
        w["name"],
        *(f"{w['score']} {d}" for d in dates),
        w["delta"],
        f"{w['level']} {dates[0]}",
        f"{w['level']} {dates[-1]}",
        w["recommended"],
        w["acted_on"],
    ]
    per_entry = [_criterion_scores(c, i) for i in range(len(c.entries))]
    recs = {a.criterion: a for a in last.recommendations}
    rows: list[list[Cell]] = []

    def row(kind: str, d: Delta, scores: list[float | None]) -> list[Cell]:
        rec = recs.get(d.id) if kind == "criterion" else None
        return [
            w[kind],
            d.id,
            names.get(d.id, w["overall"] if kind == "overall" else d.id),
            *scores,
            d.score_delta,
            d.level_before,
            d.level_after,
            (w["yes"] if rec else w["no"]) if kind == "criterion" else None,
            (w["yes"] if rec.acted_on else w["no"]) if rec else None,
        ]

    rows.append(row("overall", last.overall, [e.score for e in c.entries]))
    for d in last.elements:
        rows.append(row("element", d, [e.elements.get(d.id) for e in c.entries]))
    for d in last.criteria:
        rows.append(row("criterion", d, [s.get(d.id) for s in per_entry]))
    return Sheet(w["progress"], header, rows, widths={2: 28})


def _criterion_scores(c: Comparison, i: int) -> dict[str, float | None]:
    """Criterion scores of entry i, read from the steps (which hold both sides)."""
    out: dict[str, float | None] = {}
    for s in c.steps:
        if s.before == i:
            out.update({d.id: d.score_before for d in s.criteria})
        if s.after == i:
            out.update({d.id: d.score_after for d in s.criteria})
    return out


def _profile(dimension: Dimension, value: str | None, lang: Lang) -> str | None:
    """An industry, size band or region by its name in `lang` (the id if it has none)."""
    if value is None:
        return None
    name = vocabulary().name(dimension, value)
    return value if name is None else name.get(lang)


def ranking_sheet(c: Comparison, lang: Lang) -> Sheet:
    w = WORDS[lang]
    header = [
        w["rank"],
        w["organization"],
        w["industry"],
        w["size"],
        w["region"],
        w["date"],
        w["framework"],
        w["version"],
        w["score"],
        w["index"],
        w["level"],
        w["source"],
    ]
    rows: list[list[Cell]] = []
    for rank, i in enumerate(c.ranking, start=1):
        e = c.entries[i]
        o = e.organization
        rows.append(
            [
                rank,
                o["name"],
                *(_profile(dim, o.get(dim), lang) for dim in DIMENSIONS),
                e.date.isoformat(),
                e.framework.id,
                e.framework.version,
                e.score,
                e.index,
                e.level,
                e.source,
            ]
        )
    return Sheet(w["ranking"], header, rows, widths={1: 32, 11: 24})


def heatmap_sheet(c: Comparison, names: Mapping[str, str], lang: Lang) -> Sheet:
    """Organisations (ranked) × element scores, coloured by value in a workbook."""
    w = WORDS[lang]
    header = [w["organization"], w["date"], *(names.get(e, e) for e in c.elements), w["overall"]]
    rows: list[list[Cell]] = []
    for i in c.ranking:
        e = c.entries[i]
        rows.append(
            [
                e.organization["name"],
                e.date.isoformat(),
                *(e.elements.get(k) for k in c.elements),
                e.score,
            ]
        )
    return Sheet(w["heatmap"], header, rows, heatmap=(2, len(header) - 1), widths={0: 32})
