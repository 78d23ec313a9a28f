"""``traced``: programs written by ``autograd.trace``, beside the engine and the hand-written floats.

- ``mlp_step``, traced: micrograd's demo step as ``nn`` writes it (``nn.MLP``, ``nn.hinge``, ``nn.l2``
  over the 100 points) traced once into one program; each step runs it (the parameters are read at
  every call), adds the gradients to ``.grad`` and takes the SGD step.
- ``mlp_step``, batched: one example's hinge term traced once, run on the 100 points at once by
  ``program.batch`` with numpy; the mean and the L2 term are added outside.
- ``mlp_step``, parameters as arguments (JAX style): one example's hinge term traced once as a
  function of its inputs and of every parameter, ``program.value_and_grad(x0, x1, y, *params)`` for
  each point, with floats alone; the mean, the L2 term and the SGD step on plain floats outside.
- ``chain``, traced: the tanh chain traced once; a call computes the value and the gradient.
- the cost of tracing: the time to trace and to compile the demo's loss and the chain, the peak
  memory (tracemalloc) while doing so, and the steps after which it has paid for itself.

Run it as ``scripts/bench --only traced`` (or ``python -m benchmarks --only traced``).
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from operator import add
from typing import Any

from benchmarks import chain, mlp
from benchmarks.harness import (
    Isolated,
    Report,
    check_close,
    clock,
    format_ratio,
    format_time,
    interleave_isolated,
    markdown_table,
)


def demo_loss(engine: mlp.NNChainrule) -> Any:
    """The demo's loss as ``nn`` writes it: the hinge over the points plus the L2 term."""
    scores = [engine.model(x)[0] for x in engine.xs]
    return engine.nn.hinge(scores, engine.ys) + engine.nn.l2(engine.params) * mlp.ALPHA


class TracedStep(mlp.NNChainrule):
    """The demo's step with its loss traced once: each step runs the program, not the graph."""

    name = "chainrule traced"

    def __init__(self, weights: mlp.Weights, xs: list[list[float]], ys: list[float]) -> None:
        super().__init__(weights, xs, ys)
        import autograd

        self.program = autograd.trace(self.loss)
        self.program.function()  # compiled now, outside the timed steps

    def loss(self) -> Any:
        return demo_loss(self)

    def loss_and_grads(self) -> float:
        self.optimizer.zero_grad()
        return self.program.backward()


class BatchedStep(mlp.NNChainrule):
    """One example's hinge term traced once and run on all the points at once (numpy)."""

    name = "chainrule traced, batched"

    def __init__(self, weights: mlp.Weights, xs: list[list[float]], ys: list[float]) -> None:
        super().__init__(weights, xs, ys)
        import numpy

        import autograd
        from autograd.tracing.expression import NUMPY

        self.columns = (numpy.array(xs), numpy.array(ys))
        self.program = autograd.trace(self.margin, list(xs[0]), ys[0], argnums=())
        self.program.function(NUMPY)

    def margin(self, x: list[Any], y: Any) -> Any:
        """relu(1 - y * score), the hinge term of one example (its label an input of the program)."""
        return (1.0 - y * self.model(x)[0]).relu()

    def loss_and_grads(self) -> float:
        batch = self.program.batch(*self.columns)
        n = len(self.xs)
        for parameter, gradient in zip(self.program.parameters, batch.parameter_gradients):
            parameter.grad = gradient * (1.0 / n) + 2.0 * mlp.ALPHA * parameter.data
        return float(batch.values.sum()) / n + mlp.ALPHA * sum(p.data * p.data for p in self.params)


class ParametersAsArguments(mlp.Engine):
    """The demo's step JAX style: the parameters are numbers that each call passes in, and the
    program gives their gradients back; nothing else but floats."""

    name = "chainrule traced, parameters as arguments"

    def __init__(self, weights: mlp.Weights, xs: list[list[float]], ys: list[float]) -> None:
        import autograd

        self.autograd = autograd
        self.params = mlp.flat(weights)
        self.xs, self.ys = xs, ys
        n = len(self.params)
        example = (*xs[0], ys[0], *self.params)
        self.program = autograd.trace(self.margin, *example, argnums=tuple(range(3, 3 + n)))
        self.program.function()  # compiled now, outside the timed steps
        self.grads: list[float] = []

    def margin(self, x0: Any, x1: Any, y: Any, *params: Any) -> Any:
        """relu(1 - y * score), the hinge term of one example, the network's parameters given in
        micrograd's order (per layer, per neuron: its weights, then its bias)."""
        linear = self.autograd.linear
        a, k = [x0, x1], 0
        last = len(mlp.SIZES) - 2
        for index, (n_in, n_out) in enumerate(zip(mlp.SIZES, mlp.SIZES[1:])):
            z = []
            for _ in range(n_out):
                z.append(linear(params[k : k + n_in], a, params[k + n_in]))
                k += n_in + 1
            a = z if index == last else [s.relu() for s in z]
        return (1.0 - y * a[0]).relu()

    def loss_and_grads(self) -> float:
        value_and_grad, params = self.program.value_and_grad, self.params
        data_loss, totals = 0.0, [0.0] * len(params)
        for (x0, x1), y in zip(self.xs, self.ys):
            value, gradients = value_and_grad(x0, x1, y, *params)
            data_loss += value
            totals = list(map(add, totals, gradients))
        inv_n = 1.0 / len(self.xs)
        self.grads = [g * inv_n + 2.0 * mlp.ALPHA * p for g, p in zip(totals, params)]
        return data_loss * inv_n + mlp.ALPHA * sum(p * p for p in params)

    def gradients(self) -> list[float]:
        return self.grads

    def sgd(self, learning_rate: float) -> None:
        self.params = [p - learning_rate * g for p, g in zip(self.params, self.grads)]


MLP_ENGINES: tuple[type[mlp.Engine], ...] = (
    mlp.NNChainrule,
    TracedStep,
    BatchedStep,
    ParametersAsArguments,
    mlp.Floats,
)


def chain_function(n: int) -> Callable[[Any], Any]:
    """The tanh chain of ``n`` steps as a function of its start, for ``trace``."""

    def f(y: Any) -> Any:
        for _ in range(n):
            y = (y * chain.SCALE + chain.SHIFT).tanh()
        return y

    return f


def chain_traced(n: int) -> tuple[Callable[[], Any], Callable[[Any], float]]:
    """The chain's program, traced and compiled here (outside the timing): a call is the value and
    the gradient at once, so the trial's forward holds everything and its backward reads it."""
    import autograd

    program = autograd.trace(chain_function(n), chain.START)
    program.function()

    def forward() -> Any:
        return program.value_and_grad(chain.START)

    def backward(result: Any) -> float:
        return float(result[1][0])

    return forward, backward


CHAIN = {"chainrule": chain.chain_chainrule, "chainrule traced": chain_traced, "floats": chain.chain_floats}


def cost_trial(workload: str, n: int) -> Callable[[], dict[str, float]]:
    """A trial that traces ``workload`` ("demo" or "chain") afresh and compiles it: seconds each."""
    import autograd

    def trial() -> dict[str, float]:
        start = clock()
        program = _traced(workload, n, autograd)
        traced = clock()
        program.function()
        return {"trace": traced - start, "compile": clock() - traced}

    return trial


def memory_trial(workload: str, n: int) -> Callable[[], dict[str, float]]:
    """A trial that measures the peak of Python's allocations (tracemalloc) while tracing and
    compiling ``workload``, above what was allocated before."""
    import autograd

    def trial() -> dict[str, float]:
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        _traced(workload, n, autograd).function()
        peak = tracemalloc.get_traced_memory()[1] - before
        tracemalloc.stop()
        return {"peak": float(peak)}

    return trial


def _traced(workload: str, n: int, autograd: Any) -> Any:
    if workload == "chain":
        return autograd.trace(chain_function(n), chain.START)
    engine = mlp.NNChainrule(mlp.initial_weights(), *mlp.two_moons())
    return autograd.trace(lambda: demo_loss(engine))


# ----- the runner ------------------------------------------------------------------------------


def run(report: Report, rounds: int, quick: bool, log: Callable[[str], None]) -> None:
    """Every traced workload beside the engine and the floats, the cost of tracing, the targets."""
    log("traced: checking gradients against the float code ...")
    mlp.check_gradients(MLP_ENGINES)
    n = 10_000 if quick else 100_000
    fwd, bwd = chain.chain_floats(1000)
    traced_forward, traced_backward = chain_traced(1000)
    check_close("chain traced", [traced_backward(traced_forward())], [bwd(fwd())])
    steps = _run_mlp(report, rounds, log)
    chain_totals = _run_chain(report, n, rounds, log)
    _run_cost(report, n, max(3, rounds // 2), log, steps, chain_totals)


def _run_mlp(report: Report, rounds: int, log: Callable[[str], None]) -> dict[str, float]:
    log("traced: mlp_step, timing ...")
    factories = {cls.name: (mlp.engine_trial, cls, 10 if cls.name != "floats" else 20) for cls in MLP_ENGINES}
    samples = interleave_isolated(factories, rounds, log)
    medians = {name: s.median("step") for name, s in samples.items()}
    floats = medians["floats"]
    rows = [
        [name, format_time(t), format_ratio(t / floats), str(samples[name].count())]
        for name, t in medians.items()
    ]
    report.section(
        "mlp_step with traced programs (the demo's step: nn.MLP, hinge, l2, SGD)",
        markdown_table(["engine", "time per step", "relative to floats", "samples"], rows),
    )
    traced, batched = medians["chainrule traced"] / floats, floats / medians["chainrule traced, batched"]
    report.target("mlp_step traced: slower than floats", "<= 1.5x", traced, traced <= 1.5, format_ratio)
    report.target(
        "mlp_step traced, batched: faster than floats", ">= 2x", batched, batched >= 2, format_ratio
    )
    jax_style = medians[ParametersAsArguments.name] / floats
    report.target(
        "mlp_step traced, parameters as arguments: slower than floats",
        "<= 1.5x",
        jax_style,
        jax_style <= 1.5,
        format_ratio,
    )
    return medians


def _run_chain(report: Report, n: int, rounds: int, log: Callable[[str], None]) -> dict[str, float]:
    log(f"traced: chain n={n:,}, timing (each child traces and compiles first) ...")
    factories = {name: (chain.trial, builder, n) for name, builder in CHAIN.items()}
    samples = interleave_isolated(factories, rounds, log)
    ops = chain.OPS_PER_STEP * n
    totals = {name: s.median("total") for name, s in samples.items()}
    rows = [
        [name, format_time(t / ops), format_ratio(t / totals["floats"]), str(samples[name].count())]
        for name, t in totals.items()
    ]
    header = ["engine", "value and gradient /op", "relative to floats", "samples"]
    title = f"chain with a traced program, n = {n:,} steps ({ops:,} ops)"
    report.section(title, markdown_table(header, rows))
    ratio = totals["chainrule traced"] / totals["floats"]
    report.target(f"chain {n:,} traced: slower than floats per op", "<= 2x", ratio, ratio <= 2, format_ratio)
    return totals


def _run_cost(
    report: Report,
    n: int,
    rounds: int,
    log: Callable[[str], None],
    steps: dict[str, float],
    chain_totals: dict[str, float],
) -> None:
    """How long tracing takes, how much memory, and when it has paid for itself."""
    saved = {
        "demo": steps["chainrule nn.MLP"] - steps["chainrule traced"],
        "chain": chain_totals["chainrule"] - chain_totals["chainrule traced"],
    }
    titles = {"demo": "the demo's loss (mlp_step, 100 points)", "chain": f"the chain, n = {n:,}"}
    rows = []
    for workload, title in titles.items():
        log(f"traced: the cost of tracing {title} ...")
        samples = interleave_isolated({workload: (cost_trial, workload, n)}, rounds, log)[workload]
        with Isolated(memory_trial, workload, n, name=f"memory of tracing {workload}") as child:
            peak = child()["peak"]
        trace, compile_ = samples.median("trace"), samples.median("compile")
        paid = f"{(trace + compile_) / saved[workload]:.0f}" if saved[workload] > 0 else "never"
        rows.append([title, format_time(trace), format_time(compile_), f"{peak / 2**20:.0f} MiB", paid])
    header = ["traced", "trace", "compile", "peak memory", "steps until it has paid for itself"]
    report.section("the cost of tracing (each in a child of its own)", markdown_table(header, rows))
