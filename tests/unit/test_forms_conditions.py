"""Tests for conditions: parsing, evaluation, definition rules, visibility and validation."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from forms.conditions import (
    MAX_DEPTH,
    AllOf,
    AnyOf,
    Comparison,
    Condition,
    answer_items,
    condition_data,
    evaluate,
    page_field_states,
    parse_condition,
    partial,
    referenced_fields,
    visible_field_ids,
    visible_pages,
)
from forms.definition import build_form, check_document
from forms.fields import OTHER, chosen_values
from forms.model import DefinitionError, Field, FormDefinition, Page, Problem
from forms.validation import (
    clean_page,
    drop_hidden,
    first_incomplete_page,
    revalidate,
    summary,
)

DEMO = Path(__file__).resolve().parents[2] / "portal" / "demo" / "procedures"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def cond(field: str, op: str, *value: Any) -> dict[str, Any]:
    """Condition JSON; a value is given only when passed."""
    data: dict[str, Any] = {"field": field, "op": op}
    if value:
        data["value"] = value[0]
    return data


def text(field_id: str, **extra: Any) -> dict[str, Any]:
    """A text field's JSON."""
    return {"id": field_id, "type": "text", "label": {"ja": field_id}, **extra}


def number(field_id: str, **extra: Any) -> dict[str, Any]:
    """A number field's JSON."""
    return {"id": field_id, "type": "number", "label": {"ja": field_id}, **extra}


def choice(field_id: str, values: str = "abc", **extra: Any) -> dict[str, Any]:
    """A choice field's JSON with one option per letter of values."""
    options = [{"value": v, "label": {"ja": v.upper()}} for v in values]
    return {
        "id": field_id,
        "type": "choice",
        "label": {"ja": field_id},
        "options": options,
        **extra,
    }


def page(page_id: str, *fields: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A page's JSON."""
    return {"id": page_id, "title": {"ja": page_id}, "fields": list(fields), **extra}


def document(*pages: dict[str, Any]) -> dict[str, Any]:
    """A whole procedure document around pages."""
    return {
        "schema": 1,
        "title": {"ja": "テスト"},
        "form": {"pages": list(pages)},
        "route": {"stages": [{"id": "check"}]},
        "notice": {"subject": "お知らせ"},
    }


def rule_problems(*pages: dict[str, Any]) -> list[str]:
    """Problems build_form reports for pages (it must fail)."""
    with pytest.raises(DefinitionError) as caught:
        build_form({"pages": list(pages)})
    return caught.value.problems


def parse_problems(data: Any, where: str = "here") -> list[str]:
    """Problems parse_condition reports for data (it must fail)."""
    with pytest.raises(DefinitionError) as caught:
        parse_condition(data, where)
    return caught.value.problems


# Parsing -------------------------------------------------------------------------------


def test_parse_a_comparison_and_combinators() -> None:
    data = {
        "all": [
            cond("reason", "equals", "elderly"),
            {"any": [cond("age", "greater", 64), cond("kinds", "one_of", ["a", "b"])]},
            cond("note", "empty"),
        ]
    }
    assert parse_condition(data, "x") == AllOf(
        (
            Comparison("reason", "equals", "elderly"),
            AnyOf((Comparison("age", "greater", 64), Comparison("kinds", "one_of", ("a", "b")))),
            Comparison("note", "empty"),
        )
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (cond("a", "equals", "x"), Comparison("a", "equals", "x")),
        (cond("a", "not_equals", 3), Comparison("a", "not_equals", 3)),
        (cond("a", "equals", True), Comparison("a", "equals", True)),
        (cond("a", "one_of", ["x", 2]), Comparison("a", "one_of", ("x", 2))),
        (cond("a", "greater", 1.5), Comparison("a", "greater", 1.5)),
        (cond("a", "less", -2), Comparison("a", "less", -2)),
        (cond("a", "empty"), Comparison("a", "empty")),
        (cond("a", "not_empty"), Comparison("a", "not_empty")),
    ],
)
def test_parse_each_operator(data: dict[str, Any], expected: Condition) -> None:
    assert parse_condition(data, "x") == expected


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (cond("a", "bigger", 1), "here: unknown operator 'bigger'"),
        ({"field": "a"}, "here: a condition needs an operator"),
        ({"op": "empty"}, "here: a condition needs a field id"),
        ({"field": "", "op": "empty"}, "here: a condition needs a field id"),
        (cond("a", "one_of", "x"), "here: 'one_of' needs a non-empty list of values"),
        (cond("a", "one_of", []), "here: 'one_of' needs a non-empty list of values"),
        (cond("a", "one_of", [["x"]]), "here: 'one_of' values must be text, numbers or true/false"),
        (cond("a", "one_of"), "here: 'one_of' needs a value"),
        (cond("a", "greater", "3"), "here: 'greater' needs a number"),
        (cond("a", "less", True), "here: 'less' needs a number"),
        (cond("a", "less", float("nan")), "here: 'less' needs a number"),
        (cond("a", "equals"), "here: 'equals' needs a value"),
        (cond("a", "not_equals", ["x"]), "here: 'not_equals' needs text, a number or true/false"),
        (cond("a", "equals", None), "here: 'equals' needs text, a number or true/false"),
        (cond("a", "empty", "x"), "here: 'empty' takes no value"),
        (cond("a", "not_empty", ""), "here: 'not_empty' takes no value"),
        ({"field": "a", "op": "empty", "colour": 1}, "here: unknown key 'colour'"),
        ({"all": []}, "here: 'all' needs a non-empty list of conditions"),
        ({"any": cond("a", "empty")}, "here: 'any' needs a non-empty list of conditions"),
        (
            {"all": [cond("a", "empty")], "field": "a"},
            "here: 'all' cannot be combined with other keys",
        ),
        ("a == 1", "here: a condition must be an object"),
        (None, "here: a condition must be an object"),
    ],
)
def test_parse_problems(data: Any, problem: str) -> None:
    assert parse_problems(data) == [problem]


def test_parse_reports_every_nested_problem_with_its_path() -> None:
    data = {"all": [cond("a", "bigger", 1), {"any": [cond("b", "empty"), cond("c", "one_of", 1)]}]}
    assert parse_problems(data, "pages[0].show_if") == [
        "pages[0].show_if.all[0]: unknown operator 'bigger'",
        "pages[0].show_if.all[1].any[1]: 'one_of' needs a non-empty list of values",
    ]


def test_parse_refuses_deep_nesting() -> None:
    data: dict[str, Any] = cond("a", "empty")
    for _ in range(MAX_DEPTH - 1):
        data = {"all": [data]}
    parse_condition(data, "x")  # exactly MAX_DEPTH levels is fine
    problems = parse_problems({"any": [data]})
    assert len(problems) == 1
    assert f"nested more than {MAX_DEPTH} levels deep" in problems[0]


def test_referenced_fields() -> None:
    condition = parse_condition(
        {"any": [cond("a", "empty"), {"all": [cond("b", "equals", 1), cond("a", "less", 2)]}]},
        "x",
    )
    assert referenced_fields(condition) == frozenset({"a", "b"})
    assert referenced_fields(Comparison("c", "empty")) == frozenset({"c"})


# Evaluation ----------------------------------------------------------------------------


def check(data: dict[str, Any], answers: dict[str, Any]) -> bool:
    """Parse a condition and evaluate it on answers."""
    return evaluate(parse_condition(data, "x"), answers)


@pytest.mark.parametrize(
    ("data", "answer", "expected"),
    [
        (cond("a", "equals", "x"), "x", True),
        (cond("a", "equals", "x"), "y", False),
        (cond("a", "equals", "x"), None, False),
        (cond("a", "equals", 3), 3, True),
        (cond("a", "equals", 3), "3.0", True),
        (cond("a", "equals", 3), "three", False),
        (cond("a", "equals", 1.5), "1.50", True),
        (cond("a", "equals", "3"), 3, True),
        (cond("a", "equals", True), True, True),
        (cond("a", "equals", True), 1, False),
        (cond("a", "equals", 1), True, False),
        (cond("a", "not_equals", "x"), "y", True),
        (cond("a", "not_equals", "x"), "x", False),
        (cond("a", "not_equals", "x"), None, True),
        (cond("a", "one_of", ["x", "y"]), "y", True),
        (cond("a", "one_of", ["x", "y"]), "z", False),
        (cond("a", "one_of", [1, 2]), 2, True),
        (cond("a", "one_of", ["x"]), None, False),
        (cond("a", "greater", 64), 65, True),
        (cond("a", "greater", 64), 64, False),
        (cond("a", "greater", 64), "64.5", True),
        (cond("a", "greater", 0.1), Decimal("0.2"), True),
        (cond("a", "greater", 64), "old", False),
        (cond("a", "greater", 64), None, False),
        (cond("a", "greater", 0), True, False),
        (cond("a", "greater", 0), "Infinity", False),
        (cond("a", "greater", 0), "1e99999999999999999999", False),
        (cond("a", "greater", 0), [5], False),
        (cond("a", "less", 3), 2, True),
        (cond("a", "less", 3), 3, False),
        (cond("a", "less", 3), "NaN", False),
        (cond("a", "less", 3), 2.5, True),
        (cond("a", "empty"), None, True),
        (cond("a", "empty"), "", True),
        (cond("a", "empty"), "   ", True),
        (cond("a", "empty"), [], True),
        (cond("a", "empty"), 0, False),
        (cond("a", "empty"), "x", False),
        (cond("a", "not_empty"), "x", True),
        (cond("a", "not_empty"), 0, True),
        (cond("a", "not_empty"), None, False),
        (cond("a", "not_empty"), [], False),
    ],
)
def test_each_operator(data: dict[str, Any], answer: Any, expected: bool) -> None:
    assert check(data, {"a": answer}) is expected


def test_a_missing_answer_is_unanswered() -> None:
    assert check(cond("a", "empty"), {}) is True
    assert check(cond("a", "equals", "x"), {}) is False
    assert check(cond("a", "less", 1), {}) is False


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (cond("kinds", "equals", "b"), True),
        (cond("kinds", "equals", "z"), False),
        (cond("kinds", "one_of", ["z", "c"]), True),
        (cond("kinds", "one_of", ["z", "y"]), False),
        (cond("kinds", "not_equals", "b"), False),
        (cond("kinds", "not_equals", "z"), True),
        (cond("kinds", "not_empty"), True),
        (cond("kinds", "greater", 0), False),
    ],
)
def test_list_answers_mean_contains(data: dict[str, Any], expected: bool) -> None:
    assert check(data, {"kinds": ["b", "c"]}) is expected
    assert check(data, {"kinds": ("b", "c")}) is expected


def test_empty_list_answer_contains_nothing() -> None:
    assert check(cond("kinds", "equals", "b"), {"kinds": []}) is False
    assert check(cond("kinds", "not_equals", "b"), {"kinds": []}) is True


@pytest.mark.parametrize(
    ("answer", "items"),
    [
        ("a", ("a",)),
        (3, (3,)),
        (None, (None,)),
        (["a", "b"], ("a", "b")),
        ({"value": "__other__", "other": "祖母"}, ("__other__",)),
        ({"values": ["a", "__other__"], "other": "x"}, ("a", "__other__")),
        ({"values": "broken"}, ()),
        ({"family": "山田"}, ({"family": "山田"},)),
    ],
)
def test_answer_items_follow_the_stored_shapes(answer: Any, items: tuple[Any, ...]) -> None:
    assert answer_items(answer) == items
    # The field types describe the same shapes; both must agree on the chosen values.
    assert [item for item in items if isinstance(item, str)] == chosen_values(answer)


def test_conditions_see_through_other_texts() -> None:
    multi = {"kinds": {"values": ["a", "__other__"], "other": "x"}}
    assert check(cond("kinds", "equals", "a"), multi) is True
    assert check(cond("kinds", "one_of", ["c", "__other__"]), multi) is True
    assert check(cond("kinds", "not_equals", "b"), multi) is True
    single = {"kinds": {"value": "__other__", "other": "祖母"}}
    assert check(cond("kinds", "equals", "__other__"), single) is True
    assert check(cond("kinds", "equals", "a"), single) is False


@pytest.mark.parametrize(
    ("answer", "empty"),
    [
        ({"values": [], "other": ""}, True),
        ({"values": ["a"], "other": ""}, False),
        ({"family": "", "given": "  "}, True),
        ({"family": "山田", "given": ""}, False),
        ({}, True),
    ],
)
def test_compound_answers_are_empty_when_every_part_is(answer: Any, empty: bool) -> None:
    assert check(cond("a", "empty"), {"a": answer}) is empty
    assert check(cond("a", "not_empty"), {"a": answer}) is not empty


def test_yes_no_answers_compare_with_true_and_false() -> None:
    assert check(cond("ok", "equals", True), {"ok": True}) is True
    assert check(cond("ok", "equals", False), {"ok": True}) is False
    assert check(cond("ok", "not_equals", True), {"ok": False}) is True
    assert check(cond("ok", "equals", "true"), {"ok": True}) is False
    assert check(cond("ok", "not_empty"), {"ok": False}) is True


def test_all_and_any() -> None:
    both = {"all": [cond("a", "equals", "x"), cond("b", "greater", 1)]}
    either = {"any": [cond("a", "equals", "x"), cond("b", "greater", 1)]}
    assert check(both, {"a": "x", "b": 2}) is True
    assert check(both, {"a": "x", "b": 1}) is False
    assert check(either, {"a": "y", "b": 2}) is True
    assert check(either, {"a": "y", "b": 0}) is False
    nested = {"any": [both, {"all": [cond("c", "empty")]}]}
    assert check(nested, {"a": "y"}) is True
    assert check(nested, {"a": "y", "c": "z"}) is False


def test_evaluate_refuses_an_operator_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="unknown operator"):
        evaluate(Comparison("a", "bigger", 1), {"a": 2})


def test_odd_answers_never_fail() -> None:
    odd: list[Any] = [object(), {"x": 1}, b"bytes", float("nan"), float("inf"), -0.0, 10**40]
    for op, value in [("equals", "x"), ("one_of", ("x", 1)), ("greater", 1), ("less", 1)]:
        for answer in odd:
            evaluate(Comparison("a", op, value), {"a": answer})


# The model and building ----------------------------------------------------------------


def test_existing_constructor_calls_still_work() -> None:
    field = Field("a", "text", {"ja": "A"})
    assert field.show_if is None
    assert field.required_if is None
    assert Page("p", {"ja": "P"}, (field,)).show_if is None


def test_build_form_parses_conditions_and_keeps_them_out_of_params() -> None:
    form = build_form(
        {
            "pages": [
                page(
                    "one",
                    choice("kind"),
                    text(
                        "detail",
                        max_length=5,
                        show_if=cond("kind", "equals", "a"),
                        required_if=cond("kind", "not_equals", "b"),
                    ),
                ),
                page("two", text("more"), show_if=cond("kind", "one_of", ["b", "c"])),
            ]
        }
    )
    detail = form.field("detail")
    assert detail.params == {"max_length": 5}
    assert detail.show_if == Comparison("kind", "equals", "a")
    assert detail.required_if == Comparison("kind", "not_equals", "b")
    assert form.page("two").show_if == Comparison("kind", "one_of", ("b", "c"))
    assert form.page("one").show_if is None
    assert form.field("kind").show_if is None


def test_demo_childcare_form_has_a_conditional_field() -> None:
    data = json.loads((DEMO / "childcare_support.json").read_text("utf-8"))
    check_document(data)
    form = build_form(data["form"])
    other = form.field("relationship_other")
    assert other.show_if == other.required_if == Comparison("relationship", "equals", "other")
    parent = form.page("parent")
    shown = clean_page(parent, {"name": ["山田"], "relationship": ["other"]}, {})
    assert shown.problems == (Problem("relationship_other", "required"),)
    hidden = clean_page(
        parent, {"name": ["山田"], "relationship": ["mother"], "relationship_other": ["祖母"]}, {}
    )
    assert hidden.ok
    assert hidden.values["relationship_other"] is None


# Definition rules ----------------------------------------------------------------------


def test_condition_on_an_unknown_field() -> None:
    assert rule_problems(page("p", text("a", show_if=cond("ghost", "empty")))) == [
        "pages[0].fields[0].show_if: unknown field 'ghost'"
    ]


def test_condition_on_the_field_itself() -> None:
    assert rule_problems(page("p", text("a"), text("b", required_if=cond("b", "empty")))) == [
        "pages[0].fields[1].required_if: field 'b' refers to itself"
    ]


def test_condition_on_a_later_field() -> None:
    assert rule_problems(
        page("p", text("a", show_if=cond("c", "not_empty")), text("b")),
        page("q", text("c")),
    ) == ["pages[0].fields[0].show_if: field 'c' comes later in the form"]


def test_condition_on_a_later_field_of_the_same_page() -> None:
    assert rule_problems(page("p", text("a", show_if=cond("b", "empty")), text("b"))) == [
        "pages[0].fields[0].show_if: field 'b' comes later in the form"
    ]


def test_two_fields_referring_to_each_other_are_circular() -> None:
    problems = rule_problems(
        page("p", text("a", show_if=cond("b", "empty")), text("b", show_if=cond("a", "empty")))
    )
    assert problems == ["pages[0].fields[0].show_if: circular reference 'a' -> 'b' -> 'a'"]


def test_a_longer_cycle_is_circular_too() -> None:
    problems = rule_problems(
        page(
            "p",
            text("a", required_if=cond("c", "empty")),
            text("b", show_if=cond("a", "empty")),
            text("c", show_if=cond("b", "empty")),
        )
    )
    assert problems == [
        "pages[0].fields[0].required_if: circular reference 'a' -> 'c' -> 'b' -> 'a'"
    ]


def test_a_cycle_through_a_page_condition_is_circular() -> None:
    problems = rule_problems(
        page("p", text("a", show_if=cond("b", "empty"))),
        page("q", text("b"), show_if=cond("a", "not_empty")),
    )
    assert problems == ["pages[0].fields[0].show_if: circular reference 'a' -> 'b' -> 'a'"]


def test_page_condition_on_its_own_or_a_later_page() -> None:
    assert rule_problems(
        page("p", text("a"), show_if={"any": [cond("a", "empty"), cond("b", "empty")]}),
        page("q", text("b")),
    ) == [
        "pages[0].show_if: field 'a' is on this page",
        "pages[0].show_if: field 'b' comes later in the form",
    ]


def test_page_condition_on_an_unknown_field() -> None:
    assert rule_problems(
        page("p", text("a")), page("q", text("b"), show_if=cond("x", "empty"))
    ) == ["pages[1].show_if: unknown field 'x'"]


def test_bad_operator_is_reported_by_build_form_with_its_place() -> None:
    assert rule_problems(
        page("p", text("a"), text("b"), text("c", show_if=cond("a", "bigger", 1)))
    ) == ["pages[0].fields[2].show_if: unknown operator 'bigger'"]


def test_one_of_without_a_list_is_reported_by_build_form() -> None:
    assert rule_problems(page("p", choice("a"), text("b", show_if=cond("a", "one_of", "a")))) == [
        "pages[0].fields[1].show_if: 'one_of' needs a non-empty list of values"
    ]


def test_values_must_be_options_of_the_choice_they_test() -> None:
    assert rule_problems(
        page(
            "p",
            choice("kind", "ab"),
            text("x", show_if=cond("kind", "equals", "z")),
            text("y", show_if=cond("kind", "one_of", ["a", "q"])),
            text("z", show_if=cond("kind", "greater", 1)),
        )
    ) == [
        "pages[0].fields[1].show_if: 'z' is not an option of 'kind'",
        "pages[0].fields[2].show_if: 'q' is not an option of 'kind'",
        "pages[0].fields[3].show_if: 'greater' compares numbers but 'kind' is a choice",
    ]


def test_the_other_choice_can_be_tested_but_not_its_text() -> None:
    relation = choice("relation", "ab", other=True)
    build_form(
        {"pages": [page("p", relation, text("x", show_if=cond("relation", "equals", OTHER)))]}
    )
    assert rule_problems(
        page("p", relation, text("x", show_if=cond("relation", "equals", "祖母")))
    ) == ["pages[0].fields[1].show_if: '祖母' is not an option of 'relation'"]
    assert rule_problems(
        page("p", choice("plain", "ab"), text("x", show_if=cond("plain", "equals", OTHER)))
    ) == ["pages[0].fields[1].show_if: '__other__' is not an option of 'plain'"]


def test_every_condition_problem_is_listed_with_the_other_rules() -> None:
    problems = rule_problems(
        page(
            "p",
            text("a", show_if=cond("a", "empty")),
            text("a", required_if=cond("nope", "empty")),
            choice("c", "", show_if=cond("a", "bigger")),
        )
    )
    assert sorted(problems) == sorted(
        [
            "pages[0].fields[2].show_if: unknown operator 'bigger'",
            "field id 'a' is used twice",
            "field 'c': a choice needs options",
            "pages[0].fields[0].show_if: field 'a' refers to itself",
            "pages[0].fields[1].required_if: unknown field 'nope'",
        ]
    )


def test_valid_conditions_pass_the_schema_and_the_rules() -> None:
    check_document(
        document(
            page(
                "p",
                choice("kind"),
                number("age"),
                text(
                    "why",
                    show_if={
                        "all": [
                            cond("kind", "one_of", ["a", "b"]),
                            {"any": [cond("age", "greater", 64), cond("age", "empty")]},
                        ]
                    },
                    required_if=cond("kind", "equals", "a"),
                ),
            ),
            page("q", text("more"), show_if=cond("why", "not_empty")),
        )
    )


@pytest.mark.parametrize(
    ("condition", "path"),
    [
        (cond("kind", "bigger", 1), "form/pages/0/fields/1/show_if/op"),
        (cond("kind", "one_of", "a"), "form/pages/0/fields/1/show_if/value"),
        (cond("kind", "greater", "1"), "form/pages/0/fields/1/show_if/value"),
        (cond("kind", "empty", "a"), "form/pages/0/fields/1/show_if"),
        (cond("kind", "equals"), "form/pages/0/fields/1/show_if"),
        ({"all": []}, "form/pages/0/fields/1/show_if/all"),
        ({"all": [cond("kind", "empty")], "field": "kind"}, "form/pages/0/fields/1/show_if"),
        ({"field": "kind", "op": "empty", "colour": 1}, "form/pages/0/fields/1/show_if"),
    ],
)
def test_the_schema_refuses_malformed_conditions(condition: dict[str, Any], path: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        check_document(document(page("p", choice("kind"), text("x", show_if=condition))))
    assert caught.value.problems
    assert all(p.split(": ")[0] == path for p in caught.value.problems), caught.value.problems


def test_the_schema_checks_page_and_required_if_conditions() -> None:
    bad = document(
        page("p", choice("kind"), text("x", required_if=cond("kind", "bigger", 1))),
        page("q", text("y"), show_if=cond("kind", "less", "1")),
    )
    with pytest.raises(DefinitionError) as caught:
        check_document(bad)
    assert [p.split(": ")[0] for p in caught.value.problems] == [
        "form/pages/0/fields/1/required_if/op",
        "form/pages/1/show_if/value",
    ]


def test_check_document_runs_the_condition_rules() -> None:
    with pytest.raises(DefinitionError) as caught:
        check_document(document(page("p", text("a", show_if=cond("b", "empty")), text("b"))))
    assert caught.value.problems == [
        "pages[0].fields[0].show_if: field 'b' comes later in the form"
    ]


# Visibility ----------------------------------------------------------------------------


@pytest.fixture
def form() -> FormDefinition:
    """Applicant page; a care page only for the elderly; a page whose fields may all hide."""
    return build_form(
        {
            "pages": [
                page(
                    "applicant",
                    choice("reason", "edp", required=True),
                    number("age", show_if=cond("reason", "equals", "e"), required=True),
                    text("detail", required_if=cond("age", "greater", 89)),
                ),
                page(
                    "care",
                    text("care_level", required=True),
                    text("carer", show_if=cond("care_level", "equals", "5")),
                    show_if=cond("reason", "equals", "e"),
                ),
                page(
                    "pregnancy",
                    text("due", required=True, show_if=cond("reason", "equals", "p")),
                    text("clinic", show_if=cond("reason", "equals", "p")),
                ),
                page("end", text("note")),
            ]
        }
    )


def test_visible_fields_follow_the_answers(form: FormDefinition) -> None:
    assert visible_field_ids(form, {}) == {"reason", "detail", "note"}
    assert visible_field_ids(form, {"reason": "e"}) == {
        "reason",
        "age",
        "detail",
        "care_level",
        "note",
    }
    assert visible_field_ids(form, {"reason": "e", "care_level": "5"}) == {
        "reason",
        "age",
        "detail",
        "care_level",
        "carer",
        "note",
    }
    assert visible_field_ids(form, {"reason": "p"}) == {"reason", "detail", "due", "clinic", "note"}


def test_pages_without_visible_fields_are_skipped(form: FormDefinition) -> None:
    ids = lambda answers: [p.id for p in visible_pages(form, answers)]  # noqa: E731
    assert ids({}) == ["applicant", "end"]
    assert ids({"reason": "e"}) == ["applicant", "care", "end"]
    assert ids({"reason": "p"}) == ["applicant", "pregnancy", "end"]
    assert ids({"reason": "d"}) == ["applicant", "end"]


def test_hidden_answers_do_not_show_other_fields(form: FormDefinition) -> None:
    # care_level is stale (the care page is hidden): carer must stay hidden too.
    answers = {"reason": "d", "care_level": "5"}
    assert "carer" not in visible_field_ids(form, answers)
    # age is stale as well: detail must not become required by it.
    assert revalidate(form, {"reason": "d", "age": 95}) == []


def test_drop_hidden_removes_only_hidden_answers(form: FormDefinition) -> None:
    answers = {
        "reason": "p",
        "age": 70,
        "care_level": "5",
        "carer": "x",
        "due": "2025-01-01",
        "note": "n",
        "detail": None,
        "not_in_form": 1,
    }
    assert drop_hidden(form, answers) == {
        "reason": "p",
        "due": "2025-01-01",
        "note": "n",
        "detail": None,
        "not_in_form": 1,
    }
    assert drop_hidden(form, {}) == {}


# Validation with conditions ------------------------------------------------------------


def test_clean_page_without_answers_cleans_every_field(form: FormDefinition) -> None:
    result = clean_page(form.page("applicant"), {"reason": ["d"]})
    assert result.values == {"reason": "d", "age": None, "detail": None}
    assert result.problems == (Problem("age", "required"),)


def test_clean_page_hides_fields_by_same_page_answers(form: FormDefinition) -> None:
    applicant = form.page("applicant")
    result = clean_page(applicant, {"reason": ["d"], "age": ["abc"]}, {})
    assert result.ok
    assert result.values == {"reason": "d", "age": None, "detail": None}
    result = clean_page(applicant, {"reason": ["e"], "age": ["abc"]}, {})
    assert result.problems == (Problem("age", "not_a_number"),)


def test_required_if_uses_same_page_values(form: FormDefinition) -> None:
    applicant = form.page("applicant")
    result = clean_page(applicant, {"reason": ["e"], "age": ["９５"]}, {})
    assert result.values == {"reason": "e", "age": 95, "detail": None}
    assert result.problems == (Problem("detail", "required"),)
    assert clean_page(applicant, {"reason": ["e"], "age": ["95"], "detail": ["x"]}, {}).ok
    assert clean_page(applicant, {"reason": ["e"], "age": ["50"]}, {}).ok


def test_same_page_values_win_over_earlier_answers(form: FormDefinition) -> None:
    result = clean_page(form.page("applicant"), {"reason": ["d"]}, {"reason": "e"})
    assert result.ok
    assert result.values["age"] is None


def test_clean_page_uses_earlier_answers(form: FormDefinition) -> None:
    care = form.page("care")
    hidden = clean_page(care, {"care_level": [""], "carer": [""]}, {"reason": "d"})
    assert hidden.ok
    assert hidden.values == {"care_level": None, "carer": None}
    shown = clean_page(care, {"care_level": [""]}, {"reason": "e"})
    assert shown.problems == (Problem("care_level", "required"),)


def test_a_required_field_stays_required_when_required_if_is_false() -> None:
    form = build_form(
        {
            "pages": [
                page(
                    "p", choice("a"), text("b", required=True, required_if=cond("a", "equals", "a"))
                )
            ]
        }
    )
    result = clean_page(form.pages[0], {"a": ["b"]}, {})
    assert result.problems == (Problem("b", "required"),)


def test_revalidate_respects_visibility(form: FormDefinition) -> None:
    assert revalidate(form, {"reason": "d"}) == []
    assert revalidate(form, {"reason": "e"}) == [
        Problem("age", "required"),
        Problem("care_level", "required"),
    ]
    assert revalidate(form, {"reason": "e", "age": 95, "care_level": "1"}) == [
        Problem("detail", "required")
    ]
    assert revalidate(form, {"reason": "p"}) == [Problem("due", "required")]


def test_first_incomplete_page_skips_hidden_pages(form: FormDefinition) -> None:
    assert first_incomplete_page(form, {"reason": "d"}) is None
    incomplete = first_incomplete_page(form, {"reason": "p"})
    assert incomplete is not None
    assert incomplete.id == "pregnancy"
    incomplete = first_incomplete_page(form, {"reason": "e", "age": 70})
    assert incomplete is not None
    assert incomplete.id == "care"


def test_summary_lists_only_visible_pages_and_fields(form: FormDefinition) -> None:
    rows = summary(form, {"reason": "d", "age": 70, "care_level": "3", "note": "x"}, "ja")
    assert [(p["id"], [r["id"] for r in p["rows"]]) for p in rows] == [
        ("applicant", ["reason", "detail"]),
        ("end", ["note"]),
    ]
    rows = summary(form, {"reason": "e", "age": 70, "care_level": "3"}, "en")
    assert [(p["id"], [r["id"] for r in p["rows"]]) for p in rows] == [
        ("applicant", ["reason", "age", "detail"]),
        ("care", ["care_level"]),
        ("end", ["note"]),
    ]
    assert rows[0]["rows"][0] == {"id": "reason", "type": "choice", "label": "reason", "value": "E"}


def test_conditions_do_not_change_forms_without_them() -> None:
    data = json.loads((FIXTURES / "residence_certificate.json").read_text("utf-8"))
    plain = build_form(data["form"])
    assert visible_pages(plain, {}) == plain.pages
    assert visible_field_ids(plain, {}) == {f.id for f in plain.fields()}
    answers = {"name": "山田", "copies": 2}
    assert drop_hidden(plain, answers) == answers
    assert [p.problems for p in (clean_page(pg, {}, {}) for pg in plain.pages)] == [
        clean_page(pg, {}).problems for pg in plain.pages
    ]


def test_building_does_not_share_condition_data() -> None:
    data = {"pages": [page("p", choice("a"), text("b", show_if=cond("a", "one_of", ["a"])))]}
    original = copy.deepcopy(data)
    form = build_form(data)
    data["pages"][0]["fields"][1]["show_if"]["value"].append("b")
    assert form.field("b").show_if == Comparison("a", "one_of", ("a",))
    assert original != data


# Conditions decided in the browser ------------------------------------------------------


def _cond(data: dict[str, Any]) -> Condition:
    return parse_condition(data, "test")


def test_partial_keeps_only_what_the_page_can_change() -> None:
    local = frozenset({"moved"})
    car = {"field": "kind", "op": "equals", "value": "car"}
    moved = {"field": "moved", "op": "equals", "value": True}
    condition = _cond({"all": [car, moved]})
    assert partial(condition, {"kind": "car"}, local) == _cond(moved)
    assert partial(condition, {"kind": "bike"}, local) is False
    either = _cond({"any": [car, {"field": "moved", "op": "not_empty"}]})
    assert partial(either, {"kind": "car"}, local) is True
    rest = partial(either, {}, local)
    assert not isinstance(rest, bool)
    assert condition_data(rest) == {"field": "moved", "op": "not_empty"}
    assert condition_data(condition) == {"all": [car, moved]}


def test_page_field_states() -> None:
    kind = {
        "id": "kind",
        "type": "choice",
        "label": {"ja": "種別"},
        "options": [
            {"value": "car", "label": {"ja": "車"}},
            {"value": "bike", "label": {"ja": "バイク"}},
        ],
    }
    second = [
        {"id": "moved", "type": "yesno", "label": {"ja": "転居"}},
        {
            "id": "when",
            "type": "date",
            "label": {"ja": "転居日"},
            "show_if": {"field": "moved", "op": "equals", "value": True},
        },
        {
            "id": "plate",
            "type": "text",
            "label": {"ja": "番号"},
            "show_if": {"field": "kind", "op": "equals", "value": "car"},
        },
    ]
    form = build_form(
        {
            "pages": [
                {"id": "a", "title": {"ja": "a"}, "fields": [kind]},
                {"id": "b", "title": {"ja": "b"}, "fields": second},
            ]
        }
    )
    states = page_field_states(form, form.pages[1], {"kind": "bike", "moved": True})
    assert states["moved"] is True
    assert states["plate"] is False
    when = states["when"]
    assert not isinstance(when, bool)
    assert condition_data(when) == {"field": "moved", "op": "equals", "value": True}
    assert page_field_states(form, form.pages[1], {"kind": "car"})["plate"] is True


def test_a_yes_no_question_is_compared_with_true_or_false() -> None:
    page = {
        "id": "p",
        "title": {"ja": "p"},
        "fields": [
            {"id": "moved", "type": "yesno", "label": {"ja": "転居"}},
            {
                "id": "when",
                "type": "date",
                "label": {"ja": "日"},
                "show_if": {"field": "moved", "op": "equals", "value": "yes"},
            },
        ],
    }
    with pytest.raises(DefinitionError, match="compare it with true or false"):
        build_form({"pages": [page]})
    page["fields"][1]["show_if"]["value"] = True
    assert build_form({"pages": [page]}).field("when").show_if is not None
