"""Timing machinery shared by the benchmarks: interleaved rounds, medians, ratios, tables.

Nothing here changes an interpreter setting: the garbage collector keeps its defaults. Between two
measurements ``gc.collect()`` runs *outside* the timed region, so that one engine's cyclic garbage
is never collected (and paid for) inside another engine's measurement. Each engine runs in a child
interpreter of its own (``Isolated``): a full collection scans every object in its process, and
``import torch`` alone adds ~166,000 of them, which would tax every engine measured beside it.
"""

from __future__ import annotations

import gc
import multiprocessing
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

clock = time.perf_counter


@contextmanager
def recursion_limit(limit: int) -> Iterator[None]:
    """Raise the recursion limit for one block (micrograd's recursive topological sort needs it)."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


@dataclass
class Samples:
    """Every measurement of one engine on one benchmark, by the name of the quantity."""

    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, **measured: float) -> None:
        for name, value in measured.items():
            self.values.setdefault(name, []).append(value)

    def median(self, name: str) -> float:
        return statistics.median(self.values[name])

    def count(self) -> int:
        return min((len(v) for v in self.values.values()), default=0)


Trial = Callable[[], dict[str, float]]
"""One measurement of one engine: returns named durations (seconds) or sizes."""


def interleave(
    trials: dict[str, Trial], rounds: int, log: Callable[[str], None] | None = None
) -> dict[str, Samples]:
    """Run engine A, B, C, D, then A, B, C, D again, ``rounds`` times; collect every measurement.

    The order rotates by one each round, so that no engine always runs right after the same other
    engine (caches, CPU frequency and the allocator's state then average out).
    """
    names = list(trials)
    samples = {name: Samples() for name in names}
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            gc.collect()  # outside the timed region: start from a clean heap
            samples[name].add(**trials[name]())
        gc.collect()
        if log is not None:
            log(f"  round {r + 1}/{rounds} done")
    return samples


def _serve(connection: Any, factory: Callable[..., Trial], args: tuple[Any, ...]) -> None:
    """The child's loop: build the trial once, run it on each request, send back what it measured."""
    trial = factory(*args)
    while connection.recv() is not None:
        gc.collect()  # outside the timed region, as in the parent
        connection.send(trial())


class Isolated:
    """A trial that runs in a child interpreter of its own, built there by ``factory(*args)``.

    ``factory`` and ``args`` must be importable by name (module-level functions and classes).
    Use it as a context manager, so that the child is stopped afterwards.
    """

    def __init__(self, factory: Callable[..., Trial], *args: Any) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, factory, args), daemon=True)
        self.process.start()

    def __call__(self) -> dict[str, float]:
        self.connection.send("run")
        result: dict[str, float] = self.connection.recv()
        return result

    def __enter__(self) -> Isolated:
        return self

    def __exit__(self, *exc: object) -> None:
        self.connection.send(None)
        self.process.join(timeout=30)


def interleave_isolated(
    factories: dict[str, tuple[Any, ...]], rounds: int, log: Callable[[str], None] | None = None
) -> dict[str, Samples]:
    """``interleave`` with each engine in its own child process: ``{name: (factory, *args)}``."""
    trials = {name: Isolated(*spec) for name, spec in factories.items()}
    try:
        return interleave(dict(trials), rounds, log)  # type: ignore[arg-type]
    finally:
        for trial in trials.values():
            trial.__exit__()


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds taken by ``function()``, and what it returned."""
    start = clock()
    result = function()
    return clock() - start, result


def format_time(seconds: float) -> str:
    """A duration with a unit that keeps 3 significant digits."""
    if seconds >= 1.0:
        return f"{seconds:.3g} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    if seconds >= 1e-6:
        return f"{seconds * 1e6:.3g} us"
    return f"{seconds * 1e9:.3g} ns"


def format_ratio(ratio: float) -> str:
    if ratio >= 100:
        return f"{ratio:.0f}x"
    if ratio >= 10:
        return f"{ratio:.1f}x"
    return f"{ratio:.2f}x"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub markdown table, columns padded for reading in a terminal too."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"

    separator = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), separator, *(line(row) for row in rows)])


def check_close(name: str, got: Sequence[float], want: Sequence[float], rtol: float = 1e-9) -> None:
    """Fail loudly if two engines disagree: a benchmark of a wrong answer is worthless."""
    if len(got) != len(want):
        raise AssertionError(f"{name}: {len(got)} gradients, expected {len(want)}")
    for i, (g, w) in enumerate(zip(got, want)):
        if not abs(g - w) <= rtol * max(1.0, abs(w)):
            raise AssertionError(f"{name}: gradient {i} is {g!r}, the float code gives {w!r}")
