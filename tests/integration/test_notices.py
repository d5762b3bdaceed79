"""PDF notices checked as documents: text, fonts, escaping, failures and receipt time."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.decisions.models import Notice
from portal.extensions import db
from tests.conftest import sign_in
from tests.integration.journey import PDF, act, application_id, fill, load, start, submit_parking

HOSTILE = '<img src="file:///etc/passwd"><style>body{display:none}</style><b>太字</b>'


def decided_notice(
    app: Flask,
    client: FlaskClient,
    name: str = "𠮷野 髙子",
    note: str = "",
    outcome: str = "approve",
    electronic: bool = True,
) -> tuple[int, Notice]:
    """Apply for the parking permit and have it decided; return the application and notice.

    ``electronic``: the resident agrees to electronic delivery when sending (without it,
    the notice goes by post and cannot be downloaded in the portal).
    """
    sign_in(client, "resident@example.jp")
    check = fill(
        client,
        start(client),
        {
            "applicant": {"name": name, "birth_date": "令和元年5月1日"},
            "eligibility": {"reason": "pregnancy", "copies": "1", "note": note},
            "documents": {"proof": ("母子健康手帳.pdf", PDF)},
        },
    )
    client.post(check, data={"electronic_delivery": "yes"} if electronic else {})
    ident = int(re.search(r"/applications/(\d+)", check).group(1))  # type: ignore[union-attr]
    for email, action in (
        ("reviewer@pref.example.jp", "pass"),
        ("approver@pref.example.jp", outcome),
    ):
        client.post("/account/logout")
        sign_in(client, email)
        act(client, ident, action, load(app, ident).lock_version, reason="所得要件を満たさないため")
    client.post("/account/logout")
    with app.app_context():
        notice = db.session.query(Notice).one()
        db.session.expunge(notice)
    return ident, notice


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def stored(app: Flask, notice: Notice) -> Path:
    assert notice.state == "ready" and notice.path
    return Path(app.config["PORTAL_DATA_DIR"]) / notice.path


def test_notice_has_the_decision_in_japanese(app: Flask, client: FlaskClient, demo) -> None:
    ident, notice = decided_notice(app, client)
    text = pdf_text(stored(app, notice))
    reference = load(app, ident).reference
    for expected in (
        reference,
        "おもいやり駐車場利用証交付決定通知書",
        "みどり県知事",
        "みどり県電第",
        "令和元年5月1日",
        "𠮷野 髙子",
        "押印を省略",
        notice.public_id,
    ):
        assert expected in text, expected
    assert re.search(r"令和\d+年\d+月\d+日（20\d\d年\d+月\d+日）", text)
    assert "印" not in text.replace("押印を省略", "").replace("印刷", "")


def test_notice_embeds_japanese_fonts(app: Flask, client: FlaskClient, demo) -> None:
    _, notice = decided_notice(app, client)
    fonts = subprocess.run(
        ["pdffonts", str(stored(app, notice))], capture_output=True, text=True, check=True
    ).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    assert all(row.split()[-5] == "yes" for row in rows), fonts  # the "emb" column
    assert any("CJK" in row or "IPAex" in row for row in rows), fonts


def test_rare_kanji_render_as_glyphs_not_boxes(app: Flask, client: FlaskClient, demo) -> None:
    _, notice = decided_notice(app, client, name="𠮷野 髙子")
    text = pdf_text(stored(app, notice))
    assert "𠮷野 髙子" in text
    assert "\ufffd" not in text and "□" not in text


def test_answers_print_as_text_and_fetch_nothing(
    app: Flask, client: FlaskClient, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetched = record_fetches(monkeypatch)
    _, notice = decided_notice(app, client, note=HOSTILE)
    text = pdf_text(stored(app, notice))
    assert "<img" in text and "file:///etc/passwd" in text and "<b>太字</b>" in text
    # The only thing a notice fetches is the QR code the portal drew itself, inline.
    assert len(fetched) == 1 and fetched[0].startswith("data:image/svg+xml")


def test_the_fetcher_refuses_files_and_network() -> None:
    from portal.pdf.render import OfflineFetcher

    fetcher = OfflineFetcher()
    for url in ("file:///etc/passwd", "http://169.254.169.254/", "https://example.jp/x.png"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.refused == [
        "file:///etc/passwd",
        "http://169.254.169.254/",
        "https://example.jp/x.png",
    ]


def test_rejection_notice_has_reason_and_appeal_instructions(
    app: Flask, client: FlaskClient, demo
) -> None:
    _, notice = decided_notice(app, client, outcome="reject")
    text = "".join(pdf_text(stored(app, notice)).split())  # lines wrap anywhere in Japanese
    assert "不交付決定通知書" in text and "所得要件を満たさないため" in text
    assert "教示" in text and "審査請求" in text and "みどり県を被告" in text


def test_failed_rendering_is_visible_and_can_be_retried(
    app: Flask, client: FlaskClient, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal.decisions import tasks

    def broken(template, context):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(tasks, "render_pdf", broken)
    ident, notice = decided_notice(app, client)
    assert notice.state == "failed" and "disk full" in notice.error
    assert load(app, ident).status == "completed"  # the decision itself is kept
    sign_in(client, "approver@pref.example.jp")
    page = client.get(f"/staff/midori-pref/applications/{ident}").get_data(as_text=True)
    assert f"/staff/midori-pref/notices/{notice.public_id}/retry" in page
    monkeypatch.undo()
    response = client.post(f"/staff/midori-pref/notices/{notice.public_id}/retry")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Notice, notice.id).state == "ready"  # type: ignore[union-attr]


def test_rendering_twice_changes_nothing(app: Flask, client: FlaskClient, demo) -> None:
    from portal.core.jobs import run_job

    _, notice = decided_notice(app, client)
    with app.app_context():
        run_job("render_notice", notice.id)
        again = db.session.get(Notice, notice.id)
        assert again is not None
        assert (again.sha256, again.rendered_at) == (notice.sha256, notice.rendered_at)


def test_first_download_is_recorded_once(app: Flask, client: FlaskClient, demo) -> None:
    ident, notice = decided_notice(app, client)
    sign_in(client, "reviewer@pref.example.jp")
    staff_copy = client.get(f"/staff/midori-pref/notices/{notice.public_id}.pdf")
    assert staff_copy.status_code == 200
    client.post("/account/logout")
    sign_in(client, "resident@example.jp")
    assert client.get(f"/notices/{notice.public_id}.pdf").status_code == 200
    with app.app_context():
        first = db.session.get(Notice, notice.id).first_downloaded_at  # type: ignore[union-attr]
    assert first is not None
    client.get(f"/notices/{notice.public_id}.pdf")
    with app.app_context():
        assert db.session.get(Notice, notice.id).first_downloaded_at == first  # type: ignore[union-attr]


def test_other_people_cannot_download_the_notice(app: Flask, client: FlaskClient, demo) -> None:
    _, notice = decided_notice(app, client)
    sign_in(client, "reviewer@aoba.example.jp")
    assert client.get(f"/notices/{notice.public_id}.pdf").status_code == 404
    assert client.get(f"/staff/aoba-city/notices/{notice.public_id}.pdf").status_code == 404


def test_a_crashing_job_is_rolled_back_and_reported(
    app: Flask, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal.core import jobs
    from portal.models import Tenant

    def crash(tenant_id: int) -> None:
        db.session.get(Tenant, tenant_id).name_ja = "途中まで"  # type: ignore[union-attr]
        db.session.flush()
        raise RuntimeError("worker died")

    monkeypatch.setitem(jobs.JOBS, "crash", crash)
    with app.app_context():
        tenant = db.session.query(Tenant).first()
        assert tenant is not None
        assert jobs.run_job("crash", tenant.id) is False
        db.session.expire_all()
        assert db.session.get(Tenant, tenant.id).name_ja != "途中まで"  # type: ignore[union-attr]


def test_the_receipt_says_what_was_sent_and_when(
    app: Flask, client: FlaskClient, demo, tmp_path: Path
) -> None:
    ident = submit_parking(client)
    application = load(app, ident)
    response = client.get(f"/applications/{ident}/receipt.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    path = tmp_path / "receipt.pdf"
    path.write_bytes(response.data)
    text = pdf_text(path)
    for expected in (
        "受付票",
        application.reference,
        "おもいやり駐車場利用証交付申請",
        "みどり県 福祉政策課",
        "山田 花子",
        "介護保険被保険者証.pdf",
        hashlib.sha256(PDF).hexdigest()[:16],
    ):
        assert expected in text, expected
    assert re.search(r"令和\d+年\d+月\d+日（20\d\d年\d+月\d+日）\d\d:\d\d", text)
    # The same receipt every time: it is made from records that never change.
    assert pdf_text(path) == text
    page = client.get(f"/applications/{ident}").get_data(as_text=True)
    assert f"/applications/{ident}/receipt.pdf" in page


def test_only_sent_applications_of_the_resident_have_a_receipt(
    app: Flask, client: FlaskClient, demo
) -> None:
    ident = submit_parking(client)
    draft = application_id(start(client, "/procedures/aoba-city/residence-certificate"))
    assert client.get(f"/applications/{draft}/receipt.pdf").status_code == 404
    client.post("/account/logout")
    sign_in(client, "reviewer@pref.example.jp")
    assert client.get(f"/applications/{ident}/receipt.pdf").status_code == 404


def record_fetches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL the PDF renderer asks its fetcher for, from now on in this test."""
    from portal.pdf import render

    fetched: list[str] = []
    real_fetch = render.OfflineFetcher.fetch

    def spy(self, url, headers=None):  # type: ignore[no-untyped-def]
        fetched.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(render.OfflineFetcher, "fetch", spy)
    return fetched
