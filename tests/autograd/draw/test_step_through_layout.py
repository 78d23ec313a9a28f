"""The step-through page keeps the action in view, in a real browser (headless Chromium, as in
``test_step_through_browser``): at 900x700 and 1400x900 windows and in an 860 px notebook column,
after every step, the node being processed and the nodes it updates are inside the visible part of
the picture and of the window, the controls and the step's text are visible, the picture fits its
width (no sideways scrolling) and no text is under 11 px."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import Browser, Tab, launch
from draw_helpers import needs_renderer, unlabelled_neuron

import nn
from autograd import Value

pytest.importorskip("graphviz")
from autograd.draw import StepThrough, step_through

pytestmark = needs_renderer

SIZES = [(900, 700), (1400, 900)]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    yield from launch()


# What is wrong with the page as it is now: each problem a sentence (an empty list: nothing).
GEOMETRY = """
() => {
  const problems = [];
  const root = document.querySelector(".cr-steps");
  const picture = root.querySelector(".cr-picture");
  const frame = root.querySelector(".cr-position").textContent;
  const box = picture.getBoundingClientRect();
  const seen = {
    left: Math.max(0, box.left + picture.clientLeft),
    top: Math.max(0, box.top + picture.clientTop),
    right: Math.min(window.innerWidth, box.left + picture.clientLeft + picture.clientWidth),
    bottom: Math.min(window.innerHeight, box.top + picture.clientTop + picture.clientHeight),
  };
  const inside = (r, area) => r.left >= area.left - 1 && r.right <= area.right + 1 &&
    r.top >= area.top - 1 && r.bottom <= area.bottom + 1;
  const window_ = { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight };
  for (const g of root.querySelectorAll("svg .cr-current, svg .cr-updated")) {
    if (!inside(g.getBoundingClientRect(), seen)) {
      problems.push(frame + ": " + g.getAttribute("class") + " is out of view");
    }
  }
  const controls = ["[data-do=previous]", "[data-do=next]", "[data-do=play]", ".cr-slider", ".cr-title"];
  for (const selector of controls) {
    if (!inside(root.querySelector(selector).getBoundingClientRect(), window_)) {
      problems.push(frame + ": " + selector + " is out of view");
    }
  }
  if (picture.scrollWidth > picture.clientWidth + 1) problems.push(frame + ": the picture scrolls sideways");
  if (document.documentElement.scrollWidth > window.innerWidth) {
    problems.push(frame + ": the page scrolls sideways");
  }
  const svg = picture.querySelector("svg");
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  for (const text of svg.querySelectorAll("text")) {
    const size = Number(text.getAttribute("font-size")) * scale;
    if (size < 11 - 0.01) { problems.push(frame + ": text of " + size.toFixed(2) + " px"); break; }
  }
  return problems;
}
"""

# Checks the page at every change of frame, whatever caused it (play's timer too), into window.problems.
WATCH = """
(geometry) => {
  window.problems = [];
  const check = new Function("return (" + geometry + ")();");
  new MutationObserver(() => window.problems.push(...check())).observe(
    document.querySelector(".cr-position"), { childList: true, characterData: true, subtree: true });
}
"""


def the_neuron() -> StepThrough:
    o, inputs, parameters = unlabelled_neuron()
    return step_through(o, inputs=inputs, parameters=parameters)


def the_network() -> StepThrough:
    model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    inputs = [Value(0.5, label="x1"), Value(-1.0, label="x2")]
    loss = (model(inputs)[0] - 1.0) ** 2
    loss.label = "loss"
    return step_through(loss, groups=nn.neuron_groups(loss), inputs=inputs)


def the_doubling() -> StepThrough:
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    c = b + b
    c.label = "c"
    return step_through(c)


def notebook_02() -> StepThrough:
    x, w, b = Value(2.0, label="x"), Value(-0.5, label="w"), Value(0.5, label="b")
    wx = w * x
    wx.label = "wx"
    z = wx + b
    z.label = "z"
    a = z.tanh()
    a.label = "a"
    u = a - 1
    u.label = "u"
    loss = u**2
    loss.label = "L"
    return step_through(loss, parameters=[w, b], inputs=[x])


GRAPHS = {"neuron": the_neuron, "network": the_network, "doubling": the_doubling, "notebook 02": notebook_02}


def problems(tab: Tab) -> list[str]:
    found: list[str] = tab.page.evaluate(GEOMETRY)
    return found


def frame_number(tab: Tab) -> int:
    return int(tab.page.inner_text(".cr-position").split()[1])


def names_not_drawn(tab: Tab) -> list[str]:
    """The names the step's title and lines use (the value a line or a title is about) that the
    picture does not show: for a value inside a box, neither it nor its box's name."""
    page: Any = tab.page
    drawn = set(page.eval_on_selector_all("svg text", "texts => texts.map(t => t.textContent)"))
    title = page.inner_text(".cr-title").split(": ", 1)[1]
    lines = page.eval_on_selector_all(".cr-update", "lines => lines.map(l => l.textContent)")
    named = [line.split(".grad: ")[0] if ".grad: " in line else line.split(" = ")[0] for line in lines]
    if " = " in title and not title.startswith("given"):
        named.append(title.split(" = ")[0].removesuffix(".grad"))
    return [name for name in named if name not in drawn and name.split(": ")[0] not in drawn]


def step_every_way(tab: Tab, frames: int) -> list[str]:
    """Step the page by keys, buttons, the slider and play, checking it after every frame."""
    page: Any = tab.page
    found = problems(tab)
    page.focus(".cr-steps")
    for _ in range(frames - 1):  # forwards with the keyboard
        page.keyboard.press("ArrowRight")
        found += problems(tab) + names_not_drawn(tab)
    for _ in range(frames - 1):  # backwards with the button
        page.click("[data-do=previous]")
        found += problems(tab)
    for k in (frames - 1, frames // 2, 1, frames - 3):  # jumps with the slider
        page.fill(".cr-slider", str(k))
        found += problems(tab)
    page.evaluate(WATCH, GEOMETRY)  # play, checked at every frame the timer shows
    page.click("[data-do=reset]")
    page.select_option(".cr-speed", "250")
    page.click("[data-do=play]")
    last = f"frame {frames - 1} of {frames - 1}"
    page.wait_for_function(f"document.querySelector('.cr-position').textContent === '{last}'")
    found += page.evaluate("window.problems")
    return found


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("graph", GRAPHS)
def test_every_step_keeps_the_action_and_the_controls_in_view(
    chromium: Browser, tmp_path: Path, graph: str, width: int, height: int
) -> None:
    steps = GRAPHS[graph]()
    tab = chromium.open(steps.save(tmp_path / "steps.html"), width=width, height=height)
    assert step_every_way(tab, steps.frame_count) == []
    assert frame_number(tab) == steps.frame_count - 1
    tab.check_clean()


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("graph", ["neuron", "network"])
def test_in_a_notebook_column_every_step_stays_in_view(
    chromium: Browser, tmp_path: Path, graph: str, width: int, height: int
) -> None:
    steps = GRAPHS[graph]()
    page = tmp_path / "notebook.html"
    above = "<p>a cell above, and its output</p>" * 20
    page.write_text(
        f"<!DOCTYPE html><meta charset=utf-8><body style='margin:0'>{above}"
        f"<div style='width:860px;margin-left:20px'>{steps.html}</div>{above}</body>",
        encoding="utf-8",
    )
    tab = chromium.open(page, width=width, height=height)
    tab.page.click("[data-do=next]")  # scrolled to, as a reader does, then stepped
    assert step_every_way(tab, steps.frame_count) == []
    tab.check_clean()
