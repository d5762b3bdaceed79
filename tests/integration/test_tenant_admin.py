"""Tenant administration: details and branding, departments, staff, closing days, the
seal certificate and the audit log, each only for the administrators of the tenant."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal.accounts.models import User
from portal.admin import seals
from portal.admin.forms import contrast_with_white
from portal.core.models import utcnow
from portal.decisions import sealing
from portal.decisions.sealing import passphrase, seal_for, seals_dir
from portal.extensions import db
from portal.pdf import demo_seals
from portal.tenants.models import AuditEntry, Department, Membership, Tenant
from portal.tenants.operations import record_change
from tests.conftest import link_in, outbox, sign_in

PREF = "/staff/midori-pref/admin"
TOWN = "/staff/sakura-town/admin"
ADMIN = "admin@pref.example.jp"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
    b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)
DETAILS = {
    "name_ja": "みどり県",
    "name_en": "Midori Prefecture",
    "document_symbol": "みどり県電",
    "head_title": "みどり県知事",
    "brand_colour": "",
}


def _admin(client: FlaskClient, email: str = ADMIN) -> FlaskClient:
    """Sign in and read the pages in English, so messages can be compared."""
    client.set_cookie("lang", "en")
    assert sign_in(client, email).status_code == 302
    return client


def _tenant(slug: str) -> Tenant:
    found = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    assert found is not None
    return found


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _roles(app: Flask, email: str, slug: str = "midori-pref") -> set[str]:
    with app.app_context():
        user = _user(email)
        assert user is not None
        query = select(Membership.role).where(
            Membership.user_id == user.id, Membership.tenant_id == _tenant(slug).id
        )
        return set(db.session.scalars(query))


def _audit(app: Flask, slug: str = "midori-pref") -> list[tuple[str, str, dict[str, Any]]]:
    """The tenant's audit entries, oldest first."""
    with app.app_context():
        query = (
            select(AuditEntry)
            .where(AuditEntry.tenant_id == _tenant(slug).id)
            .order_by(AuditEntry.id)
        )
        return [(e.action, e.subject, e.detail) for e in db.session.scalars(query)]


def _ids(app: Flask) -> tuple[int, int]:
    """A department and a member of staff of the prefecture."""
    with app.app_context():
        tenant = _tenant("midori-pref")
        department = db.session.scalar(select(Department).where(Department.tenant_id == tenant.id))
        reviewer = _user("reviewer@pref.example.jp")
        assert department is not None and reviewer is not None
        return department.id, reviewer.id


def _admin_urls(app: Flask) -> list[tuple[str, str]]:
    department, member = _ids(app)
    pages = [
        "",
        "/details",
        "/departments",
        f"/departments/{department}",
        "/staff",
        "/staff/invite",
        f"/staff/{member}",
        "/calendar",
        "/seal",
        "/audit",
    ]
    posts = [
        "/details",
        "/logo",
        "/logo/remove",
        "/departments",
        f"/departments/{department}",
        "/staff/invite",
        f"/staff/{member}/roles",
        f"/staff/{member}/roles/1/remove",
        f"/staff/{member}/deputy",
        "/calendar",
        "/seal",
    ]
    return [("GET", PREF + p) for p in pages] + [("POST", PREF + p) for p in posts]


# Access ----------------------------------------------------------------------------


def test_only_administrators_of_this_tenant_reach_the_admin_pages(
    app: Flask, client: FlaskClient, demo
) -> None:
    urls = _admin_urls(app)
    for email in ("admin@aoba.example.jp", "reviewer@pref.example.jp"):
        other = app.test_client()
        _admin(other, email)
        for method, url in urls:
            response = other.open(url, method=method, data={"role": "admin", "deputy": ""})
            assert response.status_code == 403, (email, method, url)
    for method, url in urls:
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert "/account/login" in response.headers["Location"]
    assert _audit(app) == []
    _admin(client)
    for method, url in urls:
        if method == "GET":
            assert client.get(url).status_code == 200, url


def _token(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def test_admin_forms_need_their_csrf_token(app: Flask, client: FlaskClient, demo, csrf) -> None:
    login = {"email": ADMIN, "password": "madoguchi-demo"}
    login["csrf_token"] = _token(client.get("/account/login").get_data(as_text=True))
    assert client.post("/account/login", data=login).status_code == 302
    changed = {**DETAILS, "name_en": "Forged"}
    assert client.post(f"{PREF}/details", data=changed).status_code == 400
    token = _token(client.get(f"{PREF}/details").get_data(as_text=True))
    assert client.post(f"{PREF}/details", data={**changed, "csrf_token": token}).status_code == 302
    assert [action for action, _s, _d in _audit(app)] == ["tenant.update"]


def test_the_inbox_links_to_administration_for_administrators_only(
    client: FlaskClient, demo
) -> None:
    _admin(client)
    assert f'href="{PREF}"' in client.get("/staff/midori-pref/inbox").get_data(as_text=True)
    _admin(client, "reviewer@pref.example.jp")
    assert "/admin" not in client.get("/staff/midori-pref/inbox").get_data(as_text=True)


# Details and branding ----------------------------------------------------------------


def test_details_and_colour_are_saved_and_audited(app: Flask, client: FlaskClient, demo) -> None:
    _admin(client)
    changed = {**DETAILS, "name_en": "Midori Pref.", "brand_colour": "#1D4E89"}
    response = client.post(f"{PREF}/details", data=changed)
    assert response.status_code == 302
    page = client.get(f"{PREF}/details").get_data(as_text=True)
    assert "The government details have been saved." in page and 'value="Midori Pref."' in page
    with app.app_context():
        tenant = _tenant("midori-pref")
        assert (tenant.name_en, tenant.brand_colour) == ("Midori Pref.", "#1d4e89")
    assert _audit(app) == [
        (
            "tenant.update",
            "midori-pref",
            {"changes": {"name_en": ["Midori Prefecture", "Midori Pref."]}},
        ),
        ("branding.update", "midori-pref", {"changes": {"brand_colour": ["", "#1d4e89"]}}),
    ]


def test_a_colour_too_light_for_white_text_is_refused_keeping_the_input(
    app: Flask, client: FlaskClient, demo
) -> None:
    _admin(client)
    typed = {**DETAILS, "name_en": "Changed", "brand_colour": "#FFCC00"}
    response = client.post(f"{PREF}/details", data=typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "White text on #FFCC00 has a contrast of only 1.5:1" in page
    assert 'value="#FFCC00"' in page and 'value="Changed"' in page
    assert 'href="#field-brand_colour"' in page and 'aria-invalid="true"' in page
    bad = client.post(f"{PREF}/details", data={**DETAILS, "brand_colour": "blue", "name_ja": ""})
    assert bad.status_code == 422
    assert "six hexadecimal digits" in bad.get_data(as_text=True)
    assert "Enter Name in Japanese." in bad.get_data(as_text=True)
    with app.app_context():
        tenant = _tenant("midori-pref")
        assert (tenant.name_en, tenant.brand_colour) == ("Midori Prefecture", "")
    assert _audit(app) == []


def test_contrast_is_computed_as_wcag_does() -> None:
    assert round(contrast_with_white("#767676"), 2) == 4.54
    assert round(contrast_with_white("#000000"), 1) == 21.0
    assert contrast_with_white("#00508c") > 4.5 > contrast_with_white("#ffcc00")


def _post_file(
    client: FlaskClient, url: str, name: str, upload: tuple[bytes, str], **fields: str
) -> Any:
    # Encoded in memory: the test client spools big bodies to a file it never closes.
    data, filename = upload
    stored = FileStorage(io.BytesIO(data), filename=filename)
    boundary, body = encode_multipart({**fields, name: stored})
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _upload_logo(client: FlaskClient, data: bytes, name: str) -> Any:
    return _post_file(client, f"{PREF}/logo", "logo", (data, name))


def test_a_png_logo_is_stored_and_served_publicly_as_png(
    app: Flask, client: FlaskClient, demo
) -> None:
    _admin(client)
    assert _upload_logo(client, PNG, "logo.png").status_code == 302
    with app.app_context():
        assert _tenant("midori-pref").logo_path == "branding/midori-pref/logo.png"
    stored = Path(app.config["PORTAL_DATA_DIR"]) / "branding/midori-pref/logo.png"
    assert stored.read_bytes() == PNG
    anonymous = app.test_client()
    served = anonymous.get("/tenants/midori-pref/logo")
    assert served.status_code == 200 and served.data == PNG
    assert served.mimetype == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert anonymous.get("/tenants/aoba-city/logo").status_code == 404
    (action, subject, detail), *_rest = _audit(app)
    assert (action, subject, detail["logo"]) == (
        "branding.update",
        "midori-pref",
        "branding/midori-pref/logo.png",
    )
    assert client.post(f"{PREF}/logo/remove").status_code == 302
    assert anonymous.get("/tenants/midori-pref/logo").status_code == 404


def test_an_html_file_named_png_is_refused_as_a_logo(app: Flask, client: FlaskClient, demo) -> None:
    _admin(client)
    html = b"<!doctype html><html><script>alert(1)</script></html>"
    response = _upload_logo(client, html, "logo.png")
    assert response.status_code == 422
    assert "must be a PNG or JPEG image" in response.get_data(as_text=True)
    assert _upload_logo(client, PNG * 20000, "big.png").status_code == 422
    with app.app_context():
        assert _tenant("midori-pref").logo_path is None
    assert _audit(app) == []


# Departments --------------------------------------------------------------------------


def test_departments_are_added_and_a_duplicate_code_is_refused(
    app: Flask, client: FlaskClient, demo
) -> None:
    _admin(client)
    new = {
        "code": "kankyo",
        "name_ja": "環境政策課",
        "name_en": "Environment Division",
        "phone": "000-111-7777",
    }
    assert client.post(f"{PREF}/departments", data=new).status_code == 302
    duplicate = {**new, "name_ja": "別の課"}
    response = client.post(f"{PREF}/departments", data=duplicate)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "already has a department with the code “kankyo”" in page
    assert 'value="別の課"' in page
    same_name = client.post(f"{PREF}/departments", data={**new, "code": "kankyo2"})
    assert "already has a department called “環境政策課”" in same_name.get_data(as_text=True)
    bad = client.post(f"{PREF}/departments", data={**new, "code": "Kankyo!", "phone": "abc"})
    assert bad.status_code == 422 and "lowercase letters" in bad.get_data(as_text=True)
    # The same code in another tenant is fine.
    _admin(client, "admin@aoba.example.jp")
    assert client.post("/staff/aoba-city/admin/departments", data=new).status_code == 302
    with app.app_context():
        found = db.session.scalars(select(Department).where(Department.code == "kankyo")).all()
        assert len(found) == 2
        edited_id = next(d.id for d in found if d.tenant_id == _tenant("midori-pref").id)
    assert _audit(app) == [
        (
            "department.add",
            "kankyo",
            {"name_ja": "環境政策課", "name_en": "Environment Division", "phone": "000-111-7777"},
        )
    ]
    _admin(client)
    changed = {"name_ja": "環境課", "name_en": "Environment Division", "phone": ""}
    assert client.post(f"{PREF}/departments/{edited_id}", data=changed).status_code == 302
    assert _audit(app)[-1][:2] == ("department.update", "kankyo")
    assert "環境課" in client.get(f"{PREF}/departments").get_data(as_text=True)


def test_another_tenants_department_cannot_be_edited(app: Flask, client: FlaskClient, demo) -> None:
    with app.app_context():
        aoba = _tenant("aoba-city")
        theirs = db.session.scalar(select(Department.id).where(Department.tenant_id == aoba.id))
    _admin(client)
    assert client.get(f"{PREF}/departments/{theirs}").status_code == 404


# Staff --------------------------------------------------------------------------------


def test_inviting_a_new_address_creates_an_account_that_sets_its_password(
    app: Flask, client: FlaskClient, demo
) -> None:
    _admin(client)
    department, _member = _ids(app)
    invite = {
        "email": "New.Clerk@Pref.Example.jp",
        "family_name": "新人",
        "given_name": "太郎",
        "role": "reviewer",
        "department": str(department),
    }
    assert client.post(f"{PREF}/staff/invite", data=invite).status_code == 302
    with app.app_context():
        user = _user("new.clerk@pref.example.jp")
        assert user is not None and user.full_name == "新人 太郎" and not user.is_verified
        membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
        assert membership is not None
        assert (membership.role, membership.department_id) == ("reviewer", department)
    message = outbox(app)[-1]
    assert message["To"] == "new.clerk@pref.example.jp"
    link = link_in(message)
    assert link.startswith("/account/reset/")
    # The password nobody knows does not sign in; the mailed link sets one.
    assert sign_in(app.test_client(), "new.clerk@pref.example.jp").status_code == 422
    invited = app.test_client()
    password = {"password": "a new staff password", "password_confirm": "a new staff password"}
    assert invited.post(link, data=password).status_code == 302
    assert sign_in(invited, "new.clerk@pref.example.jp", password["password"]).status_code == 302
    assert invited.get("/staff/midori-pref/inbox").status_code == 200
    assert invited.get(PREF).status_code == 403
    assert _audit(app) == [
        (
            "staff.invite",
            "new.clerk@pref.example.jp",
            {"role": "reviewer", "department": "fukushi", "new_account": True},
        )
    ]


def test_inviting_someone_with_an_account_adds_the_role_and_tells_them(
    app: Flask, client: FlaskClient, demo
) -> None:
    _admin(client)
    invite = {"email": "reviewer@aoba.example.jp", "role": "chief", "department": ""}
    assert client.post(f"{PREF}/staff/invite", data=invite).status_code == 302
    assert _roles(app, "reviewer@aoba.example.jp") == {"chief"}
    message = outbox(app)[-1]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert message["To"] == "reviewer@aoba.example.jp"
    assert "/account/login" in body and "/account/reset/" not in body
    assert "みどり県" in body  # the recipient's language: Japanese, the default
    again = client.post(f"{PREF}/staff/invite", data=invite)
    assert again.status_code == 422
    assert "reviewer@aoba.example.jp already holds the role" in again.get_data(as_text=True)
    wrong = client.post(f"{PREF}/staff/invite", data={"email": "not-an-address", "role": "boss"})
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and 'value="not-an-address"' in page
    assert "like name@example.jp" in page and "Choose a role." in page
    assert [a for a, _s, _d in _audit(app)] == ["staff.invite"]


def test_roles_are_added_and_removed_but_never_the_last_administrator(
    app: Flask, client: FlaskClient, demo
) -> None:
    _admin(client)
    with app.app_context():
        me = _user(ADMIN)
        reviewer = _user("reviewer@pref.example.jp")
        assert me is not None and reviewer is not None
        me_id, reviewer_id = me.id, reviewer.id
        mine = db.session.scalar(
            select(Membership.id).where(Membership.user_id == me_id, Membership.role == "admin")
        )
    last = client.post(f"{PREF}/staff/{me_id}/roles/{mine}/remove")
    assert last.status_code == 422
    assert "last administrator" in last.get_data(as_text=True)
    assert "admin" in _roles(app, ADMIN)
    assert (
        client.post(f"{PREF}/staff/{reviewer_id}/roles", data={"role": "admin"}).status_code == 302
    )
    assert _roles(app, "reviewer@pref.example.jp") == {"reviewer", "admin"}
    held = client.post(f"{PREF}/staff/{reviewer_id}/roles", data={"role": "admin"})
    assert held.status_code == 422
    # Now there is another administrator, I may step down; the pages then close to me.
    stepped_down = client.post(f"{PREF}/staff/{me_id}/roles/{mine}/remove")
    assert stepped_down.status_code == 302
    assert "admin" not in _roles(app, ADMIN)
    assert client.get(PREF).status_code == 403
    assert [(a, s, d["role"]) for a, s, d in _audit(app)] == [
        ("staff.role_add", "reviewer@pref.example.jp", "admin"),
        ("staff.role_remove", ADMIN, "admin"),
    ]


def test_a_deputy_is_a_colleague_and_not_oneself(app: Flask, client: FlaskClient, demo) -> None:
    _admin(client)
    with app.app_context():
        emails = (
            "reviewer@pref.example.jp",
            "approver@pref.example.jp",
            "reviewer@aoba.example.jp",
        )
        ids = {email: user.id for email in emails if (user := _user(email)) is not None}
    reviewer = ids["reviewer@pref.example.jp"]
    url = f"{PREF}/staff/{reviewer}/deputy"
    saved = client.post(url, data={"deputy": str(ids["approver@pref.example.jp"])})
    assert saved.status_code == 302
    with app.app_context():
        deputies = db.session.scalars(
            select(Membership.deputy_id).where(Membership.user_id == reviewer)
        ).all()
        assert deputies == [ids["approver@pref.example.jp"]]
    assert "決裁 課長" in client.get(f"{PREF}/staff").get_data(as_text=True)
    itself = client.post(url, data={"deputy": str(reviewer)})
    assert itself.status_code == 422
    assert "cannot be their own deputy" in itself.get_data(as_text=True)
    outsider = client.post(url, data={"deputy": str(ids["reviewer@aoba.example.jp"])})
    assert outsider.status_code == 422
    assert "among the staff of this government" in outsider.get_data(as_text=True)
    assert _audit(app) == [
        ("staff.deputy", "reviewer@pref.example.jp", {"deputy": "approver@pref.example.jp"})
    ]
    # A deputy who leaves the staff stops being anyone's deputy.
    approver = ids["approver@pref.example.jp"]
    with app.app_context():
        role = db.session.scalar(select(Membership.id).where(Membership.user_id == approver))
    assert client.post(f"{PREF}/staff/{approver}/roles/{role}/remove").status_code == 302
    with app.app_context():
        deputies = db.session.scalars(
            select(Membership.deputy_id).where(Membership.user_id == reviewer)
        ).all()
        assert deputies == [None]
    assert _audit(app)[-1] == (
        "staff.role_remove",
        "approver@pref.example.jp",
        {"role": "approver", "department": None, "deputy_for_cleared": 1},
    )
    assert client.get(f"{PREF}/staff/{approver}").status_code == 404


# Closing days -------------------------------------------------------------------------


def test_closing_days_are_saved_sorted_and_a_wrong_line_is_named(
    app: Flask, client: FlaskClient, demo
) -> None:
    _admin(client)
    days = {"closing_days": "12-29\n12-30\n\n04-10\n12-29", "closed_dates": "2027-06-03"}
    assert client.post(f"{PREF}/calendar", data=days).status_code == 302
    with app.app_context():
        tenant = _tenant("midori-pref")
        assert tenant.closing_days == ["04-10", "12-29", "12-30"]
        assert tenant.closed_dates == ["2027-06-03"]
    assert _audit(app)[-1][0] == "calendar.update"
    wrong = {"closing_days": "12-29\n02-30", "closed_dates": "2027-13-01"}
    response = client.post(f"{PREF}/calendar", data=wrong)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Line 2 of Closing days every year, “02-30”, is not a day of the year" in page
    assert "Line 1 of Single closed dates, “2027-13-01”, is not a date" in page
    assert "12-29\n02-30</textarea>" in page
    with app.app_context():
        assert _tenant("midori-pref").closing_days == ["04-10", "12-29", "12-30"]
    assert len(_audit(app)) == 1
    # A leap day is a day of the year.
    leap = {"closing_days": "02-29", "closed_dates": ""}
    assert client.post(f"{PREF}/calendar", data=leap).status_code == 302


# Seal certificate ---------------------------------------------------------------------


@pytest.fixture
def town_seal(app: Flask, demo) -> Iterator[Path]:
    """The town's seal file, put back as it was after the test."""
    with app.app_context():
        path = seals_dir() / "sakura-town.p12"
    original = path.read_bytes()
    yield path
    path.write_bytes(original)


def _seal_upload(client: FlaskClient, data: bytes, secret: str = "upload-pass") -> Any:
    return _post_file(client, f"{TOWN}/seal", "file", (data, "seal.p12"), passphrase=secret)


def _p12(common_name: str, serial: int, **options: Any) -> bytes:
    ca = demo_seals._ca()
    certificate, key = demo_seals.seal_certificate(
        common_name, "さくら町", serial, ca=ca, **options
    )
    return demo_seals.pkcs12_bytes(certificate, key, b"upload-pass", [ca[0]])


def test_a_valid_seal_is_installed_under_the_portals_passphrase(
    app: Flask, client: FlaskClient, town_seal: Path
) -> None:
    _admin(client, "admin@sakura.example.jp")
    response = _seal_upload(client, _p12("さくら町長 (UPLOADED)", 9001))
    assert response.status_code == 302
    assert town_seal.stat().st_mode & 0o777 == 0o600
    assert b"upload-pass" not in town_seal.read_bytes()
    with app.app_context():
        seal = seal_for(_tenant("sakura-town"))
        assert seal.subject == "さくら町長 (UPLOADED)"
        assert passphrase() is not None
    page = client.get(f"{TOWN}/seal").get_data(as_text=True)
    assert "CN=さくら町長 (UPLOADED),O=さくら町,C=JP" in page
    assert "Yes: its issuer is one of the trusted certificate authorities." in page
    ((action, subject, detail),) = _audit(app, "sakura-town")
    assert (action, subject) == ("seal.upload", "CN=さくら町長 (UPLOADED),O=さくら町,C=JP")
    assert detail["serial"] == format(9001, "x")


def test_a_seal_expiring_soon_is_installed_with_a_warning(
    client: FlaskClient, town_seal: Path
) -> None:
    _admin(client, "admin@sakura.example.jp")
    soon = utcnow() + dt.timedelta(days=30)
    assert _seal_upload(client, _p12("さくら町長 (SOON)", 9002, not_after=soon)).status_code == 302
    assert "Install its renewal before then." in client.get(f"{TOWN}/seal").get_data(as_text=True)


@pytest.mark.parametrize(
    ("upload", "secret", "message"),
    [
        (
            lambda: _p12("expired", 9003, not_after=dt.datetime(2026, 1, 2, tzinfo=dt.UTC)),
            "upload-pass",
            "The certificate has expired.",
        ),
        (
            lambda: _p12("not a seal", 9004, seal_usage=False),
            "upload-pass",
            "its key usage allows neither digital signatures nor non-repudiation",
        ),
        (lambda: _p12("valid", 9005), "wrong", "cannot be opened with this passphrase"),
        (lambda: b"\x00garbage" * 50, "upload-pass", "is not a PKCS#12 certificate file"),
        (lambda: b"", "upload-pass", "Choose the seal certificate file"),
    ],
    ids=["expired", "not-a-seal", "wrong-passphrase", "garbage", "no-file"],
)
def test_a_seal_that_cannot_seal_is_refused_and_the_old_one_kept(
    app: Flask, client: FlaskClient, town_seal: Path, upload: Any, secret: str, message: str
) -> None:
    before = town_seal.read_bytes()
    _admin(client, "admin@sakura.example.jp")
    response = _seal_upload(client, upload(), secret)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page, page
    assert f'value="{secret}"' not in page
    assert town_seal.read_bytes() == before
    assert _audit(app, "sakura-town") == []


def test_a_seal_is_refused_when_the_portal_cannot_keep_it(
    app: Flask, client: FlaskClient, town_seal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _admin(client, "admin@sakura.example.jp")
    upload = _p12("さくら町長 (UPLOADED)", 9006)
    monkeypatch.setitem(app.config, "PORTAL_SEAL_PKCS12", "/proc/no-such-folder/{tenant}.p12")
    unwritable = _seal_upload(client, upload)
    assert unwritable.status_code == 422
    assert "cannot write the seal file" in unwritable.get_data(as_text=True)
    monkeypatch.setattr(sealing, "passphrase", lambda: None)
    no_passphrase = _seal_upload(client, upload)
    assert no_passphrase.status_code == 422
    assert "no seal passphrase configured" in no_passphrase.get_data(as_text=True)
    assert _audit(app, "sakura-town") == []


def test_the_seal_checks_refuse_other_broken_files() -> None:
    now = utcnow()
    certificate, key = demo_seals.seal_certificate("check", "さくら町", 9010)
    _other, other_key = demo_seals.seal_certificate("other", "さくら町", 9011)
    with pytest.raises(seals.SealUploadError) as mismatch:
        seals.check_certificate(certificate, other_key, now)
    assert mismatch.value.code == "key_mismatch"
    with pytest.raises(seals.SealUploadError) as early:
        seals.check_certificate(certificate, key, dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    assert early.value.code == "not_yet_valid"
    server = _tls_certificate(key)
    with pytest.raises(seals.SealUploadError) as tls:
        seals.check_certificate(server, key, now)
    assert tls.value.code == "tls_only"
    without_key = demo_seals.pkcs12_bytes(certificate, key, b"pw")
    seal = seals.open_upload(without_key, b"pw", now)
    assert seal.certificate == certificate
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    only_certificate = pkcs12.serialize_key_and_certificates(
        b"x", None, certificate, None, BestAvailableEncryption(b"pw")
    )
    with pytest.raises(seals.SealUploadError) as no_key:
        seals.open_upload(only_certificate, b"pw", now)
    assert no_key.value.code == "no_key"


def _tls_certificate(key: Any) -> x509.Certificate:
    ca_certificate, ca_key = demo_seals._ca()
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "www")]))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(9012)
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .add_extension(
            x509.KeyUsage(True, False, True, False, False, False, False, False, False), True
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .sign(ca_key, hashes.SHA256())
    )


# Audit log ----------------------------------------------------------------------------


def test_the_audit_log_lists_changes_newest_first_fifty_a_page(
    app: Flask, client: FlaskClient, demo
) -> None:
    with app.app_context():
        tenant, actor = _tenant("midori-pref"), _user(ADMIN)
        for number in range(55):
            record_change(tenant, actor, "calendar.update", f"change-{number:02d}", n=number)
        record_change(_tenant("aoba-city"), None, "tenant.update", "elsewhere")
        db.session.commit()
    _admin(client)
    first = client.get(f"{PREF}/audit").get_data(as_text=True)
    assert first.index("change-54") < first.index("change-53")
    assert "change-05" in first and "change-04" not in first and "elsewhere" not in first
    assert ADMIN in first and "Closing days changed" in first
    with app.app_context():
        oldest_shown = db.session.scalar(
            select(AuditEntry.id).where(AuditEntry.subject == "change-05")
        )
        at = db.session.scalar(select(AuditEntry.at).where(AuditEntry.subject == "change-54"))
    assert f"before={oldest_shown}" in first
    assert at is not None
    assert at.astimezone(dt.timezone(dt.timedelta(hours=9))).strftime("%Y-%m-%d %H:%M") in first
    second = client.get(f"{PREF}/audit?before={oldest_shown}").get_data(as_text=True)
    assert "change-04" in second and "change-00" in second and "change-05" not in second
    assert "before=" not in second
