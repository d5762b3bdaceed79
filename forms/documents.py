"""Procedure documents as text: JSON for machines, YAML for people editing by hand.

The document format is JSON-compatible whatever the syntax: YAML features that go
beyond JSON are refused rather than guessed at. Aliases and anchors could expand a
small file into a huge one ("billion laughs"), merge keys and repeated keys silently
drop what someone wrote, and language-specific tags could build Python objects (safe
loading never does). Dates stay text, as they are in JSON. Exporting and importing
again gives the same document and the same checksum.
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
#: Deeper nesting is refused: real documents nest about ten levels (conditions a few
#: more), and recursive code further on (schema check, checksum) must not overflow.
MAX_DEPTH = 64
FORMATS = ("json", "yaml")

_MERGE_TAG = "tag:yaml.org,2002:merge"


class _StrictLoader(yaml.SafeLoader):
    """Safe loading without aliases, anchors, merge keys, repeated keys or implicit dates."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Refuse an alias (*name) or an anchor (&name) where it appears."""
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise DefinitionError(
                [f"{_where(event.start_mark)}: anchors and aliases (& and *) are not allowed"]
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        """Build a mapping whose keys are text, each written once, without merge keys."""
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep)  # raises with its own message
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            where = _where(key_node.start_mark)
            if key_node.tag == _MERGE_TAG:
                raise DefinitionError([f"{where}: merge keys (<<) are not allowed"])
            # Deep, so that a key written as a list or mapping is named in full.
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise DefinitionError([f"{where}: key {key!r} is not text; quote it"])
            if key in mapping:
                raise DefinitionError([f"{where}: key {key!r} is written twice"])
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


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
    # Characters are never more than bytes, so most oversized texts are refused unencoded.
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise DefinitionError([f"the document is larger than {MAX_BYTES:,} bytes"])
    # Editors on Windows often start UTF-8 files with a byte order mark; it is never content.
    text = text.removeprefix("\ufeff")
    try:
        data = _parse_json(text) if fmt == "json" else _parse_yaml(text)
    except RecursionError as error:
        raise DefinitionError(
            [f"the document is nested too deeply (at most {MAX_DEPTH} levels)"]
        ) from error
    except ValueError as error:
        if isinstance(error, DefinitionError):
            raise
        # Integers past Python's 4,300-digit conversion limit, for one.
        raise DefinitionError([f"a value cannot be read: {error}"]) from error
    if not isinstance(data, dict):
        raise DefinitionError(["(root): a procedure document is a mapping of keys to values"])
    problems = _json_problems(data, "", 0)
    if problems:
        raise DefinitionError(problems)
    return data


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_object)
    except json.JSONDecodeError as error:
        raise DefinitionError(
            [f"line {error.lineno}, column {error.colno}: {error.msg}"]
        ) from error


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are each written once (JSON itself keeps the last silently)."""
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        if key in mapping:
            raise DefinitionError([f"key {key!r} is written twice in one object"])
        mapping[key] = value
    return mapping


def _refuse_constant(name: str) -> Any:
    raise DefinitionError([f"{name} is not a number a document may contain"])


def _parse_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506  (a safe loader, stricter still)
    except yaml.MarkedYAMLError as error:
        problem = error.problem or error.context or "not valid YAML"
        raise DefinitionError([f"{_where(error.problem_mark)}: {problem}"]) from error
    except yaml.reader.ReaderError as error:
        # Control characters and the like: the reader knows only the character offset.
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        code = error.character if isinstance(error.character, int) else ord(error.character)
        raise DefinitionError(
            [f"line {line}, column {column}: the character U+{code:04X} is not allowed"]
        ) from error
    except yaml.YAMLError as error:
        raise DefinitionError([f"not valid YAML: {error}"]) from error


def _json_problems(value: Any, path: str, depth: int) -> list[str]:
    """Where the data holds something JSON cannot (a date, a non-text key, infinity)."""
    here = path or "(root)"
    if depth > MAX_DEPTH:
        return [f"{here}: nested more than {MAX_DEPTH} levels"]
    if isinstance(value, dict):
        problems = [f"{here}: key {key!r} is not text" for key in value if not isinstance(key, str)]
        problems += [f"{here}: key {key!r} is not valid Unicode" for key in value if _bad(key)]
        for key, item in value.items():
            problems += _json_problems(item, f"{path}.{key}" if path else str(key), depth + 1)
        return problems
    if isinstance(value, list):
        return [
            problem
            for i, item in enumerate(value)
            for problem in _json_problems(item, f"{path}[{i}]", depth + 1)
        ]
    if isinstance(value, float) and not math.isfinite(value):
        return [f"{here}: {value} is not a number a document may contain"]
    if isinstance(value, str) and _bad(value):
        return [f"{here}: the text is not valid Unicode (a lone surrogate)"]
    if value is None or isinstance(value, str | int | float | bool):
        return []
    return [f"{here}: a {type(value).__name__} value is not allowed; write it as text"]


def _bad(text: Any) -> bool:
    """Whether a string holds a lone surrogate (JSON's "\\ud800"), which UTF-8 cannot hold."""
    if not isinstance(text, str):
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def dump_document(document: dict[str, Any], fmt: str) -> str:
    """Write a document as JSON (indented) or YAML (block style, keys in their order)."""
    if fmt not in FORMATS:
        raise DefinitionError([f"unknown format {fmt!r}: use json or yaml"])
    # What could not be read back is refused here rather than written.
    problems = _json_problems(document, "", 0)
    if problems:
        raise DefinitionError(problems)
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    return _dump_yaml(document)


class _Dumper(yaml.SafeDumper):
    """Writes every value where it stands: the loader refuses anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        """Never write an alias, even when one object appears twice in the document."""
        return True


class _BlockDumper(_Dumper):
    """Writes multi-line text as a literal block (|), as a person would type it."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_BlockDumper.add_representer(str, _represent_text)


def _dump_yaml(document: dict[str, Any]) -> str:
    # The most readable writing first. PyYAML writes a few texts it then reads back
    # differently (the Unicode line separators raw, some blocks' edge whitespace), so
    # each writing is read back, and a plainer one is used when it differs.
    attempts = ((_BlockDumper, True), (_Dumper, True), (_Dumper, False))
    for dumper, readable in attempts:
        text: str = yaml.dump(
            document,
            Dumper=dumper,
            allow_unicode=readable,
            sort_keys=False,
            default_flow_style=False,
            # One line per value: a changed word changes one line in a review, and a
            # wrapped line is easily mistaken for a line break when editing.
            width=1_000_000,
        )
        if _reads_back(text, document):
            return text
    raise DefinitionError(["the document cannot be written as YAML; export it as JSON"])


def _reads_back(text: str, document: dict[str, Any]) -> bool:
    try:
        return bool(yaml.load(text, Loader=_StrictLoader) == document)  # noqa: S506
    except DefinitionError:
        # Two keys that differ only in a character read as a line break read back equal.
        return False


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
