"""How it is shown: bilingual evaluation reports (PDF, HTML, Markdown, JSON, DOCX, XLSX).

The package's own modules are imported on first use (`reports.render_report` loads the
renderers), so that a light module such as `reports.pdf_worker` can be imported alone;
WeasyPrint is imported only when a PDF is rendered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .context import build_context
    from .render import FORMATS, render_parts, render_report

__all__ = ["FORMATS", "build_context", "render_parts", "render_report"]


def __getattr__(name: str) -> Any:
    if name == "build_context":
        from .context import build_context

        return build_context
    if name in ("FORMATS", "render_parts", "render_report"):
        from . import render

        return getattr(render, name)
    raise AttributeError(f"module 'reports' has no attribute {name!r}")
