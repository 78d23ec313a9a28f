"""How the neurons of a network show in a drawing: one box each, through ``neuron_groups``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from autograd import Value, topological_order
from nn.layers import ACTIVATIONS

if TYPE_CHECKING:
    from autograd.draw import Group

_ACTIVATION_OPS = frozenset(name for name, activate in ACTIVATIONS.items() if activate is not None)
"""The op labels of a neuron's activations (each activation's node carries its name)."""


def _argument_order(output: Value) -> dict[Value, int]:
    """Each node's place when the graph is walked parents first, each node's parents in argument
    order: a layer's neurons come in the order the next layer takes them, its index order."""
    place: dict[Value, int] = {}
    stack: list[tuple[Value, int]] = [(output, 0)]
    while stack:
        node, next_parent = stack.pop()
        parents = node.parents
        while next_parent < len(parents) and parents[next_parent] in place:
            next_parent += 1
        if next_parent == len(parents):
            place.setdefault(node, len(place))
            continue
        stack.append((node, next_parent + 1))
        stack.append((parents[next_parent], 0))
    return place


def _parameters(node: Value) -> tuple[Value, ...] | None:
    """A neuron's weights and bias if ``node`` is a neuron's weighted sum, else None.

    A neuron is a ``linear`` node whose weights (and bias) are leaves that are not also its inputs:
    that rules out a loss's ``dot`` (``mse`` takes ``dot(errors, errors)``: computed weights) and a
    regulariser's ``dot(parameters, parameters)``.
    """
    if node.op != "linear":
        return None
    # linear's parents are the weights, then the inputs, then the bias (when there is one)
    n = len(node.parents) // 2
    parameters = (*node.parents[:n], *node.parents[2 * n :])
    inputs = set(node.parents[n : 2 * n])
    if any(p.parents or p in inputs for p in parameters):
        return None
    return parameters


def _layers(nodes: list[Value], neurons: dict[Value, tuple[Value, ...]]) -> dict[Value, int]:
    """How many neurons lie on the longest path into each node, itself included."""
    depth: dict[Value, int] = {}
    for node in nodes:
        below = max((depth[parent] for parent in node.parents), default=0)
        depth[node] = below + (node in neurons)
    return depth


def neuron_groups(output: Value, *, pre_activations: bool = False) -> list[Group]:
    """One drawing group per neuron in ``output``'s graph: its ``linear`` node with the activation on it.

    A neuron computes ``activation(linear(w, x, b))`` with weights and bias that are leaves (a
    loss's ``dot`` of computed errors is no neuron); its group holds the ``linear`` node and the
    activation that alone uses it, with the weights and bias as the group's parameters (so a
    drawing hides them inside the box). Groups come layer by layer (a layer: how many neurons lie
    on the longest path before it) and, within a layer, in the order the next layer takes them,
    each named ``"layer l, neuron k"`` (or by the activation's label). Applied to several examples, one neuron
    makes one group per example, all with its name. ``pre_activations=True``: a box shows its
    weighted sum ``z`` (and so dL/dz, the delta of backpropagation) as well as its output.

    >>> import nn
    >>> model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    >>> groups = neuron_groups(model([1.0, 2.0])[0])
    >>> [(group.name, group.description, len(group.parameters)) for group in groups][-2:]
    [('layer 1, neuron 3', 'tanh(w.x + b)', 3), ('layer 2, neuron 1', 'w.x + b', 4)]
    """
    if not isinstance(output, Value):
        raise TypeError(f"neuron_groups: expected the Value a network computed, got {type(output).__name__}")
    nodes = topological_order(output)
    users: dict[Value, list[Value]] = {node: [] for node in nodes}
    for node in nodes:
        for parent in node.parents:
            users[parent].append(node)
    parameters_of = {node: parameters for node in nodes if (parameters := _parameters(node)) is not None}
    layer_of, place = _layers(nodes, parameters_of), _argument_order(output)
    neurons = []
    for node, parameters in parameters_of.items():
        activation = users[node][0] if len(users[node]) == 1 else None  # its one user, if its activation
        if activation is None or activation.op not in _ACTIVATION_OPS or len(activation.parents) != 1:
            activation = None
        neurons.append((layer_of[node], place[node], node, activation, parameters))
    neurons.sort(key=lambda neuron: neuron[:2])
    names: dict[tuple[int, ...], str] = {}  # a neuron's weights and bias (by identity) -> its name
    counts: dict[int, int] = {}
    groups = []
    for layer, _, node, activation, parameters in neurons:
        key = tuple(map(id, parameters))
        if key not in names:
            counts[layer] = counts.get(layer, 0) + 1
            names[key] = f"layer {layer}, neuron {counts[layer]}"
        groups.append(_group(node, activation, parameters, names[key], pre_activations))
    return groups


def _group(
    node: Value, activation: Value | None, parameters: tuple[Value, ...], name: str, pre_activations: bool
) -> Group:
    """The group of one neuron applied once: its weighted sum ``node`` and its ``activation``."""
    from autograd.draw import Group  # drawing imports graphviz; import nn does not

    weighted_sum = "w.x + b" if len(node.parents) % 2 else "w.x"
    leaves = [p for p in parameters if not p.parents]
    if activation is None:
        return Group(node.label or name, [node], description=weighted_sum, parameters=leaves)
    shown = {"z": node, "out": activation} if pre_activations else None
    return Group(
        activation.label or name,
        [node, activation],
        description=f"{activation.op}({weighted_sum})",
        parameters=leaves,
        shown=shown,
    )
