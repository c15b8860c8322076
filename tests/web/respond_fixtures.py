"""Test data for the respondent pages, made with the store and invitation functions (not
through the consultant's pages): a consultant, a full-audit assessment, links."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from flask import Flask

from assessment.web import invitations, store
from assessment.web.models import Assessment, User
from assessment.web.security import hash_password

ORG = {"organization": "示例公司", "industry": "retail", "size": "medium", "region": "east-china"}


@dataclass
class Survey:
    assessment_id: int
    tokens: dict[str, str]  # respondent id → their link's token
    open_token: str  # an open link for the sales role
    expired: str
    revoked: str


def make_survey(
    app: Flask,
    questionnaire: str = "full-audit",
    langs: str = "zh-CN,en",
    show_own_answers: bool = False,
) -> Survey:
    with app.extensions["crmm_sessions"]() as s:
        user = User(email="owner@example.com", name="Owner", password_hash=hash_password("x"))
        s.add(user)
        s.flush()
        a = Assessment(
            owner_id=user.id,
            date=dt.date(2026, 12, 1),
            languages=langs,
            show_own_answers=show_own_answers,
            **ORG,
            **store.pin(questionnaire),
        )
        s.add(a)
        s.flush()
        tokens = {}
        for rid, role in (("lead-1", "leadership"), ("sales-a", "sales"), ("it-1", "it")):
            resp = invitations.add_respondent(s, a, rid, role, department="HQ")
            _inv, tokens[rid] = invitations.invite(s, a, "respondent", role, resp, days=30)
        _inv, open_token = invitations.invite(s, a, "open", "sales")
        old = invitations.add_respondent(s, a, "old-1", "sales")
        inv, expired = invitations.invite(s, a, "respondent", "sales", old, days=1)
        inv.expires_at = dt.datetime(2020, 1, 1)
        gone = invitations.add_respondent(s, a, "gone-1", "sales")
        inv2, revoked = invitations.invite(s, a, "respondent", "sales", gone)
        invitations.revoke(s, inv2)
        s.commit()
        return Survey(a.id, tokens, open_token, expired, revoked)


def pages_of(app: Flask, survey: Survey, role: str) -> list[list[Any]]:
    with app.extensions["crmm_sessions"]() as s:
        a = s.get(Assessment, survey.assessment_id)
        assert a is not None
        q, fw = store.pinned(a)
        return store.questions_for(q, fw, role)


_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def page_csrf(html: str) -> str:
    found = _META.search(html)
    assert found, "no csrf-token meta"
    return found.group(1)
