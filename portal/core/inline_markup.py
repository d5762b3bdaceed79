"""Inline markup that strings carry into HTML pages, and the places it must not stay.

Two kinds of strings add a little markup of their own when autoescaped into a page:
easy Japanese with furigana (:class:`forms.ruby.RubyText` gives ``<ruby>``) and Japanese
shown in place of a missing translation (:class:`JapaneseText` gives ``<span lang=ja>``).
Neither contains a quote, so in an attribute value it cannot end the attribute; but
Jinja cannot tell an attribute or a ``<title>`` from body text, so after rendering,
:func:`text_only_places_cleaned` takes that markup out of attribute values and of the
elements that hold text only (title, option, textarea), keeping the words. It removes
only this markup: anything else is left exactly as rendered.
"""

from __future__ import annotations

import re

from markupsafe import Markup

#: The marks whose presence makes a page worth cleaning.
MARKERS = ("<ruby>", "<span lang=ja>")


class JapaneseText(str):
    """Japanese shown in place of a missing translation: marked ``lang=ja`` in HTML."""

    def __html__(self) -> Markup:
        """The text in a span that tells browsers and screen readers it is Japanese."""
        # Unquoted, so that it cannot end an attribute value it is put into by mistake.
        return Markup("<span lang=ja>%s</span>") % str(self)


_READINGS = re.compile(r"<rp>[^<>]*</rp>|<rt>[^<>]*</rt>")
_OWN_TAGS = r"</?ruby>|<span lang=ja>|</span>"
_OWN_TAG = re.compile(_OWN_TAGS)
#: A start tag, its quoted attribute values taken whole (they may hold "<" and ">").
_START_TAG = re.compile(
    r"""<[A-Za-z][^\s/>]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>"""
)
_QUOTED = re.compile(r"""(=\s*)("[^"]*"|'[^']*')""")
#: Elements that hold text only, when their content is text and this markup alone.
_TEXT_ONLY = re.compile(
    rf"(<(title|option|textarea)\b[^<>]*>)((?:[^<]|<rp>[^<>]*</rp>|<rt>[^<>]*</rt>|{_OWN_TAGS})*)(</\2>)",
    re.IGNORECASE,
)


def _words(fragment: str) -> str:
    """A fragment without readings and without this markup's tags."""
    if "<" not in fragment:
        return fragment
    return _OWN_TAG.sub("", _READINGS.sub("", fragment))


def _tag_cleaned(match: re.Match[str]) -> str:
    tag = match.group()
    if "<" not in tag[1:]:
        return tag
    return _QUOTED.sub(lambda m: m.group(1) + _words(m.group(2)), tag)


def text_only_places_cleaned(html: str) -> str:
    """The page without furigana and lang marks in attribute values and text-only elements."""
    if not any(marker in html for marker in MARKERS):
        return html
    html = _START_TAG.sub(_tag_cleaned, html)
    return _TEXT_ONLY.sub(lambda m: m.group(1) + _words(m.group(3)) + m.group(4), html)
