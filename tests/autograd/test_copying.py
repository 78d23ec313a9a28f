"""Copying and pickling graphs: shared nodes stay shared, the differentiable gradient comes along,
and graphs of any depth copy at the default recursion limit."""

from __future__ import annotations

import copy
import math
import pickle
import sys

import pytest

import autograd as ag
from autograd import (
    Value,
    gradients,
)


def _shared_graph() -> tuple[Value, Value, Value, Value]:
    x = Value(2.0, label="x")
    h = x * 3.0
    return x, h, h + 1.0, h.tanh() / x


def test_pickle_keeps_a_graph_whole_and_leaves_shared_between_roots():
    # each pickled interior node carries its own graph (flat, so depth needs no recursion): leaves
    # shared by several pickled roots stay shared, interior nodes within one root's graph too
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        x, h, y1, y2 = pickle.loads(pickle.dumps(list(_shared_graph()), protocol=protocol))
        assert y1.parents[0].parents[0] is x  # a leaf shared by two pickled roots stays shared
        tanh_h, divisor = y2.parents
        assert divisor is x and tanh_h.parents[0].parents[0] is x
        assert y1.data == 7.0 and y2.data == math.tanh(6.0) / 2.0


def test_deepcopy_keeps_interior_nodes_shared_between_roots():
    # copy.deepcopy([h, h + 1]) copies h once: interior nodes shared by the roots stay shared
    x, h, y1, y2 = copy.deepcopy(list(_shared_graph()))
    assert y1.parents[0] is h and y2.parents[0].parents[0] is h and h.parents[0] is x
    (dy1_dh,) = gradients(y1, [h])
    assert dy1_dh == 1.0


def test_copies_keep_the_differentiable_gradient():
    # deepcopy and pickle keep grad_value: after backward(create_graph=True) a copy's gradient can
    # still be differentiated
    x = Value(3.0, label="x")
    (x**3).backward(create_graph=True)
    for clone in (copy.deepcopy(x), pickle.loads(pickle.dumps(x))):
        assert clone.grad == 27.0
        assert clone.grad_value is not None and clone.grad_value.data == 27.0
        (second,) = gradients(clone.grad_value, [clone])
        assert second == 18.0


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
