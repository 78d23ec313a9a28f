"""Expressions: the symbols a traced program is written with.

A derivative rule is plain arithmetic and a few helpers, so evaluating it on expressions instead of
floats writes down the code that computes it: ``TANH.rule(out, x)`` with ``out`` the name
``v3`` gives the expression ``1.0 - v3 * v3``. The chain rule's ``parent.grad += local * grad``
then gives one expression per step, which becomes one line of the program.

Every simplification made here is exact in IEEE arithmetic, so the program computes the same bits
as the engine: ``1.0 * g`` is ``g``, ``-0.0 + e`` is ``e`` (a gradient starts at -0.0), ``-1.0 * g``
is ``-g``. A *flat* zero (``primitive.FLAT``) times ``g`` is the literal ``0.0``; a conditional
local derivative (``where`` in a rule) times ``g`` chooses between the products, so each branch
keeps its own flat zeros. A division by a symbol, ``**`` and every function of a rule are written as
the primitive's own code (``divide(g, x)``, ``power(x, 2.0)``, ``cos(x)``): calls of the primitives'
float forwards, so that the program never raises where the engine gives inf or nan.
"""

from __future__ import annotations

import functools
import importlib
import math
import re
from collections.abc import Iterator, Sequence
from typing import Any

from autograd import ieee
from autograd.arithmetic import DIVIDE, POWER
from autograd.primitive import Primitive, every_primitive
from autograd.symbolic import Symbolic

# How tightly each kind of expression binds, as in Python's grammar: an operand that binds less
# tightly than its operator is parenthesised.
CHOICE, COMPARISON, SUM, PRODUCT, UNARY, ATOM = range(6)

_BINARY_PRECEDENCE = {"+": SUM, "-": SUM, "*": PRODUCT, "/": PRODUCT}


class Dialect:
    """How code is written for one kind of number: Python floats (``SCALAR``) or numpy arrays of
    many examples at once (``NUMPY``, where a choice is elementwise, and ``g += e`` would write into
    an array that other names share, so a sum is written ``g = g + e``)."""

    def __init__(self, name: str, elementwise_choice: bool, adds_in_place: bool) -> None:
        self.name = name
        self.elementwise_choice = elementwise_choice
        self.adds_in_place = adds_in_place  # whether ``g += e`` may be written: only where it rebinds

    def __repr__(self) -> str:
        return f"<dialect {self.name}>"


SCALAR = Dialect("scalar", elementwise_choice=False, adds_in_place=True)
NUMPY = Dialect("numpy", elementwise_choice=True, adds_in_place=False)


def literal(x: float) -> str:
    """A float as Python code that gives exactly it back (``inf`` and ``nan`` by name).

    >>> literal(0.1), literal(-0.0), literal(float("-inf"))
    ('0.1', '-0.0', '-inf')
    """
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(float(x))


def code_of(x: Any, dialect: Dialect = SCALAR) -> str:
    """The code of an expression or a number.

    >>> code_of(Name("x") * 2.0), code_of(float("nan"))
    ('x * 2.0', 'nan')
    """
    return x.code(dialect) if isinstance(x, Expression) else literal(x)


def _precedence_of(x: Any) -> int:
    if isinstance(x, Expression):
        return x.precedence
    return UNARY if x < 0 or (x == 0 and math.copysign(1.0, x) < 0) else ATOM  # -2.5 is a unary minus


def _operand(x: Any, dialect: Dialect, loosest: int) -> str:
    """``x``'s code, in parentheses if it binds less tightly than ``loosest`` allows."""
    text = code_of(x, dialect)
    return f"({text})" if _precedence_of(x) < loosest else text


class Expression(Symbolic):
    """A float known by the code that computes it. Arithmetic, comparisons and autograd's
    functions (``autograd.cos(x)``) on it give new expressions, so a rule evaluated on it writes its
    code.

    >>> from autograd.elementary import RELU, TANH
    >>> TANH.rule(Name("v3"), Name("v2"))
    <expression 1.0 - v3 * v3>
    >>> RELU.rule(Name("v2"), Name("x")) * Name("g")  # a kink: flat below 0
    <expression 0.0 if x <= 0.0 else g>
    """

    __slots__ = ()
    precedence = ATOM

    def code(self, dialect: Dialect = SCALAR) -> str:
        raise NotImplementedError

    def parts(self) -> tuple[Any, ...]:
        """The expressions and numbers this one is made of."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<expression {self.code()}>"

    __hash__ = object.__hash__  # == builds a comparison; hashing stays by identity

    def __add__(self, other: Any) -> Any:
        return add(self, other)

    def __radd__(self, other: Any) -> Any:
        return add(other, self)

    def __sub__(self, other: Any) -> Any:
        return Binary("-", self, other)

    def __rsub__(self, other: Any) -> Any:
        return Binary("-", other, self)

    def __mul__(self, other: Any) -> Any:
        return multiply(self, other)

    def __rmul__(self, other: Any) -> Any:
        return multiply(other, self)

    def __truediv__(self, other: Any) -> Any:
        return divide(self, other)

    def __rtruediv__(self, other: Any) -> Any:
        return divide(other, self)

    def __pow__(self, other: Any) -> Any:
        return Applied(POWER, (self, other))

    def __rpow__(self, other: Any) -> Any:
        return Applied(POWER, (other, self))

    def __neg__(self) -> Any:
        return Negative(self)

    def __lt__(self, other: Any) -> Comparison:
        return Comparison("<", self, other)

    def __le__(self, other: Any) -> Comparison:
        return Comparison("<=", self, other)

    def __gt__(self, other: Any) -> Comparison:
        return Comparison(">", self, other)

    def __ge__(self, other: Any) -> Comparison:
        return Comparison(">=", self, other)

    def __eq__(self, other: Any) -> Comparison:  # type: ignore[override]
        return Comparison("==", self, other)

    def __bool__(self) -> bool:
        raise TypeError(f"the expression {self.code()} has no truth value until the program runs")

    def _apply(self, primitive: Primitive) -> Applied:
        """``primitive`` (of one input) of this expression, as a rule calls it (``cos(x)``)."""
        return Applied(primitive, (self,))


class Name(Expression):
    """A variable of the program: a value computed by one of its lines, an input or a gradient."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def code(self, dialect: Dialect = SCALAR) -> str:
        return self.name

    def parts(self) -> tuple[Any, ...]:
        return ()


class Binary(Expression):
    """``left op right`` for one of ``+ - * /``."""

    __slots__ = ("op", "left", "right", "precedence")

    def __init__(self, op: str, left: Any, right: Any) -> None:
        self.op, self.left, self.right = op, left, right
        self.precedence = _BINARY_PRECEDENCE[op]

    def parts(self) -> tuple[Any, ...]:
        return (self.left, self.right)

    def code(self, dialect: Dialect = SCALAR) -> str:
        # floats do not associate: a right operand of the same precedence keeps its parentheses
        left = _operand(self.left, dialect, self.precedence)
        right = _operand(self.right, dialect, self.precedence + 1)
        return f"{left} {self.op} {right}"


class Negative(Expression):
    """``-x``."""

    __slots__ = ("operand",)
    precedence = UNARY

    def __init__(self, operand: Any) -> None:
        self.operand = operand

    def parts(self) -> tuple[Any, ...]:
        return (self.operand,)

    def code(self, dialect: Dialect = SCALAR) -> str:
        return f"-{_operand(self.operand, dialect, UNARY)}"


class Applied(Expression):
    """A primitive applied to expressions, written as its code: ``tanh(v2)``, ``divide(g3, v1)``
    (every primitive that rules apply to symbols writes a call)."""

    __slots__ = ("primitive", "arguments")

    def __init__(self, primitive: Primitive, arguments: Sequence[Any]) -> None:
        self.primitive, self.arguments = primitive, tuple(arguments)

    def parts(self) -> tuple[Any, ...]:
        return self.arguments

    def code(self, dialect: Dialect = SCALAR) -> str:
        return self.primitive.code_line([code_of(a, dialect) for a in self.arguments], None)


class Comparison(Expression):
    """A condition, ``a <= b``: true or false only when the program runs, so a rule's ``where``
    asks it to ``select`` between two values."""

    __slots__ = ("op", "left", "right")
    precedence = COMPARISON

    def __init__(self, op: str, left: Any, right: Any) -> None:
        self.op, self.left, self.right = op, left, right

    def parts(self) -> tuple[Any, ...]:
        return (self.left, self.right)

    def code(self, dialect: Dialect = SCALAR) -> str:
        left = _operand(self.left, dialect, SUM)
        right = _operand(self.right, dialect, SUM)
        return f"{left} {self.op} {right}"

    def select(self, if_true: Any, if_false: Any) -> Choice:
        return Choice(self, if_true, if_false)


class Choice(Expression):
    """``if_true if condition else if_false``: a kink or a mask of a rule, chosen as the program runs.

    Times a gradient, it chooses between the products (the engine multiplies the chosen local
    derivative), so a flat zero in one branch stays an exact 0.0.
    """

    __slots__ = ("condition", "if_true", "if_false")
    precedence = CHOICE

    def __init__(self, condition: Comparison, if_true: Any, if_false: Any) -> None:
        self.condition, self.if_true, self.if_false = condition, if_true, if_false

    def parts(self) -> tuple[Any, ...]:
        return (self.condition, self.if_true, self.if_false)

    def __mul__(self, other: Any) -> Choice:
        return Choice(self.condition, self.if_true * other, self.if_false * other)

    def __rmul__(self, other: Any) -> Choice:
        return Choice(self.condition, other * self.if_true, other * self.if_false)

    def code(self, dialect: Dialect = SCALAR) -> str:
        condition = code_of(self.condition, dialect)
        if dialect.elementwise_choice:
            return f"where({condition}, {code_of(self.if_true, dialect)}, {code_of(self.if_false, dialect)})"
        # a nested choice in the else branch reads on without parentheses; elsewhere it needs them
        if_true = _operand(self.if_true, dialect, CHOICE + 1)
        if_false = _operand(self.if_false, dialect, CHOICE)
        return f"{if_true} if {condition} else {if_false}"


def names_in(x: Any) -> Iterator[str]:
    """The names an expression reads, once for each time it reads them.

    >>> sorted(names_in(Name("a") * Name("b") + Name("a")))
    ['a', 'a', 'b']
    """
    pending = [x]
    while pending:
        item = pending.pop()
        if isinstance(item, Name):
            yield item.name
        elif isinstance(item, Expression):
            pending.extend(item.parts())


def _is_negative_zero(x: Any) -> bool:
    return type(x) is float and x == 0.0 and math.copysign(1.0, x) < 0.0


def add(a: Any, b: Any) -> Any:
    """``a + b``; ``-0.0 + e`` is ``e`` exactly (the start of every gradient).

    >>> add(-0.0, Name("g")), add(0.0, Name("g"))  # 0.0 + -0.0 is 0.0: no shortcut there
    (<expression g>, <expression 0.0 + g>)
    """
    if _is_negative_zero(b):
        return a
    if _is_negative_zero(a):
        return b
    return Binary("+", a, b)


def multiply(a: Any, b: Any) -> Any:
    """``a * b`` for a local derivative ``a`` and a gradient ``b`` (or two factors of a rule).

    >>> from autograd.primitive import FLAT
    >>> multiply(1.0, Name("g")), multiply(FLAT, Name("g")), multiply(-1.0, Name("g"))
    (<expression g>, 0.0, <expression -g>)
    """
    for x, y in ((a, b), (b, a)):
        if type(x) is not float and not isinstance(x, Expression):  # FLAT, a reciprocal: their way
            return x * y
        if type(x) is float and x == 1.0:
            return y
        if type(x) is float and x == -1.0:
            return -y
    return Binary("*", a, b)


def divide(a: Any, b: Any) -> Any:
    """``a / b``: the operator for a nonzero number ``b``, else autograd's IEEE ``divide``.

    >>> divide(Name("g"), 4.0), divide(Name("g"), Name("x"))
    (<expression g / 4.0>, <expression divide(g, x)>)
    """
    if type(b) is float and b != 0.0:
        return Binary("/", a, b)
    return Applied(DIVIDE, (a, b))


# ----- the functions a program calls: each primitive's, derived from the table ---------------------

_CALLS = re.compile(r"\b([A-Za-z_][A-Za-z_0-9]*)\(")

# What primitives' code calls besides their own functions: the order in which linear and sum add,
# the same on floats and on columns of examples; imported from autograd.ieee in a program's source.
HELPERS = {"add_in_order": ieee.add_in_order}


def names_in_code() -> set[str]:
    """Every name a program's code may call or read: the functions in each primitive's code
    (``divide``, ``tanh``, ``add_in_order``, Python's ``abs``), the numpy dialect's ``where``, and
    the numbers ``inf`` and ``nan``. No variable of a program may take one of them.

    >>> {"tanh", "divide", "add_in_order", "where", "inf"} <= names_in_code()
    True
    """
    names = {"where", "inf", "nan"}
    for primitive in every_primitive():
        names.update(_CALLS.findall(primitive.code_line(["a", "b"], "c")))
    return names


def functions_for(dialect: Dialect) -> dict[str, Any]:
    """What compiled code in ``dialect`` calls and reads: each function of a primitive (its float
    forward, or its numpy version bound to numpy, imported here only), the helpers, ``inf`` and
    ``nan`` (and the numpy dialect's ``where``). Python's ``abs`` takes floats and arrays alike.

    >>> functions_for(SCALAR)["divide"](1.0, 0.0)
    inf
    """
    if dialect is SCALAR:
        functions: dict[str, Any] = {**HELPERS, "inf": math.inf, "nan": math.nan}
        for p in every_primitive():
            if p.calls is not None:
                functions[p.calls] = p.forward
        return functions
    np = importlib.import_module("numpy")
    functions = {**HELPERS, "where": np.where, "inf": np.inf, "nan": np.nan}
    for p in every_primitive():
        if p.calls is not None and p.on_arrays is not None:  # a primitive that a program calls has both
            functions[p.calls] = functools.partial(p.on_arrays, np)
    return functions


def imports_for(names: set[str]) -> list[str]:
    """The import lines of a program's source that uses ``names``: its functions from ``autograd``
    (on floats, each gives exactly what the compiled program's float forward gives), the helpers
    from ``autograd.ieee`` and the named numbers from ``math``.

    >>> imports_for({"tanh", "divide", "inf", "x", "abs", "add_in_order"})
    ['from math import inf', 'from autograd import divide, tanh', 'from autograd.ieee import add_in_order']
    """
    functions = sorted(names & {p.calls for p in every_primitive() if p.calls is not None})
    numbers = sorted(names & {"inf", "nan"})
    helpers = sorted(names & set(HELPERS))
    lines = [f"from math import {', '.join(numbers)}"] if numbers else []
    lines += [f"from autograd import {', '.join(functions)}"] if functions else []
    return lines + ([f"from autograd.ieee import {', '.join(helpers)}"] if helpers else [])
