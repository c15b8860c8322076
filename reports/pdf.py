"""HTML to PDF with WeasyPrint, imported only when a PDF is made.

One font configuration and the parsed stylesheets are kept for the life of the process;
every resource goes through `resources.fetch_resource`.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from . import resources
from .errors import ReportError
from .paths import STATIC_DIR

BASE_URL = STATIC_DIR.as_uri() + "/"
_LOCK = threading.Lock()
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@cache
def available() -> bool:
    """Whether WeasyPrint is installed (found without importing it: importing takes a
    second; a missing native library is reported when a PDF is made)."""
    import importlib.util

    return importlib.util.find_spec("weasyprint") is not None


def warm_up(css: str) -> None:
    """Import WeasyPrint, load the fonts and parse the stylesheet ahead of the first PDF."""
    _stylesheet(css)


@cache
def _engine() -> tuple[Any, Any]:
    """The weasyprint module and the process-wide FontConfiguration."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    return weasyprint, FontConfiguration()


@cache
def _fetcher_class() -> type[Any]:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PackageFetcher(URLFetcher):  # type: ignore[misc]
        """Serves report package files and data: URLs; raises for anything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            data, media_type = resources.fetch_resource(url)
            return URLFetcherResponse(url, body=data, headers={"Content-Type": media_type})

    return PackageFetcher


def variants() -> list[str]:
    """The PDF variants (PDF/A, PDF/UA...) the installed WeasyPrint can write."""
    from weasyprint.pdf import VARIANTS

    return sorted(VARIANTS)


def url_fetcher() -> Any:
    """A WeasyPrint URL fetcher confined to the report's static files."""
    return _fetcher_class()()


@lru_cache(maxsize=4)
def _stylesheet(css: str) -> Any:
    weasyprint, font_config = _engine()
    return weasyprint.CSS(
        string=css, base_url=BASE_URL, url_fetcher=url_fetcher(), font_config=font_config
    )


def _attachments(files: Sequence[tuple[str, bytes]]) -> list[Any]:
    """WeasyPrint attachments of (name, bytes), with fixed dates so output stays stable."""
    import io

    weasyprint, _ = _engine()
    return [
        weasyprint.Attachment(
            file_obj=io.BytesIO(data),
            name=name,
            url_fetcher=url_fetcher(),
            created=_EPOCH,
            modified=_EPOCH,
            relationship="Source",
        )
        for name, data in files
    ]


def html_to_pdf(
    html: str,
    css: str,
    attachments: Sequence[tuple[str, bytes]] = (),
    variant: str | None = None,
) -> bytes:
    """Lay out an HTML document with a stylesheet; title, author and lang come from the HTML.

    `attachments` (name, bytes) are embedded as files; `variant` is a WeasyPrint PDF variant
    such as "pdf/a-3u"."""
    with _LOCK:
        try:
            weasyprint, font_config = _engine()
        except (ImportError, OSError) as exc:
            raise ReportError(
                "the pdf format is not available here:"
                f" install WeasyPrint and its libraries ({exc})"
            ) from exc
        document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher())
        pdf = document.write_pdf(
            stylesheets=[_stylesheet(css)],
            font_config=font_config,
            attachments=_attachments(attachments) or None,
            pdf_variant=variant,
        )
    assert isinstance(pdf, bytes)
    return pdf
