"""Translation catalogs: complete for ja and en, placeholders intact, compiling cleanly."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from portal.config import ROOT

COMPLETE = ("ja", "en")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def _catalog(locale: str):  # type: ignore[no-untyped-def]
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=locale)


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


@pytest.mark.parametrize("locale", COMPLETE)
def test_catalog_has_every_message_translated(locale: str, extracted: set[str]) -> None:
    catalog = _catalog(locale)
    translated = {_key(m.id) for m in catalog if m.id and _translated(m.string) and not m.fuzzy}
    assert sorted(extracted - translated) == []


@pytest.mark.parametrize("locale", COMPLETE)
def test_placeholders_survive_translation(locale: str) -> None:
    broken = [m.id for m in _catalog(locale) if m.id and m.string and not _same_placeholders(m)]
    assert broken == []


def _same_placeholders(message: Message) -> bool:
    """Each translated form has the placeholders of the source (of each plural form)."""
    sources = message.id if isinstance(message.id, tuple) else (message.id,)
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    wanted = {tuple(sorted(PLACEHOLDER.findall(text))) for text in sources}
    return all(tuple(sorted(PLACEHOLDER.findall(text))) in wanted for text in forms if text)


@pytest.mark.parametrize("locale", COMPLETE)
def test_catalog_compiles(locale: str, tmp_path: Path) -> None:
    catalog = _catalog(locale)
    errors = [(m.id, err) for m, err in catalog.check()] if hasattr(catalog, "check") else []
    assert errors == []
    with open(tmp_path / "messages.mo", "wb") as handle:
        write_mo(handle, catalog)
    assert (tmp_path / "messages.mo").stat().st_size > 0
