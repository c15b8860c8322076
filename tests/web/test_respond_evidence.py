"""Evidence uploads: types judged by content (not by name or Content-Type), names reduced to
a safe base name, size limits, stored once by hash, referenced in the answer, never public."""

from __future__ import annotations

import io
import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment.web.evidence import safe_name, sniff
from assessment.web.models import AnswerRow, EvidenceFile, EvidenceUpload

from .respond_fixtures import Survey, make_survey, page_csrf

QID = "fa-lead-05"  # on the sales respondent's first page


@pytest.fixture
def survey(app: Flask) -> Survey:
    return make_survey(app)


@pytest.fixture
def csrf(client: FlaskClient, survey: Survey) -> str:
    token = survey.tokens["sales-a"]
    path = client.get(f"/r/{token}").headers["Location"]
    return page_csrf(client.get(path).get_data(as_text=True))


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _docx() -> bytes:
    import docx

    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("minutes of the CRM steering meeting")
    document.save(out)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _send(
    client: FlaskClient,
    survey: Survey,
    csrf: str | None,
    data: bytes,
    name: str,
    content_type: str = "application/octet-stream",
):  # type: ignore[no-untyped-def]
    headers = {"Accept": "application/json"}
    if csrf:
        headers["X-CSRFToken"] = csrf
    return client.post(
        f"/r/{survey.tokens['sales-a']}/evidence",
        data={"question": QID, "file": (io.BytesIO(data), name, content_type)},
        headers=headers,
        content_type="multipart/form-data",
    )


def _stored(app: Flask) -> tuple[list[EvidenceFile], list[EvidenceUpload], list[AnswerRow]]:
    with app.extensions["crmm_sessions"]() as s:
        return (
            list(s.query(EvidenceFile)),
            list(s.query(EvidenceUpload)),
            list(s.query(AnswerRow)),
        )


def test_png_upload_is_stored_once_and_referenced(
    app: Flask, client: FlaskClient, survey: Survey, csrf: str
) -> None:
    png = _png()
    import hashlib

    digest = hashlib.sha256(png).hexdigest()
    first = _send(client, survey, csrf, png, "看板 截图.png", "image/png")
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["reference"] == f"看板 截图.png (sha256:{digest[:12]})"
    again = _send(client, survey, csrf, png, "看板 截图.png", "image/png")
    assert again.status_code == 200
    files, uploads, rows = _stored(app)
    assert [(f.sha256, f.size, f.media_type, f.data) for f in files] == [
        (digest, len(png), "image/png", png)
    ]
    assert [(u.question_id, u.filename) for u in uploads] == [(QID, "看板 截图.png")]
    (row,) = rows
    assert row.value_json is None  # evidence before the answer: kept, exported with a value
    assert json.loads(row.evidence_json or "[]") == [f"看板 截图.png (sha256:{digest[:12]})"]
    page = client.get(f"/r/{survey.tokens['sales-a']}/p/1").get_data(as_text=True)
    assert "<li>看板 截图.png</li>" in page
    # the answer given later keeps the upload's reference, beside a typed one
    saved = client.post(
        f"/r/{survey.tokens['sales-a']}/answer",
        data={"question": QID, "value": "4", "comment": "", "evidence": "CRM report"},
        headers={"X-CSRFToken": csrf, "Accept": "application/json"},
    )
    assert saved.status_code == 200
    _f, _u, (row,) = _stored(app)
    assert json.loads(row.evidence_json or "[]") == [
        "CRM report",
        f"看板 截图.png (sha256:{digest[:12]})",
    ]


def test_office_pdf_and_text_accepted(
    app: Flask, client: FlaskClient, survey: Survey, csrf: str
) -> None:
    for data, name in (
        (_docx(), "minutes.docx"),
        (PDF, "policy.PDF"),
        ("会议纪要\n".encode(), "notes.txt"),
    ):
        response = _send(client, survey, csrf, data, name)
        assert response.status_code == 200, (name, response.get_json())
    files, _uploads, _rows = _stored(app)
    assert sorted(f.media_type for f in files) == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "text/plain; charset=utf-8",
    ]


@pytest.mark.parametrize(
    ("data", "name", "content_type", "message"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00 an executable", "report.pdf", "application/pdf", "not a PDF"),
        (b"<html><script>alert(1)</script></html>", "shot.png", "image/png", "content is text"),
        (PDF, "invoice.png", "image/png", "content is pdf"),
        (b"PK\x03\x04not really a zip", "plan.docx", "application/zip", "not a PDF"),
        (b"plain words", "../../etc/passwd", "text/plain", "no extension"),
        (b"", "empty.txt", "text/plain", "empty"),
    ],
)
def test_lying_uploads_are_refused(
    app: Flask,
    client: FlaskClient,
    survey: Survey,
    csrf: str,
    data: bytes,
    name: str,
    content_type: str,
    message: str,
) -> None:
    response = _send(client, survey, csrf, data, name, content_type)
    assert response.status_code == 400
    assert message in response.get_json()["error"]
    assert _stored(app) == ([], [], [])


def test_zip_that_is_not_office_is_refused(
    app: Flask, client: FlaskClient, survey: Survey, csrf: str
) -> None:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("evil.sh", "rm -rf /")
    response = _send(client, survey, csrf, out.getvalue(), "plan.xlsx")
    assert response.status_code == 400
    assert _stored(app) == ([], [], [])


def test_path_in_the_name_is_reduced_to_the_base_name(
    app: Flask, client: FlaskClient, survey: Survey, csrf: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    response = _send(client, survey, csrf, PDF, "..\\..\\x.pdf")
    assert response.status_code == 200
    assert response.get_json()["name"] == "x.pdf"
    _files, (upload,), _rows = _stored(app)
    assert upload.filename == "x.pdf"
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("a\x00b\u202e.txt") == "ab.txt"
    assert len(safe_name("x" * 400 + ".pdf")) == 255 and safe_name("x" * 400 + ".pdf").endswith(
        ".pdf"
    )


def test_size_limits(app: Flask, client: FlaskClient, survey: Survey, csrf: str) -> None:
    app.config["EVIDENCE_MAX_BYTES"] = 1000
    big = _send(client, survey, csrf, b"a" * 1001, "big.txt")
    assert big.status_code == 400
    assert big.get_json()["error"] == "1001 bytes; at most 1000 are allowed"
    app.config["MAX_CONTENT_LENGTH"] = 4000
    huge = _send(client, survey, csrf, b"a" * 5000, "huge.txt")
    assert huge.status_code == 413
    assert _stored(app) == ([], [], [])


def test_upload_without_csrf_is_refused(
    app: Flask, client: FlaskClient, survey: Survey, csrf: str
) -> None:
    response = _send(client, survey, None, _png(), "x.png")
    assert response.status_code == 400
    assert _stored(app) == ([], [], [])


def test_upload_with_the_page_without_javascript(
    app: Flask, client: FlaskClient, survey: Survey, csrf: str
) -> None:
    token = survey.tokens["sales-a"]
    response = client.post(
        f"/r/{token}/p/1",
        data={
            "csrf_token": csrf,
            f"v-{QID}": "3",
            f"f-{QID}": (io.BytesIO(PDF), "policy.pdf", "application/pdf"),
            "f-fa-lead-09": (io.BytesIO(PDF), "policy.png", "image/png"),
            "go": "next",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400  # the lying one refused, shown beside its question
    assert "content is pdf" in response.get_data(as_text=True)
    _files, uploads, rows = _stored(app)
    assert [u.filename for u in uploads] == ["policy.pdf"]
    assert [(r.question_id, r.value_json) for r in rows] == [(QID, "3")]


def test_uploaded_files_are_not_served_to_the_public(
    app: Flask, client: FlaskClient, survey: Survey, csrf: str
) -> None:
    png = _png()
    _send(client, survey, csrf, png, "x.png")
    (f,), _u, _r = _stored(app)
    for url in (f"/static/{f.sha256}", "/static/x.png", f"/evidence/{f.sha256}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert png not in response.get_data()


def test_sniff_recognises_images_by_content() -> None:
    assert sniff(_png()) == "png"
    assert sniff(PDF) == "pdf"
    assert sniff(b"GIF89a" + b"\x00" * 20) is None  # a truncated GIF is not an image
    assert sniff("文字".encode()) == "text"
    assert sniff("文字".encode("gb18030")) is None
