"""The algorithms over a graph: its orders, and the chain rule, written once in ``backpropagate``.

The chain rule runs on the nodes themselves for ``backward()`` (the fast path: gradients land in
``.grad``) and on a *shadow* of the graph (one ``GradientCell`` per node) for everything that must
not touch ``.grad``: ``gradients()``, ``backward(create_graph=True)``, the step-through drawings and
traced programs. Like ``node.py``, where a node is defined, it reads parents as they are stored
(a single parent bare).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograd.anomaly import describe, forward_inputs
from autograd.modes import refuse_while_tracing
from autograd.node import LEAF, N, Node, Notes

# ----- detect_anomaly's backward check ------------------------------------------------------


def check_edge(node: Any, parent: Any, local: Any) -> None:
    """detect_anomaly's backward check of one edge: a gradient must not turn into nan here.

    Works on nodes and on gradient cells alike (``original`` maps a cell to its node).
    """
    grad = float(node.grad)
    if grad != grad:
        return  # already nan on arrival: reported where it appeared
    parent_cell = parent
    node, parent = original(node), original(parent)
    seen = forward_inputs.get(node)
    if seen is not None and seen != tuple(p.data for p in node.parents):
        raise FloatingPointError(
            f"detect_anomaly: an input of '{node.op}' ({describe(node)}) changed its .data after the "
            "forward pass; its recorded derivatives are stale: recompute the forward pass"
        )
    contribution = float(local * grad)
    index = next(i for i, p in enumerate(node.parents) if p is parent)
    where = f" (label {node.label!r})" if node.label is not None else ""
    if contribution != contribution:
        raise FloatingPointError(
            f"detect_anomaly: the backward pass of '{node.op}'{where} gave a nan gradient "
            f"for its input {index} ({describe(parent)} = {parent.data!r}): "
            f"local derivative {float(local)!r} times incoming gradient {grad!r}"
        )
    if float(parent_cell.grad) != float(parent_cell.grad):
        raise FloatingPointError(
            f"detect_anomaly: the gradients reaching {describe(parent)} summed to nan (inf - inf) when "
            f"the backward pass of '{node.op}'{where} added {contribution!r} for its input {index}"
        )


# ----- orders --------------------------------------------------------------------------------


def topological_order(root: N) -> list[N]:
    """Every node ``root`` depends on, leaves included, each after all of its parents.

    Deterministic (the same program gives the same list) and read-only.

    >>> from autograd import Value, topological_order
    >>> a = Value(2.0, label="a")
    >>> b = a * a
    >>> c = b + a
    >>> [node.label or node.op for node in topological_order(c)]
    ['a', '*', '+']
    """
    if not isinstance(root, Node):
        raise TypeError(f"topological_order: expected a Value, got {type(root).__name__} {root!r:.40}")
    order: list[N] = []
    leaves_seen: set[int] = set()
    for node in _interior_order(root) or [root]:
        for parent in node.parents:  # each leaf just before its first user
            if parent._parents is LEAF and id(parent) not in leaves_seen:
                leaves_seen.add(id(parent))
                order.append(parent)
        order.append(node)
    return order


def _interior_order(root: N) -> list[N]:
    """The interior nodes under ``root``, parents first: the order ``backward()`` uses, found
    with a set of visited nodes instead of backward's markers (see ``_backward_order``)."""
    order: list[N] = []
    seen: set[int] = set()
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if node is _EMIT:
            order.append(stack.pop())
            continue
        while id(node) not in seen and node._parents is not LEAF:
            seen.add(id(node))
            stack.append(node)
            stack.append(_EMIT)
            parents = node._parents
            if type(parents) is tuple:
                stack.extend(p for p in parents if p._parents is not LEAF and id(p) not in seen)
                break
            node = parents  # one parent: visit it right away, as backward's search does
    return order


# While backward() finds its order, a visited node's grad holds this marker instead of a set entry
# (no hashing, no 10^6-entry set; the plain version is topological_order's `seen` set). The marker is
# a -0.0 of its own, recognised by identity: -0.0 is the additive identity of IEEE sums, so the pass
# adds into it as into a fresh gradient, and each addition makes a new float, so no marker outlives
# the pass (an interrupted pass puts floats back). This saves a loop resetting every grad.
_VISITED = float("-0.0")
_EMIT = object()  # on the stack: "the node below me has all its parents placed"


def _backward_order(root: Node, leaves: list[tuple[Node, Any]]) -> list[Node]:
    """The interior nodes under ``root``, parents first; each leaf found goes to ``leaves`` once,
    with its grad as it was.

    Every listed node and leaf leaves with grad ``_VISITED``, a -0.0: the additive identity of IEEE
    sums, so a single -0.0 contribution keeps its sign.
    """
    order: list[Node] = []
    stack: list[Any] = [root]
    push, pop, emit, keep = stack.append, stack.pop, order.append, leaves.append
    while stack:
        node = pop()
        if node is _EMIT:
            emit(pop())
            continue
        while node.grad is not _VISITED:
            parents = node._parents
            if parents is LEAF:  # a leaf (only the root can be pushed as one)
                keep((node, node.grad))
                node.grad = _VISITED
                break
            node.grad = _VISITED
            push(node)
            push(_EMIT)
            if type(parents) is tuple:
                for parent in parents:
                    if parent.grad is _VISITED:
                        continue
                    if parent._parents is LEAF:
                        keep((parent, parent.grad))
                        parent.grad = _VISITED
                    else:
                        push(parent)
                break
            # One parent, stored bare: visit it right away, as if pushed and popped (it would be the
            # top of the stack), so a chain of one-parent nodes costs no stack traffic.
            node = parents
    return order


# ----- the chain rule ------------------------------------------------------------------------

EdgeHook = Callable[[Any, Any, Any], None]
"""Called after each edge's update as ``hook(node, parent, local_derivative)``."""


def backpropagate(order: Sequence[Any], on_edge: EdgeHook | None = None) -> None:
    """The chain rule: from the last node to the first, add ``local * grad`` to each parent's grad.

    ``order`` lists nodes (or gradient cells) parents first, each holding its starting ``grad``.
    ``on_edge`` (detect_anomaly, the step-through drawings) sees every edge after its update.
    """
    if on_edge is not None:
        return _backpropagate_watched(order, on_edge)
    for node in reversed(order):
        grad = node.grad
        parents = node._parents
        local_grads = node._local_grads
        # d out/d parent = (d node/d parent) * (d out/d node), summed over every path to parent
        if type(parents) is tuple:
            for parent, local in zip(parents, local_grads):
                parent.grad += local * grad
        else:  # one parent, stored bare with its local derivative: the same, unrolled
            parents.grad += local_grads * grad


def _backpropagate_watched(order: Sequence[Any], on_edge: EdgeHook) -> None:
    """``backpropagate`` with a hook: the same loop, run one edge at a time (each edge as a node
    of its own with one parent), the hook called after each. Apart, so that the unwatched pass
    (every ``backward()``) pays nothing for the hook: a test on every edge would cost every pass
    (benchmarks/README.md measures it)."""
    for node in reversed(order):
        parents = node._parents
        local_grads = node._local_grads
        if type(parents) is not tuple:
            parents, local_grads = (parents,), (local_grads,)
        for parent, local in zip(parents, local_grads):
            backpropagate([_Edge(node.grad, parent, local)])
            on_edge(node, parent, local)


class _Edge:
    """One edge as a node that has only it: what ``_backpropagate_watched`` hands the chain rule."""

    __slots__ = ("grad", "_parents", "_local_grads")

    def __init__(self, grad: Any, parent: Any, local: Any) -> None:
        self.grad, self._parents, self._local_grads = grad, parent, local


def backward(root: Node, seed: float, on_edge: EdgeHook | None = None) -> None:
    """``root.backward(seed)`` in floats: interior grads are set, leaves accumulate this pass's sum.

    One pass's contributions to a leaf are summed first and then added to ``.grad`` (as PyTorch
    accumulates), so two calls give exactly twice one call. If anything raises, even a Ctrl-C,
    every leaf gets its old grad back and interior grads are 0.0: nothing is left half-updated.
    """
    refuse_while_tracing("backward()")
    leaves: list[tuple[Node, Any]] = []
    try:
        order = _backward_order(root, leaves)
        root.grad = seed
        backpropagate(order, on_edge)
        for leaf, old in leaves:
            if type(leaf._notes) is Notes:  # it holds a grad_value (rare): the whole policy
                leaf.grad, leaf.grad_value = leaf_after_pass(leaf, old, leaf.grad)
            else:  # the same policy, without a grad_value to keep in step
                leaf.grad = accumulate(old, leaf.grad)
    except BaseException:
        for node in topological_order(root):
            if node._parents is not LEAF:
                node.grad = 0.0
        for leaf, old in leaves:
            leaf.grad = old
        raise


def accumulate(old: Any, passed: Any) -> Any:
    """A leaf's number after a pass that gave it ``passed``: ``old + passed``, or ``passed`` alone
    where ``old`` is 0 or None (a fresh or zeroed leaf keeps the sign of a -0.0, as PyTorch's does).

    >>> accumulate(1.0, 2.0), accumulate(None, -0.0), accumulate(0.0, -0.0)
    (3.0, -0.0, -0.0)
    """
    return passed if old is None or old == 0.0 else old + passed


def leaf_after_pass(leaf: Node, old: Any, passed: Any) -> tuple[Any, Any]:
    """A leaf's ``(grad, grad_value)`` after a pass that gave it ``passed`` (its grad was ``old``):
    the one accumulation policy of ``backward()``, ``backward(create_graph=True)`` and a traced
    program's ``backward``.

    The number accumulates (``accumulate``). A differentiable gradient in step with the old number
    (``grad_value.data == old``) goes on growing by ``passed``, so ``grad_value`` never disagrees
    with ``grad``: a float pass extends it by a constant (and drops one that is out of step, as
    after ``.grad`` was set by hand); a create_graph pass (``passed`` a Value) extends it, or starts
    one from the old number as a constant.
    """
    previous = leaf.grad_value
    in_step = previous is not None and previous.data == old
    if not isinstance(passed, Node):
        return accumulate(old, passed), (previous + passed if in_step else None)
    if old is None or old == 0.0:
        gradient = passed
    else:
        gradient = previous + passed if in_step else passed + old
    return gradient.data, gradient


def assign(updates: Sequence[tuple[Node, Any, Any]]) -> None:
    """Set ``(node, grad, grad_value)`` for every node, all or nothing: if interrupted, every node
    has its grad and grad_value back as they were."""
    saved = []
    try:
        for node, grad, grad_value in updates:
            saved.append((node, node.grad, node._notes))
            node.grad = grad
            node.grad_value = grad_value
    except BaseException:
        for node, grad, notes in saved:
            node.grad, node._notes = grad, notes
        raise


# ----- the shadow graph: the chain rule without touching .grad ---------------------------------


class GradientCell:
    """A node's stand-in during a pass that must not write ``.grad``: its gradient and edges."""

    __slots__ = ("node", "grad", "_parents", "_local_grads")
    _parents: Any  # cells, stored as the node stores its parents
    _local_grads: Any

    def __init__(self, node: Node) -> None:
        self.node = node
        self.grad: Any = -0.0


def original(node: Any) -> Any:
    """The graph node behind a gradient cell (a node is its own original)."""
    return node.node if type(node) is GradientCell else node


LocalGrads = Callable[[Node], Any]
"""Local derivatives of a node in its storage shape (one derivative, or a tuple)."""


def shadow(order: Sequence[Node], local_grads_of: LocalGrads | None = None) -> dict[Node, GradientCell]:
    """One ``GradientCell`` per node of ``order`` (parents first), with the same edges.

    The local derivatives are the node's own floats, or ``local_grads_of(node)`` (Values for
    create_graph, symbols for traced programs).
    """
    cells: dict[Node, GradientCell] = {}
    for node in order:
        cell = GradientCell(node)
        parents = node._parents
        cell._parents = tuple(cells[p] for p in parents) if type(parents) is tuple else cells[parents]
        cell._local_grads = node._local_grads if local_grads_of is None else local_grads_of(node)
        cells[node] = cell
    return cells


def gradient_cells(
    root: Node, seed: Any, local_grads_of: LocalGrads | None = None, on_edge: EdgeHook | None = None
) -> dict[Node, GradientCell]:
    """The chain rule from ``root`` (seeded with ``seed``) run on a shadow of its graph: every
    node's gradient is in its cell; no node is written to."""
    refuse_while_tracing("backward(), grad, value_and_grad and gradients")
    order = topological_order(root)
    cells = shadow(order, local_grads_of)
    cells[root].grad = seed
    backpropagate([cells[node] for node in order], on_edge)
    return cells


def local_grads_as_values(node: Node) -> Any:
    """``node``'s local derivatives from its primitive's rule applied to Values (differentiable
    again), in the node's storage shape. A leaf has none."""
    if node.primitive is None:
        return LEAF
    return stored_like(node, node.primitive.local_grads(node, node.parents, node.constant))


def stored_like(node: Node, local_grads: tuple[Any, ...]) -> Any:
    """``local_grads`` (one per parent) in ``node``'s storage shape, as ``shadow`` takes them."""
    return local_grads if type(node._parents) is tuple else local_grads[0]
