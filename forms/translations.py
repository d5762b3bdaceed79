"""Which texts of a procedure are translated into which languages.

Every label, hint, choice, title and message of a definition is a *text*: a mapping
from locale codes to strings, such as ``{"ja": "氏名", "en": "Full name"}``. Japanese is
required (the schema says so, and blank Japanese is refused here); other locales fall
back to Japanese when shown (forms.model.localise) and are reported as missing, so
that a procedure owner knows what remains to translate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from forms.model import DEFAULT_LOCALE

_LOCALE = re.compile(r"^[a-z]{2}(-[A-Za-z]+)?$")


def is_text(value: Any) -> bool:
    """A text maps locale codes (ja, en, zh-Hans…) to strings and has Japanese, which the
    schema requires of every text (so that ``{"id": "check"}`` is not taken for one)."""
    return (
        isinstance(value, Mapping)
        and DEFAULT_LOCALE in value
        and all(isinstance(k, str) and _LOCALE.match(k) for k in value)
        and all(isinstance(v, str) for v in value.values())
    )


def texts(document: Any, path: str = "") -> Iterator[tuple[str, Mapping[str, str]]]:
    """Every text in a document with its path, such as ``form.pages[0].fields[2].label``."""
    if is_text(document):
        yield path, document
    elif isinstance(document, Mapping):
        for key, value in document.items():
            yield from texts(value, f"{path}.{key}" if path else str(key))
    elif isinstance(document, list | tuple):
        for index, item in enumerate(document):
            yield from texts(item, f"{path}[{index}]")


def _blank(text: Mapping[str, str], locale: str) -> bool:
    return not (text.get(locale) or "").strip()


def missing_translations(document: Any, locales: Sequence[str]) -> dict[str, list[str]]:
    """For each locale, the paths of the texts that have nothing in it."""
    found = list(texts(document))
    return {locale: [path for path, text in found if _blank(text, locale)] for locale in locales}


def translation_summary(document: Any, locales: Sequence[str]) -> dict[str, tuple[int, int]]:
    """For each locale, how many texts are missing out of how many there are."""
    total = sum(1 for _ in texts(document))
    missing = missing_translations(document, locales)
    return {locale: (len(missing[locale]), total) for locale in locales}


def japanese_problems(document: Any) -> list[str]:
    """Texts whose Japanese is blank: Japanese is what every other language falls back to."""
    return [
        f"{path}: the Japanese text is empty"
        for path, text in texts(document)
        if _blank(text, DEFAULT_LOCALE)
    ]
