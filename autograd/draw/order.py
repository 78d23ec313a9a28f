"""The order of the forward pass as a reader computes it by hand, for the drawings and the page.

Parents come before the values they make, each node's arguments in argument order, so that a layer's
neurons come 1 to n and layers one after another. Leaves are given, not computed: they come in one
step for each depth of the values that first use them (depth: the longest path from a leaf), so a
layer's weights come together, not one at a time.

>>> from autograd import Value, topological_order
>>> w, x = Value(-3.0, label="w"), Value(2.0, label="x")
>>> nodes = topological_order((w * x).tanh())
>>> forward_steps(nodes)
[[0, 1], [2], [3]]
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd.node import Node

__all__ = ["forward_steps"]


def _argument_order(nodes: Sequence[Node], position: dict[Node, int]) -> list[int]:
    """The interior nodes, each after its parents, the parents taken in argument order."""
    order: list[int] = []
    placed: set[int] = set()
    stack: list[tuple[int, int]] = [(len(nodes) - 1, 0)]
    while stack:
        i, next_parent = stack.pop()
        parents = [position[p] for p in nodes[i].parents]
        while next_parent < len(parents) and (
            parents[next_parent] in placed or not nodes[parents[next_parent]].parents
        ):
            next_parent += 1
        if next_parent == len(parents):
            if i not in placed:
                placed.add(i)
                order.append(i)
            continue
        stack.append((i, next_parent + 1))
        stack.append((parents[next_parent], 0))
    return order


def forward_steps(nodes: Sequence[Node]) -> list[list[int]]:
    """The forward pass as steps, each a list of positions in ``nodes`` (a topological order):
    one interior node each, and before the first node of each depth that needs a leaf not given yet,
    every leaf the nodes of that depth use (depth: the longest path from a leaf)."""
    if not nodes[-1].parents:
        return [[len(nodes) - 1]]
    position = {node: i for i, node in enumerate(nodes)}
    depth = [0] * len(nodes)
    for i, node in enumerate(nodes):
        depth[i] = 1 + max((depth[position[p]] for p in node.parents), default=-1)
    order = _argument_order(nodes, position)
    leaves_by_depth: dict[int, dict[int, None]] = {}  # depth -> its leaves, in order of first use
    for i in order:
        for p in (position[parent] for parent in nodes[i].parents):
            if not nodes[p].parents:
                leaves_by_depth.setdefault(depth[i], {})[p] = None
    steps: list[list[int]] = []
    given: set[int] = set()
    for i in order:
        if any(p not in given for p in (position[q] for q in nodes[i].parents) if not nodes[p].parents):
            batch = [p for p in leaves_by_depth[depth[i]] if p not in given]
            given.update(batch)
            steps.append(batch)
        steps.append([i])
    return steps
