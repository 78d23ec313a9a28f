"""Flat derivatives (relu below 0, x ** 0, the losing side of maximum and minimum) pass 0 even when
the incoming gradient is inf or nan, as PyTorch's masks do, on the float and the create_graph path."""

from __future__ import annotations

import math
import pickle

import pytest
from helpers import require_torch

import autograd as ag
from autograd import (
    Value,
    gradients,
)
from autograd.primitive import FLAT


def _t(torch, c):
    return torch.tensor(c, dtype=torch.float64)


FLAT_CASES = {  # an inf or nan gradient arrives at a flat derivative: PyTorch gives 0 there
    "relu, then sqrt at 0": (-1.0, lambda x: x.relu().sqrt(), lambda t, torch: torch.relu(t).sqrt()),
    "relu, then log at 0": (-1.0, lambda x: x.relu().log(), lambda t, torch: torch.relu(t).log()),
    "relu, times nan": (-2.0, lambda x: x.relu() * math.nan, lambda t, torch: torch.relu(t) * math.nan),
    "x ** 0": (0.0, lambda x: (x**0 - 1.0).sqrt(), lambda t, torch: (t**0 - 1.0).sqrt()),
    "x ** y at y = 0": (
        3.0,
        lambda x: (x ** Value(0.0) - 1.0).sqrt(),
        lambda t, torch: (t ** _t(torch, 0.0) - 1.0).sqrt(),
    ),
    "maximum's losing side": (
        -1.0,
        lambda x: ag.maximum(x, 0.0).sqrt(),
        lambda t, torch: torch.maximum(t, _t(torch, 0.0)).sqrt(),
    ),
    "minimum's losing side": (
        1.0,
        lambda x: (0.0 - ag.minimum(x, 0.0)).sqrt(),
        lambda t, torch: (0.0 - torch.minimum(t, _t(torch, 0.0))).sqrt(),
    ),
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
