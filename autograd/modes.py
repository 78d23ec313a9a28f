"""Recording modes: ``no_grad``, ``enable_grad``, ``detect_anomaly``, and tracing.

The mode lives in a ``contextvars.ContextVar``, so it is private to each thread and each asyncio
task. Every operation reads it once; in the default mode that is one identity comparison. As in
PyTorch, a mode object changes the mode when it is *entered* (not when it is made), can be entered
again and again, and as a decorator applies afresh on every call.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class Mode:
    """What operations do right now: record the graph or not, check for nan or not, trace or not."""

    __slots__ = ("recording", "checking", "tracing")

    def __init__(self, recording: bool, checking: bool, tracing: dict[Any, Any] | None = None) -> None:
        self.recording = recording
        self.checking = checking
        # None, or inside autograd.trace: every leaf made while tracing, mapped to the Value it is a
        # detached copy of (None for a constant of the program)
        self.tracing = tracing

    def __repr__(self) -> str:
        tracing = "" if self.tracing is None else ", tracing"
        return f"Mode(recording={self.recording}, checking={self.checking}{tracing})"


DEFAULT_MODE = Mode(recording=True, checking=False)
_mode: contextvars.ContextVar[Mode] = contextvars.ContextVar("chainrule_mode", default=DEFAULT_MODE)
current_mode = _mode.get


class ModeSwitch:
    """A context manager (and decorator) that changes one part of the mode while it is entered."""

    recording: bool | None = None  # None: keep what the surrounding mode says
    checking: bool | None = None

    def __init__(self) -> None:
        self._tokens: list[contextvars.Token[Mode]] = []  # one per entry still open

    def __enter__(self) -> None:
        outer = _mode.get()
        recording = outer.recording if self.recording is None else self.recording
        checking = outer.checking if self.checking is None else self.checking
        if outer.tracing is not None:
            if not recording or checking:
                raise TracingError(
                    f"{type(self).__name__}() inside a function being traced: a traced program always "
                    "records and never checks; call it outside the traced function"
                )
            mode = outer  # enable_grad changes nothing while tracing
        else:
            mode = DEFAULT_MODE if (recording, checking) == (True, False) else Mode(recording, checking)
        self._tokens.append(_mode.set(mode))

    def __exit__(self, *exception: object) -> None:
        _mode.reset(self._tokens.pop())

    def __call__(self, function: F) -> F:
        """Use as a decorator: the mode holds during each call of ``function``."""

        @functools.wraps(function)
        def in_mode(*args: Any, **kwargs: Any) -> Any:
            with type(self)():  # a fresh switch per call: safe across threads and recursion
                return function(*args, **kwargs)

        return in_mode  # type: ignore[return-value]


class no_grad(ModeSwitch):  # noqa: N801 (PyTorch's name)
    """Inside it, operations record no graph: results are new leaves. For updates and inference.

    >>> from autograd import Value, no_grad
    >>> x = Value(2.0)
    >>> with no_grad():
    ...     y = x * 3
    >>> y.data, y.parents
    (6.0, ())
    """

    recording = False


class enable_grad(ModeSwitch):  # noqa: N801 (PyTorch's name)
    """Turns recording back on, for example inside ``no_grad``.

    >>> from autograd import Value, no_grad, enable_grad
    >>> x = Value(2.0)
    >>> with no_grad():
    ...     with enable_grad():
    ...         y = x * 3
    >>> len(y.parents)
    1
    """

    recording = True


class detect_anomaly(ModeSwitch):  # noqa: N801 (PyTorch's name)
    """Raises ``FloatingPointError`` at the first nan, naming the operation and the node's label.

    Inside it, every operation checks its forward value, and ``backward()`` checks its seed and every
    gradient it computes, and notices a ``.data`` changed after the forward pass. Outside it nothing is
    checked.

    >>> from autograd import Value, detect_anomaly
    >>> x = Value(0.0, label="x")
    >>> with detect_anomaly():
    ...     y = x * x.log()
    Traceback (most recent call last):
    ...
    FloatingPointError: detect_anomaly: the forward pass of '*' gave nan (inputs: x = 0.0, log(...) = -inf)
    """

    checking = True


class set_grad_enabled(ModeSwitch):  # noqa: N801 (PyTorch's name)
    """Turns recording on or off: at once when called as a function, for the block when used in ``with``
    (afterwards the mode before it is back), for each call as a decorator.

    >>> from autograd import is_grad_enabled, set_grad_enabled
    >>> with set_grad_enabled(False):
    ...     is_grad_enabled()
    False
    >>> _ = set_grad_enabled(False)  # as a function: from now on
    >>> is_grad_enabled()
    False
    >>> _ = set_grad_enabled(True)
    """

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled: expected True or False, got {type(mode).__name__} {mode!r}")
        super().__init__()
        self.recording = mode
        self._pending: Mode | None = _mode.get()  # the mode before the switch made right now
        self._restore: list[Mode] = []  # what leaving each open `with` block restores
        _mode.set(self._inside(self._pending))

    def _inside(self, outer: Mode) -> Mode:
        if outer.tracing is not None:
            if not self.recording:
                raise TracingError("set_grad_enabled(False) inside a function being traced: a traced program "
                                   "always records; call it outside the traced function")
            return outer
        if self.recording and not outer.checking:
            return DEFAULT_MODE
        return Mode(bool(self.recording), outer.checking)

    def __enter__(self) -> None:
        if self._pending is not None:  # the first block takes over the switch made when called
            restore, self._pending = self._pending, None
        else:  # entered again: switch again
            restore = _mode.get()
            _mode.set(self._inside(restore))
        self._restore.append(restore)

    def __exit__(self, *exception: object) -> None:
        _mode.set(self._restore.pop())

    def __call__(self, function: F) -> F:
        """Use as a decorator: the mode holds during each call of ``function``."""
        if self._pending is not None:  # decorating is not switching: undo the switch made when called
            _mode.set(self._pending)
            self._pending = None
        recording = bool(self.recording)

        @functools.wraps(function)
        def in_mode(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(recording):
                return function(*args, **kwargs)

        return in_mode  # type: ignore[return-value]


class recording_unchecked(ModeSwitch):  # noqa: N801
    """Recording on and forward checks off: for the gradient graph that create_graph builds, whose nan
    is reported by the backward checks as a backward-pass nan."""

    recording = True
    checking = False


class TracingError(TypeError):
    """An operation that a traced program cannot repeat faithfully, tried while tracing."""


@contextlib.contextmanager
def tracing(made_leaves: dict[Any, Any]) -> Iterator[None]:
    """While ``autograd.trace`` runs the traced function: operations record (whatever the ambient
    mode), and every leaf made is entered in ``made_leaves`` (see ``Mode.tracing``).

    >>> with tracing({}):
    ...     current_mode()
    Mode(recording=True, checking=False, tracing)
    """
    if _mode.get().tracing is not None:
        raise TracingError("autograd.trace inside a function being traced: trace the outer function only")
    token = _mode.set(Mode(recording=True, checking=False, tracing=made_leaves))
    try:
        yield
    finally:
        _mode.reset(token)


# Why an operation is refused while tracing. The Values of a traced function stand for every input
# the program will ever get: a branch taken or a number read from one would hold for this one only.
BAKES_BRANCH = ("would bake this input's branch into the program: use autograd.maximum, minimum, relu "
                "or abs, which trace their kinks, or decide outside the traced function")
BAKES_NUMBER = ("would bake this input's number into the program as a constant: keep computing with the "
                "Value (autograd's functions take Values), or use .detach() for a value without gradient")
HAS_OWN_GRADIENTS = ("inside a function being traced: a traced program computes its own gradients "
                     "(program.value_and_grad, program.backward); call it outside the traced function")


def refuse_while_tracing(action: str, reason: str = HAS_OWN_GRADIENTS) -> None:
    """Raise ``TracingError`` (``action`` and why) if a function is being traced; else nothing."""
    if _mode.get().tracing is not None:
        raise TracingError(f"{action} {reason}")


def is_grad_enabled() -> bool:
    """Whether operations record the graph here (False inside ``no_grad``).

    >>> from autograd import no_grad, is_grad_enabled
    >>> with no_grad():
    ...     is_grad_enabled()
    False
    """
    return current_mode().recording
