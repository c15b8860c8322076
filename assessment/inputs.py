"""Assessments to compare: result JSON files as written, or responses files scored on the fly."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from frameworks.fileio import read_bytes
from frameworks.loader import builtin_frameworks, load_framework
from frameworks.model import Framework
from questionnaires.model import Questionnaire

from .engine import assess
from .responses import LoadedResponses, parse_document, parse_responses, questionnaire_for
from .result import AssessmentResult, load_result


def load_assessment(
    path: Path, questionnaire: str | None = None, framework: str | None = None
) -> tuple[AssessmentResult, Framework | None]:
    """A result and, where it can be found, the framework it was scored with (for names).

    A file with `result_format` is a result (`crmm score --format json`); any other file is
    a responses file, scored with its questionnaire (or `questionnaire`/`framework`).
    """
    raw = read_bytes(path)
    data = parse_document(raw, str(path))
    if isinstance(data, dict) and "result_format" in data:
        result = load_result(data, path)
        return result, _framework_of(result, framework)
    loaded = parse_responses(raw, str(path), data)
    q, fw = questionnaire_for(loaded, questionnaire, framework)
    return assess(loaded, q, fw), fw


def _framework_of(result: AssessmentResult, framework: str | None) -> Framework | None:
    """The given framework, or the built-in one of the same id and version, else None."""
    ref = result.framework
    if framework is not None:
        fw = load_framework(framework)
    elif ref.id in builtin_frameworks():
        fw = load_framework(ref.id)
    else:
        return None
    return fw if (fw.id, fw.version) == (ref.id, ref.version) else None


@dataclass(frozen=True)
class Scored:
    """A responses file scored: what was read, the questionnaire and framework it was
    checked against, and the result (with its benchmark comparison when one was asked)."""

    loaded: LoadedResponses
    questionnaire: Questionnaire
    framework: Framework
    result: AssessmentResult


def score_responses(
    raw: bytes,
    source: str,
    *,
    questionnaire: str | Path | None = None,
    framework: str | Path | None = None,
    target_level: int | None = None,
    benchmark: str | Path | None = None,
) -> Scored:
    """A responses file's bytes scored as `crmm score` and `crmm report` score them: its
    questionnaire (or `questionnaire`/`framework`), the target level and, with `benchmark`
    (a built-in id or a file), the peer comparison. `source` is the name it is read under
    (recorded in the result)."""
    loaded = parse_responses(raw, source)
    q, fw = questionnaire_for(loaded, questionnaire, framework)
    result = assess(loaded, q, fw, target_level)
    if benchmark is not None:
        from .benchmarking import with_benchmark

        result = with_benchmark(result, benchmark)
    return Scored(loaded, q, fw, result)
