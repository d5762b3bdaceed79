"""Free text, numbers, money, dates and guidance text."""

import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from forms.fields.base import (
    FieldType,
    FormValue,
    Raw,
    Value,
    _as_text,
    _is_ja,
    register,
)
from forms.model import Field, Problem
from forms.normalise import (
    normalise_number,
    normalise_text,
)
from forms.wareki import parse_date, to_seireki, to_wareki

# Text ----------------------------------------------------------------------------------


@register
class TextType(FieldType):
    """A single line of text."""

    name = "text"


def _normalise_lines(text: str) -> str:
    """Normalise each line but keep the line breaks (CR LF counts as one)."""
    return "\n".join(normalise_text(line) for line in text.splitlines()).strip("\n")


@register
class LongTextType(FieldType):
    """Several lines of text; line breaks are kept."""

    name = "textarea"
    default_max_length = 5000

    def normalise(self, text: str) -> str:
        """Normalise each line but keep the line breaks."""
        return _normalise_lines(text)


# Numbers -------------------------------------------------------------------------------

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


_AMOUNT = re.compile(r"[0-9]+(\.[0-9]+)?")
#: Yen marks typed before an amount; a Japanese keyboard shows the backslash as ¥.
_YEN_MARKS = ("¥", "￥", "\\")
#: 999兆円 and more is not an amount any form asks for.
_MAX_YEN = 10**15 - 1


@register
class MoneyType(FieldType):
    """An amount of yen, stored as an int.

    Accepts "1200", "1,200", "１，２００円", "¥1,200" and "1200.0"; an amount with sen
    ("1200.5") is ``not_integer``. Amounts below zero are refused (``too_small`` with
    ``{"min": 0}``) unless the field's ``min`` is negative; ``min`` and ``max`` bound the
    amount like a number's.
    """

    name = "money"

    def convert(self, field: Field, text: str) -> tuple[Value, list[Problem]]:
        """Strip the yen marks and separators, then parse a whole amount of yen."""
        amount = normalise_number(text)
        sign = "-" if amount.startswith("-") else ""
        amount = amount.removeprefix("-")
        for mark in _YEN_MARKS:
            amount = amount.removeprefix(mark)
        amount = amount.removesuffix("円")
        if not sign and amount.startswith("-"):  # "¥-1200"
            sign, amount = "-", amount[1:]
        if not _AMOUNT.fullmatch(amount) or len(amount) > 40:
            return text, [Problem(field.id, "not_a_number")]
        number = Decimal(sign + amount)
        if number != number.to_integral_value():
            return text, [Problem(field.id, "not_integer")]
        value = int(number)
        low = field.params.get("min", 0)
        high = field.params.get("max", _MAX_YEN)
        if low is not None and value < Decimal(str(low)):
            return value, [Problem(field.id, "too_small", {"min": low})]
        if high is not None and value > Decimal(str(high)):
            return value, [Problem(field.id, "too_large", {"max": high})]
        return value, []

    def display(self, field: Field, value: Value, locale: str) -> str:
        """Show "1,200円" in Japanese and "¥1,200" in other languages."""
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > _MAX_YEN * 1000:
            return super().display(field, value, locale)
        sign = "-" if value < 0 else ""
        if _is_ja(locale):
            return f"{sign}{abs(value):,}円"
        return f"{sign}¥{abs(value):,}"


# Dates ---------------------------------------------------------------------------------


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
            day = date.fromisoformat(_as_text(value))
        except ValueError:
            return _as_text(value)
        if _is_ja(locale):
            return f"{to_wareki(day)}（{to_seireki(day)}）"
        return day.isoformat()


@register
class GuidanceType(FieldType):
    """Text shown between questions (setting ``body``); it has no input and no value."""

    name = "guidance"

    def inputs(self, field: Field) -> tuple[str, ...]:
        """None."""
        return ()

    def clean(self, field: Field, raw: Raw) -> tuple[Value, list[Problem]]:
        """Nothing to clean."""
        return None, []

    def clean_inputs(
        self, field: Field, raw: Mapping[str, Sequence[str]]
    ) -> tuple[Value, list[Problem]]:
        """Nothing to clean."""
        return None, []

    def display(self, field: Field, value: Value, locale: str) -> str:
        """No answer to show."""
        return ""

    def form_value(self, value: Value) -> str:
        """No input."""
        return ""

    def form_values(self, field: Field, value: Value) -> dict[str, FormValue]:
        """No input."""
        return {}
