"""Wizard navigation over the pages a resident's answers make visible."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from forms import FormDefinition, Page, Problem, localise
from forms.conditions import visible_pages
from forms.fields import FormValue, groups
from forms.fields.compound import with_postcode_suggestion
from portal.core.messages import problem_message

__all__ = ["Position", "is_visible", "position", "visible_pages"]


@dataclass(frozen=True)
class Position:
    """Where a page stands among the visible pages: step n of m, and its neighbours."""

    step: int
    steps: int
    previous: str | None
    next: str | None


def position(form: FormDefinition, answers: Mapping[str, Any], page: Page) -> Position:
    """Locate a page among the pages visible with these answers.

    A page hidden by the answers is placed where it would stand, so that a resident
    who arrives on it by an old link still gets sensible back and next links.
    """
    shown = [p for p in visible_pages(form, answers)]
    if page not in shown:
        shown = [p for p in form.pages if p in shown or p == page]
    index = shown.index(page)
    return Position(
        step=index + 1,
        steps=len(shown),
        previous=shown[index - 1].id if index else None,
        next=shown[index + 1].id if index + 1 < len(shown) else None,
    )


def is_visible(form: FormDefinition, answers: Mapping[str, Any], page: Page) -> bool:
    """True when the answers show at least one field of the page."""
    return page in visible_pages(form, answers)


def page_errors(page: Page, problems: Iterable[Problem], locale: str) -> dict[str, str]:
    """One message per input to fix, keyed by the id its error links to (the first
    problem of each is the one to fix first)."""
    labels = {f.id: localise(f.label, locale) for f in page.fields}
    fields = {f.id: f for f in page.fields}
    errors: dict[str, str] = {}
    for problem in problems:
        key, label = problem.field_id, labels.get(problem.field_id, "")
        item, sub = problem.params.get("item"), problem.params.get("subfield")
        field = fields.get(problem.field_id)
        kind = field.type if field else None
        if field is not None and isinstance(item, int) and isinstance(sub, str):
            inner = next((f for f in groups.subfields(field) if f.id == sub), None)
            key = groups.item_prefix(field, item - 1) + sub
            kind = inner.type if inner else None
            label = _(
                "%(item)s: %(label)s",
                item=groups.item_name(field, item, locale),
                label=localise(inner.label, locale) if inner else sub,
            )
        errors.setdefault(key, problem_message(problem, label, kind))
    return errors


def shown_values(raw: Mapping[str, list[str]]) -> dict[str, FormValue]:
    """Raw input as the page shows it again: one value as text, several as a list."""
    return {
        key: items if len(items) > 1 else (items[0] if items else "") for key, items in raw.items()
    }


def edit_items(
    page: Page, raw: Mapping[str, list[str]], action: str, target: str
) -> dict[str, list[str]] | None:
    """Apply an "add another" or "remove" button of a repeating group to the raw input;
    None when the button names no group of this page."""
    name, _sep, index = target.partition(".")
    group = next((f for f in page.fields if f.type == "group" and f.id == name), None)
    if group is None:
        return None
    if action == "add_item":
        return groups.with_item_added(group, raw)
    if not index.isdigit():
        return None
    return groups.with_item_removed(group, raw, int(index))


def look_up_address(
    page: Page, raw: Mapping[str, list[str]], field_id: str
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Fill an address of the page from its postcode; the suggestion ("" when the
    postcode is unknown) is returned by field id for the page to show."""
    field = next((f for f in page.fields if f.type == "address" and f.id == field_id), None)
    if field is None:
        return dict(raw), {}
    updated, found = with_postcode_suggestion(field, raw)
    return updated, {field.id: str(found) if found else ""}
