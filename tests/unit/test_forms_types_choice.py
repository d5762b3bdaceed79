"""Tests for choice (widget, "other") and multichoice field types."""

from __future__ import annotations

from typing import Any

import pytest

from forms.fields import OTHER, chosen_values, field_type
from forms.model import Field, Option, Problem
from tests.unit.field_helpers import round_trip

LABEL = {"ja": "項目", "en": "Item"}
OPTIONS = (
    Option("bus", {"ja": "バス", "en": "Bus"}),
    Option("train", {"ja": "電車", "en": "Train"}),
    Option("car", {"ja": "自動車"}),
)


def make(type_: str, *, required: bool = False, **params: Any) -> Field:
    """Return a field with the three options and the given params."""
    return Field(id="f", type=type_, label=LABEL, required=required, options=OPTIONS, params=params)


def clean(f: Field, raw: dict[str, Any]) -> tuple[Any, list[Problem]]:
    """Clean a mapping of input names to raw values."""
    return field_type(f.type).clean_inputs(f, raw)


# choice --------------------------------------------------------------------------------


def test_choice_inputs_depend_on_other() -> None:
    choice = field_type("choice")
    assert choice.inputs(make("choice")) == ("f",)
    assert choice.inputs(make("choice", other=True)) == ("f", "f.other")
    assert choice.inputs(make("choice", widget="select")) == ("f",)


def test_choice_ordinary_answers_stay_plain_strings() -> None:
    f = make("choice", other=True)
    assert clean(f, {"f": ["bus"]}) == ("bus", [])
    # Text typed in "other" is dropped when another option is chosen.
    assert clean(f, {"f": ["bus"], "f.other": ["徒歩"]}) == ("bus", [])


def test_choice_other_needs_its_text() -> None:
    f = make("choice", other=True)
    assert clean(f, {"f": [OTHER], "f.other": ["  徒歩\u3000"]}) == (
        {"value": OTHER, "other": "徒歩"},
        [],
    )
    assert clean(f, {"f": [OTHER]}) == (None, [Problem("f", "other_required")])
    assert clean(f, {"f": [OTHER], "f.other": [" "]}) == (None, [Problem("f", "other_required")])


def test_choice_other_text_has_a_length_limit_and_no_control_characters() -> None:
    f = make("choice", other=True)
    value, problems = clean(f, {"f": [OTHER], "f.other": ["あ" * 201]})
    assert problems == [Problem("f", "too_long", {"max": 200, "part": "other"})]
    value, problems = clean(f, {"f": [OTHER], "f.other": ["徒\x00歩"]})
    assert problems == [Problem("f", "control_characters", {"part": "other"})]


def test_choice_other_is_refused_when_not_offered() -> None:
    assert clean(make("choice"), {"f": [OTHER]}) == (None, [Problem("f", "invalid_choice")])


def test_choice_required_and_invalid() -> None:
    f = make("choice", required=True, widget="select")
    assert clean(f, {"f": [""]}) == (None, [Problem("f", "required")])
    assert clean(f, {}) == (None, [Problem("f", "required")])
    assert clean(f, {"f": ["plane"]}) == (None, [Problem("f", "invalid_choice")])


def test_choice_display() -> None:
    f = make("choice", other=True)
    choice = field_type("choice")
    assert choice.display(f, "train", "ja") == "電車"
    assert choice.display(f, "train", "en") == "Train"
    assert choice.display(f, "car", "en") == "自動車"
    assert choice.display(f, {"value": OTHER, "other": "徒歩"}, "ja") == "その他（徒歩）"
    assert choice.display(f, {"value": OTHER, "other": "徒歩"}, "en") == "Other (徒歩)"
    assert choice.display(f, None, "ja") == ""
    assert choice.display(f, ["bus"], "ja") == "['bus']"  # never a crash


@pytest.mark.parametrize("value", ["bus", "car", {"value": OTHER, "other": "徒歩"}])
def test_choice_round_trips(value: Any) -> None:
    assert round_trip(make("choice", other=True), value) == (value, [])


def test_choice_form_values() -> None:
    choice = field_type("choice")
    assert choice.form_values(make("choice"), "bus") == {"f": "bus"}
    assert choice.form_values(make("choice", other=True), "bus") == {"f": "bus", "f.other": ""}
    assert choice.form_values(make("choice", other=True), None) == {"f": "", "f.other": ""}
    assert choice.form_values(make("choice", other=True), {"value": OTHER, "other": "徒歩"}) == {
        "f": OTHER,
        "f.other": "徒歩",
    }


@pytest.mark.parametrize(
    "stored",
    [["bus"], {"value": "bus"}, {"value": OTHER, "other": 3}, True, {"x": 1}],
)
def test_choice_wrong_typed_stored_values_are_problems(stored: Any) -> None:
    value, problems = round_trip(make("choice", other=True), stored)
    assert value is None
    assert problems and problems[0].code in ("invalid_value", "invalid_choice")


def test_choice_stored_other_answer_in_a_field_without_other_is_refused() -> None:
    stored = {"value": OTHER, "other": "徒歩"}
    assert round_trip(make("choice"), stored) == (None, [Problem("f", "invalid_choice")])


# multichoice ---------------------------------------------------------------------------


def test_multichoice_is_multiple_and_grouped() -> None:
    kind = field_type("multichoice")
    assert kind.multiple is True
    assert kind.grouped is True
    assert kind.inputs(make("multichoice")) == ("f",)
    assert kind.inputs(make("multichoice", other=True)) == ("f", "f.other")


def test_multichoice_stores_values_in_option_order_without_duplicates() -> None:
    f = make("multichoice")
    assert clean(f, {"f": ["car", "bus", "car"]}) == (["bus", "car"], [])
    assert clean(f, {"f": ["train"]}) == (["train"], [])
    assert clean(f, {"f": [" train "]}) == (["train"], [])


def test_multichoice_required_and_empty() -> None:
    assert clean(make("multichoice", required=True), {}) == (None, [Problem("f", "required")])
    assert clean(make("multichoice", required=True), {"f": [""]}) == (
        None,
        [Problem("f", "required")],
    )
    assert clean(make("multichoice"), {"f": []}) == (None, [])
    # Counting applies only once something is chosen.
    assert clean(make("multichoice", min_choices=2), {}) == (None, [])


def test_multichoice_refuses_unknown_values() -> None:
    f = make("multichoice")
    assert clean(f, {"f": ["bus", "plane"]}) == (None, [Problem("f", "invalid_choice")])
    assert clean(f, {"f": [OTHER]}) == (None, [Problem("f", "invalid_choice")])


def test_multichoice_counts() -> None:
    f = make("multichoice", min_choices=2, max_choices=2)
    assert clean(f, {"f": ["bus", "car"]}) == (["bus", "car"], [])
    assert clean(f, {"f": ["bus"]}) == (["bus"], [Problem("f", "too_few_choices", {"min": 2})])
    assert clean(f, {"f": ["bus", "car", "train"]}) == (
        ["bus", "train", "car"],
        [Problem("f", "too_many_choices", {"max": 2})],
    )


def test_multichoice_other() -> None:
    f = make("multichoice", other=True, max_choices=2)
    assert clean(f, {"f": ["bus", OTHER], "f.other": ["徒歩"]}) == (
        {"values": ["bus", OTHER], "other": "徒歩"},
        [],
    )
    value, problems = clean(f, {"f": [OTHER]})
    assert problems == [Problem("f", "other_required")]
    # "other" counts as a choice.
    value, problems = clean(f, {"f": ["bus", "car", OTHER], "f.other": ["徒歩"]})
    assert problems == [Problem("f", "too_many_choices", {"max": 2})]
    # The other text is dropped when "other" is not ticked.
    assert clean(f, {"f": ["bus"], "f.other": ["徒歩"]}) == (["bus"], [])


def test_multichoice_refuses_raw_input_that_is_not_a_list_of_text() -> None:
    f = make("multichoice")
    assert clean(f, {"f": [["bus"]]}) == (None, [Problem("f", "invalid_value")])
    assert clean(f, {"f": [None]}) == (None, [Problem("f", "invalid_value")])
    assert clean(f, {"f": 3}) == (None, [Problem("f", "invalid_value")])
    assert clean(f, {"f": ["bus"] * 501}) == (None, [Problem("f", "invalid_value")])
    assert clean(f, {"f": "bus"}) == (["bus"], [])  # one value given as text


def test_multichoice_display() -> None:
    f = make("multichoice", other=True)
    kind = field_type("multichoice")
    assert kind.display(f, ["bus", "train"], "ja") == "バス、電車"
    assert kind.display(f, ["bus", "train"], "en") == "Bus, Train"
    assert kind.display(f, {"values": ["car", OTHER], "other": "徒歩"}, "ja") == (
        "自動車、その他（徒歩）"
    )
    assert kind.display(f, {"values": ["car", OTHER], "other": "徒歩"}, "en") == (
        "自動車, Other (徒歩)"
    )
    assert kind.display(f, [], "ja") == ""
    assert kind.display(f, None, "ja") == ""
    assert kind.display(f, 3, "ja") == "3"


def test_multichoice_form_values_are_lists() -> None:
    kind = field_type("multichoice")
    assert kind.form_values(make("multichoice"), ["bus", "car"]) == {"f": ["bus", "car"]}
    assert kind.form_values(make("multichoice"), None) == {"f": []}
    assert kind.form_values(make("multichoice", other=True), None) == {"f": [], "f.other": ""}
    assert kind.form_values(
        make("multichoice", other=True), {"values": ["bus", OTHER], "other": "徒歩"}
    ) == {"f": ["bus", OTHER], "f.other": "徒歩"}


@pytest.mark.parametrize(
    "value", [["bus"], ["bus", "train", "car"], {"values": ["train", OTHER], "other": "徒歩"}]
)
def test_multichoice_round_trips(value: Any) -> None:
    assert round_trip(make("multichoice", other=True), value) == (value, [])


@pytest.mark.parametrize("stored", ["bus", {"bus": True}, [1, 2], [["bus"]], True, 3])
def test_multichoice_wrong_typed_stored_values_are_problems(stored: Any) -> None:
    value, problems = round_trip(make("multichoice"), stored)
    assert value is None
    assert problems == [Problem("f", "invalid_value")]


def test_multichoice_stored_values_no_longer_offered_are_problems() -> None:
    assert round_trip(make("multichoice"), ["plane"]) == (None, [Problem("f", "invalid_choice")])


def test_chosen_values_reads_every_shape() -> None:
    assert chosen_values("bus") == ["bus"]
    assert chosen_values({"value": OTHER, "other": "x"}) == [OTHER]
    assert chosen_values(["bus", "car"]) == ["bus", "car"]
    assert chosen_values({"values": ["bus", OTHER], "other": "x"}) == ["bus", OTHER]
    assert chosen_values(None) == []
    assert chosen_values(3) == []
    assert chosen_values(["bus", 3]) == ["bus"]
