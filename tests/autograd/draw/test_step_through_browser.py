"""The step-through page in a real browser: headless Chromium from the system, driven by Playwright.

Each test saves a page, opens it from ``file://`` with the network refused, and ends by checking
that the page logged no error and fetched nothing (``Tab.check_clean``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import Browser, Tab
from draw_helpers import edge_labels, needs_renderer, reused, shown_numbers

import autograd
import nn
from autograd import Value, gradients, topological_order
from autograd.draw.replay import replay_backward
from autograd.draw.scene import NOTEBOOK_COLUMN_PX

pytest.importorskip("graphviz")
from autograd.draw import StepThrough, draw_graph, step_through

pytestmark = needs_renderer


def open_page(chromium: Browser, steps: StepThrough, folder: Path, **options: object) -> Tab:
    return chromium.open(steps.save(folder / "steps.html"), **options)  # type: ignore[arg-type]


def displayed(tab: Tab) -> dict[tuple[int, str], list[str]]:
    """The numbers the page shows now, read as shown_numbers reads a frame's SVG."""
    rows = tab.page.eval_on_selector_all(
        "text[data-node]", "texts => texts.map(t => [Number(t.dataset.node), t.dataset.field, t.textContent])"
    )
    shown: dict[tuple[int, str], list[str]] = {}
    for node, field, text in rows:
        assert text.startswith(field + " ")
        shown.setdefault((node, field), []).append(text[len(field) + 1 :])
    return shown


def edge_texts(tab: Tab) -> dict[str, str]:
    """The local derivatives the page writes on its edges now, by edge (empty ones left out)."""
    rows = tab.page.eval_on_selector_all(
        "text[data-edge]", "texts => texts.map(t => [t.dataset.edge, t.textContent])"
    )
    return {edge: text for edge, text in rows if text}


def test_the_edges_a_step_uses_show_the_recorded_derivatives(chromium: Browser, tmp_path: Path) -> None:
    model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    loss = (model([Value(0.5, label="x1"), Value(-1.0, label="x2")])[0] - 1.0) ** 2
    groups = nn.neuron_groups(loss)
    steps = step_through(loss, groups=groups)
    replay = replay_backward(loss)
    tab = open_page(chromium, steps, tmp_path)
    first = steps.frame_count - len(replay.steps) - 1
    tab.page.fill(".cr-slider", str(first))
    for step in replay.steps:
        tab.page.keyboard.press("ArrowRight")
        node = replay.nodes[step.node]
        on_edges = sorted(edge_texts(tab).values())
        # a box's edges carry the derivatives of the edges from outside it; the others, each its own
        inside = [v for g in groups if node in g.members for v in (*g.members, *g.parameters)]
        outside = [format(u.local, ".4g") for u in step.updates if replay.nodes[u.parent] not in inside]
        assert on_edges == sorted(outside), step
    tab.check_clean()


def frame_number(tab: Tab) -> int:
    return int(tab.page.inner_text(".cr-position").split()[1])


def engine_grads(root: Value) -> dict[tuple[int, str], list[str]]:
    """Every node's gradient from ``gradients()``, written as the drawing writes it."""
    nodes = topological_order(root)
    return {(i, "grad"): [format(g, ".4g")] for i, g in enumerate(gradients(root, nodes))}


def grads_only(shown: dict[tuple[int, str], list[str]]) -> dict[tuple[int, str], list[str]]:
    return {key: texts for key, texts in shown.items() if key[1] == "grad"}


def test_arrow_keys_step_through_every_frame_as_python_computed_it(chromium: Browser, tmp_path: Path) -> None:
    y, _, _ = reused()
    steps = step_through(y)
    tab = open_page(chromium, steps, tmp_path)
    page = tab.page
    assert frame_number(tab) == 0 and page.inner_text(".cr-title") == steps.frame_titles[0]
    page.focus(".cr-steps")
    for k in range(steps.frame_count):
        assert displayed(tab) == shown_numbers(steps.frame(k).svg), f"frame {k}"
        assert edge_texts(tab) == edge_labels(steps.frame(k).svg), f"frame {k}"
        assert page.inner_text(".cr-title") == steps.frame_titles[k]
        page.keyboard.press("ArrowRight")
    assert frame_number(tab) == steps.frame_count - 1  # the last frame stays
    assert grads_only(displayed(tab)) == engine_grads(y)
    page.keyboard.press("ArrowLeft")
    assert frame_number(tab) == steps.frame_count - 2
    page.keyboard.press("Home")
    assert frame_number(tab) == 0
    page.keyboard.press("End")
    assert grads_only(displayed(tab)) == engine_grads(y)
    tab.check_clean()


def test_buttons_the_slider_and_play(chromium: Browser, tmp_path: Path) -> None:
    y, _, _ = reused()
    steps = step_through(y)
    tab = open_page(chromium, steps, tmp_path)
    page = tab.page
    for _ in range(steps.frame_count - 1):
        page.click("[data-do=next]")
    assert grads_only(displayed(tab)) == engine_grads(y)
    page.click("[data-do=previous]")
    assert displayed(tab) == shown_numbers(steps.frame(-2).svg)
    page.fill(".cr-slider", "3")
    assert frame_number(tab) == 3 and displayed(tab) == shown_numbers(steps.frame(3).svg)
    page.click("[data-do=reset]")
    assert frame_number(tab) == 0
    clock = tab.stopped_clock()  # play's ticks run when the test says, at once, not 250 ms apart
    page.select_option(".cr-speed", "250")
    page.click("[data-do=play]")
    assert page.inner_text("[data-do=play]") == "pause"
    clock.run_for(250 * (steps.frame_count - 2))
    assert frame_number(tab) == steps.frame_count - 2  # one frame a tick
    clock.run_for(250 * 2)  # the last frame, then play stops
    assert frame_number(tab) == steps.frame_count - 1
    assert "play" in page.inner_text("[data-do=play]")
    assert grads_only(displayed(tab)) == engine_grads(y)
    tab.check_clean()


def test_a_reused_node_shows_one_update_line_per_contribution(chromium: Browser, tmp_path: Path) -> None:
    a = Value(3.0, label="a")
    b = a + a
    tab = open_page(chromium, step_through(b), tmp_path)
    tab.page.focus(".cr-steps")
    tab.page.keyboard.press("End")
    lines = tab.page.eval_on_selector_all(".cr-update", "lines => lines.map(l => l.textContent)")
    assert lines == ["a.grad: 0 + 1 × 1 = 1", "a.grad: 1 + 1 × 1 = 2"]
    assert displayed(tab)[(0, "grad")] == ["2"]
    tab.check_clean()


def test_the_inspector_writes_a_gradient_as_the_sum_over_its_users(chromium: Browser, tmp_path: Path) -> None:
    y, a, x = reused()
    nodes = topological_order(y)
    position = {node: i for i, node in enumerate(nodes)}
    times_x = nodes[4]  # (a*a + x) * x
    plus = nodes[3]
    tab = open_page(chromium, step_through(y), tmp_path)
    page = tab.page
    page.click(f"g.v{position[x]}")
    # before the backward pass, nothing has arrived yet
    assert page.locator(".cr-inspector .cr-term.cr-later").count() == 2
    assert "arrive later in the backward pass; so far: ?" in page.inner_text(".cr-inspector")
    page.focus(".cr-steps")
    page.keyboard.press("End")
    grad_of = dict(zip(nodes, gradients(y, nodes)))
    terms = page.inner_text(".cr-inspector .cr-terms")
    assert terms == (
        f"= {plus.data:.4g} × {grad_of[times_x]:.4g} (from v3) + 1 × {grad_of[plus]:.4g} (from v2)"
    )
    assert page.inner_text(".cr-inspector .cr-total") == f"= {grad_of[x]:.4g}"
    assert page.locator(".cr-inspector .cr-later").count() == 0  # every term has arrived
    text = page.inner_text(".cr-inspector")
    assert "op: none (a leaf" in text and f"grad: {grad_of[x]:.4g}" in text
    page.click(f"g.op{position[times_x]}")  # an operation's oval inspects the value it made
    assert f"d v3 / d v2 = {x.data:.4g}" in page.inner_text(".cr-inspector")
    page.click(".cr-close")
    assert not page.is_visible(".cr-inspector")
    tab.check_clean()


def test_without_javascript_the_page_shows_the_last_frame(chromium: Browser, tmp_path: Path) -> None:
    y, _, _ = reused()
    steps = step_through(y)
    tab = open_page(chromium, steps, tmp_path, javascript=False)
    assert displayed(tab) == shown_numbers(steps.frame(-1).svg)
    assert grads_only(displayed(tab)) == engine_grads(y)
    assert not tab.page.is_visible(".cr-bar")  # the controls need the script
    assert tab.page.inner_text(".cr-title") == steps.frame_titles[-1]
    tab.check_clean()


def scale_of_picture(tab: Tab) -> float:
    """How much the browser shrank (< 1) or grew the picture against its own size."""
    return float(
        tab.page.evaluate(
            "() => { const svg = document.querySelector('svg');"
            " return svg.getBoundingClientRect().width / svg.width.baseVal.value; }"
        )
    )


def test_a_static_drawing_at_a_notebook_width_scrolls(chromium: Browser, tmp_path: Path) -> None:
    loss, _, _ = nn_loss()
    # a static drawing, shown as a notebook shows it: a style sheet that fits images to the column
    html = draw_graph(loss, groups=nn.neuron_groups(loss))._repr_mimebundle_()["text/html"]
    page = tmp_path / "static.html"
    page.write_text(f"<style>svg, img {{ max-width: 100%; height: auto; }}</style>{html}", encoding="utf-8")
    static = chromium.open(page, width=900)
    assert scale_of_picture(static) == pytest.approx(1.0, rel=1e-3)
    sizes = static.page.eval_on_selector_all(
        "text", "texts => texts.map(t => Number(t.getAttribute('font-size')))"
    )
    assert min(sizes) >= 11.0
    static.check_clean()


def test_a_small_drawing_fits_a_notebook_column(chromium: Browser, tmp_path: Path) -> None:
    x = Value(0.5, label="x")
    y = (x + 1).tanh()  # left to right, its picture would be 900 px wide: top to bottom, 580
    y.backward()
    html = draw_graph(y)._repr_mimebundle_()["text/html"]
    page = tmp_path / "column.html"
    page.write_text(f"<body style='margin:0'><div style='width:{NOTEBOOK_COLUMN_PX}px'>{html}</div>", "utf-8")
    column = chromium.open(page, width=1400, height=900)
    shown, room = column.page.eval_on_selector(
        "div[style*=overflow]", "scroller => [scroller.scrollWidth, scroller.clientWidth]"
    )
    assert room == NOTEBOOK_COLUMN_PX == 860
    assert shown <= room  # all of it in view: no sideways scrolling
    column.check_clean()


def nn_loss() -> tuple[Value, list[Value], nn.MLP]:
    model = nn.MLP(3, [4, 4, 1], activation="tanh", seed=0)
    inputs = [Value(v, label=f"x{i}") for i, v in enumerate([0.5, -1.0, 2.0], 1)]
    loss = (model(inputs)[0] - 1.0) ** 2
    loss.label = "loss"
    return loss, inputs, model


def test_a_network_with_neuron_boxes_steps_to_the_engine_gradients(chromium: Browser, tmp_path: Path) -> None:
    loss, inputs, _ = nn_loss()
    groups = nn.neuron_groups(loss, pre_activations=True)
    steps = step_through(loss, groups=groups, inputs=inputs)
    tab = open_page(chromium, steps, tmp_path)
    tab.page.focus(".cr-steps")
    tab.page.keyboard.press("End")
    expected = engine_grads(loss)
    shown = grads_only(displayed(tab))
    assert shown and all(texts == expected[key] * len(texts) for key, texts in shown.items())
    nodes = topological_order(loss)
    z = groups[0].members[0]  # the first neuron's weighted sum: its box shows dL/dz
    assert shown[(nodes.index(z), "grad")] == expected[(nodes.index(z), "grad")]
    for k in range(steps.frame_count - 1, steps.frame_count - 12, -1):  # steps inside boxes, too
        tab.page.keyboard.press("ArrowLeft")
        assert displayed(tab) == shown_numbers(steps.frame(k - 1).svg)
    tab.check_clean()


def test_text_of_the_graph_shows_as_written(chromium: Browser, tmp_path: Path) -> None:
    x = Value(2.0, label="</script><b>x</b> & $script")
    steps = step_through(autograd.exp(x))
    tab = open_page(chromium, steps, tmp_path)
    texts = tab.page.eval_on_selector_all("svg text", "texts => texts.map(t => t.textContent)")
    assert "</script><b>x</b> & $script" in texts
    tab.page.focus(".cr-steps")
    tab.page.keyboard.press("ArrowRight")
    assert tab.page.inner_text(".cr-title").startswith("forward step 1 of 2: </script><b>x</b> & $script = 2")
    tab.check_clean()


# Every shown number lies inside the box it belongs to (a record, or a group's box).
_SPILLS = """
() => Array.from(document.querySelectorAll("text[data-node]")).filter((text) => {
  const box = text.closest("g.node").querySelector("polygon").getBBox();
  const own = text.getBBox();
  return own.x < box.x - 1 || own.x + own.width > box.x + box.width + 1;
}).map((text) => text.textContent)
"""


def test_one_layout_fits_the_widest_number_of_every_frame(chromium: Browser, tmp_path: Path) -> None:
    x = Value(2.0, label="x")
    y = x * -0.123456 + x * 1.123456  # x.grad is -0.1235 (or 1.123) for a step, then 1
    steps = step_through(y)
    tab = open_page(chromium, steps, tmp_path)
    assert "-0.1235" in steps.update_lines(3)[0] or "-0.1235" in steps.update_lines(2)[0]
    boxes = tab.page.evaluate(
        "() => Array.from(document.querySelectorAll('g.node polygon'), p => p.getAttribute('points'))"
    )
    for _ in range(steps.frame_count):  # the standalone page has the keyboard from the start
        assert tab.page.evaluate(_SPILLS) == []
        tab.page.keyboard.press("ArrowRight")
    assert frame_number(tab) == steps.frame_count - 1
    after = tab.page.evaluate(
        "() => Array.from(document.querySelectorAll('g.node polygon'), p => p.getAttribute('points'))"
    )
    assert after == boxes  # nothing moved
    tab.check_clean()
