"""Verifiable PDFs: metadata, attachments, `crmm verify` (pages, tampering, versions) and
`crmm sign` (PAdES); reproducible PDFs.

One mini report is rendered per module; every tampering works on a copy of it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject

from assessment.cli import cli
from assessment.engine import assess, result_json
from assessment.responses import load_responses, parse_responses
from questionnaires.loader import load_questionnaire
from reports.signing import revision_checks

from .conftest import MINI, mini_args, pdf_text

RESPONSES = MINI / "responses.yaml"
NAMES = {"responses.yaml", "result.json", "report.json"}


def outline_titles(outline: list[Any]) -> list[str]:
    out: list[str] = []
    for item in outline:
        out += outline_titles(item) if isinstance(item, list) else [item.title]
    return out


def make_cert(folder: Path, name: str, passphrase: bytes | None = None) -> tuple[Path, Path]:
    """A self-signed test key pair (made here, never committed): key.pem and cert.pem."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Certification Body"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    enc = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    key_path, cert_path = folder / "key.pem", folder / "cert.pem"
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc)
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("verify") / "report.pdf"
    res = CliRunner().invoke(
        cli,
        # the whole report (mini has no assessor: `auto` would leave its appendices to an annex)
        [
            "report",
            str(RESPONSES),
            "-o",
            str(out),
            "--lang",
            "en",
            "--appendices",
            "full",
            *mini_args(),
        ],
    )
    assert res.exit_code == 0, res.output
    return out


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    root = tmp_path_factory.mktemp("keys")
    return {
        "body": make_cert(root / "body", "Certification Body Test CA"),
        "other": make_cert(root / "other", "Someone Else"),
    }


@pytest.fixture(scope="module")
def signed_pdf(report_pdf: Path, keys: dict[str, tuple[Path, Path]]) -> Path:
    key, cert = keys["body"]
    out = report_pdf.with_name("signed.pdf")
    args = ["sign", str(report_pdf), "-o", str(out), "--key", str(key), "--cert", str(cert)]
    res = CliRunner().invoke(cli, [*args, "--reason", "Certified"])
    assert res.exit_code == 0, res.output
    return out


def attachments(pdf: Path) -> dict[str, bytes]:
    return {k: v[0] for k, v in PdfReader(pdf).attachments.items()}


def rebuilt(src: Path, dest: Path, files: list[tuple[str, bytes]] | dict[str, bytes]) -> Path:
    """The pages of `src` with exactly `files` attached (a name may come twice)."""
    writer = PdfWriter()
    for page in PdfReader(src).pages:
        writer.add_page(page)
    for name, data in files.items() if isinstance(files, dict) else files:
        writer.add_attachment(name, data)
    with dest.open("wb") as f:
        writer.write(f)
    return dest


def verify(pdf: Path, *extra: str) -> Any:
    return CliRunner().invoke(cli, ["verify", str(pdf), *mini_args(), *extra])


# --- tamperings: each makes a copy of the report (or of its signed copy) ---------------


def edited_answer(pdf: Path, tmp: Path) -> Path:
    files = attachments(pdf)
    files["responses.yaml"] = files["responses.yaml"].replace(b"q1: 4", b"q1: 5", 1)
    return rebuilt(pdf, tmp / "t.pdf", files)


def edited_score(pdf: Path, tmp: Path) -> Path:
    files = attachments(pdf)
    doc = json.loads(files["result.json"])
    doc["overall"]["score"] = 99.5
    files["result.json"] = result_json_text(doc)
    return rebuilt(pdf, tmp / "t.pdf", files)


def result_json_text(doc: Any) -> bytes:
    return (json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=2) + "\n").encode()


def both_replaced(pdf: Path, tmp: Path) -> Path:
    """A consistent forgery: edited responses and the result they really give."""
    files = attachments(pdf)
    forged = files["responses.yaml"].replace(b"q1: 2", b"q1: 5", 1)
    q, fw = load_questionnaire(MINI / "questionnaire.yaml", MINI / "framework.yaml")
    result = assess(parse_responses(forged, "responses.yaml"), q, fw)
    files.update({"responses.yaml": forged, "result.json": result_json(result).encode()})
    return rebuilt(pdf, tmp / "t.pdf", files)


def edited_page_text(pdf: Path, tmp: Path) -> Path:
    """One digit on the cover swapped for another in the page's content stream (what a
    reader shows), through the glyph ids of the page's fonts."""
    writer = PdfWriter(clone_from=PdfReader(pdf))
    page = writer.pages[0]
    content = page.get_contents()
    assert content is not None
    data = content.get_data()
    for font in page["/Resources"]["/Font"].values():
        cmap = font.get_object()["/ToUnicode"].get_object().get_data().decode("latin-1")
        gid = {chr(int(u, 16)): g for g, u in re.findall(r"<([0-9a-f]{4})> <([0-9a-f]{4})>", cmap)}
        digits = [d for d in "0123456789" if d in gid and f"<{gid[d]}>".encode() in data]
        others = [d for d in "0123456789" if d in gid]
        if digits and len(others) > 1:
            old = digits[0]
            new = next(d for d in others if d != old)
            data = data.replace(f"<{gid[old]}>".encode(), f"<{gid[new]}>".encode(), 1)
            break
    else:
        raise AssertionError("no digit on the cover to edit")
    stream = DecodedStreamObject()
    stream.set_data(data)
    page.replace_contents(stream)
    out = tmp / "t.pdf"
    with out.open("wb") as f:
        writer.write(f)
    return out


def duplicated(pdf: Path, tmp: Path) -> Path:
    files = list(attachments(pdf).items())
    return rebuilt(pdf, tmp / "t.pdf", [*files, ("result.json", files[1][1])])


def stripped(name: str) -> Callable[[Path, Path], Path]:
    def strip(pdf: Path, tmp: Path) -> Path:
        files = {k: v for k, v in attachments(pdf).items() if k != name}
        return rebuilt(pdf, tmp / "t.pdf", files)

    return strip


def extra_file(pdf: Path, tmp: Path) -> Path:
    return rebuilt(pdf, tmp / "t.pdf", {**attachments(pdf), "extra.txt": b"hello"})


def record_edited(**change: str) -> Callable[[Path, Path], Path]:
    def edit(pdf: Path, tmp: Path) -> Path:
        files = attachments(pdf)
        files["report.json"] = result_json_text({**json.loads(files["report.json"]), **change})
        return rebuilt(pdf, tmp / "t.pdf", files)

    return edit


def older_result_format(pdf: Path, tmp: Path) -> Path:
    files = attachments(pdf)
    doc = json.loads(files["result.json"])
    doc["result_format"] = "crmm-result/0"
    files["result.json"] = result_json_text(doc)
    return rebuilt(pdf, tmp / "t.pdf", files)


def incremental_update(pdf: Path, tmp: Path) -> Path:
    """A new revision appended to the file (the document language changed)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf.read_bytes()))
    writer.root["/Lang"] = generic.pdf_string("de")
    writer.update_root()
    out = tmp / "t.pdf"
    with out.open("wb") as f:
        writer.write(f)
    return out


def byte_appended(pdf: Path, tmp: Path) -> Path:
    out = tmp / "t.pdf"
    out.write_bytes(pdf.read_bytes() + b"x")
    return out


def unchanged(pdf: Path, tmp: Path) -> Path:
    return pdf


TAMPERINGS = [
    # (id, signed copy?, tampering, exit code, lines expected in the output)
    (
        "fresh report",
        False,
        unchanged,
        0,
        ["ok        pages: 18 pages, byte-identical to a fresh rendering", "verified"],
    ),
    (
        "answer edited in the embedded responses",
        False,
        edited_answer,
        1,
        ["MISMATCH  responses sha256: recorded", "MISMATCH  result: recorded", "MISMATCH  page"],
    ),
    (
        "score edited in the embedded result",
        False,
        edited_score,
        1,
        [
            "ok        responses sha256",
            "MISMATCH  result: recorded",
            "ok        pages",
            "note      the bytes differ from a fresh rendering",
        ],
    ),
    (
        "visible page text edited",
        False,
        edited_page_text,
        1,
        ["ok        result:", "MISMATCH  page 1: line "],
    ),
    (
        "both attachments replaced consistently",
        False,
        both_replaced,
        1,
        ["ok        responses sha256", "ok        result:", "MISMATCH  page "],
    ),
    (
        "an attachment duplicated",
        False,
        duplicated,
        1,
        ["MISMATCH  attachments: 'result.json' is embedded 2 times: ambiguous"],
    ),
    (
        "the responses stripped",
        False,
        stripped("responses.yaml"),
        1,
        ["MISMATCH  attachments: the responses file 'responses.yaml' is not embedded"],
    ),
    (
        "an extra attachment",
        False,
        extra_file,
        1,
        ["MISMATCH  attachments: unexpected embedded file 'extra.txt'"],
    ),
    (
        "an incremental update",
        False,
        incremental_update,
        1,
        ["MISMATCH  revisions: 2 revisions: changed by an incremental update"],
    ),
    ("bytes appended", False, byte_appended, 1, ["MISMATCH  revisions: 1 bytes after the end"]),
    (
        "signed",
        True,
        unchanged,
        0,
        [
            "ok        signature CertificationBody: signed by Organization: Test Certification"
            " Body, Common Name: Certification Body Test CA at ",
            ": intact, signer trusted",
            "ok        after signing: nothing changed since the last signature",
            "ok        pages: 18 pages, same text as a fresh rendering",
            "ok        bytes: signed: the report as written is byte-identical",
        ],
    ),
    (
        "a byte appended after signing",
        True,
        byte_appended,
        1,
        ["MISMATCH  after signing: the PDF was changed after it was signed: bytes appended"],
    ),
    (
        "an incremental update after signing",
        True,
        incremental_update,
        1,
        ["changed after it was signed: 1 incremental update"],
    ),
    (
        "the record stripped (a report of an older crmm)",
        False,
        stripped("report.json"),
        1,
        ["made by an older crmm (result format crmm-result/", "verify it with the crmm version"],
    ),
    (
        "recorded by another crmm version",
        False,
        record_edited(crmm="0.0.1"),
        1,
        ["made by crmm 0.0.1 (WeasyPrint ", "verify it with that version"],
    ),
    (
        "another record format",
        False,
        record_edited(record_format="crmm-report/9"),
        1,
        [", record format crmm-report/9); this is crmm ", "verify it with that version"],
    ),
    (
        "an older result format",
        False,
        older_result_format,
        1,
        ["result format crmm-result/0); this is crmm ", "verify it with that version"],
    ),
]


@pytest.mark.parametrize(
    ("signed", "tamper", "code", "expected"),
    [t[1:] for t in TAMPERINGS],
    ids=[t[0] for t in TAMPERINGS],
)
@pytest.mark.slow
def test_tampering_verdicts(
    report_pdf: Path,
    signed_pdf: Path,
    keys: dict[str, tuple[Path, Path]],
    tmp_path: Path,
    signed: bool,
    tamper: Callable[[Path, Path], Path],
    code: int,
    expected: list[str],
) -> None:
    pdf = tamper(signed_pdf if signed else report_pdf, tmp_path)
    res = verify(pdf, *(["--trust", str(keys["body"][1])] if signed else []))
    assert res.exit_code == code, res.output
    for want in expected:
        assert want in res.output
    last = res.output.splitlines()[-1]
    if tamper is edited_page_text:  # the first differing line, as shown and as rendered
        line = next(ln for ln in res.output.splitlines() if ln.startswith("MISMATCH  page 1"))
        shown, fresh = re.findall(r"the PDF shows '(.*)', a fresh rendering '(.*)'", line)[0]
        assert shown != fresh
        assert fresh in pdf_text(report_pdf) and shown not in pdf_text(report_pdf)
        assert last == f"{pdf}: does not match its embedded inputs: page 1"
    if code == 0:
        assert last.startswith(f"{pdf}: verified (")
    else:
        assert last.startswith(f"{pdf}: "), last
        assert "Traceback" not in res.output


def test_signature_trust(signed_pdf: Path, report_pdf: Path, keys: dict[str, Any]) -> None:
    res = verify(signed_pdf, "--trust", str(keys["other"][1]))
    assert res.exit_code == 1
    assert ": intact, but not signed by a --trust" in res.output
    assert "pages not compared" in res.output  # the file failed: no rendering needed
    # intact, no trust asked: a note, not a finding (the rest as in the table's "signed")
    checks = revision_checks(signed_pdf.read_bytes(), str(signed_pdf))
    assert [c.ok for c in checks] == [True, True]
    assert checks[0].detail.endswith(": intact; signer not checked (no --trust)")
    res = verify(report_pdf, "--trust", str(keys["body"][1]))
    assert res.exit_code == 1
    assert "MISMATCH  signature: not signed, but --trust asks for a signature" in res.output


def test_sign_with_passphrase_and_bad_inputs(report_pdf: Path, tmp_path: Path) -> None:
    key, cert = make_cert(tmp_path / "pw", "Passphrase Test", passphrase=b"s3cret")
    out = tmp_path / "signed.pdf"
    args = ["sign", str(report_pdf), "-o", str(out), "--key", str(key), "--cert", str(cert)]
    res = CliRunner().invoke(cli, args, env={"CRMM_KEY_PASSPHRASE": "s3cret"})
    assert res.exit_code == 0, res.output
    reader = PdfReader(out)
    assert reader.get_fields() and "CertificationBody" in reader.get_fields()  # type: ignore[operator]
    assert out.read_bytes().startswith(report_pdf.read_bytes())  # an incremental update

    res = CliRunner().invoke(cli, args, env={"CRMM_KEY_PASSPHRASE": "wrong"})
    assert res.exit_code == 2
    assert res.output.startswith(f"{key}: cannot load")
    assert "Traceback" not in res.output

    bare = rebuilt(report_pdf, tmp_path / "bare.pdf", {})
    res = CliRunner().invoke(
        cli, ["sign", str(bare), *args[2:]], env={"CRMM_KEY_PASSPHRASE": "s3cret"}
    )
    assert res.exit_code == 2
    assert f"{bare}: attachments: no embedded result.json: not a crmm report" in res.output


def test_metadata_outline_and_attachments(report_pdf: Path) -> None:
    reader = PdfReader(report_pdf)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Maturity Assessment Report — Mini Co"  # mini: the generic title
    assert meta.author == "Mini Co"
    assert meta.subject and meta.subject.startswith("Mini framework")
    assert meta.get("/CreationDate") == meta.get("/ModDate") == "D:20261101"  # the assessment's
    assert reader.trailer["/Root"]["/Lang"] == "en"
    titles = outline_titles(reader.outline)
    q, fw = load_questionnaire(MINI / "questionnaire.yaml", MINI / "framework.yaml")
    for e in fw.elements:
        assert e.name.en in titles
    text = pdf_text(report_pdf)
    assert "alice (Boss): only by phone · Evidence: complaint-log.xlsx" in text
    files = reader.attachments
    assert set(files) == NAMES
    assert files["responses.yaml"] == [RESPONSES.read_bytes()]
    expected = result_json(assess(load_responses(RESPONSES), q, fw))
    assert files["result.json"] == [expected.encode()]
    record = json.loads(files["report.json"][0])
    assert record["type"] == "crmm-report" and record["lang"] == "en"
    assert record["brand"] is None and record["previous"] is None


def test_verify_not_a_report(report_pdf: Path, tmp_path: Path) -> None:
    bare = rebuilt(report_pdf, tmp_path / "bare.pdf", {})
    res = CliRunner().invoke(cli, ["verify", str(bare)])
    assert res.exit_code == 2
    assert f"{bare}: attachments: no embedded result.json: not verifiable" in res.output
    res = CliRunner().invoke(cli, ["verify", str(report_pdf)])  # its files not given
    assert res.exit_code == 2
    assert res.output.splitlines()[-1].startswith(
        "mini-q: the report was scored with questionnaire mini-q 0.1.0 (sha256 "
    )
    assert res.output.rstrip().endswith(
        "give its file with --questionnaire FILE (and its framework with --framework)"
    )
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    res = CliRunner().invoke(cli, ["verify", str(junk)])
    assert res.exit_code == 2
    assert f"{junk}: not a readable PDF" in res.output


def test_verify_with_another_framework(report_pdf: Path, tmp_path: Path) -> None:
    text = (MINI / "framework.yaml").read_text("utf-8")
    other = tmp_path / "framework.yaml"
    other.write_text(text.replace("Service weighs more.", "Service weighs most."), "utf-8")
    args = ["--questionnaire", str(MINI / "questionnaire.yaml"), "--framework", str(other)]
    res = CliRunner().invoke(cli, ["verify", str(report_pdf), *args])
    assert res.exit_code == 1
    assert "MISMATCH  framework sha256" in res.output


def test_branded_progress_report_with_templates_and_variant(tmp_path: Path) -> None:
    """Brand, logo, an earlier result, a template folder and a PDF variant are recorded,
    and the report renders again from the record alone."""
    earlier = tmp_path / "earlier.yaml"
    earlier.write_text(
        RESPONSES.read_text("utf-8").replace("2026-11-01", "2026-05-01").replace("q1: 4", "q1: 2")
    )
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "README.txt").write_text("no overrides\n")
    out = tmp_path / "branded.pdf"
    brand = Path(__file__).resolve().parent.parent / "examples" / "brand" / "brand.yaml"
    args = ["report", str(RESPONSES), "-o", str(out), "--brand", str(brand)]
    args += ["--previous", str(earlier), "--templates", str(templates), "--lang", "zh-CN"]
    res = CliRunner().invoke(cli, [*args, "--pdf-variant", "pdf/a-3u", *mini_args()])
    assert res.exit_code == 0, res.output
    record = json.loads(PdfReader(out).attachments["report.json"][0])
    assert record["pdf_variant"] == "pdf/a-3u" and record["lang"] == "zh-CN"
    assert record["brand"]["logo_url"].startswith("data:image/svg+xml;base64,")
    assert record["previous"]["date"] == "2026-05-01"

    res = verify(out)
    assert res.exit_code == 2
    assert "rendered with custom templates (sha256 " in res.output
    res = verify(out, "--templates", str(templates))
    assert res.exit_code == 0, res.output
    assert "ok        templates sha256" in res.output
    assert "byte-identical to a fresh rendering" in res.output

    res = CliRunner().invoke(cli, [*args[:4], "--pdf-variant", "pdf/z", *mini_args()])
    assert res.exit_code == 2
    assert "unknown PDF variant 'pdf/z'" in res.output


def test_reproducible_pdf_in_another_process(report_pdf: Path, tmp_path: Path) -> None:
    """The same report made again in a new process, later, is byte-identical without
    SOURCE_DATE_EPOCH; its dates are the assessment's, never the clock's."""
    from fontTools.ttLib import TTFont

    time.sleep(1.1)
    again = tmp_path / "again.pdf"
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    code = "from assessment.cli import main; main()"
    args = ["report", str(RESPONSES), "-o", str(again), "--lang", "en", "--appendices", "full"]
    args += mini_args()
    subprocess.run([sys.executable, "-c", code, *args], check=True, env=env, capture_output=True)
    assert again.read_bytes() == report_pdf.read_bytes()

    today = dt.date.today()
    raw = report_pdf.read_bytes()
    for stamp in (today.strftime("D:%Y%m%d"), today.isoformat()):
        assert stamp.encode() not in raw
    # Font subsets keep the bundled fonts' own date (HarfBuzz) or get the assessment's
    # (fontTools, which would stamp the clock): never today.
    epoch_1904 = dt.datetime(1904, 1, 1, tzinfo=dt.UTC).timestamp()
    allowed = {dt.datetime(2026, 11, 1, tzinfo=dt.UTC).timestamp()}
    for woff2 in (Path(__file__).resolve().parent.parent / "reports" / "fonts").glob("*.woff2"):
        allowed.add(TTFont(woff2)["head"].modified + epoch_1904)
    seen = 0
    for font in PdfReader(report_pdf).pages[0]["/Resources"]["/Font"].values():
        desc = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        stream = next(desc[k] for k in ("/FontFile3", "/FontFile2") if k in desc)
        head = TTFont(io.BytesIO(stream.get_object().get_data()))["head"]
        assert head.modified + epoch_1904 in allowed
        seen += 1
    assert seen
