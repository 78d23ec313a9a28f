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
import inspect
from collections.abc import Callable, Generator, Iterator
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class Mode:
    """What operations do right now: record the graph or not, check for nan or not, trace or not."""

    __slots__ = ("recording", "checking", "tracing", "traced_class")

    def __init__(
        self,
        recording: bool,
        checking: bool,
        tracing: dict[Any, Any] | None = None,
        traced_class: type | None = None,
    ) -> None:
        self.recording = recording
        self.checking = checking
        # None, or inside autograd.trace: every leaf made while tracing, mapped to the Value it is a
        # detached copy of (None for a constant of the program)
        self.tracing = tracing
        # inside autograd.trace: the class that a node computed while tracing becomes (a Value that
        # refuses to hand its number out of autograd), given by the tracing package
        self.traced_class = traced_class

    def __repr__(self) -> str:
        tracing = "" if self.tracing is None else ", tracing"
        return f"Mode(recording={self.recording}, checking={self.checking}{tracing})"


DEFAULT_MODE = Mode(recording=True, checking=False)
_mode: contextvars.ContextVar[Mode] = contextvars.ContextVar("chainrule_mode", default=DEFAULT_MODE)
current_mode = _mode.get


# Per thread and asyncio task: the switches entered and not yet left, each with the mode to restore,
# innermost last. Kept here rather than on each switch, so one switch object can be entered by
# several threads or tasks at once without mixing their entries.
OpenSwitches = tuple[tuple["ModeSwitch", Mode], ...]
_open: contextvars.ContextVar[OpenSwitches] = contextvars.ContextVar("chainrule_open_switches", default=())


class ModeSwitch:
    """A context manager (and decorator) that changes one part of the mode while it is entered."""

    recording: bool | None = None  # None: keep what the surrounding mode says
    checking: bool | None = None

    def __new__(cls, function: Callable[..., Any] | None = None) -> Any:
        switch = super().__new__(cls)
        if function is not None:  # used as @no_grad, without parentheses (PyTorch allows it)
            return switch(function)  # (not a switch, so Python does not call __init__ on it)
        return switch

    def __init__(self, function: Callable[..., Any] | None = None) -> None:
        pass  # nothing to set up: the open entries live in `_open`, per thread and task

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"  # as it is written: no_grad(), detect_anomaly()

    def _inside(self, outer: Mode) -> Mode:
        """The mode while entered, inside ``outer`` (refused while tracing, except recording on)."""
        recording = outer.recording if self.recording is None else self.recording
        checking = outer.checking if self.checking is None else self.checking
        if outer.tracing is not None:
            if not recording or checking:
                raise TracingError(
                    f"{type(self).__name__}() inside a function being traced: a traced program always "
                    "records and never checks; call it outside the traced function"
                )
            return outer  # enable_grad changes nothing while tracing
        return DEFAULT_MODE if (recording, checking) == (True, False) else Mode(recording, checking)

    def __enter__(self) -> None:
        outer = _mode.get()
        inside = self._inside(outer)  # before any change: a refusal while tracing leaves nothing behind
        _open.set((*_open.get(), (self, outer)))  # first, so that an interrupt leaves no mode behind
        _mode.set(inside)

    def __exit__(self, *exception: object) -> None:
        entries = _open.get()
        last = len(entries) - 1
        while entries[last][0] is not self:  # the innermost entry of this switch: usually the last
            last -= 1
        _mode.set(entries[last][1])
        _open.set(entries[:last] + entries[last + 1 :])

    def _fresh(self) -> ModeSwitch:
        """A switch like this one, for one call of a decorated function."""
        return type(self)()

    def __call__(self, function: F) -> F:
        """Use as a decorator: the mode holds during each call of ``function`` (for a generator, while
        each of its steps runs)."""
        fresh = self._fresh
        if inspect.isgeneratorfunction(function):

            @functools.wraps(function)
            def generator_in_mode(*args: Any, **kwargs: Any) -> Any:
                return (yield from _steps_in_mode(fresh, function(*args, **kwargs)))

            return generator_in_mode  # type: ignore[return-value]

        @functools.wraps(function)
        def in_mode(*args: Any, **kwargs: Any) -> Any:
            with fresh():
                return function(*args, **kwargs)

        return in_mode  # type: ignore[return-value]


def _steps_in_mode(switch: Callable[[], ModeSwitch], generator: Generator[Any, Any, Any]) -> Any:
    """Run ``generator`` to its end, each of its steps inside a fresh ``switch()``."""
    resume: Callable[[Any], Any] = generator.send
    argument: Any = None
    while True:
        with switch():
            try:
                response = resume(argument)
            except StopIteration as stop:
                return stop.value
        try:
            argument = yield response
            resume = generator.send
        except GeneratorExit:
            with switch():
                generator.close()
            raise
        except BaseException as error:  # thrown in by the caller: pass it on, in the mode
            resume, argument = generator.throw, error


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
    """Turns recording on or off: at once when called, as PyTorch's does; in ``with``, until the block
    ends (then the mode from before the call is back); as a decorator, during each call.

    >>> from autograd import is_grad_enabled, set_grad_enabled
    >>> with set_grad_enabled(False):
    ...     is_grad_enabled()
    False
    >>> _ = set_grad_enabled(False)  # as a function: from now on
    >>> is_grad_enabled()
    False
    >>> _ = set_grad_enabled(True)
    """

    def __new__(cls, mode: bool) -> Any:
        return object.__new__(cls)

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled: expected True or False, got {type(mode).__name__} {mode!r}")
        self.recording = mode
        self._before = _mode.get()  # what leaving a `with` block restores
        _mode.set(self._inside(self._before))

    def __enter__(self) -> None:
        _mode.set(self._inside(_mode.get()))

    def __exit__(self, *exception: object) -> None:
        _mode.set(self._before)

    def __repr__(self) -> str:
        return f"set_grad_enabled({self.recording})"

    def _fresh(self) -> ModeSwitch:
        return set_grad_enabled(bool(self.recording))

    def __call__(self, function: F) -> F:
        """Use as a decorator: the mode holds during each call of ``function``."""
        _mode.set(self._before)  # decorating is not switching: undo the switch made when called
        return super().__call__(function)


class recording_unchecked(ModeSwitch):  # noqa: N801 (named like the mode switches it sits among)
    """Recording on and forward checks off: for the gradient graph that create_graph builds, whose nan
    is reported by the backward checks as a backward-pass nan."""

    recording = True
    checking = False


class TracingError(TypeError):
    """An operation that a traced program cannot repeat faithfully, tried while tracing."""


@contextlib.contextmanager
def tracing(made_leaves: dict[Any, Any], traced_class: type) -> Iterator[None]:
    """While ``autograd.trace`` runs the traced function: operations record (whatever the ambient
    mode), every leaf made is entered in ``made_leaves`` (see ``Mode.tracing``) and every node
    computed becomes a ``traced_class``.

    >>> with tracing({}, object):
    ...     current_mode()
    Mode(recording=True, checking=False, tracing)
    """
    if _mode.get().tracing is not None:
        raise TracingError("autograd.trace inside a function being traced: trace the outer function only")
    token = _mode.set(Mode(recording=True, checking=False, tracing=made_leaves, traced_class=traced_class))
    try:
        yield
    finally:
        _mode.reset(token)


# Why an operation is refused while tracing. The Values of a traced function stand for every input
# the program will ever get: a branch taken or a number read from one would hold for this one only.
BAKES_BRANCH = (
    "would bake this input's branch into the program: use autograd.maximum, minimum, relu "
    "or abs, which trace their kinks, or decide outside the traced function"
)
BAKES_NUMBER = (
    "would bake this input's number into the program as a constant: keep computing with the "
    "Value (autograd's functions take Values), or use .detach() for a value without gradient"
)
BAKES_DATA = (
    "would bake this input's number into the program as a constant, and a branch on it would hold "
    "for every input: compute with the Value itself (autograd.maximum, minimum, relu and abs trace "
    "their kinks; .detach() gives a value without gradient), or read .data outside the traced "
    "function"
)
HAS_OWN_GRADIENTS = (
    "inside a function being traced: a traced program computes its own gradients "
    "(program.value_and_grad, program.backward); call it outside the traced function"
)


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
