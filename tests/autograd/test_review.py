"""An adversarial review of the rewritten engine: one test per defect found, each failing today.

Each test states the behaviour that must hold (the design's promise, or PyTorch 2.13 float64 where
the design follows it) and carries a one-line comment on what goes wrong today.
"""

from __future__ import annotations

import asyncio
import copy
import math
import os
import pickle
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest

import autograd as ag
from autograd import Value, detect_anomaly, enable_grad, gradients, is_grad_enabled, no_grad, set_grad_enabled
from autograd.draw import draw_graph

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
    # today the loops that clear backward's visiting markers and add the pass's sums to the leaves run
    # outside its exception guard: a Ctrl-C there leaves marker objects in .grad or loses old gradients
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
    # today _backward_creating_graph writes .grad and .grad_value node by node after the pass: a
    # Ctrl-C in that loop leaves some leaves updated and others not
    broken = [
        nth
        for nth, a, b, y in _interrupted_everywhere(lambda y: y.backward(create_graph=True))
        if (a.grad, b.grad, a.grad_value, b.grad_value) != (10.0, 20.0, None, None)
        or any(type(node.grad) is not float for node in ag.topological_order(y))
    ]
    assert broken == []


def test_concurrent_backward_passes_sharing_a_parameter_add_both():
    # today a pass marks the nodes it visits by putting a marker object in .grad: a second thread's
    # backward meets it in a shared parameter and fails with "unsupported operand 'object' + 'float'"
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


def test_one_no_grad_object_shared_by_asyncio_tasks():
    # today a switch keeps its contextvars tokens in one list per object, so the first task to leave
    # pops the other task's token: ValueError "was created in a different Context"
    shared = no_grad()

    async def task(delay: float) -> tuple[bool, bool]:
        with shared:
            await asyncio.sleep(delay)
            inside = is_grad_enabled()
        return inside, is_grad_enabled()

    async def both() -> list[tuple[bool, bool]]:
        return list(await asyncio.gather(task(0.01), task(0.02)))

    assert asyncio.run(both()) == [(False, True), (False, True)]
    assert is_grad_enabled()


def test_set_grad_enabled_object_switches_when_entered():
    # today the first `with` on a set_grad_enabled object assumes its creation switched the mode
    # and does not switch: after a later set_grad_enabled(True) the block records (PyTorch: it does not)
    switch = set_grad_enabled(False)
    set_grad_enabled(True)
    try:
        with switch:
            assert not is_grad_enabled()
            assert (Value(1.0) * 2.0).parents == ()
    finally:
        set_grad_enabled(True)
    assert is_grad_enabled()


def test_a_mode_decorator_holds_inside_a_generator():
    # today the decorator's mode holds only while the generator object is made, not while it runs
    # (PyTorch's holds in the generator's body)
    @no_grad()
    def steps(x: Value) -> Any:
        yield is_grad_enabled(), x * 2.0

    ((enabled, y),) = list(steps(Value(1.0)))
    assert not enabled and y.parents == ()


def test_modes_decorate_without_parentheses_as_torch():
    # today @no_grad (PyTorch 2.13 accepts torch.no_grad bare) is a bare TypeError from
    # ModeSwitch.__init__ about positional arguments
    @no_grad
    def off() -> bool:
        return is_grad_enabled()

    @enable_grad
    def on() -> bool:
        return is_grad_enabled()

    assert off() is False
    with no_grad():
        assert on() is True


def test_argnums_accepts_numpy_integers():
    # today argnums must be exactly int: np.int64(1) (accepted by JAX through operator.index) is a TypeError
    np = pytest.importorskip("numpy")
    assert ag.grad(lambda x, y: x * y, argnums=np.int64(1))(2.0, 3.0) == 2.0
    assert ag.grad(lambda x, y: x * y, argnums=(np.int64(0), 1))(2.0, 3.0) == (3.0, 2.0)


def test_create_graph_gradients_equal_the_float_path_bit_for_bit():
    # today reciprocal() of a Value forms 1/x first (the float path divides the incoming gradient):
    # d(x log x)/dx at 1e-310 is inf with create_graph (PyTorch -712.8) and sqrt/division differ by ulps
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


def test_detect_anomaly_reports_nan_from_summed_infinities():
    # today check_edge skips a node whose incoming gradient is already nan, assuming it was reported:
    # inf + -inf summed at a node is never reported (PyTorch: "MulBackward0 returned nan")
    x = Value(0.0, label="x")
    with detect_anomaly():
        h = x * 2.0
        y = h.sqrt() - h.sqrt()  # d/dh: inf from one side, -inf from the other
        with pytest.raises(FloatingPointError, match="nan"):
            y.backward()
    assert x.grad == 0.0


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
    # today __deepcopy__ rebuilds each node's whole graph and registers only the root in the memo:
    # copy.deepcopy([h, h + 1]) gives two different h
    x, h, y1, y2 = copy.deepcopy(list(_shared_graph()))
    assert y1.parents[0] is h and y2.parents[0].parents[0] is h and h.parents[0] is x
    (dy1_dh,) = gradients(y1, [h])
    assert dy1_dh == 1.0


def test_copies_keep_the_differentiable_gradient():
    # today deepcopy and pickle rebuild a node from data, grad and label only: after
    # backward(create_graph=True) the copy's grad is 27.0 but its grad_value is None
    x = Value(3.0, label="x")
    (x**3).backward(create_graph=True)
    for clone in (copy.deepcopy(x), pickle.loads(pickle.dumps(x))):
        assert clone.grad == 27.0
        assert clone.grad_value is not None and clone.grad_value.data == 27.0
        (second,) = gradients(clone.grad_value, [clone])
        assert second == 18.0


def test_linear_bias_and_sum_numbers_stay_in_the_graph():
    # today linear() folds a number bias into the node's data without storing it, and the drawing
    # skips a sum node's constant: the picture of 2 * 3 reads 6.5 with no 0.5 anywhere
    w, x = Value(2.0, label="w"), Value(3.0, label="x")
    assert "0.5" in draw_graph(ag.linear([w], [x], 0.5)).source
    assert "0.25" in draw_graph(ag.sum([w, 0.25, x])).source


def test_gradients_and_gradcheck_take_one_input_as_torch_or_say_so():
    # today gradients(y, x) and gradcheck(f, 1.0) fail inside with "'Value' object is not iterable"
    # and "'float' object is not iterable" (PyTorch accepts a single tensor for inputs)
    x = Value(3.0)
    y = x * x
    for call, name in (
        (lambda: gradients(y, x), "gradients"),
        (lambda: ag.gradcheck(lambda v: v * v, 3.0), "gradcheck"),
    ):
        try:
            result = call()
        except TypeError as error:
            assert name in str(error) and "iterable" not in str(error)
        else:
            assert result in ((6.0,), True)


def test_topological_order_rejects_a_non_value_clearly():
    # today topological_order(1.5) is AttributeError "'float' object has no attribute '_parents'"
    with pytest.raises(TypeError, match="topological_order"):
        ag.topological_order(1.5)  # type: ignore[type-var]


def test_grad_value_never_disagrees_with_grad():
    # today a plain backward() after backward(create_graph=True) adds to .grad but leaves .grad_value
    # at the old differentiable gradient: x.grad is 54.0 while x.grad_value reads 27.0
    x = Value(3.0, label="x")
    y = x**3
    y.backward(create_graph=True)
    y.backward()
    assert x.grad == 54.0
    assert x.grad_value is None or x.grad_value.data == x.grad
