"""What is measured: the maturity-framework model, its loader, and the built-in content.

The names below are imported on first use (PEP 562), so that importing one light module of
the package (`frameworks.errors`, `frameworks.langs`) does not load the pydantic models.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import CrmmError, Finding, InputError, Problem
    from .langs import LANGS, Lang
    from .loader import builtin_frameworks, load_framework
    from .model import Framework
    from .text import Text

_WHERE = {
    "CrmmError": "errors",
    "Finding": "errors",
    "InputError": "errors",
    "Problem": "errors",
    "LANGS": "langs",
    "Lang": "langs",
    "builtin_frameworks": "loader",
    "load_framework": "loader",
    "Framework": "model",
    "Text": "text",
}

__all__ = [
    "LANGS",
    "CrmmError",
    "Finding",
    "Framework",
    "InputError",
    "Lang",
    "Problem",
    "Text",
    "builtin_frameworks",
    "load_framework",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_WHERE[name]}", __name__), name)
