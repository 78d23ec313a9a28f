"""linear, dot and sum: numbers among their inputs (numpy's included) are kept on the node, and a
wrong argument is a clear error."""

from __future__ import annotations

import pytest

import autograd as ag
from autograd import (
    Value,
)
from autograd.draw import draw_graph


def test_linear_bias_and_sum_numbers_stay_in_the_graph():
    # a number bias of linear and the numbers in a sum are kept on the node, so a drawing shows them
    w, x = Value(2.0, label="w"), Value(3.0, label="x")
    assert "0.5" in draw_graph(ag.linear([w], [x], 0.5)).source
    assert "0.25" in draw_graph(ag.sum([w, 0.25, x])).source


def test_linear_and_dot_accept_numpy_scalars():
    np = pytest.importorskip("numpy")
    w = Value(1.0)
    y = ag.linear([np.float64(2.0)], [w], np.float64(0.5))
    y.backward()
    assert (y.data, w.grad) == (2.5, 2.0)
    assert ag.dot([np.float32(3.0), w], [w, np.int64(2)]).data == 5.0


def test_clear_messages_for_value_of_value_and_sum_of_none():
    with pytest.raises(TypeError, match="got a Value; to copy one, use v.detach"):
        Value(Value(2.0))
    with pytest.raises(TypeError, match="sum: values must be a list"):
        ag.sum(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="linear: weights must be a list"):
        ag.linear(None, [])  # type: ignore[arg-type]
