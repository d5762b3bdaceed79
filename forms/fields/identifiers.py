"""Identification numbers: 法人番号 and 個人番号 (My Number)."""

from collections.abc import Iterable, Mapping
from typing import Any

from forms.fields.base import (
    FieldType,
    FormValue,
    Raw,
    Value,
    _scalar_form_value,
    register,
)
from forms.japan import (
    is_corporate_number,
    is_my_number,
)
from forms.model import Field, Problem
from forms.normalise import (
    normalise_code,
)

# Identification numbers ----------------------------------------------------------------


def _digits(text: str) -> str:
    return normalise_code(text).replace("-", "")


@register
class CorporateNumberType(FieldType):
    """A 法人番号: 13 digits whose first is a check digit; code ``invalid_corporate_number``.

    Spaces and hyphens between digits are ignored; stored as the 13 digits.
    """

    name = "corporate_number"

    def normalise(self, text: str) -> str:
        """Half-width digits without spaces or hyphens."""
        return _digits(text)

    def convert(self, field: Field, text: str) -> tuple[Value, list[Problem]]:
        """Check the length and the check digit."""
        if not is_corporate_number(text):
            return text, [Problem(field.id, "invalid_corporate_number")]
        return text, []


_MASKED = "●●●● ●●●● ●●●●"


@register
class MyNumberType(FieldType):
    """A 個人番号 (My Number): 12 digits whose last is a check digit.

    Code ``invalid_my_number``. Only procedures entitled by law to collect it may ask
    for it: see :func:`my_number_problems`. The number is stored as its 12 digits, but
    never shown again: display() masks it and form_value() returns "", so it is not
    echoed into HTML. Never log it, and never put it into a problem's params; an invalid
    number is not returned as the value either.
    """

    name = "my_number"

    def normalise(self, text: str) -> str:
        """Half-width digits without spaces or hyphens."""
        return _digits(text)

    def clean(self, field: Field, raw: Raw) -> tuple[Value, list[Problem]]:
        """As for any type, but an invalid number is never returned."""
        value, problems = super().clean(field, raw)
        return (None, problems) if problems else (value, problems)

    def convert(self, field: Field, text: str) -> tuple[Value, list[Problem]]:
        """Check the length and the check digit."""
        if not is_my_number(text):
            return None, [Problem(field.id, "invalid_my_number")]
        return text, []

    def display(self, field: Field, value: Value, locale: str) -> str:
        """Always masked."""
        return "" if value is None else _MASKED

    def form_value(self, value: Value) -> str:
        """Always empty: the number is never echoed back into a page."""
        return ""

    def raw_values(self, field: Field, value: Value) -> dict[str, FormValue]:
        """The stored digits, for checking again (never shown)."""
        return {field.id: _scalar_form_value(value)}


def my_number_allowed(document: Mapping[str, Any]) -> bool:
    """True when a procedure document declares it may collect 個人番号.

    The top-level flag ``"collects_my_number": true`` is the procedure owner's statement
    that the procedure is one of the uses the My Number Act (番号法 別表 or a 条例)
    allows; a field setting alone is not enough.
    """
    return document.get("collects_my_number") is True


def my_number_problems(document: Mapping[str, Any]) -> list[str]:
    """Definition problems: my_number fields in a procedure not entitled to them.

    Works on the raw document (independent of forms.definition) and tolerates a
    malformed one, so it can run beside the schema check.
    """
    if my_number_allowed(document):
        return []
    names = [
        str(f.get("id"))
        for f in _document_fields(document)
        if isinstance(f, Mapping) and f.get("type") == "my_number"
    ]
    if not names:
        return []
    listed = ", ".join(repr(name) for name in names)
    return [
        f"fields {listed} use my_number but the procedure is not entitled to collect it"
        " (collects_my_number)"
    ]


def _document_fields(document: Mapping[str, Any]) -> Iterable[Any]:
    form = document.get("form")
    pages = form.get("pages") if isinstance(form, Mapping) else None
    for page in pages if isinstance(pages, list) else ():
        fields = page.get("fields") if isinstance(page, Mapping) else None
        yield from fields if isinstance(fields, list) else ()
