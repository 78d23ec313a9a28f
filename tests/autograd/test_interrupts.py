"""No state left broken: an exception or a Ctrl-C anywhere in a backward pass leaves every gradient
a float and every leaf's gradient as it was; the graph still works afterwards."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import pytest

import autograd as ag
from autograd import (
    Value,
    detect_anomaly,
    gradients,
)

ENGINE = os.path.dirname(ag.__file__)


class InterruptAtLine:
    """A trace function that raises KeyboardInterrupt at the ``nth`` line run inside ``autograd/``,
    as a Ctrl-C landing there would."""

    def __init__(self, nth: int) -> None:
        self.nth = nth
        self.lines = 0

    def __call__(self, frame: Any, event: str, arg: Any) -> Any:
        return self.line if frame.f_code.co_filename.startswith(ENGINE) else None

    def line(self, frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            self.lines += 1
            if self.lines == self.nth:
                raise KeyboardInterrupt
        return self.line


def _small_graph() -> tuple[Value, Value, Value]:
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    a.grad, b.grad = 10.0, 20.0
    h = (a * b).tanh()
    return a, b, h * a + h * b + a * 3.0


def _interrupted_everywhere(run: Callable[[Value], None]) -> list[tuple[int, Value, Value, Value]]:
    """``run(y)`` on a fresh small graph, interrupted at its 1st, 2nd, ... line inside the engine,
    until it runs through: each interrupted attempt's line number, leaves and output."""
    attempts = []
    nth = 1
    while True:
        a, b, y = _small_graph()
        sys.settrace(InterruptAtLine(nth))
        try:
            run(y)
        except KeyboardInterrupt:
            attempts.append((nth, a, b, y))
        else:
            return attempts
        finally:
            sys.settrace(None)
        nth += 1


def test_an_interrupt_anywhere_in_backward_leaves_old_float_gradients():
    # a Ctrl-C at any line of backward(), while it clears its visiting markers or adds the pass's sums
    # to the leaves included, leaves every leaf's old float gradient and a float in every .grad
    reference_a, reference_b, reference = _small_graph()
    reference.backward()
    expected = [reference_a.grad, reference_b.grad]
    broken = []
    for nth, a, b, y in _interrupted_everywhere(lambda y: y.backward()):
        grads = [node.grad for node in (a, b)] if type(a.grad) is float and type(b.grad) is float else None
        if grads != [10.0, 20.0] or any(type(node.grad) is not float for node in ag.topological_order(y)):
            broken.append(nth)
            continue
        y.backward()  # the graph still works, and gives exactly what an untouched one gives
        if [a.grad, b.grad] != expected:
            broken.append(nth)
    assert broken == []


def test_an_interrupt_anywhere_in_create_graph_backward_changes_no_gradient():
    # backward(create_graph=True) writes .grad and .grad_value all at once after its pass: a Ctrl-C
    # anywhere leaves every leaf as it was
    broken = [
        nth
        for nth, a, b, y in _interrupted_everywhere(lambda y: y.backward(create_graph=True))
        if (a.grad, b.grad, a.grad_value, b.grad_value) != (10.0, 20.0, None, None)
        or any(type(node.grad) is not float for node in ag.topological_order(y))
    ]
    assert broken == []


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
