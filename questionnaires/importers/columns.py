"""Which question (or metadata field) each export column holds.

A column is matched, in this order: by the mapping file; as a known metadata column
(respondent id, role, department, submit time, IP, ...); by a sub-question code or text
(LimeSurvey `Q1[SQ001]`, wjx `5(子题)`, Qualtrics `Title - Statement`, SurveyMonkey's second
header row); as one option of a multiple-choice question (wjx coded `6(选项)`, SurveyMonkey,
LimeSurvey `Q6[SQ002]`); by question code (the crmm id, case and `-`/`_` ignored); by
question text in zh-CN or en, numbering and punctuation ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from questionnaires.model import Question, Questionnaire

from .textmatch import norm, strip_numbering
from .values import NA_TEXTS, Dialect, na_option, option_index

Kind = Literal["id", "role", "department", "meta", "answer", "option", "ignore", "unmatched"]


@dataclass(frozen=True)
class Column:
    """One export column as its headings describe it."""

    index: int
    label: str  # the heading shown in messages
    code: str = ""  # a short name: LimeSurvey code, Qualtrics row 1, a CSV heading
    text: str = ""  # question text heading
    sub: str = ""  # sub-question or option: [SQ001], (子题), SurveyMonkey row 2
    group: str = ""  # a platform's question number shared by sub-columns


@dataclass(frozen=True)
class Match:
    kind: Kind
    qid: str | None = None
    option: int | None = None  # option index, for one-column-per-option exports
    personal: bool = False


def _keys(*names: str) -> frozenset[str]:
    return frozenset(norm(n) for n in names)


ID_KEYS = _keys(
    "序号", "respondent", "ResponseId", "Response ID", "Respondent ID", "id", "答卷编号"
)
ROLE_KEYS = _keys(
    "role", "角色", "受访者角色", "您的角色", "您的岗位", "your role", "what is your role"
)
DEPARTMENT_KEYS = _keys("department", "部门")
PERSONAL_KEYS = _keys(
    "来源详情", "来自IP", "IP", "IPAddress", "IP Address", "ipaddr", "refurl", "Referrer URL",
    "token", "Access code", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
    "ExternalReference", "External Data Reference", "LocationLatitude", "LocationLongitude",
    "Location Latitude", "Location Longitude", "Email", "Email Address", "Name", "First Name",
    "Last Name", "电子邮件", "名称", "姓名", "邮箱", "name",
)  # fmt: skip
META_KEYS = PERSONAL_KEYS | _keys(
    # 问卷星 wjx.cn
    "提交答卷时间", "所用时间", "来源", "总分",
    # Qualtrics (row 1 names and row 2 labels)
    "StartDate", "EndDate", "Status", "Response Type", "Progress", "Duration (in seconds)",
    "Finished", "RecordedDate", "DistributionChannel", "UserLanguage", "Q_RecaptchaScore",
    # LimeSurvey (codes and full headings)
    "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp",
    "Date submitted", "Last page", "Start language", "Date started", "Date last action",
    # Microsoft Forms (en and zh-CN)
    "Start time", "Completion time", "Last modified time", "开始时间", "完成时间", "上次修改时间",
    # SurveyMonkey
    "Collector ID", "Start Date", "End Date", "Custom Data 1", "Custom Data",
    # any platform
    "user agent", "language", "语言",
)  # fmt: skip
SUBMIT_KEYS = _keys(
    "提交答卷时间", "submitdate", "Date submitted", "EndDate", "End Date", "RecordedDate",
    "Completion time", "完成时间",
)  # fmt: skip
# LimeSurvey's "full" headings: `QC01. 客户在贵组织…` (the question code, then its text)
CODE_AND_TEXT = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_-]*)\.\s+(\S.*)$", re.S)
NOT_A_SUB = _keys("Response", "Open-Ended Response", "Selected Choice")


class QuestionIndex:
    """Questions of a questionnaire by code and by normalised text."""

    def __init__(self, q: Questionnaire) -> None:
        self.questionnaire = q
        self.by_code: dict[str, str] = {norm(x.id): x.id for x in q.questions}
        texts: dict[str, set[str]] = {}
        for x in q.questions:
            for t in x.text.texts():
                texts.setdefault(norm(strip_numbering(t)), set()).add(x.id)
        self.by_text = {k: next(iter(v)) for k, v in texts.items() if len(v) == 1 and k}

    def question(self, qid: str) -> Question:
        return self.questionnaire.question_by_id[qid]

    def code(self, code: str) -> str | None:
        return self.by_code.get(norm(code)) if code else None

    def text(self, heading: str) -> str | None:
        key = norm(strip_numbering(heading))
        if not key:
            return None
        if key in self.by_text:
            return self.by_text[key]
        if len(key) >= 10:  # a heading cut short, or a question text cut short
            hits = {
                qid for t, qid in self.by_text.items() if t.startswith(key) or key.startswith(t)
            }
            if len(hits) == 1:
                return hits.pop()
        return None

    def find(self, *headings: str) -> str | None:
        """The question a heading names: by code, by text, or as a "full" heading
        `CODE. question text` (LimeSurvey) by its code part, then its text part."""
        for h in headings:
            if h and (qid := self.code(h) or self.text(h)):
                return qid
            if (
                h
                and (m := CODE_AND_TEXT.match(h))
                and (qid := self.code(m.group(1)) or self.text(m.group(2)))
            ):
                return qid
        return None

    def closest(self, heading: str) -> str | None:
        """The question whose code starts the heading, else whose text or code looks most
        like it (for messages); None when nothing looks like it."""
        import difflib

        key = norm(strip_numbering(heading))
        prefixed = [c for c in self.by_code if len(c) >= 3 and norm(heading).startswith(c)]
        if prefixed:
            return self.by_code[max(prefixed, key=len)]
        pool = {**self.by_text, **self.by_code}
        hits = difflib.get_close_matches(key, list(pool), n=1, cutoff=0.5)
        return pool[hits[0]] if hits else None

    def option_of(self, qid: str | None, sub: str, dialect: Dialect) -> int | None:
        """The option index a sub-heading names; the number of options for N/A."""
        if qid is None:
            return None
        q = self.question(qid)
        if q.type != "multiple_choice":
            return None
        found = option_index(q, sub, dialect)
        if found is None and na_option(q, sub, dialect):
            assert q.options is not None
            return len(q.options)
        return found

    @staticmethod
    def _names_option(q: Question, sub: str, dialect: Dialect) -> bool:
        return option_index(q, sub, dialect) is not None or na_option(q, sub, dialect)

    def option_anywhere(
        self, sub: str, dialect: Dialect, siblings: Sequence[str] = ()
    ) -> tuple[str, int] | None:
        """The one multiple-choice question having an option with this text; when several
        have one (`以上都没有`), the one among them whose options also name every sibling
        column (the other options under the same question number, wjx's coded `6(选项)`)."""
        hits = []
        key = norm(sub)
        for x in self.questionnaire.questions:
            if x.type == "multiple_choice" and x.options:
                for i, o in enumerate(x.options):
                    if key and key in {norm(t) for t in o.text.texts()}:
                        hits.append((x.id, i))
        if not hits and key in NA_TEXTS:  # `6(不适用)`: the question of its sibling options
            others = [x for x in siblings if norm(x) not in NA_TEXTS]
            hits = [
                (x.id, len(x.options))
                for x in self.questionnaire.questions
                if x.type == "multiple_choice" and x.options and x.allow_na and others
                if all(option_index(x, s, dialect) is not None for s in others)
            ]
        elif len(hits) > 1 and siblings:
            hits = [
                (qid, i)
                for qid, i in hits
                if all(self._names_option(self.question(qid), s, dialect) for s in siblings)
            ]
        return hits[0] if len(hits) == 1 else None


def _mapped_column(col: Column, columns: Mapping[str, Any]) -> tuple[bool, str | None]:
    for name, target in columns.items():
        key = str(name)
        if key in (col.label, col.code, col.text) or norm(key) == norm(col.label):
            return True, None if target is None else str(target)
    return False, None


def classify(
    col: Column,
    index: QuestionIndex,
    dialect: Dialect,
    mapping: Mapping[str, Any] | None = None,
    siblings: Sequence[str] = (),
) -> Match:
    """What one column holds; `siblings` are the sub-headings of the columns that share its
    question number (to tell apart options that several questions have)."""
    m = mapping or {}
    heads = [h for h in (col.label, col.code, col.text) if h]
    names = {norm(h) for h in heads}
    for field, kind in (
        ("id_column", "id"),
        ("role_column", "role"),
        ("department_column", "department"),
    ):
        if m.get(field) and norm(str(m[field])) in names:
            return Match(kind)  # type: ignore[arg-type]
    found, target = _mapped_column(col, m.get("columns") or {})
    if found:
        if target is None:
            return Match("ignore")
        if "#" in target:  # question-id#option-id: one column per option
            target_q, _, target_opt = target.partition("#")
            return Match("option", target_q, index.option_of(target_q, target_opt, dialect))
        return Match("answer", target)
    if not col.sub or norm(col.sub) in NOT_A_SUB:
        if names & ID_KEYS and not m.get("id_column"):
            return Match("id")
        if names & ROLE_KEYS and not m.get("role_column"):
            return Match("role")
        if names & DEPARTMENT_KEYS:
            return Match("department")
        if names & META_KEYS:
            return Match("meta", personal=bool(names & PERSONAL_KEYS))
    if col.sub and norm(col.sub) not in NOT_A_SUB:
        if qid := index.find(col.sub):  # a matrix row / array sub-question
            return Match("answer", qid)
        parent = index.find(col.code, col.text)
        opt = index.option_of(parent, col.sub, dialect)
        if opt is not None:
            return Match("option", parent, opt)
        if parent is None and (hit := index.option_anywhere(col.sub, dialect, siblings)):
            return Match("option", hit[0], hit[1])
    qid = index.find(col.code, col.text)
    return Match("answer", qid) if qid else Match("unmatched")
