"""The record a PDF report embeds of how it was rendered (`report.json`), so that
`crmm verify` can render it again from its embedded inputs and compare the pages.

A PDF report embeds three files: the responses it was scored from (under their own name),
the result (`result.json`) and this record: the crmm and renderer versions, the language,
the PDF variant, the brand (with its logo), the earlier result a progress section was drawn
from, and the hash of a custom template folder. Framework, questionnaire and benchmark are
named by the result itself (id, version, SHA-256).
"""

from __future__ import annotations

import base64
import binascii
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from assessment import __version__
from assessment.result import AssessmentResult, result_json
from frameworks.fileio import canonical_json, validate_as
from frameworks.hashing import folder_sha256
from frameworks.model import Strict
from frameworks.text import Lang

from .brand import Brand, with_logo

RESULT_NAME = "result.json"
RECORD_NAME = "report.json"
RECORD_FORMAT = "crmm-report/1"  # ReportRecord.record_format
_LOGO_SUFFIX = {"image/svg+xml": ".svg", "image/png": ".png"}


@cache
def renderer_version() -> str:
    """The PDF engine and its version, e.g. "WeasyPrint 70.0" (read without importing it)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"WeasyPrint {version('weasyprint')}"
    except PackageNotFoundError:
        return "WeasyPrint (not installed)"


def current_result_format() -> str:
    """The result format this crmm writes (the model's default, whatever its number)."""
    default = AssessmentResult.model_fields["result_format"].default
    assert isinstance(default, str)
    return default


class RecordedBrand(Strict):
    """A brand as it was applied: the brand file's fields and the logo as a data: URL."""

    file: dict[str, Any]
    logo_url: str | None = None


class ReportRecord(Strict):
    """`report.json`: everything besides the result needed to render the report again."""

    type: Literal["crmm-report"] = "crmm-report"
    record_format: Literal["crmm-report/1"] = "crmm-report/1"
    crmm: str
    renderer: str
    result_format: str
    lang: Lang
    pdf_variant: str | None = None
    templates_sha256: str | None = None
    brand: RecordedBrand | None = None
    previous: dict[str, Any] | None = Field(
        default=None, description="the earlier result of the progress section, as JSON"
    )
    part: Literal["full", "main", "annex"] = Field(
        default="full",
        description="the whole report, the main report without appendices A-E, or their annex",
    )


def make_record(
    *,
    lang: Lang,
    pdf_variant: str | None,
    template_dir: Path | None,
    brand: Brand | None,
    previous: AssessmentResult | None,
    part: str = "full",
) -> ReportRecord:
    """The record of a rendering with these options, by this crmm and renderer."""
    import json

    return ReportRecord(
        crmm=__version__,
        renderer=renderer_version(),
        result_format=current_result_format(),
        lang=lang,
        pdf_variant=pdf_variant,
        templates_sha256=None if template_dir is None else folder_sha256(template_dir),
        brand=None
        if brand is None
        else RecordedBrand(
            file=brand.model_dump(mode="json", by_alias=True, exclude_none=True),
            logo_url=brand.logo_url,
        ),
        previous=None if previous is None else json.loads(result_json(previous)),
        part=part,
    )


def record_json(record: ReportRecord) -> bytes:
    """The record as the PDF embeds it: canonical JSON (`part` only when not the default, so
    a whole report's record reads as before)."""
    data = record.model_dump(mode="json")
    if data["part"] == "full":
        del data["part"]
    return canonical_json(data).encode()


def read_record(data: bytes, source: str) -> ReportRecord:
    """An embedded record, checked; InputError names what is wrong."""
    from frameworks.fileio import parse_data

    return validate_as(ReportRecord, parse_data(data, source), source, RECORD_NAME)


def recorded_brand(record: ReportRecord, source: str) -> Brand | None:
    """The brand a record holds, its logo checked again as `load_brand` checks it."""
    from frameworks.errors import InputError

    if record.brand is None:
        return None
    brand = validate_as(Brand, record.brand.file, source, f"{RECORD_NAME}.brand.file")
    url = record.brand.logo_url
    if url is None:
        return brand
    media, _, payload = url.removeprefix("data:").partition(";base64,")
    try:
        return with_logo(brand, base64.b64decode(payload, validate=True), _LOGO_SUFFIX[media])
    except (KeyError, ValueError, binascii.Error) as exc:
        raise InputError.one(
            source, f"{RECORD_NAME}.brand.logo_url", f"not a logo: {exc}"
        ) from None


def recorded_previous(record: ReportRecord, source: str) -> AssessmentResult | None:
    """The earlier result a record holds."""
    if record.previous is None:
        return None
    return validate_as(AssessmentResult, record.previous, source, f"{RECORD_NAME}.previous")


def embedded_files(
    result: AssessmentResult,
    responses: bytes,
    record: ReportRecord,
    result_bytes: bytes | None = None,
) -> list[tuple[str, bytes]]:
    """The files a PDF report embeds: the responses (under their own name), the result (its
    `result_json`, given as `result_bytes` when already made) and the record of the
    rendering."""
    if result.responses.file in (RESULT_NAME, RECORD_NAME):
        from frameworks.errors import InputError

        raise InputError.one(
            result.responses.file, "", "a PDF report embeds a file of this name: rename it"
        )
    return [
        (result.responses.file, responses),
        (RESULT_NAME, result_json(result).encode() if result_bytes is None else result_bytes),
        (RECORD_NAME, record_json(record)),
    ]
