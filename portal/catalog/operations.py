"""Publishing procedures: each publication is a new immutable version."""

from __future__ import annotations

from typing import Any

from forms import DefinitionError, build_form, checksum
from forms.definition import check_document
from portal.accounts.models import User
from portal.catalog.models import Procedure, ProcedureVersion
from portal.catalog.queries import latest_version
from portal.decisions.context import NOTICE_VALUES, sample_contexts
from portal.extensions import db
from portal.pdf.render import fragment_problems
from workflows import Route, RouteError


def validate_document(document: dict[str, Any]) -> None:
    """Check a procedure document: the schema, the form rules and the route rules."""
    check_document(document)
    try:
        route = Route.from_dict(document["route"])
    except RouteError as error:
        raise DefinitionError([f"route: {problem}" for problem in error.problems]) from error
    # Authority tiers may look at any question or computed value, and nothing else.
    known = {f.id for f in build_form(document["form"]).fields()}
    known |= {item["id"] for item in document.get("computed") or []}
    unknown = sorted(set(route.fields_used()) - known)
    if unknown:
        raise DefinitionError(
            [
                f"route: an authority tier refers to {name!r}, "
                "which is neither a question nor a computed value"
                for name in unknown
            ]
        )
    _check_notice_template(document)


def _check_notice_template(document: dict[str, Any]) -> None:
    """A procedure's own notice body must parse, use only the notice's values and render."""
    source = (document.get("notice") or {}).get("template")
    if not source:
        return
    problems = fragment_problems(source, NOTICE_VALUES, sample_contexts(document))
    if problems:
        raise DefinitionError([f"notice.template: {problem}" for problem in problems])


def publish_version(
    procedure: Procedure, document: dict[str, Any], actor: User | None
) -> ProcedureVersion:
    """Validate and publish a document as the procedure's next version.

    Publishing the same document again returns the current version instead of
    making an identical new one.
    """
    validate_document(document)
    digest = checksum(document)
    current = latest_version(procedure)
    if current is not None and current.checksum == digest:
        return current
    version = ProcedureVersion(
        procedure=procedure,
        number=(current.number + 1 if current else 1),
        document=document,
        checksum=digest,
        published_by_id=actor and actor.id,
    )
    db.session.add(version)
    procedure.is_published = True
    db.session.flush()
    return version
