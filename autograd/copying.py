"""Copying and pickling graphs, node by node in topological order, so that a graph of any depth
needs no deep recursion, and what several copied nodes share stays shared.

``Value.__deepcopy__`` and ``Value.__reduce__`` (``value.py``) use these: a leaf is rebuilt from its
fields; an interior node from a flat record of its whole graph (``flatten``, ``unflatten``). Nodes
are copied as ``node.py`` stores them (a single parent bare).

>>> import copy
>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> y = copy.deepcopy(x * x + x)
>>> y.data, [p.label for p in y.parents[0].parents]
(6.0, ['x', 'x'])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from autograd.graph import topological_order
from autograd.node import LEAF, Node, make_leaf

if TYPE_CHECKING:
    from autograd.primitive import Primitive


def flatten(root: Node) -> list[tuple[Any, ...]]:
    """``root``'s graph as a flat list (leaves as themselves, interior nodes as records of
    ``(data, grad, label, primitive, constant, parent positions, local_grads)``), for pickling."""
    order = topological_order(root)
    position = {id(node): i for i, node in enumerate(order)}
    records: list[tuple[Any, ...]] = []
    for node in order:
        if node._parents is LEAF:
            records.append((node,))
            continue
        parents = node._parents
        indices = tuple(position[id(p)] for p in parents) if type(parents) is tuple else position[id(parents)]
        records.append(
            (node.data, node.grad, node.label, node.primitive, node.constant, indices, node._local_grads)
        )
    return records


def rebuilt_leaf(cls: type, data: float, grad: Any, label: str | None) -> Any:
    """A leaf of class ``cls``, as pickled or copied."""
    leaf: Any = object.__new__(cls)
    make_leaf(leaf, data, label)
    leaf.grad = grad
    return leaf


def rebuilt_graph(cls: type, records: list[tuple[Any, ...]]) -> Any:
    """The root of a graph that ``flatten`` recorded, as pickled."""
    return unflatten(cls, records)[-1]


def unflatten(cls: type, records: list[tuple[Any, ...]]) -> list[Node]:
    """The nodes of the graph that ``flatten`` recorded, in its order (the root last)."""
    nodes: list[Node] = []
    for entry in records:
        if len(entry) == 1:
            nodes.append(entry[0])
            continue
        data, grad, label, primitive, constant, indices, local_grads = entry
        parents = tuple(nodes[i] for i in indices) if type(indices) is tuple else nodes[indices]
        nodes.append(_interior_node(cls, data, grad, label, primitive, constant, parents, local_grads))
    return nodes


def copy_graph(root: Node, copies: dict[int, Any], copy_leaf: Callable[[Node], Node]) -> Any:
    """A copy of ``root``'s graph, node by node in topological order (no deep recursion).

    ``copies`` maps ``id(original)`` to its copy (``copy.deepcopy``'s memo): nodes already in it are
    reused, so what several copied nodes share stays shared; every copy made is added to it.
    """
    for node in topological_order(root):
        if id(node) in copies:
            continue
        if node._parents is LEAF:
            copies[id(node)] = copy_leaf(node)
            continue
        parents = node._parents
        copied = tuple(copies[id(p)] for p in parents) if type(parents) is tuple else copies[id(parents)]
        copies[id(node)] = _interior_node(
            type(node),
            node.data,
            node.grad,
            node.label,
            node.primitive,
            node.constant,
            copied,
            node._local_grads,
        )
    return copies[id(root)]


def _interior_node(
    cls: type,
    data: float,
    grad: Any,
    label: str | None,
    primitive: Primitive | None,
    constant: float | None,
    parents: Any,
    local_grads: Any,
) -> Any:
    """A node made from its stored fields (parents and local_grads in the storage shape)."""
    node: Any = object.__new__(cls)
    node.data, node.grad, node._notes = data, grad, label
    node._parents, node._local_grads = parents, local_grads
    node.primitive, node.constant = primitive, constant
    return node
