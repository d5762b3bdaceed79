"""Japanese era dates (和暦): formatting and lenient parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from forms.normalise import to_half_width


@dataclass(frozen=True)
class Era:
    """One Japanese era and the first day it was in force."""

    name: str
    letter: str
    start: date
    #: The Gregorian year of the era's first year (元年); before start.year only for 明治.
    first_year: int


# Newest first so that lookups by date find the current era at once.
ERAS: tuple[Era, ...] = (
    Era("令和", "R", date(2019, 5, 1), 2019),
    Era("平成", "H", date(1989, 1, 8), 1989),
    Era("昭和", "S", date(1926, 12, 25), 1926),
    Era("大正", "T", date(1912, 7, 30), 1912),
    # 明治元年 is 1868, but the Gregorian calendar was adopted on Meiji 6-01-01.
    Era("明治", "M", date(1873, 1, 1), 1868),
)

_ISO = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_ERA = re.compile(
    r"^(令和|平成|昭和|大正|明治|[RHSTM])(元|\d{1,2})[年./-](\d{1,2})[月./-](\d{1,2})日?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def era_of(day: date) -> Era | None:
    """Return the era a Gregorian date falls in, or None before Meiji 6."""
    for era in ERAS:
        if day >= era.start:
            return era
    return None


def to_wareki(day: date) -> str:
    """Format a date as 和暦, writing the first year of an era as 元年."""
    era = era_of(day)
    if era is None:
        return f"{day.year}年{day.month}月{day.day}日"
    year = day.year - era.first_year + 1
    year_text = "元" if year == 1 else str(year)
    return f"{era.name}{year_text}年{day.month}月{day.day}日"


def to_seireki(day: date) -> str:
    """Format a date in the Gregorian calendar the Japanese way (2024年4月1日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def parse_date(text: str) -> date:
    """Parse an ISO, slashed, kanji or 和暦 date written with any width of digits.

    Raises ValueError when the text is not a date, or when a 和暦 date lies outside
    the era it names (平成31年5月1日 does not exist: 令和 had begun).
    """
    cleaned = to_half_width(text).replace(" ", "").strip()
    cleaned = cleaned.upper() if cleaned[:1].isascii() else cleaned
    for pattern in (_ISO, _COMPACT):
        match = pattern.match(cleaned)
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
    match = _ERA.match(cleaned)
    if not match:
        raise ValueError(f"not a date: {text!r}")
    return _from_era(match[1], match[2], int(match[3]), int(match[4]))


def _from_era(name: str, year_text: str, month: int, day: int) -> date:
    """Turn era, era year, month and day into a date checked against the era's span."""
    era = next(e for e in ERAS if name in (e.name, e.letter))
    year = 1 if year_text == "元" else int(year_text)
    if year < 1:
        raise ValueError("era years start at 1")
    result = date(era.first_year + year - 1, month, day)
    if era_of(result) != era:
        raise ValueError(f"{name}{year_text}年{month}月{day}日 is outside the era")
    return result
