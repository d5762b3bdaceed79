"""What stops a draft from being published, said in words its owner understands.

The engines report problems by JSON path (``form.pages[1].fields[0].label``); a
procedure owner has never seen one. Places are spelled out here from the document
itself ("page 2 「経費」, question 「氏名」, label"), and the most common refusals
(a missing Japanese text, a route without a decision stage, a department the
government does not have) get sentences of their own before the engines' checks run.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from forms import DefinitionError
from forms.translations import texts
from portal.catalog.operations import validate_document
from portal.extensions import db
from portal.tenants.models import Department, Tenant

_STEP = re.compile(r"\.?([a-z_]+)(?:\[(\d+)\])?")

#: The text properties of a document that are named in a place.
_PARTS = frozenset(
    {"title", "description", "eligibility", "contact", "keywords", "label", "hint",
     "statement", "body", "item_label"}
)  # fmt: skip


def _part_name(key: str) -> str:
    names = {
        "title": _("title"),
        "description": _("description"),
        "eligibility": _("who can apply"),
        "contact": _("contact"),
        "keywords": _("search words"),
        "label": _("label"),
        "hint": _("hint"),
        "statement": _("statement"),
        "body": _("text"),
        "item_label": _("item name"),
    }
    return names.get(key, key)


def describe_place(document: dict[str, Any], path: str) -> str:
    """Spell out a JSON path of the document as pages, questions, options and stages."""
    words: list[str] = []
    node: Any = document
    for key, index in _STEP.findall(path):
        node = node.get(key) if isinstance(node, dict) else None
        if index:
            items = node if isinstance(node, list) else []
            node = items[int(index)] if int(index) < len(items) else None
            words.append(_item_name(key, int(index), node))
        elif key in _PARTS:
            words.append(_part_name(key))
    return " › ".join(word for word in words if word) or _("the procedure")


def _item_name(key: str, index: int, node: Any) -> str:
    title = _ja(node, "title") or _ja(node, "label")
    if key == "pages":
        return _("page %(number)d 「%(title)s」", number=index + 1, title=title)
    if key == "fields":
        return _("question 「%(label)s」", label=title or node.get("id", ""))
    if key == "options":
        return _("choice %(number)d 「%(label)s」", number=index + 1, label=title)
    if key == "stages":
        return _("stage %(number)d 「%(title)s」", number=index + 1, title=title)
    if key == "computed":
        return _("computed value 「%(label)s」", label=title)
    return ""


def _ja(node: Any, key: str) -> str:
    value = node.get(key) if isinstance(node, dict) else None
    return str(value.get("ja") or "") if isinstance(value, dict) else ""


def japanese_gaps(document: dict[str, Any]) -> list[str]:
    """Every text whose Japanese is missing, by place."""
    return [
        _("%(place)s: the Japanese text is missing.", place=describe_place(document, path))
        for path, text in texts(document)
        if not (text.get("ja") or "").strip()
    ]


def route_gaps(document: dict[str, Any], tenant: Tenant) -> list[str]:
    """A route without a decision stage, or naming a department the tenant lacks."""
    stages = (document.get("route") or {}).get("stages") or []
    problems = []
    if not any(isinstance(s, dict) and s.get("kind") == "decision" for s in stages):
        problems.append(
            _(
                "Approval route: there is no decision stage (決裁). Add one as the last "
                "stage, or change the last stage's kind to decision."
            )
        )
    codes = set(
        db.session.scalars(select(Department.code).where(Department.tenant_id == tenant.id))
    )
    for number, stage in enumerate(stages, start=1):
        for code in sorted(_departments_of(stage) - codes):
            problems.append(
                _(
                    "Approval route, stage %(number)d 「%(title)s」: %(tenant)s has no "
                    "department with the code “%(code)s”. Choose one of its departments.",
                    number=number,
                    title=_ja(stage, "title") or stage.get("id", ""),
                    tenant=tenant.name_ja,
                    code=code,
                )
            )
    return problems


def _departments_of(stage: Any) -> set[str]:
    if not isinstance(stage, dict):
        return set()
    positions = [stage, *(stage.get("consult") or []), *(stage.get("tiers") or [])]
    return {p["department"] for p in positions if isinstance(p, dict) and p.get("department")}


def signature_gaps(document: dict[str, Any]) -> list[str]:
    """A seal replacement level the portal cannot enforce yet."""
    if document.get("signature") != "identity_provider":
        return []
    return [
        _(
            "Details: sign-in with an identity provider is not connected to this portal "
            "yet, so applications could not be checked that way. Choose another way to "
            "replace the seal."
        )
    ]


def publish_problems(document: dict[str, Any], tenant: Tenant) -> list[str]:
    """Everything that stops the document from being published, most readable first."""
    problems = japanese_gaps(document) + route_gaps(document, tenant) + signature_gaps(document)
    if problems:
        return problems
    try:
        validate_document(document)
    except DefinitionError as error:
        return [_("Check: %(problem)s", problem=p) for p in error.problems]
    return []
