"""The README's pictures, taken by the system's Chromium through Playwright, as the browser tests
are (no browser is downloaded).

- The step-through page: a neuron in the middle of its backward pass, at a 900x700 window (the
  panel above the picture) and at 1400x900 (the panel beside it).
- The playground: its neuron example run and stepped to the same step, in a 1400x1000 window (the
  whole page; at that height the whole picture fits, its key included, where at 900 the viewer
  scrolls the picture to centre the step). The playground is built first, as ``scripts/playground``
  builds it (Node.js and npm; the downloads are kept in docs/_build/playground-cache/), and served
  from 127.0.0.1.

    .venv/bin/python docs/screenshot.py             # docs/step_through_900x700.png and _1400x900.png
    .venv/bin/python docs/screenshot.py playground  # docs/playground.png
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from autograd import Value
from autograd.draw import step_through

HERE = Path(__file__).resolve().parent
SIZES = [(900, 700), (1400, 900)]
PLAYGROUND_SIZE = (1400, 1000)
SHOWN_STEP = "backward step 3 "  # the sum passing its gradient to its two inputs
PYTHON_LOADING = 300_000  # ms: Python's first load in the playground takes seconds, minutes under load


def page_of_a_neuron(folder: Path) -> tuple[Path, int]:
    """A saved step-through of ``tanh(w1*x1 + w2*x2 + b)`` as a learner writes it (only the leaves
    labelled), and the frame of its middle backward step: the sum passing its gradient to v1 and v2."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    out = (w1 * x1 + w2 * x2 + b).tanh()
    steps = step_through(out, inputs=[x1, x2], parameters=[w1, w2, b])
    middle = next(k for k, title in enumerate(steps.frame_titles) if title.startswith(SHOWN_STEP))
    return steps.save(folder / "neuron.html"), middle


def step_through_pictures(browser: Any) -> None:
    """docs/step_through_WxH.png at each of ``SIZES``."""
    with tempfile.TemporaryDirectory() as folder:
        page_path, middle = page_of_a_neuron(Path(folder))
        for width, height in SIZES:
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            page.goto(page_path.as_uri())
            page.focus(".cr-steps")
            for _ in range(middle):  # stepped there, as a reader does
                page.keyboard.press("ArrowRight")
            page.evaluate("document.activeElement.blur()")  # no focus ring in the picture
            page.screenshot(path=str(HERE / f"step_through_{width}x{height}.png"))
            page.close()


def playground_picture(browser: Any) -> None:
    """docs/playground.png: the neuron example (the first) run, then stepped back to ``SHOWN_STEP``."""
    sys.path.insert(0, str(HERE / "playground"))
    from build_playground import BuildError, build, start_server

    try:
        server = start_server(build())
    except BuildError as error:
        sys.exit(f"screenshot: {error}")
    width, height = PLAYGROUND_SIZE
    page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
    try:
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        page.wait_for_selector("body[data-state=ready]", timeout=PYTHON_LOADING)
        page.click("#run")
        page.wait_for_selector("#viewer .cr-steps", timeout=PYTHON_LOADING)
        page.wait_for_selector("body[data-state=ready]", timeout=PYTHON_LOADING)
        page.focus("#viewer .cr-steps")
        page.keyboard.press("Home")
        for _ in range(100):  # stepped there, as a reader does
            if page.inner_text("#viewer .cr-title").startswith(SHOWN_STEP):
                break
            page.keyboard.press("ArrowRight")
        else:
            sys.exit(f"screenshot: the playground's step-through has no step titled {SHOWN_STEP!r}...")
        page.evaluate("document.activeElement.blur()")
        page.screenshot(path=str(HERE / "playground.png"), full_page=True)
    finally:
        page.close()
        server.shutdown()


def main() -> None:
    wanted = sys.argv[1:] or ["step-through"]
    takers = {"step-through": step_through_pictures, "playground": playground_picture}
    unknown = [name for name in wanted if name not in takers]
    if unknown:
        sys.exit(f"screenshot: unknown picture {unknown}; choose from {sorted(takers)}")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("no Chromium found (Debian: apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        for name in wanted:
            takers[name](browser)
        browser.close()


if __name__ == "__main__":
    main()
