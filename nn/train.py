"""A small training loop (``fit``), ``predict`` under ``no_grad``, and ``accuracy``."""

from __future__ import annotations

import functools
import math
import random
import sys
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from tqdm import tqdm  # type: ignore[import-untyped]

import nn.losses as losses
from autograd import Value, no_grad
from autograd.tracing import add_gradients
from nn.arguments import Seed, check_count, check_number, check_size, is_number, make_rng, to_float
from nn.compiled import CompiledObjective
from nn.optim import SGD, Optimizer

Loss = Callable[[Sequence[Any], Sequence[Any]], Value]
Callback = Callable[[int, dict[str, list[float]]], None]


class Model(Protocol):
    """What ``fit`` trains: a module (such as an ``MLP``) that computes outputs for one example."""

    def parameters(self) -> list[Value]: ...

    def __call__(self, inputs: Sequence[Any], /) -> Any: ...


def _score(output: Any) -> Any:
    """One output as a float or a list of floats (a one-element list becomes its element)."""
    if isinstance(output, (list, tuple)):
        if len(output) == 1:
            return float(output[0])
        return [float(x) for x in output]
    return float(output)


def predict(model: Callable[[Sequence[Any]], Any], X: Sequence[Sequence[Any]]) -> list[Any]:
    """The model's outputs on each example, as floats, computed under ``no_grad`` (no graph kept).

    One float per example for a one-output model, else one list of floats per example. A model
    with an ``evaluate`` method (``MLP``, ``Layer``, ``Neuron``) is evaluated on plain floats, which
    gives the same numbers faster.

    >>> from nn import MLP
    >>> model = MLP(2, [4, 1], seed=0)
    >>> scores = predict(model, [[0.0, 1.0], [1.0, 0.0]])
    >>> len(scores), type(scores[0]).__name__
    (2, 'float')
    """
    evaluate = getattr(model, "evaluate", None)
    if evaluate is not None and all(not isinstance(x, Value) for row in X for x in row):
        return [_score(evaluate(row)) for row in X]
    with no_grad():
        return [_score(model(x)) for x in X]


def _is_correct(score: Any, label: Any) -> bool:
    if isinstance(score, list):  # several outputs: the class is the largest one's index
        return bool(max(range(len(score)), key=score.__getitem__) == label)
    return bool((score > 0.0) == (label > 0))  # one output: its sign (labels -1/+1 or 0/1)


def accuracy(outputs: Sequence[Any], labels: Sequence[Any]) -> float:
    """The fraction of examples classified right.

    With one output per example, the predicted class is its sign: positive means label +1 (or 1),
    otherwise -1 (or 0). With several outputs, the predicted class is the index of the largest.
    Outputs may be Values, floats, or lists of them (as a model returns).

    >>> accuracy([2.0, -0.5, 0.3], [1, -1, -1])
    0.6666666666666666
    >>> accuracy([[0.1, 0.9], [3.0, 1.0]], [1, 1])
    0.5
    """
    if len(outputs) != len(labels):
        raise ValueError(f"accuracy: {len(outputs)} outputs but {len(labels)} labels")
    if not outputs:
        raise ValueError("accuracy: no examples")
    return sum(_is_correct(_score(o), y) for o, y in zip(outputs, labels)) / len(outputs)


def _class_like(labels: Sequence[Any]) -> bool:
    return all(is_number(y) and to_float(y).is_integer() for y in labels)


def fit(
    model: Model,
    X: Sequence[Sequence[Any]],
    y: Sequence[Any],
    *,
    loss: Loss = losses.hinge,
    optimizer: Optimizer | None = None,
    epochs: int = 100,
    batch_size: int | None = None,
    l2: float = 0.0,
    seed: Seed = None,
    progress: bool | None = None,
    callback: Callback | None = None,
    compile: bool = False,  # noqa: A002 (the name torch.compile taught: a faster way to the same model)
) -> dict[str, list[float]]:
    """Train ``model`` on ``(X, y)``; return the history ``{"loss": [...], "accuracy": [...]}``.

    Each epoch goes once through the data in batches of ``batch_size`` examples (all of them when
    None; shuffled by ``seed`` otherwise) and takes one optimizer step per batch on
    ``loss(outputs, labels) + l2 * nn.l2(model.parameters())``. The history holds, per epoch, the
    mean loss and the accuracy of the outputs computed on the way (before each step, as micrograd's
    demo reports them); accuracy is nan for targets that are not class labels. ``optimizer``
    defaults to ``SGD(model.parameters(), lr=0.1)``. A tqdm progress bar shows where someone is
    watching (``progress=None``: on a terminal, and in Jupyter, where it is a widget given
    ipywidgets, installed by the ``jupyter`` extra), always (True) or never (False: for notebooks
    kept with their outputs, and logs). ``callback(epoch, history)`` runs after each epoch.

    ``compile=True`` traces one example's loss once and runs the programs instead of building a
    graph each step (``nn.compiled``): the same training up to rounding, several times faster, for
    a loss that is a mean over examples (every ``nn`` loss) and a model that does not branch. What
    the trace cannot refuse is checked against the engine before training and every epoch, before
    the step (``nn.compiled``): a difference raises ``CompileError``.

    >>> from nn import MLP, SGD, make_moons
    >>> X, y = make_moons(n_samples=20, noise=0.1, seed=1)
    >>> model = MLP(2, [8, 1], seed=1)
    >>> history = fit(model, X, [2 * c - 1 for c in y], optimizer=SGD(model.parameters(), 0.5),
    ...               epochs=5, batch_size=10, seed=1)
    >>> sorted(history), len(history["accuracy"])
    (['accuracy', 'loss'], 5)
    """
    n = _count_examples(X, y)
    epochs = check_count(epochs, "fit: epochs", 0)
    batch_size = n if batch_size is None else check_size(batch_size, "fit: batch_size")
    l2 = check_number(l2, "fit: l2", 0.0)
    step = optimizer if optimizer is not None else SGD(model.parameters(), lr=0.1)
    rng = make_rng(seed)
    labels = list(y)
    classify = _class_like(labels)
    one_step = _step(compile, model, X, labels, loss, l2, step, min(batch_size, n), classify)
    watched = someone_watching() if progress is None else bool(progress)
    one_epoch = functools.partial(_one_epoch, n, batch_size, rng, one_step, labels, classify)
    return _epochs(epochs, one_epoch, watched, callback)


def _epochs(
    epochs: int, one_epoch: Callable[[], tuple[float, float]], watched: bool, callback: Callback | None
) -> dict[str, list[float]]:
    """The history of ``epochs`` calls of ``one_epoch`` (each gives a mean loss and an accuracy, nan
    when the targets are not classes), on a progress bar when ``watched``, each followed by ``callback``."""
    history: dict[str, list[float]] = {"loss": [], "accuracy": []}
    with _progress_bar(epochs, watched) as bar:
        for epoch in bar:
            loss_now, accuracy = one_epoch()
            history["loss"].append(loss_now)
            history["accuracy"].append(accuracy)
            shown_accuracy = "-" if math.isnan(accuracy) else f"{accuracy:.1%}"
            bar.set_postfix(loss=f"{loss_now:.4f}", accuracy=shown_accuracy, refresh=False)
            if callback is not None:
                callback(epoch, history)
    return history


def _progress_bar(epochs: int, shown: bool) -> Any:
    """A tqdm bar over the epochs: ``tqdm.auto``'s when shown (a widget in Jupyter, text elsewhere)."""
    if not shown:
        return tqdm(range(epochs), disable=True)
    # imported here, not with nn: in Jupyter without ipywidgets, importing it prints a warning
    from tqdm.auto import tqdm as auto_tqdm  # type: ignore[import-untyped]

    return auto_tqdm(range(epochs), desc="training", unit="epoch")


def someone_watching() -> bool:
    """Whether a person probably sees this program's output: in a Jupyter kernel, or on a terminal.

    What ``fit(progress=None)`` asks. Output to a file, a pipe or a test runner is not watched.

    >>> isinstance(someone_watching(), bool)
    True
    """
    ipython = sys.modules.get("IPython")  # imported already wherever a kernel runs
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None and "IPKernelApp" in shell.config:
        return True
    try:
        return bool(sys.stderr.isatty())  # the stream tqdm writes to; None or closed when there is none
    except (AttributeError, ValueError):
        return False


def _count_examples(X: Sequence[Any], y: Sequence[Any]) -> int:
    if len(X) != len(y):
        raise ValueError(f"fit: {len(X)} examples in X but {len(y)} labels in y")
    if len(X) == 0:
        raise ValueError("fit: no examples")
    return len(X)


Step = Callable[[list[int]], tuple[float, Sequence[Any]]]
"""One optimizer step on a batch (example indices): the objective's value and the outputs."""


def _step(
    compile: bool,  # noqa: A002
    model: Model,
    X: Sequence[Sequence[Any]],
    labels: list[Any],
    loss: Loss,
    l2: float,
    optimizer: Optimizer,
    first_batch: int,
    classify: bool,
) -> Step:
    """The step ``fit`` takes: by the engine, or by traced programs."""
    if not isinstance(compile, bool):
        raise TypeError(f"fit: compile must be True or False, got {compile!r:.40}")
    if compile:
        return _compiled_step(model, X, labels, loss, l2, optimizer, first_batch, classify)
    return _engine_step(model, X, labels, loss, l2, optimizer)


def _engine_step(
    model: Model, X: Sequence[Sequence[Any]], labels: list[Any], loss: Loss, l2: float, optimizer: Optimizer
) -> Step:
    """A step as the engine takes it: the batch's graph, ``backward()``, the optimizer's step."""
    inputs = [[x if isinstance(x, Value) else Value(x) for x in row] for row in X]  # leaves made once
    parameters = model.parameters()

    def step(batch: list[int]) -> tuple[float, Sequence[Any]]:
        outputs = [model(inputs[i]) for i in batch]
        value = loss(outputs, [labels[i] for i in batch])
        if l2:
            value = value + l2 * losses.l2(parameters)
        optimizer.zero_grad()
        value.backward()
        optimizer.step()
        return value.data, outputs

    return step


def _compiled_step(
    model: Model,
    X: Sequence[Sequence[Any]],
    labels: list[Any],
    loss: Loss,
    l2: float,
    optimizer: Optimizer,
    first_batch: int,
    classify: bool,
) -> Step:
    """A step by traced programs (see ``nn.compiled``), checked against the engine's before training
    and again every epoch."""
    compiled = CompiledObjective(model, X, labels, loss, l2)
    compiled.check(model, loss, range(first_batch))

    def step(batch: list[int]) -> tuple[float, Sequence[Any]]:
        compiled.recheck(model, loss, batch)
        outputs = compiled.scores(batch) if classify else []  # before the update, as the engine's
        value, gradients = compiled.value_and_gradients(batch)
        optimizer.zero_grad()
        add_gradients(compiled.parameters, gradients)  # as backward() adds to the leaves
        optimizer.step()
        return value, outputs

    return step


def _one_epoch(
    n: int, batch_size: int, rng: random.Random, step: Step, labels: list[Any], classify: bool
) -> tuple[float, float]:
    """One pass over the examples, shuffled if in batches, one step per batch: mean loss, accuracy.

    The accuracy is that of the outputs computed on the way, before each step (nan if the labels
    are not classes).
    """
    order = list(range(n))
    if batch_size < n:
        rng.shuffle(order)
    total, correct = 0.0, 0
    for start in range(0, n, batch_size):
        batch = order[start : start + batch_size]
        value, outputs = step(batch)
        total += value * len(batch)
        if classify:
            correct += sum(_is_correct(_score(o), labels[i]) for o, i in zip(outputs, batch))
    return total / n, correct / n if classify else math.nan
