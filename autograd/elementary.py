"""The elementary functions: exp, log, sqrt, tanh, sigmoid, softplus, relu, abs, sin and cos.

Each is one primitive, defined once below: its float forward (IEEE 754 and PyTorch's results, never
Python's exceptions), its numpy version (for a traced program's batch), its derivative rule, and
its docstring (with an example). Everything else is derived from that definition: the function of a
number or a Value on the line after it (``autograd.tanh(x)``: a float for a number, a Value for a
Value), the method (``x.tanh()``, one line in ``value.py``), the expression a traced program writes
(``tanh(v1)``), the function a compiled program calls and the one a numpy batch calls.

>>> tanh(0.0), tanh(1000.0), log(0.0), exp(1000.0), relu(-0.0)
(0.0, 1.0, -inf, inf, -0.0)
"""

from __future__ import annotations

import math
from typing import Any

from autograd import ieee
from autograd.primitive import FLAT, Primitive, number_or_value, reciprocal, where

# ----- exp ---------------------------------------------------------------------------------------


def _exp(x: float) -> float:
    """``e ** x``; ``inf`` instead of ``OverflowError`` past about 709.

    >>> _exp(0.0), _exp(1000.0), _exp(-1000.0)
    (1.0, inf, 0.0)
    """
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _exp_rule(out: Any, x: Any) -> Any:
    """d e**x/dx = e**x, the output itself."""
    return out


EXP = Primitive(
    "exp",
    _exp,
    _exp_rule,
    on_arrays=lambda np, x: np.exp(x),
    doc="""``e ** self``; ``inf`` past about 709, never ``OverflowError``.

    >>> x = Value(0.0)
    >>> y = x.exp(); y.backward()
    >>> y.data, x.grad, Value(1000.0).exp().data
    (1.0, 1.0, inf)
    """,
)
exp = number_or_value(EXP)

# ----- log ---------------------------------------------------------------------------------------


def _log(x: float) -> float:
    """Natural logarithm: ``log(0) = -inf`` and ``nan`` for negative ``x``, as in IEEE 754.

    >>> _log(1.0), _log(0.0), _log(-1.0)
    (0.0, -inf, nan)
    """
    if x > 0.0:
        return math.log(x)
    if x == 0.0:
        return -math.inf
    return math.nan  # negative or nan


def _log_rule(out: Any, x: Any) -> Any:
    """d log(x)/dx = 1/x (inf at 0, and -1 at -1 although log(-1) is nan, as in PyTorch)."""
    return reciprocal(x)


LOG = Primitive(
    "log",
    _log,
    _log_rule,
    on_arrays=lambda np, x: np.log(x),
    doc="""Natural logarithm: ``-inf`` at 0, ``nan`` below 0.

    >>> x = Value(1.0)
    >>> y = x.log(); y.backward()
    >>> y.data, x.grad, Value(0.0).log().data, Value(-1.0).log().data
    (0.0, 1.0, -inf, nan)
    """,
)
log = number_or_value(LOG)

# ----- sqrt (its float forward is ieee.sqrt, which ieee.power uses too) --------------------------


def _sqrt_rule(out: Any, x: Any) -> Any:
    """d sqrt(x)/dx = 1 / (2 sqrt(x)), in terms of the output; inf at 0."""
    return reciprocal(2.0 * out)


SQRT = Primitive(
    "sqrt",
    ieee.sqrt,
    _sqrt_rule,
    on_arrays=lambda np, x: np.sqrt(x),
    doc="""Square root; ``nan`` below 0, gradient ``inf`` at 0.

    >>> x = Value(4.0)
    >>> y = x.sqrt(); y.backward()
    >>> y.data, x.grad
    (2.0, 0.25)
    """,
)
sqrt = number_or_value(SQRT)

# ----- tanh --------------------------------------------------------------------------------------


def _tanh_rule(out: Any, x: Any) -> Any:
    """d tanh(x)/dx = 1 - tanh(x)**2, in terms of the output."""
    return 1.0 - out * out


TANH = Primitive(
    "tanh",
    math.tanh,
    _tanh_rule,
    on_arrays=lambda np, x: np.tanh(x),
    doc="""Hyperbolic tangent; saturates at +-1 without overflow.

    >>> x = Value(0.0)
    >>> y = x.tanh(); y.backward()
    >>> y.data, x.grad, Value(1000.0).tanh().data
    (0.0, 1.0, 1.0)
    """,
)
tanh = number_or_value(TANH)

# ----- sigmoid -----------------------------------------------------------------------------------


def _sigmoid(x: float) -> float:
    """``1 / (1 + e**-x)``, computed so that it never overflows.

    >>> _sigmoid(0.0), _sigmoid(1000.0), _sigmoid(-1000.0)
    (0.5, 1.0, 0.0)
    """
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # x < 0 (or nan): e is at most 1, no overflow
    return e / (1.0 + e)


def _sigmoid_on_arrays(np: Any, x: Any) -> Any:
    e = np.exp(-np.abs(x))  # e**-x above 0, e**x below: never overflows
    return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_rule(out: Any, x: Any) -> Any:
    """d sigmoid(x)/dx = sigmoid(x) * (1 - sigmoid(x)), in terms of the output."""
    return out * (1.0 - out)


SIGMOID = Primitive(
    "sigmoid",
    _sigmoid,
    _sigmoid_rule,
    on_arrays=_sigmoid_on_arrays,
    doc="""The logistic function ``1 / (1 + e**-x)``; stable at +-1000.

    >>> x = Value(0.0)
    >>> y = x.sigmoid(); y.backward()
    >>> y.data, x.grad, Value(-1000.0).sigmoid().data
    (0.5, 0.25, 0.0)
    """,
)
sigmoid = number_or_value(SIGMOID)

# ----- softplus ----------------------------------------------------------------------------------


def _softplus(x: float) -> float:
    """``log(1 + e**x)``, computed so that it never overflows.

    >>> _softplus(0.0) == math.log(2.0), _softplus(1000.0), _softplus(-1000.0)
    (True, 1000.0, 0.0)
    """
    if x > 0.0:
        return x + math.log1p(math.exp(-x))
    return math.log1p(math.exp(x))  # x <= 0 or nan


def _softplus_on_arrays(np: Any, x: Any) -> Any:
    tail = np.log1p(np.exp(-np.abs(x)))
    return np.where(x > 0.0, x + tail, tail)


def _softplus_rule(out: Any, x: Any) -> Any:
    """d log(1 + e**x)/dx = sigmoid(x) (1/2 at 0)."""
    return sigmoid(x)


SOFTPLUS = Primitive(
    "softplus",
    _softplus,
    _softplus_rule,
    on_arrays=_softplus_on_arrays,
    doc="""``log(1 + e**x)``, a smooth relu; stable at +-1000.

    >>> x = Value(0.0)
    >>> y = x.softplus(); y.backward()
    >>> round(y.data, 6), x.grad
    (0.693147, 0.5)
    """,
)
softplus = number_or_value(SOFTPLUS)

# ----- relu --------------------------------------------------------------------------------------


def _relu(x: float) -> float:
    """``max(x, 0)``; keeps nan and the sign of -0.0 (as PyTorch).

    >>> _relu(-2.0), _relu(3.0), _relu(-0.0), _relu(math.nan)
    (0.0, 3.0, -0.0, nan)
    """
    return 0.0 if x < 0.0 else x  # nan < 0 is False: nan passes through


def _relu_rule(out: Any, x: Any) -> Any:
    """d relu(x)/dx = 1 above 0; flat at and below 0 (1 at nan, as in PyTorch)."""
    return where(x <= 0.0, FLAT, 1.0)


RELU = Primitive(
    "relu",
    _relu,
    _relu_rule,
    on_arrays=lambda np, x: np.where(x < 0.0, 0.0, x),  # as _relu
    doc="""``max(x, 0)``; keeps nan and -0.0, gradient 0 at and below 0.

    >>> x = Value(3.0)
    >>> y = x.relu(); y.backward()
    >>> y.data, x.grad, Value(-2.0).relu().data
    (3.0, 1.0, 0.0)
    """,
)
relu = number_or_value(RELU)

# ----- abs (a program writes Python's abs, which takes floats and arrays alike) ------------------


def _abs_rule(out: Any, x: Any) -> Any:
    """d |x|/dx = sign(x): 1, -1, or 0 at the kink and at nan (PyTorch's sign(nan) is 0)."""
    return where(x > 0.0, 1.0, where(x < 0.0, -1.0, 0.0))


ABS = Primitive(
    "abs",
    math.fabs,
    _abs_rule,
    code="abs({0})",
    doc="""``|x|``, gradient 0 at 0 (also the builtin ``abs(value)``).

    >>> x = Value(-2.0)
    >>> y = abs(x); y.backward()
    >>> y.data, x.grad
    (2.0, -1.0)
    """,
)
absolute = number_or_value(ABS, "absolute")  # numpy's name; autograd.abs is another name for it

# ----- sin ---------------------------------------------------------------------------------------


def _sin(x: float) -> float:
    """Sine; ``nan`` at ``+-inf``.

    >>> _sin(0.0), _sin(math.inf)
    (0.0, nan)
    """
    return math.sin(x) if math.isfinite(x) else math.nan


def _sin_rule(out: Any, x: Any) -> Any:
    """d sin(x)/dx = cos(x)."""
    return cos(x)


SIN = Primitive(
    "sin",
    _sin,
    _sin_rule,
    on_arrays=lambda np, x: np.sin(x),
    doc="""Sine (radians).

    >>> x = Value(0.0)
    >>> y = x.sin(); y.backward()
    >>> y.data, x.grad
    (0.0, 1.0)
    """,
)
sin = number_or_value(SIN)

# ----- cos ---------------------------------------------------------------------------------------


def _cos(x: float) -> float:
    """Cosine; ``nan`` at ``+-inf``.

    >>> _cos(0.0), _cos(math.inf)
    (1.0, nan)
    """
    return math.cos(x) if math.isfinite(x) else math.nan


def _cos_rule(out: Any, x: Any) -> Any:
    """d cos(x)/dx = -sin(x)."""
    return -sin(x)


COS = Primitive(
    "cos",
    _cos,
    _cos_rule,
    on_arrays=lambda np, x: np.cos(x),
    doc="""Cosine (radians).

    >>> x = Value(0.0)
    >>> y = x.cos(); y.backward()
    >>> y.data, x.grad
    (1.0, -0.0)
    """,
)
cos = number_or_value(COS)
