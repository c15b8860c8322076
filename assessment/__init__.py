"""Answers → results: responses, scoring, recommendations, and the `crmm` command line.

Heavy modules (pandas, weasyprint) are imported only where they are used.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("crm-maturity")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
