"""The API site, as a reader meets it: every page opened in headless Chromium from ``file://``.

These tests need a built site: ``scripts/docs --check`` builds it (warnings are errors) and runs
them with ``--docs-site docs/_build/html``; without that option they are deselected (conftest.py),
so the unit tests stay fast. Every page must load with no console error and without asking for
anything off the site (it works offline), every link inside the site must lead to a file that
exists and to an anchor on it, the search must find ``backward``, the step-through page must step,
and the API pages must hold every public name.
"""

from __future__ import annotations

import inspect
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser_helpers import Browser, launch
from public_api import public_attributes, public_classes, public_objects

# What a page's links are, as the browser resolved them, and the anchors the page has
_LINKS_AND_ANCHORS = """() => ({
    links: Array.from(document.querySelectorAll("a[href], link[href], [src]"),
                      element => element.href || element.src),
    anchors: Array.from(document.querySelectorAll("[id], a[name]"),
                        element => element.id || element.getAttribute("name")),
})"""


@pytest.fixture(scope="module")
def site(request: pytest.FixtureRequest) -> Path:
    folder = Path(request.config.getoption("docs_site")).resolve()
    if not (folder / "index.html").is_file():
        pytest.fail(f"no built site in {folder}: run scripts/docs first")
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch()


def pages_of(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def documented_names(site: Path) -> set[str]:
    """The Python names in the site's inventory (objects.inv: four lines of header, then zlib)."""
    data = (site / "objects.inv").read_bytes()
    header_end = 0
    for _ in range(4):
        header_end = data.index(b"\n", header_end) + 1
    lines = zlib.decompress(data[header_end:]).decode("utf-8").splitlines()
    return {line.split(" ", 1)[0] for line in lines if line.split(" ")[1].startswith("py:")}


def test_every_public_name_has_its_entry(site: Path) -> None:
    documented = documented_names(site)
    missing = [path for path, _ in public_objects() if path not in documented]
    missing += [path for path in ("autograd.Value.data", "autograd.Value.grad") if path not in documented]
    assert missing == [], f"add these to a page of docs/api/: {missing}"


@pytest.mark.parametrize("path, owner", public_classes(), ids=[path for path, _ in public_classes()])
def test_every_public_method_and_property_has_its_entry(site: Path, path: str, owner: type) -> None:
    documented = documented_names(site)
    missing = []
    for name in public_attributes(owner):
        attribute = inspect.getattr_static(owner, name)
        if callable(attribute) or isinstance(attribute, (property, staticmethod, classmethod)):
            if f"{path}.{name}" not in documented:
                missing.append(name)
    assert missing == [], f"{path}: {missing}"


def test_every_page_loads_offline_without_errors_and_every_link_inside_the_site_resolves(
    site: Path, browser: Browser
) -> None:
    anchors: dict[Path, set[str]] = {}
    links: list[tuple[Path, str]] = []
    tab = browser.open(site / "index.html", width=1400, height=900)
    for page in pages_of(site):
        tab.page.goto(page.as_uri())
        tab.page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        found = tab.page.evaluate(_LINKS_AND_ANCHORS)
        assert (tab.errors, tab.requests) == ([], []), page  # no console error, nothing from outside
        anchors[page] = set(found["anchors"])
        links += [(page, link) for link in found["links"] if link.startswith("file://")]
    assert len(anchors) >= 30, sorted(anchors)
    broken = []
    for page, link in links:
        parts = urlsplit(link)
        target = Path(unquote(parts.path))
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file() or site not in target.parents:
            broken.append(f"{page.relative_to(site)} -> {link} (no such file in the site)")
        elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in anchors[target]:
            broken.append(f"{page.relative_to(site)} -> {link} (no such anchor)")
    assert broken == [], "\n".join(broken)


def test_the_search_page_finds_backward(site: Path, browser: Browser) -> None:
    tab = browser.open(site / "search.html")
    tab.page.goto((site / "search.html").as_uri() + "?q=backward")
    results = tab.page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=20_000)
    targets = results.evaluate_all("links => links.map(link => link.href)")
    assert any(target.split("#")[-1] == "autograd.Value.backward" for target in targets), targets
    tab.check_clean()


def test_the_notebooks_show_their_maths_typeset(site: Path, browser: Browser) -> None:
    tab = browser.open(site / "notebooks" / "02_the_chain_rule_and_the_backward_pass.html")
    tab.page.evaluate("() => MathJax.startup.promise")
    assert tab.page.locator("mjx-container svg").count() > 10
    assert "\\frac" not in tab.page.inner_text("article")  # nothing left as TeX source
    tab.check_clean()


@pytest.mark.parametrize("width, height", [(900, 700), (1400, 900)])
def test_the_embedded_step_through_page_steps(site: Path, browser: Browser, width: int, height: int) -> None:
    tab = browser.open(site / "step_through.html", width=width, height=height)
    frame = tab.page.frame_locator("iframe.step-through")
    counter = frame.get_by_text("frame 0 of", exact=False)
    counter.wait_for()
    frame.get_by_role("button", name="next").click()
    frame.get_by_text("frame 1 of", exact=False).wait_for()
    tab.check_clean()
