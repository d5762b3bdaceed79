"""The resident's side of an application: start, answer pages, submit, act through the engine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import url_for
from sqlalchemy import func, select

from forms import Page, localise
from forms.fields.files import descriptors
from forms.migration import Migration, migrate_answers
from forms.validation import drop_hidden, first_incomplete_page
from portal.accounts.models import User
from portal.applications.attachments import delete_attachment, release_unheld
from portal.applications.history import append_event
from portal.applications.models import Application, Revision
from portal.applications.references import new_reference
from portal.catalog.definitions import form_of, route_of
from portal.catalog.models import ProcedureVersion
from portal.catalog.periods import period_state
from portal.core.mail import send_mail
from portal.core.models import utcnow
from portal.core.refusals import Refused
from portal.decisions.operations import consent_to_electronic_delivery
from portal.extensions import db
from portal.review.authority import context_for, state_of
from portal.review.progress import perform
from workflows import Action, ActionKind, Actor, Status, allowed_actions

__all__ = ["NotReady", "Refused", "perform"]


class NotReady(Exception):
    """The answers are not complete; ``page`` is the first page to fix."""

    def __init__(self, page: Page) -> None:
        super().__init__(page.id)
        self.page = page


def start_application(applicant: User, version: ProcedureVersion) -> Application:
    """Resume the applicant's draft of this procedure, or start a new one on this version."""
    draft = db.session.scalar(
        select(Application)
        .join(ProcedureVersion)
        .where(
            Application.applicant_id == applicant.id,
            Application.status == Status.DRAFT.value,
            ProcedureVersion.procedure_id == version.procedure_id,
        )
        .order_by(Application.id.desc())
        .limit(1)
    )
    if draft is not None:
        return draft
    application = Application(
        tenant_id=version.procedure.tenant_id,
        department_id=version.procedure.department_id,
        version=version,
        applicant=applicant,
        status=Status.DRAFT.value,
        answers={},
    )
    db.session.add(application)
    db.session.flush()
    append_event(application, "started", applicant, to_status=Status.DRAFT.value)
    return application


def move_to_version(application: Application, version: ProcedureVersion, user: User) -> Migration:
    """Move a draft to a newer version of its procedure, keeping the answers that fit.

    Files whose question is gone are deleted with their answers; the move is recorded
    in the history with the questions to answer again.
    """
    if application.status != Status.DRAFT.value:
        raise Refused("wrong_status")
    if version.procedure_id != application.version.procedure_id:
        raise Refused("not_permitted")
    old, new = form_of(application.version), form_of(version)
    migration = migrate_answers(old, new, application.answers)
    kept_files = {item["id"] for value in migration.answers.values() for item in descriptors(value)}
    for value in application.answers.values():
        for item in descriptors(value):
            if item["id"] not in kept_files:
                delete_attachment(application, item["id"])
    application.version = version
    application.answers = dict(migration.answers)
    append_event(
        application,
        "moved_to_version",
        user,
        # Recorded in Japanese, the language of the office's records.
        reason="、".join(
            [f"第{version.number}版"]
            + [localise(old.field(i).label, "ja") for i in migration.dropped]
        ),
    )
    return migration


def save_page(application: Application, values: Mapping[str, Any]) -> None:
    """Store the cleaned answers of one page of a draft."""
    if application.status != Status.DRAFT.value:
        raise Refused("wrong_status")
    before = application.answers
    application.answers = {**application.answers, **values}
    release_unheld(application, before, application.answers)


def submit_application(
    application: Application,
    applicant: User,
    *,
    electronic_delivery: bool = False,
    signed_name: str | None = None,
) -> bool:
    """Submit a complete draft; returns False when it was already submitted (a repeat click).

    The answers are validated again on the server whatever the pages said before.
    ``electronic_delivery``: the applicant ticked their consent to receive the notices
    electronically (電子交付), recorded with the submission; otherwise they go by post.
    ``signed_name``: the name typed to sign the declaration (記名), which procedures whose
    seal replacement level is "declaration" require instead of a seal.
    """
    if application.status != Status.DRAFT.value:
        return False
    if period_state(application.version.document) == "closed":
        raise Refused("period_closed")
    if needs_signature(application) and not (signed_name or "").strip():
        raise Refused("signature_required")
    form = form_of(application.version)
    # Answers to questions the resident's other answers hid are not part of the application.
    before = application.answers
    application.answers = drop_hidden(form, application.answers)
    release_unheld(application, before, application.answers)
    incomplete = first_incomplete_page(form, application.answers)
    if incomplete is not None:
        raise NotReady(incomplete)
    if needs_signature(application):
        application.signed_name = " ".join((signed_name or "").split())[:200]
    application.reference = new_reference(application.tenant.code)
    application.submitted_at = utcnow()
    perform(application, Action(ActionKind.SUBMIT), applicant)
    if electronic_delivery:
        consent_to_electronic_delivery(application, applicant)
    _record_revision(application)
    db.session.flush()
    send_mail(
        applicant.email,
        "application_received",
        locale=applicant.locale,
        application=application,
        link=url_for("applications.detail", application_id=application.id, _external=True),
    )
    return True


def needs_signature(application: Application) -> bool:
    """True when the procedure replaces the seal by a declaration with the typed name."""
    return application.version.document.get("signature") == "declaration"


def can_withdraw(application: Application, applicant: User) -> bool:
    """Whether the engine lets the applicant withdraw the application now."""
    route = route_of(application.version)
    actor = Actor.applicant(applicant.id)
    context = context_for(application, route)
    return ActionKind.WITHDRAW in allowed_actions(route, state_of(application), actor, context)


def withdraw_application(application: Application, applicant: User, reason: str) -> None:
    """Withdraw (取下げ) an application before it is decided, and confirm it by e-mail."""
    perform(application, Action(ActionKind.WITHDRAW, reason=reason), applicant)
    send_mail(
        applicant.email,
        "application_withdrawn",
        locale=applicant.locale,
        application=application,
        link=url_for("applications.detail", application_id=application.id, _external=True),
    )


def _record_revision(application: Application) -> None:
    """Keep the answers as sent, numbered from 1; earlier versions are never changed."""
    number = db.session.scalar(
        select(func.count()).where(Revision.application_id == application.id)
    )
    db.session.add(
        Revision(
            application_id=application.id, number=(number or 0) + 1, answers=application.answers
        )
    )


def correction_page(application: Application) -> Page | None:
    """The questions staff asked to correct, as one page, or None when none is asked."""
    asked = (application.correction or {}).get("fields") or []
    form = form_of(application.version)
    fields = tuple(f for f in form.fields() if f.id in set(asked))
    if application.status != Status.CORRECTION_REQUESTED.value or not fields:
        return None
    return Page(id="correction", title={"ja": "補正", "en": "Correction"}, fields=fields)


def resubmit_correction(
    application: Application, applicant: User, values: Mapping[str, Any]
) -> None:
    """Send the application again with the corrected answers (only those asked for).

    The whole application is checked again; the answers as sent before stay in the
    history as the previous revision.
    """
    page = correction_page(application)
    if page is None:
        raise Refused("wrong_status")
    allowed = {f.id for f in page.fields}
    before = application.answers
    form = form_of(application.version)
    answers = {**before, **{key: value for key, value in values.items() if key in allowed}}
    answers = drop_hidden(form, answers)
    incomplete = first_incomplete_page(form, answers)
    if incomplete is not None:
        raise NotReady(incomplete)
    application.answers = answers
    release_unheld(application, before, answers)
    perform(application, Action(ActionKind.RESUBMIT), applicant)
    application.correction = None
    _record_revision(application)
