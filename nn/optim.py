"""Optimizers (``SGD``, ``Adam``) and a learning-rate schedule (``LinearDecay``).

An optimizer holds a list of parameters; ``zero_grad()`` clears their gradients and ``step()``
moves them against their gradients. Updates change ``p.data`` in place under ``no_grad``, so they
never become part of a graph. The update rules follow PyTorch's ``torch.optim.SGD`` and
``torch.optim.Adam`` (weight decay added to the gradient, first momentum buffer = first gradient).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Union

from autograd import Value, divide, no_grad
from nn.arguments import check_number, check_size, is_number, to_float
from nn.module import zero_grad

Schedule = Callable[[int], float]
LearningRate = Union[float, Schedule]


class LinearDecay:
    """A learning rate going linearly from ``start`` to ``end`` over ``steps`` steps, then staying.

    ``LinearDecay(1.0, 0.1, 100)`` is micrograd's demo schedule ``1.0 - 0.9 * k / 100``.

    >>> schedule = LinearDecay(1.0, 0.1, 100)
    >>> schedule(0), round(schedule(50), 12), round(schedule(100), 12), round(schedule(500), 12)
    (1.0, 0.55, 0.1, 0.1)
    """

    def __init__(self, start: float, end: float, steps: int) -> None:
        self.start = check_number(start, "LinearDecay: start", 0.0)
        self.end = check_number(end, "LinearDecay: end", 0.0)
        self.steps = check_size(steps, "LinearDecay: steps")

    def __call__(self, step: int) -> float:
        fraction = min(step, self.steps) / self.steps
        return self.start + (self.end - self.start) * fraction

    def __repr__(self) -> str:
        return f"LinearDecay(start={self.start}, end={self.end}, steps={self.steps})"


class ConstantRate:
    """The schedule of a fixed learning rate (a class, not a lambda, so that optimizers pickle).

    >>> ConstantRate(0.1)(500)
    0.1
    """

    def __init__(self, rate: float) -> None:
        self.rate = rate

    def __call__(self, step: int) -> float:
        return self.rate

    def __repr__(self) -> str:
        return f"ConstantRate({self.rate})"


class Optimizer:
    """The base of optimizers: parameters, a learning rate (a number or a schedule), a step count."""

    def __init__(self, parameters: Iterable[Value], learning_rate: LearningRate) -> None:
        self.parameters = list(parameters)
        if not self.parameters:
            raise ValueError(f"{type(self).__name__}: no parameters to optimize")
        first_index: dict[Value, int] = {}
        for index, parameter in enumerate(self.parameters):
            if not isinstance(parameter, Value):
                raise TypeError(
                    f"{type(self).__name__}: parameter {index} is {type(parameter).__name__}, not a Value"
                )
            if parameter in first_index:  # it would be updated twice per step
                raise ValueError(
                    f"{type(self).__name__}: parameter {index} is parameter {first_index[parameter]} again; "
                    "list each parameter once (model.parameters() does)"
                )
            first_index[parameter] = index
        if callable(learning_rate):
            self.schedule: Schedule = learning_rate
        else:
            name = f"{type(self).__name__}: learning_rate"
            self.schedule = ConstantRate(check_number(learning_rate, name, 0.0, open_low=True))
        self.steps = 0
        """How many times ``step()`` has run."""

    @property
    def learning_rate(self) -> float:
        """The learning rate the next ``step()`` uses: a finite number >= 0, or a ``ValueError``.

        >>> from autograd import Value
        >>> optimizer = SGD([Value(1.0)], learning_rate=lambda step: 0.5 - 0.25 * step)
        >>> for _ in range(3):
        ...     optimizer.step()
        >>> optimizer.step()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: SGD: the learning-rate schedule gave -0.25 at step 3; a learning rate is a finite ...
        """
        rate = self.schedule(self.steps)
        number = to_float(rate) if is_number(rate) else math.nan
        if not 0.0 <= number < math.inf:
            raise ValueError(
                f"{type(self).__name__}: the learning-rate schedule gave {rate!r:.40} at step {self.steps}; "
                "a learning rate is a finite number >= 0"
            )
        return number

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (``grad = 0.0``, ``grad_value = None``)."""
        zero_grad(self.parameters)

    def step(self) -> None:
        """Move every parameter once against its gradient, then count the step."""
        with no_grad():
            self._update(self.learning_rate)
        self.steps += 1

    def _update(self, learning_rate: float) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum and weight decay (as ``torch.optim.SGD``).

    ``g = grad + weight_decay * p``; with momentum ``buffer = momentum * buffer + g`` (the first
    buffer is ``g``) and ``p -= learning_rate * buffer``; without, ``p -= learning_rate * g``.

    >>> from autograd import Value
    >>> p = Value(1.0)
    >>> optimizer = SGD([p], learning_rate=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     optimizer.zero_grad()
    ...     (p * p).backward()  # gradient 2p
    ...     optimizer.step()
    >>> round(p.data, 6)  # 1 - 0.1*2 = 0.8, then buffer 0.9*2 + 1.6 = 3.4: 0.8 - 0.34
    0.46
    """

    def __init__(
        self,
        parameters: Iterable[Value],
        learning_rate: LearningRate = 0.01,
        *,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(parameters, learning_rate)
        self.momentum = check_number(momentum, "SGD: momentum", 0.0, 1.0)
        self.weight_decay = check_number(weight_decay, "SGD: weight_decay", 0.0)
        self.buffers: list[float] | None = None

    def _update(self, learning_rate: float) -> None:
        decay, momentum = self.weight_decay, self.momentum
        if momentum == 0.0:
            for p in self.parameters:
                p.data -= learning_rate * (p.grad + decay * p.data if decay else p.grad)
            return
        first = self.buffers is None
        buffers = self.buffers if self.buffers is not None else [0.0] * len(self.parameters)
        for i, p in enumerate(self.parameters):
            g = p.grad + decay * p.data if decay else p.grad
            buffers[i] = g if first else momentum * buffers[i] + g
            p.data -= learning_rate * buffers[i]
        self.buffers = buffers

    def __repr__(self) -> str:
        return (
            f"SGD({len(self.parameters)} parameters, learning_rate={self.learning_rate}, "
            f"momentum={self.momentum}, weight_decay={self.weight_decay})"
        )


class Adam(Optimizer):
    """Adam (Kingma and Ba 2015), as ``torch.optim.Adam``: per-parameter steps from gradient moments.

    ``m = b1 m + (1 - b1) g``, ``v = b2 v + (1 - b2) g**2``, and after bias correction
    ``p -= learning_rate * m_hat / (sqrt(v_hat) + eps)``: the first step moves every parameter by
    about ``learning_rate`` whatever the gradient's size.

    >>> from autograd import Value
    >>> p = Value(1.0)
    >>> optimizer = Adam([p], learning_rate=0.1)
    >>> (p * p).backward()
    >>> optimizer.step()
    >>> round(p.data, 6)
    0.9
    """

    def __init__(
        self,
        parameters: Iterable[Value],
        learning_rate: LearningRate = 0.001,
        *,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(parameters, learning_rate)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"Adam: betas must be a pair of numbers, got {betas!r:.40}")
        self.betas = (
            check_number(betas[0], "Adam: betas[0]", 0.0, 1.0),
            check_number(betas[1], "Adam: betas[1]", 0.0, 1.0),
        )
        if self.betas[0] == 1.0 or self.betas[1] == 1.0:
            raise ValueError("Adam: betas must be below 1")
        self.eps = check_number(eps, "Adam: eps", 0.0)
        self.weight_decay = check_number(weight_decay, "Adam: weight_decay", 0.0)
        self.first_moments = [0.0] * len(self.parameters)
        self.second_moments = [0.0] * len(self.parameters)

    def _update(self, learning_rate: float) -> None:
        beta1, beta2 = self.betas
        t = self.steps + 1
        correction1, correction2 = 1.0 - beta1**t, 1.0 - beta2**t
        m, v, decay, eps = self.first_moments, self.second_moments, self.weight_decay, self.eps
        for i, p in enumerate(self.parameters):
            g = p.grad + decay * p.data if decay else p.grad
            m[i] = beta1 * m[i] + (1.0 - beta1) * g
            v[i] = beta2 * v[i] + (1.0 - beta2) * g * g
            # IEEE division, as PyTorch: eps = 0 with a zero gradient gives 0 / 0 = nan, not an exception
            p.data -= learning_rate * divide(m[i] / correction1, math.sqrt(v[i] / correction2) + eps)

    def __repr__(self) -> str:
        return (
            f"Adam({len(self.parameters)} parameters, learning_rate={self.learning_rate}, "
            f"betas={self.betas}, eps={self.eps}, weight_decay={self.weight_decay})"
        )
