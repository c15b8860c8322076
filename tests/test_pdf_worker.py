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


def _embedded_streams(made: bytes) -> dict[str, bytes]:
    """Each embedded file's stream as stored in the PDF (deflated), by file name."""
    import io

    from pypdf import PdfReader

    names = PdfReader(io.BytesIO(made)).trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    out = {}
    for name, spec in zip(names[::2], names[1::2], strict=True):
        stream = spec.get_object()["/EF"]["/F"].get_object()
        out[str(name)] = bytes(stream._data)
    return out


def test_large_embedded_files_are_deflated_at_level_6_small_ones_at_9() -> None:
    import json
    import zlib

    # a survey's responses file: over LARGE_STREAM bytes of repetitive JSON
    big = json.dumps({"answers": {f"q{i}": [i % 5 + 1, "部分"] * 300 for i in range(400)}})
    large = big.encode()
    small = b'{"respondents": 3}' * 50
    assert len(large) >= pdf.LARGE_STREAM > len(small)
    html = "<html lang='en'><head><title>t</title></head><body><p>x</p></body></html>"
    made = pdf.html_to_pdf(html, "", [("large.json", large), ("small.json", small)])
    stored = _embedded_streams(made)
    assert zlib.decompress(stored["large.json"]) == large
    assert stored["large.json"] == zlib.compress(large, 6) != zlib.compress(large, 9)
    assert stored["small.json"] == zlib.compress(small, 9)
