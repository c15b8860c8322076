"""The `crmm` command line: parse, call the library, print.

Commands live in the modules of this package; importing them registers them on `cli`.
"""

from __future__ import annotations

from . import commands  # noqa: F401  (registers the commands)
from .base import cli


def main() -> None:
    cli(prog_name="crmm")


__all__ = ["cli", "main"]
