"""Attachments and repeating groups through the resident's wizard, without JavaScript."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.applications.attachments import prune_files
from portal.applications.models import Attachment, LockerDocument
from portal.extensions import db
from tests.conftest import sign_in
from tests.integration.journey import application_id, load, publish_variant, start

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
URL = "/procedures/aoba-city/household-test"

PAGES: list[dict[str, Any]] = [
    {
        "id": "household",
        "title": {"ja": "世帯の方", "en": "Your household"},
        "fields": [
            {
                "id": "members",
                "type": "group",
                "required": True,
                "max_items": 3,
                "label": {"ja": "世帯員", "en": "Household members"},
                "item_label": {"ja": "世帯員", "en": "Member"},
                "fields": [
                    {
                        "id": "name",
                        "type": "text",
                        "required": True,
                        "label": {"ja": "氏名", "en": "Name"},
                    },
                    {"id": "born", "type": "date", "label": {"ja": "生年月日", "en": "Born"}},
                ],
            }
        ],
    },
    {
        "id": "documents",
        "title": {"ja": "添付書類", "en": "Documents"},
        "fields": [
            {
                "id": "proof",
                "type": "file",
                "required": True,
                "max_files": 2,
                "max_size_mb": 0.1,
                "accept": ["pdf", "png"],
                "label": {"ja": "証明書の写し", "en": "Copy of the certificate"},
            },
            {"id": "note", "type": "text", "required": True, "label": {"ja": "備考", "en": "Note"}},
        ],
    },
]


@pytest.fixture
def procedure(app: Flask, demo) -> None:
    """A procedure of あおば市 with a repeating group and an attachment."""
    publish_variant(app, "residence-certificate", "household-test", PAGES)


def _files(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Attachment)) or 0


def _open(client: FlaskClient, link: str) -> Any:
    """Open a file, and close the stream the response holds (as a server would)."""
    response = client.get(link)
    response.get_data()
    response.close()
    return response


def _send(client: FlaskClient, url: str, data: dict[str, Any]) -> Any:
    """Post a page with files, as a browser posts a form with a file input."""
    return client.post(url, data=data, content_type="multipart/form-data")


def _upload(name: str, data: bytes) -> tuple[io.BytesIO, str]:
    return io.BytesIO(data), name


def _documents_page(client: FlaskClient) -> str:
    first = start(client, URL)
    response = client.post(first, data={"members.count": "1", "members.0.name": "山田 花子"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def test_group_items_are_added_and_removed_without_javascript(
    app: Flask, client: FlaskClient, procedure
) -> None:
    sign_in(client, "resident@example.jp")
    first = start(client, URL)
    page = client.get(first).get_data(as_text=True)
    assert 'name="members.count" value="1"' in page and 'name="members.0.name"' in page
    added = client.post(
        first, data={"members.count": "1", "members.0.name": "山田 花子", "add_item": "members"}
    )
    page = added.get_data(as_text=True)
    assert added.status_code == 200
    assert 'value="山田 花子"' in page and 'name="members.1.name"' in page
    assert "世帯員 2" in page
    removed = client.post(
        first,
        data={
            "members.count": "2",
            "members.0.name": "山田 花子",
            "members.1.name": "山田 一郎",
            "remove_item": "members.0",
        },
    )
    page = removed.get_data(as_text=True)
    assert 'name="members.0.name" value="山田 一郎"' in page.replace("\n", "")
    assert 'name="members.1.name"' not in page


def test_group_errors_name_the_item_and_keep_the_answers(
    app: Flask, client: FlaskClient, procedure
) -> None:
    sign_in(client, "resident@example.jp")
    first = start(client, URL)
    refused = client.post(
        first,
        data={"members.count": "2", "members.0.name": "山田 花子", "members.1.born": "平成2年"},
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'href="#field-members.1.name"' in page
    assert "世帯員 2：氏名" in page
    assert 'value="山田 花子"' in page and 'value="平成2年"' in page
    accepted = client.post(
        first,
        data={
            "members.count": "2",
            "members.0.name": "山田 花子",
            "members.0.born": "1990-01-02",
            "members.1.name": "山田　一郎",
        },
    )
    assert accepted.status_code == 302
    stored = load(app, application_id(first)).answers["members"]
    assert stored == [
        {"name": "山田 花子", "born": "1990-01-02"},
        {"name": "山田 一郎", "born": None},
    ]


def test_an_upload_is_kept_when_another_answer_is_refused(
    app: Flask, client: FlaskClient, procedure
) -> None:
    sign_in(client, "resident@example.jp")
    url = _documents_page(client)
    refused = _send(client, url, {"note": "", "proof": [_upload("証明書.pdf", PDF)]})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "証明書.pdf" in page and 'href="#field-note"' in page
    assert 'enctype="multipart/form-data"' in page
    # The file survived the refused page: it is stored and held by the answer.
    assert _files(app) == 1
    held = load(app, application_id(url)).answers["proof"]
    assert [f["name"] for f in held] == ["証明書.pdf"]
    accepted = client.post(url, data={"note": "よろしくお願いします"})
    assert accepted.status_code == 302, accepted.get_data(as_text=True)
    check = client.get(accepted.headers["Location"]).get_data(as_text=True)
    assert "証明書.pdf" in check
    link = f"/applications/{application_id(url)}/files/{held[0]['id']}"
    assert link in check
    opened = _open(client, link)
    assert opened.data == PDF
    assert opened.headers["Content-Type"] == "application/pdf"
    assert opened.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in opened.headers["Content-Security-Policy"]


def test_files_are_checked_by_content_and_limits(
    app: Flask, client: FlaskClient, procedure
) -> None:
    sign_in(client, "resident@example.jp")
    url = _documents_page(client)
    disguised = _send(
        client,
        url,
        {"note": "x", "proof": [_upload("report.pdf", b"<html><script>alert(1)</script>")]},
    )
    page = disguised.get_data(as_text=True)
    assert disguised.status_code == 422
    assert "report.pdf" in page and "PDF, PNG" in page
    large = _send(client, url, {"note": "x", "proof": [_upload("big.pdf", PDF + b"0" * 110_000)]})
    assert large.status_code == 422 and "102 KB" in large.get_data(as_text=True)
    assert _files(app) == 0
    # A PNG named .pdf is accepted as the PNG it is; a third file is one too many.
    two = _send(
        client, url, {"upload": "proof", "proof": [_upload("a.pdf", PNG), _upload("b.pdf", PDF)]}
    )
    assert two.status_code == 200
    held = load(app, application_id(url)).answers["proof"]
    assert [f["type"] for f in held] == ["image/png", "application/pdf"]
    third = _send(client, url, {"upload": "proof", "proof": [_upload("c.pdf", PDF)]})
    # No room: the file is refused with a message (the page offers no file input any more).
    assert third.status_code == 422 and 'href="#field-proof"' in third.get_data(as_text=True)
    assert _files(app) == 2


def test_removing_a_file_deletes_it(app: Flask, client: FlaskClient, procedure) -> None:
    sign_in(client, "resident@example.jp")
    url = _documents_page(client)
    _send(client, url, {"upload": "proof", "proof": [_upload("a.pdf", PDF)], "note": "typed"})
    held = load(app, application_id(url)).answers["proof"]
    with app.app_context():
        stored = (
            Path(app.config["PORTAL_DATA_DIR"]) / db.session.scalar(select(Attachment)).storage_key
        )
    assert stored.read_bytes() == PDF
    removed = client.post(url, data={"remove_file": held[0]["id"], "note": "typed"})
    assert removed.status_code == 200
    assert 'value="typed"' in removed.get_data(as_text=True)
    assert "proof" not in load(app, application_id(url)).answers
    assert _files(app) == 0
    # The bytes go with the daily pruning, once nothing refers to them.
    with app.app_context():
        assert prune_files() == 0  # still within the grace period
        assert stored.exists()
        assert prune_files(grace=0) >= 1  # files of earlier tests may go too
    assert not stored.exists()
    assert (
        client.get(f"/applications/{application_id(url)}/files/{held[0]['id']}").status_code == 404
    )


def test_other_people_cannot_open_a_file(app: Flask, client: FlaskClient, procedure) -> None:
    sign_in(client, "resident@example.jp")
    url = _documents_page(client)
    _send(client, url, {"note": "x", "proof": [_upload("a.pdf", PDF)]})
    token = load(app, application_id(url)).answers["proof"][0]["id"]
    ident = application_id(url)
    client.post("/account/logout")
    sign_in(client, "reviewer@pref.example.jp")  # staff of another tenant
    assert client.get(f"/applications/{ident}/files/{token}").status_code == 404
    staff_link = f"/staff/aoba-city/applications/{ident}/files/{token}"
    assert client.get(staff_link).status_code == 403
    client.post("/account/logout")
    sign_in(client, "reviewer@aoba.example.jp")
    # A draft is the resident's own until it is sent, even to the staff of its tenant.
    response = _open(client, f"/staff/aoba-city/applications/{ident}/files/{token}")
    assert response.status_code == 404


def test_a_submitted_application_shows_its_files_to_staff(
    app: Flask, client: FlaskClient, procedure
) -> None:
    sign_in(client, "resident@example.jp")
    url = _documents_page(client)
    check = _send(client, url, {"note": "x", "proof": [_upload("証明書.pdf", PDF)]}).headers[
        "Location"
    ]
    assert client.post(check).status_code == 302
    ident = application_id(url)
    token = load(app, ident).answers["proof"][0]["id"]
    client.post("/account/logout")
    sign_in(client, "reviewer@aoba.example.jp")
    page = client.get(f"/staff/aoba-city/applications/{ident}").get_data(as_text=True)
    link = f"/staff/aoba-city/applications/{ident}/files/{token}"
    assert link in page and "世帯員 1" in page and "山田 花子" in page
    assert _open(client, link).data == PDF


def test_missing_answers_are_asked_for_with_the_right_verb(
    app: Flask, client: FlaskClient, procedure
) -> None:
    sign_in(client, "resident@example.jp")
    url = _documents_page(client)
    page = client.post(url, data={"note": "x"}).get_data(as_text=True)
    assert "証明書の写しを添付してください。" in page
    parking = start(client)
    second = client.post(parking, data={"name": "山田 花子", "birth_date": "1950-04-01"})
    page = client.post(second.headers["Location"], data={"copies": "1"}).get_data(as_text=True)
    assert "該当するものを選択してください。" in page


# The document locker (once-only) ----------------------------------------------------


def _locker(app: Flask) -> list[tuple[str, str]]:
    with app.app_context():
        return [(d.name, d.sha256) for d in db.session.scalars(select(LockerDocument))]


def test_a_kept_document_is_attached_again_without_uploading(
    app: Flask, client: FlaskClient, procedure
) -> None:
    sign_in(client, "resident@example.jp")
    url = _documents_page(client)
    check = _send(
        client, url, {"note": "x", "proof": [_upload("証明書.pdf", PDF)], "proof.keep": "yes"}
    ).headers["Location"]
    assert client.post(check).status_code == 302  # sent with the file
    assert [name for name, _ in _locker(app)] == ["証明書.pdf"]
    listed = client.get("/account/documents").get_data(as_text=True)
    assert "証明書.pdf" in listed

    # A second application: the kept document is offered and attached with one button.
    second = _documents_page(client)
    page = client.get(second).get_data(as_text=True)
    with app.app_context():
        kept = db.session.scalar(select(LockerDocument))
        assert kept is not None
        target = f"proof:{kept.id}"
    assert f'value="{target}"' in page
    attached = client.post(second, data={"attach_locker": target, "note": "typed"})
    assert attached.status_code == 200 and 'value="typed"' in attached.get_data(as_text=True)
    held = load(app, application_id(second)).answers["proof"]
    assert [(f["name"], f["sha256"]) for f in held] == _locker(app)
    assert _files(app) == 2  # one attachment row per application, one file on disk
    assert client.post(second, data={"note": "x"}).status_code == 302


def test_deleting_a_kept_document_leaves_sent_applications_whole(
    app: Flask, client: FlaskClient, procedure
) -> None:
    sign_in(client, "resident@example.jp")
    url = _documents_page(client)
    check = _send(
        client, url, {"note": "x", "proof": [_upload("証明書.pdf", PDF)], "proof.keep": "yes"}
    ).headers["Location"]
    client.post(check)
    with app.app_context():
        kept = db.session.scalar(select(LockerDocument))
        assert kept is not None
        kept_id, key = kept.id, kept.storage_key
    stored = Path(app.config["PORTAL_DATA_DIR"]) / key
    assert _open(client, f"/account/documents/{kept_id}").data == PDF
    assert client.post(f"/account/documents/{kept_id}/delete").status_code == 302
    assert _locker(app) == []
    with app.app_context():
        assert prune_files(grace=0) == 0
    assert stored.exists()  # the sent application still holds the same bytes
    token = load(app, application_id(url)).answers["proof"][0]["id"]
    assert _open(client, f"/applications/{application_id(url)}/files/{token}").data == PDF


def test_nobody_else_can_use_a_kept_document(app: Flask, client: FlaskClient, procedure) -> None:
    sign_in(client, "resident@example.jp")
    url = _documents_page(client)
    _send(client, url, {"upload": "proof", "proof": [_upload("a.pdf", PDF)], "proof.keep": "yes"})
    with app.app_context():
        kept = db.session.scalar(select(LockerDocument))
        assert kept is not None
        kept_id = kept.id
    client.post("/account/logout")
    client.post(
        "/account/register",
        data={
            "family_name": "佐藤",
            "given_name": "次郎",
            "email": "jiro@example.jp",
            "password": "long enough password",
            "password_confirm": "long enough password",
        },
    )
    sign_in(client, "jiro@example.jp", "long enough password")
    assert client.get(f"/account/documents/{kept_id}").status_code == 404
    assert client.post(f"/account/documents/{kept_id}/delete").status_code == 302
    assert len(_locker(app)) == 1
    other = _documents_page(client)
    client.post(other, data={"attach_locker": f"proof:{kept_id}", "note": "x"})
    assert "proof" not in load(app, application_id(other)).answers


def test_files_no_longer_held_by_an_answer_are_released(
    app: Flask, client: FlaskClient, procedure
) -> None:
    sign_in(client, "resident@example.jp")
    url = _documents_page(client)
    _send(client, url, {"upload": "proof", "proof": [_upload("a.pdf", PDF)]})
    assert _files(app) == 1
    with app.app_context():
        from portal.applications.models import Application
        from portal.applications.operations import save_page
        from portal.core.uow import commit

        application = db.session.get(Application, application_id(url))
        assert application is not None
        # As when another answer hides the question: its value is cleaned to None.
        save_page(application, {"proof": None, "note": "x"})
        commit()
    assert _files(app) == 0


def test_an_empty_file_is_refused_by_name(app: Flask, client: FlaskClient, procedure) -> None:
    sign_in(client, "resident@example.jp")
    url = _documents_page(client)
    refused = _send(client, url, {"note": "x", "proof": [_upload("空.pdf", b"")]})
    assert refused.status_code == 422
    assert "「空.pdf」は中身が空です" in refused.get_data(as_text=True)
    assert _files(app) == 0
