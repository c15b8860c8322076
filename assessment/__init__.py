"""Answers → results: responses, scoring, recommendations, and the `crmm` command line.

Heavy modules (pandas, weasyprint) are imported only where they are used; even the package
version is read from the installed metadata only when asked for.
"""

from __future__ import annotations

from functools import cache

__all__ = ["__version__"]


@cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("crm-maturity")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
