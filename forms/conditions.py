"""Conditions that show, hide or require fields and pages depending on earlier answers.

A condition is JSON on a field (``show_if``, ``required_if``) or on a page (``show_if``)::

    {"field": "reason", "op": "equals", "value": "elderly"}
    {"all": [<condition>, ...]}    every condition holds
    {"any": [<condition>, ...]}    at least one condition holds

Operators:

- ``equals``, ``not_equals``: the value is text, a number or true/false. Numbers are
  compared as Decimal, so ``3``, ``3.0`` and ``"3"`` are the same answer.
- ``one_of``: the value is a non-empty list; true when the answer equals any of them.
- ``greater``, ``less``: the value is a number; an answer that is not a number (or is
  missing) makes the comparison false rather than an error.
- ``empty``, ``not_empty``: no value; empty means unanswered, blank text or no choices.

A multiple-choice answer is a list: ``equals`` and ``one_of`` then mean "contains",
and ``not_equals`` means "does not contain" (see answer_items for the stored shapes of
choices with an "other" text). A compound answer (a name, an address) is empty when
all its parts are.

Definitions may only refer to fields that come earlier in the form (page order, then
field order), so visibility is decided in one pass and cycles cannot happen. Answers of
fields hidden in that pass count as unanswered for later conditions, so hiding a field
also hides whatever depends on it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forms.model import FormDefinition, Page

OPERATORS = ("equals", "not_equals", "one_of", "greater", "less", "empty", "not_empty")

#: Deeper nesting than this is refused: no real form needs it, and it bounds recursion.
MAX_DEPTH = 10

Scalar = str | int | float | bool


@dataclass(frozen=True)
class Comparison:
    """A test of one field's answer; ``value`` is a tuple for ``one_of``, None for empty."""

    field: str
    op: str
    value: Scalar | tuple[Scalar, ...] | None = None


@dataclass(frozen=True)
class AllOf:
    """True when every condition holds."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """True when at least one condition holds."""

    conditions: tuple[Condition, ...]


Condition = Comparison | AllOf | AnyOf


# Parsing -------------------------------------------------------------------------------


def parse_condition(data: Any, where: str) -> Condition:
    """Parse condition JSON; DefinitionError lists every problem, each naming its place."""
    # Imported here because forms.model imports this module for the Condition type.
    from forms.model import DefinitionError

    problems: list[str] = []
    condition = _parse(data, where, problems, 1)
    if problems or condition is None:
        raise DefinitionError(problems or [f"{where}: not a condition"])
    return condition


def _parse(data: Any, where: str, problems: list[str], depth: int) -> Condition | None:
    if not isinstance(data, Mapping):
        problems.append(f"{where}: a condition must be an object")
        return None
    if depth > MAX_DEPTH:
        problems.append(f"{where}: conditions are nested more than {MAX_DEPTH} levels deep")
        return None
    for key, kind in (("all", AllOf), ("any", AnyOf)):
        if key in data:
            return _parse_group(data, key, kind, where, problems, depth)
    return _parse_comparison(data, where, problems)


def _parse_group(
    data: Mapping[Any, Any],
    key: str,
    kind: type[AllOf] | type[AnyOf],
    where: str,
    problems: list[str],
    depth: int,
) -> Condition | None:
    if len(data) != 1:
        problems.append(f"{where}: {key!r} cannot be combined with other keys")
        return None
    items = data[key]
    if not isinstance(items, list) or not items:
        problems.append(f"{where}: {key!r} needs a non-empty list of conditions")
        return None
    parts = [
        _parse(item, f"{where}.{key}[{i}]", problems, depth + 1) for i, item in enumerate(items)
    ]
    if any(part is None for part in parts):
        return None
    return kind(tuple(part for part in parts if part is not None))


def _parse_comparison(
    data: Mapping[Any, Any], where: str, problems: list[str]
) -> Comparison | None:
    before = len(problems)
    extra = sorted(str(key) for key in data if key not in ("field", "op", "value"))
    if extra:
        problems.append(f"{where}: unknown key {extra[0]!r}")
    field = data.get("field")
    if not isinstance(field, str) or not field:
        problems.append(f"{where}: a condition needs a field id")
    op = data.get("op")
    if op is None:
        problems.append(f"{where}: a condition needs an operator")
    elif op not in OPERATORS:
        problems.append(f"{where}: unknown operator {op!r}")
    else:
        problem = _value_problem(str(op), data)
        if problem:
            problems.append(f"{where}: {problem}")
    if len(problems) > before:
        return None
    value = data.get("value")
    return Comparison(str(field), str(op), tuple(value) if isinstance(value, list) else value)


def _value_problem(op: str, data: Mapping[Any, Any]) -> str | None:
    """Say what is wrong with a comparison's value for its operator, if anything."""
    if op in ("empty", "not_empty"):
        return f"{op!r} takes no value" if "value" in data else None
    if "value" not in data:
        return f"{op!r} needs a value"
    value = data["value"]
    if op == "one_of":
        if not isinstance(value, list) or not value:
            return "'one_of' needs a non-empty list of values"
        if not all(_is_scalar(item) for item in value):
            return "'one_of' values must be text, numbers or true/false"
        return None
    if op in ("greater", "less"):
        return None if _is_number(value) else f"{op!r} needs a number"
    return None if _is_scalar(value) else f"{op!r} needs text, a number or true/false"


def _is_number(value: Any) -> bool:
    # bool is an int subclass, but true/false is not a number in a form.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return not isinstance(value, float) or math.isfinite(value)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | bool) or _is_number(value)


# Inspection ----------------------------------------------------------------------------


def comparisons(condition: Condition) -> Iterator[Comparison]:
    """Iterate over every comparison inside a condition."""
    if isinstance(condition, Comparison):
        yield condition
        return
    for part in condition.conditions:
        yield from comparisons(part)


def referenced_fields(condition: Condition) -> frozenset[str]:
    """Return the ids of every field a condition looks at."""
    return frozenset(c.field for c in comparisons(condition))


# Evaluation ----------------------------------------------------------------------------


def evaluate(condition: Condition, answers: Mapping[str, Any]) -> bool:
    """Decide a condition on answers; pure, and never fails on odd answer values."""
    if isinstance(condition, AllOf):
        return all(evaluate(part, answers) for part in condition.conditions)
    if isinstance(condition, AnyOf):
        return any(evaluate(part, answers) for part in condition.conditions)
    return _compare(condition, answers.get(condition.field))


def _compare(condition: Comparison, answer: Any) -> bool:
    op, value = condition.op, condition.value
    if op == "empty":
        return _is_empty(answer)
    if op == "not_empty":
        return not _is_empty(answer)
    if op in ("greater", "less"):
        number, limit = _as_decimal(answer), _as_decimal(value)
        if number is None or limit is None:
            return False
        return number > limit if op == "greater" else number < limit
    # A multiple-choice answer holds several values: equality then means "contains".
    items = answer_items(answer)
    if op == "equals":
        return any(_same(item, value) for item in items)
    if op == "not_equals":
        return not any(_same(item, value) for item in items)
    if op == "one_of":
        choices = value if isinstance(value, tuple) else (value,)
        return any(_same(item, choice) for item in items for choice in choices)
    raise ValueError(f"unknown operator {op!r}")


def answer_items(answer: Any) -> tuple[Any, ...]:
    """Return the values an answer holds, whatever shape the field type stores it in.

    A multiple choice is a list, or ``{"values": [...], "other": text}`` when it offers
    "other"; a choice with "other" is ``{"value": ..., "other": text}`` (the shapes of
    forms.fields.chosen_values). Any other answer holds just itself.
    """
    if isinstance(answer, Mapping):
        if "values" in answer:
            inner = answer["values"]
            return tuple(inner) if isinstance(inner, list | tuple) else ()
        if "value" in answer:
            return (answer["value"],)
    if isinstance(answer, list | tuple):
        return tuple(answer)
    return (answer,)


def _is_empty(answer: Any) -> bool:
    if answer is None:
        return True
    if isinstance(answer, str):
        return not answer.strip()
    if isinstance(answer, Mapping):
        # Compound answers (a name, an address, a choice with "other") are empty when
        # every part is.
        return all(_is_empty(part) for part in answer.values())
    if isinstance(answer, list | tuple | set | frozenset):
        return not answer
    return False


def _as_decimal(value: Any) -> Decimal | None:
    """Return a finite Decimal for a number or numeric text, else None."""
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, int | str):
            number = Decimal(value.strip() if isinstance(value, str) else value)
        elif isinstance(value, float):
            number = Decimal(str(value))
        else:
            return None
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _same(answer: Any, value: Any) -> bool:
    if isinstance(value, bool) or isinstance(answer, bool):
        return isinstance(value, bool) and isinstance(answer, bool) and answer == value
    if isinstance(value, int | float):
        number, expected = _as_decimal(answer), _as_decimal(value)
        return number is not None and expected is not None and number == expected
    if answer is None or not isinstance(answer, str | int | float | Decimal):
        return False
    return isinstance(value, str) and str(answer) == value


# Visibility ----------------------------------------------------------------------------


def visible_field_ids(form: FormDefinition, answers: Mapping[str, Any]) -> frozenset[str]:
    """Return the ids of the fields the answers show (page and field conditions hold)."""
    visible: set[str] = set()
    # Answers of visible fields only: a hidden field's stale answer must not show others.
    seen: dict[str, Any] = {}
    for page in form.pages:
        page_shown = page.show_if is None or evaluate(page.show_if, seen)
        for f in page.fields:
            if page_shown and (f.show_if is None or evaluate(f.show_if, seen)):
                visible.add(f.id)
                if f.id in answers:
                    seen[f.id] = answers[f.id]
    return frozenset(visible)


def visible_pages(form: FormDefinition, answers: Mapping[str, Any]) -> tuple[Page, ...]:
    """Return the pages with at least one visible field, in order."""
    visible = visible_field_ids(form, answers)
    return tuple(page for page in form.pages if any(f.id in visible for f in page.fields))


# Conditions decided in the browser ------------------------------------------------------


def partial(
    condition: Condition, known: Mapping[str, Any], local: frozenset[str]
) -> Condition | bool:
    """Decide what the known answers decide; keep only comparisons on ``local`` fields.

    Used for a page whose fields depend on fields of the same page: the earlier answers
    are settled, so the browser is given just the part it can still change.
    """
    if isinstance(condition, Comparison):
        return condition if condition.field in local else evaluate(condition, known)
    parts = [partial(part, known, local) for part in condition.conditions]
    is_all = isinstance(condition, AllOf)
    # A false part decides "all", a true part decides "any".
    decisive = not is_all
    if any(part is decisive for part in parts):
        return decisive
    rest = tuple(part for part in parts if not isinstance(part, bool))
    if not rest:
        return is_all
    if len(rest) == 1:
        return rest[0]
    return AllOf(rest) if is_all else AnyOf(rest)


def condition_data(condition: Condition) -> dict[str, Any]:
    """A condition as JSON-ready data, in the definition format."""
    if isinstance(condition, AllOf):
        return {"all": [condition_data(part) for part in condition.conditions]}
    if isinstance(condition, AnyOf):
        return {"any": [condition_data(part) for part in condition.conditions]}
    data: dict[str, Any] = {"field": condition.field, "op": condition.op}
    if condition.value is not None:
        value = condition.value
        data["value"] = list(value) if isinstance(value, tuple) else value
    return data


def page_field_states(
    form: FormDefinition, page: Page, answers: Mapping[str, Any]
) -> dict[str, Condition | bool]:
    """For each field of a page: shown (True), hidden by earlier answers (False), or a
    condition on fields of this same page, which the browser may decide as the resident
    answers (the server decides it again on submission)."""
    local = frozenset(f.id for f in page.fields)
    visible = visible_field_ids(form, answers)
    known = {key: value for key, value in answers.items() if key in visible and key not in local}
    return {
        f.id: True if f.show_if is None else partial(f.show_if, known, local) for f in page.fields
    }
