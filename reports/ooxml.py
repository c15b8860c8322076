"""Office Open XML packages (DOCX, XLSX) made reproducible: same inputs, same bytes."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
CORE = "docProps/core.xml"
MAX_CORE_TEXT = 255  # characters of a core property (title, subject…) python-docx/-pptx accept


def core_text(text: str) -> str:
    """A core property's text, cut to MAX_CORE_TEXT characters with an ellipsis (a long
    organisation name in the title would otherwise stop the document being written)."""
    if len(text) <= MAX_CORE_TEXT:
        return text
    return text[: MAX_CORE_TEXT - 1] + "…"


def stamp(day: dt.date) -> dt.datetime:
    """The moment a document made from an assessment of `day` is dated (noon, naive UTC)."""
    return dt.datetime(day.year, day.month, day.day, 12, 0, 0)


def stable_zip(data: bytes, day: dt.date) -> bytes:
    """The package re-written with every member dated `day`, and the core properties'
    `modified` time (which writers set to now) set to it too."""
    when = stamp(day)
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == CORE:
                blob = _MODIFIED.sub(rb"\g<1>" + iso + rb"\g<2>", blob)
            member = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, blob)
    return out.getvalue()
