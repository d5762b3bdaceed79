"""Engine views of a stored procedure version, built once per version and cached.

Published versions never change, so (id, checksum) identifies one for good.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms import FormDefinition, build_form
from forms.fees import Formula, evaluate_fee, parse_formula
from portal.catalog.models import ProcedureVersion
from workflows import Route

_cache: dict[tuple[int, str], tuple[FormDefinition, Route, Formula | None]] = {}


def _engines(version: ProcedureVersion) -> tuple[FormDefinition, Route, Formula | None]:
    key = (version.id, version.checksum)
    if key not in _cache:
        document = version.document
        form = build_form(document["form"])
        fee = document.get("fee")
        formula = parse_formula(fee["formula"], [f.id for f in form.fields()]) if fee else None
        _cache[key] = (form, Route.from_dict(document["route"]), formula)
    return _cache[key]


def form_of(version: ProcedureVersion) -> FormDefinition:
    """Return the form model of a published version."""
    return _engines(version)[0]


def route_of(version: ProcedureVersion) -> Route:
    """Return the approval route of a published version."""
    return _engines(version)[1]


def fee_for(version: ProcedureVersion, answers: Mapping[str, Any]) -> int | None:
    """The fee in yen these answers cost, or None when the procedure has no fee."""
    formula = _engines(version)[2]
    return None if formula is None else evaluate_fee(formula, answers)
