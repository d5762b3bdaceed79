"""Validating answers page by page, and the whole application before submission."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forms.fields import field_type
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


def clean_page(page: Page, raw: Mapping[str, Sequence[str]]) -> PageResult:
    """Normalise and validate the raw input of one page."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for f in page.fields:
        value, found = field_type(f.type).clean_inputs(f, raw)
        values[f.id] = value
        problems.extend(found)
    return PageResult(values, tuple(problems))


def revalidate(form: FormDefinition, answers: Mapping[str, Any]) -> list[Problem]:
    """Check stored answers again before submitting; answers are never trusted twice."""
    problems: list[Problem] = []
    for page in form.pages:
        raw = {
            name: [text]
            for f in page.fields
            for name, text in field_type(f.type).form_values(f, answers.get(f.id)).items()
        }
        problems.extend(clean_page(page, raw).problems)
    return problems


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


def page_form_values(page: Page, answers: Mapping[str, Any]) -> dict[str, str]:
    """Stored answers of a page rendered back into its inputs."""
    values: dict[str, str] = {}
    for f in page.fields:
        values.update(field_type(f.type).form_values(f, answers.get(f.id)))
    return values


def display_answer(field: Field, value: Any, locale: str) -> str:
    """Return an answer as people read it, in a locale."""
    return field_type(field.type).display(field, value, locale)


def summary(form: FormDefinition, answers: Mapping[str, Any], locale: str) -> list[dict[str, Any]]:
    """Return pages with their questions and displayed answers, for check pages and PDFs."""
    return [
        {
            "id": page.id,
            "title": localise(page.title, locale),
            "rows": [
                {
                    "id": f.id,
                    "label": localise(f.label, locale),
                    "value": display_answer(f, answers.get(f.id), locale),
                }
                for f in page.fields
            ],
        }
        for page in form.pages
    ]
