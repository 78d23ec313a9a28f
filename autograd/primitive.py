"""What a primitive is, and the helpers its derivative rule is written with.

A ``Primitive`` is an operation the engine differentiates, defined once: its name, its forward
computation on floats, its numpy version, its derivative *rule* ``rule(out, *inputs)`` (the local
derivatives d out / d input in plain arithmetic and the helpers below) and the code of its forward
line in a traced program. Called with floats in the forward pass, a rule gives the floats the node
stores (the fast path); called with Values by ``backward(create_graph=True)`` it gives Values that
can be differentiated again; called with a traced program's symbols, it writes down the expressions
that the program's backward pass computes.

The primitives themselves are defined next to what applies them: the arithmetic ones in
``value.py`` beside the operators, the elementary functions in ``elementary.py``, those of many
inputs in ``operations.py``. Every list of operations elsewhere is derived from the definitions
(``every_primitive()``): the function of a number or a Value and the method of each elementary
function, the functions a traced program calls, their numpy versions for a batch.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any, cast

from autograd import ieee
from autograd.inputs import as_float
from autograd.symbolic import Operand, Symbolic

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
        if isinstance(gradient, Operand):  # a Value or a symbol divides itself, IEEE too
            return cast(Any, gradient) / self.denominator
        return ieee.divide(gradient, self.denominator)

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
        return gradient / self.denominator  # a number, a Value or a symbol over a Value or a symbol

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


def equal(a: Any, b: float) -> Any:
    """Whether ``a`` (a number or a Value) equals ``b`` (``==`` on Values compares identity); for a
    traced program's symbol, the condition as an expression."""
    if isinstance(a, Operand) and not isinstance(a, Symbolic):
        return a.data == b  # type: ignore[attr-defined]
    return a == b


# ----- the Primitive --------------------------------------------------------------------------


class Primitive:
    """An operation the engine differentiates, defined once: its name, forward function, numpy
    version, derivative rule and program code.

    >>> import math
    >>> from autograd.elementary import TANH
    >>> from autograd.value import POWER_CONSTANT
    >>> TANH.forward(0.5) == math.tanh(0.5)
    True
    >>> TANH.local_grads(0.0, (0.0,), None)  # d tanh/dx at 0
    (1.0,)
    >>> TANH.code_line(["x"], None), POWER_CONSTANT.code_line(["x"], "2.0")  # forward lines of a program
    ('tanh(x)', 'power(x, 2.0)')
    >>> TANH.rule_text
    'd tanh(x)/dx = 1 - tanh(x)**2, in terms of the output.'
    """

    __slots__ = (
        "key",
        "name",
        "forward",
        "rule",
        "code",
        "calls",
        "on_arrays",
        "doc",
        "takes_constant",
        "shows_constant",
        "constant_first",
        "split",
    )

    def __init__(
        self,
        name: str,
        forward: Callable[..., float],
        rule: Callable[..., Any],
        *,
        key: str | None = None,
        calls: str | None = None,
        code: str | Callable[[Sequence[str], str | None], str] | None = None,
        on_arrays: Callable[..., Any] | None = None,
        doc: str | None = None,
        takes_constant: bool = False,
        shows_constant: bool = False,
        constant_first: bool = False,
        split: Callable[[Sequence[Any]], tuple[Any, ...]] | None = None,
    ) -> None:
        self.name = name  # the operation's symbol or function name, as a node shows it: "+", "tanh"
        self.forward = forward  # on floats: the node's data
        # rule(out, *inputs[, constant]) -> local derivative(s); a staticmethod object (as written in
        # a class body) is unwrapped: calling the function itself is several times faster
        self.rule = rule.__func__ if isinstance(rule, staticmethod) else rule
        # the function a traced program calls to compute it ("tanh", "divide"): bound to ``forward`` in
        # a compiled program and to ``on_arrays`` in a batch, and imported from autograd in its source
        self.calls = calls if calls is not None or code is not None else name
        # its forward line as Python code: "{0} * {1}" ({c}: the constant), or a function of the
        # operands' code and the constant's; by default a call of ``calls`` on the operands
        self.code = code
        self.on_arrays = on_arrays  # on_arrays(np, *operands): ``calls`` on numpy arrays of examples
        self.doc = None if doc is None else inspect.cleandoc(doc)  # what its method says, with an example
        self.takes_constant = takes_constant  # x + c, x * c, ...: the rule's last argument is c
        self.shows_constant = shows_constant  # x ** c reads "**2"
        self.constant_first = constant_first  # c / x: the constant is the left operand
        self.split = split  # how the parents become the rule's arguments, if not one by one
        self.key = key or self.calls or name  # unique ("tanh", "add_constant"): pickles refer to it
        if self.calls is not None and on_arrays is None:
            raise ValueError(
                f"Primitive {name!r}: a program calls {self.calls}(...), so it needs on_arrays, "
                "its numpy version"
            )
        for other in _DEFINED.values():
            if other.key == self.key or (self.calls is not None and other.calls == self.calls):
                raise ValueError(
                    f"Primitive {name!r}: the key {self.key!r} or the function {self.calls!r} "
                    f"is taken by {other!r}; each primitive needs its own"
                )
        _DEFINED[self.key] = self

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
        if self.code is None:
            return f"{self.calls}({', '.join(operands)})"
        if callable(self.code):
            return self.code(operands, constant)
        return self.code.format(*operands, c=constant)

    def label(self, constant: float | None) -> str:
        """The short label a node shows: the name, with the constant where it belongs in it."""
        if self.shows_constant and constant is not None:
            return self.name + number_text(constant)
        return self.name

    @property
    def rule_text(self) -> str:
        """The derivative rule in words: the first line of the rule's docstring."""
        return (inspect.getdoc(self.rule) or self.name).split("\n")[0]

    def __repr__(self) -> str:
        return f"<primitive {self.key}: {self.name}>"

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (primitive_named, (self.key,))  # pickled by reference, never copied


def number_text(c: float) -> str:
    """How a constant reads in a label: ``2`` for 2.0, ``0.5``, ``inf``."""
    return str(int(c)) if c.is_integer() and abs(c) < 1e16 else repr(c)


def primitive_named(key: str) -> Primitive:
    """The primitive defined under ``key`` (``"tanh"``), as unpickling finds it again. A key of an
    earlier version (``"Value.TANH"``, ``"operations.SUM"``) names the same primitive."""
    return _DEFINED[key.rsplit(".", 1)[-1].lower()]


def every_primitive() -> list[Primitive]:
    """Every primitive defined, in the order of definition: the table that every list of
    operations is derived from.

    >>> import autograd
    >>> [p.key for p in every_primitive()][:3]
    ['exp', 'log', 'sqrt']
    """
    return list(_DEFINED.values())


# ----- what is derived from a primitive of one input ---------------------------------------------


def number_or_value(primitive: Primitive, name: str | None = None) -> Callable[[Any], Any]:
    """The public function of a primitive of one input: of a number, its float forward (a float);
    of a Value, or of a traced program's symbol, what it does with the primitive (a Value, an
    expression). Its name (the primitive's, unless ``name`` is given), docstring and example come
    from the primitive.
    """
    method, forward = primitive.name, primitive.forward
    name = name or method

    def function(x: Any) -> Any:
        if isinstance(x, Operand):
            return x._apply(primitive)
        return forward(as_float(x, name))

    function.__name__ = function.__qualname__ = name
    function.__module__ = "autograd"
    description = (primitive.doc or name).split("\n")[0]
    function.__doc__ = (
        f"``{name}`` of a number (a float) or of a Value (a Value, as ``x.{method}()``): "
        f"{description[0].lower()}{description[1:]}\n\n"
        f">>> from autograd import Value, {name}\n"
        f">>> {name}(0.5) == Value(0.5).{method}().data\nTrue\n"
    )
    return function
