"""Furigana and lang marks are taken out of attribute values and text-only elements."""

from __future__ import annotations

from markupsafe import escape

from forms.ruby import RubyText
from portal.core.inline_markup import JapaneseText, text_only_places_cleaned

KANJI = RubyText("漢字《かんじ》")
RUBY = "<ruby>漢字<rp>（</rp><rt>かんじ</rt><rp>）</rp></ruby>"


def test_japanese_text_is_marked_for_screen_readers() -> None:
    assert escape(JapaneseText("申請")) == "<span lang=ja>申請</span>"
    assert escape(JapaneseText("<b>")) == "<span lang=ja>&lt;b&gt;</span>"
    assert JapaneseText("申請") == "申請"


def test_body_text_keeps_its_markup() -> None:
    page = f"<p>{escape(KANJI)}</p><p>{escape(JapaneseText('申請'))}</p>"
    assert text_only_places_cleaned(page) == page


def test_attribute_values_lose_it() -> None:
    page = (
        f'<nav aria-label="{escape(KANJI)}を見る">'
        f"<img alt='{escape(JapaneseText('申請'))}' src=\"/a.png\">"
        f'<input type="submit" value="{escape(KANJI)}" disabled></nav><p>{RUBY}</p>'
    )
    assert text_only_places_cleaned(page) == (
        '<nav aria-label="漢字を見る"><img alt=\'申請\' src="/a.png">'
        f'<input type="submit" value="漢字" disabled></nav><p>{RUBY}</p>'
    )


def test_title_option_and_textarea_lose_it() -> None:
    page = (
        f"<title>{RUBY} | まどぐち</title>"
        f'<select><option value="a" selected>{RUBY}と{escape(JapaneseText("申請"))}</option>'
        f"<option>b</option></select><textarea>{RUBY}</textarea><p>{RUBY}</p>"
    )
    assert text_only_places_cleaned(page) == (
        "<title>漢字 | まどぐち</title>"
        '<select><option value="a" selected>漢字と申請</option>'
        f"<option>b</option></select><textarea>漢字</textarea><p>{RUBY}</p>"
    )


def test_other_markup_and_text_are_left_alone() -> None:
    page = (
        '<p>a="b</p><p class="x">' + RUBY + "</p>"
        '<a href="/x?a=1&amp;b=2" title="&lt;b&gt;">x</a><title><b>keep</b></title>'
    )
    assert text_only_places_cleaned(page) == page
    assert text_only_places_cleaned("<p>no marks</p>") == "<p>no marks</p>"


def test_markup_in_an_attribute_cannot_end_it() -> None:
    # Even uncleaned, neither mark holds a quote that would close the attribute.
    for marked in (escape(KANJI), escape(JapaneseText("x"))):
        assert '"' not in marked and "'" not in marked
