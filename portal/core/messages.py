"""Translated messages for the codes the engines return."""

from __future__ import annotations

from flask_babel import gettext as _

from forms import Problem


def problem_message(problem: Problem, label: str) -> str:
    """Turn a form-engine problem into a sentence about the field it concerns."""
    params = dict(problem.params)
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
        "stale": lambda: _(
            "This application was changed by someone else while you had it "
            "open. Check its current state and try again."
        ),
    }
    return messages.get(code, lambda: _("This action is not possible."))()
