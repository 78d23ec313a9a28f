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


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """With ``--no-notebooks``: skip collecting the notebooks and the checks of the notebook files."""
    if config.getoption("no_notebooks") and (
        collection_path.suffix == ".ipynb" or collection_path.name == NOTEBOOK_CHECKS
    ):
        return True
    return None  # let pytest and the other plugins decide
