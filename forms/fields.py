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

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from forms.japan import (
    PREFECTURES,
    format_phone,
    is_alphabet_name,
    is_corporate_number,
    is_katakana,
    is_my_number,
)
from forms.model import Field, Problem
from forms.normalise import (
    has_control_characters,
    normalise_address_line,
    normalise_alphabet_name,
    normalise_code,
    normalise_email,
    normalise_number,
    normalise_text,
    remove_invisible,
    to_half_width,
    to_katakana,
)
from forms.postcodes import normalise_postcode
from forms.wareki import parse_date, to_seireki, to_wareki

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


# Choices -------------------------------------------------------------------------------


def _other_text(other: str, locale: str) -> str:
    return f"その他（{other}）" if _is_ja(locale) else f"Other ({other})"


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
        """はい/いいえ in Japanese, Yes/No otherwise."""
        if value is True:
            return "はい" if _is_ja(locale) else "Yes"
        if value is False:
            return "いいえ" if _is_ja(locale) else "No"
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


# Contact details -----------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@register
class EmailType(FieldType):
    """An e-mail address."""

    name = "email"
    input_type = "email"

    def normalise(self, text: str) -> str:
        """Half-width, ＠ as @, trimmed."""
        return normalise_email(text)

    def convert(self, field: Field, text: str) -> tuple[Value, list[Problem]]:
        """Check the address shape."""
        if not _EMAIL.match(text) or len(text) > 254:
            return text, [Problem(field.id, "invalid_email")]
        return text, []


class _CodeType(FieldType):
    """Codes typed as digits and hyphens (phone numbers, postcodes)."""

    def normalise(self, text: str) -> str:
        """Half-width, hyphen look-alikes as "-", no spaces."""
        return normalise_code(text)


@register
class PhoneType(_CodeType):
    """A Japanese phone number, stored hyphenated (see forms.japan.format_phone).

    Full-width digits, hyphen look-alikes, spaces, dots and parentheses are accepted,
    and "+81" becomes "0". Code ``invalid_phone``.
    """

    name = "phone"
    input_type = "tel"

    def convert(self, field: Field, text: str) -> tuple[Value, list[Problem]]:
        """Check the number and group it."""
        formatted = format_phone(text)
        if formatted is None:
            return text, [Problem(field.id, "invalid_phone")]
        return formatted, []


@register
class PostcodeType(_CodeType):
    """A postcode (郵便番号) stored as "100-0001"; code ``invalid_postcode``.

    "〒100-0001", "１００－０００１" and "1000001" are accepted. Whether the postcode
    exists is not checked (new ones appear every month); forms.postcodes.suggest_address
    suggests the address it belongs to.
    """

    name = "postcode"

    def convert(self, field: Field, text: str) -> tuple[Value, list[Problem]]:
        """Check there are 7 digits and write them as NNN-NNNN."""
        code = normalise_postcode(text)
        if code is None:
            return text, [Problem(field.id, "invalid_postcode")]
        return code, []


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


# Compound types ------------------------------------------------------------------------


def _part_name(field: Field, part: str) -> str:
    return f"{field.id}.{part}"


def _read_part(
    field: Field,
    raw: Mapping[str, Sequence[str]],
    part: str,
    limit: int,
    normalise: Callable[[str], str] = normalise_text,
) -> tuple[str, list[Problem]]:
    return _read(field, _first(raw.get(_part_name(field, part), ())), limit, normalise, part)


def _parts_form_values(
    field: Field,
    value: Value,
    parts: Sequence[str],
    render: Callable[[str, Any], str],
    known: Iterable[str] = (),
) -> dict[str, FormValue]:
    """Render a stored dict into its parts' inputs. Anything but a dict, or a dict with
    keys other than the parts (and the ``known`` ones), is of the wrong type."""
    names = [_part_name(field, part) for part in parts]
    values: dict[str, FormValue] = dict.fromkeys(names, "")
    if value is None:
        return values
    if not isinstance(value, Mapping) or not set(value) <= {*parts, *known}:
        values[names[0]] = WRONG_TYPE
        return values
    for name, part in zip(names, parts, strict=True):
        values[name] = render(part, value.get(part))
    return values


def _text_part(part: str, value: Any) -> str:
    return _scalar_form_value(value)


_NAME_LIMIT = 100
_KANA_PARTS = ("family_kana", "given_kana")
_FOREIGN_PARTS = ("alphabet", "kanji", "tsusho")


@register
class NameType(FieldType):
    """A person's name in Japanese: family and given name, with フリガナ.

    Settings: ``kana`` (default true) asks for フリガナ in ``<id>.family_kana`` and
    ``<id>.given_kana``, normalised to full-width katakana (hiragana and half-width
    katakana are converted) and refused unless katakana, ー, ・ and spaces (``kana_only``).
    Names accept any character and are not rewritten (𠮷, 髙, 﨑 and 塚 stay as typed).

    ``foreign`` (default false) adds ``<id>.mode``: "japanese" (the default) or
    "foreign", where the name is written in the alphabet as on the residence card
    (``<id>.alphabet``, required: letters, spaces, hyphens and apostrophes, in capitals;
    code ``alphabet_only``), with an optional name in kanji (``<id>.kanji``) and 通称
    (``<id>.tsusho``).

    Stored as {"family", "given", "family_kana", "given_kana"} (kana parts "" when not
    asked), with "mode": "japanese" when foreign names are offered; foreign names as
    {"mode": "foreign", "alphabet", "kanji", "tsusho"}. An empty required field is
    ``required``; a part missing from a name partly entered is ``required`` with
    ``{"part": ...}``.
    """

    name = "name"
    grouped = True
    default_max_length = _NAME_LIMIT

    def _kana(self, field: Field) -> bool:
        return field.params.get("kana", True) is not False

    def _parts(self, field: Field) -> tuple[str, ...]:
        return ("family", "given", *(_KANA_PARTS if self._kana(field) else ()))

    def _all_parts(self, field: Field) -> tuple[str, ...]:
        if not field.params.get("foreign"):
            return self._parts(field)
        return ("mode", *self._parts(field), *_FOREIGN_PARTS)

    def inputs(self, field: Field) -> tuple[str, ...]:
        """(mode,) family, given, (family_kana, given_kana), (alphabet, kanji, tsusho)."""
        return tuple(_part_name(field, part) for part in self._all_parts(field))

    def clean(self, field: Field, raw: Raw) -> tuple[Value, list[Problem]]:
        """A name has several inputs: see clean_inputs."""
        return self.clean_inputs(field, {})

    def clean_inputs(
        self, field: Field, raw: Mapping[str, Sequence[str]]
    ) -> tuple[Value, list[Problem]]:
        """Clean the name in the mode chosen."""
        if not field.params.get("foreign"):
            return self._japanese(field, raw, {})
        mode, problems = _read_part(field, raw, "mode", 20, _normalise_choice)
        if problems:
            return None, problems
        if mode == "foreign":
            return self._foreign(field, raw)
        if mode not in ("", "japanese"):
            return None, [Problem(field.id, "invalid_choice", {"part": "mode"})]
        return self._japanese(field, raw, {"mode": "japanese"})

    def _japanese(
        self, field: Field, raw: Mapping[str, Sequence[str]], stored: dict[str, str]
    ) -> tuple[Value, list[Problem]]:
        limit = _limit(field, _NAME_LIMIT)
        parts: dict[str, str] = {}
        problems: list[Problem] = []
        for part in self._parts(field):
            normalise = to_katakana if part in _KANA_PARTS else normalise_text
            parts[part], found = _read_part(field, raw, part, limit, normalise)
            problems += found
        if problems:
            return None, problems
        if not any(parts.values()):
            return None, [Problem(field.id, "required")] if field.required else []
        for part, text in parts.items():
            if not text:
                problems.append(Problem(field.id, "required", {"part": part}))
            elif part in _KANA_PARTS and not is_katakana(text):
                problems.append(Problem(field.id, "kana_only", {"part": part}))
        if problems:
            return None, problems
        names = {part: parts.get(part, "") for part in ("family", "given", *_KANA_PARTS)}
        return {**stored, **names}, []

    def _foreign(
        self, field: Field, raw: Mapping[str, Sequence[str]]
    ) -> tuple[Value, list[Problem]]:
        limit = _limit(field, _NAME_LIMIT)
        parts: dict[str, str] = {}
        problems: list[Problem] = []
        for part in _FOREIGN_PARTS:
            normalise = normalise_alphabet_name if part == "alphabet" else normalise_text
            parts[part], found = _read_part(field, raw, part, limit, normalise)
            problems += found
        if problems:
            return None, problems
        if not any(parts.values()):
            return None, [Problem(field.id, "required")] if field.required else []
        if not parts["alphabet"]:
            return None, [Problem(field.id, "required", {"part": "alphabet"})]
        if not is_alphabet_name(parts["alphabet"]):
            return None, [Problem(field.id, "alphabet_only", {"part": "alphabet"})]
        return {"mode": "foreign", **parts}, []

    def display(self, field: Field, value: Value, locale: str) -> str:
        """山田 花子（ヤマダ ハナコ）; a foreign name with its kanji and 通称."""
        if not isinstance(value, Mapping):
            return super().display(field, value, locale)
        ja = _is_ja(locale)
        if value.get("mode") == "foreign":
            main = str(value.get("alphabet") or "")
            extras = [
                f"{label}{sep}{value[key]}"
                for key, label, sep in (
                    ("kanji", "漢字氏名" if ja else "kanji", "：" if ja else ": "),
                    ("tsusho", "通称" if ja else "common name", "：" if ja else ": "),
                )
                if isinstance(value.get(key), str) and value[key]
            ]
            detail = ("、" if ja else "; ").join(extras)
        else:
            main = _joined(value.get("family"), value.get("given"))
            detail = _joined(value.get("family_kana"), value.get("given_kana"))
        if not detail:
            return main
        return f"{main}（{detail}）" if ja else f"{main} ({detail})"

    def form_values(self, field: Field, value: Value) -> dict[str, FormValue]:
        """Each part into its input; the mode as chosen."""
        every = ("mode", "family", "given", *_KANA_PARTS, *_FOREIGN_PARTS)
        return _parts_form_values(field, value, self._all_parts(field), _text_part, every)


def _text_or_empty(item: object) -> str:
    return item if isinstance(item, str) else ""


def _joined(*parts: object) -> str:
    return " ".join(str(part) for part in parts if isinstance(part, str) and part)


_ADDRESS_PARTS = ("postcode", "prefecture", "city", "street", "building")
_ADDRESS_LIMIT = 200


@register
class AddressType(FieldType):
    """A Japanese address: ``<id>.postcode`` (optional), ``<id>.prefecture`` (one of the
    47 都道府県, code ``invalid_prefecture``), ``<id>.city`` (市区町村), ``<id>.street``
    (町名・番地) and ``<id>.building`` (optional).

    Stored as a dict of the five parts ("" for those not given), the postcode as
    "100-0001". Digits and hyphens in the city, street and building become half-width
    (千代田１ー１ → 千代田1-1). forms.postcodes.suggest_address can fill in the first
    parts from the postcode, as a suggestion only.
    """

    name = "address"
    grouped = True
    default_max_length = _ADDRESS_LIMIT

    def inputs(self, field: Field) -> tuple[str, ...]:
        """postcode, prefecture, city, street, building."""
        return tuple(_part_name(field, part) for part in _ADDRESS_PARTS)

    def clean(self, field: Field, raw: Raw) -> tuple[Value, list[Problem]]:
        """An address has several inputs: see clean_inputs."""
        return self.clean_inputs(field, {})

    def clean_inputs(
        self, field: Field, raw: Mapping[str, Sequence[str]]
    ) -> tuple[Value, list[Problem]]:
        """Clean each part; the prefecture, city and street are needed."""
        limit = _limit(field, _ADDRESS_LIMIT)
        normalisers: dict[str, Callable[[str], str]] = {
            "postcode": normalise_code,
            "prefecture": normalise_text,
        }
        parts: dict[str, str] = {}
        problems: list[Problem] = []
        for part in _ADDRESS_PARTS:
            normalise = normalisers.get(part, normalise_address_line)
            parts[part], found = _read_part(field, raw, part, limit, normalise)
            problems += found
        if problems:
            return None, problems
        if not any(parts.values()):
            return None, [Problem(field.id, "required")] if field.required else []
        if parts["postcode"]:
            postcode = normalise_postcode(parts["postcode"])
            if postcode is None:
                problems.append(Problem(field.id, "invalid_postcode", {"part": "postcode"}))
            parts["postcode"] = postcode or parts["postcode"]
        if not parts["prefecture"]:
            problems.append(Problem(field.id, "required", {"part": "prefecture"}))
        elif parts["prefecture"] not in PREFECTURES:
            problems.append(Problem(field.id, "invalid_prefecture", {"part": "prefecture"}))
        problems += [
            Problem(field.id, "required", {"part": part})
            for part in ("city", "street")
            if not parts[part]
        ]
        return (None, problems) if problems else (parts, [])

    def display(self, field: Field, value: Value, locale: str) -> str:
        """One line, as written in Japan: 〒100-0001 東京都千代田区千代田1-1 ○○ビル."""
        if not isinstance(value, Mapping):
            return super().display(field, value, locale)
        part = {key: _text_or_empty(value.get(key)) for key in _ADDRESS_PARTS}
        line = part["prefecture"] + part["city"] + part["street"]
        postcode = f"〒{part['postcode']}" if part["postcode"] else ""
        return " ".join(text for text in (postcode, line, part["building"]) if text)

    def form_values(self, field: Field, value: Value) -> dict[str, FormValue]:
        """Each part into its input."""
        return _parts_form_values(field, value, _ADDRESS_PARTS, _text_part)


_AGREED = {"yes", "on", "true", "1"}


@register
class DeclarationType(FieldType):
    """A declaration replacing the seal (押印): a statement, a checkbox ``<id>.agree``
    (value "yes") and the declarant's name typed in ``<id>.name``.

    Setting ``statement`` (localised text, required by the schema). Both inputs are
    always needed, whatever ``required`` says: codes ``must_agree`` and
    ``name_required``. Stored as {"agreed": true, "name": ...}.
    """

    name = "declaration"
    grouped = True

    def inputs(self, field: Field) -> tuple[str, ...]:
        """agree, name."""
        return (_part_name(field, "agree"), _part_name(field, "name"))

    def clean(self, field: Field, raw: Raw) -> tuple[Value, list[Problem]]:
        """A declaration has several inputs: see clean_inputs."""
        return self.clean_inputs(field, {})

    def clean_inputs(
        self, field: Field, raw: Mapping[str, Sequence[str]]
    ) -> tuple[Value, list[Problem]]:
        """Both the checkbox and the name are needed."""
        agree, problems = _read_part(field, raw, "agree", 20, _normalise_choice)
        signed, found = _read_part(field, raw, "name", _limit(field, _NAME_LIMIT))
        problems += found
        if problems:
            return None, problems
        if agree not in _AGREED:
            problems.append(Problem(field.id, "must_agree"))
        if not signed:
            problems.append(Problem(field.id, "name_required"))
        return (None, problems) if problems else ({"agreed": True, "name": signed}, [])

    def display(self, field: Field, value: Value, locale: str) -> str:
        """同意済み（山田 花子） in Japanese, Agreed (山田 花子) otherwise."""
        if not isinstance(value, Mapping):
            return super().display(field, value, locale)
        if value.get("agreed") is not True:
            return ""
        name = value.get("name") if isinstance(value.get("name"), str) else ""
        return f"同意済み（{name}）" if _is_ja(locale) else f"Agreed ({name})"

    def form_values(self, field: Field, value: Value) -> dict[str, FormValue]:
        """The checkbox ("yes" when agreed) and the name."""
        agree, name = _part_name(field, "agree"), _part_name(field, "name")
        if value is None:
            return {agree: "", name: ""}
        if not isinstance(value, Mapping) or not set(value) <= {"agreed", "name"}:
            return {agree: WRONG_TYPE, name: ""}
        agreed = value.get("agreed")
        checked = "yes" if agreed is True else "" if agreed is None or agreed is False else None
        return {
            agree: WRONG_TYPE if checked is None else checked,
            name: _scalar_form_value(value.get("name")),
        }


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
