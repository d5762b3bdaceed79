"""The details tab: a procedure's metadata as a plain form, and back into the document.

Japanese and English are edited here; other languages on the translations tab, so a
text's other locales are kept whatever is typed here. A fee is asked for as an amount,
optionally per answer to a number question (``300 * copies``); a formula that does not
fit that shape, written by someone else, is kept as it is unless an amount is typed.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.catalog.categories import CATEGORIES

TEXTS = ("title", "description", "eligibility", "contact", "keywords")
LEVELS = {
    "none": _l("None: the application is sent as it is"),
    "verified_email": _l("A confirmed e-mail address"),
    "declaration": _l("A declaration signed with the applicant's typed name"),
    "identity_provider": _l(
        "Sign-in with an identity provider (My Number Card): not available yet"
    ),
}
_SIMPLE_FEE = re.compile(r"^\s*(\d+)\s*(?:\*\s*([a-z][a-z0-9_]*))?\s*$")


def number_questions(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(id, Japanese label) of the number questions a fee can be counted by."""
    return [
        (f["id"], f["label"].get("ja") or f["id"])
        for page in document["form"]["pages"]
        for f in page["fields"]
        if f.get("type") == "number"
    ]


def choices(document: dict[str, Any]) -> dict[str, Any]:
    """The lists the details form chooses from."""
    return {
        "categories": [("", _("None"))] + [(k, str(v)) for k, v in CATEGORIES.items()],
        "levels": [(k, str(v)) for k, v in LEVELS.items()],
        "counters": [("", _("Nothing: one fee per application"))] + number_questions(document),
        "custom_fee": _custom_fee(document),
    }


def _custom_fee(document: dict[str, Any]) -> str | None:
    formula = (document.get("fee") or {}).get("formula")
    return formula if formula and not _SIMPLE_FEE.match(formula) else None


def form_values(document: dict[str, Any]) -> dict[str, str]:
    """The document's details as the form's inputs."""
    values: dict[str, str] = {}
    for key in TEXTS:
        for locale in ("ja", "en"):
            values[f"{key}_{locale}"] = (document.get(key) or {}).get(locale, "")
    period = document.get("application_period") or {}
    fee = _SIMPLE_FEE.match((document.get("fee") or {}).get("formula", ""))
    values.update(
        category=document.get("category", ""),
        standard_processing_days=str(document.get("standard_processing_days", "")),
        signature=document.get("signature", "none"),
        guest="yes" if document.get("guest") else "",
        opens=period.get("opens", ""),
        closes=period.get("closes", ""),
        fee_amount=fee.group(1) if fee else "",
        fee_per=(fee.group(2) or "") if fee else "",
    )
    return values


def apply(document: dict[str, Any], form: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The document with the posted details, or the problems with what was typed."""
    errors: dict[str, str] = {}
    changed = copy.deepcopy(document)
    for key in TEXTS:
        _set_text(changed, key, form.get(f"{key}_ja", ""), form.get(f"{key}_en", ""))
    if not form.get("title_ja", "").strip():
        errors["title_ja"] = _("Enter the name of the procedure in Japanese.")
    _set(changed, "category", form.get("category") if form.get("category") in CATEGORIES else None)
    _set(changed, "signature", form.get("signature") if form.get("signature") in LEVELS else None)
    _set(changed, "guest", True if form.get("guest") else None)
    _apply_days(changed, form.get("standard_processing_days", ""), errors)
    _apply_period(changed, form.get("opens", ""), form.get("closes", ""), errors)
    _apply_fee(changed, form.get("fee_amount", ""), form.get("fee_per", ""), errors)
    return changed, errors


def _set(document: dict[str, Any], key: str, value: Any) -> None:
    if value in (None, ""):
        document.pop(key, None)
    else:
        document[key] = value


def _set_text(document: dict[str, Any], key: str, ja: str, en: str) -> None:
    text = dict(document.get(key) or {})
    for locale, value in (("ja", ja.strip()), ("en", en.strip())):
        if value:
            text[locale] = value
        else:
            text.pop(locale, None)
    if key == "title":
        text.setdefault("ja", "")  # a blank title is refused above, and kept as typed
    _set(document, key, text if text.get("ja") or key == "title" else None)


def _apply_days(document: dict[str, Any], typed: str, errors: dict[str, str]) -> None:
    typed = typed.strip()
    if not typed:
        document.pop("standard_processing_days", None)
    elif typed.isdigit() and int(typed) <= 365:
        document["standard_processing_days"] = int(typed)
    else:
        errors["standard_processing_days"] = _("Enter a number of days from 0 to 365.")


def _apply_period(
    document: dict[str, Any], opens: str, closes: str, errors: dict[str, str]
) -> None:
    period = {}
    for key, typed in (("opens", opens.strip()), ("closes", closes.strip())):
        if not typed:
            continue
        try:
            date.fromisoformat(typed)
        except ValueError:
            errors[key] = _("Enter a date such as 2027-04-01.")
            continue
        period[key] = typed
    if len(period) == 2 and period["closes"] < period["opens"]:
        errors["closes"] = _("The closing date must be on or after the opening date.")
    _set(document, "application_period", period or None)


def _apply_fee(document: dict[str, Any], amount: str, per: str, errors: dict[str, str]) -> None:
    amount = amount.strip().replace(",", "")
    if not amount:
        if not _custom_fee(document):
            document.pop("fee", None)
        return
    if not amount.isdigit():
        errors["fee_amount"] = _("Enter the fee in whole yen, such as 300.")
        return
    if per and per not in dict(number_questions(document)):
        errors["fee_per"] = _("Choose one of the number questions.")
        return
    fee = dict(document.get("fee") or {})
    fee["formula"] = f"{int(amount)} * {per}" if per else str(int(amount))
    document["fee"] = fee
