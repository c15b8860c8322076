"""`crmm serve`: the web application, an interface beside the command line over the same
library (assessment/web/store.py writes the responses file every report is made from)."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
