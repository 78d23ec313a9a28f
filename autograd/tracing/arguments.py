"""What a traced program takes as an argument: a number, or a list of numbers in the caller's order;
and how the arguments of a call are checked against the trace (``as_argument``).

``trace``, a program's calls and ``program.batch`` all read their arguments through ``scalar`` and
``items`` below, so each accepts and refuses the same things: a 0-d numpy array is a number; a
list, a tuple or a 1-d array is a list; a dict or a set is refused, since the order of its items
is not one the caller chose.
"""

from __future__ import annotations

from collections.abc import Mapping, Set, ValuesView
from dataclasses import dataclass, field
from typing import Any

from autograd.inputs import as_float


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
        raise TypeError(
            f"{what} is {type(x).__name__}, whose order is not the caller's: pass a list or a tuple"
        )
    if isinstance(x, (str, bytes)) or not (hasattr(x, "__len__") and hasattr(x, "__getitem__")):
        return None
    if getattr(x, "ndim", 1) == 0:
        return None
    return list(x)


@dataclass
class Argument:
    """One argument of a program: a number (``length`` None) or a flat list of ``length`` numbers."""

    name: str
    length: int | None
    differentiated: bool
    leaves: list[Any]  # the Values that stood for it while tracing (emptied afterwards)
    element_names: list[str] = field(default_factory=list)  # its numbers' names in the code


def as_argument(argument: Argument, x: Any, index: int, who: str) -> Any:
    """``x`` as the program takes argument ``index`` (a float, or a list of floats), or an error
    naming what differs from the trace.

    >>> as_argument(Argument("xs", 2, True, []), (1, 2.5), 0, "program(...)")
    [1.0, 2.5]
    """
    if type(x) is float and argument.length is None:  # the common case, checked first
        return x
    what = f"{who}: argument {index} ({argument.name})"
    x = scalar(x)
    given = items(x, what)
    if argument.length is None:
        if given is not None:
            raise TypeError(f"{what} was a number when traced, got {type(x).__name__} of {len(given)}")
        return as_float(x, what)
    if given is None:
        raise TypeError(f"{what} was a list of {argument.length} numbers when traced, got {type(x).__name__}")
    if len(given) != argument.length:
        raise ValueError(
            f"{what} was a list of {argument.length} numbers when traced, got {len(given)}: "
            "trace again for another length"
        )
    return [as_float(scalar(v), what) for v in given]
