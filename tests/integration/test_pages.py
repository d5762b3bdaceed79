"""Pages people reach first: catalogue, language switch, demo data, dev mail, errors."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Membership, Procedure, ProcedureVersion, Tenant, User
from portal.tenants.models import ROLES


def test_home_lists_procedures_of_every_government(client: FlaskClient, demo) -> None:
    page = client.get("/").get_data(as_text=True)
    for title in (
        "おもいやり駐車場利用証交付申請",
        "住民票の写し等交付請求",
        "子育て支援金支給申請",
    ):
        assert title in page
    only_aoba = client.get("/?tenant=aoba-city").get_data(as_text=True)
    assert "住民票の写し等交付請求" in only_aoba and "子育て支援金支給申請" not in only_aoba


def test_procedure_page_explains_before_starting(client: FlaskClient, demo) -> None:
    page = client.get("/procedures/aoba-city/residence-certificate").get_data(as_text=True)
    assert "3日" in page  # the standard processing period
    assert "000-333-4444" in page  # whom to contact
    assert client.get("/procedures/aoba-city/no-such-thing").status_code == 404
    assert client.get("/procedures/nowhere/residence-certificate").status_code == 404


def test_starting_requires_signing_in_and_comes_back(client: FlaskClient, demo) -> None:
    procedure = "/procedures/midori-pref/accessible-parking"
    response = client.post(
        "/applications/start/midori-pref/accessible-parking",
        headers={"Referer": f"http://localhost{procedure}"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        "/account/login?next=/procedures/midori-pref/accessible-parking"
    )
    login = client.post(
        response.headers["Location"],
        data={"email": "resident@example.jp", "password": "madoguchi-demo"},
    )
    assert login.headers["Location"] == procedure


def test_login_never_redirects_off_site(client: FlaskClient, demo) -> None:
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(
            f"/account/login?next={target}",
            data={"email": "resident@example.jp", "password": "madoguchi-demo"},
        )
        assert response.headers["Location"] == "/", target


def test_language_switch_is_remembered(client: FlaskClient, demo) -> None:
    assert '<html lang="ja">' in client.get("/").get_data(as_text=True)
    response = client.get("/language/en?next=/procedures/aoba-city/residence-certificate")
    assert response.headers["Location"] == "/procedures/aoba-city/residence-certificate"
    page = client.get("/procedures/aoba-city/residence-certificate").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Request for a copy of the residence certificate" in page
    assert "Start now" in page
    assert client.get("/language/xx").status_code == 404


def test_accept_language_is_honoured_without_a_cookie(client: FlaskClient, demo) -> None:
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Apply online" in page
    page = client.get("/", headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
    assert '<html lang="ja">' in page


def test_every_page_has_the_language_switch(client: FlaskClient, demo) -> None:
    for url in (
        "/",
        "/account/login",
        "/account/register",
        "/account/forgot",
        "/procedures/midori-pref/accessible-parking",
        "/no-such-page",
    ):
        page = client.get(url).get_data(as_text=True)
        assert 'hreflang="en"' in page, url


def test_demo_data_loads_twice_without_duplicates(app: Flask, demo) -> None:
    from portal.core.uow import commit
    from portal.demo.seed import load_demo

    def counts() -> list[int]:
        return [
            db.session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Tenant, User, Membership, Procedure, ProcedureVersion)
        ]

    with app.app_context():
        before = counts()
        load_demo()
        commit()
        assert counts() == before
        assert before[0] == 3 and before[3] >= 2
        roles = set(db.session.scalars(select(Membership.role)))
        assert roles == set(ROLES)
        prefecture = db.session.scalar(select(Tenant).where(Tenant.kind == "prefecture"))
        municipalities = db.session.scalars(select(Tenant).where(Tenant.kind == "municipality"))
        assert all(m.parent_id == prefecture.id for m in municipalities)  # type: ignore[union-attr]


def test_dev_mail_page_shows_the_outbox_only_in_development(
    app: Flask, client: FlaskClient, demo
) -> None:
    client.post("/account/forgot", data={"email": "resident@example.jp"})
    page = client.get("/dev/mail").get_data(as_text=True)
    assert "resident@example.jp" in page
    app.config["PORTAL_DEVELOPMENT"] = False
    try:
        assert client.get("/dev/mail").status_code == 404
    finally:
        app.config["PORTAL_DEVELOPMENT"] = True


def test_errors_are_translated_pages(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "<h1>" in response.get_data(as_text=True)
    assert client.get("/healthz").get_data(as_text=True) == "ok"
