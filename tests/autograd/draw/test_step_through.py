"""Tests of the step-through page on the Python side: its frames, its numbers, its HTML (no browser)."""

from __future__ import annotations

import re

import pytest
from draw_helpers import (
    edge_labels,
    mlp_loss,
    needs_renderer,
    neuron,
    reused,
    shown_numbers,
    svg_texts,
    unlabelled_neuron,
)

import autograd
import autograd.graph
import nn
from autograd import Value, gradients, topological_order
from autograd.draw.replay import replay_backward

pytest.importorskip("graphviz")
from autograd.draw import (
    GraphTooLargeError,
    Group,
    RendererNotFoundError,
    StepThrough,
    draw_graph,
    step_through,
)

pytestmark = needs_renderer


def test_the_last_frame_shows_what_gradients_gives_formatted_as_the_static_drawing() -> None:
    y, a, x = reused()
    steps = step_through(y)
    y_nodes = topological_order(y)
    expected = gradients(y, y_nodes)
    last = shown_numbers(steps.frame(-1).svg)
    for i, grad in enumerate(expected):
        assert last[(i, "grad")] == [format(grad, ".4g")]
        assert last[(i, "data")] == [format(y_nodes[i].data, ".4g")]
    y.backward()  # the static drawing of the same gradients writes the same texts
    static = dict(re.findall(r'\tv(\d+) \[label="\{ .*?grad (\S+) \}', draw_graph(y, rankdir="LR").source))
    assert {int(i): grad for i, grad in static.items()} == {
        i: last[(i, "grad")][0] for i in range(len(y_nodes))
    }


def test_the_replay_neither_reads_nor_writes_grad_and_starts_from_zero() -> None:
    y, a, x = reused()
    a.grad, x.grad = 100.0, -7.0  # left over from some earlier pass
    y.grad = 3.0
    steps = step_through(y)
    assert (a.grad, x.grad, y.grad) == (100.0, -7.0, 3.0)
    fresh = step_through(reused()[0])
    assert steps.frame_titles == fresh.frame_titles
    assert shown_numbers(steps.frame(-1).svg) == shown_numbers(fresh.frame(-1).svg)
    first_backward = steps.frame_titles.index(next(t for t in steps.frame_titles if "backward step 0" in t))
    seeded = shown_numbers(steps.frame(first_backward).svg)
    root = len(topological_order(y)) - 1
    assert {texts[0] for (i, field), texts in seeded.items() if field == "grad" and i != root} == {"?"}
    assert seeded[(root, "grad")] == ["1"]


def test_the_numbers_come_from_the_engine_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    driver = autograd.graph.backpropagate

    def spy(order, on_edge=None):  # type: ignore[no-untyped-def]
        if on_edge is not None:  # (the watched pass hands the driver one edge at a time, unwatched)
            calls.append(len(order))
        return driver(order, on_edge)

    monkeypatch.setattr(autograd.graph, "backpropagate", spy)
    y, _, _ = reused()
    step_through(y)
    assert calls == [len(topological_order(y))]  # one watched run of the driver over the whole graph


def test_frames_run_forward_node_by_node_then_backward_step_by_step() -> None:
    y, a, x = reused()  # y = tanh((a * a + x) * x): a is first needed by a * a, x by the sum
    steps = step_through(y)
    n, m = len(topological_order(y)), autograd.draw.backward_step_count(y)
    assert steps.frame_count == (n + 1) + (m + 1)  # each leaf is needed at a depth of its own
    titles = steps.frame_titles
    assert titles[:7] == [
        "forward pass, 6 values to compute: nothing computed yet",
        "forward step 1 of 6: a = 3 (a leaf: given, not computed)",
        "forward step 2 of 6: v1 = a * a = 9",
        "forward step 3 of 6: x = -0.5 (a leaf: given, not computed)",
        "forward step 4 of 6: v2 = v1 + x = 8.5",
        "forward step 5 of 6: v3 = v2 * x = -4.25",
        f"forward step 6 of 6: y = tanh(v3) = {y.data:.4g}",
    ]
    assert titles[n + 1] == "backward step 0 of 4: y.grad = 1, the seed (d y / d y)"
    assert titles[n + 2] == (
        "backward step 1 of 4: y = tanh(v3) passes its grad 1 back to each input, times the local "
        "derivative on its edge"
    )
    # the forward pass fills in values parents first; no grad is known before the backward pass
    nodes = topological_order(y)
    order = [nodes.index(node) for node in (a, nodes[1], x, nodes[3], nodes[4], y)]
    for k in range(n + 1):
        numbers = shown_numbers(steps.frame(k).svg)
        assert [numbers[(i, "data")][0] != "?" for i in order] == [j < k for j in range(n)]
        assert {numbers[(i, "grad")][0] for i in range(n)} == {"?"}
    # backward, a gradient is unknown until the first contribution arrives
    seeded = shown_numbers(steps.frame(n + 1).svg)
    assert [seeded[(i, "grad")][0] for i in range(n)] == ["?"] * (n - 1) + ["1"]


def test_a_network_forward_pass_goes_layer_by_layer_with_a_frame_per_layer_of_weights() -> None:
    model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    inputs = [Value(0.5, label="x1"), Value(-1.0, label="x2")]
    loss = (model(inputs)[0] - 1.0) ** 2
    loss.label = "loss"
    titles = step_through(loss, groups=nn.neuron_groups(loss), inputs=inputs).frame_titles
    forward = [title.split(": ", 1)[1] for title in titles if title.startswith("forward step")]
    assert forward[0] == (
        "given (leaves, not computed): x1, x2 and the parameters inside layer 1, neuron 1, "
        "layer 1, neuron 2 and layer 1, neuron 3"
    )
    computed = [title.split(" = ")[0] for title in forward[1:]]
    assert computed == [
        "layer 1, neuron 1: linear",
        "layer 1, neuron 1",
        "layer 1, neuron 2: linear",
        "layer 1, neuron 2",
        "layer 1, neuron 3: linear",
        "layer 1, neuron 3",
        "given (leaves, not computed): the parameters inside layer 2, neuron 1",
        "layer 2, neuron 1",  # the output layer: a weighted sum, no activation
        "v1",
        "loss",
    ]
    lines = step_through(loss, groups=nn.neuron_groups(loss)).update_lines(len(titles) - len(forward) - 2)
    assert lines[0].startswith("layer 1, neuron 3: w0.grad: 0 + 0.5 × ")  # the parameter, by its box


def test_a_lone_leaf_has_its_value_and_the_seed() -> None:
    steps = step_through(Value(2.0, label="x"))
    assert steps.frame_titles == [
        "forward pass, 1 value to compute: nothing computed yet",
        "forward step 1 of 1: x = 2 (a leaf: given, not computed)",
        "backward step 0 of 0: x.grad = 1, the seed (d x / d x)",
    ]
    assert shown_numbers(steps.frame(-1).svg) == {(0, "data"): ["2"], (0, "grad"): ["1"]}


def test_a_reused_node_receives_one_line_per_edge() -> None:
    a = Value(3.0, label="a")
    b = a + a
    steps = step_through(b)
    assert steps.update_lines(1) == ["a.grad: 0 + 1 × 1 = 1", "a.grad: 1 + 1 × 1 = 2"]
    y, _, x = reused()
    lines = step_through(y)
    text = [line for s in range(1, 5) for line in lines.update_lines(s)]
    assert [line for line in text if line.startswith("x.grad")] == [
        f"x.grad: 0 + {format((3.0 * 3.0 - 0.5), '.4g')} × {format(1 - y.data**2, '.4g')} = "
        f"{format((3.0 * 3.0 - 0.5) * (1 - y.data**2), '.4g')}",
        f"x.grad: {format(8.5 * (1 - y.data**2), '.4g')} + 1 × {format(-0.5 * (1 - y.data**2), '.4g')} = "
        f"{format(gradients(y, [x])[0], '.4g')}",
    ]
    assert sum(line.startswith("a.grad") for line in text) == 2  # a * a: two edges from a


def test_flat_zeros_and_reciprocals_show_as_their_floats_and_the_driver_does_the_arithmetic() -> None:
    x = Value(-1.0, label="x")
    blocked = (x.relu() * 1e308) * 1e308  # relu is flat below 0: its edge passes 0 even from inf
    lines = step_through(blocked).update_lines(3)
    assert lines == ["x.grad: 0 + 0 × inf = 0"]
    tiny = Value(1e-310, label="t")
    y = tiny.log()
    (line,) = step_through(y).update_lines(1)
    assert line == f"t.grad: 0 + inf × 1 = {format(gradients(y, [tiny])[0], '.4g')}"  # 1/t, not inf * 1


def test_a_grouped_neuron_steps_and_shows_its_pre_activation_gradient() -> None:
    loss, inputs, _ = mlp_loss()
    groups = nn.neuron_groups(loss, pre_activations=True)
    steps = step_through(loss, groups=groups, inputs=inputs, max_nodes=None)
    nodes = topological_order(loss)
    position = {node: i for i, node in enumerate(nodes)}
    expected = gradients(loss, nodes)
    last = shown_numbers(steps.frame(-1).svg)
    for group in groups:
        for _, member in group.shown or ():
            assert last[(position[member], "grad")][0] == format(expected[position[member]], ".4g")
    # a static drawing with the same groups shows dL/dz too
    loss.backward()
    z = groups[0].members[0]
    assert f"{{ z | data {z.data:.4g} | grad {z.grad:.4g} }}" in draw_graph(loss, groups=groups).source


def test_the_page_is_self_contained() -> None:
    y, _, _ = reused()
    html = step_through(y).html
    assert "<script" in html and "<svg" in html and "<style>" in html
    addresses = re.findall(r"(?:src|href)\s*=\s*[\"']?([^\"' >]+)", html)
    assert addresses == []  # nothing to load: no scripts, styles, fonts or images from elsewhere
    assert "http" not in html.replace("http://www.w3.org/", "")  # only XML namespace names


def test_text_of_the_graph_cannot_break_the_page() -> None:
    x = Value(2.0, label="</script><b>$script ${data}")
    steps = step_through(x.exp())
    html = steps.html
    assert html.count("</script>") == 2  # the data block and the script, nothing in between
    assert "$script" in html  # written as it is, not filled in


def test_save_writes_one_page(tmp_path) -> None:  # type: ignore[no-untyped-def]
    steps = step_through(neuron()[0])
    written = steps.save(tmp_path / "neuron.html")
    assert written == tmp_path / "neuron.html"
    page = written.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert isinstance(steps, StepThrough) and page.count('class="cr-steps"') == 1
    assert steps.frame(-1).svg in page  # the last frame, shown until the script runs
    bundle = steps._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/svg+xml"}
    assert bundle["image/svg+xml"] == steps.frame(-1).svg


def test_the_size_limit_and_a_missing_renderer_give_the_static_drawing_errors(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    loss, _, _ = mlp_loss()
    with pytest.raises(GraphTooLargeError, match=r"step_through: .*more than max_nodes=60.*neuron_groups"):
        step_through(loss, max_nodes=60)
    step_through(loss, groups=nn.neuron_groups(loss), max_nodes=60)  # grouped, it fits
    monkeypatch.setenv("CHAINRULE_DOT", "/nonexistent/dot")
    with pytest.raises(RendererNotFoundError, match="graphviz-pure"):
        step_through(Value(1.0).exp())


@pytest.mark.parametrize("root", [1.5, None, [Value(1.0)]])
def test_step_through_needs_a_value(root: object) -> None:
    with pytest.raises(TypeError, match=r"step_through: root must be a Value"):
        step_through(root)  # type: ignore[arg-type]


def test_bad_options_and_frames_are_named() -> None:
    x = Value(1.0, label="x").exp()
    with pytest.raises(ValueError, match=r"step_through\(rankdir=...\)"):
        step_through(x, rankdir="up")
    with pytest.raises(ValueError, match=r"step_through\(max_nodes=...\)"):
        step_through(x, max_nodes=0)
    steps = step_through(x)
    with pytest.raises(IndexError, match="frames 0 to 4"):
        steps.frame(5)
    with pytest.raises(IndexError, match="steps run 1 to 1"):
        steps.update_lines(0)


def test_jupyter_shows_the_page_and_falls_back_to_the_last_frame() -> None:
    formatter = pytest.importorskip("IPython.core.formatters").DisplayFormatter()  # what Jupyter asks
    steps = step_through(reused()[0])
    shown, _ = formatter.format(steps)
    assert '<div class="cr-steps"' in shown["text/html"] and "<script>" in shown["text/html"]
    assert shown["image/svg+xml"] == steps.frame(-1).svg
    drawing, _ = formatter.format(draw_graph(reused()[0]))
    assert drawing["text/html"].startswith('<div style="overflow:auto') and "<svg" in drawing["image/svg+xml"]


def test_every_name_the_text_uses_is_drawn_and_draw_graph_uses_the_same() -> None:
    o, inputs, parameters = unlabelled_neuron()
    steps = step_through(o, inputs=inputs, parameters=parameters)
    drawn = set(svg_texts(steps.frame(-1).svg))
    names = ["w1", "x1", "v1", "w2", "x2", "v2", "v3", "b", "v4", "v5"]  # the order they are computed in
    assert set(names) <= drawn
    assert steps.frame_titles[-1].startswith("backward step 5 of 5: v2 = w2 * x2 passes its grad 0.5")
    assert steps.update_lines(1) == [f"v4.grad: 0 + {1 - o.data**2:.4g} × 1 = {1 - o.data**2:.4g}"]
    o.backward()
    source = draw_graph(o).source
    assert "v4 | data 0.8814 | grad 0.5" in source and "v5 | data 0.7071 | grad 1" in source
    # every word of every title and line that names a value is drawn in the picture
    for title in steps.frame_titles:
        for name in re.findall(r"\bv\d+\b", title):
            assert name in drawn, title


def test_a_grouped_drawing_names_parameters_by_their_box() -> None:
    model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    loss = (model([Value(0.5, label="x1"), Value(-1.0, label="x2")])[0] - 1.0) ** 2
    loss.label = "loss"
    steps = step_through(loss, groups=nn.neuron_groups(loss))
    drawn = set(svg_texts(steps.frame(-1).svg))
    last = steps.update_lines(
        steps.frame_count
        - steps.frame_titles.index(next(t for t in steps.frame_titles if t.startswith("backward step 0")))
        - 1
    )
    assert [line.split(".grad")[0] for line in last] == [
        "layer 1, neuron 3: w0",
        "layer 1, neuron 3: w1",
        "x1",
        "x2",
        "layer 1, neuron 3: b",
    ]
    for line in (line for s in range(1, 10) for line in steps.update_lines(s)):
        name = line.split(".grad")[0]
        assert name in drawn or name.split(": ")[0] in drawn, line  # the box's name is drawn
    # nn's own labels are unchanged
    assert [p.label for p in model.layers[0].neurons[1].parameters()] == ["w0", "w1", "b"]


def test_repr_and_options_as_draw_graph_has_them() -> None:
    x = Value(2.0, label="x")
    y = (x * x).tanh()
    y.label = "y"
    steps = step_through(y, local_grads=True, title="one neuron", rankdir="TB", number_format=".3g")
    assert repr(steps) == "StepThrough: 7 frames of 'y', 3 values"
    assert "one neuron" in svg_texts(steps.frame(0).svg)
    # local_grads: every computed edge shows its local derivative, forward and backward
    assert edge_labels(steps.frame(2).svg) == {"e1_0": "2", "e1_1": "2"}
    assert edge_labels(steps.frame(-1).svg) == {"e1_0": "2", "e1_1": "2", "e2_0": f"{1 - y.data**2:.3g}"}
    with pytest.raises(TypeError, match=r"step_through\(backward_step=...\).*draw_graph\(root, backward"):
        step_through(y, backward_step=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"step_through\(title=...\)"):
        step_through(y, title=3)  # type: ignore[arg-type]


def test_edges_show_the_recorded_local_derivatives_of_the_step_using_them() -> None:
    y, a, x = reused()  # a * a: two edges from a, each with its own contribution
    steps = step_through(y)
    replay = replay_backward(y)
    first = steps.frame_titles.index(next(t for t in steps.frame_titles if t.startswith("backward step 0")))
    assert edge_labels(steps.frame(first).svg) == {}  # the seed uses no edge
    for s, step in enumerate(replay.steps, 1):
        node = replay.nodes[step.node]
        locals_ = enumerate(node.local_grads)
        expected = {f"e{step.node}_{k}": format(float(local), ".4g") for k, local in locals_}
        assert edge_labels(steps.frame(first + s).svg) == expected
        assert [format(u.local, ".4g") for u in step.updates] == list(expected.values())
    assert len([e for e in edge_labels(steps.frame(-1).svg)]) == 2  # a * a: both of a's edges


@pytest.mark.parametrize("text", ["&#1;", "a &amp; b", "&#xD800;"])
def test_character_references_in_labels_step_through_as_written(text: str) -> None:
    x = Value(2.0, label=text)
    y = (x * x).tanh()
    y.label = "y"
    steps = step_through(y)  # was a ParseError: Graphviz decoded "&#1;" into invalid XML
    svg = steps.frame(1).svg
    assert f">{text.replace('&', '&amp;')}</text>" in svg
    assert "&#1;" not in svg.replace("&amp;#1;", "")


def test_a_caption_that_starts_like_a_number_stays_a_caption() -> None:
    x = Value(2.0, label="x")
    z = x * x
    y = z.tanh()
    groups = [Group("n", [z, y], shown={"z": z, "grad out": y}), Group("data in", [x])]
    steps = step_through(y, groups=groups)  # was a RuntimeError: "shows 'grad 0.001341' where its data goes"
    first, last = steps.frame(0).svg, steps.frame(-1).svg
    assert ">grad out</text>" in first and ">grad out</text>" in last and ">data in</text>" in last
    assert shown_numbers(last)[(2, "grad")] == ["1"] and shown_numbers(first)[(2, "grad")] == ["?"]
    assert shown_numbers(last)[(1, "data")] == ["4"] and shown_numbers(last)[(0, "grad")] == ["0.005364"]
    draw_graph(y, groups=groups).pipe(format="svg")


def test_a_label_that_reads_exactly_like_its_number_is_refused_clearly() -> None:
    x = Value(20.0, label="data 20")
    y = x * 2.0
    with pytest.raises(ValueError, match=r"the value 'data 20' has a caption or label that reads 'data 20'"):
        step_through(y)


@pytest.mark.parametrize("number_format", [lambda v: f"{v:.2f}\n!", "\n>12"])
def test_a_number_format_with_a_line_break_is_refused_by_both_drawings(number_format: object) -> None:
    y = Value(2.0, label="x").tanh()
    for draw in (draw_graph, step_through):
        with pytest.raises(ValueError, match=r"number_format=.*has a line break; a number is drawn on one"):
            draw(y, number_format=number_format)  # type: ignore[operator]


def test_a_colour_that_is_not_a_string_is_refused_by_role() -> None:
    y = Value(2.0, label="x").tanh()
    for draw in (step_through, draw_graph):  # was an AttributeError deep inside
        with pytest.raises(TypeError, match=r"colors=...\): the colour of 'current' is int 5; expected"):
            draw(y, colors={"current": 5})  # type: ignore[dict-item]
        with pytest.raises(TypeError, match=r"the colour of 'input' is NoneType None"):
            draw(y, colors={"input": None})  # type: ignore[dict-item]


def test_frames_and_steps_take_numpy_integers() -> None:
    np = pytest.importorskip("numpy")
    y, _, _ = reused()
    steps = step_through(y)
    assert steps.frame(np.int64(2)).svg == steps.frame(2).svg  # was an IndexError
    assert steps.frame(np.int32(-1)).title == steps.frame_titles[-1]
    assert steps.update_lines(np.int64(1)) == steps.update_lines(1)
    for bad in (True, 2.0, "2"):
        with pytest.raises(IndexError, match="StepThrough.frame: got"):
            steps.frame(bad)  # type: ignore[arg-type]


def test_a_big_graph_writes_a_steps_derivatives_beside_its_edges() -> None:
    # Graphviz lays out small graphs with room for a label on every edge; a big one is laid out
    # without (three times as fast) and the page writes a step's derivatives beside its edges
    x = Value(0.3, label="x")
    y = x
    for _ in range(30):  # 151 drawn nodes: 61 values, 60 operations, 30 constants
        y = (y * 0.9).tanh()
    steps = step_through(y)
    beside = re.findall(r'<text [^>]*class="cr-beside"[^>]*data-edge="(e\d+_0)"', steps.frame(0).svg)
    assert len(beside) == 60  # every edge of the 60 operations
    replay = replay_backward(y)
    last = edge_labels(steps.frame(-1).svg)
    (update,) = replay.steps[-1].updates
    assert last == {f"e{replay.steps[-1].node}_0": format(update.local, ".4g")}
    small = step_through(reused()[0]).frame(0).svg
    assert 'class="cr-beside"' not in small and small.count("data-edge=") == 7  # laid out by Graphviz
