"""Training with traced programs: ``fit(..., compile=True)``.

A loss of ``nn`` is the mean over examples of one example's loss, so one example's loss, traced
once (``autograd.trace``), gives every example's value and gradients: the program takes the
example's inputs and reads the model's parameters afresh at each call. The label decides what the
loss computes (hinge's sign, cross-entropy's class), so class labels get one program each; other
targets are an input of one program. A batch's gradients are then the programs' gradients summed
over its examples (``program.batch``: all the examples of a class at once with numpy, else one by
one), divided by the batch size, plus the L2 term.

A model or loss that compares Values, or reads the number of a Value it computed (``.data``,
``float``), is refused while tracing: the program would hold that example's branch or number for
every example. What tracing cannot see, the engine's own numbers can: before training, the programs
are checked against the engine on the first batch (a loss that is not a mean over examples gives
other numbers there), and during training, every epoch, each program (each label) is checked
again on an example of the batch it is about to train on, before that step (a model that reads a
parameter's ``.data`` was traced for the parameter's number at the time). A difference raises
``CompileError`` before the step, naming the epoch, the example and both numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import reduce
from operator import add, mul
from typing import Any

import autograd
from autograd import TracingError, Value
from nn.arguments import is_number, to_float

MOST_CLASSES = 64
"""Labels that are whole numbers with at most this many values are classes: one program each. With
more, they are first tried as the input of one program (integer targets of a regression), and are
classes after all if the loss needs a number there (cross-entropy's class index)."""

Loss = Callable[[Sequence[Any], Sequence[Any]], Value]


class CompileError(ValueError):
    """``fit(compile=True)`` cannot train this model with this loss by traced programs."""


class CompiledObjective:
    """``loss(outputs, targets) + l2 * nn.l2(parameters)`` of a batch, by traced programs.

    >>> from nn import MLP, hinge
    >>> model = MLP(2, [4, 1], seed=0)
    >>> objective = CompiledObjective(model, [[0.5, 1.0], [1.0, -1.0]], [1, -1], hinge, l2=1e-4)
    >>> sorted(objective.programs)
    [-1, 1]
    >>> value, gradients = objective.value_and_gradients([0, 1])
    >>> len(gradients) == len(model.parameters())
    True
    """

    def __init__(
        self,
        model: Callable[..., Any],
        rows: Sequence[Sequence[Any]],
        labels: Sequence[Any],
        loss: Loss,
        l2: float,
    ) -> None:
        self.parameters: list[Value] = model.parameters()  # type: ignore[attr-defined]
        self.rows = [[_number(x, i) for x in row] for i, row in enumerate(rows)]
        self.labels = list(labels)
        self.l2 = l2
        self.classes = _are_classes(self.labels)
        self.programs: dict[Any, autograd.Program] = {}
        try:
            self._trace(model, loss)
        except TracingError as error:
            raise CompileError(
                f"fit(compile=True): the model or the loss branches on or reads the numbers "
                f"of its Values, so no one program is right for every example ({error}); "
                "train without compile=True"
            ) from None
        except (TypeError, ValueError) as error:  # the engine's own words, if it refuses the data too
            refusal = _engine_refusal(model, loss, self.rows, self.labels)
            reason = refusal or f"tracing one example's loss failed ({error}); train without compile=True"
            raise CompileError(f"fit(compile=True): {reason}") from None
        self.position = {id(p): k for k, p in enumerate(self.parameters)}
        self.outputs, self.several = _output_programs(model, self.rows[0])
        self.steps = 0  # steps taken, and where the epochs' checks stand (see ``recheck``)
        self.examples_seen = 0
        self.unchecked: set[Any] = set()

    def _trace(self, model: Callable[..., Any], loss: Loss) -> None:
        """The programs: one per class, or one that takes the target as an input (see MOST_CLASSES)."""
        if not self.classes:
            try:
                one = _one_example_with_target(model, loss)
                self.programs[None] = autograd.trace(one, self.rows[0], to_float(self.labels[0]), argnums=())
                return
            except (TracingError, TypeError, ValueError):
                if not _whole_numbers(self.labels):
                    raise
                self.classes = True  # the loss needs the label as a number: classes, however many
        for label in dict.fromkeys(self.labels):  # in order of first appearance
            row = self.rows[self.labels.index(label)]
            self.programs[label] = autograd.trace(_one_example(model, loss, label), row, argnums=())

    def value_and_gradients(self, batch: Sequence[int]) -> tuple[float, list[float]]:
        """The objective over the examples ``batch`` (indices) and its gradient, one per parameter."""
        values = [0.0] * len(batch)
        sums = [0.0] * len(self.parameters)
        for key, members in self._groups(batch).items():
            program = self.programs[key]
            result = program.batch(*self._inputs([i for _, i in members]))
            for (slot, _), value in zip(members, result.values):
                values[slot] = float(value)
            self._add_gradients(program, result.parameter_gradients, sums)
        share = 1.0 / len(batch)
        data = [p.data for p in self.parameters]
        gradients = [s * share + (x * self.l2 + x * self.l2) for s, x in zip(sums, data)]
        # added left to right from 0.0, as autograd.sum and autograd.dot add in the engine's loss
        value = reduce(add, values, 0.0) * share + self.l2 * reduce(add, map(mul, data, data), 0.0)
        return value, gradients

    def scores(self, batch: Sequence[int]) -> list[Any]:
        """The model's outputs on the examples ``batch``, as floats (a list of them per example for
        a model with several outputs), by the traced forward passes: for the accuracy."""
        rows = [self.rows[i] for i in batch]
        columns = [program.batch(rows, gradients=False).values for program in self.outputs]
        return [list(scores) for scores in zip(*columns)] if self.several else columns[0]

    def _add_gradients(
        self, program: autograd.Program, gradients: Sequence[float], sums: list[float]
    ) -> None:
        """Add the gradients of ``program``'s parameters to ``sums`` (one per model parameter). A
        Value the model reads but does not list in ``parameters()`` is a constant to training, as on
        the engine path: the program reads its number at every call, and its gradient is dropped."""
        for parameter, gradient in zip(program.parameters, gradients):
            k = self.position.get(id(parameter))
            if k is not None:
                sums[k] += gradient

    def _groups(self, batch: Sequence[int]) -> dict[Any, list[tuple[int, int]]]:
        """The batch's examples by program: (position in the batch, example index)."""
        groups: dict[Any, list[tuple[int, int]]] = {}
        for slot, i in enumerate(batch):
            groups.setdefault(self.labels[i] if self.classes else None, []).append((slot, i))
        return groups

    def _inputs(self, examples: Sequence[int]) -> list[list[Any]]:
        """The examples as their program's batch takes them: the rows, and the targets if not classes."""
        inputs: list[list[Any]] = [[self.rows[i] for i in examples]]
        if not self.classes:
            inputs.append([to_float(self.labels[i]) for i in examples])
        return inputs

    def _engine(
        self, model: Callable[..., Any], loss: Loss, examples: Sequence[int], l2: float
    ) -> list[float]:
        """The engine's objective over ``examples`` and its gradient, as one list."""
        outputs = [model([Value(x) for x in self.rows[i]]) for i in examples]
        objective = loss(outputs, [self.labels[i] for i in examples])
        if l2:
            objective = objective + l2 * autograd.dot(self.parameters, self.parameters)
        return [objective.data, *autograd.gradients(objective, self.parameters, allow_unused=True)]

    def check(self, model: Callable[..., Any], loss: Loss, batch: Sequence[int]) -> None:
        """Compare with the engine on ``batch``: the same value and gradients, or ``CompileError``."""
        value, gradients = self.value_and_gradients(batch)
        _compare(
            [value, *gradients],
            self._engine(model, loss, batch, self.l2),
            "before training",
            "the loss must be the mean over examples of one example's loss, and the model and loss "
            "must not read the numbers of their Values",
        )

    def recheck(self, model: Callable[..., Any], loss: Loss, batch: Sequence[int]) -> None:
        """Before the step on ``batch``: once an epoch for each program (each label), compare it with
        the engine on one example of the first batch that has that label (a different one from
        epoch to epoch), or ``CompileError``; then count the step."""
        epoch = self.examples_seen // len(self.rows)
        if self.examples_seen % len(self.rows) == 0:  # an epoch starts
            self.unchecked = set(self.programs)
        for key, members in self._groups(batch).items():
            if key in self.unchecked:
                self.unchecked.discard(key)
                example = members[epoch % len(members)][1]
                when = f"in epoch {epoch + 1}, before step {self.steps + 1}"
                self._check_example(model, loss, example, when)
        self.examples_seen += len(batch)
        self.steps += 1

    def _check_example(self, model: Callable[..., Any], loss: Loss, example: int, when: str) -> None:
        program = self.programs[self.labels[example] if self.classes else None]
        result = program.batch(*self._inputs([example]))
        gradients = [0.0] * len(self.parameters)
        self._add_gradients(program, result.parameter_gradients, gradients)
        _compare(
            [float(result.values[0]), *gradients],
            self._engine(model, loss, [example], 0.0),
            f"{when}, on example {example}",
            "the model or the loss reads a number the trace cannot guard (such as a parameter's "
            f".data), so the program traced once is not right here; training stopped before this "
            f"step, after {self.steps} step(s)",
        )


def _compare(got: Sequence[float], expected: Sequence[float], when: str, why: str) -> None:
    """``CompileError`` at the first of the programs' numbers (the loss, then each parameter's
    gradient) that differs from the engine's."""
    for k, (number, want) in enumerate(zip(got, expected)):
        if not _close(number, want):
            what = "the loss" if k == 0 else f"the gradient of parameter {k - 1}"
            raise CompileError(
                f"fit(compile=True): {when}, the traced programs give {number!r} for {what} "
                f"where the engine gives {want!r}: {why}; train without compile=True"
            )


def _one_example(model: Callable[..., Any], loss: Loss, label: Any) -> Callable[[list[Value]], Value]:
    """One example's loss for ``label``, as a function of its inputs."""
    return lambda inputs: loss([model(inputs)], [label])


def _one_example_with_target(model: Callable[..., Any], loss: Loss) -> Callable[[list[Value], Value], Value]:
    """One example's loss as a function of its inputs and its target."""
    return lambda inputs, target: loss([model(inputs)], [target])


def _output_programs(model: Callable[..., Any], row: list[float]) -> tuple[list[autograd.Program], bool]:
    """A program for each output of the model, and whether it has several (one list per example)."""
    outputs = model([Value(x) for x in row])
    if not isinstance(outputs, (list, tuple)):
        return [autograd.trace(model, row, argnums=())], False
    return [autograd.trace(_output(model, k), row, argnums=()) for k in range(len(outputs))], len(outputs) > 1


def _output(model: Callable[..., Any], k: int) -> Callable[[list[Value]], Value]:
    """The model's output ``k`` as a function of one example's inputs."""
    return lambda inputs: model(inputs)[k]


def _whole_numbers(labels: Sequence[Any]) -> bool:
    return all(is_number(y) and to_float(y).is_integer() for y in labels)


def _are_classes(labels: Sequence[Any]) -> bool:
    return _whole_numbers(labels) and len(set(labels)) <= MOST_CLASSES


def _engine_refusal(
    model: Callable[..., Any], loss: Loss, rows: list[list[float]], labels: list[Any]
) -> str | None:
    """What the engine path says of the whole data set, if it refuses it (labels a loss does not take,
    say): its message names the example and the label as given, where a traced one-example loss
    would name a Value standing for the label."""
    try:
        loss([model([Value(x) for x in row]) for row in rows], labels)
    except (TypeError, ValueError) as error:
        return f"{error} (training without compile=True refuses this too)"
    return None


def _number(x: Any, example: int) -> float:
    if not is_number(x):
        raise CompileError(
            f"fit(compile=True): example {example} holds {type(x).__name__} {x!r:.40}; a "
            "traced program takes numbers"
        )
    return to_float(x)


def _close(got: float, want: float) -> bool:
    if math.isnan(want) or math.isinf(want):
        return got == want or (math.isnan(got) and math.isnan(want))
    return abs(got - want) <= 1e-9 * max(1.0, abs(want))
