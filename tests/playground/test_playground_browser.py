"""The playground in a real browser: built by its own script, served from 127.0.0.1, opened in the
system's headless Chromium with every request outside that server refused (and recorded).

These tests build the page (npm and PyPI the first time) and load Python in the browser, so they run
only with ``--playground`` (conftest.py leaves them out otherwise): ``scripts/playground --test``, a
step of its own in CI. Without Node.js and npm, or a Chromium, they skip saying why (CI sets
CHAINRULE_REQUIRE_BROWSER: they fail instead).
One page serves every test; each test runs its own code in it. Load and run times are measured and
reported at the end (never asserted).
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import REQUIRE_VARIABLE, Browser, launch
from build_playground import CACHE, OUTPUT, ROOT, build, start_server, supported_pythons
from chainrule_playground import final_value, step_through_of

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "docs" / "playground" / "examples").glob("*.py"))
LOADING = 180_000  # ms: Python's first load takes seconds, and minutes on a machine under load
RUNNING = 60_000
README_CLAIM = re.compile(r"Pyodide ([\d.]+), which runs\s+\*\*Python (3\.\d+)\*\*")  # its Python
# Operations that are one IEEE operation each, the same bits in any Python. The others call the C
# library (tanh, exp, pow: WebAssembly's musl and the system's glibc may differ in the last bit), so
# they agree to 1e-12 only (linear adds in one order on every Python, but is not checked bit for bit).
ARITHMETIC = {"", "+", "*", "/"}

# Records what #status says as it changes, so that a test can read every step of the load.
STATUS_LOG = """
window.statusLog = [];
document.addEventListener("DOMContentLoaded", () => {
  const status = document.getElementById("status");
  const note = () => window.statusLog.push(status.textContent.replace(/\\.\\.\\. \\d+ s$/, ""));
  new MutationObserver(note).observe(status, { childList: true, characterData: true, subtree: true });
});
"""


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_VARIABLE):
        pytest.fail(f"{reason}, and {REQUIRE_VARIABLE} is set: the playground's tests must run here")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The built playground, served: its address."""
    missing = [name for name in ("node", "npm") if shutil.which(name) is None]
    if missing:
        _unavailable(
            f"no {' or '.join(missing)} to build the playground with (Debian: apt-get install nodejs npm)"
        )
    build(OUTPUT, CACHE)
    server = start_server(OUTPUT)
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    yield from launch()


class Playground:
    """The page, open in Chromium, with what it logged and every request it was refused."""

    def __init__(self, chromium: Browser, site: str) -> None:
        self.context = chromium.browser.new_context(viewport={"width": 1400, "height": 900})
        self.refused: list[str] = []
        self.errors: list[str] = []
        self.measured: dict[str, str] = {}
        self.context.route("**/*", self._only_the_site(site))
        self.page = self.context.new_page()
        self.page.on("console", lambda note: self.errors.append(note.text) if note.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.add_init_script(STATUS_LOG)
        started = time.perf_counter()
        self.page.goto(site)
        self.wait_until("ready")
        self.measured["first load, page opened to ready"] = f"{time.perf_counter() - started:.1f} s"

    def _only_the_site(self, site: str) -> Any:
        def route(route: Any) -> None:
            if route.request.url.startswith(site):
                route.continue_()
            else:
                self.refused.append(route.request.url)
                route.abort()

        return route

    def wait_until(self, state: str, timeout: int = LOADING) -> None:
        self.page.wait_for_selector(f"body[data-state={state}]", timeout=timeout)

    def run(self, code: str, name: str = "") -> float:
        """Run ``code`` as a learner does; returns the seconds from the click to the result."""
        self.page.fill("#editor", code)
        self.page.fill("#name", name)
        started = time.perf_counter()
        self.page.click("#run")
        self.wait_until("ready", RUNNING)
        return time.perf_counter() - started

    def error(self) -> str:
        return self.page.inner_text("#error") if self.page.is_visible("#error") else ""

    def shown_data(self) -> dict[str, Any]:
        """The data of the step-through the page shows (its numbers, at full precision)."""
        data: dict[str, Any] = json.loads(self.page.text_content("#viewer .cr-steps script.cr-data") or "")
        return data

    def check_clean(self) -> None:
        assert self.refused == [], self.refused
        assert self.errors == [], self.errors


@pytest.fixture(scope="module")
def playground(chromium: Browser, site: str, request: pytest.FixtureRequest) -> Iterator[Playground]:
    opened = Playground(chromium, site)
    yield opened
    opened.context.close()
    # reported, never asserted: printed past pytest's capture, and kept beside the build
    (CACHE.parent / "playground-measurements.json").write_text(json.dumps(opened.measured, indent=1) + "\n")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            for what, number in opened.measured.items():
                reporter.write_line(f"playground: {what}: {number}")


# ----- what CPython gives for the same code ----------------------------------------------------------


def cpython_steps(code: str, name: str = "") -> Any:
    return step_through_of(final_value(code, name), name)


def data_of(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" class="cr-data">(.*?)</script>', html, re.DOTALL)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def final_grads(data: dict[str, Any]) -> list[float]:
    """Every node's gradient at the end of the page's backward pass, at full precision."""
    grads = [0.0] * len(data["names"])
    grads[-1] = 1.0
    for _, updates in data["steps"]:
        for update in updates:
            # [parent, old, local, upstream, new (texts), new (a number), edge] (viewer.StepThrough._data):
            # a float, or "inf"/"nan" for JSON
            grads[update[0]] = float(update[5])
    return grads


def same_number(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= 1e-12 * max(abs(a), abs(b))


def drawn_numbers(svg: str) -> list[tuple[str, str, str]]:
    """The numbers a step-through's picture shows: (node, field, text)."""
    texts = ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")
    return [
        (t.get("data-node", ""), t.get("data-field", ""), t.text or "") for t in texts if t.get("data-node")
    ]


# ----- the tests ---------------------------------------------------------------------------------------


def test_it_loads_python_and_chainrule_offline_saying_what_it_does(playground: Playground) -> None:
    statuses = playground.page.evaluate("window.statusLog")
    for step in [
        "loading Python (Pyodide 0.29.3",
        "unpacking chainrule",
        "loading Graphviz",
        "importing chainrule",
    ]:
        assert any(status.startswith(step) for status in statuses), (step, statuses)
    ready = playground.page.inner_text("#status")
    version = re.fullmatch(r"ready: Python (3\.\d+)\.\d+ loaded in [\d.]+ s", ready)
    assert version is not None and version.group(1) in supported_pythons(), ready
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    claim = README_CLAIM.search(readme)
    assert claim is not None and claim.group(2) == version.group(1)  # what the README says it runs
    assert "x1 * w1" in playground.page.input_value("#editor")  # the first example, ready to run
    worker_seconds = playground.page.get_attribute("body", "data-load-seconds")
    playground.measured["first load, worker started to ready"] = f"{float(worker_seconds or 'nan'):.1f} s"
    playground.check_clean()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_each_example_shows_the_gradients_cpython_computes(playground: Playground, example: Path) -> None:
    page = playground.page
    page.select_option("#examples", str(EXAMPLES.index(example)))
    code = page.input_value("#editor")
    assert code == example.read_text(encoding="utf-8")
    seconds = playground.run(code)
    assert playground.error() == ""
    if example.stem == "1_neuron":
        in_python = float(page.get_attribute("body", "data-run-seconds") or "nan")
        playground.measured["a run of the neuron example, click to result"] = f"{seconds:.2f} s"
        playground.measured["a run of the neuron example, inside Python"] = f"{in_python:.2f} s"
    steps = cpython_steps(code)
    page.focus("#viewer .cr-steps")
    page.keyboard.press("End")
    assert page.inner_text("#viewer .cr-title") == steps.frame_titles[-1]
    last = steps.frame_count - 1  # the status names the frames as the viewer's counter does
    assert page.inner_text("#viewer .cr-position") == f"frame {last} of {last}"
    assert page.inner_text("#status").endswith(f": frames 0 to {last} to step through")
    shown, expected = playground.shown_data(), data_of(steps.html)
    assert (shown["names"], shown["data"], shown["frames"]) == (
        expected["names"],
        expected["data"],
        expected["frames"],
    )
    browser_grads, cpython_grads = final_grads(shown), final_grads(expected)
    assert all(same_number(a, b) for a, b in zip(browser_grads, cpython_grads, strict=True))
    on_screen = page.eval_on_selector_all(
        "#viewer text[data-node]", "texts => texts.map(t => [t.dataset.node, t.dataset.field, t.textContent])"
    )
    assert [tuple(row) for row in on_screen] == drawn_numbers(steps.frame(-1).svg)
    bitwise = sum(a == b or (math.isnan(a) and math.isnan(b)) for a, b in zip(browser_grads, cpython_grads))
    if set(shown["ops"]) <= ARITHMETIC:
        assert bitwise == len(cpython_grads)  # IEEE arithmetic: the same bits in any Python
    playground.measured[f"{example.stem}, gradients equal to CPython's bit for bit"] = (
        f"{bitwise} of {len(cpython_grads)}"
    )
    playground.check_clean()


def test_a_syntax_error_shows_where_it_is(playground: Playground) -> None:
    playground.run("from autograd import Value\nx = Value(2.0\ny = x * x\ny")
    error = playground.error()
    assert 'File "<playground>", line 2' in error and "SyntaxError" in error
    assert "Traceback" not in error  # a syntax error has no frames to show
    playground.check_clean()


def test_an_exception_in_the_learners_code_shows_the_tracebacks_last_lines(playground: Playground) -> None:
    playground.run("from autograd import Value\n\ndef f(v):\n    return v / 'two'\n\nf(Value(1.0))")
    lines = playground.error().splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[1:3] == ['  File "<playground>", line 6, in <module>', "    f(Value(1.0))"]
    assert lines[-1].startswith("TypeError:") and "str" in lines[-1]
    assert "the code stopped with an error" in playground.page.inner_text("#status")
    playground.check_clean()


def test_the_named_variable_is_stepped_through(playground: Playground) -> None:
    code = "from autograd import Value\nx = Value(2.0, label='x')\ny = x * x\ny.label = 'y'\nz = y + 1"
    playground.run(code, "y")
    assert playground.shown_data()["names"] == data_of(cpython_steps(code, "y").html)["names"] == ["x", "y"]
    playground.check_clean()


def test_practice_mode_answered_right_and_wrong(playground: Playground) -> None:
    playground.run(
        "from autograd import Value\na = Value(3.0, label='a')\na * a"
    )  # each of a's two edges: local derivative 3, then a.grad: 0 + 3 x 1 = 3, 3 + 3 x 1 = 6
    page = playground.page
    page.check("#viewer .cr-practice")
    page.fill("#viewer .cr-slider", str(len(playground.shown_data()["frames"]) - 1))
    wrong = "not quite: you typed 6.5, it is 6"
    answers = [("3.002", "right"), ("3", "right"), ("3", "right"), ("6.5", wrong)]
    for typed, verdict in answers:  # the local derivative first, then the new gradient, edge by edge
        page.fill("#viewer .cr-answer", typed)
        page.press("#viewer .cr-answer", "Enter")
        assert verdict in page.inner_text("#viewer .cr-updates")
    score = "score: 3 of 4 right (local derivatives 2 of 2, gradients 1 of 2)"
    assert page.inner_text("#viewer .cr-score") == score
    page.click("#viewer g.v0")  # the inspector: a's gradient as the sum over its users
    assert page.is_visible("#viewer .cr-inspector") and "a" in page.inner_text("#viewer .cr-inspector")
    playground.check_clean()


def test_the_learners_code_cannot_reach_the_network_either(playground: Playground) -> None:
    # the worker's own requests go through the same refusal as the page's
    playground.run(
        "import js\nrequest = js.XMLHttpRequest.new()\n"
        "request.open('GET', 'https://example.com/', False)\nrequest.send()"
    )
    assert "NetworkError" in playground.error() or "Failed" in playground.error()
    assert playground.refused == ["https://example.com/"]
    playground.refused.clear()


def test_stop_ends_an_endless_loop_and_starts_a_fresh_python(playground: Playground) -> None:
    page = playground.page
    page.fill("#editor", "while True:\n    pass")
    page.click("#run")
    playground.wait_until("running")
    page.wait_for_timeout(500)
    assert page.is_disabled("#run")
    started = time.perf_counter()
    page.click("#stop")
    assert page.inner_text("#status").startswith("stopped; starting a fresh Python")
    playground.wait_until("ready")
    playground.measured["Stop to a fresh Python, ready"] = f"{time.perf_counter() - started:.1f} s"
    playground.run("from autograd import Value\nx = Value(1.5, label='x')\nx * x")
    assert playground.error() == "" and final_grads(playground.shown_data())[0] == 3.0
    playground.check_clean()


@pytest.mark.parametrize(("width", "height"), [(900, 700), (1400, 900)])
def test_the_page_fits_the_window(playground: Playground, width: int, height: int) -> None:
    page = playground.page
    page.set_viewport_size({"width": width, "height": height})
    page.select_option("#examples", "2")  # the widest picture: an MLP
    playground.run(page.input_value("#editor"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for element in ("#editor", "#run", "#stop", "#viewer .cr-bar"):
        box = page.locator(element).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, element
    page.screenshot(path=str(CACHE.parent / f"playground-{width}x{height}.png"))  # to look at
    playground.check_clean()
