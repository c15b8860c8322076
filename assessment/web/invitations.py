"""Invitation links: one per respondent, or one open link per role that gives whoever opens
it a respondent (and a link) of their own. Tokens are random and stored only as hashes: a
link is shown once, when it is made; "a new link" makes another for the same respondent."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frameworks.errors import InputError

from .models import Assessment, Invitation, Respondent, now
from .security import new_token, token_hash

RESPONDENT_PATH = "/r/{token}"  # respond.start
OPEN_PATH = "/o/{token}"  # respond.open_link
_ID = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")


class LinkGone(Exception):
    """A link that does not open: unknown, revoked or expired (`reason`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def link_path(inv: Invitation, token: str) -> str:
    return (RESPONDENT_PATH if inv.kind == "respondent" else OPEN_PATH).format(token=token)


def add_respondent(
    session: Session,
    a: Assessment,
    rid: str,
    role: str,
    department: str | None = None,
    name: str | None = None,
    source: str = "link",
) -> Respondent:
    """A respondent of the assessment (not committed); InputError if the id is not a crmm
    id or is taken."""
    if not _ID.match(rid) or len(rid) > 64:
        raise InputError.one("respondent", "id", f"{rid!r} is not an id (a-z, 0-9, - or _)")
    taken = session.scalar(
        select(Respondent.id).where(Respondent.assessment_id == a.id, Respondent.rid == rid)
    )
    if taken is not None:
        raise InputError.one("respondent", "id", f"{rid!r} is already a respondent")
    resp = Respondent(
        assessment_id=a.id,
        rid=rid,
        role=role,
        department=department or None,
        name=name or None,
        source=source,
        page=1,
    )
    session.add(resp)
    session.flush()
    return resp


def invite(
    session: Session,
    a: Assessment,
    kind: str,
    role: str,
    respondent: Respondent | None = None,
    days: int | None = None,
) -> tuple[Invitation, str]:
    """A new link (not committed) and its token, which is not stored anywhere."""
    if (kind == "respondent") != (respondent is not None) or kind not in ("respondent", "open"):
        raise ValueError("a respondent link needs its respondent; an open link has none")
    token, hashed = new_token()
    inv = Invitation(
        assessment_id=a.id,
        token_hash=hashed,
        kind=kind,
        role=role,
        respondent_id=respondent.id if respondent else None,
        expires_at=now() + dt.timedelta(days=days) if days else None,
    )
    session.add(inv)
    session.flush()
    return inv, token


def opened(session: Session, token: str, kind: str) -> Invitation:
    """The invitation a link's token opens; LinkGone if it is unknown (or of the other
    kind), revoked or expired."""
    if not token or len(token) > 128:
        raise LinkGone("unknown")
    inv = session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if inv is None or inv.kind != kind:
        raise LinkGone("unknown")
    if inv.revoked_at is not None:
        raise LinkGone("revoked")
    if inv.expires_at is not None and inv.expires_at <= now():
        raise LinkGone("expired")
    return inv


def revoke(session: Session, inv: Invitation) -> None:
    if inv.revoked_at is None:
        inv.revoked_at = now()


def join(
    session: Session,
    inv: Invitation,
    department: str | None = None,
    name: str | None = None,
) -> tuple[Respondent, str]:
    """Whoever opened an open link becomes a respondent in its role, with a link of their own
    (to resume on another device); committed. Ids are the role and a number: sales-1, sales-2."""
    a = session.get(Assessment, inv.assessment_id)
    assert a is not None
    for _attempt in range(5):
        count = session.scalar(
            select(func.count()).where(
                Respondent.assessment_id == a.id, Respondent.role == inv.role
            )
        )
        rid = f"{inv.role}-{(count or 0) + 1}"
        n = (count or 0) + 1
        while session.scalar(
            select(Respondent.id).where(Respondent.assessment_id == a.id, Respondent.rid == rid)
        ):
            n += 1
            rid = f"{inv.role}-{n}"
        try:
            resp = add_respondent(session, a, rid, inv.role, department, name, source="open")
            _personal, token = invite(session, a, "respondent", inv.role, resp)
            if inv.expires_at is not None:
                _personal.expires_at = inv.expires_at
            session.commit()
            return resp, token
        except IntegrityError:  # someone joined at the same moment: take the next number
            session.rollback()
    raise RuntimeError("could not allocate a respondent id")
