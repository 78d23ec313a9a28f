"""The transformations: derivatives of plain Python functions (``grad``, ``value_and_grad``,
``hessian``, ``jacobian``) and ``gradients``, as in JAX and ``torch.func``.

``grad(f)`` turns a function of numbers into the function that computes its derivative. Called
with numbers it returns floats; called with Values (as happens when one ``grad`` is nested inside
another) it returns Values, which is what makes ``grad(grad(f))`` work. Nothing here writes a
derivative or a second chain rule: everything goes through ``autograd.graph.backpropagate``.
Inside ``no_grad`` they still differentiate, as ``torch.func.grad`` does.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar, overload

from autograd.graph import check_edge, gradient_cells, local_grads_as_values
from autograd.inputs import argnums_positions, as_float, is_real
from autograd.modes import current_mode, enable_grad, recording_unchecked
from autograd.value import Value

Result = TypeVar("Result", covariant=True)
Function = TypeVar("Function", bound=Callable[..., Any])


class Transformed(Protocol[Result]):
    """What ``grad``, ``value_and_grad``, ``hessian`` and ``jacobian`` return, as types see it.

    Called with numbers only, it returns floats: ``Result`` (``float``, a tuple or a list of them).
    Called with anything else (Values, when nested in another transformation, or a list, a model)
    its result is typed ``Any``: it holds Values for Value arguments, and Python's types cannot
    follow a function's argument types into its result any closer than this.

    >>> from autograd import grad
    >>> derivative: Transformed[float] = grad(lambda x: x * x)
    >>> derivative(3.0)
    6.0
    """

    @overload
    def __call__(self, *args: float, **kwargs: Any) -> Result: ...

    @overload
    def __call__(self, *args: Any, **kwargs: Any) -> Any: ...


def gradients(
    output: Value,
    inputs: Value | Sequence[Value],
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Any, ...]:
    """The gradients of ``output`` with respect to each of ``inputs``, touching no ``.grad``.

    Like PyTorch's ``torch.autograd.grad``: results come back as a tuple (floats, or Values with
    ``create_graph=True`` so they can be differentiated again). An input that ``output`` does not
    depend on is an error, unless ``allow_unused=True``, which gives 0 for it.

    >>> x, y = Value(2.0), Value(5.0)
    >>> z = x * x * y
    >>> gradients(z, [x, y])
    (20.0, 4.0)
    >>> x.grad  # untouched
    0.0
    """
    if not isinstance(output, Value):
        raise TypeError(f"gradients: output must be a Value, got {type(output).__name__}")
    if not isinstance(create_graph, bool):
        raise TypeError(f"gradients(create_graph=...): got {type(create_graph).__name__}; expected a bool")
    if isinstance(inputs, Value):  # one input, as torch.autograd.grad(y, x) allows
        inputs = (inputs,)
    elif not isinstance(inputs, Iterable):
        raise TypeError(f"gradients: inputs must be a Value or a list of Values, got {type(inputs).__name__}")
    inputs = tuple(inputs)
    for index, node in enumerate(inputs):
        if not isinstance(node, Value):
            raise TypeError(f"gradients: input {index} must be a Value, got {type(node).__name__}")
    on_edge = check_edge if current_mode().checking else None
    if create_graph:
        with recording_unchecked():  # nan in the gradient graph is reported by the backward check
            cells = gradient_cells(output, 1.0, local_grads_as_values, on_edge)
    else:
        cells = gradient_cells(output, 1.0, None, on_edge)
    results = []
    for index, node in enumerate(inputs):
        cell = cells.get(node)
        if cell is None and not allow_unused:
            raise ValueError(
                f"gradients: input {index} ({node!r}) is not used to compute the output; "
                "pass allow_unused=True to get 0 for it"
            )
        results.append(0.0 if cell is None else cell.grad)
    if create_graph:
        return tuple(g if isinstance(g, Value) else Value(g) for g in results)
    return tuple(float(g) for g in results)


# How many differentiated functions are being evaluated right now (in this thread or task). Inside
# one, a grad must return Values even when its own arguments are numbers: the function may close
# over an outer variable (grad(lambda x: x * grad(lambda y: x * y)(1.0))).
_depth: contextvars.ContextVar[int] = contextvars.ContextVar("chainrule_grad_depth", default=0)


def _evaluate(f: Callable[..., Any], args: Sequence[Any], kwargs: dict[str, Any]) -> Any:
    """``f(*args, **kwargs)``, marked as the evaluation of a function being differentiated."""
    token = _depth.set(_depth.get() + 1)
    try:
        with enable_grad():  # a transformation differentiates whatever the ambient mode (no_grad too)
            return f(*args, **kwargs)
    finally:
        _depth.reset(token)


def _check_callable(f: object, function_name: str) -> None:
    if isinstance(f, Value):
        raise TypeError(
            f"{function_name}: got a Value, not a function. {function_name}(f) differentiates a function "
            "of numbers; for the gradients of a computed Value y with respect to Values x, w (PyTorch's "
            "torch.autograd.grad(y, [x, w])), use autograd.gradients(y, [x, w])"
        )
    if not callable(f):
        raise TypeError(f"{function_name}: expected a function, got {type(f).__name__}")


def _check_transformation(f: object, argnums: object, function_name: str) -> None:
    """A transformation's arguments checked when it is made, before any call: ``f`` a function,
    ``argnums`` of the right type."""
    _check_callable(f, function_name)
    argnums_positions(argnums, function_name)


def _call_on_variables(
    f: Callable[..., Any], argnums: object, args: Sequence[Any], kwargs: dict[str, Any], function_name: str
) -> tuple[Any, list[Value], bool, bool]:
    """``f`` called with a fresh variable at each position ``argnums`` names (every positional
    argument when it is None: there must be one): its result, the variables, whether ``argnums``
    was one int, and whether results must be Values (see ``_variables``)."""
    if argnums is None and not args:
        raise TypeError(f"{function_name}: the function needs at least one positional argument")
    positions, single = argnums_positions(argnums, function_name, len(args))
    new_args, variables, nested = _variables(args, positions, function_name)
    return _evaluate(f, new_args, kwargs), variables, single, nested


def _variables(
    args: Sequence[Any], positions: Sequence[int], function_name: str
) -> tuple[list[Any], list[Value], bool]:
    """The arguments with a fresh variable at each differentiated position (``positions`` as
    ``argnums_positions`` gives them).

    A number becomes a new leaf. A Value (from an enclosing ``grad``) becomes a new node that
    depends on it (``v + 0``), so inner and outer derivatives are kept apart (no perturbation
    confusion) while the inner result stays differentiable by the outer one. A number at a position
    not differentiated becomes a leaf too, so ``f`` may call Value methods on every number it gets,
    as PyTorch's functional API passes tensors; anything else (a list, a model, a bool) is passed
    as it is, and so are keyword arguments. ``nested`` says whether results must be Values: inside
    another differentiation, or when given Values.
    """
    nested = _depth.get() > 0 or any(isinstance(arg, Value) for arg in args)
    new_args = list(args)
    made: dict[int, Value] = {}  # one variable per argument, however often argnums names it (as JAX)
    for index in positions:
        if index in made:
            continue
        arg = args[index]
        if isinstance(arg, Value):
            with enable_grad():
                made[index] = arg + 0.0
        else:
            made[index] = Value(as_float(arg, f"{function_name}: argument {index}"))
        new_args[index] = made[index]
    for index, arg in enumerate(args):
        if index not in made and is_real(arg):
            new_args[index] = Value(as_float(arg, f"{function_name}: argument {index}"))
    return new_args, [made[index] for index in positions], nested


def _scalar_output(out: object, function_name: str) -> Value:
    """The function's result as a Value, or a clear error if it is not one scalar."""
    if isinstance(out, Value):
        return out
    if isinstance(out, (list, tuple)):
        raise TypeError(
            f"{function_name}: the function returned a {type(out).__name__} of {len(out)}; it must return "
            "one number (a scalar). For a function with several outputs, use jacobian."
        )
    return Value(as_float(out, f"{function_name}: the function's result"))


@overload
def value_and_grad(f: Callable[..., Any], argnums: int = 0) -> Transformed[tuple[float, float]]: ...


@overload
def value_and_grad(
    f: Callable[..., Any], argnums: Sequence[int]
) -> Transformed[tuple[float, tuple[float, ...]]]: ...


def value_and_grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Transformed[Any]:
    """A function that returns ``(f(*args), the derivative of f)`` in one evaluation.

    The derivative is with respect to the argument at ``argnums`` (an int: one result) or each of
    several (a tuple: a tuple of results). Keyword arguments are passed through, not differentiated.

    >>> from autograd import sin
    >>> value_and_grad(lambda x, y: x * sin(y), argnums=(0, 1))(2.0, 0.0)
    (0.0, (0.0, 2.0))
    """
    _check_transformation(f, argnums, "value_and_grad")

    @_named(f, "value_and_grad")
    def value_and_derivative(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        result, variables, single, nested = _call_on_variables(f, argnums, args, kwargs, "value_and_grad")
        out = _scalar_output(result, "value_and_grad")
        derivatives = gradients(out, variables, create_graph=nested, allow_unused=True)
        value = out if nested else out.data
        return value, derivatives[0] if single else derivatives

    return value_and_derivative


@overload
def grad(f: Callable[..., Any], argnums: int = 0) -> Transformed[float]: ...


@overload
def grad(f: Callable[..., Any], argnums: Sequence[int]) -> Transformed[tuple[float, ...]]: ...


def grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Transformed[Any]:
    """The derivative of a scalar function ``f``, as a function of the same arguments.

    Floats in, floats out; Values in, Values out, so ``grad(grad(f))`` gives the second derivative.

    >>> f = lambda x: x ** 3
    >>> grad(f)(2.0), grad(grad(f))(2.0), grad(grad(grad(f)))(2.0)
    (12.0, 12.0, 6.0)
    """
    _check_callable(f, "grad")
    derivative_and_value = value_and_grad(f, argnums)

    @_named(f, "grad")
    def derivative(*args: Any, **kwargs: Any) -> Any:
        return derivative_and_value(*args, **kwargs)[1]

    return derivative


@overload
def hessian(f: Callable[..., Any], argnums: int) -> Transformed[float]: ...


@overload
def hessian(
    f: Callable[..., Any], argnums: Sequence[int] | None = None
) -> Transformed[list[list[float]]]: ...


def hessian(f: Callable[..., Any], argnums: int | Sequence[int] | None = None) -> Transformed[Any]:
    """The second derivatives of a scalar ``f``: over all positional arguments by default.

    ``hessian(f)(*args)[i][j]`` is d^2 f / d arg_i d arg_j, an n x n list of lists; with ``argnums``
    a tuple, the same over those arguments; with ``argnums`` an int, the one number d^2 f / d arg^2.

    >>> hessian(lambda x, y: x * x * y)(3.0, 2.0)
    [[4.0, 6.0], [6.0, 0.0]]
    >>> hessian(lambda x, y: x * x * y, argnums=0)(3.0, 2.0)
    4.0
    """
    _check_transformation(f, argnums, "hessian")

    @_named(f, "hessian")
    def second_derivatives(*args: Any, **kwargs: Any) -> Any:
        result, variables, single, nested = _call_on_variables(f, argnums, args, kwargs, "hessian")
        out = _scalar_output(result, "hessian")
        first = gradients(out, variables, create_graph=True, allow_unused=True)
        matrix = [list(gradients(g, variables, create_graph=nested, allow_unused=True)) for g in first]
        return matrix[0][0] if single else matrix

    return second_derivatives


@overload
def jacobian(f: Callable[..., Any], argnums: int) -> Transformed[list[float]]: ...


@overload
def jacobian(
    f: Callable[..., Any], argnums: Sequence[int] | None = None
) -> Transformed[list[list[float]]]: ...


def jacobian(f: Callable[..., Any], argnums: int | Sequence[int] | None = None) -> Transformed[Any]:
    """The first derivatives of a function that returns a list: one row per output.

    ``jacobian(f)(*args)[k][j]`` is d f_k / d arg_j over all positional arguments by default, or over
    the arguments ``argnums`` names; with ``argnums`` an int, one number per output.

    >>> jacobian(lambda x, y: [x * y, x + y])(2.0, 3.0)
    [[3.0, 2.0], [1.0, 1.0]]
    >>> jacobian(lambda x, y: [x * y, x + y], argnums=1)(2.0, 3.0)
    [2.0, 1.0]
    """
    _check_transformation(f, argnums, "jacobian")

    @_named(f, "jacobian")
    def first_derivatives(*args: Any, **kwargs: Any) -> Any:
        outputs, variables, single, nested = _call_on_variables(f, argnums, args, kwargs, "jacobian")
        if not isinstance(outputs, (list, tuple)):
            raise TypeError(
                f"jacobian: the function returned a {type(outputs).__name__}; it must return a list "
                "(one entry per output). For a scalar function, use grad."
            )
        rows = []
        for index, out in enumerate(outputs):
            out = out if isinstance(out, Value) else Value(as_float(out, f"jacobian: output {index}"))
            row = gradients(out, variables, create_graph=nested, allow_unused=True)
            rows.append(row[0] if single else list(row))
        return rows

    return first_derivatives


def _named(f: Callable[..., Any], transformation: str) -> Callable[[Function], Function]:
    """``functools.wraps(f)`` (``help`` shows ``f``'s docstring, as JAX's do), with the repr naming
    the transformation: ``<function grad(cube) at 0x...>``, not ``f``'s own."""

    def name(transformed: Function) -> Function:
        functools.update_wrapper(transformed, f)
        transformed.__qualname__ = f"{transformation}({getattr(f, '__qualname__', type(f).__name__)})"
        return transformed

    return name
