"""The one Jinja environment: user templates first, then the built-in ones; filters."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)

from .errors import ReportError
from .formatting import compact, exact, icc, num, pct, spread, weight
from .paths import STATIC_DIR, TEMPLATES_DIR

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#~!]|&(?=#?\w+;))")


def fill(template: str, **values: Any) -> str:
    """A label with its `{name}` placeholders filled in."""
    return template.format(**values)


def md(value: Any) -> str:
    """Text safe inside Markdown: special characters escaped, on one line."""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


FILTERS = {
    "num": num,
    "exact": exact,
    "icc": icc,
    "pct": pct,
    "weight": weight,
    "compact": compact,
    "spread": spread,
    "fill": fill,
    "md": md,
}


@lru_cache(maxsize=1)
def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept between runs (Jinja's per-user folder in the temporary
    directory, checked by Jinja to belong to this user; a changed template is recompiled).
    Saves about a third of a second per report; none where the folder cannot be made."""
    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


@lru_cache(maxsize=8)
def environment(template_dir: Path | None = None) -> Environment:
    """The environment for a user template folder (or none), made once per folder.

    HTML and SVG templates are autoescaped; any undefined name is an error.
    """
    loaders = []
    if template_dir is not None:
        if not template_dir.is_dir():
            raise ReportError(f"{template_dir}: template folder not found")
        loaders.append(FileSystemLoader(str(template_dir)))
    loaders.append(FileSystemLoader([str(TEMPLATES_DIR), str(STATIC_DIR)]))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml", "svg", "html.j2", "svg.j2"),
            default_for_string=True,
            default=False,
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(FILTERS)
    return env


def template_source(env: Environment, name: str) -> str:
    """A file's text found through the environment's loaders (so users can override it)."""
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    return source
