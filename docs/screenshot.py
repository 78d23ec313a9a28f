"""The README's picture of the step-through page: a neuron in the middle of its backward pass, the
inspector open on a weight. Taken by the system's Chromium through Playwright, as the browser tests
are (no browser is downloaded).

    .venv/bin/python docs/screenshot.py      # writes docs/step_through.png
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

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


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("no Chromium found (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        page_path = page_of_a_neuron(Path(folder))
        browser = playwright.chromium.launch(executable_path=chromium)
        page = browser.new_page(viewport={"width": 1200, "height": 700}, device_scale_factor=1)
        page.goto(page_path.as_uri())
        page.focus(".cr-steps")
        page.keyboard.press("End")  # the last step: the weighted sum passes its gradient to w, x and b
        page.click("g.node:has-text('w1')")  # the inspector: w1's gradient as a sum over its users
        page.screenshot(path=str(HERE / "step_through.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
