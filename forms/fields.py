"""Field types: one class per type in a registry that is checked at start-up."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from forms.model import Field, Problem
from forms.normalise import normalise_email, normalise_number, normalise_text
from forms.wareki import parse_date, to_seireki, to_wareki

Raw = Sequence[str]
Value = Any


class FieldType:
    """Base class: turns raw form input into a stored value and describes problems."""

    name: ClassVar[str] = ""
    multiple: ClassVar[bool] = False
    input_type: ClassVar[str] = "text"
    #: Whether the label is a fieldset legend (radio groups) rather than a <label>.
    grouped: ClassVar[bool] = False

    def clean(self, field: Field, raw: Raw) -> tuple[Value, list[Problem]]:
        """Normalise raw input and validate it; return the value and any problems."""
        text = normalise_text(raw[0]) if raw else ""
        if not text:
            return None, [Problem(field.id, "required")] if field.required else []
        return self.convert(field, text)

    def convert(self, field: Field, text: str) -> tuple[Value, list[Problem]]:
        """Convert non-empty normalised text into a value (override per type)."""
        return text, []

    def display(self, field: Field, value: Value, locale: str) -> str:
        """Render a stored value as text for people."""
        return "" if value is None else str(value)

    def form_value(self, value: Value) -> str:
        """Render a stored value back into the input it came from."""
        return "" if value is None else str(value)

    # Compound types (a name with フリガナ, an address) have several inputs; they
    # override these three methods. Simple types have one input named like the field.

    def inputs(self, field: Field) -> tuple[str, ...]:
        """Names of the HTML inputs this field reads."""
        return (field.id,)

    def clean_inputs(
        self, field: Field, raw: Mapping[str, Sequence[str]]
    ) -> tuple[Value, list[Problem]]:
        """Clean the raw values of all this field's inputs."""
        return self.clean(field, list(raw.get(field.id, ())))

    def form_values(self, field: Field, value: Value) -> dict[str, str]:
        """Render a stored value back into each of this field's inputs."""
        return {field.id: self.form_value(value)}


REGISTRY: dict[str, FieldType] = {}


def register(cls: type[FieldType]) -> type[FieldType]:
    """Class decorator adding a field type to the registry, refusing duplicates."""
    if not cls.name or cls.name in REGISTRY:
        raise ValueError(f"field type name missing or registered twice: {cls.name!r}")
    REGISTRY[cls.name] = cls()
    return cls


def field_type(name: str) -> FieldType:
    """Return the registered field type; KeyError for an unknown name."""
    return REGISTRY[name]


def check_registry(required: Sequence[str]) -> None:
    """Fail start-up when a field type the schema promises is not registered."""
    missing = sorted(set(required) - set(REGISTRY))
    if missing:
        raise RuntimeError(f"field types without an implementation: {', '.join(missing)}")


def _length_problems(field: Field, text: str) -> list[Problem]:
    limit = field.params.get("max_length")
    if limit is not None and len(text) > int(limit):
        return [Problem(field.id, "too_long", {"max": int(limit)})]
    return []


@register
class TextType(FieldType):
    """A single line of text."""

    name = "text"

    def convert(self, field: Field, text: str) -> tuple[Value, list[Problem]]:
        """Keep the text, checking its length."""
        return text, _length_problems(field, text)


@register
class LongTextType(FieldType):
    """Several lines of text; line breaks are kept."""

    name = "textarea"

    def clean(self, field: Field, raw: Raw) -> tuple[Value, list[Problem]]:
        """Normalise each line but keep the line breaks."""
        lines = [normalise_text(line) for line in (raw[0] if raw else "").splitlines()]
        text = "\n".join(lines).strip("\n")
        if not text:
            return None, [Problem(field.id, "required")] if field.required else []
        return text, _length_problems(field, text)


#: Numbers with this many digits before the decimal point or more are refused.
_MAX_DIGITS = 30


@register
class NumberType(FieldType):
    """An integer or decimal number with optional bounds."""

    name = "number"
    input_type = "number"

    def convert(self, field: Field, text: str) -> tuple[Value, list[Problem]]:
        """Parse the number, then check it is whole if required and within bounds."""
        try:
            number = Decimal(normalise_number(text))
        except InvalidOperation:
            return text, [Problem(field.id, "not_a_number")]
        # Refuse absurd magnitudes ("1e999999999"): int() of them would exhaust memory.
        if not number.is_finite() or number.adjusted() >= _MAX_DIGITS:
            return text, [Problem(field.id, "not_a_number")]
        if not field.params.get("decimal") and number != number.to_integral_value():
            return text, [Problem(field.id, "not_integer")]
        return self._bounded(field, number)

    def _bounded(self, field: Field, number: Decimal) -> tuple[Value, list[Problem]]:
        value: Value = int(number) if not field.params.get("decimal") else str(number)
        low, high = field.params.get("min"), field.params.get("max")
        if low is not None and number < Decimal(str(low)):
            return value, [Problem(field.id, "too_small", {"min": low})]
        if high is not None and number > Decimal(str(high)):
            return value, [Problem(field.id, "too_large", {"max": high})]
        return value, []


@register
class DateType(FieldType):
    """A date typed in 西暦 or 和暦; stored as an ISO string."""

    name = "date"
    input_type = "date"

    def convert(self, field: Field, text: str) -> tuple[Value, list[Problem]]:
        """Parse the date leniently and check it against past/future limits."""
        try:
            day = parse_date(text)
        except ValueError:
            return text, [Problem(field.id, "invalid_date")]
        return day.isoformat(), self._limits(field, day)

    def _limits(self, field: Field, day: date) -> list[Problem]:
        today = date.today()
        if field.params.get("past") and day > today:
            return [Problem(field.id, "date_not_past")]
        if field.params.get("future") and day < today:
            return [Problem(field.id, "date_not_future")]
        return []

    def display(self, field: Field, value: Value, locale: str) -> str:
        """Show the date; in Japanese locales with 和暦 beside 西暦."""
        if not value:
            return ""
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        if locale.startswith("ja"):
            return f"{to_wareki(day)}（{to_seireki(day)}）"
        return day.isoformat()


@register
class ChoiceType(FieldType):
    """One of a fixed list of options, shown as radio buttons."""

    name = "choice"
    grouped = True

    def convert(self, field: Field, text: str) -> tuple[Value, list[Problem]]:
        """Accept only one of the declared option values."""
        if text not in {option.value for option in field.options}:
            return None, [Problem(field.id, "invalid_choice")]
        return text, []

    def display(self, field: Field, value: Value, locale: str) -> str:
        """Show the option's label rather than its stored value."""
        return "" if value is None else field.option_label(str(value), locale)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@register
class EmailType(FieldType):
    """An e-mail address."""

    name = "email"
    input_type = "email"

    def clean(self, field: Field, raw: Raw) -> tuple[Value, list[Problem]]:
        """Normalise full-width characters, then check the address shape."""
        text = normalise_email(raw[0]) if raw else ""
        if not text:
            return None, [Problem(field.id, "required")] if field.required else []
        if not _EMAIL.match(text) or len(text) > 254:
            return text, [Problem(field.id, "invalid_email")]
        return text, []
