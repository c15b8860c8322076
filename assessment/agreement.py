"""Agreement between respondents: spread, rwg, rwg(j), ICC(1), ICC(2) and means by role.

All figures are computed from the scorer's answer table (one row per respondent and
question: respondent, role, question, 0-100 score, N/A flag); N/A and unanswered questions
are left out. Formulas (docs/scoring.md, "Agreement between respondents"):

- sd: the *population* standard deviation (divisor n) of a question's 0-100 scores, the
  result's `std` (one spread of answers on every page of the report);
- rwg = 1 − s² / σ²_EU (James, Demaree & Wolf 1984), s² the *sample* variance (divisor
  n − 1), σ²_EU the variance of a uniform ("no agreement") null over the question's response
  options, (A² − 1) / 12 on a 1..A scale;
- rwg(j) = J(1 − s̄²/σ²_EU) / (J(1 − s̄²/σ²_EU) + s̄²/σ²_EU) over the J questions of a
  criterion or element, with s̄²/σ²_EU the mean of the questions' s²/σ²_EU;
- ICC(1) = (MSB − MSW) / (MSB + (k − 1) MSW) and ICC(2) = (MSB − MSW) / MSB from a one-way
  ANOVA with questions as targets and respondents as raters (Bliese 2000).

Importing this module imports numpy and pandas: import it lazily from start-up paths.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from questionnaires.model import Question, Questionnaire

if TYPE_CHECKING:
    from frameworks.model import Framework

    from .response_columns import TableResponses
    from .responses import Responses
    from .result import AssessmentResult

__all__ = [
    "REASONS",
    "RWG_CUTOFF",
    "Agreement",
    "GroupAgreement",
    "Icc",
    "QuestionAgreement",
    "agreement",
    "agreement_from_frame",
    "agreement_from_result",
    "icc",
    "null_variance",
    "rwg",
    "rwg_j",
]

RWG_CUTOFF = 0.70
"""Below this rwg / rwg(j) agreement is flagged as low: the conventional cut-off (James,
Demaree & Wolf 1984; LeBreton & Senter 2008, "Answers to 20 questions about interrater
reliability and interrater agreement", Organizational Research Methods 11(4), which also
traces its origin and warns against applying it mechanically)."""

LEVEL_SCORES = (0.0, 25.0, 50.0, 75.0, 100.0)
YPN_SCORES = (0.0, 50.0, 100.0)

Reason = Literal[
    "one-answer",
    "no-discrete-scale",
    "no-items",
    "one-respondent",
    "one-question",
    "no-variance",
]
REASONS: Mapping[str, str] = {
    "one-answer": "fewer than two respondents answered (N/A and blanks are left out)",
    "no-discrete-scale": "no fixed set of response options (multiple choice), so no uniform"
    " null distribution",
    "no-items": "no question with response options was answered by two or more respondents",
    "one-respondent": "agreement needs two or more respondents",
    "one-question": "fewer than two questions were answered by two or more respondents",
    "no-variance": "every answer is the same: there is no variance to divide",
}


@dataclass(frozen=True)
class QuestionAgreement:
    """Spread and agreement of one question's answers (0-100 scale)."""

    id: str
    criterion: str
    element: str
    type: str
    n: int
    not_applicable: int
    mean: float | None
    sd: float | None
    min: float | None
    max: float | None
    options: int | None
    """A, the number of response options rwg's null distribution spreads over."""
    null_variance: float | None
    """σ²_EU on the 0-100 scale: the variance of a uniform choice among the options."""
    rwg: float | None
    reason: Reason | None
    """Why rwg is None."""
    low: bool
    by_role: Mapping[str, float]
    """Mean 0-100 score per role (roles with an answer), in first-appearance order."""


@dataclass(frozen=True)
class Icc:
    """One-way ANOVA intraclass correlations, questions as targets, respondents as raters."""

    icc1: float | None
    icc2: float | None
    msb: float | None
    msw: float | None
    k: float | None
    """Raters per target (k₀ = (N − Σnᵢ²/N)/(T − 1) when questions have different n)."""
    targets: int
    reason: Reason | None


@dataclass(frozen=True)
class GroupAgreement:
    """Agreement over the questions of one criterion, one element, or all of them."""

    kind: Literal["criterion", "element", "overall"]
    id: str
    items: tuple[str, ...]
    """The J questions rwg(j) is computed over (discrete scale, two or more answers)."""
    mean_ratio: float | None
    """The mean of the items' s²/σ²_EU."""
    rwg_j: float | None
    reason: Reason | None
    low: bool
    icc: Icc
    by_role: Mapping[str, float]
    """Weighted mean of a role's mean answers (question weights within the group)."""
    by_respondent: Mapping[str, float]


@dataclass(frozen=True)
class Agreement:
    """Agreement between the respondents of one assessment."""

    respondents: int
    roles: tuple[str, ...]
    cutoff: float
    questions: tuple[QuestionAgreement, ...]
    criteria: tuple[GroupAgreement, ...]
    elements: tuple[GroupAgreement, ...]
    overall: GroupAgreement
    reason: Reason | None
    """"one-respondent" when agreement cannot be measured at all."""

    def lowest(self, n: int = 10) -> tuple[QuestionAgreement, ...]:
        """Up to n questions with two or more answers, least agreement first: by rwg
        (questions without rwg after those with it), then by larger sd, then by id."""
        ranked = [q for q in self.questions if q.sd is not None]
        ranked.sort(
            key=lambda q: (q.rwg is None, q.rwg if q.rwg is not None else 0.0, -(q.sd or 0), q.id)
        )
        return tuple(ranked[:n])


# --- formulas on plain numbers -------------------------------------------------------------


def null_variance(question: Question) -> tuple[int | None, float | None]:
    """(A, σ²_EU on the 0-100 scale) for a question, or (None, None) without fixed options.

    σ²_EU is the population variance of the option scores, each equally likely: for A
    equally spaced options this is (A² − 1)/12 on the 1..A scale times the squared step
    (e.g. 1..5 scored 0, 25 … 100: 2 × 25² = 1250). KPI answers are compared on the five
    levels their thresholds place them on (the scores the scorer uses), not on raw values.
    """
    t = question.type
    if t in ("anchored", "likert", "kpi"):
        scores: tuple[float, ...] = LEVEL_SCORES
    elif t == "yes_partly_no":
        scores = YPN_SCORES
    elif t == "single_choice" and question.options is not None:
        scores = tuple(o.score for o in question.options)
    else:
        return None, None
    var = float(np.var(np.array(scores, dtype=float)))
    return (len(scores), var) if var > 0 else (None, None)


def rwg(variance: float, null: float) -> float:
    """1 − s²/σ²_EU, set to 0 when the answers vary more than the uniform null does (the
    usual truncation, James, Demaree & Wolf 1984)."""
    return max(0.0, 1.0 - variance / null)


def rwg_j(ratios: Iterable[float]) -> float:
    """rwg(j) from the items' s²/σ²_EU ratios; 0 when their mean reaches 1 (truncated)."""
    values = list(ratios)
    j = len(values)
    mean = sum(sorted(values)) / j
    if mean >= 1.0:
        return 0.0
    return j * (1.0 - mean) / (j * (1.0 - mean) + mean)


def icc(groups: Mapping[str, Iterable[float]]) -> Icc:
    """ICC(1) and ICC(2) of ratings grouped by target (question); targets with fewer than
    two ratings are left out (they say nothing about agreement)."""
    arrays = {t: np.sort(np.array(list(v), dtype=float)) for t, v in sorted(groups.items())}
    return _icc([_target(v) for v in arrays.values()])


def _target(v: np.ndarray) -> tuple[int, float, float]:
    """(n, mean, within sum of squares) of one target's ratings, sorted ascending."""
    mean = v.mean()
    return len(v), mean, ((v - mean) ** 2).sum()


def _icc(targets_: list[tuple[int, float, float]]) -> Icc:
    """ICC from each target's (n, mean, within sum of squares), targets in id order."""
    kept = [t for t in targets_ if t[0] >= 2]
    targets = len(kept)
    if not kept:
        return Icc(None, None, None, None, None, targets, "one-answer")
    if targets < 2:
        return Icc(None, None, None, None, None, targets, "one-question")
    n = np.array([t[0] for t in kept], dtype=float)
    means = np.array([t[1] for t in kept])
    total = float(n.sum())
    grand = float((n * means).sum() / total)
    ssb = float((n * (means - grand) ** 2).sum())
    ssw = float(sum(t[2] for t in kept))
    msb = ssb / (targets - 1)
    msw = ssw / (total - targets)
    k = float((total - (n**2).sum() / total) / (targets - 1))
    denom = msb + (k - 1.0) * msw
    if denom <= 0.0:
        return Icc(None, None, msb, msw, k, targets, "no-variance")
    icc1 = (msb - msw) / denom
    icc2 = (msb - msw) / msb if msb > 0 else None
    return Icc(icc1, icc2, msb, msw, k, targets, None if icc2 is not None else "no-variance")


# --- from answers --------------------------------------------------------------------------


def agreement(responses: Responses | TableResponses, q: Questionnaire, fw: Framework) -> Agreement:
    """Agreement of checked responses (see `responses.check_responses`)."""
    from .table_scoring import answer_frame, table_from_responses

    # respondent, role and question stay categorical: the figures only need their codes
    table = table_from_responses(responses, q)
    return agreement_from_frame(answer_frame(table, q, responses.role_weights, fw=fw), q, fw)


def agreement_from_result(result: AssessmentResult, q: Questionnaire, fw: Framework) -> Agreement:
    """Agreement from the answers a result records (0-100 scores; None for N/A)."""
    roles = {p.id: p.role for p in result.respondents}
    rows = [
        (pid, roles.get(pid, ""), qr.id, np.nan if s is None else s, s is None)
        for qr in result.questions
        for pid, s in qr.answers.items()
    ]
    frame = pd.DataFrame(rows, columns=["respondent", "role", "question", "score", "na"])
    frame["score"] = frame["score"].astype(float)
    order = {p.id: i for i, p in enumerate(result.respondents)}
    return agreement_from_frame(frame, q, fw, respondent_order=order)


def _codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes of a text or categorical column and the texts they stand for."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = np.asarray(column.array.codes, dtype=np.int64)
        names = column.cat.categories
    else:
        codes, names = pd.factorize(column)
        codes = np.asarray(codes, dtype=np.int64)
    return codes, [str(x) for x in names]


def agreement_from_frame(
    frame: pd.DataFrame,
    q: Questionnaire,
    fw: Framework,
    respondent_order: Mapping[str, int] | None = None,
) -> Agreement:
    """Agreement from an answer table with columns respondent, role, question, score, na
    (as `scoring.answers_frame` or, categorical, `table_scoring.answer_frame` make it).

    Everything is computed over integer codes (questions coded in their sorted order, so
    every sum runs in the same order as by their texts): per question once (counts, means,
    variances, the ICC's within sums of squares), per criterion, element and overall from
    those; the means per respondent from a respondent × question matrix, each sum taken in
    question order (`_respondent_means`)."""
    from .scoring import question_table

    qt = question_table(q, fw).set_index("question")
    order = respondent_order or {}
    who_all, who_names = _codes(frame["respondent"])
    role_all, r_names = _codes(frame["role"])
    q_all, q_cats = _codes(frame["question"])
    first = np.full(len(who_names), -1, dtype=np.int64)
    present, at = np.unique(who_all, return_index=True)
    first[present] = at
    people_codes = sorted(
        present.tolist(), key=lambda c: (order.get(who_names[c], 0), who_names[c])
    )
    people = tuple(who_names[c] for c in people_codes)
    roles = tuple(dict.fromkeys(r_names[role_all[first[c]]] for c in people_codes))
    na_flag = frame["na"].to_numpy(dtype=bool)
    score_all = frame["score"].to_numpy(dtype=float)
    scored = set(qt.index.astype(str))
    known = np.array([x in scored for x in q_cats] + [False], dtype=bool)
    ok = ~na_flag & ~np.isnan(score_all) & known[q_all]
    used = np.unique(q_all[ok])
    q_names = sorted(q_cats[c] for c in used.tolist())
    q_index = {x: i for i, x in enumerate(q_names)}
    recode = np.full(len(q_cats) + 1, -1, dtype=np.int64)
    for c in used.tolist():
        recode[c] = q_index[q_cats[c]]
    qc, s = recode[q_all[ok]], score_all[ok]
    # sorted by question, then score: every sum is independent of the respondents' order
    idx = np.lexsort((s, qc))
    qc, s, who, rc = qc[idx], s[idx], who_all[ok][idx], role_all[ok][idx]
    n_q = len(q_names)
    g = pd.Series(s).groupby(qc)
    stats = pd.DataFrame(
        {
            "n": g.size(),
            "mean": g.mean(),
            "var": g.var(ddof=1),
            "std": g.std(ddof=0),  # as the result's std (scoring.py): population
            "min": g.min(),
            "max": g.max(),
        }
    )
    stats.index = pd.Index([q_names[int(i)] for i in stats.index.tolist()])
    bounds = np.concatenate([[0], np.cumsum(np.bincount(qc, minlength=n_q))]).tolist()
    parts = [_target(np.array(s[bounds[i] : bounds[i + 1]])) for i in range(n_q)]
    na_cats = np.bincount(q_all[na_flag], minlength=len(q_cats))
    na = {q_cats[c]: int(na_cats[c]) for c in np.flatnonzero(na_cats).tolist()}
    n_roles = max(len(r_names), 1)
    by_pair = pd.Series(s).groupby(qc * n_roles + rc).mean()
    pair_keys = by_pair.index.to_numpy()
    pairs = pd.DataFrame(
        {"rcode": pair_keys % n_roles, "qcode": pair_keys // n_roles, "m": by_pair.to_numpy()}
    )
    role_means = {
        (q_names[a], r_names[b]): float(v)
        for a, b, v in zip(
            pairs["qcode"].tolist(), pairs["rcode"].tolist(), pairs["m"].tolist(), strict=True
        )
    }
    # each respondent's score per question (one answer per respondent and question)
    matrix = np.full((len(who_names), max(n_q, 1)), np.nan)
    matrix[who, qc] = s
    multi = len(people) >= 2
    questions = []
    ratios: dict[str, float] = {}
    for qid, row in qt.iterrows():
        qid = str(qid)
        question = q.question_by_id[qid]
        a, null = null_variance(question)
        n = int(stats["n"].get(qid, 0))
        var = float(stats["var"][qid]) if n >= 2 else None
        reason: Reason | None = None
        value = None
        if n < 2:
            reason = "one-answer"
        elif null is None:
            reason = "no-discrete-scale"
        else:
            assert var is not None
            ratios[qid] = var / null
            value = rwg(var, null)
        by_role = (
            {str(r): role_means[(qid, r)] for r in roles if (qid, r) in role_means} if n else {}
        )
        questions.append(
            QuestionAgreement(
                id=qid,
                criterion=str(row["criterion"]),
                element=str(row["element"]),
                type=str(row["type"]),
                n=n,
                not_applicable=na.get(qid, 0),
                mean=float(stats["mean"][qid]) if n else None,
                sd=float(stats["std"][qid]) if var is not None else None,
                min=float(stats["min"][qid]) if n else None,
                max=float(stats["max"][qid]) if n else None,
                options=a,
                null_variance=null,
                rwg=value,
                reason=reason,
                low=value is not None and value < RWG_CUTOFF,
                by_role=by_role,
            )
        )
    share = {e.id: e.weight for e in fw.elements}
    total_w = sum(share.values())
    qt["overall_w"] = qt["effective_weight"] * qt["element"].map(share) / total_w
    people_arr = np.array(people_codes, dtype=np.int64)

    def group(
        kind: Literal["criterion", "element", "overall"], gid: str, ids: list[str]
    ) -> GroupAgreement:
        weight_col = {"criterion": "qw", "element": "effective_weight", "overall": "overall_w"}
        codes = sorted(q_index[i] for i in ids if i in q_index)
        items = tuple(i for i in ids if i in ratios)
        reason: Reason | None = None
        value = mean_ratio = None
        if not multi:
            reason = "one-respondent"
        elif not items:
            reason = "no-items"
        else:
            mean_ratio = sum(sorted(ratios[i] for i in items)) / len(items)
            value = rwg_j(ratios[i] for i in items)
        stat = _icc([parts[c] for c in codes])
        if not multi:
            stat = Icc(None, None, None, None, None, stat.targets, "one-respondent")
        w = qt[weight_col[kind]].reindex(q_names).to_numpy(dtype=float)
        return GroupAgreement(
            kind=kind,
            id=gid,
            items=items,
            mean_ratio=mean_ratio,
            rwg_j=value,
            reason=reason,
            low=value is not None and value < RWG_CUTOFF,
            icc=stat,
            by_role=_role_means(pairs[pairs["qcode"].isin(codes)], w, roles, r_names),
            by_respondent=_respondent_means(matrix, codes, w, people_arr, who_names),
        )

    by_crit: dict[str, list[str]] = {}
    by_elem: dict[str, list[str]] = {}
    for qid, row in qt.iterrows():
        by_crit.setdefault(str(row["criterion"]), []).append(str(qid))
        by_elem.setdefault(str(row["element"]), []).append(str(qid))
    return Agreement(
        respondents=len(people),
        roles=roles,
        cutoff=RWG_CUTOFF,
        questions=tuple(questions),
        criteria=tuple(group("criterion", c, by_crit[c]) for c in fw.criteria if c in by_crit),
        elements=tuple(group("element", e.id, by_elem.get(e.id, [])) for e in fw.elements),
        overall=group("overall", "overall", [str(i) for i in qt.index]),
        reason=None if multi else "one-respondent",
    )


def _role_means(
    m: pd.DataFrame, weights: np.ndarray, keys: tuple[str, ...], names: list[str]
) -> dict[str, float]:
    """Per role: Σ w·m / Σ w over the questions it answered, m its mean answer to each
    question (rows rcode, qcode, m) and w the question's weight within the group (indexed
    by question code)."""
    if m.empty:
        return {}
    m = m.assign(w=weights[m["qcode"].to_numpy()])
    m["wm"] = m["w"] * m["m"]
    agg = m.sort_values(["rcode", "qcode"]).groupby("rcode")[["wm", "w"]].sum()
    out = agg["wm"] / agg["w"]
    got = dict(zip([names[c] for c in out.index.tolist()], out.tolist(), strict=True))
    return {k: got[k] for k in keys if k in got}


def _respondent_means(
    matrix: np.ndarray,
    codes: list[int],
    weights: np.ndarray,
    people: np.ndarray,
    names: list[str],
) -> dict[str, float]:
    """Per respondent (in `people` order): Σ w·x / Σ w over the group's questions (`codes`)
    the respondent answered, x the answer. Both sums add a respondent's terms in question
    code order, segment by segment with `np.add.reduceat` (as pandas sums sorted groups)."""
    if not codes:
        return {}
    block = matrix[:, codes]
    has = ~np.isnan(block)
    counts = has.sum(axis=1)
    answered = np.flatnonzero(counts)
    if not len(answered):
        return {}
    x = block[has]  # row by row: respondent, then question code
    w = np.broadcast_to(weights[codes], block.shape)[has]
    starts = np.concatenate([[0], np.cumsum(counts[answered])[:-1]])
    sums = np.add.reduceat(np.stack([w * x, w], axis=1), starts, axis=0)
    means = np.full(len(matrix), np.nan)
    means[answered] = sums[:, 0] / sums[:, 1]
    keep = people[counts[people] > 0]
    return dict(zip([names[c] for c in keep.tolist()], means[keep].tolist(), strict=True))
