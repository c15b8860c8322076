"""Which languages a framework's content is in, and which a report may be made in.

A framework declares its `languages` (default: zh-CN and en). Every text of the framework,
its element and recommendation files must be in exactly those languages; a questionnaire's
texts must cover them. A report, template or table is made only in a declared language.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from pydantic import BaseModel

from .errors import InputError, Problem
from .model import Framework
from .text import LANGS, Lang, Text


def texts_in(value: object, path: str = "") -> Iterator[tuple[str, Text]]:
    """Every Text inside a model (or list, dict) with its dotted location as in the YAML file."""
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            key = field.alias or name
            yield from texts_in(getattr(value, name), f"{path}.{key}" if path else key)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from texts_in(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_in(item, f"{path}.{key}" if path else str(key))


def language_problems(
    value: object,
    languages: Sequence[Lang],
    file: str | Path,
    prefix: str = "",
    *,
    exact: bool = True,
) -> list[Problem]:
    """A located problem for each text lacking one of `languages` and, when `exact`, for each
    text in a language outside them."""
    problems = []
    for where, text in texts_in(value, prefix):
        for lang in LANGS:
            at = f"{where}.{lang}"
            if lang in languages and not text.has(lang):
                problems.append(Problem(str(file), at, "required field is missing"))
            elif exact and lang not in languages and text.has(lang):
                only = " and ".join(languages)
                problems.append(Problem(str(file), at, f"the framework's languages are {only}"))
    return problems


def check_language(fw: Framework, lang: Lang) -> Lang:
    """`lang` if the framework has it; else a usage error naming the languages it has."""
    if lang not in fw.languages:
        have = " and ".join(fw.languages)
        hint = f"; use --lang {fw.languages[0]}" if len(fw.languages) == 1 else ""
        raise InputError.one(
            "--lang", "", f"framework {fw.id} {fw.version} is available in {have} only{hint}"
        )
    return lang


def report_language(fw: Framework, lang: Lang | None, default: Lang) -> Lang:
    """The language asked for (checked), else `default` if the framework has it, else the
    framework's first language."""
    if lang is not None:
        return check_language(fw, lang)
    return default if default in fw.languages else fw.languages[0]
