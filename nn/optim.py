"""Optimizers (``SGD``, ``Adam``) and a learning-rate schedule (``LinearDecay``).

An optimizer holds a list of parameters; ``zero_grad()`` clears their gradients and ``step()``
moves them against their gradients. Updates change ``p.data`` in place under ``no_grad``, so they
never become part of a graph. The update rules follow PyTorch's ``torch.optim.SGD`` and
``torch.optim.Adam`` (weight decay added to the gradient, first momentum buffer = first gradient,
a parameter whose ``grad`` is None skipped), and so do the names: ``lr``, ``momentum``, ``betas``,
``eps``, ``weight_decay``, ``zero_grad(set_to_none=True)``, ``state_dict()``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Union

from autograd import Value, divide, no_grad
from nn.arguments import check_number, check_size, is_number, to_float
from nn.module import zero_grad

Schedule = Callable[[int], float]
LearningRate = Union[float, Schedule]
EntryCheck = Callable[[object, str], Any]


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


class Optimizer:
    """The base of optimizers: parameters, a learning rate ``lr`` (a number or a schedule), a step count.

    ``lr`` is the learning rate as given: a number, or a schedule (a function of the step count,
    such as ``LinearDecay``). It may be set between steps, as PyTorch's ``param_groups[0]["lr"]``.
    ``learning_rate`` is the rate the next ``step()`` uses, read-only.

    A subclass defines ``_update(lr)`` (one step at the learning rate ``lr``) and, if it keeps a
    running state, ``STATE_LISTS`` (one list per parameter, by name, with the check of an entry)
    with ``_running_state()`` and ``_load_running_state(lists)``.

    Every optimizer is used the same way (here ``SGD``): backward, step, zero the gradients.

    >>> from autograd import Value
    >>> w = Value(1.0)
    >>> optimizer = SGD([w], lr=0.1)
    >>> (w * w).backward()  # dL/dw = 2w = 2
    >>> optimizer.step()
    >>> optimizer.zero_grad()
    >>> w.data, w.grad, optimizer.steps
    (0.8, None, 1)
    """

    STATE_LISTS: dict[str, EntryCheck] = {}
    """The lists of the running state (one entry per parameter) by name, each with its entry check."""

    def __repr__(self) -> str:
        """What it is, for a subclass without its own: ``MyOptimizer(3 parameters, lr=0.1)``."""
        return f"{type(self).__name__}({len(self.parameters)} parameters, lr={self.lr!r})"

    def __init__(self, parameters: Iterable[Value], lr: LearningRate) -> None:
        self.parameters = _distinct_values(list(parameters), type(self).__name__)
        if not callable(lr):
            lr = check_number(lr, f"{type(self).__name__}: lr", 0.0, open_low=True)
        self.lr: LearningRate = lr
        """The learning rate as given: a number, or a schedule of the step count."""
        self.steps = 0
        """How many times ``step()`` has run."""

    @property
    def learning_rate(self) -> float:
        """The learning rate the next ``step()`` uses (read-only): a finite number >= 0, or a ``ValueError``.

        >>> from autograd import Value
        >>> optimizer = SGD([Value(1.0)], lr=lambda step: 0.5 - 0.25 * step)
        >>> for _ in range(3):
        ...     optimizer.step()
        >>> optimizer.step()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: SGD: the learning-rate schedule gave -0.25 at step 3; a learning rate is a finite ...
        """
        rate = self.lr(self.steps) if callable(self.lr) else self.lr
        number = to_float(rate) if is_number(rate) else math.nan
        if not 0.0 <= number < math.inf:
            source = "the learning-rate schedule gave" if callable(self.lr) else "lr is"
            raise ValueError(
                f"{type(self).__name__}: {source} {rate!r:.40} at step {self.steps}; "
                "a learning rate is a finite number >= 0"
            )
        return number

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's gradient: ``grad = None`` (as PyTorch 2), or 0 with ``set_to_none=False``.

        See ``nn.module.zero_grad``; ``step()`` skips a parameter whose gradient is None.

        >>> from autograd import Value
        >>> w = Value(1.0)
        >>> (w * 3).backward()
        >>> optimizer = SGD([w], lr=0.1)
        >>> optimizer.zero_grad()
        >>> w.grad is None
        True
        """
        zero_grad(self.parameters, set_to_none)

    def step(self) -> None:
        """Move every parameter that has a gradient once against it, then count the step.

        A step that raises (a gradient that is not a number, say) changes nothing: no parameter,
        no running state, no count.

        >>> from autograd import Value
        >>> w = Value(1.0)
        >>> (w * 3).backward()  # dL/dw = 3
        >>> optimizer = SGD([w], lr=0.1)
        >>> optimizer.step()
        >>> round(w.data, 12), optimizer.steps
        (0.7, 1)
        """
        with no_grad():
            self._update(self.learning_rate)
        self.steps += 1

    def _update(self, lr: float) -> None:
        """One step at the learning rate ``lr``: compute every new value first, then ``_commit`` them."""
        raise NotImplementedError

    @staticmethod
    def _commit(moved: list[tuple[Value, float]]) -> None:
        """Give each parameter its new value, once the whole step is computed: it cannot fail half-way."""
        for parameter, data in moved:
            parameter.data = data

    # ----- state: what resuming needs, as JSON-ready data ---------------------------------

    def state_dict(self) -> dict[str, Any]:
        """The running state: the type, the step count and per-parameter lists; JSON-ready.

        With the same parameters, a new optimizer built the same way that loads it goes on
        exactly (bit for bit) as this one would have. The settings (``lr``, ``momentum``, ...)
        are not in it: they are the constructor's.

        >>> from autograd import Value
        >>> p = Value(1.0)
        >>> optimizer = SGD([p], lr=0.1, momentum=0.9)
        >>> p.grad = 2.0
        >>> optimizer.step()
        >>> optimizer.state_dict()
        {'type': 'SGD', 'steps': 1, 'momentum_buffers': [2.0]}
        """
        return {"type": type(self).__name__, "steps": self.steps, **self._running_state()}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Go on from ``state``, as made by ``state_dict()`` (also through ``json.dumps``/``json.loads``).

        The state must be of this kind of optimizer, with one entry per parameter in each list;
        otherwise a ``ValueError`` names the first wrong field and NOTHING is changed.

        >>> import json
        >>> from autograd import Value
        >>> saved = json.dumps({"type": "Adam", "steps": 3, "parameter_steps": [3],
        ...                     "first_moments": [0.1], "second_moments": [0.02]})
        >>> optimizer = Adam([Value(1.0)], lr=0.01)
        >>> optimizer.load_state_dict(json.loads(saved))
        >>> optimizer.steps, optimizer.first_moments
        (3, [0.1])
        >>> SGD([Value(1.0)], lr=0.1).load_state_dict(json.loads(saved))
        Traceback (most recent call last):
        ...
        ValueError: SGD.load_state_dict: the state's type is 'Adam', this optimizer's 'SGD'
        """
        steps, lists = _read_state(state, type(self).__name__, self.STATE_LISTS, len(self.parameters))
        self._load_running_state(lists)
        self.steps = steps

    def _running_state(self) -> dict[str, list[Any]]:
        return {}

    def _load_running_state(self, lists: dict[str, list[Any]]) -> None:
        pass


def _distinct_values(parameters: list[Any], kind: str) -> list[Value]:
    """``parameters``, checked: at least one, each a Value, none twice."""
    if not parameters:
        raise ValueError(f"{kind}: no parameters to optimize")
    first_index: dict[Value, int] = {}
    for index, parameter in enumerate(parameters):
        if not isinstance(parameter, Value):
            raise TypeError(f"{kind}: parameter {index} is {type(parameter).__name__}, not a Value")
        if parameter in first_index:  # it would be updated twice per step
            raise ValueError(
                f"{kind}: parameter {index} is parameter {first_index[parameter]} again; "
                "list each parameter once (model.parameters() does)"
            )
        first_index[parameter] = index
    return parameters


def _read_state(
    state: object, kind: str, list_checks: Mapping[str, EntryCheck], size: int
) -> tuple[int, dict[str, list[Any]]]:
    """The step count and the lists of the state of a ``kind`` optimizer of ``size`` parameters, checked."""
    where = f"{kind}.load_state_dict"
    if not isinstance(state, Mapping):
        raise TypeError(f"{where}: expected a mapping as state_dict() returns, got {type(state).__name__}")
    if "type" in state and state["type"] != kind:
        raise ValueError(f"{where}: the state's type is {state['type']!r:.40}, this optimizer's {kind!r}")
    expected = ["type", "steps", *list_checks]
    for key in expected:
        if key not in state:
            raise ValueError(f"{where}: the state has no {key!r} ({kind}'s state has {', '.join(expected)})")
    for key in state:
        if key not in expected:
            raise ValueError(f"{where}: the state has {key!r:.40}, which {kind}'s state does not have")
    steps = _count(state["steps"], f"{where}: steps")
    lists = {
        key: _checked_list(state[key], check, size, f"{where}: {key}") for key, check in list_checks.items()
    }
    return steps, lists


def _number(entry: object, where: str) -> float:
    """A number of the running state (nan and inf included: a state is what training made)."""
    if not is_number(entry):
        raise ValueError(f"{where} is {type(entry).__name__} {entry!r:.40}, not a number")
    return to_float(entry)


def _second_moment(entry: object, where: str) -> float:
    """A second moment: a running mean of squared gradients, so never negative (nan and inf can be)."""
    number = _number(entry, where)
    if number < 0.0:
        raise ValueError(
            f"{where} is {number!r}, below 0: a second moment is a mean of squared gradients, "
            "so this state was not made by Adam"
        )
    return number


def _number_or_none(entry: object, where: str) -> float | None:
    """A number, or None (null in JSON) for a buffer not started yet."""
    return None if entry is None else _number(entry, where)


def _count(entry: object, where: str) -> int:
    """A count of steps: an int >= 0 (a float holding one, as some JSON writers make, too)."""
    number = to_float(entry) if is_number(entry) else math.nan
    if number.is_integer() and number >= 0:
        return int(number)
    raise ValueError(f"{where} is {type(entry).__name__} {entry!r:.40}, not a count (an int >= 0)")


def _checked_list(entries: object, check: EntryCheck, size: int, where: str) -> list[Any]:
    """``entries`` as a list of ``size`` entries, each through ``check``."""
    if not isinstance(entries, (list, tuple)):
        raise ValueError(f"{where} is {type(entries).__name__} {entries!r:.40}, not a list")
    if len(entries) != size:
        raise ValueError(f"{where} has {len(entries)} entries, but the optimizer has {size} parameters")
    return [check(entry, f"{where}[{i}]") for i, entry in enumerate(entries)]


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum and weight decay (as ``torch.optim.SGD``).

    ``g = grad + weight_decay * p``; with momentum ``buffer = momentum * buffer + g`` (the first
    buffer is ``g``) and ``p -= lr * buffer``; without, ``p -= lr * g``. A parameter whose gradient
    is None is left alone, its buffer too.

    >>> from autograd import Value
    >>> p = Value(1.0)
    >>> optimizer = SGD([p], lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     optimizer.zero_grad()
    ...     (p * p).backward()  # gradient 2p
    ...     optimizer.step()
    >>> round(p.data, 6)  # 1 - 0.1*2 = 0.8, then buffer 0.9*2 + 1.6 = 3.4: 0.8 - 0.34
    0.46
    """

    STATE_LISTS = {"momentum_buffers": _number_or_none}

    def __init__(
        self,
        parameters: Iterable[Value],
        lr: LearningRate = 0.001,
        *,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(parameters, lr)
        self.momentum = check_number(momentum, "SGD: momentum", 0.0, 1.0)
        self.weight_decay = check_number(weight_decay, "SGD: weight_decay", 0.0)
        self.momentum_buffers: list[float | None] = [None] * len(self.parameters)
        """Each parameter's momentum buffer; None until its first step with momentum."""

    def _update(self, lr: float) -> None:
        decay, momentum, buffers = self.weight_decay, self.momentum, list(self.momentum_buffers)
        moved = []
        for i, p in enumerate(self.parameters):
            g: float | None = p.grad
            if g is None:
                continue
            if decay:
                g += decay * p.data
            if momentum:
                buffer = buffers[i]
                g = buffers[i] = g if buffer is None else momentum * buffer + g
            moved.append((p, p.data - lr * g))
        self._commit(moved)
        self.momentum_buffers = buffers

    def _running_state(self) -> dict[str, list[Any]]:
        return {"momentum_buffers": list(self.momentum_buffers)}

    def _load_running_state(self, lists: dict[str, list[Any]]) -> None:
        self.momentum_buffers = lists["momentum_buffers"]

    def __repr__(self) -> str:
        return (
            f"SGD({len(self.parameters)} parameters, lr={self.lr!r}, "
            f"momentum={self.momentum}, weight_decay={self.weight_decay})"
        )


class Adam(Optimizer):
    """Adam (Kingma and Ba 2015), as ``torch.optim.Adam``: per-parameter steps from gradient moments.

    ``m = b1 m + (1 - b1) g``, ``v = b2 v + (1 - b2) g**2``, and after bias correction
    ``p -= lr * m_hat / (sqrt(v_hat) + eps)``: the first step moves every parameter by about ``lr``
    whatever the gradient's size. As in PyTorch, each parameter counts its own updates (the bias
    correction's ``t``): a parameter whose gradient is None is left alone and its count stays.

    >>> from autograd import Value
    >>> p = Value(1.0)
    >>> optimizer = Adam([p], lr=0.1)
    >>> (p * p).backward()
    >>> optimizer.step()
    >>> round(p.data, 6)
    0.9
    """

    STATE_LISTS = {"parameter_steps": _count, "first_moments": _number, "second_moments": _second_moment}

    def __init__(
        self,
        parameters: Iterable[Value],
        lr: LearningRate = 0.001,
        *,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(parameters, lr)
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
        self.parameter_steps = [0] * len(self.parameters)
        """How many updates each parameter has had (the ``t`` of its bias correction)."""
        self.first_moments = [0.0] * len(self.parameters)
        self.second_moments = [0.0] * len(self.parameters)

    def _update(self, lr: float) -> None:
        beta1, beta2 = self.betas
        m, v, counts = list(self.first_moments), list(self.second_moments), list(self.parameter_steps)
        decay, eps = self.weight_decay, self.eps
        corrected_at, correction1, correction2 = 0, 1.0, 1.0
        moved = []
        for i, p in enumerate(self.parameters):
            g: float | None = p.grad
            if g is None:
                continue
            if decay:
                g += decay * p.data
            t = counts[i] = counts[i] + 1
            if t != corrected_at:  # the same t for every parameter, unless some skipped steps
                corrected_at, correction1, correction2 = t, 1.0 - beta1**t, 1.0 - beta2**t
            m[i] = beta1 * m[i] + (1.0 - beta1) * g
            v[i] = beta2 * v[i] + (1.0 - beta2) * g * g
            # IEEE division, as PyTorch: eps = 0 with a zero gradient gives 0 / 0 = nan, not an exception
            moved.append((p, p.data - lr * divide(m[i] / correction1, math.sqrt(v[i] / correction2) + eps)))
        self._commit(moved)
        self.first_moments, self.second_moments, self.parameter_steps = m, v, counts

    def _running_state(self) -> dict[str, list[Any]]:
        return {
            "parameter_steps": list(self.parameter_steps),
            "first_moments": list(self.first_moments),
            "second_moments": list(self.second_moments),
        }

    def _load_running_state(self, lists: dict[str, list[Any]]) -> None:
        self.parameter_steps = lists["parameter_steps"]
        self.first_moments = lists["first_moments"]
        self.second_moments = lists["second_moments"]

    def __repr__(self) -> str:
        return (
            f"Adam({len(self.parameters)} parameters, lr={self.lr!r}, "
            f"betas={self.betas}, eps={self.eps}, weight_decay={self.weight_decay})"
        )
