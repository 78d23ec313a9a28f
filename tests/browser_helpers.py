"""A real browser for the tests of the step-through page: the system's Chromium, driven by Playwright.

No browser is downloaded: Playwright is pointed at the Chromium the operating system installed
(Debian: ``apt-get install chromium-headless-shell``, or ``chromium``), or at
``$CHAINRULE_CHROMIUM``. Without one the browser tests skip with a one-line reason, unless
``CHAINRULE_REQUIRE_BROWSER`` is set (CI sets it), which makes them fail instead. Every page is
opened from ``file://`` with every other request refused and recorded, and every console error
recorded, so that a test can check the page fetched nothing and logged no error.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REQUIRE_VARIABLE = "CHAINRULE_REQUIRE_BROWSER"
CHROMIUM_VARIABLE = "CHAINRULE_CHROMIUM"
# Debian's chromium-headless-shell first: the same Blink without the browser's window machinery, it
# runs these tests with less than half the CPU of `chromium --headless` (benchmarks/README.md)
_NAMES = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """The Chromium to test with: ``$CHAINRULE_CHROMIUM``, else the first of the usual names on PATH."""
    override = os.environ.get(CHROMIUM_VARIABLE)
    if override:
        return shutil.which(override)  # a path or a name; None if it is not a program
    for name in _NAMES:
        found = shutil.which(name)
        if found is not None:
            return found
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_VARIABLE):
        pytest.fail(f"{reason}, and {REQUIRE_VARIABLE} is set: the browser tests must run here")
    pytest.skip(reason)


@dataclass
class Tab:
    """An open page, with what it logged and what it tried to fetch."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def stopped_clock(self) -> Any:
        """The page's timers, from now on, on a clock that stands still until the test moves it:
        ``clock.run_for(ms)`` runs at once, in order, every timer due in those ms. (Playwright's
        clock.install alone lets time flow as well, so a slow machine would add ticks.)"""
        self.page.clock.install(time=0)
        self.page.clock.pause_at(1000)
        return self.page.clock

    def check_clean(self) -> None:
        """The page logged no error and asked for nothing outside its own file."""
        assert self.errors == [], self.errors
        assert self.requests == [], self.requests


class Browser:
    """Opens saved pages in headless Chromium (see the module's text)."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.tabs: list[Tab] = []

    def open(self, page: Path | str, *, javascript: bool = True, width: int = 900, height: int = 900) -> Tab:
        """``page``: a saved file, or a page's address on a local server (``"http://127.0.0.1:8000/"``).
        Requests outside the files (or that server) are refused and recorded."""
        context = self.browser.new_context(
            java_script_enabled=javascript, viewport={"width": width, "height": height}
        )
        tab = Tab(context.new_page())
        served = isinstance(page, str) and page.startswith(("http://", "https://"))
        address = str(page) if served else Path(page).resolve().as_uri()
        allowed = "/".join(address.split("/", 3)[:3]) + "/" if served else "file://"  # its server's origin

        def refuse_the_network(route: Any) -> None:
            if route.request.url.startswith(allowed):
                route.continue_()
            else:
                tab.requests.append(route.request.url)
                route.abort()

        context.route("**/*", refuse_the_network)
        tab.page.on("console", lambda note: tab.errors.append(note.text) if note.type == "error" else None)
        tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
        tab.page.goto(address)
        self.tabs.append(tab)
        return tab

    def close_tabs(self) -> None:
        """Close every page opened so far (a test's, when the browser serves the next test too)."""
        for tab in self.tabs:
            tab.page.context.close()
        self.tabs.clear()


def launch() -> Iterator[Browser]:
    """Headless Chromium for a module's tests, as a fixture's body: skips (or, under CI, fails) when
    there is none, and closes it after the last test."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[dev]')")
    executable = find_chromium()
    if executable is None:
        _unavailable(
            f"no Chromium found (Debian: apt-get install chromium-headless-shell; or set {CHROMIUM_VARIABLE})"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable)
        try:
            yield Browser(launched)
        finally:
            launched.close()
