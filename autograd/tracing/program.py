"""``Program``: a traced computation as Python code, and the ways to run it.

``autograd.trace`` writes the program; this module shows it (``program.source``, ``print``),
compiles it with ``compile``/``exec`` (the code is made from the graph alone: names are safe
identifiers, numbers are literals, every function it calls is a primitive's, imported from
``autograd`` at the top of the source and given to the compiled code) and calls it on new inputs.
The parameters (Values the traced function reached without receiving them) are read from their
``.data`` at every call, so a program follows an optimizer's updates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd.graph import leaf_after_pass
from autograd.tracing.arguments import Argument, as_argument
from autograd.tracing.batch import Batch, run
from autograd.tracing.expression import SCALAR, Binary, Dialect, Name, code_of, functions_for, imports_for

SHOWN_LINES = 60
"""``print(program)`` shows a program of at most this many lines in full, a longer one in part."""

_FLOAT = {float}  # the types of a call that needs no conversion
_NAMES = re.compile(r"\b([A-Za-z_][A-Za-z_0-9]*)\b")


@dataclass(frozen=True)
class Statement:
    """One line of a program: ``target = value`` (or ``+=`` where ``added``), with a comment."""

    target: str
    value: Any  # code text, or an expression (written out for the dialect)
    comment: object  # its text, or an object whose str() is (written out only when shown)
    added: bool = False


class Program:
    """A traced computation as straight-line Python: its forward pass, then its backward pass with
    one line per chain-rule step. Call it for the value; ``value_and_grad`` for the gradients too.

    Made by ``autograd.trace``; ``print(program)`` shows the code:

    >>> from autograd import trace
    >>> program = trace(lambda x, y: x * y + x, 2.0, 3.0)
    >>> program
    <Program f: 2 argument(s), 0 parameter(s), 2 forward and 4 backward lines>
    >>> program(2.0, 5.0), program.value_and_grad(2.0, 5.0)
    (12.0, (12.0, (6.0, 2.0)))
    """

    def __init__(
        self,
        name: str,
        arguments: list[Argument],
        positions: tuple[int, ...],
        single: bool,
        parameters: list[Any],
        parameter_names: list[str],
        forward: tuple[list[Statement], list[Statement]],
        backward: list[Statement],
        results: tuple[str, list[Any], list[str | None]],
    ) -> None:
        self.name = name
        self.arguments = arguments
        self.parameters = parameters
        """The Values the traced function reached without receiving them, in graph order: read at
        every call, and given gradients by ``backward``."""
        self.positions, self.single = positions, single  # argnums, as positions
        self.parameter_names = parameter_names
        # the forward lines one per operation, and as compiled (values read once written into
        # the line that reads them); the backward lines
        (self.forward_lines, self.compiled_forward_lines), self.backward_lines = forward, backward
        value, argument_gradients, parameter_gradients = results
        # the code of the value and of the gradients; None for a parameter the backward pass never
        # reaches (behind a detach): backward() leaves its .grad alone, as the engine does
        self.reached = [g is not None for g in parameter_gradients]
        self.results = (value, argument_gradients, [g or "0.0" for g in parameter_gradients])
        self._compiled: dict[tuple[str, bool], Callable[..., Any]] = {}
        self._source: str | None = None
        self._prepare_calls()

    def _prepare_calls(self) -> None:
        """What each call reads instead of working it out again: whether every argument is a number
        (so that a call of floats alone passes as it is), and where the gradients go."""
        self._numbers_only = all(a.length is None for a in self.arguments)
        self._differentiated = [i for i, a in enumerate(self.arguments) if a.differentiated]
        self._in_order = not self.single and self.positions == tuple(self._differentiated)

    # ----- the code ---------------------------------------------------------------------------

    @property
    def source(self) -> str:
        """The program as Python source: imports, then one function of the arguments (and of the
        parameters' values) returning the value and the gradients."""
        if self._source is None:
            self._source = self.code(SCALAR, gradients=True)
        return self._source

    def code(self, dialect: Dialect = SCALAR, gradients: bool = True, compiled: bool = False) -> str:
        """The program's source for ``dialect`` (numbers or numpy arrays), with the backward pass or
        the forward pass alone, one line per operation or as compiled (a value read once written
        into the line that reads it: the same operations in the same order). Only the source for
        numbers, one line per operation, has import lines: compiled code is given its functions
        (``functions_for``), the primitives' float forwards or numpy versions.

        >>> from autograd import trace
        >>> print(trace(lambda x, y: x * y + x, 2.0, 3.0).code(gradients=False))
        def f(x, y):
            # forward pass
            v1 = x * y   # *
            v2 = v1 + x  # +
            return v2
        <BLANKLINE>
        """
        lines = self._lines(dialect, gradients, compiled)
        width = min(max((len(code) for code, comment in lines if comment), default=0), 40)
        body = [f"    {code:<{width}}  # {comment}" if comment else f"    {code}" for code, comment in lines]
        signature = ", ".join([a.name for a in self.arguments] + (["parameters"] if self.parameters else []))
        function = [f"def {self.name}({signature}):", *body]
        if dialect is not SCALAR or compiled:  # compiled code is given its functions (functions_for)
            return "\n".join(function) + "\n"
        imports = imports_for({name for code, _ in lines for name in _NAMES.findall(code)})
        return "\n".join([*imports, "", "", *function] if imports else function) + "\n"

    def _lines(self, dialect: Dialect, gradients: bool, compiled: bool) -> list[tuple[str, str]]:
        """The body, as (code, comment) pairs (comments are for readers: compiled code has none)."""
        lines: list[tuple[str, str]] = []
        for argument in self.arguments:
            if argument.length is not None:
                lines.append((f"{_targets(argument.element_names)} = {argument.name}", ""))
        if self.parameters:
            lines.append((f"{_targets(self.parameter_names)} = parameters", ""))
        forward = self.compiled_forward_lines if compiled else self.forward_lines
        if forward:
            lines.append(("# forward pass", ""))
        lines += [(f"{s.target} = {s.value}", "" if compiled else str(s.comment)) for s in forward]
        value, argument_gradients, parameter_gradients = self.results
        if not gradients:
            return [*lines, (f"return {value}", "")]
        if self.backward_lines:
            heading = f"# backward pass: each g is a derivative of {value}, one chain-rule step per line"
            lines.append((heading, ""))
        for s in self.backward_lines:
            comment = "" if compiled else str(s.comment)
            if s.added and not dialect.adds_in_place:  # g1 = g2 made them one array: += would change both
                total = Binary("+", Name(s.target), s.value)
                lines.append((f"{s.target} = {code_of(total, dialect)}", comment))
            else:
                lines.append((f"{s.target} {'+=' if s.added else '='} {code_of(s.value, dialect)}", comment))
        arguments = ", ".join(g if isinstance(g, str) else f"[{', '.join(g)}]" for g in argument_gradients)
        returned = (
            f"return {value}, {_tuple(arguments, len(argument_gradients))}, "
            f"{_tuple(', '.join(parameter_gradients), len(parameter_gradients))}"
        )
        return [*lines, (returned, "")]

    def __str__(self) -> str:
        lines = self.source.splitlines()
        if len(lines) <= SHOWN_LINES:
            return "\n".join(lines)
        head, tail = lines[: SHOWN_LINES * 2 // 3], lines[-SHOWN_LINES // 4 :]
        hidden = len(lines) - len(head) - len(tail)
        skipped = f"    # ... {hidden} more lines (print(program.source) shows them all) ..."
        return "\n".join([*head, skipped, *tail])

    def __repr__(self) -> str:
        counts = (
            f"{len(self.arguments)} argument(s), {len(self.parameters)} parameter(s), "
            f"{len(self.forward_lines)} forward and {len(self.backward_lines)} backward lines"
        )
        return f"<Program {self.name}: {counts}>"

    def __getstate__(self) -> dict[str, Any]:
        """What pickling and copying keep: everything but the compiled functions (made from the
        source again on first use), which live in no module that could import them."""
        state = self.__dict__.copy()
        state["_compiled"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._prepare_calls()  # a program pickled before these existed has them too

    def function(self, dialect: Dialect = SCALAR, gradients: bool = True) -> Callable[..., Any]:
        """The compiled program: a plain function of the arguments (and of the parameters' values,
        as one list, if there are parameters), compiled on first use.

        >>> from autograd import trace
        >>> f = trace(lambda x, y: x * y + x, 2.0, 3.0).function()
        >>> f(2.0, 5.0)  # the value, the arguments' gradients, the parameters' gradients
        (12.0, (6.0, 2.0), ())
        """
        key = (dialect.name, gradients)
        compiled = self._compiled.get(key)
        if compiled is None:
            source = self.code(dialect, gradients, compiled=True)
            namespace: dict[str, Any] = {"__name__": "autograd.traced", **functions_for(dialect)}
            exec(compile(source, f"<program {self.name}>", "exec"), namespace)  # the code is ours alone
            compiled = self._compiled[key] = namespace[self.name]
        return compiled

    # ----- running it --------------------------------------------------------------------------

    def __call__(self, *args: Any) -> float:
        """The value at ``args`` (numbers, or lists of numbers, as when traced)."""
        value: float = self.function(SCALAR, gradients=False)(
            *self.inputs(args, "program(...)"), *self.parameter_values()
        )
        return value

    def value_and_grad(self, *args: Any) -> tuple[float, Any]:
        """``(value, gradients)`` at ``args``: the gradients with respect to the arguments that
        ``argnums`` named, as ``autograd.value_and_grad`` gives them (a list of floats for a list
        argument), bit for bit. The parameters' gradients: ``backward``.

        >>> from autograd import trace
        >>> trace(lambda xs, y: xs[0] * xs[1] * y, [1.0, 2.0], 3.0).value_and_grad([2.0, 5.0], 0.5)
        (5.0, ([2.5, 1.0], 10.0))
        """
        value, gradients, _ = self.function()(*self.inputs(args, "value_and_grad"), *self.parameter_values())
        return value, self.arrange(gradients)

    def backward(self, *args: Any) -> float:
        """The value at ``args``; the parameters' gradients are added to their ``.grad``, exactly as
        ``f(*args).backward()`` adds them (an optimizer steps from there).

        >>> from autograd import Value, trace
        >>> w = Value(3.0)
        >>> program = trace(lambda x: w * x, 1.0)
        >>> program.backward(2.0), w.grad
        (6.0, 2.0)
        """
        value, _, gradients = self.function()(*self.inputs(args, "backward"), *self.parameter_values())
        reached = [i for i, was_reached in enumerate(self.reached) if was_reached]
        add_gradients([self.parameters[i] for i in reached], [gradients[i] for i in reached])
        return float(value)

    def batch(self, *args: Any, numpy: bool | None = None, gradients: bool = True) -> Batch:
        """Many examples at once: an argument with one entry per example is batched, one given as
        when traced is shared. Per-example values and gradients, and the parameters' and shared
        arguments' gradients summed; with ``gradients=False`` the values alone (see
        ``autograd.tracing.batch.run``).

        >>> from autograd import trace
        >>> program = trace(lambda x, y: x * y + x, 2.0, 3.0)
        >>> program.batch([1.0, 2.0], [3.0, 4.0], numpy=False)  # two examples
        Batch(values=[4.0, 10.0], gradients=([4.0, 5.0], [1.0, 2.0]), parameter_gradients=[])
        """
        return run(self, args, numpy, gradients)

    def parameter_values(self) -> tuple[list[float], ...]:
        """The parameters' ``.data`` now, as the compiled function takes them (nothing without any).

        >>> from autograd import Value, trace
        >>> w = Value(3.0)
        >>> trace(lambda x: w * x, 1.0).parameter_values()
        ([3.0],)
        """
        return ([p.data for p in self.parameters],) if self.parameters else ()

    def arrange(self, gradients: Sequence[Any]) -> Any:
        """The differentiated arguments' gradients (in argument order) as ``argnums`` asked.

        >>> from autograd import trace
        >>> trace(lambda x, y: x * y, 2.0, 3.0, argnums=1).arrange([2.0])
        2.0
        """
        if self._in_order:  # argnums names the differentiated arguments in order: as they come
            return tuple(gradients)
        by_position = dict(zip(self._differentiated, gradients))
        if self.single:
            return by_position[self.positions[0]]
        return tuple(by_position[p] for p in self.positions)

    def inputs(self, args: Sequence[Any], who: str) -> Sequence[Any]:
        """``args`` checked against the traced structure: floats, and lists of floats. One pass,
        and for a program of numbers called with floats alone (``type(x) is float`` for each, as when
        its parameters are its arguments) one test of the set of their types.

        >>> from autograd import trace
        >>> trace(lambda xs, y: xs[0] * y, [1.0, 2.0], 3.0).inputs(([1, 2], 3), "program(...)")
        [[1.0, 2.0], 3.0]
        """
        if len(args) != len(self.arguments):
            names = ", ".join(a.name for a in self.arguments)
            raise TypeError(
                f"{who}: the program was traced with {len(self.arguments)} argument(s) "
                f"({names}); got {len(args)}"
            )
        if self._numbers_only and set(map(type, args)) <= _FLOAT:
            return args
        return [as_argument(a, x, i, who) for i, (a, x) in enumerate(zip(self.arguments, args))]

    def argument(self, index: int, x: Any, who: str) -> Any:
        """``x`` checked as argument ``index``: a float, or a list of floats.

        >>> from autograd import trace
        >>> trace(lambda xs, y: xs[0] * y, [1.0, 2.0], 3.0).argument(0, (5, 6), "program(...)")
        [5.0, 6.0]
        """
        return as_argument(self.arguments[index], x, index, who)


def add_gradients(leaves: Sequence[Any], gradients: Sequence[float]) -> None:
    """Add a pass's gradients to leaves' ``.grad`` as ``backward()`` adds them (a cleared or zero
    gradient is replaced, keeping the sign of a -0.0; a ``grad_value`` in step is extended too),
    for gradients computed by a program.

    >>> from autograd import Value
    >>> w = Value(1.0)
    >>> add_gradients([w], [2.0]); add_gradients([w], [0.5]); w.grad
    2.5
    """
    for leaf, gradient in zip(leaves, gradients):
        leaf.grad, leaf.grad_value = leaf_after_pass(leaf, leaf.grad, gradient)


def _targets(names: Sequence[str]) -> str:
    """Names to unpack a sequence into: ``a, b`` (or ``[a]`` for one)."""
    return f"[{names[0]}]" if len(names) == 1 else ", ".join(names) if names else "[]"


def _tuple(items: str, count: int) -> str:
    return f"({items},)" if count == 1 else f"({items})"
