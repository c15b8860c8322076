"""Answers brought into an assessment from a file: a responses file (YAML or JSON), a crmm
workbook or a survey-platform export (the importers of `crmm import`), checked against the
assessment's pinned questionnaire as `crmm validate` checks them, and stored as respondents
with source "import"."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from frameworks.errors import InputError

from ..responses import Responses as ResponsesModel
from .invitations import add_respondent
from .models import AnswerRow, Assessment, Respondent, now
from .store import pinned

MAX_IMPORT = 10 * 1024 * 1024  # bytes of an uploaded file
RESPONSES_SUFFIXES = (".yaml", ".yml", ".json")
EXPORT_SUFFIXES = (".xlsx", ".csv", ".tsv", ".txt")


@dataclass(frozen=True)
class Imported:
    """What an import added: respondents (id, role, answers) and ids it renamed."""

    respondents: list[tuple[str, str, int]]
    renamed: dict[str, str]
    platform: str


def safe_name(filename: str) -> str:
    """The uploaded file's own name, without any folder (no path traversal), printable."""
    name = PurePath(filename.replace("\\", "/")).name
    name = "".join(c for c in name if c.isprintable())[:120]
    return name or "upload"


ANSWERS_ONLY = (
    "the web app keeps answers only: it does not import an evidence register, assessor"
    " ratings or workshops; score this file with crmm score or crmm report"
)


def _answers_only(responses: ResponsesModel, name: str) -> None:
    """InputError, one line, when the file holds audit inputs the web app cannot keep (an
    import must never drop them silently)."""
    if responses.evidence_register:
        raise InputError.one(name, "evidence_register", ANSWERS_ONLY)
    if responses.assessor_ratings:
        raise InputError.one(name, "assessor_ratings", ANSWERS_ONLY)
    for i, r in enumerate(responses.respondents):
        if r.kind == "workshop":
            raise InputError.one(name, f"respondents[{i}].kind", ANSWERS_ONLY)


def import_file(
    session: Session, a: Assessment, filename: str, data: bytes, *, rename: bool = False
) -> Imported:
    """Import `data` (the file uploaded as `filename`) into the assessment, committed; an
    InputError (nothing stored) if the file is unreadable, for another questionnaire or
    version, holds invalid answers, or names a respondent id already taken (unless
    `rename`: r1 becomes r1-2, as `crmm merge --rename-duplicates` does)."""
    from ..responses import check_responses, parse_responses

    name = safe_name(filename)
    if len(data) > MAX_IMPORT:
        raise InputError.one(name, "", f"larger than {MAX_IMPORT // (1024 * 1024)} MB")
    suffix = PurePath(name).suffix.lower()
    q, _fw = pinned(a)
    platform = "responses"
    if suffix in RESPONSES_SUFFIXES:
        raw = data
    elif suffix in EXPORT_SUFFIXES:
        raw, platform = _convert(a, name, suffix, data)
    else:
        known = ", ".join(RESPONSES_SUFFIXES + EXPORT_SUFFIXES)
        raise InputError.one(name, "", f"not a file crmm imports (known: {known})")
    loaded = parse_responses(raw, name)
    responses = check_responses(loaded, q)
    _answers_only(responses, name)
    taken = set(
        session.scalars(select(Respondent.rid).where(Respondent.assessment_id == a.id)).all()
    )
    renamed: dict[str, str] = {}
    problems = []
    for i, r in enumerate(responses.respondents):
        if r.id in taken:
            if not rename:
                problems.append((f"respondents[{i}].id", f"{r.id!r} is already a respondent"))
                continue
            n = 2
            while f"{r.id}-{n}" in taken:
                n += 1
            renamed[r.id] = f"{r.id}-{n}"
        taken.add(renamed.get(r.id, r.id))
    if problems:
        from frameworks.errors import Problem

        raise InputError(
            [Problem(name, p, m + " (import with 'rename duplicates')") for p, m in problems]
        )
    added = []
    try:
        for r in responses.respondents:
            rid = renamed.get(r.id, r.id)
            resp = add_respondent(session, a, rid, r.role, r.department, r.name, source="import")
            resp.submitted_at = now()
            for qid, ans in r.answers.items():
                session.add(
                    AnswerRow(
                        respondent_id=resp.id,
                        question_id=qid,
                        value_json=json.dumps(ans.value, ensure_ascii=False),
                        comment=ans.comment or None,
                        evidence_json=json.dumps(ans.evidence, ensure_ascii=False)
                        if ans.evidence
                        else None,
                    )
                )
            added.append((rid, r.role, len(r.answers)))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return Imported(added, renamed, platform)


def _convert(a: Assessment, name: str, suffix: str, data: bytes) -> tuple[bytes, str]:
    """A workbook or survey export as responses-file bytes, by `crmm import`'s converter,
    with the assessment's organisation and date."""
    from questionnaires.importers import ImportOptions
    from questionnaires.importers.convert import convert

    q, _fw = pinned(a)
    org = {"name": a.organization, "industry": a.industry, "size": a.size, "region": a.region}
    with tempfile.TemporaryDirectory(prefix="crmm-import-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        conv = convert(path, q, ImportOptions(), organization=org, date=a.date.isoformat())
    return conv.text.encode("utf-8"), conv.platform
