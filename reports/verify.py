"""`crmm verify`: a PDF report proves what its pages show (docs/verification.md).

A report embeds the responses it was scored from, the result (`result.json`) and the record
of its rendering (`report.json`, reports/record.py). `verify_report` checks, in order:

1. the file: exactly those three attachments, each once; one revision as written, or
   signatures that are intact and cover everything after it (reports/signing.py);
2. the versions: made by this crmm and renderer in this result format, else it stops with
   one finding saying which version to verify with (no false list of mismatches);
3. the scores: the responses scored again give the embedded result byte for byte;
4. the pages (unless the file already failed 1, or the framework, questionnaire or
   benchmark given is not the one the result names): the report rendered again from the
   embedded inputs shows, page by page, the same text as the PDF (text extracted by pypdf
   from both); an unsigned PDF byte-identical to the fresh rendering needs no extraction.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assessment import __version__
from assessment.verify import Check, read_result, rescore
from frameworks.errors import InputError
from frameworks.fileio import read_bytes

from .record import (
    RECORD_FORMAT,
    RECORD_NAME,
    RESULT_NAME,
    current_result_format,
    read_record,
    recorded_brand,
    recorded_previous,
    renderer_version,
)

_CONTENT = ("framework", "questionnaire", "benchmark")


@dataclass
class Verification:
    """What `verify_report` found: its checks, and the finding that stopped it early."""

    checks: list[Check] = field(default_factory=list)
    stopped: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.stopped is None and all(c.ok for c in self.checks)


def pdf_attachments(raw: bytes, source: str) -> dict[str, list[bytes]]:
    """Every file embedded in a PDF, by name (a name embedded twice has two entries)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return {k: list(v) for k, v in PdfReader(io.BytesIO(raw)).attachments.items()}
    except (PyPdfError, ValueError, KeyError, TypeError) as e:
        raise InputError.one(source, "", f"not a readable PDF: {e}") from e


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, as pypdf extracts it."""
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def compare_pages(shown: list[str], fresh: list[str]) -> list[Check]:
    """One failing check per page whose text differs (its first differing line, both
    versions), one for a different page count; one passing check when all agree."""
    checks = []
    if len(shown) != len(fresh):
        checks.append(
            Check("pages", False, f"the PDF has {len(shown)} pages, a fresh rendering {len(fresh)}")
        )
    for number, (a, b) in enumerate(zip(shown, fresh, strict=False), start=1):
        if a == b:
            continue
        la, lb = a.splitlines(), b.splitlines()
        line = next(
            (i for i, (x, y) in enumerate(zip(la, lb, strict=False)) if x != y),
            min(len(la), len(lb)),
        )
        got = la[line] if line < len(la) else "(end of page)"
        want = lb[line] if line < len(lb) else "(end of page)"
        checks.append(
            Check(
                f"page {number}",
                False,
                f"line {line + 1}: the PDF shows {got!r}, a fresh rendering {want!r}",
            )
        )
    if not checks:
        checks.append(Check("pages", True, f"{len(shown)} pages, same text as a fresh rendering"))
    return checks


def _json_object(data: bytes, source: str, name: str) -> dict[str, Any]:
    try:
        doc = json.loads(data)
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        raise InputError.one(source, name, "not a JSON object")
    return doc


def _version_finding(raw_result: bytes, record: bytes | None, source: str) -> str | None:
    """Why this crmm cannot render the report again (another version made it), or None.

    Read from the raw JSON, before any model checks it: a report of another version may
    hold fields this one does not know."""
    made_format = _json_object(raw_result, source, RESULT_NAME).get("result_format")
    if made_format is None:
        raise InputError.one(source, RESULT_NAME, "not a crmm result (no result_format)")
    current = current_result_format()
    here = f"this is crmm {__version__} ({renderer_version()}, result format {current})"
    if record is None:
        return (
            f"made by an older crmm (result format {made_format}) that did not record how it"
            f" rendered the report; {here}: verify it with the crmm version that made it"
        )
    rec = _json_object(record, source, RECORD_NAME)
    made = (rec.get("crmm"), rec.get("renderer"), rec.get("record_format"), made_format)
    if made != (__version__, renderer_version(), RECORD_FORMAT, current):
        record_format = "" if made[2] == RECORD_FORMAT else f", record format {made[2]}"
        return (
            f"made by crmm {made[0]} ({made[1]}, result format {made_format}{record_format});"
            f" {here}: verify it with that version"
        )
    return None


def verify_report(
    path: Path,
    questionnaire: str | None = None,
    framework: str | None = None,
    benchmark: str | None = None,
    templates: Path | None = None,
    trust: Sequence[Path] = (),
) -> Verification:
    """Check a PDF report (see the module docstring). InputError (exit 2) when the file is
    not a readable PDF or embeds no crmm result; findings are failing checks."""
    from .pdf_worker import start_pdf_worker
    from .render import render_report
    from .signing import revision_checks

    source = str(path)
    raw = read_bytes(path)
    files = pdf_attachments(raw, source)
    if RESULT_NAME not in files:
        raise InputError.one(path, "attachments", f"no embedded {RESULT_NAME}: not verifiable")
    out = Verification()
    out.checks += revision_checks(raw, source, trust)
    for name, copies in files.items():
        if len(copies) > 1:
            out.checks.append(
                Check("attachments", False, f"{name!r} is embedded {len(copies)} times: ambiguous")
            )
    raw_result = files[RESULT_NAME][0]
    record = files.get(RECORD_NAME, [None])[0]
    out.stopped = _version_finding(raw_result, record, source)
    if out.stopped is not None or record is None:
        return out
    embedded = read_result(raw_result, source, RESULT_NAME)
    responses_name = embedded.responses.file
    expected = {responses_name, RESULT_NAME, RECORD_NAME}
    for name in sorted(set(files) - expected):
        out.checks.append(Check("attachments", False, f"unexpected embedded file {name!r}"))
    if responses_name not in files or responses_name in (RESULT_NAME, RECORD_NAME):
        out.checks.append(
            Check("attachments", False, f"the responses file {responses_name!r} is not embedded")
        )
        return out
    responses = files[responses_name][0]
    as_written = all(c.ok for c in out.checks)
    rec = read_record(record, source)
    if rec.templates_sha256 is not None and templates is None:
        raise InputError.one(
            path,
            RECORD_NAME,
            f"rendered with custom templates (sha256 {rec.templates_sha256}):"
            " give them with --templates DIR",
        )
    # WeasyPrint warms up in a worker process while this one scores the responses again.
    worker = start_pdf_worker(templates) if as_written else None
    try:
        rescored = rescore(embedded, raw_result, responses, questionnaire, framework, benchmark)
        out.checks += rescored.checks
        if not as_written:
            out.notes.append("pages not compared: the file is not the report as written (above)")
            return out
        other = [c.name for c in rescored.checks if not c.ok and c.name.startswith(_CONTENT)]
        if other:
            out.notes.append(
                "pages not compared: scored with other content than the report's"
                f" ({', '.join(other)})"
            )
            return out
        if rec.templates_sha256 is not None and templates is not None:
            from frameworks.hashing import folder_sha256

            out.checks.append(
                Check.compare("templates sha256", rec.templates_sha256, folder_sha256(templates))
            )
        fresh = render_report(
            rescored.result,
            rescored.framework,
            rescored.questionnaire,
            lang=rec.lang,
            fmt="pdf",
            template_dir=templates if rec.templates_sha256 is not None else None,
            previous=recorded_previous(rec, source),
            responses=rescored.responses,
            pdf_variant=rec.pdf_variant,
            brand=recorded_brand(rec, source),
            pdf_worker=worker,
            responses_file=responses,
            part=rec.part,
        )
    finally:
        if worker is not None:
            worker.close()
    out.checks += _page_checks(raw, fresh)
    if not raw.startswith(fresh):
        out.notes.append(
            "the bytes differ from a fresh rendering (another font subsetter, or a change"
            " that is not text): the text of the pages was compared, not their drawings"
        )
    return out


def _page_checks(raw: bytes, fresh: bytes) -> list[Check]:
    """The PDF's pages against a fresh rendering's (see compare_pages)."""
    from pypdf import PdfReader

    if raw == fresh:  # the same bytes show the same pages: no need to extract their text
        pages = len(PdfReader(io.BytesIO(raw)).pages)
        return [Check("pages", True, f"{pages} pages, byte-identical to a fresh rendering")]
    checks = compare_pages(page_texts(raw), page_texts(fresh))
    if raw.startswith(fresh):
        checks.append(
            Check(
                "bytes",
                True,
                "signed: the report as written is byte-identical to a fresh rendering",
            )
        )
    return checks
