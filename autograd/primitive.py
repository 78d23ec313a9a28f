"""What a primitive is, and the helpers its derivative rule is written with.

A ``Primitive`` is an operation the engine differentiates: its name, its forward computation (on
floats) and its derivative *rule* ``rule(out, *inputs)``, the local derivatives d out / d input in
plain arithmetic and the helpers below. Called with floats in the forward pass, a rule gives the
floats the node stores (the fast path); called with Values by ``backward(create_graph=True)`` it
gives Values that can be differentiated again; called with a traced program's symbols, it writes
down the expressions that the program's backward pass computes. The primitives themselves are
defined next to the operators that apply them: in ``value.py`` (one or two inputs) and
``operations.py`` (many), each with the code of its forward line in a traced program.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograd import ieee
from autograd.elementary import divide
from autograd.graph import Node
from autograd.symbolic import Symbolic

_DEFINED: dict[str, Primitive] = {}

# ----- the helpers rules are written with --------------------------------------------------------


class FlatZero(float):
    """0 as the derivative of a function that is flat here (relu below 0, ``x ** 0``, the losing side
    of ``maximum``): times any gradient, inf and nan included, it gives 0, as PyTorch's backward masks
    these edges. Everywhere else it is the float 0.0.

    >>> FLAT * float("inf"), float("nan") * FLAT, FLAT == 0.0
    (0.0, 0.0, True)
    """

    __slots__ = ()

    def __mul__(self, gradient: Any) -> float:
        return 0.0

    __rmul__ = __mul__

    def __reduce__(self) -> str:
        return "FLAT"  # pickles and copies as the one instance below


FLAT = FlatZero()


class Reciprocal(float):
    """``1 / x`` as a local derivative, applied as a division: ``Reciprocal(x) * g`` is ``g / x``.

    Forming ``1 / x`` first overflows for tiny ``x`` where ``g / x`` does not (PyTorch divides too):
    d(x * log x)/dx at 1e-310 is -712.8, not inf.

    >>> r = Reciprocal(1e-310)
    >>> float(r), r * 1e-310
    (inf, 1.0)
    """

    __slots__ = ("denominator",)
    denominator: float

    def __new__(cls, x: float) -> Reciprocal:
        self = super().__new__(cls, ieee.divide(1.0, x))
        self.denominator = x
        return self

    def __mul__(self, gradient: Any) -> Any:
        return divide(gradient, self.denominator)

    __rmul__ = __mul__

    def __reduce__(self) -> tuple[type, tuple[float]]:
        return (Reciprocal, (self.denominator,))


def reciprocal(x: Any) -> Any:
    """``1 / x`` as a derivative that multiplies as a division: for a float a ``Reciprocal``, for a
    Value (create_graph) or a traced program's symbol a ``ReciprocalOf`` it, so every path computes
    ``g / x`` alike."""
    return Reciprocal(x) if type(x) is float else ReciprocalOf(x)


class ReciprocalOf:
    """``1 / x`` of a Value ``x`` as a local derivative: times a gradient ``g`` it is ``g / x``."""

    __slots__ = ("denominator",)

    def __init__(self, x: Any) -> None:
        self.denominator = x

    def __mul__(self, gradient: Any) -> Any:
        return divide(gradient, self.denominator)

    __rmul__ = __mul__

    def __float__(self) -> float:
        return ieee.divide(1.0, float(self.denominator))

    def __repr__(self) -> str:
        return f"ReciprocalOf({self.denominator!r})"


def where(condition: Any, if_true: Any, if_false: Any) -> Any:
    """``if_true`` where ``condition`` holds, else ``if_false``: a kink or a mask in a rule.

    A traced program's condition has no truth value yet: it writes the choice into the program.
    """
    try:  # a bool (the float and Value paths) costs nothing more than the test itself
        return if_true if condition else if_false
    except TypeError:
        if isinstance(condition, Symbolic):
            return condition.select(if_true, if_false)
        raise


def equal(a: Any, b: float) -> bool:
    """Whether ``a`` (a number or a Value) equals ``b`` (``==`` on Values compares identity)."""
    return (a.data if isinstance(a, Node) else a) == b


# ----- the Primitive --------------------------------------------------------------------------


class Primitive:
    """An operation the engine differentiates: its name, forward function and derivative rule.

    >>> from autograd import Value
    >>> Value.TANH.forward(0.5) == Value(0.5).tanh().data
    True
    >>> Value.TANH.local_grads(0.0, (0.0,), None)  # d tanh/dx at 0
    (1.0,)
    >>> Value.POWER_CONSTANT.code_line(["x"], "2.0")  # its forward line in a traced program
    'power(x, 2.0)'
    """

    __slots__ = ("key", "name", "forward", "rule", "code", "takes_constant", "shows_constant",
                 "constant_first", "split")

    def __init__(self, key: str, name: str, forward: Callable[..., float], rule: Callable[..., Any], *,
                 code: str | Callable[[Sequence[str], str | None], str],
                 takes_constant: bool = False, shows_constant: bool = False, constant_first: bool = False,
                 split: Callable[[Sequence[Any]], tuple[Any, ...]] | None = None) -> None:
        self.key = key  # where it is defined, unique ("Value.TANH"): pickling refers to it by this
        self.name = name  # the operation's symbol or function name: "+", "tanh"
        self.forward = forward  # on floats: the node's data
        # rule(out, *inputs[, constant]) -> local derivative(s); a staticmethod object (as written in
        # a class body) is unwrapped: calling the function itself is several times faster
        self.rule = rule.__func__ if isinstance(rule, staticmethod) else rule
        # the forward computation as Python code: "{0} * {1}" ({c}: the constant), or a function of
        # the operands' code and the constant's; names it calls come from autograd.ieee or math
        self.code = code
        self.takes_constant = takes_constant  # x + c, x * c, ...: the rule's last argument is c
        self.shows_constant = shows_constant  # x ** c reads "**2"
        self.constant_first = constant_first  # c / x: the constant is the left operand
        self.split = split  # how the parents become the rule's arguments, if not one by one
        if key in _DEFINED:
            raise ValueError(f"Primitive: the key {key!r} is taken; each primitive needs its own")
        _DEFINED[key] = self

    def local_grads(self, out: Any, parents: Sequence[Any], constant: float | None) -> tuple[Any, ...]:
        """The rule applied to a node's output and parents: one local derivative per parent."""
        arguments = tuple(parents) if self.split is None else self.split(parents)
        if self.takes_constant:
            arguments += (constant,)
        result = self.rule(out, *arguments)
        return result if type(result) is tuple else (result,)

    def code_line(self, operands: Sequence[str], constant: str | None) -> str:
        """The Python expression that computes this operation from ``operands`` (code text, one
        per parent) and ``constant`` (a number's code, or None): the same float operations, in the
        same order, as the forward pass of the engine."""
        if callable(self.code):
            return self.code(operands, constant)
        return self.code.format(*operands, c=constant)

    def label(self, constant: float | None) -> str:
        """The short label a node shows: the name, with the constant where it belongs in it."""
        if self.shows_constant and constant is not None:
            return self.name + number_text(constant)
        return self.name

    def __repr__(self) -> str:
        return f"<primitive {self.key}: {self.name}>"

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (primitive_named, (self.key,))  # pickled by reference, never copied


def number_text(c: float) -> str:
    """How a constant reads in a label: ``2`` for 2.0, ``0.5``, ``inf``."""
    return str(int(c)) if c.is_integer() and abs(c) < 1e16 else repr(c)


def primitive_named(key: str) -> Primitive:
    """The primitive defined under ``key`` (``"Value.TANH"``), as unpickling finds it again."""
    return _DEFINED[key]
