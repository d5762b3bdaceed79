"""A posted page of questions: uploads, page buttons, then the engine's check.

Shared by the wizard and the correction page, which differ only in what they do with
the cleaned answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from forms import Page, Problem
from forms.fields.files import descriptors, raw_files
from forms.validation import drop_hidden, page_inputs
from forms.wtforms_adapter import page_form_class
from portal.applications import attachments, wizard
from portal.applications.models import Application
from portal.catalog.definitions import form_of
from portal.core.i18n import current_locale
from portal.core.messages import problem_message

#: Buttons that change the page without leaving it: files and repeating groups.
PAGE_BUTTONS = (
    "remove_file",
    "attach_locker",
    "add_item",
    "remove_item",
    "upload",
    "lookup_address",
)


@dataclass
class Posted:
    """A posted page after its files and buttons are handled: what to show or check."""

    raw: dict[str, list[str]]
    problems: list[Problem]
    #: The page button pressed (stay on the page), or None ("save and continue").
    button: str | None
    suggestions: dict[str, str]


def read_post(application: Application, current: Page) -> Posted:
    """Store uploads and apply the page's buttons (files, group items, address lookup)."""
    raw = {name: request.form.getlist(name) for name in page_inputs(current)}
    uploads = {f.id: request.files.getlist(f.id) for f in attachments.file_fields(current)}
    keep = [f.id for f in attachments.file_fields(current) if request.form.get(f"{f.id}.keep")]
    raw.update({f"{field_id}.keep": ["yes"] for field_id in keep})  # shown ticked again
    problems = attachments.attach_uploads(application, current, uploads, current_user, keep)
    button = next((name for name in PAGE_BUTTONS if name in request.form), None)
    suggestions: dict[str, str] = {}
    if button == "remove_file":
        attachments.remove_attachment(application, current, request.form["remove_file"])
    elif button == "attach_locker":
        target = request.form["attach_locker"]
        problems += attachments.attach_from_locker(application, current, target, current_user)
    elif button in ("add_item", "remove_item"):
        raw = wizard.edit_items(current, raw, button, request.form[button]) or raw
    elif button == "lookup_address":
        raw, suggestions = wizard.look_up_address(current, raw, request.form[button])
    return Posted(raw, problems, button, suggestions)


def check(application: Application, current: Page, posted: Posted) -> Any:
    """Clean the page as a WTForms form (conditions included) with the files it holds."""
    for f in attachments.file_fields(current):
        posted.raw[f.id] = raw_files(descriptors(application.answers.get(f.id)))
    form = form_of(application.version)
    checked = page_form_class(current)(MultiDict(posted.raw), locale=current_locale())
    valid = checked.validate(
        answers=drop_hidden(form, application.answers), message=problem_message
    )
    posted.problems += list(checked.problems)
    return checked if valid and not posted.problems else None
