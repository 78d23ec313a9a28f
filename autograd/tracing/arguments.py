"""What a traced program takes as an argument: a number, or a list of numbers in the caller's order.

``trace``, a program's calls and ``program.batch`` all read their arguments through ``scalar`` and
``items`` below, so each accepts and refuses the same things: a 0-d numpy array is a number; a
list, a tuple or a 1-d array is a list; a dict or a set is refused, since the order of its items
is not one the caller chose.
"""

from __future__ import annotations

from collections.abc import Mapping, Set, ValuesView
from typing import Any


def scalar(x: Any) -> Any:
    """``x``, or the number inside it if it is a numpy array of no dimension (``np.array(2.0)``).

    >>> import numpy as np
    >>> scalar(np.array(2.5)), scalar([1.0])
    (2.5, [1.0])
    """
    if getattr(x, "ndim", None) == 0 and hasattr(x, "item"):
        return x.item()
    return x


def items(x: Any, what: str) -> list[Any] | None:
    """The items of ``x`` in order if it is a list of something (a list, tuple, range or array),
    else None (a number, or something to be refused as one); a ``TypeError`` naming ``what`` for a
    dict or a set.

    >>> items((1.0, 2.0), "x"), items(3.0, "x")
    ([1.0, 2.0], None)
    >>> items({1.0, 2.0}, "trace: argument 0 (xs)")
    Traceback (most recent call last):
    ...
    TypeError: trace: argument 0 (xs) is set, whose order is not the caller's: pass a list or a tuple
    """
    if isinstance(x, (Mapping, Set, ValuesView)):  # a dict, a set, or a view of a dict
        raise TypeError(f"{what} is {type(x).__name__}, whose order is not the caller's: pass a list or "
                        "a tuple")
    if isinstance(x, (str, bytes)) or not (hasattr(x, "__len__") and hasattr(x, "__getitem__")):
        return None
    if getattr(x, "ndim", 1) == 0:
        return None
    return list(x)
