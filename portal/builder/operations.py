"""Changes made in the procedure builder: drafts, publishing, sharing, importing.

Every change is recorded in the tenant's audit log in the same transaction. A draft is
edited in place with an optimistic lock; publishing copies it into a new immutable
version (portal.catalog.operations.publish_version) and records what changed.
"""

from __future__ import annotations

import copy
from typing import Any

from forms import DefinitionError
from forms.diff import describe_changes
from portal.accounts.models import User
from portal.builder.checks import publish_problems
from portal.builder.queries import draft_of, slug_taken
from portal.catalog.models import Procedure, ProcedureDraft, ProcedureVersion
from portal.catalog.operations import publish_version
from portal.catalog.queries import latest_version
from portal.core.models import utcnow
from portal.extensions import db
from portal.tenants.models import Department, Tenant
from portal.tenants.operations import record_change


class PublishRefused(Exception):
    """The draft cannot be published yet; ``problems`` say where and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def starter_document(title_ja: str) -> dict[str, Any]:
    """A new procedure's first draft: one page asking who applies, a two-step route."""
    return {
        "schema": 1,
        "title": {"ja": title_ja},
        "standard_processing_days": 14,
        "form": {
            "pages": [
                {
                    "id": "p1",
                    "title": {"ja": "申請者", "en": "The applicant"},
                    "fields": [
                        {"id": "q1", "type": "name", "required": True,
                         "label": {"ja": "氏名", "en": "Full name"}},
                        {"id": "q2", "type": "address", "required": True,
                         "label": {"ja": "住所", "en": "Address"}},
                        {"id": "q3", "type": "phone", "required": True,
                         "label": {"ja": "電話番号", "en": "Phone number"}},
                    ],
                }
            ]
        },
        "route": {
            "stages": [
                {"id": "review", "kind": "review", "role": "reviewer", "days": 5,
                 "title": {"ja": "審査", "en": "Review"}},
                {"id": "decide", "kind": "decision", "role": "approver",
                 "title": {"ja": "決裁", "en": "Decision"}},
            ]
        },
        "notice": {"subject": f"{title_ja}について", "kind": "decision"},
    }  # fmt: skip


def create_procedure(
    tenant: Tenant, department: Department, slug: str, document: dict[str, Any], actor: User
) -> Procedure:
    """Create an unpublished procedure whose draft is ``document``."""
    if slug_taken(tenant, slug):
        raise PublishRefused([f"slug:{slug}"])
    procedure = Procedure(tenant=tenant, department=department, slug=slug, is_published=False)
    db.session.add(procedure)
    db.session.flush()
    db.session.add(ProcedureDraft(procedure=procedure, document=document, updated_by_id=actor.id))
    db.session.flush()
    record_change(tenant, actor, "procedure.create", slug, department=department.code)
    return procedure


def open_draft(procedure: Procedure) -> ProcedureDraft:
    """The procedure's draft, started from its newest version when nobody has one open."""
    draft = draft_of(procedure)
    if draft is None:
        version = latest_version(procedure)
        if version is None:
            raise LookupError(f"procedure {procedure.id} has neither a draft nor a version")
        draft = ProcedureDraft(procedure=procedure, document=copy.deepcopy(version.document))
        db.session.add(draft)
        db.session.flush()
    return draft


def save_draft(
    draft: ProcedureDraft, document: dict[str, Any], actor: User, action: str, **detail: Any
) -> None:
    """Store an edited draft document and record the change in the audit log."""
    draft.document = document
    draft.updated_at = utcnow()
    draft.updated_by_id = actor.id
    db.session.flush()
    procedure = draft.procedure
    record_change(procedure.tenant, actor, f"procedure.{action}", procedure.slug, **detail)


def publish(procedure: Procedure, draft: ProcedureDraft, actor: User) -> ProcedureVersion:
    """Publish the draft as the next immutable version, recording what changed."""
    problems = publish_problems(draft.document, procedure.tenant)
    if problems:
        raise PublishRefused(problems)
    previous = latest_version(procedure)
    changes = describe_changes(previous.document if previous else None, draft.document)
    try:
        version = publish_version(procedure, copy.deepcopy(draft.document), actor)
    except DefinitionError as error:
        raise PublishRefused(list(error.problems)) from error
    procedure.is_published = True
    procedure.archived_at = None
    record_change(
        procedure.tenant,
        actor,
        "procedure.publish",
        procedure.slug,
        version=version.number,
        changes=[change.text for change in changes],
    )
    return version


def unpublish(procedure: Procedure, actor: User) -> None:
    """Stop offering the procedure; its versions and applications stay."""
    procedure.is_published = False
    record_change(procedure.tenant, actor, "procedure.unpublish", procedure.slug)


def archive(procedure: Procedure, actor: User) -> None:
    """Withdraw the procedure and hide it from the builder's list."""
    procedure.is_published = False
    procedure.is_template = False
    procedure.archived_at = utcnow()
    record_change(procedure.tenant, actor, "procedure.archive", procedure.slug)


def restore(procedure: Procedure, actor: User) -> None:
    """Bring an archived procedure back to the list, unpublished."""
    procedure.archived_at = None
    record_change(procedure.tenant, actor, "procedure.restore", procedure.slug)


def share(procedure: Procedure, shared: bool, actor: User) -> None:
    """Offer (or stop offering) the procedure in the shared template library."""
    procedure.is_template = shared
    action = "procedure.share" if shared else "procedure.unshare"
    record_change(procedure.tenant, actor, action, procedure.slug)


def copy_procedure(
    document: dict[str, Any],
    tenant: Tenant,
    department: Department,
    slug: str,
    actor: User,
    source: str,
) -> Procedure:
    """A new draft procedure from another one's document (own tenant or the library)."""
    copied = copy.deepcopy(document)
    procedure = create_procedure(tenant, department, slug, copied, actor)
    record_change(tenant, actor, "procedure.copy", slug, source=source)
    return procedure
