"""The API site, as a reader meets it: every page opened in headless Chromium from ``file://``.

These tests need a built site: ``scripts/docs --check`` builds it (warnings are errors) and runs
them with ``--docs-site docs/_build/html``; without that option they are deselected (conftest.py),
so the unit tests stay fast. Every page must load with no console error and without asking for
anything off the site (it works offline), every link inside the site must lead to a file that
exists and to an anchor on it, the search must find ``backward``, the step-through page must step,
and the API pages must hold every public name.

The site links to the playground (``playground/index.html``), which ``scripts/playground`` builds into
it (``scripts/docs --check`` does, when Node.js and npm are installed). Here its page is only opened:
from ``file://``, where it must say that it has to be served, and served, where its HTML must arrive
and Python start loading; its behaviour is tested by ``scripts/playground --test``. A site built
without it passes, the playground's test skipping and saying so, unless ``CHAINRULE_REQUIRE_PLAYGROUND``
is set (CI sets it): then it fails.
"""

from __future__ import annotations

import inspect
import os
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import urlopen

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


REQUIRE_PLAYGROUND = "CHAINRULE_REQUIRE_PLAYGROUND"
PLAYGROUND_PAGE = Path("playground") / "index.html"
PLAYGROUND_SOURCES = Path(__file__).resolve().parents[1] / "docs" / "playground"
PLAYGROUND_TITLE = "<title>chainrule playground"
# the pages that link to the playground: the home page, its own page in the menu, the step-through page
LINKING_TO_THE_PLAYGROUND = ("index.html", "playground.html", "step_through.html")


def playground_left_out(site: Path) -> bool:
    """Whether the site was built without its playground page, and may be (see the module's text)."""
    return not (site / PLAYGROUND_PAGE).is_file() and not os.environ.get(REQUIRE_PLAYGROUND)


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
        if target == site / PLAYGROUND_PAGE and playground_left_out(site):
            continue  # test_the_playground_is_linked_and_its_page_is_served says so
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


def test_the_playground_is_linked_and_its_page_is_served(site: Path, browser: Browser) -> None:
    playground = site / PLAYGROUND_PAGE
    for page in LINKING_TO_THE_PLAYGROUND:
        tab = browser.open(site / page, width=1400, height=900)
        assert playground.as_uri() in tab.page.evaluate(_LINKS_AND_ANCHORS)["links"], page
        menu = tab.page.locator(".sidebar-tree a.reference", has_text="Playground")  # the theme's menu
        assert menu.evaluate("link => link.href").split("#")[0] == (site / "playground.html").as_uri(), page
    if not playground.is_file():
        reason = (
            f"the site was built without its playground page (no {PLAYGROUND_PAGE.as_posix()} in it: "
            "scripts/playground builds it into the site, scripts/docs --check too where Node.js and npm are)"
        )
        if os.environ.get(REQUIRE_PLAYGROUND):
            pytest.fail(f"{reason}, and {REQUIRE_PLAYGROUND} is set: the site must link to a playground")
        pytest.skip(reason)
    from_a_file = browser.open(playground)
    status = from_a_file.page.locator("#status")
    assert "must be served" in status.inner_text() and "scripts/playground --serve" in status.inner_text()
    assert from_a_file.page.locator("#run").is_disabled() and from_a_file.page.locator("#stop").is_disabled()
    from_a_file.check_clean()
    with served(site) as address:
        with urlopen(address + "playground/") as response:
            assert PLAYGROUND_TITLE in response.read().decode("utf-8")
        tab = browser.open(address + "playground/", width=1400, height=900)
        tab.page.get_by_role("heading", name="chainrule playground").wait_for()
        assert tab.page.locator("body").get_attribute("data-state") in ("loading", "ready")
        tab.check_clean()
        tab.page.context.close()  # its own tests load Python and run it (scripts/playground --test)


@contextmanager
def served(site: Path) -> Iterator[str]:
    """The site's address on 127.0.0.1, served by the playground's own server (it gives WebAssembly
    the file type browsers insist on)."""
    sys.path.insert(0, str(PLAYGROUND_SOURCES))
    from build_playground import start_server

    server = start_server(site)
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
