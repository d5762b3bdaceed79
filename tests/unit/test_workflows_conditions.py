"""Tests for the conditions of authority tiers (専決規程): evaluation, shape and fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.conditions import OPERATORS, condition_problems, fields_used, holds


def cond(field: str, op: str, *value: Any) -> dict[str, Any]:
    """A comparison; a value is given only when passed."""
    data: dict[str, Any] = {"field": field, "op": op}
    if value:
        data["value"] = value[0]
    return data


# --- holds: comparisons --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "answer", "expected"),
    [
        ("at_most", 500000, True),
        ("at_most", 499999, True),
        ("at_most", 500001, False),
        ("at_least", 500000, True),
        ("at_least", 499999, False),
        ("greater", 500000, False),
        ("greater", 500001, True),
        ("less", 500000, False),
        ("less", 499999, True),
        # Numbers typed as text, with or without thousands separators
        ("at_most", "500,000", True),
        ("at_most", "500,001", False),
        ("greater", "1,000,000", True),
        ("less", " 499999 ", True),
        ("at_most", "499999.99", True),
        ("greater", 500000.5, True),
        ("at_most", Decimal("500000.00"), True),
        ("less", -1, True),
        # Missing or non-numeric answers never hold
        ("at_most", None, False),
        ("at_least", None, False),
        ("greater", None, False),
        ("less", None, False),
        ("at_most", "", False),
        ("less", "五十万", False),
        ("less", "abc", False),
        ("less", True, False),
        ("greater", False, False),
        ("less", [1], False),
        ("less", {"amount": 1}, False),
        ("less", "NaN", False),
        ("greater", "Infinity", False),
        ("less", "-Infinity", False),
        ("greater", float("inf"), False),
        ("less", float("nan"), False),
    ],
)
def test_numeric_comparisons(op: str, answer: Any, expected: bool) -> None:
    assert holds(cond("subsidy", op, 500000), {"subsidy": answer}) is expected


def test_a_missing_field_makes_every_numeric_comparison_false() -> None:
    for op in ("greater", "less", "at_most", "at_least"):
        assert holds(cond("subsidy", op, 0), {}) is False


@pytest.mark.parametrize("value", [500000, "500,000", "500000", 500000.0, "5e5"])
def test_the_condition_value_may_be_a_number_or_numeric_text(value: Any) -> None:
    assert holds(cond("subsidy", "at_most", value), {"subsidy": "500,000"})
    assert not holds(cond("subsidy", "greater", value), {"subsidy": 500000})


@pytest.mark.parametrize(
    ("answer", "value", "expected"),
    [
        ("renewal", "renewal", True),
        ("renewal", "new", False),
        ("Renewal", "renewal", False),
        (3, 3, True),
        ("3", 3, True),
        ("3.0", 3, True),
        ("1,000", 1000, True),
        (3, "3", True),
        (3, 4, False),
        (True, True, True),
        (False, False, True),
        (True, False, False),
        # A boolean is never a number, and never equal to its text
        (True, 1, False),
        (1, True, False),
        (False, 0, False),
        ("true", True, False),
        (None, "renewal", False),
        (None, 0, False),
        (None, False, False),
        ("", 0, False),
        # Multichoice answers: equal when any chosen item is
        (["a", "b"], "b", True),
        (["a", "b"], "c", False),
        ([], "a", False),
        (["1", "2"], 2, True),
        ([True], True, True),
        ([1], True, False),
    ],
)
def test_equals_and_not_equals(answer: Any, value: Any, expected: bool) -> None:
    values = {"kind": answer}
    assert holds(cond("kind", "equals", value), values) is expected
    assert holds(cond("kind", "not_equals", value), values) is (not expected)


def test_not_equals_holds_for_a_missing_answer() -> None:
    assert holds(cond("kind", "not_equals", "renewal"), {})


@pytest.mark.parametrize(
    ("answer", "options", "expected"),
    [
        ("b", ["a", "b"], True),
        ("c", ["a", "b"], False),
        (2, ["1", "2"], True),
        ("2", [1, 2], True),
        ("1,000", [1000], True),
        (True, [True], True),
        (True, [1], False),
        (["x", "b"], ["a", "b"], True),
        (["x", "y"], ["a", "b"], False),
        ([], ["a"], False),
        (None, ["a", ""], False),
    ],
)
def test_one_of(answer: Any, options: list[Any], expected: bool) -> None:
    assert holds(cond("kind", "one_of", options), {"kind": answer}) is expected


def test_one_of_a_missing_answer_is_false() -> None:
    assert not holds(cond("kind", "one_of", ["a"]), {})


@pytest.mark.parametrize(
    ("answer", "empty"),
    [
        (None, True),
        ("", True),
        ("  \n", True),
        ([], True),
        ((), True),
        ({}, True),
        ("x", False),
        (0, False),
        (False, False),
        (["a"], False),
        ({"a": 1}, False),
    ],
)
def test_empty_and_not_empty(answer: Any, empty: bool) -> None:
    values = {"note": answer}
    assert holds(cond("note", "empty"), values) is empty
    assert holds(cond("note", "not_empty"), values) is (not empty)


def test_a_missing_answer_is_empty() -> None:
    assert holds(cond("note", "empty"), {})
    assert not holds(cond("note", "not_empty"), {})


# --- holds: all / any ----------------------------------------------------------------------

RENEWAL = cond("kind", "equals", "renewal")
SMALL = cond("subsidy", "at_most", 500000)


@pytest.mark.parametrize(
    ("values", "all_", "any_"),
    [
        ({"kind": "renewal", "subsidy": 100}, True, True),
        ({"kind": "renewal", "subsidy": 900000}, False, True),
        ({"kind": "new", "subsidy": 100}, False, True),
        ({"kind": "new", "subsidy": 900000}, False, False),
        ({}, False, False),
    ],
)
def test_all_and_any(values: dict[str, Any], all_: bool, any_: bool) -> None:
    assert holds({"all": [RENEWAL, SMALL]}, values) is all_
    assert holds({"any": [RENEWAL, SMALL]}, values) is any_


def test_all_and_any_nest() -> None:
    condition = {
        "any": [
            {"all": [RENEWAL, SMALL]},
            {"all": [cond("kind", "equals", "new"), cond("subsidy", "less", "100,000")]},
        ]
    }
    assert holds(condition, {"kind": "renewal", "subsidy": "400,000"})
    assert holds(condition, {"kind": "new", "subsidy": "99,999"})
    assert not holds(condition, {"kind": "new", "subsidy": "400,000"})
    assert not holds(condition, {"subsidy": 1})


@settings(max_examples=200, deadline=None)
@given(
    op=st.sampled_from(OPERATORS),
    answer=st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    # A signalling NaN is left out: no answer or computed value can hold one (JSON has no
    # NaN, and Decimal arithmetic raises on it), and comparing it raises by design.
    | st.decimals(allow_nan=False)
    | st.just(Decimal("NaN"))
    | st.text(max_size=8)
    | st.lists(st.text(max_size=3) | st.integers(), max_size=3),
)
def test_holds_never_raises_for_a_valid_condition(op: str, answer: Any) -> None:
    value: tuple[Any, ...] = ()
    if op == "one_of":
        value = (["1", 2, True],)
    elif op not in ("empty", "not_empty"):
        value = ("1,000",)
    condition = cond("x", op, *value)
    assert condition_problems("when", condition) == []
    assert isinstance(holds(condition, {"x": answer}), bool)


@settings(max_examples=200, deadline=None)
@given(answer=st.one_of(st.none(), st.text(max_size=8), st.booleans(), st.lists(st.integers())))
def test_a_non_numeric_answer_never_meets_a_numeric_comparison(answer: Any) -> None:
    try:
        float(str(answer).replace(",", ""))
    except ValueError:
        numeric = False
    else:
        numeric = not isinstance(answer, bool) and answer is not None
    if not numeric:
        for op in ("greater", "less", "at_most", "at_least"):
            assert not holds(cond("x", op, 0), {"x": answer})


# --- condition_problems --------------------------------------------------------------------

OPS = ", ".join(OPERATORS)


@pytest.mark.parametrize(
    "condition",
    [
        cond("subsidy", "at_most", 500000),
        cond("subsidy", "at_most", "500,000"),
        cond("subsidy", "greater", 0.5),
        cond("kind", "equals", "renewal"),
        cond("kind", "not_equals", 3),
        cond("agreed", "equals", True),
        cond("kind", "one_of", ["a", 1, False]),
        cond("note", "empty"),
        cond("note", "not_empty"),
        {"all": [RENEWAL]},
        {"any": [RENEWAL, {"all": [SMALL, cond("note", "empty")]}]},
    ],
)
def test_valid_conditions_have_no_problems(condition: dict[str, Any]) -> None:
    assert condition_problems("when", condition) == []


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (None, ["when: must be an object"]),
        ("subsidy <= 500000", ["when: must be an object"]),
        ([RENEWAL], ["when: must be an object"]),
        ({"all": []}, ["when.all: must be the only key and a non-empty list"]),
        ({"any": RENEWAL}, ["when.any: must be the only key and a non-empty list"]),
        ({"all": [RENEWAL], "field": "x"}, ["when.all: must be the only key and a non-empty list"]),
        (
            {"all": [RENEWAL], "any": [SMALL]},
            ["when.all: must be the only key and a non-empty list"],
        ),
        ({"all": [RENEWAL, "x"]}, ["when.all[1]: must be an object"]),
        (
            {"any": [SMALL, {"all": [{"field": "x", "op": "less"}]}]},
            ["when.any[1].all[0].value: less needs a number"],
        ),
        ({"op": "empty"}, ["when.field: must name a question or computed value"]),
        (cond("", "empty"), ["when.field: must name a question or computed value"]),
        ({"field": 3, "op": "empty"}, ["when.field: must name a question or computed value"]),
        ({"field": "x"}, [f"when.op: must be one of {OPS}"]),
        (cond("x", "below", 1), [f"when.op: must be one of {OPS}"]),
        ({"field": "x", "op": ["less"], "value": 1}, [f"when.op: must be one of {OPS}"]),
        (cond("x", "empty", ""), ["when.value: empty takes no value"]),
        (cond("x", "not_empty", None), ["when.value: not_empty takes no value"]),
        (cond("x", "one_of"), ["when.value: one_of needs a non-empty list"]),
        (cond("x", "one_of", []), ["when.value: one_of needs a non-empty list"]),
        (cond("x", "one_of", "a"), ["when.value: one_of needs a non-empty list"]),
        (cond("x", "at_most"), ["when.value: at_most needs a number"]),
        (cond("x", "at_least", "many"), ["when.value: at_least needs a number"]),
        (cond("x", "greater", True), ["when.value: greater needs a number"]),
        (cond("x", "less", "NaN"), ["when.value: less needs a number"]),
        (cond("x", "less", [1]), ["when.value: less needs a number"]),
        (cond("x", "equals"), ["when.value: must be text, a number or true/false"]),
        (cond("x", "equals", None), ["when.value: must be text, a number or true/false"]),
        (cond("x", "not_equals", ["a"]), ["when.value: must be text, a number or true/false"]),
        (cond("x", "equals", {"a": 1}), ["when.value: must be text, a number or true/false"]),
        ({**RENEWAL, "label": "x", "and": []}, ["when: unknown keys and, label"]),
        (
            {"field": "", "op": "below", "extra": 1},
            [
                "when.field: must name a question or computed value",
                f"when.op: must be one of {OPS}",
                "when: unknown keys extra",
            ],
        ),
    ],
)
def test_condition_problems(condition: Any, expected: list[str]) -> None:
    assert condition_problems("when", condition) == expected


def test_every_problem_of_every_part_is_listed_with_its_path() -> None:
    condition = {"all": [cond("", "equals", "x"), {"any": [cond("y", "less", "z"), "w"]}]}
    assert condition_problems("tiers[0].when", condition) == [
        "tiers[0].when.all[0].field: must name a question or computed value",
        "tiers[0].when.all[1].any[0].value: less needs a number",
        "tiers[0].when.all[1].any[1]: must be an object",
    ]


def nested(depth: int) -> dict[str, Any]:
    """A condition with ``depth`` levels of ``all`` around one comparison."""
    condition: dict[str, Any] = RENEWAL
    for _ in range(depth):
        condition = {"all": [condition]}
    return condition


def test_nesting_is_limited() -> None:
    assert condition_problems("when", nested(8)) == []
    problems = condition_problems("when", nested(10))
    assert problems == [f"when{'.all[0]' * 9}: conditions are nested too deeply"]


# --- fields_used ---------------------------------------------------------------------------


def test_fields_used() -> None:
    assert list(fields_used(SMALL)) == ["subsidy"]
    assert list(fields_used(cond("note", "empty"))) == ["note"]
    condition = {
        "any": [
            {"all": [RENEWAL, SMALL]},
            cond("note", "not_empty"),
            {"all": [cond("kind", "equals", "new")]},
        ]
    }
    assert list(fields_used(condition)) == ["kind", "subsidy", "note", "kind"]
