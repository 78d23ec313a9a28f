"""Division is a primitive: IEEE division bit for bit, exact constants, derivatives that are finite
wherever the true ones are (a derivative 1/x applied as a division, on every path)."""

from __future__ import annotations

import math
import random

import pytest
from helpers import require_torch

from autograd import (
    Value,
    gradients,
)


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


def test_create_graph_gradients_equal_the_float_path_bit_for_bit():
    # a derivative 1/x is applied as a division on the Value path too, as on the float path: d(x log x)/dx
    # at 1e-310 is -712.8 with create_graph (PyTorch's), and sqrt and division agree bit for bit
    x = Value(1e-310)
    y = x * x.log()
    (g,) = gradients(y, [x], create_graph=True)
    assert g.data == gradients(y, [x])[0] == pytest.approx(-712.8013788281542)
    for point in (0.1, 0.37, 1.3, 2.9, 7.1):
        v = Value(point)
        z = (v * v + 1e-3).sqrt() / (v + 2.0) + 1e-20 * (v * 1e-300).log()
        assert gradients(z, [v], create_graph=True)[0].data == gradients(z, [v])[0]
        v.grad = 0.0
        z.backward(create_graph=True)
        assert v.grad == gradients(z, [v])[0]
