"""The declared profile vocabulary: industries, size bands and regions, with their names."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field

from .errors import InputError, Problem
from .fileio import load_data, validate_as
from .model import Id, Strict
from .text import Text

Dimension = Literal["industry", "size", "region"]
DIMENSIONS: tuple[Dimension, ...] = ("industry", "size", "region")


class Vocabulary(Strict):
    """`vocabulary.yaml`: for each profile dimension, the allowed ids and their names."""

    type: Literal["vocabulary"] = "vocabulary"
    industry: dict[Id, Text] = Field(min_length=1)
    size: dict[Id, Text] = Field(min_length=1)
    region: dict[Id, Text] = Field(min_length=1)

    def names(self, dimension: Dimension) -> dict[str, Text]:
        names: dict[str, Text] = getattr(self, dimension)
        return names

    def name(self, dimension: Dimension, value: str) -> Text | None:
        return self.names(dimension).get(value)

    def problems(self, values: dict[str, str], source: str, prefix: str) -> list[Problem]:
        """A located problem for each value of `values` (dimension → id) that is not declared."""
        out = []
        for dim in DIMENSIONS:
            value = values.get(dim)
            if value is not None and value not in self.names(dim):
                allowed = ", ".join(self.names(dim))
                message = f"unknown {dim} {value!r} (allowed: {allowed})"
                out.append(Problem(source, f"{prefix}{dim}", message))
        return out

    def check(self, values: dict[str, str], source: str, prefix: str = "") -> None:
        problems = self.problems(values, source, prefix)
        if problems:
            raise InputError(problems)


def vocabulary_path() -> Path:
    return Path(str(resources.files("frameworks") / "data" / "vocabulary.yaml"))


@cache
def vocabulary() -> Vocabulary:
    """The built-in vocabulary, read once."""
    path = vocabulary_path()
    return validate_as(Vocabulary, load_data(path), path)
