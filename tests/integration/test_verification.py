"""Public verification of sealed notices: by id, by uploaded PDF, and as JSON; the PDF
itself checked by independent tools (pdfsig, pyHanko, pdffonts, pdftotext)."""

from __future__ import annotations

import io
import re
import secrets
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal.decisions.models import Decision, Notice, Revocation
from portal.extensions import db
from tests.integration.journey import load, user_id
from tests.integration.test_notices import decided_notice, pdf_text, stored

NAME = "𠮷野 髙子"
BIRTH_DATE = "令和元年5月1日"
SUBJECT = "おもいやり駐車場利用証の交付について"
PUBLIC_KEYS = {
    "document_id",
    "status",
    "issuer",
    "issuing_office",
    "issued_on",
    "subject",
    "document_number",
    "superseded_by",
    "revocation",
    "sealed_by",
    "timestamped",
    "signature",
}


def _page(client: FlaskClient, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def _upload(client: FlaskClient, url: str, pdf: bytes, **fields: str) -> Any:
    # Encoded in memory: the test client spools big bodies to a file it never closes.
    upload = FileStorage(io.BytesIO(pdf), filename="notice.pdf", content_type="application/pdf")
    boundary, body = encode_multipart({**fields, "file": upload})
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _verdict(page: str) -> str:
    found = re.search(r'data-verdict="(\w+)"', page)
    assert found, page
    return found.group(1)


def _one_byte_changed(pdf: bytes) -> bytes:
    """Flip one byte in the middle of the first signed byte range (not the signature)."""
    found = re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)", pdf)
    assert found
    middle = int(found.group(1)) // 2
    return pdf[:middle] + bytes([pdf[middle] ^ 0x01]) + pdf[middle + 1 :]


def _no_personal_details(text: str, app: Flask, ident: int) -> None:
    reference = load(app, ident).reference
    assert reference
    for private in (NAME, "𠮷野", BIRTH_DATE, reference, "resident@example.jp", "妊娠"):
        assert private not in text, private


@pytest.fixture
def visitor(app: Flask) -> FlaskClient:
    """Someone checking a notice: not signed in, a browser of their own."""
    return app.test_client()


@pytest.fixture
def sealed(app: Flask, client: FlaskClient, demo) -> tuple[int, Notice, bytes]:
    """A parking permit decided through the normal flow: its application, notice, PDF."""
    ident, notice = decided_notice(app, client, name=NAME)
    return ident, notice, stored(app, notice).read_bytes()


def test_a_notice_verifies_by_its_id_without_personal_details(
    app: Flask, visitor: FlaskClient, sealed
) -> None:
    ident, notice, _ = sealed
    status, page = _page(visitor, f"/verify/{notice.public_id}")
    assert status == 200 and _verdict(page) == "valid"
    with app.app_context():
        number = db.session.get(Decision, notice.decision_id).document_number  # type: ignore[union-attr]
    for expected in (notice.public_id, number, "みどり県知事", "福祉政策課", SUBJECT):
        assert expected in page, expected
    assert re.search(r"令和\d+年\d+月\d+日（20\d\d年\d+月\d+日）", page)
    _no_personal_details(page, app, ident)


def test_the_json_says_the_same_for_machines(app: Flask, visitor: FlaskClient, sealed) -> None:
    ident, notice, _ = sealed
    response = visitor.get(f"/verify/{notice.public_id}.json")
    assert response.status_code == 200 and response.is_json
    body = response.get_json()
    assert set(body) == PUBLIC_KEYS
    assert body["document_id"] == notice.public_id and body["status"] == "valid"
    assert body["issuer"] == "みどり県知事" and body["subject"] == SUBJECT
    assert re.fullmatch(r"20\d\d-\d\d-\d\d", body["issued_on"])
    assert body["document_number"].startswith("みどり県電第")
    assert body["superseded_by"] is None and body["revocation"] is None
    assert body["signature"] is None and body["sealed_by"] == notice.sealed_by
    _no_personal_details(response.get_data(as_text=True), app, ident)


def test_the_exact_file_verifies_as_issued(visitor: FlaskClient, sealed) -> None:
    _, notice, pdf = sealed
    for fields in ({"document_id": notice.public_id}, {}):
        response = _upload(visitor, "/verify", pdf, **fields)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and _verdict(page) == "valid"
        assert 'data-file="matches"' in page and 'data-signature="valid"' in page
        assert notice.public_id in page
    body = _upload(visitor, "/api/verify", pdf).get_json()
    assert body["status"] == "valid" and body["file_matches"] is True
    assert body["document_id"] == notice.public_id
    signature = body["signature"]
    assert signature["valid"] and signature["intact"] and signature["trusted"]
    assert signature["whole_file"] and signature["signer"]


def test_one_byte_changed_verifies_as_modified(visitor: FlaskClient, sealed) -> None:
    _, notice, pdf = sealed
    changed = _one_byte_changed(pdf)
    assert len(changed) == len(pdf) and changed != pdf
    # With the id typed, and without: the signature field still names the document.
    for fields in ({"document_id": notice.public_id}, {}):
        response = _upload(visitor, "/verify", changed, **fields)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and _verdict(page) == "modified", page
        assert 'data-file="matches"' not in page and 'data-signature="invalid"' in page
    for fields in ({"id": notice.public_id}, {}):
        body = _upload(visitor, "/api/verify", changed, **fields).get_json()
        assert body["status"] == "modified" and body["file_matches"] is False
        assert body["record_status"] == "valid" and body["document_id"] == notice.public_id
        assert body["signature"]["found"] and not body["signature"]["intact"]
        assert not body["signature"]["valid"]


def test_unknown_and_malformed_ids_reveal_nothing(visitor: FlaskClient, sealed) -> None:
    _, notice, _ = sealed
    unknown, malformed = secrets.token_hex(10), "not-an-id<script>"
    # The language switch links back to the address typed; nothing else may differ.
    pages = [
        (status, re.sub(r"next=[^\"]*", "next=", page))
        for status, page in (_page(visitor, f"/verify/{value}") for value in (unknown, malformed))
    ]
    assert pages[0] == pages[1]
    status, page = pages[0]
    assert status == 404 and _verdict(page) == "unknown"
    assert unknown not in page and "みどり県" not in page and "script>" not in page
    for value in (unknown, malformed, notice.public_id.upper()):
        response = visitor.get(f"/verify/{value}.json")
        assert response.status_code == 404 and response.get_json() == {"status": "unknown"}


def test_a_notice_not_yet_ready_is_unknown(app: Flask, visitor: FlaskClient, sealed) -> None:
    _, notice, pdf = sealed
    with app.app_context():
        db.session.get(Notice, notice.id).state = "pending"  # type: ignore[union-attr]
        db.session.commit()
    status, page = _page(visitor, f"/verify/{notice.public_id}")
    assert status == 404 and _verdict(page) == "unknown"
    response = _upload(visitor, "/api/verify", pdf, id=notice.public_id)
    assert response.status_code == 404 and response.get_json() == {"status": "unknown"}


def test_an_unknown_file_reveals_nothing(visitor: FlaskClient, sealed) -> None:
    other = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    response = _upload(visitor, "/api/verify", other)
    assert response.status_code == 404 and response.get_json() == {"status": "unknown"}
    response = _upload(visitor, "/verify", other)
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and _verdict(page) == "unknown"
    assert "みどり県" not in page


def test_a_revoked_decision_verifies_as_revoked(app: Flask, visitor: FlaskClient, sealed) -> None:
    _, notice, pdf = sealed
    with app.app_context():
        db.session.add(
            Revocation(
                decision_id=notice.decision_id,
                reason="虚偽の申請が判明したため",
                revoked_by_id=user_id(app, "approver@pref.example.jp"),
            )
        )
        db.session.commit()
    status, page = _page(visitor, f"/verify/{notice.public_id}")
    assert status == 200 and _verdict(page) == "revoked"
    assert "虚偽の申請が判明したため" in page
    body = visitor.get(f"/verify/{notice.public_id}.json").get_json()
    assert body["status"] == "revoked"
    assert body["revocation"]["reason"] == "虚偽の申請が判明したため"
    assert re.fullmatch(r"20\d\d-\d\d-\d\d", body["revocation"]["revoked_on"])
    # The issued file is still the issued file, but what it says is no longer in force.
    body = _upload(visitor, "/api/verify", pdf).get_json()
    assert body["status"] == "revoked" and body["file_matches"] is True


def test_a_corrected_decision_verifies_as_superseded(
    app: Flask, visitor: FlaskClient, sealed
) -> None:
    _, notice, _ = sealed
    newer = secrets.token_hex(10)
    with app.app_context():
        old = db.session.get(Decision, notice.decision_id)
        assert old is not None
        correction = Decision(
            application_id=old.application_id,
            outcome="approved",
            reason="",
            decided_by_id=old.decided_by_id,
            document_number=f"{old.document_number}の2",
            supersedes_id=old.id,
        )
        db.session.add(correction)
        db.session.add(Notice(decision=correction, public_id=newer, state="ready", sha256="0" * 64))
        db.session.commit()
    status, page = _page(visitor, f"/verify/{notice.public_id}")
    assert status == 200 and _verdict(page) == "superseded"
    assert f'href="/verify/{newer}"' in page
    body = visitor.get(f"/verify/{notice.public_id}.json").get_json()
    assert body["status"] == "superseded" and body["superseded_by"] == newer
    assert visitor.get(f"/verify/{newer}.json").get_json()["status"] == "valid"


def test_the_lookup_form_goes_to_the_notice(visitor: FlaskClient, sealed) -> None:
    _, notice, _ = sealed
    grouped = " ".join(re.findall(".{5}", notice.public_id.upper()))
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in notice.public_id)  # typed with an IME
    for typed in (grouped, full_width):
        response = visitor.get("/verify", query_string={"id": typed})
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/verify/{notice.public_id}")
    response = visitor.get("/verify", query_string={"id": "12345"})
    assert response.status_code == 400 and "error-summary" in response.get_data(as_text=True)
    assert visitor.get("/verify").status_code == 200


def test_uploads_must_be_pdfs_of_limited_size(visitor: FlaskClient, demo) -> None:
    too_large = b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024)
    for content, status, code in (
        (b"GIF89a not a pdf", 400, "not_pdf"),
        (too_large, 413, "too_large"),
    ):
        response = _upload(visitor, "/api/verify", content)
        assert response.status_code == status and response.get_json() == {"error": code}
        response = _upload(visitor, "/verify", content)
        assert response.status_code == status
        assert "error-summary" in response.get_data(as_text=True)
    response = visitor.post("/api/verify", data={"id": "x"}, content_type="multipart/form-data")
    assert response.status_code == 400 and response.get_json() == {"error": "no_file"}
    assert visitor.post("/verify", data={}).status_code == 400


def test_the_form_needs_its_csrf_token_but_the_api_does_not(
    visitor: FlaskClient, sealed, csrf
) -> None:
    _, notice, pdf = sealed
    assert _upload(visitor, "/verify", pdf).status_code == 400
    page = visitor.get(f"/verify/{notice.public_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token
    response = _upload(visitor, "/verify", pdf, csrf_token=token.group(1))
    assert response.status_code == 200 and _verdict(response.get_data(as_text=True)) == "valid"
    assert _upload(visitor, "/api/verify", pdf).get_json()["status"] == "valid"


def test_the_page_speaks_english_too(visitor: FlaskClient, sealed) -> None:
    _, notice, _ = sealed
    visitor.get("/language/en")
    status, page = _page(visitor, f"/verify/{notice.public_id}")
    assert status == 200 and '<html lang="en">' in page
    assert "Valid" in page and 'lang="ja"' in page and "Midori" in page


def test_every_page_links_to_the_verification(visitor: FlaskClient, demo) -> None:
    assert 'href="/verify"' in visitor.get("/").get_data(as_text=True)


# --- the sealed PDF, checked by tools that are not ours --------------------------------


def test_poppler_and_pyhanko_validate_the_seal(app: Flask, sealed) -> None:
    from portal.decisions.sealing import trust_roots
    from portal.pdf.seal import check_signature

    _, notice, pdf = sealed
    result = subprocess.run(
        ["pdfsig", str(stored(app, notice))], capture_output=True, text=True, check=False
    )
    assert "Signature is Valid." in result.stdout, result.stdout + result.stderr
    assert "Total document signed" in result.stdout, result.stdout
    with app.test_request_context():
        check = check_signature(pdf, trust_roots())
    assert check.found and check.intact and check.trusted and check.whole_file
    assert check.valid and check.document_id == notice.public_id
    assert check.signer == notice.sealed_by


def test_poppler_sees_the_change_of_one_byte(app: Flask, sealed, tmp_path: Path) -> None:
    _, _, pdf = sealed
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(_one_byte_changed(pdf))
    result = subprocess.run(["pdfsig", str(changed)], capture_output=True, text=True, check=False)
    assert "Signature is Valid." not in result.stdout, result.stdout


def test_fonts_are_embedded_and_text_extractable(app: Flask, sealed) -> None:
    _, notice, _ = sealed
    path = stored(app, notice)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows, fonts.stdout
    assert all(row.split()[-5] == "yes" for row in rows), fonts.stdout  # the "emb" column
    assert any("NotoSansCJK" in row or "Noto" in row and "CJK" in row for row in rows), rows
    text = pdf_text(path)
    assert notice.public_id in text and f"/verify/{notice.public_id}" in text
    assert "𠮷野" in text and "\ufffd" not in text
