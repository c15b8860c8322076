"""`crmm import` as a library call: pick the importer, run it, decide what is an error, and
write the responses file text (YAML) with what was not imported listed in its header."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from frameworks.errors import InputError, Problem
from frameworks.plurals import counted
from questionnaires.model import Questionnaire

from .assemble import to_responses_data
from .base import ImportedAnswers, ImportOptions
from .columns import QuestionIndex
from .emit import escaped, respondent_blocks
from .platforms import detect_platform
from .table import XLSX_SUFFIXES
from .textmatch import short

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


def _check_answers(path: Path, imported: ImportedAnswers, q: Questionnaire) -> None:
    """InputError when no column matched a question (naming the columns and the question
    each looks most like) or when respondents answered nothing at all."""
    import numpy as np

    table = imported.table
    advice = "give --allow-empty to import it all the same"
    if not table.answered_questions():
        index = QuestionIndex(q)
        problems = [
            Problem(str(path), "", f"no column matches a question of {q.id} {q.version}; {advice}")
        ]
        for label in imported.unmatched:
            near = index.closest(label)
            hint = f"closest question: {near}" if near else "no question looks like it"
            problems.append(Problem(str(path), f"column '{short(label)}'", f"unmatched ({hint})"))
        raise InputError(problems)
    answered = np.zeros(len(table), dtype=bool)
    for col in table.columns.values():
        answered |= col.codes >= 0
    if not answered.all():
        silent = [table.ids[i] for i in np.flatnonzero(~answered)]
        shown = ", ".join(silent[:5]) + (f" and {len(silent) - 5} more" if len(silent) > 5 else "")
        raise InputError.one(
            path,
            "",
            f"{counted(len(silent), 'respondent', 'respondents')} answered no question ({shown});"
            " leave them out of the"
            f" export, or {advice}",
        )


def unasked_warning(path: Path, dropped: dict[str, int], q: Questionnaire) -> str:
    """One line for every answer left out because its respondent's role is not asked the
    question: how many in all, then per question (in questionnaire order)."""
    order = [x.id for x in q.questions if x.id in dropped]
    each = "; ".join(
        f"{qid} ×{dropped[qid]} ({q.question_by_id[qid].asked_text()})" for qid in order
    )
    total = sum(dropped.values())
    left = counted(total, "answer", "answers")
    return f"{path}: {left} left out from roles a question is not asked of: {each}"


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
    allow_empty: bool = False,
    partial_organization: bool = False,
) -> Conversion:
    """Import an export into responses-file text.

    Cells that cannot be read are errors (InputError listing each, located by row and
    column) unless skip_invalid: then they are left unanswered and listed as warnings.
    Columns that match no question, and questions nobody answered, are warnings; an import
    in which no column matches a question, or a respondent answered nothing, is an error
    unless `allow_empty`.
    Above LARGE_IMPORT respondents (or with `fast`) the respondents are written by
    `emit.respondent_blocks`, which loads to the same data as PyYAML's output.
    With `partial_organization` (and `text=False`; `crmm merge`) the organisation may lack
    fields, or be missing: `Conversion.organization` holds the fields known.
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
    if organization is None and imported.organization is None and not partial_organization:
        raise InputError.one(
            "--org", "", "give the organisation: a YAML file with name, industry, size, region"
        )
    if not imported.count:
        raise InputError.one(path, "", "no respondent left to import")
    dropped = imported.drop_unasked(q).unasked  # done by every built-in importer already
    if not allow_empty:
        _check_answers(path, imported, q)
    warnings = [f"{path}: column not imported: {escaped(c)}" for c in imported.unmatched]
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
    when = date or imported.date or dt.date.today().isoformat()
    fast = imported.count > LARGE_IMPORT if fast is None else fast
    if partial_organization and not text:
        known = {**(imported.organization or {}), **(organization or {})}
        org = {k: v for k, v in known.items() if v}
        return Conversion("", imported, chosen, encoding, warnings, org, when)
    data = to_responses_data(
        imported, q, organization=organization, date=when, with_respondents=not fast
    )
    org = dict(data["organization"])
    if not text:
        return Conversion("", imported, chosen, encoding, warnings, org, when)
    header = [f"# Imported by `crmm import` from {path.name} ({chosen}"]
    header[0] += f", {encoding})." if encoding else ")."
    header += ["# " + escaped(" ".join(w.split())) for w in warnings]
    parts = ["\n".join(header) + "\n"]
    if fast:
        parts.append(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))
        parts.extend(respondent_blocks(imported.table, progress=options.progress))
    else:
        parts.append(yaml.safe_dump(_compact(data), allow_unicode=True, sort_keys=False, width=100))
    return Conversion("".join(parts), imported, chosen, encoding, warnings, org, when)
