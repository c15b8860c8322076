"""Uploaded evidence: what a file is, judged by its content (never by its name or the
Content-Type a browser sends), a safe name to display, and storing it once under its hash.

Images are recognised by Pillow (a dependency already, through weasyprint), which reads the
file's header as it would to decode it; PDF by its `%PDF-` header; DOCX/XLSX/PPTX by the
zip's `[Content_Types].xml` and main part (stdlib zipfile); plain text as UTF-8 without NUL.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from frameworks.errors import InputError

from .models import EvidenceFile, EvidenceUpload, Respondent

# kind → (media type, file name extensions that may carry it)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", (".pdf",)),
    "png": ("image/png", (".png",)),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
    "gif": ("image/gif", (".gif",)),
    "webp": ("image/webp", (".webp",)),
    "text": ("text/plain; charset=utf-8", (".txt", ".text", ".md", ".csv")),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (".pptx",),
    ),
}
ACCEPT = ",".join(ext for _media, exts in KINDS.values() for ext in exts)
_OFFICE = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
_PIL = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif", "WEBP": "webp"}
_REF = re.compile(r" \(sha256:[0-9a-f]{12}\)$")


@dataclass(frozen=True)
class Stored:
    """An upload as kept: its display name, hash and the reference put in the answer."""

    filename: str
    sha256: str
    reference: str


def sniff(data: bytes) -> str | None:
    """The kind of file `data` is (a KINDS key), or None for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    image = _image(data)
    if image is not None:
        return image
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text"


def _image(data: bytes) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            return _PIL.get(img.format or "")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def _office(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "[Content_Types].xml" not in names:
                return None
            with z.open("[Content_Types].xml") as stream:  # a bounded read: no zip bomb
                types = stream.read(1_000_000)
    except (
        zipfile.BadZipFile,
        OSError,
        KeyError,
        RuntimeError,
        ValueError,
        EOFError,
        NotImplementedError,
        zlib.error,
    ):
        return None
    for kind, part in _OFFICE.items():
        if part in names and f'"/{part}"'.encode() in types:
            return kind
    return None


def safe_name(name: str) -> str:
    """The file's base name only (no folders, either slash), without control characters,
    at most 255 characters; shown to people, never used as a path."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip().strip(".")
    if len(base) > 255:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 255 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 16 else base[:255]
    return base or "file"


def is_upload_reference(text: str) -> bool:
    return bool(_REF.search(text))


def check_upload(data: bytes, filename: str, max_bytes: int) -> tuple[str, str]:
    """(safe name, kind) of an acceptable upload; InputError saying why not."""
    name = safe_name(filename)
    if not data:
        raise InputError.one("upload", "file", "the file is empty")
    if len(data) > max_bytes:
        raise InputError.one(
            "upload", "file", f"{len(data)} bytes; at most {max_bytes} are allowed"
        )
    kind = sniff(data)
    if kind is None:
        raise InputError.one(
            "upload", "file", "not a PDF, image (PNG, JPEG, GIF, WebP), text or Office file"
        )
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in KINDS[kind][1]:
        raise InputError.one(
            "upload",
            "file",
            f"the name ends in {ext or 'no extension'!s} but the content is {kind}"
            f" ({', '.join(KINDS[kind][1])})",
        )
    return name, kind


def store_upload(
    session: Session, respondent: Respondent, question_id: str, data: bytes, name: str, kind: str
) -> Stored:
    """Keep the file once under its SHA-256 and record who uploaded it for which question
    (not committed; an upload of the same file for the same question is recorded once)."""
    digest = hashlib.sha256(data).hexdigest()
    if session.get(EvidenceFile, digest) is None:
        session.add(
            EvidenceFile(sha256=digest, size=len(data), media_type=KINDS[kind][0], data=data)
        )
        try:
            session.flush()
        except IntegrityError:  # the same file at the same moment from someone else
            session.rollback()
    known = session.scalar(
        select(EvidenceUpload).where(
            EvidenceUpload.respondent_id == respondent.id,
            EvidenceUpload.question_id == question_id,
            EvidenceUpload.sha256 == digest,
        )
    )
    if known is None:
        session.add(
            EvidenceUpload(
                assessment_id=respondent.assessment_id,
                respondent_id=respondent.id,
                question_id=question_id,
                sha256=digest,
                filename=name,
            )
        )
        session.flush()
    else:
        name = known.filename
    return Stored(name, digest, reference(name, digest))


def reference(name: str, digest: str) -> str:
    """The evidence reference an upload adds to its answer: `<name> (sha256:<12 hex>)`,
    within a responses file's 500 characters."""
    return f"{name[:470]} (sha256:{digest[:12]})"
