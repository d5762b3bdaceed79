"""Input normalisation applied before validation; every function is idempotent."""

from __future__ import annotations

import re
import unicodedata

import jaconv

_SPACES = re.compile(r"[\s\u3000]+")
# Hyphen look-alikes residents type in numbers, postcodes and phone numbers.
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−ーｰ－"})


def to_half_width(text: str) -> str:
    """Turn full-width ASCII letters, digits and symbols into half-width ones."""
    return str(jaconv.z2h(text, kana=False, ascii=True, digit=True))


def collapse_spaces(text: str) -> str:
    """Trim and turn runs of ASCII or ideographic spaces into one space."""
    return _SPACES.sub(" ", text).strip()


def normalise_text(text: str) -> str:
    """Normalise free text: trim, collapse spaces, half-width kana to full-width.

    NFKC is deliberately not applied: it would rewrite CJK compatibility ideographs
    that people use in their names.
    """
    widened = str(jaconv.h2z(text, kana=True, ascii=False, digit=False))
    return unicodedata.normalize("NFC", collapse_spaces(widened))


def normalise_number(text: str) -> str:
    """Normalise a typed number: half-width digits, no spaces or thousands separators."""
    half = to_half_width(text).translate(_DASHES)
    return re.sub(r"[\s,，、]", "", half)


def normalise_email(text: str) -> str:
    """Normalise an e-mail address typed with a Japanese keyboard."""
    return to_half_width(text).replace("＠", "@").strip()
