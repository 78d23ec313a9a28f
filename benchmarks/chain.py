"""``chain`` and ``wide``: the two shapes of a scalar graph, deep and broad.

``chain``: ``y = tanh(y * 1.0001 + 0.5)`` repeated n times from a leaf ``y = 0.3`` (relu instead of
tanh for micrograd, which lacks tanh); three operations per step; forward and backward timed
separately and reported per operation (n steps = 3n operations in every engine).

``wide``: ``sum(a_i * b_i)`` over n = 10^5 pairs of leaves, as a user writes it in each engine: a
product node per pair and the sum (micrograd and PyTorch: Python's ``sum``, a chain of additions;
chainrule: ``autograd.sum``, one n-ary node), reported per pair. ``chainrule dot`` is the same
quantity as the single node ``autograd.dot(a, b)``.

The time to free a graph is reported too: chainrule's and PyTorch's graphs are freed by reference
counting when the last reference goes; micrograd's reference cycles wait for the cyclic collector,
which these benchmarks run *outside* the timed region (so micrograd's free time reads ~0 and its real
cost is not charged to it).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

from benchmarks.harness import check_close, clock, recursion_limit

SCALE, SHIFT, START = 1.0001, 0.5, 0.3
OPS_PER_STEP = 3


# ----- chain: each builder returns (forward, backward) where forward() returns the graph state ---


def chain_floats(n: int) -> tuple[Callable[[], Any], Callable[[Any], float]]:
    def forward() -> list[float]:
        tanh = math.tanh
        ys = []
        y = START
        for _ in range(n):
            y = tanh(y * SCALE + SHIFT)
            ys.append(y)
        return ys

    def backward(ys: list[float]) -> float:
        g = 1.0
        for y in reversed(ys):
            g *= (1.0 - y * y) * SCALE  # d tanh(u)/du = 1 - tanh(u)**2, du/dy = SCALE
        return g

    return forward, backward


def chain_chainrule(n: int) -> tuple[Callable[[], Any], Callable[[Any], float]]:
    from autograd import Value

    def forward() -> tuple[Any, Any]:
        x = Value(START)
        y = x
        for _ in range(n):
            y = (y * SCALE + SHIFT).tanh()
        return x, y

    def backward(graph: tuple[Any, Any]) -> float:
        x, y = graph
        y.backward()
        return float(x.grad)

    return forward, backward


def chain_torch(n: int) -> tuple[Callable[[], Any], Callable[[Any], float]]:
    import torch

    def forward() -> tuple[Any, Any]:
        x = torch.tensor(START, dtype=torch.float64, requires_grad=True)
        y = x
        tanh = torch.tanh
        for _ in range(n):
            y = tanh(y * SCALE + SHIFT)
        return x, y

    def backward(graph: tuple[Any, Any]) -> float:
        x, y = graph
        y.backward()
        return float(x.grad.item())

    return forward, backward


def chain_micrograd(n: int) -> tuple[Callable[[], Any], Callable[[Any], float]]:
    from micrograd.engine import Value

    def forward() -> tuple[Any, Any]:
        x = Value(START)
        y = x
        for _ in range(n):
            y = (y * SCALE + SHIFT).relu()
        return x, y

    def backward(graph: tuple[Any, Any]) -> float:
        x, y = graph
        with recursion_limit(4 * OPS_PER_STEP * n + 10_000):
            y.backward()
        return float(x.grad)

    return forward, backward


CHAIN = {
    "chainrule": chain_chainrule,
    "micrograd": chain_micrograd,
    "floats": chain_floats,
    "torch scalars": chain_torch,
}


# ----- wide ------------------------------------------------------------------------------------


def wide_inputs(n: int) -> tuple[list[float], list[float]]:
    rng = random.Random(7)
    return [rng.uniform(-1, 1) for _ in range(n)], [rng.uniform(-1, 1) for _ in range(n)]


def wide_floats(n: int) -> tuple[Callable[[], Any], Callable[[Any], float]]:
    a, b = wide_inputs(n)

    def forward() -> float:
        s = 0.0
        for x, y in zip(a, b):
            s += x * y
        return s

    def backward(_: float) -> float:
        grad_a = [0.0] * n
        grad_b = [0.0] * n
        for i in range(n):
            grad_a[i] += b[i]
            grad_b[i] += a[i]
        return grad_a[0]

    return forward, backward


def _wide_values(n: int, make: Callable[[float], Any]) -> tuple[list[Any], list[Any]]:
    a, b = wide_inputs(n)
    return [make(x) for x in a], [make(y) for y in b]


def wide_chainrule(n: int) -> tuple[Callable[[], Any], Callable[[Any], float]]:
    import autograd

    a, b = _wide_values(n, autograd.Value)

    def forward() -> Any:
        for v in a:
            v.grad = 0.0
        return autograd.sum([x * y for x, y in zip(a, b)])

    def backward(s: Any) -> float:
        s.backward()
        return float(a[0].grad)

    return forward, backward


def wide_chainrule_dot(n: int) -> tuple[Callable[[], Any], Callable[[Any], float]]:
    import autograd

    a, b = _wide_values(n, autograd.Value)

    def forward() -> Any:
        for v in a:
            v.grad = 0.0
        return autograd.dot(a, b)

    def backward(s: Any) -> float:
        s.backward()
        return float(a[0].grad)

    return forward, backward


def wide_micrograd(n: int) -> tuple[Callable[[], Any], Callable[[Any], float]]:
    from micrograd.engine import Value

    a, b = _wide_values(n, Value)

    def forward() -> Any:
        for v in a:
            v.grad = 0.0
        return sum(x * y for x, y in zip(a, b))

    def backward(s: Any) -> float:
        with recursion_limit(4 * n + 10_000):
            s.backward()
        return float(a[0].grad)

    return forward, backward


def wide_torch(n: int) -> tuple[Callable[[], Any], Callable[[Any], float]]:
    import torch

    a, b = _wide_values(n, lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True))

    def forward() -> Any:
        for v in a:
            v.grad = None
        return sum(x * y for x, y in zip(a, b))

    def backward(s: Any) -> float:
        s.backward()
        return float(a[0].grad.item())

    return forward, backward


WIDE = {
    "chainrule": wide_chainrule,
    "chainrule dot": wide_chainrule_dot,
    "micrograd": wide_micrograd,
    "floats": wide_floats,
    "torch scalars": wide_torch,
}


# ----- trials and checks --------------------------------------------------------------------


Builder = Callable[[int], tuple[Callable[[], Any], Callable[[Any], float]]]


def trial(builder: Builder, n: int) -> Callable[[], dict[str, float]]:
    """A trial: forward, backward and free, each timed; the graph lives only inside the trial."""
    forward, backward = builder(n)

    def run() -> dict[str, float]:
        t0 = clock()
        graph = forward()
        t1 = clock()
        backward(graph)
        t2 = clock()
        del graph
        t3 = clock()
        return {"forward": t1 - t0, "backward": t2 - t1, "total": t2 - t0, "free": t3 - t2}

    return run


def check_chain(n: int = 1000, include_torch: bool = True) -> None:
    """The engines that compute the tanh chain agree on its gradient with the float code."""
    fwd, bwd = chain_floats(n)
    want = bwd(fwd())
    for name in ["chainrule", "torch scalars"] if include_torch else ["chainrule"]:
        fwd, bwd = CHAIN[name](n)
        check_close(f"chain {name}", [bwd(fwd())], [want])


def check_wide(n: int = 1000, include_torch: bool = True) -> None:
    fwd, bwd = wide_floats(n)
    want = bwd(fwd())
    for name, builder in WIDE.items():
        if name == "torch scalars" and not include_torch:
            continue
        fwd, bwd = builder(n)
        check_close(f"wide {name}", [bwd(fwd())], [want])
