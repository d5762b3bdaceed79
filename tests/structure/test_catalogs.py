"""Translation catalogs: complete for ja and en, placeholders intact, compiling cleanly."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
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
        return {m.id for m in read_po(handle) if m.id and isinstance(m.id, str)}


@pytest.mark.parametrize("locale", COMPLETE)
def test_catalog_has_every_message_translated(locale: str, extracted: set[str]) -> None:
    catalog = _catalog(locale)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    assert sorted(extracted - translated) == []


@pytest.mark.parametrize("locale", COMPLETE)
def test_placeholders_survive_translation(locale: str) -> None:
    broken = [
        m.id
        for m in _catalog(locale)
        if m.id
        and m.string
        and sorted(PLACEHOLDER.findall(str(m.id))) != sorted(PLACEHOLDER.findall(str(m.string)))
    ]
    assert broken == []


@pytest.mark.parametrize("locale", COMPLETE)
def test_catalog_compiles(locale: str, tmp_path: Path) -> None:
    catalog = _catalog(locale)
    errors = [(m.id, err) for m, err in catalog.check()] if hasattr(catalog, "check") else []
    assert errors == []
    with open(tmp_path / "messages.mo", "wb") as handle:
        write_mo(handle, catalog)
    assert (tmp_path / "messages.mo").stat().st_size > 0
