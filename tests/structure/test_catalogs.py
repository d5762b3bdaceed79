"""Translation catalogs: complete for ja, easy Japanese and en, at least 95% for the other
languages; in every one the placeholders intact and a clean compile; and the furigana of
easy Japanese well formed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from forms.ruby import problems
from portal.config import ROOT
from portal.core.i18n import LOCALES

#: Each interface locale's catalog: the folder under translations/ and the gettext domain.
CATALOGS = {
    "ja": ("ja", "messages"),
    "ja-easy": ("ja", "easy"),
    "en": ("en", "messages"),
    "zh-Hans": ("zh_Hans", "messages"),
    "zh-Hant": ("zh_Hant", "messages"),
    "ko": ("ko", "messages"),
    "vi": ("vi", "messages"),
    "pt-BR": ("pt_BR", "messages"),
}
#: Japanese, easy Japanese and English are always complete (English is the source).
COMPLETE = ("ja", "ja-easy", "en")
#: The others may trail the code a little, never by more than 5%.
MOSTLY = tuple(code for code in CATALOGS if code not in COMPLETE)
MINIMUM_SHARE = 0.95
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def _catalog(code: str) -> Catalog:
    folder, domain = CATALOGS[code]
    with open(ROOT / "translations" / folder / "LC_MESSAGES" / f"{domain}.po", "rb") as handle:
        return read_po(handle, locale=folder, domain=domain)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The message ids in the code and templates today, extracted afresh."""
    target = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--no-location",
            "-o",
            str(target),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with open(target, "rb") as handle:
        return {_key(m.id) for m in read_po(handle) if m.id}


def _key(message_id: str | tuple[str, ...]) -> str:
    """A plural message is known by its singular text."""
    return message_id if isinstance(message_id, str) else message_id[0]


def _translated(string: str | tuple[str, ...]) -> bool:
    # Every plural form must be there, not only the first.
    return all(string) if isinstance(string, tuple) else bool(string)


def _translated_ids(code: str) -> set[str]:
    return {_key(m.id) for m in _catalog(code) if m.id and _translated(m.string) and not m.fuzzy}


def test_every_interface_locale_has_a_catalog() -> None:
    assert sorted(CATALOGS) == sorted(LOCALES)


@pytest.mark.parametrize("code", COMPLETE)
def test_catalog_has_every_message_translated(code: str, extracted: set[str]) -> None:
    assert sorted(extracted - _translated_ids(code)) == []


@pytest.mark.parametrize("code", MOSTLY)
def test_catalog_has_nearly_every_message_translated(code: str, extracted: set[str]) -> None:
    missing = sorted(extracted - _translated_ids(code))
    share = 1 - len(missing) / len(extracted)
    assert share >= MINIMUM_SHARE, f"{share:.1%} translated; missing, e.g.: {missing[:10]}"


@pytest.mark.parametrize("code", CATALOGS)
def test_placeholders_survive_translation(code: str) -> None:
    broken = [m.id for m in _catalog(code) if m.id and m.string and not _same_placeholders(m)]
    assert broken == []


def _same_placeholders(message: Message) -> bool:
    """Each translated form has the placeholders of the source (of each plural form)."""
    sources = message.id if isinstance(message.id, tuple) else (message.id,)
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    wanted = {tuple(sorted(PLACEHOLDER.findall(text))) for text in sources}
    return all(tuple(sorted(PLACEHOLDER.findall(text))) in wanted for text in forms if text)


@pytest.mark.parametrize("code", CATALOGS)
def test_catalog_compiles(code: str, tmp_path: Path) -> None:
    catalog = _catalog(code)
    # `pybabel compile` skips a catalog marked fuzzy, and its language would fall back
    # to English without a word.
    assert not catalog.fuzzy
    errors = [(m.id, err) for m, err in catalog.check()]
    assert errors == []
    with open(tmp_path / "messages.mo", "wb") as handle:
        write_mo(handle, catalog)
    assert (tmp_path / "messages.mo").stat().st_size > 0


def test_easy_japanese_furigana_is_well_formed() -> None:
    broken = {}
    for message in _catalog("ja-easy"):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found = [problem for text in strings if text for problem in problems(text)]
        if message.id and found:
            broken[_key(message.id)] = found
    assert broken == {}
