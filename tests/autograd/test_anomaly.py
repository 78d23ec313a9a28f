"""detect_anomaly: the first nan is reported where it appears, forward or backward, and masked
edges are not; a seed of nan and a .data changed after the forward pass are reported too."""

from __future__ import annotations

import math

import pytest

from autograd import (
    Value,
    detect_anomaly,
)


def test_detect_anomaly_reports_nan_from_summed_infinities():
    # inf and -inf summed into one node's gradient are reported (PyTorch: "MulBackward0 returned nan")
    x = Value(0.0, label="x")
    with detect_anomaly():
        h = x * 2.0
        y = h.sqrt() - h.sqrt()  # d/dh: inf from one side, -inf from the other
        with pytest.raises(FloatingPointError, match="nan"):
            y.backward()
    assert x.grad == 0.0


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


def test_masked_edges_are_not_reported_by_detect_anomaly():
    x = Value(-1.0, label="x")
    with detect_anomaly():
        x.relu().sqrt().backward()
    assert x.grad == 0.0
