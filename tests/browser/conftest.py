"""Playwright with Debian's Chromium, never a downloaded browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run."""
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A page in a fresh context at phone width (360 px), in Japanese."""
    context = browser.new_context(
        viewport=PHONE,
        locale="ja-JP",
        accept_downloads=True,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


class AxeChecker:
    """Runs axe-core (bundled with axe-playwright-python) and collects violations."""

    def __init__(self, name: str = "page") -> None:
        self.axe = Axe()
        self.found: dict[str, list[str]] = {}
        self.name = name
        self.checked = 0

    def check(self, page: Page) -> None:
        """Run axe on the page as it is now, and keep a screenshot of every page checked."""
        self.checked += 1
        screenshot(page, f"{self.name}-{self.checked:02d}")
        results = self.axe.run(page)
        violations = results.response["violations"]
        if violations:
            self.found[page.url] = [
                f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
                for v in violations
            ]


@pytest.fixture
def axe(request: pytest.FixtureRequest) -> AxeChecker:
    """An accessibility checker for the pages a test visits, named after the test."""
    return AxeChecker(request.node.name.removeprefix("test_"))


def screenshot(page: Page, name: str) -> None:
    """Keep a full-page screenshot for people to look at (not compared)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Name the screenshot folder in the test log, for people to look at after CI."""
    if ARTIFACTS.exists():
        shots = len(list(ARTIFACTS.glob("*.png")))
        terminalreporter.write_line(f"browser screenshots ({shots}): {ARTIFACTS}")
