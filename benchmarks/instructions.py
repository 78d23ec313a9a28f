"""``--instructions``: instruction counts under valgrind's callgrind, for changes too small to time.

Timings on a shared 2-core machine swing by tens of percent between rounds; an instruction count
does not depend on what else the machine does, so a 2% change is readable. Each workload runs in a
child interpreter under ``valgrind --tool=callgrind`` twice, with ``k`` and ``k + 2`` repetitions;
half the difference is one repetition, free of the interpreter's start-up and imports. With
``--baseline REF`` the revision's engine (exported as ``--baseline`` does) is counted beside the
working tree's, and the table gives after / before.

The workloads: one ``mlp_step`` of micrograd's demo (the plain engine loop and ``nn.MLP``), and a
chain of 10^5 ``tanh(y * 1.0001 + 0.5)`` built and differentiated, with the cyclic garbage collector
off, as counting it would only measure when it happens to run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.harness import REPOSITORY, Report, markdown_table

WORKLOADS = {
    "mlp_step (engine loop)": "mlp_engine",
    "mlp_step (nn.MLP)": "mlp_nn",
    "chain of 10^5, forward + backward": "chain",
}
CHAIN_LENGTH = 100_000


def _workload(kind: str, repetitions: int) -> None:
    """What the counted child runs: set up, then ``repetitions`` of the workload."""
    import gc

    from benchmarks import chain, mlp

    gc.disable()
    if kind == "chain":
        forward, backward = chain.chain_chainrule(CHAIN_LENGTH)
        for _ in range(repetitions):
            backward(forward())
        return
    xs, ys = mlp.two_moons()
    cls = mlp.Chainrule if kind == "mlp_engine" else mlp.NNChainrule
    engine = cls(mlp.initial_weights(), xs, ys)
    for _ in range(repetitions):
        engine.step()


def count(kind: str, repetitions: int, engine_path: Path) -> int:
    """Instructions callgrind counts for a child running ``repetitions`` of ``kind``."""
    with tempfile.TemporaryDirectory(prefix="chainrule-callgrind-") as folder:
        out = Path(folder) / "callgrind.out"
        code = f"from benchmarks.instructions import _workload; _workload({kind!r}, {repetitions})"
        environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(engine_path), str(REPOSITORY)]))
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-c", code],
            cwd=folder,
            env=environment,
            check=True,
            capture_output=True,
        )
        totals = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.MULTILINE)
        if totals is None:
            raise RuntimeError(f"callgrind wrote no total to {out}")
        return int(totals.group(1))


def per_repetition(kind: str, engine_path: Path) -> float:
    """Instructions of one repetition of ``kind``: half the difference between 3 and 1 repetitions."""
    return (count(kind, 3, engine_path) - count(kind, 1, engine_path)) / 2


def _millions(instructions: float) -> str:
    return f"{instructions / 1e6:,.1f} M"


def run(report: Report, baseline: str | None, log: Callable[[str], None]) -> None:
    """Count every workload in the working tree's engine (and in ``baseline``'s), into ``report``."""
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (Debian: apt-get install valgrind)")
    from benchmarks.baseline import export_engine

    with tempfile.TemporaryDirectory(prefix="chainrule-baseline-") as folder:
        engines = {"after": REPOSITORY}
        if baseline is not None:
            commit, _ = export_engine(baseline, Path(folder))
            engines = {f"before ({commit})": Path(folder), "after": REPOSITORY}
        rows = []
        for name, kind in WORKLOADS.items():
            counts = {}
            for engine, path in engines.items():
                log(f"instructions: {name}, {engine} ...")
                counts[engine] = per_repetition(kind, path)
            row = [name, *(_millions(c) for c in counts.values())]
            if baseline is not None:
                before, after = counts.values()
                row.append(f"{after / before:.3f}")
            rows.append(row)
    header = ["workload", *engines, *(["after / before"] if baseline is not None else [])]
    report.section("instructions per repetition (valgrind callgrind, gc off)", markdown_table(header, rows))
