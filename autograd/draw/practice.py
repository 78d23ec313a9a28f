"""Practice mode's answers and hints: for each edge of the backward pass, the local derivative and the
new gradient a learner is asked for, the values an answer may be near, and the rule a wrong answer
is shown.

A right answer is within 1e-3 (relative) of the exact value, or of the value computed from the
numbers as the page shows them: the local derivative by the primitive's own rule applied to the shown
data, the new gradient as ``old + local × upstream`` of the shown texts. So working from the four
digits on the screen is right, and a typed 0 is wrong for -0.000741. The hint is the primitive's own
rule documentation (the docstring of its rule, next to its forward formula in the engine), with the
numbers of this node: no list of operations lives here.

>>> from autograd import Value
>>> x = Value(0.5, label="x")
>>> y = x.tanh()
>>> print(rule_hint(y, "y = 0.4621", ["x = 0.5"], None))
d tanh(x)/dx = 1 - tanh(x)**2, in terms of the output. Here x is x = 0.5, and the output is y = 0.4621.
>>> [f"{local:.8f}" for local in locals_from_shown(y, "0.4621", ["0.5"], None)]  # 1 - 0.4621**2
['0.78646359']
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from autograd.node import Node

if TYPE_CHECKING:
    from autograd.draw.frames import Frames

__all__ = ["json_number", "locals_from_shown", "new_from_shown", "questions", "rule_hint", "rule_text"]


def rule_text(node: Node) -> str | None:
    """The first paragraph of the docstring of ``node``'s derivative rule, on one line (None: no rule)."""
    primitive = node.primitive
    documentation = None if primitive is None else inspect.getdoc(primitive.rule)
    if not documentation:
        return None
    return " ".join(documentation.split("\n\n")[0].split())


def _argument_names(node: Node) -> list[str] | None:
    """The names the rule gives the node's inputs (and its constant), if it takes them one by one."""
    primitive = node.primitive
    if primitive is None or primitive.split is not None:
        return None
    arguments = list(inspect.signature(primitive.rule).parameters.values())[1:]  # after ``out``
    one_by_one = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if any(argument.kind not in one_by_one for argument in arguments):
        return None
    if len(arguments) != len(node.parents) + primitive.takes_constant:
        return None
    return [argument.name for argument in arguments]


def rule_hint(node: Node, output: str, inputs: Sequence[str], constant: str | None) -> str:
    """The rule of ``node``'s operation with this node's numbers: ``output`` and ``inputs`` are written
    ``name = value``; ``constant`` is the number folded into the operation, as shown."""
    rule = rule_text(node) or f"the derivative rule of {node.op}"
    argument_names = _argument_names(node)
    if argument_names is None:
        here = f"the inputs are {', '.join(inputs)}"
    else:
        pairs = [f"{name} is {value}" for name, value in zip(argument_names, inputs)]
        if constant is not None and len(argument_names) > len(inputs):
            pairs.append(f"{argument_names[-1]} = {constant}")
        here = ", ".join(pairs)
    return f"{rule} Here {here}, and the output is {output}."


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:  # a number_format whose texts are not numbers
        return None


def locals_from_shown(
    node: Node, out: str, inputs: Sequence[str], constant: str | None
) -> list[float] | None:
    """``node``'s local derivatives by its own rule, applied to its output and inputs as shown (texts)."""
    values = [_number(text) for text in (out, *inputs)]
    primitive = node.primitive
    if primitive is None or any(value is None for value in values):
        return None
    shown_constant = node.constant if constant is None else _number(constant)
    try:
        found = primitive.local_grads(values[0], values[1:], shown_constant)
    except (ArithmeticError, ValueError, TypeError):  # the rule refuses the rounded numbers
        return None
    return [float(local) for local in found]


def new_from_shown(old: str, local: str, upstream: str) -> float | None:
    """``old + local × upstream`` of the texts shown (None if one is not a number)."""
    values = [_number(text) for text in (old, local, upstream)]
    if any(value is None for value in values):
        return None
    old_value, local_value, upstream_value = values
    assert old_value is not None and local_value is not None and upstream_value is not None
    return old_value + local_value * upstream_value


def json_number(x: float | None) -> float | str | None:
    """``x`` for JSON, which has no inf or nan."""
    return x if x is None or math.isfinite(x) else repr(x)


def questions(frames: Frames) -> tuple[list[list[list[float | str | None]]], list[str | None]]:
    """For each backward step, each update's answers as the page checks them: the exact local
    derivative, the local derivative from the shown numbers, the new gradient from the shown
    numbers (the exact new gradient is the update's own); and each node's hint (None for a leaf)."""
    scene, style, names = frames.scene, frames.style, frames.names
    data = scene.data_texts
    hints: list[str | None] = [None] * len(scene.nodes)
    answers = []
    for step, texts in zip(frames.replay.steps, frames.texts):
        node, i = scene.nodes[step.node], step.node
        parents = [scene.position[p] for p in node.parents]
        primitive = node.primitive
        constant = None
        if primitive is not None and primitive.takes_constant and node.constant is not None:
            constant = style.number(node.constant)
        inputs = [f"{names[p]} = {data[p]}" for p in parents]
        hints[i] = rule_hint(node, f"{names[i]} = {data[i]}", inputs, constant)
        shown = locals_from_shown(node, data[i], [data[p] for p in parents], constant)
        answers.append(
            [
                [
                    json_number(update.local),
                    None if shown is None else json_number(shown[k]),
                    json_number(new_from_shown(old, local, upstream)),
                ]
                for k, (update, (old, local, upstream, _)) in enumerate(zip(step.updates, texts))
            ]
        )
    return answers, hints
