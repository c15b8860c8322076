"""A PDF worker process that loads WeasyPrint while the caller scores and builds the report.

Importing WeasyPrint, loading the fonts and parsing the stylesheet take about a second and
need nothing from the assessment; the caller needs about as long to import pandas, score and
build the report's HTML. `crmm report` starts a worker first, so on a machine with two cores
or more both happen at once, then hands the worker the HTML to lay out.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType

from . import pdf
from .errors import ReportError
from .templating import environment, template_source

PDF_STYLESHEET = "report.css"
_PR_SET_PDEATHSIG = 1  # prctl(2)


def _die_with_parent(parent: int) -> None:
    """The worker never outlives `crmm report`: on Linux the kernel kills it when its parent
    dies (even by SIGKILL); Ctrl-C is left to the parent, which stops the worker itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def _serve(conn: Connection, css: str, parent_end: Connection, parent: int) -> None:
    """Worker: warm up, then render one HTML document per request until the pipe closes."""
    parent_end.close()  # else this process would hold the pipe open and never see it close
    _die_with_parent(parent)
    with contextlib.suppress(ImportError, OSError):  # reported by html_to_pdf when asked
        pdf.warm_up(css)
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", pdf.html_to_pdf(*request)))
        except ReportError as exc:
            conn.send(("report-error", str(exc)))
        except Exception as exc:  # sent back and raised in the caller
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class PdfWorker:
    """One forked process rendering PDFs with its own warm WeasyPrint (see module docstring)."""

    def __init__(self, css: str) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, css, self._conn, os.getpid()), daemon=True
        )
        self._process.start()
        child.close()

    def html_to_pdf(
        self,
        html: str,
        css: str,
        attachments: Sequence[tuple[str, bytes]],
        variant: str | None,
        date: dt.date | None = None,
    ) -> bytes:
        """What `pdf.html_to_pdf` returns, made in the worker."""
        self._conn.send((html, css, tuple(attachments), variant, date))
        try:
            status, payload = self._conn.recv()
        except EOFError:
            raise ReportError("the PDF worker process stopped unexpectedly") from None
        if status == "report-error":
            raise ReportError(payload)
        if status == "error":
            raise ReportError(f"the PDF could not be made: {payload}")
        assert isinstance(payload, bytes)
        return payload

    def close(self) -> None:
        """Stop the worker at once (it may still be warming up when the caller fails)."""
        self._conn.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()

    def __enter__(self) -> PdfWorker:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def start_pdf_worker(template_dir: Path | None = None) -> PdfWorker | None:
    """A worker warming up with the PDF stylesheet (of `template_dir` if it overrides it),
    where it helps: two CPUs or more and the fork start method (Linux); else None, and the
    caller renders in its own process."""
    if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    env = environment(template_dir.resolve() if template_dir is not None else None)
    return PdfWorker(template_source(env, PDF_STYLESHEET))


PdfMaker = Callable[[str, str, Sequence[tuple[str, bytes]], str | None, dt.date | None], bytes]


def pdf_maker(worker: PdfWorker | None) -> PdfMaker:
    """The html_to_pdf function to call: the worker's, or the in-process one."""
    return worker.html_to_pdf if worker is not None else pdf.html_to_pdf
