"""chainrule's main demo: micrograd's two-moons classifier, trained in plain Python in seconds.

The defaults are micrograd's demo (karpathy/micrograd, demo.ipynb): 100 points of two moons with
noise 0.1, ``MLP(2, [16, 16, 1])`` with relu hidden layers, the SVM max-margin loss
``mean(relu(1 - y * score))`` with labels -1/+1 plus ``1e-4 * sum(p * p)``, and 100 full-batch
SGD steps with the learning rate ``1.0 - 0.9 * k / 100``; accuracy is the sign of the score.
With several classes (``--dataset blobs``, or spirals with ``--classes 3``) the model gets one
output per class and the loss is softmax cross-entropy.

Run ``scripts/demo`` (or ``python -m demo`` in the project's .venv); ``scripts/demo --help`` lists
the options. Files go to ``--out`` (default ``out/``): ``decision_boundary.png``, ``loss.png``,
``neuron.svg`` (the graph of one trained neuron, when a Graphviz renderer is available) and
``model.json`` (load it with ``nn.load_model``).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nn
from autograd import Value

DATASETS = ("moons", "circles", "blobs", "spirals")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {value}")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def _number(minimum: float, inclusive: bool) -> Any:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not (value >= minimum if inclusive else value > minimum) or value == float("inf"):
            relation = ">=" if inclusive else ">"
            raise argparse.ArgumentTypeError(f"expected a finite number {relation} {minimum:g}, got {text}")
        return value

    return parse


def _hidden(text: str) -> list[int]:
    sizes = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit() or int(part) < 1:
            raise argparse.ArgumentTypeError(
                f"expected hidden layer sizes as positive whole numbers separated by commas (e.g. 16,16), "
                f"got {text!r}"
            )
        sizes.append(int(part))
    return sizes


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The demo's options (``--help`` lists them); bad values exit with a clear message."""
    parser = argparse.ArgumentParser(
        prog="scripts/demo",
        description="Train micrograd's demo classifier with chainrule: a small MLP on a 2-D toy data "
        "set, full-batch SGD with a linearly decaying learning rate. Writes plots, the graph of one "
        "neuron and the trained model to --out.",
    )
    parser.add_argument("--dataset", choices=DATASETS, default="moons", help="the data set (default: moons)")
    parser.add_argument("--samples", type=_positive_int, default=100, help="number of points (default: 100)")
    parser.add_argument(
        "--noise",
        type=_number(0.0, True),
        default=None,
        help="noise of the data set (default: 0.1; 1.0 for blobs)",
    )
    parser.add_argument(
        "--classes",
        type=_positive_int,
        default=None,
        help="number of classes for blobs and spirals (default: 3 and 2)",
    )
    parser.add_argument(
        "--hidden",
        type=_hidden,
        default=[16, 16],
        help="hidden layer sizes, comma-separated (default: 16,16)",
    )
    parser.add_argument(
        "--activation",
        choices=sorted(a for a in nn.ACTIVATIONS if a != "linear"),
        default="relu",
        help="activation of the hidden layers (default: relu)",
    )
    parser.add_argument("--steps", type=_positive_int, default=100, help="training steps (default: 100)")
    parser.add_argument(
        "--lr",
        type=_number(0.0, False),
        default=1.0,
        help="starting learning rate, decaying linearly to a tenth of it (default: 1.0)",
    )
    parser.add_argument(
        "--l2",
        type=_number(0.0, True),
        default=1e-4,
        help="weight of the L2 penalty sum(p*p) (default: 1e-4)",
    )
    parser.add_argument(
        "--seed", type=_int, default=1337, help="seed of the data and the weights (default: 1337)"
    )
    parser.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out/)")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    arguments = parser.parse_args(argv)
    if arguments.classes is not None:
        if arguments.dataset not in ("blobs", "spirals"):
            parser.error(f"--classes is for blobs and spirals, not {arguments.dataset}")
        if arguments.classes < 2:
            parser.error(f"--classes must be at least 2, got {arguments.classes}")
    if arguments.samples < 2:
        parser.error("--samples must be at least 2")
    if arguments.out.exists() and not arguments.out.is_dir():
        parser.error(f"--out {arguments.out} exists and is not a folder")
    return arguments


def make_data(arguments: argparse.Namespace) -> tuple[list[list[float]], list[int]]:
    """The chosen data set: ``(X, y)`` with labels 0..k-1."""
    noise = arguments.noise
    seed = arguments.seed
    if arguments.dataset == "moons":
        return nn.make_moons(arguments.samples, 0.1 if noise is None else noise, seed)
    if arguments.dataset == "circles":
        return nn.make_circles(arguments.samples, 0.1 if noise is None else noise, seed, factor=0.5)
    if arguments.dataset == "blobs":
        centers = arguments.classes or 3
        return nn.make_blobs(arguments.samples, 1.0 if noise is None else noise, seed, centers=centers)
    return nn.make_spirals(
        arguments.samples, 0.1 if noise is None else noise, seed, n_classes=arguments.classes or 2
    )


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


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run the demo; return a summary (accuracy, seconds, files) for tests and scripts."""
    started = time.perf_counter()
    arguments = parse_arguments(argv)
    say = (lambda *_: None) if arguments.quiet else print
    X, y = make_data(arguments)
    n_classes = max(y) + 1
    binary = n_classes == 2
    model = nn.MLP(
        2, [*arguments.hidden, 1 if binary else n_classes], arguments.activation, seed=arguments.seed
    )
    targets: list[int] = [2 * c - 1 for c in y] if binary else y  # hinge wants -1/+1
    loss = nn.hinge if binary else nn.cross_entropy
    schedule = nn.LinearDecay(arguments.lr, 0.1 * arguments.lr, arguments.steps)
    optimizer = nn.SGD(model.parameters(), learning_rate=schedule)
    say(f"chainrule demo: {arguments.dataset}, {len(X)} points, {n_classes} classes")
    say(model)
    say(
        f"loss: {'hinge (max-margin)' if binary else 'cross-entropy'} + {arguments.l2:g} * L2; "
        f"SGD, learning rate {arguments.lr:g} -> {0.1 * arguments.lr:g} over {arguments.steps} steps"
    )

    every = max(1, arguments.steps // 10)

    def report(step: int, history: dict[str, list[float]]) -> None:
        if step % every == 0 or step == arguments.steps - 1:
            say(
                f"step {step:4d}  loss {history['loss'][-1]:.4f}  accuracy {history['accuracy'][-1]:6.1%}"
                f"  learning rate {schedule(step):.3f}"
            )

    training_started = time.perf_counter()
    history = nn.fit(
        model,
        X,
        targets,
        loss=loss,
        optimizer=optimizer,
        epochs=arguments.steps,
        l2=arguments.l2,
        progress=False,
        callback=report,
    )
    training_seconds = time.perf_counter() - training_started
    final_accuracy = nn.accuracy(nn.predict(model, X), targets)
    say(
        f"trained in {training_seconds:.2f} s ({1000 * training_seconds / arguments.steps:.1f} ms per step); "
        f"training accuracy {final_accuracy:.1%}"
    )

    out = arguments.out
    out.mkdir(parents=True, exist_ok=True)
    files = {"model": out / "model.json"}
    model.save(files["model"])
    say(f"wrote {files['model']}")
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only, no window
    except ImportError:
        say("skipped the plots: they need matplotlib (the 'demo' extra)")
    else:
        files["decision_boundary"] = out / "decision_boundary.png"
        files["loss"] = out / "loss.png"
        title = f"{arguments.dataset}: MLP(2, {model.sizes}), accuracy {final_accuracy:.0%}"
        plot_decision_boundary(model, X, y, files["decision_boundary"], title)
        plot_history(history, files["loss"])
        say(f"wrote {files['decision_boundary']}")
        say(f"wrote {files['loss']}")
    neuron_path = out / "neuron.svg"
    note = draw_one_neuron(model, X[0], neuron_path)
    if note.startswith("wrote"):
        files["neuron"] = neuron_path
    say(note)
    seconds = time.perf_counter() - started
    print(
        f"done: training accuracy {final_accuracy:.1%} after {arguments.steps} steps, "
        f"{seconds:.1f} s in all; files in {out}/"
    )
    return {
        "accuracy": final_accuracy,
        "history": history,
        "seconds": seconds,
        "files": files,
        "model": model,
    }


if __name__ == "__main__":
    main()
