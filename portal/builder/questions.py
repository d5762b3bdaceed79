"""The question editor's forms: which settings each field type has, read from a post.

Every field type of the form engine is offered. The settings are plain inputs (numbers,
checkboxes, one choice per line), never code; conditions are built from lists on a page
of their own (portal.builder.conditions).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from forms.editing import EditError, option_lines, options_from_lines
from portal.builder.edit_messages import translated

#: Field type → its name for procedure owners, in the order offered.
TYPES = {
    "text": _l("Short text"),
    "textarea": _l("Long text"),
    "number": _l("Number"),
    "money": _l("Amount of money (yen)"),
    "date": _l("Date"),
    "choice": _l("One choice from a list"),
    "multichoice": _l("Several choices from a list"),
    "yesno": _l("Yes or no"),
    "name": _l("Name (with furigana)"),
    "address": _l("Address (with postcode lookup)"),
    "postcode": _l("Postcode"),
    "phone": _l("Phone number"),
    "email": _l("E-mail address"),
    "corporate_number": _l("Corporate number"),
    "my_number": _l("My Number (individual number)"),
    "file": _l("Attached file"),
    "declaration": _l("Declaration to agree to"),
    "guidance": _l("Guidance text (no answer)"),
    "group": _l("Repeating group (e.g. each child)"),
}
#: Settings per type, beyond the label, hint and "required".
SETTINGS = {
    "text": ("max_length",),
    "textarea": ("max_length",),
    "number": ("min", "max", "decimal"),
    "money": ("min", "max"),
    "date": ("when",),
    "choice": ("options", "widget", "other"),
    "multichoice": ("options", "min_choices", "max_choices", "other"),
    "name": ("kana", "foreign"),
    "file": ("accept", "max_files", "max_size_mb"),
    "declaration": ("statement",),
    "guidance": ("body",),
    "group": ("item_label", "min_items", "max_items"),
}
FILE_KINDS = ("pdf", "jpeg", "png", "heic", "docx", "xlsx")
#: Types that take no answer, or whose answer is always asked for.
NO_REQUIRED = frozenset({"guidance", "declaration"})
#: Types a repeating group may not hold.
NOT_IN_GROUPS = frozenset({"group", "file", "my_number", "guidance"})


def settings_of(field_type: str) -> tuple[str, ...]:
    """The settings the editor shows for a field type."""
    return SETTINGS.get(field_type, ())


def form_values(field: dict[str, Any]) -> dict[str, Any]:
    """A field definition as the editor's inputs."""
    values: dict[str, Any] = {"id": field.get("id", ""), "type": field["type"]}
    for key in ("label", "hint", "statement", "body", "item_label"):
        for locale in ("ja", "en"):
            values[f"{key}_{locale}"] = (field.get(key) or {}).get(locale, "")
    for key in ("max_length", "min", "max", "min_choices", "max_choices", "max_files",
                "max_size_mb", "min_items", "max_items"):  # fmt: skip
        values[key] = "" if field.get(key) is None else str(field[key])
    for key in ("required", "decimal", "other", "foreign"):
        values[key] = "yes" if field.get(key) else ""
    values["kana"] = "" if field.get("kana") is False else "yes"
    values["widget"] = field.get("widget", "radio")
    values["when"] = "past" if field.get("past") else "future" if field.get("future") else ""
    values["options"] = option_lines(field.get("options") or [])
    values["accept"] = list(field.get("accept") or ["pdf", "jpeg", "png"])
    return values


def read_field(
    existing: dict[str, Any], form: Any, taken: set[str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The field as posted, over the existing one (conditions and unknown keys kept)."""
    field = copy.deepcopy(existing)
    errors: dict[str, str] = {}
    _read_id(field, form.get("id", "").strip(), taken, errors)
    _read_text(field, "label", form, errors, required=True)
    _read_text(field, "hint", form, errors)
    field_type = field["type"]
    if field_type not in NO_REQUIRED:
        _flag(field, "required", bool(form.get("required")))
    for setting in settings_of(field_type):
        _READERS[setting](field, form, errors)
    return field, errors


def _read_id(field: dict[str, Any], typed: str, taken: set[str], errors: dict[str, str]) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", typed):
        errors["id"] = _(
            "The reference name must start with a lower-case letter and use only "
            "lower-case letters, digits and _ (at most 40)."
        )
    elif typed != field.get("id") and typed in taken:
        errors["id"] = _("Another question already has this reference name.")
    else:
        field["id"] = typed


def _read_text(
    field: dict[str, Any], key: str, form: Any, errors: dict[str, str], required: bool = False
) -> None:
    text = dict(field.get(key) or {})
    for locale in ("ja", "en"):
        typed = form.get(f"{key}_{locale}", "").strip()
        if typed:
            text[locale] = typed
        else:
            text.pop(locale, None)
    if required and not text.get("ja"):
        errors[f"{key}_ja"] = _("Enter the Japanese text.")
        text.setdefault("ja", "")
    if text:
        field[key] = text
    else:
        field.pop(key, None)


def _flag(field: dict[str, Any], key: str, on: bool) -> None:
    if on:
        field[key] = True
    else:
        field.pop(key, None)


def _whole(
    field: dict[str, Any], key: str, typed: str, errors: dict[str, str], low: int = 0
) -> None:
    typed = typed.strip().replace(",", "")
    if not typed:
        field.pop(key, None)
    elif typed.isdigit() and int(typed) >= low:
        field[key] = int(typed)
    else:
        errors[key] = _("Enter a whole number of at least %(low)d.", low=low)


def _number(field: dict[str, Any], key: str, typed: str, errors: dict[str, str]) -> None:
    typed = typed.strip().replace(",", "")
    if not typed:
        field.pop(key, None)
        return
    try:
        number = float(typed)
    except ValueError:
        errors[key] = _("Enter a number, such as 10 or 2.5.")
        return
    field[key] = int(number) if number.is_integer() else number


def _read_options(field: dict[str, Any], form: Any, errors: dict[str, str]) -> None:
    try:
        field["options"] = options_from_lines(form.get("options", ""), field.get("options"))
    except EditError as error:
        errors["options"] = "; ".join(translated(error))
        return
    if not field["options"]:
        errors["options"] = _("Enter at least one choice, one per line.")


def _read_accept(field: dict[str, Any], form: Any, errors: dict[str, str]) -> None:
    kinds = [kind for kind in FILE_KINDS if kind in form.getlist("accept")]
    if not kinds:
        errors["accept"] = _("Choose at least one kind of file.")
    field["accept"] = kinds


def _read_when(field: dict[str, Any], form: Any, errors: dict[str, str]) -> None:
    when = form.get("when", "")
    _flag(field, "past", when == "past")
    _flag(field, "future", when == "future")


def _read_widget(field: dict[str, Any], form: Any, errors: dict[str, str]) -> None:
    if form.get("widget") == "select":
        field["widget"] = "select"
    else:
        field.pop("widget", None)


def _read_kana(field: dict[str, Any], form: Any, errors: dict[str, str]) -> None:
    if form.get("kana"):
        field.pop("kana", None)
    else:
        field["kana"] = False


_READERS = {
    "max_length": lambda f, form, e: _whole(f, "max_length", form.get("max_length", ""), e, 1),
    "min": lambda f, form, e: _number(f, "min", form.get("min", ""), e),
    "max": lambda f, form, e: _number(f, "max", form.get("max", ""), e),
    "decimal": lambda f, form, e: _flag(f, "decimal", bool(form.get("decimal"))),
    "when": _read_when,
    "options": _read_options,
    "widget": _read_widget,
    "other": lambda f, form, e: _flag(f, "other", bool(form.get("other"))),
    "min_choices": lambda f, form, e: _whole(f, "min_choices", form.get("min_choices", ""), e),
    "max_choices": lambda f, form, e: _whole(f, "max_choices", form.get("max_choices", ""), e, 1),
    "kana": _read_kana,
    "foreign": lambda f, form, e: _flag(f, "foreign", bool(form.get("foreign"))),
    "accept": _read_accept,
    "max_files": lambda f, form, e: _whole(f, "max_files", form.get("max_files", ""), e, 1),
    "max_size_mb": lambda f, form, e: _number(f, "max_size_mb", form.get("max_size_mb", ""), e),
    "statement": lambda f, form, e: _read_text(f, "statement", form, e, required=True),
    "body": lambda f, form, e: _read_text(f, "body", form, e, required=True),
    "item_label": lambda f, form, e: _read_text(f, "item_label", form, e),
    "min_items": lambda f, form, e: _whole(f, "min_items", form.get("min_items", ""), e),
    "max_items": lambda f, form, e: _whole(f, "max_items", form.get("max_items", ""), e, 1),
}


def blank_field(field_type: str, field_id: str) -> dict[str, Any]:
    """A new question of a type, before its editor is saved."""
    field: dict[str, Any] = {"id": field_id, "type": field_type, "label": {"ja": ""}}
    if field_type in ("choice", "multichoice"):
        field["options"] = []
    if field_type == "group":
        field["fields"] = [{"id": f"{field_id}_name", "type": "text", "required": True,
                            "label": {"ja": "氏名", "en": "Name"}}]  # fmt: skip
    return field
