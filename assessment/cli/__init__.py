"""The `crmm` command line: parse, call the library, print.

Commands live in the modules of this package; importing them registers them on `cli`.
"""

from __future__ import annotations

from . import (
    answer,  # noqa: F401  (crmm answer)
    benchmark,  # noqa: F401  (crmm benchmark)
    certify,  # noqa: F401  (crmm certify, crmm framework)
    commands,  # noqa: F401  (registers the commands)
    compare,  # noqa: F401  (crmm compare)
    importing,  # noqa: F401  (crmm import)
    questionnaire,  # noqa: F401  (crmm questionnaire export)
    rate,  # noqa: F401  (crmm rate)
    serve,  # noqa: F401  (crmm serve, crmm db)
    users,  # noqa: F401  (crmm user)
    verify,  # noqa: F401  (crmm verify)
)
from .base import cli


def main() -> None:
    cli(prog_name="crmm")


__all__ = ["cli", "main"]
