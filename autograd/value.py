"""``Value``: a scalar that remembers how it was computed, and the primitives that build the graph.

Each primitive is defined once, here, next to the operator that applies it: its derivative *rule*
(the local derivatives in plain arithmetic; see ``primitive.py``), the ``Primitive`` that names it with
its forward function, and the method. The method computes the forward value, asks the rule for the
local derivatives and records both on the new node (``graph.record``). Derived operations (``-``,
reflected operators, ``square``) are built from primitives and carry no derivative code. The chain
rule itself lives once, in ``graph.backpropagate``.
"""

from __future__ import annotations

import math
import operator
from typing import Any, Union

from autograd import graph, ieee
from autograd.elementary import cos, divide, log, power, sigmoid, sin
from autograd.graph import Node, check_edge, local_grads_as_values, record
from autograd.inputs import Number, as_float
from autograd.modes import BAKES_BRANCH, BAKES_NUMBER, current_mode, recording_unchecked, refuse_while_tracing
from autograd.primitive import FLAT, Primitive, equal, reciprocal, where

Scalar = Union["Value", int, float]
"""What every operation accepts: a Value or a real number."""

_new = object.__new__


class Value(Node):
    """A scalar that remembers how it was computed, so gradients can flow back to its inputs.

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
                raise TypeError("Value(): got a Value; to copy one, use v.detach() (a new leaf with the "
                                "same data) or Value(v.data)")
            data = as_float(data, "Value()")
        graph.make_leaf(self, data, label)

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

    # ----- primitives: rule, Primitive and operator, side by side ---------------------------

    @staticmethod
    def _sum_rule(out: Any, *terms: Any) -> tuple[Any, ...]:
        """d(t_1 + ... + t_n)/d t_i = 1."""
        return (1.0,) * len(terms)
    ADD = Primitive("Value.ADD", "+", operator.add, _sum_rule, code="{0} + {1}")

    @staticmethod
    def _add_constant_rule(out: Any, x: Any, c: float) -> Any:
        """d(x + c)/dx = 1."""
        return 1.0
    ADD_CONSTANT = Primitive("Value.ADD_CONSTANT", "+", operator.add, _add_constant_rule,
                             code="{0} + {c}", takes_constant=True)

    def __add__(self, other: Scalar) -> Value:
        if type(other) is float:  # the most common constant, checked first as the cheapest test
            c = other
        elif isinstance(other, Value):
            out = self.data + other.data
            return record(_new(Value), out, (self, other), Value._sum_rule(out, self.data, other.data),
                          Value.ADD)
        else:
            c = as_float(other, "Value + ...")
        x = self.data
        out = x + c
        # the local derivative is _add_constant_rule's 1.0, written out: a call here costs ~5% of a chain
        # (tests check that every node's stored derivatives equal its primitive's rule)
        return record(_new(Value), out, self, 1.0, Value.ADD_CONSTANT, c)

    @staticmethod
    def _product_rule(out: Any, a: Any, b: Any) -> tuple[Any, Any]:
        """d(a * b)/da = b, d(a * b)/db = a."""
        return (b, a)
    MULTIPLY = Primitive("Value.MULTIPLY", "*", operator.mul, _product_rule, code="{0} * {1}")

    @staticmethod
    def _scale_rule(out: Any, x: Any, c: float) -> Any:
        """d(x * c)/dx = c."""
        return c
    MULTIPLY_CONSTANT = Primitive("Value.MULTIPLY_CONSTANT", "*", operator.mul, _scale_rule,
                                  code="{0} * {c}", takes_constant=True)

    def __mul__(self, other: Scalar) -> Value:
        if type(other) is float:  # the most common constant, checked first as the cheapest test
            c = other
        elif isinstance(other, Value):
            a, b = self.data, other.data
            out = a * b
            return record(_new(Value), out, (self, other), Value._product_rule(out, a, b), Value.MULTIPLY)
        else:
            c = as_float(other, "Value * ...")
        x = self.data
        out = x * c
        # the local derivative is _scale_rule's c, written out as for x + c
        return record(_new(Value), out, self, c, Value.MULTIPLY_CONSTANT, c)

    @staticmethod
    def _quotient_rule(out: Any, a: Any, b: Any) -> tuple[Any, Any]:
        """d(a / b)/da = 1/b, d(a / b)/db = -a/b**2 = -(a/b)/b (no b**2, which under- or overflows)."""
        return (reciprocal(b), -divide(out, b))
    DIVIDE = Primitive("Value.DIVIDE", "/", ieee.divide, _quotient_rule, code="divide({0}, {1})")

    @staticmethod
    def _divide_by_constant_rule(out: Any, x: Any, c: float) -> Any:
        """d(x / c)/dx = 1/c."""
        return reciprocal(c)
    DIVIDE_BY_CONSTANT = Primitive("Value.DIVIDE_BY_CONSTANT", "/", ieee.divide, _divide_by_constant_rule,
                                   code="divide({0}, {c})", takes_constant=True)

    @staticmethod
    def _constant_over_rule(out: Any, x: Any, c: float) -> Any:
        """d(c / x)/dx = -c/x**2 = -(c/x)/x."""
        return -divide(out, x)
    CONSTANT_OVER = Primitive("Value.CONSTANT_OVER", "/", ieee.divide_into, _constant_over_rule,
                              code="divide({c}, {0})", takes_constant=True, constant_first=True)

    def __truediv__(self, other: Scalar) -> Value:
        if isinstance(other, Value):
            a, b = self.data, other.data
            out = ieee.divide(a, b)
            return record(_new(Value), out, (self, other), Value._quotient_rule(out, a, b), Value.DIVIDE)
        return _with_constant(Value.DIVIDE_BY_CONSTANT, self, as_float(other, "Value / ..."))

    def __rtruediv__(self, other: Number) -> Value:
        return _with_constant(Value.CONSTANT_OVER, self, as_float(other, "... / Value"))

    @staticmethod
    def _power_constant_rule(out: Any, x: Any, c: float) -> Any:
        """d(x ** c)/dx = c * x**(c-1); flat for c = 0 (x**0 is the constant 1, as in PyTorch)."""
        return where(c == 0.0, FLAT, c * power(x, c - 1.0))
    POWER_CONSTANT = Primitive("Value.POWER_CONSTANT", "**", ieee.power, _power_constant_rule,
                               code="power({0}, {c})", takes_constant=True, shows_constant=True)

    @staticmethod
    def _power_rule(out: Any, x: Any, y: Any) -> tuple[Any, Any]:
        """d(x ** y)/dx = y * x**(y-1) (flat where y = 0) and d(x ** y)/dy = x**y * log(x), which
        is 0 where x = 0 and y >= 0 (not 0 * log 0 = nan) and nan for a negative x, as in PyTorch."""
        d_dx = where(equal(y, 0.0), FLAT, y * power(x, y - 1.0))
        via_log = out * log(x)
        d_dy = where(equal(x, 0.0), where(y >= 0.0, 0.0, via_log), via_log)
        return (d_dx, d_dy)
    POWER = Primitive("Value.POWER", "**", ieee.power, _power_rule, code="power({0}, {1})")

    def __pow__(self, exponent: Scalar) -> Value:
        if isinstance(exponent, Value):
            x, y = self.data, exponent.data
            out = ieee.power(x, y)
            return record(_new(Value), out, (self, exponent), Value._power_rule(out, x, y), Value.POWER)
        return _with_constant(Value.POWER_CONSTANT, self, as_float(exponent, "Value ** ..."))

    def __rpow__(self, base: Number) -> Value:
        return Value(as_float(base, "... ** Value")) ** self

    @staticmethod
    def _exp_rule(out: Any, x: Any) -> Any:
        """d e**x/dx = e**x, the output itself."""
        return out
    EXP = Primitive("Value.EXP", "exp", ieee.exp, _exp_rule, code="exp({0})")

    def exp(self) -> Value:
        """``e ** self``; ``inf`` past about 709, never ``OverflowError``.

        >>> x = Value(0.0)
        >>> y = x.exp(); y.backward()
        >>> y.data, x.grad, Value(1000.0).exp().data
        (1.0, 1.0, inf)
        """
        return _apply(Value.EXP, self)

    @staticmethod
    def _log_rule(out: Any, x: Any) -> Any:
        """d log(x)/dx = 1/x (inf at 0, and -1 at -1 although log(-1) is nan, as in PyTorch)."""
        return reciprocal(x)
    LOG = Primitive("Value.LOG", "log", ieee.log, _log_rule, code="log({0})")

    def log(self) -> Value:
        """Natural logarithm: ``-inf`` at 0, ``nan`` below 0.

        >>> x = Value(1.0)
        >>> y = x.log(); y.backward()
        >>> y.data, x.grad, Value(0.0).log().data, Value(-1.0).log().data
        (0.0, 1.0, -inf, nan)
        """
        return _apply(Value.LOG, self)

    @staticmethod
    def _sqrt_rule(out: Any, x: Any) -> Any:
        """d sqrt(x)/dx = 1 / (2 sqrt(x)), in terms of the output; inf at 0."""
        return reciprocal(2.0 * out)
    SQRT = Primitive("Value.SQRT", "sqrt", ieee.sqrt, _sqrt_rule, code="sqrt({0})")

    def sqrt(self) -> Value:
        """Square root; ``nan`` below 0, gradient ``inf`` at 0.

        >>> x = Value(4.0)
        >>> y = x.sqrt(); y.backward()
        >>> y.data, x.grad
        (2.0, 0.25)
        """
        return _apply(Value.SQRT, self)

    @staticmethod
    def _tanh_rule(out: Any, x: Any) -> Any:
        """d tanh(x)/dx = 1 - tanh(x)**2, in terms of the output."""
        return 1.0 - out * out
    TANH = Primitive("Value.TANH", "tanh", math.tanh, _tanh_rule, code="tanh({0})")

    def tanh(self) -> Value:
        """Hyperbolic tangent; saturates at +-1 without overflow.

        >>> x = Value(0.0)
        >>> y = x.tanh(); y.backward()
        >>> y.data, x.grad, Value(1000.0).tanh().data
        (0.0, 1.0, 1.0)
        """
        return _apply(Value.TANH, self)

    @staticmethod
    def _sigmoid_rule(out: Any, x: Any) -> Any:
        """d sigmoid(x)/dx = sigmoid(x) * (1 - sigmoid(x)), in terms of the output."""
        return out * (1.0 - out)
    SIGMOID = Primitive("Value.SIGMOID", "sigmoid", ieee.sigmoid, _sigmoid_rule, code="sigmoid({0})")

    def sigmoid(self) -> Value:
        """The logistic function ``1 / (1 + e**-x)``; stable at +-1000.

        >>> x = Value(0.0)
        >>> y = x.sigmoid(); y.backward()
        >>> y.data, x.grad, Value(-1000.0).sigmoid().data
        (0.5, 0.25, 0.0)
        """
        return _apply(Value.SIGMOID, self)

    @staticmethod
    def _softplus_rule(out: Any, x: Any) -> Any:
        """d log(1 + e**x)/dx = sigmoid(x) (1/2 at 0)."""
        return sigmoid(x)
    SOFTPLUS = Primitive("Value.SOFTPLUS", "softplus", ieee.softplus, _softplus_rule,
                         code="softplus({0})")

    def softplus(self) -> Value:
        """``log(1 + e**x)``, a smooth relu; stable at +-1000.

        >>> x = Value(0.0)
        >>> y = x.softplus(); y.backward()
        >>> round(y.data, 6), x.grad
        (0.693147, 0.5)
        """
        return _apply(Value.SOFTPLUS, self)

    @staticmethod
    def _relu_rule(out: Any, x: Any) -> Any:
        """d relu(x)/dx = 1 above 0; flat at and below 0 (1 at nan, as in PyTorch)."""
        return where(x <= 0.0, FLAT, 1.0)
    RELU = Primitive("Value.RELU", "relu", ieee.relu, _relu_rule, code="relu({0})")

    def relu(self) -> Value:
        """``max(x, 0)``; keeps nan and -0.0, gradient 0 at and below 0.

        >>> x = Value(3.0)
        >>> y = x.relu(); y.backward()
        >>> y.data, x.grad, Value(-2.0).relu().data
        (3.0, 1.0, 0.0)
        """
        return _apply(Value.RELU, self)

    @staticmethod
    def _abs_rule(out: Any, x: Any) -> Any:
        """d |x|/dx = sign(x): 1, -1, or 0 at the kink and at nan (PyTorch's sign(nan) is 0)."""
        return where(x > 0.0, 1.0, where(x < 0.0, -1.0, 0.0))
    ABS = Primitive("Value.ABS", "abs", math.fabs, _abs_rule, code="abs({0})")

    def abs(self) -> Value:
        """``|x|``, gradient 0 at 0 (also the builtin ``abs(value)``).

        >>> x = Value(-2.0)
        >>> y = abs(x); y.backward()
        >>> y.data, x.grad
        (2.0, -1.0)
        """
        return _apply(Value.ABS, self)

    __abs__ = abs

    @staticmethod
    def _sin_rule(out: Any, x: Any) -> Any:
        """d sin(x)/dx = cos(x)."""
        return cos(x)
    SIN = Primitive("Value.SIN", "sin", ieee.sin, _sin_rule, code="sin({0})")

    def sin(self) -> Value:
        """Sine (radians).

        >>> x = Value(0.0)
        >>> y = x.sin(); y.backward()
        >>> y.data, x.grad
        (0.0, 1.0)
        """
        return _apply(Value.SIN, self)

    @staticmethod
    def _cos_rule(out: Any, x: Any) -> Any:
        """d cos(x)/dx = -sin(x)."""
        return -sin(x)
    COS = Primitive("Value.COS", "cos", ieee.cos, _cos_rule, code="cos({0})")

    def cos(self) -> Value:
        """Cosine (radians).

        >>> x = Value(0.0)
        >>> y = x.cos(); y.backward()
        >>> y.data, x.grad
        (1.0, -0.0)
        """
        return _apply(Value.COS, self)

    @staticmethod
    def _clamp_min_rule(out: Any, x: Any, c: float) -> Any:
        """d max(x, c)/dx = 1 at and above the bound, flat below it and at nan (as torch.clamp)."""
        return where(x >= c, 1.0, FLAT)
    CLAMP_MIN = Primitive("Value.CLAMP_MIN", "clamp_min", ieee.maximum, _clamp_min_rule,
                          code="maximum({0}, {c})", takes_constant=True)

    @staticmethod
    def _clamp_max_rule(out: Any, x: Any, c: float) -> Any:
        """d min(x, c)/dx = 1 at and below the bound, flat above it and at nan (as torch.clamp)."""
        return where(x <= c, 1.0, FLAT)
    CLAMP_MAX = Primitive("Value.CLAMP_MAX", "clamp_max", ieee.minimum, _clamp_max_rule,
                          code="minimum({0}, {c})", takes_constant=True)

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
            out = _with_constant(Value.CLAMP_MIN, out, as_float(min, "clamp(min=...)"))
        if max is not None:
            out = _with_constant(Value.CLAMP_MAX, out, as_float(max, "clamp(max=...)"))
        return out

    # ----- derived operations: built from primitives, no derivative code -----------------

    def pow(self, exponent: Scalar) -> Value:
        """``self ** exponent`` (PyTorch's name for it).

        >>> x = Value(3.0)
        >>> y = x.pow(2); y.backward()
        >>> y.data, x.grad
        (9.0, 6.0)
        """
        return self ** exponent

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

    # ----- the backward pass ---------------------------------------------------------------

    def backward(self, grad: Number = 1.0, create_graph: bool = False, *,
                 gradient: Number | None = None, retain_graph: bool | None = None) -> None:
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
            raise FloatingPointError(f"detect_anomaly: backward() was seeded with nan at "
                                     f"{graph.describe(self)}")
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
        raise ValueError("Value(requires_grad=False): every Value takes part in gradients (there is no "
                         "per-value flag); for a constant pass a plain number (x * 2.0), use "
                         "v.detach(), or compute inside `with no_grad():`")
    raise TypeError(f"Value(requires_grad=...): got {requires_grad!r:.40}; expected True (the default)")


def _apply(primitive: Primitive, x: Value) -> Value:
    """``primitive`` of one Value: its forward value and local derivative, recorded."""
    data = x.data
    out = primitive.forward(data)
    return record(_new(Value), out, x, primitive.rule(out, data), primitive)


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

