"""The resident's saved details, and forms filled in from them."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.accounts.models import User
from portal.extensions import db
from tests.conftest import sign_in
from tests.integration.journey import application_id, load, start

PROFILE_FORM = {
    "name.mode": "japanese",
    "name.family": "髙橋",
    "name.given": "𠮷子",
    "name.family_kana": "たかはし",
    "name.given_kana": "よしこ",
    "birth_date": "昭和60年1月2日",
    "phone": "03-1234-5678",
    "address.postcode": "",
    "address.prefecture": "",
    "address.city": "",
    "address.street": "",
    "address.building": "",
}


def _profile(app: Flask) -> dict | None:  # type: ignore[type-arg]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "resident@example.jp"))
        assert user is not None
        return user.profile


def test_details_are_saved_normalised_and_errors_keep_what_was_typed(
    app: Flask, client: FlaskClient, demo
) -> None:
    sign_in(client, "resident@example.jp")
    page = client.get("/account/profile").get_data(as_text=True)
    assert 'value="ヤマダ"' in page  # the demo resident's saved details
    refused = client.post("/account/profile", data={**PROFILE_FORM, "birth_date": "2月30日"})
    assert refused.status_code == 422
    assert 'value="𠮷子"' in refused.get_data(as_text=True)
    saved = client.post("/account/profile", data=PROFILE_FORM)
    assert saved.status_code == 302
    profile = _profile(app)
    assert profile is not None
    assert profile["name"]["family_kana"] == "タカハシ"
    assert profile["birth_date"] == "1985-01-02"
    assert "address" not in profile  # an empty address is not kept


def test_forms_are_filled_in_from_the_details_and_can_be_changed(
    app: Flask, client: FlaskClient, demo
) -> None:
    sign_in(client, "resident@example.jp")
    first = start(client, "/procedures/midori-pref/vehicle-tax-address")
    page = client.get(first).get_data(as_text=True)
    assert 'value="ヤマダ"' in page and 'value="090-1234-5678"' in page
    assert "登録情報から入力しています" in page
    # Nothing is stored until the resident saves the page, with their own changes.
    assert load(app, application_id(first)).answers == {}
    changed = {
        "owner_name.mode": "japanese",
        "owner_name.family": "山田",
        "owner_name.given": "花子",
        "owner_name.family_kana": "ヤマダ",
        "owner_name.given_kana": "ハナコ",
        "phone": "0120-123-456",
        "plate": "みどり 300 あ 12-34",
    }
    assert client.post(first, data=changed).status_code == 302
    assert load(app, application_id(first)).answers["phone"] == "0120-123-456"
    again = client.get(first).get_data(as_text=True)
    assert 'value="0120-123-456"' in again and "090-1234-5678" not in again
