"""Trust: no silent wrong number, no state left broken, a clear error instead of a traceback.

Each test pins a behaviour that an adversarial pass found wrong in an earlier version.
"""

from __future__ import annotations

import copy
import math
import pickle
import random
import sys

import pytest
from helpers import require_torch

import autograd as ag
from autograd import (
    GradcheckError,
    Value,
    detect_anomaly,
    enable_grad,
    gradcheck,
    gradgradcheck,
    gradients,
    hessian,
    jacobian,
    no_grad,
    value_and_grad,
)
from autograd.rules import FLAT

# ----- the functional API differentiates whatever the ambient mode ------------------------------


def test_function_transformations_differentiate_inside_no_grad():
    with no_grad():
        assert ag.grad(lambda a: a**3)(2.0) == 12.0
        assert value_and_grad(lambda a: a**3)(2.0) == (8.0, 12.0)
        assert ag.grad(ag.grad(lambda a: a**3))(2.0) == 12.0
        assert hessian(lambda x, y: x * x * y)(3.0, 2.0) == [[4.0, 6.0], [6.0, 0.0]]
        assert jacobian(lambda x, y: [x * y, x + y])(2.0, 3.0) == [[3.0, 2.0], [1.0, 1.0]]
        assert gradcheck(lambda x: x.tanh(), [0.3])
        assert gradgradcheck(lambda x: x.sin(), [0.3])
        y = Value(3.0) * 2.0  # recorded nothing: a leaf
        assert y.parents == ()
    x = Value(2.0)
    z = x * x
    with no_grad():
        (g,) = gradients(z, [x], create_graph=True)
    assert g.data == 4.0 and gradients(g, [x]) == (2.0,)


def test_argnums_may_name_an_argument_twice():
    assert ag.grad(lambda x, y: x * y, argnums=(0, 0))(2.0, 3.0) == (3.0, 3.0)
    assert value_and_grad(lambda x, y: x * y, argnums=(1, -1, 0))(2.0, 3.0) == (6.0, (2.0, 2.0, 3.0))


# ----- division is a primitive: IEEE division bit for bit, finite derivatives ------------------


def test_division_is_ieee_division_bit_for_bit():
    rng = random.Random(7)
    for _ in range(2000):
        a, b = rng.uniform(-10, 10), rng.uniform(-10, 10)
        assert (Value(a) / Value(b)).data == a / b
        assert (Value(a) / b).data == a / b
        assert (a / Value(b)).data == a / b
    assert (Value(0.3) / Value(0.1)).data == 0.3 / 0.1 == 2.9999999999999996
    assert (Value(0.0) / Value(1e-310)).data == 0.0
    assert (Value(1e-310) / Value(1e-310)).data == 1.0
    assert math.isinf((Value(1.0) / 0.0).data) and math.isnan((0.0 / Value(0.0)).data)


def test_division_derivatives_are_finite_wherever_the_true_ones_are():
    a, b = Value(1e-160), Value(1e-160)
    (a / b).backward()
    assert a.grad == 1e160 and b.grad == -1e160
    x = Value(1e-160)
    (3.0 / x).backward()
    assert x.grad == -3e320 if math.isfinite(-3e320) else x.grad == -math.inf
    y = Value(2.0)
    (y / 1e-310).backward()
    assert y.grad == 1 / 1e-310 or math.isinf(y.grad)  # 1e310 itself is beyond float: inf is right
    z = Value(1e-310)
    (z * z.log()).backward()  # PyTorch: log's backward is grad / x, never forming 1/x = inf
    assert z.grad == pytest.approx(math.log(1e-310) + 1.0, rel=1e-15)


def test_division_constants_are_stored_exactly():
    x = Value(3.0)
    assert (x / 7.0).constant == 7.0 and (7.0 / x).constant == 7.0 and (x - 0.1).constant == -0.1
    assert (x**2.5).constant == 2.5 and (x * 0.1).constant == 0.1 and (Value(1e20) + 1.0).constant == 1.0


def test_division_matches_torch_at_the_limits():
    torch = require_torch()
    for a, b in [(1.0, 3.0), (-2.0, 1e-100), (1e100, -3.0), (0.0, 2.0)]:
        ta, tb = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (a, b))
        (ta / tb).backward()
        va, vb = Value(a), Value(b)
        (va / vb).backward()
        assert va.grad == pytest.approx(ta.grad.item(), rel=1e-15)
        assert vb.grad == pytest.approx(tb.grad.item(), rel=1e-15)


# ----- flat derivatives block inf and nan, as PyTorch's masks -------------------------------------


def _t(torch, c):
    return torch.tensor(c, dtype=torch.float64)


FLAT_CASES = {  # an inf or nan gradient arrives at a flat derivative: PyTorch gives 0 there
    "relu, then sqrt at 0": (-1.0, lambda x: x.relu().sqrt(), lambda t, torch: torch.relu(t).sqrt()),
    "relu, then log at 0": (-1.0, lambda x: x.relu().log(), lambda t, torch: torch.relu(t).log()),
    "relu, times nan": (-2.0, lambda x: x.relu() * math.nan, lambda t, torch: torch.relu(t) * math.nan),
    "x ** 0": (0.0, lambda x: (x**0 - 1.0).sqrt(), lambda t, torch: (t**0 - 1.0).sqrt()),
    "x ** y at y = 0": (3.0, lambda x: (x ** Value(0.0) - 1.0).sqrt(),
                        lambda t, torch: (t ** _t(torch, 0.0) - 1.0).sqrt()),
    "maximum's losing side": (-1.0, lambda x: ag.maximum(x, 0.0).sqrt(),
                              lambda t, torch: torch.maximum(t, _t(torch, 0.0)).sqrt()),
    "minimum's losing side": (1.0, lambda x: (0.0 - ag.minimum(x, 0.0)).sqrt(),
                              lambda t, torch: (0.0 - torch.minimum(t, _t(torch, 0.0))).sqrt()),
}


@pytest.mark.parametrize("case", FLAT_CASES)
def test_flat_derivatives_block_inf_and_nan_like_torch(case):
    torch = require_torch()
    point, engine, reference = FLAT_CASES[case]
    x = Value(point)
    engine(x).backward()
    t = torch.tensor(point, dtype=torch.float64, requires_grad=True)
    reference(t, torch).backward()
    assert t.grad.item() == 0.0
    assert x.grad == 0.0
    y = Value(point)
    (g,) = gradients(engine(y), [y], create_graph=True)
    assert g.data == 0.0


def test_relu_sqrt_gives_zero_as_torch():
    x = Value(-1.0)
    x.relu().sqrt().backward()
    assert x.grad == 0.0
    y = Value(-1.0)
    y.relu().log().backward()
    assert y.grad == 0.0
    z = Value(0.0)
    (z**0).sqrt().backward()
    assert z.grad == 0.0
    a, b = Value(0.0), Value(1.0)
    ag.maximum(a, b).log().backward()
    assert (a.grad, b.grad) == (0.0, 1.0)
    c, d = Value(0.0), Value(1.0)
    (ag.minimum(c, d) * math.inf).backward()
    assert (c.grad, d.grad) == (math.inf, 0.0)


def test_masked_edges_are_not_reported_by_detect_anomaly():
    x = Value(-1.0, label="x")
    with detect_anomaly():
        x.relu().sqrt().backward()
    assert x.grad == 0.0


def test_masks_hold_for_create_graph_gradients():
    x = Value(-1.0)
    (g,) = gradients(x.relu().sqrt(), [x], create_graph=True)
    assert g.data == 0.0
    y = Value(-1.0)
    y.relu().sqrt().backward(create_graph=True)
    assert y.grad == 0.0 and y.grad_value.data == 0.0


def test_the_flat_zero_is_a_zero():
    assert FLAT == 0.0 and float(FLAT) == 0.0 and repr(FLAT) == "0.0"
    assert (Value(-3.0).relu()).local_grads == (0.0,)
    assert pickle.loads(pickle.dumps(FLAT)) is FLAT


# ----- accumulation: exactly twice, summed per pass ---------------------------------------------


def test_backward_twice_is_exactly_twice_with_several_contributions():
    x = Value(214704003.0)
    y = x * x * x
    y.backward()
    once = x.grad
    y.backward()
    assert x.grad == 2 * once
    rng = random.Random(3)
    for _ in range(500):
        v = Value(rng.uniform(-10, 10))
        w = v * v * v + v.tanh() * v
        w.backward()
        first = v.grad
        w.backward()
        assert v.grad == 2 * first


def test_gradients_of_minus_zero_keep_their_sign_as_torch():
    x = Value(-0.0)
    (x * x).backward()
    assert math.copysign(1.0, x.grad) == -1.0
    y = Value(1.0)
    (y * -0.0).backward()
    assert math.copysign(1.0, y.grad) == -1.0
    assert math.copysign(1.0, Value(-0.0).relu().data) == -1.0


# ----- no state left broken after an exception ------------------------------------------------


def test_an_exception_in_backward_leaves_floats_and_old_gradients():
    x = Value(0.0, label="x")
    x.grad = 5.0
    y = x.sqrt() * Value(0.0)  # 0 * inf = nan on the way back
    for create_graph in (False, True):
        with detect_anomaly(), pytest.raises(FloatingPointError):
            y.backward(create_graph=create_graph)
        assert x.grad == 5.0 and type(x.grad) is float
        assert all(type(node.grad) is float for node in ag.topological_order(y))
    with detect_anomaly(), pytest.raises(FloatingPointError):
        gradients(y, [x], create_graph=True)
    assert x.grad == 5.0 and type(x.grad) is float


def test_an_interrupted_pass_in_an_optimizer_loop_changes_no_data():
    p = Value(0.0, label="p")
    loss = p.sqrt() * Value(0.0)
    with detect_anomaly(), pytest.raises(FloatingPointError):
        loss.backward(create_graph=True)
    p.data -= 0.1 * p.grad  # an optimizer step after the failure
    assert type(p.data) is float and p.data == 0.0


# ----- numbers are numbers, numpy's included ----------------------------------------------------


def test_linear_and_dot_accept_numpy_scalars():
    np = pytest.importorskip("numpy")
    w = Value(1.0)
    y = ag.linear([np.float64(2.0)], [w], np.float64(0.5))
    y.backward()
    assert (y.data, w.grad) == (2.5, 2.0)
    assert ag.dot([np.float32(3.0), w], [w, np.int64(2)]).data == 5.0


# ----- modes take effect on enter, are reusable, and decorate per call --------------------------


def test_modes_take_effect_on_enter_and_are_reusable():
    x = Value(1.0)
    guard = no_grad()
    assert ag.is_grad_enabled()  # made, not entered
    with guard:
        assert (x * 2.0).parents == ()
    with guard:  # entered again
        with guard:
            assert not ag.is_grad_enabled()
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()
    anomaly = detect_anomaly()
    _ = x * math.nan  # not checked: made, not entered
    with anomaly, pytest.raises(FloatingPointError):
        _ = x * math.nan
    with no_grad():
        back_on = enable_grad()
        assert not ag.is_grad_enabled()
        with back_on:
            assert ag.is_grad_enabled()


def test_a_mode_as_decorator_applies_per_call():
    @no_grad()
    def double(v):
        assert not ag.is_grad_enabled()
        return v * 2.0

    assert ag.is_grad_enabled()
    assert double(Value(1.0)).parents == () and double(Value(2.0)).parents == ()
    assert ag.is_grad_enabled()


# ----- gradgradcheck's reference is independent of the create_graph rules ------------------------


def test_gradgradcheck_sees_a_wrong_second_order_rule(monkeypatch):
    right = Value.TANH.rule

    def detached(out, x):  # right as floats; as Values, a constant (its own derivative lost)
        return right(out.data if isinstance(out, Value) else out, x)

    monkeypatch.setattr(Value.TANH, "rule", detached)
    assert gradcheck(lambda x: x.tanh(), [0.4])
    with pytest.raises(GradcheckError, match="second derivative"):
        gradgradcheck(lambda x: x.tanh(), [0.4])


def test_gradcheck_rejects_a_zero_step():
    with pytest.raises(ValueError, match="eps"):
        gradcheck(lambda x: x * x, [1.0], eps=0)


# ----- truthiness follows the number --------------------------------------------------------------


def test_truthiness_follows_the_number():
    assert not Value(0.0) and Value(2.0) and Value(math.nan) and not Value(-0.0)
    ((Value(0.0) * 2.0) * 3.0).backward()
    zero = Value(0.0)
    ((zero * 2.0) * 3.0).backward()
    assert zero.grad == 6.0
    leaf = Value(0.0)
    y = (leaf + 1.0).tanh() * 0.0 + leaf
    y.backward()
    assert leaf.grad == 1.0


# ----- rough edges --------------------------------------------------------------------------------


def test_a_huge_integer_exponent_is_inf_like_the_rest():
    assert (Value(2.0) ** (10**5000)).data == math.inf
    assert (Value(2.0) ** (10**5000)).op == "**inf"


def test_clear_messages_for_value_of_value_and_sum_of_none():
    with pytest.raises(TypeError, match="got a Value; to copy one, use v.detach"):
        Value(Value(2.0))
    with pytest.raises(TypeError, match="sum: values must be a list"):
        ag.sum(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="linear: weights must be a list"):
        ag.linear(None, [])  # type: ignore[arg-type]


def test_detect_anomaly_flags_a_nan_seed():
    x = Value(1.0, label="x")
    with detect_anomaly(), pytest.raises(FloatingPointError, match="seeded with nan"):
        (x * 3.0).backward(math.nan)


def test_detect_anomaly_reports_create_graph_nan_as_backward():
    x = Value(0.0, label="x")
    y = x.sqrt() * Value(0.0)
    with detect_anomaly(), pytest.raises(FloatingPointError, match="the backward pass of 'sqrt'"):
        y.backward(create_graph=True)


def test_detect_anomaly_reports_data_changed_after_the_forward_pass():
    x = Value(3.0, label="x")
    with detect_anomaly():
        y = x * x
        x.data = 4.0
        with pytest.raises(FloatingPointError, match="changed its .data after the forward pass"):
            y.backward()


def test_deep_graphs_copy_and_pickle_at_the_default_recursion_limit():
    assert sys.getrecursionlimit() <= 10_000
    x = Value(0.5, label="x")
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.0
    for clone in (copy.deepcopy(y), pickle.loads(pickle.dumps(y))):
        assert clone.data == y.data and clone is not y
        clone.backward()
        (leaf,) = [n for n in ag.topological_order(clone) if not n.parents]
        assert leaf.grad == 1.0 and leaf.label == "x" and x.grad == 0.0


def test_copies_share_what_the_original_shares():
    w = Value(2.0, label="w")
    a, b = w * 3.0, w.tanh()
    c = a + b
    clone = copy.deepcopy([w, c])
    new_w, new_c = clone
    assert new_w in new_c.parents[0].parents
    (d,) = gradients(new_c, [new_w])
    assert d == pytest.approx(3.0 + 1 - math.tanh(2.0) ** 2)
    restored = pickle.loads(pickle.dumps((w, c)))
    assert restored[0] in restored[1].parents[0].parents
