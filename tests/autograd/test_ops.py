"""Every op of the table in tests/helpers.py: values, gradients by central differences, PyTorch."""

import math

import numpy as np
import pytest
from helpers import (
    OPS,
    UNARY_OPS,
    Op,
    assert_matches_finite_differences,
    assert_matches_torch,
    assert_same_floats,
    engine_value_and_grads,
    op_id,
)

import autograd as ag
from autograd import Value, topological_order
from autograd.primitive import every_primitive

OP_POINTS = [pytest.param(op, point, id=f"{op.name} at {point}") for op in OPS for point in op.points]
FUNCTIONS = [op for op in UNARY_OPS if op.function is not None]


def test_the_table_covers_every_primitive() -> None:
    # every primitive the engine defines makes a node in some op of the table
    covered = set()
    for op in OPS:
        out = op.engine(*[Value(x) for x in op.points[0]])
        covered |= {node.primitive.key for node in topological_order(out) if node.primitive is not None}
    assert {p.key for p in every_primitive()} - covered == set()
    assert all(len(point) == op.arity for op in OPS for point in op.points)
    assert all(len(op.points) >= 1 for op in OPS)


@pytest.mark.parametrize("op, point", OP_POINTS)
def test_value_matches_math(op: Op, point: tuple[float, ...]) -> None:
    value, _ = engine_value_and_grads(op.engine, point)
    assert_same_floats([value], [op.reference(*point)], f"{op.name} at {point}")


@pytest.mark.parametrize("op, point", OP_POINTS)
def test_gradient_matches_central_differences(op: Op, point: tuple[float, ...]) -> None:
    assert_matches_finite_differences(op.engine, point)


@pytest.mark.parametrize("op, point", OP_POINTS)
def test_value_and_gradient_match_torch(op: Op, point: tuple[float, ...]) -> None:
    assert_matches_torch(op.engine, op.torch_version(), point)


@pytest.mark.parametrize("op, point", OP_POINTS)
def test_create_graph_gives_the_same_gradient(op: Op, point: tuple[float, ...]) -> None:
    """The rules run on Values (create_graph) and on floats give the same first derivative."""
    _, grads = engine_value_and_grads(op.engine, point)
    inputs = [Value(x) for x in point]
    op.engine(*inputs).backward(create_graph=True)
    assert [x.grad for x in inputs] == pytest.approx(grads, rel=1e-12, abs=0.0)
    for x in inputs:
        assert isinstance(x.grad_value, Value)
        assert x.grad_value.data == x.grad


def test_the_helpers_catch_a_wrong_sign() -> None:
    """The helpers themselves: a derivative with the wrong sign must not pass either check."""

    def sine_with_wrong_derivative(x: Value) -> Value:
        s = x.sin()
        return s.detach() - (s - s.detach())  # the value of sin(x), the gradient -cos(x)

    with pytest.raises(AssertionError, match="central differences"):
        assert_matches_finite_differences(sine_with_wrong_derivative, (1.0,))
    with pytest.raises(AssertionError, match="PyTorch"):
        assert_matches_torch(sine_with_wrong_derivative, lambda x: x.sin(), (1.0,))


# ----- module-level functions: numbers in, floats out; Values in, Values out ----------------


@pytest.mark.parametrize("op", FUNCTIONS, ids=op_id)
@pytest.mark.parametrize("x", [-2.0, 0.5, 3, np.float64(1.5), np.float32(0.25), np.int64(2)])
def test_function_on_a_number_returns_a_float(op: Op, x: float) -> None:
    assert op.function is not None
    expected = math.nan if op.name in ("log", "sqrt") and x < 0 else op.reference(float(x))
    result = op.function(x)
    assert type(result) is float
    assert_same_floats([result], [expected], f"{op.name}({x!r})")


@pytest.mark.parametrize("op", FUNCTIONS, ids=op_id)
def test_function_on_a_value_builds_the_graph(op: Op) -> None:
    assert op.function is not None
    for point in op.points:
        by_function = engine_value_and_grads(op.function, point)
        by_method = engine_value_and_grads(op.engine, point)
        assert by_function == by_method
        x = Value(point[0])
        y = op.function(x)
        assert isinstance(y, Value)
        assert y.parents == (x,)


@pytest.mark.parametrize(
    "function, arguments, expected",
    [
        (ag.power, (2.0, 3), 8.0),
        (ag.power, (0.0, -1.0), math.inf),
        (ag.power, (-8.0, 1 / 3), math.nan),
        (ag.divide, (1, 0), math.inf),
        (ag.divide, (-1.0, 0.0), -math.inf),
        (ag.divide, (0.0, 0.0), math.nan),
        (ag.divide, (1.0, 4), 0.25),
        (ag.maximum, (1, 2.5), 2.5),
        (ag.minimum, (1, 2.5), 1.0),
        (ag.maximum, (math.nan, 2.0), math.nan),
        (ag.exp, (1000.0,), math.inf),
        (ag.log, (0,), -math.inf),
        (ag.log, (-1.0,), math.nan),
        (ag.sqrt, (-1.0,), math.nan),
        (ag.sigmoid, (-1000.0,), 0.0),
        (ag.softplus, (1000.0,), 1000.0),
        (ag.sin, (math.inf,), math.nan),
    ],
)
def test_functions_on_numbers_follow_ieee(function: object, arguments: tuple, expected: float) -> None:
    result = function(*arguments)  # type: ignore[operator]
    assert type(result) is float
    assert_same_floats([result], [expected], f"{function}{arguments}")


@pytest.mark.parametrize("function", [ag.power, ag.divide, ag.maximum, ag.minimum])
def test_binary_functions_on_values_build_the_graph(function: object) -> None:
    a, b = Value(3.0), Value(2.0)
    for first, second in ((a, b), (a, 2.0), (3.0, b)):
        out = function(first, second)  # type: ignore[operator]
        assert isinstance(out, Value)
        expected = function(3.0, 2.0)  # type: ignore[operator]
        assert out.data == expected
    assert_matches_finite_differences(function, (3.0, 2.0))  # type: ignore[arg-type]


@pytest.mark.parametrize("op", OPS, ids=op_id)
def test_stored_derivatives_are_the_rules(op: Op) -> None:
    """Every node stores exactly what its primitive's rule gives (the fast paths that write a rule's
    constant value out, for x + c and x * c, cannot drift from it)."""
    for point in op.points:
        out = op.engine(*(Value(x) for x in point))
        for node in ag.topological_order(out):
            if node.primitive is None:
                continue
            parents = [parent.data for parent in node.parents]
            expected = node.primitive.local_grads(node.data, parents, node.constant)
            assert [float(local) for local in node.local_grads] == [float(e) for e in expected], node.op
