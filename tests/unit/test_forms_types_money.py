"""Tests for the money and yesno field types."""

from __future__ import annotations

from typing import Any

import pytest

from forms.fields import WRONG_TYPE, field_type
from forms.model import Field, Problem
from tests.unit.field_helpers import round_trip

LABEL = {"ja": "金額", "en": "Amount"}


def make(type_: str, *, required: bool = False, **params: Any) -> Field:
    """Return a field of a type with the given params."""
    return Field(id="f", type=type_, label=LABEL, required=required, params=params)


def clean(f: Field, *raw: str) -> tuple[Any, list[Problem]]:
    """Clean raw input given to the field's one input."""
    return field_type(f.type).clean_inputs(f, {f.id: list(raw)})


# money ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1200", 1200),
        ("1,200", 1200),
        ("１，２００円", 1200),
        ("¥1,200", 1200),
        ("￥１，２００", 1200),
        ("\\1,200", 1200),  # a Japanese keyboard shows the backslash as ¥
        ("＼１２００", 1200),
        ("1,200 円", 1200),
        ("  1200  ", 1200),
        ("1200.0", 1200),
        ("0", 0),
        ("1、200円", 1200),
    ],
)
def test_money_accepts_the_ways_amounts_are_written(raw: str, expected: int) -> None:
    value, problems = clean(make("money"), raw)
    assert problems == []
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize("raw", ["abc", "1e3", "NaN", "Infinity", "1.2.3", "円", "¥", "12円34"])
def test_money_not_a_number(raw: str) -> None:
    assert clean(make("money"), raw) == (raw, [Problem("f", "not_a_number")])


def test_money_has_no_sen() -> None:
    assert clean(make("money"), "1200.5") == ("1200.5", [Problem("f", "not_integer")])


def test_money_refuses_negative_amounts_unless_the_minimum_allows_them() -> None:
    assert clean(make("money"), "-100") == (-100, [Problem("f", "too_small", {"min": 0})])
    assert clean(make("money"), "－¥100") == (-100, [Problem("f", "too_small", {"min": 0})])
    assert clean(make("money", min=-1000), "-100") == (-100, [])
    assert clean(make("money", min=-1000), "¥-100") == (-100, [])


def test_money_bounds_report_their_params() -> None:
    f = make("money", min=100, max=10000)
    assert clean(f, "100") == (100, [])
    assert clean(f, "10,000円") == (10000, [])
    assert clean(f, "99") == (99, [Problem("f", "too_small", {"min": 100})])
    assert clean(f, "10001") == (10001, [Problem("f", "too_large", {"max": 10000})])


def test_money_refuses_absurd_amounts_even_without_a_maximum() -> None:
    value, problems = clean(make("money"), "9" * 20)
    assert problems == [Problem("f", "too_large", {"max": 10**15 - 1})]
    assert clean(make("money"), "9" * 100)[1][0].code == "not_a_number"


def test_money_required() -> None:
    assert clean(make("money", required=True), "") == (None, [Problem("f", "required")])
    assert clean(make("money"), " ") == (None, [])


def test_money_display_by_locale() -> None:
    f = make("money")
    money = field_type("money")
    assert money.display(f, 1200, "ja") == "1,200円"
    assert money.display(f, 1200, "ja-JP") == "1,200円"
    assert money.display(f, 1200, "en") == "¥1,200"
    assert money.display(f, 0, "en") == "¥0"
    assert money.display(f, 1234567, "ja") == "1,234,567円"
    assert money.display(f, -500, "ja") == "-500円"
    assert money.display(f, -500, "en") == "-¥500"
    assert money.display(f, None, "ja") == ""
    # A stored value of the wrong type is shown as it is, never a crash.
    assert money.display(f, "abc", "en") == "abc"
    assert money.display(f, True, "ja") == "True"


@pytest.mark.parametrize("value", [0, 1200, 1234567, 10**15 - 1])
def test_money_round_trips(value: int) -> None:
    f = make("money")
    assert field_type("money").form_value(value) == str(value)
    assert round_trip(f, value) == (value, [])


def test_money_normalisation_is_idempotent() -> None:
    f = make("money")
    value, _ = clean(f, "￥１，２００円")
    again, _ = clean(f, field_type("money").form_value(value))
    assert again == value


@pytest.mark.parametrize("stored", [[1200], {"amount": 1}, True, object()])
def test_money_wrong_typed_stored_values_are_problems(stored: Any) -> None:
    f = make("money")
    assert field_type("money").form_value(stored) == WRONG_TYPE
    assert round_trip(f, stored) == (None, [Problem("f", "invalid_value")])


# yesno ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("yes", True),
        ("no", False),
        ("YES", True),
        ("ｙｅｓ", True),
        ("はい", True),
        ("いいえ", False),
    ],
)
def test_yesno_is_stored_as_a_bool(raw: str, expected: bool) -> None:
    assert clean(make("yesno"), raw) == (expected, [])


def test_yesno_refuses_other_values() -> None:
    assert clean(make("yesno"), "maybe") == (None, [Problem("f", "invalid_choice")])


def test_yesno_required_means_an_answer_must_be_chosen() -> None:
    f = make("yesno", required=True)
    assert clean(f) == (None, [Problem("f", "required")])
    assert clean(f, "") == (None, [Problem("f", "required")])
    assert clean(f, "no") == (False, [])  # "no" is an answer
    assert clean(make("yesno")) == (None, [])


def test_yesno_display_by_locale() -> None:
    f = make("yesno")
    yesno = field_type("yesno")
    assert yesno.display(f, True, "ja") == "はい"
    assert yesno.display(f, False, "ja") == "いいえ"
    assert yesno.display(f, True, "en") == "Yes"
    assert yesno.display(f, False, "en") == "No"
    assert yesno.display(f, None, "en") == ""
    assert yesno.display(f, 1, "en") == "1"  # not a bool: shown as it is


@pytest.mark.parametrize("value", [True, False])
def test_yesno_round_trips(value: bool) -> None:
    f = make("yesno")
    assert field_type("yesno").form_value(value) == ("yes" if value else "no")
    assert round_trip(f, value) == (value, [])
    assert field_type("yesno").form_value(None) == ""


@pytest.mark.parametrize("stored", ["yes", 1, 0, [True], {"yes": True}])
def test_yesno_wrong_typed_stored_values_are_problems(stored: Any) -> None:
    assert round_trip(make("yesno"), stored) == (None, [Problem("f", "invalid_value")])


def test_yesno_is_grouped() -> None:
    assert field_type("yesno").grouped is True
    assert field_type("money").grouped is False
