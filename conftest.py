"""pytest settings for the whole repository: ``--no-notebooks`` runs the unit tests alone.

The notebooks run as tests (``--nbmake`` in pyproject.toml) and ``tests/test_notebooks.py`` checks the
committed files; both take most of the suite's time. ``pytest --no-notebooks`` (or
``scripts/test --no-notebooks``) leaves them out.

The API site's tests (``tests/test_docs_site.py``) need a built site: they run only when given one,
``pytest tests/test_docs_site.py --docs-site docs/_build/html``, which ``scripts/docs --check`` (its
own CI step) does after building it. The playground's browser tests build the playground (npm, PyPI)
and load Python in a browser: they run only with ``--playground`` (``scripts/playground --test``, a
CI step of its own too). Elsewhere both are deselected.

``scripts/test`` runs the tests in parallel workers (pytest-xdist, ``-n auto --dist load
--maxschedchunk=1``: a test at a time). The slow notebooks are handed out first, so that the workers
finish together instead of one waiting for the last notebook. mypy runs beside them, and its lines
come in the closing summary (``CHAINRULE_MYPY_LINES``, set by ``scripts/test``).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

NOTEBOOK_CHECKS = "test_notebooks.py"
DOCS_SITE_CHECKS = "test_docs_site.py"
PLAYGROUND_BROWSER_TESTS = "test_playground_browser.py"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--no-notebooks",
        action="store_true",
        help="do not run notebooks/*.ipynb nor check them (tests/test_notebooks.py): the unit tests alone",
    )
    parser.addoption(
        "--docs-site",
        metavar="FOLDER",
        help="test the API site built in FOLDER (tests/test_docs_site.py; scripts/docs --check does it)",
    )
    parser.addoption(
        "--playground",
        action="store_true",
        help=f"build the playground and run its browser tests (tests/playground/{PLAYGROUND_BROWSER_TESTS})",
    )


def _left_out(config: pytest.Config, path: Path) -> bool:
    if path.name == DOCS_SITE_CHECKS:
        return config.getoption("docs_site") is None
    if path.name == PLAYGROUND_BROWSER_TESTS:
        return not config.getoption("playground")
    notebook = path.suffix == ".ipynb" or path.name == NOTEBOOK_CHECKS
    return notebook and bool(config.getoption("no_notebooks"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect what is left out: the notebooks and their checks with ``--no-notebooks``, the API
    site's tests without ``--docs-site``, the playground's browser tests without ``--playground``.
    Then order what is left for the parallel workers (see the module's text)."""
    kept, dropped = [], []
    for item in items:
        (dropped if _left_out(config, Path(str(item.path))) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
    items.sort(key=lambda item: Path(str(item.path)).suffix != ".ipynb")  # stable: notebooks first
    playground = [item for item in dropped if Path(str(item.path)).name == PLAYGROUND_BROWSER_TESTS]
    config.stash[_PLAYGROUND_LEFT_OUT] = len(playground)


_PLAYGROUND_LEFT_OUT = pytest.StashKey[int]()
_MYPY_LINES = pytest.StashKey[str]()
MYPY_LINES_VARIABLE = "CHAINRULE_MYPY_LINES"
MYPY_WAIT_SECONDS = 600


def pytest_configure(config: pytest.Config) -> None:
    """Take the file of mypy's lines that ``scripts/test`` names, out of the environment, so that
    neither the workers nor a pytest that a test starts wait for it."""
    lines = os.environ.pop(MYPY_LINES_VARIABLE, None)
    if lines and not hasattr(config, "workerinput"):
        config.stash[_MYPY_LINES] = lines


def _show_mypy_lines(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """mypy's lines, once it has finished, in pytest's closing summary: above its count of tests."""
    lines = config.stash.get(_MYPY_LINES, None)
    if lines is None:
        return
    done, waited = Path(lines + ".done"), 0.0
    while not done.exists() and waited < MYPY_WAIT_SECONDS:
        time.sleep(0.1)
        waited += 0.1
    if not done.exists():
        return  # scripts/test shows whatever mypy wrote, after pytest
    for line in Path(lines).read_text(encoding="utf-8").splitlines():
        terminalreporter.write_line(line)
    Path(lines + ".shown").touch()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """mypy's lines (under ``scripts/test``); say that the playground's browser tests were left out,
    and how to run them."""
    _show_mypy_lines(terminalreporter, config)
    left_out = config.stash.get(_PLAYGROUND_LEFT_OUT, 0)
    if left_out:
        terminalreporter.write_line(
            f"the playground's {left_out} browser tests were left out (they build it with npm and load "
            "Python in Chromium): scripts/playground --test runs them"
        )
