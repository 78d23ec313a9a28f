"""Tensor attributes a ``Value`` lacks, each naming chainrule's nearest spelling when it is used.

``v.numel()``, ``v.shape`` or ``v.zero_()`` from PyTorch would raise Python's bare
``AttributeError``; here each of those names is a class attribute of ``Value`` (through
``TensorHabits``) whose every use raises an ``AttributeError`` that says what to write instead. The
plain version, a ``__getattr__`` that looks the name up in a table, makes *every* attribute access on
a Value slower, since Python then takes its slower lookup path for the whole class (instruction
counts: benchmarks/README.md); a class attribute costs nothing to the names that exist.

Reading one raises ``AttributeError`` as a missing attribute does, so ``hasattr(v, "shape")`` is
False and ``getattr(v, "shape", None)`` is None, as before; ``dir(v)`` leaves them out. mypy does not
see them either: ``v.numel()`` stays a type error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn


class TensorHabit:
    """A tensor attribute a Value lacks: reading, setting or deleting it raises ``AttributeError``
    naming chainrule's nearest spelling.

    >>> from autograd import Value
    >>> Value(2.0).numel()
    Traceback (most recent call last):
    AttributeError: 'Value' object has no attribute 'numel'; a Value is one number: its numel is 1
    """

    def __init__(self, hint: str) -> None:
        self.hint = hint
        self.name = ""
        self.__doc__ = f"Not on a Value (an AttributeError): {hint}."

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self  # the class's attribute, for help() and inspect
        self._refuse(instance, "")

    def __set__(self, instance: object, value: object) -> None:
        self._refuse(instance, " to set")

    def __delete__(self, instance: object) -> None:
        self._refuse(instance, " to delete")

    def _refuse(self, instance: object, what: str) -> NoReturn:
        message = f"{type(instance).__name__!r} object has no attribute {self.name!r}{what}; {self.hint}"
        raise AttributeError(message, name=self.name)

    def __repr__(self) -> str:
        return f"<tensor habit {self.name!r}: {self.hint}>"


CLEAR_GRADIENT = "to clear a gradient, set v.grad = None, or call model.zero_grad() or optimizer.zero_grad()"
IN_PLACE = "Values never change in place: write v = v {} x, or v.data {}= x to change the number itself"
NOT_A_FLAG = (
    "every Value takes part in gradients (there is no per-value flag); for a constant use a plain "
    "number (x * 2.0), v.detach(), or compute inside `with no_grad():`"
)
NO_SHAPE = "a Value is one number (a scalar): it has no {}"
ON_THE_CPU = "a Value holds a Python float on the CPU: there is nothing to move"
THE_NUMBER = "a Value is one number: v.item() (or float(v)) gives it as a float"
ITS_OWN = "a Value is one number, its own {}; autograd.sum([v, w, ...]) adds many"


class TensorHabits:
    """The tensor attributes a ``Value`` lacks, each naming chainrule's nearest spelling (see the
    module's docstring): ``v.numel()``, ``v.shape``, ``v.zero_()`` and the like raise an
    ``AttributeError`` that says what to write instead.

    >>> from autograd import Value
    >>> Value(2.0).shape
    Traceback (most recent call last):
    AttributeError: 'Value' object has no attribute 'shape'; a Value is one number (a scalar): it has no shape
    >>> hasattr(Value(2.0), "shape")
    False
    """

    __slots__ = ()

    if not TYPE_CHECKING:  # unseen by mypy, which then reports v.numel() as the error it is
        # what a tensor is: a Value is one float64 number on the CPU
        numel = TensorHabit("a Value is one number: its numel is 1")
        shape = TensorHabit(NO_SHAPE.format("shape"))
        size = TensorHabit(NO_SHAPE.format("size"))
        dim = TensorHabit("a Value is one number (a scalar): its dim is 0")
        ndim = TensorHabit("a Value is one number (a scalar): its ndim is 0")
        dtype = TensorHabit("a Value holds a Python float (float64)")
        device = TensorHabit(ON_THE_CPU)
        to = TensorHabit(ON_THE_CPU)
        cpu = TensorHabit(ON_THE_CPU)
        float = TensorHabit("a Value already holds a float64 (a Python float); float(v) gives it")
        tolist = TensorHabit(THE_NUMBER)
        numpy = TensorHabit(THE_NUMBER)
        sum = TensorHabit(ITS_OWN.format("sum"))
        mean = TensorHabit(ITS_OWN.format("mean"))
        # gradients
        zero_ = TensorHabit(CLEAR_GRADIENT)
        requires_grad = TensorHabit(NOT_A_FLAG)
        requires_grad_ = TensorHabit(NOT_A_FLAG)
        retain_grad = TensorHabit("every node keeps its .grad after backward(): there is nothing to ask")
        grad_fn = TensorHabit(
            "v.primitive is the operation that made it (None for a leaf), v.parents its inputs"
        )
        clone = TensorHabit("v.detach() is a new leaf with the same data; v itself never changes in place")
        # in place: a Value never changes
        add_ = TensorHabit(IN_PLACE.format("+", "+"))
        sub_ = TensorHabit(IN_PLACE.format("-", "-"))
        mul_ = TensorHabit(IN_PLACE.format("*", "*"))
        clamp_ = TensorHabit("write v = v.clamp(min=..., max=...): Values never change in place")
        clip = TensorHabit("write v.clamp(min=..., max=...)")

    def __dir__(self) -> list[str]:
        """The attributes a Value has: the habits above are left out, as for tab completion."""
        return [
            name for name in super().__dir__() if not isinstance(getattr(type(self), name, None), TensorHabit)
        ]
