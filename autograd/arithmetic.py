"""The arithmetic primitives: ``+``, ``*``, ``/``, ``**`` and the bounds of ``clamp``, each defined
once, and the functions ``divide`` and ``power`` of numbers or Values.

A constant operand is data on the node, not a leaf: ``x + c``, ``x * c``, ``x / c``, ``c / x``,
``x ** c`` and ``x.clamp(min=c)`` are primitives of their own, with the constant in
``node.constant`` and as the rule's last argument. The operators of ``Value`` (``value.py``) and
``clamp`` apply these primitives; subtraction, negation and the reflected operators are built from
them and carry no derivative code.

>>> from autograd import Value
>>> (Value(3.0) / 0.0).data, (Value(-8.0) ** (1 / 3)).data, divide(1.0, 0.0), power(0.0, -1.0)
(inf, nan, inf, inf)
"""

from __future__ import annotations

import numbers
import operator
from typing import Any, cast

from autograd import ieee
from autograd.elementary import log
from autograd.inputs import as_float
from autograd.primitive import FLAT, Primitive, equal, reciprocal, where
from autograd.symbolic import Operand

# ----- + -----------------------------------------------------------------------------------------


def sum_rule(out: Any, *terms: Any) -> tuple[Any, ...]:
    """d(t_1 + ... + t_n)/d t_i = 1 (the rule of a + b, and of a sum of many terms)."""
    return (1.0,) * len(terms)


ADD = Primitive("+", operator.add, sum_rule, key="add", code="{0} + {1}")


def _add_constant_rule(out: Any, x: Any, c: float) -> Any:
    """d(x + c)/dx = 1."""
    return 1.0


ADD_CONSTANT = Primitive(
    "+", operator.add, _add_constant_rule, key="add_constant", code="{0} + {c}", takes_constant=True
)

# ----- * -----------------------------------------------------------------------------------------


def product_rule(out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """d(a * b)/da = b, d(a * b)/db = a."""
    return (b, a)


MULTIPLY = Primitive("*", operator.mul, product_rule, key="multiply", code="{0} * {1}")


def _scale_rule(out: Any, x: Any, c: float) -> Any:
    """d(x * c)/dx = c."""
    return c


MULTIPLY_CONSTANT = Primitive(
    "*", operator.mul, _scale_rule, key="multiply_constant", code="{0} * {c}", takes_constant=True
)

# ----- / (its float forward is ieee.divide: 1/0 is inf, 0/0 nan) ---------------------------------


def quotient_rule(out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """d(a / b)/da = 1/b, d(a / b)/db = -a/b**2 = -(a/b)/b (no b**2, which under- or overflows)."""
    return (reciprocal(b), -divide(out, b))


DIVIDE = Primitive(
    "/", ieee.divide, quotient_rule, calls="divide", on_arrays=lambda np, a, b: np.divide(a, b)
)


def _divide_by_constant_rule(out: Any, x: Any, c: float) -> Any:
    """d(x / c)/dx = 1/c."""
    return reciprocal(c)


DIVIDE_BY_CONSTANT = Primitive(
    "/",
    ieee.divide,
    _divide_by_constant_rule,
    key="divide_by_constant",
    code="divide({0}, {c})",
    takes_constant=True,
)


def _divide_into(x: float, c: float) -> float:
    """``c / x``: ``x`` divided into ``c`` (the forward value of ``c / Value``).

    >>> _divide_into(4.0, 1.0), _divide_into(0.0, 1.0)
    (0.25, inf)
    """
    return ieee.divide(c, x)


def _constant_over_rule(out: Any, x: Any, c: float) -> Any:
    """d(c / x)/dx = -c/x**2 = -(c/x)/x."""
    return -divide(out, x)


CONSTANT_OVER = Primitive(
    "/",
    _divide_into,
    _constant_over_rule,
    key="constant_over",
    code="divide({c}, {0})",
    takes_constant=True,
    constant_first=True,
)


def divide(a: Any, b: Any) -> Any:
    """``a / b`` of numbers (a float, IEEE: ``1 / 0 = inf``) or Values (a Value).

    >>> from autograd import Value
    >>> divide(1.0, 0.0), divide(Value(1.0), 4).data
    (inf, 0.25)
    """
    if isinstance(a, Operand) or isinstance(b, Operand):
        return cast(Any, a) / b
    return ieee.divide(as_float(a, "divide"), as_float(b, "divide"))


# ----- ** (its float forward is ieee.power: 0 ** -1 is inf, (-8) ** (1/3) nan) ------------------


def _power_constant_rule(out: Any, x: Any, c: float) -> Any:
    """d(x ** c)/dx = c * x**(c-1); flat for c = 0 (x**0 is the constant 1, as in PyTorch)."""
    return where(c == 0.0, FLAT, c * power(x, c - 1.0))


POWER_CONSTANT = Primitive(
    "**",
    ieee.power,
    _power_constant_rule,
    key="power_constant",
    code="power({0}, {c})",
    takes_constant=True,
    shows_constant=True,
)


def _power_rule(out: Any, x: Any, y: Any) -> tuple[Any, Any]:
    """d(x ** y)/dx = y * x**(y-1) (flat where y = 0) and d(x ** y)/dy = x**y * log(x), which
    is 0 where x = 0 and y >= 0 (not 0 * log 0 = nan) and nan for a negative x, as in PyTorch."""
    d_dx = where(equal(y, 0.0), FLAT, y * power(x, y - 1.0))
    via_log = out * log(x)
    d_dy = where(equal(x, 0.0), where(y >= 0.0, 0.0, via_log), via_log)
    return (d_dx, d_dy)


def _power_on_arrays(np: Any, x: Any, y: Any) -> Any:
    """``np.power``, but ``x ** 0.5`` is ``sqrt(x)`` and ``x ** -0.5`` is ``1 / sqrt(x)``, as
    ``ieee.power`` (``np.power(-0.0, 0.5)`` is +0.0, ``sqrt(-0.0)`` -0.0)."""
    if isinstance(y, numbers.Real):  # a constant exponent: one case for the whole batch
        return np.sqrt(x) if y == 0.5 else 1.0 / np.sqrt(x) if y == -0.5 else np.power(x, y)
    root = np.sqrt(x)
    return np.where(y == 0.5, root, np.where(y == -0.5, 1.0 / root, np.power(x, y)))


POWER = Primitive("**", ieee.power, _power_rule, calls="power", on_arrays=_power_on_arrays)


def power(x: Any, y: Any) -> Any:
    """``x ** y`` of numbers (a float, IEEE: ``0 ** -1 = inf``) or Values (a Value).

    >>> from autograd import Value
    >>> power(0.0, -1.0), power(Value(2.0), 3).data
    (inf, 8.0)
    """
    if isinstance(x, Operand):
        return cast(Any, x) ** y
    if isinstance(y, Operand):
        return as_float(x, "power") ** cast(Any, y)
    return ieee.power(as_float(x, "power"), as_float(y, "power"))


# ----- clamp's bounds: max(x, c) and min(x, c), as PyTorch's clamp_min and clamp_max -------------


def _clamp_min_rule(out: Any, x: Any, c: float) -> Any:
    """d max(x, c)/dx = 1 at and above the bound, flat below it and at nan (as torch.clamp)."""
    return where(x >= c, 1.0, FLAT)


CLAMP_MIN = Primitive(
    "clamp_min", ieee.maximum, _clamp_min_rule, code="maximum({0}, {c})", takes_constant=True
)


def _clamp_max_rule(out: Any, x: Any, c: float) -> Any:
    """d min(x, c)/dx = 1 at and below the bound, flat above it and at nan (as torch.clamp)."""
    return where(x <= c, 1.0, FLAT)


CLAMP_MAX = Primitive(
    "clamp_max", ieee.minimum, _clamp_max_rule, code="minimum({0}, {c})", takes_constant=True
)
