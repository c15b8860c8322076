"""Turn imported answers into the data of a responses file (what `crmm import` writes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from frameworks.errors import InputError, Problem
from questionnaires.model import Questionnaire

from .base import ImportedAnswers

ORGANIZATION_FIELDS = ("name", "industry", "size", "region")


def to_responses_data(
    imported: ImportedAnswers,
    questionnaire: Questionnaire,
    organization: dict[str, str] | None = None,
    date: str | dt.date | None = None,
    with_respondents: bool = True,
) -> dict[str, Any]:
    """A responses-file mapping for `questionnaire`, ready to dump as YAML and validate.

    `organization` fields override those the file carried (a workbook's profile cells); every
    one of name, industry, size and region must come from one or the other. `date` overrides
    the file's date; without either it is today. Respondents are copied as they are
    (left out with `with_respondents=False`, for a writer that emits them itself).
    """
    org = {**(imported.organization or {}), **(organization or {})}
    missing = [k for k in ORGANIZATION_FIELDS if not org.get(k)]
    if missing:
        raise InputError(
            [
                Problem(
                    "organization",
                    f"organization.{k}",
                    "not given: fill it in the form or pass it on the command line",
                )
                for k in missing
            ]
        )
    day = date or imported.date or dt.date.today()
    data: dict[str, Any] = {
        "type": "responses",
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "organization": {k: org[k] for k in ORGANIZATION_FIELDS},
        "date": day.isoformat() if isinstance(day, dt.date) else str(day),
    }
    if with_respondents:
        data["respondents"] = [dict(r) for r in imported.respondents]
    return data
