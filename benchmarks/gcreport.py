"""Where the cyclic garbage collector's time goes: collections and seconds per generation.

Only used by ``scripts/bench --gc-report``, in a separate pass after the timed benchmarks, in a
child interpreter of its own (as the timed runs: no torch in its heap): a ``gc.callbacks`` hook
observes each collection (it changes no collector setting).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from benchmarks.harness import clock


@contextmanager
def watch() -> Iterator[dict[int, list[float]]]:
    """Yield {generation: [count, seconds, objects collected]} filled while the block runs."""
    stats: dict[int, list[float]] = {0: [0, 0.0, 0], 1: [0, 0.0, 0], 2: [0, 0.0, 0]}
    started: list[float] = [0.0]

    def callback(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = clock()
        else:
            entry = stats[info["generation"]]
            entry[0] += 1
            entry[1] += clock() - started[0]
            entry[2] += info["collected"]

    gc.callbacks.append(callback)
    try:
        yield stats
    finally:
        gc.callbacks.remove(callback)


def profile(name: str, run: Callable[[], Any], repeats: int) -> list[list[str]]:
    """Run ``run`` ``repeats`` times after a clean collection; a table row per generation."""
    gc.collect()
    start = clock()
    with watch() as stats:
        for _ in range(repeats):
            run()
    total = clock() - start
    rows = []
    for generation, (count, seconds, collected) in stats.items():
        rows.append(
            [
                name,
                str(generation),
                f"{count / repeats:.1f}",
                f"{seconds / repeats * 1e3:.2f} ms",
                f"{100 * seconds / total:.0f}%",
                f"{collected / repeats:.0f}",
            ]
        )
    return rows


def chainrule_rows(include_mlp: bool) -> list[list[str]]:
    """The table rows for chainrule's chains (10^4 and 10^5 steps) and, if asked, its mlp_step."""
    from benchmarks import chain, mlp

    rows: list[list[str]] = []
    for n in (10_000, 100_000):
        forward, backward = chain.chain_chainrule(n)

        def forward_and_backward(forward: Any = forward, backward: Any = backward) -> Any:
            return backward(forward())

        rows += profile(f"chainrule chain {n:,}", forward_and_backward, 3)
    if include_mlp:
        engine = mlp.Chainrule(mlp.initial_weights(), *mlp.two_moons())
        rows += profile("chainrule mlp_step", engine.step, 20)
    return rows
