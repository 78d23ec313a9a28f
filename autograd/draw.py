"""Drawing computation graphs with Graphviz: one box per value, one oval per operation.

This module lays a graph out as DOT text. Turning the text into an image is ``autograd.render``'s
job (it finds a ``dot`` program and checks what it writes); boxes that stand for several nodes are
``Group``s (``autograd.draw_groups``). Nothing imports graphviz until a graph is drawn, so
``import autograd`` never needs it.

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

import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from autograd.draw_groups import Group
from autograd.graph import topological_order
from autograd.render import (
    ComputationGraph,
    RendererNotFoundError,
    RenderError,
    find_renderer,
    render_image,
    verbatim,
)
from autograd.value import Value

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

NumberFormat = Union[str, Callable[[float], str]]
"""A ``format`` spec such as ``".4g"``, or a function from a float to its text."""

GroupsOption = Union[Mapping[str, Iterable[Value]], Iterable[Union[Group, Iterable[Value]]]]
"""What ``groups=`` takes: ``Group``s, lists of Values (named "group 1", ...), or ``{name: values}``."""

ROLE_COLORS: dict[str, str] = {
    "input": "#cfe3ff",  # light blue: data fed in
    "parameter": "#ffdca8",  # light orange: what training changes
    "constant": "#e8e8e8",  # light grey: fixed numbers, no gradient wanted
    "value": "#ffffff",  # white: intermediate results
    "output": "#c6efc6",  # light green: the value drawn from (the loss)
    "operation": "#ece3f7",  # light purple ovals
    "group": "#fff4c2",  # light yellow: several nodes drawn as one box (a neuron, say)
    "current": "#d62728",  # red outline: the node the backward pass is processing
}
"""The fill colour of each kind of node (``current`` is an outline); override with ``colors=``."""


class GraphTooLargeError(ValueError):
    """The drawing would have more nodes than ``max_nodes``."""


# ----- text -----------------------------------------------------------------------------------

_RECORD_SPECIAL = str.maketrans({c: "\\" + c for c in '|{}<>"'} | {"\\": "\\\\", "\n": "\\n"})
_PLAIN_SPECIAL = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n"})


def _is_invisible(character: str) -> bool:
    """A control character other than newline, a lone surrogate, or U+FFFE/U+FFFF.

    DOT cannot hold a NUL, an SVG (XML) cannot hold the other C0 controls, surrogates or U+FFFE/U+FFFF,
    and the rest of the controls draw as nothing: all of them are written out as escapes instead.
    """
    code = ord(character)
    return (
        (code < 0x20 and character != "\n")
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or code in (0xFFFE, 0xFFFF)
    )


def _visible(text: str) -> str:
    r"""``text`` with each invisible character written as its Python escape (``\x00``, ``\t``, ...)."""
    if not any(_is_invisible(character) for character in text):
        return text
    return "".join(
        character.encode("unicode_escape", "backslashreplace").decode("ascii")
        if _is_invisible(character)
        else character
        for character in text
    )


def escape_record(text: str) -> str:
    r"""``text`` as it must be written inside a record label, so that it shows as written.

    >>> print(escape_record('a|b {c} <d> "e" \\'))
    a\|b \{c\} \<d\> \"e\" \\
    >>> print(escape_record("nul\x00"))
    nul\\x00
    """
    return _visible(text).translate(_RECORD_SPECIAL)


def _plain(text: str) -> str:
    """``text`` as a label that is not a record (an operation, an edge, a title): shown as written."""
    return verbatim(_visible(text).translate(_PLAIN_SPECIAL))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# ----- options --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    """How the drawing looks: direction, colours, number format, and whether edges carry derivatives."""

    rankdir: str
    palette: Mapping[str, str]
    number_format: NumberFormat
    local_grads: bool

    def number(self, x: float) -> str:
        """``x`` as the drawing writes it."""
        if isinstance(self.number_format, str):
            return format(x, self.number_format)
        text = self.number_format(x)
        if not isinstance(text, str):
            raise TypeError(
                f"draw_graph(number_format=...): the function returned {type(text).__name__} "
                f"{text!r} for {x!r}; it must return a string"
            )
        return text

    def row(self, fields: Sequence[str]) -> str:
        """Record fields side by side (left to right, a record's top level runs top to bottom)."""
        return "{ " + " | ".join(fields) + " }" if self.rankdir in ("LR", "RL") else " | ".join(fields)


def _style(
    rankdir: str, colors: Mapping[str, str] | None, number_format: NumberFormat, local_grads: bool
) -> _Style:
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
    return _Style(rankdir, {**ROLE_COLORS, **(colors or {})}, number_format, bool(local_grads))


def _check_root(root: object, who: str) -> Value:
    if not isinstance(root, Value):
        raise TypeError(
            f"{who}: root must be a Value (the output to draw from), got {type(root).__name__} {root!r}"
        )
    return root


def _check_max_nodes(max_nodes: object) -> None:
    if max_nodes is not None and (type(max_nodes) is not int or max_nodes < 1):
        raise ValueError(
            f"draw_graph(max_nodes=...): got {max_nodes!r}; expected a positive int, or None for no limit"
        )


def _positions(values: object, position: Mapping[Value, int], who: str) -> set[int]:
    """Where ``values`` (an iterable of Values; those not in the graph are ignored) sit in the order."""
    if isinstance(values, (str, bytes, Value)) or not isinstance(values, Iterable):
        raise TypeError(f"draw_graph({who}=...): expected an iterable of Values, got {type(values).__name__}")
    found = set()
    for value in values:
        if not isinstance(value, Value):
            raise TypeError(
                f"draw_graph({who}=...): expected Values, got a {type(value).__name__} ({value!r})"
            )
        if value in position:
            found.add(position[value])
    return found


# ----- what the engine tells the drawing ------------------------------------------------------


def _constant_of(node: Value) -> float | None:
    """The number folded into ``x * c`` or ``x + c``, if any (none for a one-term sum, where c = 0).

    ``x * c`` keeps c as its local derivative. ``x + c`` does not keep c, so it is worked out
    again as ``data - x.data``, which is not exact when rounding swallowed c: ``Value(1e20) + 1.0``
    draws no constant box. The one place to change once nodes hold their constants.
    """
    if len(node.parents) != 1:
        return None
    if node.op == "*":
        return float(node.local_grads[0])
    if node.op == "+":
        c = node.data - node.parents[0].data
        return c if math.isfinite(c) and c != 0.0 else None
    return None


def _gradients_after_steps(nodes: Sequence[Value], steps: int) -> list[float]:
    """Each node's gradient once the first ``steps`` steps of ``root.backward()`` have run.

    ``nodes`` is ``topological_order(root)``, the root last. A step is one node with parents passing
    its gradient on, in the order ``backward()`` takes them (the root first). The chain rule runs
    here on a list of numbers, so the graph's own ``.grad`` values are never read or written: a
    stand-in, written with public attributes only, for the engine's backward driver.
    """
    position = {node: i for i, node in enumerate(nodes)}
    grads = [0.0] * len(nodes)
    grads[-1] = 1.0  # backward() seeds the root with 1
    taken = [i for i in range(len(nodes) - 1, -1, -1) if nodes[i].parents][:steps]
    for i in taken:
        for parent, local in zip(nodes[i].parents, nodes[i].local_grads):
            grads[position[parent]] += float(local) * grads[i]
    return grads


# ----- the graph to draw ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Box:
    """A group as drawn: its members by position, what its box says, which values it shows."""

    name: str
    description: str
    members: list[int]
    shown: list[tuple[str, int]] | None  # (caption, position); None: its outputs, uncaptioned


@dataclass
class _Scene:
    """The graph in topological order (the root last), and what the drawing shows of each node."""

    nodes: list[Value]
    position: dict[Value, int]
    users: list[list[int]]  # the positions of the nodes each node is a parent of, once per edge
    grads: list[float]  # the gradients drawn (the real ones, or those of a backward step)
    current: int | None  # the node a drawn backward step processes
    boxes: list[_Box]
    box_of: dict[int, int]  # position -> its box's number
    hidden: set[int]  # leaves drawn inside the boxes they feed
    parameters: set[int]
    inputs: set[int] | None  # None: every leaf that is not a parameter is an input

    def name_of(self, i: int) -> str:
        """The DOT name that stands for node ``i``: its own box, or the group box it is in."""
        return f"g{self.box_of[i]}" if i in self.box_of else f"v{i}"


def _users_of(nodes: Sequence[Value], position: Mapping[Value, int]) -> list[list[int]]:
    users: list[list[int]] = [[] for _ in nodes]
    for i, node in enumerate(nodes):
        for parent in node.parents:
            users[position[parent]].append(i)
    return users


def _interior(nodes: Sequence[Value]) -> list[int]:
    """The positions of the nodes with parents: one backward step each."""
    return [i for i, node in enumerate(nodes) if node.parents]


def _grads_to_draw(nodes: Sequence[Value], backward_step: object) -> tuple[list[float], int | None]:
    """The gradients to draw, and the node being processed: the real ones, or at a backward step."""
    if backward_step is None:
        return [float(node.grad) for node in nodes], None
    interior = _interior(nodes)
    if type(backward_step) is not int or not 0 <= backward_step <= len(interior):
        raise ValueError(
            f"draw_graph(backward_step=...): got {backward_step!r}; this graph's backward "
            f"pass has steps 0 to {len(interior)}"
        )
    current = interior[len(interior) - backward_step] if backward_step > 0 else None
    return _gradients_after_steps(nodes, backward_step), current


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
    groups: Sequence[Group], position: Mapping[Value, int]
) -> tuple[list[_Box], dict[int, int], set[int]]:
    """The groups in this graph as boxes, each node's box, and the leaves the groups hold inside."""
    boxes: list[_Box] = []
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
        shown = None if group.shown is None else [(caption, position[v]) for caption, v in group.shown]
        description = _plural(len(members), "node") if group.description is None else group.description
        boxes.append(_Box(group.name, description, members, shown))
        inner_leaves.update(position[p] for p in group.parameters if p in position)
    return boxes, box_of, inner_leaves


def _hidden(
    nodes: Sequence[Value], users: Sequence[list[int]], box_of: Mapping[int, int], hideable: set[int]
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
    root: Value,
    parameters: Iterable[Value] | None,
    inputs: Iterable[Value] | None,
    groups: GroupsOption | None,
    backward_step: int | None,
) -> _Scene:
    """What to draw of ``root``'s graph (see ``draw_graph`` for the options)."""
    nodes = topological_order(root)
    position = {node: i for i, node in enumerate(nodes)}
    users = _users_of(nodes, position)
    grads, current = _grads_to_draw(nodes, backward_step)
    boxes, box_of, inner_leaves = _boxes(_as_groups(groups) if groups is not None else [], position)
    parameter_positions = set() if parameters is None else _positions(parameters, position, "parameters")
    input_positions = None if inputs is None else _positions(inputs, position, "inputs")
    hidden = _hidden(nodes, users, box_of, parameter_positions | inner_leaves)
    return _Scene(
        nodes, position, users, grads, current, boxes, box_of, hidden, parameter_positions, input_positions
    )


def _drawn_node_count(scene: _Scene) -> int:
    """How many nodes the drawing has: value boxes, operations, constants and group boxes."""
    values = [i for i in range(len(scene.nodes)) if i not in scene.box_of and i not in scene.hidden]
    operations = sum(1 for i in values if scene.nodes[i].parents)
    constants = sum(1 for i in values if _constant_of(scene.nodes[i]) is not None)
    return len(values) + operations + constants + len(scene.boxes)


# ----- drawing it -----------------------------------------------------------------------------


def _role(scene: _Scene, i: int) -> str:
    """The role that colours value ``i``: output, value, parameter, input or constant."""
    if i == len(scene.nodes) - 1:
        return "output"
    if scene.nodes[i].parents:
        return "value"
    if i in scene.parameters:
        return "parameter"
    if scene.inputs is None or i in scene.inputs:
        return "input"
    return "constant"


def _value_fields(scene: _Scene, style: _Style, i: int) -> list[str]:
    """The ``data`` and ``grad`` fields of value ``i``'s record."""
    return [
        f"data {escape_record(style.number(scene.nodes[i].data))}",
        f"grad {escape_record(style.number(scene.grads[i]))}",
    ]


def _draw_value(graph: ComputationGraph, scene: _Scene, style: _Style, i: int) -> None:
    """Value ``i`` as a record (label, data, grad), and the operation that made it, if any."""
    node = scene.nodes[i]
    fields = _value_fields(scene, style, i)
    if node.label is not None:
        fields.insert(0, escape_record(node.label))
    tooltip = f"{node.label or node.op or 'leaf'}: data={node.data!r}, grad={scene.grads[i]!r}"
    graph.node(
        f"v{i}",
        verbatim(style.row(fields)),
        shape="record",
        fillcolor=style.palette[_role(scene, i)],
        tooltip=_plain(tooltip),
    )
    if node.parents:
        _draw_operation(graph, scene, style, i)


def _draw_operation(graph: ComputationGraph, scene: _Scene, style: _Style, i: int) -> None:
    """The oval of the operation that made value ``i``, one edge per argument, and its constant."""
    node, operation = scene.nodes[i], f"op{i}"
    processing = i == scene.current
    highlight = {"color": style.palette["current"], "penwidth": "3"} if processing else {}
    graph.node(operation, _plain(node.op), shape="ellipse", fillcolor=style.palette["operation"], **highlight)
    graph.edge(operation, f"v{i}")
    for parent, local in zip(node.parents, node.local_grads):
        attributes = {"label": _plain(style.number(float(local)))} if style.local_grads else {}
        if processing:
            attributes.update(color=style.palette["current"], penwidth="2")
        graph.edge(scene.name_of(scene.position[parent]), operation, **attributes)
    constant = _constant_of(node)
    if constant is not None:
        graph.node(
            f"c{i}",
            _plain(style.number(constant)),
            shape="box",
            style="filled,rounded",
            fillcolor=style.palette["constant"],
            fontsize="9",
            height="0.25",
            width="0.3",
        )
        graph.edge(f"c{i}", operation, style="dashed")


def _box_fields(scene: _Scene, style: _Style, number: int) -> list[str]:
    """A group box's record: its name above what it computes, then the values it shows."""
    box = scene.boxes[number]
    members = set(box.members)
    hidden_leaves = {
        p
        for i in box.members
        for p in (scene.position[v] for v in scene.nodes[i].parents)
        if p in scene.hidden
    }
    description = box.description
    if hidden_leaves:
        description += "\n" + _plural(len(hidden_leaves), "parameter")
    # the name above what it computes, in one cell (a nested row turns the other way)
    fields = ["{ " + escape_record(box.name) + " | " + escape_record(description) + " }"]
    if box.shown is not None:
        for caption, i in box.shown:  # one cell each: the caption above its data and grad
            fields.append("{ " + " | ".join([escape_record(caption), *_value_fields(scene, style, i)]) + " }")
        return fields
    root = len(scene.nodes) - 1
    for i in box.members:  # its outputs: the members used outside it
        if i == root or any(user not in members for user in scene.users[i]):
            fields.extend(_value_fields(scene, style, i))
    return fields


def _draw_box(graph: ComputationGraph, scene: _Scene, style: _Style, number: int) -> None:
    """Group ``number`` as one box, with one edge from each drawn node outside it that it uses."""
    box = scene.boxes[number]
    members = set(box.members)
    fill = style.palette["output"] if len(scene.nodes) - 1 in members else style.palette["group"]
    processing = scene.current is not None and scene.current in members
    highlight = {"color": style.palette["current"], "penwidth": "3"} if processing else {}
    label = verbatim(style.row(_box_fields(scene, style, number)))
    graph.node(f"g{number}", label, shape="record", fillcolor=fill, **highlight)
    sources: list[str] = []
    for i in box.members:
        for p in (scene.position[parent] for parent in scene.nodes[i].parents):
            if p not in members and p not in scene.hidden and scene.name_of(p) not in sources:
                sources.append(scene.name_of(p))
    # at a backward step inside the box, the edges that step sends gradient along
    sending = set()
    if processing and scene.current is not None:
        sending = {scene.name_of(scene.position[p]) for p in scene.nodes[scene.current].parents}
    for source in sources:
        if source in sending:
            graph.edge(source, f"g{number}", color=style.palette["current"], penwidth="2")
        else:
            graph.edge(source, f"g{number}")


def _draw_scene(graph: ComputationGraph, scene: _Scene, style: _Style) -> None:
    """Every drawn node and edge, in topological order (a box where its first member is)."""
    drawn_boxes: set[int] = set()
    for i in range(len(scene.nodes)):
        if i in scene.hidden:
            continue
        number = scene.box_of.get(i)
        if number is None:
            _draw_value(graph, scene, style, i)
        elif number not in drawn_boxes:
            drawn_boxes.add(number)
            _draw_box(graph, scene, style, number)


def _empty_graph(rankdir: str, title: str | None) -> ComputationGraph:
    """A graph with the drawing's fonts and spacing, and ``title`` as a caption on top."""
    graph_attributes = {
        "rankdir": rankdir,
        "fontname": "Helvetica",
        "fontsize": "12",
        "nodesep": "0.2",
        "ranksep": "0.35",
    }
    if title is not None:
        graph_attributes.update(label=_plain(title), labelloc="t")
    return ComputationGraph(
        "computation graph",
        graph_attr=graph_attributes,
        node_attr={"fontname": "Helvetica", "fontsize": "11", "style": "filled"},
        edge_attr={"fontname": "Helvetica", "fontsize": "9", "arrowsize": "0.6", "color": "#555555"},
    )


def _step_title(scene: _Scene, style: _Style, step: int) -> str:
    """What backward step ``step`` does, in words."""
    steps = len(_interior(scene.nodes))
    if scene.current is None:
        return f"backward step 0 of {steps}: the output's grad is seeded with 1"
    node = scene.nodes[scene.current]
    name = f"{node.label!r} ({node.op})" if node.label is not None else f"'{node.op}'"
    return (
        f"backward step {step} of {steps}: {name} passes its grad {style.number(scene.grads[scene.current])} "
        f"to its {_plural(len(node.parents), 'input')} (times each local derivative)"
    )


def draw_graph(
    root: Value,
    *,
    rankdir: str = "LR",
    parameters: Iterable[Value] | None = None,
    inputs: Iterable[Value] | None = None,
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
    if title is not None and not isinstance(title, str):
        raise TypeError(f"draw_graph(title=...): expected a string, got {type(title).__name__}")
    scene = _scene(root, parameters, inputs, groups, backward_step)
    drawn = _drawn_node_count(scene)
    if max_nodes is not None and drawn > max_nodes:
        raise GraphTooLargeError(
            f"draw_graph: this drawing would have {drawn} nodes, more than max_nodes={max_nodes}; "
            f"a picture that big is hard to read (and its PNG is huge). Draw a smaller part of the "
            f"graph, draw repeated structure as boxes (groups=...; for a network built with nn, "
            f"groups=nn.neuron_groups(loss)), or raise max_nodes (None for no limit; prefer SVG for "
            f"big graphs)."
        )
    if title is None and backward_step is not None:
        title = _step_title(scene, style, backward_step)
    if title is None and style.local_grads:
        title = "numbers on edges: local derivatives d(node)/d(input)"
    graph = _empty_graph(rankdir, title)
    _draw_scene(graph, scene, style)
    return graph


def backward_step_count(root: Value) -> int:
    """How many steps ``root.backward()`` takes: one per node with parents (``backward_step=`` runs 0..this).

    >>> from autograd import Value
    >>> x = Value(1.0)
    >>> backward_step_count((x * 2.0 + 1.0).tanh())
    3
    """
    return len(_interior(topological_order(_check_root(root, "backward_step_count"))))


def draw_backward_steps(root: Value, **options: Any) -> list[ComputationGraph]:
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


def save_graph(root: Value | Any, path: str | os.PathLike[str], **options: Any) -> Path:
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
    if isinstance(root, Value):
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
