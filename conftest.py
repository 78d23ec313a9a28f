"""pytest settings for the whole repository: ``--no-notebooks`` runs the unit tests alone.

The notebooks run as tests (``--nbmake`` in pyproject.toml) and ``tests/test_notebooks.py`` checks the
committed files; both take most of the suite's time. ``pytest --no-notebooks`` (or
``scripts/test --no-notebooks``) leaves them out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOK_CHECKS = "test_notebooks.py"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--no-notebooks",
        action="store_true",
        help="do not run notebooks/*.ipynb nor check them (tests/test_notebooks.py): the unit tests alone",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``--no-notebooks``: deselect the notebooks and the checks of the notebook files."""
    if not config.getoption("no_notebooks"):
        return
    kept, dropped = [], []
    for item in items:
        path = Path(str(item.path))
        notebook = path.suffix == ".ipynb" or path.name == NOTEBOOK_CHECKS
        (dropped if notebook else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
