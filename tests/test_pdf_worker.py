"""The PDF worker process: same PDF as in-process, errors come back typed, stops at once."""

from __future__ import annotations

from typing import Any

import pytest

from assessment.engine import assess
from assessment.responses import load_responses
from questionnaires.loader import load_questionnaire
from reports import pdf, render_report
from reports.errors import ReportError
from reports.pdf_worker import PdfWorker, start_pdf_worker

from .conftest import MINI, pdf_text


def _mini_pdf(worker: PdfWorker | None) -> bytes:
    q, fw = load_questionnaire(MINI / "questionnaire.yaml", MINI / "framework.yaml")
    loaded = load_responses(MINI / "responses.yaml")
    result = assess(loaded, q, fw)
    return render_report(result, fw, q, lang="en", fmt="pdf", pdf_worker=worker)


def test_worker_renders_the_same_report() -> None:
    worker = start_pdf_worker()
    assert worker is not None  # Linux, two cores or more (CI and development machines)
    with worker:
        made = _mini_pdf(worker)
    assert made.startswith(b"%PDF")
    assert pdf_text(made) == pdf_text(_mini_pdf(None))


def test_worker_errors_come_back_as_report_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> bytes:
        raise ReportError("the pdf format is not available here: no pango")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)  # the forked worker inherits the patch
    with PdfWorker("") as worker, pytest.raises(ReportError, match="no pango"):
        worker.html_to_pdf("<p>x</p>", "", (), None)

    def crash(*args: Any) -> bytes:
        raise ValueError("boom")

    monkeypatch.setattr(pdf, "html_to_pdf", crash)
    with PdfWorker("") as worker, pytest.raises(ReportError, match="ValueError: boom"):
        worker.html_to_pdf("<p>x</p>", "", (), None)


def test_closing_a_warming_worker_stops_it() -> None:
    worker = PdfWorker("p { color: red }")
    worker.close()  # terminates the warm-up rather than waiting for it
    assert not worker._process.is_alive()
    assert worker._process.exitcode is not None
