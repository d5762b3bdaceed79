"""Conditions of authority tiers (専決規程), evaluated over answers and computed values.

The shape is the one procedure definitions use for questions, so a builder offers the
same lists (field, operator, value)::

    {"field": "subsidy", "op": "at_most", "value": 500000}
    {"all": [<condition>, ...]}    every condition holds
    {"any": [<condition>, ...]}    at least one condition holds

Operators: ``equals``, ``not_equals``, ``one_of`` (a list of values), ``greater``,
``less``, ``at_most``, ``at_least`` (numbers), ``empty`` and ``not_empty`` (no value).
Numbers compare as Decimal; a missing or non-numeric value makes a numeric comparison
false, so an unexpected answer never lowers the deciding authority by accident.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

OPERATORS = (
    "equals",
    "not_equals",
    "one_of",
    "greater",
    "less",
    "at_most",
    "at_least",
    "empty",
    "not_empty",
)
_NUMERIC = frozenset({"greater", "less", "at_most", "at_least"})
_NO_VALUE = frozenset({"empty", "not_empty"})


def holds(condition: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    """Whether a (valid) condition holds for these values."""
    if "all" in condition:
        return all(holds(part, values) for part in condition["all"])
    if "any" in condition:
        return any(holds(part, values) for part in condition["any"])
    op = condition["op"]
    answer = values.get(condition["field"])
    if op in _NO_VALUE:
        return bool(_is_empty(answer) == (op == "empty"))
    expected = condition["value"]
    if op == "one_of":
        return any(_same(answer, option) for option in expected)
    if op in _NUMERIC:
        return _compare(op, _number(answer), _number(expected))
    return bool(_same(answer, expected) == (op == "equals"))


def fields_used(condition: Mapping[str, Any]) -> Iterator[str]:
    """Every field a (valid) condition looks at."""
    for key in ("all", "any"):
        if key in condition:
            for part in condition[key]:
                yield from fields_used(part)
            return
    yield condition["field"]


def condition_problems(where: str, condition: Any, depth: int = 0) -> list[str]:
    """Return every problem with a condition's shape (empty when it is valid)."""
    if not isinstance(condition, Mapping):
        return [f"{where}: must be an object"]
    if depth > 8:
        return [f"{where}: conditions are nested too deeply"]
    for key in ("all", "any"):
        if key in condition:
            parts = condition[key]
            if set(condition) != {key} or not isinstance(parts, list) or not parts:
                return [f"{where}.{key}: must be the only key and a non-empty list"]
            return [
                problem
                for index, part in enumerate(parts)
                for problem in condition_problems(f"{where}.{key}[{index}]", part, depth + 1)
            ]
    return _comparison_problems(where, condition)


def _comparison_problems(where: str, condition: Mapping[str, Any]) -> list[str]:
    problems = []
    if not isinstance(condition.get("field"), str) or not condition["field"]:
        problems.append(f"{where}.field: must name a question or computed value")
    op = condition.get("op")
    if op not in OPERATORS:
        problems.append(f"{where}.op: must be one of {', '.join(OPERATORS)}")
    elif op in _NO_VALUE:
        if "value" in condition:
            problems.append(f"{where}.value: {op} takes no value")
    elif op == "one_of":
        if not isinstance(condition.get("value"), list) or not condition["value"]:
            problems.append(f"{where}.value: one_of needs a non-empty list")
    elif op in _NUMERIC:
        if _number(condition.get("value")) is None:
            problems.append(f"{where}.value: {op} needs a number")
    elif not isinstance(condition.get("value"), str | int | float | bool):
        problems.append(f"{where}.value: must be text, a number or true/false")
    unknown = set(condition) - {"field", "op", "value"}
    if unknown:
        problems.append(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    return problems


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _compare(op: str, answer: Decimal | None, expected: Decimal | None) -> bool:
    if answer is None or expected is None:
        return False
    if op == "greater":
        return answer > expected
    if op == "less":
        return answer < expected
    if op == "at_most":
        return answer <= expected
    return answer >= expected


def _same(answer: Any, expected: Any) -> bool:
    if isinstance(answer, list):
        return any(_same(item, expected) for item in answer)
    if isinstance(answer, bool) or isinstance(expected, bool):
        return answer is expected
    left, right = _number(answer), _number(expected)
    if left is not None and right is not None:
        return left == right
    return bool(answer == expected)


def _is_empty(answer: Any) -> bool:
    if answer is None:
        return True
    if isinstance(answer, str):
        return not answer.strip()
    if isinstance(answer, list | tuple | dict):
        return not answer
    return False
