"""Loading procedure definitions: JSON Schema first, then the engine's own rules."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from forms.computed import computed_problems
from forms.conditions import Condition, comparisons, parse_condition, referenced_fields
from forms.fees import parse_formula
from forms.fields import OTHER, REGISTRY, my_number_problems
from forms.fields.groups import NOT_IN_GROUPS, subfields
from forms.model import DefinitionError, Field, FormDefinition, Option, Page
from forms.periods import period_problems
from forms.prefill import prefill_problems
from forms.translations import japanese_problems

_FIELD_KEYS = {"id", "type", "label", "hint", "required", "options", "show_if", "required_if"}


@cache
def procedure_schema() -> dict[str, Any]:
    """Return the published JSON Schema of a procedure definition."""
    text = resources.files("forms").joinpath("schema/procedure.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def schema_field_types() -> list[str]:
    """Return the field types the schema allows (each must be registered)."""
    types: list[str] = procedure_schema()["$defs"]["field"]["properties"]["type"]["enum"]
    return types


def check_document(document: Mapping[str, Any]) -> None:
    """Validate a whole procedure document against the schema and the form rules."""
    validator = jsonschema.Draft202012Validator(procedure_schema())
    problems = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    ]
    if problems:
        raise DefinitionError(problems)
    try:
        build_form(document["form"])
    except DefinitionError as error:
        problems += error.problems
    fee = document.get("fee")
    if fee is not None:
        # From the data rather than the model, so a broken form still gets its fee checked.
        field_ids = [f["id"] for page in document["form"]["pages"] for f in page["fields"]]
        try:
            parse_formula(fee["formula"], field_ids, where="fee.formula")
        except DefinitionError as error:
            problems += error.problems
    problems += computed_problems(document)
    # The My Number may only be collected where the law entitles the procedure to it.
    problems += my_number_problems(document)
    problems += japanese_problems(document)
    problems += period_problems(document)
    if problems:
        raise DefinitionError(problems)


def build_form(data: Mapping[str, Any]) -> FormDefinition:
    """Build the form model from schema-valid data, enforcing cross-field rules."""
    problems: list[str] = []
    pages = tuple(_build_page(page, i, problems) for i, page in enumerate(data["pages"]))
    form = FormDefinition(pages)
    problems += _rule_problems(form)
    if problems:
        raise DefinitionError(problems)
    return form


def _build_page(data: Mapping[str, Any], index: int, problems: list[str]) -> Page:
    where = f"pages[{index}]"
    show_if = _condition(data, "show_if", where, problems)
    fields = tuple(
        _build_field(f, f"{where}.fields[{i}]", problems) for i, f in enumerate(data["fields"])
    )
    return Page(data["id"], dict(data["title"]), fields, show_if=show_if)


def _build_field(data: Mapping[str, Any], where: str, problems: list[str]) -> Field:
    options = tuple(Option(o["value"], dict(o["label"])) for o in data.get("options", ()))
    params = {key: value for key, value in data.items() if key not in _FIELD_KEYS}
    if data["type"] == "group":
        # A group's questions become fields of their own, so every type cleans them.
        params["fields"] = tuple(
            _build_field(f, f"{where}.fields[{i}]", problems)
            for i, f in enumerate(data.get("fields", ()))
        )
    return Field(
        id=data["id"],
        type=data["type"],
        label=dict(data["label"]),
        hint=dict(data.get("hint", {})),
        required=bool(data.get("required", False)),
        options=options,
        params=params,
        show_if=_condition(data, "show_if", where, problems),
        required_if=_condition(data, "required_if", where, problems),
    )


def _condition(
    data: Mapping[str, Any], key: str, where: str, problems: list[str]
) -> Condition | None:
    """Parse an optional condition, collecting its problems instead of stopping at them."""
    if data.get(key) is None:
        return None
    try:
        return parse_condition(data[key], f"{where}.{key}")
    except DefinitionError as error:
        problems += error.problems
        return None


def _rule_problems(form: FormDefinition) -> list[str]:
    problems: list[str] = []
    page_ids = [page.id for page in form.pages]
    field_ids = [f.id for f in form.fields()]
    problems += [f"page id {i!r} is used twice" for i in _duplicates(page_ids)]
    problems += [f"field id {i!r} is used twice" for i in _duplicates(field_ids)]
    for f in form.fields():
        if f.type not in REGISTRY:
            problems.append(f"field {f.id!r}: unknown type {f.type!r}")
        if f.type == "choice" and not f.options:
            problems.append(f"field {f.id!r}: a choice needs options")
        if f.type == "choice":
            values = [o.value for o in f.options]
            problems += [f"field {f.id!r}: option {v!r} twice" for v in _duplicates(values)]
        low, high = f.params.get("min"), f.params.get("max")
        if low is not None and high is not None and low > high:
            problems.append(f"field {f.id!r}: min is greater than max")
        if f.type == "group":
            problems += _group_problems(f)
    problems += _condition_problems(form)
    problems += prefill_problems(form)
    return problems


def _group_problems(group: Field) -> list[str]:
    """A group holds plain questions: no nesting, no uploads, no conditions inside."""
    problems: list[str] = []
    inner = subfields(group)
    low, high = group.params.get("min_items"), group.params.get("max_items")
    if low is not None and high is not None and low > high:
        problems.append(f"field {group.id!r}: min_items is greater than max_items")
    ids = [f.id for f in inner]
    problems += [f"field {group.id!r}: field id {i!r} is used twice" for i in _duplicates(ids)]
    for f in inner:
        where = f"field {group.id!r}, field {f.id!r}"
        if f.type in NOT_IN_GROUPS:
            problems.append(f"{where}: a {f.type!r} field cannot be inside a group")
        elif f.type not in REGISTRY:
            problems.append(f"{where}: unknown type {f.type!r}")
        if f.show_if is not None or f.required_if is not None:
            problems.append(f"{where}: conditions are not supported inside a group")
        if f.type == "choice" and not f.options:
            problems.append(f"{where}: a choice needs options")
    return problems


def _condition_problems(form: FormDefinition) -> list[str]:
    """Conditions may only look at existing fields that come earlier in the form."""
    problems: list[str] = []
    position = {f.id: i for i, f in enumerate(form.fields())}
    fields = {f.id: f for f in form.fields()}
    depends = _dependencies(form)
    index = 0
    for p, page in enumerate(form.pages):
        first = index
        if page.show_if is not None:
            where = f"pages[{p}].show_if"
            for name in sorted(referenced_fields(page.show_if)):
                if name not in position:
                    problems.append(f"{where}: unknown field {name!r}")
                elif first <= position[name] < first + len(page.fields):
                    # The page would hide the very answer that decides whether it shows.
                    problems.append(f"{where}: field {name!r} is on this page")
                elif position[name] >= first:
                    problems.append(f"{where}: field {name!r} comes later in the form")
            problems += _value_problems(page.show_if, where, fields)
        for i, f in enumerate(page.fields):
            for key, condition in (("show_if", f.show_if), ("required_if", f.required_if)):
                if condition is None:
                    continue
                where = f"pages[{p}].fields[{i}].{key}"
                for name in sorted(referenced_fields(condition)):
                    if name not in position:
                        problems.append(f"{where}: unknown field {name!r}")
                    elif name == f.id:
                        problems.append(f"{where}: field {name!r} refers to itself")
                    elif position[name] > index:
                        cycle = _path(depends, name, f.id)
                        if cycle:
                            loop = " -> ".join(repr(n) for n in [f.id, *cycle])
                            problems.append(f"{where}: circular reference {loop}")
                        else:
                            problems.append(f"{where}: field {name!r} comes later in the form")
                problems += _value_problems(condition, where, fields)
            index += 1
    return problems


def _dependencies(form: FormDefinition) -> dict[str, set[str]]:
    """Map each field to the fields its visibility or requirement looks at."""
    depends: dict[str, set[str]] = {}
    for page in form.pages:
        from_page = referenced_fields(page.show_if) if page.show_if else frozenset()
        for f in page.fields:
            names = depends.setdefault(f.id, set())
            names |= from_page
            for condition in (f.show_if, f.required_if):
                if condition is not None:
                    names |= referenced_fields(condition)
    return depends


def _path(depends: Mapping[str, set[str]], start: str, goal: str) -> list[str]:
    """Return a dependency path from start to goal (both included), or [] if none."""
    stack: list[list[str]] = [[start]]
    visited = {start}
    while stack:
        path = stack.pop()
        if path[-1] == goal:
            return path
        for name in sorted(depends.get(path[-1], ()), reverse=True):
            if name not in visited:
                visited.add(name)
                stack.append([*path, name])
    return []


def _value_problems(condition: Condition, where: str, fields: Mapping[str, Field]) -> list[str]:
    """Compared values must be possible answers of the field they test."""
    problems: list[str] = []
    for c in comparisons(condition):
        target = fields.get(c.field)
        if target is not None and target.type == "yesno" and c.op in _EQUALITY:
            values = c.value if isinstance(c.value, tuple) else (c.value,)
            problems += [
                f"{where}: {c.field!r} is a yes/no question: compare it with true or false"
                for v in values
                if not isinstance(v, bool)
            ]
            continue
        if target is None or not target.options:
            continue
        if c.op in ("greater", "less"):
            problems.append(f"{where}: {c.op!r} compares numbers but {c.field!r} is a choice")
            continue
        values = c.value if isinstance(c.value, tuple) else (c.value,)
        allowed = {option.value for option in target.options}
        if target.params.get("other"):
            # The "other" choice is compared by its value; its free text is not.
            allowed.add(OTHER)
        problems += [
            f"{where}: {v!r} is not an option of {c.field!r}"
            for v in values
            if c.op in ("equals", "not_equals", "one_of") and not _allowed(v, allowed)
        ]
    return problems


_EQUALITY = ("equals", "not_equals", "one_of")


def _duplicates(items: list[str]) -> list[str]:
    counts = Counter(items)
    return sorted(item for item, count in counts.items() if count > 1)


def _allowed(value: Any, allowed: set[str]) -> bool:
    # Conditions compare numbers by value, so 1 matches an option "1".
    if isinstance(value, bool):
        return False
    return value in allowed or str(value) in allowed


def checksum(document: Mapping[str, Any]) -> str:
    """Return the sha256 of the canonical JSON of a document (stable across key order)."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
