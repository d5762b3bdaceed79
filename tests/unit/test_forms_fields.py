"""Tests for the field type registry and each type's cleaning, display and problems."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from forms.definition import schema_field_types
from forms.fields import REGISTRY, FieldType, check_registry, field_type, register
from forms.model import Field, Option, Problem

LABEL = {"ja": "項目", "en": "Item"}


def make(type_: str, *, required: bool = False, **params: Any) -> Field:
    """Return a field of a type with the given params."""
    options = params.pop("options", ())
    return Field(id="f", type=type_, label=LABEL, required=required, options=options, params=params)


def clean(f: Field, *raw: str) -> tuple[Any, list[Problem]]:
    """Clean raw input through the field's registered type."""
    return field_type(f.type).clean(f, list(raw))


def codes(problems: list[Problem]) -> list[str]:
    """Return the codes of a list of problems."""
    return [p.code for p in problems]


# Required and empty --------------------------------------------------------------------


@pytest.mark.parametrize("type_", ["text", "textarea", "number", "date", "choice", "email"])
@pytest.mark.parametrize("raw", [[], [""], ["   "], ["\u3000"], ["\u3000\n \n"]])
def test_empty_input_is_required_only_when_the_field_is(type_: str, raw: list[str]) -> None:
    options = (Option("a", {"ja": "A"}),)
    required = make(type_, required=True, options=options)
    optional = make(type_, options=options)
    assert field_type(type_).clean(required, raw) == (None, [Problem("f", "required")])
    assert field_type(type_).clean(optional, raw) == (None, [])


# text and textarea ---------------------------------------------------------------------


def test_text_is_normalised() -> None:
    assert clean(make("text"), "  ｶﾀｶﾅ\u3000\u3000太郎 ") == ("カタカナ 太郎", [])


def test_text_too_long_reports_the_max() -> None:
    f = make("text", max_length=5)
    assert clean(f, "12345") == ("12345", [])
    value, problems = clean(f, "123456")
    assert value == "123456"
    assert problems == [Problem("f", "too_long", {"max": 5})]


def test_text_length_counts_characters_after_normalisation() -> None:
    f = make("text", max_length=3)
    assert clean(f, "  𠮷 田  ") == ("𠮷 田", [])  # 𠮷 is one character
    assert clean(f, "a\u3000\u3000\u3000b") == ("a b", [])


def test_textarea_keeps_line_breaks_and_normalises_each_line() -> None:
    value, problems = clean(make("textarea"), "\n  一行目\u3000です \r\n\r\nｶﾀｶﾅ  \n\n")
    assert problems == []
    assert value == "一行目 です\n\nカタカナ"


def test_textarea_too_long() -> None:
    f = make("textarea", max_length=5)
    # A line break counts as one character, also when typed as CR LF.
    assert clean(f, "ab\r\ncd") == ("ab\ncd", [])
    assert clean(f, "ab\ncde") == ("ab\ncde", [Problem("f", "too_long", {"max": 5})])


def test_textarea_round_trips_through_form_value() -> None:
    f = make("textarea")
    value, _ = clean(f, "一\n\n二")
    assert clean(f, field_type("textarea").form_value(value)) == (value, [])


# number --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3", 3),
        ("１，２３４", 1234),
        ("1,234", 1234),
        ("－５", -5),
        ("  ７  ", 7),
        ("5.0", 5),
        ("-0", 0),
    ],
)
def test_number_converts_to_int(raw: str, expected: int) -> None:
    value, problems = clean(make("number"), raw)
    assert problems == []
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize("raw", ["abc", "1.2.3", "１２ab", "NaN", "Infinity", "-inf", "--5"])
def test_number_not_a_number(raw: str) -> None:
    value, problems = clean(make("number"), raw)
    assert problems == [Problem("f", "not_a_number")]
    assert isinstance(value, str)


@pytest.mark.parametrize("raw", ["1e999999999", "-1e999999999", "1e5000", "9" * 40])
def test_number_refuses_absurd_magnitudes(raw: str) -> None:
    # int() of these would exhaust memory or be impossible to store as JSON.
    assert codes(clean(make("number"), raw)[1]) == ["not_a_number"]
    assert codes(clean(make("number", decimal=True), raw)[1]) == ["not_a_number"]


def test_number_not_integer() -> None:
    value, problems = clean(make("number"), "1.5")
    assert problems == [Problem("f", "not_integer")]
    assert value == "1.5"


def test_number_bounds_report_their_params() -> None:
    f = make("number", min=1, max=10)
    assert clean(f, "1") == (1, [])
    assert clean(f, "10") == (10, [])
    assert clean(f, "0") == (0, [Problem("f", "too_small", {"min": 1})])
    assert clean(f, "11") == (11, [Problem("f", "too_large", {"max": 10})])
    assert clean(f, "99") == (99, [Problem("f", "too_large", {"max": 10})])


def test_number_bounds_with_decimal_limits() -> None:
    f = make("number", decimal=True, min=0.5, max=2.5)
    assert clean(f, "0.5") == ("0.5", [])
    assert clean(f, "0.49") == ("0.49", [Problem("f", "too_small", {"min": 0.5})])
    assert clean(f, "2.51") == ("2.51", [Problem("f", "too_large", {"max": 2.5})])


def test_number_decimal_mode_returns_a_string() -> None:
    f = make("number", decimal=True)
    for raw, expected in [
        ("1.50", "1.50"),
        ("１２．５", "12.5"),
        ("3", "3"),
        ("－０．２５", "-0.25"),
    ]:
        value, problems = clean(f, raw)
        assert problems == []
        assert value == expected
        assert isinstance(value, str)
        assert Decimal(value) == Decimal(expected)


@pytest.mark.parametrize(("params", "raw"), [({}, "1234"), ({"decimal": True}, "12.50")])
def test_number_round_trips_through_form_value(params: dict[str, Any], raw: str) -> None:
    f = make("number", **params)
    value, _ = clean(f, raw)
    assert clean(f, field_type("number").form_value(value)) == (value, [])
    assert field_type("number").form_value(None) == ""


# date ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["2024-04-01", "２０２４年４月１日", "令和6年4月1日", "R6.4.1", "20240401"]
)
def test_date_is_stored_as_iso(raw: str) -> None:
    assert clean(make("date"), raw) == ("2024-04-01", [])


@pytest.mark.parametrize("raw", ["2024-02-30", "平成31年5月1日", "abc", "令和0年1月1日"])
def test_date_invalid(raw: str) -> None:
    value, problems = clean(make("date"), raw)
    assert problems == [Problem("f", "invalid_date")]
    assert value == raw


def test_date_not_past() -> None:
    f = make("date", past=True)
    today = date.today()
    tomorrow = today + timedelta(days=1)
    assert clean(f, tomorrow.isoformat()) == (tomorrow.isoformat(), [Problem("f", "date_not_past")])
    assert clean(f, today.isoformat()) == (today.isoformat(), [])
    assert clean(f, "1990-01-01") == ("1990-01-01", [])


def test_date_not_future() -> None:
    f = make("date", future=True)
    today = date.today()
    yesterday = today - timedelta(days=1)
    assert clean(f, yesterday.isoformat()) == (
        yesterday.isoformat(),
        [Problem("f", "date_not_future")],
    )
    assert clean(f, today.isoformat()) == (today.isoformat(), [])


def test_date_without_limits_accepts_any_real_date() -> None:
    future = (date.today() + timedelta(days=400)).isoformat()
    assert clean(make("date"), future) == (future, [])


def test_date_display_by_locale() -> None:
    f = make("date")
    date_type = field_type("date")
    assert date_type.display(f, "2024-04-01", "ja") == "令和6年4月1日（2024年4月1日）"
    assert date_type.display(f, "2019-05-01", "ja-JP") == "令和元年5月1日（2019年5月1日）"
    assert date_type.display(f, "1989-01-07", "ja") == "昭和64年1月7日（1989年1月7日）"
    assert date_type.display(f, "2024-04-01", "en") == "2024-04-01"
    assert date_type.display(f, None, "ja") == ""
    assert date_type.display(f, "not a date", "ja") == "not a date"


def test_date_round_trips_through_form_value() -> None:
    f = make("date")
    value, _ = clean(f, "令和元年5月1日")
    assert field_type("date").form_value(value) == "2019-05-01"
    assert clean(f, field_type("date").form_value(value)) == (value, [])


# choice --------------------------------------------------------------------------------

OPTIONS = (
    Option("self", {"ja": "本人のみ", "en": "Only me"}),
    Option("household", {"ja": "世帯全員"}),
)


def test_choice_accepts_only_declared_values() -> None:
    f = make("choice", options=OPTIONS)
    assert clean(f, "self") == ("self", [])
    assert clean(f, " household ") == ("household", [])
    assert clean(f, "everyone") == (None, [Problem("f", "invalid_choice")])
    assert clean(f, "本人のみ") == (None, [Problem("f", "invalid_choice")])


def test_choice_display_shows_the_localised_label() -> None:
    f = make("choice", options=OPTIONS)
    choice = field_type("choice")
    assert choice.display(f, "self", "ja") == "本人のみ"
    assert choice.display(f, "self", "en") == "Only me"
    assert choice.display(f, "household", "en") == "世帯全員"  # falls back to Japanese
    assert choice.display(f, "unknown", "en") == "unknown"
    assert choice.display(f, None, "en") == ""


def test_choice_round_trips_through_form_value() -> None:
    f = make("choice", options=OPTIONS)
    assert clean(f, field_type("choice").form_value("household")) == ("household", [])


def test_choice_is_grouped() -> None:
    assert field_type("choice").grouped is True
    assert field_type("text").grouped is False


# email ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("taro@example.jp", "taro@example.jp"),
        ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "taro@example.jp"),
        ("  taro.yamada+a@mail.example.jp\u3000", "taro.yamada+a@mail.example.jp"),
    ],
)
def test_email_valid(raw: str, expected: str) -> None:
    assert clean(make("email"), raw) == (expected, [])


@pytest.mark.parametrize(
    "raw",
    [
        "taro",
        "taro@example",
        "@example.jp",
        "taro@@example.jp",
        "taro yamada@example.jp",
        "a@b.c" + "c" * 250,
    ],
)
def test_email_invalid(raw: str) -> None:
    value, problems = clean(make("email"), raw)
    assert problems == [Problem("f", "invalid_email")]
    assert value == raw


def test_email_round_trips_through_form_value() -> None:
    f = make("email")
    value, _ = clean(f, "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ")
    assert clean(f, field_type("email").form_value(value)) == (value, [])


# display and form_value defaults -------------------------------------------------------


def test_default_display_and_form_value() -> None:
    f = make("number")
    number = field_type("number")
    assert number.display(f, 3, "ja") == "3"
    assert number.display(f, None, "ja") == ""
    assert number.form_value(3) == "3"
    assert field_type("text").form_value(None) == ""


def test_input_types() -> None:
    assert {name: t.input_type for name, t in REGISTRY.items()} == {
        "text": "text",
        "textarea": "text",
        "number": "number",
        "date": "date",
        "choice": "text",
        "email": "email",
        "money": "text",
        "yesno": "text",
        "multichoice": "text",
        "phone": "tel",
        "postcode": "text",
        "name": "text",
        "address": "text",
        "declaration": "text",
        "guidance": "text",
        "corporate_number": "text",
        "my_number": "text",
        "file": "file",
        "group": "text",
    }


# registry ------------------------------------------------------------------------------


def test_field_type_unknown_name() -> None:
    with pytest.raises(KeyError):
        field_type("signature")


def test_register_refuses_a_duplicate_name() -> None:
    before = dict(REGISTRY)

    class AnotherText(FieldType):
        name = "text"

    with pytest.raises(ValueError, match="text"):
        register(AnotherText)
    assert before == REGISTRY
    assert type(REGISTRY["text"]).__name__ == "TextType"


def test_register_refuses_a_missing_name() -> None:
    before = dict(REGISTRY)

    class Nameless(FieldType):
        pass

    with pytest.raises(ValueError):
        register(Nameless)
    assert before == REGISTRY


def test_register_adds_a_new_type() -> None:
    class Postcode(FieldType):
        name = "test_postcode"

    try:
        assert register(Postcode) is Postcode
        assert isinstance(field_type("test_postcode"), Postcode)
    finally:
        REGISTRY.pop("test_postcode", None)


def test_check_registry() -> None:
    check_registry(schema_field_types())
    check_registry([])
    with pytest.raises(RuntimeError, match="signature"):
        check_registry([*schema_field_types(), "signature"])


def test_schema_field_types_are_exactly_the_registered_ones() -> None:
    assert sorted(schema_field_types()) == sorted(REGISTRY)
