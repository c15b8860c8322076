"""Answers → question, criterion, element and overall scores (vectorised with pandas).

Every number is a weighted mean on a 0-100 scale; the maturity index is 1 + 4 × score / 100.
Each result row carries a `formula` string that reproduces it by hand.

Large assessments: with more than ANSWERS_LIMIT respondents, a question's result does not
list each respondent's score (`answers` is empty) and its formula names the number of
answers instead of listing them ("mean of 100000 answers = 52.31"); every figure is
computed the same way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from frameworks.model import Framework
from questionnaires.model import Questionnaire

from .responses import Responses
from .result import (
    CriterionResult,
    ElementResult,
    Gating,
    Overall,
    QuestionResult,
)

DECIMALS = 2
ANSWERS_LIMIT = 1000  # respondents up to which question results list every answer


def r(x: float) -> float:
    """Round for output: fixed decimals, no negative zero."""
    return round(float(x), DECIMALS) + 0.0


def r4(x: float) -> float:
    return round(float(x), 4) + 0.0


def index_of(score: float) -> float:
    return 1.0 + 4.0 * score / 100.0


def fmt(x: float) -> str:
    return f"{x:.2f}"


def wsum_formula(values: Iterable[tuple[float, float]], result: float) -> str:
    """`(v1×w1 + v2×w2) / (w1 + w2) = result` with numbers as shown."""
    pairs = list(values)
    num = " + ".join(f"{fmt(v)}×{w:g}" for v, w in pairs)
    den = " + ".join(f"{w:g}" for _, w in pairs)
    return f"({num}) / ({den}) = {fmt(result)}"


def answers_frame(resp: Responses, q: Questionnaire, fw: Framework | None = None) -> pd.DataFrame:
    """One row per given answer: respondent, role, role weight, question, score, N/A flag
    (respondent, role and question as text; `table_scoring.answer_frame` is the same with
    categorical columns, for large tables). Element-by-element role weights need `fw`."""
    from .table_scoring import answer_frame, table_from_responses

    table = table_from_responses(resp, q)
    df = answer_frame(table, q, resp.role_weights, by_respondent=True, fw=fw)
    for c in ("respondent", "role", "question"):
        df[c] = df[c].astype(str)
    return df


def question_table(q: Questionnaire, fw: Framework) -> pd.DataFrame:
    """Scored questions with criterion, element and effective weight within their element."""
    qs = [x for x in q.questions if x.scored]
    t = pd.DataFrame(
        {
            "question": [x.id for x in qs],
            "type": [x.type for x in qs],
            "criterion": [x.criterion for x in qs],
            "element": [fw.element_of[x.criterion].id for x in qs],
            "qw": [x.weight for x in qs],
            "cw": [fw.criteria[x.criterion].weight for x in qs],
        }
    )
    crit_qw = t.groupby("criterion")["qw"].transform("sum")
    per_crit = t.drop_duplicates("criterion")
    elem_cw = per_crit.groupby("element")["cw"].sum()
    t["effective_weight"] = t["qw"] / crit_qw * t["cw"] / t["element"].map(elem_cw)
    return t


def score_questions(
    df: pd.DataFrame,
    qt: pd.DataFrame,
    weighted: bool | Responses,
    list_answers: bool = True,
) -> tuple[pd.DataFrame, list[QuestionResult]]:
    """Per question: n, (role-weighted) mean, spread; `df` as `answers_frame` makes it.
    `list_answers` false (more than ANSWERS_LIMIT respondents): no per-respondent answers,
    and formulas name the number of answers instead of listing them."""
    if not isinstance(weighted, bool):
        weighted = bool(weighted.role_weights)
    na_flag = df["na"].to_numpy(dtype=bool)
    ok = ~na_flag & df["score"].notna().to_numpy()
    # group by integer codes of the questions: the same groups, quicker than by labels
    if isinstance(df["question"].dtype, pd.CategoricalDtype):
        codes, labels = df["question"].array.codes, df["question"].cat.categories
    else:
        codes, labels = pd.factorize(df["question"])
    scored = pd.DataFrame(
        {
            "question": codes[ok],
            "score": df["score"].to_numpy(dtype=float)[ok],
            "rw": df["rw"].to_numpy(dtype=float)[ok],
        }
    )
    scored["wx"] = scored["score"] * scored["rw"]
    g = scored.groupby("question")
    agg = pd.DataFrame(
        {
            "n": g.size(),
            "score": g["wx"].sum() / g["rw"].sum(),
            "std": g["score"].std(ddof=0),
            "min": g["score"].min(),
            "max": g["score"].max(),
        }
    )
    agg.index = pd.Index([str(labels[i]) for i in agg.index], dtype=object)
    na_counts = np.bincount(codes[na_flag], minlength=len(labels))
    na = pd.Series(
        {str(labels[i]): int(c) for i, c in enumerate(na_counts) if c}, name="na", dtype=int
    )
    t = qt.set_index("question").join(agg).join(na)
    t["n"] = t["n"].fillna(0).astype(int)
    t["na"] = t["na"].fillna(0).astype(int)
    by_q = (
        {str(qid): grp for qid, grp in df.groupby("question", observed=True)}
        if list_answers
        else {}
    )
    out = []
    for qid, row in t.iterrows():
        grp = by_q.get(str(qid))
        answers: dict[str, float | None] = {}
        if grp is not None:
            answers = {
                str(p): (None if bool(na_) else r(s))
                for p, s, na_ in zip(grp["respondent"], grp["score"], grp["na"], strict=True)
            }
        has = row["n"] > 0
        if not has:
            formula = "not applicable" if row["na"] else "no answer"
        elif not list_answers:
            how = "role-weighted mean" if weighted else "mean"
            formula = f"{how} of {int(row['n'])} answers = {fmt(row['score'])}"
        elif weighted:
            sub = grp[~grp["na"]] if grp is not None else grp
            assert sub is not None
            formula = "role-weighted mean " + wsum_formula(
                zip(sub["score"], sub["rw"], strict=True), row["score"]
            )
        else:
            vals = [v for v in answers.values() if v is not None]
            formula = f"mean({', '.join(fmt(v) for v in vals)}) = {fmt(row['score'])}"
        out.append(
            QuestionResult(
                id=str(qid),
                criterion=row["criterion"],
                element=row["element"],
                type=row["type"],
                weight=float(row["qw"]),
                effective_weight=r4(row["effective_weight"]),
                answers=answers,
                n=int(row["n"]),
                not_applicable=int(row["na"]),
                score=r(row["score"]) if has else None,
                std=r(row["std"]) if has else None,
                min=r(row["min"]) if has else None,
                max=r(row["max"]) if has else None,
                formula=formula,
            )
        )
    return t.reset_index(), out


def score_criteria(t: pd.DataFrame, fw: Framework) -> tuple[pd.DataFrame, list[CriterionResult]]:
    answered = t[t["n"] > 0].copy()
    answered["wx"] = answered["score"] * answered["qw"]
    g = answered.groupby("criterion")
    crit = pd.DataFrame({"score": g["wx"].sum() / g["qw"].sum()})
    allq = t.groupby("criterion")
    cov = (
        t.assign(ans_w=np.where(t["n"] > 0, t["qw"], 0.0)).groupby("criterion")["ans_w"].sum()
        / allq["qw"].sum()
    )
    crit = crit.reindex(cov.index).assign(coverage=cov)
    crit["element"] = [fw.element_of[c].id for c in crit.index]
    crit["cw"] = [fw.criteria[c].weight for c in crit.index]
    out = []
    order = {c: i for i, c in enumerate(fw.criteria)}
    for cid in sorted(crit.index, key=order.__getitem__):
        row = crit.loc[cid]
        qrows = t[t["criterion"] == cid]
        has = not math.isnan(row["score"])
        if has:
            used = qrows[qrows["n"] > 0]
            formula = wsum_formula(zip(used["score"], used["qw"], strict=True), row["score"])
        else:
            formula = "no scored answer"
        idx = index_of(row["score"]) if has else None
        out.append(
            CriterionResult(
                id=str(cid),
                element=row["element"],
                weight=float(row["cw"]),
                questions=list(qrows["question"]),
                score=r(row["score"]) if has else None,
                index=r(idx) if idx is not None else None,
                level=fw.level_for(idx).level if idx is not None else None,
                coverage=r4(row["coverage"]),
                formula=formula,
            )
        )
    return crit, out


def score_elements(
    t: pd.DataFrame, crit: pd.DataFrame, fw: Framework
) -> tuple[list[ElementResult], dict[str, float]]:
    """Element results, plus unrounded scores of the scored elements for the overall score."""
    total_w = sum(e.weight for e in fw.elements)
    answered_eff = t[t["n"] > 0].groupby("element")["effective_weight"].sum()
    out = []
    raw: dict[str, float] = {}
    for e in fw.elements:
        rows = crit[(crit["element"] == e.id) & crit["score"].notna()]
        coverage = float(answered_eff.get(e.id, 0.0))
        share = e.weight / total_w
        if rows.empty or coverage + 1e-9 < fw.scoring.min_coverage:
            out.append(
                ElementResult(
                    id=e.id,
                    weight=e.weight,
                    weight_share=r4(share),
                    status="insufficient",
                    coverage=r4(coverage),
                    score=None,
                    index=None,
                    level=None,
                    formula=f"coverage {coverage:.1%} < minimum {fw.scoring.min_coverage:.0%}"
                    if not rows.empty
                    else "no scored answer",
                )
            )
            continue
        score = float((rows["score"] * rows["cw"]).sum() / rows["cw"].sum())
        idx = index_of(score)
        raw[e.id] = score
        out.append(
            ElementResult(
                id=e.id,
                weight=e.weight,
                weight_share=r4(share),
                status="scored",
                coverage=r4(coverage),
                score=r(score),
                index=r(idx),
                level=fw.level_for(idx).level,
                formula=wsum_formula(zip(rows["score"], rows["cw"], strict=True), score)
                + f"; index = 1 + 4 × {fmt(score)} / 100 = {fmt(idx)}",
            )
        )
    return out, raw


def score_overall(elements: list[ElementResult], fw: Framework, raw: dict[str, float]) -> Overall:
    scored = [e for e in elements if e.status == "scored"]
    coverage = sum(e.weight_share * e.coverage for e in elements)
    if not scored:
        return Overall(
            score=None,
            index=None,
            level=None,
            coverage=r4(coverage),
            gating=None,
            formula="no element has enough answers to be scored",
        )
    score = sum(raw[e.id] * e.weight for e in scored) / sum(e.weight for e in scored)
    idx = index_of(score)
    by_index = fw.level_for(idx).level
    levels = {
        e.id: (e.level if e.level is not None else fw.gating.insufficient_element_level)
        for e in elements
    }
    scores = {e.id: e.score if e.score is not None else -1.0 for e in elements}
    weakest = min(levels, key=lambda k: (levels[k], scores[k], k))
    cap = levels[weakest] + fw.gating.max_above_weakest
    level = min(by_index, cap)
    gating = Gating(
        level_by_index=by_index,
        weakest_element=weakest,
        weakest_level=levels[weakest],
        cap=min(cap, 5),
        applied=level < by_index,
        formula=f"level = min(level by index {by_index}, weakest element {weakest} level"
        f" {levels[weakest]} + {fw.gating.max_above_weakest}) = {level}",
    )
    formula = wsum_formula(((raw[e.id], e.weight) for e in scored), score)
    formula += f"; index = 1 + 4 × {fmt(score)} / 100 = {fmt(idx)}"
    return Overall(
        score=r(score),
        index=r(idx),
        level=level,
        coverage=r4(coverage),
        gating=gating,
        formula=formula,
    )
