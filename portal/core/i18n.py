"""Locale choice and localisation helpers shared by every area."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import request
from flask_babel import format_currency, format_date, format_datetime, format_decimal

from forms import localise, to_seireki, to_wareki

TOKYO = ZoneInfo("Asia/Tokyo")
LOCALES = ("ja", "en")
LOCALE_NAMES = {"ja": "日本語", "en": "English"}
COOKIE = "lang"


def select_locale() -> str:
    """Choose the locale: the language cookie, then Accept-Language, then Japanese."""
    chosen = request.cookies.get(COOKIE)
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(LOCALES) or "ja"


def current_locale() -> str:
    """Return the locale of the current request."""
    from flask_babel import get_locale

    locale = get_locale()
    return str(locale.language) if locale else "ja"


def text(value: Mapping[str, str] | None) -> str:
    """Localise a definition text (a mapping of locale to text) for this request."""
    return localise(value, current_locale())


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
    if current_locale() == "ja":
        return f"{to_wareki(day)}（{to_seireki(day)}）"
    return str(format_date(day, "long"))


def date_time(value: datetime | None) -> str:
    """Format a moment (stored in UTC) in the portal's time zone."""
    return "" if value is None else str(format_datetime(value, "medium"))


def money(yen: int | None) -> str:
    """Format an amount of yen for the current locale (1,200円 in Japanese)."""
    if yen is None:
        return ""
    if current_locale() == "ja":
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
        "money": money,
        "number": format_decimal,
    }
