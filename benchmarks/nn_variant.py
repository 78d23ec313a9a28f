"""``mlp_step`` through chainrule's own ``nn`` package: ``nn.MLP``, ``nn.hinge``, ``nn.l2``, ``nn.SGD``.

This is how a user writes micrograd's demo step with chainrule; the weights are overwritten with the
shared initial weights so that its gradients can be checked against every other engine.
"""

from __future__ import annotations

from benchmarks.mlp import ALPHA, LEARNING_RATE, SIZES, Engine, Weights, flat


class NNChainrule(Engine):
    name = "chainrule nn.MLP"

    def __init__(self, weights: Weights, xs: list[list[float]], ys: list[float]) -> None:
        import nn

        self.nn = nn
        self.model = nn.MLP(SIZES[0], list(SIZES[1:]), activation="relu", seed=0)
        self.params = self.model.parameters()
        for p, w in zip(self.params, flat(weights), strict=True):
            p.data = w
        self.optimizer = nn.SGD(self.params, learning_rate=LEARNING_RATE)
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
