"""Conditions, fees and compound Japanese fields through the resident's wizard."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import sign_in
from tests.integration.journey import application_id, load, post_page, start

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20

VEHICLE = "/procedures/midori-pref/vehicle-tax-address"
OWNER = {
    "owner_name.mode": "japanese",
    "owner_name.family": "髙橋",
    "owner_name.given": "𠮷子",
    "owner_name.family_kana": "たかはし",
    "owner_name.given_kana": "ﾖｼｺ",
    "phone": "０９０ー１２３４ー５６７８",
    "plate": "みどり 300 あ 12-34",
}
ADDRESS = {
    "address.postcode": "〒100-0001",
    "address.prefecture": "東京都",
    "address.city": "千代田区",
    "address.street": "千代田1-1",
    "address.building": "",
}


def test_fee_is_computed_from_answers_on_the_check_page(client: FlaskClient, demo) -> None:
    sign_in(client, "resident@example.jp")
    first = start(client, "/procedures/aoba-city/residence-certificate")
    second = client.post(
        first,
        data={
            "name": "山田 花子",
            "birth_date": "1990-01-01",
            "email": "hanako@example.jp",
            "applying_as": "self",
        },
    ).headers["Location"]
    check = client.post(
        second, data={"scope": "self", "copies": "3", "purpose": "免許更新"}
    ).headers["Location"]
    page = client.get(check).get_data(as_text=True)
    assert 'data-fee="900"' in page and "900円" in page


def test_compound_fields_normalise_and_a_condition_makes_a_field_required(
    app: Flask, client: FlaskClient, demo
) -> None:
    sign_in(client, "resident@example.jp")
    first = start(client, VEHICLE)
    second = client.post(first, data=OWNER)
    assert second.status_code == 302, second.get_data(as_text=True)
    answers = {
        **ADDRESS,
        "moved": "yes",
        "moved_on": "",
        "declaration.agree": "yes",
        "declaration.name": "髙橋 𠮷子",
    }
    refused = client.post(second.headers["Location"], data=answers)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'href="#field-moved_on"' in page
    assert 'value="千代田1-1"' in page  # nothing typed is lost
    accepted = client.post(
        second.headers["Location"], data={**answers, "moved_on": "令和6年4月1日"}
    )
    assert accepted.status_code == 302
    stored = load(app, application_id(first)).answers
    assert stored["owner_name"]["family_kana"] == "タカハシ"
    assert stored["owner_name"]["given_kana"] == "ヨシコ"
    assert stored["phone"] == "090-1234-5678"
    assert stored["address"]["postcode"] == "100-0001"
    assert stored["declaration"] == {"agreed": True, "name": "髙橋 𠮷子"}


def test_hidden_answers_are_dropped_on_submit(app: Flask, client: FlaskClient, demo) -> None:
    sign_in(client, "resident@example.jp")
    first = start(client, VEHICLE)
    second = client.post(first, data=OWNER).headers["Location"]
    base = {**ADDRESS, "declaration.agree": "yes", "declaration.name": "髙橋 𠮷子"}
    client.post(second, data={**base, "moved": "yes", "moved_on": "2024-04-01"})
    check = client.post(second, data={**base, "moved": "no"}).headers["Location"]
    assert client.post(check).status_code == 302
    stored = load(app, application_id(first))
    assert stored.status == "submitted"
    assert "moved_on" not in stored.answers


def test_declaration_must_be_ticked(client: FlaskClient, demo) -> None:
    sign_in(client, "resident@example.jp")
    second = client.post(start(client, VEHICLE), data=OWNER).headers["Location"]
    response = client.post(second, data={**ADDRESS, "moved": "no", "declaration.name": "髙橋"})
    assert response.status_code == 422
    assert 'href="#field-declaration"' in response.get_data(as_text=True)


def test_the_address_is_found_from_the_postcode_without_javascript(
    client: FlaskClient, demo
) -> None:
    sign_in(client, "resident@example.jp")
    first = start(client, VEHICLE)
    second = client.post(first, data=OWNER).headers["Location"]
    typed = {**ADDRESS, "address.prefecture": "", "address.city": "", "address.street": ""}
    found = client.post(
        second, data={**typed, "address.building": "みどり荘 101", "lookup_address": "address"}
    )
    page = found.get_data(as_text=True)
    assert found.status_code == 200
    assert '<option value="東京都" selected>' in page
    assert 'value="千代田区"' in page and 'value="千代田"' in page
    assert 'value="みどり荘 101"' in page  # what was typed stays
    unknown = client.post(
        second, data={**typed, "address.postcode": "999-9999", "lookup_address": "address"}
    )
    assert unknown.status_code == 200
    assert 'value="千代田区"' not in unknown.get_data(as_text=True)
    assert 'role="status"' in unknown.get_data(as_text=True)


def test_a_representative_gives_the_relationship_and_the_letter(
    app: Flask, client: FlaskClient, demo
) -> None:
    sign_in(client, "resident@example.jp")
    first = start(client, "/procedures/aoba-city/residence-certificate")
    requester = {
        "name": "山田 花子",
        "birth_date": "1990-01-01",
        "email": "hanako@example.jp",
        "applying_as": "proxy",
    }
    proxy = client.post(first, data=requester).headers["Location"]
    assert proxy.endswith("/pages/proxy")
    principal = {
        "principal_name.family": "佐藤",
        "principal_name.given": "一郎",
        "principal_name.family_kana": "サトウ",
        "principal_name.given_kana": "イチロウ",
        "relationship": "叔父（別世帯）",
    }
    missing = client.post(proxy, data=principal)
    assert missing.status_code == 422
    assert "委任状を添付してください。" in missing.get_data(as_text=True)
    letter = post_page(client, proxy, {**principal, "authorisation": ("委任状.jpg", JPEG)})
    assert letter.status_code == 302 and letter.headers["Location"].endswith("/pages/request")
    answers = load(app, application_id(first)).answers
    assert answers["relationship"] == "叔父（別世帯）"
    assert answers["authorisation"][0]["type"] == "image/jpeg"
    # Applying for oneself skips the page, and its answers are not sent.
    client.post(first, data={**requester, "applying_as": "self"})
    check = client.post(
        letter.headers["Location"], data={"scope": "self", "copies": "1", "purpose": "免許"}
    ).headers["Location"]
    assert "委任状" not in client.get(check).get_data(as_text=True)
