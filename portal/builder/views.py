"""The procedure builder: the list, new procedures, details, publishing, sharing.

Procedure owners build their departments' procedures and administrators every one of
their government's. Each page changes one part of the draft; the questions, route,
notice, translations and preview pages live in the modules beside this one, on the
same blueprint.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from forms.diff import describe_changes
from portal.builder import details, operations, queries
from portal.builder.changes import change_sentence
from portal.builder.checks import publish_problems
from portal.builder.operations import PublishRefused
from portal.catalog.models import Procedure, ProcedureDraft
from portal.catalog.queries import latest_version
from portal.core.policies import procedure_builder
from portal.core.uow import keep_despite_invalid_input
from portal.extensions import db
from portal.tenants.models import Department

bp = Blueprint("builder", __name__, url_prefix="/staff")

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$")


def departments() -> list[Department]:
    """The departments whose procedures the signed-in member of staff builds."""
    return queries.owned_departments(current_user, g.tenant, g.staff_roles)


def load(procedure_id: int) -> tuple[Procedure, ProcedureDraft]:
    """The procedure being built and its draft; 404 outside the caller's departments."""
    procedure = db.session.get(Procedure, procedure_id)
    if procedure is None or not queries.may_edit(current_user, g.tenant, g.staff_roles, procedure):
        abort(404)
    return procedure, operations.open_draft(procedure)


def render_tab(template: str, procedure: Procedure, draft: ProcedureDraft, **context: Any) -> str:
    """Render one tab of a procedure with what every tab shows."""
    latest = latest_version(procedure)
    return render_template(
        template,
        procedure=procedure,
        draft=draft,
        document=draft.document,
        latest=latest,
        unpublished_changes=latest is None or latest.document != draft.document,
        **context,
    )


def refused(template: str, procedure: Procedure, draft: ProcedureDraft, **context: Any) -> Any:
    """Show a tab again with its errors (422), keeping the draft as it was."""
    return render_tab(template, procedure, draft, **context), 422


def stale() -> Response:
    """Someone else saved the draft first: reload it rather than overwrite their work."""
    db.session.rollback()
    flash(_("Someone else changed this procedure at the same time. Check it and try again."))
    return redirect(request.url)


def save_and_return(
    procedure: Procedure,
    draft: ProcedureDraft,
    document: dict[str, Any],
    action: str,
    message: str,
    endpoint: str,
    values: dict[str, Any] | None = None,
    **detail: Any,
) -> Response:
    """Store the edited draft (audited), say so, and go to ``endpoint``; reload on a clash."""
    try:
        operations.save_draft(draft, document, current_user, action, **detail)
    except StaleDataError:
        return stale()
    flash(message)
    return back_to(endpoint, procedure, **(values or {}))


def back_to(endpoint: str, procedure: Procedure, **values: Any) -> Response:
    """Redirect to another page of the same procedure."""
    return redirect(
        url_for(endpoint, tenant_slug=g.tenant.slug, procedure_id=procedure.id, **values)
    )


@bp.route("/<tenant_slug>/procedures")
@procedure_builder
def procedures(tenant_slug: str) -> str:
    """The procedures the caller builds, with their state."""
    archived = request.args.get("archived") == "1"
    listed = queries.tenant_procedures(g.tenant, departments(), archived=archived)
    rows = [(p, latest_version(p), queries.draft_of(p)) for p in listed]
    return render_template("builder/list.html", rows=rows, archived=archived)


@bp.route("/<tenant_slug>/procedures/new", methods=["GET", "POST"])
@procedure_builder
def new(tenant_slug: str) -> Any:
    """Start a procedure from a blank page: a title, a department and an address."""
    values = request.form if request.method == "POST" else {}
    if request.method == "GET":
        return render_template("builder/new.html", values=values, errors={}, **_choices())
    errors, department = _check_new(values)
    if errors:
        return render_template("builder/new.html", values=values, errors=errors, **_choices()), 422
    document = operations.starter_document(values["title"].strip())
    procedure = operations.create_procedure(
        g.tenant, department, values["slug"], document, current_user
    )
    flash(_("The procedure was created. Add its questions, then publish it."))
    return back_to("builder.questions", procedure)


def _choices() -> dict[str, Any]:
    return {"departments": departments()}


def _check_new(values: Any) -> tuple[dict[str, str], Department | None]:
    errors: dict[str, str] = {}
    if not values.get("title", "").strip():
        errors["title"] = _("Enter the name of the procedure in Japanese.")
    slug = values.get("slug", "")
    if not SLUG.match(slug):
        errors["slug"] = _(
            "Enter an address of 3 to 60 lower-case letters, digits and hyphens, "
            "such as dog-registration."
        )
    elif queries.slug_taken(g.tenant, slug):
        errors["slug"] = _("Another procedure already has this address. Choose another.")
    department = next((d for d in departments() if str(d.id) == values.get("department")), None)
    if department is None:
        errors["department"] = _("Choose the department that handles the procedure.")
    return errors, department


@bp.route(
    "/<tenant_slug>/procedures/<int:procedure_id>", methods=["GET", "POST"], endpoint="details"
)
@procedure_builder
def details_page(tenant_slug: str, procedure_id: int) -> Any:
    """The procedure's details: names, who can apply, fee, period, seal replacement."""
    procedure, draft = load(procedure_id)
    if request.method == "GET":
        values = details.form_values(draft.document)
        return render_tab("builder/details.html", procedure, draft, values=values, errors={},
                          **details.choices(draft.document))  # fmt: skip
    document, errors = details.apply(draft.document, request.form)
    if errors:
        return refused("builder/details.html", procedure, draft, values=request.form,
                       errors=errors, **details.choices(draft.document))  # fmt: skip
    return save_and_return(
        procedure, draft, document, "details", _("The details were saved."), "builder.details"
    )


@bp.route("/<tenant_slug>/procedures/<int:procedure_id>/publish", methods=["GET", "POST"])
@procedure_builder
def publish(tenant_slug: str, procedure_id: int) -> Any:
    """What would change, what stops publishing; on POST, publish a new version."""
    procedure, draft = load(procedure_id)
    if request.method == "POST":
        try:
            version = operations.publish(procedure, draft, current_user)
        except PublishRefused as refusal:
            keep_despite_invalid_input()
            return refused("builder/publish.html", procedure, draft, problems=refusal.problems,
                           changes=_changes(procedure, draft))  # fmt: skip
        flash(_("Version %(number)d is published.", number=version.number))
        return back_to("builder.versions", procedure)
    problems = publish_problems(draft.document, g.tenant)
    return render_tab("builder/publish.html", procedure, draft, problems=problems,
                      changes=_changes(procedure, draft))  # fmt: skip


def _changes(procedure: Procedure, draft: ProcedureDraft) -> list[str]:
    latest = latest_version(procedure)
    found = describe_changes(latest.document if latest else None, draft.document)
    return [change_sentence(change) for change in found]


@bp.route("/<tenant_slug>/procedures/<int:procedure_id>/versions")
@procedure_builder
def versions(tenant_slug: str, procedure_id: int) -> str:
    """Every published version with what changed in it."""
    procedure, draft = load(procedure_id)
    return render_tab("builder/versions.html", procedure, draft, history=history_of(procedure),
                      errors={})  # fmt: skip


def history_of(procedure: Procedure) -> list[tuple[Any, list[str]]]:
    """Each published version, newest first, with what changed in it."""
    listed = queries.versions_of(procedure)
    history = []
    for index, version in enumerate(listed):
        before = listed[index + 1].document if index + 1 < len(listed) else None
        changes = [change_sentence(c) for c in describe_changes(before, version.document)]
        history.append((version, changes))
    return history


@bp.route("/<tenant_slug>/procedures/<int:procedure_id>/state", methods=["POST"])
@procedure_builder
def change_state(tenant_slug: str, procedure_id: int) -> Response:
    """Unpublish, archive, restore, share or stop sharing the procedure."""
    procedure, _draft = load(procedure_id)
    action = request.form.get("action")
    if action == "unpublish":
        operations.unpublish(procedure, current_user)
        flash(_("The procedure is no longer offered. Applications already made go on."))
    elif action == "archive":
        operations.archive(procedure, current_user)
        flash(_("The procedure is archived."))
    elif action == "restore":
        operations.restore(procedure, current_user)
        flash(_("The procedure is back in the list, not published."))
    elif action in ("share", "unshare") and latest_version(procedure) is not None:
        operations.share(procedure, action == "share", current_user)
        flash(_("The template library is updated."))
    else:
        abort(400)
    return back_to("builder.versions", procedure)


@bp.route("/<tenant_slug>/procedures/<int:procedure_id>/copy", methods=["GET", "POST"])
@procedure_builder
def copy(tenant_slug: str, procedure_id: int) -> Any:
    """Copy the procedure's draft into a new procedure of this government."""
    procedure, draft = load(procedure_id)
    return _copy_form(draft.document, f"{g.tenant.slug}/{procedure.slug}")


@bp.route("/<tenant_slug>/library")
@procedure_builder
def library(tenant_slug: str) -> str:
    """The shared template library: procedures other governments offer to copy."""
    return render_template("builder/library.html", entries=queries.template_library())


@bp.route("/<tenant_slug>/library/<int:procedure_id>", methods=["GET", "POST"])
@procedure_builder
def copy_template(tenant_slug: str, procedure_id: int) -> Any:
    """Copy a shared template into this government as a new draft procedure."""
    source = db.session.get(Procedure, procedure_id)
    version = latest_version(source) if source and source.is_template else None
    if source is None or version is None or source.archived_at is not None:
        abort(404)
    return _copy_form(version.document, f"{source.tenant.slug}/{source.slug}")


def _copy_form(document: dict[str, Any], source: str) -> Any:
    values = request.form if request.method == "POST" else {
        "title": document["title"]["ja"], "slug": source.rsplit("/", 1)[1]
    }  # fmt: skip
    if request.method == "GET":
        return render_template("builder/copy.html", values=values, errors={}, source=source,
                               **_choices())  # fmt: skip
    errors, department = _check_new(values)
    if errors:
        return render_template("builder/copy.html", values=values, errors=errors, source=source,
                               **_choices()), 422  # fmt: skip
    copied = json.loads(json.dumps(document))
    copied["title"] = {**copied["title"], "ja": values["title"].strip()}
    procedure = operations.copy_procedure(
        copied, g.tenant, department, values["slug"], current_user, source
    )
    flash(_("The copy was created. Check its details, route and notice before publishing."))
    return back_to("builder.details", procedure)
