"""The primitives: every operation the engine differentiates, each defined once, here.

A primitive is its name, its forward computation (on floats) and its derivative *rule*
``rule(out, *inputs)``: the local derivatives d out / d input, written in plain arithmetic and the
helpers below. Called with floats in the forward pass, a rule gives the floats the node stores (the
fast path); called with Values by ``backward(create_graph=True)`` it gives Values that can be
differentiated again; traced programs call it on their own symbols. Everything else (``-``, a
reflected operator, ``square``, the losses of ``nn``) is built from these and has no derivative code.

To add an operation: define its forward function and rule here as one ``Primitive``, give ``Value``
a method that applies it (``value.py``), and add one line to the table of ops under test.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from typing import Any

from autograd import ieee
from autograd.functions import cos, divide, log, power, sigmoid, sin
from autograd.graph import Node

# ----- the helpers rules are written with --------------------------------------------------------


class FlatZero(float):
    """0 as the derivative of a function that is flat here (relu below 0, ``x ** 0``, the losing side
    of ``maximum``): times any gradient, inf and nan included, it gives 0, as PyTorch's backward masks
    these edges. Everywhere else it is the float 0.0.

    >>> FLAT * math.inf, math.nan * FLAT, FLAT == 0.0
    (0.0, 0.0, True)
    """

    __slots__ = ()

    def __mul__(self, gradient: Any) -> float:
        return 0.0

    __rmul__ = __mul__

    def __reduce__(self) -> str:
        return "FLAT"  # pickles and copies as the one instance below


FLAT = FlatZero()


class Reciprocal(float):
    """``1 / x`` as a local derivative, applied as a division: ``Reciprocal(x) * g`` is ``g / x``.

    Forming ``1 / x`` first overflows for tiny ``x`` where ``g / x`` does not (PyTorch divides too):
    d(x * log x)/dx at 1e-310 is -712.8, not inf.

    >>> r = Reciprocal(1e-310)
    >>> float(r), r * 1e-310
    (inf, 1.0)
    """

    __slots__ = ("denominator",)
    denominator: float

    def __new__(cls, x: float) -> Reciprocal:
        self = super().__new__(cls, ieee.divide(1.0, x))
        self.denominator = x
        return self

    def __mul__(self, gradient: Any) -> Any:
        return divide(gradient, self.denominator)

    __rmul__ = __mul__

    def __reduce__(self) -> tuple[type, tuple[float]]:
        return (Reciprocal, (self.denominator,))


def reciprocal(x: Any) -> Any:
    """``1 / x`` as a derivative: a ``Reciprocal`` for a float, the Value ``1 / x`` for a Value."""
    return Reciprocal(x) if type(x) is float else divide(1.0, x)


def where(condition: Any, if_true: Any, if_false: Any) -> Any:
    """``if_true`` where ``condition`` holds, else ``if_false``: a kink or a mask in a rule."""
    return if_true if condition else if_false


def equal(a: Any, b: float) -> bool:
    """Whether ``a`` (a number or a Value) equals ``b`` (``==`` on Values compares identity)."""
    return (a.data if isinstance(a, Node) else a) == b


# ----- the Primitive --------------------------------------------------------------------------


class Primitive:
    """An operation the engine differentiates: its name, forward function and derivative rule.

    >>> from autograd import Value
    >>> TANH.forward(0.5) == Value(0.5).tanh().data
    True
    >>> TANH.local_grads(0.0, (0.0,), None)  # d tanh/dx at 0
    (1.0,)
    """

    __slots__ = ("key", "name", "forward", "rule", "takes_constant", "shows_constant", "split")

    def __init__(self, key: str, name: str, forward: Callable[..., float], rule: Callable[..., Any], *,
                 takes_constant: bool = False, shows_constant: bool = False,
                 split: Callable[[Sequence[Any]], tuple[Any, ...]] | None = None) -> None:
        self.key = key  # the module-level name below, unique (pickling refers to it)
        self.name = name  # the operation's symbol or function name: "+", "tanh"
        self.forward = forward  # on floats: the node's data
        self.rule = rule  # rule(out, *inputs[, constant]) -> local derivative(s)
        self.takes_constant = takes_constant  # x + c, x * c, ...: the rule's last argument is c
        self.shows_constant = shows_constant  # x ** c reads "**2"
        self.split = split  # how the parents become the rule's arguments, if not one by one

    def local_grads(self, out: Any, parents: Sequence[Any], constant: float | None) -> tuple[Any, ...]:
        """The rule applied to a node's output and parents: one local derivative per parent."""
        arguments = tuple(parents) if self.split is None else self.split(parents)
        if self.takes_constant:
            arguments += (constant,)
        result = self.rule(out, *arguments)
        return result if type(result) is tuple else (result,)

    def label(self, constant: float | None) -> str:
        """The short label a node shows: the name, with the constant where it belongs in it."""
        if self.shows_constant and constant is not None:
            return self.name + number_text(constant)
        return self.name

    def __repr__(self) -> str:
        return f"<primitive {self.key}: {self.name}>"

    def __reduce__(self) -> str:
        return self.key  # pickled by reference to the module-level name


def number_text(c: float) -> str:
    """How a constant reads in a label: ``2`` for 2.0, ``0.5``, ``inf``."""
    return str(int(c)) if c.is_integer() and abs(c) < 1e16 else repr(c)


# ----- sums and products ------------------------------------------------------------------------


def _sum_rule(out: Any, *terms: Any) -> tuple[Any, ...]:
    """d(t_1 + ... + t_n)/d t_i = 1."""
    return (1.0,) * len(terms)


def _add_all(*terms: float) -> float:
    """``t_1 + ... + t_n``, added left to right."""
    return sum(terms)


ADD = Primitive("ADD", "+", _add_all, _sum_rule)


def _add_constant_rule(out: Any, x: Any, c: float) -> Any:
    """d(x + c)/dx = 1."""
    return 1.0


ADD_CONSTANT = Primitive("ADD_CONSTANT", "+", operator.add, _add_constant_rule, takes_constant=True)


def _product_rule(out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """d(a * b)/da = b, d(a * b)/db = a."""
    return (b, a)


MULTIPLY = Primitive("MULTIPLY", "*", operator.mul, _product_rule)


def _scale_rule(out: Any, x: Any, c: float) -> Any:
    """d(x * c)/dx = c."""
    return c


MULTIPLY_CONSTANT = Primitive("MULTIPLY_CONSTANT", "*", operator.mul, _scale_rule, takes_constant=True)


def _split_linear(parents: Sequence[Any]) -> tuple[Any, ...]:
    """``w_1..w_n, x_1..x_n[, b]`` as the rule's ``(weights, inputs, has_bias)``."""
    n = len(parents) // 2
    return (parents[:n], parents[n : 2 * n], len(parents) % 2 == 1)


def _linear_rule(out: Any, weights: Sequence[Any], inputs: Sequence[Any], has_bias: bool) -> tuple[Any, ...]:
    """d(sum_i w_i x_i + b)/d w_i = x_i, d/d x_i = w_i, d/db = 1."""
    return (*inputs, *weights, 1.0) if has_bias else (*inputs, *weights)


def _weighted_sum(weights: Sequence[float], inputs: Sequence[float], bias: float = 0.0) -> float:
    """``w_1 x_1 + ... + w_n x_n + b``, added left to right."""
    return float(sum(map(operator.mul, weights, inputs))) + bias


LINEAR = Primitive("LINEAR", "linear", _weighted_sum, _linear_rule, split=_split_linear)


# ----- division -------------------------------------------------------------------------------


def _quotient_rule(out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """d(a / b)/da = 1/b, d(a / b)/db = -a/b**2 = -(a/b)/b (no b**2, which under- or overflows)."""
    return (reciprocal(b), -divide(out, b))


DIVIDE = Primitive("DIVIDE", "/", ieee.divide, _quotient_rule)


def _divide_by_constant_rule(out: Any, x: Any, c: float) -> Any:
    """d(x / c)/dx = 1/c."""
    return reciprocal(c)


DIVIDE_BY_CONSTANT = Primitive("DIVIDE_BY_CONSTANT", "/", ieee.divide, _divide_by_constant_rule,
                               takes_constant=True)


def _constant_over_rule(out: Any, x: Any, c: float) -> Any:
    """d(c / x)/dx = -c/x**2 = -(c/x)/x."""
    return -divide(out, x)


def _constant_over(x: float, c: float) -> float:
    """``c / x``."""
    return ieee.divide(c, x)


CONSTANT_DIVIDED_BY = Primitive("CONSTANT_DIVIDED_BY", "/", _constant_over,
                                _constant_over_rule, takes_constant=True)


# ----- powers ---------------------------------------------------------------------------------


def _power_constant_rule(out: Any, x: Any, c: float) -> Any:
    """d(x ** c)/dx = c * x**(c-1); flat for c = 0 (x**0 is the constant 1, as in PyTorch)."""
    return where(c == 0.0, FLAT, c * power(x, c - 1.0))


POWER_CONSTANT = Primitive("POWER_CONSTANT", "**", ieee.power, _power_constant_rule, takes_constant=True,
                           shows_constant=True)


def _power_rule(out: Any, x: Any, y: Any) -> tuple[Any, Any]:
    """d(x ** y)/dx = y * x**(y-1) (flat where y = 0) and d(x ** y)/dy = x**y * log(x), which is
    0 where x = 0 and y >= 0 (not 0 * log 0 = nan) and nan for a negative x, as in PyTorch."""
    d_dx = where(equal(y, 0.0), FLAT, y * power(x, y - 1.0))
    via_log = out * log(x)
    d_dy = where(equal(x, 0.0), where(y >= 0.0, 0.0, via_log), via_log)
    return (d_dx, d_dy)


POWER = Primitive("POWER", "**", ieee.power, _power_rule)


# ----- functions of one input -------------------------------------------------------------------


def _exp_rule(out: Any, x: Any) -> Any:
    """d e**x/dx = e**x, the output itself."""
    return out


EXP = Primitive("EXP", "exp", ieee.exp, _exp_rule)


def _log_rule(out: Any, x: Any) -> Any:
    """d log(x)/dx = 1/x (inf at 0, and -1 at -1 although log(-1) is nan, as in PyTorch)."""
    return reciprocal(x)


LOG = Primitive("LOG", "log", ieee.log, _log_rule)


def _sqrt_rule(out: Any, x: Any) -> Any:
    """d sqrt(x)/dx = 1 / (2 sqrt(x)), in terms of the output; inf at 0."""
    return reciprocal(2.0 * out)


SQRT = Primitive("SQRT", "sqrt", ieee.sqrt, _sqrt_rule)


def _tanh_rule(out: Any, x: Any) -> Any:
    """d tanh(x)/dx = 1 - tanh(x)**2, in terms of the output."""
    return 1.0 - out * out


TANH = Primitive("TANH", "tanh", math.tanh, _tanh_rule)


def _sigmoid_rule(out: Any, x: Any) -> Any:
    """d sigmoid(x)/dx = sigmoid(x) * (1 - sigmoid(x)), in terms of the output."""
    return out * (1.0 - out)


SIGMOID = Primitive("SIGMOID", "sigmoid", ieee.sigmoid, _sigmoid_rule)


def _softplus_rule(out: Any, x: Any) -> Any:
    """d log(1 + e**x)/dx = sigmoid(x) (1/2 at 0)."""
    return sigmoid(x)


SOFTPLUS = Primitive("SOFTPLUS", "softplus", ieee.softplus, _softplus_rule)


def _relu_rule(out: Any, x: Any) -> Any:
    """d relu(x)/dx = 1 above 0; flat at and below 0 (1 at nan, as in PyTorch)."""
    return where(x <= 0.0, FLAT, 1.0)


RELU = Primitive("RELU", "relu", ieee.relu, _relu_rule)


def _abs_rule(out: Any, x: Any) -> Any:
    """d |x|/dx = sign(x): 1, -1, or 0 at the kink and at nan (PyTorch's sign(nan) is 0)."""
    return where(x > 0.0, 1.0, where(x < 0.0, -1.0, 0.0))


ABS = Primitive("ABS", "abs", math.fabs, _abs_rule)


def _sin_rule(out: Any, x: Any) -> Any:
    """d sin(x)/dx = cos(x)."""
    return cos(x)


SIN = Primitive("SIN", "sin", ieee.sin, _sin_rule)


def _cos_rule(out: Any, x: Any) -> Any:
    """d cos(x)/dx = -sin(x)."""
    return -sin(x)


COS = Primitive("COS", "cos", ieee.cos, _cos_rule)


# ----- maximum and minimum ----------------------------------------------------------------------


def _maximum_rule(out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """d max(a, b): 1 for the larger side and flat for the other, 1/2 each at a tie (PyTorch),
    1 each where one side is nan."""
    tie_or_nan = where(a >= b, 0.5, 1.0)
    return (where(a > b, 1.0, where(a < b, FLAT, tie_or_nan)),
            where(a < b, 1.0, where(a > b, FLAT, tie_or_nan)))


MAXIMUM = Primitive("MAXIMUM", "max", ieee.maximum, _maximum_rule)


def _minimum_rule(out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """d min(a, b): 1 for the smaller side and flat for the other, 1/2 each at a tie (PyTorch),
    1 each where one side is nan."""
    tie_or_nan = where(a >= b, 0.5, 1.0)
    return (where(a < b, 1.0, where(a > b, FLAT, tie_or_nan)),
            where(a > b, 1.0, where(a < b, FLAT, tie_or_nan)))


MINIMUM = Primitive("MINIMUM", "min", ieee.minimum, _minimum_rule)
