"""HTML to PDF with WeasyPrint, imported only when a PDF is made.

One font configuration and the parsed stylesheets are kept for the life of the process;
every resource goes through `resources.fetch_resource`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import zlib
from collections.abc import Iterator, Sequence
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


def _attachments(files: Sequence[tuple[str, bytes]], when: dt.datetime) -> list[Any]:
    """WeasyPrint attachments of (name, bytes), dated `when` so output stays stable."""
    import io

    weasyprint, _ = _engine()
    return [
        weasyprint.Attachment(
            file_obj=io.BytesIO(data),
            name=name,
            url_fetcher=url_fetcher(),
            created=when,
            modified=when,
            relationship="Source",
        )
        for name, data in files
    ]


def pdf_datetime(date: dt.date | None) -> dt.datetime:
    """The moment a PDF is dated: midnight UTC of the assessment date (2000-01-01 without)."""
    if date is None:
        return _EPOCH
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)


LARGE_STREAM = 1 << 20
"""Streams of this many bytes or more (in practice the embedded responses and result of a
large survey) are deflated at zlib level 6 instead of pydyf's level 9."""


class _Deflater:
    """A zlib.compressobj stand-in that picks the level once it sees the data: pydyf gives
    a stream's whole data to one `compress` call, then `flush`."""

    def __init__(self, level: int) -> None:
        self._level, self._data = level, b""

    def compress(self, data: bytes) -> bytes:
        self._data += data
        return b""

    def flush(self) -> bytes:
        level = self._level if len(self._data) < LARGE_STREAM else min(self._level, 6)
        deflate = zlib.compressobj(level=level)
        return deflate.compress(self._data) + deflate.flush()


class _Zlib:
    """pydyf's view of zlib while a PDF is written: `compressobj` as _Deflater."""

    compress = staticmethod(zlib.compress)

    @staticmethod
    def compressobj(level: int = -1) -> _Deflater:
        return _Deflater(level)


@contextlib.contextmanager
def _quick_large_streams() -> Iterator[None]:
    """Large streams deflated at level 6 rather than 9, for the time of one rendering
    (under _LOCK).

    pydyf deflates every stream at level 9, which on a survey's embedded responses (50 MB of
    JSON for 100 000 respondents) takes 13 s where level 6 takes 1.2 s for an 11 % larger
    result; smaller streams (fonts, pages, the files of an ordinary assessment) are written
    at level 9 as before, byte for byte."""
    import pydyf  # type: ignore[import-untyped]  # WeasyPrint's PDF writer

    before = getattr(pydyf, "zlib", None)
    if before is None:  # another pydyf: leave it as it is
        yield
        return
    pydyf.zlib = _Zlib
    try:
        yield
    finally:
        pydyf.zlib = before


@contextlib.contextmanager
def _font_clock(when: dt.datetime) -> Iterator[None]:
    """Font subsets dated `when` rather than now.

    Without HarfBuzz's subsetter WeasyPrint subsets fonts with fontTools, which stamps each
    subset's `head.modified` with the clock unless SOURCE_DATE_EPOCH is set; it is set for
    the time of one rendering (under _LOCK) and restored after."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def html_to_pdf(
    html: str,
    css: str,
    attachments: Sequence[tuple[str, bytes]] = (),
    variant: str | None = None,
    date: dt.date | None = None,
) -> bytes:
    """Lay out an HTML document with a stylesheet; title, author and lang come from the HTML.

    `attachments` (name, bytes) are embedded as files; `variant` is a WeasyPrint PDF variant
    such as "pdf/a-3u". Nothing in the PDF depends on the clock: attachments and font
    subsets are dated `date` (the assessment's), so the same inputs give the same bytes."""
    when = pdf_datetime(date)
    with _LOCK:
        try:
            weasyprint, font_config = _engine()
        except (ImportError, OSError) as exc:
            raise ReportError(
                "the pdf format is not available here:"
                f" install WeasyPrint and its libraries ({exc})"
            ) from exc
        document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher())
        with _font_clock(when), _quick_large_streams():
            pdf = document.write_pdf(
                stylesheets=[_stylesheet(css)],
                font_config=font_config,
                attachments=_attachments(attachments, when) or None,
                pdf_variant=variant,
            )
    assert isinstance(pdf, bytes)
    return pdf
