"""Writing a drawing as DOT: a record per value, an oval per operation, a box per group.

``autograd.draw`` decides what to draw of a graph (a ``Scene``: which nodes, which gradients, which
boxes); this module decides how it looks, and writes it with the graphviz package. Every text goes
through an escape of ``autograd.draw.text``, so that a label shows exactly as written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from autograd.draw.render import verbatim
from autograd.draw.text import escape_html, escape_plain, escape_record, plural, visible
from autograd.node import Node

if TYPE_CHECKING:
    from autograd.draw.digraph import ComputationGraph

__all__ = [
    "ROLE_COLORS",
    "UNKNOWN",
    "Box",
    "NumberFormat",
    "Scene",
    "Style",
    "box_outputs",
    "box_edge_locals",
    "box_sources",
    "dot_graph",
    "number_field",
]

UNKNOWN = "?"
"""What a number not known yet reads: a value before its forward step, a grad before it arrives."""

NumberFormat = Union[str, Callable[[float], str]]
"""A ``format`` spec such as ``".4g"``, or a function from a float to its text."""

ROLE_COLORS: dict[str, str] = {
    "input": "#cfe3ff",  # light blue: data fed in
    "parameter": "#ffdca8",  # light orange: what training changes
    "constant": "#e8e8e8",  # light grey: fixed numbers, no gradient wanted
    "value": "#ffffff",  # white: intermediate results
    "output": "#c6efc6",  # light green: the value drawn from (the loss)
    "operation": "#ece3f7",  # light purple ovals
    "group": "#fff4c2",  # light yellow: several nodes drawn as one box (a neuron, say)
    "current": "#d62728",  # red outline: the node being computed (forward) or passing its gradient on
    "updated": "#1f77b4",  # blue outline: the values whose gradient that step changed
}
"""The fill colour of each kind of node (``current`` and ``updated`` are outlines); override with
``colors=``. Every drawing and every frame of the step-through page uses these colours, and a key
inside the picture names them."""

ROLE_NAMES: dict[str, str] = {
    "input": "input",
    "parameter": "parameter",
    "constant": "constant",
    "value": "value",
    "output": "output",
    "operation": "operation",
    "group": "group",
    "current": "being processed",
    "updated": "gradient updated",
}
"""How the key names each colour."""


# ----- what to draw, and how it looks ---------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """How the drawing looks: direction, colours, number format, and whether edges carry derivatives.

    ``marked`` (for the step-through page): every node and edge gets a class that names it, so a
    script can find it in the SVG, and values are named in their tooltips instead of numbered.
    """

    rankdir: str
    palette: Mapping[str, str]
    number_format: NumberFormat
    local_grads: bool
    marked: bool = False

    def number(self, x: float) -> str:
        """``x`` as the drawing writes it: one line (the step-through page rewrites each number's line)."""
        text = format(x, self.number_format) if isinstance(self.number_format, str) else self.number_format(x)
        if not isinstance(text, str):
            raise TypeError(
                f"number_format=...: the function returned {type(text).__name__} "
                f"{text!r} for {x!r}; it must return a string"
            )
        if "\n" in text:
            raise ValueError(
                f"number_format=...: {x!r} came out as {text!r}, which has a line break; a number is "
                "drawn on one line"
            )
        return text

    def row(self, fields: Sequence[str]) -> str:
        """Record fields side by side (left to right, a record's top level runs top to bottom)."""
        return "{ " + " | ".join(fields) + " }" if self.rankdir in ("LR", "RL") else " | ".join(fields)


@dataclass(frozen=True)
class Box:
    """A group as drawn: its members by position, what its box says, which values it shows."""

    name: str
    description: str | None  # None: how many nodes it holds
    members: list[int]
    shown: list[tuple[str, int]] | None  # (caption, position); None: its outputs, uncaptioned


@dataclass
class Scene:
    """The graph in topological order (the root last), and what the drawing shows of each node."""

    nodes: list[Node]
    position: dict[Node, int]
    users: list[list[int]]  # the positions of the nodes each node is a parent of, once per edge
    grads: list[float | None]  # the gradients drawn (the real ones, or a backward step's; None: not yet)
    current: int | None  # the node a drawn backward step processes
    updated: set[int]  # the nodes whose gradient that step changed
    boxes: list[Box]
    box_of: dict[int, int]  # position -> its box's number
    hidden: set[int]  # leaves drawn inside the boxes they feed
    parameters: set[int]  # the leaves coloured as parameters
    inputs: set[int] | None  # the leaves coloured as inputs; None: every leaf that is not a parameter
    constants: dict[int, float]  # position -> the constant folded into its operation (x * c, x + c)
    data_texts: list[str]  # how each node's data and grad read (formatted numbers, or "?")
    grad_texts: list[str]
    names: list[str]  # what the drawing and every text call each node (autograd.draw.names)

    def name_of(self, i: int) -> str:
        """The DOT name that stands for node ``i``: its own box, or the group box it is in."""
        return f"g{self.box_of[i]}" if i in self.box_of else f"v{i}"

    def drawn_values(self) -> list[int]:
        """The values drawn as boxes of their own (not hidden, not inside a group)."""
        return [i for i in range(len(self.nodes)) if i not in self.box_of and i not in self.hidden]


# ----- writing it -----------------------------------------------------------------------------


def _role(scene: Scene, i: int) -> str:
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


def _marks(style: Style, name: str) -> dict[str, str]:
    """The class that names a node or edge on the step-through page (nothing in a plain drawing)."""
    return {"class": name} if style.marked else {}


def _outline(scene: Scene, style: Style, processing: bool, updated: bool) -> dict[str, str]:
    """The outline of a node the drawn step processes (red) or gives a new gradient (blue)."""
    if processing:
        return {"color": style.palette["current"], "penwidth": "3"}
    if updated:
        return {"color": style.palette["updated"], "penwidth": "2"}
    return {}


def number_field(scene: Scene, i: int, field: str) -> str:
    r"""Value ``i``'s ``data`` or ``grad`` field as the picture shows it (invisible characters as escapes).

    >>> from autograd import Value, topological_order
    >>> from autograd.draw.scene import build_scene, style_of, with_texts
    >>> style = style_of(None, None, lambda v: f"{v}\t", False, "example")
    >>> scene = with_texts(build_scene(topological_order(Value(0.5))), style, [1.0])
    >>> print(number_field(scene, 0, "data"), "|", number_field(scene, 0, "grad"))
    data 0.5\t | grad 1.0\t
    """
    text = scene.data_texts[i] if field == "data" else scene.grad_texts[i]
    return f"{field} {visible(text)}"


def _value_fields(scene: Scene, i: int) -> list[str]:
    """The ``data`` and ``grad`` fields of value ``i``'s record."""
    return [escape_record(number_field(scene, i, field)) for field in ("data", "grad")]


def _draw_value(graph: ComputationGraph, scene: Scene, style: Style, i: int) -> None:
    """Value ``i`` as a record (label, data, grad), and the operation that made it, if any."""
    node = scene.nodes[i]
    fields = [escape_record(scene.names[i]), *_value_fields(scene, i)]
    if style.marked:  # the page changes the numbers: a tooltip only names the value
        tooltip = scene.names[i]
    else:
        grad = scene.grads[i]
        tooltip = f"{scene.names[i]}: data={node.data!r}, grad={UNKNOWN if grad is None else repr(grad)}"
    graph.node(
        f"v{i}",
        verbatim(style.row(fields)),
        shape="record",
        fillcolor=style.palette[_role(scene, i)],
        tooltip=escape_plain(tooltip),
        **_outline(scene, style, False, i in scene.updated),
        **_marks(style, f"v{i}"),
    )
    if node.parents:
        _draw_operation(graph, scene, style, i)


def _draw_operation(graph: ComputationGraph, scene: Scene, style: Style, i: int) -> None:
    """The oval of the operation that made value ``i``, one edge per argument, and its constant.

    ``ordering=in`` keeps the arguments in argument order across the picture (``a - b``: ``a``
    first; a layer's neurons in index order), whatever else Graphviz would prefer.
    """
    node, operation = scene.nodes[i], f"op{i}"
    processing = i == scene.current
    graph.node(
        operation,
        escape_plain(node.op),
        shape="ellipse",
        fillcolor=style.palette["operation"],
        ordering="in",
        **_outline(scene, style, processing, False),
        **_marks(style, operation),
    )
    graph.edge(operation, f"v{i}", **_marks(style, f"r{i}"))
    for k, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
        # the step being drawn labels the edges it uses, and they point the way the gradient flows
        labelled = style.local_grads or processing
        attributes = {"label": escape_plain(style.number(float(local)))} if labelled else {}
        if processing:
            attributes.update(color=style.palette["current"], penwidth="2", dir="back")
        graph.edge(
            scene.name_of(scene.position[parent]), operation, **attributes, **_marks(style, f"e{i}_{k}")
        )
    if i in scene.constants:
        graph.node(
            f"c{i}",
            escape_plain(style.number(scene.constants[i])),
            shape="box",
            style="filled,rounded",
            fillcolor=style.palette["constant"],
            height="0.25",
            width="0.3",
        )
        graph.edge(f"c{i}", operation, style="dashed")


def _box_fields(scene: Scene, style: Style, number: int) -> list[str]:
    """A group box's record: its name above what it computes, then the values it shows."""
    box = scene.boxes[number]
    hidden_leaves = {
        p
        for i in box.members
        for p in (scene.position[v] for v in scene.nodes[i].parents)
        if p in scene.hidden
    }
    description = plural(len(box.members), "node") if box.description is None else box.description
    if hidden_leaves:
        description += "\n" + plural(len(hidden_leaves), "parameter")
    # the name above what it computes, in one cell (a nested row turns the other way)
    fields = ["{ " + escape_record(box.name) + " | " + escape_record(description) + " }"]
    if box.shown is not None:
        for caption, i in box.shown:  # one cell each: the caption above its data and grad
            fields.append("{ " + " | ".join([escape_record(caption), *_value_fields(scene, i)]) + " }")
        return fields
    for i in box_outputs(scene, number):
        fields.extend(_value_fields(scene, i))
    return fields


def box_outputs(scene: Scene, number: int) -> list[int]:
    """The members of box ``number`` that a box without ``shown`` values shows: those used outside it."""
    box = scene.boxes[number]
    members = set(box.members)
    root = len(scene.nodes) - 1
    return [i for i in box.members if i == root or any(user not in members for user in scene.users[i])]


def box_sources(scene: Scene, number: int) -> list[str]:
    """The drawn nodes outside box ``number`` that it uses, each once, in the order its members do."""
    members = set(scene.boxes[number].members)
    sources: list[str] = []
    for i in scene.boxes[number].members:
        for p in (scene.position[parent] for parent in scene.nodes[i].parents):
            if p not in members and p not in scene.hidden and scene.name_of(p) not in sources:
                sources.append(scene.name_of(p))
    return sources


def _draw_box(graph: ComputationGraph, scene: Scene, style: Style, number: int) -> None:
    """Group ``number`` as one box, with one edge from each drawn node outside it that it uses."""
    box = scene.boxes[number]
    members = set(box.members)
    fill = style.palette["output"] if len(scene.nodes) - 1 in members else style.palette["group"]
    processing = scene.current is not None and scene.current in members
    updated = any(i in scene.updated for i in box.members)
    label = verbatim(style.row(_box_fields(scene, style, number)))
    graph.node(
        f"g{number}",
        label,
        shape="record",
        fillcolor=fill,
        ordering="in",
        **_outline(scene, style, processing, updated),
        **_marks(style, f"g{number}"),
    )
    # at a backward step inside the box, the edges that step sends gradient along, labelled with
    # their local derivatives and pointing the way the gradient flows
    current = scene.current if processing else None
    shown_locals = box_edge_locals(scene, number, current) if style.local_grads or processing else {}
    for source in box_sources(scene, number):
        attributes = _marks(style, f"b{number}_{source}")
        if source in shown_locals:
            numbers = ", ".join(style.number(local) for local in shown_locals[source])
            attributes["label"] = escape_plain(numbers)
        if current is not None and source in shown_locals:
            attributes.update(color=style.palette["current"], penwidth="2", dir="back")
        graph.edge(source, f"g{number}", **attributes)


def box_edge_locals(scene: Scene, number: int, member: int | None = None) -> dict[str, list[float]]:
    """The local derivatives each edge into box ``number`` carries (by the drawn node it comes from):
    of ``member``'s inputs, or of every member's inputs from outside the box."""
    members = set(scene.boxes[number].members)
    carried: dict[str, list[float]] = {}
    for i in scene.boxes[number].members if member is None else [member]:
        for parent, local in zip(scene.nodes[i].parents, scene.nodes[i].local_grads):
            p = scene.position[parent]
            if p not in members and p not in scene.hidden:
                carried.setdefault(scene.name_of(p), []).append(float(local))
    return carried


def _draw_scene(graph: ComputationGraph, scene: Scene, style: Style) -> None:
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


# ----- the caption and the colour key -----------------------------------------------------------


def _roles_drawn(scene: Scene, style: Style) -> list[str]:
    """The colours this drawing uses, in the key's order."""
    values = scene.drawn_values()
    used = {_role(scene, i) for i in values}
    if any(scene.nodes[i].parents for i in values):
        used.add("operation")
    if any(i in scene.constants for i in values):
        used.add("constant")
    if scene.boxes:
        used.add("group")
        if len(scene.nodes) - 1 in scene.box_of:
            used.add("output")
    if scene.current is not None or style.marked:
        used.update(("current", "updated"))
    return [role for role in ROLE_NAMES if role in used]


def _key_cell(style: Style, role: str) -> str:
    colour = escape_html(style.palette[role])
    if role in ("current", "updated"):  # outlines
        return f'<TD BORDER="2" COLOR="{colour}">{ROLE_NAMES[role]}</TD>'
    return f'<TD BORDER="1" BGCOLOR="{colour}">{ROLE_NAMES[role]}</TD>'


def _caption(scene: Scene, style: Style, title: str | None) -> str:
    """The title (if any) above the colour key, as an HTML-like label."""
    cells = [_key_cell(style, role) for role in _roles_drawn(scene, style)]
    rows = []
    if title is not None:
        rows.append(f'<TR><TD COLSPAN="{len(cells) + 1}">{escape_html(title)}</TD></TR>')
    rows.append('<TR><TD BORDER="0">colours:</TD>' + "".join(cells) + "</TR>")
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="2">' + "".join(rows) + "</TABLE>>"


def dot_graph(scene: Scene, style: Style, title: str | None) -> ComputationGraph:
    """``scene`` drawn in ``style``, with ``title`` and a key of its colours on top.

    No text is smaller than 11 points: at a notebook's width the picture scrolls, it never shrinks.
    """
    graph_attributes = {
        "rankdir": style.rankdir,
        "fontname": "Helvetica",
        "fontsize": "12",
        "nodesep": "0.2",
        "ranksep": "0.35",
        "label": _caption(scene, style, title),
        "labelloc": "t",
        "labeljust": "l",  # the key at the left, where a wide picture that scrolls starts
    }
    from autograd.draw.digraph import ComputationGraph  # graphviz, imported when drawing

    graph = ComputationGraph(
        "computation graph",
        graph_attr=graph_attributes,
        node_attr={"fontname": "Helvetica", "fontsize": "11", "style": "filled"},
        edge_attr={"fontname": "Helvetica", "fontsize": "11", "arrowsize": "0.6", "color": "#555555"},
    )
    _draw_scene(graph, scene, style)
    return graph
