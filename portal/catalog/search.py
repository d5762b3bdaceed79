"""Finding a procedure by what residents type: full- or half-width, hiragana or katakana.

A portal holds hundreds of procedures, not millions, so matching runs over the published
list in Python; the normalisation is what matters. Both the query and the text are
folded the same way: NFKC (全角 letters and digits, half-width kana), lower case,
katakana to hiragana, and no spaces, so "ｼﾞｭｳﾐﾝﾋｮｳ", "じゅうみんひょう" and "ジュウミンヒョウ"
meet, and "住民票 写し" finds "住民票の写し".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

import jaconv

T = TypeVar("T")


def fold(text: str) -> str:
    """Fold text for matching (see the module docstring)."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(str(jaconv.kata2hira(folded)).split())


def terms(query: str) -> list[str]:
    """The words of a query, folded; spaces of either width separate them."""
    words = unicodedata.normalize("NFKC", query).split()
    return [folded for word in words if (folded := fold(word))]


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, Mapping):
        return [str(v) for v in value.values() if isinstance(v, str)]
    return [value] if isinstance(value, str) else []


def haystacks(document: Mapping[str, Any]) -> tuple[str, str]:
    """The folded title, and everything else searchable: description, keywords,
    eligibility (in every language the procedure has)."""
    title = " ".join(_texts(document.get("title")))
    rest = " ".join(
        text
        for key in ("description", "keywords", "eligibility")
        for text in _texts(document.get(key))
    )
    return fold(title), fold(rest)


def search(items: Sequence[T], documents: Sequence[Mapping[str, Any]], query: str) -> list[T]:
    """The items whose document holds every word of the query; title matches first."""
    words = terms(query)
    if not words:
        return list(items)
    ranked: list[tuple[int, int, T]] = []
    for position, (item, document) in enumerate(zip(items, documents, strict=True)):
        title, rest = haystacks(document)
        if all(word in title or word in rest for word in words):
            in_title = sum(word in title for word in words)
            ranked.append((-in_title, position, item))
    return [item for _, _, item in sorted(ranked, key=lambda entry: entry[:2])]
