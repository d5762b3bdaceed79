"""Text size and background colour, like the switches of Japanese municipal sites.

Each choice is kept in its own cookie for a year and rendered on the server as a class
on ``<html>`` (``text-large``, ``contrast-dark``…), so the switches work without
JavaScript and the page never flashes in the default look first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

#: One year, like the language cookie.
COOKIE_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Setting:
    """One switch: its cookie, its choices (the first is the default) and their classes."""

    name: str
    cookie: str
    label: Any
    choices: tuple[tuple[str, Any], ...]
    prefix: str

    def current(self) -> str:
        """The choice kept in this request's cookie, else the default."""
        chosen = request.cookies.get(self.cookie, "")
        return chosen if chosen in self.values() else self.choices[0][0]

    def values(self) -> tuple[str, ...]:
        """The choices' values, default first."""
        return tuple(value for value, _ in self.choices)

    def css_class(self) -> str:
        """The class for ``<html>``; none for the default choice."""
        chosen = self.current()
        return "" if chosen == self.choices[0][0] else f"{self.prefix}-{chosen}"


TEXT = Setting(
    "text",
    "display_text",
    _l("Text size"),
    (("standard", _l("Standard")), ("large", _l("Large")), ("xlarge", _l("Extra large"))),
    "text",
)
COLOURS = Setting(
    "colours",
    "display_colours",
    _l("Background colour"),
    (("white", _l("White")), ("dark", _l("Black")), ("blue", _l("Blue"))),
    "contrast",
)
SETTINGS = {setting.name: setting for setting in (TEXT, COLOURS)}


def display_classes() -> str:
    """The classes for ``<html>`` that apply the visitor's text size and colours."""
    return " ".join(c for c in (s.css_class() for s in SETTINGS.values()) if c)


def display_class_attribute() -> Markup:
    """`` class="…"`` for ``<html>`` when a choice is not the default; else nothing."""
    classes = display_classes()
    return Markup(' class="{}"').format(classes) if classes else Markup("")


def display_settings() -> tuple[Setting, ...]:
    """The switches, in the order they are shown."""
    return tuple(SETTINGS.values())
