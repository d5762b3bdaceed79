"""Repeating groups: the same questions asked for each of several items (household
members, children), between ``min_items`` and ``max_items`` of them.

Inputs are named ``<group>.count`` (how many items the page shows) and
``<group>.<n>.<input>`` for the inputs of each question of item ``n`` (from 0), so any
field type's inputs nest unchanged. The stored answer is a list with one dict per item,
mapping each question's id to its cleaned value. A problem with a question of an item is
reported on the group with ``{"item": n + 1, "subfield": id}`` added to its params.
"""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from forms.fields.base import (
    WRONG_TYPE,
    FieldType,
    FormValue,
    Raw,
    Value,
    _first,
    _is_ja,
    field_type,
    register,
)
from forms.model import Field, Problem, localise

DEFAULT_MAX_ITEMS = 10
#: Field types a group may not contain: nesting would make names and answers unbounded.
NOT_IN_GROUPS = frozenset({"group", "file", "my_number", "guidance"})


def subfields(field: Field) -> tuple[Field, ...]:
    """The questions asked for each item (built by forms.definition)."""
    fields = field.params.get("fields", ())
    return tuple(f for f in fields if isinstance(f, Field))


def item_limits(field: Field) -> tuple[int, int]:
    """The fewest and most items (the fewest is 1 for a required group by default)."""
    high = field.params.get("max_items", DEFAULT_MAX_ITEMS)
    high = high if isinstance(high, int) and not isinstance(high, bool) and high > 0 else 1
    low = field.params.get("min_items", 1 if field.required else 0)
    low = low if isinstance(low, int) and not isinstance(low, bool) and low >= 0 else 0
    return min(low, high), high


def item_prefix(field: Field, index: int) -> str:
    """The prefix of the input names of item ``index`` (from 0)."""
    return f"{field.id}.{index}."


def count_name(field: Field) -> str:
    """The name of the input that says how many items the page shows."""
    return f"{field.id}.count"


def shown_count(field: Field, raw: Mapping[str, Sequence[str]]) -> int | None:
    """How many items the submitted page showed, within the limits; None if unreadable."""
    text = _first(raw.get(count_name(field), ()))
    # isascii(): "¹" and "１" are digits to str.isdigit() but not numbers int() reads.
    if not isinstance(text, str) or not _ascii_digits(text.strip()) or len(text) > 4:
        return None
    low, high = item_limits(field)
    return max(low, min(int(text), high))


@register
class GroupType(FieldType):
    """A repeating group of questions (``fields``, ``min_items``, ``max_items``,
    ``item_label``)."""

    name = "group"
    grouped = True

    def inputs(self, field: Field) -> tuple[str, ...]:
        """The count and every input of every possible item."""
        names = [count_name(field)]
        for index in range(item_limits(field)[1]):
            prefix = item_prefix(field, index)
            for sub in subfields(field):
                names += [prefix + name for name in field_type(sub.type).inputs(sub)]
        return tuple(names)

    def clean(self, field: Field, raw: Raw) -> tuple[Value, list[Problem]]:
        """A group has several inputs: see clean_inputs."""
        return self.clean_inputs(field, {})

    def clean_inputs(
        self, field: Field, raw: Mapping[str, Sequence[str]]
    ) -> tuple[Value, list[Problem]]:
        """Clean each item's questions, then check the number of items."""
        count = shown_count(field, raw)
        if count is None:
            if count_name(field) in raw:
                return None, [Problem(field.id, "invalid_value")]
            count = item_limits(field)[0]
        items: list[dict[str, Any]] = []
        problems: list[Problem] = []
        for index in range(count):
            item, found = self._clean_item(field, raw, index)
            problems += found
            # An item left wholly blank (an "add another" not filled in) is no item.
            if found or any(value is not None for value in item.values()):
                items.append(item)
        low, _high = item_limits(field)
        if not problems and len(items) < low:
            code = "required" if low == 1 else "too_few_items"
            problems.append(Problem(field.id, code, {"min": low}))
        return (items or None), problems

    def _clean_item(
        self, field: Field, raw: Mapping[str, Sequence[str]], index: int
    ) -> tuple[dict[str, Any], list[Problem]]:
        prefix = item_prefix(field, index)
        own = {name[len(prefix) :]: value for name, value in raw.items() if name.startswith(prefix)}
        item: dict[str, Any] = {}
        problems: list[Problem] = []
        for sub in subfields(field):
            value, found = field_type(sub.type).clean_inputs(sub, own)
            item[sub.id] = value
            problems += [
                Problem(field.id, p.code, {**p.params, "item": index + 1, "subfield": sub.id})
                for p in found
            ]
        return item, problems

    def display(self, field: Field, value: Value, locale: str) -> str:
        """One line per item: 子ども 1：氏名 山田 花子、生年月日 令和2年…."""
        if not isinstance(value, list):
            return super().display(field, value, locale)
        return "\n".join(
            f"{label}：{text}" if _is_ja(locale) else f"{label}: {text}"
            for label, text in (
                (item_name(field, n, locale), _item_text(field, item, locale))
                for n, item in enumerate(value, start=1)
            )
        )

    def rows(self, field: Field, value: Value, locale: str) -> list[list[tuple[str, str]]]:
        """Each item's questions and displayed answers, for a table per item."""
        if not isinstance(value, list):
            return []
        return [
            [
                (localise(sub.label, locale), _sub_display(sub, _get(item, sub.id), locale))
                for sub in subfields(field)
            ]
            for item in value
        ]

    def form_values(self, field: Field, value: Value) -> dict[str, FormValue]:
        """The count and each item's answers in its inputs."""
        return self._rendered(field, value, shown=True)

    def raw_values(self, field: Field, value: Value) -> dict[str, FormValue]:
        """As form_values, through each question's raw_values (never shown)."""
        return self._rendered(field, value, shown=False)

    def _rendered(self, field: Field, value: Value, *, shown: bool) -> dict[str, FormValue]:
        if value is None:
            return {count_name(field): str(item_limits(field)[0])}
        if not isinstance(value, list) or not all(isinstance(i, Mapping) for i in value):
            return {count_name(field): WRONG_TYPE}
        values: dict[str, FormValue] = {count_name(field): str(len(value))}
        for index, item in enumerate(value):
            prefix = item_prefix(field, index)
            for sub in subfields(field):
                kind = field_type(sub.type)
                render = kind.form_values if shown else kind.raw_values
                for name, text in render(sub, item.get(sub.id)).items():
                    values[prefix + name] = text
        return values


def item_name(field: Field, number: int, locale: str) -> str:
    """What item ``number`` (from 1) is called: 子ども 2, or the group's label and 2."""
    label = localise(field.params.get("item_label"), locale) or localise(field.label, locale)
    return f"{label} {number}"


def _get(item: object, key: str) -> Any:
    return item.get(key) if isinstance(item, Mapping) else None


def _sub_display(sub: Field, value: Any, locale: str) -> str:
    return field_type(sub.type).display(sub, value, locale)


def _item_text(field: Field, item: object, locale: str) -> str:
    separator = "、" if _is_ja(locale) else ", "
    parts = [
        f"{localise(sub.label, locale)} {text}"
        for sub in subfields(field)
        if (text := _sub_display(sub, _get(item, sub.id), locale))
    ]
    return separator.join(parts)


def item_fields(field: Field, index: int) -> tuple[Field, ...]:
    """Item ``index``'s questions as fields whose ids carry the item's prefix, so that
    whatever renders a field names its inputs as the group reads them."""
    prefix = item_prefix(field, index)
    return tuple(replace(sub, id=prefix + sub.id) for sub in subfields(field))


def with_item_added(field: Field, raw: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The raw input with one more (empty) item, up to the most allowed."""
    updated = {name: list(values) for name, values in raw.items()}
    count = shown_count(field, raw)
    count = item_limits(field)[0] if count is None else count
    updated[count_name(field)] = [str(min(count + 1, item_limits(field)[1]))]
    return updated


def with_item_removed(
    field: Field, raw: Mapping[str, Sequence[str]], index: int
) -> dict[str, list[str]]:
    """The raw input without item ``index``: later items move up, and the count never
    goes below the fewest allowed (removing then leaves an empty item)."""
    count = shown_count(field, raw)
    count = item_limits(field)[0] if count is None else count
    head = f"{field.id}."
    updated: dict[str, list[str]] = {}
    for name, values in raw.items():
        position = _item_index(name, head)
        if position is None:
            updated[name] = list(values)
        elif position != index:
            rest = name[len(item_prefix(field, position)) :]
            shifted = position - 1 if position > index else position
            updated[item_prefix(field, shifted) + rest] = list(values)
    if 0 <= index < count:
        count -= 1
    updated[count_name(field)] = [str(max(count, item_limits(field)[0]))]
    return updated


def _item_index(name: str, head: str) -> int | None:
    if not name.startswith(head):
        return None
    number, dot, _rest = name[len(head) :].partition(".")
    return int(number) if dot and _ascii_digits(number) and len(number) < 4 else None


def _ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()
