"""Export a procedure as JSON, and import one: as a new procedure or over a draft.

An import is checked like a publication (schema, form rules, route, notice template),
so a file that would not publish is refused with what is wrong and where; the draft it
was to replace stays as it was. A file of a newer format than this portal reads is
refused with that reason rather than a list of schema errors.
"""

from __future__ import annotations

from typing import Any

from flask import Response, flash, g, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from forms import DefinitionError
from forms.definition import check_document
from forms.documents import dump_document, load_document
from portal.builder import operations
from portal.builder.views import (
    _check_new,
    back_to,
    bp,
    departments,
    history_of,
    load,
    refused,
    stale,
)
from portal.core.policies import procedure_builder
from portal.core.uow import keep_despite_invalid_input

#: The newest procedure format this portal reads (the schema's "schema" constant).
FORMAT = 1


@bp.route("/<tenant_slug>/procedures/<int:procedure_id>/export.json")
@procedure_builder
def export(tenant_slug: str, procedure_id: int) -> Response:
    """The draft as a JSON file, to keep, review or import elsewhere."""
    procedure, draft = load(procedure_id)
    return Response(
        dump_document(draft.document, "json"),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{procedure.slug}.json"'},
    )


def read_upload() -> tuple[dict[str, Any] | None, list[str]]:
    """The uploaded document when it can be published, else the problems with it."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None, [_("Choose a JSON file exported from a procedure.")]
    try:
        text = upload.read().decode("utf-8")
        document = load_document(text, "json")
    except UnicodeDecodeError:
        return None, [_("The file is not a JSON text file (UTF-8).")]
    except DefinitionError as error:
        return None, [_("The file cannot be read: %(problem)s", problem=p) for p in error.problems]
    version = document.get("schema")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT:
        return None, [
            _(
                "The file is in format version %(version)d, newer than this portal reads "
                "(version %(format)d). Export it again from a portal of this version, or "
                "update this portal.",
                version=version,
                format=FORMAT,
            )
        ]
    try:
        check_document(document)
    except DefinitionError as error:
        return None, [_("Check: %(problem)s", problem=p) for p in error.problems]
    return document, []


@bp.route("/<tenant_slug>/procedures/import", methods=["GET", "POST"])
@procedure_builder
def import_new(tenant_slug: str) -> Any:
    """A new draft procedure from an exported JSON file."""
    values = request.form if request.method == "POST" else {}
    context = {"values": values, "departments": departments()}
    if request.method == "GET":
        return render_template("builder/import.html", errors={}, **context)
    errors, department = _check_new({**values, "title": "-"})
    document, problems = read_upload()
    errors.update({f"_{n}": problem for n, problem in enumerate(problems)})
    if errors or document is None or department is None:
        return render_template("builder/import.html", errors=errors, **context), 422
    procedure = operations.create_procedure(
        g.tenant, department, values["slug"], document, current_user
    )
    flash(_("The procedure was imported as a draft. Check it, then publish it."))
    return back_to("builder.details", procedure)


@bp.route("/<tenant_slug>/procedures/<int:procedure_id>/import", methods=["POST"])
@procedure_builder
def import_over(tenant_slug: str, procedure_id: int) -> Any:
    """Replace the draft with an exported JSON file (the published versions stay)."""
    procedure, draft = load(procedure_id)
    document, problems = read_upload()
    if document is None:
        keep_despite_invalid_input()
        errors = {f"_{n}": problem for n, problem in enumerate(problems)}
        return refused("builder/versions.html", procedure, draft, errors=errors,
                       history=history_of(procedure))  # fmt: skip
    try:
        operations.save_draft(draft, document, current_user, "import")
    except StaleDataError:
        return stale()
    flash(_("The draft was replaced by the imported file."))
    return back_to("builder.details", procedure)
