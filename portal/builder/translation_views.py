"""The translations tab: every text of the procedure, one language at a time.

Japanese is what every text has and what the other languages fall back to; it is
edited on the other tabs and only shown here. Each language is one form listing every
text by its place ("page 2 「経費」 › question 「氏名」 › label"), with the missing ones
marked, so a translator fills in the gaps without knowing the document's shape.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from typing import Any, cast

from babel import Locale
from flask import abort, flash, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from forms.translations import texts, translation_summary
from portal.builder import operations
from portal.builder.checks import describe_place
from portal.builder.views import back_to, bp, load, render_tab, stale
from portal.core.i18n import EASY, babel_locale, current_locale
from portal.core.policies import procedure_builder

#: The languages a procedure's texts may be translated into, besides Japanese: easy
#: Japanese first (where furigana may be written as 漢字《かんじ》).
CONTENT_LOCALES = ("ja-easy", "en", "zh-Hans", "zh-Hant", "ko", "vi", "pt-BR")
#: Texts longer than this get a text area rather than a one-line input.
LONG_TEXT = 60


def language_name(code: str) -> str:
    """The language's name in the language of the page, such as 中国語 (簡体字)."""
    if code == EASY:
        return _("Easy Japanese")
    page = babel_locale(current_locale())
    return str(Locale.parse(babel_locale(code)).get_display_name(page))


def fingerprint(document: Mapping[str, Any]) -> str:
    """A digest of where the texts are and their Japanese: changes when someone adds,
    moves or rewrites a text, so that a translation is never stored in the wrong place."""
    found = [(path, text.get("ja", "")) for path, text in texts(document)]
    return hashlib.sha256(json.dumps(found, ensure_ascii=False).encode()).hexdigest()


def rows(document: Mapping[str, Any], locale: str) -> list[dict[str, Any]]:
    """Every text with its place, its Japanese and its translation into ``locale``."""
    found = []
    for number, (path, text) in enumerate(texts(document), start=1):
        japanese = text.get("ja", "")
        found.append(
            {
                "name": f"t{number}",
                "path": path,
                "place": describe_place(dict(document), path),
                "ja": japanese,
                "value": text.get(locale, ""),
                "missing": not (text.get(locale) or "").strip(),
                "long": len(japanese) > LONG_TEXT or "\n" in japanese,
            }
        )
    return found


def translated(document: Mapping[str, Any], locale: str, form: Any) -> dict[str, Any]:
    """A new document with the posted translations into ``locale``; blank removes one."""
    changed = copy.deepcopy(dict(document))
    for number, (_path, found) in enumerate(list(texts(changed)), start=1):
        typed = form.get(f"t{number}")
        if typed is None:
            continue
        text = cast(dict[str, str], found)  # the copy's own dict, changed in place
        typed = typed.replace("\r\n", "\n").strip()
        if typed:
            text[locale] = typed
        else:
            text.pop(locale, None)
    return changed


@bp.route(
    "/<tenant_slug>/procedures/<int:procedure_id>/translations",
    methods=["GET", "POST"],
    endpoint="translations",
)
@procedure_builder
def translations_page(tenant_slug: str, procedure_id: int) -> Any:
    """How much is missing in each language, and the texts of one language to translate."""
    procedure, draft = load(procedure_id)
    locale = request.values.get("locale", CONTENT_LOCALES[0])
    if locale not in CONTENT_LOCALES:
        abort(404)
    if request.method == "POST":
        if request.form.get("fingerprint") != fingerprint(draft.document):
            return stale()
        document = translated(draft.document, locale, request.form)
        try:
            operations.save_draft(draft, document, current_user, "translations", locale=locale)
        except StaleDataError:
            return stale()
        flash(_("The translations into %(language)s were saved.", language=language_name(locale)))
        return back_to("builder.translations", procedure, locale=locale)
    summary = translation_summary(draft.document, CONTENT_LOCALES)
    languages = [(code, language_name(code), *summary[code]) for code in CONTENT_LOCALES]
    return render_tab("builder/translations.html", procedure, draft, locale=locale,
                      language=language_name(locale), languages=languages,
                      rows=rows(draft.document, locale), fingerprint=fingerprint(draft.document),
                      errors={})  # fmt: skip
