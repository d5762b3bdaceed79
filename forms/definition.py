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

from forms.fields import REGISTRY
from forms.model import DefinitionError, Field, FormDefinition, Option, Page

_FIELD_KEYS = {"id", "type", "label", "hint", "required", "options"}


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
    build_form(document["form"])


def build_form(data: Mapping[str, Any]) -> FormDefinition:
    """Build the form model from schema-valid data, enforcing cross-field rules."""
    pages = tuple(_build_page(page) for page in data["pages"])
    form = FormDefinition(pages)
    problems = _rule_problems(form)
    if problems:
        raise DefinitionError(problems)
    return form


def _build_page(data: Mapping[str, Any]) -> Page:
    return Page(data["id"], dict(data["title"]), tuple(_build_field(f) for f in data["fields"]))


def _build_field(data: Mapping[str, Any]) -> Field:
    options = tuple(Option(o["value"], dict(o["label"])) for o in data.get("options", ()))
    params = {key: value for key, value in data.items() if key not in _FIELD_KEYS}
    return Field(
        id=data["id"],
        type=data["type"],
        label=dict(data["label"]),
        hint=dict(data.get("hint", {})),
        required=bool(data.get("required", False)),
        options=options,
        params=params,
    )


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
    return problems


def _duplicates(items: list[str]) -> list[str]:
    counts = Counter(items)
    return sorted(item for item, count in counts.items() if count > 1)


def checksum(document: Mapping[str, Any]) -> str:
    """Return the sha256 of the canonical JSON of a document (stable across key order)."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
