"""Single and multiple choices (with an optional "other" text) and yes/no."""

from collections.abc import Mapping, Sequence

from forms.fields.base import (
    OTHER,
    WRONG_TYPE,
    FieldType,
    FormValue,
    Raw,
    Value,
    _as_text,
    _first,
    _is_ja,
    _limit,
    _read,
    _scalar_form_value,
    register,
)
from forms.model import Field, Problem
from forms.normalise import (
    normalise_text,
    to_half_width,
)
from forms.words import word

# Choices -------------------------------------------------------------------------------


def _other_text(other: str, locale: str) -> str:
    return word("other", locale, text=other)


def chosen_values(value: Value) -> list[str]:
    """The option values of a ``choice`` or ``multichoice`` answer, whatever its shape.

    A choice answer is an option value, or ``{"value": "__other__", "other": text}``;
    a multichoice answer is a list of option values, or ``{"values": [...], "other":
    text}``. Conditions and fees comparing answers with option values should look at
    these values rather than at the stored shape.
    """
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        if isinstance(value.get("value"), str):
            return [value["value"]]
        value = value.get("values")
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return []


def _other_limit(field: Field) -> int:
    return _limit(field, 200)


@register
class ChoiceType(FieldType):
    """One of a fixed list of options, shown as radio buttons or a select box.

    Settings: ``widget`` ("radio", the default, or "select") and ``other``: when true,
    the reserved value "__other__" may be chosen, with a text typed in the input
    ``<id>.other`` (code ``other_required`` when it is empty). An ordinary answer is
    stored as the option value; the other choice as ``{"value": "__other__", "other":
    text}``.
    """

    name = "choice"
    grouped = True

    def inputs(self, field: Field) -> tuple[str, ...]:
        """The choice, and the "other" text when the field offers one."""
        if field.params.get("other"):
            return (field.id, f"{field.id}.other")
        return (field.id,)

    def convert(self, field: Field, text: str) -> tuple[Value, list[Problem]]:
        """Accept only one of the declared option values (or "__other__" if offered)."""
        if text == OTHER and field.params.get("other"):
            return text, []
        if text not in {option.value for option in field.options}:
            return None, [Problem(field.id, "invalid_choice")]
        return text, []

    def clean_inputs(
        self, field: Field, raw: Mapping[str, Sequence[str]]
    ) -> tuple[Value, list[Problem]]:
        """Clean the choice; the other choice needs its text."""
        value, problems = self.clean(field, raw.get(field.id, ()))
        if value != OTHER or problems:
            return value, problems
        item = _first(raw.get(f"{field.id}.other", ()))
        other, problems = _read(field, item, _other_limit(field), normalise_text, "other")
        if problems:
            return None, problems
        if not other:
            return None, [Problem(field.id, "other_required")]
        return {"value": OTHER, "other": other}, []

    def display(self, field: Field, value: Value, locale: str) -> str:
        """Show the option's label rather than its stored value, or the other text."""
        if value is None:
            return ""
        if isinstance(value, Mapping) and isinstance(value.get("other"), str):
            return _other_text(value["other"], locale)
        if isinstance(value, str):
            return field.option_label(value, locale)
        return _as_text(value)

    def form_values(self, field: Field, value: Value) -> dict[str, FormValue]:
        """The chosen value, and the other text when the field offers one."""
        other = ""
        if isinstance(value, Mapping):
            text = value.get("other")
            other = text if isinstance(text, str) else WRONG_TYPE
            chosen = OTHER if value.get("value") == OTHER else WRONG_TYPE
        else:
            chosen = _scalar_form_value(value)
        values: dict[str, FormValue] = {field.id: chosen}
        if field.params.get("other"):
            values[f"{field.id}.other"] = other
        return values


#: More raw values than this for one multichoice input are refused as invalid.
_MAX_RAW_VALUES = 500


def _count_param(field: Field, key: str) -> int | None:
    count = field.params.get(key)
    return count if isinstance(count, int) and not isinstance(count, bool) else None


@register
class MultiChoiceType(FieldType):
    """Several of a fixed list of options, shown as checkboxes.

    Settings: ``min_choices`` and ``max_choices`` (codes ``too_few_choices`` with
    ``{"min": n}``, ``too_many_choices`` with ``{"max": n}``; they apply once anything
    is chosen, ``required`` decides whether something must be), and ``other`` as for
    ``choice``. The input is one name with several values. Stored as a list of option
    values in the order of the options, or ``{"values": [...], "other": text}`` when
    "__other__" is among them.
    """

    name = "multichoice"
    multiple = True
    grouped = True

    def inputs(self, field: Field) -> tuple[str, ...]:
        """The checkboxes, and the "other" text when the field offers one."""
        if field.params.get("other"):
            return (field.id, f"{field.id}.other")
        return (field.id,)

    def clean(self, field: Field, raw: Raw) -> tuple[Value, list[Problem]]:
        """Clean the checked values (without an "other" text)."""
        return self.clean_inputs(field, {field.id: raw})

    def clean_inputs(
        self, field: Field, raw: Mapping[str, Sequence[str]]
    ) -> tuple[Value, list[Problem]]:
        """Check every value is an option, count them, and read the other text."""
        items: object = raw.get(field.id, ())
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list | tuple) or len(items) > _MAX_RAW_VALUES:
            return None, [Problem(field.id, "invalid_value")]
        order = [option.value for option in field.options]
        if field.params.get("other"):
            order.append(OTHER)
        chosen: set[str] = set()
        for item in items:
            text, problems = _read(field, item, 200, normalise_text)
            if problems:
                return None, problems
            if text and text not in order:
                return None, [Problem(field.id, "invalid_choice")]
            if text:
                chosen.add(text)
        if not chosen:
            return None, [Problem(field.id, "required")] if field.required else []
        values = [value for value in order if value in chosen]
        return self._counted(field, raw, values)

    def _counted(
        self, field: Field, raw: Mapping[str, Sequence[str]], values: list[str]
    ) -> tuple[Value, list[Problem]]:
        problems: list[Problem] = []
        low, high = _count_param(field, "min_choices"), _count_param(field, "max_choices")
        if low is not None and len(values) < low:
            problems.append(Problem(field.id, "too_few_choices", {"min": low}))
        if high is not None and len(values) > high:
            problems.append(Problem(field.id, "too_many_choices", {"max": high}))
        if OTHER not in values:
            return values, problems
        item = _first(raw.get(f"{field.id}.other", ()))
        other, found = _read(field, item, _other_limit(field), normalise_text, "other")
        problems += found
        if not found and not other:
            problems.append(Problem(field.id, "other_required"))
        return {"values": values, "other": other}, problems

    def display(self, field: Field, value: Value, locale: str) -> str:
        """Show the labels of the chosen options, and the other text."""
        if value is None:
            return ""
        other = value.get("other") if isinstance(value, Mapping) else None
        labels = [
            _other_text(str(other or ""), locale)
            if item == OTHER
            else field.option_label(item, locale)
            for item in chosen_values(value)
        ]
        if not labels and not isinstance(value, list | Mapping):
            return _as_text(value)
        return ("、" if _is_ja(locale) else ", ").join(labels)

    def form_value(self, value: Value) -> str:
        """Several values do not fit one text; see form_values."""
        return ", ".join(chosen_values(value))

    def form_values(self, field: Field, value: Value) -> dict[str, FormValue]:
        """The checked values as a list, and the other text when the field offers one."""
        items: object = value
        other: object = ""
        if isinstance(value, Mapping):
            items, other = value.get("values"), value.get("other")
        values: dict[str, FormValue]
        if value is None:
            values = {field.id: []}
        elif isinstance(items, list) and all(isinstance(item, str) for item in items):
            values = {field.id: list(items)}
        else:
            values = {field.id: WRONG_TYPE}
        if field.params.get("other"):
            values[f"{field.id}.other"] = other if isinstance(other, str) else WRONG_TYPE
        return values


def _normalise_choice(text: str) -> str:
    return to_half_width(normalise_text(text)).lower()


_YES = {"yes", "true", "1", "はい"}
_NO = {"no", "false", "0", "いいえ"}


@register
class YesNoType(FieldType):
    """A yes or no question shown as two radio buttons ("yes", "no"); stored as a bool.

    ``required`` means one of the two must be chosen: "no" is an answer.
    """

    name = "yesno"
    grouped = True

    def normalise(self, text: str) -> str:
        """Half-width, lower case."""
        return _normalise_choice(text)

    def convert(self, field: Field, text: str) -> tuple[Value, list[Problem]]:
        """Accept "yes" or "no" (also true/false, 1/0, はい/いいえ)."""
        if text in _YES:
            return True, []
        if text in _NO:
            return False, []
        return None, [Problem(field.id, "invalid_choice")]

    def display(self, field: Field, value: Value, locale: str) -> str:
        """はい/いいえ in Japanese, Yes/No in English, and so on."""
        if value is True:
            return word("yes", locale)
        if value is False:
            return word("no", locale)
        return super().display(field, value, locale)

    def form_value(self, value: Value) -> str:
        """ "yes" or "no", the values of the radio buttons."""
        if value is None:
            return ""
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return WRONG_TYPE
