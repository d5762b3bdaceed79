"""Staff open an attachment in the viewer: a PDF in a frame, an image in the page."""

from __future__ import annotations

import copy
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import sign_in
from tests.integration.journey import PARKING_ANSWERS, PDF, application_id, fill, load, start

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
#: The start of a HEIC photo: a kind accepted by the procedure that browsers cannot show.
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 32
STAFF = "reviewer@pref.example.jp"


def _submit(client: FlaskClient, name: str, data: bytes) -> int:
    """The resident sends the parking permit application with one file; return its id."""
    sign_in(client, "resident@example.jp")
    answers = copy.deepcopy(PARKING_ANSWERS)
    answers["documents"]["proof"] = (name, data)
    check = fill(client, start(client), answers)
    assert client.post(check).status_code == 302
    client.post("/account/logout")
    return application_id(check)


def _file(app: Flask, client: FlaskClient, name: str, data: bytes) -> str:
    """Send an application with one file; return the staff address of that file."""
    ident = _submit(client, name, data)
    token = load(app, ident).answers["proof"][0]["id"]
    return f"/staff/midori-pref/applications/{ident}/files/{token}"


def _get(client: FlaskClient, url: str) -> Any:
    """Get a page or a file, and close the stream the response holds (as a server would)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def test_the_application_page_links_each_file_to_the_viewer_and_to_a_download(
    app: Flask, client: FlaskClient, demo
) -> None:
    file_url = _file(app, client, "証明書.pdf", PDF)
    sign_in(client, STAFF)
    application_url = file_url.rsplit("/files/", 1)[0]
    page = client.get(application_url).get_data(as_text=True)
    assert f'href="{file_url}/view">証明書.pdf</a>' in page
    assert f'href="{file_url}" download>' in page


def test_a_pdf_is_shown_in_a_frame_of_the_inline_file(
    app: Flask, client: FlaskClient, demo
) -> None:
    file_url = _file(app, client, "証明書.pdf", PDF)
    sign_in(client, STAFF)
    viewer = client.get(f"{file_url}/view")
    page = viewer.get_data(as_text=True)
    assert viewer.status_code == 200
    assert "<h1>証明書.pdf</h1>" in page
    frame = re.search(r"<iframe [^>]*>", page)
    assert frame, page
    assert f'src="{file_url}/inline"' in frame.group(0)
    assert 'title="証明書.pdf"' in frame.group(0)
    assert f'href="{file_url}" download' in page  # the download stays offered
    assert file_url.rsplit("/files/", 1)[0] in page  # the way back to the application
    assert load(app, int(file_url.split("/")[4])).reference in page
    # Nothing on the viewer page forbids framing a page of the same origin.
    assert "Content-Security-Policy" not in viewer.headers
    assert "X-Frame-Options" not in viewer.headers


def test_the_inline_pdf_may_be_framed_by_the_portal_only(
    app: Flask, client: FlaskClient, demo
) -> None:
    file_url = _file(app, client, "証明書.pdf", PDF)
    sign_in(client, STAFF)
    inline = _get(client, f"{file_url}/inline")
    assert inline.status_code == 200 and inline.data == PDF
    assert inline.headers["Content-Type"] == "application/pdf"
    assert inline.headers["Content-Disposition"].startswith("inline;")
    assert inline.headers["X-Content-Type-Options"] == "nosniff"
    policy = inline.headers["Content-Security-Policy"]
    assert "sandbox" not in policy  # Chromium's PDF viewer does not render in a sandbox
    assert "default-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert inline.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert inline.headers["Cache-Control"] == "private, no-store"
    # The plain file route still downloads a PDF, in a sandbox.
    download = _get(client, file_url)
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in download.headers["Content-Security-Policy"]


def test_an_image_is_shown_in_the_page(app: Flask, client: FlaskClient, demo) -> None:
    file_url = _file(app, client, "写真.png", PNG)
    sign_in(client, STAFF)
    page = client.get(f"{file_url}/view").get_data(as_text=True)
    image = re.search(r"<img [^>]*>", page)
    assert image, page
    assert f'src="{file_url}/inline"' in image.group(0) and 'alt="写真.png"' in image.group(0)
    assert "<iframe" not in page
    inline = _get(client, f"{file_url}/inline")
    assert inline.data == PNG and inline.headers["Content-Type"] == "image/png"
    assert inline.headers["Content-Disposition"].startswith("inline;")
    assert "sandbox" in inline.headers["Content-Security-Policy"]  # images keep the sandbox


def test_a_kind_browsers_cannot_show_is_offered_as_a_download_only(
    app: Flask, client: FlaskClient, demo
) -> None:
    file_url = _file(app, client, "写真.heic", HEIC)
    sign_in(client, STAFF)
    page = client.get(f"{file_url}/view").get_data(as_text=True)
    assert "<iframe" not in page and "<img" not in page
    assert f'href="{file_url}" download' in page
    assert "HEIC" in page and "/inline" not in page
    inline = _get(client, f"{file_url}/inline")
    assert inline.headers["Content-Disposition"].startswith("attachment;")


def test_the_viewer_shows_the_details_of_the_file(app: Flask, client: FlaskClient, demo) -> None:
    file_url = _file(app, client, "証明書.pdf", PDF)
    sign_in(client, STAFF)
    page = client.get(f"{file_url}/view").get_data(as_text=True)
    descriptor = load(app, int(file_url.split("/")[4])).answers["proof"][0]
    assert descriptor["sha256"] in page
    assert f"{len(PDF)} B" in page and ">PDF<" in page


def test_only_staff_of_the_tenant_open_the_viewer(app: Flask, client: FlaskClient, demo) -> None:
    file_url = _file(app, client, "証明書.pdf", PDF)
    ident, token = file_url.split("/")[4], file_url.split("/")[-1]
    viewer, inline = f"{file_url}/view", f"{file_url}/inline"
    # Nobody signed in: sent to the login page.
    assert client.get(viewer).status_code == 302
    # The resident who sent it is not staff.
    sign_in(client, "resident@example.jp")
    assert client.get(viewer).status_code == 403
    assert client.get(inline).status_code == 403
    client.post("/account/logout")
    # Staff of another tenant: refused in this tenant, not found in their own.
    sign_in(client, "reviewer@aoba.example.jp")
    assert client.get(viewer).status_code == 403
    assert client.get(inline).status_code == 403
    own = f"/staff/aoba-city/applications/{ident}/files/{token}"
    assert client.get(f"{own}/view").status_code == 404
    assert client.get(f"{own}/inline").status_code == 404


def test_an_unknown_file_or_application_is_not_found(app: Flask, client: FlaskClient, demo) -> None:
    file_url = _file(app, client, "証明書.pdf", PDF)
    sign_in(client, STAFF)
    application_url = file_url.rsplit("/files/", 1)[0]
    for suffix in ("view", "inline"):
        assert client.get(f"{application_url}/files/unknown/{suffix}").status_code == 404
        assert (
            client.get(f"/staff/midori-pref/applications/999999/files/x/{suffix}").status_code
            == 404
        )
