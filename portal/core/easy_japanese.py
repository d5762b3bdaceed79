"""Easy Japanese (やさしい日本語): the ``easy`` gettext domain of Japanese, with furigana.

The UI locale ``ja-easy`` is Babel's ``ja@easy``: Japanese dates and numbers, and the
messages of ``translations/ja/LC_MESSAGES/easy.mo``, falling back to the standard
Japanese catalog for anything missing there. Every easy message comes back as a
:class:`forms.ruby.RubyText`, so the furigana it writes as ``漢字《かんじ》`` becomes
``<ruby>`` in HTML pages and disappears from e-mails and other plain text.

:class:`PortalDomain` replaces Flask-Babel's default domain, so that ``_()``, ``_l()``
and the templates' gettext all read easy Japanese without knowing about it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from babel.support import NullTranslations, Translations
from flask_babel import Domain, get_locale
from flask_babel.speaklater import LazyString

from forms.ruby import RubyText

#: Babel's modifier of ``ja@easy``, and the gettext domain of its messages.
EASY = "easy"


def _loaded(directories: Iterable[str], domain: str) -> Translations:
    """One domain of the Japanese catalogs, merged over the translation directories."""
    merged = Translations(domain=domain)
    for directory in directories:
        catalog = Translations.load(directory, ["ja"], domain)
        merged.merge(catalog)  # a missing catalog (NullTranslations) adds nothing
        if isinstance(catalog, Translations):
            merged.plural = catalog.plural
    return merged


def easy_translations(directories: Iterable[str]) -> NullTranslations:
    """The easy catalog, its messages as RubyText, over the standard Japanese one."""
    directories = list(directories)
    easy = _loaded(directories, EASY)
    # Key "" is the catalog's header, not a message.
    easy._catalog = {k: v if k == "" else RubyText(v) for k, v in easy._catalog.items()}
    easy.add_fallback(_loaded(directories, "messages"))
    return easy


class PortalDomain(Domain):  # type: ignore[misc]
    """Flask-Babel's domain, reading the easy catalog when the locale is ``ja@easy``."""

    def get_translations(self) -> NullTranslations:
        """The translations of the current locale (cached, like Flask-Babel's)."""
        locale = get_locale()
        if locale is None or locale.modifier != EASY:
            return super().get_translations()
        key = (str(locale), EASY)
        if key not in self.cache:
            self.cache[key] = easy_translations(self.translation_directories)
        return self.cache[key]


def resolved(value: Any) -> Any:
    """A lazy translation (``_l``) translated now, keeping what gettext returned: its
    ``str()`` would drop the furigana of a RubyText. Jinja's ``finalize``."""
    if isinstance(value, LazyString):
        # LazyString keeps the call it stands for; making it again returns the RubyText.
        return value._func(*value._args, **value._kwargs)
    return value
