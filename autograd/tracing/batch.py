"""Running a program on many inputs at once (``program.batch``).

With numpy (an optional extra, imported here only), the program runs once on arrays: every line
of it computes a whole column of examples, with numpy's versions of the functions it calls (same
formulas; numpy's ``exp`` or ``tanh`` may differ from ``math``'s by an ulp). Without numpy, or with
``numpy=False``, it runs example by example, a loop of the scalar program. Either way the value and
the gradients come back per example, and the gradients of the parameters and of shared arguments
(those given once for all examples) summed over the batch.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, Protocol

from autograd.inputs import is_real
from autograd.tracing.arguments import Argument, items, scalar
from autograd.tracing.expression import NUMPY, SCALAR, Dialect


class _Program(Protocol):
    """What a batch needs of a program (``autograd.tracing.program.Program`` has it all): this
    module runs it and never imports it, so that the two do not import each other."""

    arguments: list[Argument]
    parameters: list[Any]

    def function(self, dialect: Dialect = SCALAR, gradients: bool = True) -> Callable[..., Any]: ...

    def inputs(self, args: Sequence[Any], who: str) -> Sequence[Any]: ...

    def argument(self, index: int, x: Any, who: str) -> Any: ...

    def parameter_values(self) -> tuple[list[float], ...]: ...

    def arrange(self, gradients: Sequence[Any]) -> Any: ...


class Batch(NamedTuple):
    """What ``program.batch`` gives: per-example values, the arguments' gradients (per example for
    a batched argument, summed for a shared one, arranged as ``argnums`` says) and the parameters'
    gradients summed over the batch.

    >>> from autograd import Value, trace
    >>> w = Value(2.0)
    >>> program = trace(lambda x: w * x * x, 1.0)
    >>> batch = program.batch([1.0, 3.0], numpy=False)
    >>> batch.values, batch.gradients, batch.parameter_gradients  # w x^2, 2 w x, sum of x^2
    ([2.0, 18.0], ([4.0, 12.0],), [10.0])
    """

    values: Any
    gradients: Any
    parameter_gradients: list[float]


class _Inputs(NamedTuple):
    """The arguments of one batch: each as given (a number or a list for a shared argument, one per
    example for a batched one), which are batched, how many examples, and whether arrays came in."""

    values: list[Any]
    batched: list[bool]
    size: int
    arrays: bool


def run(program: _Program, args: tuple[Any, ...], numpy: bool | None, gradients: bool = True) -> Batch:
    """``program`` on a batch: each argument either batched (a sequence or array with one entry per
    example: a number each, or a list each) or shared (as when traced). ``numpy``: True to require
    it, False for the loop, None for numpy when it is installed. Results are numpy arrays if any
    argument came as one, else lists. ``gradients=False``: the values alone (the forward pass).

    >>> from autograd import Value, trace
    >>> w = Value(2.0)
    >>> program = trace(lambda x, y: w * x * y, 1.0, 1.0)
    >>> program.batch([1.0, 2.0, 3.0], 10.0, numpy=False)
    Batch(values=[20.0, 40.0, 60.0], gradients=([20.0, 20.0, 20.0], 12.0), parameter_gradients=[60.0])
    """
    inputs = _batch_inputs(program, args)
    module = None
    if numpy is not False:
        try:
            module = importlib.import_module("numpy")
        except ImportError:
            if numpy:
                raise ImportError(
                    "program.batch(numpy=True): numpy is not installed "
                    "(pip install numpy, or numpy=False for a loop)"
                ) from None
    if not gradients:
        return _values(program, inputs, module)
    if module is None:
        return _loop(program, inputs)
    return _arrays(program, inputs, module)


def _batch_inputs(program: _Program, args: tuple[Any, ...]) -> _Inputs:
    if len(args) != len(program.arguments):
        program.inputs(args, "batch")  # raises, naming the traced arguments
    batched = [_is_batched(a, x, i) for i, (a, x) in enumerate(zip(program.arguments, args))]
    sizes = {len(x) for x, b in zip(args, batched) if b}
    if not sizes:
        raise ValueError(
            "batch: no argument is batched; give at least one as a list with one entry per "
            "example (or call the program itself for one example)"
        )
    if len(sizes) > 1:
        raise ValueError(
            f"batch: the batched arguments have different lengths {sorted(sizes)}; one entry "
            "per example in each"
        )
    arrays = any(type(x).__module__ == "numpy" for x in args)
    return _Inputs(list(args), batched, sizes.pop(), arrays)


def _is_batched(argument: Argument, x: Any, index: int) -> bool:
    """Whether ``x`` has one more level of lists than the traced argument ``argument``."""
    what = f"batch: argument {index} ({argument.name})"
    x = scalar(x)
    if is_real(x):
        if argument.length is not None:
            raise TypeError(f"{what} was a list when traced, got a number")
        return False
    entries = items(x, what)
    if entries is None:
        raise TypeError(f"{what} is {type(x).__name__}; expected numbers or lists of them")
    nested = bool(entries) and items(scalar(entries[0]), f"{what}[0]") is not None
    return nested if argument.length is not None else True


def _example(program: _Program, inputs: _Inputs, index: int) -> Sequence[Any]:
    """The arguments of example ``index``, checked as a call of the program would check them."""
    values = [x[index] if b else x for x, b in zip(inputs.values, inputs.batched)]
    return program.inputs(values, f"batch (example {index})")


def _loop(program: _Program, inputs: _Inputs) -> Batch:
    """The batch as a loop of the scalar program: sums start at 0.0 and add example by example."""
    gradient_function = program.function(SCALAR, gradients=True)
    parameters = program.parameter_values()
    arguments = [(a, b) for a, b in zip(program.arguments, inputs.batched) if a.differentiated]
    differentiated = [b for _, b in arguments]
    values: list[float] = []
    per_example: list[list[Any]] = [[] for _ in differentiated]
    # a shared argument's gradient sums from 0.0, which is what an empty batch gives, as numpy's sum
    totals: list[Any] = [0.0 if a.length is None else [0.0] * a.length for a, _ in arguments]
    parameter_totals = [0.0] * len(program.parameters)
    for index in range(inputs.size):
        example = _example(program, inputs, index)
        value, gradients, parameter_gradients = gradient_function(*example, *parameters)
        values.append(value)
        for k, (gradient, batched) in enumerate(zip(gradients, differentiated)):
            if batched:
                per_example[k].append(gradient)
            else:
                totals[k] = _added(totals[k], gradient)
        parameter_totals = [t + g for t, g in zip(parameter_totals, parameter_gradients)]
    if inputs.arrays:  # the per-example results as arrays, shaped as the numpy path gives them
        numpy = importlib.import_module("numpy")
        per_example = [
            numpy.array(g, dtype=float).reshape(_column_shape(a, inputs.size)) if batched else g
            for g, (a, batched) in zip(per_example, arguments)
        ]
        values = numpy.array(values, dtype=float)
    gradients = [per_example[k] if batched else totals[k] for k, batched in enumerate(differentiated)]
    return Batch(values, program.arrange(gradients), parameter_totals)


def _added(total: Any, gradient: Any) -> Any:
    """A running sum of a shared argument's gradients (a float, or a list of floats)."""
    if isinstance(gradient, list):
        return [t + g for t, g in zip(total, gradient)]
    return total + gradient


def _values(program: _Program, inputs: _Inputs, np: Any) -> Batch:
    """The values alone, from the program's forward pass: by numpy in one run, or a loop."""
    if np is None:
        function, parameters = program.function(SCALAR, gradients=False), program.parameter_values()
        values = [function(*_example(program, inputs, i), *parameters) for i in range(inputs.size)]
        return Batch(values, (), [])
    with np.errstate(all="ignore"):
        value = program.function(NUMPY, gradients=False)(*_all_columns(program, inputs, np))
    values = _per_example(np, value, inputs.size)
    return Batch(values if inputs.arrays else values.tolist(), (), [])


def _all_columns(program: _Program, inputs: _Inputs, np: Any) -> list[Any]:
    """Every argument as the numpy program takes it (see ``_columns``), then the parameters' values."""
    columns = [
        _columns(np, a, x, inputs.size, i) if batched else program.argument(i, x, "batch")
        for i, (a, x, batched) in enumerate(zip(program.arguments, inputs.values, inputs.batched))
    ]
    return [*columns, *program.parameter_values()]


def _arrays(program: _Program, inputs: _Inputs, np: Any) -> Batch:
    """The batch in one run of the numpy program: each of its values a column of examples."""
    size = inputs.size
    with np.errstate(all="ignore"):  # IEEE results, as the scalar program gives them, without warnings
        value, gradients, parameter_gradients = program.function(NUMPY)(*_all_columns(program, inputs, np))
        differentiated = [(a, b) for a, b in zip(program.arguments, inputs.batched) if a.differentiated]
        arranged: list[Any] = []
        for gradient, (argument, batched) in zip(gradients, differentiated):
            if argument.length is None:
                arranged.append(_per_example(np, gradient, size) if batched else _total(np, gradient, size))
            elif batched:
                arranged.append(np.stack([_per_example(np, g, size) for g in gradient], axis=1))
            else:
                arranged.append([_total(np, g, size) for g in gradient])
        totals = _parameter_totals(np, parameter_gradients, size)  # inf - inf is nan here, unwarned
    values = _per_example(np, value, size)
    if inputs.arrays:
        return Batch(values, program.arrange(arranged), totals)
    return Batch(values.tolist(), program.arrange([_as_list(g) for g in arranged]), totals)


def _columns(np: Any, argument: Argument, x: Any, size: int, index: int) -> Any:
    """A batched argument as the numpy program takes it: one array of ``size`` examples for a
    number, one such array per entry for a list."""
    what = f"batch: argument {index} ({argument.name})"
    try:
        raw = np.asarray(x)
    except ValueError:  # entries of different lengths: numpy's message names none of them
        raise _ragged(argument, x, what) from None
    if raw.dtype.kind not in "fiu":
        raise TypeError(f"{what} holds {raw.dtype} entries; expected numbers")
    table = raw.astype(float)
    shape = _column_shape(argument, size)
    if table.shape != shape:
        each = "a number" if argument.length is None else f"a list of {argument.length} numbers"
        raise ValueError(f"{what} has shape {table.shape}; expected {each} for each of {size} examples")
    return table if argument.length is None else list(np.ascontiguousarray(table.T))


def _column_shape(argument: Argument, size: int) -> tuple[int, ...]:
    """The shape of a batched argument's array: one number, or one list, per example."""
    return (size,) if argument.length is None else (size, argument.length)


def _ragged(argument: Argument, x: Any, what: str) -> ValueError:
    """The error for a batched argument whose entries differ in length, naming the first wrong one."""

    def shape(entry: Any) -> int | None:
        entries = items(scalar(entry), what)
        return None if entries is None else len(entries)

    each = "a number" if argument.length is None else f"a list of {argument.length} numbers"
    for k, entry in enumerate(x):
        if shape(entry) != argument.length:
            found = "a number" if shape(entry) is None else f"a list of {shape(entry)}"
            return ValueError(f"{what}: example {k} is {found}; expected {each} for each example")
    return ValueError(f"{what}: the entries are nested unevenly; expected {each} for each example")


def _per_example(np: Any, x: Any, size: int) -> Any:
    """A program's result as one float per example (one that does not depend on the example repeats)."""
    return np.array(np.broadcast_to(np.asarray(x, dtype=float), (size,)))


def _total(np: Any, x: Any, size: int) -> float:
    """A gradient summed over the batch (one that does not depend on the example counts ``size`` times)."""
    array = np.asarray(x, dtype=float)
    return float(array.sum()) if array.ndim else float(array) * size


def _parameter_totals(np: Any, gradients: Any, size: int) -> list[float]:
    """Every parameter's gradient summed over the batch: one reduction of all of them at once when
    each depends on the example, else one by one."""
    try:
        stacked = np.array(gradients, dtype=float)
    except ValueError:  # some depend on the example, some do not
        return [_total(np, g, size) for g in gradients]
    if stacked.ndim == 2:
        return [float(t) for t in stacked.sum(axis=1)]
    return [float(g) * size for g in stacked]


def _as_list(x: Any) -> Any:
    return x.tolist() if hasattr(x, "tolist") else x
