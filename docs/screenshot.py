"""The README's pictures of the step-through page: a neuron in the middle of its backward pass, at a
900x700 window (the panel above the picture) and at 1400x900 (the panel beside it). Taken by the
system's Chromium through Playwright, as the browser tests are (no browser is downloaded).

    .venv/bin/python docs/screenshot.py      # writes docs/step_through_900x700.png and _1400x900.png
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from autograd import Value
from autograd.draw import step_through

HERE = Path(__file__).resolve().parent
SIZES = [(900, 700), (1400, 900)]


def page_of_a_neuron(folder: Path) -> tuple[Path, int]:
    """A saved step-through of ``tanh(w1*x1 + w2*x2 + b)`` as a learner writes it (only the leaves
    labelled), and the frame of its middle backward step: the sum passing its gradient to v1 and v2."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    out = (w1 * x1 + w2 * x2 + b).tanh()
    steps = step_through(out, inputs=[x1, x2], parameters=[w1, w2, b])
    middle = next(k for k, title in enumerate(steps.frame_titles) if title.startswith("backward step 3 "))
    return steps.save(folder / "neuron.html"), middle


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("no Chromium found (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        page_path, middle = page_of_a_neuron(Path(folder))
        browser = playwright.chromium.launch(executable_path=chromium)
        for width, height in SIZES:
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            page.goto(page_path.as_uri())
            page.focus(".cr-steps")
            for _ in range(middle):  # stepped there, as a reader does
                page.keyboard.press("ArrowRight")
            page.evaluate("document.activeElement.blur()")  # no focus ring in the picture
            page.screenshot(path=str(HERE / f"step_through_{width}x{height}.png"))
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
