"""Timing machinery shared by the benchmarks: interleaved rounds, medians, ratios, tables.

Nothing here changes an interpreter setting: the garbage collector keeps its defaults. Between two
measurements ``gc.collect()`` runs *outside* the timed region, so that one engine's cyclic garbage
is never collected (and paid for) inside another engine's measurement. Each engine runs in a child
interpreter of its own (``Isolated``): a full collection scans every object in its process, and
``import torch`` alone adds ~166,000 of them, which would tax every engine measured beside it. A
child imports chainrule from the folder it is given, so that two versions of the engine can be
measured side by side (``--baseline``).
"""

from __future__ import annotations

import gc
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
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


REPOSITORY = Path(__file__).resolve().parent.parent
"""The working tree: where the children import this ``benchmarks`` package, and its engine by default."""


class Isolated:
    """A trial that runs in a child interpreter of its own, built there by ``factory(*args)``.

    The child is ``python -m benchmarks.worker``, started in an empty temporary folder with a
    ``PYTHONPATH`` of its own: ``engine_path`` first (the folder holding the ``autograd`` and ``nn``
    to measure: the working tree by default), then the working tree for this benchmark code. It
    answers where it imported ``autograd`` and ``nn`` from; an engine found anywhere else stops the
    run. ``factory`` and ``args`` must be picklable (module-level functions and classes). Use it as
    a context manager, so that the child is stopped afterwards.
    """

    def __init__(
        self, factory: Callable[..., Trial], *args: Any, engine_path: Path = REPOSITORY, name: str = ""
    ) -> None:
        self.name = name or getattr(factory, "__qualname__", repr(factory))
        self.engine_path = engine_path.resolve()
        self.folder = tempfile.TemporaryDirectory(prefix="chainrule-bench-")
        environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(self.engine_path), str(REPOSITORY)]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=environment,
            cwd=self.folder.name,  # an empty folder first on sys.path: nothing to import by accident
        )
        try:
            self._send((factory, args))
            self._receive()  # the trial is built
        except BaseException:
            self.__exit__()
            raise

    def _send(self, message: Any) -> None:
        assert self.process.stdin is not None
        pickle.dump(message, self.process.stdin)
        self.process.stdin.flush()

    def _receive(self) -> Any:
        assert self.process.stdout is not None
        try:
            kind, content, engine_files = pickle.load(self.process.stdout)
        except EOFError:
            raise RuntimeError(f"the benchmark child for {self.name} died (its traceback is above)") from None
        self.engine_files: dict[str, str | None] = engine_files
        if kind == "error":
            raise RuntimeError(f"the benchmark child for {self.name} failed:\n{content}")
        self._check_engine()
        return content

    def _check_engine(self) -> None:
        """Stop unless every chainrule package the child imported came from ``engine_path``."""
        for package, file in self.engine_files.items():
            if file is not None and Path(file).resolve().parent != self.engine_path / package:
                raise RuntimeError(
                    f"{self.name}: the child imported {package} from {file}, not from {self.engine_path}"
                )

    def __call__(self) -> dict[str, float]:
        self._send("run")
        result: dict[str, float] = self._receive()
        return result

    def __enter__(self) -> Isolated:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            try:
                self._send(None)
            except (BrokenPipeError, ValueError):  # the child is gone already
                pass
            self.process.wait(timeout=30)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        self.folder.cleanup()


def interleave_isolated(
    factories: dict[str, tuple[Any, ...]],
    rounds: int,
    log: Callable[[str], None] | None = None,
    engine_paths: Mapping[str, Path] | None = None,
) -> dict[str, Samples]:
    """``interleave`` with each engine in its own child process: ``{name: (factory, *args)}``.

    ``engine_paths`` gives, by name, the folder a child imports ``autograd`` and ``nn`` from (the
    working tree for a name it does not list).
    """
    paths = engine_paths or {}
    trials: dict[str, Isolated] = {}
    try:
        for name, (factory, *args) in factories.items():
            trials[name] = Isolated(factory, *args, engine_path=paths.get(name, REPOSITORY), name=name)
        return interleave(dict(trials), rounds, log)
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


class Report:
    """The run's tables, printed as they come, and its targets, printed at the end."""

    def __init__(self) -> None:
        self.sections: list[str] = []
        self.targets: list[list[str]] = []

    def section(self, title: str, text: str) -> None:
        self.sections.append(f"### {title}\n\n{text}\n")
        print(f"\n### {title}\n\n{text}", flush=True)

    def target(self, what: str, want: str, got: float, holds: bool, fmt: Callable[[float], str]) -> None:
        self.targets.append([what, want, fmt(got), "yes" if holds else "**no**"])

    def print_targets(self) -> None:
        if self.targets:
            print("\n### Targets\n")
            print(markdown_table(["target", "wanted", "measured", "holds"], self.targets), flush=True)
