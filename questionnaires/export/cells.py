"""Spreadsheet text that never runs as a formula (the rule of assessment/tabular.py, which this
layer may not import): text starting with = + - @, a tab or a carriage return gets a leading
apostrophe on export, and loses it again on import."""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """Text a spreadsheet shows as text."""
    return "'" + text if text.startswith(FORMULA_START) else text


def unquote(text: str) -> str:
    """The text `safe_text` quoted, as it was."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text
