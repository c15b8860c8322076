"""Tokens, passwords and the headers every response carries."""

from __future__ import annotations

import hashlib
import secrets
from functools import cache
from typing import Any

from flask import Response

TOKEN_BYTES = 24  # 192 bits: a link cannot be guessed

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


def new_token() -> tuple[str, str]:
    """A random URL-safe token and the SHA-256 hex digest stored in its place."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of the password (argon2-cffi's defaults, RFC 9106)."""
    return str(_hasher().hash(password))


def check_password(stored: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


@cache
def dummy_hash() -> str:
    """The hash of a random password, checked against when the e-mail is unknown, so that
    a sign-in takes as long whether or not the account exists."""
    return hash_password(secrets.token_hex(16))


def secure_headers(response: Response) -> Response:
    """Content-Security-Policy without inline script, no sniffing, no framing, no referrer
    (links carry tokens), and nothing cached that holds answers or reports."""
    h = response.headers
    h.setdefault("Content-Security-Policy", CSP)
    h["X-Content-Type-Options"] = "nosniff"
    h["X-Frame-Options"] = "DENY"
    h["Referrer-Policy"] = "no-referrer"
    h["Cross-Origin-Opener-Policy"] = "same-origin"
    h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if not response.cache_control.public:
        h.setdefault("Cache-Control", "no-store")
    return response
