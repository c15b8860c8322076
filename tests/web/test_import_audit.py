"""The web app keeps answers only: importing a responses file with an evidence register,
assessor ratings or a workshop is refused with one line, never silently cut down."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from assessment.web.models import Respondent

from .conftest import csrf_token
from .test_consult import answer_all, create, post

REGISTER = {"id": "ev-1", "kind": "document", "title": "客户数据手册", "date": "2026-10-01"}


def _register(doc: dict[str, Any]) -> None:
    doc["evidence_register"] = [REGISTER]


def _rating(doc: dict[str, Any]) -> None:
    doc["evidence_register"] = []
    doc["assessor_ratings"] = [
        {
            "criterion": "lead-vision",
            "rating": 2,
            "before": 75.0,
            "reason": "复核",
            "evidence": ["ev-1"],
            "by": "me",
            "at": "2026-11-20T10:00:00+08:00",
        }
    ]


def _workshop(doc: dict[str, Any]) -> None:
    p = doc["respondents"][0]
    p["kind"], p["participants"] = "workshop", [{"name": "王经理"}, {"name": "李主管"}]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (_register, "evidence_register"),
        (_rating, "assessor_ratings"),
        (_workshop, "respondents[0].kind"),
    ],
    ids=["register", "rating", "workshop"],
)
def test_audit_inputs_are_refused_not_dropped(
    app: Flask, consultant: FlaskClient, change: Callable[[dict[str, Any]], None], field: str
) -> None:
    first = create(consultant)
    post(consultant, f"/assessments/{first}/respondents", {"lines": "lead-1, leadership"})
    answer_all(app, first, "lead-1", 4)
    raw = consultant.get(f"/assessments/{first}/export/responses.yaml").data
    doc = yaml.safe_load(raw)
    change(doc)
    second = create(consultant, organization="第二家")
    url = f"/assessments/{second}/import"
    form = {
        "file": (io.BytesIO(yaml.safe_dump(doc, allow_unicode=True).encode()), "audit.yaml"),
        "csrf_token": csrf_token(consultant, url),
    }
    got = consultant.post(url, data=form, content_type="multipart/form-data")
    page = got.get_data(as_text=True)
    assert got.status_code == 400, page
    assert (
        f"audit.yaml: {field}: the web app keeps answers only: it does not import an evidence"
        " register, assessor ratings or workshops; score this file with crmm score or crmm"
        " report"
    ) in page
    with app.extensions["crmm_sessions"]() as session:
        assert session.query(Respondent).filter_by(assessment_id=second).count() == 0
