"""Furigana written in Aozora Bunko notation, for easy Japanese (やさしい日本語).

``漢字《かんじ》`` gives the reading of the run of kanji just before 《 (CJK ideographs
and 々〆〇ヶ); ``｜base《reading》`` marks where the base starts, for a base that is not
only kanji (``｜1日《ついたち》``). Anything that does not fit (no kanji before 《, a
missing 》, brackets inside a reading, a ｜ with no 《…》 after it) stays as it is, as
text, so a typing slip never hides words; :func:`problems` names such slips for the
catalog checks.

:class:`RubyText` carries the notation through the portal: as a string it is the plain
text (what e-mails, PDFs, CSV files and attribute values get), and its ``__html__`` is
the same text with ``<ruby>`` (what autoescaped HTML gets), built from escaped parts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from markupsafe import Markup, escape

BAR = "｜"
OPEN = "《"
CLOSE = "》"
NOTATION = frozenset(BAR + OPEN + CLOSE)
#: Not ideographs, but kanji for furigana: 々 (repeat), 〆, 〇 and the small ヶ of 一ヶ月.
_KANJI_MARKS = frozenset("々〆〇ヶ")
_KANJI_RANGES = (
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # Unified Ideographs
    (0xF900, 0xFAFF),  # Compatibility Ideographs
    (0x20000, 0x3FFFF),  # Extensions B and later, and their compatibility supplement
)


class Ruby(NamedTuple):
    """A base text and its reading."""

    base: str
    reading: str


Segment = str | Ruby


def is_kanji(character: str) -> bool:
    """Whether a character takes furigana without a ｜ mark."""
    code = ord(character)
    return character in _KANJI_MARKS or any(low <= code <= high for low, high in _KANJI_RANGES)


def has_notation(text: str) -> bool:
    """Whether a text may hold furigana (it has a 《, 》 or ｜)."""
    return not NOTATION.isdisjoint(text)


def _reading_at(text: str, start: int) -> tuple[str, int] | None:
    """The reading of the 《 at ``start`` and the index after its 》, when well formed."""
    close = text.find(CLOSE, start + 1)
    reading = text[start + 1 : close]
    if close == -1 or not reading.strip() or not NOTATION.isdisjoint(reading):
        return None
    return reading, close + 1


def _explicit(text: str, start: int) -> tuple[Ruby, int] | None:
    """The ruby that a ｜ at ``start`` begins, and the index after it, when well formed."""
    opening = text.find(OPEN, start + 1)
    base = text[start + 1 : opening]
    if opening == -1 or not base or not NOTATION.isdisjoint(base):
        return None
    found = _reading_at(text, opening)
    return None if found is None else (Ruby(base, found[0]), found[1])


def _split_kanji_tail(plain: str) -> tuple[str, str]:
    """Split text into what comes before its final run of kanji, and that run."""
    start = len(plain)
    while start > 0 and is_kanji(plain[start - 1]):
        start -= 1
    return plain[:start], plain[start:]


def parse(text: str) -> list[Segment]:
    """Split text into plain strings and :class:`Ruby` pairs (adjacent strings joined)."""
    segments: list[Segment] = []
    plain: list[str] = []
    position = 0
    while position < len(text):
        character = text[position]
        found: tuple[Ruby, int] | None = None
        if character == BAR:
            found = _explicit(text, position)
        elif character == OPEN:
            before, base = _split_kanji_tail("".join(plain))
            reading = _reading_at(text, position) if base else None
            if reading is not None:
                plain = [before]
                found = (Ruby(base, reading[0]), reading[1])
        if found is None:
            plain.append(character)
            position += 1
            continue
        segments.extend(_flush(plain))
        segments.append(found[0])
        plain, position = [], found[1]
    segments.extend(_flush(plain))
    return segments


def _flush(plain: list[str]) -> Iterator[str]:
    joined = "".join(plain)
    if joined:
        yield joined


def strip(text: str) -> str:
    """The text without its readings: ``漢字《かんじ》`` becomes ``漢字``."""
    if not has_notation(text):
        return text
    return "".join(s if isinstance(s, str) else s.base for s in parse(text))


_RUBY = Markup("<ruby>{}<rp>（</rp><rt>{}</rt><rp>）</rp></ruby>")


def to_html(text: str) -> Markup:
    """The text as HTML with ``<ruby>`` for each reading; every part is escaped first."""
    return Markup("").join(
        escape(s) if isinstance(s, str) else _RUBY.format(s.base, s.reading) for s in parse(text)
    )


def problems(text: str) -> list[str]:
    """What is wrong with the notation in a text, in words (empty when well formed)."""
    found = []
    for segment in parse(text):
        if isinstance(segment, Ruby):
            if any(is_kanji(c) for c in segment.reading):
                found.append(f"the reading 《{segment.reading}》 of 「{segment.base}」 has kanji")
            continue
        for character in sorted(NOTATION.intersection(segment)):
            found.append(f"「{character}」 in 「{segment}」 is not part of a reading")
    return found


class RubyText(str):
    """A string whose text is plain and whose HTML (``__html__``) has furigana."""

    _html: Markup

    def __new__(cls, source: str) -> RubyText:
        """Read furigana notation from ``source``."""
        return cls.of(strip(source), to_html(source))

    @classmethod
    def of(cls, plain: str, html: Markup) -> RubyText:
        """Pair a plain text with its HTML."""
        made = super().__new__(cls, plain)
        made._html = html
        return made

    def __html__(self) -> Markup:
        """The text as HTML, with ``<ruby>``."""
        return self._html

    def __mod__(self, values: Any) -> RubyText:
        """Fill in placeholders in both forms; values are escaped in the HTML one."""
        return RubyText.of(str(self) % values, self._html % values)

    def __reduce__(self) -> tuple[Callable[[str, Markup], RubyText], tuple[str, Markup]]:
        """Pickled and copied as both forms, so that a copy keeps its HTML."""
        return RubyText.of, (str(self), self._html)
