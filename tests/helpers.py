"""Test helpers: the table of ops under test, central finite differences, PyTorch float64 parity.

Each op test is one line: ``assert_matches_finite_differences(op.engine, point)`` or
``assert_matches_torch(op.engine, op.torch, point)``. Adding an op to the engine adds one line to
``OPS``; every test that loops over the table (values, gradients, PyTorch parity, special inputs,
random graphs) then covers it.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

import autograd as ag
from autograd import Value

SPECIAL_INPUTS = (0.0, -0.0, 1.0, -1.0, 1000.0, -1000.0, math.inf, -math.inf, math.nan)
"""Inputs where IEEE 754 and PyTorch give inf, nan or a kink, and where Python's math raises."""


# ----- PyTorch, imported lazily ---------------------------------------------------------------


def require_torch() -> Any:
    """The ``torch`` module; skips the test without it, or fails if CHAINRULE_REQUIRE_TORCH=1."""
    try:
        import torch
    except ImportError:
        if os.environ.get("CHAINRULE_REQUIRE_TORCH") == "1":
            pytest.fail("CHAINRULE_REQUIRE_TORCH=1 but torch is not installed")
        pytest.skip(
            f"torch is not installed in this Python {sys.version_info[0]}.{sys.version_info[1]} (the parity "
            "tests need torch==2.13.0: scripts/test --with-torch installs it; CI runs them on the main "
            "Python, the one its CPU wheel is for)"
        )
    return torch


def _softplus(x: Any) -> Any:
    return require_torch().nn.functional.softplus(x)


def _maximum(a: Any, b: Any) -> Any:
    return require_torch().maximum(a, b)


def _minimum(a: Any, b: Any) -> Any:
    return require_torch().minimum(a, b)


# ----- the table of ops -----------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    """One operation under test: the engine's version, references, and where it is smooth."""

    name: str
    engine: Callable[..., Any]
    """The operation on Values (mixed with numbers where the op is about numbers)."""
    reference: Callable[..., float]
    """The same maths on Python floats (``math``), at points where ``math`` does not raise."""
    points: tuple[tuple[float, ...], ...]
    """Points where the op is smooth: near kinks and domain edges, never on them."""
    torch: Callable[..., Any] | None = None
    """PyTorch's version on float64 tensors; ``None`` means ``engine`` works on tensors as it is."""
    function: Callable[..., Any] | None = None
    """The module-level function (``autograd.exp``) that takes a number or a Value, if any."""
    smooth: Callable[..., bool] = lambda *inputs: True
    """Whether the op is smooth at these inputs with room to spare (no kink, pole or domain edge)."""
    arity: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "arity", len(self.points[0]))

    def torch_version(self) -> Callable[..., Any]:
        return self.engine if self.torch is None else self.torch


def P(*points: float | tuple[float, ...]) -> tuple[tuple[float, ...], ...]:
    """Points as tuples: ``P(1.0, 2.0)`` is two 1-d points, ``P((1.0, 2.0))`` one 2-d point."""
    return tuple(p if isinstance(p, tuple) else (p,) for p in points)


SMOOTH_MARGIN = 0.05
"""How far from a kink or a singularity a point must be for finite differences to hold there."""


def _positive(x: float, *rest: float) -> bool:
    return x > SMOOTH_MARGIN


def _nonzero(x: float) -> bool:
    return abs(x) > SMOOTH_MARGIN


def _no_tie(a: float, b: float) -> bool:
    return abs(a - b) > SMOOTH_MARGIN


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _linear(w1: Any, w2: Any, x1: Any, x2: Any, b: Any) -> Any:
    return ag.linear([w1, w2], [x1, x2], b)


def _linear_reference(w1: Any, w2: Any, x1: Any, x2: Any, b: Any) -> Any:
    return w1 * x1 + w2 * x2 + b


def _dot_reference(a1: Any, a2: Any, a3: Any, b1: Any, b2: Any, b3: Any) -> Any:
    return a1 * b1 + a2 * b2 + a3 * b3


def _sum_reference(*terms: Any) -> Any:
    return terms[0] + terms[1] + terms[2] + terms[3]


OPS: tuple[Op, ...] = (
    Op("a + b", lambda a, b: a + b, lambda a, b: a + b, P((1.5, -2.0), (0.0, 0.0), (-3.0, 1e3))),
    Op("a + 2.5", lambda a: a + 2.5, lambda a: a + 2.5, P(-1.0, 0.0, 7.0)),
    Op("2.5 + a", lambda a: 2.5 + a, lambda a: 2.5 + a, P(-1.0, 0.0, 7.0)),
    Op("a - b", lambda a, b: a - b, lambda a, b: a - b, P((1.5, -2.0), (0.0, 0.0), (-3.0, 1e3))),
    Op("a - 2.5", lambda a: a - 2.5, lambda a: a - 2.5, P(-1.0, 0.0, 7.0)),
    Op("2.5 - a", lambda a: 2.5 - a, lambda a: 2.5 - a, P(-1.0, 0.0, 7.0)),
    Op("-a", lambda a: -a, lambda a: -a, P(-1.0, 0.0, 7.0)),
    Op("a * b", lambda a, b: a * b, lambda a, b: a * b, P((1.5, -2.0), (0.0, 3.0), (-1e-3, 1e3))),
    Op("a * -3", lambda a: a * -3, lambda a: a * -3, P(-1.0, 0.0, 7.0)),
    Op("-3 * a", lambda a: -3 * a, lambda a: -3 * a, P(-1.0, 0.0, 7.0)),
    Op(
        "a / b",
        lambda a, b: a / b,
        lambda a, b: a / b,
        P((1.0, 2.0), (-3.0, 0.5), (1.0, 1e-3), (2.0, -1e3)),
        smooth=lambda a, b: _nonzero(b),
    ),
    Op("a / 3", lambda a: a / 3, lambda a: a / 3, P(-1.0, 0.0, 7.0)),
    Op("3 / a", lambda a: 3 / a, lambda a: 3 / a, P(-2.0, 1e-2, 5.0), smooth=_nonzero),
    Op("a ** 2", lambda a: a**2, lambda a: a**2, P(-1.5, 0.0, 1e-3, 3.0)),
    Op("a ** 3", lambda a: a**3, lambda a: a**3, P(-1.5, 0.0, 1e-3, 3.0)),
    Op("a ** 0", lambda a: a**0, lambda a: a**0, P(-2.0, 0.0, 5.0)),
    Op("a ** -1", lambda a: a**-1, lambda a: a**-1, P(-2.0, 1e-2, 3.0), smooth=_nonzero),
    # PyTorch computes x ** 0.5 as sqrt(x) and x ** -0.5 as 1 / sqrt(x), and so does the engine
    Op("a ** 0.5", lambda a: a**0.5, lambda a: a**0.5, P(1e-4, 1.0, 9.0), smooth=_positive),
    Op("a ** -0.5", lambda a: a**-0.5, lambda a: a**-0.5, P(1e-4, 1.0, 9.0), smooth=_positive),
    Op("a ** (1/3)", lambda a: a ** (1 / 3), lambda a: a ** (1 / 3), P(1e-3, 1.0, 8.0), smooth=_positive),
    Op("a ** -2.5", lambda a: a**-2.5, lambda a: a**-2.5, P(0.1, 2.0), smooth=_positive),
    Op(
        "a ** b",
        lambda a, b: a**b,
        lambda a, b: a**b,
        P((2.0, 3.0), (0.5, -1.0), (3.0, 0.0), (1e-2, 2.0)),
        smooth=_positive,
    ),
    Op("2 ** a", lambda a: 2**a, lambda a: 2**a, P(-1.0, 0.0, 3.0)),
    Op("0.5 ** a", lambda a: 0.5**a, lambda a: 0.5**a, P(-1.0, 0.0, 3.0)),
    Op("exp", lambda a: a.exp(), math.exp, P(-3.0, 0.0, 2.5, 20.0), function=ag.exp),
    Op("log", lambda a: a.log(), math.log, P(1e-3, 1.0, 50.0), function=ag.log, smooth=_positive),
    Op("sqrt", lambda a: a.sqrt(), math.sqrt, P(1e-4, 1.0, 100.0), function=ag.sqrt, smooth=_positive),
    Op("tanh", lambda a: a.tanh(), math.tanh, P(-3.0, 0.0, 0.5, 10.0), function=ag.tanh),
    Op("sigmoid", lambda a: a.sigmoid(), _sigmoid, P(-5.0, 0.0, 2.0, 30.0), function=ag.sigmoid),
    Op(
        "softplus",
        lambda a: a.softplus(),
        lambda a: math.log1p(math.exp(a)),
        P(-20.0, -1e-3, 0.0, 1e-3, 5.0),
        torch=_softplus,
        function=ag.softplus,
    ),
    Op(
        "relu",
        lambda a: a.relu(),
        lambda a: max(a, 0.0),
        P(-1.0, -1e-3, 1e-3, 2.0),
        function=ag.relu,
        smooth=_nonzero,
    ),
    Op("abs", lambda a: abs(a), abs, P(-1.0, -1e-3, 1e-3, 2.0), function=ag.absolute, smooth=_nonzero),
    Op("sin", lambda a: a.sin(), math.sin, P(-2.0, 0.0, 1.0, 10.0), function=ag.sin),
    Op("cos", lambda a: a.cos(), math.cos, P(-2.0, 0.0, 1.0, 10.0), function=ag.cos),
    Op(
        "maximum",
        ag.maximum,
        max,
        P((1.0, 2.0), (2.0, 1.0), (-1.0, -1.0 + 1e-3)),
        torch=_maximum,
        smooth=_no_tie,
    ),
    Op(
        "minimum",
        ag.minimum,
        min,
        P((1.0, 2.0), (2.0, 1.0), (-1.0, -1.0 + 1e-3)),
        torch=_minimum,
        smooth=_no_tie,
    ),
    Op(
        "clamp",
        lambda a: a.clamp(min=-1.0, max=2.0),
        lambda a: min(max(a, -1.0), 2.0),
        P(-3.0, 0.5, 4.0),
        smooth=lambda a: abs(a + 1.0) > SMOOTH_MARGIN and abs(a - 2.0) > SMOOTH_MARGIN,
    ),
    Op(
        "clamp(min=0.5)",
        lambda a: a.clamp(min=0.5),
        lambda a: max(a, 0.5),
        P(-1.0, 2.0),
        smooth=lambda a: abs(a - 0.5) > SMOOTH_MARGIN,
    ),
    Op(
        "linear",
        _linear,
        _linear_reference,
        P((0.5, -2.0, 3.0, 1.5, 0.25), (0.0, 1.0, -1.0, 0.0, -2.0)),
        torch=_linear_reference,
    ),
    Op(
        "dot",
        lambda *v: ag.dot(v[:3], v[3:]),
        _dot_reference,
        P((1.0, -2.0, 0.5, 3.0, 4.0, -1.0)),
        torch=_dot_reference,
    ),
    Op("sum", lambda *v: ag.sum(v), _sum_reference, P((1.0, -2.0, 0.5, 3.0)), torch=_sum_reference),
)
OPS_BY_NAME = {op.name: op for op in OPS}
UNARY_OPS = tuple(op for op in OPS if op.arity == 1)


def op_id(op: Op) -> str:
    return op.name


# ----- comparing floats: nan and inf exactly, finite values within a tolerance ---------------


def same_float(actual: float, expected: float, rtol: float = 1e-12, atol: float = 0.0) -> bool:
    """Whether ``actual`` matches ``expected``: nan for nan, the same infinity, or close.

    Signed zeros compare equal: the sign of a zero is not part of the contract.
    """
    if math.isnan(expected) or math.isnan(actual):
        return math.isnan(expected) and math.isnan(actual)
    if math.isinf(expected) or math.isinf(actual):
        return actual == expected
    return abs(actual - expected) <= atol + rtol * max(abs(actual), abs(expected))


def assert_same_floats(
    actual: Sequence[float], expected: Sequence[float], what: str, rtol: float = 1e-12, atol: float = 0.0
) -> None:
    """Each ``actual[i]`` matches ``expected[i]`` (see ``same_float``), or an error lists both."""
    assert len(actual) == len(expected), f"{what}: {len(actual)} values, expected {len(expected)}"
    bad = [i for i, (a, e) in enumerate(zip(actual, expected)) if not same_float(a, e, rtol, atol)]
    assert not bad, f"{what}: got {list(actual)}, expected {list(expected)} (differ at {bad})"


# ----- running an op: the engine, finite differences, PyTorch --------------------------------


def engine_value_and_grads(f: Callable[..., Any], point: Sequence[float]) -> tuple[float, list[float]]:
    """``f`` at ``point`` through the engine: its value, and d f / d input for each input."""
    inputs = [Value(x) for x in point]
    out = f(*inputs)
    assert isinstance(out, Value), f"expected a Value, got {type(out).__name__}"
    assert type(out.data) is float
    out.backward()
    return out.data, [x.grad for x in inputs]


def central_differences(f: Callable[..., Any], point: Sequence[float]) -> list[float]:
    """d f / d input for each input of ``f`` (on Values): the engine's public central differences."""
    (row,) = ag.numeric_jacobian(f, point)
    return row


def assert_matches_finite_differences(
    f: Callable[..., Any], point: Sequence[float], rtol: float = 1e-4, atol: float = 1e-5
) -> None:
    """The engine's gradient of ``f`` at ``point`` agrees with central differences."""
    _, grads = engine_value_and_grads(f, point)
    numeric = central_differences(f, point)
    assert_same_floats(grads, numeric, f"gradient at {tuple(point)} vs central differences", rtol, atol)


def torch_value_and_grads(f: Callable[..., Any], point: Sequence[float]) -> tuple[float, list[float]]:
    """``f`` at ``point`` through PyTorch float64: its value and gradients (0 for unused inputs)."""
    torch = require_torch()
    inputs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]
    out = f(*inputs)
    grads = torch.autograd.grad(out, inputs, allow_unused=True)
    return out.item(), [0.0 if g is None else g.item() for g in grads]


def assert_matches_torch(
    f: Callable[..., Any],
    f_torch: Callable[..., Any],
    point: Sequence[float],
    rtol: float = 1e-7,
    atol: float = 0.0,
) -> None:
    """Value and gradients of ``f`` at ``point`` agree with PyTorch float64's (nan, inf exactly).

    The tolerance allows for formulas that cancel, such as tanh' = 1 - tanh**2 near saturation,
    where one ulp of difference in tanh becomes a relative 1e-8 in the gradient.
    """
    value, grads = engine_value_and_grads(f, point)
    torch_value, torch_grads = torch_value_and_grads(f_torch, point)
    assert_same_floats([value], [torch_value], f"value at {tuple(point)} vs PyTorch", rtol, atol)
    assert_same_floats(grads, torch_grads, f"gradient at {tuple(point)} vs PyTorch", rtol, atol)
