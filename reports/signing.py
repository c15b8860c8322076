"""PDF signatures on reports (PAdES, with pyHanko), and what `crmm verify` checks of them.

`sign_pdf` adds a PAdES baseline signature (B-B) to a report as an incremental update, the
way any PDF reader shows and checks. `revision_checks` looks at a PDF's revisions: an
unsigned report must be exactly as written (one revision, nothing after its end); in a
signed one every signature must be intact, the first must cover the report as written and
the last the entire file. pyHanko is imported only here, when a PDF is signed or verified.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from assessment.verify import Check
from frameworks.errors import InputError
from frameworks.plurals import counted

DEFAULT_FIELD = "CertificationBody"
_LOGGERS = ("pyhanko", "pyhanko_certvalidator")


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """pyHanko logs every failed check with a traceback; verify reports them as findings."""
    loggers = [logging.getLogger(name) for name in _LOGGERS]
    before = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, before, strict=True):
            lg.setLevel(level)


def sign_pdf(
    data: bytes,
    key: Path,
    cert: Path,
    *,
    passphrase: bytes | None = None,
    field: str = DEFAULT_FIELD,
    reason: str | None = None,
    location: str | None = None,
    chain: Sequence[Path] = (),
) -> bytes:
    """`data` (a PDF) with a PAdES signature by the key and certificate (PEM or DER files)
    in a new signature field `field`; `chain` adds intermediate certificates."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers

    with _quiet():
        try:
            signer = signers.SimpleSigner.load(  # type: ignore[no-untyped-call]
                str(key),
                str(cert),
                ca_chain_files=tuple(str(c) for c in chain) or None,
                key_passphrase=passphrase,
            )
        except (OSError, ValueError, TypeError) as exc:
            raise InputError.one(key, "", f"cannot load the key and certificate: {exc}") from None
        if signer is None:
            raise InputError.one(
                key, "", f"cannot load this key with certificate {cert} (wrong passphrase?)"
            )
        meta = signers.PdfSignatureMetadata(
            field_name=field,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason,
            location=location,
        )
        out = io.BytesIO()
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
            signers.sign_pdf(writer, meta, signer=signer, output=out)
        except (PdfError, ValueError, KeyError) as exc:
            raise InputError.one(field, "", f"cannot sign: {exc}") from None
    return out.getvalue()


def _trust_roots(trust: Sequence[Path]) -> list[Any]:
    from pyhanko.keys import load_cert_from_pemder

    roots = []
    for path in trust:
        try:
            roots.append(load_cert_from_pemder(str(path)))  # type: ignore[no-untyped-call]
        except (OSError, ValueError, TypeError) as exc:
            raise InputError.one(path, "", f"not a certificate (PEM or DER): {exc}") from None
    return roots


def _tail(raw: bytes) -> int:
    """How many bytes follow the last `%%EOF` marker (line ends aside)."""
    end = raw.rfind(b"%%EOF")
    return -1 if end < 0 else len(raw[end + 5 :].strip(b"\r\n"))


def revision_checks(raw: bytes, source: str, trust: Sequence[Path] = ()) -> list[Check]:
    """Whether the PDF is the report as written, or signed and unchanged since (see the
    module docstring); `trust` are the certificates a signer must chain up to."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    roots = _trust_roots(trust)
    with _quiet():
        try:
            reader = PdfFileReader(io.BytesIO(raw), strict=False)
            revisions = reader.xrefs.total_revisions
            signatures = reader.embedded_signatures
        except (PdfError, ValueError, KeyError, TypeError) as exc:
            raise InputError.one(source, "", f"not a readable PDF: {exc}") from None
        if not signatures:
            return _unsigned_checks(raw, revisions, bool(roots))
        validated = [_signature_check(sig, roots) for sig in signatures]
    checks = [check for check, _ in validated]
    covers = validated[-1][1]
    first, last = signatures[0], signatures[-1]
    if first.signed_revision != 1:
        checks.append(
            Check(
                "revisions",
                False,
                "changed by"
                f" {counted(first.signed_revision, 'incremental update', 'incremental updates')}"
                " after the report"
                " was written and before it was signed",
            )
        )
    if covers != "ENTIRE_FILE":
        extra = revisions - 1 - last.signed_revision
        how = (
            counted(extra, "incremental update", "incremental updates")
            if extra > 0
            else "bytes appended"
        )
        checks.append(
            Check("after signing", False, f"the PDF was changed after it was signed: {how}")
        )
    else:
        checks.append(Check("after signing", True, "nothing changed since the last signature"))
    return checks


def _unsigned_checks(raw: bytes, revisions: int, trusted_signer_wanted: bool) -> list[Check]:
    checks = []
    if trusted_signer_wanted:
        checks.append(Check("signature", False, "not signed, but --trust asks for a signature"))
    if revisions > 1:
        checks.append(
            Check(
                "revisions",
                False,
                f"{revisions} revisions: changed by an incremental update after the report"
                " was written (and not signed)",
            )
        )
    elif (tail := _tail(raw)) != 0:
        checks.append(Check("revisions", False, f"{tail} bytes after the end of the PDF"))
    else:
        checks.append(Check("revisions", True, "one revision, as written (not signed)"))
    return checks


def _signature_check(sig: Any, roots: list[Any]) -> tuple[Check, str]:
    """One signature: intact and valid, who signed and when, and trust when asked; and how
    much of the file it covers (a SignatureCoverageLevel name)."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    name = f"signature {sig.field_name}"
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = validate_pdf_signature(sig, context)
    except (SignatureValidationError, ValueError, KeyError) as exc:
        return Check(name, False, f"cannot be validated: {exc}"), "UNCLEAR"
    who = status.signing_cert.subject.human_friendly
    when = status.signer_reported_dt
    signed = f"signed by {who}" + (f" at {when:%Y-%m-%d %H:%M:%S %Z}" if when else "")
    covers = "UNCLEAR" if status.coverage is None else str(status.coverage.name)
    if not (status.intact and status.valid):
        return Check(name, False, f"{signed}: BROKEN (the signed bytes were changed)"), covers
    if not roots:
        return Check(name, True, f"{signed}: intact; signer not checked (no --trust)"), covers
    if not status.trusted:
        return Check(name, False, f"{signed}: intact, but not signed by a --trust"), covers
    return Check(name, True, f"{signed}: intact, signer trusted"), covers
