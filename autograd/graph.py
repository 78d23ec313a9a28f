"""The graph algorithms: a topological order, and the chain rule over it.

This module knows nodes only as objects with ``grad`` and the storage behind ``parents`` and
``local_grads`` (``_parents``, ``_local_grads``: one parent and its derivative bare, or two
parallel tuples; see ``Value``); it never names an operation. Everything is iterative, so depth
is limited by memory, not by Python's recursion limit, and the backward pass allocates no object
per node (no per-node tuples, iterators or set entries stay alive), which keeps Python's cyclic
garbage collector quiet. A graph must not be differentiated from two threads at once (gradients
are shared state).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from autograd.value import Value

# On the DFS stack, this marker means "the node below me has all its parents placed: emit it".
_EMIT = object()
# While the order is being found, a visited node's grad holds this marker instead of a set entry:
# no hashing, no 10^6-entry set, no cache misses on it; the backward pass resets grads anyway.
_VISITED = object()


def interior_order(root: Value, reset_grads: bool = True) -> list[Value]:
    """The nodes that have parents (interior nodes) reachable from ``root``, parents first.

    Leaves are left out: the chain rule has nothing to do at a leaf. ``root`` comes last, unless it
    is a leaf itself, in which case the list is empty. With ``reset_grads`` (for the backward
    pass) every listed node leaves with ``grad = 0.0``; otherwise their grads are kept.
    """
    order: list[Value] = []
    if not root._parents:
        return order
    kept_grads: list[tuple[Value, Any]] = []
    stack: list[Any] = [root]
    push, pop, emit = stack.append, stack.pop, order.append
    try:
        while stack:
            node = pop()
            if node is _EMIT:
                emit(pop())
                continue
            # a node pushed twice before it was reached is already _VISITED: the loop skips it
            while node.grad is not _VISITED:
                if not reset_grads:
                    kept_grads.append((node, node.grad))
                node.grad = _VISITED
                push(node)
                push(_EMIT)
                parents = node._parents
                if type(parents) is tuple:
                    for parent in parents:
                        if parent._parents and parent.grad is not _VISITED:  # interior, not yet seen
                            push(parent)
                    break
                if not parents._parents:  # one parent (stored bare), and it is a leaf
                    break
                # One interior parent: visit it right away, as if pushed and popped (it would be the
                # top of the stack); a chain of one-parent nodes is walked without stack traffic.
                node = parents
    finally:
        if reset_grads:
            for node in order:
                node.grad = 0.0
            for node in stack:  # only if interrupted: nodes still on the stack
                if node is not _EMIT and node.grad is _VISITED:
                    node.grad = 0.0
        else:
            for node, grad in kept_grads:
                node.grad = grad
    return order


def leaves_of(order: Sequence[Value]) -> list[Value]:
    """The leaves that are parents of the nodes in ``order``, each once, in order of first use."""
    seen = set()
    leaves = []
    for node in order:
        for parent in node.parents:
            if not parent.parents and parent not in seen:
                seen.add(parent)
                leaves.append(parent)
    return leaves


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, leaves included, each after all of its parents.

    The order is deterministic: the same program gives the same list.

    >>> from autograd import Value, topological_order
    >>> a = Value(2.0, label="a")
    >>> b = a * a
    >>> c = b + a
    >>> [node.label or node.op for node in topological_order(c)]
    ['a', '*', '+']
    """
    order = []
    seen = set()
    for node in interior_order(root, reset_grads=False) or [root]:
        for parent in node.parents:
            if not parent.parents and parent not in seen:
                seen.add(parent)
                order.append(parent)
        order.append(node)
    return order


LocalGrads = Callable[["Value"], Any]


def backpropagate(
    order: Sequence[Value],
    differentiable_local_grads: LocalGrads | None = None,
    check: Callable[[Value, Any], None] | None = None,
) -> None:
    """The chain rule: from the last node to the first, add ``local * grad`` to each parent's grad.

    ``order`` is a topological order (parents first) whose nodes already hold their starting
    ``grad``. With ``differentiable_local_grads`` the local derivatives are recomputed as Values
    (for ``create_graph``) and the gradients become Values too; ``check`` (for ``detect_anomaly``)
    sees each node after its gradient has been passed on.
    """
    for node in reversed(order):
        grad = node.grad
        parents = node._parents
        local_grads = (
            node._local_grads
            if differentiable_local_grads is None
            else differentiable_local_grads(node)
        )
        # d out/d parent = (d node/d parent) * (d out/d node), summed over every path to parent
        if type(parents) is tuple:
            for parent, local in zip(parents, local_grads):
                parent.grad += local * grad
        else:  # one parent, stored bare with its local derivative (see Value): the same, unrolled
            parents.grad += local_grads * grad
        if check is not None:
            check(node, local_grads)
