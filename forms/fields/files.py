"""File attachments: limits on count, size and kind, the kind checked by content.

The engine never sees a request. The portal reads an upload, asks :func:`inspect_upload`
whether it is acceptable (the kind is sniffed from the bytes by the ``filetype`` library;
the name and the browser's content type are never trusted), stores it, and passes the
field the descriptors of every file it now holds, each a JSON object as text::

    {"id": "k3J…", "name": "診断書.pdf", "size": 183204, "type": "application/pdf",
     "sha256": "9f2…"}

The stored answer is the list of those descriptors. Cleaning checks them again (count,
size, kind), so a definition that lowers a limit, or a tampered value, is caught before
submission like any other answer.
"""

import hashlib
import json
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import filetype

from forms.fields.base import (
    WRONG_TYPE,
    FieldType,
    FormValue,
    Raw,
    Value,
    _is_ja,
    register,
)
from forms.model import Field, Problem
from forms.normalise import has_control_characters, remove_invisible

#: The kinds a definition may accept, by the name used in ``accept``.
KINDS: dict[str, str] = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "heic": "image/heic",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: How each kind is named to people (the same in every language).
KIND_LABELS = {
    "pdf": "PDF",
    "jpeg": "JPEG",
    "png": "PNG",
    "heic": "HEIC",
    "docx": "Word",
    "xlsx": "Excel",
}
#: File name endings offered by the browser's file chooser for each kind.
EXTENSIONS = {
    "pdf": (".pdf",),
    "jpeg": (".jpg", ".jpeg"),
    "png": (".png",),
    "heic": (".heic", ".heif"),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
}
DEFAULT_ACCEPT = ("pdf", "jpeg", "png")
DEFAULT_MAX_SIZE_MB = 10
#: Longest file name kept, in characters.
NAME_LIMIT = 120
_MAX_DESCRIPTOR = 1000
_HEX = set("0123456789abcdef")


def accepted_kinds(field: Field) -> tuple[str, ...]:
    """The kinds this field accepts, by name."""
    accept = field.params.get("accept")
    if isinstance(accept, list | tuple) and accept:
        return tuple(kind for kind in accept if kind in KINDS)
    return DEFAULT_ACCEPT


def accepted_types(field: Field) -> frozenset[str]:
    """The media types of the kinds this field accepts."""
    return frozenset(KINDS[kind] for kind in accepted_kinds(field))


def accept_attribute(field: Field) -> str:
    """The HTML accept attribute: a hint for the file chooser, never a check."""
    kinds = accepted_kinds(field)
    return ",".join([e for kind in kinds for e in EXTENSIONS[kind]] + [KINDS[k] for k in kinds])


def kinds_text(field: Field) -> str:
    """The accepted kinds as people name them: PDF, JPEG, PNG."""
    return ", ".join(KIND_LABELS[kind] for kind in accepted_kinds(field))


def max_size(field: Field) -> int:
    """The largest file accepted, in bytes."""
    size = field.params.get("max_size_mb", DEFAULT_MAX_SIZE_MB)
    if isinstance(size, bool) or not isinstance(size, int | float) or size <= 0:
        size = DEFAULT_MAX_SIZE_MB
    return int(size * 1024 * 1024)


def max_files(field: Field) -> int:
    """The most files this field holds."""
    count = field.params.get("max_files", 1)
    return count if isinstance(count, int) and not isinstance(count, bool) and count > 0 else 1


def format_size(size: int, locale: str = "ja") -> str:
    """A size as people read it: 980 B, 12 KB, 3.4 MB (1 KB = 1024 bytes)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    megabytes = size / (1024 * 1024)
    return f"{megabytes:.1f} MB" if megabytes < 10 else f"{megabytes:.0f} MB"


def sniff(data: bytes) -> str | None:
    """The kind of file the bytes are (a key of KINDS), or None when it is none of them."""
    guessed = filetype.guess(data)
    if guessed is None:
        return None
    for kind, mime in KINDS.items():
        if guessed.mime == mime:
            return kind
    return None


def clean_name(name: str) -> str:
    """A file name fit to show and to offer for download: no folders, no control
    characters, NFC, at most NAME_LIMIT characters (the extension kept)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", remove_invisible(base))
    base = "".join(ch if not has_control_characters(ch) else "_" for ch in base).strip(" .")
    if len(base) > NAME_LIMIT:
        stem, dot, extension = base.rpartition(".")
        keep = extension[:10] if dot and stem else ""
        base = base[: NAME_LIMIT - len(keep) - 1].rstrip() + ("." + keep if keep else "")
    return base or "file"


def _size_text(field: Field) -> str:
    return format_size(max_size(field))


def inspect_upload(field: Field, name: str, data: bytes) -> tuple[dict[str, Any], list[Problem]]:
    """Check one uploaded file for this field; return its descriptor (without ``id``,
    which the portal gives it once stored) and the problems that refuse it.

    ``data`` may be cut one byte past the limit by the caller: only its length is needed
    to refuse an oversized file.
    """
    shown = clean_name(name)
    where = {"name": shown}
    if not data:
        return {}, [Problem(field.id, "file_empty", where)]
    if len(data) > max_size(field):
        return {}, [Problem(field.id, "file_too_large", {**where, "max": _size_text(field)})]
    kind = sniff(data)
    if kind is None or kind not in accepted_kinds(field):
        return {}, [Problem(field.id, "file_type", {**where, "allowed": kinds_text(field)})]
    descriptor = {
        "name": shown,
        "size": len(data),
        "type": KINDS[kind],
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    return descriptor, []


def descriptor_problem(field: Field, descriptor: object) -> Problem | None:
    """Why a stored descriptor is not acceptable for this field, or None."""
    if not _well_formed(descriptor):
        return Problem(field.id, "invalid_value")
    assert isinstance(descriptor, Mapping)
    where = {"name": descriptor["name"]}
    if descriptor["size"] > max_size(field):
        return Problem(field.id, "file_too_large", {**where, "max": _size_text(field)})
    if descriptor["type"] not in {KINDS[kind] for kind in accepted_kinds(field)}:
        return Problem(field.id, "file_type", {**where, "allowed": kinds_text(field)})
    return None


def _well_formed(descriptor: object) -> bool:
    if not isinstance(descriptor, Mapping) or set(descriptor) != {
        "id",
        "name",
        "size",
        "type",
        "sha256",
    }:
        return False
    size, digest = descriptor["size"], descriptor["sha256"]
    return (
        all(isinstance(descriptor[key], str) and descriptor[key] for key in ("id", "name", "type"))
        and isinstance(size, int)
        and not isinstance(size, bool)
        and size > 0
        and isinstance(digest, str)
        and len(digest) == 64
        and set(digest) <= _HEX
    )


def descriptors(value: Value) -> list[Mapping[str, Any]]:
    """The well-formed descriptors of a stored answer (anything else is skipped)."""
    if not isinstance(value, list):
        return []
    return [item for item in value if _well_formed(item)]


@register
class FileType(FieldType):
    """Attached files (``accept``, ``max_files``, ``max_size_mb``); the raw input is one
    descriptor per file, as JSON text (see the module docstring)."""

    name = "file"
    input_type = "file"

    def clean(self, field: Field, raw: Raw) -> tuple[Value, list[Problem]]:
        """Check every descriptor, then the count."""
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list | tuple) or len(items) > 100:
            return None, [Problem(field.id, "invalid_value")]
        files: list[dict[str, Any]] = []
        for item in items:
            if not isinstance(item, str) or not item or WRONG_TYPE in item:
                return None, [Problem(field.id, "invalid_value")]
            descriptor = _parse(item)
            problem = descriptor_problem(field, descriptor)
            if problem is not None or not isinstance(descriptor, Mapping):
                return None, [problem or Problem(field.id, "invalid_value")]
            files.append(dict(descriptor))
        if not files:
            return None, [Problem(field.id, "required")] if field.required else []
        if len(files) > max_files(field):
            return files, [Problem(field.id, "too_many_files", {"max": max_files(field)})]
        return files, []

    def display(self, field: Field, value: Value, locale: str) -> str:
        """The names and sizes: 診断書.pdf（183 KB）、写真.jpg（2.1 MB）."""
        files = descriptors(value)
        if not files and value is not None and not isinstance(value, list):
            return super().display(field, value, locale)
        if _is_ja(locale):
            return "、".join(f"{f['name']}（{format_size(f['size'])}）" for f in files)
        return ", ".join(f"{f['name']} ({format_size(f['size'])})" for f in files)

    def form_values(self, field: Field, value: Value) -> dict[str, FormValue]:
        """A file input shows nothing; the files held are listed beside it."""
        return {field.id: ""}

    def raw_values(self, field: Field, value: Value) -> dict[str, FormValue]:
        """The descriptors as JSON text, as the portal passes them."""
        if value is None:
            return {field.id: []}
        if not isinstance(value, list):
            return {field.id: WRONG_TYPE}
        return {field.id: [_dump(item) for item in value]}


def _parse(text: str) -> object:
    if len(text) > _MAX_DESCRIPTOR:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _dump(item: object) -> str:
    try:
        return json.dumps(item, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):
        return WRONG_TYPE


def raw_files(files: Sequence[Mapping[str, Any]]) -> list[str]:
    """Descriptors as the raw input of a file field (the portal's side of the contract)."""
    return [_dump(dict(item)) for item in files]
