"""Engine views of a stored procedure version, built once per version and cached.

Published versions never change, so (id, checksum) identifies one for good.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from babel.numbers import format_currency, format_decimal

from forms import FormDefinition, build_form, localise
from forms.computed import Computations, build_computed, computed_values
from forms.fees import Formula, evaluate_fee, parse_formula
from portal.catalog.models import ProcedureVersion
from portal.core.i18n import babel_locale, is_japanese
from workflows import Route


class _Engines(NamedTuple):
    form: FormDefinition
    route: Route
    fee: Formula | None
    computed: Computations


_cache: dict[tuple[int, str], _Engines] = {}


def _engines(version: ProcedureVersion) -> _Engines:
    key = (version.id, version.checksum)
    if key not in _cache:
        document = version.document
        form = build_form(document["form"])
        fee = document.get("fee")
        formula = parse_formula(fee["formula"], [f.id for f in form.fields()]) if fee else None
        route = Route.from_dict(document["route"])
        computed = build_computed(document.get("computed"), form)
        _cache[key] = _Engines(form, route, formula, computed)
    return _cache[key]


def form_of(version: ProcedureVersion) -> FormDefinition:
    """Return the form model of a published version."""
    return _engines(version).form


def route_of(version: ProcedureVersion) -> Route:
    """Return the approval route of a published version."""
    return _engines(version).route


def fee_for(version: ProcedureVersion, answers: Mapping[str, Any]) -> int | None:
    """The fee in yen these answers cost, or None when the procedure has no fee."""
    formula = _engines(version).fee
    return None if formula is None else evaluate_fee(formula, answers)


def computed_for(version: ProcedureVersion, answers: Mapping[str, Any]) -> dict[str, Decimal | int]:
    """The values the version computes from these answers (hidden answers count as unanswered)."""
    return computed_values(_engines(version).computed, answers)


def computed_rows(
    version: ProcedureVersion, answers: Mapping[str, Any], locale: str
) -> list[dict[str, Any]]:
    """The computed values as people read them in a locale: id, label, hint, text and value."""
    values = computed_for(version, answers)
    return [
        {
            "id": item.id,
            "label": localise(item.label, locale),
            "hint": localise(item.hint, locale),
            "text": format_value(values[item.id], item.format, locale),
            "value": values[item.id],
        }
        for item in _engines(version).computed.items
    ]


def format_value(value: Decimal | int, shown_as: str, locale: str) -> str:
    """Format a computed value: yen as 500,000円 in Japanese and ¥500,000 elsewhere."""
    babel_id = babel_locale(locale)
    if shown_as != "money":
        return str(format_decimal(value, locale=babel_id))
    if is_japanese(locale):
        return f"{format_decimal(value, locale=babel_id)}円"
    return str(format_currency(value, "JPY", locale=babel_id))
