"""Procedure documents as text: JSON for machines, YAML for people editing by hand.

The document format is JSON-compatible whatever the syntax: YAML features that go
beyond JSON are refused rather than guessed at. Aliases and anchors could expand a
small file into a huge one ("billion laughs"), dates would become date objects, and
language-specific tags could build Python objects (safe loading never does).
Exporting and importing again gives the same document and the same checksum.
"""

from __future__ import annotations

import json
import math
from typing import Any

import yaml

from forms.definition import check_document
from forms.model import DefinitionError

#: Larger files are refused before they are parsed; real procedures are a few dozen KB.
MAX_BYTES = 1_000_000
FORMATS = ("json", "yaml")


class _StrictLoader(yaml.SafeLoader):
    """Safe loading without aliases or anchors, and without implicit dates."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Refuse an alias (*name) or an anchor (&name) where it appears."""
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise DefinitionError(
                [f"{_where(event.start_mark)}: anchors and aliases (& and *) are not allowed"]
            )
        return super().compose_node(parent, index)


# Dates stay text, as in JSON: a date answer limit is written "2026-04-01".
_StrictLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "(document)"


def load_document(text: str, fmt: str) -> dict[str, Any]:
    """Parse a document written in JSON or YAML; DefinitionError says what and where."""
    if fmt not in FORMATS:
        raise DefinitionError([f"unknown format {fmt!r}: use json or yaml"])
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise DefinitionError([f"the document is larger than {MAX_BYTES:,} bytes"])
    data = _parse_json(text) if fmt == "json" else _parse_yaml(text)
    if not isinstance(data, dict):
        raise DefinitionError(["(root): a procedure document is a mapping of keys to values"])
    problems = list(_json_problems(data, ""))
    if problems:
        raise DefinitionError(problems)
    return data


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise DefinitionError(
            [f"line {error.lineno}, column {error.colno}: {error.msg}"]
        ) from error


def _refuse_constant(name: str) -> Any:
    raise DefinitionError([f"{name} is not a number a document may contain"])


def _parse_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506  (a safe loader, stricter still)
    except yaml.MarkedYAMLError as error:
        problem = error.problem or error.context or "not valid YAML"
        raise DefinitionError([f"{_where(error.problem_mark)}: {problem}"]) from error
    except yaml.YAMLError as error:
        raise DefinitionError([f"not valid YAML: {error}"]) from error


def _json_problems(value: Any, path: str) -> list[str]:
    """Where the data holds something JSON cannot (a date, a non-text key, infinity)."""
    here = path or "(root)"
    if isinstance(value, dict):
        problems = [f"{here}: key {key!r} is not text" for key in value if not isinstance(key, str)]
        for key, item in value.items():
            problems += _json_problems(item, f"{path}.{key}" if path else str(key))
        return problems
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _json_problems(item, f"{path}[{i}]")]
    if isinstance(value, float) and not math.isfinite(value):
        return [f"{here}: {value} is not a number a document may contain"]
    if value is None or isinstance(value, str | int | float | bool):
        return []
    return [f"{here}: a {type(value).__name__} value is not allowed; write it as text"]


def dump_document(document: dict[str, Any], fmt: str) -> str:
    """Write a document as JSON (indented) or YAML (block style, keys in their order)."""
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        return _dump_yaml(document)
    raise DefinitionError([f"unknown format {fmt!r}: use json or yaml"])


def _dump_yaml(document: dict[str, Any]) -> str:
    # Japanese is written as it is, for people; but PyYAML writes a few characters
    # (NEL, the Unicode line and paragraph separators) raw and then reads them as line
    # breaks, so a document holding them is written with escapes instead.
    for readable in (True, False):
        text = yaml.safe_dump(
            document,
            allow_unicode=readable,
            sort_keys=False,
            default_flow_style=False,
            width=100,
        )
        if yaml.load(text, Loader=_StrictLoader) == document:  # noqa: S506
            return text
    raise DefinitionError(["the document cannot be written as YAML; export it as JSON"])


def import_document(text: str, fmt: str) -> dict[str, Any]:
    """Parse a document and check it against the schema and the engine's rules."""
    document = load_document(text, fmt)
    check_document(document)
    return document


def format_of(filename: str) -> str:
    """The format a file name implies: json, or yaml for .yaml and .yml."""
    lowered = filename.lower()
    if lowered.endswith((".yaml", ".yml")):
        return "yaml"
    if lowered.endswith(".json"):
        return "json"
    raise DefinitionError([f"{filename}: name a .json, .yaml or .yml file"])
