"""The form definition model: pages of fields, built from validated JSON data."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from forms.conditions import Condition
from forms.ruby import RubyText, has_notation

DEFAULT_LOCALE = "ja"
#: Easy Japanese (やさしい日本語): its texts may carry furigana (forms.ruby) and fall
#: back to Japanese like every other locale.
EASY_JAPANESE = "ja-easy"

Text = Mapping[str, str]


def localise(text: Text | None, locale: str) -> str:
    """Pick the text for a locale, falling back to Japanese, then to any text.

    An easy-Japanese text with furigana comes back as a :class:`forms.ruby.RubyText`:
    plain text as a string, with ``<ruby>`` as HTML.
    """
    if not text:
        return ""
    own = text.get(locale)
    if own and locale == EASY_JAPANESE and has_notation(own):
        return RubyText(own)
    return own or text.get(DEFAULT_LOCALE) or next(iter(text.values()), "")


@dataclass(frozen=True)
class Option:
    """One choice of a choice field."""

    value: str
    label: Text


@dataclass(frozen=True)
class Field:
    """One question; type-specific settings live in ``params``."""

    id: str
    type: str
    label: Text
    hint: Text = field(default_factory=dict)
    required: bool = False
    options: tuple[Option, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)
    #: Shown only when this holds on the earlier answers (see forms.conditions).
    show_if: Condition | None = None
    #: Required when this holds, in addition to ``required``.
    required_if: Condition | None = None

    def option_label(self, value: str, locale: str) -> str:
        """Return the label of the option with this value, or the value itself."""
        for option in self.options:
            if option.value == value:
                return localise(option.label, locale)
        return value


@dataclass(frozen=True)
class Page:
    """One page of the wizard: a topic and its fields."""

    id: str
    title: Text
    fields: tuple[Field, ...]
    #: Every field of the page is hidden unless this holds on earlier pages' answers.
    show_if: Condition | None = None


@dataclass(frozen=True)
class Problem:
    """A validation problem: which field, a code the portal translates, and parameters."""

    field_id: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FormDefinition:
    """A procedure's questions, in page order."""

    pages: tuple[Page, ...]

    def page(self, page_id: str) -> Page:
        """Return the page with this id; KeyError if there is none."""
        for page in self.pages:
            if page.id == page_id:
                return page
        raise KeyError(page_id)

    def page_index(self, page_id: str) -> int:
        """Return the position of a page (0-based); KeyError if there is none."""
        return self.pages.index(self.page(page_id))

    def fields(self) -> Iterator[Field]:
        """Iterate over every field of every page."""
        for page in self.pages:
            yield from page.fields

    def field(self, field_id: str) -> Field:
        """Return the field with this id; KeyError if there is none."""
        for candidate in self.fields():
            if candidate.id == field_id:
                return candidate
        raise KeyError(field_id)


class DefinitionError(ValueError):
    """A definition that breaks the schema or the engine's rules; lists every problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
