"""The kinds of content file crmm validates (light: the command line's choices need it)."""

from __future__ import annotations

from typing import Literal

Kind = Literal[
    "framework", "questionnaire", "responses", "element", "recommendations", "glossary", "benchmark"
]
KINDS: tuple[Kind, ...] = (
    "framework",
    "questionnaire",
    "responses",
    "element",
    "recommendations",
    "glossary",
    "benchmark",
)
