"""Modes (no_grad, enable_grad, set_grad_enabled, detect_anomaly) as PyTorch's: they take effect when
entered, are reusable, decorate per call (generators and bare decorators included), and keep per
thread and asyncio task."""

from __future__ import annotations

import asyncio
import math
from typing import Any

import pytest

import autograd as ag
from autograd import (
    Value,
    detect_anomaly,
    enable_grad,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)


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


def test_one_no_grad_object_shared_by_asyncio_tasks():
    # a switch keeps its open entries per thread and task: two tasks sharing one no_grad object each
    # get their own mode back
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
    # a set_grad_enabled object switches when entered, whatever the mode has become since it was made
    # (as PyTorch's does)
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
    # a mode decorating a generator function holds while the generator's body runs (as PyTorch's)
    @no_grad()
    def steps(x: Value) -> Any:
        yield is_grad_enabled(), x * 2.0

    ((enabled, y),) = list(steps(Value(1.0)))
    assert not enabled and y.parents == ()


def test_modes_decorate_without_parentheses_as_torch():
    # @no_grad works without parentheses, as torch.no_grad does in PyTorch 2.13
    @no_grad
    def off() -> bool:
        return is_grad_enabled()

    @enable_grad
    def on() -> bool:
        return is_grad_enabled()

    assert off() is False
    with no_grad():
        assert on() is True
