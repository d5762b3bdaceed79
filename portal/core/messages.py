"""Translated messages for the codes the engines return."""

from __future__ import annotations

from flask_babel import gettext as _

from forms import Problem

#: Field types answered by choosing, for which "required" reads "Select …".
_CHOSEN = {"choice", "multichoice", "yesno"}


def problem_message(problem: Problem, label: str, kind: str | None = None) -> str:
    """Turn a form-engine problem into a sentence about the field it concerns; ``kind``
    (the field's type) picks the right verb for a missing answer."""
    params = dict(problem.params)
    if problem.code == "required" and kind in _CHOSEN:
        return _("Select %(label)s.", label=label)
    if problem.code == "required" and kind == "file":
        return _("Attach %(label)s.", label=label)
    name = params.get("name", "")
    messages = {
        "required": lambda: _("Enter %(label)s.", label=label),
        "too_long": lambda: _(
            "%(label)s must be %(max)s characters or fewer.", label=label, max=params.get("max")
        ),
        "not_a_number": lambda: _("%(label)s must be a number, like 3.", label=label),
        "not_integer": lambda: _("%(label)s must be a whole number.", label=label),
        "too_small": lambda: _(
            "%(label)s must be %(min)s or more.", label=label, min=params.get("min")
        ),
        "too_large": lambda: _(
            "%(label)s must be %(max)s or less.", label=label, max=params.get("max")
        ),
        "invalid_date": lambda: _(
            "%(label)s must be a real date, like 2024-04-01 or 令和6年4月1日.", label=label
        ),
        "date_not_past": lambda: _("%(label)s must be today or in the past.", label=label),
        "date_not_future": lambda: _("%(label)s must be today or in the future.", label=label),
        "invalid_choice": lambda: _("Select %(label)s.", label=label),
        "invalid_email": lambda: _(
            "Enter %(label)s in the right format, like name@example.jp.", label=label
        ),
        "other_required": lambda: _("Write what “other” means for %(label)s.", label=label),
        "too_few_choices": lambda: _(
            "Select at least %(min)s for %(label)s.", label=label, min=params.get("min")
        ),
        "too_many_choices": lambda: _(
            "Select no more than %(max)s for %(label)s.", label=label, max=params.get("max")
        ),
        "invalid_phone": lambda: _(
            "Enter %(label)s as a Japanese phone number, like 090-1234-5678.", label=label
        ),
        "invalid_postcode": lambda: _("Enter %(label)s as 7 digits, like 100-0001.", label=label),
        "kana_only": lambda: _("Write the reading of %(label)s in katakana.", label=label),
        "alphabet_only": lambda: _("Write %(label)s in the alphabet.", label=label),
        "invalid_prefecture": lambda: _("Select the prefecture of %(label)s.", label=label),
        "must_agree": lambda: _("Tick the box to confirm %(label)s.", label=label),
        "name_required": lambda: _("Type your full name to sign %(label)s.", label=label),
        "invalid_corporate_number": lambda: _(
            "%(label)s must be a 13-digit corporate number. Check the digits.", label=label
        ),
        "invalid_my_number": lambda: _(
            "%(label)s must be a 12-digit individual number. Check the digits.", label=label
        ),
        "control_characters": lambda: _(
            "%(label)s contains characters that cannot be used.", label=label
        ),
        "invalid_value": lambda: _("Check %(label)s.", label=label),
        "file_empty": lambda: _("“%(name)s” is empty. Choose another file.", name=name),
        "file_too_large": lambda: _(
            "“%(name)s” is larger than %(max)s. Choose a smaller file, or scan it at a "
            "lower resolution.",
            name=name,
            max=params.get("max"),
        ),
        "file_type": lambda: _(
            "“%(name)s” is not a file of an accepted kind. Attach %(allowed)s files.",
            name=name,
            allowed=params.get("allowed"),
        ),
        "too_many_files": lambda: _(
            "Attach no more than %(max)s files for %(label)s.", label=label, max=params.get("max")
        ),
        "too_few_items": lambda: _(
            "Give at least %(min)s entries for %(label)s.", label=label, min=params.get("min")
        ),
    }
    return messages.get(problem.code, lambda: _("Check %(label)s.", label=label))()


def refusal_message(code: str) -> str:
    """Explain why the approval engine refused an action."""
    messages = {
        "not_permitted": lambda: _("You are not allowed to do this at the current step."),
        "wrong_status": lambda: _(
            "This application is no longer at a step where that is "
            "possible. Someone may have acted on it already."
        ),
        "reason_required": lambda: _("Write the reason."),
        "fields_required": lambda: _("Tick the answers the applicant must correct."),
        "message_required": lambda: _("Write a message of at most 2,000 characters."),
        "stale": lambda: _(
            "This application was changed by someone else while you had it "
            "open. Check its current state and try again."
        ),
        "assigned_to_other": lambda: _(
            "A colleague has taken this step on. Ask them, or ask a supervisor to hand it to you."
        ),
        "not_assignable": lambda: _(
            "Choose a colleague who holds the role of this step and is not absent."
        ),
        "unknown_stage": lambda: _("Choose an earlier step to send the application back to."),
        "absence_date": lambda: _(
            "Enter the last day of your absence as a date from today on, or leave it empty."
        ),
        "deputy_unknown": lambda: _("Choose your deputy from the staff of this government."),
    }
    return messages.get(code, lambda: _("This action is not possible."))()
