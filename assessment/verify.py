"""Re-scoring what a report embeds: its responses against the result it records.

`crmm verify` (reports/verify.py) reads the files a PDF report embeds; `rescore` scores the
embedded responses again with the framework and questionnaire the result names (or those
given) and compares hashes and the whole result byte for byte.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from frameworks.errors import Finding, InputError
from frameworks.fileio import sha256_bytes
from frameworks.model import Framework
from questionnaires.model import Questionnaire

from .response_columns import TableResponses
from .responses import Responses
from .result import AssessmentResult, result_json


@dataclass(frozen=True)
class Check:
    """One check of a verification: what was looked at, whether it holds, and one line on it."""

    name: str
    ok: bool
    detail: str

    @classmethod
    def compare(cls, name: str, recorded: str, found: str) -> Check:
        """A recorded value against the one found now."""
        ok = recorded == found
        return cls(name, ok, found if ok else f"recorded {recorded}, found {found}")


@dataclass(frozen=True)
class Rescored:
    """The checks of a re-scoring and what it produced (to render the report again)."""

    checks: list[Check]
    result: AssessmentResult
    responses: Responses | TableResponses
    questionnaire: Questionnaire
    framework: Framework


def read_result(raw: bytes, source: str, name: str) -> AssessmentResult:
    """An embedded result; InputError when it is not a result of this crmm's format."""
    try:
        return AssessmentResult.model_validate_json(raw)
    except ValidationError as e:
        first = e.errors(include_url=False)[0]
        raise InputError.one(source, name, f"not a crmm result: {first['msg']}") from None


def first_difference(recorded: Any, found: Any, at: str = "") -> str | None:
    """The dotted path of the first place where two JSON documents differ (None: equal)."""
    if isinstance(recorded, dict) and isinstance(found, dict):
        for k in [*recorded, *(k for k in found if k not in recorded)]:
            if k not in recorded or k not in found:
                return f"{at}.{k}" if at else k
            inner = first_difference(recorded[k], found[k], f"{at}.{k}" if at else k)
            if inner is not None:
                return inner
        return None
    if isinstance(recorded, list) and isinstance(found, list):
        for i, (a, b) in enumerate(zip(recorded, found, strict=False)):
            inner = first_difference(a, b, f"{at}[{i}]")
            if inner is not None:
                return inner
        return None if len(recorded) == len(found) else f"{at}[{min(len(recorded), len(found))}]"
    return None if recorded == found else (at or "(the whole document)")


def rescore(
    embedded: AssessmentResult,
    raw_result: bytes,
    responses: bytes,
    questionnaire: str | None = None,
    framework: str | None = None,
    benchmark: str | None = None,
) -> Rescored:
    """Score `responses` again and compare with the `embedded` result (`raw_result` as
    embedded). The framework and questionnaire are the built-in ones the result names unless
    paths are given; a benchmark comparison is made again with the built-in benchmark of
    the recorded id unless `benchmark` names another."""
    from questionnaires.loader import builtin_questionnaires, load_questionnaire

    from .engine import assess
    from .responses import parse_responses

    name = embedded.responses.file
    ref = embedded.questionnaire
    if questionnaire is None and ref.id not in builtin_questionnaires():
        raise InputError.one(
            ref.id,
            "",
            f"the report was scored with questionnaire {ref.id} {ref.version}"
            f" (sha256 {ref.sha256}), which is not built in: give its file with"
            " --questionnaire FILE (and its framework with --framework)",
        )
    q, fw = load_questionnaire(questionnaire or ref.id, framework)
    found_sha = sha256_bytes(responses)
    try:
        loaded = parse_responses(responses, name)
        fresh = assess(loaded, q, fw, embedded.recommendations.target_level)
    except InputError as exc:
        if found_sha == embedded.responses.sha256:
            raise
        # edited responses that no longer score (e.g. an audit trail whose `before` no longer
        # holds): the edit is the finding, not bad input
        raise Finding(
            f"MISMATCH  responses sha256: recorded {embedded.responses.sha256}, found"
            f" {found_sha}: the embedded responses were changed and no longer score"
            f" ({exc.lines()[0]})"
        ) from None
    if embedded.benchmark is not None:
        from frameworks.benchmark import builtin_benchmarks

        from .benchmarking import with_benchmark

        bench = embedded.benchmark
        if benchmark is None and bench.id not in builtin_benchmarks(fw.id):
            raise InputError.one(
                bench.id,
                "",
                f"the report compares with benchmark {bench.id} {bench.version}"
                f" (sha256 {bench.sha256}), which is not built in: give its file with"
                " --benchmark FILE",
            )
        fresh = with_benchmark(fresh, benchmark or bench.id)
    checks = [
        Check.compare("responses sha256", embedded.responses.sha256, found_sha),
        Check.compare("framework id", embedded.framework.id, fresh.framework.id),
        Check.compare("framework version", embedded.framework.version, fresh.framework.version),
        Check.compare("framework sha256", embedded.framework.sha256, fresh.framework.sha256),
        Check.compare("questionnaire id", embedded.questionnaire.id, fresh.questionnaire.id),
        Check.compare(
            "questionnaire version", embedded.questionnaire.version, fresh.questionnaire.version
        ),
        Check.compare(
            "questionnaire sha256", embedded.questionnaire.sha256, fresh.questionnaire.sha256
        ),
    ]
    if fresh.benchmark is not None and embedded.benchmark is not None:
        checks.append(
            Check.compare("benchmark sha256", embedded.benchmark.sha256, fresh.benchmark.sha256)
        )
    fresh_json = result_json(fresh)
    check = Check.compare("result", sha256_bytes(raw_result), sha256_bytes(fresh_json.encode()))
    if not check.ok:
        where = first_difference(json.loads(raw_result), json.loads(fresh_json))
        if where:
            check = Check(check.name, False, f"{check.detail}; first difference at {where}")
    checks.append(check)
    return Rescored(checks, fresh, loaded.for_report(q), q, fw)
