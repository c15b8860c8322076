"""`crmm user add|disable|enable|list|password`: the web app's accounts from the terminal
(the same library functions as the admin page, assessment/web/accounts.py)."""

from __future__ import annotations

import sys
from typing import Any

import click

from .base import cli
from .serve import DB_OPT


@cli.group()
def user() -> None:
    """Accounts of consultants and administrators of crmm serve."""


def _session(db: str) -> Any:
    from ..web import db as webdb

    engine = webdb.open_database(db)
    return engine, webdb.session_factory(engine)()


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


PASSWORD_STDIN = click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of prompting.",
)


@user.command()
@click.argument("email")
@click.option("--name", required=True, help="The person's name as pages show it.")
@click.option("--admin", is_flag=True, help="An administrator (manages accounts).")
@PASSWORD_STDIN
@DB_OPT
def add(email: str, name: str, admin: bool, password_stdin: bool, db: str) -> None:
    """Add an account (password at least 12 characters, prompted twice)."""
    from ..web import accounts

    engine, session = _session(db)
    try:
        made = accounts.add(session, email, name, _password(password_stdin), admin=admin)
        click.echo(f"added {'administrator' if made.is_admin else 'consultant'} {made.email}")
    finally:
        session.close()
        engine.dispose()


def _set_active(email: str, db: str, active: bool) -> None:
    from ..web import accounts

    engine, session = _session(db)
    try:
        found = accounts.get(session, email)
        accounts.set_active(session, found, active)
        click.echo(f"{'enabled' if active else 'disabled'} {found.email}")
    finally:
        session.close()
        engine.dispose()


@user.command()
@click.argument("email")
@DB_OPT
def disable(email: str, db: str) -> None:
    """Disable an account: signed out at its next request, cannot sign in."""
    _set_active(email, db, False)


@user.command()
@click.argument("email")
@DB_OPT
def enable(email: str, db: str) -> None:
    """Enable a disabled account."""
    _set_active(email, db, True)


@user.command(name="list")
@DB_OPT
def list_(db: str) -> None:
    """List the accounts: e-mail, role, status, name."""
    from ..web import accounts

    engine, session = _session(db)
    try:
        rows = accounts.users(session)
        width = max([len(u.email) for u in rows] + [5])
        click.echo(f"{'email':<{width}}  {'role':<13}  {'status':<8}  name")
        for u in rows:
            role = "administrator" if u.is_admin else "consultant"
            status = "active" if u.active else "disabled"
            click.echo(f"{u.email:<{width}}  {role:<13}  {status:<8}  {u.name}")
    finally:
        session.close()
        engine.dispose()


@user.command()
@click.argument("email")
@PASSWORD_STDIN
@DB_OPT
def password(email: str, password_stdin: bool, db: str) -> None:
    """Set an account's password (its sessions end)."""
    from ..web import accounts

    engine, session = _session(db)
    try:
        found = accounts.get(session, email)
        accounts.set_password(session, found, _password(password_stdin))
        click.echo(f"password set for {found.email}")
    finally:
        session.close()
        engine.dispose()
