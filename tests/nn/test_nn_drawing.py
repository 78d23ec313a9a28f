"""Tests of nn.neuron_groups: what nn calls a neuron, handed to the drawing as groups."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import autograd
import nn
from autograd import Value
from autograd.draw.groups import Group


def test_one_group_per_neuron_with_its_weights_and_bias_inside() -> None:
    model = nn.MLP(2, [3, 2, 1], activation="relu", output_activation="sigmoid", seed=0)
    out = model([0.5, -1.0])[0]
    groups = nn.neuron_groups(out)
    neurons = [neuron for layer in model.layers for neuron in layer.neurons]
    assert all(isinstance(group, Group) for group in groups)
    assert [group.name for group in groups] == [
        "layer 1, neuron 1", "layer 1, neuron 2", "layer 1, neuron 3",
        "layer 2, neuron 1", "layer 2, neuron 2", "layer 3, neuron 1",
    ]  # fmt: skip
    assert [group.description for group in groups] == ["relu(w.x + b)"] * 5 + ["sigmoid(w.x + b)"]
    # layer by layer, and in the model's (index) order within each layer
    owners = [next(n for n in neurons if n.parameters() == list(group.parameters)) for group in groups]
    assert [id(owner) for owner in owners] == [id(neuron) for neuron in neurons]
    for group, neuron in zip(groups, owners):
        linear, activation = group.members
        assert linear.op == "linear" and activation.op == neuron.activation
        assert activation.parents == (linear,)
    assert groups[-1].members[-1] is out


def test_a_neuron_applied_to_several_examples_keeps_its_name() -> None:
    model = nn.MLP(2, [2, 1], activation="tanh", seed=1)
    losses = [(model(x)[0] - t) ** 2 for x, t in [([1.0, 2.0], 1.0), ([0.0, -1.0], -1.0)]]
    loss = autograd.sum(losses)
    groups = nn.neuron_groups(loss)
    assert len(groups) == 6  # 3 neurons x 2 examples
    assert [group.name for group in groups] == ["layer 1, neuron 1", "layer 1, neuron 2"] * 2 + [
        "layer 2, neuron 1"
    ] * 2
    assert groups[-1].description == "w.x + b"  # the linear output neuron: no activation node


def test_neurons_come_in_index_order_whatever_order_the_graph_was_built_in() -> None:
    model = nn.MLP(2, [4, 3], activation="tanh", seed=2)
    outputs = model([0.5, -0.5])
    loss = autograd.sum([outputs[2], outputs[0] * 2.0, outputs[1]])  # the outputs used out of order
    groups = nn.neuron_groups(loss)
    hidden = [neuron.parameters() for neuron in model.layers[0].neurons]
    assert [list(group.parameters) for group in groups[:4]] == hidden
    assert [group.name for group in groups[:4]] == [f"layer 1, neuron {k}" for k in range(1, 5)]
    # the last layer in the order the loss takes its outputs
    assert [group.members[-1] for group in groups[4:]] == [outputs[2], outputs[0], outputs[1]]


def test_a_neuron_box_can_show_its_pre_activation() -> None:
    model = nn.MLP(2, [2, 1], activation="tanh", seed=3)
    out = model([1.0, 2.0])[0]
    loss = (out - 1.0) ** 2
    groups = nn.neuron_groups(loss, pre_activations=True)
    linear, activation = groups[0].members
    assert groups[0].shown == (("z", linear), ("out", activation))
    assert groups[-1].shown is None  # the linear output neuron has no pre-activation apart from its output
    assert all(group.shown is None for group in nn.neuron_groups(loss))


def test_a_labelled_neuron_output_names_its_group() -> None:
    neuron = nn.Neuron(2, activation="tanh", seed=0)
    out = neuron([1.0, 2.0])
    out.label = "h"
    (group,) = nn.neuron_groups(out * 2.0)
    assert group.name == "h" and group.description == "tanh(w.x + b)"


def test_an_activation_is_grouped_only_when_it_alone_uses_the_weighted_sum() -> None:
    weights, inputs = [Value(0.5), Value(-1.0)], [Value(1.0), Value(2.0)]
    z = autograd.linear(weights, inputs)
    (alone,) = nn.neuron_groups(z.tanh())
    assert len(alone.members) == 2 and alone.description == "tanh(w.x)"
    (shared,) = nn.neuron_groups(z.tanh() + z)
    assert shared.members == (z,) and shared.description == "w.x"
    (other,) = nn.neuron_groups(z.exp())  # not an nn activation
    assert other.members == (z,)
    assert nn.neuron_groups(Value(1.0) * 2.0) == []


def test_every_activation_node_is_named_after_its_activation() -> None:
    # neuron_groups recognises an activation by its node's op, which must be its name in nn
    for name, activate in nn.ACTIVATIONS.items():
        if activate is not None:
            assert activate(Value(0.3)).op == name


def test_the_groups_draw_each_neuron_as_one_box() -> None:
    pytest.importorskip("graphviz")
    from autograd.draw import draw_graph

    model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    inputs = [Value(1.0, label="x1"), Value(2.0, label="x2")]
    loss = (model(inputs)[0] - 1.0) ** 2
    source = draw_graph(loss, groups=nn.neuron_groups(loss), inputs=inputs).source
    assert len(re.findall(r"^\tg\d+ \[", source, re.M)) == 4
    assert "label=linear" not in source and "label=tanh" not in source  # no oval: inside the boxes
    assert "3 parameters" in source and "4 parameters" in source  # the weights are inside the boxes


def test_neuron_groups_needs_a_value() -> None:
    with pytest.raises(TypeError, match="neuron_groups: expected the Value a network computed, got list"):
        nn.neuron_groups([Value(1.0)])  # type: ignore[arg-type]


def test_import_nn_does_not_import_graphviz() -> None:
    program = "import sys, nn; nn.neuron_groups(nn.Neuron(2)([1.0, 2.0])); print('graphviz' in sys.modules)"
    repository = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=repository, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr


def test_only_the_models_neurons_are_grouped_not_a_losss_dot() -> None:
    # mse is dot(errors, errors) * (1/n): a linear node whose weights are computed, no neuron
    model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    loss = nn.mse(model([1.0, 2.0]), [0.5])
    groups = nn.neuron_groups(loss)
    assert [group.name for group in groups] == [
        "layer 1, neuron 1", "layer 1, neuron 2", "layer 1, neuron 3", "layer 2, neuron 1",
    ]  # fmt: skip
    # nor a regulariser's dot(parameters, parameters), whose weights are leaves but also its inputs
    regularised = loss + 1e-4 * nn.l2(model.parameters())
    assert [group.name for group in nn.neuron_groups(regularised)] == [group.name for group in groups]


def test_a_dot_of_computed_values_inside_the_network_is_no_layer() -> None:
    weights, inputs = [Value(0.5), Value(-1.0)], [Value(1.0), Value(2.0)]
    scaled = autograd.dot([x * 2.0 for x in inputs], inputs)  # computed weights: no neuron
    out = autograd.linear(weights, [scaled, inputs[0]], Value(0.1)).tanh()
    (group,) = nn.neuron_groups(out)
    assert group.name == "layer 1, neuron 1" and group.members[-1] is out
