"""Verifiable reports: the files a PDF report embeds, and re-checking them.

A PDF report made by `crmm report` carries the responses file it was scored from and the
result JSON (`result.json`). `verify_pdf` re-scores the embedded responses with the framework
and questionnaire the result names and compares everything byte for byte.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from frameworks.errors import InputError
from frameworks.fileio import read_bytes, sha256_bytes

from .result import RESULT_FORMAT, AssessmentResult, load_result, result_json

RESULT_NAME = "result.json"


def embedded_files(result: AssessmentResult, responses: bytes) -> list[tuple[str, bytes]]:
    """The files a PDF report embeds: the responses (under their own file name) and the result."""
    return [(result.responses.file, responses), (RESULT_NAME, result_json(result).encode())]


@dataclass(frozen=True)
class Check:
    """One comparison: what was recorded in the report against what was found now."""

    name: str
    recorded: str
    found: str

    @property
    def ok(self) -> bool:
        return self.recorded == self.found


def pdf_attachments(path: Path) -> dict[str, bytes]:
    """The files embedded in a PDF, by name; InputError if it is not a readable PDF."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    raw = read_bytes(path)
    try:
        found = PdfReader(io.BytesIO(raw)).attachments
        return {name: data[0] for name, data in found.items() if data}
    except (PyPdfError, ValueError, KeyError, TypeError) as e:
        raise InputError.one(path, "", f"not a readable PDF: {e}") from e


def verify_pdf(
    path: Path,
    questionnaire: str | None = None,
    framework: str | None = None,
    benchmark: str | None = None,
) -> list[Check]:
    """Re-score the responses a PDF report embeds and compare with its embedded result.

    The framework and questionnaire are the built-in ones the result names unless paths are
    given; a benchmark comparison is re-made with the built-in benchmark of the recorded id
    unless `benchmark` names another. Raises InputError when the PDF has no embedded result
    or responses."""
    from questionnaires.loader import load_questionnaire

    from .engine import assess
    from .responses import parse_responses

    files = pdf_attachments(path)
    if RESULT_NAME not in files:
        raise InputError.one(path, "attachments", f"no embedded {RESULT_NAME}: not verifiable")
    raw_result = files[RESULT_NAME]
    try:
        data = json.loads(raw_result)
    except ValueError:
        data = None
    if isinstance(data, dict) and data.get("result_format") != RESULT_FORMAT:
        load_result(  # a report made by another crmm version: said so, not a mismatch
            data,
            path,
            f"{RESULT_NAME}.result_format",
            "verify it with the crmm version that made it, or make the report again",
        )
    try:
        embedded = AssessmentResult.model_validate_json(raw_result)
    except ValidationError as e:
        raise InputError.one(path, RESULT_NAME, f"not a crmm result: {e}") from e
    name = embedded.responses.file
    if name not in files or name == RESULT_NAME:
        raise InputError.one(path, "attachments", f"no embedded responses file {name!r}")
    responses = files[name]
    q, fw = load_questionnaire(questionnaire or embedded.questionnaire.id, framework)
    fresh = assess(parse_responses(responses, name), q, fw, embedded.recommendations.target_level)
    if embedded.benchmark is not None:
        from .benchmarking import with_benchmark

        fresh = with_benchmark(fresh, benchmark or embedded.benchmark.id)
    checks = [
        Check("responses sha256", embedded.responses.sha256, sha256_bytes(responses)),
        Check("framework id", embedded.framework.id, fresh.framework.id),
        Check("framework version", embedded.framework.version, fresh.framework.version),
        Check("framework sha256", embedded.framework.sha256, fresh.framework.sha256),
        Check("questionnaire id", embedded.questionnaire.id, fresh.questionnaire.id),
        Check("questionnaire version", embedded.questionnaire.version, fresh.questionnaire.version),
        Check("questionnaire sha256", embedded.questionnaire.sha256, fresh.questionnaire.sha256),
    ]
    if fresh.benchmark is not None and embedded.benchmark is not None:
        checks.append(Check("benchmark sha256", embedded.benchmark.sha256, fresh.benchmark.sha256))
    checks.append(
        Check("result", sha256_bytes(raw_result), sha256_bytes(result_json(fresh).encode()))
    )
    return checks
