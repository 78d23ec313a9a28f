"""``trace``: run a function once on Values and write its graph out as a straight-line program.

The program has one line per operation of the forward pass, in topological order, then one line
per chain-rule step of the backward pass, in exactly the order ``backward()`` takes them. Nothing
here knows a derivative: each line of the backward pass comes from running the engine's own
chain rule (``graph.backpropagate``) on a shadow of the graph whose local derivatives are the
primitives' rules evaluated on symbols (``expression.py``), so every ``parent.grad += local * grad``
writes one statement instead of computing a number. The forward lines come from each primitive's
``code``. The program therefore computes the engine's bits, signed zeros included.

While the function runs, its Values stand for every input the program will ever get: comparing
them, ``bool``, ``float`` or ``int`` of them raise ``TracingError`` (a branch or a number taken from
one input would silently hold for all), and so do reading ``.data`` of a Value that the function
received or computed (a ``TracedValue``) and copying or pickling a Value (the copy would be a
constant). ``detach()`` gives a value that the program recomputes from its source and that passes
no gradient back; ``backward``, ``grad`` or ``no_grad`` inside are errors. Reading ``.data`` of a
Value made before the trace (a model's parameter) cannot be caught, and bakes its number in. Values
made before the trace are followed down to their leaves: a leaf that is neither an argument nor
made while tracing is a parameter, read at every call.
"""

from __future__ import annotations

import inspect
import keyword
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from autograd import graph
from autograd.graph import GradientCell, backpropagate, shadow, stored_like, topological_order
from autograd.inputs import argnums_positions, as_float, is_real
from autograd.modes import BAKES_DATA, TracingError, current_mode, tracing
from autograd.node import LEAF, Node
from autograd.primitive import FLAT, Reciprocal, ReciprocalOf
from autograd.tracing.arguments import Argument, items, scalar
from autograd.tracing.expression import Binary, Name, code_of, literal, names_in, names_in_code
from autograd.tracing.program import Program, Statement
from autograd.value import Value

_SYSTEMATIC = re.compile(r"[vgp][0-9]+")  # v7, g7, p3: kept for the values a program names itself


def trace(f: Callable[..., Any], *example_args: Any, argnums: int | Sequence[int] | None = None) -> Program:
    """``f`` run once on the example arguments and written out as a ``Program``: Python code for
    its value and its gradients, which runs as fast as hand-written float code.

    Arguments are numbers or flat lists of numbers. The gradients are with respect to the
    arguments ``argnums`` names (an int: one, a tuple: several; default: all of them, as a tuple);
    the other arguments are inputs that still vary from call to call. Values that ``f`` reaches
    without receiving them (a model's parameters) are read afresh at every call and get gradients
    too: ``program.parameters`` lists them.

    >>> program = trace(lambda x, y: x * y + x, 2.0, 3.0)
    >>> print(program)
    def f(x, y):
        # forward pass
        v1 = x * y     # *
        v2 = v1 + x    # +
        # backward pass: each g is a derivative of v2, one chain-rule step per line
        g1 = 1.0       # +: d v2/d v1 = 1
        g_x = 1.0      # +: d v2/d x = 1
        g_x += y * g1  # *: d v1/d x = y
        g_y = x * g1   # *: d v1/d y = x
        return v2, (g_x, g_y), ()
    >>> program.value_and_grad(4.0, 5.0)
    (24.0, (6.0, 4.0))
    """
    if not callable(f):
        raise TypeError(f"trace: expected a function, got {type(f).__name__}")
    positions, single = argnums_positions(argnums, "trace", len(example_args))
    names = _argument_names(f, len(example_args))
    arguments = [_argument(n, x, i, i in positions) for i, (n, x) in enumerate(zip(names, example_args))]
    made: dict[Node, Node | None] = {}
    for argument in arguments:
        for leaf in argument.leaves:
            leaf.__class__ = TracedValue
    with tracing(made, TracedValue):
        result = f(*(a.leaves[0] if a.length is None else list(a.leaves) for a in arguments))
    writer = _Writer(_function_name(f), arguments, _output(result), made)
    return writer.program(positions, single)


# ----- the Values of a traced function ----------------------------------------------------------

_STORED_DATA = Node.__dict__["data"]  # the slot that holds a node's number


class TracedValue(Value):
    """A Value that the traced function received or computed: it stands for every input the
    program will get, so code outside autograd reading its ``.data`` while tracing raises
    ``TracingError`` (the number of one example would be baked in). autograd's own operations read
    it to compute the example, as for any Value. Outside ``trace`` it is a plain Value.

    >>> trace(lambda x: x * 2.0 if x.data > 0 else x, 1.0)
    Traceback (most recent call last):
    ...
    autograd.modes.TracingError: reading .data of a traced Value would bake ...
    """

    __slots__ = ()  # the storage of a Value: a node changes class in place when it is made

    @property
    def data(self) -> float:
        """The number inside; refused while tracing unless autograd itself reads it."""
        if current_mode().tracing is not None and not _read_by_autograd(sys._getframe(1)):
            raise TracingError(f"reading .data of a traced Value {BAKES_DATA}")
        number: float = _STORED_DATA.__get__(self)
        return number

    @data.setter
    def data(self, number: float) -> None:
        _STORED_DATA.__set__(self, number)


_AUTOGRAD_FOLDER = os.path.join(os.path.dirname(graph.__file__), "")  # where autograd's files are


def _read_by_autograd(frame: Any) -> bool:
    """Whether the code running in ``frame`` is one of autograd's files (its operations), by the
    file its code came from: a user's code, a test or a doctest is not."""
    return bool(frame.f_code.co_filename.startswith(_AUTOGRAD_FOLDER))


# ----- arguments -------------------------------------------------------------------------------


def _argument_names(f: Callable[..., Any], count: int) -> list[str]:
    """The names of ``f``'s first ``count`` positional parameters, where it has them."""
    try:
        parameters = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):  # a builtin or an object without a signature
        parameters = []
    names = []
    for p in parameters:
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            names.append(p.name)
        elif p.kind == p.VAR_POSITIONAL:
            names += [f"{p.name}_{i}" for i in range(count - len(names))]
    return [names[i] if i < len(names) else f"x{i}" for i in range(count)]


def _argument(name: str, example: Any, index: int, differentiated: bool) -> Argument:
    """An argument of the program: a number or a flat list of numbers, each a new leaf."""
    what = f"trace: argument {index} ({name})"
    if isinstance(example, Value):
        raise TypeError(f"{what} is a Value; pass numbers (the program makes its own inputs)")
    example = scalar(example)
    if is_real(example):
        return Argument(name, None, differentiated, [Value(as_float(example, what))])
    given = items(example, what)
    if given is None:
        raise TypeError(f"{what} is {type(example).__name__}; expected a number or a flat list of numbers")
    leaves = []
    for j, x in enumerate(map(scalar, given)):
        if isinstance(x, Value) or not is_real(x):
            raise TypeError(f"{what}[{j}] is {type(x).__name__} {x!r:.40}; expected a flat list of numbers")
        leaves.append(Value(as_float(x, what)))
    return Argument(name, len(leaves), differentiated, leaves)


def _output(result: object) -> Value | float:
    """The function's result: a Value, or a number (a program that computes a constant)."""
    if isinstance(result, Value):
        return result
    if isinstance(result, (list, tuple)):
        raise TypeError(
            f"trace: the function returned a {type(result).__name__} of {len(result)}; it must "
            "return one number (a scalar), such as a loss"
        )
    if is_real(result):
        return as_float(result, "trace: the function's result")
    raise TypeError(f"trace: the function returned {type(result).__name__}; it must return one number")


def _function_name(f: Callable[..., Any]) -> str:
    name = getattr(f, "__name__", "f")
    return "f" if name == "<lambda>" else identifier(str(name))


def identifier(text: str) -> str:
    """``text`` (a label) as a safe Python name: ASCII letters, digits and ``_``, never a keyword.

    >>> identifier("w1"), identifier("weight (layer 2)"), identifier("__import__('os')"), identifier("if")
    ('w1', 'weight_layer_2', 'import_os', 'if_')
    """
    name = re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_")[:40] or "value"
    if name[0].isdigit():
        name = "n" + name
    return name + "_" if keyword.iskeyword(name) or keyword.issoftkeyword(name) else name


class _Namer:
    """Unique names for a program's variables: labels made safe, systematic names for the rest."""

    def __init__(self, reserved: Sequence[str]) -> None:
        self.taken = set(reserved)

    def claim(self, wanted: str) -> str:
        base = identifier(wanted)
        name, count = base, 1
        while name in self.taken or _SYSTEMATIC.fullmatch(name):
            count += 1
            name = f"{base}_{count}"
        self.taken.add(name)
        return name


# ----- writing the program ----------------------------------------------------------------------


class _Writer:
    """Writes the program of one traced graph: names, forward lines, backward lines, results."""

    def __init__(
        self, name: str, arguments: list[Argument], output: Value | float, made: dict[Node, Node | None]
    ) -> None:
        self.namer = _Namer([*names_in_code(), "parameters"])  # names a value never takes
        self.name = self.namer.claim(name)
        self.arguments = arguments
        self.output = output
        self.made = made  # leaves made while tracing: constants, or detached copies of a node
        # the backward pass runs on the graph as the engine has it (a detached copy is a leaf) ...
        self.order: list[Node] = topological_order(output) if isinstance(output, Value) else []
        self.symbols: dict[Node, Any] = {}  # a node's value in the program: a Name, or a number
        self.needs_gradient: dict[Node, bool] = {}
        self.gradient_names: dict[Node, Name] = {}
        self.parameters: list[Value] = []
        self.parameter_names: list[str] = []
        self.forward: list[Statement] = []
        self.computed: list[tuple[Node, list[Node]]] = []  # the node and parents of each forward line
        self.backward: list[Statement] = []
        self._name_arguments()
        for node in _with_detached_sources(self.order, made):  # ... the forward pass computes them
            self._write_forward(node)
        for node in self.order:
            self.needs_gradient[node] = node in self.differentiated or (
                node.primitive is not None and any(self.needs_gradient[p] for p in node.parents)
            )

    def _name_arguments(self) -> None:
        self.differentiated: set[Node] = set()  # the leaves whose gradients the program returns
        for argument in self.arguments:
            argument.name = self.namer.claim(argument.name)
            if argument.length is None:
                argument.element_names = [argument.name]
            else:
                elements = range(argument.length)
                argument.element_names = [self.namer.claim(f"{argument.name}_{j}") for j in elements]
            for leaf, element in zip(argument.leaves, argument.element_names):
                self.symbols[leaf] = Name(element)
                if argument.differentiated:
                    self.differentiated.add(leaf)

    def _write_forward(self, node: Node) -> None:
        """``node``'s symbol, and its forward line if it computes anything. A leaf is an argument,
        a constant (made while tracing), a detached copy (computed from its source) or else a
        parameter; a node computed from constants alone is a constant too."""
        if node in self.symbols:
            return  # an argument
        if node.primitive is None and node not in self.made:  # a parameter: read at every call
            self.parameters.append(node)  # type: ignore[arg-type]
            name = self.namer.claim(node.label) if node.label else f"p{len(self.parameter_names)}"
            self.parameter_names.append(name)
            self.symbols[node] = Name(name)
            self.differentiated.add(node)
            return
        source = self.made.get(node)
        parents = node.parents if node.primitive is not None else [] if source is None else [source]
        if all(type(self.symbols[p]) is float for p in parents):
            self.symbols[node] = node.data  # a constant: its number, computed by the same operations
            return
        name = self.namer.claim(node.label) if node.label else f"v{len(self.forward) + 1}"
        self.symbols[node] = Name(name)
        comment = node.op if source is None else "detach: no gradient back"
        code = _line(node, [code_of(self.symbols[p]) for p in parents])
        self.forward.append(Statement(name, code, comment))
        self.computed.append((node, list(parents)))

    def _compiled_forward(self, results: Sequence[str]) -> list[Statement]:
        """The forward lines as they are compiled: a value read once, and only by a later forward
        line, is written into that line in parentheses instead of into a variable of its own (the
        same operations in the same order: the same bits, with fewer variables, which is faster)."""
        reads: Counter[str] = Counter()
        for _, parents in self.computed:
            reads.update(self.symbols[p].name for p in parents if isinstance(self.symbols[p], Name))
        elsewhere: Counter[str] = Counter(results)
        for statement in self.backward:
            elsewhere.update(names_in(statement.value))
        written: dict[str, tuple[str, int]] = {}  # a value written into its reader: code, nesting
        lines = []
        for (node, parents), statement in zip(self.computed, self.forward):
            operands, depth = [], 0
            for parent in parents:
                symbol = self.symbols[parent]
                code, nesting = written.pop(symbol.name, (None, 0)) if isinstance(symbol, Name) else (None, 0)
                operands.append(code_of(symbol) if code is None else f"({code})")
                depth = max(depth, nesting + 1 if code is not None else 0)
            code = _line(node, operands)
            name = statement.target
            if reads[name] == 1 and not elsewhere[name] and depth < _MOST_NESTED:
                written[name] = (code, depth)
            else:
                lines.append(Statement(name, code, statement.comment))
        return lines

    # ----- the backward pass: the engine's chain rule, run on symbols ---------------------------

    def _local_grads(self, node: Node) -> Any:
        """A node's local derivatives for the shadow graph: its rule evaluated on symbols."""
        if node.primitive is None:
            return LEAF
        parents = node.parents
        if not self.needs_gradient[node]:
            return stored_like(node, (0.0,) * len(parents))  # nothing it passes on is used
        symbols = [self.symbols[p] for p in parents]
        return stored_like(node, node.primitive.local_grads(self.symbols[node], symbols, node.constant))

    def _gradient_name(self, node: Node) -> Name:
        name = self.gradient_names.get(node)
        if name is None:
            value = code_of(self.symbols[node])
            systematic = re.fullmatch(r"v([0-9]+)", value)
            name = Name(f"g{systematic.group(1)}" if systematic else self.namer.claim(f"g_{value}"))
            self.gradient_names[node] = name
        return name

    def _write_step(self, cell: GradientCell, parent_cell: GradientCell, local: Any) -> None:
        """After one ``parent.grad += local * grad`` on symbols: its statement, and the parent's
        gradient becomes the statement's name."""
        parent = parent_cell.node
        if not self.needs_gradient[parent]:
            parent_cell.grad = -0.0  # never read: keep no expression
            return
        total = parent_cell.grad
        name = self._gradient_name(parent)
        if total is name:
            return  # unchanged (-0.0 was added)
        node = cell.node
        comment = _StepNote(node.op, self.symbols[node], self.symbols[parent], local)
        if isinstance(total, Binary) and total.op == "+" and total.left is name:
            self.backward.append(Statement(name.name, total.right, comment, added=True))
        else:
            self.backward.append(Statement(name.name, total, comment))
        parent_cell.grad = name

    def program(self, positions: tuple[int, ...], single: bool) -> Program:
        cells = shadow(self.order, self._local_grads)
        if self.order:
            cells[self.order[-1]].grad = 1.0  # d output / d output
            backpropagate([cells[node] for node in self.order], self._write_step)

        def gradient(leaf: Node) -> str:
            cell = cells.get(leaf)
            return "0.0" if cell is None else code_of(cell.grad)

        value = code_of(self.symbols[self.output] if isinstance(self.output, Value) else self.output)
        argument_gradients = [
            [gradient(leaf) for leaf in a.leaves] if a.length is not None else gradient(a.leaves[0])
            for a in self.arguments
            if a.differentiated
        ]
        parameter_gradients = [gradient(p) if p in cells else None for p in self.parameters]
        read = [value, *(g for a in argument_gradients for g in ([a] if isinstance(a, str) else a))]
        compiled = self._compiled_forward(read + [g for g in parameter_gradients if g is not None])
        for argument in self.arguments:
            argument.leaves = []  # the program keeps no graph
        results = (value, argument_gradients, parameter_gradients)
        return Program(
            self.name,
            self.arguments,
            positions,
            single,
            self.parameters,
            self.parameter_names,
            (self.forward, compiled),
            self.backward,
            results,
        )


_MOST_NESTED = 8  # how deep values are written into one another in compiled code (the parser's limits)


def _line(node: Node, operands: list[str]) -> str:
    """The code of ``node``'s forward line from its operands' code (a detached copy: its source)."""
    if node.primitive is None:
        return operands[0]
    constant = None if node.constant is None else literal(node.constant)
    return node.primitive.code_line(operands, constant)


def _with_detached_sources(order: list[Node], made: dict[Node, Node | None]) -> list[Node]:
    """``order`` with, before each detached copy, the graph of the node it copies (in order too)."""
    result: list[Node] = []
    placed: set[Node] = set()

    def place(nodes: list[Node]) -> None:
        for node in nodes:
            if node not in placed:
                source = made.get(node)
                if source is not None:
                    place(topological_order(source))
                placed.add(node)
                result.append(node)

    place(order)
    return result


class _StepNote:
    """A backward line's comment, ``tanh: d v3/d v2 = 1.0 - v3 * v3``, written out only when the
    program is shown (compiled code has no comments)."""

    __slots__ = ("op", "node", "parent", "local")

    def __init__(self, op: str, node: Any, parent: Any, local: Any) -> None:
        self.op, self.node, self.parent, self.local = op, node, parent, local

    def __str__(self) -> str:
        return f"{self.op}: d {code_of(self.node)}/d {code_of(self.parent)} = {describe_local(self.local)}"


def describe_local(local: Any) -> str:
    """A local derivative as a comment reads it.

    >>> from autograd.primitive import FLAT, Reciprocal, ReciprocalOf
    >>> describe_local(1.0), describe_local(FLAT), describe_local(Reciprocal(4.0)), describe_local(Name("x"))
    ('1', '0 (flat)', '1 / 4.0', 'x')
    """
    if local is FLAT:
        return "0 (flat)"
    if isinstance(local, (Reciprocal, ReciprocalOf)):
        return f"1 / {code_of(local.denominator)}"
    if isinstance(local, float):
        return str(int(local)) if local.is_integer() and abs(local) < 1e16 else literal(local)
    return code_of(local)
