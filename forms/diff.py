"""What changed between two versions of a procedure, for the publish page and the history.

Each change is a stable ``code`` with plain-string ``args``, so that the portal can show
a translated sentence; ``Change.text`` is a default English one. Changes come in the
order staff read a procedure: settings, then pages and questions in form order, then
computed values, the route and the notice. Differences only in translations (any
locale but Japanese) are gathered into one ``translation_changed`` at the end.
Questions, pages, choices, computed values and stages are matched by id (choices by
value), so renaming keeps an item and a new id is an addition.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forms.model import DEFAULT_LOCALE
from forms.translations import is_text, texts

Document = Mapping[str, Any]

METADATA_ORDER = (
    "description",
    "eligibility",
    "category",
    "fee",
    "standard_processing_days",
    "guest",
    "application_period",
    "contact",
    "keywords",
    "signature",
    "collects_my_number",
)
_SECTIONS = frozenset({"schema", "title", "form", "computed", "route", "notice"})
_FIELD_ASPECTS = (
    ("label", ("label",)),
    ("hint", ("hint",)),
    ("required", ("required",)),
    ("type", ("type",)),
    ("options", ("options", "other")),
    (
        "validation",
        (
            *("min", "max", "max_length", "decimal", "past", "future", "min_choices"),
            *("max_choices", "accept", "max_files", "max_size_mb", "min_items", "max_items"),
        ),
    ),
    ("condition", ("show_if", "required_if")),
    ("text", ("statement", "body")),
    ("questions", ("fields",)),
)
_STAGE_ASPECTS = ("title", "kind", "role", "department", "consult", "on_objection", "tiers", "days")
_COMPUTED_ASPECTS = ("label", "hint", "formula", "format")
_NOTICE_ORDER = (
    *("subject", "kind", "approved_title", "approved_body"),
    *("rejected_title", "rejected_body", "template"),
)
_SHORT = 80

_TEXTS = {
    "first_version": "First version.",
    "title_changed": "The title changed from “{old}” to “{new}”.",
    "metadata_changed": "The {key} changed from “{old}” to “{new}”.",
    "page_added": "Page “{page}” was added.",
    "page_removed": "Page “{page}” was removed.",
    "page_renamed": "Page “{old}” was renamed “{new}”.",
    "page_moved": "Page “{page}” was moved.",
    "page_condition_changed": "The condition of page “{page}” changed.",
    "field_added": "Question “{label}” was added on page “{page}”.",
    "field_removed": "Question “{label}” was removed from page “{page}”.",
    "field_changed": "Question “{label}” on page “{page}” changed: {what}.",
    "field_moved": "Question “{label}” was moved from page “{old_page}” to page “{page}”.",
    "options_changed": "The choices of “{label}” changed.",
    "computed_added": "Computed value “{label}” was added.",
    "computed_removed": "Computed value “{label}” was removed.",
    "computed_changed": "Computed value “{label}” changed: {what}.",
    "route_changed": "The approval route changed.",
    "stage_added": "Stage “{stage}” was added to the route.",
    "stage_removed": "Stage “{stage}” was removed from the route.",
    "stage_changed": "Stage “{stage}” changed: {what}.",
    "stage_moved": "Stage “{stage}” was moved.",
    "notice_changed": "The notice changed: {keys}.",
    "translation_changed": "Translations changed: {locales}.",
}


@dataclass(frozen=True)
class Change:
    """One change between versions: a stable code and the plain strings its sentence needs."""

    code: str
    args: dict[str, str] = dataclasses.field(default_factory=dict, hash=False)

    @property
    def text(self) -> str:
        """A default English sentence (the portal translates by code and args)."""
        args = {**self.args, "key": self.args.get("key", "").replace("_", " ")}
        if self.code == "metadata_changed" and not args.get("new"):
            return "The {key} was removed.".format(**args)
        if self.code == "metadata_changed" and not args.get("old"):
            return "The {key} was set to “{new}”.".format(**args)
        if self.code == "field_moved" and args.get("old_page") == args.get("page"):
            return "Question “{label}” was moved within page “{page}”.".format(**args)
        if self.code == "options_changed":
            return _options_text(args)
        return _TEXTS.get(self.code, self.code).format(**args)


def _options_text(args: Mapping[str, str]) -> str:
    parts = [f"{name} {args[name]}" for name in ("added", "removed", "renamed") if args.get(name)]
    if args.get("reordered"):
        parts.append("reordered")
    return f"The choices of “{args['label']}” changed: {'; '.join(parts)}."


def describe_changes(old: Document | None, new: Document) -> list[Change]:
    """Summarise what changed from one version of a procedure to the next."""
    if old is None:
        return [Change("first_version", {})]
    seen = _Translations()
    changes = [
        *_metadata_changes(old, new, seen),
        *_form_changes(old, new, seen),
        *_computed_changes(old, new, seen),
        *_route_changes(old, new, seen),
        *_notice_changes(old, new),
    ]
    if seen.locales:
        changes.append(Change("translation_changed", {"locales": ", ".join(sorted(seen.locales))}))
    return changes


# Translations -----------------------------------------------------------------------------


class _Translations:
    """Compares by Japanese, noting the locales whose texts alone differ."""

    def __init__(self) -> None:
        self.locales: set[str] = set()

    def differ(self, old: Any, new: Any) -> bool:
        """Whether old and new differ in anything but translations."""
        if old == new:
            return False
        if _japanese(old) != _japanese(new):
            return True
        before, after = dict(texts(old)), dict(texts(new))
        for path, text in after.items():
            other = before.get(path, {})
            self.locales |= {
                locale
                for locale in {*text, *other} - {DEFAULT_LOCALE}
                if text.get(locale) != other.get(locale)
            }
        return False


def _japanese(value: Any) -> Any:
    """The value with every text reduced to its Japanese."""
    if is_text(value):
        return value[DEFAULT_LOCALE]
    if isinstance(value, Mapping):
        return {key: _japanese(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_japanese(item) for item in value]
    return value


def _ja(text: Any) -> str:
    return str(text.get(DEFAULT_LOCALE, "")) if isinstance(text, Mapping) else ""


def _short(value: Any) -> str:
    """A setting's value as a short string."""
    if value is None:
        return ""
    if is_text(value):
        text = str(value[DEFAULT_LOCALE])
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, Mapping) and "formula" in value:
        text = str(value["formula"])
    elif isinstance(value, Mapping) and set(value) <= {"opens", "closes"}:
        text = f"{value.get('opens', '')} – {value.get('closes', '')}".strip()
    elif isinstance(value, str | int | float):
        text = str(value)
    else:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= _SHORT else text[: _SHORT - 1] + "…"


# Settings ---------------------------------------------------------------------------------


def _metadata_changes(old: Document, new: Document, seen: _Translations) -> Iterator[Change]:
    if seen.differ(old.get("title"), new.get("title")):
        yield Change("title_changed", {"old": _ja(old.get("title")), "new": _ja(new.get("title"))})
    others = sorted((set(old) | set(new)) - _SECTIONS - set(METADATA_ORDER))
    for key in (*METADATA_ORDER, *others):
        before, after = old.get(key), new.get(key)
        if seen.differ(before, after):
            yield Change(
                "metadata_changed", {"key": key, "old": _short(before), "new": _short(after)}
            )


# Pages and questions ----------------------------------------------------------------------


def _pages(document: Document) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = document.get("form", {}).get("pages", [])
    return pages


def _field_index(document: Document) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Question id -> (page, question) for every top-level question."""
    return {
        field["id"]: (page, field) for page in _pages(document) for field in page.get("fields", [])
    }


def _moved(old_order: Sequence[str], new_order: Sequence[str]) -> set[str]:
    """Items of both orders that moved: those outside a longest common subsequence."""
    old_ids = [item for item in old_order if item in set(new_order)]
    new_ids = [item for item in new_order if item in set(old_order)]
    # lengths[i][j]: longest common subsequence of old_ids[i:] and new_ids[j:].
    lengths = [[0] * (len(new_ids) + 1) for _ in range(len(old_ids) + 1)]
    for i in range(len(old_ids) - 1, -1, -1):
        for j in range(len(new_ids) - 1, -1, -1):
            lengths[i][j] = (
                lengths[i + 1][j + 1] + 1
                if old_ids[i] == new_ids[j]
                else max(lengths[i + 1][j], lengths[i][j + 1])
            )
    kept: set[str] = set()
    i = j = 0
    while i < len(old_ids) and j < len(new_ids):
        if old_ids[i] == new_ids[j]:
            kept.add(old_ids[i])
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    return set(new_ids) - kept


def _form_changes(old: Document, new: Document, seen: _Translations) -> Iterator[Change]:
    before = {page["id"]: page for page in _pages(old)}
    moved = _moved([p["id"] for p in _pages(old)], [p["id"] for p in _pages(new)])
    old_fields, new_fields = _field_index(old), _field_index(new)
    for page in _pages(new):
        prior = before.get(page["id"])
        if prior is None:
            yield Change("page_added", {"page": _ja(page.get("title"))})
        else:
            yield from _page_changes(prior, page, page["id"] in moved, seen)
        yield from _page_field_changes(prior, page, old_fields, seen)
        if prior is not None:
            yield from _removed_fields(prior, new_fields)
    after = {page["id"] for page in _pages(new)}
    for page in _pages(old):
        if page["id"] not in after:
            yield Change("page_removed", {"page": _ja(page.get("title"))})
            yield from _removed_fields(page, new_fields)


def _page_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], moved: bool, seen: _Translations
) -> Iterator[Change]:
    title = _ja(new.get("title"))
    if seen.differ(old.get("title"), new.get("title")):
        yield Change("page_renamed", {"old": _ja(old.get("title")), "new": title})
    if moved:
        yield Change("page_moved", {"page": title})
    if seen.differ(old.get("show_if"), new.get("show_if")):
        yield Change("page_condition_changed", {"page": title})


def _page_field_changes(
    prior: Mapping[str, Any] | None,
    page: Mapping[str, Any],
    old_fields: Mapping[str, tuple[dict[str, Any], dict[str, Any]]],
    seen: _Translations,
) -> Iterator[Change]:
    here = [f["id"] for f in page.get("fields", [])]
    there = [f["id"] for f in prior.get("fields", [])] if prior is not None else []
    moved = _moved(there, here)
    title = _ja(page.get("title"))
    for field in page.get("fields", []):
        label = _ja(field.get("label"))
        if field["id"] not in old_fields:
            yield Change("field_added", {"label": label, "page": title})
            continue
        old_page, old_field = old_fields[field["id"]]
        if old_page["id"] != page["id"] or field["id"] in moved:
            moves = {"label": label, "page": title, "old_page": _ja(old_page.get("title"))}
            yield Change("field_moved", moves)
        yield from _field_changes(old_field, field, title, seen)


def _removed_fields(
    page: Mapping[str, Any], new_fields: Mapping[str, tuple[dict[str, Any], dict[str, Any]]]
) -> Iterator[Change]:
    for field in page.get("fields", []):
        if field["id"] not in new_fields:
            yield Change(
                "field_removed", {"label": _ja(field.get("label")), "page": _ja(page.get("title"))}
            )


def _field_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], page: str, seen: _Translations
) -> Iterator[Change]:
    what = [
        aspect
        for aspect, keys in (*_FIELD_ASPECTS, ("settings", _other_keys(old, new)))
        if seen.differ(_pick(old, keys), _pick(new, keys))
    ]
    label = _ja(new.get("label"))
    if what:
        yield Change("field_changed", {"label": label, "page": page, "what": ", ".join(what)})
    if "options" in what:
        yield Change("options_changed", {"label": label, **_option_changes(old, new)})


def _other_keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[str, ...]:
    known = {key for _, keys in _FIELD_ASPECTS for key in keys} | {"id"}
    return tuple(sorted((set(old) | set(new)) - known))


def _pick(item: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    # An absent flag means false, so "required": false is no change from leaving it out.
    return {key: item[key] for key in keys if item.get(key) not in (None, False)}


def _option_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, str]:
    """Choices added, removed and relabelled (by Japanese label), and whether reordered."""
    before = {o["value"]: _ja(o.get("label")) for o in old.get("options", [])}
    after = {o["value"]: _ja(o.get("label")) for o in new.get("options", [])}
    # The "other" choice has no label of its own in the definition.
    before.update({"__other__": "(other)"} if old.get("other") else {})
    after.update({"__other__": "(other)"} if new.get("other") else {})
    renamed = [
        f"{before[v]} → {label}" for v, label in after.items() if before.get(v, label) != label
    ]
    return {
        "added": ", ".join(label for v, label in after.items() if v not in before),
        "removed": ", ".join(label for v, label in before.items() if v not in after),
        "renamed": ", ".join(renamed),
        "reordered": "yes" if _moved(list(before), list(after)) else "",
    }


# Computed values, route and notice --------------------------------------------------------


def _by_id(items: Any) -> dict[str, Mapping[str, Any]]:
    return {item["id"]: item for item in items or [] if isinstance(item, Mapping)}


def _computed_changes(old: Document, new: Document, seen: _Translations) -> Iterator[Change]:
    before, after = _by_id(old.get("computed")), _by_id(new.get("computed"))
    for name, item in after.items():
        args = {"id": name, "label": _ja(item.get("label")) or name}
        if name not in before:
            yield Change("computed_added", args)
            continue
        what = [
            key for key in _COMPUTED_ASPECTS if seen.differ(before[name].get(key), item.get(key))
        ]
        if what:
            yield Change("computed_changed", {**args, "what": ", ".join(what)})
    for name, item in before.items():
        if name not in after:
            yield Change("computed_removed", {"id": name, "label": _ja(item.get("label")) or name})


def _stage_name(stage: Mapping[str, Any]) -> str:
    return _ja(stage.get("title")) or str(stage.get("id"))


def _route_changes(old: Document, new: Document, seen: _Translations) -> Iterator[Change]:
    if not seen.differ(old.get("route"), new.get("route")):
        return
    yield Change("route_changed", {})
    old_stages = old.get("route", {}).get("stages", [])
    new_stages = new.get("route", {}).get("stages", [])
    before, after = _by_id(old_stages), _by_id(new_stages)
    moved = _moved(list(before), list(after))
    for name, stage in after.items():
        if name not in before:
            yield Change("stage_added", {"stage": _stage_name(stage)})
            continue
        what = [key for key in _STAGE_ASPECTS if seen.differ(before[name].get(key), stage.get(key))]
        if what:
            yield Change("stage_changed", {"stage": _stage_name(stage), "what": ", ".join(what)})
        if name in moved:
            yield Change("stage_moved", {"stage": _stage_name(stage)})
    for name, stage in before.items():
        if name not in after:
            yield Change("stage_removed", {"stage": _stage_name(stage)})


def _notice_changes(old: Document, new: Document) -> Iterator[Change]:
    before, after = old.get("notice", {}), new.get("notice", {})
    others = sorted((set(before) | set(after)) - set(_NOTICE_ORDER))
    keys = [key for key in (*_NOTICE_ORDER, *others) if before.get(key) != after.get(key)]
    if keys:
        yield Change("notice_changed", {"keys": ", ".join(keys)})
