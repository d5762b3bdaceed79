"""Tests for the compound field types: name, address, declaration, and guidance."""

from __future__ import annotations

from typing import Any

import pytest

from forms.fields import WRONG_TYPE, field_type
from forms.fields.compound import with_postcode_suggestion
from forms.japan import PREFECTURES, is_katakana, prefecture_code
from forms.model import Field, Problem
from tests.unit.field_helpers import round_trip

LABEL = {"ja": "氏名", "en": "Name"}


def make(type_: str, *, required: bool = False, **params: Any) -> Field:
    """Return a field of a type with the given params."""
    return Field(id="f", type=type_, label=LABEL, required=required, params=params)


def clean(f: Field, **parts: Any) -> tuple[Any, list[Problem]]:
    """Clean raw input given part by part: clean(f, family="山田") fills "f.family"."""
    raw = {f"f.{part}": text if isinstance(text, list) else [text] for part, text in parts.items()}
    return field_type(f.type).clean_inputs(f, raw)


HANAKO = {"family": "山田", "given": "花子", "family_kana": "ヤマダ", "given_kana": "ハナコ"}


# name ----------------------------------------------------------------------------------


def test_name_inputs() -> None:
    name = field_type("name")
    assert name.inputs(make("name")) == ("f.family", "f.given", "f.family_kana", "f.given_kana")
    assert name.inputs(make("name", kana=False)) == ("f.family", "f.given")
    assert name.inputs(make("name", foreign=True)) == (
        "f.mode",
        "f.family",
        "f.given",
        "f.family_kana",
        "f.given_kana",
        "f.alphabet",
        "f.kanji",
        "f.tsusho",
    )
    assert name.grouped is True


def test_name_is_stored_as_four_parts() -> None:
    assert clean(make("name", required=True), **HANAKO) == (HANAKO, [])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("やまだ", "ヤマダ"),
        ("ﾔﾏﾀﾞ", "ヤマダ"),
        ("ヤマダ", "ヤマダ"),
        ("  や ま\u3000だ ", "ヤ マ ダ"),
        ("ゔぃおら", "ヴィオラ"),
        ("ｻｰﾋﾞｽ", "サービス"),
        ("ナカ・ムラ", "ナカ・ムラ"),
        ("ﾅｶ･ﾑﾗ", "ナカ・ムラ"),
        ("ヶ", "ヶ"),
    ],
)
def test_name_kana_is_normalised_to_full_width_katakana(typed: str, expected: str) -> None:
    value, problems = clean(make("name"), **{**HANAKO, "family_kana": typed})
    assert problems == []
    assert value["family_kana"] == expected
    # Idempotent: cleaning the stored kana again changes nothing.
    again, _ = clean(make("name"), **{**HANAKO, "family_kana": expected})
    assert again["family_kana"] == expected


@pytest.mark.parametrize("typed", ["山田", "Yamada", "ヤマダ1", "ヤマ-ダ", "やまだ！", "ゟ"])
def test_name_kana_only(typed: str) -> None:
    assert clean(make("name"), **{**HANAKO, "given_kana": typed}) == (
        None,
        [Problem("f", "kana_only", {"part": "given_kana"})],
    )


@pytest.mark.parametrize(
    "family", ["𠮷田", "髙橋", "\ufa11", "山\ufa11", "\ufa10本", "\u795e\ufe00谷", "葛\U000e0100城"]
)
def test_name_keeps_every_character_people_write_their_names_with(family: str) -> None:
    # No NFKC, and no NFC either for CJK compatibility ideographs (塚 U+FA10 stays);
    # ideographic variation sequences (神︀, 葛󠄀) are kept whole.
    value, problems = clean(make("name"), **{**HANAKO, "family": family})
    assert problems == []
    assert value["family"] == family


def test_name_composes_decomposed_kana() -> None:
    value, _ = clean(make("name"), **{**HANAKO, "given": "か\u3099こ"})
    assert value["given"] == "がこ"


def test_name_required_parts() -> None:
    f = make("name", required=True)
    assert clean(f) == (None, [Problem("f", "required")])
    assert clean(f, family=" ", given="\u3000") == (None, [Problem("f", "required")])
    assert clean(f, family="山田", family_kana="ヤマダ") == (
        None,
        [
            Problem("f", "required", {"part": "given"}),
            Problem("f", "required", {"part": "given_kana"}),
        ],
    )


def test_an_optional_name_left_empty_is_none_but_a_half_entered_one_is_not() -> None:
    f = make("name")
    assert clean(f) == (None, [])
    assert clean(f, given="花子") == (
        None,
        [
            Problem("f", "required", {"part": "family"}),
            Problem("f", "required", {"part": "family_kana"}),
            Problem("f", "required", {"part": "given_kana"}),
        ],
    )


def test_name_without_kana() -> None:
    f = make("name", kana=False, required=True)
    assert clean(f, family="山田", given="花子") == (
        {"family": "山田", "given": "花子", "family_kana": "", "given_kana": ""},
        [],
    )
    assert field_type("name").display(f, clean(f, family="山田", given="花子")[0], "ja") == (
        "山田 花子"
    )


def test_name_part_limits_and_control_characters() -> None:
    f = make("name")
    value, problems = clean(f, **{**HANAKO, "family": "山" * 101})
    assert problems == [Problem("f", "too_long", {"max": 100, "part": "family"})]
    value, problems = clean(make("name", max_length=3), **{**HANAKO, "given": "花子さん"})
    assert problems == [Problem("f", "too_long", {"max": 3, "part": "given"})]
    value, problems = clean(f, **{**HANAKO, "given": "花\x1b子"})
    assert problems == [Problem("f", "control_characters", {"part": "given"})]
    # Invisible characters from copy and paste are removed.
    value, problems = clean(f, **{**HANAKO, "given": "\ufeff花\u200b子"})
    assert value["given"] == "花子"


def test_name_display() -> None:
    name = field_type("name")
    f = make("name")
    assert name.display(f, HANAKO, "ja") == "山田 花子（ヤマダ ハナコ）"
    assert name.display(f, HANAKO, "en") == "山田 花子 (ヤマダ ハナコ)"
    assert name.display(f, None, "ja") == ""
    assert name.display(f, "山田花子", "ja") == "山田花子"
    assert name.display(f, {"family": ["x"]}, "ja") == ""


def test_name_round_trips() -> None:
    assert round_trip(make("name"), HANAKO) == (HANAKO, [])
    assert field_type("name").form_values(make("name"), HANAKO) == {
        "f.family": "山田",
        "f.given": "花子",
        "f.family_kana": "ヤマダ",
        "f.given_kana": "ハナコ",
    }
    assert field_type("name").form_values(make("name"), None) == dict.fromkeys(
        ["f.family", "f.given", "f.family_kana", "f.given_kana"], ""
    )


@pytest.mark.parametrize("stored", ["山田 花子", ["山田"], 3, {**HANAKO, "family": ["山田"]}])
def test_name_wrong_typed_stored_values_are_problems(stored: Any) -> None:
    value, problems = round_trip(make("name"), stored)
    assert value is None
    assert problems[0].code == "invalid_value"


# Foreign names -------------------------------------------------------------------------


def test_foreign_name_mode_defaults_to_japanese() -> None:
    f = make("name", foreign=True, required=True)
    assert clean(f, **HANAKO) == ({"mode": "japanese", **HANAKO}, [])
    assert clean(f, mode="japanese", **HANAKO) == ({"mode": "japanese", **HANAKO}, [])
    assert clean(f, mode="martian", **HANAKO) == (
        None,
        [Problem("f", "invalid_choice", {"part": "mode"})],
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Smith John", "SMITH JOHN"),
        ("smith, john", "SMITH JOHN"),
        ("ＳＭＩＴＨ　ＪＯＨＮ", "SMITH JOHN"),
        ("o’neil mary-jane", "O'NEIL MARY-JANE"),
        ("NGUYEN VAN A", "NGUYEN VAN A"),
        ("García Márquez", "GARCÍA MÁRQUEZ"),
    ],
)
def test_foreign_name_in_the_alphabet(typed: str, expected: str) -> None:
    f = make("name", foreign=True, required=True)
    value, problems = clean(f, mode="foreign", alphabet=typed)
    assert problems == []
    assert value == {"mode": "foreign", "alphabet": expected, "kanji": "", "tsusho": ""}
    assert clean(f, mode="foreign", alphabet=expected)[0] == value  # idempotent


@pytest.mark.parametrize("typed", ["山田", "SMITH 2", "SMITH.J", "-", "'", "Смит"])
def test_foreign_name_alphabet_only(typed: str) -> None:
    f = make("name", foreign=True)
    assert clean(f, mode="foreign", alphabet=typed) == (
        None,
        [Problem("f", "alphabet_only", {"part": "alphabet"})],
    )


def test_foreign_name_needs_the_alphabet_name() -> None:
    f = make("name", foreign=True, required=True)
    assert clean(f, mode="foreign") == (None, [Problem("f", "required")])
    assert clean(f, mode="foreign", tsusho="山田 太郎") == (
        None,
        [Problem("f", "required", {"part": "alphabet"})],
    )
    # Japanese parts typed before switching mode are ignored.
    assert clean(f, mode="foreign", alphabet="SMITH JOHN", **HANAKO)[1] == []


def test_foreign_name_with_kanji_and_tsusho() -> None:
    f = make("name", foreign=True)
    value, problems = clean(
        f, mode="ｆｏｒｅｉｇｎ", alphabet="Wang Fang", kanji="王 芳", tsusho="王 芳子"
    )
    assert problems == []
    assert value == {
        "mode": "foreign",
        "alphabet": "WANG FANG",
        "kanji": "王 芳",
        "tsusho": "王 芳子",
    }
    name = field_type("name")
    assert name.display(f, value, "ja") == "WANG FANG（漢字氏名：王 芳、通称：王 芳子）"
    assert name.display(f, value, "en") == "WANG FANG (kanji: 王 芳; common name: 王 芳子)"
    assert name.display(f, {**value, "kanji": "", "tsusho": ""}, "ja") == "WANG FANG"
    assert round_trip(f, value) == (value, [])
    assert round_trip(f, {"mode": "japanese", **HANAKO}) == ({"mode": "japanese", **HANAKO}, [])


# address -------------------------------------------------------------------------------

ADDRESS = {
    "postcode": "100-0001",
    "prefecture": "東京都",
    "city": "千代田区",
    "street": "千代田1-1",
    "building": "○○ビル",
}


def test_prefectures_are_the_47_in_jis_order() -> None:
    assert len(PREFECTURES) == 47
    assert len(set(PREFECTURES)) == 47
    assert PREFECTURES[0] == "北海道"
    assert PREFECTURES[12] == "東京都"
    assert PREFECTURES[-1] == "沖縄県"
    assert prefecture_code("東京都") == "13"
    assert prefecture_code("大阪府") == "27"
    assert prefecture_code("東京") is None


def test_address_inputs() -> None:
    assert field_type("address").inputs(make("address")) == (
        "f.postcode",
        "f.prefecture",
        "f.city",
        "f.street",
        "f.building",
    )


def test_address_is_stored_as_a_dict_and_displayed_on_one_line() -> None:
    f = make("address", required=True)
    value, problems = clean(
        f,
        postcode="〒１００－０００１",
        prefecture="東京都",
        city=" 千代田区 ",
        street="千代田１ー１",
        building="○○ビル",
    )
    assert problems == []
    assert value == ADDRESS
    address = field_type("address")
    assert address.display(f, value, "ja") == "〒100-0001 東京都千代田区千代田1-1 ○○ビル"
    assert address.display(f, value, "en") == "〒100-0001 東京都千代田区千代田1-1 ○○ビル"
    short = {**ADDRESS, "postcode": "", "building": ""}
    assert address.display(f, short, "ja") == "東京都千代田区千代田1-1"
    assert address.display(f, None, "ja") == ""
    assert address.display(f, "東京都", "ja") == "東京都"


def test_address_keeps_the_long_vowel_mark_in_katakana() -> None:
    value, problems = clean(
        make("address"),
        prefecture="大阪府",
        city="大阪市北区",
        street="梅田１丁目２ー３",
        building="メゾン・ド・ソレーユ　１０１",
    )
    assert problems == []
    assert value["street"] == "梅田1丁目2-3"
    assert value["building"] == "メゾン・ド・ソレーユ 101"
    assert value["postcode"] == ""


def test_address_problems() -> None:
    f = make("address", required=True)
    assert clean(f) == (None, [Problem("f", "required")])
    assert clean(f, postcode="123", prefecture="東京", city="千代田区", street="1-1") == (
        None,
        [
            Problem("f", "invalid_postcode", {"part": "postcode"}),
            Problem("f", "invalid_prefecture", {"part": "prefecture"}),
        ],
    )
    assert clean(f, postcode="100-0001") == (
        None,
        [
            Problem("f", "required", {"part": "prefecture"}),
            Problem("f", "required", {"part": "city"}),
            Problem("f", "required", {"part": "street"}),
        ],
    )
    assert clean(make("address")) == (None, [])


def test_address_part_limits() -> None:
    value, problems = clean(make("address"), prefecture="東京都", city="千代田区", street="1" * 201)
    assert problems == [Problem("f", "too_long", {"max": 200, "part": "street"})]


@pytest.mark.parametrize("prefecture", PREFECTURES)
def test_address_accepts_every_prefecture(prefecture: str) -> None:
    value, problems = clean(make("address"), prefecture=prefecture, city="某市", street="1-1")
    assert problems == []


def test_address_round_trips() -> None:
    f = make("address")
    assert round_trip(f, ADDRESS) == (ADDRESS, [])
    no_postcode = {**ADDRESS, "postcode": "", "building": ""}
    assert round_trip(f, no_postcode) == (no_postcode, [])


@pytest.mark.parametrize("stored", ["東京都千代田区", [ADDRESS], {**ADDRESS, "city": 3.5j}])
def test_address_wrong_typed_stored_values_are_problems(stored: Any) -> None:
    value, problems = round_trip(make("address"), stored)
    assert value is None
    assert problems[0].code == "invalid_value"


# declaration ---------------------------------------------------------------------------

STATEMENT = {"ja": "申請の内容に誤りはありません。", "en": "The application is true."}


def test_declaration_inputs() -> None:
    f = make("declaration", statement=STATEMENT)
    assert field_type("declaration").inputs(f) == ("f.agree", "f.name")


def test_declaration_is_stored_with_the_name() -> None:
    f = make("declaration", statement=STATEMENT)
    assert clean(f, agree="yes", name=" 山田\u3000花子 ") == (
        {"agreed": True, "name": "山田 花子"},
        [],
    )
    assert clean(f, agree="on", name="山田 花子")[1] == []


def test_declaration_needs_both_whatever_required_says() -> None:
    for required in (True, False):
        f = make("declaration", required=required, statement=STATEMENT)
        assert clean(f) == (None, [Problem("f", "must_agree"), Problem("f", "name_required")])
        assert clean(f, agree="yes") == (None, [Problem("f", "name_required")])
        assert clean(f, name="山田 花子") == (None, [Problem("f", "must_agree")])
        assert clean(f, agree="no", name="山田 花子") == (None, [Problem("f", "must_agree")])


def test_declaration_display() -> None:
    f = make("declaration", statement=STATEMENT)
    kind = field_type("declaration")
    value = {"agreed": True, "name": "山田 花子"}
    assert kind.display(f, value, "ja") == "同意済み（山田 花子）"
    assert kind.display(f, value, "en") == "Agreed (山田 花子)"
    assert kind.display(f, None, "ja") == ""
    assert kind.display(f, {"agreed": False, "name": "x"}, "ja") == ""


def test_declaration_round_trips() -> None:
    f = make("declaration", statement=STATEMENT)
    value = {"agreed": True, "name": "山田 花子"}
    assert field_type("declaration").form_values(f, value) == {
        "f.agree": "yes",
        "f.name": "山田 花子",
    }
    assert field_type("declaration").form_values(f, None) == {"f.agree": "", "f.name": ""}
    assert round_trip(f, value) == (value, [])


@pytest.mark.parametrize(
    "stored", [True, "山田 花子", {"agreed": "yes", "name": "x"}, {"agreed": True, "name": 3j}]
)
def test_declaration_wrong_typed_stored_values_are_problems(stored: Any) -> None:
    value, problems = round_trip(make("declaration", statement=STATEMENT), stored)
    assert value is None
    assert problems[0].code == "invalid_value"
    assert WRONG_TYPE in field_type("declaration").form_values(make("declaration"), stored).values()


# guidance ------------------------------------------------------------------------------


def test_guidance_has_no_input_and_no_value() -> None:
    f = make("guidance", required=True, body={"ja": "次の頁で振込先を伺います。"})
    kind = field_type("guidance")
    assert kind.inputs(f) == ()
    assert kind.clean_inputs(f, {}) == (None, [])
    assert kind.clean_inputs(f, {"f": ["anything"]}) == (None, [])
    assert kind.clean(f, ["x"]) == (None, [])
    assert kind.form_values(f, "x") == {}
    assert kind.display(f, "x", "ja") == ""


# katakana ------------------------------------------------------------------------------


def test_is_katakana() -> None:
    assert is_katakana("ヤマダ ハナコ")
    assert is_katakana("ヴァーチャル・ヰヱ")
    assert not is_katakana("")
    assert not is_katakana("ヤマダ\n")
    assert not is_katakana("やまだ")


def test_the_postcode_fills_only_the_empty_parts_of_an_address() -> None:
    f = Field("home", "address", {"ja": "住所"})
    raw = {"home.postcode": ["１００－０００１"], "home.city": ["自分で書いた市"]}
    updated, found = with_postcode_suggestion(f, raw)
    assert found is not None and str(found) == "東京都千代田区千代田"
    assert updated["home.prefecture"] == ["東京都"]
    assert updated["home.city"] == ["自分で書いた市"]
    assert updated["home.street"] == ["千代田"]
    assert with_postcode_suggestion(f, {"home.postcode": ["999-9999"]}) == (
        {"home.postcode": ["999-9999"]},
        None,
    )
