"""`crmm demo`: a fictitious retailer's audit, scored and reported in both languages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from frameworks.fileio import write_atomic
from frameworks.model import Framework
from frameworks.text import LANGS, Lang
from questionnaires.loader import load_questionnaire
from questionnaires.model import Questionnaire

from .demo_answers import DemoAnswers, Written, load_demo_answers
from .synthetic import SyntheticRespondent, synthesize

QUESTIONNAIRE = "full-audit"
BENCHMARK = "illustrative"  # the built-in benchmark: synthetic, labelled as such
SEED = 20261101
DATE = dt.date(2026, 11, 1)
ORGANIZATION = {  # the organisation profile; its name, per language, is in the demo answers
    "industry": "retail",
    "size": "medium",
    "region": "east-china",
}
# Latent maturity per element (1-5): a regional chain that sells well but has not organised
# around its customers yet: service operations ahead of people, data and measurement, and an
# organisation still built around stores and products (the weak element that gates the level).
PROFILE = {
    "leadership": 3.3,
    "strategy": 2.9,
    "organization": 1.7,
    "resources": 2.8,
    "technology": 2.7,
    "operations": 3.3,
    "outcomes": 2.8,
}
# Latent intention per element (1-5) in the full audit (assessment/demo_audit.py; the survey
# draws its intention answers from PROFILE): what the company has decided, planned, announced.
# It means more than it does where plans are cheap and delivery is hard: technology most (a
# third membership-system project and a single member database decided on paper, about a
# level ahead of the tills and the data), then strategy (a written customer strategy and
# roadmap, half a level); elsewhere a few tenths, and store operations do what they intend.
# The leadership, who answer every intention question, also rate more generously (bias).
INTENTION = {
    "leadership": 3.5,
    "strategy": 3.5,
    "organization": 2.1,
    "resources": 3.0,
    "technology": 3.6,
    "operations": 3.3,
    "outcomes": 2.9,
}


class Person(NamedTuple):
    """A demo respondent as the synthesis sees them: how generous their ratings are (bias,
    in levels) and how often they answer "not applicable" where a question allows it."""

    id: str
    role: str
    bias: float
    na_rate: float


# The CEO rates the company higher than the people who hear the customers (service) do.
PEOPLE = [
    Person("zhang-wei", "leadership", 0.45, 0.15),
    Person("li-na", "sales", 0.1, 0.2),
    Person("chen-jie", "marketing", 0.0, 0.15),
    Person("wang-fang", "service", -0.35, 0.2),
    Person("zhou-lei", "it", -0.1, 0.2),
]


def demo_written() -> DemoAnswers:
    """What the demo's respondents wrote (assessment/data/demo_answers.yaml), checked."""
    return load_demo_answers({p.id: p.role for p in PEOPLE})


def organization(lang: Lang) -> dict[str, str]:
    """The demo organisation's profile, named in one language."""
    return {"name": demo_written().organization.get(lang), **ORGANIZATION}


def _evidence_by_criterion(q: Questionnaire, person: Person, lang: Lang) -> dict[str, list[str]]:
    """For another questionnaire than the one the demo answers are written for: the documents
    a respondent named for a criterion, on the first question of that criterion they answer
    (a comment or a value fits its own question only, a document fits the criterion)."""
    data = demo_written()
    written_for, _ = load_questionnaire(data.questionnaire)
    criterion = {x.id: x.criterion for x in written_for.questions}
    docs: dict[str, list[str]] = {}
    for qid, by_person in data.answers.items():
        w = by_person.get(person.id)
        if w is not None:
            named = docs.setdefault(criterion[qid], [])
            named += [d for d in data.evidence(w, lang) if d not in named]
    first: dict[str, str] = {}
    for x in q.questions:
        if x.type != "text" and (not x.roles or person.role in x.roles):
            first.setdefault(x.criterion, x.id)
    return {first[c]: named for c, named in docs.items() if named and c in first}


def demo_people(q: Questionnaire, lang: Lang, written: bool = True) -> list[SyntheticRespondent]:
    """The demo's respondents for questionnaire q, with what they wrote in `lang` (unless not
    `written`): everything for the questionnaire the demo answers are written for, their
    evidence for another one."""
    data = demo_written()
    out = []
    for p in PEOPLE:
        mine = {
            qid: w
            for qid, by_person in data.answers.items()
            if written and q.id == data.questionnaire and (w := by_person.get(p.id))
        }
        evidence = {qid: data.evidence(w, lang) for qid, w in mine.items() if w.evidence}
        if written and q.id != data.questionnaire:
            evidence = _evidence_by_criterion(q, p, lang)
        out.append(respondent(p, data.departments[p.id].get(lang), mine, evidence, lang))
    return out


def respondent(
    p: Person,
    department: str,
    mine: Mapping[str, Written],
    evidence: dict[str, list[str]],
    lang: Lang,
) -> SyntheticRespondent:
    """A demo respondent for the synthesis: what they wrote (`mine`, question -> text) in
    `lang`, with the evidence references given per question."""
    values: dict[str, Any] = {qid: w.value for qid, w in mine.items() if w.value is not None}
    values |= {qid: w.text.get(lang) for qid, w in mine.items() if w.text is not None}
    return SyntheticRespondent(
        id=p.id,
        role=p.role,
        department=department,
        bias=p.bias,
        na_rate=p.na_rate,
        comments={qid: w.comment.get(lang) for qid, w in mine.items() if w.comment},
        evidence=evidence,
        values=values,
    )


def demo_responses(q: Questionnaire, fw: Framework, lang: Lang = "zh-CN") -> dict[str, object]:
    """The demo's responses document in one language, identical on every run; the two
    languages differ only in their texts (names, comments, evidence), never in a value."""
    return synthesize(q, fw, organization(lang), PROFILE, demo_people(q, lang), DATE, SEED)


def _scored(text: str, responses_path: Path) -> tuple[Any, Any, Questionnaire, Framework]:
    """The parsed demo responses, their benchmarked result, questionnaire and framework."""
    from .benchmarking import with_benchmark
    from .engine import assess
    from .responses import parse_responses

    q, fw = load_questionnaire(QUESTIONNAIRE)
    loaded = parse_responses(text.encode(), str(responses_path))
    return loaded, with_benchmark(assess(loaded, q, fw), BENCHMARK), q, fw


def _write_report(text: str, responses_path: Path, lang: Lang, pdf: Path) -> Path:
    """Score the demo responses and write its PDF report in one language (a pool task)."""
    from reports import render_report

    loaded, result, q, fw = _scored(text, responses_path)
    data = render_report(
        result,
        fw,
        q,
        lang=lang,
        fmt="pdf",
        responses=loaded.responses,
        responses_file=text.encode(),
    )
    write_atomic(pdf, data)
    return pdf


HEADER = {
    "zh-CN": "# 虚构的示例公司，由 `crmm demo` 生成，并非真实数据。\n",
    "en": "# Fictitious demo company — generated by `crmm demo`; not real data.\n",
}


def demo_texts(responses_path: Path, lang: Lang) -> tuple[str, str]:
    """The demo responses file in one language and its result JSON, as `crmm demo` writes
    them."""
    from .engine import result_json

    q, fw = load_questionnaire(QUESTIONNAIRE)
    text = HEADER[lang] + yaml.safe_dump(
        demo_responses(q, fw, lang), allow_unicode=True, sort_keys=False, width=100
    )
    return text, result_json(_scored(text, responses_path)[1])


def run_demo(outdir: Path) -> list[Path]:
    """Write, per language, the demo responses, their JSON result and the PDF report made
    from them, then the full audit's responses, result and reports (PDF, DOCX, PPTX deck;
    assessment/demo_audit.py); the reports in two processes."""
    from concurrent.futures import ProcessPoolExecutor

    from .demo_audit import REPORTS, audit_texts, write_audit_report

    written: list[Path] = []
    tasks: list[tuple[Callable[..., Path], tuple[Any, ...]]] = []

    def answers(
        prefix: str, texts: Callable[[Path, Lang], tuple[str, str]], lang: Lang
    ) -> tuple[str, Path]:
        """Write `prefix`-responses-LANG.yaml and its result; the text and the path."""
        responses_path = outdir / f"{prefix}-responses-{lang}.yaml"
        text, result = texts(responses_path, lang)
        write_atomic(responses_path, text)
        result_path = outdir / f"{prefix}-result-{lang}.json"
        write_atomic(result_path, result)
        written.extend([responses_path, result_path])
        return text, responses_path

    for lang in LANGS:
        text, responses_path = answers("demo", demo_texts, lang)
        tasks.append(
            (_write_report, (text, responses_path, lang, outdir / f"demo-report-{lang}.pdf"))
        )
    for lang in LANGS:
        text, responses_path = answers("demo-audit", audit_texts, lang)
        for fmt, name in REPORTS:
            out = outdir / name.format(lang=lang)
            tasks.append((write_audit_report, (text, responses_path, lang, fmt, out)))
    with ProcessPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(task, *args) for task, args in tasks]
        return [*written, *(f.result() for f in futures)]
