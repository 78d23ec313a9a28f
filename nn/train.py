"""A small training loop (``fit``), ``predict`` under ``no_grad``, and ``accuracy``."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

from tqdm import tqdm  # type: ignore[import-untyped]

from autograd import Value, no_grad
from nn import losses
from nn.layers import Seed, make_rng
from nn.module import Module
from nn.optim import SGD, Optimizer

Loss = Callable[[Sequence[Any], Sequence[Any]], Value]
Callback = Callable[[int, dict[str, list[float]]], None]


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
    return all(isinstance(y, numbers.Real) and float(y).is_integer() for y in labels)


def fit(
    model: Module,
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
) -> dict[str, list[float]]:
    """Train ``model`` on ``(X, y)``; return the history ``{"loss": [...], "accuracy": [...]}``.

    Each epoch goes once through the data in batches of ``batch_size`` examples (all of them when
    None; shuffled by ``seed`` otherwise) and takes one optimizer step per batch on
    ``loss(outputs, labels) + l2 * nn.l2(model.parameters())``. The history holds, per epoch, the
    mean loss and the accuracy of the outputs computed on the way (before each step, as micrograd's
    demo reports them); accuracy is nan for targets that are not class labels. ``optimizer``
    defaults to ``SGD(model.parameters(), learning_rate=0.1)``. A tqdm progress bar shows on a
    terminal (``progress=None``), always (True) or never (False). ``callback(epoch, history)`` runs
    after each epoch.

    >>> from nn import MLP, SGD, make_moons
    >>> X, y = make_moons(n_samples=20, noise=0.1, seed=1)
    >>> model = MLP(2, [8, 1], seed=1)
    >>> history = fit(model, X, [2 * c - 1 for c in y], optimizer=SGD(model.parameters(), 0.5),
    ...               epochs=5, batch_size=10, seed=1)
    >>> sorted(history), len(history["accuracy"])
    (['accuracy', 'loss'], 5)
    """
    n = len(X)
    if n != len(y):
        raise ValueError(f"fit: {n} examples in X but {len(y)} labels in y")
    if n == 0:
        raise ValueError("fit: no examples")
    if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) or epochs < 0:
        raise ValueError(f"fit: epochs must be an int >= 0, got {epochs!r:.40}")
    if batch_size is None:
        batch_size = n
    elif isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
        raise ValueError(f"fit: batch_size must be a positive int or None, got {batch_size!r:.40}")
    if isinstance(l2, bool) or not isinstance(l2, numbers.Real) or not 0.0 <= l2 < math.inf:
        raise ValueError(f"fit: l2 must be a finite number >= 0, got {l2!r:.40}")
    parameters = model.parameters()
    if optimizer is None:
        optimizer = SGD(parameters, learning_rate=0.1)
    rng = make_rng(seed)
    # the inputs become constant leaves once, not on every step
    inputs = [[x if isinstance(x, Value) else Value(x) for x in row] for row in X]
    labels = list(y)
    classify = _class_like(labels)
    history: dict[str, list[float]] = {"loss": [], "accuracy": []}
    bar = tqdm(
        range(epochs), desc="training", unit="epoch", disable=None if progress is None else not progress
    )
    for epoch in bar:
        order = list(range(n))
        if batch_size < n:
            rng.shuffle(order)
        total, correct = 0.0, 0
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            outputs = [model(inputs[i]) for i in batch]
            batch_labels = [labels[i] for i in batch]
            objective = loss(outputs, batch_labels)
            if l2:
                objective = objective + l2 * losses.l2(parameters)
            optimizer.zero_grad()
            objective.backward()
            optimizer.step()
            total += objective.data * len(batch)
            if classify:
                correct += sum(_is_correct(_score(o), t) for o, t in zip(outputs, batch_labels))
        history["loss"].append(total / n)
        history["accuracy"].append(correct / n if classify else math.nan)
        bar.set_postfix(
            loss=f"{total / n:.4f}", accuracy=f"{correct / n:.1%}" if classify else "-", refresh=False
        )
        if callback is not None:
            callback(epoch, history)
    bar.close()
    return history
