"""An assessor's rating added to a responses file's audit trail (`crmm rate`).

The entry's `before` is computed, never typed: the published value of the target (the
criterion's score, or one dimension of it) that the answers and the trail give now. The
file is written back with everything else as it was: in a YAML file the entry is inserted
as text at the end of `assessor_ratings` (a new block at the end of the file when there is
none), and the result is read back to prove that only the entry was added (else the whole
file is written as YAML); a JSON file is written as JSON. Nothing is returned unless the
new file scores: an unknown criterion, dimension or evidence id is refused with the
located message the new entry would have in the file."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from frameworks.errors import InputError
from frameworks.fileio import parse_data
from frameworks.model import Framework
from questionnaires.model import Questionnaire

from .responses import parse_responses
from .result import AssessmentResult, CriterionResult

_KEY = re.compile(r"^assessor_ratings:[ \t]*(#.*)?$")
_EMPTY = re.compile(r"^assessor_ratings:[ \t]*\[\][ \t]*(#.*)?$")


@dataclass(frozen=True)
class Rated:
    """The new file and what the rating changed."""

    text: bytes
    before: float | None
    after: float | None
    result: AssessmentResult


def target_value(result: AssessmentResult, criterion: str, dimension: str | None) -> float | None:
    """The published value a new rating of the target would replace (None: not scored)."""
    found: CriterionResult | None = next((c for c in result.criteria if c.id == criterion), None)
    if found is None:
        return None
    if dimension is None:
        return found.score
    value: float | None = getattr(found, dimension)
    return value


def rate(
    raw: bytes,
    source: str,
    q: Questionnaire,
    fw: Framework,
    *,
    criterion: str,
    dimension: str | None,
    rating: int,
    reason: str,
    evidence: Sequence[str],
    by: str,
    at: dt.datetime,
) -> Rated:
    """`raw` (a responses file) with one more entry at the end of its trail, checked."""
    from .engine import assess

    if at.tzinfo is None:
        raise InputError.one(
            "--at", "", "give the time with its offset, e.g. 2026-11-20T10:30:00+08:00"
        )
    now = assess(parse_responses(raw, source), q, fw)
    entry: dict[str, Any] = {"criterion": criterion}
    if dimension is not None:
        entry["dimension"] = dimension
    entry.update(
        rating=rating,
        before=target_value(now, criterion, dimension),
        reason=reason,
        evidence=list(evidence),
        by=by,
        at=at,
    )
    data = parse_data(raw, source)
    if not isinstance(data, dict):
        raise InputError.one(source, "", "expected a mapping at the top level")
    expected = {**data, "assessor_ratings": [*(data.get("assessor_ratings") or []), entry]}
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        indent = 2 if b"\n " in raw else None
        text = json.dumps(expected, ensure_ascii=False, indent=indent, default=_iso) + "\n"
    else:
        text = _inserted(raw.decode("utf-8-sig"), entry, expected)
    new = text.encode("utf-8")
    result = assess(parse_responses(new, source), q, fw)
    return Rated(new, entry["before"], target_value(result, criterion, dimension), result)


def _iso(v: Any) -> str:
    if isinstance(v, dt.date | dt.datetime):
        return v.isoformat()
    raise TypeError(type(v).__name__)


def _inserted(text: str, entry: dict[str, Any], expected: dict[str, Any]) -> str:
    """The YAML text with `entry` added to its trail, the rest kept byte for byte when the
    text allows it (checked by reading it back), else the whole document dumped."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    at = next((i for i, line in enumerate(lines) if _KEY.match(line.rstrip("\r\n"))), None)
    empty = next((i for i, line in enumerate(lines) if _EMPTY.match(line.rstrip("\r\n"))), None)
    if at is not None:
        end, indent = at + 1, None
        for i in range(at + 1, len(lines)):
            stripped = lines[i].strip()
            if not stripped or stripped.startswith("#"):
                continue
            if not lines[i][0].isspace() and not stripped.startswith("-"):
                break
            if indent is None and stripped.startswith("-"):
                indent = len(lines[i]) - len(lines[i].lstrip())
            end = i + 1
        new = [*lines[:end], _entry_text(entry, indent or 0), *lines[end:]]
    elif empty is not None:
        new = [*lines[:empty], "assessor_ratings:\n", _entry_text(entry, 2), *lines[empty + 1 :]]
    else:
        new = [*lines, "assessor_ratings:\n", _entry_text(entry, 2)]
    out = "".join(new)
    try:
        same = parse_data(out.encode("utf-8"), "") == expected
    except InputError:
        same = False
    if same:
        return out
    return yaml.safe_dump(expected, allow_unicode=True, sort_keys=False, width=100)


def _entry_text(entry: dict[str, Any], indent: int) -> str:
    """The entry as a block item of a YAML list at `indent`, its time written as ISO 8601."""
    rest = {k: v for k, v in entry.items() if k != "at"}
    body = yaml.safe_dump([rest], allow_unicode=True, sort_keys=False, width=100)
    body += f"  at: {entry['at'].isoformat()}\n"
    pad = " " * indent
    return "".join(pad + line for line in body.splitlines(keepends=True))
