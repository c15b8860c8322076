"""Answers → question, criterion, element and overall scores (vectorised with pandas).

Every number is a weighted mean on a 0-100 scale, aggregated upward on unrounded values;
each published figure is rounded by the one rule of `rounding` (half up, 2 places for scores
and indices, 4 for shares), and the maturity index is computed from the published score:
index = 1 + 4 × published score / 100, rounded the same way. Levels, gating and coverage
thresholds compare published figures (docs/scoring.md).

N/A: a question every answer to which is `na` is *not applicable*: it leaves its criterion's
and element's score and coverage (numerator and denominator alike); coverage measures
unanswered questions only. An element's N/A share (the effective weight of its
not-applicable questions) above the framework's `max_na_share` makes it *mostly not
applicable*; such an element counts as an insufficient one in gating.

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

from .audit import Audit
from .dimensions import dimension_of_questions, dimension_scores, gap
from .ratings import apply_ratings
from .response_columns import TableResponses
from .responses import Responses
from .result import (
    CriterionResult,
    ElementResult,
    Gating,
    Overall,
    QuestionResult,
)
from .rounding import half_up, half_up_array, index_of_published

DECIMALS = 2
ANSWERS_LIMIT = 1000  # respondents up to which question results list every answer


def r(x: float) -> float:
    """A published score or index: half up to 2 places, no negative zero."""
    return half_up(x, DECIMALS)


def r4(x: float) -> float:
    """A published share (coverage, N/A share, weight share): half up to 4 places."""
    return half_up(x, 4)


def index_of(score: float) -> float:
    """The published index of a score: 1 + 4 × (published score) / 100, published."""
    return index_of_published(r(score))


def fmt(x: float) -> str:
    return f"{r(x):.2f}"


def wsum_formula(values: Iterable[tuple[float, float]], result: float) -> str:
    """`(v1×w1 + v2×w2) / (w1 + w2) = result` with numbers as shown."""
    pairs = list(values)
    num = " + ".join(f"{fmt(v)}×{w:g}" for v, w in pairs)
    den = " + ".join(f"{w:g}" for _, w in pairs)
    return f"({num}) / ({den}) = {fmt(result)}"


def answers_frame(
    resp: Responses | TableResponses, q: Questionnaire, fw: Framework | None = None
) -> pd.DataFrame:
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
    """Scored questions with criterion, element, dimension (None without dimensions) and
    effective weight within their element."""
    qs = [x for x in q.questions if x.scored]
    t = pd.DataFrame(
        {
            "question": [x.id for x in qs],
            "type": [x.type for x in qs],
            "criterion": [x.criterion for x in qs],
            "dimension": pd.Series(
                dimension_of_questions([x.dimension for x in qs], fw), dtype=object
            ),
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
    how: str = "role-weighted mean",
) -> tuple[pd.DataFrame, list[QuestionResult]]:
    """Per question: n, (role-weighted) mean, spread; `df` as `answers_frame` makes it.
    `list_answers` false (more than ANSWERS_LIMIT respondents): no per-respondent answers,
    and formulas name the number of answers instead of listing them; `how` names a weighted
    mean in formulas ("weighted mean" when only workshops weigh)."""
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
            shown = half_up_array(grp["score"].to_numpy(dtype=float)).tolist()
            answers = {
                str(p): (None if bool(na_) else s)
                for p, s, na_ in zip(grp["respondent"], shown, grp["na"], strict=True)
            }
        has = row["n"] > 0
        if not has:
            formula = "not applicable" if row["na"] else "no answer"
        elif not list_answers:
            formula = (
                f"{how if weighted else 'mean'} of {int(row['n'])} answers = {fmt(row['score'])}"
            )
        elif weighted:
            sub = grp[~grp["na"]] if grp is not None else grp
            assert sub is not None
            formula = f"{how} " + wsum_formula(
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


def _question_states(t: pd.DataFrame) -> pd.DataFrame:
    """`t` with `scored` (has a score), `na_only` (answered, every answer N/A: not
    applicable) and `applicable` (not `na_only`: scored or unanswered) per question."""
    t = t.copy()
    t["scored"] = t["n"] > 0
    t["na_only"] = (t["n"] == 0) & (t["na"] > 0)
    t["applicable"] = ~t["na_only"]
    return t


def score_criteria(
    t: pd.DataFrame, fw: Framework, audit: Audit | None = None, source: str = "responses"
) -> tuple[pd.DataFrame, list[CriterionResult]]:
    """Criterion scores over their scored questions (with dimensions: each dimension so, and
    the two combined; module dimensions), then the assessors' ratings; coverage = scored
    question weight ÷ applicable question weight (None when every question is N/A)."""
    t = _question_states(t)
    answered = t[t["scored"]].copy()
    answered["wx"] = answered["score"] * answered["qw"]
    g = answered.groupby("criterion")
    crit = pd.DataFrame({"score": g["wx"].sum() / g["qw"].sum()})
    w = t.assign(
        ans_w=np.where(t["scored"], t["qw"], 0.0), app_w=np.where(t["applicable"], t["qw"], 0.0)
    ).groupby("criterion")
    applicable = w["app_w"].sum()
    cov = (w["ans_w"].sum() / applicable.where(applicable > 0)).astype(float)
    crit = crit.reindex(cov.index).assign(coverage=cov)
    crit["element"] = [fw.element_of[c].id for c in crit.index]
    crit["cw"] = [fw.criteria[c].weight for c in crit.index]
    audit = audit or Audit()
    qrows_of = {str(c): rows for c, rows in t.groupby("criterion")}
    formulas = {str(c): _answers_formula(qrows_of[str(c)], s) for c, s in crit["score"].items()}
    if fw.dimensions is not None:
        dims = dimension_scores(t).reindex(crit.index)
        crit["intention"], crit["reality"] = dims["intention"], dims["reality"]
    else:
        crit["intention"] = crit["reality"] = math.nan
    overridden = apply_ratings(
        crit,
        fw,
        audit,
        formulas,
        lambda c, dim, v: _dimension_formula(qrows_of[c], dim, v),
        source,
    )
    supported = audit.supporting()
    out = []
    order = {c: i for i, c in enumerate(fw.criteria)}
    for cid in sorted(crit.index, key=order.__getitem__):
        row = crit.loc[cid]
        qrows = qrows_of[str(cid)]
        has = not math.isnan(row["score"])
        idx = index_of(row["score"]) if has else None
        i_pub = None if math.isnan(row["intention"]) else r(row["intention"])
        r_pub = None if math.isnan(row["reality"]) else r(row["reality"])
        out.append(
            CriterionResult(
                id=str(cid),
                element=row["element"],
                weight=float(row["cw"]),
                questions=list(qrows["question"]),
                score=r(row["score"]) if has else None,
                index=idx,
                level=fw.level_for(idx).level if idx is not None else None,
                coverage=None if math.isnan(row["coverage"]) else r4(row["coverage"]),
                intention=i_pub,
                reality=r_pub,
                gap=gap(i_pub, r_pub),
                overridden=overridden.get(str(cid), []),
                evidence=supported.get(str(cid), []),
                formula=formulas[str(cid)],
            )
        )
    return crit, out


def _answers_formula(qrows: pd.DataFrame, score: float) -> str:
    """How the answers give a criterion its score (one dimension)."""
    if not math.isnan(score):
        used = qrows[qrows["scored"]]
        return wsum_formula(zip(used["score"], used["qw"], strict=True), score)
    return "not applicable" if bool(qrows["na_only"].all()) else "no scored answer"


def _dimension_formula(qrows: pd.DataFrame, dim: str, score: float) -> str:
    used = qrows[qrows["scored"] & (qrows["dimension"] == dim)]
    return f"{dim} " + wsum_formula(zip(used["score"], used["qw"], strict=True), score)


class ElementWeights:
    """Per element, shares of its question weight (effective weights): scored, not
    applicable (every answer N/A) and applicable (everything else)."""

    def __init__(self, t: pd.DataFrame) -> None:
        t = _question_states(t)
        by = t.groupby("element")["effective_weight"]
        self.total = by.sum()
        self.scored = t[t["scored"]].groupby("element")["effective_weight"].sum()
        self.na = t[t["na_only"]].groupby("element")["effective_weight"].sum()

    def of(self, element: str) -> tuple[float, float, float]:
        """(scored, not applicable, applicable) shares of the element's question weight;
        an element without questions has everything applicable and nothing scored."""
        total = float(self.total.get(element, 0.0))
        if total <= 0:
            return 0.0, 0.0, 1.0
        scored = float(self.scored.get(element, 0.0)) / total
        na = float(self.na.get(element, 0.0)) / total
        return scored, na, max(0.0, 1.0 - na)


def score_elements(
    t: pd.DataFrame, crit: pd.DataFrame, fw: Framework
) -> tuple[list[ElementResult], dict[str, float]]:
    """Element results, plus unrounded scores of the scored elements for the overall score.

    Status: "not-applicable" when every question of the element is N/A; "insufficient" when
    it has no scored answer or its published coverage is below `min_coverage`; else
    "scored". Each carries its published N/A share and whether it exceeds the element's
    `max_na_share` (mostly not applicable)."""
    total_w = sum(e.weight for e in fw.elements)
    weights = ElementWeights(t)
    out = []
    raw: dict[str, float] = {}
    for e in fw.elements:
        rows = crit[(crit["element"] == e.id) & crit["score"].notna()]
        scored_w, na_w, applicable_w = weights.of(e.id)
        na_share = r4(na_w)
        limit = fw.max_na_share_of(e.id)
        mostly_na = na_share > limit
        coverage = r4(scored_w / applicable_w) if applicable_w > 0 else None
        share = e.weight / total_w
        base = {
            "id": e.id,
            "weight": e.weight,
            "weight_share": r4(share),
            "coverage": coverage,
            "na_share": na_share,
            "max_na_share": limit,
            "mostly_not_applicable": mostly_na,
        }
        na_note = f"; N/A share {na_share:.2%} > maximum {limit:.0%}" if mostly_na else ""
        if coverage is None:
            out.append(
                ElementResult(
                    **base,
                    status="not-applicable",
                    score=None,
                    index=None,
                    level=None,
                    formula="every question not applicable" + na_note,
                )
            )
            continue
        if rows.empty or coverage < fw.scoring.min_coverage:
            out.append(
                ElementResult(
                    **base,
                    status="insufficient",
                    score=None,
                    index=None,
                    level=None,
                    formula=(
                        f"coverage {coverage:.2%} < minimum {fw.scoring.min_coverage:.0%}"
                        if not rows.empty
                        else "no scored answer"
                    )
                    + na_note,
                )
            )
            continue
        score = float((rows["score"] * rows["cw"]).sum() / rows["cw"].sum())
        idx = index_of(score)
        raw[e.id] = score
        out.append(
            ElementResult(
                **base,
                **element_dimensions(crit[crit["element"] == e.id]),
                status="scored",
                score=r(score),
                index=idx,
                level=fw.level_for(idx).level,
                formula=wsum_formula(zip(rows["score"], rows["cw"], strict=True), score)
                + f"; index = 1 + 4 × {fmt(score)} / 100 = {idx:.2f}"
                + na_note,
            )
        )
    return out, raw


def element_dimensions(rows: pd.DataFrame) -> dict[str, float | None]:
    """An element's intention and reality (criterion-weighted means over its criteria
    scored on each) and gap (criterion-weighted mean of its criteria's published gaps)."""
    out: dict[str, float | None] = {}
    for dim in ("intention", "reality"):
        have = rows[rows[dim].notna()]
        out[dim] = (
            r(float((have[dim] * have["cw"]).sum() / have["cw"].sum())) if len(have) else None
        )
    both = rows[rows["intention"].notna() & rows["reality"].notna()]
    gaps = [
        (gap(r(float(i)), r(float(re_))), float(w))
        for i, re_, w in zip(both["intention"], both["reality"], both["cw"], strict=True)
    ]
    total = sum(w for _, w in gaps)
    out["gap"] = r(sum(g * w for g, w in gaps if g is not None) / total) if gaps else None
    return out


def overall_coverage(elements: list[ElementResult], t: pd.DataFrame) -> float | None:
    """Scored question weight ÷ applicable question weight over the whole framework, each
    element's question weight counted by its weight share (None: nothing applicable)."""
    weights = ElementWeights(t)
    num = den = 0.0
    for e in elements:
        scored_w, _na, applicable_w = weights.of(e.id)
        share = e.weight_share
        num += share * scored_w
        den += share * applicable_w
    return r4(num / den) if den > 0 else None


def gating_level(e: ElementResult, fw: Framework) -> int | None:
    """The level an element counts at in gating: its own when scored and not mostly N/A;
    the framework's insufficient-element level when insufficient or mostly not applicable;
    None (left out) when every question is N/A within the allowed share."""
    if e.mostly_not_applicable or e.status == "insufficient":
        return fw.gating.insufficient_element_level
    return e.level


def score_overall(
    elements: list[ElementResult], fw: Framework, raw: dict[str, float], t: pd.DataFrame
) -> Overall:
    scored = [e for e in elements if e.status == "scored"]
    coverage = overall_coverage(elements, t)
    if not scored:
        return Overall(
            score=None,
            index=None,
            level=None,
            coverage=coverage,
            gating=None,
            formula="no element has enough answers to be scored",
        )
    score = sum(raw[e.id] * e.weight for e in scored) / sum(e.weight for e in scored)
    idx = index_of(score)
    by_index = fw.level_for(idx).level
    levels = {e.id: lv for e in elements if (lv := gating_level(e, fw)) is not None}
    scores = {e.id: e.score if e.score is not None else -1.0 for e in elements}
    weakest = min(levels, key=lambda k: (levels[k], scores[k], k))
    cap = levels[weakest] + fw.gating.max_above_weakest
    level = min(by_index, cap)
    why = " (mostly not applicable)" if _by_id(elements)[weakest].mostly_not_applicable else ""
    gating = Gating(
        level_by_index=by_index,
        weakest_element=weakest,
        weakest_level=levels[weakest],
        cap=min(cap, 5),
        applied=level < by_index,
        formula=f"level = min(level by index {by_index}, weakest element {weakest}{why} level"
        f" {levels[weakest]} + {fw.gating.max_above_weakest}) = {level}",
    )
    formula = wsum_formula(((raw[e.id], e.weight) for e in scored), score)
    formula += f"; index = 1 + 4 × {fmt(score)} / 100 = {idx:.2f}"
    return Overall(
        score=r(score),
        index=idx,
        level=level,
        coverage=coverage,
        gating=gating,
        formula=formula,
    )


def _by_id(elements: list[ElementResult]) -> dict[str, ElementResult]:
    return {e.id: e for e in elements}
