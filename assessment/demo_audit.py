"""The demo company's full audit (`crmm demo`, files demo-audit-*): a consultant's audit of the
company the demo's survey describes, with intention and reality, an evidence register, two
assessor ratings and a workshop.

The interviewees' scores are synthesised like the survey's (assessment/synthetic.py: the
company's reality profile, and its intention profile for the intention questions, from
assessment/demo.py), with their own seed; what the assessors recorded is written down in
assessment/data/demo_audit.yaml and checked here. Each rating's `before` is what the library
scores the answers (and the entries above it) at, so the trail is right by construction. The
responses file carries comments explaining each part: it is the model a consultant copies
(examples/full-audit/ holds the same files).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from frameworks.errors import InputError, Problem
from frameworks.fileio import load_data, validate_as
from frameworks.model import Dimension, Framework
from frameworks.text import Lang
from questionnaires.loader import load_questionnaire
from questionnaires.model import Questionnaire

from . import demo
from .demo_answers import Translated, Written
from .responses import EvidenceKind, EvidenceStatus
from .synthetic import SyntheticRespondent, synthesize

__all__ = [
    "PATH",
    "SEED",
    "DemoAudit",
    "audit_responses",
    "audit_texts",
    "load_demo_audit",
]

PATH = Path(str(resources.files("assessment") / "data" / "demo_audit.yaml"))
SEED = 20261127


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AuditPerson(_Model):
    """An interviewee: one of the survey's respondents (department, bias and N/A rate from
    assessment/demo.py and demo_answers.yaml) or a new one who states them."""

    id: str
    role: str
    name: Translated
    department: Translated | None = None
    bias: float | None = None
    na_rate: float | None = Field(default=None, ge=0, le=1)


class ItemSource(_Model):
    person: Translated | None = None
    role: str | None = None


class Item(_Model):
    """An evidence register item; `document` names the survey's document it is."""

    id: str
    kind: EvidenceKind
    document: str | None = None
    title: Translated
    date: dt.date
    location: str | None = None
    source: ItemSource
    criteria: list[str]
    status: EvidenceStatus
    reason: Translated | None = None


class Rating(_Model):
    criterion: str
    dimension: Dimension | None = None
    rating: int = Field(ge=1, le=5)
    reason: Translated
    evidence: list[str] = Field(min_length=1)
    at: dt.datetime


class WorkshopParticipant(_Model):
    name: Translated
    role: str
    department: Translated


class Workshop(_Model):
    id: str
    role: str
    name: Translated
    department: Translated
    participants: list[WorkshopParticipant] = Field(min_length=2)
    answers: dict[str, Written]

    @field_validator("answers", mode="before")
    @classmethod
    def _short_form(cls, v: Any) -> Any:
        """`q: 3` is short for `q: {value: 3}`, as in a responses file."""
        if isinstance(v, dict):
            return {k: a if isinstance(a, dict) else {"value": a} for k, a in v.items()}
        return v


class DemoAudit(_Model):
    type: Literal["demo-audit"]
    version: int
    date: dt.date
    assessor: Translated
    people: list[AuditPerson]
    evidence_register: list[Item]
    ratings: list[Rating]
    workshop: Workshop
    answers: dict[str, dict[str, Written]]

    def cited(self) -> dict[str, str]:
        """Survey document id -> the register item it is."""
        return {i.document: i.id for i in self.evidence_register if i.document is not None}


def check(data: DemoAudit, q: Questionnaire, fw: Framework, source: str) -> list[Problem]:
    """Every reference of the audit data resolves: people and roles against the survey's
    respondents and the questionnaire, questions asked of whoever answers them, criteria,
    documents and evidence ids; the ratings cite accepted evidence of criteria the audit
    asks, and the dates come before the audit's."""
    survey = {p.id: p for p in demo.PEOPLE}
    documents = demo.demo_written().documents
    questions = {x.id: x for x in q.questions}
    asked = {x.criterion for x in q.questions if x.scored}
    register = {i.id: i for i in data.evidence_register}
    people = {p.id: p for p in data.people}
    problems: list[Problem] = []

    def bad(path: str, message: str) -> None:
        problems.append(Problem(source, path, message))

    def answered(where: str, qid: str, role: str, w: Written) -> None:
        x = questions.get(qid)
        if x is None:
            bad(where, f"no such question in {q.id}")
        elif x.roles and role not in x.roles:
            bad(where, f"the question is not asked of role {role}")
        elif x.type == "text" or w.text is not None:
            bad(where, "the audit's answers give values, comments and evidence only")
        for j, ref in enumerate(w.evidence):
            if ref not in register:
                bad(f"{where}.evidence[{j}]", f"no such evidence id: {ref}")

    for i, p in enumerate(data.people):
        where = f"people[{i}]"
        if p.role not in q.role_by_id:
            bad(f"{where}.role", f"no such role in {q.id}")
        if p.id in survey:
            if p.role != survey[p.id].role:
                bad(f"{where}.role", f"{p.id} is {survey[p.id].role} in the survey")
            if p.department or p.bias is not None or p.na_rate is not None:
                bad(where, "a survey respondent keeps the survey's department, bias and N/A rate")
        elif p.department is None or p.bias is None or p.na_rate is None:
            bad(where, "a new interviewee needs a department, a bias and an N/A rate")
    if len(people) != len(data.people):
        bad("people", "duplicate ids")
    for i, item in enumerate(data.evidence_register):
        where = f"evidence_register[{i}]"
        if item.document is not None and item.document not in documents:
            bad(f"{where}.document", f"no such document in the survey: {item.document}")
        for j, c in enumerate(item.criteria):
            if c not in fw.criteria:
                bad(f"{where}.criteria[{j}]", f"unknown criterion {c!r}")
        if item.source.role is not None and item.source.role not in q.role_by_id:
            bad(f"{where}.source.role", f"no such role in {q.id}")
        if item.date >= data.date:
            bad(f"{where}.date", "evidence is dated before the audit")
        if (item.reason is None) != (item.status in ("accepted", "pending")):
            bad(f"{where}.reason", "insufficient and rejected items, and only they, give a reason")
    if len(register) != len(data.evidence_register):
        bad("evidence_register", "duplicate ids")
    for i, r in enumerate(data.ratings):
        where = f"ratings[{i}]"
        if r.criterion not in asked:
            bad(f"{where}.criterion", f"{r.criterion!r} is not asked by {q.id}")
        for j, ref in enumerate(r.evidence):
            if ref not in register or register[ref].status != "accepted":
                bad(f"{where}.evidence[{j}]", f"{ref} is not an accepted register item")
        if r.at.tzinfo is None or r.at.date() > data.date:
            bad(f"{where}.at", "a time with its offset, on or before the audit's date")
    ws = data.workshop
    for qid, w in ws.answers.items():
        if w.value is None:
            bad(f"workshop.answers.{qid}", "a workshop's consensus answer gives a value")
        answered(f"workshop.answers.{qid}", qid, ws.role, w)
    for qid, by_person in data.answers.items():
        for pid, w in by_person.items():
            where = f"answers.{qid}.{pid}"
            if pid not in people or pid in survey:
                bad(where, "not a new interviewee (the survey's five write in demo_answers.yaml)")
            else:
                answered(where, qid, people[pid].role, w)
    return problems


@cache
def _load(path: Path) -> DemoAudit:
    return validate_as(DemoAudit, load_data(path), path)


def load_demo_audit(path: Path = PATH) -> DemoAudit:
    """The audit data, checked against the full audit and the survey (a located InputError
    when it does not fit)."""
    data = _load(path)
    q, fw = load_questionnaire(demo.QUESTIONNAIRE)
    problems = check(data, q, fw, str(path))
    if problems:
        raise InputError(problems)
    return data


def _people(data: DemoAudit, q: Questionnaire, lang: Lang) -> list[SyntheticRespondent]:
    """The interviewees for the synthesis, with their words in `lang`: the survey's five
    with what they wrote then (the documents they named cite the register items those
    documents became; the others are not in the register and are not cited), the new ones
    with what they said."""
    survey = {p.id: p for p in demo.PEOPLE}
    written = demo.demo_written()
    cite = data.cited()
    out = []
    for p in data.people:
        if p.id in survey:
            mine = {
                qid: w for qid, by in written.answers.items() if (w := by.get(p.id)) is not None
            }
            evidence = {
                qid: refs
                for qid, w in mine.items()
                if (refs := [cite[d] for d in w.evidence if d in cite])
            }
            department = written.departments[p.id].get(lang)
            person = survey[p.id]
        else:
            mine = {qid: w for qid, by in data.answers.items() if (w := by.get(p.id)) is not None}
            evidence = {qid: list(w.evidence) for qid, w in mine.items() if w.evidence}
            assert p.department is not None and p.bias is not None and p.na_rate is not None
            department = p.department.get(lang)
            person = demo.Person(p.id, p.role, p.bias, p.na_rate)
        out.append(demo.respondent(person, department, mine, evidence, lang))
    return out


def _answer(w: Written, lang: Lang) -> Any:
    extra: dict[str, Any] = {}
    if w.comment is not None:
        extra["comment"] = w.comment.get(lang)
    if w.evidence:
        extra["evidence"] = list(w.evidence)
    return {"value": w.value, **extra} if extra else w.value


def _workshop(data: DemoAudit, q: Questionnaire, lang: Lang) -> dict[str, Any]:
    ws = data.workshop
    order = [x.id for x in q.questions if x.id in ws.answers]
    return {
        "id": ws.id,
        "kind": "workshop",
        "role": ws.role,
        "name": ws.name.get(lang),
        "department": ws.department.get(lang),
        "participants": [
            {"name": p.name.get(lang), "role": p.role, "department": p.department.get(lang)}
            for p in ws.participants
        ],
        "answers": {qid: _answer(ws.answers[qid], lang) for qid in order},
    }


def _register(data: DemoAudit, lang: Lang) -> list[dict[str, Any]]:
    documents = demo.demo_written().documents
    out = []
    for item in data.evidence_register:
        location = item.location
        if item.document is not None:
            location = documents[item.document].get(lang)
        source: dict[str, Any] = {}
        if item.source.person is not None:
            source["person"] = item.source.person.get(lang)
        if item.source.role is not None:
            source["role"] = item.source.role
        entry: dict[str, Any] = {
            "id": item.id,
            "kind": item.kind,
            "title": item.title.get(lang),
            "date": item.date.isoformat(),
            "source": source,
        }
        if location is not None:
            entry["location"] = location
        entry |= {"criteria": list(item.criteria), "status": item.status}
        if item.reason is not None:
            entry["reason"] = item.reason.get(lang)
        if item.status != "pending":
            entry["reviewed_by"] = data.assessor.get(lang)
        out.append(entry)
    return out


def _figure(doc: dict[str, Any], q: Questionnaire, fw: Framework, rating: Rating) -> float | None:
    """The figure the rating replaces, as `crmm rate` computes it: what the library scores the
    document (its answers and the trail so far) at for the rated criterion or dimension."""
    from .engine import assess
    from .responses import parse_responses
    from .trail import target_value

    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    result = assess(parse_responses(text.encode(), "demo-audit"), q, fw)
    return target_value(result, rating.criterion, rating.dimension)


def audit_responses(q: Questionnaire, fw: Framework, lang: Lang) -> dict[str, Any]:
    """The demo's full audit as a responses document in one language, identical on every
    run; the two languages differ only in their texts, never in a value."""
    data = load_demo_audit()
    drawn = synthesize(
        q,
        fw,
        demo.organization(lang),
        demo.PROFILE,
        _people(data, q, lang),
        data.date,
        SEED,
        intention=demo.INTENTION,
    )
    names = {p.id: p.name.get(lang) for p in data.people}
    respondents = [{"id": r["id"], "name": names[r["id"]]} | r for r in drawn["respondents"]]
    assessor = data.assessor.get(lang)
    doc: dict[str, Any] = {
        "type": "responses",
        "questionnaire": drawn["questionnaire"],
        "organization": drawn["organization"],
        "date": drawn["date"],
        "assessor": assessor,
        "evidence_register": _register(data, lang),
        "assessor_ratings": [],
        "respondents": [*respondents, _workshop(data, q, lang)],
    }
    for rating in data.ratings:
        entry: dict[str, Any] = {"criterion": rating.criterion}
        if rating.dimension is not None:
            entry["dimension"] = rating.dimension
        entry |= {
            "rating": rating.rating,
            "before": _figure(doc, q, fw, rating),
            "reason": rating.reason.get(lang),
            "evidence": list(rating.evidence),
            "by": assessor,
            "at": rating.at.isoformat(),
        }
        doc["assessor_ratings"].append(entry)
    return doc


HEADER = {
    "zh-CN": """\
# 虚构的示例公司，由 `crmm demo` 生成，并非真实数据。
# 一次顾问审计的全部输入：十位受访者（每类岗位两位）的回答、证据登记表、两条评估师评级和一次
# 研讨会。可以照此编写自己的审计文件（examples/full-audit/ 中有同样的文件）。
""",
    "en": """\
# Fictitious demo company — generated by `crmm demo`; not real data.
# All the inputs of a consultant's audit: the answers of ten interviewees (two per role), the
# evidence register, two assessor ratings and one workshop. Copy it as the model of your own
# audit file (examples/full-audit/ holds the same files).
""",
}

COMMENTS: dict[str, dict[str, str]] = {
    "evidence_register": {
        "zh-CN": """\
# 证据登记表：评估师收集的每份文件、链接、访谈纪要和现场观察，注明它支持哪些标准，以及审核结论
# （accepted 接受、insufficient 不充分、rejected 拒绝——后两者须写明理由——或 pending 待审）。
# 回答和评估师评级通过 id 引用证据；引用不存在的 id 会报错并指出位置。只有被接受的证据才算作
# 某项标准的证据（见 docs/certification.md）。
""",
        "en": """\
# The evidence register: every document, link, interview note and observation the assessors
# collected, the criteria it supports and the reviewer's status (accepted, insufficient or
# rejected — the last two with a reason — or pending). Answers and assessor ratings cite these
# ids; an unknown id is an error that names its place. Only accepted items count as a
# criterion's evidence (docs/certification.md).
""",
    },
    "assessor_ratings": {
        "zh-CN": """\
# 审计轨迹，按时间先后：评估师直接评定一项标准或它的一个维度（intention 意图、reality 现实），
# 取代由回答汇总出的分数。每条记录保留评定人、时间（带时区）、被取代的分数（before）、理由和
# 被接受的证据。before 由 crmm 根据回答计算，不要手填（crmm rate 追加一条记录）。轨迹计入
# 文件的哈希值：报告生成后再改动它，crmm verify 会发现。
""",
        "en": """\
# The audit trail, oldest first: an assessor rates a criterion, or one of its dimensions
# (intention, reality), replacing the score the answers give. Each entry keeps who rated, when
# (with the time zone), the score it replaced (`before`), the reason and accepted evidence.
# crmm computes `before` from the answers: never type it (crmm rate appends an entry). The
# trail is part of the file's hash: an edit after the report is made, crmm verify finds.
""",
    },
    "respondents": {
        "zh-CN": """\
# 受访者，每人一条，回答与其岗位（role）相关的题目。意图维度的题目问是否已决定、规划、传达并
# 明确负责人，其余题目问实际做到了什么（现实）。comment 是访谈时记下的原话，evidence 引用
# 上面登记表中的证据 id。
""",
        "en": """\
# The interviewees, one entry each, answering the questions for their role. Questions on the
# intention dimension ask what is decided, planned, communicated and owned; the others ask what
# is actually done (reality). A comment is what the interviewee said; evidence cites the ids of
# the register above.
""",
    },
    "workshop": {
        "zh-CN": """\
# 研讨会：门店员工在一次引导式研讨中商定的共识答案，记为一个 kind: workshop 的受访者，并列出
# 参加者。它的权重由框架规定（scoring.workshop_weight），报告把它与个人的回答并列展示。
""",
        "en": """\
# A workshop: the consensus answers the store staff agreed in one facilitated session, recorded
# as one respondent of kind workshop with its participants. It weighs what the framework says
# (scoring.workshop_weight); the report shows it beside the individual answers.
""",
    },
}


class _Dumper(yaml.SafeDumper):
    """Short lists and mappings of plain values on one line, as a person writes them."""


def _list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.SequenceNode:
    flow = all(not isinstance(v, dict | list) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.MappingNode:
    plain = all(not isinstance(v, dict | list) for v in data.values())
    short = sum(len(str(k)) + len(str(v)) for k, v in data.items()) <= 60
    return dumper.represent_mapping(
        "tag:yaml.org,2002:map", data.items(), flow_style=plain and short
    )


_Dumper.add_representer(list, _list)
_Dumper.add_representer(dict, _dict)


def audit_text(doc: Mapping[str, Any], lang: Lang) -> str:
    """The responses document as YAML, with the comments that explain each part."""

    def dump(data: Any) -> str:
        return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)

    parts = [HEADER[lang]]
    parts.append(dump({k: v for k, v in doc.items() if k not in COMMENTS}))
    parts += [
        COMMENTS["evidence_register"][lang],
        dump({"evidence_register": doc["evidence_register"]}),
    ]
    parts += [
        COMMENTS["assessor_ratings"][lang],
        dump({"assessor_ratings": doc["assessor_ratings"]}),
    ]
    people = [r for r in doc["respondents"] if r.get("kind") != "workshop"]
    workshops = [r for r in doc["respondents"] if r.get("kind") == "workshop"]
    parts += [COMMENTS["respondents"][lang], dump({"respondents": people})]
    parts += [COMMENTS["workshop"][lang], dump(workshops)]
    return "".join(parts)


def audit_texts(responses_path: Path, lang: Lang) -> tuple[str, str]:
    """The full audit's responses file in one language and its result JSON (scored with the
    demo's benchmark), as `crmm demo` writes them."""
    from .inputs import score_responses
    from .result import result_json

    q, fw = load_questionnaire(demo.QUESTIONNAIRE)
    text = audit_text(audit_responses(q, fw, lang), lang)
    scored = score_responses(text.encode(), str(responses_path), benchmark=demo.BENCHMARK)
    return text, result_json(scored.result)


# The full audit's reports, per language: (format, file name pattern).
REPORTS = (
    ("pdf", "demo-audit-report-{lang}.pdf"),
    ("docx", "demo-audit-report-{lang}.docx"),
    ("pptx", "demo-audit-deck-{lang}.pptx"),
)


def write_audit_report(text: str, responses_path: Path, lang: Lang, fmt: str, out: Path) -> Path:
    """Write one report of the full audit as `crmm report` makes it (reports/make.py), with
    the demo's benchmark (a pool task)."""
    from frameworks.fileio import write_atomic
    from reports.make import make_report

    made = make_report(
        text.encode(),
        str(responses_path),
        fmt=fmt,
        lang=lang,
        default_lang=lang,
        benchmark=demo.BENCHMARK,
    )
    write_atomic(out, made.data)
    return out
