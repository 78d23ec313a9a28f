"""Checking the arguments users pass to ``nn``: numbers, sizes, counts, choices and seeds.

Each check returns the value in the type ``nn`` works with (``float``, ``int``, ``random.Random``)
or raises an error whose message starts with ``what`` (for example ``"MLP: n_inputs"``), says what
was expected and shows what was given. ``bool`` is never a number here, though Python counts it
as one: ``True`` as a layer size or a learning rate is a mistake.
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Iterable
from typing import Any, Union

Seed = Union[int, random.Random, None]
"""A seed: an int for a reproducible stream, a ``random.Random`` to share one, None for a fresh one."""


def is_number(value: object) -> bool:
    """Whether ``value`` is a real number (ints, floats, numpy scalars), ``bool`` excluded.

    >>> is_number(2), is_number(0.5), is_number(True), is_number("2")
    (True, True, False, False)
    """
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def to_float(value: Any) -> float:
    """A real number as a float; an int beyond the float range becomes +-inf (as in ``Value``).

    >>> to_float(3), to_float(-(10 ** 400))
    (3.0, -inf)
    """
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def as_number(value: object, what: str) -> float:
    """A real number as a float (see ``to_float``), else a ``TypeError`` saying ``what`` it was.

    >>> as_number(1, "mse: target 0")
    1.0
    >>> as_number("1", "mse: target 0")
    Traceback (most recent call last):
    ...
    TypeError: mse: target 0 is str '1', not a number
    """
    if not is_number(value):
        raise TypeError(f"{what} is {type(value).__name__} {value!r:.40}, not a number")
    return to_float(value)


def make_rng(seed: Seed) -> random.Random:
    """A ``random.Random`` from an int seed, the given ``random.Random`` itself, or a fresh one for None.

    >>> make_rng(0).random() == make_rng(0).random()
    True
    """
    if seed is None:
        return random.Random()
    if isinstance(seed, random.Random):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"seed: expected an int, a random.Random or None, got {type(seed).__name__} {seed!r:.40}"
        )
    return random.Random(int(seed))


def check_size(value: object, what: str) -> int:
    """The size of something (a layer, a batch): an int of at least 1.

    A value that is not an int is a ``TypeError``, an int below 1 a ``ValueError``.

    >>> check_size(16, "MLP: sizes[0]")
    16
    >>> check_size(2.5, "MLP: sizes[0]")
    Traceback (most recent call last):
    ...
    TypeError: MLP: sizes[0] must be a positive int, got float 2.5
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be a positive int, got {type(value).__name__} {value!r:.40}")
    if value < 1:
        raise ValueError(f"{what} must be a positive int, got {value}")
    return int(value)


def check_count(value: object, what: str, minimum: int = 1) -> int:
    """A number of things (samples, classes, epochs): an int of at least ``minimum``, else ``ValueError``.

    >>> check_count(100, "make_moons: n_samples", 2)
    100
    >>> check_count(-1, "fit: epochs", 0)
    Traceback (most recent call last):
    ...
    ValueError: fit: epochs must be an int >= 0, got -1
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        wanted = "an int >= 0" if minimum == 0 else f"an int of at least {minimum}"
        raise ValueError(f"{what} must be {wanted}, got {value!r:.40}")
    return int(value)


def check_number(
    value: object,
    what: str,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    open_low: bool = False,
    open_high: bool = False,
) -> float:
    """A finite real number from ``low`` to ``high`` (either end left out if open), else ``ValueError``.

    >>> check_number(0.9, "SGD: momentum", 0.0, 1.0)
    0.9
    >>> check_number(-0.1, "make_moons: noise", 0.0)
    Traceback (most recent call last):
    ...
    ValueError: make_moons: noise must be a finite number >= 0, got -0.1
    >>> check_number(0.0, "SGD: lr", 0.0, open_low=True)
    Traceback (most recent call last):
    ...
    ValueError: SGD: lr must be in (0, inf), got 0.0
    """
    at_least_low = high == math.inf and not open_low and low > -math.inf  # said in words: ">= low"
    number = to_float(value) if is_number(value) else math.nan
    if not math.isfinite(number):
        wanted = f"a finite number >= {low:g}" if at_least_low else "a finite number"
        raise ValueError(f"{what} must be {wanted}, got {value!r:.40}")
    if number < low or number > high or (open_low and number == low) or (open_high and number == high):
        if at_least_low:
            wanted = f"a finite number >= {low:g}"
        else:
            closing = ")" if open_high or high == math.inf else "]"
            wanted = f"in {'(' if open_low else '['}{low:g}, {high:g}{closing}"
        raise ValueError(f"{what} must be {wanted}, got {value!r:.40}")
    return number


def check_choice(value: object, choices: Iterable[str], what: str) -> str:
    """One of the names ``choices``, else a ``ValueError`` listing them.

    >>> check_choice("gelu", ["relu", "tanh"], "activation")
    Traceback (most recent call last):
    ...
    ValueError: unknown activation 'gelu'; expected one of 'relu', 'tanh'
    """
    known = list(choices)
    if not isinstance(value, str) or value not in known:
        raise ValueError(f"unknown {what} {value!r:.40}; expected one of {', '.join(map(repr, known))}")
    return value


def check_length(inputs: object, n_inputs: int, who: str) -> None:
    """Check that ``inputs`` is a list (any sized sequence) of ``n_inputs`` items for ``who``.

    >>> check_length([1.0, 2.0, 3.0], 2, "this MLP")
    Traceback (most recent call last):
    ...
    ValueError: this MLP expects 2 inputs, got 3
    """
    try:
        given = len(inputs)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(
            f"{who} takes a list of {n_inputs} inputs, got {type(inputs).__name__} {inputs!r:.40}"
        ) from None
    if given != n_inputs:
        raise ValueError(f"{who} expects {n_inputs} inputs, got {given}")
