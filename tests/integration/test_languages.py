"""Eight languages: the switch, how a locale is chosen, easy Japanese with furigana,
formats per locale, and procedures shown in Japanese where they are not translated."""

from __future__ import annotations

import copy
import re
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from sqlalchemy import select

from forms.ruby import RubyText
from portal.accounts.models import User
from portal.catalog.models import Procedure
from portal.catalog.operations import publish_version
from portal.catalog.queries import latest_version
from portal.core.i18n import LOCALES, long_date, money
from portal.core.uow import commit
from portal.extensions import db
from tests.conftest import outbox, sign_in
from tests.integration.journey import start

RESIDENCE = "/procedures/aoba-city/residence-certificate"
NATIVE_NAMES = (
    "日本語",
    "やさしい日本語",
    "English",
    "简体中文",
    "繁體中文",
    "한국어",
    "Tiếng Việt",
    "Português (Brasil)",
)


def _lang(page: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', page)
    assert found, page[:200]
    return found.group(1)


def _saved_locale(app: Flask, email: str) -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user is not None
        return user.locale


# The switch and the choice of locale ---------------------------------------------------


@pytest.mark.parametrize(
    ("code", "lang"),
    [
        ("ja", "ja"),
        ("ja-easy", "ja"),  # easy Japanese is Japanese; "ja-easy" is no language tag
        ("en", "en"),
        ("zh-Hans", "zh-Hans"),
        ("zh-Hant", "zh-Hant"),
        ("ko", "ko"),
        ("vi", "vi"),
        ("pt-BR", "pt-BR"),
    ],
)
def test_each_locale_sets_the_page_language(
    client: FlaskClient, demo, code: str, lang: str
) -> None:
    response = client.get(f"/language/{code}?next=/")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert _lang(client.get("/").get_data(as_text=True)) == lang


def test_the_switch_lists_every_language_by_its_own_name(client: FlaskClient, demo) -> None:
    page = client.get("/").get_data(as_text=True)
    switch = re.search(r'<nav class="langbar".*?</nav>', page, re.S).group()  # type: ignore[union-attr]
    for name in NATIVE_NAMES:
        assert f">{name}<" in switch, name
    for code in LOCALES:
        if code != "ja":
            assert f'href="/language/{code}?next=/"' in switch, code
    assert 'lang="ja" hreflang="ja" href="/language/ja-easy' in switch
    assert 'lang="pt-BR" hreflang="pt-BR"' in switch and 'lang="zh-Hant"' in switch
    assert 'lang="ja-easy"' not in page


def test_the_switch_sets_the_cookie_and_the_signed_in_users_profile(
    app: Flask, client: FlaskClient, demo
) -> None:
    sign_in(client, "resident@example.jp")
    response = client.get("/language/vi?next=/applications")
    assert "lang=vi" in response.headers["Set-Cookie"]
    assert _saved_locale(app, "resident@example.jp") == "vi"
    # On another device (no cookie) the profile decides, before the browser's languages.
    other = app.test_client()
    sign_in(other, "resident@example.jp")
    page = other.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert _lang(page) == "vi"
    other.set_cookie("lang", "ko")  # the cookie comes first
    assert _lang(other.get("/").get_data(as_text=True)) == "ko"


def test_signed_out_visitors_choose_by_cookie_only(app: Flask, client: FlaskClient, demo) -> None:
    client.get("/language/zh-Hans")
    assert _lang(client.get("/").get_data(as_text=True)) == "zh-Hans"
    assert _saved_locale(app, "resident@example.jp") == "ja"


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("zh-TW", "zh-Hant"),
        ("zh-HK,zh;q=0.9", "zh-Hant"),
        ("zh-Hant-TW", "zh-Hant"),
        ("zh-CN,zh;q=0.9", "zh-Hans"),
        ("zh-SG", "zh-Hans"),
        ("pt", "pt-BR"),
        ("pt-PT,en;q=0.5", "pt-BR"),
        ("pt-BR", "pt-BR"),
        ("ko-KR,ko;q=0.9", "ko"),
        ("vi-VN", "vi"),
        ("fr-FR,de;q=0.8", "ja"),
        ("fr-FR,vi;q=0.7,en;q=0.5", "vi"),
    ],
)
def test_accept_language_is_mapped_to_the_portals_locales(
    client: FlaskClient, demo, header: str, lang: str
) -> None:
    page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert _lang(page) == lang


def test_unknown_codes_are_refused(client: FlaskClient, demo) -> None:
    for code in ("xx", "ja_easy", "zh", "pt"):
        assert client.get(f"/language/{code}").status_code == 404, code
    client.set_cookie("lang", "fr")
    assert _lang(client.get("/").get_data(as_text=True)) == "ja"


# Easy Japanese --------------------------------------------------------------------------


def test_easy_japanese_pages_show_furigana_as_ruby(client: FlaskClient, demo) -> None:
    client.set_cookie("lang", "ja-easy")
    page = client.get("/").get_data(as_text=True)
    assert _lang(page) == "ja"
    assert re.search(r"<ruby>[^<]+<rp>（</rp><rt>[^<]+</rt><rp>）</rp></ruby>", page)
    assert "《" not in page and "》" not in page
    # Furigana stays out of places that hold text only: the title and attribute values.
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)  # type: ignore[union-attr]
    assert "<" not in title and title.strip()
    for value in re.findall(r'(?:aria-label|alt|title|placeholder|value)="([^"]*)"', page):
        assert "<" not in value, value


def test_easy_japanese_messages_from_python_keep_their_furigana(
    app: Flask, client: FlaskClient, demo
) -> None:
    client.set_cookie("lang", "ja-easy")
    sign_in(client, "resident@example.jp")
    first = start(client, RESIDENCE)
    page = client.post(first, data={}).get_data(as_text=True)  # nothing answered
    # The error messages come from _() in Python, with the question's label filled in.
    links = re.findall(r'<li><a href="#field-[^"]+">(.*?)</a></li>', page, re.S)
    assert links and all("<ruby>" in link for link in links)
    assert "《" not in page
    # Lazy translations (_l), such as the labels of the account forms, keep it too.
    register = app.test_client()
    register.set_cookie("lang", "ja-easy")
    page = register.get("/account/register").get_data(as_text=True)
    label = re.search(r'<label for="family_name">(.*?)</label>', page)
    assert label and "<ruby>" in label.group(1)


def test_an_email_in_easy_japanese_has_no_furigana_notation(
    app: Flask, client: FlaskClient
) -> None:
    client.set_cookie("lang", "ja-easy")
    client.post(
        "/account/register",
        data={
            "email": "easy@example.jp",
            "password": "a long enough password",
            "password_confirm": "a long enough password",
            "family_name": "山田",
            "given_name": "太郎",
        },
    )
    assert _saved_locale(app, "easy@example.jp") == "ja-easy"
    (message,) = outbox(app)
    plain = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    for part in (message["Subject"], plain, html):
        assert "《" not in part and "》" not in part and "<ruby>" not in part
    with app.test_request_context(), force_locale("ja@easy"):
        subject = gettext("Confirm your e-mail address")
    assert isinstance(subject, RubyText) and "<ruby>" in subject.__html__()
    assert message["Subject"] == str(subject)  # the easy wording, its kanji kept
    assert '<html lang="ja">' in html


def _publish_with_texts(app: Flask, slug: str, **texts: dict[str, str]) -> str:
    """Publish a copy of the residence certificate procedure with some texts replaced."""
    with app.app_context():
        model = db.session.scalar(
            select(Procedure).where(Procedure.slug == "residence-certificate")
        )
        assert model is not None
        document = copy.deepcopy(latest_version(model).document)  # type: ignore[union-attr]
        document.update(texts)
        created = Procedure(tenant_id=model.tenant_id, slug=slug, department_id=model.department_id)
        db.session.add(created)
        db.session.flush()
        publish_version(created, document, actor=None)
        commit()
    return f"/procedures/aoba-city/{slug}"


def test_a_procedures_easy_japanese_text_shows_its_furigana(
    app: Flask, client: FlaskClient, demo
) -> None:
    title = {"ja": "住民票の写しの請求", "ja-easy": "住民票《じゅうみんひょう》を もらう"}
    url = _publish_with_texts(app, "easy-residence", title=title)
    client.set_cookie("lang", "ja-easy")
    page = client.get(url).get_data(as_text=True)
    assert (
        "<h1><ruby>住民票<rp>（</rp><rt>じゅうみんひょう</rt><rp>）</rp></ruby>を もらう</h1>"
        in page
    )
    assert re.search(r"<title>住民票を もらう \|", page)
    client.set_cookie("lang", "ja")
    assert "<h1>住民票の写しの請求</h1>" in client.get(url).get_data(as_text=True)


# Formats --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "day", "amount"),
    [
        ("ja", "令和8年12月1日（2026年12月1日）", "1,200円"),
        ("ja-easy", "令和8年12月1日（2026年12月1日）", "1,200円"),
        ("en", "December 1, 2026", "¥1,200"),
        ("ko", "2026년 12월 1일", "JP¥1,200"),
        ("pt-BR", "1 de dezembro de 2026", "JP¥\xa01.200"),
        ("zh-Hant", "2026年12月1日", "¥1,200"),
    ],
)
def test_dates_and_money_are_formatted_for_the_locale(
    app: Flask, code: str, day: str, amount: str
) -> None:
    with app.test_request_context(headers={"Cookie": f"lang={code}"}):
        assert long_date(date(2026, 12, 1)) == day
        assert money(1200) == amount


@pytest.mark.parametrize("code", ["ja", "ja-easy"])
def test_japanese_dates_show_wareki_beside_seireki_on_pages(
    app: Flask, client: FlaskClient, demo, code: str
) -> None:
    period = {"opens": "2026-04-01", "closes": "2030-03-31"}
    url = _publish_with_texts(app, "with-period", application_period=period)
    client.set_cookie("lang", code)
    box = re.search(
        r'<div class="flash[^"]*" id="period">.*?</div>',
        client.get(url).get_data(as_text=True),
        re.S,
    )
    assert box and "令和8年4月1日（2026年4月1日）" in box.group()
    assert "令和12年3月31日（2030年3月31日）" in box.group()
    client.set_cookie("lang", "en")
    assert "March 31, 2030" in client.get(url).get_data(as_text=True)


# Procedures that are not translated -----------------------------------------------------


def test_a_procedure_without_korean_is_shown_in_japanese_with_a_note(
    client: FlaskClient, demo
) -> None:
    client.set_cookie("lang", "ko")
    page = client.get(RESIDENCE).get_data(as_text=True)
    assert 'data-translation="missing"' in page
    assert "<h1><span lang=ja>住民票の写し等交付請求</span></h1>" in page
    assert re.search(r"<title>住民票の写し等交付請求 \|", page)  # no markup in the title
    client.set_cookie("lang", "en")  # the demo procedures are in English
    page = client.get(RESIDENCE).get_data(as_text=True)
    assert "data-translation" not in page and "<span lang=ja>" not in page


def test_the_wizard_notes_the_japanese_too(client: FlaskClient, demo) -> None:
    sign_in(client, "resident@example.jp")
    client.get("/language/ko")
    page = client.get(start(client, RESIDENCE)).get_data(as_text=True)
    assert 'data-translation="missing"' in page
    assert re.search(r"<label for=\"field-\w+\"><span lang=ja>", page)


def test_a_partly_translated_procedure_says_so(app: Flask, client: FlaskClient, demo) -> None:
    title = {"ja": "住民票の写しの請求", "ko": "주민표 사본 청구"}
    url = _publish_with_texts(app, "partly-korean", title=title)
    client.set_cookie("lang", "ko")
    page = client.get(url).get_data(as_text=True)
    assert 'data-translation="partial"' in page
    assert "<h1>주민표 사본 청구</h1>" in page
    assert '<p class="lead"><span lang=ja>' in page


# The builder ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page_locale", "name"), [("en", "Easy Japanese"), ("ja", "やさしい日本語")]
)
def test_the_builder_offers_easy_japanese_first(
    app: Flask, client: FlaskClient, demo, page_locale: str, name: str
) -> None:
    from tests.integration.test_builder_tabs import BASE, OWNER, _create, _document

    sign_in(client, OWNER)
    client.set_cookie("lang", page_locale)
    procedure_id = _create(client, app)
    page = client.get(f"{BASE}/{procedure_id}/translations").get_data(as_text=True)
    chips = re.findall(r"locale=([\w-]+)\"[^>]*>([^:<]+):", page)
    assert [code for code, _ in chips][:2] == ["ja-easy", "en"]
    assert chips[0][1] == name and len(chips) == 7
    assert 'lang="ja"' in page and 'lang="ja-easy"' not in page  # the inputs are Japanese
    fingerprint = re.search(r'name="fingerprint" value="(\w+)"', page).group(1)  # type: ignore[union-attr]
    data = {"fingerprint": fingerprint, "t1": "犬《いぬ》の 登録《とうろく》"}
    response = client.post(f"{BASE}/{procedure_id}/translations?locale=ja-easy", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _document(app, procedure_id)["title"]["ja-easy"] == "犬《いぬ》の 登録《とうろく》"
