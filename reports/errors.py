"""The report package's error: bad report requests, as a CrmmError the CLI can print."""

from __future__ import annotations

from frameworks.errors import CrmmError


class ReportError(CrmmError):
    """A report cannot be made: unknown format, missing PDF engine, mismatched inputs."""
