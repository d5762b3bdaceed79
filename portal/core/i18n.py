"""Locale choice and localisation helpers shared by every area.

A locale has a code (BCP 47, as in the language cookie, URLs, users' profiles and the
keys of procedure texts: ``ja``, ``ja-easy``, ``en``, ``zh-Hans``…) and a Babel id (the
catalog's folder: ``ja``, ``ja@easy``, ``en``, ``zh_Hans``…). Easy Japanese is Japanese
to browsers (``lang="ja"``) and to Babel's formats; its messages are a domain of their
own (portal.core.easy_japanese).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from flask import Flask, has_request_context, request
from flask_babel import format_currency, format_date, format_datetime, format_decimal
from werkzeug.wrappers import Response

from forms import localise, to_seireki, to_wareki
from forms.translations import translation_summary
from portal.core.inline_markup import MARKERS, JapaneseText, text_only_places_cleaned

TOKYO = ZoneInfo("Asia/Tokyo")
DEFAULT = "ja"
EASY = "ja-easy"
#: The interface's languages, in the order of the language switch, by their own names.
LOCALE_NAMES = {
    "ja": "日本語",
    "ja-easy": "やさしい日本語",
    "en": "English",
    "zh-Hans": "简体中文",
    "zh-Hant": "繁體中文",
    "ko": "한국어",
    "vi": "Tiếng Việt",
    "pt-BR": "Português (Brasil)",
}
LOCALES = tuple(LOCALE_NAMES)
JAPANESE = frozenset({DEFAULT, EASY})
_BABEL_IDS = {EASY: "ja@easy", "zh-Hans": "zh_Hans", "zh-Hant": "zh_Hant", "pt-BR": "pt_BR"}
COOKIE = "lang"


def babel_locale(code: str) -> str:
    """The Babel id of a locale code (``zh-Hans`` → ``zh_Hans``, ``ja-easy`` → ``ja@easy``)."""
    return _BABEL_IDS.get(code, code)


def code_of(locale: Locale) -> str:
    """The locale code of a Babel locale (Japanese for one the portal does not offer)."""
    if locale.modifier == "easy":
        return EASY
    subtag = locale.script or locale.territory
    code = f"{locale.language}-{subtag}" if subtag else locale.language
    if code in LOCALE_NAMES:
        return code
    return locale.language if locale.language in LOCALE_NAMES else DEFAULT


def is_japanese(code: str) -> bool:
    """Whether a locale is Japanese (standard or easy): names, 円 and 和暦 are Japanese."""
    return code in JAPANESE


def html_lang(code: str | None = None) -> str:
    """The ``lang`` attribute of a locale (the current one by default): easy Japanese is
    Japanese, and ``ja-easy`` is no valid language tag."""
    code = code or current_locale()
    return DEFAULT if code == EASY else code


def from_accept_language(offered: Iterable[tuple[str, float]]) -> str | None:
    """The first locale the browser's languages ask for (best first), if any."""
    for tag, quality in offered:
        found = _matching(tag)
        if found and quality > 0:
            return found
    return None


def _matching(tag: str) -> str | None:
    """The locale code for one language tag: zh-TW → zh-Hant, pt → pt-BR…"""
    language, *rest = tag.replace("_", "-").lower().split("-")
    if language == "zh":
        # Traditional characters in Taiwan, Hong Kong and Macau; simplified elsewhere.
        return "zh-Hant" if {"hant", "tw", "hk", "mo"} & set(rest) else "zh-Hans"
    if language == "pt":
        return "pt-BR"
    return language if language in ("ja", "en", "ko", "vi") else None


def _saved_locale() -> str | None:
    """The locale a signed-in user chose last (kept in their profile)."""
    from flask_login import current_user

    locale = getattr(current_user, "locale", None) if current_user.is_authenticated else None
    return locale if locale in LOCALE_NAMES else None


def chosen_locale() -> str:
    """The locale code for this request: the language cookie, the signed-in user's saved
    choice, the browser's languages (Accept-Language), then Japanese."""
    if not has_request_context():
        return DEFAULT
    cookie = request.cookies.get(COOKIE)
    if cookie in LOCALE_NAMES:
        return cookie
    return _saved_locale() or from_accept_language(request.accept_languages) or DEFAULT


def select_locale() -> str:
    """Flask-Babel's locale selector: the Babel id of :func:`chosen_locale`."""
    return babel_locale(chosen_locale())


def current_locale() -> str:
    """Return the locale code of the current request (or of a forced locale)."""
    from flask_babel import get_locale

    locale = get_locale()
    return code_of(locale) if locale else DEFAULT


def text(value: Mapping[str, str] | None) -> str:
    """Localise a definition text (a mapping of locale to text) for this request.

    Japanese shown because the text has no translation into a non-Japanese locale is a
    :class:`JapaneseText`, marked ``lang="ja"`` in HTML.
    """
    locale = current_locale()
    shown = localise(value, locale)
    if shown and value and not value.get(locale) and html_lang(locale) != DEFAULT:
        return JapaneseText(shown)
    return shown


#: How much of a published version is written in a locale, by (id, checksum, locale):
#: published versions never change.
_translated: dict[tuple[int, str, str], str] = {}


def translation_state(version: Any, locale: str | None = None) -> str:
    """Whether a published procedure version (anything with ``id``, ``checksum`` and
    ``document``) is written in a locale (the current one by default): ``"complete"``,
    ``"partial"`` or ``"missing"``; what is missing is shown in Japanese."""
    locale = locale or current_locale()
    if locale == DEFAULT:
        return "complete"
    key = (version.id, version.checksum, locale)
    if key not in _translated:
        missing, total = translation_summary(version.document, [locale])[locale]
        state = "missing" if missing == total else "partial"
        _translated[key] = state if missing else "complete"
    return _translated[key]


def long_date(value: date | datetime | None) -> str:
    """Format a date for people; in Japanese with 和暦 first and 西暦 beside it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        # Stored moments are UTC; the day people mean is the day in Japan.
        value = value.astimezone(TOKYO) if value.tzinfo else value
        day = value.date()
    else:
        day = value
    if is_japanese(current_locale()):
        return f"{to_wareki(day)}（{to_seireki(day)}）"
    return str(format_date(day, "long"))


def date_time(value: datetime | None) -> str:
    """Format a moment (stored in UTC) in the portal's time zone."""
    return "" if value is None else str(format_datetime(value, "medium"))


def money(yen: int | None) -> str:
    """Format an amount of yen for the current locale (1,200円 in Japanese)."""
    if yen is None:
        return ""
    if is_japanese(current_locale()):
        return f"{format_decimal(yen)}円"
    return str(format_currency(yen, "JPY"))


def template_helpers() -> dict[str, Any]:
    """Names every template can use."""
    return {
        "text": text,
        "long_date": long_date,
        "date_time": date_time,
        "locales": LOCALE_NAMES,
        "current_locale": current_locale,
        "html_lang": html_lang,
        "translation_state": translation_state,
        "money": money,
        "number": format_decimal,
    }


def install(app: Flask) -> None:
    """Easy Japanese and inline markup: the gettext domain that reads the easy catalog,
    lazy translations resolved as templates print them, and pages cleaned of markup
    where it cannot stand (attribute values, titles)."""
    from flask_babel import get_babel

    from portal.core.easy_japanese import PortalDomain, resolved
    from portal.extensions import babel

    babel.domain_instance = PortalDomain(domain=get_babel(app).default_domain)
    app.jinja_env.finalize = resolved
    app.after_request(_clean_text_only_places)


def _clean_text_only_places(response: Response) -> Response:
    if response.mimetype != "text/html" or response.direct_passthrough or response.is_streamed:
        return response
    page = response.get_data(as_text=True)
    if any(marker in page for marker in MARKERS):
        response.set_data(text_only_places_cleaned(page))
    return response
