"""The step-through page: how long it takes to build and to open, how big it is, how fast it steps.

    .venv/bin/python -m benchmarks.viewer          # prints a markdown table (about a minute)

For graphs of 10, 100 and 300 values (a deterministic mix of +, *, tanh, relu and exp with reused
values), it reports the time to build the page (``step_through`` and its HTML: the replay, the
Graphviz layout, the frames), the page's size, and, in the system's headless Chromium (through
Playwright, as the browser tests), the time to first paint and how long one step takes: a click on
"next" and the layout it causes, over every frame of the page. Targets: a 100-value page under 1 MB
built in under 1 s, a step under 50 ms at 300 values. Not part of the tests, and no timing is an
assertion anywhere.
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import autograd
from autograd import Value
from autograd.draw import step_through

SIZES = (10, 100, 300)
ROUNDS = 3

# When the browser first painted the page's content, from the start of the navigation (ms).
_FIRST_PAINT = """
() => new Promise((resolve) => {
  new PerformanceObserver((entries) => {
    for (const entry of entries.getEntries()) {
      if (entry.name === "first-contentful-paint") resolve(entry.startTime);
    }
  }).observe({ type: "paint", buffered: true });
})
"""

# One step in the page, as a user causes it: a click on "next", then the layout it forces.
_STEP_TIMES = """
() => {
  const next = document.querySelector("[data-do=next]");
  const svg = document.querySelector("svg.cr-frame");
  document.querySelector("[data-do=reset]").click();
  const last = Number(document.querySelector(".cr-slider").max);
  const times = [];
  for (let k = 0; k < last; k++) {
    const start = performance.now();
    next.click();
    svg.getBoundingClientRect();
    times.push(performance.now() - start);
  }
  return times;
}
"""


def graph_of(size: int, seed: int = 0) -> Value:
    """A graph of about ``size`` values: a few leaves, then operations on recent values (so many
    are used twice or more), summed where nothing else uses them."""
    rng = random.Random(seed)
    values = [Value(rng.uniform(-1.0, 1.0), label=f"x{k}") for k in range(max(2, size // 10))]
    used: set[Value] = set()
    while len(values) < size - 1:
        a, b = rng.sample(values[-8:], 2)
        kind = rng.randrange(5)
        made = (a + b, a * b, (a * 0.5).tanh(), a.relu(), (a * 0.1).exp())[kind]
        known = set(values)
        new = [v for v in autograd.topological_order(made) if v not in known]
        used.update(p for v in new for p in v.parents)
        values.extend(new)
    return autograd.sum([v for v in values if v not in used])


def build(size: int) -> tuple[float, str, int, int]:
    """The median time to build a page of about ``size`` values, the page, its number of values
    and of frames."""
    times, html, frames = [], "", 0
    for _ in range(ROUNDS):
        root = graph_of(size)
        start = time.perf_counter()
        steps = step_through(root, max_nodes=None)
        html = steps.html
        times.append(time.perf_counter() - start)
        frames = steps.frame_count
    return statistics.median(times), html, len(autograd.topological_order(root)), frames


def in_browser(browser: Any, page_file: Path) -> tuple[float, list[float]]:
    """Time to first paint (ms) and the time of every step (ms) of a saved page."""
    page = browser.new_page(viewport={"width": 900, "height": 900})
    page.goto(page_file.as_uri())
    paint = page.evaluate(_FIRST_PAINT)
    steps = page.evaluate(_STEP_TIMES)
    page.close()
    return float(paint), [float(t) for t in steps]


@dataclass(frozen=True)
class Row:
    """What one graph's page measured."""

    values: int
    frames: int
    build_seconds: float
    page_bytes: int
    paint_ms: float
    step_ms: list[float]


def measure(browser: Any, size: int, folder: Path) -> Row:
    """Build, save and open a page of about ``size`` values, ``ROUNDS`` times each."""
    seconds, html, values, frames = build(size)
    page_file = folder / f"page{size}.html"
    page_file.write_text(f"<!DOCTYPE html><meta charset=utf-8><body>{html}</body>", encoding="utf-8")
    paints, steps = [], []
    for _ in range(ROUNDS):
        paint, step_times = in_browser(browser, page_file)
        paints.append(paint)
        steps.extend(step_times)
    return Row(values, frames, seconds, len(html.encode()), statistics.median(paints), steps)


def report(rows: list[Row]) -> None:
    """The table, and how the targets fared."""
    print("| values | frames | build | page size | first paint | step: median | 95% | slowest |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        steps = row.step_ms
        print(
            f"| {row.values} | {row.frames} | {row.build_seconds * 1000:.0f} ms "
            f"| {row.page_bytes / 1e6:.2f} MB | {row.paint_ms:.0f} ms | {statistics.median(steps):.1f} ms "
            f"| {statistics.quantiles(steps, n=20)[-1]:.1f} ms | {max(steps):.1f} ms |"
        )
    hundred, three_hundred = rows[1], rows[2]  # about 100 and 300 values
    print(
        f"\ntargets: 100-value page under 1 MB ({hundred.page_bytes / 1e6:.2f} MB) and built in under 1 s "
        f"({hundred.build_seconds:.2f} s); a step at 300 values under 50 ms "
        f"(slowest {max(three_hundred.step_ms):.1f} ms)"
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("no Chromium found (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        rows = [measure(browser, size, Path(folder)) for size in SIZES]
        browser.close()
    report(rows)


if __name__ == "__main__":
    main()
