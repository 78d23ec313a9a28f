"""Property tests: random expression graphs over every op of the table, with reused nodes.

Each example is a small program: a few leaves, then steps that apply an op to earlier nodes (any
earlier node, so nodes are shared and an op may get the same node twice). Its values and gradients
are checked against PyTorch float64 at any inputs (nan and inf in exactly the same places), and
against central differences where every step is smooth.
"""

from __future__ import annotations

import math
from typing import Any

from helpers import (
    OPS,
    SPECIAL_INPUTS,
    Op,
    central_differences,
    require_torch,
    same_float,
)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from autograd import Value, topological_order

Program = tuple[list[float], list[tuple[Op, tuple[int, ...]]]]

VALUE_RTOL = 1e-9  # one op at the same inputs: a few ulps apart at most
GRADIENT_RTOL = 1e-8  # of the gradient's scale (see _gradient_scales)
LOCAL_NOISE = 1e-6  # with GRADIENT_RTOL: 1e-14 of absolute noise per local derivative


def _leaf(finite_range: float | None) -> st.SearchStrategy[float]:
    if finite_range is not None:
        return st.floats(-finite_range, finite_range)
    return st.one_of(
        st.sampled_from(SPECIAL_INPUTS),
        st.floats(-4.0, 4.0),
        st.floats(allow_nan=True, allow_infinity=True),
    )


@st.composite
def programs(draw: st.DrawFn, finite_range: float | None = None, max_steps: int = 8) -> Program:
    leaves = draw(st.lists(_leaf(finite_range), min_size=1, max_size=3))
    steps: list[tuple[Op, tuple[int, ...]]] = []
    for _ in range(draw(st.integers(1, max_steps))):
        op = draw(st.sampled_from(OPS))
        n = len(leaves) + len(steps)
        # any earlier node (so nodes are shared), with a lean towards the newest (so graphs get deep)
        index = st.one_of(st.just(n - 1), st.integers(0, n - 1))
        steps.append((op, tuple(draw(index) for _ in range(op.arity))))
    return leaves, steps


def run_engine(program: Program, leaves: list[Value] | None = None, backward: bool = True) -> list[Value]:
    """Every node of the program (leaves first); with ``backward`` the last one is differentiated."""
    values, steps = program
    nodes = [Value(x) for x in values] if leaves is None else list(leaves)
    for op, arguments in steps:
        nodes.append(op.engine(*(nodes[i] for i in arguments)))
    if backward:
        nodes[-1].backward()
    return nodes


def describe(program: Program, nodes: list[Value]) -> str:
    values, steps = program
    lines = [f"v{i} = {x!r}" for i, x in enumerate(values)]
    for k, (op, arguments) in enumerate(steps):
        index = len(values) + k
        inputs = ", ".join(f"v{i}" for i in arguments)
        lines.append(f"v{index} = {op.name}({inputs})  -> {nodes[index].data!r}, grad {nodes[index].grad!r}")
    return "\n".join(lines)


def _gradient_scales(root: Value) -> dict[Value, float]:
    """Each node's gradient scale: the sum over paths of products of |local derivative|, how
    large the terms are whose sum is the gradient (bounding its rounding error)."""
    scales: dict[Value, float] = {root: 1.0}
    for node in reversed(topological_order(root)):
        scale = scales.get(node, 0.0)
        for parent, local in zip(node.parents, node.local_grads):
            scales[parent] = scales.get(parent, 0.0) + (abs(local) + LOCAL_NOISE) * scale
    return scales


def run_torch(program: Program, nodes: list[Value]) -> tuple[list[float], list[float]]:
    """The program in PyTorch float64: each node's value and gradient.

    Each step gets the engine's inputs: after checking a node's value, PyTorch carries on with the
    engine's value exactly (but its own gradient), so rounding differences cannot grow from step to
    step and every op is compared at the same inputs.
    """
    torch = require_torch()
    values, steps = program
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in values]
    torch_values = list(values)
    for op, arguments in steps:
        function = op.torch_version()
        t = function(*(tensors[i] for i in arguments))
        value = nodes[len(tensors)].data
        torch_values.append(t.item())
        if math.isfinite(value) and math.isfinite(t.item()):
            t = value - (t.detach() - t)  # the value is the engine's, bit for bit; the gradient is PyTorch's
        t.retain_grad()
        tensors.append(t)
    tensors[-1].backward()
    return torch_values, [0.0 if t.grad is None else t.grad.item() for t in tensors]


def _far_from_float_limits(nodes: list[Value]) -> bool:
    """No value whose square leaves float64's range (0 and inf themselves are fine).

    There the order of a formula decides whether it overflows, and neither order is right: PyTorch's
    d(a/b)/db is -grad * a / (b * b), inf or nan where b * b over- or underflows, where the engine's
    -(a/b)/b stays finite (tested on its own in test_division.py); d(x ** -1)/dx = -x**-2 overflows in
    both, and what the next multiplication makes of it (inf or nan) depends on rounding order.
    """
    return all(not math.isfinite(v) or v == 0.0 or 1e-150 < abs(v) < 1e150 for v in (n.data for n in nodes))


def assert_program_matches_torch(program: Program) -> None:
    nodes = run_engine(program)
    assume(_far_from_float_limits(nodes))
    torch_values, torch_grads = run_torch(program, nodes)
    scales = _gradient_scales(nodes[-1])
    for i, (node, torch_value, torch_grad) in enumerate(zip(nodes, torch_values, torch_grads)):
        assert same_float(node.data, torch_value, VALUE_RTOL, atol=1e-300), (
            f"v{i}: value {node.data!r}, PyTorch {torch_value!r}\n{describe(program, nodes)}"
        )
        scale = scales.get(node, 0.0)
        # a scale that overflows (products of huge local derivatives) bounds nothing: then a few ulps
        tolerance = GRADIENT_RTOL * scale + 1e-300 if math.isfinite(scale) else 1e-14 * abs(torch_grad)
        assert same_float(node.grad, torch_grad, rtol=0.0, atol=tolerance), (
            f"v{i}: gradient {node.grad!r}, PyTorch {torch_grad!r}\n{describe(program, nodes)}"
        )


@settings(max_examples=200, deadline=None)
@given(programs())
def test_random_graphs_match_torch_everywhere(program: Program) -> None:
    assert_program_matches_torch(program)


@settings(max_examples=100, deadline=None)
@given(programs(max_steps=3), st.sampled_from([op for op in OPS if op.arity <= 2]))
def test_random_graphs_match_torch_around_one_op(program: Program, op: Op) -> None:
    """Each op once more, fed by a small random graph (so every op is drawn, whatever the luck)."""
    values, steps = program
    n = len(values) + len(steps)
    steps = [*steps, (op, tuple(n - 1 - i % n for i in range(op.arity)))]
    assert_program_matches_torch((values, steps))


# ----- central differences, where every step is smooth ----------------------------------------


def _smooth_everywhere(program: Program, nodes: list[Value]) -> bool:
    values, steps = program
    if not all(math.isfinite(node.data) and abs(node.data) < 1e3 for node in nodes):
        return False
    return all(op.smooth(*(nodes[i].data for i in arguments)) for op, arguments in steps)


def _output(program: Program) -> Any:
    return lambda *leaves: run_engine(program, list(leaves), backward=False)[-1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(programs(finite_range=3.0, max_steps=6))
def test_random_graphs_match_central_differences(program: Program) -> None:
    nodes = run_engine(program)
    assume(_smooth_everywhere(program, nodes))
    values, _ = program
    numeric = central_differences(_output(program), values)
    for i, (leaf, expected) in enumerate(zip(nodes, numeric)):
        assert math.isclose(leaf.grad, expected, rel_tol=1e-4, abs_tol=1e-5), (
            f"v{i}: gradient {leaf.grad!r}, central differences {expected!r}\n{describe(program, nodes)}"
        )


KINKS = [op for op in OPS if op.name in ("relu", "abs", "maximum", "minimum", "a ** 0", "a ** b")]
BLOW_UPS = [  # one-input ops that send an inf or nan gradient back at some inputs
    Op("sqrt", lambda a: a.sqrt(), math.sqrt, ((1.0,),)),
    Op("log", lambda a: a.log(), math.log, ((1.0,),)),
    Op("a * inf", lambda a: a * math.inf, lambda a: a * math.inf, ((1.0,),)),
    Op("a * nan", lambda a: a * math.nan, lambda a: a * math.nan, ((1.0,),)),
]


@settings(max_examples=200, deadline=None)
@given(programs(max_steps=3), st.sampled_from(KINKS), st.sampled_from(BLOW_UPS))
def test_kinks_meet_inf_and_nan_gradients_like_torch(program: Program, kink: Op, blow_up: Op) -> None:
    """A kink (relu, max, x ** 0, ...) whose incoming gradient is inf or nan: PyTorch's masks give 0
    on the flat side, and so must the engine."""
    values, steps = program
    n = len(values) + len(steps)
    steps = [*steps, (kink, tuple(n - 1 - i % n for i in range(kink.arity))), (blow_up, (n,))]
    assert_program_matches_torch((values, steps))
