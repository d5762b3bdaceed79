"""Engine views of a stored procedure version, built once per version and cached.

Published versions never change, so (id, checksum) identifies one for good.
"""

from __future__ import annotations

from forms import FormDefinition, build_form
from portal.catalog.models import ProcedureVersion
from workflows import Route

_cache: dict[tuple[int, str], tuple[FormDefinition, Route]] = {}


def _engines(version: ProcedureVersion) -> tuple[FormDefinition, Route]:
    key = (version.id, version.checksum)
    if key not in _cache:
        document = version.document
        _cache[key] = (build_form(document["form"]), Route.from_dict(document["route"]))
    return _cache[key]


def form_of(version: ProcedureVersion) -> FormDefinition:
    """Return the form model of a published version."""
    return _engines(version)[0]


def route_of(version: ProcedureVersion) -> Route:
    """Return the approval route of a published version."""
    return _engines(version)[1]
