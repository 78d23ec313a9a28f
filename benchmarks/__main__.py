"""``python -m benchmarks``: every benchmark, engines interleaved, medians and ratios, as markdown.

Run it through ``scripts/bench`` (which prepares .venv). Options: ``--quick``, ``--only NAME``
(repeatable: mlp_step, chain, wide, memory, traced), ``--rounds N``, ``--no-torch``, ``--gc-report``, and
``--baseline REF``: the engine of a git revision against the working tree's, before and after;
``--instructions`` (with or without ``--baseline``): instruction counts under callgrind, not times.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import platform
import sys
from collections.abc import Callable, Sequence

from benchmarks import baseline, chain, instructions, memory, mlp, traced
from benchmarks.harness import (
    Isolated,
    Report,
    Samples,
    format_ratio,
    format_time,
    interleave_isolated,
    markdown_table,
)

BENCHMARKS = ("mlp_step", "chain", "wide", "memory", "traced")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def relative_rows(
    samples: dict[str, Samples],
    quantities: Sequence[str],
    per: float,
    base: str = "chainrule",
    total: str = "total",
) -> list[list[str]]:
    """Rows: engine, each quantity's median per unit, the total relative to ``base``'s."""
    base_total = samples[base].median(total)
    rows = []
    for name, s in samples.items():
        cells = [name] + [format_time(s.median(q) / per) for q in quantities]
        cells.append(format_ratio(s.median(total) / base_total))
        cells.append(str(s.count()))
        rows.append(cells)
    return rows


def run_mlp(report: Report, rounds: int, include_torch: bool) -> None:
    classes = mlp.engines(include_torch)
    log("mlp_step: checking gradients across engines ...")
    mlp.check_gradients(classes)
    log("mlp_step: gradients equal; timing ...")
    slow = {"micrograd", "torch scalars"}

    def steps(cls: type[mlp.Engine]) -> int:
        if cls.name in slow:
            return 2 if cls.name == "micrograd" else 1
        return 10 if "chainrule" in cls.name else 20

    factories = {cls.name: (mlp.engine_trial, cls, steps(cls)) for cls in classes}
    samples = interleave_isolated(factories, rounds, log)
    rows = relative_rows(samples, ["step"], 1.0, total="step")
    header = ["engine", "time per step", "relative to chainrule", "samples"]
    report.section(
        "mlp_step (MLP(2, [16, 16, 1]), 100 points, loss + L2, zero_grad, backward, SGD)",
        markdown_table(header, rows),
    )
    micro, floats = samples["micrograd"].median("step"), samples["floats"].median("step")
    for name in [n for n in samples if n.startswith("chainrule")]:
        t = samples[name].median("step")
        report.target(
            f"mlp_step {name}: faster than micrograd", ">= 40x", micro / t, micro / t >= 40, format_ratio
        )
        report.target(
            f"mlp_step {name}: slower than floats", "<= 4x", t / floats, t / floats <= 4, format_ratio
        )


def run_chain(
    report: Report, sizes: Sequence[int], rounds_for: Callable[[int], int], include_torch: bool
) -> None:
    log("chain: checking gradients ...")
    chain.check_chain(include_torch=include_torch)
    for n in sizes:
        builders = {k: v for k, v in chain.CHAIN.items() if include_torch or k != "torch scalars"}
        factories = {name: (chain.trial, builder, n) for name, builder in builders.items()}
        log(f"chain n={n}: timing ...")
        samples = interleave_isolated(factories, rounds_for(n), log)
        ops = chain.OPS_PER_STEP * n
        rows = relative_rows(samples, ["forward", "backward", "total", "free"], ops)
        header = [
            "engine",
            "forward /op",
            "backward /op",
            "fwd+bwd /op",
            "free /op",
            "fwd+bwd relative to chainrule",
            "samples",
        ]
        report.section(f"chain, n = {n:,} steps ({ops:,} ops)", markdown_table(header, rows))
        if n == 100_000:
            t = samples["chainrule"].median("total")
            micro, floats = samples["micrograd"].median("total"), samples["floats"].median("total")
            report.target(
                "chain 10^5: faster than micrograd per op", ">= 10x", micro / t, micro / t >= 10, format_ratio
            )
            report.target(
                "chain 10^5: slower than floats per op", "<= 25x", t / floats, t / floats <= 25, format_ratio
            )


def run_wide(report: Report, n: int, rounds: int, include_torch: bool) -> None:
    log("wide: checking gradients ...")
    chain.check_wide(include_torch=include_torch)
    builders = {k: v for k, v in chain.WIDE.items() if include_torch or k != "torch scalars"}
    factories = {name: (chain.trial, builder, n) for name, builder in builders.items()}
    log(f"wide n={n}: timing ...")
    samples = interleave_isolated(factories, rounds, log)
    rows = relative_rows(samples, ["forward", "backward", "total", "free"], n)
    header = [
        "engine",
        "forward /pair",
        "backward /pair",
        "fwd+bwd /pair",
        "free /pair",
        "fwd+bwd relative to chainrule",
        "samples",
    ]
    report.section(f"wide, sum of n = {n:,} products", markdown_table(header, rows))


def run_memory(report: Report, n: int) -> None:
    rows = []
    for name in ["chainrule", "micrograd"]:
        # micrograd's recursive backward under tracemalloc grows quadratically (10^4: 11 s, 10^5:
        # many minutes); its per-node figures are the same at 10^3, 10^4 (see memory.py).
        size = n if name == "chainrule" else min(n, 10_000)
        log(f"memory: {name}, n = {size:,} ...")
        with Isolated(memory.trial, name, size, name=f"memory {name}") as child:
            m = child()
        rows.append(
            [
                f"{name} (n = {size:,})",
                f"{m['bytes_per_op']:.0f}",
                f"{m['objects_per_op']:.2f}",
                f"{m['nodes']:,}",
                f"{m['bytes_per_node']:.0f}",
                f"{m['objects_per_node']:.2f}",
            ]
        )
        if name == "chainrule":
            memory.bytes_target(report, m["bytes_per_op"])
            memory.objects_target(report, m["objects_per_op"])
    header = [
        "engine",
        "bytes / node",
        "GC objects / node",
        "Value objects",
        "bytes / Value",
        "GC objects / Value",
    ]
    report.section(
        "memory per node, chain after backward, graph alive",
        markdown_table(header, rows),
    )


def run_gc_report(include_mlp: bool) -> None:
    from benchmarks import gcreport

    with multiprocessing.get_context("spawn").Pool(1) as child:  # a heap of its own, as when timed
        rows = child.apply(gcreport.chainrule_rows, (include_mlp,))
    header = [
        "run",
        "generation",
        "collections per run",
        "GC time per run",
        "share of run time",
        "objects freed per run",
    ]
    print("\n### Cyclic GC during chainrule's runs (gc.callbacks)\n")
    print(markdown_table(header, rows), flush=True)


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds, chain up to 10^4 only")
    parser.add_argument(
        "--only", action="append", choices=BENCHMARKS, help="run only this benchmark (repeatable)"
    )
    parser.add_argument(
        "--rounds", type=int, default=None, help="rounds of interleaved runs (default 5, quick 3)"
    )
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    parser.add_argument(
        "--gc-report",
        action="store_true",
        help="afterwards, count and time chainrule's garbage collections per generation",
    )
    parser.add_argument(
        "--baseline",
        metavar="REF",
        help="compare the engine (autograd/, nn/) of git revision REF (a branch, tag or commit) with "
        "the working tree's, before and after, interleaved: mlp_step, the tanh chain (10^5, quick "
        f"10^4) and memory per node; at least {baseline.MIN_ROUNDS} rounds",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions with valgrind's callgrind instead of timing (mlp_step, the 10^5 chain); "
        "with --baseline REF, before and after: a 2%% change is readable on a noisy machine",
    )
    args = parser.parse_args(argv)
    if args.instructions:
        return args
    if args.rounds is not None and args.rounds < 1:
        parser.error(f"--rounds must be at least 1, got {args.rounds}")
    if args.baseline is not None:
        args.rounds = args.rounds or baseline.MIN_ROUNDS
        if args.rounds < baseline.MIN_ROUNDS:
            parser.error(f"--baseline needs at least {baseline.MIN_ROUNDS} rounds, not {args.rounds}")
        other = sorted(set(args.only or []) - set(baseline.BENCHMARKS))
        if other:
            parser.error(f"--baseline compares {', '.join(baseline.BENCHMARKS)}, not {', '.join(other)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    rounds = args.rounds or (3 if args.quick else 5)
    include_torch = not args.no_torch
    big = 10_000 if args.quick else 100_000
    report = Report()

    print(
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.machine()}, gc thresholds {gc.get_threshold()} (defaults), rounds {rounds}",
        flush=True,
    )
    if args.instructions:
        try:
            instructions.run(report, args.baseline, log)
        except baseline.RevisionError as error:
            print(f"scripts/bench: error: {error}", file=sys.stderr)
            return 2
    elif args.baseline is not None:
        try:
            baseline.run(report, args.baseline, args.only or baseline.BENCHMARKS, rounds, args.quick, log)
        except baseline.RevisionError as error:
            print(f"scripts/bench: error: {error}", file=sys.stderr)
            return 2
    else:
        run_all(report, args.only or list(BENCHMARKS), rounds, big, args.quick, include_torch)
    report.print_targets()
    if args.gc_report:
        run_gc_report(args.only is None or "mlp_step" in args.only)
    return 0


def run_all(
    report: Report, chosen: Sequence[str], rounds: int, big: int, quick: bool, include_torch: bool
) -> None:
    """Every chosen benchmark, each engine beside micrograd, PyTorch scalars and the float code."""
    if "mlp_step" in chosen:
        run_mlp(report, rounds, include_torch)
    if "chain" in chosen:
        sizes = [1_000, 10_000] if quick else [1_000, 10_000, 100_000]
        run_chain(
            report,
            sizes,
            lambda n: rounds * 3 if n <= 1_000 else rounds * 2 if n <= 10_000 else rounds,
            include_torch,
        )
    if "wide" in chosen:
        run_wide(report, big, rounds, include_torch)
    if "memory" in chosen:
        run_memory(report, big)
    if "traced" in chosen:
        traced.run(report, rounds, quick, log)


if __name__ == "__main__":
    sys.exit(main())
