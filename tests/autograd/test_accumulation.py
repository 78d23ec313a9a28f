"""How leaves accumulate: a pass's contributions are summed, then added, so two passes give exactly
twice one; signed zeros as PyTorch's; passes in two threads both count; grad_value keeps in step."""

from __future__ import annotations

import math
import os
import random
import sys
import threading
from typing import Any

import pytest

import autograd as ag
from autograd import Value, gradients

ENGINE = os.path.dirname(ag.__file__)


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


def test_grad_value_never_disagrees_with_grad():
    # a plain backward() after backward(create_graph=True) keeps grad_value in step with grad
    x = Value(3.0, label="x")
    y = x**3
    y.backward(create_graph=True)
    y.backward()
    assert x.grad == 54.0
    assert x.grad_value is None or x.grad_value.data == x.grad


def test_concurrent_backward_passes_sharing_a_parameter_add_both():
    # a second thread's backward() through a parameter that a first pass is visiting adds its own
    # gradient: both passes count
    w = Value(2.0, label="w")
    w.grad = 1.0
    first = (w * 3.0).tanh() * w
    second = w * 5.0
    paused, resume = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def pause_once_w_is_touched(frame: Any, event: str, arg: Any) -> Any:
        if not frame.f_code.co_filename.startswith(ENGINE):
            return None

        def line(frame: Any, event: str, arg: Any) -> Any:
            if event == "line" and not paused.is_set() and (type(w.grad) is not float or w.grad != 1.0):
                paused.set()  # the first pass is under way and has touched w: let the second one run
                resume.wait(10)
            return line

        return line

    def first_pass() -> None:
        sys.settrace(pause_once_w_is_touched)
        try:
            first.backward()
        except BaseException as error:
            errors.append(error)
        finally:
            sys.settrace(None)
            paused.set()  # never touched mid-pass: nothing to wait for

    thread = threading.Thread(target=first_pass)
    thread.start()
    paused.wait(10)
    try:
        second.backward()
    except BaseException as error:
        errors.append(error)
    finally:
        resume.set()
        thread.join()
    assert errors == []
    assert w.grad == pytest.approx(1.0 + (3.0 * 2.0 * (1 - math.tanh(6.0) ** 2) + math.tanh(6.0)) + 5.0)


def test_every_kind_of_pass_accumulates_by_one_policy():
    # backward(), backward(create_graph=True) and a traced program's backward add to a leaf alike,
    # and keep its differentiable gradient in step with the number
    w = Value(3.0, label="w")
    (w * w).backward(create_graph=True)
    (w * w).backward()
    ag.trace(lambda x: w * w * x, 1.0).backward(1.0)
    assert w.grad == 18.0 and w.grad_value.data == 18.0
    (w * w).backward(create_graph=True)
    assert w.grad == 24.0 and w.grad_value.data == 24.0
    assert gradients(w.grad_value, [w]) == (4.0,)  # d(2w)/dw from each create_graph pass
    w.grad = 1.0  # set by hand: the number is the truth, and a float pass drops the old grad_value
    (w * w).backward()
    assert w.grad == 7.0 and w.grad_value is None
