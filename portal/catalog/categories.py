"""Life-event categories residents browse by, as municipal portals group procedures."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: Category key (as in a definition's "category") → label, in the order shown.
CATEGORIES = {
    "childcare": _l("Pregnancy and children"),
    "moving": _l("Moving and housing"),
    "welfare": _l("Welfare and care"),
    "tax": _l("Taxes"),
    "relocation": _l("Relocating to the area"),
    "employment": _l("Work and recruitment"),
    "business": _l("For businesses"),
    "agriculture": _l("Farming"),
    "events": _l("Events and courses"),
    "survey": _l("Surveys and opinions"),
}
OTHER = "other"


def category_of(document: dict[str, object]) -> str:
    """The category a procedure is listed under ("other" when it names none we know)."""
    key = document.get("category")
    return key if isinstance(key, str) and key in CATEGORIES else OTHER


def category_label(key: str) -> str:
    """The translated name of a category."""
    return str(CATEGORIES.get(key, _l("Other procedures")))
