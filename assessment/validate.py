"""Validate any crmm content file, detecting its kind from its `type` field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from frameworks.benchmark import Benchmark, load_benchmark
from frameworks.errors import InputError
from frameworks.fileio import load_data, read_bytes, validate_as
from frameworks.loader import FRAMEWORK_FILE, builtin_frameworks, load_framework
from frameworks.model import ActionLibrary, Element, Framework, GlossaryFile
from frameworks.plurals import counted
from questionnaires.loader import builtin_questionnaires, load_questionnaire
from questionnaires.model import Questionnaire

from .kinds import KINDS, Kind
from .response_columns import check_table
from .responses import (
    Responses,
    check_responses,
    load_responses,
    parse_document,
    parse_responses,
    questionnaire_for,
)

SCHEMAS: dict[str, type[BaseModel]] = {
    "framework": Framework,
    "element": Element,
    "recommendations": ActionLibrary,
    "glossary": GlossaryFile,
    "questionnaire": Questionnaire,
    "responses": Responses,
    "benchmark": Benchmark,
}


def detect_kind(path: Path) -> Kind:
    return _detect(path)[0]


def _detect(path: Path) -> tuple[Kind, bytes | None, Any]:
    """The kind of file, and the file's bytes and data when it was read to tell."""
    if path.is_dir() or path.name == FRAMEWORK_FILE:
        return "framework", None, None
    if not path.exists():
        if str(path) in builtin_frameworks():
            return "framework", None, None
        if str(path) in builtin_questionnaires():
            return "questionnaire", None, None
    raw = read_bytes(path)
    data: Any = parse_document(raw, str(path))
    return _kind_of(path, data), raw, data


def _kind_of(path: Path, data: Any) -> Kind:
    if not isinstance(data, dict):
        raise InputError.one(path, "", "expected a YAML mapping at the top level")
    kind = data.get("type")
    if kind in KINDS:
        return kind  # type: ignore[no-any-return]
    if kind is not None:
        raise InputError.one(path, "type", f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    for key, guess in (
        ("respondents", "responses"),
        ("questions", "questionnaire"),
        ("levels", "framework"),
        ("criteria", "element"),
        ("actions", "recommendations"),
    ):
        if key in data:
            return guess  # type: ignore[return-value]
    raise InputError.one(path, "type", "cannot tell the kind of file; add a `type` field")


def validate_file(
    path: Path,
    kind: Kind | None = None,
    framework: str | Path | None = None,
    questionnaire: str | Path | None = None,
) -> str:
    """Validate one file, framework folder or built-in id; return a summary, raise InputError."""
    raw: bytes | None = None
    data: Any = None
    if kind is None:
        kind, raw, data = _detect(path)
    ref: str | Path = str(path) if not path.exists() else path
    if kind == "framework":
        fw = load_framework(ref)
        n = sum(len(e.criteria) for e in fw.elements)
        return (
            f"{path}: framework {fw.id} {fw.version}:"
            f" {counted(len(fw.elements), 'element', 'elements')},"
            f" {counted(n, 'criterion', 'criteria')},"
            f" {counted(len(fw.actions), 'action', 'actions')}"
        )
    if kind == "questionnaire":
        q, fw = load_questionnaire(ref, framework)
        return (
            f"{path}: questionnaire {q.id} {q.version} for {fw.id} {fw.version}:"
            f" {counted(len(q.questions), 'question', 'questions')}"
        )
    if kind == "responses":
        loaded = load_responses(path) if raw is None else parse_responses(raw, str(path), data)
        q, fw = questionnaire_for(loaded, questionnaire, framework)
        if loaded.raw is not None:  # column by column: no model per answer
            table = check_table(loaded.head, loaded.raw, loaded.source, q)
            people = len(table)
            n = sum(int((c.codes >= 0).sum()) for c in table.columns.values())
            workshops = len(loaded.raw.workshops)
        else:
            resp = check_responses(loaded, q)
            people = len(resp.respondents)
            n = sum(len(p.answers) for p in resp.respondents)
            workshops = sum(p.kind == "workshop" for p in resp.respondents)
        head = loaded.head
        audit = [
            counted(len(head.evidence_register), "evidence item", "evidence items"),
            counted(len(head.assessor_ratings), "assessor rating", "assessor ratings"),
            counted(workshops, "workshop", "workshops"),
        ]
        if head.evidence_register or head.assessor_ratings or workshops:
            from .engine import assess

            assess(loaded, q, fw)  # the audit's own checks: ids, time order, the befores
        return (
            f"{path}: responses for {q.id} {q.version}:"
            f" {counted(people, 'respondent', 'respondents')}, {counted(n, 'answer', 'answers')}"
            + (
                f"; {', '.join(audit)}"
                if head.evidence_register or head.assessor_ratings or workshops
                else ""
            )
        )
    if kind == "benchmark":
        bench, _ = load_benchmark(path, "")
        return (
            f"{path}: benchmark {bench.id} {bench.version} for {bench.framework.id}"
            f" {bench.framework.version}: {counted(len(bench.groups), 'group', 'groups')}, epsilon"
            f" {bench.privacy.epsilon:g} ({bench.privacy.epsilon_spent:g} by all releases)"
        )
    model = SCHEMAS[kind]
    validate_as(model, load_data(path), path)
    return f"{path}: {kind}: valid"
