"""pytest settings for the whole repository: ``--no-notebooks`` runs the unit tests alone.

The notebooks run as tests (``--nbmake`` in pyproject.toml) and ``tests/test_notebooks.py`` checks the
committed files; both take most of the suite's time. ``pytest --no-notebooks`` (or
``scripts/test --no-notebooks``) leaves them out.

The API site's tests (``tests/test_docs_site.py``) need a built site: they run only when given one,
``pytest tests/test_docs_site.py --docs-site docs/_build/html``, which ``scripts/docs --check`` (its
own CI step) does after building it. Elsewhere they are deselected.
"""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOK_CHECKS = "test_notebooks.py"
DOCS_SITE_CHECKS = "test_docs_site.py"


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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``--no-notebooks``: deselect the notebooks and the checks of the notebook files. Without
    ``--docs-site``: deselect the API site's tests."""
    no_notebooks = config.getoption("no_notebooks")
    no_site = config.getoption("docs_site") is None
    kept, dropped = [], []
    for item in items:
        path = Path(str(item.path))
        notebook = path.suffix == ".ipynb" or path.name == NOTEBOOK_CHECKS
        site = path.name == DOCS_SITE_CHECKS
        (dropped if (no_notebooks and notebook) or (no_site and site) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
