"""The DOT text of a few representative drawings, pinned byte for byte.

Each case below draws one graph; its DOT text must equal ``draw_pinned/<case>.gv``, so a
refactoring that changes a single byte of the output fails here. A change that is meant rewrites
the files in the same commit and says what it changed (the last: a colour key in the caption, the
direction chosen by the graph's shape, arguments kept in order, the values a backward step updates
outlined, no text under 11 points, neurons named and ordered by layer and index; then: every value
without a label named in its box, v1, v2, ... in the order the forward pass computes them, a
gradient not arrived yet drawn as ?, and a backward step's edges labelled with their local
derivatives, pointing the way the gradient flows).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from draw_helpers import mlp_loss, neuron

import autograd
import nn
from autograd import Value

pytest.importorskip("graphviz")
from autograd.draw import draw_backward_steps, draw_graph

PINNED = Path(__file__).resolve().parent / "draw_pinned"


def neuron_after_backward() -> str:
    o, _, _ = neuron()
    o.backward()
    return str(draw_graph(o).source)


def neuron_roles_local_grads_top_to_bottom() -> str:
    o, inputs, parameters = neuron()
    o.backward()
    return str(draw_graph(o, parameters=parameters, inputs=inputs, local_grads=True, rankdir="TB").source)


def folded_constants() -> str:
    x = Value(1.5, label="x")
    terms = [x * 2.0 + 0.25, x + 3, x - 1, 2 * x, x / 4, 1 / x, x**2, 5 - x, -x]
    y = autograd.sum([autograd.sum([x * x]), autograd.sum([x * x, 3.0]), *terms])
    y.backward()
    return str(draw_graph(y, local_grads=True).source)


def odd_labels_repeats_and_formats() -> str:
    a = Value(3.0, label='a | {odd} <label> "quoted" \\ back')
    b = Value(4.0, label="b\nnewline")
    y = a * a + b * a
    y.label = "y"
    y.backward()
    colors = {"input": "pink", "output": "#000000"}
    return str(
        draw_graph(y, number_format=".2f", colors=colors, title='a "title" with \\ and\nline').source
        + draw_graph(y, number_format=lambda v: f"~{v:.1f}|{{}}", rankdir="BT").source
    )


def a_single_leaf() -> str:
    return str(draw_graph(Value(2.0, label="alone"), rankdir="RL").source)


def neuron_every_backward_step() -> str:
    o, inputs, parameters = neuron()
    frames = draw_backward_steps(o, local_grads=True, parameters=parameters, inputs=inputs)
    return "".join(frame.source for frame in frames)


def mlp_neurons_with_roles() -> str:
    loss, inputs, parameters = mlp_loss()
    loss.backward()
    return str(draw_graph(loss, parameters=parameters, inputs=inputs, groups=nn.neuron_groups(loss)).source)


def mlp_neurons_at_backward_steps() -> str:
    loss, inputs, _ = mlp_loss()
    steps = autograd.draw.backward_step_count(loss)
    return "".join(
        draw_graph(loss, inputs=inputs, groups=nn.neuron_groups(loss), backward_step=k, rankdir="TB").source
        for k in (0, 1, 2, 3, steps // 2, steps)
    )


def explicit_groups() -> str:
    o, inputs, parameters = neuron()
    o.backward()
    x1w1, x2w2 = o.parents[0].parents[0].parents
    n = o.parents[0]
    return str(
        draw_graph(o, groups={"weighted sum": [x1w1, x2w2]}, parameters=parameters).source
        + draw_graph(o, groups=[[x1w1, x2w2, n], [o]], inputs=inputs).source
        + draw_graph(o, groups=[[x1w1]], backward_step=4).source
    )


def nn_model_neurons() -> str:
    model = nn.MLP(3, [4, 2, 1], activation="tanh", seed=0)
    inputs = [Value(v, label=f"x{i}") for i, v in enumerate([2.0, 3.0, -1.0], 1)]
    prediction = model(inputs)
    loss = (prediction[0] - 0.5) ** 2
    loss.backward()
    relu_model = nn.MLP(2, [3, 1], activation="relu", output_activation="sigmoid", seed=1)
    out = relu_model([1.0, -2.0])[0]
    out.label = "p"
    return str(
        draw_graph(loss, groups=nn.neuron_groups(loss), inputs=inputs, number_format=".3g").source
        + draw_graph(out, groups=nn.neuron_groups(out), parameters=relu_model.parameters()).source
    )


CASES: dict[str, Callable[[], str]] = {
    case.__name__: case
    for case in (
        neuron_after_backward,
        neuron_roles_local_grads_top_to_bottom,
        folded_constants,
        odd_labels_repeats_and_formats,
        a_single_leaf,
        neuron_every_backward_step,
        mlp_neurons_with_roles,
        mlp_neurons_at_backward_steps,
        explicit_groups,
        nn_model_neurons,
    )
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_dot_text_is_pinned(name: str) -> None:
    expected = (PINNED / f"{name}.gv").read_text(encoding="utf-8")
    assert CASES[name]() == expected
