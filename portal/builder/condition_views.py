"""The condition page of a question or a page: "show only when…", built from lists."""

from __future__ import annotations

from typing import Any

from flask import abort, request
from flask_babel import gettext as _

from forms import editing
from forms.editing import EditError
from portal.builder import conditions
from portal.builder.edit_messages import translated
from portal.builder.views import bp, load, refused, render_tab, save_and_return
from portal.catalog.models import Procedure, ProcedureDraft
from portal.core.policies import procedure_builder

PREFIX = "/<tenant_slug>/procedures/<int:procedure_id>/questions"


@bp.route(f"{PREFIX}/fields/<field_id>/condition", methods=["GET", "POST"])
@procedure_builder
def field_condition(tenant_slug: str, procedure_id: int, field_id: str) -> Any:
    """When a question is shown (and asked)."""
    procedure, draft = load(procedure_id)
    page, field = _locate(draft.document, field_id)
    return _condition_page(procedure, draft, page, field)


@bp.route(f"{PREFIX}/pages/<page_id>/condition", methods=["GET", "POST"])
@procedure_builder
def page_condition(tenant_slug: str, procedure_id: int, page_id: str) -> Any:
    """When a whole page is shown."""
    procedure, draft = load(procedure_id)
    page = next((p for p in draft.document["form"]["pages"] if p["id"] == page_id), None)
    if page is None:
        abort(404)
    return _condition_page(procedure, draft, page, None)


def _locate(document: dict[str, Any], field_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    for page in document["form"]["pages"]:
        for field in page["fields"]:
            if field["id"] == field_id:
                return page, field
    abort(404)


def _condition_page(procedure: Procedure, draft: ProcedureDraft, page: dict[str, Any],
                    field: dict[str, Any] | None) -> Any:  # fmt: skip
    target = field or page
    earlier = conditions.earlier_questions(draft.document, page["id"], field and field["id"])
    mode, rules = conditions.rules_of(target.get("show_if"))
    chosen = next((q for q in earlier if q["id"] == request.values.get("field")), None)
    questions = conditions.all_questions(draft.document)
    context = {
        "page": page, "field": field, "earlier": earlier, "mode": mode, "rules": rules,
        "chosen": chosen, "op": request.values.get("op", ""),
        "describe": lambda rule: conditions.describe(rule, questions),
        "operators": conditions.operators, "operator_names": conditions.OPERATOR_NAMES,
    }  # fmt: skip
    if request.method == "GET":
        return render_tab("builder/condition.html", procedure, draft, errors={}, **context)
    action = request.form.get("action", "")
    if action == "add":
        if chosen is None:
            return refused("builder/condition.html", procedure, draft, **context,
                           errors={"field": _("Choose a question.")})  # fmt: skip
        rule, problem = conditions.read_rule(chosen, context["op"], request.form)
        if problem:
            return refused("builder/condition.html", procedure, draft, errors={"value": problem},
                           **context)  # fmt: skip
        rules = [*rules, rule]
    elif action.startswith("remove:") and action[7:].isdigit():
        rules = [r for n, r in enumerate(rules) if n != int(action[7:])]
    elif action == "mode":
        mode = "any" if request.form.get("mode") == "any" else "all"
    else:
        abort(400)
    return _store(procedure, draft, page, field, conditions.condition_from(mode, rules))


def _store(procedure: Procedure, draft: ProcedureDraft, page: dict[str, Any],
           field: dict[str, Any] | None, condition: dict[str, Any] | None) -> Any:  # fmt: skip
    try:
        if field is None:
            document = editing.update_page(draft.document, page["id"], page["title"], condition)
        else:
            document = editing.replace_field(draft.document, field["id"], _with(field, condition))
    except EditError as error:
        errors = {f"_{n}": problem for n, problem in enumerate(translated(error))}
        return refused("builder/condition.html", procedure, draft, errors=errors, page=page,
                       field=field, earlier=[], mode="all", rules=[], chosen=None, op="",
                       describe=str, operators=conditions.operators,
                       operator_names=conditions.OPERATOR_NAMES)  # fmt: skip
    subject = (field or page)["id"]
    endpoint, values = (
        ("builder.page_condition", {"page_id": page["id"]})
        if field is None
        else ("builder.field_condition", {"field_id": field["id"]})
    )
    return save_and_return(procedure, draft, document, "condition", _("The condition was saved."),
                           endpoint, values, item=subject)  # fmt: skip


def _with(field: dict[str, Any], condition: dict[str, Any] | None) -> dict[str, Any]:
    """The field shown (and, when it was asked only then, required) under the condition."""
    changed = {key: value for key, value in field.items() if key != "show_if"}
    same = field.get("required_if") is not None and field.get("required_if") == field.get("show_if")
    if condition is not None:
        changed["show_if"] = condition
    if same:
        changed.pop("required_if")
        if condition is not None:
            changed["required_if"] = condition
    return changed
