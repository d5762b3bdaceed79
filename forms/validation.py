"""Validating answers page by page, and the whole application before submission.

Fields hidden by conditions (see forms.conditions) are neither validated nor shown, and
their answers are dropped on submission.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from forms.conditions import Condition, evaluate, visible_field_ids
from forms.fields import FormValue, field_type, groups
from forms.fields.files import descriptors
from forms.model import Field, FormDefinition, Page, Problem, localise


@dataclass(frozen=True)
class PageResult:
    """The cleaned values of one page and the problems found in them."""

    values: Mapping[str, Any]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """True when the page has no problems."""
        return not self.problems


def clean_page(
    page: Page, raw: Mapping[str, Sequence[str]], answers: Mapping[str, Any] | None = None
) -> PageResult:
    """Normalise and validate the raw input of one page.

    With ``answers`` (the answers so far), conditions apply: a hidden field gets the value
    None and no problems, and a field whose ``required_if`` holds is required. Conditions
    see the answers merged with the values this page has cleaned before the field, so a
    field may depend on one above it. Pass ``drop_hidden(form, answers)`` when earlier
    answers may be stale (a question hidden since it was answered): this function sees
    one page, not the form. Without ``answers`` every field is cleaned as if shown.
    """
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    conditional = answers is not None
    page_shown = not conditional or page.show_if is None or evaluate(page.show_if, answers or {})
    for f in page.fields:
        current = {**(answers or {}), **values}
        if conditional and not (page_shown and _holds(f.show_if, current, default=True)):
            values[f.id] = None
            continue
        required = conditional and _holds(f.required_if, current, default=False)
        value, found = _clean_field(f, raw, required=required)
        values[f.id] = value
        problems.extend(found)
    return PageResult(values, tuple(problems))


def _holds(condition: Condition | None, answers: Mapping[str, Any], *, default: bool) -> bool:
    return default if condition is None else evaluate(condition, answers)


def _clean_field(
    f: Field, raw: Mapping[str, Sequence[str]], *, required: bool
) -> tuple[Any, list[Problem]]:
    # Field types only know `required`, so a conditional requirement cleans a copy.
    cleaned = replace(f, required=True) if required and not f.required else f
    return field_type(f.type).clean_inputs(cleaned, raw)


def revalidate(form: FormDefinition, answers: Mapping[str, Any]) -> list[Problem]:
    """Check stored answers again before submitting; answers are never trusted twice.

    Only the fields the answers show are checked. Conditions are decided on the stored
    answers of visible fields, as in visible_field_ids, summary and drop_hidden, so all
    of them agree even when a stored answer no longer cleans to itself.
    """
    problems: list[Problem] = []
    visible = visible_field_ids(form, answers)
    shown = {key: value for key, value in answers.items() if key in visible}
    for f in form.fields():
        if f.id not in visible:
            continue
        rendered = field_type(f.type).raw_values(f, answers.get(f.id))
        raw = {name: _as_raw(text) for name, text in rendered.items()}
        required = _holds(f.required_if, shown, default=False)
        problems.extend(_clean_field(f, raw, required=required)[1])
    return problems


def _as_raw(text: str | Sequence[str]) -> list[str]:
    # Several values (checkboxes) come back as a list; one input gives one string.
    return [text] if isinstance(text, str) else list(text)


def drop_hidden(form: FormDefinition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Return the answers without those of fields the other answers hide."""
    visible = visible_field_ids(form, answers)
    hidden = {f.id for f in form.fields()} - visible
    return {key: value for key, value in answers.items() if key not in hidden}


def first_incomplete_page(form: FormDefinition, answers: Mapping[str, Any]) -> Page | None:
    """Return the first page with a problem in the stored answers, if any."""
    failing = {p.field_id for p in revalidate(form, answers)}
    for page in form.pages:
        if any(f.id in failing for f in page.fields):
            return page
    return None


def page_inputs(page: Page) -> list[str]:
    """Names of every HTML input of a page, for reading a submitted form."""
    return [name for f in page.fields for name in field_type(f.type).inputs(f)]


def page_form_values(page: Page, answers: Mapping[str, Any]) -> dict[str, FormValue]:
    """Stored answers of a page rendered back into its inputs (a list for checkboxes)."""
    values: dict[str, FormValue] = {}
    for f in page.fields:
        values.update(field_type(f.type).form_values(f, answers.get(f.id)))
    return values


def display_answer(field: Field, value: Any, locale: str) -> str:
    """Return an answer as people read it, in a locale."""
    return field_type(field.type).display(field, value, locale)


def _summary_row(f: Field, value: Any, locale: str) -> dict[str, Any]:
    """A question and its answer; files and group items also as data, for links and
    tables."""
    row: dict[str, Any] = {
        "id": f.id,
        "type": f.type,
        "label": localise(f.label, locale),
        "value": display_answer(f, value, locale),
    }
    if f.type == "file":
        row["files"] = [dict(item) for item in descriptors(value)]
    if f.type == "group":
        row["items"] = [
            {"name": groups.item_name(f, number, locale), "rows": rows}
            for number, rows in enumerate(groups.GroupType().rows(f, value, locale), start=1)
        ]
    return row


def summary(form: FormDefinition, answers: Mapping[str, Any], locale: str) -> list[dict[str, Any]]:
    """Return the visible pages with their visible questions and displayed answers.

    Each row has the field's id, type, label and displayed value; a file field's row
    also lists its files, and a group's row the questions and answers of each item.
    """
    visible = visible_field_ids(form, answers)
    pages = []
    for page in form.pages:
        rows = [
            _summary_row(f, answers.get(f.id), locale)
            for f in page.fields
            # Guidance is text to read, not a question: it has no answer to show.
            if f.id in visible and f.type != "guidance"
        ]
        if rows:
            pages.append({"id": page.id, "title": localise(page.title, locale), "rows": rows})
    return pages
