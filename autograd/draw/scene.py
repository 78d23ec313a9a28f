"""What a drawing shows of a graph: the options checked, and the ``Scene`` they make of it.

``draw_graph`` and the step-through page (``autograd.draw.viewer``) both start here: the nodes in
topological order with their roles, group boxes, the leaves hidden inside them, the size limit, and
the direction that suits the graph's shape (a long chain runs top to bottom instead of becoming a
strip wider than a notebook).

A scene is made in two steps, so that a graph too big to draw is refused before its backward pass
is replayed, its values named or any number formatted: ``build_scene`` (what is drawn),
``check_size``, then ``with_texts`` (the names and numbers it writes).

>>> from autograd import Value, topological_order
>>> x = Value(2.0, label="x")
>>> y = x * 3.0
>>> scene = build_scene(topological_order(y))
>>> check_size(scene, 300, "example")
>>> scene = with_texts(scene, style_of(None, None, ".4g", False, "example"), [0.0, 0.0])
>>> scene.data_texts, scene.constants
(['2', '6'], {1: 3.0})
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Union

from autograd.draw.dot import (
    ROLE_COLORS,
    Box,
    NumberFormat,
    Scene,
    Style,
    box_sources,
)
from autograd.draw.groups import Group, as_values
from autograd.draw.names import UNKNOWN, short_names
from autograd.draw.text import text_width
from autograd.graph import topological_order
from autograd.node import Node

__all__ = [
    "AUTO",
    "GraphTooLargeError",
    "GroupsOption",
    "NOTEBOOK_COLUMN_PX",
    "NOTEBOOK_WIDTH",
    "build_scene",
    "check_max_nodes",
    "check_root",
    "check_size",
    "checked_scene",
    "drawn_count",
    "layout_direction",
    "style_of",
    "whole_number",
    "with_direction",
    "with_texts",
]

GroupsOption = Union[Mapping[str, Iterable[Node]], Iterable[Union[Group, Iterable[Node]]]]
"""What ``groups=`` takes: ``Group`` objects, lists of Values (named "group 1", ...), or
``{name: values}``."""

AUTO = "auto"
"""The direction of a style whose caller left ``rankdir`` to the drawing (see ``layout_direction``)."""

NOTEBOOK_COLUMN_PX = 860.0
"""Jupyter's notebook column, in CSS pixels: a drawing left to right is chosen only when it fits,
and every picture of the project's notebooks must fit it (``notebooks/_figures.py`` checks)."""

NOTEBOOK_WIDTH = NOTEBOOK_COLUMN_PX * 72.0 / 96.0
"""The notebook column in points, the unit of Graphviz's SVG (645: 72 points, 96 CSS pixels an inch)."""


class GraphTooLargeError(ValueError):
    """The drawing would have more nodes than ``max_nodes``."""


# ----- options --------------------------------------------------------------------------------


def style_of(
    rankdir: str | None,
    colors: Mapping[str, str] | None,
    number_format: NumberFormat,
    local_grads: bool,
    who: str,
) -> Style:
    """The checked options that decide how the drawing looks (``rankdir=None``: ``AUTO``)."""
    if rankdir is not None and rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"{who}(rankdir=...): got {rankdir!r}; expected 'LR', 'RL', 'TB', 'BT' or None")
    if isinstance(number_format, str):
        try:
            format(0.5, number_format)  # a bad spec fails here, before any drawing
        except ValueError as error:
            raise ValueError(
                f"{who}(number_format=...): {number_format!r} is not a format spec ({error})"
            ) from None
    elif not callable(number_format):
        raise TypeError(
            f"{who}(number_format=...): expected a format spec such as '.4g' or a function of a "
            f"float, got {type(number_format).__name__}"
        )
    unknown = sorted(set(colors or ()) - set(ROLE_COLORS))
    if unknown:
        raise ValueError(f"{who}(colors=...): unknown roles {unknown}; the roles are {sorted(ROLE_COLORS)}")
    for role, colour in (colors or {}).items():
        if not isinstance(colour, str) or not colour.strip():
            raise TypeError(
                f"{who}(colors=...): the colour of {role!r} is {type(colour).__name__} {colour!r}; "
                "expected a colour name or code as a string, such as 'red' or '#d62728'"
            )
    palette = {**ROLE_COLORS, **(colors or {})}
    return Style(AUTO if rankdir is None else rankdir, palette, number_format, bool(local_grads))


def check_root(root: object, who: str) -> Node:
    """``root`` if it is a Value, else a ``TypeError`` that says what a drawing starts from."""
    if not isinstance(root, Node):
        raise TypeError(
            f"{who}: root must be a Value (the output to draw from), got {type(root).__name__} {root!r}"
        )
    return root


def whole_number(x: object) -> int | None:
    """``x`` as an int if it is an integer (numpy's too) and not a bool, else None."""
    return int(x) if isinstance(x, numbers.Integral) and not isinstance(x, bool) else None


def check_max_nodes(max_nodes: object, who: str) -> None:
    """A ``ValueError`` unless ``max_nodes`` is a positive int or None."""
    limit = whole_number(max_nodes)
    if max_nodes is not None and (limit is None or limit < 1):
        raise ValueError(
            f"{who}(max_nodes=...): got {max_nodes!r}; expected a positive int, or None for no limit"
        )


def _positions(values: object, position: Mapping[Node, int], who: str) -> set[int]:
    """Where ``values`` (an iterable of Values; those not in the graph are ignored) sit in the order."""
    return {position[v] for v in as_values(values, who) if v in position}


# ----- the scene ------------------------------------------------------------------------------


def _constant_of(node: Node) -> float | None:
    """The number folded into ``x + c``, ``x * c``, ``x / c``, ``c / x``, a sum or a neuron's bias,
    drawn as a box of its own (none for ``x + 0``; ``x ** c`` shows its exponent in its label)."""
    c, primitive = node.constant, node.primitive
    if c is None or primitive is None or primitive.shows_constant:
        return None
    return None if primitive.name == "+" and c == 0.0 else c


def _users_of(nodes: Sequence[Node], position: Mapping[Node, int]) -> list[list[int]]:
    """For each node, the positions of the nodes it is a parent of (once per edge: ``a * a`` twice)."""
    users: list[list[int]] = [[] for _ in nodes]
    for i, node in enumerate(nodes):
        for parent in node.parents:
            users[position[parent]].append(i)
    return users


def _as_groups(option: object, who: str) -> list[Group]:
    """The ``groups=`` option as a list of ``Group`` objects."""
    if isinstance(option, Mapping):
        return [Group(str(name), values) for name, values in option.items()]
    if isinstance(option, (str, bytes, Group)) or not isinstance(option, Iterable):
        raise TypeError(
            f"{who}(groups=...): expected Groups, lists of Values or {{name: values}}, "
            f"got {type(option).__name__}"
        )
    return [
        entry if isinstance(entry, Group) else Group(f"group {k}", entry) for k, entry in enumerate(option, 1)
    ]


def _boxes(
    groups: Sequence[Group], position: Mapping[Node, int], who: str
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
                    f"{who}: a node is in two groups ({boxes[box_of[member]].name!r} and "
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


def build_scene(
    nodes: list[Node],
    *,
    parameters: Iterable[Node] | None = None,
    inputs: Iterable[Node] | None = None,
    groups: GroupsOption | None = None,
    who: str = "draw_graph",
) -> Scene:
    """What to draw of the graph whose ``topological_order`` is ``nodes`` (see ``draw_graph`` for
    the options), its names and numbers not yet written: ``with_texts`` adds them."""
    position = {node: i for i, node in enumerate(nodes)}
    users = _users_of(nodes, position)
    group_list = [] if groups is None else _as_groups(groups, who)
    boxes, box_of, inner_leaves = _boxes(group_list, position, who)
    parameter_positions = (
        set() if parameters is None else _positions(parameters, position, f"{who}(parameters=...)")
    )
    input_positions = None if inputs is None else _positions(inputs, position, f"{who}(inputs=...)")
    constants = {i: c for i, c in ((i, _constant_of(node)) for i, node in enumerate(nodes)) if c is not None}
    hidden = _hidden(nodes, users, box_of, parameter_positions | inner_leaves)
    return Scene(
        nodes=nodes,
        position=position,
        users=users,
        grads=[],
        current=None,
        updated=set(),
        boxes=boxes,
        box_of=box_of,
        hidden=hidden,
        parameters=parameter_positions,
        inputs=input_positions,
        constants=constants,
        data_texts=[],
        grad_texts=[],
        names=[],
    )


def with_texts(
    scene: Scene,
    style: Style,
    grads: Sequence[float | None],
    current: int | None = None,
    updated: Iterable[int] = (),
) -> Scene:
    """``scene`` with ``grads`` to show (None: not arrived yet), every value's name and every
    number's text (``current``, ``updated``: what a drawn backward step processes and changes).

    >>> from autograd import Value, topological_order
    >>> scene = build_scene(topological_order(Value(2.0) * 3.0))
    >>> with_texts(scene, style_of(None, None, ".2f", False, "example"), [3.0, None, 1.0]).grad_texts
    ['3.00', '?', '1.00']
    """
    return replace(
        scene,
        grads=list(grads),
        current=current,
        updated=set(updated),
        data_texts=[style.number(node.data) for node in scene.nodes],
        grad_texts=[UNKNOWN if grad is None else style.number(grad) for grad in grads],
        names=short_names(scene.nodes, scene.box_of, scene.boxes, scene.hidden, scene.users),
    )


def drawn_count(scene: Scene) -> int:
    """How many nodes the drawing of ``scene`` has: records, ovals, constants and group boxes."""
    values = scene.drawn_values()
    operations = sum(1 for i in values if scene.nodes[i].parents)
    constants = sum(1 for i in values if i in scene.constants)
    return len(values) + operations + constants + len(scene.boxes)


def check_size(scene: Scene, max_nodes: int | None, who: str) -> None:
    """``GraphTooLargeError`` if the drawing would have more than ``max_nodes`` nodes (boxes and ovals)."""
    drawn = drawn_count(scene)
    if max_nodes is not None and drawn > max_nodes:
        raise GraphTooLargeError(
            f"{who}: this drawing would have {drawn} nodes, more than max_nodes={max_nodes}; "
            f"a picture that big is hard to read (and its PNG is huge). Draw a smaller part of the "
            f"graph, draw repeated structure as boxes (groups=...; for a network built with nn, "
            f"groups=nn.neuron_groups(loss)), or raise max_nodes (None for no limit; prefer SVG for "
            f"big graphs)."
        )


def checked_scene(
    root: object,
    who: str,
    parameters: Iterable[Node] | None,
    inputs: Iterable[Node] | None,
    groups: GroupsOption | None,
    max_nodes: int | None,
    title: str | None,
) -> Scene:
    """What ``draw_graph`` and ``step_through`` draw of ``root``'s graph (names and numbers not
    written yet), their options checked in one place (``style_of`` checks those of its look).

    A graph past ``max_nodes`` is refused here, before any backward pass is replayed or any number
    formatted.
    """
    node = check_root(root, who)
    if title is not None and not isinstance(title, str):
        raise TypeError(f"{who}(title=...): expected a string, got {type(title).__name__}")
    check_max_nodes(max_nodes, who)
    scene = build_scene(topological_order(node), parameters=parameters, inputs=inputs, groups=groups, who=who)
    check_size(scene, max_nodes, who)
    return scene


# ----- the direction that suits the graph ---------------------------------------------------------

_RANK_GAP, _NODE_GAP, _EDGE_LABEL = 25.0, 14.0, 30.0  # points: ranksep, nodesep, an edge label's room
_PAD = 8.0  # points: Graphviz's margin around the picture, 4 on each side


def _field_width(text: str) -> float:
    return max(text_width(line) for line in text.split("\n")) + 16.0


def _widths(scene: Scene) -> dict[str, float]:
    """About how wide each drawn node will be, by its DOT name."""
    widths: dict[str, float] = {}
    for i in scene.drawn_values():
        node = scene.nodes[i]
        fields = [f"data {scene.data_texts[i]}", f"grad {scene.grad_texts[i]}"]
        widths[f"v{i}"] = sum(map(_field_width, [scene.names[i], *fields]))
        if node.parents:
            widths[f"op{i}"] = max(54.0, text_width(node.op) + 24.0)
        if i in scene.constants:
            widths[f"c{i}"] = max(22.0, text_width(str(scene.constants[i])) + 16.0)
    for number, box in enumerate(scene.boxes):
        shown = box.shown or [("", i) for i in box.members[-1:]]
        values = sum(_field_width(f"grad {scene.grad_texts[i]}") for _, i in shown)
        widths[f"g{number}"] = _field_width(f"{box.name}\n{box.description or ''}") + values
    return widths


def _ranks(scene: Scene) -> dict[str, int]:
    """Roughly the rank Graphviz gives each drawn node: one past its sources, a leaf just before its
    first user."""
    rank: dict[str, int] = {}
    users: dict[str, list[str]] = {}
    leaves: list[str] = []

    def after(sources: list[str], name: str) -> int:
        for source in sources:
            users.setdefault(source, []).append(name)
        return 1 + max((rank.get(source, 0) for source in sources), default=-1)

    for i, node in enumerate(scene.nodes):
        if i in scene.hidden:
            continue
        if i in scene.box_of:
            name = f"g{scene.box_of[i]}"
            if name not in rank:
                rank[name] = after(box_sources(scene, scene.box_of[i]), name)
        elif not node.parents:
            rank[f"v{i}"] = 0
            leaves.append(f"v{i}")
        else:
            operation = after([scene.name_of(scene.position[p]) for p in node.parents], f"op{i}")
            rank[f"op{i}"], rank[f"v{i}"] = operation, operation + 1
            if i in scene.constants:
                rank[f"c{i}"] = max(operation - 1, 0)
    for leaf in leaves:
        if leaf in users:
            rank[leaf] = max(0, min(rank[user] for user in users[leaf]) - 1)
    return rank


def layout_direction(scene: Scene, style: Style) -> str:
    """``style.rankdir``, or for ``AUTO``: left to right when that fits a notebook column (or is the
    narrower way), else top to bottom (a long chain then grows downwards, where a page scrolls)."""
    if style.rankdir != AUTO:
        return style.rankdir
    widths, ranks = _widths(scene), _ranks(scene)
    by_rank: dict[int, list[float]] = {}
    for name, rank in ranks.items():
        by_rank.setdefault(rank, []).append(widths.get(name, 0.0))
    gap = _RANK_GAP + (_EDGE_LABEL if style.local_grads else 0.0)
    across = sum(max(row) for row in by_rank.values()) + gap * (len(by_rank) - 1)
    down = max(sum(row) + _NODE_GAP * (len(row) - 1) for row in by_rank.values())
    return "LR" if across + _PAD <= NOTEBOOK_WIDTH or across <= down else "TB"


def with_direction(scene: Scene, style: Style) -> Style:
    """``style`` with its direction decided for ``scene``."""
    return replace(style, rankdir=layout_direction(scene, style))
