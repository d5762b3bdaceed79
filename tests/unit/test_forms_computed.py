"""Tests for computed values: the definition rules, evaluation in order, hidden answers."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from forms.computed import (
    Computations,
    build_computed,
    computed_problems,
    computed_values,
)
from forms.definition import build_form, check_document
from forms.fees import evaluate_fee, evaluate_formula, parse_formula
from forms.model import DefinitionError

SUBSIDY = "min(floor(eligible_cost / 2 / 1000) * 1000, 500000)"


def _text(ja: str) -> dict[str, str]:
    return {"ja": ja, "en": ja}


DOCUMENT: dict[str, Any] = {
    "schema": 1,
    "title": _text("補助金"),
    "form": {
        "pages": [
            {
                "id": "project",
                "title": _text("事業"),
                "fields": [
                    {"id": "eligible_cost", "type": "money", "label": _text("補助対象経費")},
                    {"id": "has_other", "type": "yesno", "label": _text("他の補助金")},
                    {
                        "id": "other_grant",
                        "type": "money",
                        "label": _text("他の補助金の額"),
                        "show_if": {"field": "has_other", "op": "equals", "value": True},
                    },
                    {"id": "people", "type": "number", "label": _text("人数")},
                ],
            }
        ]
    },
    "computed": [
        {
            "id": "subsidy_amount",
            "label": {"ja": "補助金交付申請額", "en": "Subsidy requested"},
            "formula": SUBSIDY,
            "format": "money",
        }
    ],
    "route": {"stages": [{"id": "review", "kind": "review", "role": "reviewer"}]},
    "notice": {"subject": "補助金"},
}


def document(*computed: dict[str, Any]) -> dict[str, Any]:
    """The test document with these computed values instead of the subsidy."""
    data = copy.deepcopy(DOCUMENT)
    data["computed"] = list(computed)
    return data


def item(ident: str, formula: str, **extra: Any) -> dict[str, Any]:
    """One computed entry."""
    return {"id": ident, "label": _text(ident), "formula": formula, **extra}


def definition(*computed: dict[str, Any]) -> Computations:
    """Build the computations of the test document."""
    data = document(*computed) if computed else DOCUMENT
    return build_computed(data["computed"], build_form(data["form"]))


def problems(*computed: dict[str, Any]) -> list[str]:
    """What check_document says about these computed values (it must refuse them)."""
    with pytest.raises(DefinitionError) as caught:
        check_document(document(*computed))
    return caught.value.problems


# Evaluation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cost", "amount"),
    [
        (1_234_567, 500_000),  # capped
        (1_000_000, 500_000),
        (999_999, 499_000),  # 499,999.5 rounded down to the thousand
        (301_999, 150_000),
        (2_000, 1_000),
        (1_999, 0),
        (0, 0),
    ],
)
def test_the_subsidy_is_half_rounded_down_to_a_thousand_and_capped(cost: int, amount: int) -> None:
    values = computed_values(definition(), {"eligible_cost": cost})
    assert values == {"subsidy_amount": amount}
    assert type(values["subsidy_amount"]) is int


def test_unanswered_fields_count_as_zero() -> None:
    assert computed_values(definition(), {}) == {"subsidy_amount": 0}


def test_hidden_answers_count_as_unanswered() -> None:
    computations = definition(item("net", "eligible_cost - other_grant", format="money"))
    answers = {"eligible_cost": 1000, "has_other": True, "other_grant": 300}
    assert computed_values(computations, answers) == {"net": 700}
    # Answered "no" after giving an amount: the amount is stale and must not count.
    assert computed_values(computations, {**answers, "has_other": False}) == {"net": 1000}


def test_later_values_build_on_earlier_ones_as_shown() -> None:
    computations = definition(
        item("half", "eligible_cost / 2", format="money"),
        item("doubled", "half * 2"),
    )
    # half is shown as 500円 (rounded down), so doubled is 1000, not 1001.
    assert computed_values(computations, {"eligible_cost": 1001}) == {"half": 500, "doubled": 1000}


def test_numbers_are_exact_and_whole_numbers_are_ints() -> None:
    computations = definition(
        item("per_person", "eligible_cost / people"),
        item("third", "1 / 3 * 3"),
        item("negative", "0 - eligible_cost", format="money"),
    )
    values = computed_values(computations, {"eligible_cost": 1000, "people": 8})
    assert values == {"per_person": Decimal("125"), "third": 1, "negative": -1000}
    assert type(values["per_person"]) is int and type(values["third"]) is int
    values = computed_values(computations, {"eligible_cost": 10, "people": 4})
    assert values["per_person"] == Decimal("2.5")
    assert str(values["per_person"]) == "2.5"  # no trailing zeros from settling


def test_money_is_rounded_down_even_below_zero() -> None:
    computations = definition(item("share", "0 - eligible_cost / 3", format="money"))
    assert computed_values(computations, {"eligible_cost": 1000}) == {"share": -334}


def test_format_defaults_to_number_and_hint_is_kept() -> None:
    computations = definition(item("ratio", "eligible_cost / 8", hint=_text("説明")))
    assert computations.items[0].format == "number"
    assert computations.items[0].hint == {"ja": "説明", "en": "説明"}
    assert computed_values(computations, {"eligible_cost": 1}) == {"ratio": Decimal("0.125")}


def test_no_computed_values() -> None:
    data = copy.deepcopy(DOCUMENT)
    del data["computed"]
    check_document(data)
    computations = build_computed(data.get("computed"), build_form(data["form"]))
    assert computations.items == ()
    assert computed_values(computations, {"eligible_cost": 5}) == {}


def test_evaluate_formula_gives_the_exact_value_and_the_fee_keeps_whole_yen() -> None:
    formula = parse_formula("eligible_cost / 8", ["eligible_cost"])
    assert evaluate_formula(formula, {"eligible_cost": 1001}) == Decimal("125.125")
    assert evaluate_fee(formula, {"eligible_cost": 1001}) == 125
    negative = parse_formula("0 - eligible_cost", ["eligible_cost"])
    assert evaluate_formula(negative, {"eligible_cost": 5}) == Decimal(-5)
    assert evaluate_fee(negative, {"eligible_cost": 5}) == 0
    huge = parse_formula("eligible_cost * eligible_cost", ["eligible_cost"])
    assert evaluate_formula(huge, {"eligible_cost": 10**29}) == Decimal("1e58")


# The definition rules ------------------------------------------------------------------


def test_the_example_document_is_accepted() -> None:
    check_document(DOCUMENT)
    assert computed_problems(DOCUMENT) == []


def test_unknown_names_are_refused_with_their_place() -> None:
    found = problems(item("a", "eligible_cost"), item("b", "x * 2"))
    assert found == ["computed[1].formula: unknown name 'x'"]


def test_formula_syntax_errors_name_the_place() -> None:
    assert problems(item("a", "eligible_cost *")) == [
        "computed[0].formula: syntax error at position 16: unexpected end of formula"
    ]


def test_ids_must_be_unique() -> None:
    assert problems(item("a", "1"), item("b", "2"), item("a", "3")) == [
        "computed[2].id: 'a' is used twice"
    ]


def test_ids_must_not_clash_with_field_ids() -> None:
    assert problems(item("people", "eligible_cost / 2")) == [
        "computed[0].id: 'people' is already a field id"
    ]


def test_only_earlier_computed_values_may_be_read() -> None:
    found = problems(item("a", "b + 1"), item("b", "eligible_cost"))
    assert found == ["computed[0].formula: 'b' is computed later (computed[1])"]


def test_a_value_cannot_read_itself() -> None:
    assert problems(item("a", "a + 1")) == ["computed[0].formula: 'a' refers to itself"]


def test_lookups_are_checked_too() -> None:
    found = problems(item("a", "choice(later, {'x': 1})"), item("later", "1"))
    assert found == ["computed[0].formula: 'later' is computed later (computed[1])"]


def test_every_problem_is_listed_at_once() -> None:
    found = problems(
        item("people", "1"), item("b", "nope"), item("c", "c"), item("b", "eligible_cost")
    )
    assert found == [
        "computed[0].id: 'people' is already a field id",
        "computed[3].id: 'b' is used twice",
        "computed[1].formula: unknown name 'nope'",
        "computed[2].formula: 'c' refers to itself",
    ]


def test_computed_values_are_checked_even_when_the_form_is_broken() -> None:
    data = document(item("a", "x"))
    data["form"]["pages"][0]["fields"].append(
        {"id": "people", "type": "number", "label": _text("重複")}
    )
    with pytest.raises(DefinitionError) as caught:
        check_document(data)
    assert "computed[0].formula: unknown name 'x'" in caught.value.problems
    assert "field id 'people' is used twice" in caught.value.problems


@pytest.mark.parametrize(
    ("entry", "path"),
    [
        ({"id": "a", "label": _text("a"), "formula": "1", "format": "yen"}, "computed/0/format"),
        ({"id": "A", "label": _text("a"), "formula": "1"}, "computed/0/id"),
        ({"id": "a", "label": _text("a")}, "computed/0"),
        ({"id": "a", "label": _text("a"), "formula": ""}, "computed/0/formula"),
        ({"id": "a", "label": _text("a"), "formula": "1", "extra": 1}, "computed/0"),
    ],
)
def test_the_schema_refuses_malformed_entries(entry: dict[str, Any], path: str) -> None:
    found = problems(entry)
    assert len(found) == 1 and found[0].startswith(f"{path}: "), found


def test_build_computed_refuses_what_check_document_refuses() -> None:
    form = build_form(DOCUMENT["form"])
    with pytest.raises(DefinitionError) as caught:
        build_computed([item("a", "x")], form)
    assert caught.value.problems == ["computed[0].formula: unknown name 'x'"]
