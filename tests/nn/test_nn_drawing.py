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
from autograd.draw_groups import Group


def test_one_group_per_neuron_with_its_weights_and_bias_inside() -> None:
    model = nn.MLP(2, [3, 2, 1], activation="relu", output_activation="sigmoid", seed=0)
    out = model([0.5, -1.0])[0]
    groups = nn.neuron_groups(out)
    neurons = [neuron for layer in model.layers for neuron in layer.neurons]
    assert all(isinstance(group, Group) for group in groups)
    assert [group.name for group in groups] == [f"neuron {k}" for k in range(1, 7)]
    assert [group.description for group in groups] == ["relu(w.x + b)"] * 5 + ["sigmoid(w.x + b)"]
    # numbered in the order the graph first uses them (not necessarily the model's order)
    owners = [next(n for n in neurons if n.parameters() == list(group.parameters)) for group in groups]
    assert sorted(map(id, owners)) == sorted(map(id, neurons))
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
    assert sorted(group.name for group in groups) == ["neuron 1"] * 2 + ["neuron 2"] * 2 + ["neuron 3"] * 2
    assert groups[-1].description == "w.x + b"  # the linear output neuron: no activation node


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
