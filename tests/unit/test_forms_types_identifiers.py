"""Tests for 法人番号 and 個人番号 (My Number): check digits, masking and entitlement."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest

from forms.definition import check_document
from forms.fields import WRONG_TYPE, field_type, my_number_allowed, my_number_problems
from forms.japan import (
    corporate_check_digit,
    is_corporate_number,
    is_my_number,
    my_number_check_digit,
)
from forms.model import DefinitionError, Field, Problem

LABEL = {"ja": "番号", "en": "Number"}

#: 法人番号 in use: 国税庁 (7000012050002) and 東京都 (8000020130001); the other two are
#: companies' numbers cited in write-ups of the check digit rule.
CORPORATE_NUMBERS = ["7000012050002", "8000020130001", "5010401067252", "4011001098993"]

#: 個人番号 with a valid check digit (no real person's number belongs in a test).
#: 123456789018 is the example used in write-ups of the rule; the others were worked
#: out by hand: 1…1 gives Σ = 47, 47 mod 11 = 3, check 8; 98765432109 gives Σ = 228,
#: 228 mod 11 = 8, check 3; all zeros give remainder 0, check 0.
MY_NUMBERS = ["123456789018", "000000000000", "111111111118", "987654321093"]


def make(type_: str, *, required: bool = False, **params: Any) -> Field:
    """Return a field of a type with the given params."""
    return Field(id="f", type=type_, label=LABEL, required=required, params=params)


def clean(f: Field, *raw: str) -> tuple[Any, list[Problem]]:
    """Clean raw input given to the field's one input."""
    return field_type(f.type).clean_inputs(f, {f.id: list(raw)})


def corruptions(number: str) -> list[str]:
    """Every number differing from this one in exactly one digit."""
    return [
        number[:i] + digit + number[i + 1 :]
        for i in range(len(number))
        for digit in "0123456789"
        if digit != number[i]
    ]


# 法人番号 ------------------------------------------------------------------------------


def test_corporate_check_digit_follows_the_ministerial_ordinance() -> None:
    # The worked example of the rule: base 123456789012, Σ = 74, 74 mod 9 = 2, 9 − 2 = 7.
    assert corporate_check_digit("123456789012") == 7
    assert corporate_check_digit("000012050002") == 7  # 国税庁
    assert corporate_check_digit("000000000000") == 9  # never 0
    with pytest.raises(ValueError):
        corporate_check_digit("12345")
    with pytest.raises(ValueError):
        corporate_check_digit("１２３４５６７８９０１２")


@pytest.mark.parametrize("number", CORPORATE_NUMBERS)
def test_real_corporate_numbers_are_valid(number: str) -> None:
    assert is_corporate_number(number)
    assert clean(make("corporate_number"), number) == (number, [])


@pytest.mark.parametrize("number", CORPORATE_NUMBERS)
def test_corporate_number_single_digit_corruptions(number: str) -> None:
    # A mod-9 check digit cannot tell 0 from 9 (their weighted values differ by 9 or 18),
    # so those swaps go unnoticed; every other single-digit error is caught.
    undetected = [wrong for wrong in corruptions(number) if is_corporate_number(wrong)]
    assert all(
        {a, b} == {"0", "9"}
        for wrong in undetected
        for a, b in zip(wrong, number, strict=True)
        if a != b
    )
    caught = [wrong for wrong in corruptions(number) if wrong not in undetected]
    assert len(caught) >= 100
    for wrong in caught[:20]:
        assert clean(make("corporate_number"), wrong) == (
            wrong,
            [Problem("f", "invalid_corporate_number")],
        )


@pytest.mark.parametrize(
    "raw",
    ["７０００ ０１２０ ５０００２", "7000-01-205000-2", " 7000012050002 ", "7000ー0120ー50002"],
)
def test_corporate_number_normalisation(raw: str) -> None:
    assert clean(make("corporate_number"), raw) == ("7000012050002", [])


@pytest.mark.parametrize("raw", ["700001205000", "70000120500021", "T7000012050002", "abc"])
def test_corporate_number_invalid_shapes(raw: str) -> None:
    value, problems = clean(make("corporate_number"), raw)
    assert problems == [Problem("f", "invalid_corporate_number")]


def test_corporate_number_round_trips_and_displays() -> None:
    f = make("corporate_number")
    kind = field_type("corporate_number")
    assert kind.form_value("7000012050002") == "7000012050002"
    assert kind.clean_inputs(f, {"f": [kind.form_value("7000012050002")]}) == (
        "7000012050002",
        [],
    )
    assert kind.display(f, "7000012050002", "ja") == "7000012050002"
    assert kind.form_value({"n": 1}) == WRONG_TYPE


# 個人番号 ------------------------------------------------------------------------------


def test_my_number_check_digit_follows_the_cabinet_order() -> None:
    # Weights 6,5,4,3,2,7,6,5,4,3,2 from the left: Σ for 12345678901 is 212,
    # 212 mod 11 = 3, 11 − 3 = 8.
    assert my_number_check_digit("12345678901") == 8
    # A remainder of 0 or 1 gives 0: Σ for 00000000001 is 2 → 9; for 00000000006 is
    # 12 → remainder 1 → 0; for 00000000000 remainder 0 → 0.
    assert my_number_check_digit("00000000001") == 9
    assert my_number_check_digit("00000000006") == 0
    assert my_number_check_digit("00000000000") == 0
    with pytest.raises(ValueError):
        my_number_check_digit("123")


@pytest.mark.parametrize("number", MY_NUMBERS)
def test_valid_my_numbers(number: str) -> None:
    assert is_my_number(number)
    assert clean(make("my_number"), number) == (number, [])


@pytest.mark.parametrize("number", MY_NUMBERS)
def test_my_number_single_digit_corruptions_are_mostly_caught(number: str) -> None:
    # Mod 11 folds remainders 0 and 1 into the check digit 0, so a few single-digit
    # errors survive; the great majority is caught.
    wrong = corruptions(number)
    caught = [w for w in wrong if not is_my_number(w)]
    assert len(caught) >= len(wrong) * 0.85
    # Changing the check digit itself is always caught.
    assert not any(is_my_number(number[:-1] + d) for d in "0123456789" if d != number[-1])


def test_my_number_invalid_is_never_returned_or_put_in_params() -> None:
    f = make("my_number")
    for raw in ["123456789019", "12345678901", "1234567890123", "abcdefghijkl"]:
        value, problems = clean(f, raw)
        assert value is None
        assert problems == [Problem("f", "invalid_my_number")]
        assert all(raw not in json.dumps(dict(p.params)) for p in problems)
    value, problems = clean(f, "1" * 5000)
    assert value is None
    assert [p.code for p in problems] == ["too_long"]


@pytest.mark.parametrize("raw", ["1234 5678 9018", "１２３４－５６７８－９０１８", "123456789018"])
def test_my_number_normalisation(raw: str) -> None:
    assert clean(make("my_number"), raw) == ("123456789018", [])


def test_my_number_is_never_shown_again() -> None:
    f = make("my_number")
    kind = field_type("my_number")
    assert kind.display(f, "123456789018", "ja") == "●●●● ●●●● ●●●●"
    assert kind.display(f, "123456789018", "en") == "●●●● ●●●● ●●●●"
    assert kind.display(f, None, "ja") == ""
    assert kind.form_value("123456789018") == ""
    assert kind.form_values(f, "123456789018") == {"f": ""}


def test_my_number_revalidation_sees_the_stored_digits() -> None:
    # form_values hides the number, raw_values (never shown) gives it back for checking.
    f = make("my_number", required=True)
    kind = field_type("my_number")
    raw = {name: [text] for name, text in kind.raw_values(f, "123456789018").items()}
    assert kind.clean_inputs(f, raw) == ("123456789018", [])  # type: ignore[arg-type]
    bad = {name: [text] for name, text in kind.raw_values(f, "123456789019").items()}
    assert kind.clean_inputs(f, bad) == (None, [Problem("f", "invalid_my_number")])  # type: ignore[arg-type]
    wrong = {name: [text] for name, text in kind.raw_values(f, ["1"]).items()}
    assert kind.clean_inputs(f, wrong) == (None, [Problem("f", "invalid_value")])  # type: ignore[arg-type]


# Entitlement ---------------------------------------------------------------------------


def _document(*, flag: bool | None, types: tuple[str, ...] = ("my_number",)) -> dict[str, Any]:
    text = resources.files("portal").joinpath("demo/procedures/residence_certificate.json")
    document: dict[str, Any] = json.loads(text.read_text("utf-8"))
    document = copy.deepcopy(document)
    fields = document["form"]["pages"][0]["fields"]
    for i, type_ in enumerate(types):
        fields.append({"id": f"number_{i}", "type": type_, "label": {"ja": "個人番号"}})
    if flag is not None:
        document["collects_my_number"] = flag
    return document


def test_my_number_allowed_reads_the_procedure_flag() -> None:
    assert my_number_allowed({"collects_my_number": True})
    assert not my_number_allowed({"collects_my_number": False})
    assert not my_number_allowed({"collects_my_number": "yes"})
    assert not my_number_allowed({})


def test_my_number_problems() -> None:
    assert my_number_problems(_document(flag=True)) == []
    assert my_number_problems(_document(flag=None, types=("text",))) == []
    expected = (
        "fields 'number_0', 'number_1' use my_number but the procedure is not entitled"
        " to collect it (collects_my_number)"
    )
    assert my_number_problems(_document(flag=None, types=("my_number", "my_number"))) == [expected]
    assert len(my_number_problems(_document(flag=False))) == 1


@pytest.mark.parametrize(
    "document",
    [{}, {"form": None}, {"form": {"pages": "x"}}, {"form": {"pages": [None, {"fields": 3}]}}],
)
def test_my_number_problems_tolerates_malformed_documents(document: dict[str, Any]) -> None:
    assert my_number_problems(document) == []


def test_the_schema_accepts_the_flag() -> None:
    check_document(_document(flag=True))
    with pytest.raises(DefinitionError, match="collects_my_number"):
        check_document(_document(flag="yes"))  # type: ignore[arg-type]
