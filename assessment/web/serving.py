"""Serving the app: waitress on a host and port, behind a TLS-terminating proxy or not.

Why waitress: pure Python (nothing to compile), runs alike on Windows, macOS and Linux where
consultants' laptops are, is a production server (a thread pool, request and body limits,
no debugger), and is under the permissive ZPL 2.1; gunicorn runs only on Unix."""

from __future__ import annotations

import ipaddress
from typing import Any

from flask import Flask

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def behind_proxy(app: Flask) -> None:
    """For a TLS-terminating reverse proxy in front (one hop): cookies marked Secure, and
    the client's address, scheme and host taken from its X-Forwarded-* headers."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    app.config["SESSION_COOKIE_SECURE"] = True
    app.config["PREFERRED_URL_SCHEME"] = "https"
    app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
        app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1
    )


def make_server(app: Any, host: str, port: int, threads: int) -> Any:
    """A waitress server bound now (port 0: a free one, see `effective_port`), not yet
    serving: call its run()."""
    from waitress.server import create_server

    return create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="crmm",
        clear_untrusted_proxy_headers=True,
    )


def base_url(host: str, port: int) -> str:
    """The address to print: a wildcard host is shown as this machine's loopback."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}.get(host, host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"
