"""A government's logo and colour are worn by its pages."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.tenants.models import Tenant


def test_the_procedure_page_wears_the_government_s_colour_and_logo(
    app: Flask, client: FlaskClient, demo
) -> None:
    plain = client.get("/procedures/midori-pref/accessible-parking").get_data(as_text=True)
    assert "brand__logo" not in plain and ".header { background" not in plain
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "midori-pref"))
        tenant.brand_colour, tenant.logo_path = "#1d5e20", "branding/midori-pref/logo.png"
        db.session.commit()
    page = client.get("/procedures/midori-pref/accessible-parking").get_data(as_text=True)
    assert ".header { background: #1d5e20; }" in page
    assert 'src="/tenants/midori-pref/logo"' in page
    # Another government's page keeps the portal's own colour.
    other = client.get("/procedures/aoba-city/residence-certificate").get_data(as_text=True)
    assert "#1d5e20" not in other
