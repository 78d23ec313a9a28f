"""Float math that follows IEEE 754 and PyTorch float64 instead of raising.

Python's ``math`` module raises ``ValueError``, ``OverflowError`` or ``ZeroDivisionError`` where
IEEE 754 (and so PyTorch) returns ``inf`` or ``nan``. Every float formula of the engine goes
through this module, so no such exception ever escapes an operation or a backward pass.

>>> divide(1.0, 0.0), log(0.0), exp(1000.0), power(-8.0, 1 / 3)
(inf, -inf, inf, nan)
"""

from __future__ import annotations

import builtins
import functools
import math
import operator
import sys
from collections.abc import Callable, Iterable
from typing import Any

inf = math.inf
nan = math.nan


def _is_odd_integer(y: float) -> bool:
    """Whether ``y`` is an odd integer (the case where a negative base keeps its sign)."""
    return math.isfinite(y) and y == math.floor(y) and math.fmod(y, 2.0) != 0.0


def divide(a: float, b: float) -> float:
    """``a / b`` with IEEE results for a zero divisor: ``1/0 = inf``, ``-1/0 = -inf``, ``0/0 = nan``.

    >>> divide(-1.0, 0.0), divide(0.0, 0.0), divide(1.0, -0.0)
    (-inf, nan, -inf)
    """
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0.0 or a != a:
            return nan
        # the sign of the infinity is the product of both signs (b may be -0.0)
        return math.copysign(inf, a) * math.copysign(1.0, b)


def power(x: float, y: float) -> float:
    """``x ** y`` as C's ``pow``: ``0 ** -1 = inf``, ``(-8) ** (1/3) = nan``, overflow gives ``inf``;
    but ``x ** 0.5`` is ``sqrt(x)`` and ``x ** -0.5`` is ``1 / sqrt(x)``, as PyTorch computes them,
    so that ``x ** 0.5`` and ``sqrt`` agree at -0.0 and -inf too (``pow`` gives +0.0 and inf).

    >>> power(0.0, -1.0), power(-8.0, 1 / 3), power(-2.0, 3.0), power(10.0, 400.0)
    (inf, nan, -8.0, inf)
    >>> power(-0.0, 0.5), power(-0.0, -0.5), power(-inf, 0.5)
    (-0.0, -inf, nan)
    """
    if y == 0.5:
        return sqrt(x)
    if y == -0.5:
        return divide(1.0, sqrt(x))
    try:
        return math.pow(x, y)
    except OverflowError:
        return -inf if (x < 0.0 and _is_odd_integer(y)) else inf
    except ValueError:  # 0 ** negative, or negative ** non-integer
        if x == 0.0:
            return math.copysign(inf, x) if _is_odd_integer(y) else inf
        return nan


def exp(x: float) -> float:
    """``e ** x``; ``inf`` instead of ``OverflowError`` past about 709.

    >>> exp(0.0), exp(1000.0), exp(-1000.0)
    (1.0, inf, 0.0)
    """
    try:
        return math.exp(x)
    except OverflowError:
        return inf


def log(x: float) -> float:
    """Natural logarithm: ``log(0) = -inf`` and ``nan`` for negative ``x``, as in IEEE 754.

    >>> log(1.0), log(0.0), log(-1.0)
    (0.0, -inf, nan)
    """
    if x > 0.0:
        return math.log(x)
    if x == 0.0:
        return -inf
    return nan  # negative or nan


def sqrt(x: float) -> float:
    """Square root; ``nan`` for negative ``x``.

    >>> sqrt(4.0), sqrt(-1.0)
    (2.0, nan)
    """
    return math.sqrt(x) if x >= 0.0 else nan  # negative or nan


def sin(x: float) -> float:
    """Sine; ``nan`` at ``+-inf``.

    >>> sin(0.0), sin(math.inf)
    (0.0, nan)
    """
    return math.sin(x) if math.isfinite(x) else nan


def cos(x: float) -> float:
    """Cosine; ``nan`` at ``+-inf``.

    >>> cos(0.0), cos(math.inf)
    (1.0, nan)
    """
    return math.cos(x) if math.isfinite(x) else nan


def sigmoid(x: float) -> float:
    """The logistic function ``1 / (1 + e**-x)``, computed so that it never overflows.

    >>> sigmoid(0.0), sigmoid(1000.0), sigmoid(-1000.0)
    (0.5, 1.0, 0.0)
    """
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # x < 0 (or nan): e is at most 1, no overflow
    return e / (1.0 + e)


def softplus(x: float) -> float:
    """``log(1 + e**x)``, computed so that it never overflows (``softplus(1000) = 1000``).

    >>> softplus(0.0) == math.log(2.0), softplus(1000.0), softplus(-1000.0)
    (True, 1000.0, 0.0)
    """
    if x > 0.0:
        return x + math.log1p(math.exp(-x))
    return math.log1p(math.exp(x))  # x <= 0 or nan


def relu(x: float) -> float:
    """``max(x, 0)``; keeps nan and the sign of -0.0 (as PyTorch).

    >>> relu(-2.0), relu(3.0), relu(-0.0), relu(math.nan)
    (0.0, 3.0, -0.0, nan)
    """
    return 0.0 if x < 0.0 else x  # nan < 0 is False: nan passes through


def maximum(a: float, b: float) -> float:
    """The larger of ``a`` and ``b``; nan if either is nan (as ``torch.maximum``).

    >>> maximum(1.0, 2.0), maximum(math.nan, 2.0)
    (2.0, nan)
    """
    if a != a or b != b:
        return nan
    return a if a >= b else b


def minimum(a: float, b: float) -> float:
    """The smaller of ``a`` and ``b``; nan if either is nan (as ``torch.minimum``).

    >>> minimum(1.0, 2.0), minimum(2.0, math.nan)
    (1.0, nan)
    """
    if a != a or b != b:
        return nan
    return a if a <= b else b


# Python 3.12 made sum() of floats compensated (it carries the rounding error along: 1.0 for
# [1e16, 1.0, -1e16]); before, it added them in order, in C. autograd adds in one order on every
# Python, so from 3.12 on a reduce with operator.add does what sum did (the README has the cost).
# Both are bound as they are, without a function around them: linear calls this once per node.
add_in_order: Callable[[Iterable[Any], Any], Any] = (
    builtins.sum if sys.version_info < (3, 12) else functools.partial(functools.reduce, operator.add))
"""``add_in_order(terms, start)``: ``start + t_1 + t_2 + ... + t_n``, added left to right with one
rounding per addition: the order in which ``linear``, ``dot`` and ``sum`` add, in the engine, in
traced programs and in their numpy batches (the terms may be arrays), on every Python. ``start``
must be given; from 0.0 a sum is never -0.0."""


def add_all(*terms: float) -> float:
    """``t_1 + ... + t_n`` added in order from 0.0 (a sum node's forward value): ``add_in_order``.

    >>> add_all(1e16, 1.0, -1e16), add_all(0.1, 0.2, 0.3), add_all(-0.0)
    (0.0, 0.6000000000000001, 0.0)
    """
    total: float = add_in_order(terms, 0.0)
    return total


def divide_into(x: float, c: float) -> float:
    """``c / x``: ``x`` divided into ``c`` (the forward value of ``c / Value``).

    >>> divide_into(4.0, 1.0), divide_into(0.0, 1.0)
    (0.25, inf)
    """
    return divide(c, x)
