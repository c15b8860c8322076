"""`crmm serve` (the web app on waitress) and `crmm db upgrade|backup` (its database).

Flask, SQLAlchemy and waitress are imported inside the commands: `crmm --help` stays instant."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .base import cli

DB_ENV = "CRMM_DB"
DB_OPT = click.option(
    "--db",
    "db",
    default="crmm.sqlite",
    show_default=True,
    envvar=DB_ENV,
    metavar="PATH|URL",
    help=f"The database: a SQLite file, or postgresql://user@host/name (also ${DB_ENV}).",
)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port."
)
@DB_OPT
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Requests served at once.",
)
@click.option(
    "--behind-https",
    is_flag=True,
    help="A reverse proxy in front terminates TLS: Secure cookies, trust X-Forwarded-* (1 hop).",
)
def serve(host: str, port: int, db: str, threads: int, behind_https: bool) -> None:
    """Run the web app where respondents answer in a browser.

    Serves on http://127.0.0.1:8000 with the SQLite database crmm.sqlite in the current
    folder (made on first start). While the database has no account yet, prints a one-time
    link (valid 24 hours) that makes the first administrator."""
    from ..web import accounts, serving
    from ..web import db as webdb
    from ..web.app import create_app

    webdb.open_database(db).dispose()  # made or checked here: one-line errors, exit 2
    app = create_app({"DATABASE": db})
    if behind_https:
        serving.behind_proxy(app)
    if not serving.is_loopback(host):
        click.echo(
            f"warning: serving on {host}, reachable from other machines, but crmm serve has no"
            " TLS of its own: put it behind a reverse proxy that terminates TLS (see the README,"
            " 'Running it for a firm') and pass --behind-https",
            err=True,
        )
    try:
        server = serving.make_server(app, host, port, threads)
    except OSError as exc:
        from frameworks.errors import CrmmError

        raise CrmmError(f"{host}:{port}: cannot listen: {exc.strerror or exc}") from None
    url = serving.base_url(host, server.effective_port)
    try:  # Ctrl+C from here on is the way to stop: exit 0, no "Aborted!"
        with app.extensions["crmm_sessions"]() as session:
            token = accounts.new_setup_token(session)
        click.echo(f"crmm serve: {url}/  (database {webdb.shown(db)}; Ctrl+C stops)")
        if token is not None:
            click.echo(f"First administrator: open {url}/setup/{token}  (once, within 24 hours)")
        sys.stdout.flush()
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


@cli.group()
def db() -> None:
    """The web app's database: upgrade its schema, back it up."""


@db.command()
@DB_OPT
def upgrade(db: str) -> None:
    """Bring the database to this crmm's schema (made if missing), keeping its data.

    Back it up first (crmm db backup)."""
    from ..web import db as webdb

    before, after = webdb.upgrade_database(db)
    if before == after:
        click.echo(f"{webdb.shown(db)}: already at schema {after}")
    else:
        click.echo(f"{webdb.shown(db)}: schema {before or 'none'} → {after}")


@db.command()
@DB_OPT
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The backup file (written whole or not at all).",
)
def backup(db: str, output: Path) -> None:
    """A consistent copy of the database, safe while crmm serve runs.

    SQLite: a database file of its own (SQLite's online backup). PostgreSQL: pg_dump's
    custom format, restored with pg_restore (needs pg_dump on the PATH)."""
    from ..web import db as webdb

    webdb.backup(db, output)
    click.echo(f"wrote {output}", err=True)
