"""Sentences for the changes between two versions of a procedure (forms.diff)."""

from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l

from forms.diff import Change

SENTENCES = {
    "first_version": _l("First version."),
    "title_changed": _l("Title changed from 「%(old)s」 to 「%(new)s」."),
    "metadata_changed": _l("Details changed: %(key)s (「%(old)s」 → 「%(new)s」)."),
    "page_added": _l("Page 「%(page)s」 added."),
    "page_removed": _l("Page 「%(page)s」 removed."),
    "page_renamed": _l("Page 「%(old)s」 renamed 「%(new)s」."),
    "page_moved": _l("Page 「%(page)s」 moved."),
    "field_added": _l("Question 「%(label)s」 added on page 「%(page)s」."),
    "field_removed": _l("Question 「%(label)s」 removed from page 「%(page)s」."),
    "field_changed": _l("Question 「%(label)s」 changed: %(what)s."),
    "field_moved": _l("Question 「%(label)s」 moved."),
    "options_changed": _l("Choices of 「%(label)s」 changed."),
    "page_condition_changed": _l("When page 「%(page)s」 is shown changed."),
    "computed_added": _l("Computed value 「%(label)s」 added."),
    "computed_removed": _l("Computed value 「%(label)s」 removed."),
    "computed_changed": _l("Computed value 「%(label)s」 changed."),
    "stage_moved": _l("Approval stage 「%(stage)s」 moved."),
    "route_changed": _l("Approval route changed."),
    "stage_added": _l("Approval stage 「%(stage)s」 added."),
    "stage_removed": _l("Approval stage 「%(stage)s」 removed."),
    "stage_changed": _l("Approval stage 「%(stage)s」 changed: %(what)s."),
    "notice_changed": _l("Notice changed."),
    "translation_changed": _l("Translations changed: %(locales)s."),
}


def change_sentence(change: Change) -> str:
    """The translated sentence of one change, or the engine's English when unknown."""
    sentence = SENTENCES.get(change.code)
    if sentence is None:
        return change.text
    # A value the engine did not give reads as empty rather than breaking the page.
    return str(sentence) % defaultdict(str, change.args)
