"""chainrule's main demo: micrograd's two-moons classifier, trained in plain Python in seconds.

The defaults are micrograd's demo (karpathy/micrograd, demo.ipynb): 100 points of two moons with
noise 0.1, ``MLP(2, [16, 16, 1])`` with relu hidden layers, the SVM max-margin loss
``mean(relu(1 - y * score))`` with labels -1/+1 plus ``1e-4 * sum(p * p)``, and 100 full-batch
SGD steps with the learning rate ``1.0 - 0.9 * k / 100``; accuracy is the sign of the score.
With several classes (``--dataset blobs``, or spirals with ``--classes 3``) the model gets one
output per class and the loss is softmax cross-entropy.

Run ``scripts/demo`` (or ``python -m nn``, or ``python -m nn.demo``, in the project's .venv);
``--help`` lists the options, under the name the demo was started by. Files go to ``--out``
(default ``out/``, relative to the folder you run it from): ``decision_boundary.png``,
``loss.png``, ``neuron.svg`` (the graph of one trained neuron, when a Graphviz renderer is
available) and ``model.json`` (load it with ``nn.load_model``).

Whatever goes wrong (an ``--out`` it cannot write to, options that make the data overflow, a
loss that becomes nan) ends the demo with one line saying so and a non-zero exit status; what
can be checked before training is checked before training.

Its options, their limits and their checks are in ``nn/demo_options.py``. The demo uses only
``nn``'s public names: it lives in the package so that it is installed with it, not because ``nn``
needs it (``import nn`` does not import it).
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import nn
from autograd import Value
from nn.demo_options import class_count, invoked_as, parse_arguments

OUTPUT_FILES = {
    "model": "model.json",
    "decision_boundary": "decision_boundary.png",
    "loss": "loss.png",
    "neuron": "neuron.svg",
}
"""The files the demo writes into ``--out``, by the key ``main()`` reports them under."""

Data = tuple[list[list[float]], list[int]]


class DemoError(Exception):
    """A failure the demo reports in one line, exiting with status 1."""


# ----- checks before training ---------------------------------------------------------------


def prepare_output(out: Path) -> dict[str, Path]:
    """Make the folder ``out`` and check that the demo can write its files there; their paths.

    Runs before training, so that a bad ``--out`` costs nothing.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise DemoError(f"--out {out}: it exists and is not a folder") from None
    except OSError as error:
        raise DemoError(f"--out {out}: cannot make this folder ({error.strerror or error})") from None
    try:
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as error:
        raise DemoError(f"--out {out}: cannot write into this folder ({error.strerror or error})") from None
    files = {key: out / name for key, name in OUTPUT_FILES.items()}
    for path in files.values():
        if path.exists() and not path.is_file():
            raise DemoError(f"--out {out}: {path} is a folder, where the demo writes a file; move it away")
    return files


def make_data(arguments: argparse.Namespace) -> Data:
    """The chosen data set: ``(X, y)`` with labels 0..k-1 (``DemoError`` for options it cannot use)."""
    noise, seed, samples = arguments.noise, arguments.seed, arguments.samples
    try:
        if arguments.dataset == "moons":
            return nn.make_moons(samples, 0.1 if noise is None else noise, seed)
        if arguments.dataset == "circles":
            return nn.make_circles(samples, 0.1 if noise is None else noise, seed, factor=0.5)
        if arguments.dataset == "blobs":
            centers = class_count(arguments)
            return nn.make_blobs(samples, 1.0 if noise is None else noise, seed, centers=centers)
        classes = class_count(arguments)
        return nn.make_spirals(samples, 0.1 if noise is None else noise, seed, n_classes=classes)
    except ValueError as error:
        options = f"--dataset {arguments.dataset}" + ("" if noise is None else f" --noise {noise:g}")
        raise DemoError(f"{options}: {error}") from None


# ----- training -----------------------------------------------------------------------------


def train(
    model: nn.MLP,
    X: list[list[float]],
    targets: list[int],
    arguments: argparse.Namespace,
    say: Callable[..., None],
) -> dict[str, list[float]]:
    """Train ``model`` as micrograd's demo does; the history. A nan or inf loss stops it (``DemoError``)."""
    schedule = nn.LinearDecay(arguments.lr, 0.1 * arguments.lr, arguments.steps)
    every = max(1, arguments.steps // 10)

    def report(step: int, history: dict[str, list[float]]) -> None:
        loss = history["loss"][-1]
        if not math.isfinite(loss):
            raise DemoError(
                f"the loss became {loss} at step {step}: training diverged (--lr {arguments.lr:g} is "
                "probably too large for this data); try a smaller --lr"
            )
        if step % every == 0 or step == arguments.steps - 1:
            say(
                f"step {step:4d}  loss {loss:.4f}  accuracy {history['accuracy'][-1]:6.1%}"
                f"  learning rate {schedule(step):.3f}"
            )

    try:
        return nn.fit(
            model,
            X,
            targets,
            loss=nn.hinge if model.sizes[-1] == 1 else nn.cross_entropy,
            optimizer=nn.SGD(model.parameters(), lr=schedule),
            epochs=arguments.steps,
            l2=arguments.l2,
            progress=False,
            callback=report,
            compile=arguments.compile,
        )
    except nn.CompileError as error:
        raise DemoError(str(error)) from None


# ----- pictures -----------------------------------------------------------------------------


def plot_decision_boundary(model: nn.MLP, X: list[list[float]], y: list[int], path: Path, title: str) -> None:
    """The data over the model's predicted class at every point of a grid, as a PNG."""
    import matplotlib.pyplot as plt
    import numpy as np

    xs, ys = [p[0] for p in X], [p[1] for p in X]
    margin_x, margin_y = 0.1 * (max(xs) - min(xs)) + 0.25, 0.1 * (max(ys) - min(ys)) + 0.25
    grid_x = np.linspace(min(xs) - margin_x, max(xs) + margin_x, 80)
    grid_y = np.linspace(min(ys) - margin_y, max(ys) + margin_y, 80)
    points = [[float(a), float(b)] for b in grid_y for a in grid_x]
    scores = nn.predict(model, points)  # floats, no graph: thousands of points in a fraction of a second
    if isinstance(scores[0], list):
        classes = [max(range(len(s)), key=s.__getitem__) for s in scores]
    else:
        classes = [1 if s > 0 else 0 for s in scores]
    grid = np.array(classes, dtype=float).reshape(len(grid_y), len(grid_x))
    n_classes = max(max(y), max(classes)) + 1
    figure, axes = plt.subplots(figsize=(5.5, 5))
    levels = np.arange(n_classes + 1) - 0.5
    axes.contourf(grid_x, grid_y, grid, levels=levels, cmap="Spectral", alpha=0.7, vmin=0, vmax=n_classes - 1)
    axes.scatter(
        xs, ys, c=y, cmap="Spectral", s=28, edgecolors="black", linewidths=0.6, vmin=0, vmax=n_classes - 1
    )
    axes.set_title(title)
    axes.set_xlabel("x1")
    axes.set_ylabel("x2")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def plot_history(history: dict[str, list[float]], path: Path) -> None:
    """The loss (log scale) and the accuracy per step, as a PNG."""
    import matplotlib.pyplot as plt

    steps = range(len(history["loss"]))
    figure, (loss_axes, accuracy_axes) = plt.subplots(1, 2, figsize=(9, 3.5))
    loss_axes.plot(steps, history["loss"], color="tab:red")
    loss_axes.set_yscale("log")
    loss_axes.set_xlabel("step")
    loss_axes.set_title("loss (data + L2)")
    accuracy_axes.plot(steps, [100 * a for a in history["accuracy"]], color="tab:blue")
    accuracy_axes.set_ylim(0, 101)
    accuracy_axes.set_xlabel("step")
    accuracy_axes.set_title("training accuracy (%)")
    for axes in (loss_axes, accuracy_axes):
        axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def draw_one_neuron(model: nn.MLP, example: list[float], path: Path) -> str:
    """The graph of the first hidden neuron on one example, with gradients, as SVG; a note on failure."""
    try:
        from autograd.draw import save_graph
    except ImportError as error:  # the drawing extra (graphviz) is not installed
        return f"skipped {path.name}: drawing needs the 'draw' extra ({error})"
    trained = model.layers[0].neurons[0]
    neuron = nn.Neuron(trained.n_inputs, trained.activation, seed=0)  # a copy: the model's grads stay clean
    neuron.load_state_dict(trained.state_dict())
    inputs = [Value(x, label=f"x{i}") for i, x in enumerate(example)]
    output = neuron(inputs)
    output.label = "out"
    output.backward()
    try:
        save_graph(
            output,
            path,
            parameters=neuron.parameters(),
            inputs=inputs,
            title=f"one trained neuron on the first example: {neuron.activation}(w . x + b), with gradients",
        )
    except Exception as error:  # no renderer, or it failed: the demo still succeeds
        return f"skipped {path.name}: {str(error).splitlines()[0]}"
    return f"wrote {path}"


def write_files(
    model: nn.MLP,
    history: dict[str, list[float]],
    data: Data,
    files: dict[str, Path],
    title: str,
    say: Callable[..., None],
) -> dict[str, Path]:
    """Write the model, the plots and the neuron's graph to ``files``; the ones written, by key.

    A file that cannot be written is a ``DemoError``; the plots without matplotlib and the graph
    without a renderer are skipped with a note.
    """
    written = {}
    try:
        model.save(files["model"])
        written["model"] = files["model"]
        try:
            import matplotlib

            matplotlib.use("Agg")  # files only, no window
        except ImportError:
            say("skipped the plots: they need matplotlib (the 'demo' extra)")
        else:
            plot_decision_boundary(model, *data, files["decision_boundary"], title)
            plot_history(history, files["loss"])
            written["decision_boundary"], written["loss"] = files["decision_boundary"], files["loss"]
    except OSError as error:
        raise DemoError(f"cannot write the demo's files: {error}") from None
    for key in written:
        say(f"wrote {written[key]}")
    note = draw_one_neuron(model, data[0][0], files["neuron"])
    if note.startswith("wrote"):
        written["neuron"] = files["neuron"]
    say(note)
    return written


# ----- the demo -----------------------------------------------------------------------------


def run(arguments: argparse.Namespace) -> dict[str, Any]:
    """The demo for parsed options: check, train, write; a summary (accuracy, seconds, files)."""
    started = time.perf_counter()
    say: Callable[..., None] = (lambda *_: None) if arguments.quiet else print
    files = prepare_output(arguments.out)
    X, y = make_data(arguments)
    n_classes = max(y) + 1
    binary = n_classes == 2
    sizes = [*arguments.hidden, 1 if binary else n_classes]
    model = nn.MLP(2, sizes, arguments.activation, seed=arguments.seed)
    targets = [2 * c - 1 for c in y] if binary else y  # hinge wants -1/+1
    say(f"chainrule demo: {arguments.dataset}, {len(X)} points, {n_classes} classes")
    say(model)
    say(
        f"loss: {'hinge (max-margin)' if binary else 'cross-entropy'} + {arguments.l2:g} * L2; "
        f"SGD, learning rate {arguments.lr:g} -> {0.1 * arguments.lr:g} over {arguments.steps} steps"
        + ("; by traced programs (--compile)" if arguments.compile else "")
    )
    training_started = time.perf_counter()
    history = train(model, X, targets, arguments, say)
    training_seconds = time.perf_counter() - training_started
    accuracy = nn.accuracy(nn.predict(model, X), targets)
    say(
        f"trained in {training_seconds:.2f} s ({1000 * training_seconds / arguments.steps:.1f} ms per step); "
        f"training accuracy {accuracy:.1%}"
    )
    title = f"{arguments.dataset}: MLP(2, {model.sizes}), accuracy {accuracy:.0%}"
    written = write_files(model, history, (X, y), files, title, say)
    seconds = time.perf_counter() - started
    print(
        f"done: training accuracy {accuracy:.1%} after {arguments.steps} steps, "
        f"{seconds:.1f} s in all; files in {arguments.out}/"
    )
    return {"accuracy": accuracy, "history": history, "seconds": seconds, "files": written, "model": model}


def main(argv: Sequence[str] | None = None, program: str | None = None) -> dict[str, Any]:
    """Run the demo; return a summary for tests and scripts. A failure is one line and exit status 1.

    ``program`` is the name ``--help`` and errors give the demo (default: ``invoked_as()``).
    """
    program = program or invoked_as()
    arguments = parse_arguments(argv, program)
    try:
        return run(arguments)
    except DemoError as error:
        print(f"{program}: error: {error}", file=sys.stderr)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
