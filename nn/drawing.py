"""How the neurons of a network show in a drawing: one box each, through ``neuron_groups``."""

from __future__ import annotations

from autograd import Value, topological_order
from autograd.draw_groups import Group
from nn.layers import ACTIVATIONS

_ACTIVATION_OPS = frozenset(name for name, activate in ACTIVATIONS.items() if activate is not None)
"""The op labels of a neuron's activations (each activation's node carries its name)."""


def neuron_groups(output: Value) -> list[Group]:
    """One drawing group per neuron in ``output``'s graph: its ``linear`` node with the activation on it.

    A neuron computes ``activation(linear(w, x, b))``; its group holds the ``linear`` node and the
    activation that alone uses it, with the weights and bias as the group's parameters (so a
    drawing hides them inside the box). Applied to several examples, one neuron makes several
    groups; they share its name, ``"neuron k"`` (k counting neurons in the order the graph first
    uses them) or the activation's label.

    >>> import nn
    >>> model = nn.MLP(2, [3, 1], activation="tanh", seed=0)
    >>> groups = neuron_groups(model([1.0, 2.0])[0])
    >>> [(group.name, group.description, len(group.parameters)) for group in groups][-2:]
    [('neuron 3', 'tanh(w.x + b)', 3), ('neuron 4', 'w.x + b', 4)]
    """
    if not isinstance(output, Value):
        raise TypeError(f"neuron_groups: expected the Value a network computed, got {type(output).__name__}")
    nodes = topological_order(output)
    position = {node: i for i, node in enumerate(nodes)}
    users: list[list[Value]] = [[] for _ in nodes]
    for node in nodes:
        for parent in node.parents:
            users[position[parent]].append(node)
    numbers: dict[tuple[int, ...], int] = {}  # a neuron's weights and bias (by position) -> its number
    groups = []
    for i, node in enumerate(nodes):
        if node.op != "linear":
            continue
        members, description = [node], "w.x + b" if len(node.parents) % 2 else "w.x"
        activation = users[i][0] if len(users[i]) == 1 else None  # its one user, if that is its activation
        if activation is not None and activation.op in _ACTIVATION_OPS and len(activation.parents) == 1:
            members.append(activation)
            description = f"{activation.op}({description})"
        # linear's parents are the weights, then the inputs, then the bias (when there is one)
        n = len(node.parents) // 2
        parameters = [*node.parents[:n], *node.parents[2 * n :]]
        number = numbers.setdefault(tuple(position[p] for p in parameters), len(numbers) + 1)
        name = members[-1].label if members[-1].label is not None else f"neuron {number}"
        leaves = [p for p in parameters if not p.parents]
        groups.append(Group(name, members, description=description, parameters=leaves))
    return groups
