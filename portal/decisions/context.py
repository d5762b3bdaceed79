"""The plain values a notice template receives: strings and lists, no models.

Which template prints them follows the procedure version's ``notice`` object:
``kind`` "permit" (許可通知書, 許可する) or "decision" (決定通知書, 決定する, the
default) for an approval, a refusal always in the 不許可／却下 style with the appeal
instructions (教示), and an optional ``template`` of the procedure's own: a sandboxed
Jinja body rendered from the same values into the frame's body area.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import segno
from flask import current_app

from forms import summary, to_seireki, to_wareki
from portal.catalog.definitions import computed_rows, fee_for, form_of
from portal.core.calendar import to_local_date
from portal.decisions.models import Notice
from portal.pdf.render import render_fragment

KINDS = ("permit", "decision")
DEFAULT_KIND = "decision"

#: Every value a notice template (the portal's or a procedure's) can print.
NOTICE_VALUES = frozenset(
    [
        "document_number",
        "date_wareki",
        "date_seireki",
        "addressee",
        "issuer_title",
        "government",
        "issuer_office",
        "office_phone",
        "kind",
        "title",
        "subject",
        "body",
        "approved",
        "reason",
        "reference",
        "procedure_title",
        "submitted_on",
        "answers",
        "answer_by_id",
        "public_id",
        "verify_url",
        "qr",
        "fee",
        "computed",
    ]
)

_DEFAULT_TITLES = {
    ("permit", True): "許可通知書",
    ("decision", True): "決定通知書",
    ("permit", False): "不許可通知書",
    ("decision", False): "却下通知書",
}
_DEFAULT_ENDINGS = {
    ("permit", True): "下記のとおり許可する。",
    ("decision", True): "下記のとおり決定する。",
    ("permit", False): "下記の理由により許可しない。",
    ("decision", False): "下記の理由により却下する。",
}


def verification_url(public_id: str) -> str:
    """The public address where anyone can check a notice (printed and in the QR code)."""
    return f"{current_app.config['PORTAL_BASE_URL']}/verify/{public_id}"


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data: URI (the only kind of URL notices may fetch)."""
    return str(segno.make(text, error="m").svg_data_uri(scale=4, border=2))


def notice_kind(document: Mapping[str, Any]) -> str:
    """``permit`` or ``decision``: which default wording an approval gets."""
    kind = (document.get("notice") or {}).get("kind", DEFAULT_KIND)
    return kind if kind in KINDS else DEFAULT_KIND


def default_title(kind: str, approved: bool) -> str:
    """許可通知書, 決定通知書, 不許可通知書 or 却下通知書."""
    return _DEFAULT_TITLES[kind, approved]


def default_body(kind: str, approved: bool, procedure_title: str, submitted_on: str) -> str:
    """The opening sentence of a notice, in the style of an official document."""
    dated = f"{submitted_on}付けで" if submitted_on else ""
    return f"{dated}申請のあった{procedure_title}について、{_DEFAULT_ENDINGS[kind, approved]}"


def template_for(document: Mapping[str, Any], approved: bool) -> str:
    """The file in templates/pdf/ that prints a notice of this procedure version."""
    if (document.get("notice") or {}).get("template"):
        return "custom.html"
    if not approved:
        return "rejection.html"
    return "permit.html" if notice_kind(document) == "permit" else "decision.html"


def notice_context(notice: Notice) -> dict[str, Any]:
    """Collect what the notice shows, all as text (the official notice stays in Japanese)."""
    decision = notice.decision
    application = decision.application
    tenant = application.tenant
    document = application.version.document
    texts = document.get("notice", {})
    approved = decision.outcome == "approved"
    kind = notice_kind(document)
    decided_on = to_local_date(decision.decided_at)
    department = application.version.procedure.department
    procedure_title = document["title"]["ja"]
    submitted_on = (
        to_wareki(to_local_date(application.submitted_at)) if application.submitted_at else ""
    )
    answers = summary(form_of(application.version), application.answers, "ja")
    return {
        "document_number": decision.document_number or "",
        "date_wareki": to_wareki(decided_on),
        "date_seireki": to_seireki(decided_on),
        "addressee": application.applicant.full_name,
        "issuer_title": tenant.head_title,
        "government": tenant.name_ja,
        "issuer_office": f"{tenant.name_ja} {department.name_ja}",
        "office_phone": department.phone,
        "kind": kind,
        "title": texts.get("approved_title" if approved else "rejected_title")
        or default_title(kind, approved),
        "subject": texts.get("subject", ""),
        "body": texts.get("approved_body" if approved else "rejected_body")
        or default_body(kind, approved, procedure_title, submitted_on),
        "approved": approved,
        "reason": decision.reason,
        "reference": application.reference or "",
        "procedure_title": procedure_title,
        "submitted_on": submitted_on,
        "answers": answers,
        "answer_by_id": _answer_by_id(application, answers),
        "public_id": notice.public_id,
        "verify_url": verification_url(notice.public_id),
        "qr": qr_data_uri(verification_url(notice.public_id)),
        "fee": fee_for(application.version, application.answers),
        "computed": [
            {"label": row["label"], "text": row["text"]}
            for row in computed_rows(application.version, application.answers, "ja")
        ],
    }


def notice_document(notice: Notice) -> tuple[str, dict[str, Any]]:
    """The template that prints a notice and the values it gets.

    A procedure's own template is rendered here, in its own sandbox, from the same plain
    values; the frame then receives its text structure as ``custom_items``.
    """
    context = notice_context(notice)
    document = notice.decision.application.version.document
    template = template_for(document, context["approved"])
    if template == "custom.html":
        custom = (document.get("notice") or {})["template"]
        context = {**context, "custom_items": render_fragment(custom, context)}
    return template, context


def _answer_by_id(application: Any, answers: list[dict[str, Any]]) -> dict[str, Any]:
    """Every question's answer by id; a question its other answers hid, or left unanswered,
    prints as empty (a template checked with sample answers must not fail on it)."""
    shown = {row["id"]: row["value"] for page in answers for row in page["rows"]}
    return {f.id: shown.get(f.id, "") for f in form_of(application.version).fields()} | shown


def sample_contexts(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Made-up values shaped like a real notice's, one approved and one refused, for
    checking a procedure's template when it is published."""
    rows = [
        {"id": field["id"], "type": field["type"], "label": field["id"], "value": "（見本）"}
        for page in document.get("form", {}).get("pages", [])
        for field in page.get("fields", [])
    ]
    computed = [
        {"label": item.get("id", ""), "text": "0"} for item in document.get("computed") or []
    ]
    base: dict[str, Any] = {name: "（見本）" for name in NOTICE_VALUES}
    base.update(
        kind=notice_kind(document),
        answers=[{"id": "page", "title": "（見本）", "rows": rows}],
        answer_by_id={row["id"]: row["value"] for row in rows},
        computed=computed,
        fee=0 if document.get("fee") else None,
    )
    return [{**base, "approved": True}, {**base, "approved": False}]
