"""The names a drawing gives its values, and the sentences that use them.

Every value a drawing shows has a name, and every text about the drawing (a step's title, an update
line, the inspector) uses that name, so that what a sentence mentions can be found in the picture:

- a value with a ``label`` is called by it;
- a value without one gets a short name, ``v5``: the fifth such value of the forward pass (in the
  order of ``autograd.draw.order``), written in its box;
- a value drawn inside a group's box is called by the box's name and, after a colon, the caption the
  box shows it under (``"layer 1, neuron 2: z"``), its label, or its operation;
- a leaf hidden inside a box (a neuron's weights and bias) is called by the box's name and its own
  (``"layer 1, neuron 2: w0"``).

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> y = (x * 3.0).tanh()
>>> names = short_names([x, y.parents[0], y], {}, [], set(), [[1], [2], []])
>>> names
['x', 'v1', 'v2']
>>> infix(y, ["v1"], None)
'tanh(v1)'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from autograd.draw.dot import UNKNOWN, Box, Scene, Style
from autograd.draw.order import forward_steps
from autograd.node import Node

__all__ = [
    "UNKNOWN",
    "backward_title",
    "formula",
    "infix",
    "listing",
    "local_to",
    "seed_title",
    "short_names",
]


def _member_names(nodes: Sequence[Node], box: Box, outputs: list[int]) -> dict[int, str]:
    """The names of one box's members: the box's name, then what tells the member apart inside it."""
    captions = {i: caption for caption, i in box.shown or ()}
    if box.shown is None and len(outputs) == 1:  # the one value the box shows, uncaptioned: the box itself
        captions[outputs[0]] = ""
    ops = [nodes[i].op for i in box.members]
    names = {}
    for i in box.members:
        caption = captions.get(i)
        if caption is None:
            caption = nodes[i].label
        if caption is None:  # an operation inside the box: its name, numbered if the box has two
            same = [j for j in box.members if nodes[j].op == nodes[i].op]
            caption = nodes[i].op if ops.count(nodes[i].op) == 1 else f"{nodes[i].op} {same.index(i) + 1}"
        names[i] = f"{box.name}: {caption}" if caption else box.name
    return names


def short_names(
    nodes: Sequence[Node],
    box_of: Mapping[int, int],
    boxes: Sequence[Box],
    hidden: set[int],
    users: Sequence[list[int]],
) -> list[str]:
    """Every node's name in a drawing (see the module's text); ``users``: who uses each node."""
    names = [node.label or "" for node in nodes]
    order = [i for step in forward_steps(nodes) for i in step]
    unlabelled = [i for i in order if nodes[i].label is None and i not in box_of]
    for number, i in enumerate(unlabelled, 1):
        names[i] = f"v{number}"
    root = len(nodes) - 1
    for box in boxes:
        members = set(box.members)
        outputs = [i for i in box.members if i == root or any(u not in members for u in users[i])]
        names_inside = _member_names(nodes, box, outputs)
        for i in box.members:
            names[i] = names_inside[i]
    for i in hidden:
        names[i] = f"{boxes[box_of[users[i][0]]].name}: {names[i]}"
    return names


def local_to(name: str, node_name: str) -> str:
    """``name`` as a sentence about ``node_name`` writes it: without the box both are in.

    >>> local_to("layer 1, neuron 2: w0", "layer 1, neuron 2: z"), local_to("x1", "layer 1, neuron 2: z")
    ('w0', 'x1')
    >>> local_to("layer 1, neuron 2: linear", "layer 1, neuron 2")
    'linear'

    """
    box = node_name.rpartition(": ")[0] or node_name
    return name[len(box) + 2 :] if name.startswith(box + ": ") else name


def infix(node: Node, arguments: Sequence[str], constant: str | None) -> str:
    """How the forward pass computed ``node`` from its ``arguments`` (names), in words:
    ``a * b``, ``tanh(n)``, ``x**2``, ``linear(w0, w1, x1, x2, b)``."""
    written = list(arguments)
    if constant is not None:
        first = node.primitive is not None and node.primitive.constant_first
        written.insert(0 if first else len(written), constant)
    if node.op in ("+", "*", "/"):
        return f" {node.op} ".join(written)
    if node.op.startswith("**") and len(written) == 1:
        return f"{written[0]}{node.op}"
    return f"{node.op}({', '.join(written)})"


def listing(names: Sequence[str]) -> str:
    """Names as a sentence lists them, each once, repeats counted: ``a, b and c``, ``a (twice)``.

    >>> listing(["a", "a"]), listing(["x", "y", "x"]), listing(["w"])
    ('a (twice)', 'x (twice) and y', 'w')
    """
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    words = [
        name if count == 1 else f"{name} (twice)" if count == 2 else f"{name} ({count} times)"
        for name, count in counts.items()
    ]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def formula(scene: Scene, style: Style, i: int) -> str:
    """How node ``i`` was computed, by name: ``v5 = v2 + v4``; inside a box, its fellow members and
    hidden leaves without the box's name: ``layer 1, neuron 2: out = tanh(z)``."""
    node, name = scene.nodes[i], scene.names[i]
    arguments = [local_to(scene.names[scene.position[p]], name) for p in node.parents]
    constant = scene.constants.get(i)
    return f"{name} = {infix(node, arguments, None if constant is None else style.number(constant))}"


def seed_title(scene: Scene, steps: int) -> str:
    """Step 0 of the backward pass in words: the root's gradient seeded with 1."""
    root = scene.names[-1]
    return f"backward step 0 of {steps}: {root}.grad = 1, the seed (d {root} / d {root})"


def backward_title(
    scene: Scene, style: Style, node: int | None, step: int, steps: int, grad_text: str
) -> str:
    """What backward step ``step`` of ``steps`` does: ``node`` passes its grad (``grad_text``) back to
    its inputs, each times its local derivative (the number on its edge); ``None``: the seed."""
    if node is None:
        return seed_title(scene, steps)
    return (
        f"backward step {step} of {steps}: {formula(scene, style, node)} passes its grad {grad_text} "
        f"back to each input, times the local derivative on its edge"
    )
