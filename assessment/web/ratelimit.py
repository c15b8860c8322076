"""Failed sign-ins counted in the database (so every worker sees them): after `LIMIT`
failures for one e-mail address, or 4×`LIMIT` from one network address, within `WINDOW`,
sign-in is refused until the window has passed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select

from .app import database
from .models import LoginAttempt, now

LIMIT = 5
WINDOW = dt.timedelta(minutes=15)


def _keys(email: str, address: str) -> list[tuple[str, int]]:
    return [(f"email:{email}", LIMIT), (f"addr:{address}", 4 * LIMIT)]


def blocked(email: str, address: str) -> int:
    """Minutes to wait before another try (0: go ahead)."""
    session = database()
    since = now() - WINDOW
    for key, limit in _keys(email, address):
        count, first = session.execute(
            select(func.count(), func.min(LoginAttempt.at)).where(
                LoginAttempt.key == key, LoginAttempt.at > since
            )
        ).one()
        if count >= limit:
            left = first + WINDOW - now()
            return max(1, int(left.total_seconds() // 60) + 1)
    return 0


def failed(email: str, address: str) -> None:
    session = database()
    for key, _limit in _keys(email, address):
        session.add(LoginAttempt(key=key))
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now() - 2 * WINDOW))
    session.commit()


def clear(email: str) -> None:
    session = database()
    session.execute(delete(LoginAttempt).where(LoginAttempt.key == f"email:{email}"))
    session.commit()
