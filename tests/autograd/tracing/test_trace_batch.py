"""Batched programs: many examples at once, with numpy or as a loop, agreeing with the scalar program."""

from __future__ import annotations

import importlib
import math
import subprocess
import sys
import warnings
from typing import Any

import numpy as np
import pytest

import autograd as ag
from autograd import Value
from autograd.tracing.batch import Batch

RNG = np.random.default_rng(7)


def close(actual: Any, expected: Any, rtol: float = 1e-12) -> bool:
    """Within ``rtol`` relative (nan for nan, the same infinities), item by item."""
    a, e = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    return a.shape == e.shape and bool(np.all(np.isclose(a, e, rtol=rtol, atol=0.0, equal_nan=True)))


def model_and_loss() -> tuple[list[Value], Any]:
    """A two-layer tanh network's squared error on one example (a list of 3 inputs, a target)."""
    rng = np.random.default_rng(1)
    hidden = [[Value(float(w)) for w in rng.uniform(-1, 1, 3)] for _ in range(4)]
    biases = [Value(float(b)) for b in rng.uniform(-0.5, 0.5, 4)]
    out = [Value(float(w)) for w in rng.uniform(-1, 1, 4)]
    parameters = [p for row in hidden for p in row] + biases + out

    def loss(x: list[Value], target: Value) -> Value:
        a = [ag.linear(row, x, b).tanh() for row, b in zip(hidden, biases)]
        error = ag.dot(out, a) - target
        return ag.maximum(error * error, error.relu())

    return parameters, loss


def per_example(program: ag.Program, xs: Any, targets: Any) -> tuple[list[float], list[Any], list[float]]:
    """The scalar program example by example: values, per-example gradients, summed parameter ones."""
    values, gradients = [], []
    totals = [0.0] * len(program.parameters)
    for x, t in zip(xs, targets):
        for p in program.parameters:
            p.grad = 0.0
        value, g = program.value_and_grad(list(x), float(t))
        program.backward(list(x), float(t))
        values.append(value)
        gradients.append(g)
        totals = [s + p.grad for s, p in zip(totals, program.parameters)]
    return values, gradients, totals


@pytest.mark.parametrize("numpy", [True, False])
def test_a_batch_agrees_with_the_scalar_program(numpy: bool) -> None:
    _, loss = model_and_loss()
    program = ag.trace(loss, [0.1, 0.2, 0.3], 0.5)
    xs, targets = RNG.normal(size=(50, 3)), RNG.normal(size=50)
    batch = program.batch(xs, targets, numpy=numpy)
    values, gradients, totals = per_example(program, xs, targets)
    assert close(batch.values, values)
    assert close(batch.gradients[0], [g[0] for g in gradients])
    assert close(batch.gradients[1], [g[1] for g in gradients])
    assert close(batch.parameter_gradients, totals)
    assert isinstance(batch.values, np.ndarray) and batch.gradients[0].shape == (50, 3)


def test_the_loop_adds_in_order_so_it_gives_the_scalar_programs_bits() -> None:
    _, loss = model_and_loss()
    program = ag.trace(loss, [0.1, 0.2, 0.3], 0.5)
    xs, targets = RNG.normal(size=(20, 3)).tolist(), RNG.normal(size=20).tolist()
    batch = program.batch(xs, targets, numpy=False)
    values, gradients, totals = per_example(program, xs, targets)
    assert batch.values == values
    assert batch.gradients == ([g[0] for g in gradients], [g[1] for g in gradients])
    assert batch.parameter_gradients == totals


def test_shared_arguments_get_gradients_summed_over_the_batch() -> None:
    program = ag.trace(lambda x, scale, offsets: (x * scale + ag.sum(offsets)).tanh(), 1.0, 2.0, [0.1, 0.2])
    xs = [0.5, -1.0, 2.0, 0.0]
    for numpy in (True, False):
        batch = program.batch(xs, 2.0, [0.1, 0.2], numpy=numpy)
        singles = [program.value_and_grad(x, 2.0, [0.1, 0.2]) for x in xs]
        assert close(batch.values, [v for v, _ in singles])
        assert close(batch.gradients[0], [g[0] for _, g in singles])
        assert close(batch.gradients[1], sum(g[1] for _, g in singles))
        assert close(batch.gradients[2], [sum(g[2][j] for _, g in singles) for j in range(2)])
        assert type(batch.values) is list and type(batch.gradients[1]) is float


def test_lists_in_give_lists_out_and_a_constant_gradient_counts_once_per_example() -> None:
    w = Value(3.0)
    program = ag.trace(lambda x: w * 2.0 + x, 1.0)
    batch = program.batch([1.0, 2.0, 3.0])
    assert batch == Batch([7.0, 8.0, 9.0], ([1.0, 1.0, 1.0],), [6.0])


@pytest.mark.parametrize("numpy", [True, False])
def test_gradients_shared_by_several_names_are_added_without_changing_each_other(numpy: bool) -> None:
    """The numpy program once added in place (``g += ...``) into arrays that other names shared."""
    w = Value(1.5)
    cases = [
        (lambda x: ag.tanh(x + x * x), ([0.5],), (0.5,)),
        (lambda x, y: (x + x * y) * y, ([1.0], [2.0]), (1.0, 2.0)),
        (lambda x: w.relu() + w * x, ([1.0, 2.0],), (1.0,)),  # a captured parameter: no broadcast error
    ]
    for f, columns, point in cases:
        program = ag.trace(f, *point)
        batch = program.batch(*columns, numpy=numpy)
        for i, example in enumerate(zip(*columns)):
            value, gradients = ag.value_and_grad(f, argnums=tuple(range(len(point))))(*example)
            assert batch.values[i] == value
            assert [g[i] for g in batch.gradients] == list(gradients)
    relu_slope_plus_x = [1.0 + 1.0, 1.0 + 2.0]  # d(relu(w) + w * x)/dw for the two examples
    assert program.batch([1.0, 2.0], numpy=numpy).parameter_gradients == [sum(relu_slope_plus_x)]


def test_both_paths_give_the_same_kinds_of_results_at_the_edges_of_a_batch() -> None:
    """An empty batch sums to 0.0; with arrays in, shared gradients stay a float or a list (no 0-d
    array); ragged lists are named by example; inf - inf in a sum gives nan without a warning."""
    w = Value(1.0)
    program = ag.trace(lambda x, y, zs: w * x * y * ag.sum(zs), 1.0, 2.0, [1.0, 2.0])
    results = {}
    for numpy in (True, False):
        empty = program.batch([], 2.0, [1.0, 2.0], numpy=numpy)
        assert empty == Batch([], ([], 0.0, [0.0, 0.0]), [0.0])
        arrays = program.batch(np.array([1.0, 2.0]), 2.0, [1.0, 2.0], numpy=numpy)
        assert type(arrays.gradients[1]) is float and type(arrays.gradients[2]) is list
        assert arrays.gradients[0].shape == (2,) and arrays.values.shape == (2,)
        results[numpy] = (arrays.values.tolist(), arrays.gradients[0].tolist(), *arrays.gradients[1:])
        with pytest.raises(ValueError, match=r"example 1 .*a list of 1.*|a list of 2 numbers .*got 1"):
            program.batch([1.0, 2.0], 2.0, [[1.0, 2.0], [3.0]], numpy=numpy)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            infinite = program.batch([math.inf, -math.inf], 2.0, [1.0, 2.0], numpy=numpy)
        assert math.isnan(infinite.gradients[1]) and math.isnan(infinite.parameter_gradients[0])
    assert results[True] == results[False]
    batched_lists = program.batch(1.0, 2.0, np.array([[1.0, 2.0], [3.0, 4.0]]), numpy=False)
    assert batched_lists.gradients[2].shape == (2, 2)


def test_edge_inputs_give_ieee_results_without_warnings() -> None:
    f = lambda x, y: (x / y).log() + ag.maximum(x, y) ** 0.5 + x.relu().sqrt()  # noqa: E731
    program = ag.trace(f, 1.0, 2.0)
    xs = np.array([0.0, -1.0, 1.0, math.inf, math.nan, 1e-310, -0.0])
    ys = np.array([0.0, 0.0, -1.0, 1.0, 1.0, 1e-310, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        batch = program.batch(xs, ys)
    for i, (x, y) in enumerate(zip(xs, ys)):
        value, (gx, gy) = program.value_and_grad(float(x), float(y))
        assert close([batch.values[i], batch.gradients[0][i], batch.gradients[1][i]], [value, gx, gy])


def test_every_op_batches() -> None:
    from helpers import OPS

    for op in OPS:
        program = ag.trace(op.engine, *op.points[0])
        columns = [np.array([point[j] for point in op.points]) for j in range(op.arity)]
        batch = program.batch(*columns)
        for i, point in enumerate(op.points):
            value, gradients = program.value_and_grad(*point)
            assert close(batch.values[i], value), op.name
            assert close([g[i] for g in batch.gradients], gradients), op.name


@pytest.mark.parametrize(
    "args, error, message",
    [
        (([1.0, 2.0], [1.0]), ValueError, r"batched arguments have different lengths \[1, 2\]"),
        ((1.0, 2.0), ValueError, r"no argument is batched"),
        ((["a", "b"], 1.0), TypeError, r"argument 0 \(x\) holds <U1 entries"),
        (([1.0], 1.0, 2.0), TypeError, r"traced with 2 argument\(s\) \(x, y\); got 3"),
        (({1: 2}, 1.0), TypeError, r"argument 0 \(x\) is dict"),
    ],
)
def test_bad_batches_are_named(args: Any, error: type, message: str) -> None:
    program = ag.trace(lambda x, y: x * y, 1.0, 2.0)
    with pytest.raises(error, match=message):
        program.batch(*args)


def test_a_list_argument_batched_needs_a_list_for_each_example() -> None:
    program = ag.trace(lambda xs: ag.sum(xs), [1.0, 2.0])
    with pytest.raises(ValueError, match=r"argument 0 \(xs\) has shape \(2, 3\); expected a list of 2"):
        program.batch([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with pytest.raises(ValueError, match=r"no argument is batched"):
        program.batch([1.0, 2.0])  # one list of 2: shared, as when traced


def test_without_numpy_a_batch_is_a_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = importlib.import_module

    def no_numpy(name: str, *args: Any) -> Any:
        if name == "numpy":
            raise ImportError("no numpy here")
        return real_import(name, *args)

    monkeypatch.setattr("autograd.tracing.batch.importlib.import_module", no_numpy)
    program = ag.trace(lambda x: x * x, 1.0)
    assert program.batch([1.0, 2.0]) == Batch([1.0, 4.0], ([2.0, 4.0],), [])
    with pytest.raises(ImportError, match=r"numpy is not installed \(pip install numpy, or numpy=False"):
        program.batch([1.0, 2.0], numpy=True)


def test_importing_autograd_and_batching_as_a_loop_never_import_numpy() -> None:
    code = (
        "import sys, autograd\n"
        "autograd.trace(lambda x: x * x, 1.0).batch([1.0, 2.0], numpy=False)\n"
        "assert 'numpy' not in sys.modules, 'numpy was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
