"""Tests for input normalisation: widths, spaces and names that must survive intact."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from forms.normalise import (
    collapse_spaces,
    normalise_email,
    normalise_number,
    normalise_text,
    to_half_width,
)

TRICKY = [
    "",
    "   ",
    "\u3000\u3000",
    "ＡＢＣ　ａｂｃ　１２３",
    "ｶﾀｶﾅ",
    "ｶﾞｷﾞｸﾞ ﾊﾟﾋﾟ ｳﾞ",
    "ﾞﾟ",
    "｡｢｣､･ｰ",
    "  山田\u3000\u3000太郎  ",
    "𠮷野家",
    "髙橋",
    "\ufa11",  # 﨑, a CJK compatibility ideograph used in names
    "山\ufa11",
    "か\u3099",  # decomposed が
    "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ",
    "１，２３４",
    "－５",
    "ー―‐−",
    "a\tb\nc",
    "①②③",
    "㈱",
    "＼￥～",
    "Ｒ１．５．１",
]

FUNCTIONS: list[Callable[[str], str]] = [
    to_half_width,
    collapse_spaces,
    normalise_text,
    normalise_number,
    normalise_email,
]


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("text", TRICKY)
def test_every_function_is_idempotent(function: Callable[[str], str], text: str) -> None:
    once = function(text)
    assert function(once) == once


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ｶﾀｶﾅ", "カタカナ"),
        ("ｶﾞｷﾞ ﾊﾟ", "ガギ パ"),
        ("ｳﾞｧｲｵﾘﾝ", "ヴァイオリン"),
        ("｢ｱｲｳ｣", "「アイウ」"),
        ("  山田\u3000\u3000太郎  ", "山田 太郎"),
        ("山田 \t 太郎", "山田 太郎"),
        ("\u3000", ""),
        ("か\u3099", "が"),  # composed (NFC)
    ],
)
def test_normalise_text(text: str, expected: str) -> None:
    assert normalise_text(text) == expected


@pytest.mark.parametrize("name", ["𠮷野", "髙橋", "\ufa11", "山\ufa11", "德永", "齋藤"])
def test_normalise_text_preserves_characters_used_in_names(name: str) -> None:
    assert normalise_text(name) == name


def test_normalise_text_does_not_apply_nfkc() -> None:
    # NFKC would turn these into other characters; people's names and text keep them.
    assert normalise_text("\ufa11") == "\ufa11"
    assert normalise_text("ＡＢＣ") == "ＡＢＣ"
    assert normalise_text("①") == "①"
    assert normalise_text("㈱") == "㈱"


def test_to_half_width_turns_full_width_ascii_only() -> None:
    assert to_half_width("ＡＢＣ　ａｂｃ　１２３") == "ABC abc 123"
    assert to_half_width("＠．－") == "@.-"
    # Katakana stays as it is, in either width.
    assert to_half_width("カタカナ") == "カタカナ"
    assert to_half_width("ｶﾀｶﾅ") == "ｶﾀｶﾅ"


def test_collapse_spaces() -> None:
    assert collapse_spaces(" a \u3000\t b\n") == "a b"
    assert collapse_spaces("a") == "a"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１，２３４", "1234"),
        ("1,234", "1234"),
        ("1，234", "1234"),
        ("1、234", "1234"),
        ("－５", "-5"),
        ("ー5", "-5"),
        ("−5", "-5"),
        ("１２．５", "12.5"),
        (" 1 234 ", "1234"),
        ("\u30001\u3000", "1"),
    ],
)
def test_normalise_number(text: str, expected: str) -> None:
    assert normalise_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "taro@example.jp"),
        ("  taro@example.jp\u3000", "taro@example.jp"),
        ("Taro@Example.JP", "Taro@Example.JP"),
    ],
)
def test_normalise_email(text: str, expected: str) -> None:
    assert normalise_email(text) == expected
