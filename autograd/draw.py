"""Drawing computation graphs with Graphviz: one box per value, one oval per operation.

This module decides what to draw of a graph: which nodes, with which gradients (the real ones or
those of a backward step), which of them inside group boxes (``Group``, in ``autograd.draw_groups``).
``autograd.draw_dot`` writes that as DOT text, and ``autograd.render`` finds a ``dot`` program to
turn the text into an image. ``import autograd`` imports none of them (nor graphviz): ``Node.draw``
imports this module when it is first called.

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> y = (x * x).tanh()
>>> y.label = "y"
>>> graph = draw_graph(y)
>>> for line in graph.source.splitlines():
...     if "label" in line and "graph [" not in line:
...         print(line.strip().split(" fillcolor")[0])
v0 [label="{ x | data 2 | grad 0 }"
v1 [label="{ data 4 | grad 0 }"
op1 [label="*"
v2 [label="{ y | data 0.9993 | grad 0 }"
op2 [label=tanh
>>> [line.strip() for line in graph.source.splitlines() if "->" in line]
['op1 -> v1', 'v0 -> op1', 'v0 -> op1', 'op2 -> v2', 'v1 -> op2']

``graph`` shows itself inline in Jupyter; ``save_graph(y, "y.svg")`` writes an image file.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Union

from autograd.draw_dot import (
    ROLE_COLORS,
    Box,
    NumberFormat,
    Scene,
    Style,
    dot_graph,
    escape_record,
    step_title,
)
from autograd.draw_groups import Group, as_values
from autograd.graph import Node, backpropagate, shadow, topological_order
from autograd.render import (
    ComputationGraph,
    RendererNotFoundError,
    RenderError,
    find_renderer,
    render_image,
)

__all__ = [
    "ROLE_COLORS",
    "ComputationGraph",
    "GraphTooLargeError",
    "Group",
    "RenderError",
    "RendererNotFoundError",
    "backward_step_count",
    "draw_backward_steps",
    "draw_graph",
    "escape_record",
    "find_renderer",
    "save_graph",
]

GroupsOption = Union[Mapping[str, Iterable[Node]], Iterable[Union[Group, Iterable[Node]]]]
"""What ``groups=`` takes: ``Group``s, lists of Values (named "group 1", ...), or ``{name: values}``."""


class GraphTooLargeError(ValueError):
    """The drawing would have more nodes than ``max_nodes``."""


# ----- options --------------------------------------------------------------------------------


def _style(
    rankdir: str, colors: Mapping[str, str] | None, number_format: NumberFormat, local_grads: bool
) -> Style:
    """The checked options that decide how the drawing looks."""
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"draw_graph(rankdir=...): got {rankdir!r}; expected 'LR', 'RL', 'TB' or 'BT'")
    if isinstance(number_format, str):
        try:
            format(0.5, number_format)  # a bad spec fails here, before any drawing
        except ValueError as error:
            raise ValueError(
                f"draw_graph(number_format=...): {number_format!r} is not a format spec ({error})"
            ) from None
    elif not callable(number_format):
        raise TypeError(
            f"draw_graph(number_format=...): expected a format spec such as '.4g' or a function of a "
            f"float, got {type(number_format).__name__}"
        )
    unknown = sorted(set(colors or ()) - set(ROLE_COLORS))
    if unknown:
        raise ValueError(
            f"draw_graph(colors=...): unknown roles {unknown}; the roles are {sorted(ROLE_COLORS)}"
        )
    return Style(rankdir, {**ROLE_COLORS, **(colors or {})}, number_format, bool(local_grads))


def _check_root(root: object, who: str) -> Node:
    if not isinstance(root, Node):
        raise TypeError(
            f"{who}: root must be a Value (the output to draw from), got {type(root).__name__} {root!r}"
        )
    return root


def _whole_number(x: object) -> int | None:
    """``x`` as an int if it is an integer (numpy's too) and not a bool, else None."""
    return int(x) if isinstance(x, numbers.Integral) and not isinstance(x, bool) else None


def _check_max_nodes(max_nodes: object) -> None:
    limit = _whole_number(max_nodes)
    if max_nodes is not None and (limit is None or limit < 1):
        raise ValueError(
            f"draw_graph(max_nodes=...): got {max_nodes!r}; expected a positive int, or None for no limit"
        )


def _positions(values: object, position: Mapping[Node, int], who: str) -> set[int]:
    """Where ``values`` (an iterable of Values; those not in the graph are ignored) sit in the order."""
    return {position[v] for v in as_values(values, f"draw_graph({who}=...)") if v in position}


# ----- what the engine tells the drawing ------------------------------------------------------


def _constant_of(node: Node) -> float | None:
    """The number folded into ``x + c``, ``x * c``, ``x / c`` or ``c / x``, drawn as a box of its
    own (none for ``x + 0``; ``x ** c`` shows its exponent in its label)."""
    c = node.constant
    if c is None or len(node.parents) != 1 or node.op.startswith("**"):
        return None
    return None if node.op == "+" and c == 0.0 else c


def _gradients_after_steps(nodes: Sequence[Node], steps: int) -> list[float]:
    """Each node's gradient once the first ``steps`` steps of ``root.backward()`` have run.

    ``nodes`` is ``topological_order(root)``, the root last. A step is one node with parents passing
    its gradient on, in the order ``backward()`` takes them (the root first). The engine's backward
    driver runs on a shadow of the graph (``graph.shadow``), so no ``.grad`` is read or written.
    """
    cells = shadow(nodes)
    for cell in cells.values():
        cell.grad = 0.0
    cells[nodes[-1]].grad = 1.0  # backward() seeds the root with 1
    interior = [cells[node] for node in nodes if not node.is_leaf()]
    # the driver runs from the last node of its list to the first: the last `steps` interior nodes
    # are exactly the first `steps` nodes the real backward pass takes
    backpropagate(interior[len(interior) - steps :] if steps else [])
    return [float(cells[node].grad) for node in nodes]


# ----- the graph to draw ----------------------------------------------------------------------


def _users_of(nodes: Sequence[Node], position: Mapping[Node, int]) -> list[list[int]]:
    """For each node, the positions of the nodes it is a parent of (once per edge: ``a * a`` twice)."""
    users: list[list[int]] = [[] for _ in nodes]
    for i, node in enumerate(nodes):
        for parent in node.parents:
            users[position[parent]].append(i)
    return users


def _constants(nodes: Sequence[Node]) -> dict[int, float]:
    """The constants folded into operations (``x * c``, ``x + c``), by the position of their node."""
    constants = {}
    for i, node in enumerate(nodes):
        constant = _constant_of(node)
        if constant is not None:
            constants[i] = constant
    return constants


def _interior(nodes: Sequence[Node]) -> list[int]:
    """The positions of the nodes with parents: one backward step each."""
    return [i for i, node in enumerate(nodes) if node.parents]


def _grads_to_draw(nodes: Sequence[Node], backward_step: object) -> tuple[list[float], int | None]:
    """The gradients to draw, and the node being processed: the real ones, or at a backward step."""
    if backward_step is None:
        return [float(node.grad) for node in nodes], None
    interior = _interior(nodes)
    steps = _whole_number(backward_step)
    if steps is None or not 0 <= steps <= len(interior):
        raise ValueError(
            f"draw_graph(backward_step=...): got {backward_step!r}; this graph's backward "
            f"pass has steps 0 to {len(interior)}"
        )
    current = interior[len(interior) - steps] if steps > 0 else None
    return _gradients_after_steps(nodes, steps), current


def _as_groups(option: object) -> list[Group]:
    """The ``groups=`` option as a list of ``Group``s."""
    if isinstance(option, Mapping):
        return [Group(str(name), values) for name, values in option.items()]
    if isinstance(option, (str, bytes, Group)) or not isinstance(option, Iterable):
        raise TypeError(
            f"draw_graph(groups=...): expected Groups, lists of Values or {{name: values}}, "
            f"got {type(option).__name__}"
        )
    return [
        entry if isinstance(entry, Group) else Group(f"group {k}", entry) for k, entry in enumerate(option, 1)
    ]


def _boxes(
    groups: Sequence[Group], position: Mapping[Node, int]
) -> tuple[list[Box], dict[int, int], set[int]]:
    """The groups in this graph as boxes, each node's box, and the leaves the groups hold inside."""
    boxes: list[Box] = []
    box_of: dict[int, int] = {}
    inner_leaves: set[int] = set()
    for group in groups:
        members = sorted({position[v] for v in group.members if v in position})
        if not members:
            continue
        for member in members:
            if member in box_of:
                raise ValueError(
                    f"draw_graph: a node is in two groups ({boxes[box_of[member]].name!r} and "
                    f"{group.name!r}); groups must not overlap"
                )
            box_of[member] = len(boxes)
        shown = None
        if group.shown is not None:
            shown = [(caption, position[v]) for caption, v in group.shown if v in position]
        boxes.append(Box(group.name, group.description, members, shown))
        inner_leaves.update(position[p] for p in group.parameters if p in position)
    return boxes, box_of, inner_leaves


def _hidden(
    nodes: Sequence[Node], users: Sequence[list[int]], box_of: Mapping[int, int], hideable: set[int]
) -> set[int]:
    """The hideable leaves that only boxes use: they are drawn inside those boxes."""
    root = len(nodes) - 1
    return {
        i
        for i in hideable
        if not nodes[i].parents
        and i not in box_of
        and i != root
        and users[i]
        and all(u in box_of for u in users[i])
    }


def _scene(
    root: Node,
    parameters: Iterable[Node] | None,
    inputs: Iterable[Node] | None,
    groups: GroupsOption | None,
    backward_step: int | None,
) -> Scene:
    """What to draw of ``root``'s graph (see ``draw_graph`` for the options)."""
    nodes = topological_order(root)
    position = {node: i for i, node in enumerate(nodes)}
    users = _users_of(nodes, position)
    grads, current = _grads_to_draw(nodes, backward_step)
    boxes, box_of, inner_leaves = _boxes(_as_groups(groups) if groups is not None else [], position)
    parameter_positions = set() if parameters is None else _positions(parameters, position, "parameters")
    input_positions = None if inputs is None else _positions(inputs, position, "inputs")
    return Scene(
        nodes=nodes,
        position=position,
        users=users,
        grads=grads,
        current=current,
        boxes=boxes,
        box_of=box_of,
        hidden=_hidden(nodes, users, box_of, parameter_positions | inner_leaves),
        parameters=parameter_positions,
        inputs=input_positions,
        constants=_constants(nodes),
    )


def _check_size(scene: Scene, max_nodes: int | None) -> None:
    """``GraphTooLargeError`` if the drawing would have more than ``max_nodes`` nodes (boxes and ovals)."""
    values = [i for i in range(len(scene.nodes)) if i not in scene.box_of and i not in scene.hidden]
    operations = sum(1 for i in values if scene.nodes[i].parents)
    constants = sum(1 for i in values if i in scene.constants)
    drawn = len(values) + operations + constants + len(scene.boxes)
    if max_nodes is not None and drawn > max_nodes:
        raise GraphTooLargeError(
            f"draw_graph: this drawing would have {drawn} nodes, more than max_nodes={max_nodes}; "
            f"a picture that big is hard to read (and its PNG is huge). Draw a smaller part of the "
            f"graph, draw repeated structure as boxes (groups=...; for a network built with nn, "
            f"groups=nn.neuron_groups(loss)), or raise max_nodes (None for no limit; prefer SVG for "
            f"big graphs)."
        )


def _title(title: object, scene: Scene, style: Style, backward_step: int | None) -> str | None:
    """The caption: ``title`` if given, else what the backward step does, or what edge labels mean."""
    if title is not None:
        if not isinstance(title, str):
            raise TypeError(f"draw_graph(title=...): expected a string, got {type(title).__name__}")
        return title
    if backward_step is not None:
        return step_title(scene, style, backward_step, len(_interior(scene.nodes)))
    if style.local_grads:
        return "numbers on edges: local derivatives d(node)/d(input)"
    return None


def draw_graph(
    root: Node,
    *,
    rankdir: str = "LR",
    parameters: Iterable[Node] | None = None,
    inputs: Iterable[Node] | None = None,
    local_grads: bool = False,
    number_format: NumberFormat = ".4g",
    groups: GroupsOption | None = None,
    max_nodes: int | None = 300,
    backward_step: int | None = None,
    colors: Mapping[str, str] | None = None,
    title: str | None = None,
) -> ComputationGraph:
    """``root``'s computation graph as a ``graphviz.Digraph``: a box per value, an oval per operation.

    Each value shows its label (if any), ``data`` and ``grad``; each operation node feeds the value
    it made, and gets one edge per argument in argument order (``a*a`` draws two edges from ``a``).
    Constants folded into an operation (the ``2`` of ``x * 2``) show as small grey boxes with a dashed
    edge. Nodes are named by their topological position, so the DOT text is the same on every run.

    Options:
      - ``rankdir``: ``"LR"`` (left to right, the default), ``"RL"``, ``"TB"`` or ``"BT"``.
      - ``parameters``, ``inputs``: colour leaves by role (``autograd`` knows nothing of models, so
        they are passed in: ``draw_graph(loss, parameters=model.parameters())``). Leaves that are
        neither are inputs, or constants once ``inputs`` is given.
      - ``local_grads``: label each edge with the local derivative d(node)/d(parent).
      - ``number_format``: a format spec (``".4g"``) or a function of a float.
      - ``groups``: draw sub-structures as single boxes: ``Group``s (see ``autograd.draw_groups``),
        lists of values, or ``{name: values}``. A box shows its outputs' data and grad (or the
        values its group names) and has one edge per outside value it uses; a group's own
        ``parameters``, and the ``parameters`` above, are hidden when only boxes use them. For a
        network built with ``nn``, ``groups=nn.neuron_groups(loss)`` makes each neuron one box.
      - ``max_nodes``: past this many drawn nodes, ``GraphTooLargeError`` (``None``: no limit).
      - ``backward_step=k``: the graph as it is after ``k`` steps of ``root.backward()`` (``0``: only
        the root's seed; up to ``backward_step_count(root)``), the node processed at step ``k``
        outlined in red with the edges it sends gradient along. The real grads are not touched.
      - ``colors``: fill colours by role, overriding ``ROLE_COLORS``; ``title``: a caption.

    >>> from autograd import Value
    >>> a = Value(3.0, label="a")
    >>> b = a * a
    >>> b.backward()
    >>> graph = draw_graph(b, local_grads=True)
    >>> [line.strip() for line in graph.source.splitlines() if "->" in line]
    ['op1 -> v1', 'v0 -> op1 [label=3]', 'v0 -> op1 [label=3]']
    """
    _check_root(root, "draw_graph")
    style = _style(rankdir, colors, number_format, local_grads)
    _check_max_nodes(max_nodes)
    scene = _scene(root, parameters, inputs, groups, backward_step)
    _check_size(scene, max_nodes)
    return dot_graph(scene, style, _title(title, scene, style, backward_step))


def backward_step_count(root: Node) -> int:
    """How many steps ``root.backward()`` takes: one per node with parents (``backward_step=`` runs 0..this).

    >>> from autograd import Value
    >>> x = Value(1.0)
    >>> backward_step_count((x * 2.0 + 1.0).tanh())
    3
    """
    return len(_interior(topological_order(_check_root(root, "backward_step_count"))))


def draw_backward_steps(root: Node, **options: Any) -> list[ComputationGraph]:
    """The graph at every step of ``root.backward()``, from the seed (step 0) to the last step.

    >>> from autograd import Value
    >>> x = Value(0.5, label="x")
    >>> frames = draw_backward_steps((x * x).tanh())
    >>> len(frames), x.grad  # the real grads are untouched
    (3, 0.0)
    """
    steps = backward_step_count(_check_root(root, "draw_backward_steps"))
    return [draw_graph(root, backward_step=k, **options) for k in range(steps + 1)]


_FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg"}


def save_graph(root: Node | Any, path: str | os.PathLike[str], **options: Any) -> Path:
    """Write ``root``'s drawing (or an already drawn graph) to exactly ``path``; returns it as a Path.

    The format comes from the suffix: ``.svg``, ``.png``, ``.jpg``, ``.pdf`` (system Graphviz only:
    graphviz-pure has no PDF) need a renderer; ``.gv`` / ``.dot`` write the DOT text and do not.
    ``options`` go to ``draw_graph``. Nothing is written when rendering fails.

    >>> import tempfile
    >>> from autograd import Value
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = save_graph(Value(1.0, label="x").exp(), Path(folder) / "exp.gv")
    ...     print(written.name, written.read_text().splitlines()[0])
    exp.gv digraph "computation graph" {
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if isinstance(root, Node):
        graph = draw_graph(root, **options)
    elif options:
        raise TypeError("save_graph: drawing options are for a Value, not for an already drawn graph")
    elif not isinstance(getattr(root, "source", None), str):
        raise TypeError(
            f"save_graph: expected a Value to draw or a drawn graph (from draw_graph), "
            f"got {type(root).__name__}"
        )
    else:
        graph = root
    if suffix in (".gv", ".dot"):
        path.write_text(graph.source, encoding="utf-8")
        return path
    if suffix not in _FORMATS:
        raise ValueError(
            f"save_graph: cannot tell the format of {path.name!r}; use a name ending in "
            f"{', '.join(sorted(_FORMATS))}, .gv or .dot"
        )
    path.write_bytes(render_image(graph, _FORMATS[suffix]))
    return path
