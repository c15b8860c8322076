"""`crmm import` as a library call: pick the importer, run it, decide what is an error, and
write the responses file text (YAML) with what was not imported listed in its header."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from frameworks.errors import InputError
from questionnaires.model import Questionnaire

from .assemble import to_responses_data
from .base import ImportedAnswers, ImportOptions
from .emit import respondent_blocks
from .platforms import detect_platform
from .table import XLSX_SUFFIXES

PLATFORMS = ("wjx", "limesurvey", "qualtrics", "msforms", "surveymonkey", "csv", "workbook")
LARGE_IMPORT = 1000  # respondents from which the fast YAML writer (emit.py) is used


@dataclass
class Conversion:
    """The responses file text and what the import could not place."""

    text: str
    """The responses file ("" when made with `text=False`, to score the table directly)."""
    imported: ImportedAnswers
    platform: str
    encoding: str | None
    warnings: list[str] = field(default_factory=list)
    organization: dict[str, str] = field(default_factory=dict)
    date: str = ""

    @property
    def large(self) -> bool:
        return self.imported.count > LARGE_IMPORT


def resolve_platform(path: Path, platform: str | None) -> tuple[str, str | None]:
    """The importer to use (given, or guessed from the headings) and the text encoding."""
    from . import IMPORTERS

    if platform == "workbook":
        return platform, None
    guessed, sheet = detect_platform(path)
    chosen = platform or guessed
    if chosen is None and path.suffix.lower() in XLSX_SUFFIXES and "workbook" in IMPORTERS:
        chosen = "workbook"
    if chosen is None:
        raise InputError.one(
            path,
            "",
            f"cannot tell which platform exported this; give --from ({', '.join(PLATFORMS)})",
        )
    return chosen, sheet.encoding


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Answers with nothing but a value written the short way (`qc-01: 3`)."""
    respondents = []
    for r in data["respondents"]:
        answers = {
            qid: (a["value"] if set(a) == {"value"} else a) for qid, a in r["answers"].items()
        }
        respondents.append({**r, "answers": answers})
    return {**data, "respondents": respondents}


def unasked_warning(path: Path, dropped: dict[str, int], q: Questionnaire) -> str:
    """One line for every answer left out because its respondent's role is not asked the
    question: how many in all, then per question (in questionnaire order)."""
    order = [x.id for x in q.questions if x.id in dropped]
    each = "; ".join(
        f"{qid} ×{dropped[qid]} ({q.question_by_id[qid].asked_text()})" for qid in order
    )
    total = sum(dropped.values())
    return f"{path}: {total} answer(s) left out from roles a question is not asked of: {each}"


def convert(
    path: Path,
    q: Questionnaire,
    options: ImportOptions,
    *,
    platform: str | None = None,
    organization: dict[str, str] | None = None,
    date: str | None = None,
    skip_invalid: bool = False,
    fast: bool | None = None,
    text: bool = True,
) -> Conversion:
    """Import an export into responses-file text.

    Cells that cannot be read are errors (InputError listing each, located by row and
    column) unless skip_invalid: then they are left unanswered and listed as warnings.
    Columns that match no question, and questions nobody answered, are always warnings.
    Above LARGE_IMPORT respondents (or with `fast`) the respondents are written by
    `emit.respondent_blocks`, which loads to the same data as PyYAML's output.
    """
    from . import IMPORTERS

    chosen, encoding = resolve_platform(path, platform)
    importer = IMPORTERS.get(chosen)
    if importer is None:
        raise InputError.one("--from", "", f"no importer for {chosen!r} in this installation")
    imported = importer(path, q, options)
    hard = [p for p in imported.problems if not p.path.startswith("row ")]
    if imported.problems and (not skip_invalid or hard):
        raise InputError(imported.problems if not skip_invalid else hard)
    if organization is None and imported.organization is None:
        raise InputError.one(
            "--org", "", "give the organisation: a YAML file with name, industry, size, region"
        )
    if not imported.count:
        raise InputError.one(path, "", "no respondent left to import")
    dropped = imported.drop_unasked(q).unasked  # done by every built-in importer already
    when = date or imported.date or dt.date.today().isoformat()
    fast = imported.count > LARGE_IMPORT if fast is None else fast
    data = to_responses_data(
        imported, q, organization=organization, date=when, with_respondents=not fast
    )
    warnings = [f"{path}: column not imported: {c}" for c in imported.unmatched]
    warnings += [f"{p} (skipped)" for p in imported.problems]
    if dropped:
        warnings.append(unasked_warning(path, dropped, q))
    answered = imported.table.answered_questions()
    roles = set(imported.table.roles)
    warnings += [
        f"{path}: {x.id}: no answer in the export"
        for x in q.questions
        if x.id not in answered and any(x.asked_of(role) for role in roles)
    ]
    org = dict(data["organization"])
    if not text:
        return Conversion("", imported, chosen, encoding, warnings, org, when)
    header = [f"# Imported by `crmm import` from {path.name} ({chosen}"]
    header[0] += f", {encoding})." if encoding else ")."
    header += ["# " + " ".join(w.split()) for w in warnings]
    parts = ["\n".join(header) + "\n"]
    if fast:
        parts.append(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))
        parts.extend(respondent_blocks(imported.table, progress=options.progress))
    else:
        parts.append(yaml.safe_dump(_compact(data), allow_unicode=True, sort_keys=False, width=100))
    return Conversion("".join(parts), imported, chosen, encoding, warnings, org, when)
