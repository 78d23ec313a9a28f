"""detect_anomaly's forward check, and how its messages name a node.

Under ``detect_anomaly`` every node made is checked as it is recorded (``node.record`` calls
``check_forward``), and the data its parents had then is kept, so that the backward check
(``graph.check_edge``) can tell when a parent's ``.data`` was changed afterwards.

>>> from autograd import Value
>>> describe(Value(1.0, label="x")), describe(Value(1.0) * 2.0)
('x', '*(...)')
"""

from __future__ import annotations

import weakref
from typing import Any

# The parents' data as the forward pass saw it, for nodes made under detect_anomaly: a later change
# of a parent's .data makes the recorded local derivatives stale, which the backward check reports.
forward_inputs: weakref.WeakKeyDictionary[Any, tuple[float, ...]] = weakref.WeakKeyDictionary()


def describe(node: Any) -> str:
    """How an error message names a node: its label, else its operation."""
    if node.label is not None:
        return str(node.label)
    return f"{node.op}(...)" if node.primitive is not None else "a leaf"


def check_forward(data: float, parents: Any, op: str) -> None:
    """A ``FloatingPointError`` if a node's forward value ``data`` is nan while no parent's is."""
    inputs = parents if type(parents) is tuple else (parents,)
    if data != data and not any(p.data != p.data for p in inputs):
        described = ", ".join(f"{describe(p)} = {p.data!r}" for p in inputs)
        raise FloatingPointError(f"detect_anomaly: the forward pass of '{op}' gave nan (inputs: {described})")
