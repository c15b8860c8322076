"""Where the report package keeps its templates, static files and fonts."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
FONTS_DIR = PACKAGE_DIR / "fonts"
