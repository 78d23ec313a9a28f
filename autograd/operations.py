"""Operations on many Values at once, each ONE node: ``linear``, ``dot``, ``sum``, and the
two-input ``maximum`` and ``minimum``, each primitive defined next to its function. One node for a
neuron's weighted sum instead of ``2n`` keeps big graphs small and fast, and drawings readable."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import mul
from typing import Any

from autograd import ieee
from autograd.arithmetic import sum_rule
from autograd.ieee import add_in_order
from autograd.inputs import as_float
from autograd.node import record
from autograd.primitive import FLAT, Primitive, where
from autograd.value import Scalar, Value, constant

_new = object.__new__


def _as_list(values: Any, operation: str, what: str) -> list[Any]:
    """``values`` as a list, or a TypeError saying a sequence was expected."""
    if type(values) is list:
        return values
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(
            f"{operation}: {what} must be a list (or another iterable) of numbers or Values, "
            f"got {type(values).__name__}"
        )
    return list(values)


def _split_linear(parents: Sequence[Any]) -> tuple[Any, ...]:
    """``w_1..w_n, x_1..x_n[, b]`` as the rule's ``(weights, inputs, has_bias)``."""
    n = len(parents) // 2
    return (parents[:n], parents[n : 2 * n], len(parents) % 2 == 1)


def _linear_rule(out: Any, weights: Sequence[Any], inputs: Sequence[Any], has_bias: bool) -> tuple[Any, ...]:
    """d(sum_i w_i x_i + b)/d w_i = x_i, d/d x_i = w_i, d/db = 1."""
    return (*inputs, *weights, 1.0) if has_bias else (*inputs, *weights)


def _weighted_sum(weights: Sequence[float], inputs: Sequence[float], bias: float = 0.0) -> float:
    """``w_1 x_1 + ... + w_n x_n + b``: the products added in order from 0.0, then ``b``."""
    return float(add_in_order(map(mul, weights, inputs), 0.0)) + bias


def _tuple_code(items: Sequence[str]) -> str:
    """A tuple of code items as code (one item gets its comma)."""
    return f"({', '.join(items)},)" if len(items) == 1 else f"({', '.join(items)})"


def _linear_code(operands: Sequence[str], bias: str | None) -> str:
    """The weighted sum as code, ``add_in_order((w1 * x1, w2 * x2), 0.0) + b``: as ``linear``
    computes it, the products added in order, then the bias: a Value's, else a nonzero number
    (adding a zero changes nothing here: a sum from 0.0 is never -0.0)."""
    n = len(operands) // 2
    products = _tuple_code([f"{w} * {x}" for w, x in zip(operands[:n], operands[n : 2 * n])])
    products = f"add_in_order({products}, 0.0)"
    if len(operands) % 2:
        return f"{products} + {operands[-1]}"
    return products if bias is None else f"{products} + {bias}"


LINEAR = Primitive("linear", _weighted_sum, _linear_rule, code=_linear_code, split=_split_linear)


def linear(weights: Sequence[Scalar], inputs: Sequence[Scalar], bias: Scalar = 0.0) -> Value:
    """``sum(w * x for w, x in zip(weights, inputs)) + bias`` as ONE node.

    Its parents are the weights, then the inputs, then the bias (if it is a Value). Numbers among
    the weights or inputs become constant leaves.

    >>> w, x = [Value(2.0), Value(-1.0)], [Value(3.0), Value(4.0)]
    >>> y = linear(w, x, Value(0.5))
    >>> y.backward()
    >>> y.data, w[0].grad, x[1].grad
    (2.5, 3.0, -1.0)
    """
    if type(weights) is not list:  # a list: the common case, checked inline
        weights = _as_list(weights, "linear", "weights")
    if type(inputs) is not list:
        inputs = _as_list(inputs, "linear", "inputs")
    if len(inputs) != len(weights):
        raise ValueError(
            f"linear: {len(weights)} weights but {len(inputs)} inputs; they must be equally many"
        )
    try:  # the fast path: all Values
        # comprehensions, not map(attrgetter("data")): reading a slot inherited from Node through a
        # getter checks the subclass on every item (benchmarks/README.md has the cost)
        weight_data = [w.data for w in weights]
        input_data = [x.data for x in inputs]
        out = add_in_order(map(mul, weight_data, input_data), 0.0)
        if type(out) is not float:
            raise TypeError  # foreign objects with a .data attribute
    except (AttributeError, TypeError):  # numbers (or wrong types) among them: the checked path
        weight_values = [constant(w, "linear (weights)") for w in weights]
        input_values = [constant(x, "linear (inputs)") for x in inputs]
        weights, inputs = weight_values, input_values
        weight_data = [w.data for w in weight_values]
        input_data = [x.data for x in input_values]
        out = add_in_order(map(mul, weight_data, input_data), 0.0)
    if isinstance(bias, Value):
        out += bias.data
        local_grads = _linear_rule(out, weight_data, input_data, True)
        return record(_new(Value), out, (*weights, *inputs, bias), local_grads, LINEAR)
    b = as_float(bias, "linear (bias)")
    out += b
    local_grads = _linear_rule(out, weight_data, input_data, False)
    return record(_new(Value), out, (*weights, *inputs), local_grads, LINEAR, b if b != 0.0 else None)


def dot(a: Sequence[Scalar], b: Sequence[Scalar]) -> Value:
    """``sum(x * y for x, y in zip(a, b))`` as one node; ``dot(p, p)`` is a sum of squares.

    >>> p = [Value(1.0), Value(2.0)]
    >>> s = dot(p, p)
    >>> s.backward()
    >>> s.data, p[1].grad
    (5.0, 4.0)
    """
    return linear(a, b)


def _sum_code(terms: Sequence[str], numbers: str | None) -> str:
    """A sum as code: the terms added in order from the sum of the numbers among them (never
    -0.0), or from 0.0, exactly as ``sum`` computes it."""
    return f"add_in_order({_tuple_code(terms)}, {numbers or '0.0'})"


def _add_all(*terms: float) -> float:
    """``t_1 + ... + t_n`` added in order from 0.0 (a sum node's forward value): ``add_in_order``.

    >>> _add_all(1e16, 1.0, -1e16), _add_all(0.1, 0.2, 0.3), _add_all(-0.0)
    (0.0, 0.6000000000000001, 0.0)
    """
    total: float = add_in_order(terms, 0.0)
    return total


SUM = Primitive("+", _add_all, sum_rule, key="sum", code=_sum_code)


def sum(values: Iterable[Scalar]) -> Value:  # noqa: A001 (autograd.sum, like numpy.sum)
    """The sum of many Values (and numbers) as ONE node, so a long sum is no deep chain.

    >>> xs = [Value(float(i)) for i in range(1000)]
    >>> s = sum(xs)
    >>> s.backward()
    >>> s.data, xs[7].grad
    (499500.0, 1.0)
    """
    terms = []
    numbers: float | None = None  # the sum of the plain numbers among the values, if any
    for v in _as_list(values, "sum", "values"):
        if isinstance(v, Value):
            terms.append(v)
        else:
            numbers = as_float(v, "sum") + (numbers or 0.0)
    out = add_in_order([term.data for term in terms], numbers or 0.0)
    return record(_new(Value), out, tuple(terms), sum_rule(out, *terms), SUM, numbers)


def _maximum_rule(out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """d max(a, b): 1 for the larger side and flat for the other, 1/2 each at a tie (PyTorch),
    1 each where one side is nan."""
    tie_or_nan = where(a >= b, 0.5, 1.0)
    return (
        where(a > b, 1.0, where(a < b, FLAT, tie_or_nan)),
        where(a < b, 1.0, where(a > b, FLAT, tie_or_nan)),
    )


def _maximum_on_arrays(np: Any, a: Any, b: Any) -> Any:
    return np.where((a != a) | (b != b), np.nan, np.where(a >= b, a, b))  # as ieee.maximum


MAXIMUM = Primitive("max", ieee.maximum, _maximum_rule, calls="maximum", on_arrays=_maximum_on_arrays)


def maximum(a: Scalar, b: Scalar) -> Any:
    """The larger of ``a`` and ``b``; at a tie the gradient is split 1/2, 1/2. nan propagates.

    >>> x, y = Value(2.0), Value(2.0)
    >>> m = maximum(x, y)
    >>> m.backward()
    >>> m.data, x.grad, y.grad
    (2.0, 0.5, 0.5)
    """
    return _of_two(MAXIMUM, a, b, "maximum")


def _minimum_rule(out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """d min(a, b): 1 for the smaller side and flat for the other, 1/2 each at a tie (PyTorch),
    1 each where one side is nan."""
    tie_or_nan = where(a >= b, 0.5, 1.0)
    return (
        where(a < b, 1.0, where(a > b, FLAT, tie_or_nan)),
        where(a > b, 1.0, where(a < b, FLAT, tie_or_nan)),
    )


def _minimum_on_arrays(np: Any, a: Any, b: Any) -> Any:
    return np.where((a != a) | (b != b), np.nan, np.where(a <= b, a, b))  # as ieee.minimum


MINIMUM = Primitive("min", ieee.minimum, _minimum_rule, calls="minimum", on_arrays=_minimum_on_arrays)


def minimum(a: Scalar, b: Scalar) -> Any:
    """The smaller of ``a`` and ``b``; at a tie the gradient is split 1/2, 1/2. nan propagates.

    >>> x, y = Value(1.0), Value(3.0)
    >>> m = minimum(x, y)
    >>> m.backward()
    >>> m.data, x.grad, y.grad
    (1.0, 1.0, 0.0)
    """
    return _of_two(MINIMUM, a, b, "minimum")


def _of_two(primitive: Primitive, a: Scalar, b: Scalar, operation: str) -> Any:
    """``primitive`` of two numbers (a float) or of two Values, or a Value and a number (a Value)."""
    if not isinstance(a, Value) and not isinstance(b, Value):
        return primitive.forward(as_float(a, operation), as_float(b, operation))
    a, b = constant(a, operation), constant(b, operation)
    x, y = a.data, b.data
    out = primitive.forward(x, y)
    return record(_new(Value), out, (a, b), primitive.rule(out, x, y), primitive)
