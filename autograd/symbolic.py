"""What the number-or-Value functions and the rule helpers know about symbolic operands.

``autograd.cos(x)`` is the float forward of ``cos`` for a number, and for anything else that applies
primitives to itself, ``x._apply(COS)``: a ``Value`` records a graph node, and a traced program's
symbol writes the expression down instead of computing it. Rules are written once, in plain
arithmetic and these functions, and so the same rule gives floats, Values and the code of a traced
program.
"""

from __future__ import annotations

from typing import Any


class Operand:
    """A differentiable operand that applies primitives to itself (``x._apply(COS)``) and has
    operators (``x ** y``): a ``Value``, or a symbol of a traced program. Numbers are not Operands."""

    __slots__ = ()

    def _apply(self, primitive: Any) -> Any:
        """``primitive`` (of one input) applied to this operand: what ``autograd.cos(x)`` gives."""
        raise NotImplementedError


class Symbolic(Operand):
    """A traced program's symbol: it records the expression that computes it.

    The rule helpers hand it the work a number cannot do for itself: ``where(condition, a, b)``
    asks a symbolic condition to ``select(a, b)``.
    """

    __slots__ = ()

    def select(self, if_true: Any, if_false: Any) -> Any:
        """A condition's choice between two values, as an expression (``where`` in a rule)."""
        raise TypeError(f"{type(self).__name__} is not a condition")
