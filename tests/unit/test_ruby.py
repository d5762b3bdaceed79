"""Furigana in Aozora Bunko notation: parsed, shown as <ruby>, stripped, checked."""

from __future__ import annotations

import copy
import pickle

import pytest
from markupsafe import Markup, escape

from forms import localise
from forms.ruby import Ruby, RubyText, has_notation, is_kanji, parse, problems, strip, to_html


def _ruby(base: str, reading: str) -> str:
    return f"<ruby>{base}<rp>（</rp><rt>{reading}</rt><rp>）</rp></ruby>"


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("漢字《かんじ》", [Ruby("漢字", "かんじ")]),
        ("日本の漢字《かんじ》です", ["日本の", Ruby("漢字", "かんじ"), "です"]),
        # Only the run of kanji just before 《 takes the reading.
        ("これは東京都《とうきょうと》", ["これは", Ruby("東京都", "とうきょうと")]),
        ("令和《れいわ》6年《ねん》", [Ruby("令和", "れいわ"), "6", Ruby("年", "ねん")]),
        (
            "人々《ひとびと》、〆切《しめきり》",
            [Ruby("人々", "ひとびと"), "、", Ruby("〆切", "しめきり")],
        ),
        ("一ヶ月《いっかげつ》", [Ruby("一ヶ月", "いっかげつ")]),
        ("𠮷野《よしの》", [Ruby("𠮷野", "よしの")]),
        # ｜ marks where the base starts, for a base that is not only kanji.
        ("｜1日《ついたち》", [Ruby("1日", "ついたち")]),
        ("今日は｜ＩＤ《アイディー》を", ["今日は", Ruby("ＩＤ", "アイディー"), "を"]),
        ("漢字｜漢字《かんじ》", ["漢字", Ruby("漢字", "かんじ")]),
        ("", []),
        ("ふりがな なし", ["ふりがな なし"]),
    ],
)
def test_notation_is_parsed(text: str, segments: list[object]) -> None:
    assert parse(text) == segments


@pytest.mark.parametrize(
    "text",
    [
        "ひらがな《ひ》",  # no kanji before 《
        "《よみ》だけ",
        "漢字《かんじ",  # unclosed
        "漢字《》",  # empty reading
        "漢字《 》",
        "漢《か《ん》》",  # nested
        "｜《よみ》",  # ｜ with no base
        "｜漢字 のあと",  # ｜ with no reading
        "a》b",
        "｜漢《か｜ん》",
    ],
)
def test_what_does_not_fit_stays_as_text(text: str) -> None:
    assert parse(text) == [text]
    assert strip(text) == text
    assert to_html(text) == escape(text)
    assert problems(text)


def test_readings_follow_a_malformed_part() -> None:
    assert parse("かな《か》、漢字《かんじ》") == ["かな《か》、", Ruby("漢字", "かんじ")]
    assert problems("かな《か》、漢字《かんじ》")


def test_html_has_ruby_and_every_part_escaped() -> None:
    assert to_html("漢字《かんじ》") == _ruby("漢字", "かんじ")
    assert to_html("<b>漢字</b>《かんじ》") == "&lt;b&gt;漢字&lt;/b&gt;《かんじ》"
    html = to_html('｜<i>"x"《<script>》と&')
    assert html == _ruby("&lt;i&gt;&#34;x&#34;", "&lt;script&gt;") + "と&amp;"
    assert isinstance(html, Markup)


def test_strip_keeps_the_base_text_only() -> None:
    assert strip("申《もう》し込《こ》みを｜1日《ついたち》に") == "申し込みを1日に"
    assert strip("<b>漢字《かんじ》</b>") == "<b>漢字</b>"


def test_problems_name_slips_and_accept_good_notation() -> None:
    assert problems("申《もう》し込《こ》み、｜1日《ついたち》") == []
    assert problems("%(label)sは数字《すうじ》で") == []
    assert problems("漢字《漢字》") == ["the reading 《漢字》 of 「漢字」 has kanji"]
    assert len(problems("ひらがな《ひ》")) == 2  # both brackets


def test_kanji_and_notation_are_recognised() -> None:
    assert all(is_kanji(c) for c in "漢字々〆〇ヶ𠮷")
    assert not any(is_kanji(c) for c in "かなカナ1１aー、")
    assert has_notation("a《") and has_notation("｜") and not has_notation("漢字")


def test_ruby_text_is_plain_as_a_string_and_ruby_as_html() -> None:
    text = RubyText("%(label)sを書《か》いてください")
    assert text == "%(label)sを書いてください" and type(str(text)) is str
    filled = text % {"label": RubyText("名前《なまえ》")}
    assert isinstance(filled, RubyText) and filled == "名前を書いてください"
    assert escape(filled) == _ruby("名前", "なまえ") + "を" + _ruby("書", "か") + "いてください"
    unsafe = text % {"label": "<script>"}
    assert unsafe == "<script>を書いてください"
    assert "&lt;script&gt;" in unsafe.__html__()
    assert Markup(text) == text.__html__()  # noqa: S704  (what Jinja's gettext does in HTML)


def test_ruby_text_survives_copies_and_pickling() -> None:
    text = RubyText("漢字《かんじ》")
    for made in (copy.copy(text), copy.deepcopy(text), pickle.loads(pickle.dumps(text))):  # noqa: S301
        assert isinstance(made, RubyText) and made == "漢字"
        assert made.__html__() == _ruby("漢字", "かんじ")


def test_easy_japanese_texts_of_a_procedure_carry_their_furigana() -> None:
    title = {"ja": "住民票の写し", "ja-easy": "住民票《じゅうみんひょう》", "en": "Copy"}
    shown = localise(title, "ja-easy")
    assert isinstance(shown, RubyText) and shown == "住民票"
    assert localise({"ja": "住民票"}, "ja-easy") == "住民票"  # falls back to Japanese
    assert not isinstance(localise({"ja": "漢字《かんじ》"}, "ja"), RubyText)
    assert localise({"ja": "注《ちゅう》", "zh-Hans": "《书名》"}, "zh-Hans") == "《书名》"
