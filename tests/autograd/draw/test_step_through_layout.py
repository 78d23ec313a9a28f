"""The step-through page keeps the action in view, in a real browser (headless Chromium, as in
``test_step_through_browser``): at 900x700 and 1400x900 windows and in an 860 px notebook column,
after every step, the node being processed and the nodes it updates are inside the visible part of
the picture and of the window, the controls and the step's text are visible, the picture fits its
width (no sideways scrolling) and no text is under 11 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_helpers import Browser, Tab
from draw_helpers import labelled, needs_renderer, one_neuron_loss, unlabelled_neuron

import nn
from autograd import Value

pytest.importorskip("graphviz")
from autograd.draw import StepThrough, step_through
from autograd.draw.scene import NOTEBOOK_COLUMN_PX

pytestmark = needs_renderer

SIZES = [(900, 700), (1400, 900)]


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

# The page as it is now, read in one round trip: the frame it shows, what is wrong with it (GEOMETRY's
# sentences), and the texts that names_not_drawn compares.
STATE = f"""
() => ({{
  frame: Number(document.querySelector(".cr-position").textContent.split(" ")[1]),
  problems: ({GEOMETRY})(),
  drawn: Array.from(document.querySelectorAll("svg text"), (text) => text.textContent),
  title: document.querySelector(".cr-title").innerText,
  lines: Array.from(document.querySelectorAll(".cr-update"), (line) => line.textContent),
}})
"""

# Checks the page at every change of frame, whatever caused it (play's timer too), into
# window.watched: the frames shown, in order, and the problems found.
WATCH = """
(geometry) => {
  window.watched = { frames: [], problems: [] };
  const check = new Function("return (" + geometry + ")();");
  const position = document.querySelector(".cr-position");
  new MutationObserver(() => {
    window.watched.frames.push(Number(position.textContent.split(" ")[1]));
    window.watched.problems.push(...check());
  }).observe(position, { childList: true, characterData: true, subtree: true });
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
    b = labelled(a + a, "b")
    return step_through(labelled(b + b, "c"))


def notebook_02() -> StepThrough:
    loss, inputs, parameters = one_neuron_loss()
    return step_through(loss, parameters=parameters, inputs=inputs)


GRAPHS = {"neuron": the_neuron, "network": the_network, "doubling": the_doubling, "notebook 02": notebook_02}


def look(tab: Tab) -> dict[str, Any]:
    """The page as it is now (see STATE)."""
    state: dict[str, Any] = tab.page.evaluate(STATE)
    return state


def frame_number(tab: Tab) -> int:
    return int(tab.page.inner_text(".cr-position").split()[1])


def names_not_drawn(state: dict[str, Any]) -> list[str]:
    """The names the step's title and lines use (the value a line or a title is about) that the
    picture does not show: for a value inside a box, neither it nor its box's name."""
    drawn = set(state["drawn"])
    title = state["title"].split(": ", 1)[1]
    lines = state["lines"]
    named = [line.split(".grad: ")[0] if ".grad: " in line else line.split(" = ")[0] for line in lines]
    if " = " in title and not title.startswith("given"):
        named.append(title.split(" = ")[0].removesuffix(".grad"))
    return [name for name in named if name not in drawn and name.split(": ")[0] not in drawn]


def shows(state: dict[str, Any], frame: int) -> list[str]:
    """Nothing if the page shows ``frame``; else a sentence saying which it shows."""
    return [] if state["frame"] == frame else [f"frame {state['frame']} shown where {frame} was due"]


def step_every_way(tab: Tab, frames: int) -> list[str]:
    """Step the page by keys, buttons, the slider and play, checking it after every frame (one round
    trip to the browser a frame) and that each step showed the frame it should."""
    page: Any = tab.page
    state = look(tab)
    found = state["problems"]
    page.focus(".cr-steps")
    for k in range(state["frame"] + 1, state["frame"] + frames):  # forwards with the keyboard
        page.keyboard.press("ArrowRight")
        state = look(tab)
        found += shows(state, min(k, frames - 1)) + state["problems"] + names_not_drawn(state)
    for k in range(frames - 2, -1, -1):  # backwards with the button
        # force: no waiting for the button to stand still; that it took the click, shows() checks
        page.click("[data-do=previous]", force=True)
        state = look(tab)
        found += shows(state, k) + state["problems"]
    for k in (frames - 1, frames // 2, 1, frames - 3):  # jumps with the slider
        page.fill(".cr-slider", str(k))
        state = look(tab)
        found += shows(state, k) + state["problems"]
    # play, checked at every frame its timer shows; the timer runs on a clock the test moves on, so
    # the frames follow each other at once instead of 250 ms apart
    clock = tab.stopped_clock()
    page.evaluate(WATCH, GEOMETRY)
    page.click("[data-do=reset]")
    page.select_option(".cr-speed", "250")
    page.click("[data-do=play]")
    clock.run_for(250 * frames)
    watched = page.evaluate("window.watched")
    if watched["frames"] != list(range(frames)):  # reset's frame 0, then each frame once
        found.append(f"play showed the frames {watched['frames']}")
    return found + watched["problems"]


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
        f"<div style='width:{NOTEBOOK_COLUMN_PX}px;margin-left:20px'>{steps.html}</div>{above}</body>",
        encoding="utf-8",
    )
    tab = chromium.open(page, width=width, height=height)
    tab.page.click("[data-do=next]")  # scrolled to, as a reader does, then stepped
    assert step_every_way(tab, steps.frame_count) == []
    tab.check_clean()
