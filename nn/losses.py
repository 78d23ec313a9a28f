"""Loss functions ``loss(predictions, targets)``: the mean over examples, as a ``Value``.

Predictions may be Values or plain numbers; a one-element list (what an ``MLP`` with one output
returns) counts as its element, so ``hinge([model(x) for x in X], y)`` works. Means over examples
are one n-ary ``autograd.sum`` node, never a chain of ``+``: a loss over thousands of examples (or
``l2`` over thousands of parameters) stays shallow.
"""

from __future__ import annotations

import numbers
import operator
import sys
from collections.abc import Sequence
from typing import Any

import autograd
from autograd import Value
from nn.arguments import as_number, is_number

Scalar = Any  # a Value or a real number


def _scalar(prediction: Any, index: int, loss: str) -> Scalar:
    """A prediction as one scalar: a one-element list or tuple is unwrapped."""
    if isinstance(prediction, (list, tuple)):
        if len(prediction) != 1:
            raise ValueError(
                f"{loss}: prediction {index} has {len(prediction)} outputs; {loss} takes one score per "
                "example (for several classes use cross_entropy)"
            )
        prediction = prediction[0]
    if isinstance(prediction, Value):
        return prediction
    return as_number(prediction, f"{loss}: prediction {index}")


def _pair(predictions: Sequence[Any], targets: Sequence[Any], loss: str) -> int:
    """Check that there are equally many predictions and targets, and at least one."""
    try:
        n, m = len(predictions), len(targets)
    except TypeError:
        raise TypeError(f"{loss}: expected a list of predictions and a list of targets") from None
    if n != m:
        raise ValueError(f"{loss}: {n} predictions but {m} targets; they must be equally many")
    if n == 0:
        raise ValueError(f"{loss}: no examples (the mean of nothing is undefined)")
    return n


def _mean(terms: list[Any], n: int) -> Value:
    return autograd.sum(terms) * (1.0 / n)


def mse(predictions: Sequence[Any], targets: Sequence[Any]) -> Value:
    """Mean squared error: the mean over examples of ``(prediction - target) ** 2`` (targets are
    numbers, or Values such as a traced program's inputs).

    >>> from autograd import Value
    >>> mse([Value(1.0), Value(3.0)], [0.0, 1.0]).data
    2.5
    """
    n = _pair(predictions, targets, "mse")
    errors = [
        _scalar(p, i, "mse") - (t if isinstance(t, Value) else as_number(t, f"mse: target {i}"))
        for i, (p, t) in enumerate(zip(predictions, targets))
    ]
    return autograd.dot(errors, errors) * (1.0 / n)


def _sign_label(label: Any, index: int) -> float:
    if not is_number(label) or label not in (-1, 1):
        hint = " (for 0/1 labels use 2 * y - 1)" if is_number(label) and label == 0 else ""
        raise ValueError(f"hinge: label {index} is {label!r}; hinge needs labels -1 or +1{hint}")
    return float(label)


def hinge(scores: Sequence[Any], labels: Sequence[Any]) -> Value:
    """The SVM max-margin loss of micrograd's demo: the mean of ``relu(1 - y * score)``, y = -1 or +1.

    An example costs nothing once it is on the right side with a margin of 1.

    >>> from autograd import Value
    >>> hinge([Value(2.0), Value(0.5), Value(-1.5)], [1, 1, 1]).data  # (0 + 0.5 + 2.5) / 3
    1.0
    """
    n = _pair(scores, labels, "hinge")
    terms = [
        autograd.relu(_scalar(s, i, "hinge") * -_sign_label(y, i) + 1.0)  # 1 - y*s in two nodes
        for i, (s, y) in enumerate(zip(scores, labels))
    ]
    return _mean(terms, n)


def _binary_label(label: Any, index: int) -> bool:
    if not is_number(label) or label not in (0, 1):
        hint = " (for -1/+1 labels use (y + 1) / 2)" if label == -1 else ""
        raise ValueError(f"binary_cross_entropy: label {index} is {label!r}; it needs labels 0 or 1{hint}")
    return bool(label == 1)


def binary_cross_entropy(logits: Sequence[Any], labels: Sequence[Any]) -> Value:
    """Binary cross-entropy of logits (scores before the sigmoid), labels 0 or 1, mean over examples.

    ``-log sigmoid(z) = softplus(-z)`` for label 1 and ``-log(1 - sigmoid(z)) = softplus(z)`` for
    label 0: one ``softplus`` per example, never a ``log`` of a rounded probability, so it is exact
    at 0 (``log 2``) and finite at +-1000 (0 when right, 1000 when wrong).

    >>> from autograd import Value
    >>> binary_cross_entropy([Value(0.0)], [1]).data  # log 2
    0.6931471805599453
    >>> binary_cross_entropy([Value(1000.0), Value(-1000.0)], [0, 1]).data
    1000.0
    """
    n = _pair(logits, labels, "binary_cross_entropy")
    terms = []
    for i, (z, y) in enumerate(zip(logits, labels)):
        z = _scalar(z, i, "binary_cross_entropy")
        terms.append(autograd.softplus(-z if _binary_label(y, i) else z))
    return _mean(terms, n)


def _class_index(label: Any, index: int, n_classes: int) -> int:
    integral = is_number(label) and isinstance(label, numbers.Integral)
    if not integral or not 0 <= operator.index(label) < n_classes:
        raise ValueError(
            f"cross_entropy: label {index} is {label!r}; it must be a class index 0..{n_classes - 1}"
        )
    return operator.index(label)


def _logit(logit: Any, example: int, index: int) -> Scalar:
    if isinstance(logit, Value):
        return logit
    return as_number(logit, f"cross_entropy: logit {index} of example {example}")


def cross_entropy(logits: Sequence[Sequence[Any]], labels: Sequence[Any]) -> Value:
    """Softmax cross-entropy: one list of logits per example and its class index, mean over examples.

    Each term is ``log(sum_j exp(z_j)) - z_label``, computed with every logit shifted by the largest
    one, ``m``: ``log(sum_j exp(z_j - m)) - (z_label - m)``, so no ``exp`` overflows at +-1000 and
    nothing is lost to rounding at 1e308. The shift passes no gradient (it is detached); the
    identity holds for any constant, so gradients are exact: ``softmax - onehot``.

    >>> from autograd import Value
    >>> round(cross_entropy([[Value(0.0), Value(0.0)]], [1]).data, 12)  # log 2
    0.69314718056
    >>> cross_entropy([[Value(1000.0), Value(-1000.0)]], [1]).data
    2000.0
    """
    n = _pair(logits, labels, "cross_entropy")
    n_classes = None
    terms = []
    for i, (row, y) in enumerate(zip(logits, labels)):
        if not isinstance(row, Sequence) or isinstance(row, (str, bytes)):
            raise TypeError(f"cross_entropy: example {i} must be a list of logits, got {type(row).__name__}")
        if n_classes is None:
            n_classes = len(row)
            if n_classes < 2:
                raise ValueError("cross_entropy: each example needs at least 2 logits (one per class)")
        elif len(row) != n_classes:
            raise ValueError(f"cross_entropy: example {i} has {len(row)} logits, example 0 has {n_classes}")
        label = _class_index(y, i, n_classes)
        zs = [_logit(z, i, j) for j, z in enumerate(row)]
        shift = _shift(zs)
        # log(sum_j exp(z_j - m)) - (z_label - m): the shift cancels before it is added to anything,
        # so log 2 survives at z = 1e17 (where 1e17 + log 2 rounds to 1e17)
        log_sum_exp = autograd.log(autograd.sum([autograd.exp(z - shift) for z in zs]))
        terms.append(log_sum_exp - (zs[label] - shift))
    return _mean(terms, n)


def _shift(logits: list[Scalar]) -> Scalar:
    """The largest logit, clamped to the finite floats, as a constant: what the log-sum-exp subtracts.

    Built from Value operations and detached, so that a traced program computes it for each example
    (comparing Values would bake one example's branch in). At +-inf the clamp gives the numbers
    that no shift gives; nan stays nan.

    >>> _shift([1.0, 3.0, 2.0]), _shift([float("inf"), 0.0]) == sys.float_info.max
    (3.0, True)
    """
    largest = logits[0]
    for z in logits[1:]:
        largest = autograd.maximum(largest, z)
    clamped = autograd.minimum(autograd.maximum(largest, -sys.float_info.max), sys.float_info.max)
    return clamped.detach() if isinstance(clamped, Value) else clamped


def l2(parameters: Sequence[Any]) -> Value:
    """The sum of squares of the parameters, as one node: multiply by a small factor to regularise.

    micrograd's demo adds ``1e-4 * l2(model.parameters())`` to its loss.

    >>> from autograd import Value
    >>> l2([Value(1.0), Value(-2.0)]).data
    5.0
    """
    parameters = list(parameters)
    return autograd.dot(parameters, parameters)
