"""Functions of a number or a Value: floats in, floats out; Values in, Values out.

The derivative rules call these, so one rule serves the fast float path, the differentiable path
of higher-order gradients and traced programs (whose symbols are ``Operand`` objects too: see
``symbolic.py``). They also spare users ``math.exp(v)``, which would silently drop
the graph. (``autograd.sum``, ``linear``, ``maximum`` and ``minimum`` are in ``operations``.)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Union, cast

from autograd import ieee
from autograd.inputs import as_float
from autograd.symbolic import Operand

if TYPE_CHECKING:
    from autograd.value import Value

Scalar = Union["Value", int, float]
"""What every operation accepts: a Value or a real number."""


def _value(x: object) -> Value:
    return cast("Value", x)


def exp(x: Scalar) -> Any:
    """``e ** x`` of a number (a float) or of a Value (a Value).

    >>> from autograd import Value
    >>> exp(0.0), exp(Value(0.0)).data
    (1.0, 1.0)
    """
    return _value(x).exp() if isinstance(x, Operand) else ieee.exp(as_float(x, "exp"))


def log(x: Scalar) -> Any:
    """Natural logarithm of a number or a Value (``-inf`` at 0, ``nan`` below).

    >>> from autograd import Value
    >>> log(1.0), log(Value(0.0)).data
    (0.0, -inf)
    """
    return _value(x).log() if isinstance(x, Operand) else ieee.log(as_float(x, "log"))


def sqrt(x: Scalar) -> Any:
    """Square root of a number or a Value.

    >>> from autograd import Value
    >>> sqrt(9.0), sqrt(Value(4.0)).data
    (3.0, 2.0)
    """
    return _value(x).sqrt() if isinstance(x, Operand) else ieee.sqrt(as_float(x, "sqrt"))


def tanh(x: Scalar) -> Any:
    """Hyperbolic tangent of a number or a Value.

    >>> from autograd import Value
    >>> tanh(0.0), tanh(Value(1000.0)).data
    (0.0, 1.0)
    """
    return _value(x).tanh() if isinstance(x, Operand) else math.tanh(as_float(x, "tanh"))


def sigmoid(x: Scalar) -> Any:
    """The logistic function of a number or a Value.

    >>> from autograd import Value
    >>> sigmoid(0.0), sigmoid(Value(-1000.0)).data
    (0.5, 0.0)
    """
    return _value(x).sigmoid() if isinstance(x, Operand) else ieee.sigmoid(as_float(x, "sigmoid"))


def softplus(x: Scalar) -> Any:
    """``log(1 + e**x)`` of a number or a Value.

    >>> from autograd import Value
    >>> softplus(Value(1000.0)).data
    1000.0
    """
    return _value(x).softplus() if isinstance(x, Operand) else ieee.softplus(as_float(x, "softplus"))


def relu(x: Scalar) -> Any:
    """``max(x, 0)`` of a number or a Value.

    >>> from autograd import Value
    >>> relu(-2.0), relu(Value(3.0)).data
    (0.0, 3.0)
    """
    return _value(x).relu() if isinstance(x, Operand) else ieee.relu(as_float(x, "relu"))


def sin(x: Scalar) -> Any:
    """Sine of a number or a Value.

    >>> from autograd import Value
    >>> sin(0.0), sin(Value(0.0)).data
    (0.0, 0.0)
    """
    return _value(x).sin() if isinstance(x, Operand) else ieee.sin(as_float(x, "sin"))


def cos(x: Scalar) -> Any:
    """Cosine of a number or a Value.

    >>> from autograd import Value
    >>> cos(0.0), cos(Value(0.0)).data
    (1.0, 1.0)
    """
    return _value(x).cos() if isinstance(x, Operand) else ieee.cos(as_float(x, "cos"))


def absolute(x: Scalar) -> Any:
    """``|x|`` of a number or a Value (also the builtin ``abs(value)``).

    >>> from autograd import Value
    >>> absolute(-2.0), absolute(Value(-3.0)).data
    (2.0, 3.0)
    """
    return _value(x).abs() if isinstance(x, Operand) else math.fabs(as_float(x, "absolute"))


def power(x: Scalar, y: Scalar) -> Any:
    """``x ** y`` of numbers (a float, IEEE: ``0 ** -1 = inf``) or Values (a Value).

    >>> from autograd import Value
    >>> power(0.0, -1.0), power(Value(2.0), 3).data
    (inf, 8.0)
    """
    if isinstance(x, Operand):
        return _value(x) ** y
    if isinstance(y, Operand):
        return as_float(x, "power") ** _value(y)
    return ieee.power(as_float(x, "power"), as_float(y, "power"))


def divide(a: Scalar, b: Scalar) -> Any:
    """``a / b`` of numbers (a float, IEEE: ``1 / 0 = inf``) or Values (a Value).

    >>> from autograd import Value
    >>> divide(1.0, 0.0), divide(Value(1.0), 4).data
    (inf, 0.25)
    """
    if isinstance(a, Operand) or isinstance(b, Operand):
        return a / b
    return ieee.divide(as_float(a, "divide"), as_float(b, "divide"))
