"""How it is shown: bilingual evaluation reports (PDF, HTML, Markdown, JSON) of a result.

WeasyPrint is imported only when a PDF is rendered.
"""

from .context import build_context
from .render import FORMATS, render_report

__all__ = ["FORMATS", "build_context", "render_report"]
