"""Wizard navigation over the pages a resident's answers make visible."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms import FormDefinition, Page
from forms.conditions import visible_pages

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
