"""Recording modes: ``no_grad`` and ``detect_anomaly``.

The mode lives in a ``contextvars.ContextVar``, so it is private to each thread and each asyncio
task. Every operation reads it once; in the default mode that is one identity comparison.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager


class Mode:
    """What operations do right now: record the graph or not, check for nan or not."""

    __slots__ = ("recording", "checking")

    def __init__(self, recording: bool, checking: bool) -> None:
        self.recording = recording
        self.checking = checking

    def __repr__(self) -> str:
        return f"Mode(recording={self.recording}, checking={self.checking})"


DEFAULT_MODE = Mode(recording=True, checking=False)
_mode: contextvars.ContextVar[Mode] = contextvars.ContextVar("chainrule_mode", default=DEFAULT_MODE)
current_mode = _mode.get


@contextmanager
def _entered(mode: Mode) -> Iterator[None]:
    token = _mode.set(mode)
    try:
        yield
    finally:
        _mode.reset(token)


def no_grad() -> AbstractContextManager[None]:
    """A context manager inside which operations record no graph: results are new leaves.

    Use it for parameter updates and for inference. It also works as a decorator.

    >>> from autograd import Value, no_grad
    >>> x = Value(2.0)
    >>> with no_grad():
    ...     y = x * 3
    >>> y.data, y.parents
    (6.0, ())
    """
    return _entered(Mode(recording=False, checking=current_mode().checking))


def enable_grad() -> AbstractContextManager[None]:
    """A context manager that turns recording back on, for example inside ``no_grad``.

    >>> from autograd import Value, no_grad, enable_grad
    >>> x = Value(2.0)
    >>> with no_grad():
    ...     with enable_grad():
    ...         y = x * 3
    >>> len(y.parents)
    1
    """
    return _entered(Mode(recording=True, checking=current_mode().checking))


def is_grad_enabled() -> bool:
    """Whether operations record the graph here (False inside ``no_grad``).

    >>> from autograd import no_grad, is_grad_enabled
    >>> with no_grad():
    ...     is_grad_enabled()
    False
    """
    return current_mode().recording


def detect_anomaly() -> AbstractContextManager[None]:
    """A context manager that raises ``FloatingPointError`` at the first nan.

    Inside it, every operation checks its forward value and ``backward()`` checks every gradient it
    computes; the error names the operation and the node's label. Outside it nothing is checked.

    >>> from autograd import Value, detect_anomaly
    >>> x = Value(0.0, label="x")
    >>> with detect_anomaly():
    ...     y = x * x.log()
    Traceback (most recent call last):
    ...
    FloatingPointError: detect_anomaly: the forward pass of '*' gave nan (inputs: x = 0.0, log(...) = -inf)
    """
    return _entered(Mode(recording=current_mode().recording, checking=True))
