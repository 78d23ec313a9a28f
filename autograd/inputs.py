"""Checking what users pass in: real numbers become floats, anything else is a clear TypeError."""

from __future__ import annotations

import math
import numbers
from typing import Union

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
    if type(x) is int or (isinstance(x, numbers.Real) and not isinstance(x, bool)):  # int: no ABC check
        try:
            return float(x)
        except OverflowError:  # an int beyond float's range (not copysign: it would convert x again)
            return math.inf if x > 0 else -math.inf  # type: ignore[operator]
    raise type_error(x, operation)
