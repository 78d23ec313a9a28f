"""The edge-case table of PyTorch float64's behaviour, row by row, and special inputs through every op.

The table states what PyTorch float64 does; the engine must do the same: nan and inf exactly where
PyTorch has them, and no ZeroDivisionError, OverflowError or math-domain ValueError ever.
"""

import itertools
import math

import pytest
from helpers import (
    OPS,
    SPECIAL_INPUTS,
    Op,
    assert_matches_torch,
    assert_same_floats,
    engine_value_and_grads,
    op_id,
    require_torch,
    torch_value_and_grads,
)

import autograd as ag
from autograd import Value

inf, nan = math.inf, math.nan


def _softplus_torch(x):  # type: ignore[no-untyped-def]
    return require_torch().nn.functional.softplus(x)


def _maximum_torch(a, b):  # type: ignore[no-untyped-def]
    return require_torch().maximum(a, b)


def _minimum_torch(a, b):  # type: ignore[no-untyped-def]
    return require_torch().minimum(a, b)


def _b_squared_plus_b(a):  # type: ignore[no-untyped-def]
    b = a * a
    return b * b + b


# (case, f, torch's f or None for the same f, inputs, value, gradients): one row of the table each
TABLE = [
    ("relu(0)", lambda x: x.relu(), None, (0.0,), 0.0, (0.0,)),
    ("abs(0)", lambda x: abs(x), None, (0.0,), 0.0, (0.0,)),
    ("max(x, y) at a tie", ag.maximum, _maximum_torch, (1.5, 1.5), 1.5, (0.5, 0.5)),
    ("min(x, y) at a tie", ag.minimum, _minimum_torch, (-2.0, -2.0), -2.0, (0.5, 0.5)),
    ("x**(1/3) at -8", lambda x: x ** (1 / 3), None, (-8.0,), nan, (nan,)),
    ("x**0.5 at 0", lambda x: x**0.5, None, (0.0,), 0.0, (inf,)),
    ("x**0.5 at -0.0", lambda x: x**0.5, None, (-0.0,), -0.0, (-inf,)),
    ("x**0.5 at -inf", lambda x: x**0.5, None, (-inf,), nan, (nan,)),
    ("x**-0.5 at -0.0", lambda x: x**-0.5, None, (-0.0,), -inf, (-inf,)),
    ("x**0 at 0", lambda x: x**0, None, (0.0,), 1.0, (0.0,)),
    ("1/x at 0", lambda x: 1 / x, None, (0.0,), inf, (-inf,)),
    ("0/0", lambda x, y: x / y, None, (0.0, 0.0), nan, (inf, nan)),
    ("log(0)", lambda x: x.log(), None, (0.0,), -inf, (inf,)),
    ("log(-1)", lambda x: x.log(), None, (-1.0,), nan, (-1.0,)),
    ("sqrt(x*x) at 0", lambda x: (x * x).sqrt(), None, (0.0,), 0.0, (nan,)),
    ("exp(1000)", lambda x: x.exp(), None, (1000.0,), inf, (inf,)),
    ("tanh(1000)", lambda x: x.tanh(), None, (1000.0,), 1.0, (0.0,)),
    ("x**y at (2, 3)", lambda x, y: x**y, None, (2.0, 3.0), 8.0, (12.0, 8.0 * math.log(2.0))),
    ("x**y at (-2, 3)", lambda x, y: x**y, None, (-2.0, 3.0), -8.0, (12.0, nan)),
    ("x**y at (0, 2)", lambda x, y: x**y, None, (0.0, 2.0), 0.0, (0.0, 0.0)),
    ("a*a at 3", lambda a: a * a, None, (3.0,), 9.0, (6.0,)),
    ("a+a at 3", lambda a: a + a, None, (3.0,), 6.0, (2.0,)),
    ("b = a*a; b*b + b at 2", _b_squared_plus_b, None, (2.0,), 20.0, (36.0,)),
    # the same contract, beyond the table's rows
    ("-1/x at -0.0", lambda x: -1 / x, None, (-0.0,), inf, (inf,)),
    ("Value(-8) ** (1/3)", lambda x: x ** (1 / 3), None, (-8.0,), nan, (nan,)),
    ("tanh(-1000)", lambda x: x.tanh(), None, (-1000.0,), -1.0, (0.0,)),
    ("sigmoid(1000)", lambda x: x.sigmoid(), None, (1000.0,), 1.0, (0.0,)),
    ("sigmoid(-1000)", lambda x: x.sigmoid(), None, (-1000.0,), 0.0, (0.0,)),
    ("softplus(0)", lambda x: x.softplus(), _softplus_torch, (0.0,), math.log(2.0), (0.5,)),
    ("softplus(1000)", lambda x: x.softplus(), _softplus_torch, (1000.0,), 1000.0, (1.0,)),
    ("softplus(-1000)", lambda x: x.softplus(), _softplus_torch, (-1000.0,), 0.0, (0.0,)),
    ("x**y at (0, 0)", lambda x, y: x**y, None, (0.0, 0.0), 1.0, (0.0, 0.0)),
    ("x**y at (0, -1)", lambda x, y: x**y, None, (0.0, -1.0), inf, (-inf, -inf)),
    ("x**y at (-2, 0)", lambda x, y: x**y, None, (-2.0, 0.0), 1.0, (0.0, nan)),
    ("2**x at 0", lambda x: 2**x, None, (0.0,), 1.0, (math.log(2.0),)),
    ("0**x at 2", lambda x: 0**x, None, (2.0,), 0.0, (0.0,)),
    ("relu(nan)", lambda x: x.relu(), None, (nan,), nan, (1.0,)),
    ("abs(nan)", lambda x: abs(x), None, (nan,), nan, (0.0,)),
    ("max(nan, 1)", ag.maximum, _maximum_torch, (nan, 1.0), nan, (1.0, 1.0)),
    ("min(1, nan)", ag.minimum, _minimum_torch, (1.0, nan), nan, (1.0, 1.0)),
    ("max(inf, inf)", ag.maximum, _maximum_torch, (inf, inf), inf, (0.5, 0.5)),
]
ROWS = [pytest.param(*row[1:], id=row[0]) for row in TABLE]


@pytest.mark.parametrize("f, f_torch, inputs, value, grads", ROWS)
def test_engine_follows_the_table(f, f_torch, inputs, value, grads) -> None:  # type: ignore[no-untyped-def]
    actual_value, actual_grads = engine_value_and_grads(f, inputs)
    assert_same_floats([actual_value], [value], "value", rtol=1e-15)
    assert_same_floats(actual_grads, list(grads), "gradients", rtol=1e-15)


@pytest.mark.parametrize("f, f_torch, inputs, value, grads", ROWS)
def test_torch_follows_the_table(f, f_torch, inputs, value, grads) -> None:  # type: ignore[no-untyped-def]
    """The table is PyTorch's behaviour: check the table itself against PyTorch float64."""
    torch_value, torch_grads = torch_value_and_grads(f if f_torch is None else f_torch, inputs)
    assert_same_floats([torch_value], [value], "PyTorch's value", rtol=1e-15)
    assert_same_floats(torch_grads, list(grads), "PyTorch's gradients", rtol=1e-15)


def test_backward_twice_gives_exactly_twice_the_leaf_gradients() -> None:
    """The table's row "backward() twice": PyTorch with retain_graph=True doubles leaf grads."""
    a, b = Value(1.5), Value(-0.5)
    c = a * b
    out = (c * c + c.tanh()) * a
    out.backward()
    first = (a.grad, b.grad)
    out.backward()
    assert (a.grad, b.grad) == (2 * first[0], 2 * first[1])
    torch = require_torch()
    ta = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(-0.5, dtype=torch.float64, requires_grad=True)
    tc = ta * tb
    tout = (tc * tc + tc.tanh()) * ta
    tout.backward(retain_graph=True)
    tout.backward()
    assert (a.grad, b.grad) == pytest.approx((ta.grad.item(), tb.grad.item()), rel=1e-14)


def test_results_are_floats_never_complex() -> None:
    for result in (Value(-8.0) ** (1 / 3), (-8.0) ** Value(1 / 3), Value(-8.0) ** Value(1 / 3)):
        assert type(result.data) is float
        assert math.isnan(result.data)
    assert Value(10**400).data == inf  # an int beyond float's range
    assert Value(-(10**400)).data == -inf


# ----- special inputs through every op: never an exception, always PyTorch's nan and inf -----


def _special_points(op: Op) -> list[tuple[float, ...]]:
    return list(itertools.product(SPECIAL_INPUTS, repeat=min(op.arity, 2)))


def _widen(op: Op, point: tuple[float, ...]) -> tuple[float, ...]:
    """n-ary ops get their first two inputs from ``point`` and ordinary numbers for the rest."""
    return point + tuple(0.5 + i for i in range(op.arity - len(point)))


@pytest.mark.parametrize("op", OPS, ids=op_id)
def test_no_exception_escapes_special_inputs(op: Op) -> None:
    """Forward, backward and backward(create_graph=True) over all special inputs: no exception."""
    for point in _special_points(op):
        point = _widen(op, point)
        value, grads = engine_value_and_grads(op.engine, point)
        assert all(type(g) is float for g in grads)
        inputs = [Value(x) for x in point]
        out = op.engine(*inputs)
        out.backward(create_graph=True)
        assert_same_floats([x.grad for x in inputs], grads, f"create_graph grads at {point}", rtol=1e-12)
        assert math.isnan(value) == math.isnan(out.data)


@pytest.mark.parametrize("op", OPS, ids=op_id)
def test_special_inputs_match_torch(op: Op) -> None:
    """Values and gradients at every special input as PyTorch float64 has them (nan, inf exactly)."""
    require_torch()
    failures = []
    for point in _special_points(op):
        point = _widen(op, point)
        try:
            assert_matches_torch(op.engine, op.torch_version(), point)
        except AssertionError as error:
            failures.append(str(error).splitlines()[0])
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("op", [op for op in OPS if op.function is not None], ids=op_id)
def test_functions_on_special_numbers_match_the_ops(op: Op) -> None:
    """``autograd.exp(x)`` on a float gives the same number as the op on a Value: no exception."""
    assert op.function is not None
    for x in SPECIAL_INPUTS:
        result = op.function(x)
        assert type(result) is float
        assert_same_floats([result], [op.engine(Value(x)).data], f"{op.name}({x})", rtol=0.0)


def test_deep_special_chain_never_raises() -> None:
    """Mixing every op over special values, then one backward: nan and inf, never an exception."""
    for x in SPECIAL_INPUTS:
        leaf = Value(x)
        y = leaf
        for op in OPS:
            if op.arity == 1:
                y = op.engine(y) + y
            else:
                y = op.engine(*([y, leaf] * op.arity)[: op.arity])
        y.backward()
        assert type(leaf.grad) is float


# ----- x ** 0.5 is sqrt everywhere, as PyTorch computes a number exponent -------------------------

ROOT_POINTS = (0.0, -0.0, 1.0, 2.0, 1e-300, 5e-324, 1e300, -1.0, inf, -inf, nan)


def _bits(x: float) -> tuple[bool, float]:
    """A float as its exact identity: nan for nan, and the sign of a zero kept."""
    return (True, 0.0) if math.isnan(x) else (False, x if x != 0.0 else math.copysign(1.0, x))


def _root_everywhere(f, x: float) -> list[tuple[bool, float]]:  # type: ignore[no-untyped-def]
    """f's value and derivative at x from the engine, a traced program and both batch paths."""
    value, (derivative,) = engine_value_and_grads(f, [x])
    program = ag.trace(f, 1.0, argnums=0)
    results = [value, derivative, *program.value_and_grad(x)]
    for numpy in (True, False):
        batch = program.batch([x], numpy=numpy)
        results += [float(batch.values[0]), float(batch.gradients[0])]
    return [_bits(r) for r in results]


@pytest.mark.parametrize("x", ROOT_POINTS)
def test_x_to_the_half_is_sqrt_in_values_and_gradients(x: float) -> None:
    # C's pow(-0.0, 0.5) is +0.0 and pow(-inf, 0.5) is inf; PyTorch computes x ** 0.5 as sqrt (-0.0, nan)
    root = _root_everywhere(lambda v: v.sqrt(), x)
    assert _root_everywhere(lambda v: v**0.5, x) == root
    assert _root_everywhere(lambda v: ag.power(v, 0.5), x) == root
    assert _root_everywhere(lambda v: v ** Value(0.5), x)[:2] == root[:2]  # a Value exponent too
    assert _bits(ag.power(x, 0.5)) == root[0]
    # and x ** -0.5 is 1 / sqrt(x)
    assert _root_everywhere(lambda v: v**-0.5, x)[::2] == [_bits(ag.divide(1.0, ag.sqrt(x)))] * 4


def test_minus_zero_to_the_half_is_minus_zero_with_gradient_minus_inf() -> None:
    x = Value(-0.0)
    y = x**0.5
    y.backward()
    assert _bits(y.data) == _bits(-0.0) and x.grad == -inf


@pytest.mark.parametrize("x", ROOT_POINTS)
def test_x_to_the_half_matches_torch_bit_for_bit(x: float) -> None:
    torch = require_torch()
    for f in (lambda v: v**0.5, lambda v: v**-0.5, lambda v: v.sqrt()):
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        out = f(t)
        out.backward()
        value, (derivative,) = engine_value_and_grads(f, [x])
        expected = [_bits(out.item()), _bits(t.grad.item())]
        assert [_bits(value), _bits(derivative)] == expected, (x, value, derivative)
