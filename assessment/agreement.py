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
from typing import TYPE_CHECKING, Any, Literal

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
    kept = {t: v for t, v in arrays.items() if len(v) >= 2}
    targets = len(kept)
    if not kept:
        return Icc(None, None, None, None, None, targets, "one-answer")
    if targets < 2:
        return Icc(None, None, None, None, None, targets, "one-question")
    n = np.array([len(v) for v in kept.values()], dtype=float)
    means = np.array([v.mean() for v in kept.values()])
    total = float(n.sum())
    grand = float((n * means).sum() / total)
    ssb = float((n * (means - grand) ** 2).sum())
    ssw = float(sum(((v - v.mean()) ** 2).sum() for v in kept.values()))
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
    from .scoring import answers_frame

    return agreement_from_frame(answers_frame(responses, q, fw), q, fw)


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


def agreement_from_frame(
    frame: pd.DataFrame,
    q: Questionnaire,
    fw: Framework,
    respondent_order: Mapping[str, int] | None = None,
) -> Agreement:
    """Agreement from an answer table with columns respondent, role, question, score, na
    (as `scoring.answers_frame` makes it)."""
    from .scoring import question_table

    qt = question_table(q, fw).set_index("question")
    order = respondent_order or {}
    people = sorted(frame["respondent"].unique(), key=lambda p: (order.get(p, 0), str(p)))
    role_of = frame.drop_duplicates("respondent").set_index("respondent")["role"]
    roles = tuple(dict.fromkeys(role_of.loc[people].tolist()))
    # Sorting by score makes every sum independent of the respondents' order. Questions are
    # grouped as codes in their sorted order (the same order, and sums, as by their texts),
    # respondents and roles as codes: grouping 100 000 texts per group would take minutes.
    ok = frame[~frame["na"].astype(bool) & frame["score"].notna()]
    ok = ok[ok["question"].isin(qt.index)]
    qcode, q_names = pd.factorize(ok["question"], sort=True)
    ok = ok.assign(qcode=qcode).sort_values(["qcode", "score"], kind="stable")
    who, who_names = pd.factorize(ok["respondent"])
    rcode, r_names = pd.factorize(ok["role"])
    ok = ok.assign(who=who, rcode=rcode)
    q_index = {str(x): i for i, x in enumerate(q_names)}
    g = ok.groupby("qcode")["score"]
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
    stats.index = pd.Index([str(q_names[int(i)]) for i in stats.index.tolist()])
    na = frame[frame["na"].astype(bool)].groupby("question").size()
    by_pair = ok.groupby(["qcode", "rcode"])["score"].mean()
    role_means = {
        (str(q_names[a]), str(r_names[b])): float(v)
        for (a, b), v in zip(by_pair.index.tolist(), by_pair.tolist(), strict=True)
    }
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
                not_applicable=int(na.get(qid, 0)),
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

    def group(
        kind: Literal["criterion", "element", "overall"], gid: str, ids: list[str]
    ) -> GroupAgreement:
        weight_col = {"criterion": "qw", "element": "effective_weight", "overall": "overall_w"}
        sub = ok[ok["qcode"].isin([q_index[i] for i in ids if i in q_index])]
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
        scores = sub.groupby("qcode")["score"]
        stat = icc({str(q_names[int(str(i))]): grp.tolist() for i, grp in scores})
        if not multi:
            stat = Icc(None, None, None, None, None, stat.targets, "one-respondent")
        w = qt[weight_col[kind]]
        return GroupAgreement(
            kind=kind,
            id=gid,
            items=items,
            mean_ratio=mean_ratio,
            rwg_j=value,
            reason=reason,
            low=value is not None and value < RWG_CUTOFF,
            icc=stat,
            by_role=_weighted_means(sub, "rcode", w.reindex(q_names), roles, r_names),
            by_respondent=_weighted_means(sub, "who", w.reindex(q_names), tuple(people), who_names),
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


def _weighted_means(
    sub: pd.DataFrame,
    by: str,
    weights: pd.Series,
    keys: tuple[str, ...],
    names: Any = None,
) -> dict[str, float]:
    """Per role (or respondent): Σ w·m / Σ w over the questions it answered, m its mean
    answer to each question and w the question's weight within the group. `weights` are
    indexed by question code (`qcode`); with `names`, the `by` column holds codes too."""
    if sub.empty:
        return {}
    if by == "who":  # one answer per respondent and question: its mean is itself
        m = sub[[by, "qcode", "score"]].rename(columns={"score": "m"})
    else:
        m = sub.groupby([by, "qcode"])["score"].mean().rename("m").reset_index()
    m["w"] = weights.to_numpy(dtype=float)[m["qcode"].to_numpy()]
    m["wm"] = m["w"] * m["m"]
    agg = m.sort_values([by, "qcode"]).groupby(by)[["wm", "w"]].sum()
    out = agg["wm"] / agg["w"]
    codes = out.index.to_numpy()
    labels = codes.tolist() if names is None else np.asarray(names, dtype=object)[codes].tolist()
    got = dict(zip(labels, out.tolist(), strict=True))
    return {str(k): got[k] for k in keys if k in got}
