"""``Value``: a scalar that remembers how it was computed.

Its operators apply the arithmetic primitives (``arithmetic.py``) and its methods of one input the
elementary functions (``elementary.py``), each primitive defined once there: its forward function,
its derivative *rule* in plain arithmetic (see ``primitive.py``) and its program code. Applying one
computes the forward value, asks the rule for the local derivatives and records both on the new node
(``node.record``). Derived operations (``-``, reflected operators, ``square``) are built from
primitives and carry no derivative code. The chain rule itself lives once, in ``graph.backpropagate``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, Union

from autograd import elementary, graph, ieee
from autograd.anomaly import describe
from autograd.arithmetic import (
    ADD,
    ADD_CONSTANT,
    CLAMP_MAX,
    CLAMP_MIN,
    CONSTANT_OVER,
    DIVIDE,
    DIVIDE_BY_CONSTANT,
    MULTIPLY,
    MULTIPLY_CONSTANT,
    POWER,
    POWER_CONSTANT,
    product_rule,
    quotient_rule,
    sum_rule,
)
from autograd.copying import copy_graph, flatten, rebuilt_graph, rebuilt_leaf
from autograd.graph import check_edge, local_grads_as_values
from autograd.inputs import Number, as_float
from autograd.modes import BAKES_BRANCH, BAKES_NUMBER, current_mode, recording_unchecked, refuse_while_tracing
from autograd.node import Node, make_leaf, record
from autograd.primitive import Primitive
from autograd.tensor_habits import TensorHabits

Scalar = Union["Value", int, float]
"""What every operation accepts: a Value or a real number."""

_new = object.__new__


def _method_of(primitive: Primitive) -> Callable[[Value], Value]:
    """The method ``x.tanh()`` of a primitive of one input, with the primitive's name and doc."""

    def method(self: Value) -> Value:
        return self._apply(primitive)

    method.__name__ = primitive.name
    method.__qualname__ = f"Value.{primitive.name}"
    method.__doc__ = primitive.doc
    return method


class Value(Node, TensorHabits):
    """A scalar that remembers how it was computed, so gradients can flow back to its inputs.

    A tensor attribute it lacks (``numel``, ``shape``, ``zero_``, ``requires_grad_``, ...) raises an
    ``AttributeError`` naming chainrule's nearest spelling (``TensorHabits``).

    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> y.data, x.grad
    (10.0, 7.0)
    """

    __slots__ = ()
    __array_ufunc__ = None  # numpy scalars and arrays defer to our reflected operators

    def __init__(self, data: Number, label: str | None = None, *, requires_grad: bool = True) -> None:
        if requires_grad is not True:
            _refuse_requires_grad(requires_grad)
        if label is not None and not isinstance(label, str):
            raise TypeError(f"Value(label=...): got {type(label).__name__}; expected a str or None")
        if type(data) is not float:  # a float, the common case, needs no conversion
            if isinstance(data, Value):
                raise TypeError(
                    "Value(): got a Value; to copy one, use v.detach() (a new leaf with the "
                    "same data) or Value(v.data)"
                )
            data = as_float(data, "Value()")
        make_leaf(self, data, label)

    # ----- presentation -------------------------------------------------------------------

    def __repr__(self) -> str:
        label = "" if self.label is None else f", label={self.label!r}"
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def __float__(self) -> float:
        refuse_while_tracing("float() of a traced Value", BAKES_NUMBER)
        return self.data

    def __bool__(self) -> bool:
        refuse_while_tracing("the truth of a traced Value (if, while, and, or, bool())", BAKES_BRANCH)
        return self.data != 0.0  # as for any number: Value(0.0) is false, nan is true

    def __format__(self, spec: str) -> str:
        return format(self.data, spec) if spec else repr(self)

    def item(self) -> float:
        """The number inside, as a float (PyTorch's name for it).

        >>> Value(2.5).item()
        2.5
        """
        refuse_while_tracing(".item() of a traced Value", BAKES_NUMBER)
        return self.data

    # ----- comparisons: by data, returning bool; == and hash stay by identity ---------------

    def __lt__(self, other: Scalar) -> bool:
        return _compared(self, "<") < _compared(other, "<")

    def __le__(self, other: Scalar) -> bool:
        return _compared(self, "<=") <= _compared(other, "<=")

    def __gt__(self, other: Scalar) -> bool:
        return _compared(self, ">") > _compared(other, ">")

    def __ge__(self, other: Scalar) -> bool:
        return _compared(self, ">=") >= _compared(other, ">=")

    __hash__ = Node.__hash__  # nodes live in sets and dicts by identity

    # ----- the arithmetic primitives (arithmetic.py), applied -------------------------------

    def __add__(self, other: Scalar) -> Value:
        if type(other) is float:  # the most common constant, checked first as the cheapest test
            c = other
        elif isinstance(other, Value):
            out = self.data + other.data
            return record(_new(Value), out, (self, other), sum_rule(out, self.data, other.data), ADD)
        else:
            c = as_float(other, "Value + ...")
        x = self.data
        out = x + c
        # the local derivative is _add_constant_rule's 1.0, written out instead of called (the call's
        # share of a chain: benchmarks/README.md); tests check every node stores what its rule gives
        return record(_new(Value), out, self, 1.0, ADD_CONSTANT, c)

    def __mul__(self, other: Scalar) -> Value:
        if type(other) is float:  # the most common constant, checked first as the cheapest test
            c = other
        elif isinstance(other, Value):
            a, b = self.data, other.data
            out = a * b
            return record(_new(Value), out, (self, other), product_rule(out, a, b), MULTIPLY)
        else:
            c = as_float(other, "Value * ...")
        x = self.data
        out = x * c
        # the local derivative is _scale_rule's c, written out as for x + c
        return record(_new(Value), out, self, c, MULTIPLY_CONSTANT, c)

    def __truediv__(self, other: Scalar) -> Value:
        if isinstance(other, Value):
            a, b = self.data, other.data
            out = ieee.divide(a, b)
            return record(_new(Value), out, (self, other), quotient_rule(out, a, b), DIVIDE)
        return _with_constant(DIVIDE_BY_CONSTANT, self, as_float(other, "Value / ..."))

    def __rtruediv__(self, other: Number) -> Value:
        return _with_constant(CONSTANT_OVER, self, as_float(other, "... / Value"))

    def __pow__(self, exponent: Scalar) -> Value:
        if isinstance(exponent, Value):
            x, y = self.data, exponent.data
            out = ieee.power(x, y)
            return record(_new(Value), out, (self, exponent), POWER.rule(out, x, y), POWER)
        return _with_constant(POWER_CONSTANT, self, as_float(exponent, "Value ** ..."))

    def __rpow__(self, base: Number) -> Value:
        return Value(as_float(base, "... ** Value")) ** self

    # ----- the elementary functions (elementary.py), applied: each method made from its primitive

    exp = _method_of(elementary.EXP)
    log = _method_of(elementary.LOG)
    sqrt = _method_of(elementary.SQRT)
    tanh = _method_of(elementary.TANH)
    sigmoid = _method_of(elementary.SIGMOID)
    softplus = _method_of(elementary.SOFTPLUS)
    relu = _method_of(elementary.RELU)
    abs = _method_of(elementary.ABS)
    __abs__ = abs
    sin = _method_of(elementary.SIN)
    cos = _method_of(elementary.COS)

    def _apply(self, primitive: Primitive) -> Value:
        """``primitive`` (of one input) of this Value, recorded: what its method does, and what
        ``autograd.tanh(x)`` asks of a Value."""
        data = self.data
        out = primitive.forward(data)
        return record(_new(Value), out, self, primitive.rule(out, data), primitive)

    def clamp(self, min: Number | None = None, max: Number | None = None) -> Value:  # noqa: A002 # torch's names
        """``x`` held within ``[min, max]`` (either bound may be left out), as ``torch.clamp``.

        The gradient is 1 inside the bounds and AT them, 0 outside and at nan, as PyTorch's. With
        ``min > max`` every value is ``max``. Each bound given is one node (``clamp_min``,
        ``clamp_max``, as PyTorch names them).

        >>> x = Value(2.0)
        >>> y = x.clamp(min=0.0, max=2.0); y.backward()
        >>> y.data, x.grad, Value(-3.0).clamp(min=-1.0).data, Value(5.0).clamp(max=1.0).data
        (2.0, 1.0, -1.0, 1.0)
        """
        if min is None and max is None:
            raise TypeError("clamp(): give min=, max= or both (torch.clamp needs one too)")
        out = self
        if min is not None:
            out = _with_constant(CLAMP_MIN, out, as_float(min, "clamp(min=...)"))
        if max is not None:
            out = _with_constant(CLAMP_MAX, out, as_float(max, "clamp(max=...)"))
        return out

    # ----- derived operations: built from primitives, no derivative code -----------------

    def pow(self, exponent: Scalar) -> Value:
        """``self ** exponent`` (PyTorch's name for it).

        >>> x = Value(3.0)
        >>> y = x.pow(2); y.backward()
        >>> y.data, x.grad
        (9.0, 6.0)
        """
        return self**exponent

    def __radd__(self, other: Number) -> Value:
        return self + other

    def __rmul__(self, other: Number) -> Value:
        return self * other

    def __neg__(self) -> Value:
        return self * -1.0

    def __pos__(self) -> Value:
        return self

    def __sub__(self, other: Scalar) -> Value:
        if isinstance(other, Value):
            return self + (-other)
        return self + (-as_float(other, "Value - ..."))  # x - c is x + (-c): -c is exact

    def __rsub__(self, other: Number) -> Value:
        return (-self) + as_float(other, "... - Value")  # checked here, so the error names "-"

    def square(self) -> Value:
        """``x * x``.

        >>> x = Value(3.0)
        >>> y = x.square(); y.backward()
        >>> y.data, x.grad
        (9.0, 6.0)
        """
        return self * self

    def detach(self) -> Value:
        """A new leaf with the same data: gradients do not flow through it.

        >>> x = Value(3.0)
        >>> y = x.detach() * x
        >>> y.backward()
        >>> x.grad
        3.0
        """
        leaf = Value(self.data, self.label)
        mode = current_mode()
        if mode.tracing is not None:
            mode.tracing[leaf] = self  # a traced program recomputes it from self
            leaf.__class__ = mode.traced_class  # type: ignore[assignment] # holds the input's number too
        return leaf

    # ----- copying and pickling: graph by graph (copying.py), so depth needs no deep recursion --

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        refuse_while_tracing("copying a Value (copy.deepcopy)", BAKES_NUMBER)
        if self.is_leaf:
            new = memo[id(self)] = rebuilt_leaf(type(self), self.data, self.grad, self.label)
        else:  # node by node in topological order; what the copied nodes share stays shared
            new = copy_graph(self, memo, lambda leaf: copy.deepcopy(leaf, memo))
        new.grad_value = copy.deepcopy(self.grad_value, memo)
        return new

    def __reduce__(self) -> tuple[Any, ...]:
        refuse_while_tracing("copying or pickling a Value (copy.copy, pickle)", BAKES_NUMBER)
        # grad_value goes in the state, which pickle saves after this node: it may refer back to it
        if self.is_leaf:
            return (rebuilt_leaf, (type(self), self.data, self.grad, self.label), self.grad_value)
        return (rebuilt_graph, (type(self), flatten(self)), self.grad_value)

    def __setstate__(self, grad_value: Any) -> None:
        self.grad_value = grad_value

    # ----- the backward pass ---------------------------------------------------------------

    def backward(
        self,
        grad: Number = 1.0,
        create_graph: bool = False,
        *,
        gradient: Number | None = None,
        retain_graph: bool | None = None,
    ) -> None:
        """Fill ``.grad`` of every node this value depends on with d(self)/d(node).

        Leaves *accumulate* across calls, as in PyTorch (one pass's contributions are summed, then
        added); interior nodes are reset first, so calling ``backward()`` twice gives exactly twice
        the leaf gradients. With ``create_graph=True`` the gradients are also built as Values
        (``.grad_value``) that can be differentiated again. If it raises (even on Ctrl-C), every leaf
        keeps its old ``.grad`` and interior nodes are reset to 0.0. PyTorch's spellings work:
        ``gradient=`` is ``grad=``, and ``retain_graph`` is accepted and changes nothing (the graph
        is always kept, so ``backward()`` may be called again).

        >>> a = Value(3.0)
        >>> b = a * a
        >>> b.backward(); a.grad
        6.0
        >>> b.backward(); a.grad
        12.0
        """
        if gradient is not None:  # PyTorch's name for the seed
            if grad != 1.0:
                raise TypeError("backward(): got both grad= and gradient= (the same seed); give one")
            grad = gradient
        seed = as_float(grad, "backward(grad=...)")
        if retain_graph is not None and not isinstance(retain_graph, bool):
            raise TypeError(f"backward(retain_graph=...): got {type(retain_graph).__name__}; expected a bool")
        if not isinstance(create_graph, bool):
            raise TypeError(f"backward(create_graph=...): got {type(create_graph).__name__}; expected a bool")
        checking = current_mode().checking
        if checking and seed != seed:
            raise FloatingPointError(f"detect_anomaly: backward() was seeded with nan at {describe(self)}")
        on_edge = check_edge if checking else None
        if create_graph:
            _backward_creating_graph(self, seed, on_edge)
        else:
            graph.backward(self, seed, on_edge)

    def __int__(self) -> int:
        refuse_while_tracing("int() of a traced Value", BAKES_NUMBER)
        return int(self.data)

    def __round__(self, digits: int | None = None) -> Any:
        refuse_while_tracing("round() of a traced Value", BAKES_NUMBER)
        return round(self.data, digits)


def _refuse_requires_grad(requires_grad: object) -> None:
    """``Value(..., requires_grad=...)``: True is what every Value is; anything else is refused."""
    if requires_grad is False:
        raise ValueError(
            "Value(requires_grad=False): every Value takes part in gradients (there is no "
            "per-value flag); for a constant pass a plain number (x * 2.0), use "
            "v.detach(), or compute inside `with no_grad():`"
        )
    raise TypeError(f"Value(requires_grad=...): got {requires_grad!r:.40}; expected True (the default)")


def _with_constant(primitive: Primitive, x: Value, c: float) -> Value:
    """``primitive`` of a Value and a constant (``x / c``, ``c / x``, ``x ** c``), recorded."""
    data = x.data
    out = primitive.forward(data, c)
    return record(_new(Value), out, x, primitive.rule(out, data, c), primitive, c)


def _backward_creating_graph(root: Value, seed: float, on_edge: graph.EdgeHook | None) -> None:
    """``backward(create_graph=True)``: the pass runs on a shadow of the graph with Value gradients;
    only when it has finished are ``.grad`` and ``.grad_value`` written, all at once."""
    with recording_unchecked():
        cells = graph.gradient_cells(root, seed, local_grads_as_values, on_edge)
        updates = [(node, *_after_pass(node, cell.grad)) for node, cell in cells.items()]
    graph.assign(updates)


def _after_pass(node: Node, passed: Any) -> tuple[float, Value]:
    """A node's new ``grad`` and ``grad_value`` after a create_graph pass that gave it ``passed``:
    an interior node takes it as it is; a leaf accumulates, as ``graph.leaf_after_pass`` says."""
    gradient = passed if isinstance(passed, Value) else Value(passed)
    if node.is_leaf:
        grad, grad_value = graph.leaf_after_pass(node, node.grad, gradient)
        return grad, grad_value
    return gradient.data, gradient


def _compared(x: object, operation: str) -> float:
    """The float inside a Value (never while tracing), or a number as a float, to compare."""
    if isinstance(x, Value):
        refuse_while_tracing(f"comparing a traced Value ({operation})", BAKES_BRANCH)
        return x.data
    return as_float(x, operation)


def constant(x: object, operation: str) -> Value:
    """``x`` if it is a Value, else a new constant leaf."""
    if isinstance(x, Value):
        return x
    return Value(as_float(x, operation))
