"""One exception hierarchy for the whole tool; only the CLI turns it into output."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem: which file, which dotted field path, what is wrong."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class CrmmError(Exception):
    """Base class of every error crmm raises on purpose."""

    exit_code = 2

    def lines(self) -> list[str]:
        return [str(self)]


class InputError(CrmmError):
    """Bad input: one or more located problems (exit code 2)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def one(cls, file: str | Path, path: str, message: str) -> InputError:
        return cls([Problem(str(file), path, message)])

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class Finding(CrmmError):
    """A negative finding that is not an input error, e.g. a verify mismatch (exit code 1)."""

    exit_code = 1
