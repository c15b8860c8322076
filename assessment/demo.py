"""`crmm demo`: a fictitious retailer's audit, scored and reported in both languages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from frameworks.fileio import write_atomic
from frameworks.model import Framework
from frameworks.text import LANGS, Lang
from questionnaires.loader import load_questionnaire
from questionnaires.model import Questionnaire

from .synthetic import SyntheticRespondent, synthesize

QUESTIONNAIRE = "full-audit"
BENCHMARK = "illustrative"  # the built-in benchmark: synthetic, labelled as such
SEED = 20261101
DATE = dt.date(2026, 11, 1)
ORGANIZATION = {
    "name": "海澜湾零售连锁有限公司 (Hailan Bay Retail Co., fictitious)",
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
# (id, role, department, bias, N/A rate, {criterion: comment}, {criterion: evidence})
PEOPLE: list[tuple[str, str, str, float, float, dict[str, str], dict[str, list[str]]]] = [
    (
        "zhang-wei",
        "leadership",
        "总经理办公室 / CEO office",
        0.45,
        0.15,
        {"lead-customer-vision": "“顾客第一”写进了年度经营计划,但门店考核仍以销售额为主。"},
        {"lead-customer-vision": ["2026 年度经营计划.pdf"]},
    ),
    (
        "li-na",
        "sales",
        "门店运营部 / Store operations",
        0.1,
        0.2,
        {"ops-care-development": "会员生日关怀只在部分门店执行。"},
        {"ops-care-development": ["会员关怀 SOP v2.docx"]},
    ),
    (
        "chen-jie",
        "marketing",
        "市场部 / Marketing",
        0.0,
        0.15,
        {"strat-segmentation": "RFM segmentation exists in a spreadsheet, refreshed quarterly."},
        {"strat-segmentation": ["RFM-2026Q3.xlsx"]},
    ),
    (
        "wang-fang",
        "service",
        "客户服务中心 / Service centre",
        -0.35,
        0.2,
        {"ops-complaints": "投诉登记在呼叫中心系统,但门店现场投诉没有统一记录。"},
        {"ops-complaints": ["投诉台账 2026-10.xlsx", "呼叫中心月报 10 月.pdf"]},
    ),
    (
        "zhou-lei",
        "it",
        "信息技术部 / IT",
        -0.1,
        0.2,
        {"tech-customer-data": "POS 会员库与电商平台会员库尚未打通,手机号是唯一的关联键。"},
        {"tech-customer-data": ["系统架构图.png"]},
    ),
]
TEXTS_BY_ROLE = {
    "leadership": "最大的障碍是门店和电商两套班子各管各的客户。 / Stores and e-commerce each"
    " run their own customers.",
    "service": "高峰期热线接通率低。 / Hotline answer rate drops at peak times.",
}


def demo_responses(q: Questionnaire, fw: Framework) -> dict[str, object]:
    """The demo's responses document, identical on every run."""
    people = []
    for pid, role, dept, bias, na_rate, comments, evidence in PEOPLE:
        mine = [x for x in q.questions if not x.roles or role in x.roles]
        first: dict[str, str] = {}
        for x in mine:
            if x.type != "text":
                first.setdefault(x.criterion, x.id)
        people.append(
            SyntheticRespondent(
                id=pid,
                role=role,
                department=dept,
                bias=bias,
                na_rate=na_rate,
                comments={first[c]: t for c, t in comments.items() if c in first},
                evidence={first[c]: e for c, e in evidence.items() if c in first},
            )
        )
    texts = {}
    for x in q.questions:
        if x.type == "text":
            texts[x.id] = TEXTS_BY_ROLE.get(
                x.roles[0] if x.roles else "leadership", TEXTS_BY_ROLE["leadership"]
            )
    return synthesize(q, fw, ORGANIZATION, PROFILE, people, DATE, SEED, texts=texts)


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


def demo_texts(responses_path: Path) -> tuple[str, str]:
    """The demo responses file and its result JSON, as `crmm demo` writes them."""
    from .engine import result_json

    q, fw = load_questionnaire(QUESTIONNAIRE)
    header = (
        "# Fictitious demo company — generated by `crmm demo`; not real data.\n"
        "# 虚构的示例公司,由 `crmm demo` 生成,并非真实数据。\n"
    )
    text = header + yaml.safe_dump(
        demo_responses(q, fw), allow_unicode=True, sort_keys=False, width=100
    )
    return text, result_json(_scored(text, responses_path)[1])


def run_demo(outdir: Path) -> list[Path]:
    """Write the demo responses, the JSON result and the zh-CN and en PDF reports (the two
    PDFs in parallel processes)."""
    from concurrent.futures import ProcessPoolExecutor

    responses_path = outdir / "demo-responses.yaml"
    text, result = demo_texts(responses_path)
    write_atomic(responses_path, text)
    result_path = outdir / "demo-result.json"
    write_atomic(result_path, result)
    pdfs = [outdir / f"demo-report-{lang}.pdf" for lang in LANGS]
    with ProcessPoolExecutor(max_workers=len(LANGS)) as pool:
        n = len(LANGS)
        done = list(pool.map(_write_report, [text] * n, [responses_path] * n, LANGS, pdfs))
    return [responses_path, result_path, *done]
