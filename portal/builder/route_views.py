"""The approval route tab (決裁ルート): stages added, edited, reordered and deleted.

Every change is a plain form post, so the route is built with the keyboard and without
JavaScript. Each change is checked by workflows.routes before it is saved: a route must
keep its one decision stage (決裁) last and may not start with a consultation (合議);
a refused change shows the page again with the reason, and the draft stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import abort, g, request
from flask_babel import format_decimal
from flask_babel import gettext as _

from portal.builder import routes_form
from portal.builder.routes_form import Choices
from portal.builder.views import bp, load, refused, render_tab, save_and_return
from portal.catalog.models import Procedure, ProcedureDraft
from portal.core.i18n import current_locale
from portal.core.labels import ROLE, label
from portal.core.policies import procedure_builder
from portal.tenants.models import ROUTE_ROLES

PREFIX = "/<tenant_slug>/procedures/<int:procedure_id>/route"

Refuse = Callable[[dict[str, str]], Any]


# What the pages show and choose from ----------------------------------------------------


def _departments(stages: list[dict[str, Any]]) -> dict[str, str]:
    """Department code -> name: the tenant's, and any other code the route names."""
    locale = current_locale()
    known = {d.code: d.name(locale) for d in sorted(g.tenant.departments, key=lambda d: d.name_ja)}
    for code in sorted(_codes(stages) - set(known)):
        known[code] = _("Unknown department “%(code)s”", code=code)
    return known


def _codes(stages: list[dict[str, Any]]) -> set[str]:
    positions = [p for s in stages for p in (s, *(s.get("consult") or []), *(s.get("tiers") or []))]
    return {p["department"] for p in positions if isinstance(p, Mapping) and p.get("department")}


def _roles(stages: list[dict[str, Any]]) -> list[str]:
    positions = [p for s in stages for p in (s, *(s.get("consult") or []), *(s.get("tiers") or []))]
    used = {p["role"] for p in positions if isinstance(p, Mapping) and p.get("role")}
    return [*ROUTE_ROLES, *sorted(used - set(ROUTE_ROLES))]


def _choices(document: dict[str, Any], departments: dict[str, str]) -> Choices:
    stages = routes_form.stages_of(document)
    fields = tuple(key for key, _label in routes_form.tier_fields(document))
    return Choices(tuple(_roles(stages)), tuple(departments), fields)


def _context(procedure: Procedure, draft: ProcedureDraft) -> dict[str, Any]:
    """The lists and wording helpers both route pages use."""
    document = draft.document
    stages = routes_form.stages_of(document)
    departments = _departments(stages)
    own = procedure.department.name(current_locale())
    fields = dict(routes_form.tier_fields(document))

    def who(position: Mapping[str, Any]) -> str:
        """「Section chief, 財政課」: a position in words."""
        code = position.get("department")
        where = departments.get(code, code) if code else own
        return _("%(role)s, %(department)s", role=label(ROLE, position.get("role")),
                 department=where)  # fmt: skip

    def condition(when: Any) -> str:
        """「補助対象経費」 is at most 500,000: a tier's comparison in words."""
        if not isinstance(when, Mapping) or "field" not in when:
            return _("a combined condition")
        value = when.get("value")
        shown = format_decimal(value) if isinstance(value, int | float) else str(value)
        name = fields.get(when["field"], when["field"])
        op = routes_form.TIER_OPERATORS.get(when.get("op", ""), when.get("op", ""))
        return f"「{name}」 {op} {shown}"

    return {
        "stages": stages,
        "who": who,
        "condition": condition,
        "kinds": [(key, str(name)) for key, name in routes_form.KIND_NAMES.items()],
        "kind_names": routes_form.KIND_NAMES,
        "objections": [(key, str(name)) for key, name in routes_form.OBJECTION_NAMES.items()],
        "objection_names": routes_form.OBJECTION_NAMES,
        "roles": [(key, label(ROLE, key)) for key in _roles(stages)],
        "departments": [
            ("", _("The procedure's own department (%(name)s)", name=own)),
            *departments.items(),
        ],  # fmt: skip
        "operators": [(key, str(name)) for key, name in routes_form.TIER_OPERATORS.items()],
        "tier_fields": list(fields.items()),
        "choices": _choices(document, departments),
    }


# Saving -----------------------------------------------------------------------------------


def _save(procedure: Procedure, draft: ProcedureDraft, stages: list[dict[str, Any]], action: str,
          title: str, message: str, refuse: Refuse, endpoint: str = "builder.route",
          **values: Any) -> Any:  # fmt: skip
    """Check the changed route, then store it, or refuse with what is wrong."""
    problems = routes_form.new_problems(routes_form.stages_of(draft.document), stages)
    if problems:
        return refuse({f"_{n}": problem for n, problem in enumerate(problems)})
    document = routes_form.with_stages(draft.document, stages)
    return save_and_return(procedure, draft, document, action, message, endpoint, values,
                           item=title)  # fmt: skip


def _stage_at(stages: list[dict[str, Any]], stage_id: str) -> int:
    index = routes_form.index_of(stages, stage_id)
    if index is None:
        abort(404)
    return index


def _title(stage: Mapping[str, Any]) -> str:
    return str((stage.get("title") or {}).get("ja") or stage.get("id", ""))


# The route --------------------------------------------------------------------------------


@bp.route(PREFIX, methods=["GET", "POST"], endpoint="route")
@procedure_builder
def route_page(tenant_slug: str, procedure_id: int) -> Any:
    """The stages in order as a readable flow; on POST, add a stage."""
    procedure, draft = load(procedure_id)
    context = _context(procedure, draft)
    if request.method == "GET":
        return render_tab("builder/route.html", procedure, draft, values={}, errors={}, **context)

    def refuse(errors: dict[str, str]) -> Any:
        return refused("builder/route.html", procedure, draft, values=request.form,
                       errors=errors, **context)  # fmt: skip

    stages = context["stages"]
    stage, errors = routes_form.read_new_stage(request.form, stages, context["choices"])
    if errors:
        return refuse(errors)
    return _save(procedure, draft, routes_form.insert_stage(stages, stage), "route_stage_add",
                 stage["title"]["ja"], _("The stage 「%(title)s」 was added.",
                                         title=stage["title"]["ja"]), refuse)  # fmt: skip


@bp.route(f"{PREFIX}/stages/<stage_id>/change", methods=["POST"])
@procedure_builder
def change_stage(tenant_slug: str, procedure_id: int, stage_id: str) -> Any:
    """Move a stage up or down, or delete it."""
    procedure, draft = load(procedure_id)
    context = _context(procedure, draft)
    stages = context["stages"]
    index = _stage_at(stages, stage_id)
    title = _title(stages[index])
    action = request.form.get("action")
    if action in ("up", "down"):
        changed = routes_form.move(stages, index, -1 if action == "up" else 1)
        message = _("The stage 「%(title)s」 was moved.", title=title)
    elif action == "delete":
        changed = stages[:index] + stages[index + 1 :]
        message = _("The stage 「%(title)s」 was deleted.", title=title)
    else:
        abort(400)

    def refuse(errors: dict[str, str]) -> Any:
        return refused("builder/route.html", procedure, draft, values={}, errors=errors,
                       **context)  # fmt: skip

    return _save(procedure, draft, changed, f"route_stage_{action}", title, message, refuse)


# One stage --------------------------------------------------------------------------------


@bp.route(f"{PREFIX}/stages/<stage_id>", methods=["GET", "POST"])
@procedure_builder
def edit_stage(tenant_slug: str, procedure_id: int, stage_id: str) -> Any:
    """A stage's title, kind, who acts or is consulted, days and authority tiers."""
    procedure, draft = load(procedure_id)
    context = _context(procedure, draft)
    stages = context["stages"]
    index = _stage_at(stages, stage_id)
    stage = stages[index]
    context.update(stage=stage, number=index + 1, rows=routes_form.consult_rows(stage))
    if request.method == "GET":
        values = routes_form.stage_values(stage)
        return render_tab("builder/stage.html", procedure, draft, values=values, errors={},
                          **context)  # fmt: skip

    changed, errors = routes_form.read_stage(stage, request.form, context["choices"])

    def refuse(errors: dict[str, str]) -> Any:
        if changed["kind"] != stage.get("kind") and "_0" in errors:
            # The new kind broke the route: point the error summary at the kind.
            errors = {"kind": errors.pop("_0"), **errors}
        return refused("builder/stage.html", procedure, draft, values=request.form,
                       errors=errors, **context)  # fmt: skip

    if errors:
        return refuse(errors)
    stages[index] = changed
    title = changed["title"]["ja"]
    return _save(procedure, draft, stages, "route_stage_edit", title,
                 _("The stage 「%(title)s」 was saved.", title=title), refuse)  # fmt: skip


@bp.route(f"{PREFIX}/stages/<stage_id>/tiers", methods=["POST"])
@procedure_builder
def stage_tiers(tenant_slug: str, procedure_id: int, stage_id: str) -> Any:
    """Add an authority tier (専決) to the decision stage, or delete or move one."""
    procedure, draft = load(procedure_id)
    context = _context(procedure, draft)
    stages = context["stages"]
    index = _stage_at(stages, stage_id)
    stage = stages[index]
    if stage.get("kind") != "decision":
        abort(404)
    context.update(stage=stage, number=index + 1, rows=routes_form.consult_rows(stage))

    def refuse(errors: dict[str, str]) -> Any:
        values = {**routes_form.stage_values(stage), **request.form.to_dict()}
        return refused("builder/stage.html", procedure, draft, values=values, errors=errors,
                       **context)  # fmt: skip

    action = request.form.get("action", "")
    if action == "add":
        tier, errors = routes_form.read_tier(request.form, context["choices"])
        if errors:
            return refuse(errors)
        stages[index] = {**stage, "tiers": [*(stage.get("tiers") or []), tier]}
        message = _("The authority tier was added.")
    else:
        changed = routes_form.change_tiers(stage, action)
        if changed is None:
            abort(400)
        stages[index] = changed
        message = _("The authority tiers were changed.")
    return _save(procedure, draft, stages, f"route_tier_{action.split(':')[0]}", _title(stage),
                 message, refuse, "builder.edit_stage", stage_id=stage_id)  # fmt: skip
