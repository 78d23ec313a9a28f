"""``mlp_step``: one training step of micrograd's demo, in every engine, from the same weights.

The step: ``MLP(2, [16, 16, 1])`` with relu, 100 two-moons points, the SVM max-margin loss
``mean(relu(1 - y * score))`` plus ``1e-4`` times the sum of squared parameters, zero_grad,
backward, and an SGD update. Every engine starts from the same weights; ``check_gradients`` runs
one step's gradients through all of them and compares them with the hand-written float code first.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.harness import check_close, clock, recursion_limit

SIZES = (2, 16, 16, 1)
POINTS = 100
ALPHA = 1e-4
LEARNING_RATE = 0.05  # small, so that repeated steps keep the relu pattern and the work comparable

Weights = list[tuple[list[list[float]], list[float]]]
"""Per layer: the weight rows (one per neuron) and the biases."""


def two_moons(n: int = POINTS, noise: float = 0.1, seed: int = 1) -> tuple[list[list[float]], list[float]]:
    """Two interleaving half circles with Gaussian noise, labels -1 and +1; deterministic."""
    rng = random.Random(seed)
    outer, inner = n - n // 2, n // 2
    xs: list[list[float]] = []
    ys: list[float] = []
    for i in range(outer):
        t = math.pi * i / (outer - 1)
        xs.append([math.cos(t) + rng.gauss(0.0, noise), math.sin(t) + rng.gauss(0.0, noise)])
        ys.append(-1.0)
    for i in range(inner):
        t = math.pi * i / (inner - 1)
        xs.append([1.0 - math.cos(t) + rng.gauss(0.0, noise), 0.5 - math.sin(t) + rng.gauss(0.0, noise)])
        ys.append(1.0)
    return xs, ys


def initial_weights(seed: int = 1337) -> Weights:
    """Weights uniform in [-1, 1] and zero biases, as micrograd's ``Neuron`` draws them."""
    rng = random.Random(seed)
    return [
        ([[rng.uniform(-1.0, 1.0) for _ in range(n_in)] for _ in range(n_out)], [0.0] * n_out)
        for n_in, n_out in zip(SIZES, SIZES[1:])
    ]


def flat(weights: Weights) -> list[float]:
    """All parameters in micrograd's order: per layer, per neuron, its weights then its bias."""
    return [p for rows, biases in weights for row, b in zip(rows, biases) for p in (*row, b)]


class Engine:
    """One way of computing the step. ``loss_and_grads`` leaves gradients in place; ``sgd`` uses them."""

    name = ""

    def __init__(self, weights: Weights, xs: list[list[float]], ys: list[float]) -> None:
        raise NotImplementedError

    def loss_and_grads(self) -> float:
        raise NotImplementedError

    def gradients(self) -> list[float]:
        raise NotImplementedError

    def sgd(self, learning_rate: float) -> None:
        raise NotImplementedError

    def step(self) -> float:
        loss = self.loss_and_grads()
        self.sgd(LEARNING_RATE)
        return loss


# ----- the float limit: explicit loops, forward and the hand-derived backward ------------------


class Floats(Engine):
    """Forward, then the backward of every point, like the graph engines (no data-dependent skips)."""

    name = "floats"
    skip_inactive = False

    def __init__(self, weights: Weights, xs: list[list[float]], ys: list[float]) -> None:
        self.layers = [([list(row) for row in rows], list(biases)) for rows, biases in weights]
        self.xs, self.ys = xs, ys
        self.grads: list[tuple[list[list[float]], list[float]]] = []

    def loss_and_grads(self) -> float:
        layers = self.layers
        last = len(layers) - 1
        grads = [([[0.0] * len(row) for row in rows], [0.0] * len(biases)) for rows, biases in layers]
        inv_n = 1.0 / len(self.xs)
        data_loss = 0.0
        for x, y in zip(self.xs, self.ys):
            inputs = [x]  # the input of each layer
            pre = []  # each layer's pre-activations
            a = x
            for index, (rows, biases) in enumerate(layers):
                z = []
                for row, b in zip(rows, biases):
                    s = b
                    for w, xi in zip(row, a):
                        s += w * xi
                    z.append(s)
                pre.append(z)
                a = z if index == last else [s if s > 0.0 else 0.0 for s in z]
                inputs.append(a)
            margin = 1.0 - y * a[0]
            if margin > 0.0:
                data_loss += margin
                dz = [-y * inv_n]
            elif self.skip_inactive:  # relu(margin) is 0 and so is every gradient of this point
                continue
            else:
                dz = [0.0]
            for index in range(last, -1, -1):
                rows, _ = layers[index]
                grad_rows, grad_biases = grads[index]
                a_in = inputs[index]
                da = [0.0] * len(a_in)
                for j, row in enumerate(rows):
                    d = dz[j]
                    grad_biases[j] += d
                    grad_row = grad_rows[j]
                    for k in range(len(row)):
                        grad_row[k] += d * a_in[k]
                        da[k] += d * row[k]
                if index:
                    dz = [g if s > 0.0 else 0.0 for g, s in zip(da, pre[index - 1])]
        reg = 0.0
        for (rows, biases), (grad_rows, grad_biases) in zip(layers, grads):
            for row, grad_row in zip(rows, grad_rows):
                for k, w in enumerate(row):
                    reg += w * w
                    grad_row[k] += 2.0 * ALPHA * w
            for j, b in enumerate(biases):
                reg += b * b
                grad_biases[j] += 2.0 * ALPHA * b
        self.grads = grads
        return data_loss * inv_n + ALPHA * reg

    def gradients(self) -> list[float]:
        return flat(self.grads)

    def sgd(self, learning_rate: float) -> None:
        for (rows, biases), (grad_rows, grad_biases) in zip(self.layers, self.grads):
            for row, grad_row in zip(rows, grad_rows):
                for k, g in enumerate(grad_row):
                    row[k] -= learning_rate * g
            for j, g in enumerate(grad_biases):
                biases[j] -= learning_rate * g


class FloatsSkipping(Floats):
    """The float code that also skips the backward of points whose loss term is 0: faster still."""

    name = "floats, skip zero-loss points"
    skip_inactive = True


# ----- micrograd: its own MLP and the demo's loss, verbatim in spirit ------------------------


class Micrograd(Engine):
    name = "micrograd"

    def __init__(self, weights: Weights, xs: list[list[float]], ys: list[float]) -> None:
        from micrograd import nn

        self.Value = nn.Value
        self.model = nn.MLP(SIZES[0], list(SIZES[1:]))
        self.params = self.model.parameters()
        for p, w in zip(self.params, flat(weights), strict=True):
            p.data = w
        self.xs, self.ys = xs, ys

    def loss_and_grads(self) -> float:
        Value, model = self.Value, self.model
        inputs = [list(map(Value, row)) for row in self.xs]
        scores = list(map(model, inputs))
        losses = [(1 + -y * score).relu() for y, score in zip(self.ys, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum(p * p for p in self.params)
        total = data_loss + reg_loss
        model.zero_grad()
        with recursion_limit(100_000):
            total.backward()
        return float(total.data)

    def gradients(self) -> list[float]:
        return [float(p.grad) for p in self.params]

    def sgd(self, learning_rate: float) -> None:
        for p in self.params:
            p.data -= learning_rate * p.grad


# ----- PyTorch: every scalar a 0-d float64 tensor, the same binary-op graph as micrograd --------


class Torch(Engine):
    name = "torch scalars"

    def __init__(self, weights: Weights, xs: list[list[float]], ys: list[float]) -> None:
        import torch

        self.torch = torch

        def param(v: float) -> Any:
            return torch.tensor(v, dtype=torch.float64, requires_grad=True)

        self.layers = [
            ([[param(w) for w in row] for row in rows], [param(b) for b in biases])
            for rows, biases in weights
        ]
        self.params = [p for rows, biases in self.layers for row, b in zip(rows, biases) for p in (*row, b)]
        self.xs, self.ys = xs, ys

    def loss_and_grads(self) -> float:
        torch = self.torch
        last = len(self.layers) - 1
        losses = []
        for row, y in zip(self.xs, self.ys):
            a = [torch.tensor(v, dtype=torch.float64) for v in row]
            for index, (rows, biases) in enumerate(self.layers):
                z = [sum((w * x for w, x in zip(ws, a)), b) for ws, b in zip(rows, biases)]
                a = z if index == last else [s.relu() for s in z]
            losses.append((1 + -y * a[0]).relu())
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum(p * p for p in self.params)
        total = data_loss + reg_loss
        for p in self.params:
            p.grad = None
        total.backward()
        return float(total.item())

    def gradients(self) -> list[float]:
        return [p.grad.item() for p in self.params]

    def sgd(self, learning_rate: float) -> None:
        with self.torch.no_grad():
            for p in self.params:
                p -= learning_rate * p.grad


# ----- chainrule: the same network from Values, one n-ary node per neuron --------------------


class Chainrule(Engine):
    name = "chainrule"

    def __init__(self, weights: Weights, xs: list[list[float]], ys: list[float]) -> None:
        import autograd

        self.autograd = autograd
        Value = autograd.Value
        self.layers = [
            ([[Value(w) for w in row] for row in rows], [Value(b) for b in biases])
            for rows, biases in weights
        ]
        self.params = [p for rows, biases in self.layers for row, b in zip(rows, biases) for p in (*row, b)]
        self.xs, self.ys = xs, ys

    def loss_and_grads(self) -> float:
        ag = self.autograd
        Value, linear = ag.Value, ag.linear
        last = len(self.layers) - 1
        losses = []
        for row, y in zip(self.xs, self.ys):
            a = [Value(v) for v in row]
            for index, (rows, biases) in enumerate(self.layers):
                z = [linear(ws, a, b) for ws, b in zip(rows, biases)]
                a = z if index == last else [s.relu() for s in z]
            losses.append((1.0 - y * a[0]).relu())
        data_loss = ag.sum(losses) * (1.0 / len(losses))
        reg_loss = ag.dot(self.params, self.params) * ALPHA
        total = data_loss + reg_loss
        for p in self.params:
            p.grad = 0.0
        total.backward()
        return total.data

    def gradients(self) -> list[float]:
        return [p.grad for p in self.params]

    def sgd(self, learning_rate: float) -> None:
        for p in self.params:
            p.data -= learning_rate * p.grad


class NNChainrule(Engine):
    """The step as a user writes it with chainrule's ``nn``: ``nn.MLP``, ``nn.hinge``, ``nn.l2``, ``nn.SGD``.

    The weights are overwritten with the shared initial weights, so that its gradients can be checked
    against every other engine.
    """

    name = "chainrule nn.MLP"

    def __init__(self, weights: Weights, xs: list[list[float]], ys: list[float]) -> None:
        import nn

        self.nn = nn
        self.model = nn.MLP(SIZES[0], list(SIZES[1:]), activation="relu", seed=0)
        self.params = self.model.parameters()
        for p, w in zip(self.params, flat(weights), strict=True):
            p.data = w
        # positional: revisions name the keyword learning_rate or lr
        self.optimizer = nn.SGD(self.params, LEARNING_RATE)
        self.xs, self.ys = xs, ys

    def loss_and_grads(self) -> float:
        nn, model = self.nn, self.model
        scores = [model(x)[0] for x in self.xs]
        total = nn.hinge(scores, self.ys) + nn.l2(self.params) * ALPHA
        self.optimizer.zero_grad()
        total.backward()
        return float(total.data)

    def gradients(self) -> list[float]:
        return [p.grad for p in self.params]

    def sgd(self, learning_rate: float) -> None:
        self.optimizer.step()  # the optimizer's own learning rate, LEARNING_RATE


def engines(include_torch: bool = True) -> list[type[Engine]]:
    found: list[type[Engine]] = [Chainrule, NNChainrule, Micrograd, Floats, FloatsSkipping]
    if include_torch:
        found.append(Torch)
    return found


def check_gradients(classes: Sequence[type[Engine]]) -> dict[str, float]:
    """One step's loss and gradients in every engine, from the same weights, against the float code."""
    weights = initial_weights()
    xs, ys = two_moons()
    reference = Floats(weights, xs, ys)
    want_loss = reference.loss_and_grads()
    want = reference.gradients()
    losses = {}
    for cls in classes:
        engine = cls(weights, xs, ys)
        loss = engine.loss_and_grads()
        check_close(f"mlp_step {cls.name} loss", [loss], [want_loss])
        check_close(f"mlp_step {cls.name}", engine.gradients(), want)
        losses[cls.name] = loss
    return losses


def engine_trial(cls: type[Engine], n: int) -> Callable[[], dict[str, float]]:
    """A trial for one engine (built in its own process): ``n`` consecutive steps, seconds per step."""
    engine = cls(initial_weights(), *two_moons())

    def trial() -> dict[str, float]:
        start = clock()
        for _ in range(n):
            engine.step()
        return {"step": (clock() - start) / n}

    return trial
