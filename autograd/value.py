"""``Value``: a scalar node of a computation graph, and the operations that build the graph.

Each primitive computes its forward value and its local derivatives side by side. A local
derivative is written once, as a *rule* ``rule(out, *inputs)`` in plain arithmetic that returns
the derivative (one input) or a tuple of them (several): called with floats in the forward pass it
gives floats (the fast path); called with Values by ``backward(create_graph=True)`` it gives Values
(the differentiable path, for higher order). The two constant derivatives, of ``x + c`` and
``x * c``, are written where the node is made (they are the same in both paths).
Derived operations (``-``, ``/``, reflected operators, ...) are built from primitives and carry no
derivative code. The chain rule itself lives once, in ``autograd.graph.backpropagate``.
"""

from __future__ import annotations

import builtins
import math
import numbers
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter, mul
from typing import Any, Union

from autograd import ieee
from autograd.graph import backpropagate, interior_order, leaves_of
from autograd.modes import DEFAULT_MODE, current_mode

Number = Union[int, float]
"""A plain real number (numpy's scalar types and fractions are accepted too)."""
Scalar = Union["Value", int, float]
"""What every operation accepts: a Value or a real number."""

_new_object = object.__new__
_data_of = attrgetter("data")


def _type_error(x: object, operation: str) -> TypeError:
    if isinstance(x, bool):
        hint = "bool is not a number here: write 1.0 or 0.0"
    elif isinstance(x, str):
        hint = "convert text with float(...) first"
    elif isinstance(x, complex):
        hint = "complex numbers are not supported"
    elif isinstance(x, (list, tuple)):
        hint = "pass one number at a time"
    else:
        hint = "expected an int, a float or a Value"
    return TypeError(f"{operation}: got {type(x).__name__} {x!r:.40}; {hint}")


def as_float(x: object, operation: str) -> float:
    """``x`` as a float if it is a real number (``bool`` excluded), else a ``TypeError`` naming it.

    >>> as_float(3, "Value()")
    3.0
    >>> as_float("3", "Value()")
    Traceback (most recent call last):
    ...
    TypeError: Value(): got str '3'; convert text with float(...) first
    """
    if type(x) is float:
        return x
    if type(x) is int or (isinstance(x, numbers.Real) and not isinstance(x, bool)):  # int: no ABC check
        try:
            return float(x)
        except OverflowError:  # an int beyond float's range (not copysign: it would convert x again)
            return math.inf if x > 0 else -math.inf  # type: ignore[operator]
    raise _type_error(x, operation)


class Value:
    """A scalar that remembers how it was computed, so gradients can flow back to its inputs.

    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> y.data, x.grad
    (10.0, 7.0)
    """

    # A node with ONE parent (most nodes: x*c, x+c, tanh, relu, ...) stores that parent and its
    # local derivative bare, without tuples; other nodes store tuples (a leaf: empty ones). A tuple
    # of Values is one more object for Python's cyclic garbage collector, whose full passes rescan
    # every live object: at 10^5 nodes they were over half the run (benchmarks/README.md). The
    # public ``parents`` and ``local_grads`` are always tuples. ``if node._parents`` tells an
    # interior node from a leaf (a Value defines no __bool__, so a bare parent counts as true).
    __slots__ = ("data", "grad", "_parents", "_local_grads", "op", "label", "grad_value", "__weakref__")
    __array_ufunc__ = None  # numpy scalars and arrays defer to our reflected operators

    data: float
    """The value computed in the forward pass."""
    grad: float
    """d(output)/d(self) after ``backward()``; accumulates into leaves across calls."""
    _parents: Any  # one Value, or a tuple of Values (typed Any: mypy does not narrow on type(...) is)
    _local_grads: Any  # its derivative, or a parallel tuple
    op: str
    """A short label of the operation that made this node (``"*"``, ``"tanh"``); ``""`` for a leaf."""
    label: str | None
    """An optional name, shown by ``repr`` and in drawings."""
    grad_value: Value | None
    """The gradient as a differentiable Value, set by ``backward(create_graph=True)``."""

    def __init__(self, data: Number, label: str | None = None) -> None:
        if label is not None and not isinstance(label, str):
            raise TypeError(f"Value(label=...): got {type(label).__name__}; expected a str or None")
        self.data = as_float(data, "Value()")
        self.grad = 0.0
        self._parents = ()
        self._local_grads = ()
        self.op = ""
        self.label = label
        self.grad_value = None

    @property
    def parents(self) -> tuple[Value, ...]:
        """The Values this one was computed from, in argument order, repeats kept.

        >>> a = Value(2.0)
        >>> (a * a).parents == (a, a), (a * 3).parents == (a,), a.parents
        (True, True, ())
        """
        parents = self._parents
        return parents if type(parents) is tuple else (parents,)

    @property
    def local_grads(self) -> tuple[Any, ...]:
        """d(self)/d(parent) for each of ``parents``, computed in the forward pass.

        >>> a, b = Value(2.0), Value(5.0)
        >>> (a * b).local_grads, (a * 3).local_grads
        ((5.0, 2.0), (3.0,))
        """
        if type(self._parents) is tuple:
            return self._local_grads  # type: ignore[no-any-return]
        return (self._local_grads,)

    # ----- presentation -------------------------------------------------------------------

    def __repr__(self) -> str:
        label = "" if self.label is None else f", label={self.label!r}"
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def __float__(self) -> float:
        return self.data

    def __format__(self, spec: str) -> str:
        return format(self.data, spec) if spec else repr(self)

    def draw(self, **options: Any) -> Any:
        """This value's graph as a ``graphviz.Digraph`` (see ``autograd.draw.draw_graph``)."""
        from autograd.draw import draw_graph

        return draw_graph(self, **options)

    # ----- comparisons: by data, returning bool; == and hash stay by identity ---------------

    def __lt__(self, other: Scalar) -> bool:
        return self.data < _data(other, "<")

    def __le__(self, other: Scalar) -> bool:
        return self.data <= _data(other, "<=")

    def __gt__(self, other: Scalar) -> bool:
        return self.data > _data(other, ">")

    def __ge__(self, other: Scalar) -> bool:
        return self.data >= _data(other, ">=")

    __hash__ = object.__hash__  # nodes live in sets and dicts by identity

    # ----- primitives: forward value and local derivatives side by side -------------------

    @staticmethod
    def _sum_rule(out: Any, *terms: Any) -> tuple[Any, ...]:
        """d(t_1 + ... + t_n + c)/d t_i = 1 for every term."""
        return (1.0,) * len(terms)

    def __add__(self, other: Scalar) -> Value:
        if type(other) is float:  # the most common constant, checked first as the cheapest test
            c = other
        elif isinstance(other, Value):
            out = self.data + other.data
            return _make(out, (self, other), Value._sum_rule(out, self, other), "+")
        else:
            c = as_float(other, "Value + ...")
        out = self.data + c
        return _make(out, self, 1.0, "+")  # d(x + c)/dx = 1, a constant: no rule to call

    @staticmethod
    def _product_rule(out: Any, a: Any, b: Any) -> tuple[Any, Any]:
        """d(a*b)/da = b, d(a*b)/db = a."""
        return (b, a)

    def __mul__(self, other: Scalar) -> Value:
        if type(other) is float:  # the most common constant, checked first as the cheapest test
            c = other
        elif isinstance(other, Value):
            a, b = self.data, other.data
            out = a * b
            return _make(out, (self, other), Value._product_rule(out, a, b), "*")
        else:
            c = as_float(other, "Value * ...")
        out = self.data * c
        return _make(out, self, c, "*")  # d(x * c)/dx = c, a constant: no rule to call

    @staticmethod
    def _power_rule(out: Any, x: Any, c: float) -> Any:
        """d(x**c)/dx = c * x**(c-1); 0 for c == 0, since x**0 is the constant 1 (as in PyTorch)."""
        if c == 0.0:
            return 0.0
        return c * power(x, c - 1.0)

    @staticmethod
    def _general_power_rule(out: Any, x: Any, y: Any) -> tuple[Any, Any]:
        """d(x**y)/dx = y * x**(y-1) and d(x**y)/dy = x**y * log(x), with PyTorch's masks.

        d/dx is 0 where y == 0; d/dy is 0 where x == 0 and y >= 0 (not 0 * log(0) = nan), and
        nan for a negative base (log of a negative number).
        """
        x_data, y_data = _data(x, "**"), _data(y, "**")
        d_dx = 0.0 if y_data == 0.0 else y * power(x, y - 1.0)
        d_dy = 0.0 if (x_data == 0.0 and y_data >= 0.0) else out * log(x)
        return (d_dx, d_dy)

    def __pow__(self, exponent: Scalar) -> Value:
        if isinstance(exponent, Value):
            x, y = self.data, exponent.data
            out = ieee.power(x, y)
            rule = Value._general_power_rule(out, x, y)
            return _make(out, (self, exponent), rule, "**")
        c = as_float(exponent, "Value ** ...")
        x = self.data
        out = ieee.power(x, c)
        # the label keeps the exponent (as micrograd's "**2"), for drawings and for create_graph
        return _make(out, self, Value._power_rule(out, x, c), "**" + _number_text(exponent, c))

    @staticmethod
    def _exp_rule(out: Any, x: Any) -> Any:
        """d e**x/dx = e**x, the output itself."""
        return out

    def exp(self) -> Value:
        """``e ** self``; ``inf`` past about 709, never ``OverflowError``."""
        out = ieee.exp(self.data)
        return _make(out, self, Value._exp_rule(out, self.data), "exp")

    @staticmethod
    def _log_rule(out: Any, x: Any) -> Any:
        """d log(x)/dx = 1/x (inf at 0, and -1 at -1 although log(-1) is nan, as in PyTorch)."""
        return divide(1.0, x)

    def log(self) -> Value:
        """Natural logarithm: ``-inf`` at 0, ``nan`` below 0."""
        out = ieee.log(self.data)
        return _make(out, self, Value._log_rule(out, self.data), "log")

    @staticmethod
    def _sqrt_rule(out: Any, x: Any) -> Any:
        """d sqrt(x)/dx = 1 / (2 sqrt(x)), in terms of the output; inf at 0."""
        return divide(0.5, out)

    def sqrt(self) -> Value:
        """Square root; ``nan`` below 0, gradient ``inf`` at 0."""
        out = ieee.sqrt(self.data)
        return _make(out, self, Value._sqrt_rule(out, self.data), "sqrt")

    @staticmethod
    def _tanh_rule(out: Any, x: Any) -> Any:
        """d tanh(x)/dx = 1 - tanh(x)**2, in terms of the output."""
        return 1.0 - out * out

    def tanh(self) -> Value:
        """Hyperbolic tangent; saturates at +-1 without overflow."""
        out = math.tanh(self.data)
        return _make(out, self, Value._tanh_rule(out, self.data), "tanh")

    @staticmethod
    def _sigmoid_rule(out: Any, x: Any) -> Any:
        """d sigmoid(x)/dx = sigmoid(x) * (1 - sigmoid(x)), in terms of the output."""
        return out * (1.0 - out)

    def sigmoid(self) -> Value:
        """The logistic function ``1 / (1 + e**-x)``; stable at +-1000."""
        out = ieee.sigmoid(self.data)
        return _make(out, self, Value._sigmoid_rule(out, self.data), "sigmoid")

    @staticmethod
    def _softplus_rule(out: Any, x: Any) -> Any:
        """d log(1 + e**x)/dx = sigmoid(x) (1/2 at 0)."""
        return sigmoid(x)

    def softplus(self) -> Value:
        """``log(1 + e**x)``, a smooth relu; stable at +-1000."""
        out = ieee.softplus(self.data)
        return _make(out, self, Value._softplus_rule(out, self.data), "softplus")

    @staticmethod
    def _relu_rule(out: Any, x: Any) -> float:
        """d relu(x)/dx = 0 for x <= 0, else 1 (0 at the kink; 1 at nan, as in PyTorch)."""
        return 0.0 if x <= 0.0 else 1.0

    def relu(self) -> Value:
        """``max(x, 0)``; keeps nan, gradient 0 at 0."""
        x = self.data
        out = 0.0 if x <= 0.0 else x  # nan <= 0 is False: nan passes through
        return _make(out, self, Value._relu_rule(out, x), "relu")

    @staticmethod
    def _abs_rule(out: Any, x: Any) -> float:
        """d |x|/dx = sign(x): 1, -1, or 0 at the kink and at nan (PyTorch's sign(nan) is 0)."""
        return 1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0

    def __abs__(self) -> Value:
        x = self.data
        out = math.fabs(x)
        return _make(out, self, Value._abs_rule(out, x), "abs")

    def abs(self) -> Value:
        """``|x|``, gradient 0 at 0."""
        return self.__abs__()

    @staticmethod
    def _sin_rule(out: Any, x: Any) -> Any:
        """d sin(x)/dx = cos(x)."""
        return cos(x)

    def sin(self) -> Value:
        """Sine (radians)."""
        out = ieee.sin(self.data)
        return _make(out, self, Value._sin_rule(out, self.data), "sin")

    @staticmethod
    def _cos_rule(out: Any, x: Any) -> Any:
        """d cos(x)/dx = -sin(x)."""
        return -sin(x)

    def cos(self) -> Value:
        """Cosine (radians)."""
        out = ieee.cos(self.data)
        return _make(out, self, Value._cos_rule(out, self.data), "cos")

    # ----- derived operations: built from primitives, no derivative code -----------------

    def __radd__(self, other: Number) -> Value:
        return self + other

    def __neg__(self) -> Value:
        return self * -1.0

    def __pos__(self) -> Value:
        return self

    def __sub__(self, other: Scalar) -> Value:
        if isinstance(other, Value):
            return self + (-other)
        return self + (-as_float(other, "Value - ..."))

    def __rsub__(self, other: Number) -> Value:
        return (-self) + as_float(other, "... - Value")  # checked here, so the error names "-"

    def __rmul__(self, other: Number) -> Value:
        return self * other

    def __truediv__(self, other: Scalar) -> Value:
        if isinstance(other, Value):
            return self * other**-1
        return self * ieee.divide(1.0, as_float(other, "Value / ..."))

    def __rtruediv__(self, other: Number) -> Value:
        return self**-1 * as_float(other, "... / Value")  # checked here, so the error names "/"

    def __rpow__(self, base: Number) -> Value:
        return Value(as_float(base, "... ** Value")) ** self

    def square(self) -> Value:
        """``x * x``."""
        return self * self

    def detach(self) -> Value:
        """A new leaf with the same data: gradients do not flow through it.

        >>> x = Value(3.0)
        >>> y = x.detach() * x
        >>> y.backward()
        >>> x.grad
        3.0
        """
        return Value(self.data, self.label)

    # ----- the backward pass ---------------------------------------------------------------

    def backward(self, grad: Number = 1.0, create_graph: bool = False) -> None:
        """Fill ``.grad`` of every node this value depends on with d(self)/d(node).

        Leaves *accumulate* (``+=``) across calls, as in PyTorch; interior nodes are reset first,
        so calling ``backward()`` twice gives exactly twice the leaf gradients. With
        ``create_graph=True`` the gradients are also built as Values (``.grad_value``) that can
        be differentiated again.

        >>> a = Value(3.0)
        >>> b = a * a
        >>> b.backward(); a.grad
        6.0
        >>> b.backward(); a.grad
        12.0
        """
        seed = as_float(grad, "backward(grad=...)")
        if not isinstance(create_graph, bool):
            raise TypeError(f"backward(create_graph=...): got {type(create_graph).__name__}; expected a bool")
        order = interior_order(self)  # interior grads are reset to 0.0 on the way
        check = _check_backward if current_mode().checking else None
        if not create_graph:
            self.grad += seed
            backpropagate(order, None, check)
            return
        # create_graph: gradients are Values while the pass runs, then move to .grad_value
        nodes = order + leaves_of(order) if order else [self]
        for node in nodes:
            previous = node.grad_value
            if previous is not None and not node.parents and previous.data == node.grad:
                # a leaf keeps accumulating its differentiable gradient (.grad holds Values meanwhile);
                # if the user reset .grad by hand, the float is the truth and we start from it
                node.grad = previous  # type: ignore[assignment]
        self.grad = self.grad + seed
        backpropagate(order, local_grads_as_values, check)
        for node in nodes:
            gradient = node.grad
            node.grad_value = gradient if isinstance(gradient, Value) else Value(gradient)
            node.grad = node.grad_value.data


def _make(data: float, parents: Any, local_grads: Any, op: str) -> Value:
    """A new interior node; in ``no_grad`` a leaf, in ``detect_anomaly`` checked for nan.

    ``parents`` and ``local_grads`` are one Value and its derivative, or two parallel tuples.
    """
    node = _new_object(Value)
    node.data = data
    node.grad = 0.0
    node.label = None
    node.grad_value = None
    mode = current_mode()
    if mode is DEFAULT_MODE or (mode.recording and not mode.checking):
        node._parents = parents
        node._local_grads = local_grads
        node.op = op
        return node
    inputs = parents if type(parents) is tuple else (parents,)
    if mode.checking and data != data and not any(p.data != p.data for p in inputs):
        described = ", ".join(f"{_name(p)} = {p.data!r}" for p in inputs)
        raise FloatingPointError(f"detect_anomaly: the forward pass of '{op}' gave nan (inputs: {described})")
    if mode.recording:
        node._parents = parents
        node._local_grads = local_grads
        node.op = op
    else:
        node._parents = ()
        node._local_grads = ()
        node.op = ""
    return node


def _name(node: Value) -> str:
    if node.label is not None:
        return node.label
    return f"{node.op}(...)" if node.op else "a leaf"


def _check_backward(node: Value, local_grads: Any) -> None:
    """detect_anomaly's backward check: a finite gradient must not turn into nan at this node.

    ``local_grads`` is in the node's own storage shape (one derivative for one parent).
    """
    grad = float(node.grad)
    if grad != grad:
        return  # already nan on arrival: reported where it appeared
    if type(node._parents) is not tuple:
        local_grads = (local_grads,)
    for index, (parent, local) in enumerate(zip(node.parents, local_grads)):
        contribution = float(local) * grad
        if contribution != contribution:
            where = f" (label {node.label!r})" if node.label is not None else ""
            raise FloatingPointError(
                f"detect_anomaly: the backward pass of '{node.op}'{where} gave a nan gradient "
                f"for its input {index} ({_name(parent)} = {parent.data!r}): "
                f"local derivative {float(local)!r} times incoming gradient {grad!r}"
            )


def _number_text(original: object, value: float) -> str:
    """How a constant reads in an op label: ``2`` for the int 2, ``0.5`` for the float 0.5."""
    if type(original) is int:
        return str(original)
    return repr(value)


def _data(x: object, operation: str) -> float:
    """The float inside a Value, or a number as a float."""
    if isinstance(x, Value):
        return x.data
    return as_float(x, operation)


def _constant(x: object, operation: str) -> Value:
    """``x`` if it is a Value, else a new constant leaf."""
    if isinstance(x, Value):
        return x
    return Value(as_float(x, operation))


# ----- create_graph: the local derivatives as Values, from the same rules ------------------

_RULES: dict[str, Callable[..., Any]] = {
    "+": Value._sum_rule,
    "**": Value._general_power_rule,
    "exp": Value._exp_rule,
    "log": Value._log_rule,
    "sqrt": Value._sqrt_rule,
    "tanh": Value._tanh_rule,
    "sigmoid": Value._sigmoid_rule,
    "softplus": Value._softplus_rule,
    "relu": Value._relu_rule,
    "abs": Value._abs_rule,
    "sin": Value._sin_rule,
    "cos": Value._cos_rule,
}
"""Each op's derivative rule, for re-deriving local gradients as Values (filled in below too)."""


def local_grads_as_values(node: Value) -> Any:
    """``node``'s local derivatives recomputed from its op's rule with Values, so they can be
    differentiated again (constants stay plain floats). In the node's storage shape: one
    derivative for a node with one parent, else a tuple."""
    op, parents = node.op, node._parents
    if type(parents) is not tuple:  # one parent
        if op == "*" or op == "+":  # x * c, x + c: the local derivative is a constant (c, 1)
            return node._local_grads
        if op.startswith("**"):  # x ** c, with c kept in the label
            return Value._power_rule(node, parents, float(op[2:]))
        return _RULES[op](node, parents)
    if op == "*":
        return Value._product_rule(node, *parents)
    return _RULES[op](node, *parents)


# ----- n-ary primitives: one node for many inputs ---------------------------------------------


def _linear_rule(out: Any, weights: Sequence[Any], inputs: Sequence[Any], has_bias: bool) -> tuple[Any, ...]:
    """d(sum_i w_i x_i + b)/d w_i = x_i, d/d x_i = w_i, d/db = 1."""
    return (*inputs, *weights, 1.0) if has_bias else (*inputs, *weights)


def _linear_rule_of_parents(out: Any, *parents: Any) -> tuple[Any, ...]:
    """``_linear_rule`` for create_graph, which passes the parents: ``w_1..w_n, x_1..x_n[, b]``."""
    n = len(parents) // 2
    return _linear_rule(out, parents[:n], parents[n : 2 * n], len(parents) % 2 == 1)


_RULES["linear"] = _linear_rule_of_parents



def linear(weights: Sequence[Scalar], inputs: Sequence[Scalar], bias: Scalar = 0.0) -> Value:
    """``sum(w * x for w, x in zip(weights, inputs)) + bias`` as ONE node.

    A neuron's pre-activation in one node instead of ``2n`` keeps big graphs small and fast
    (its parents are the weights, then the inputs, then the bias), and keeps drawings readable.
    Numbers among the weights or inputs become constant leaves.

    >>> w, x = [Value(2.0), Value(-1.0)], [Value(3.0), Value(4.0)]
    >>> y = linear(w, x, Value(0.5))
    >>> y.backward()
    >>> y.data, w[0].grad, x[1].grad
    (2.5, 3.0, -1.0)
    """
    if type(weights) is not list:
        weights = list(weights)
    if type(inputs) is not list:
        inputs = list(inputs)
    if len(inputs) != len(weights):
        raise ValueError(
            f"linear: {len(weights)} weights but {len(inputs)} inputs; they must be equally many"
        )
    try:  # the fast path: all Values (a number has no .data)
        weight_data = list(map(_data_of, weights))
        input_data = list(map(_data_of, inputs))
        out = builtins.sum(map(mul, weight_data, input_data))
        if type(out) is not float:
            raise AttributeError  # foreign objects with a .data attribute
    except AttributeError:  # numbers (or wrong types) among them: the checked path
        weight_values = [_constant(w, "linear (weights)") for w in weights]
        input_values = [_constant(x, "linear (inputs)") for x in inputs]
        weights, inputs = weight_values, input_values
        weight_data = [w.data for w in weight_values]
        input_data = [x.data for x in input_values]
        out = builtins.sum(map(mul, weight_data, input_data))
    parents: tuple[Any, ...]  # Values only: numbers became constant leaves above
    if isinstance(bias, Value):
        out += bias.data
        parents = (*weights, *inputs, bias)
        local_grads = _linear_rule(out, weight_data, input_data, True)
    else:
        out += as_float(bias, "linear (bias)")
        parents = (*weights, *inputs)
        local_grads = _linear_rule(out, weight_data, input_data, False)
    return _make(out, parents, local_grads, "linear")


def dot(a: Sequence[Scalar], b: Sequence[Scalar]) -> Value:
    """``sum(x * y for x, y in zip(a, b))`` as one node; ``dot(p, p)`` is a sum of squares.

    >>> p = [Value(1.0), Value(2.0)]
    >>> s = dot(p, p)
    >>> s.backward()
    >>> s.data, p[1].grad
    (5.0, 4.0)
    """
    return linear(a, b)


def sum(values: Iterable[Scalar]) -> Value:  # noqa: A001 (autograd.sum, like numpy.sum)
    """The sum of many Values (and numbers) as ONE node, so a long sum is no deep chain.

    >>> xs = [Value(float(i)) for i in range(1000)]
    >>> s = sum(xs)
    >>> s.backward()
    >>> s.data, xs[7].grad
    (499500.0, 1.0)
    """
    terms = []
    constant = 0.0
    for v in values:
        if isinstance(v, Value):
            terms.append(v)
        else:
            constant += as_float(v, "sum")
    out = builtins.sum(map(_data_of, terms), constant)
    return _make(out, tuple(terms), Value._sum_rule(out, *terms), "+")


# ----- maximum and minimum -----------------------------------------------------------------


def _maximum_rule(out: Any, a: Any, b: Any) -> tuple[float, float]:
    """d max(a, b) = (1, 0) where a > b, (0, 1) where a < b, (1/2, 1/2) at a tie (PyTorch)."""
    if a > b:
        return (1.0, 0.0)
    if a < b:
        return (0.0, 1.0)
    if a >= b:  # a tie (not ==, which compares Values by identity)
        return (0.5, 0.5)
    return (1.0, 1.0)  # nan on a side: PyTorch passes the whole gradient to both


def _minimum_rule(out: Any, a: Any, b: Any) -> tuple[float, float]:
    """d min(a, b) = (1, 0) where a < b, (0, 1) where a > b, (1/2, 1/2) at a tie (PyTorch)."""
    if a < b:
        return (1.0, 0.0)
    if a > b:
        return (0.0, 1.0)
    if a >= b:  # a tie (not ==, which compares Values by identity)
        return (0.5, 0.5)
    return (1.0, 1.0)  # nan on a side: PyTorch passes the whole gradient to both


_RULES["max"] = _maximum_rule
_RULES["min"] = _minimum_rule


def _nan_or(a: float, b: float, chosen: float) -> float:
    return a if a != a else b if b != b else chosen  # nan propagates, as in torch.maximum


def maximum(a: Scalar, b: Scalar) -> Any:
    """The larger of ``a`` and ``b``; at a tie the gradient is split 1/2, 1/2. nan propagates.

    >>> x, y = Value(2.0), Value(2.0)
    >>> m = maximum(x, y)
    >>> m.backward()
    >>> m.data, x.grad, y.grad
    (2.0, 0.5, 0.5)
    """
    if not isinstance(a, Value) and not isinstance(b, Value):
        x, y = as_float(a, "maximum"), as_float(b, "maximum")
        return _nan_or(x, y, x if x >= y else y)
    a, b = _constant(a, "maximum"), _constant(b, "maximum")
    x, y = a.data, b.data
    out = _nan_or(x, y, x if x >= y else y)
    return _make(out, (a, b), _maximum_rule(out, x, y), "max")


def minimum(a: Scalar, b: Scalar) -> Any:
    """The smaller of ``a`` and ``b``; at a tie the gradient is split 1/2, 1/2. nan propagates.

    >>> x, y = Value(1.0), Value(3.0)
    >>> m = minimum(x, y)
    >>> m.backward()
    >>> m.data, x.grad, y.grad
    (1.0, 1.0, 0.0)
    """
    if not isinstance(a, Value) and not isinstance(b, Value):
        x, y = as_float(a, "minimum"), as_float(b, "minimum")
        return _nan_or(x, y, x if x <= y else y)
    a, b = _constant(a, "minimum"), _constant(b, "minimum")
    x, y = a.data, b.data
    out = _nan_or(x, y, x if x <= y else y)
    return _make(out, (a, b), _minimum_rule(out, x, y), "min")


# ----- functions of a number or a Value: floats in, floats out; Values in, Values out -------
# These are what rules call, so one rule serves floats and Values. They also spare users
# math.exp(v), which would silently drop the graph.


def exp(x: Scalar) -> Any:
    """``e ** x`` of a number (a float) or of a Value (a Value).

    >>> exp(0.0), exp(Value(0.0)).data
    (1.0, 1.0)
    """
    return x.exp() if isinstance(x, Value) else ieee.exp(as_float(x, "exp"))


def log(x: Scalar) -> Any:
    """Natural logarithm of a number or a Value (``-inf`` at 0, ``nan`` below).

    >>> log(1.0), log(Value(0.0)).data
    (0.0, -inf)
    """
    return x.log() if isinstance(x, Value) else ieee.log(as_float(x, "log"))


def sqrt(x: Scalar) -> Any:
    """Square root of a number or a Value.

    >>> sqrt(9.0), sqrt(Value(4.0)).data
    (3.0, 2.0)
    """
    return x.sqrt() if isinstance(x, Value) else ieee.sqrt(as_float(x, "sqrt"))


def tanh(x: Scalar) -> Any:
    """Hyperbolic tangent of a number or a Value.

    >>> tanh(0.0), tanh(Value(1000.0)).data
    (0.0, 1.0)
    """
    return x.tanh() if isinstance(x, Value) else math.tanh(as_float(x, "tanh"))


def sigmoid(x: Scalar) -> Any:
    """The logistic function of a number or a Value.

    >>> sigmoid(0.0), sigmoid(Value(-1000.0)).data
    (0.5, 0.0)
    """
    return x.sigmoid() if isinstance(x, Value) else ieee.sigmoid(as_float(x, "sigmoid"))


def softplus(x: Scalar) -> Any:
    """``log(1 + e**x)`` of a number or a Value.

    >>> softplus(Value(1000.0)).data
    1000.0
    """
    return x.softplus() if isinstance(x, Value) else ieee.softplus(as_float(x, "softplus"))


def relu(x: Scalar) -> Any:
    """``max(x, 0)`` of a number or a Value.

    >>> relu(-2.0), relu(Value(3.0)).data
    (0.0, 3.0)
    """
    if isinstance(x, Value):
        return x.relu()
    x = as_float(x, "relu")
    return 0.0 if x <= 0.0 else x


def sin(x: Scalar) -> Any:
    """Sine of a number or a Value.

    >>> sin(0.0), sin(Value(0.0)).data
    (0.0, 0.0)
    """
    return x.sin() if isinstance(x, Value) else ieee.sin(as_float(x, "sin"))


def cos(x: Scalar) -> Any:
    """Cosine of a number or a Value.

    >>> cos(0.0), cos(Value(0.0)).data
    (1.0, 1.0)
    """
    return x.cos() if isinstance(x, Value) else ieee.cos(as_float(x, "cos"))


def absolute(x: Scalar) -> Any:
    """``|x|`` of a number or a Value (also the builtin ``abs(value)``).

    >>> absolute(-2.0), absolute(Value(-3.0)).data
    (2.0, 3.0)
    """
    return x.abs() if isinstance(x, Value) else math.fabs(as_float(x, "absolute"))


def power(x: Scalar, y: Scalar) -> Any:
    """``x ** y`` of numbers (a float, IEEE: ``0 ** -1 = inf``) or Values (a Value).

    >>> power(0.0, -1.0), power(Value(2.0), 3).data
    (inf, 8.0)
    """
    if isinstance(x, Value):
        return x**y
    if isinstance(y, Value):
        return _constant(x, "power") ** y
    return ieee.power(as_float(x, "power"), as_float(y, "power"))


def divide(a: Scalar, b: Scalar) -> Any:
    """``a / b`` of numbers (a float, IEEE: ``1 / 0 = inf``) or Values (a Value).

    >>> divide(1.0, 0.0), divide(Value(1.0), 4).data
    (inf, 0.25)
    """
    if isinstance(a, Value) or isinstance(b, Value):
        return a / b
    return ieee.divide(as_float(a, "divide"), as_float(b, "divide"))
