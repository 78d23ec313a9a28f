"""Memory per node on the 10^5 chain, after backward: bytes (tracemalloc) and GC-tracked objects.

Bytes: what tracemalloc sees allocated between before the forward pass and after the backward
pass, with the graph alive. Objects: ``len(gc.get_objects())`` after ``gc.collect()``, before and
after. Both are divided by the number of operation nodes (3 per step: ``*``, ``+``, ``tanh``/``relu``),
the unit of the targets (micrograd: ~1,100 bytes and 8.7 objects per operation), and
by the number of ``Value`` objects in the graph (micrograd also makes a ``Value`` per constant).
micrograd is measured at n = 10^4: under tracemalloc its recursive backward takes time quadratic
in n (10^5 would take many minutes), and its figures per node are the same at 10^3, 3*10^3 and
10^4 (1,096-1,214 bytes, 8.67 objects per operation). PyTorch's nodes live in C++ memory that
tracemalloc does not see, so it is not measured here.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from typing import Any

from benchmarks.chain import OPS_PER_STEP, chain_chainrule, chain_micrograd
from benchmarks.harness import Report

BYTES_PER_NODE_AT_MOST = 160  # on CPython 3.11
OBJECTS_PER_NODE_AT_MOST = 1.0  # the Value itself: a one-parent node holds no tuple


def count_nodes(root: Any, parents_of: Any) -> int:
    """Every node reachable from ``root`` (iteratively, each once)."""
    seen = {id(root)}
    stack = [root]
    while stack:
        node = stack.pop()
        for parent in parents_of(node):
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return len(seen)


def measure(name: str, n: int) -> dict[str, float]:
    builder, parents_of = {
        "chainrule": (chain_chainrule, lambda v: v.parents),
        "micrograd": (chain_micrograd, lambda v: v._prev),
    }[name]
    forward, backward = builder(n)
    gc.collect()
    objects_before = len(gc.get_objects())
    tracemalloc.start()
    bytes_before = tracemalloc.get_traced_memory()[0]
    graph = forward()
    backward(graph)
    bytes_after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    gc.collect()
    objects_after = len(gc.get_objects())
    nodes = count_nodes(graph[1], parents_of)
    ops = OPS_PER_STEP * n
    used, tracked = bytes_after - bytes_before, objects_after - objects_before
    del graph
    gc.collect()
    return {
        "nodes": nodes,
        "bytes_per_node": used / nodes,
        "objects_per_node": tracked / nodes,
        "bytes_per_op": used / ops,
        "objects_per_op": tracked / ops,
    }


def trial(name: str, n: int) -> Callable[[], dict[str, float]]:
    """``measure(name, n)`` as a trial, to run in a child interpreter of its own (``harness.Isolated``)."""

    def run() -> dict[str, float]:
        return measure(name, n)

    return run


def bytes_target(report: Report, bytes_per_node: float, prefix: str = "") -> None:
    """The target on chainrule's bytes per node (whole bytes: the leaf adds a fraction of one)."""
    report.target(
        f"{prefix}memory: bytes per node",
        f"<= {BYTES_PER_NODE_AT_MOST}",
        bytes_per_node,
        round(bytes_per_node) <= BYTES_PER_NODE_AT_MOST,
        "{:.0f}".format,
    )


def objects_target(report: Report, objects_per_node: float, prefix: str = "") -> None:
    """The target on chainrule's GC-tracked objects per node (to two decimals: the leaf is one more)."""
    report.target(
        f"{prefix}memory: GC-tracked objects per node",
        f"<= {OBJECTS_PER_NODE_AT_MOST:.2f}",
        objects_per_node,
        round(objects_per_node, 2) <= OBJECTS_PER_NODE_AT_MOST,
        "{:.2f}".format,
    )
