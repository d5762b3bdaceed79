"""Values computed from the answers, such as a subsidy amount, shown before submitting.

A procedure may declare, at the top level of its document::

    "computed": [
      {"id": "subsidy_amount",
       "label": {"ja": "補助金交付申請額", "en": "Subsidy requested"},
       "formula": "min(floor(eligible_cost / 2 / 1000) * 1000, 500000)",
       "format": "money"}
    ]

Formulas use the fee language of forms/fees.py. They may read field ids and the ids of
computed values declared earlier in the list (so a later value can build on an earlier
one, and no value can depend on itself); ids must be unique and differ from field ids.
Answers of fields hidden by conditions count as unanswered, as they are dropped when the
application is submitted.

A ``money`` value is whole yen rounded down (端数切捨て, as for fees) and an ``int``; a
``number`` value (the default) is an ``int`` when it is whole, else the exact Decimal.
Later formulas see a value as it is shown. Unlike a fee, a value may be negative.
Versions are immutable, so the values are computed again whenever they are shown rather
than stored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from forms.fees import Formula, evaluate_formula, formula_fields, parse_formula
from forms.model import DefinitionError, FormDefinition, Text
from forms.validation import drop_hidden

FORMATS = ("money", "number")
DEFAULT_FORMAT = "number"

Value = Decimal | int


@dataclass(frozen=True)
class Computed:
    """One value computed from the answers: how to name it, compute it and show it."""

    id: str
    label: Text
    formula: Formula
    format: str = DEFAULT_FORMAT
    hint: Text = field(default_factory=dict)


@dataclass(frozen=True)
class Computations:
    """A form and the values computed from its answers, in the order they are declared."""

    form: FormDefinition
    items: tuple[Computed, ...] = ()


def build_computed(data: Sequence[Mapping[str, Any]] | None, form: FormDefinition) -> Computations:
    """Build the computed values of a schema-valid document; DefinitionError lists problems."""
    items, problems = _parse(data or (), [f.id for f in form.fields()])
    if problems:
        raise DefinitionError(problems)
    return Computations(form, items)


def computed_problems(document: Mapping[str, Any]) -> list[str]:
    """Return the problems of a schema-valid document's computed values, each with its place."""
    data = document.get("computed") or ()
    # From the data rather than the model, so a broken form still gets these checked.
    field_ids = [f["id"] for page in document["form"]["pages"] for f in page["fields"]]
    return _parse(data, field_ids)[1]


def computed_values(definition: Computations, answers: Mapping[str, Any]) -> dict[str, Value]:
    """Compute every value, in order, from the answers the form shows."""
    known: dict[str, Any] = drop_hidden(definition.form, answers)
    values: dict[str, Value] = {}
    for item in definition.items:
        value = _settle(evaluate_formula(item.formula, known), item.format)
        values[item.id] = value
        known[item.id] = value
    return values


def _settle(value: Decimal, shown_as: str) -> Value:
    if shown_as == "money":
        return int(value.to_integral_value(rounding=ROUND_FLOOR))
    if value == value.to_integral_value():
        return int(value)
    # normalize() drops the trailing zeros the evaluator settles to (2.5000000000 -> 2.5).
    return value.normalize()


def _parse(
    data: Sequence[Mapping[str, Any]], field_ids: Collection[str]
) -> tuple[tuple[Computed, ...], list[str]]:
    fields = set(field_ids)
    problems = _id_problems(data, fields)
    first: dict[str, int] = {}
    for index, entry in enumerate(data):
        first.setdefault(entry["id"], index)
    items: list[Computed] = []
    for index, entry in enumerate(data):
        where = f"computed[{index}].formula"
        try:
            # Every computed id is known to the parser, so that a forward reference gets a
            # message saying so rather than "unknown name".
            formula = parse_formula(entry["formula"], [*field_ids, *first], where=where)
        except DefinitionError as error:
            problems += error.problems
            continue
        later = {name: i for name, i in first.items() if i >= index and name not in fields}
        problems += _order_problems(formula, entry["id"], later, where)
        items.append(_item(entry, formula))
    return tuple(items), problems


def _id_problems(data: Sequence[Mapping[str, Any]], field_ids: set[str]) -> list[str]:
    problems: list[str] = []
    counts = Counter(entry["id"] for entry in data)
    seen: set[str] = set()
    for index, entry in enumerate(data):
        name = entry["id"]
        if name in field_ids:
            problems.append(f"computed[{index}].id: {name!r} is already a field id")
        elif counts[name] > 1 and name in seen:
            problems.append(f"computed[{index}].id: {name!r} is used twice")
        seen.add(name)
    return problems


def _order_problems(formula: Formula, own: str, later: Mapping[str, int], where: str) -> list[str]:
    """A formula may only read computed values declared before it."""
    problems: list[str] = []
    for name in sorted(formula_fields(formula)):
        position = later.get(name)
        if position is None:
            continue
        if name == own:
            problems.append(f"{where}: {name!r} refers to itself")
        else:
            problems.append(f"{where}: {name!r} is computed later (computed[{position}])")
    return problems


def _item(entry: Mapping[str, Any], formula: Formula) -> Computed:
    return Computed(
        id=entry["id"],
        label=dict(entry["label"]),
        formula=formula,
        format=entry.get("format", DEFAULT_FORMAT),
        hint=dict(entry.get("hint", {})),
    )
