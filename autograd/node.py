"""The node of a graph as data: its number, its gradient, its parents and their local derivatives.

A node is a ``Node`` (``Value`` adds the arithmetic): its ``data``, its ``grad``, its ``parents``
and, parallel to them, its ``local_grads`` (d node / d parent, computed in the forward pass), the
``primitive`` that made it and the ``constant`` of ``x + c``, ``x * c``, ``x ** c``, ... ``record``
fills a node made by an operation, ``make_leaf`` one made by the user. This module, ``graph.py``
(the algorithms over nodes) and ``copying.py`` are the only ones that know how parents are stored;
every other module reads ``parents`` and ``local_grads``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from autograd.anomaly import check_forward, forward_inputs
from autograd.modes import DEFAULT_MODE, Mode, current_mode
from autograd.symbolic import Operand

if TYPE_CHECKING:
    from autograd.primitive import Primitive

LEAF: tuple[()] = ()
"""The parents of a leaf. Compared by identity (``node._parents is LEAF``), never by truth: a bare
parent is a Value, and ``bool(Value)`` is the truth of its number."""


class Node(Operand):
    """A node of a computation graph: data, gradient, parents and local derivatives.

    >>> from autograd import Value
    >>> a = Value(2.0)
    >>> b = a * a
    >>> b.parents == (a, a), b.local_grads, b.op
    (True, (2.0, 2.0), '*')
    """

    # Storage, the tricks of this module. (1) A node with ONE parent (most nodes: x * c, x + c,
    # tanh, relu, ...) stores that parent and its local derivative bare; other nodes store two
    # parallel tuples (a leaf: LEAF). The plain version, two tuples everywhere, costs one more
    # object per node for Python's cyclic garbage collector, whose full passes rescan every live
    # object: on a 10^5 chain that doubled the run (benchmarks/README.md). (2) The rarely set
    # ``label`` and ``grad_value`` share one slot, ``_notes`` (None, the label, or both in a
    # ``Notes``): one slot fewer is 8 bytes and one store less per node (benchmarks/README.md).
    # The slots' docstrings are what help(Value) and the API site show for these attributes.
    __slots__ = {
        "data": "The value computed in the forward pass, a float. Changing it later does not change\n"
        "the local derivatives recorded from it: ``backward()`` still uses those\n"
        "(``detect_anomaly`` reports it).",
        "grad": 'd(output)/d(self) after ``backward()``, a float, or ``None`` ("no gradient yet",\n'
        "as ``zero_grad()`` leaves it: typed ``float | None``, so check before using it).\n"
        "Accumulates into leaves across calls; set it to ``None`` (PyTorch's way to reset)\n"
        "or 0.0 to start again; ``backward()`` starts None from 0.",
        "_parents": "One parent node, or a tuple of them (see ``parents``).",
        "_local_grads": "Its local derivative, or a tuple parallel to them (see ``local_grads``).",
        "primitive": "The operation that made this node (``None`` for a leaf).",
        "constant": "The number in ``x + c``, ``x * c``, ``x / c``, ``c / x``, ``x ** c``;\n"
        "``None`` elsewhere.",
        "_notes": "None, the label, or a Notes with the label and grad_value.",
        "__weakref__": "",  # Python documents this one itself
    }

    data: float
    grad: float | None
    primitive: Primitive | None
    constant: float | None
    _notes: Any
    _parents: Any
    _local_grads: Any

    @property
    def parents(self) -> tuple[Any, ...]:
        """The nodes this one was computed from, in argument order, repeats kept."""
        parents = self._parents
        return parents if type(parents) is tuple else (parents,)

    @property
    def local_grads(self) -> tuple[Any, ...]:
        """d(self)/d(parent) for each of ``parents``, computed in the forward pass."""
        return self._local_grads if type(self._parents) is tuple else (self._local_grads,)

    @property
    def label(self) -> str | None:
        """An optional name, shown by ``repr``, in drawings and in error messages."""
        notes = self._notes
        return notes.label if type(notes) is Notes else notes

    @label.setter
    def label(self, label: str | None) -> None:
        if label is not None and not isinstance(label, str):
            raise TypeError(f"label: got {type(label).__name__}; expected a str or None")
        if type(self._notes) is Notes:
            self._notes.label = label
        else:
            self._notes = label

    @property
    def grad_value(self) -> Any:
        """The gradient as a differentiable Value, set by ``backward(create_graph=True)``."""
        notes = self._notes
        return notes.grad_value if type(notes) is Notes else None

    @grad_value.setter
    def grad_value(self, gradient: Any) -> None:
        if type(self._notes) is Notes:
            self._notes.grad_value = gradient
        elif gradient is not None:
            self._notes = Notes(self._notes, gradient)

    @property
    def op(self) -> str:
        """A short label of the operation (``"*"``, ``"tanh"``, ``"**2"``); ``""`` for a leaf."""
        return "" if self.primitive is None else self.primitive.label(self.constant)

    @property
    def is_leaf(self) -> bool:
        """Whether this node has no parents (an input, a parameter or a constant); a property, as
        PyTorch's ``tensor.is_leaf``, so ``if y.is_leaf:`` reads as it means.

        >>> from autograd import Value
        >>> x = Value(2.0)
        >>> x.is_leaf, (x * x).is_leaf
        (True, False)
        """
        return self._parents is LEAF


N = TypeVar("N", bound=Node)


class Notes:
    """A node's label and differentiable gradient, once it has the latter (see ``Node``)."""

    __slots__ = ("label", "grad_value")

    def __init__(self, label: str | None, grad_value: Any) -> None:
        self.label = label
        self.grad_value = grad_value


def record(
    node: N, data: float, parents: Any, local_grads: Any, primitive: Primitive, constant: float | None = None
) -> N:
    """Fill a new ``node`` as the result of ``primitive``: a graph node, or a leaf in ``no_grad``.

    ``parents`` and ``local_grads`` are one node and its derivative, or two parallel tuples.
    """
    node.data = data
    node.grad = 0.0
    node._notes = None
    node._parents = parents
    node._local_grads = local_grads
    node.primitive = primitive
    node.constant = constant
    mode = current_mode()
    if mode is not DEFAULT_MODE:  # no_grad or detect_anomaly: the rare case, one test in the common one
        _record_in_mode(node, mode)
    return node


def _record_in_mode(node: Node, mode: Mode) -> None:
    """``record``'s work outside the default mode: detect_anomaly checks the forward value and
    keeps the inputs' data; in no_grad the new node becomes a leaf; while tracing it becomes the
    traced class (same storage), which guards its number."""
    if mode.traced_class is not None:
        node.__class__ = mode.traced_class
    if mode.checking:
        check_forward(node.data, node._parents, node.op)
        if mode.recording:
            forward_inputs[node] = tuple(parent.data for parent in node.parents)
    if not mode.recording:
        node._parents = node._local_grads = LEAF
        node.primitive = node.constant = None


def make_leaf(node: Node, data: float, label: str | None) -> None:
    """Fill a new ``node`` as a leaf."""
    node.data = data
    node.grad = 0.0
    node._parents = LEAF
    node._local_grads = LEAF
    node.primitive = None
    node.constant = None
    node._notes = label
    mode = current_mode()
    if mode is not DEFAULT_MODE and mode.tracing is not None:
        mode.tracing[node] = None  # made inside a traced function: a constant of the program
