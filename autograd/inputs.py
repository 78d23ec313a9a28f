"""Checking what users pass in: real numbers become floats, anything else is a clear TypeError."""

from __future__ import annotations

import math
import numbers
import operator
from typing import TypeGuard, Union

Number = Union[int, float]
"""A plain real number (numpy's scalar types and fractions are accepted too)."""


def type_error(x: object, operation: str) -> TypeError:
    """The TypeError for ``x`` where ``operation`` wanted a number, with a hint for the usual mix-ups."""
    if isinstance(x, bool):
        hint = "bool is not a number here: write 1.0 or 0.0"
    elif isinstance(x, str):
        hint = "convert text with float(...) first"
    elif isinstance(x, complex):
        hint = "complex numbers are not supported"
    elif isinstance(x, (list, tuple)):
        hint = "pass one number at a time"
    else:
        hint = "expected a real number (an int or a float)"
    return TypeError(f"{operation}: got {type(x).__name__} {x!r:.40}; {hint}")


def as_float(x: object, operation: str) -> float:
    """``x`` as a float if it is a real number (``bool`` excluded), else a ``TypeError`` naming it.

    An int beyond float's range becomes ``inf`` (as IEEE rounding would), never ``OverflowError``.

    >>> as_float(3, "Value()"), as_float(10 ** 400, "Value()")
    (3.0, inf)
    >>> as_float("3", "Value()")
    Traceback (most recent call last):
    ...
    TypeError: Value(): got str '3'; convert text with float(...) first
    """
    if type(x) is float:
        return x
    if type(x) is int or is_real(x):  # int: no ABC check
        try:
            return float(x)
        except OverflowError:  # an int beyond float's range (not copysign: it would convert x again)
            return math.inf if x > 0 else -math.inf  # type: ignore[operator]
    raise type_error(x, operation)


def is_real(x: object) -> TypeGuard[numbers.Real]:
    """Whether ``x`` is a real number: an int, a float, numpy's scalars, a fraction; never a bool
    (``True`` is an int to Python, but a number written as ``True`` is a mistake).

    >>> is_real(2), is_real(0.5), is_real(True), is_real("1"), is_real(1j)
    (True, True, False, False, False)
    """
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def is_index(x: object) -> bool:
    """Whether ``x`` is an integer position: an int or numpy's integers (anything with
    ``__index__``), never a bool.

    >>> is_index(1), is_index(True), is_index(1.0)
    (True, False, False)
    """
    return hasattr(type(x), "__index__") and not isinstance(x, bool)


def argnums_positions(argnums: object, who: str, count: int | None = None) -> tuple[tuple[int, ...], bool]:
    """``argnums`` as the positions it names, and whether it was a single int: what ``grad``,
    ``value_and_grad``, ``hessian``, ``jacobian`` and ``trace`` all accept. None names every one of
    ``count`` arguments; an int (numpy's included) one; a tuple or list of ints several, in their
    order, repeats kept, ``()`` none. With ``count`` given, positions are checked against it and
    negative ones counted from the end; without, only the type is checked.

    >>> argnums_positions(1, "grad"), argnums_positions((0, -1), "grad", count=3)
    (((1,), True), ((0, 2), False))
    >>> argnums_positions(None, "trace", count=2), argnums_positions((), "grad", count=2)
    (((0, 1), False), ((), False))
    >>> argnums_positions(2, "grad", count=2)
    Traceback (most recent call last):
    ...
    ValueError: grad: argnums has 2, but the function was called with 2 positional argument(s)
    """
    if argnums is None:
        if count is None:
            return (), False
        return tuple(range(count)), False
    single = is_index(argnums)
    given = (argnums,) if single else argnums
    if not isinstance(given, (tuple, list)) or not all(is_index(i) for i in given):
        raise TypeError(f"{who}: argnums must be an int or a tuple of ints (() for none), got {argnums!r}")
    positions = tuple(operator.index(i) for i in given)
    if count is None:
        return positions, single
    for i in positions:
        if not -count <= i < count:
            raise ValueError(
                f"{who}: argnums has {i}, but the function was called with {count} positional argument(s)"
            )
    return tuple(i % count for i in positions), single
