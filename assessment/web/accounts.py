"""Consultant and administrator accounts, without HTTP: add, list, disable, enable, set a
password, and the one-time link that makes the first administrator. The command line
(`crmm user …`) and the admin page call these and show their InputErrors as they are."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frameworks.errors import InputError, Problem

from .models import Setting, User, now
from .security import hash_password, new_token, token_hash

PASSWORD_MIN = 12
PASSWORD_MAX = 1024
SETUP_KEY = "setup_token"
SETUP_VALID = dt.timedelta(hours=24)

Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        max_length=254,
        pattern=r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$",
    ),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Password = Annotated[str, Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)]


class NewAccount(BaseModel):
    """What makes an account, from a form or the command line, checked alike."""

    model_config = ConfigDict(extra="forbid")
    email: Email
    name: Name
    password: Password
    is_admin: bool = False


class NewPassword(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: Password


M = TypeVar("M", bound=BaseModel)

_MESSAGES = {
    "string_pattern_mismatch": "not an e-mail address",
    "string_too_short": "at least {min_length} characters",
    "string_too_long": "at most {max_length} characters",
}


def _checked(model: type[M], data: dict[str, object], where: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = ".".join(str(x) for x in err["loc"])
            template = _MESSAGES.get(err["type"])
            message = template.format(**(err.get("ctx") or {})) if template else err["msg"]
            problems.append(Problem(where, field, message))
        raise InputError(problems) from None


def find(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def get(session: Session, email: str, where: str = "user") -> User:
    """The account with this e-mail address; InputError if there is none."""
    user = find(session, email)
    if user is None:
        raise InputError.one(where, "email", f"no account {email.strip().lower()!r}")
    return user


def add(
    session: Session,
    email: str,
    name: str,
    password: str,
    *,
    admin: bool = False,
    where: str = "user",
) -> User:
    """A new active account (committed); InputError if a field is not valid or the e-mail
    address is taken."""
    new = _checked(
        NewAccount,
        {"email": email, "name": name, "password": password, "is_admin": admin},
        where,
    )
    if find(session, new.email) is not None:
        raise InputError.one(where, "email", f"{new.email!r} already has an account")
    user = User(
        email=new.email,
        name=new.name,
        password_hash=hash_password(new.password),
        is_admin=new.is_admin,
        active=True,
    )
    session.add(user)
    session.commit()
    return user


def set_active(session: Session, user: User, active: bool, *, by: User | None = None) -> None:
    """Disable (signed out at their next request) or enable an account; an administrator
    cannot disable their own, nor the last active administrator be disabled."""
    if not active and by is not None and by.id == user.id:
        raise InputError.one("user", "active", "you cannot disable your own account")
    if not active and user.is_admin and user.active and _active_admins(session) <= 1:
        raise InputError.one("user", "active", "the last active administrator cannot be disabled")
    user.active = active
    session.commit()


def set_password(session: Session, user: User, password: str, where: str = "user") -> None:
    """A new password (at least 12 characters); the account's other sessions end."""
    checked = _checked(NewPassword, {"password": password}, where)
    user.password_hash = hash_password(checked.password)
    session.commit()


def users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))


def _active_admins(session: Session) -> int:
    return int(
        session.scalar(select(func.count()).where(User.is_admin.is_(True), User.active.is_(True)))
        or 0
    )


# --- the first administrator -----------------------------------------------------------------


def has_users(session: Session) -> bool:
    return session.scalar(select(User.id).limit(1)) is not None


def new_setup_token(session: Session) -> str | None:
    """While there is no account: a fresh one-time token for /setup/<token> (only its hash
    is kept, valid 24 hours; an earlier one stops working). None once an account exists."""
    if has_users(session):
        return None
    token, hashed = new_token()
    expires = (now() + SETUP_VALID).isoformat()
    value = json.dumps({"hash": hashed, "expires": expires})
    row = session.get(Setting, SETUP_KEY)
    if row is None:
        session.add(Setting(key=SETUP_KEY, value=value))
    else:
        row.value = value
    session.commit()
    return token


def setup_token_valid(session: Session, token: str) -> bool:
    """Whether the token opens the setup page: the latest one made, unused, not expired,
    and still no account."""
    row = session.get(Setting, SETUP_KEY)
    if row is None or has_users(session):
        return False
    try:
        stored = json.loads(row.value)
        expires = dt.datetime.fromisoformat(stored["expires"])
    except (ValueError, KeyError, TypeError):
        return False
    import hmac

    return hmac.compare_digest(stored["hash"], token_hash(token)) and now() < expires


def first_admin(session: Session, token: str, email: str, name: str, password: str) -> User:
    """The first administrator, made with the one-time token, which is then gone;
    InputError if the token no longer works or a field is not valid."""
    if not setup_token_valid(session, token):
        raise InputError.one("setup", "token", "this setup link is used, expired or replaced")
    user = add(session, email, name, password, admin=True, where="setup")
    row = session.get(Setting, SETUP_KEY)
    if row is not None:
        session.delete(row)
        session.commit()
    return user
