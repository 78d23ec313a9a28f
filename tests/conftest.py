"""Shared test settings: hypothesis is derandomized in CI so that a run is repeatable; runs of the
demo, each trained once and shared by the tests that read it; headless Chromium for the browser tests."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import Browser, launch
from hypothesis import settings

from nn import demo

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@dataclass(frozen=True)
class DemoRun:
    """What one run of the demo returned (``demo.main``'s summary) and printed."""

    summary: dict[str, Any]
    printed: str


@pytest.fixture(scope="session")
def run_demo(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Sequence[str]], DemoRun]:
    """``run_demo(options)``: the demo with these options (``--out`` a fresh folder), run once per session.

    A run of the default demo trains for seconds, and several tests read the same one (its accuracy,
    its files, the model --compile must reproduce); they read it and change nothing. Each parallel
    worker that runs one of them trains the run once.
    """
    runs: dict[tuple[str, ...], DemoRun] = {}

    def run(options: Sequence[str]) -> DemoRun:
        key = tuple(options)
        if key not in runs:
            out: Path = tmp_path_factory.mktemp("demo")
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                summary = demo.main([*options, "--out", str(out / "out")])
            runs[key] = DemoRun(summary, printed.getvalue())
        return runs[key]

    return run


@pytest.fixture(scope="module")
def module_chromium() -> Iterator[Browser]:
    """Headless Chromium for one test module (see ``browser_helpers.launch``). Not one per session:
    while Playwright runs, its event loop keeps ``asyncio.run`` from working in the tests that follow."""
    yield from launch()


@pytest.fixture
def chromium(module_chromium: Browser) -> Iterator[Browser]:
    """The module's Chromium; the pages a test opens are closed after it."""
    yield module_chromium
    module_chromium.close_tabs()
