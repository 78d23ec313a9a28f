"""The README's pictures, taken by the system's Chromium through Playwright, as the browser tests are
(no browser is downloaded): the step-through page (a neuron in the middle of its backward pass, the
inspector open on a weight) and the playground (its first example run, mid-way back).

    .venv/bin/python docs/screenshot.py               # writes docs/step_through.png
    .venv/bin/python docs/screenshot.py playground    # builds the playground, writes docs/playground.png
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

import nn
from autograd import Value
from autograd.draw import step_through

HERE = Path(__file__).resolve().parent


def page_of_a_neuron(folder: Path) -> Path:
    """A saved step-through of one tanh neuron's squared error."""
    neuron = nn.Neuron(2, activation="tanh", seed=4)
    x = [Value(1.5, label="x1"), Value(-0.5, label="x2")]
    out = neuron(x)
    out.label = "out"
    loss = (out - 1.0) ** 2
    loss.label = "loss"
    for k, weight in enumerate(neuron.weights, 1):
        weight.label = f"w{k}"
    neuron.bias.label = "b"
    return step_through(loss, inputs=x, parameters=neuron.parameters()).save(folder / "neuron.html")


def step_through_picture(browser: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        page_path = page_of_a_neuron(Path(folder))
        page = browser.new_page(viewport={"width": 1200, "height": 700}, device_scale_factor=1)
        page.goto(page_path.as_uri())
        page.focus(".cr-steps")
        page.keyboard.press("End")  # the last step: the weighted sum passes its gradient to w, x and b
        page.click("g.node:has-text('w1')")  # the inspector: w1's gradient as a sum over its users
        page.screenshot(path=str(HERE / "step_through.png"), full_page=True)


def playground_picture(browser: Any) -> None:
    sys.path.insert(0, str(HERE / "playground"))
    from build_playground import OUTPUT, build, start_server

    server = start_server(build(OUTPUT))
    page = browser.new_page(viewport={"width": 1400, "height": 820}, device_scale_factor=1)
    page.goto(f"http://127.0.0.1:{server.server_port}/")
    page.wait_for_selector("body[data-state=ready]", timeout=300_000)
    page.click("#run")  # the first example: a neuron
    page.wait_for_selector("body[data-state=ready] #viewer .cr-steps", timeout=60_000)
    page.focus("#viewer .cr-steps")
    page.keyboard.press("End")
    for _ in range(2):  # back to where the gradient reaches the weighted sum's inputs
        page.keyboard.press("ArrowLeft")
    page.evaluate("document.activeElement.blur()")
    page.screenshot(path=str(HERE / "playground.png"), full_page=True)
    server.shutdown()


PICTURES = {"step_through": step_through_picture, "playground": playground_picture}


def main(names: list[str]) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("no Chromium found (Debian: apt-get install chromium)")
    unknown = [name for name in names if name not in PICTURES]
    if unknown:
        sys.exit(f"no picture called {', '.join(unknown)}: choose from {', '.join(PICTURES)}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        for name in names or ["step_through"]:
            PICTURES[name](browser)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
