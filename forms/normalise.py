"""Input normalisation applied before validation; every function is idempotent.

Control characters are not normalised away silently: :func:`has_control_characters`
finds the ones the field types refuse (code ``control_characters``), while the
invisible characters that copy and paste brings along are removed by
:func:`remove_invisible`.
"""

from __future__ import annotations

import re
import unicodedata

import jaconv

_SPACES = re.compile(r"[\s\u3000]+")
# Hyphen look-alikes residents type in numbers, postcodes and phone numbers.
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−ーｰ－"})
# The same look-alikes between two digits of an address ("1ー2" typed with an IME).
_DIGIT_DASH = re.compile(r"(?<=[0-9])[‐‑‒–—―−ーｰ－](?=[0-9])")

#: Invisible characters that arrive with copied text and mean nothing in an answer:
#: soft hyphen, zero-width space, left-to-right and right-to-left marks, word joiner
#: and the byte order mark. They are removed. Joiners (U+200C, U+200D) and variation
#: selectors (異体字 such as 葛󠄀) are kept: they change what is shown.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200e\u200f\u2060\ufeff"))

#: Characters refused in any answer: C0 and C1 control characters other than the
#: whitespace ones (tab, line breaks, which normalisation turns into spaces or keeps
#: as line breaks), DEL, bidirectional embeddings, overrides and isolates (they make
#: text display differently from what it is, "Trojan Source"), lone surrogates (they
#: cannot be stored as UTF-8) and the noncharacters U+FFFE and U+FFFF.
_REFUSED = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)

#: CJK compatibility ideographs. Canonical normalisation (NFC, not only NFKC) turns
#: most of them into their unified counterparts (塚 U+FA10 into 塚 U+585A), but they
#: are the characters people have registered for their names, so they are kept.
_COMPAT_IDEOGRAPHS = re.compile("([\uf900-\ufaff\U0002f800-\U0002fa1f]+)")

#: Apostrophe look-alikes in names written in the alphabet (O’Brien).
_APOSTROPHES = str.maketrans({c: "'" for c in "’‘`´′＇"})


def to_half_width(text: str) -> str:
    """Turn full-width ASCII letters, digits and symbols into half-width ones."""
    return str(jaconv.z2h(text, kana=False, ascii=True, digit=True))


def collapse_spaces(text: str) -> str:
    """Trim and turn runs of ASCII or ideographic spaces into one space."""
    return _SPACES.sub(" ", text).strip()


def remove_invisible(text: str) -> str:
    """Remove invisible characters that copy and paste brings along (see _INVISIBLE)."""
    return text.translate(_INVISIBLE)


def has_control_characters(text: str) -> bool:
    """Return True when the text holds a character no answer may contain.

    Those are control characters other than tab and line breaks, bidirectional
    controls, lone surrogates and the noncharacters U+FFFE and U+FFFF. They are
    refused rather than removed: nothing a person types produces them, and dropping
    them silently could change what the text says.
    """
    return _REFUSED.search(text) is not None


def canonical(text: str) -> str:
    """Apply NFC (composing か + ゛ into が) but keep CJK compatibility ideographs."""
    parts = _COMPAT_IDEOGRAPHS.split(text)
    # split() with a group puts the ideograph runs at the odd positions.
    return "".join(
        part if i % 2 else unicodedata.normalize("NFC", part) for i, part in enumerate(parts)
    )


def normalise_text(text: str) -> str:
    """Normalise free text: trim, collapse spaces, half-width kana to full-width.

    NFKC is deliberately not applied: it would rewrite CJK compatibility ideographs
    that people use in their names, and so would NFC for most of them, which is why
    :func:`canonical` applies NFC around them only.
    """
    widened = str(jaconv.h2z(text, kana=True, ascii=False, digit=False))
    return canonical(collapse_spaces(widened))


def normalise_number(text: str) -> str:
    """Normalise a typed number: half-width digits, no spaces or thousands separators."""
    half = to_half_width(text).translate(_DASHES)
    return re.sub(r"[\s,，、]", "", half)


def normalise_email(text: str) -> str:
    """Normalise an e-mail address typed with a Japanese keyboard."""
    return to_half_width(text).replace("＠", "@").strip()


def normalise_code(text: str) -> str:
    """Normalise a code made of digits (postcode, phone or identification number).

    Digits and symbols become half-width, hyphen look-alikes (ー, －, ‐, −…) become
    "-", and every space is removed.
    """
    half = to_half_width(text).translate(_DASHES)
    return re.sub(r"[\s\u3000]+", "", half)


def to_katakana(text: str) -> str:
    """Normalise フリガナ: hiragana and half-width katakana become full-width katakana."""
    return str(jaconv.hira2kata(normalise_text(text)))


def normalise_address_line(text: str) -> str:
    """Normalise a line of an address: full-width letters and digits become half-width,
    and a hyphen look-alike between two digits becomes "-" (千代田１ー１ → 千代田1-1).

    Katakana keeps its long vowel mark (メゾン・ド・ソレーユ): only a mark between two
    digits is a hyphen.
    """
    half = to_half_width(normalise_text(text))
    return _DIGIT_DASH.sub("-", half)


def normalise_alphabet_name(text: str) -> str:
    """Normalise a name written in the alphabet, as on a residence card.

    Letters become half-width capitals, apostrophe look-alikes become "'", and commas
    ("SMITH, JOHN") become spaces.
    """
    half = to_half_width(normalise_text(text)).translate(_APOSTROPHES)
    return collapse_spaces(half.replace(",", " ")).upper()
