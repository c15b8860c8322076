"""What is measured: the maturity-framework model, its loader, and the built-in content."""

from .errors import CrmmError, Finding, InputError, Problem
from .loader import builtin_frameworks, load_framework
from .model import Framework
from .text import LANGS, Lang, Text

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
