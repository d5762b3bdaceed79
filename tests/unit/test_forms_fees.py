"""Tests for fee formulas: parsing, evaluation, limits and the definition check."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from forms.definition import check_document
from forms.fees import (
    MAX_DEPTH,
    MAX_LENGTH,
    Binary,
    Call,
    FieldRef,
    Formula,
    Lookup,
    Negate,
    Number,
    evaluate_fee,
    formula_fields,
    parse_formula,
)
from forms.model import DefinitionError

DEMO = Path(__file__).resolve().parents[2] / "portal" / "demo" / "procedures"
FIELDS = ("copies", "scope", "kinds", "age", "pages", "rate")


def fee(text: str, **answers: Any) -> int:
    """Parse a formula over FIELDS and evaluate it on answers."""
    return evaluate_fee(parse_formula(text, FIELDS), answers)


def problems(text: str, known: tuple[str, ...] = FIELDS) -> list[str]:
    """Problems parse_formula reports (it must fail)."""
    with pytest.raises(DefinitionError) as caught:
        parse_formula(text, known)
    return caught.value.problems


# Parsing into a tree -------------------------------------------------------------------


def test_the_brief_example() -> None:
    assert fee("copies * 300", copies=3) == 900


def test_parse_builds_a_tree() -> None:
    formula = parse_formula("-copies + 2 * max(1, age) / 4", FIELDS)
    assert formula == Formula(
        "-copies + 2 * max(1, age) / 4",
        Binary(
            "+",
            Negate(FieldRef("copies")),
            Binary(
                "/",
                Binary("*", Number(Decimal(2)), Call("max", (Number(Decimal(1)), FieldRef("age")))),
                Number(Decimal(4)),
            ),
        ),
    )


def test_parse_a_lookup() -> None:
    formula = parse_formula("choice(scope, {'self': 300, \"all\": 100 * 2}, 50)", FIELDS)
    assert formula.root == Lookup(
        "scope",
        (
            ("self", Number(Decimal(300))),
            ("all", Binary("*", Number(Decimal(100)), Number(Decimal(2)))),
        ),
        Number(Decimal(50)),
    )
    default = parse_formula("choice(scope, {'self': 300})", FIELDS).root
    assert isinstance(default, Lookup)
    assert default.default == Number(Decimal(0))


def test_formula_fields() -> None:
    formula = parse_formula(
        "if(age >= 65, 0, copies * choice(scope, {'a': rate}, pages)) + copies", FIELDS
    )
    assert formula_fields(formula) == {"age", "copies", "scope", "rate", "pages"}
    assert formula_fields(parse_formula("300", FIELDS)) == frozenset()


def test_formulas_are_frozen_and_comparable() -> None:
    assert parse_formula("copies*300", FIELDS).root == parse_formula("copies * 300", FIELDS).root
    assert hash(parse_formula("copies * 300", FIELDS)) == hash(
        parse_formula("copies * 300", FIELDS)
    )


# Evaluation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),
        ("100 / 10 / 5", 2),
        ("2 * 3 + 4 * 5", 26),
        ("-2 * -3", 6),
        ("- (2 - 5)", 3),
        ("+7", 7),
        ("1 - - 1", 2),
        ("((((3))))", 3),
        ("0.5 * 9", 4),
        ("1.25 * 4", 5),
        ("300", 300),
        ("  300\n", 300),
    ],
)
def test_arithmetic_and_precedence(text: str, expected: int) -> None:
    assert fee(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("min(5, 3, 4)", 3),
        ("min(7)", 7),
        ("max(5, 3, 9, 4)", 9),
        ("ceil(1.01)", 2),
        ("ceil(2)", 2),
        ("floor(1.99)", 1),
        ("round(2.5)", 3),
        ("round(2.49)", 2),
        ("round(3.5)", 4),
        ("10 + round(-2.5)", 7),  # half away from zero (四捨五入), not to even
        ("10 + ceil(-1.5)", 9),
        ("10 + floor(-1.5)", 8),
        ("max(copies, 1) * 300", 300),
        ("min(copies, 2) * 300", 0),
    ],
)
def test_functions(text: str, expected: int) -> None:
    assert fee(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("if(age >= 65, 0, 300)", 0),
        ("if(age > 70, 0, 300)", 300),
        ("if(age < 70, 1, 2)", 2),
        ("if(age <= 70, 1, 2)", 1),
        ("if(age == 70, 1, 2)", 1),
        ("if(age != 70, 1, 2)", 2),
        ("(age == 70) * 500", 500),
        ("(age > 70) * 500", 0),
        ("if(copies, 100, 200)", 200),
        ("if(1, 5, 10 / 0)", 5),
    ],
)
def test_comparisons_and_if(text: str, expected: int) -> None:
    assert fee(text, age=70) == expected


def test_lookups() -> None:
    table = "choice(scope, {'self': 300, 'household': 450}, 1000)"
    assert fee(table, scope="self") == 300
    assert fee(table, scope="household") == 450
    assert fee(table, scope="other") == 1000
    assert fee(table) == 1000
    assert fee("choice(scope, {'self': 300})", scope="x") == 0
    assert (
        fee("copies * choice(scope, {'self': 300, 'household': 450})", copies=2, scope="household")
        == 900
    )


def test_lookup_on_numbers_and_lists() -> None:
    assert fee("choice(copies, {'1': 100, '2': 150}, 999)", copies=2) == 150
    kinds = "choice(kinds, {'a': 100, 'b': 200, 'c': 400}, 7)"
    assert fee(kinds, kinds=["a", "c"]) == 500
    assert fee(kinds, kinds=["a", "zzz"]) == 100
    assert fee(kinds, kinds=["zzz"]) == 7
    assert fee(kinds, kinds=[]) == 7
    assert fee(kinds, kinds=True) == 7
    assert fee(kinds, kinds={"a": 1}) == 7


def test_lookup_sees_through_other_texts() -> None:
    kinds = "choice(kinds, {'a': 100, '__other__': 1000}, 7)"
    assert fee(kinds, kinds={"value": "__other__", "other": "祖母"}) == 1000
    assert fee(kinds, kinds={"values": ["a", "__other__"], "other": "x"}) == 1100
    assert fee(kinds, kinds={"values": [], "other": ""}) == 7


@pytest.mark.parametrize(
    "answer",
    [
        None,
        "",
        "abc",
        True,
        False,
        [1, 2],
        {"a": 1},
        "NaN",
        "Infinity",
        "1e999999999999",
        float("nan"),
        float("inf"),
        10**40,
        "9" * 100,
        object(),
    ],
)
def test_an_answer_that_is_not_a_usable_number_counts_as_zero(answer: Any) -> None:
    assert fee("copies * 300 + 5", copies=answer) == 5


@pytest.mark.parametrize(
    ("answer", "expected"),
    [(3, 900), ("3", 900), (" 3 ", 900), ("2.5", 750), (Decimal("1.5"), 450), (1.5, 450)],
)
def test_number_answers(answer: Any, expected: int) -> None:
    assert fee("copies * 300", copies=answer) == expected


def test_division_by_zero_gives_zero() -> None:
    assert fee("10 / 0") == 0
    assert fee("100 + 10 / copies", copies=0) == 100
    assert fee("100 + 10 / copies") == 100
    assert fee("5 + 0 / 0") == 5


def test_negative_results_are_clamped_to_zero() -> None:
    assert fee("-5") == 0
    assert fee("100 - copies * 300", copies=1) == 0
    assert fee("100 - copies * 300", copies=0) == 100


def test_yen_are_rounded_down() -> None:
    assert fee("copies * 0.999", copies=1) == 0
    assert fee("1000 * 1.08", copies=1) == 1080
    assert fee("999 / 10") == 99
    assert fee("rate * 1000", rate="0.0015") == 1


def test_inexact_division_does_not_lose_a_yen() -> None:
    assert fee("1 / 3 * 3") == 1
    assert fee("100 / 7 * 7") == 100
    assert fee("2 / 3") == 0


def test_huge_results_do_not_fail() -> None:
    big = "99999999999999999999 * " * 20 + "9"
    assert fee(big[:MAX_LENGTH]) > 0
    assert fee("copies * copies * copies * copies", copies="9" * 29) > 0


def test_evaluation_is_pure() -> None:
    formula = parse_formula("copies * 300", FIELDS)
    answers = {"copies": 2}
    assert evaluate_fee(formula, answers) == evaluate_fee(formula, answers) == 600
    assert answers == {"copies": 2}


# Problems ------------------------------------------------------------------------------


def test_unknown_names_are_each_reported() -> None:
    assert problems("copys * 300") == ["fee.formula: unknown name 'copys'"]
    assert problems("copys + kopies + copys + copies") == [
        "fee.formula: unknown name 'copys'",
        "fee.formula: unknown name 'kopies'",
    ]
    assert problems("choice(scop, {'a': 1})") == ["fee.formula: unknown name 'scop'"]
    assert problems("copies", known=()) == ["fee.formula: unknown name 'copies'"]


def test_the_place_can_be_named() -> None:
    with pytest.raises(DefinitionError) as caught:
        parse_formula("x", (), where="fees[2].formula")
    assert caught.value.problems == ["fees[2].formula: unknown name 'x'"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "syntax error at position 1: the formula is empty"),
        ("  ", "syntax error at position 1: the formula is empty"),
        ("1 +", "syntax error at position 4: unexpected end of formula"),
        ("(1 + 2", "syntax error at position 7: expected ')' but found end of formula"),
        ("1 + 2)", "syntax error at position 6: unexpected ')'"),
        ("copies 300", "syntax error at position 8: unexpected '300'"),
        ("1e5", "syntax error at position 2: unexpected 'e5'"),
        ("3 ** 2", "syntax error at position 4: unexpected '*'"),
        ("1,000", "syntax error at position 2: unexpected ','"),
        ("copies × 300", "syntax error at position 8: unexpected character '×'"),
        ("１００", "syntax error at position 1: unexpected character '１'"),
        ("a = 1", "syntax error at position 3: unexpected character '='"),
        ("'abc", "syntax error at position 1: text without a closing quote"),
        ("1 < 2 < 3", "syntax error at position 7: comparisons cannot be chained"),
        ("min()", "syntax error at position 1: min() takes at least 1 argument"),
        ("ceil(1, 2)", "syntax error at position 1: ceil() takes 1 argument"),
        ("if(1, 2)", "syntax error at position 1: if() takes 3 arguments"),
        ("sqrt(4)", "unknown function 'sqrt' at position 1"),
        ("choice(1, {'a': 1})", "syntax error at position 8: choice() needs a field id first"),
        ("choice(max(1), {'a': 1})", "syntax error at position 8: choice() needs a field id first"),
        (
            "choice(scope, {a: 1})",
            "syntax error at position 16: expected a quoted answer value but found 'a'",
        ),
        ("choice(scope, {'a': 1, 'a': 2})", "syntax error at position 24: 'a' appears twice"),
        (
            "choice(scope, {})",
            "syntax error at position 16: expected a quoted answer value but found '}'",
        ),
        ("choice(scope)", "syntax error at position 13: expected ',' but found ')'"),
        ("'a' + 1", "syntax error at position 1: unexpected \"'a'\""),
    ],
)
def test_syntax_errors_name_the_position(text: str, problem: str) -> None:
    assert problems(text) == [f"fee.formula: {problem}"]


def test_length_limit() -> None:
    longest = "1+" * (MAX_LENGTH // 2 - 1) + "10"
    assert len(longest) == MAX_LENGTH
    assert fee(longest) == MAX_LENGTH // 2 - 1 + 10
    assert problems(longest + "0") == [f"fee.formula: longer than {MAX_LENGTH} characters"]


@pytest.mark.parametrize(
    "template",
    ["({})", "-{}", "max({}, 1)", "choice(scope, {{'a': {}}})"],
)
def test_depth_limit(template: str) -> None:
    deepest = "1"
    for _ in range(MAX_DEPTH):
        deepest = template.format(deepest)
    assert fee(deepest, scope="a") in (0, 1)
    too_deep = template.format(deepest)
    found = problems(too_deep)
    assert len(found) == 1
    assert found[0].startswith(f"fee.formula: nested more than {MAX_DEPTH} levels deep at position")


def test_never_eval() -> None:
    assert problems("__import__('os')")[0].startswith("fee.formula: unknown function '__import__'")
    assert problems("copies.real") == [
        "fee.formula: syntax error at position 7: unexpected character '.'"
    ]


# The definition check ------------------------------------------------------------------


def _document(formula: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DEMO / "residence_certificate.json").read_text("utf-8"))
    data["fee"] = {"formula": formula, "label": {"ja": "手数料", "en": "Fee"}}
    return data


def test_demo_fee() -> None:
    data = json.loads((DEMO / "residence_certificate.json").read_text("utf-8"))
    check_document(data)
    assert data["fee"] == {"formula": "copies * 300", "label": {"ja": "手数料", "en": "Fee"}}
    formula = parse_formula(data["fee"]["formula"], ["copies"])
    assert evaluate_fee(formula, {"copies": 3}) == 900


def test_check_document_validates_the_formula_against_the_fields() -> None:
    check_document(_document("max(copies, 1) * choice(scope, {'self': 300}, 450)"))
    with pytest.raises(DefinitionError) as caught:
        check_document(_document("copys * 300"))
    assert caught.value.problems == ["fee.formula: unknown name 'copys'"]
    with pytest.raises(DefinitionError) as caught:
        check_document(_document("copies *"))
    assert caught.value.problems == [
        "fee.formula: syntax error at position 9: unexpected end of formula"
    ]


def test_fee_problems_are_listed_with_the_form_rules() -> None:
    data = _document("copys * 300")
    data["form"]["pages"][1]["id"] = "requester"
    with pytest.raises(DefinitionError) as caught:
        check_document(data)
    assert caught.value.problems == [
        "page id 'requester' is used twice",
        "fee.formula: unknown name 'copys'",
    ]


@pytest.mark.parametrize(
    ("fee_json", "path"),
    [
        ({"label": {"ja": "手数料"}}, "fee"),
        ({"formula": ""}, "fee/formula"),
        ({"formula": "1" * (MAX_LENGTH + 1)}, "fee/formula"),
        ({"formula": "1", "amount": 3}, "fee"),
        ({"formula": "1", "label": {"en": "Fee"}}, "fee/label"),
    ],
)
def test_the_schema_checks_the_fee(fee_json: dict[str, Any], path: str) -> None:
    data = _document("1")
    data["fee"] = fee_json
    with pytest.raises(DefinitionError) as caught:
        check_document(data)
    assert [p.split(": ")[0] for p in caught.value.problems] == [path]


def test_a_fee_without_a_label_is_allowed() -> None:
    data = _document("300")
    del data["fee"]["label"]
    check_document(data)
