"""The API site's pages name every public name (a fast check of docs/api/*.md, without building the
site: tests/test_docs_site.py checks the built site itself in the docs CI step)."""

from __future__ import annotations

import re
from pathlib import Path

from public_api import public_objects

PAGES = Path(__file__).resolve().parent.parent / "docs" / "api"
# the names the autodoc directives document (".. autofunction:: autograd.grad"), one per line
DOCUMENTED = re.compile(r"^\.\. (?:auto\w+|py:\w+):: ([\w.]+)", re.MULTILINE)


def documented_on_pages() -> set[str]:
    return {name for page in PAGES.glob("*.md") for name in DOCUMENTED.findall(page.read_text("utf-8"))}


def test_the_pattern_reads_the_directives() -> None:
    assert DOCUMENTED.findall(".. autofunction:: autograd.grad\n.. py:function:: autograd.abs(x)\n") == [
        "autograd.grad",
        "autograd.abs",
    ]


def test_every_public_name_is_on_a_page_of_docs_api() -> None:
    documented = documented_on_pages()
    missing = [path for path, _ in public_objects() if path not in documented]
    assert missing == [], f"document these on a page of docs/api/ (an autodoc directive each): {missing}"
