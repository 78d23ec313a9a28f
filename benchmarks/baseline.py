"""``--baseline REF``: the engine of a git revision against the working tree's, in one interleaved run.

An engine change reports its ratios before and after, measured side by side: ``git archive`` writes
the revision's ``autograd`` and ``nn`` into a temporary folder; its engines run in child
interpreters whose ``PYTHONPATH`` starts with that folder, the working tree's in children whose
``PYTHONPATH`` starts with the repository (``harness.Isolated``), and every child says where it
imported ``autograd`` from, so that a mix-up stops the run. Both sides run this working tree's
benchmark code, round by round, the order alternating; each child first checks its engine's
gradients against the float code. The table gives each figure before and after, and after / before.
"""

from __future__ import annotations

import io
import statistics
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import chain, memory, mlp
from benchmarks.harness import (
    REPOSITORY,
    Isolated,
    Report,
    Samples,
    format_time,
    interleave_isolated,
    markdown_table,
)

MIN_ROUNDS = 5
SLOWER_AT_MOST = 1.05
"""The speed a change must keep: after / before at most this, for mlp_step and the chain, in CPU time
(which other work on a shared machine disturbs far less than wall-clock time)."""
BENCHMARKS = ("mlp_step", "chain", "memory")
MLP_STEPS = 10  # steps per trial
ENGINE_PACKAGES = ("autograd", "nn")
BEFORE, AFTER = "before", "after"


class RevisionError(ValueError):
    """A revision that git cannot find or export: the message says which and why."""


def git(*args: str) -> bytes:
    """The output of ``git args...`` in the repository; ``RevisionError`` with git's message if it fails."""
    try:
        result = subprocess.run(["git", "-C", str(REPOSITORY), *args], capture_output=True)
    except FileNotFoundError:
        raise RevisionError("--baseline needs git, and no git program was found") from None
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()
        raise RevisionError(f"git {' '.join(args)} failed: {message or 'no such revision'}")
    return result.stdout


def git_text(*args: str) -> str:
    return git(*args).decode(errors="replace").strip()


def export_engine(revision: str, folder: Path) -> tuple[str, list[str]]:
    """Write ``revision``'s ``autograd`` and ``nn`` into ``folder``: its short commit, the packages."""
    try:
        commit = git_text("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except RevisionError as error:
        raise RevisionError(
            f"--baseline {revision}: git cannot find that revision in {REPOSITORY} ({error}); "
            "give a branch, a tag or a commit, e.g. main or HEAD~1"
        ) from None
    present = git_text("ls-tree", "--name-only", commit).split()
    packages = [name for name in ENGINE_PACKAGES if name in present]
    if "autograd" not in packages:
        raise RevisionError(f"--baseline {revision}: commit {commit[:10]} has no autograd/ folder")
    archive = git("archive", "--format=tar", commit, "--", *packages)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.12+ and the security releases before it
            tar.extractall(folder, filter="data")
        else:
            tar.extractall(folder)
    return commit[:10], packages


def describe_working_tree() -> str:
    """``working tree (abc1234)``, saying so when its engine has uncommitted changes."""
    head = git_text("rev-parse", "--short=10", "HEAD")
    changed = git_text("status", "--porcelain", "--", *ENGINE_PACKAGES)
    return f"working tree ({head}{', with uncommitted changes' if changed else ''})"


# ----- what each child runs: the trial, after checking its engine's gradients -------------------


def checked_mlp_trial(cls: type[mlp.Engine], n: int) -> Callable[[], dict[str, float]]:
    """``mlp.engine_trial``, once this engine's gradients equal the float code's (in the child)."""
    mlp.check_gradients([cls])
    return mlp.engine_trial(cls, n)


def checked_chain_trial(n: int) -> Callable[[], dict[str, float]]:
    """The tanh chain's trial for chainrule, once its gradient equals the float code's (in the child)."""
    chain.check_chain(include_torch=False)
    return chain.trial(chain.chain_chainrule, n)


# ----- the comparison -------------------------------------------------------------------------


@dataclass
class Row:
    """One figure, before and after; for timings, also the ratio of each round's pair."""

    measure: str
    before: float
    after: float
    fmt: Callable[[float], str]
    samples: int
    kept_within: float | None = None  # after / before may be at most this (a speed to keep)
    after_target: Callable[[Report, float, str], None] | None = None  # a limit on the after figure
    round_ratios: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """After / before: the median of the rounds' ratios where there are rounds.

        Before and after run next to each other in each round, so a change of the machine's load
        between rounds cancels out of each round's ratio.
        """
        return statistics.median(self.round_ratios) if self.round_ratios else self.after / self.before

    def cells(self) -> list[str]:
        change = f"{self.ratio:.3f} ({100 * (self.ratio - 1):+.1f}%)"
        if self.round_ratios:
            change += f", rounds {min(self.round_ratios):.2f} to {max(self.round_ratios):.2f}"
        return [self.measure, self.fmt(self.before), self.fmt(self.after), change, str(self.samples)]


def timing_rows(
    factories: dict[str, tuple[object, ...]],
    engine: Path,
    rounds: int,
    log: Callable[[str], None],
    quantities: Sequence[tuple[str, str, float]],
    kept: set[str],
) -> list[Row]:
    """Interleave each measure's before and after, ``rounds`` times; a row per quantity and measure.

    ``factories`` maps ``"<measure> before"`` / ``"<measure> after"`` to a child's factory;
    ``quantities`` lists (key in the samples, label, unit to divide by); ``kept`` names the labels
    whose ratio must stay within ``SLOWER_AT_MOST``.
    """
    paths = {name: engine for name in factories if name.endswith(BEFORE)}
    samples: dict[str, Samples] = interleave_isolated(factories, rounds, log, engine_paths=paths)
    rows = []
    for name in [n for n in factories if n.endswith(BEFORE)]:
        measure = name[: -len(BEFORE)].strip()
        before, after = samples[name], samples[f"{measure} {AFTER}"]
        for key, label, unit in quantities:
            rows.append(
                Row(
                    f"{measure}, {label}",
                    before.median(key) / unit,
                    after.median(key) / unit,
                    format_time,
                    min(before.count(), after.count()),
                    SLOWER_AT_MOST if label in kept else None,
                    round_ratios=[a / b for b, a in zip(before.values[key], after.values[key])],
                )
            )
    return rows


def mlp_rows(engine: Path, packages: Sequence[str], rounds: int, log: Callable[[str], None]) -> list[Row]:
    classes = [mlp.Chainrule] + ([mlp.NNChainrule] if "nn" in packages else [])
    factories = {
        f"mlp_step {cls.name} {side}": (checked_mlp_trial, cls, MLP_STEPS)
        for cls in classes
        for side in (BEFORE, AFTER)
    }
    quantities = [("step", "time per step", 1.0), ("cpu", "CPU time per step", MLP_STEPS)]
    log("mlp_step: before and after, interleaved ...")
    return timing_rows(factories, engine, rounds, log, quantities, {"CPU time per step"})


def chain_rows(engine: Path, n: int, rounds: int, log: Callable[[str], None]) -> list[Row]:
    factories = {f"chain {n:,} {side}": (checked_chain_trial, n) for side in (BEFORE, AFTER)}
    ops = chain.OPS_PER_STEP * n
    quantities = [
        ("forward", "forward /op", ops),
        ("backward", "backward /op", ops),
        ("total", "fwd+bwd /op", ops),
        ("cpu", "CPU time fwd+bwd+free /op", ops),
    ]
    log(f"chain n={n:,}: before and after, interleaved ...")
    return timing_rows(factories, engine, rounds, log, quantities, {"CPU time fwd+bwd+free /op"})


def memory_rows(engine: Path, n: int, log: Callable[[str], None]) -> list[Row]:
    """Bytes and GC-tracked objects per node on the chain (deterministic: measured once per side)."""
    log(f"memory, chain n={n:,}: before and after ...")
    measured = {}
    for side, path in ((BEFORE, engine), (AFTER, REPOSITORY)):
        with Isolated(memory.trial, "chainrule", n, engine_path=path, name=f"memory {side}") as child:
            measured[side] = child()
    return [
        Row(f"memory (n = {n:,}), {label}", measured[BEFORE][key], measured[AFTER][key], fmt, 1, None, target)
        for key, label, fmt, target in (
            ("bytes_per_op", "bytes / node", "{:.0f}".format, memory.bytes_target),
            ("objects_per_op", "GC-tracked objects / node", "{:.2f}".format, memory.objects_target),
        )
    ]


def run(
    report: Report, revision: str, chosen: Sequence[str], rounds: int, quick: bool, log: Callable[[str], None]
) -> None:
    """Compare ``revision``'s engine with the working tree's on the ``chosen`` benchmarks."""
    n = 10_000 if quick else 100_000
    with tempfile.TemporaryDirectory(prefix="chainrule-baseline-") as folder:
        engine = Path(folder)
        commit, packages = export_engine(revision, engine)
        before, after = f"before: {revision} ({commit})", f"after: {describe_working_tree()}"
        log(f"baseline: {before}, exported to a temporary folder; {after}")
        rows: list[Row] = []
        if "mlp_step" in chosen:
            rows += mlp_rows(engine, packages, rounds, log)
        if "chain" in chosen:
            rows += chain_rows(engine, n, rounds, log)
        if "memory" in chosen:
            rows += memory_rows(engine, n, log)
    header = ["measure", before, after, "after / before (median of the rounds')", "samples"]
    report.section(
        f"Before and after: {revision} ({commit}) against the working tree, {rounds} rounds interleaved",
        markdown_table(header, [row.cells() for row in rows]),
    )
    for row in rows:
        if row.kept_within is not None:
            holds = row.ratio <= row.kept_within
            report.target(
                f"{row.measure}: after / before", f"<= {row.kept_within}", row.ratio, holds, "{:.3f}".format
            )
        if row.after_target is not None:
            row.after_target(report, row.after, "after: ")
