"""Scoring a portfolio: every responses file in a folder, one summary row each."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from frameworks.errors import InputError

from .result import AssessmentResult
from .tabular import Cell, Sheet

SUFFIXES = (".yaml", ".yml", ".json")
FIXED = (
    "file",
    "organization",
    "industry",
    "size",
    "region",
    "date",
    "overall_score",
    "overall_index",
    "overall_level",
)


def batch_files(folder: Path) -> list[Path]:
    """The responses files under a folder, recursively, in a stable order."""
    if not folder.is_dir():
        raise InputError.one(folder, "", "not a folder")
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


def summary_sheet(scored: Sequence[tuple[str, AssessmentResult]]) -> Sheet:
    """One row per scored file: profile, overall result, each element's score, coverage and
    the responses file's SHA-256; element columns in order of first appearance."""
    elements: list[str] = []
    for _, res in scored:
        elements += [e.id for e in res.elements if e.id not in elements]
    header = [*FIXED, *elements, "coverage", "sha256"]
    rows: list[list[Cell]] = []
    for name, res in scored:
        o, org = res.overall, res.organization
        by_id = {e.id: e.score for e in res.elements}
        rows.append(
            [
                name,
                org["name"],
                org["industry"],
                org["size"],
                org["region"],
                res.date.isoformat(),
                o.score,
                o.index,
                o.level,
                *(by_id.get(e) for e in elements),
                o.coverage,
                res.responses.sha256,
            ]
        )
    return Sheet("summary", header, rows, widths={0: 28, 1: 32, len(header) - 1: 66})
