"""Field types: one class per type in a registry that is checked at start-up.

Every type normalises input before validating it. Common rules, for every input of
every type (compound types apply them to each part, adding ``{"part": name}`` to the
problem's params):

- Characters no person types (control characters other than tab and line breaks,
  bidirectional controls, lone surrogates, U+FFFE and U+FFFF) are refused with the
  code ``control_characters`` rather than removed: dropping them silently could change
  what the answer says. Invisible characters that copy and paste brings along
  (zero-width space, byte order mark, soft hyphen, direction marks) are removed. Line
  breaks are kept by ``textarea`` only; elsewhere they become spaces.
- Answers longer than the field's ``max_length``, or than the type's default limit
  (1000 characters for one line, 5000 for a textarea, 100 for each part of a name and
  for a declaration's name, 200 for each part of an address and for an "other" text),
  are refused with ``too_long`` and ``{"max": limit}``.
- Raw input that is not text (a list where one value is expected, None, a number) is
  refused with ``invalid_value``. Stored answers of the wrong type render through
  ``form_values`` as :data:`WRONG_TYPE`, so cleaning them again (``revalidate``)
  reports ``invalid_value`` instead of accepting them or crashing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from forms.model import Field, Problem
from forms.normalise import (
    has_control_characters,
    normalise_text,
    remove_invisible,
)

Raw = Sequence[str]
Value = Any
#: What one input is rendered back into: text, or a list of values for checkboxes.
FormValue = str | list[str]

#: Rendered by ``form_values`` for a stored answer of the wrong type (a list where text
#: is expected, a dict for a number). It is the noncharacter U+FFFE, which no keyboard
#: produces, so that cleaning it again reports ``invalid_value``.
WRONG_TYPE = "\ufffe"

#: The value of the "other" choice of ``choice`` and ``multichoice`` fields.
OTHER = "__other__"

#: Raw input this many times longer than the limit is refused before normalisation.
_GUARD_FACTOR = 4


def _is_ja(locale: str) -> bool:
    return locale.startswith("ja")


def _first(raw: object) -> object:
    """The first raw value of an input; "" when there is none."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, list | tuple):
        return raw[0] if raw else ""
    return None


def _read(
    field: Field,
    item: object,
    limit: int,
    normalise: Callable[[str], str],
    part: str | None = None,
) -> tuple[str, list[Problem]]:
    """Check one raw value and normalise it; return the text and at most one problem.

    The length is checked after normalisation (spaces collapsed), except that absurdly
    long input is refused before any work is done on it.
    """
    where: dict[str, Any] = {"part": part} if part else {}
    if not isinstance(item, str) or WRONG_TYPE in item:
        return "", [Problem(field.id, "invalid_value", where)]
    if len(item) > limit * _GUARD_FACTOR + 64:
        return "", [Problem(field.id, "too_long", {"max": limit, **where})]
    if has_control_characters(item):
        return "", [Problem(field.id, "control_characters", where)]
    text = normalise(remove_invisible(item))
    if len(text) > limit:
        return text, [Problem(field.id, "too_long", {"max": limit, **where})]
    return text, []


def _limit(field: Field, default: int) -> int:
    """The field's max_length when it sets a sane one, else the type's default."""
    limit = field.params.get("max_length")
    if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
        return limit
    return default


def _as_text(value: Value) -> str:
    """str() of a stored value, which never fails: an int of more than 4300 digits
    (Python's limit for converting it) is shown as "…"."""
    try:
        return str(value)
    except ValueError:
        return "…"


def _scalar_form_value(value: Value) -> str:
    """Text, numbers and None render as text; anything else is of the wrong type."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return WRONG_TYPE
    text = _as_text(value)
    return WRONG_TYPE if text == "…" and not isinstance(value, str) else text


class FieldType:
    """Base class: turns raw form input into a stored value and describes problems."""

    name: ClassVar[str] = ""
    multiple: ClassVar[bool] = False
    input_type: ClassVar[str] = "text"
    #: Whether the label is a fieldset legend (radio groups) rather than a <label>.
    grouped: ClassVar[bool] = False
    #: Longest answer accepted, in characters after normalisation, unless the field
    #: sets ``max_length``.
    default_max_length: ClassVar[int] = 1000

    def normalise(self, text: str) -> str:
        """Normalise one raw value before validation (override per type)."""
        return normalise_text(text)

    def clean(self, field: Field, raw: Raw) -> tuple[Value, list[Problem]]:
        """Normalise raw input and validate it; return the value and any problems."""
        limit = _limit(field, self.default_max_length)
        text, problems = _read(field, _first(raw), limit, self.normalise)
        if problems:
            # Text too long is returned like other invalid answers; refused input is not.
            return text or None, problems
        if not text:
            return None, [Problem(field.id, "required")] if field.required else []
        return self.convert(field, text)

    def convert(self, field: Field, text: str) -> tuple[Value, list[Problem]]:
        """Convert non-empty normalised text into a value (override per type)."""
        return text, []

    def display(self, field: Field, value: Value, locale: str) -> str:
        """Render a stored value as text for people."""
        return "" if value is None else _as_text(value)

    def form_value(self, value: Value) -> str:
        """Render a stored value back into the input it came from."""
        return _scalar_form_value(value)

    # Compound types (a name with フリガナ, an address) have several inputs; they
    # override these three methods. Simple types have one input named like the field.

    def inputs(self, field: Field) -> tuple[str, ...]:
        """Names of the HTML inputs this field reads."""
        return (field.id,)

    def clean_inputs(
        self, field: Field, raw: Mapping[str, Sequence[str]]
    ) -> tuple[Value, list[Problem]]:
        """Clean the raw values of all this field's inputs."""
        return self.clean(field, raw.get(field.id, ()))

    def form_values(self, field: Field, value: Value) -> dict[str, FormValue]:
        """Render a stored value back into each of this field's inputs (for HTML).

        A value is text, or a list of texts for an input with several values
        (checkboxes).
        """
        return {field.id: self.form_value(value)}

    def raw_values(self, field: Field, value: Value) -> dict[str, FormValue]:
        """Render a stored value into the raw input that produces it again, to check it
        again before submission (``revalidate``). Unlike form_values, the result is never
        shown: a type that must not echo its answer into HTML (``my_number``) overrides
        this, not form_values."""
        return self.form_values(field, value)


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
