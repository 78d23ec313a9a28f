"""Division, powers, square roots and sums on floats that follow IEEE 754 and PyTorch float64.

Python raises ``ZeroDivisionError``, ``OverflowError`` or ``ValueError`` where IEEE 754 (and so
PyTorch) returns ``inf`` or ``nan``. The float forwards that several primitives share are here:
``divide`` (of ``/`` and the derivative helpers), ``power`` (of ``**``), ``sqrt``, ``maximum`` and
``minimum`` (of ``maximum`` and ``clamp``), and ``add_in_order``, how ``linear``, ``dot`` and ``sum``
add on every Python. The other primitives' float forwards are written beside their rules
(``elementary.py``, ``operations.py``), as carefully.

>>> divide(1.0, 0.0), power(-8.0, 1 / 3), sqrt(-1.0)
(inf, nan, nan)
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


def sqrt(x: float) -> float:
    """Square root; ``nan`` for negative ``x``.

    >>> sqrt(4.0), sqrt(-1.0)
    (2.0, nan)
    """
    return math.sqrt(x) if x >= 0.0 else nan  # negative or nan


def maximum(a: float, b: float) -> float:
    """The larger of ``a`` and ``b``; nan if either is nan (as ``torch.maximum``).

    >>> maximum(1.0, 2.0), maximum(nan, 2.0)
    (2.0, nan)
    """
    if a != a or b != b:
        return nan
    return a if a >= b else b


def minimum(a: float, b: float) -> float:
    """The smaller of ``a`` and ``b``; nan if either is nan (as ``torch.minimum``).

    >>> minimum(1.0, 2.0), minimum(2.0, nan)
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
    builtins.sum if sys.version_info < (3, 12) else functools.partial(functools.reduce, operator.add)
)
"""``add_in_order(terms, start)``: ``start + t_1 + t_2 + ... + t_n``, added left to right with one
rounding per addition: the order in which ``linear``, ``dot`` and ``sum`` add, in the engine, in
traced programs and in their numpy batches (the terms may be arrays), on every Python. ``start``
must be given; from 0.0 a sum is never -0.0."""
