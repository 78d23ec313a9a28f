"""The backward pass replayed step by step, as data: what each step adds to which gradient.

``replay_backward(root)`` runs the engine's one backward driver (``graph.backpropagate``) on a
shadow of the graph, exactly as ``gradients()`` does, and records every edge it takes: the parent's
gradient before, the local derivative, the gradient coming down, and the parent's gradient after.
No ``.grad`` is read or written, and the numbers are the driver's own: nothing here redoes the
chain rule. The drawings (``draw_graph(backward_step=k)``) and the step-through page show them.

>>> from autograd import Value
>>> a = Value(3.0, label="a")
>>> b = a * a
>>> replay = replay_backward(b)
>>> [(u.parent, u.old, u.local, u.upstream, u.new) for u in replay.steps[0].updates]
[(0, None, 3.0, 1.0, 3.0), (0, 3.0, 3.0, 1.0, 6.0)]
>>> replay.grads_after(0), replay.grads_after(1), a.grad  # the real gradient is untouched
([None, 1.0], [6.0, 1.0], 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from autograd.graph import gradient_cells, original, topological_order
from autograd.node import Node

__all__ = ["BackwardStep", "EdgeUpdate", "Replay", "replay_backward"]


@dataclass(frozen=True)
class EdgeUpdate:
    """One edge of a backward step: ``new = old + local * upstream``, as the driver computed it.

    Nodes are named by their position in ``topological_order(root)``.
    """

    parent: int
    old: float | None  # None: the parent's first contribution (before it, its gradient is 0)
    local: float  # d node / d parent (a flat zero or a reciprocal shows as its float)
    upstream: float  # the gradient of the node passing it on
    new: float


@dataclass(frozen=True)
class BackwardStep:
    """One node passing its gradient to its parents, one update per edge (``a * a``: two)."""

    node: int
    updates: list[EdgeUpdate] = field(default_factory=list)


@dataclass(frozen=True)
class Replay:
    """The nodes of a graph (``topological_order``, the root last) and the steps of its backward
    pass, in the order ``backward()`` takes them: the root first."""

    nodes: list[Node]
    steps: list[BackwardStep]
    grads: list[float]  # every node's gradient at the end: what gradients() gives

    def grads_after(self, steps: int) -> list[float | None]:
        """Each node's gradient once the first ``steps`` steps have run (0: only the root's seed 1);
        ``None`` where no gradient has arrived yet."""
        grads: list[float | None] = [None] * len(self.nodes)
        grads[-1] = 1.0
        for step in self.steps[:steps]:
            for update in step.updates:
                grads[update.parent] = update.new
        return grads


def replay_backward(root: Node) -> Replay:
    """``root``'s backward pass, seeded with 1, run by the engine's driver and recorded edge by edge."""
    nodes = topological_order(root)
    position = {id(node): i for i, node in enumerate(nodes)}
    steps: list[BackwardStep] = []
    latest: dict[int, float] = {}  # each parent's gradient after its last recorded update

    def record_edge(cell: Any, parent_cell: Any, local: Any) -> None:
        node, parent = position[id(original(cell))], position[id(original(parent_cell))]
        if not steps or steps[-1].node != node:  # the driver takes a node's edges one after another
            steps.append(BackwardStep(node))
        new = float(parent_cell.grad)
        steps[-1].updates.append(EdgeUpdate(parent, latest.get(parent), float(local), float(cell.grad), new))
        latest[parent] = new

    cells = gradient_cells(root, 1.0, on_edge=record_edge)
    return Replay(nodes, steps, [float(cells[node].grad) for node in nodes])
