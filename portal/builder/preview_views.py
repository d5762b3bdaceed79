"""Preview as a resident: the real wizard pages on the draft, nothing saved as an application.

The pages, conditions, validation, repeating groups and address lookup are the ones
residents get (the same engine calls and the same field macros); the answers are kept
on the draft per member of staff, never in an application. Files are not uploaded in a
preview: file questions are shown, and their "required" is not enforced.
"""

from __future__ import annotations

from typing import Any

from flask import abort, g, redirect, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from forms import DefinitionError, FormDefinition, Page, build_form, field_type, summary
from forms.computed import build_computed, computed_values
from forms.conditions import page_field_states
from forms.fees import evaluate_fee, parse_formula
from forms.validation import drop_hidden, page_form_values, page_inputs
from forms.wtforms_adapter import page_form_class
from portal.applications import wizard
from portal.applications.pages import PAGE_BUTTONS
from portal.builder.views import bp, load, render_tab
from portal.catalog.definitions import format_value
from portal.catalog.models import ProcedureDraft
from portal.core.i18n import current_locale, text
from portal.core.messages import problem_message
from portal.core.policies import procedure_builder
from portal.extensions import db

PREFIX = "/<tenant_slug>/procedures/<int:procedure_id>/preview"


def _answers(draft: ProcedureDraft) -> dict[str, Any]:
    return dict((draft.preview_answers or {}).get(str(current_user.id)) or {})


def _keep(draft: ProcedureDraft, answers: dict[str, Any]) -> None:
    # Not an edit of the procedure: no audit entry, and no bump of the draft's lock.
    kept = {**(draft.preview_answers or {}), str(current_user.id): answers}
    db.session.query(ProcedureDraft).filter_by(id=draft.id).update(
        {"preview_answers": kept}, synchronize_session=False
    )


def _form(draft: ProcedureDraft) -> FormDefinition | list[str]:
    try:
        return build_form(draft.document["form"])
    except DefinitionError as error:
        return list(error.problems)


def _url(endpoint: str, **values: Any) -> str:
    return url_for(
        endpoint,
        tenant_slug=g.tenant.slug,
        procedure_id=request.view_args["procedure_id"],
        **values,
    )  # type: ignore[index]  # noqa: E501


@bp.route(PREFIX, methods=["GET", "POST"], endpoint="preview")
@procedure_builder
def preview_start(tenant_slug: str, procedure_id: int) -> Any:
    """The preview's start: what it is, and a button that starts with no answers."""
    procedure, draft = load(procedure_id)
    form = _form(draft)
    if request.method == "POST" and not isinstance(form, list):
        _keep(draft, {})
        return redirect(_url("builder.preview_page", page_id=form.pages[0].id))
    problems = form if isinstance(form, list) else []
    return render_tab("builder/preview.html", procedure, draft, problems=problems)


@bp.route(f"{PREFIX}/<page_id>", methods=["GET", "POST"])
@procedure_builder
def preview_page(tenant_slug: str, procedure_id: int, page_id: str) -> Any:
    """One page of the draft's wizard; a post validates it as the resident's would."""
    procedure, draft = load(procedure_id)
    form = _form(draft)
    if isinstance(form, list):
        return redirect(_url("builder.preview"))
    try:
        current = form.page(page_id)
    except KeyError:
        abort(404)
    answers = _answers(draft)
    if request.method == "GET":
        values = page_form_values(current, answers)
        return _render(procedure, draft, form, current, answers, values, {})
    raw = {name: request.form.getlist(name) for name in page_inputs(current)}
    button = next((name for name in PAGE_BUTTONS if name in request.form), None)
    suggestions: dict[str, str] = {}
    if button in ("add_item", "remove_item"):
        raw = wizard.edit_items(current, raw, button, request.form[button]) or raw
    elif button == "lookup_address":
        raw, suggestions = wizard.look_up_address(current, raw, request.form[button])
    if button:
        return _render(procedure, draft, form, current, answers, wizard.shown_values(raw), {},
                       suggestions)  # fmt: skip
    checked = page_form_class(current)(MultiDict(raw), locale=current_locale())
    checked.validate(answers=drop_hidden(form, answers), message=problem_message)
    files = {f.id for f in current.fields if f.type == "file"}
    problems = [p for p in checked.problems if p.field_id not in files]
    if problems:
        errors = wizard.page_errors(current, problems, current_locale())
        page = _render(procedure, draft, form, current, answers, wizard.shown_values(raw), errors)
        return page, 422
    answers.update({k: v for k, v in checked.cleaned.items() if k not in files})
    _keep(draft, answers)
    following = wizard.position(form, answers, current).next
    if following is None:
        return redirect(_url("builder.preview_check"))
    return redirect(_url("builder.preview_page", page_id=following))


def _render(
    procedure, draft, form, current: Page, answers, values, errors, suggestions=None
) -> str:  # type: ignore[no-untyped-def]  # noqa: E501
    where = wizard.position(form, answers, current)
    states = page_field_states(form, current, drop_hidden(form, answers))
    return render_tab(
        "builder/preview_page.html",
        procedure,
        draft,
        page=current,
        values=values,
        errors=errors,
        step=where.step,
        steps=where.steps,
        previous=where.previous,
        field_type=field_type,
        suggestions=suggestions or {},
        states=states,
        live=any(not isinstance(state, bool) for state in states.values()),
    )


@bp.route(f"{PREFIX}/check")
@procedure_builder
def preview_check(tenant_slug: str, procedure_id: int) -> Response | str:
    """The check page of the preview: answers, computed values and fee; nothing to send."""
    procedure, draft = load(procedure_id)
    form = _form(draft)
    if isinstance(form, list):
        return redirect(_url("builder.preview"))
    answers = drop_hidden(form, _answers(draft))
    locale = current_locale()
    return render_tab(
        "builder/preview_check.html",
        procedure,
        draft,
        pages=summary(form, answers, locale),
        computed=_computed_rows(draft.document, form, answers, locale),
        fee=_fee(draft.document, form, answers),
        fee_label=text((draft.document.get("fee") or {}).get("label")),
    )


def _computed_rows(document: dict[str, Any], form: FormDefinition, answers: dict[str, Any],
                   locale: str) -> list[dict[str, Any]]:  # fmt: skip
    try:
        definition = build_computed(document.get("computed"), form)
        values = computed_values(definition, answers)
    except (DefinitionError, ArithmeticError):
        return []
    return [
        {"id": item.id, "label": text(item.label), "hint": text(item.hint),
         "text": format_value(values[item.id], item.format, locale), "value": values[item.id]}
        for item in definition.items
    ]  # fmt: skip


def _fee(document: dict[str, Any], form: FormDefinition, answers: dict[str, Any]) -> int | None:
    fee = document.get("fee")
    if not fee:
        return None
    try:
        return evaluate_fee(parse_formula(fee["formula"], [f.id for f in form.fields()]), answers)
    except (DefinitionError, ArithmeticError):
        return None
