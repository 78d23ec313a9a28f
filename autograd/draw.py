"""Drawing computation graphs with Graphviz: one box per value, one oval per operation.

This is the only module of ``autograd`` that imports ``graphviz``; nothing imports it until a graph is
drawn, so ``import autograd`` never needs it. Building a drawing needs only the ``graphviz`` Python
package (``pip install "chainrule[draw]"``); turning it into an image needs a ``dot`` program, found
by ``find_renderer``: the ``CHAINRULE_DOT`` environment variable if set, else a system Graphviz
``dot`` on PATH, else the pip-installed ``graphviz-pure``. Without any, the DOT text (``.source``)
still works.

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

import os
import shutil
import sys
import sysconfig
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any, Union

from autograd.graph import backpropagate, shadow, topological_order
from autograd.value import Value

try:
    import graphviz  # type: ignore[import-untyped]
    from graphviz.backend import dot_command  # type: ignore[import-untyped]
except ModuleNotFoundError as error:  # pragma: no cover - the draw extra is part of dev
    raise ModuleNotFoundError(
        "drawing graphs needs the graphviz Python package: pip install 'chainrule[draw]' "
        "(or pip install graphviz==0.21 graphviz-pure==0.2.2)"
    ) from error

__all__ = [
    "ROLE_COLORS",
    "ComputationGraph",
    "GraphTooLargeError",
    "RendererNotFoundError",
    "backward_step_count",
    "draw_backward_steps",
    "draw_graph",
    "find_renderer",
    "save_graph",
]

NumberFormat = Union[str, Callable[[float], str]]
"""A ``format`` spec such as ``".4g"``, or a function from a float to its text."""

ROLE_COLORS: dict[str, str] = {
    "input": "#cfe3ff",  # light blue: data fed in
    "parameter": "#ffdca8",  # light orange: what training changes
    "constant": "#e8e8e8",  # light grey: fixed numbers, no gradient wanted
    "value": "#ffffff",  # white: intermediate results
    "output": "#c6efc6",  # light green: the value drawn from (the loss)
    "operation": "#ece3f7",  # light purple ovals
    "group": "#fff4c2",  # light yellow: a collapsed sub-structure (a neuron)
    "current": "#d62728",  # red outline: the node the backward pass is processing
}
"""The fill colour of each kind of node (``current`` is an outline); override with ``colors=``."""

ACTIVATIONS = frozenset({"tanh", "sigmoid", "relu", "softplus"})
"""The ops that ``collapse="neurons"`` folds into the ``linear`` node feeding them."""

RENDERER_VARIABLE = "CHAINRULE_DOT"
"""The environment variable naming the ``dot`` program to use, ahead of any other."""


class RendererNotFoundError(RuntimeError):
    """No Graphviz ``dot`` program was found to turn the DOT text into an image."""


class GraphTooLargeError(ValueError):
    """The drawing would have more nodes than ``max_nodes``."""


# ----- finding a renderer -------------------------------------------------------------------


def _executable(name: str) -> Path | None:
    """``name`` as a runnable program: a path to one, or a name found on PATH."""
    if os.sep in name or (os.altsep is not None and os.altsep in name):
        path = Path(name).expanduser()
        return path if path.is_file() and os.access(path, os.X_OK) else None
    found = shutil.which(name)
    return Path(found) if found is not None else None


def _graphviz_pure_places() -> list[Path]:
    """Where pip puts ``graphviz-pure``'s program, whether or not that folder is on PATH.

    A Jupyter kernel started from a virtual environment often lacks the environment's scripts folder
    on PATH; the program still sits next to the interpreter, or where its package's record says.
    """
    places = [Path(sys.executable).parent]
    # the scripts folders of this interpreter's installation and of pip install --user
    for scheme in (sysconfig.get_default_scheme(), sysconfig.get_preferred_scheme("user")):
        places.append(Path(sysconfig.get_path("scripts", scheme)))
    try:
        distribution = metadata.distribution("graphviz-pure")
    except metadata.PackageNotFoundError:
        pass
    else:
        for file in distribution.files or ():
            if file.name.split(".")[0] == "graphviz-pure":
                places.append(Path(str(distribution.locate_file(file))).resolve().parent)
    unique: list[Path] = []
    for place in places:
        if place not in unique:
            unique.append(place)
    return unique


def find_renderer() -> Path:
    """The ``dot`` program that renders drawings: ``$CHAINRULE_DOT``, else ``dot``, else ``graphviz-pure``.

    ``CHAINRULE_DOT`` may be a path or a program name; when it is set nothing else is tried. Raises
    ``RendererNotFoundError`` (a ``RuntimeError``) saying where it looked and how to install one.
    """
    override = os.environ.get(RENDERER_VARIABLE)
    if override:
        found = _executable(override)
        if found is not None:
            return found
        raise RendererNotFoundError(
            _missing_renderer_message(
                [f"{RENDERER_VARIABLE}={override!r}: no such program (nothing else is tried while it is set)"]
            )
        )
    looked = [f"{RENDERER_VARIABLE}: not set"]
    found = _executable("dot")
    if found is not None:
        return found
    looked.append("'dot' on PATH: not found")
    program = "graphviz-pure.exe" if os.name == "nt" else "graphviz-pure"
    found = _executable("graphviz-pure")
    if found is not None:
        return found
    looked.append("'graphviz-pure' on PATH: not found")
    for place in _graphviz_pure_places():
        found = _executable(str(place / program))
        if found is not None:
            return found
        looked.append(f"{place / program}: not found")
    raise RendererNotFoundError(_missing_renderer_message(looked))


def _missing_renderer_message(looked: list[str]) -> str:
    places = "\n".join(f"  - {line}" for line in looked)
    return (
        "cannot render the graph to an image: no Graphviz 'dot' program was found.\n"
        f"Looked at:\n{places}\n"
        "Install one of:\n"
        "  - any platform, no root: pip install graphviz-pure   (or: pip install 'chainrule[draw]')\n"
        "  - Debian/Ubuntu: sudo apt install graphviz\n"
        "  - macOS: brew install graphviz\n"
        "  - Windows: winget install graphviz   (or: choco install graphviz)\n"
        f"or point {RENDERER_VARIABLE} at a dot program. Without one, the drawing's DOT text still "
        "works: graph.source (paste it into any Graphviz viewer)."
    )


_render_lock = threading.RLock()


@contextmanager
def _renderer_in_use() -> Iterator[Path]:
    """The graphviz package runs ``dot_command.DOT_BINARY``: point it at our renderer, for this call only."""
    binary = find_renderer()
    with _render_lock:
        saved = dot_command.DOT_BINARY
        dot_command.DOT_BINARY = binary
        try:
            yield binary
        finally:
            dot_command.DOT_BINARY = saved


class ComputationGraph(graphviz.Digraph):  # type: ignore[misc]
    """A ``graphviz.Digraph`` that renders (``pipe``, ``render``, ``view``, Jupyter's inline display)
    with the program ``find_renderer`` finds; every other graphviz use in the process is unchanged."""

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        with _renderer_in_use():
            return super().pipe(*args, **kwargs)

    def render(self, *args: Any, **kwargs: Any) -> Any:
        with _renderer_in_use():
            return super().render(*args, **kwargs)


# ----- text -----------------------------------------------------------------------------------

_nohtml: Callable[[str], str] = graphviz.nohtml  # a label starting with "<" is still text, not HTML

_RECORD_SPECIAL = str.maketrans({c: "\\" + c for c in '|{}<>"'} | {"\\": "\\\\", "\n": "\\n"})


def escape_record(text: str) -> str:
    r"""``text`` as it must be written inside a record label, so that it shows as written.

    >>> print(escape_record('a|b {c} <d> "e" \\'))
    a\|b \{c\} \<d\> \"e\" \\
    """
    return text.translate(_RECORD_SPECIAL)


def _escape_plain(text: str) -> str:
    """``text`` for a label that is not a record: only backslashes and quotes are special."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _formatter(number_format: NumberFormat) -> Callable[[float], str]:
    if callable(number_format):
        return number_format
    spec = number_format
    format(0.5, spec)  # a bad spec fails here, before any drawing

    def formatted(x: float) -> str:
        return format(x, spec)

    return formatted


# ----- the drawing ----------------------------------------------------------------------------


def _replayed_grads(nodes: Sequence[Value], position: Mapping[Value, int], step: int) -> list[float]:
    """Every node's grad after the first ``step`` nodes of ``backward()`` have passed theirs on.

    The pass runs on a shadow of the graph (``graph.shadow``), so the graph itself is left alone.
    """
    cells = shadow(nodes)
    for cell in cells.values():
        cell.grad = 0.0
    cells[nodes[-1]].grad = 1.0  # the root is last; backward() seeds it with 1
    interior = [cells[node] for node in nodes if not node.is_leaf()]
    # backpropagate runs from the last node of its order to the first: the last `step` interior
    # nodes are exactly the first `step` nodes the real backward pass processes
    backpropagate(interior[len(interior) - step :])
    return [cells[node].grad for node in nodes]


def backward_step_count(root: Value) -> int:
    """How many steps ``root.backward()`` takes: one per node with parents (``backward_step=`` runs 0..this).

    >>> from autograd import Value
    >>> x = Value(1.0)
    >>> backward_step_count((x * 2.0 + 1.0).tanh())
    3
    """
    return sum(1 for node in topological_order(root) if node.parents)


class _Groups:
    """Which drawn node belongs to which collapsed box, and which parameters the boxes hide."""

    def __init__(self) -> None:
        self.group_of: dict[int, int] = {}  # topological position -> group number
        self.names: list[str] = []
        self.descriptions: list[str] = []
        self.members: list[list[int]] = []
        self.hideable: set[int] = set()  # leaves that may disappear into the boxes they feed

    def add(self, name: str, description: str, members: list[int]) -> None:
        number = len(self.names)
        for member in members:
            if member in self.group_of:
                raise ValueError(
                    f"draw_graph: a node is in two groups ({self.names[self.group_of[member]]!r} "
                    f"and {name!r}); groups must not overlap"
                )
            self.group_of[member] = number
        self.names.append(name)
        self.descriptions.append(description)
        self.members.append(sorted(members))


def _neuron_groups(
    nodes: Sequence[Value], position: Mapping[Value, int], users: Sequence[list[int]], groups: _Groups
) -> None:
    """Each ``linear`` node, with the activation that alone uses it, as one box named by its weights."""
    neuron_numbers: dict[tuple[int, ...], int] = {}
    for i, node in enumerate(nodes):
        if node.op != "linear":
            continue
        members = [i]
        description = "w.x + b" if len(node.parents) % 2 else "w.x"
        if len(users[i]) == 1 and i != len(nodes) - 1:  # its one user, if that is an activation of it alone
            user = nodes[users[i][0]]
            if user.op in ACTIVATIONS and len(user.parents) == 1:
                members.append(users[i][0])
                description = f"{user.op}({description})"
        n = len(node.parents) // 2
        weights = [position[p] for p in node.parents[:n]]
        if len(node.parents) % 2:
            weights.append(position[node.parents[-1]])
        number = neuron_numbers.setdefault(tuple(weights), len(neuron_numbers) + 1)
        groups.hideable.update(w for w in weights if not nodes[w].parents)
        output = nodes[members[-1]]
        name = output.label if output.label is not None else f"neuron {number}"
        groups.add(name, description, members)


def _explicit_groups(
    groups_option: Mapping[str, Iterable[Value]] | Iterable[Iterable[Value]],
    position: Mapping[Value, int],
    groups: _Groups,
) -> None:
    named = (
        groups_option.items()
        if isinstance(groups_option, Mapping)
        else ((f"group {k}", members) for k, members in enumerate(groups_option, 1))
    )
    for name, values in named:
        members = sorted({position[v] for v in values if v in position})
        if members:
            groups.add(str(name), f"{len(members)} nodes", members)


def draw_graph(
    root: Value,
    *,
    rankdir: str = "LR",
    parameters: Iterable[Value] | None = None,
    inputs: Iterable[Value] | None = None,
    local_grads: bool = False,
    number_format: NumberFormat = ".4g",
    collapse: str | None = None,
    groups: Mapping[str, Iterable[Value]] | Iterable[Iterable[Value]] | None = None,
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
      - ``collapse="neurons"``: draw each ``linear`` node and the activation that uses it as one box,
        hiding the weight and bias leaves that feed only such boxes, so a whole MLP stays legible.
      - ``groups``: collapse sub-structures of your own, ``{name: values}`` or a list of value lists;
        each group is one box showing its outputs, fed by one edge per outside value it uses (with
        ``parameters`` given, parameter leaves feeding only boxes are hidden).
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
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"draw_graph(rankdir=...): got {rankdir!r}; expected 'LR', 'RL', 'TB' or 'BT'")
    if collapse not in (None, "neurons"):
        raise ValueError(f"draw_graph(collapse=...): got {collapse!r}; expected None or 'neurons'")
    text_of = _formatter(number_format)
    palette = {**ROLE_COLORS, **(colors or {})}
    nodes = topological_order(root)
    position = {node: i for i, node in enumerate(nodes)}
    users: list[list[int]] = [[] for _ in nodes]
    for i, node in enumerate(nodes):
        for parent in node.parents:
            users[position[parent]].append(i)

    steps = sum(1 for node in nodes if node.parents)
    current: int | None = None
    if backward_step is None:
        grads = [float(node.grad) for node in nodes]
    else:
        if not isinstance(backward_step, int) or not 0 <= backward_step <= steps:
            raise ValueError(
                f"draw_graph(backward_step=...): got {backward_step!r}; this graph's backward "
                f"pass has steps 0 to {steps}"
            )
        grads = _replayed_grads(nodes, position, backward_step)
        if backward_step > 0:
            current = [i for i, node in enumerate(nodes) if node.parents][steps - backward_step]

    parameter_positions = {position[p] for p in (parameters or ()) if p in position}
    input_positions = None if inputs is None else {position[x] for x in inputs if x in position}
    found = _Groups()
    if collapse == "neurons":
        _neuron_groups(nodes, position, users, found)
    if groups is not None:
        _explicit_groups(groups, position, found)
    group_of = found.group_of
    hideable = parameter_positions if parameters is not None else found.hideable
    hidden = {
        i
        for i in hideable
        if not nodes[i].parents
        and i not in group_of
        and i != len(nodes) - 1
        and users[i]
        and all(user in group_of for user in users[i])
    }

    def constant_of(node: Value) -> float | None:
        """The number folded into ``x * c`` or ``x + c``, if any (none for a one-term sum, c = 0)."""
        c = node.constant
        if len(node.parents) != 1 or c is None or node.op.startswith("**"):
            return None  # x ** c shows its exponent in its label
        return None if node.op == "+" and c == 0.0 else c

    drawn_values = [i for i in range(len(nodes)) if i not in group_of and i not in hidden]
    drawn_count = (
        len(drawn_values)
        + sum(1 for i in drawn_values if nodes[i].parents)
        + sum(1 for i in drawn_values if constant_of(nodes[i]) is not None)
        + len(found.names)
    )
    if max_nodes is not None and drawn_count > max_nodes:
        raise GraphTooLargeError(
            f"draw_graph: this drawing would have {drawn_count} nodes, more than max_nodes={max_nodes}; "
            f"a picture that big is hard to read (and its PNG is huge). Draw a smaller part of the "
            f"graph, collapse repeated structure (collapse='neurons', or groups=...), or raise "
            f"max_nodes (None for no limit; prefer SVG for big graphs)."
        )

    if title is None and backward_step is not None:
        title = _step_title(nodes, grads, current, backward_step, steps, text_of)
    if title is None and local_grads:
        title = "numbers on edges: local derivatives d(node)/d(input)"
    graph_attributes = {
        "rankdir": rankdir,
        "fontname": "Helvetica",
        "fontsize": "12",
        "nodesep": "0.2",
        "ranksep": "0.35",
    }
    if title is not None:
        graph_attributes.update(label=_escape_plain(title), labelloc="t")
    graph = ComputationGraph(
        "computation graph",
        graph_attr=graph_attributes,
        node_attr={"fontname": "Helvetica", "fontsize": "11", "style": "filled"},
        edge_attr={"fontname": "Helvetica", "fontsize": "9", "arrowsize": "0.6", "color": "#555555"},
    )

    def row(fields: list[str]) -> str:
        """Record fields side by side (left to right, a record's top level runs top to bottom)."""
        return "{ " + " | ".join(fields) + " }" if rankdir in ("LR", "RL") else " | ".join(fields)

    highlight = {"color": palette["current"], "penwidth": "3"}
    root_position = len(nodes) - 1

    def source_of(i: int) -> str:
        return f"g{group_of[i]}" if i in group_of else f"v{i}"

    def value_fields(i: int) -> list[str]:
        return [f"data {escape_record(text_of(nodes[i].data))}", f"grad {escape_record(text_of(grads[i]))}"]

    drawn_groups: set[int] = set()
    for i, node in enumerate(nodes):
        if i in hidden:
            continue
        if i in group_of:
            number = group_of[i]
            if number in drawn_groups:
                continue
            drawn_groups.add(number)
            _draw_group(
                graph,
                number,
                found,
                nodes,
                position,
                users,
                hidden,
                group_of,
                source_of,
                value_fields,
                row,
                palette,
                current,
            )
            continue
        if i == root_position:
            role = "output"
        elif node.parents:
            role = "value"
        elif i in parameter_positions:
            role = "parameter"
        elif input_positions is None or i in input_positions:
            role = "input"
        else:
            role = "constant"
        fields = value_fields(i)
        if node.label is not None:
            fields.insert(0, escape_record(node.label))
        attributes = {
            "shape": "record",
            "fillcolor": palette[role],
            "tooltip": _escape_plain(
                f"{node.label or node.op or 'leaf'}: data={node.data!r}, grad={grads[i]!r}"
            ),
        }
        graph.node(f"v{i}", _nohtml(row(fields)), **attributes)
        if not node.parents:
            continue
        operation = f"op{i}"
        graph.node(
            operation,
            _escape_plain(node.op),
            shape="ellipse",
            fillcolor=palette["operation"],
            **(highlight if i == current else {}),
        )
        graph.edge(operation, f"v{i}")
        for parent, local in zip(node.parents, node.local_grads):
            p = position[parent]
            edge_attributes = {}
            if local_grads:
                edge_attributes["label"] = _escape_plain(text_of(float(local)))
            if i == current:
                edge_attributes.update(color=palette["current"], penwidth="2")
            graph.edge(source_of(p), operation, **edge_attributes)
        constant = constant_of(node)
        if constant is not None:
            graph.node(
                f"c{i}",
                _escape_plain(text_of(constant)),
                shape="box",
                style="filled,rounded",
                fillcolor=palette["constant"],
                fontsize="9",
                height="0.25",
                width="0.3",
            )
            graph.edge(f"c{i}", operation, style="dashed")
    return graph


def _draw_group(
    graph: Any,
    number: int,
    found: _Groups,
    nodes: Sequence[Value],
    position: Mapping[Value, int],
    users: Sequence[list[int]],
    hidden: set[int],
    group_of: Mapping[int, int],
    source_of: Callable[[int], str],
    value_fields: Callable[[int], list[str]],
    row: Callable[[list[str]], str],
    palette: Mapping[str, str],
    current: int | None,
) -> None:
    """One collapsed box: its name, what it computes, its outputs' data and grad; edges from outside."""
    members = found.members[number]
    member_set = set(members)
    root_position = len(nodes) - 1
    outputs = [i for i in members if i == root_position or any(user not in member_set for user in users[i])]
    hidden_parameters = {
        p for i in members for p in (position[parent] for parent in nodes[i].parents) if p in hidden
    }
    description = found.descriptions[number]
    if hidden_parameters:
        count = len(hidden_parameters)
        description += f"\n{count} parameter{'s' if count != 1 else ''}"
    # the name above what it computes, in one cell (a nested row turns the other way)
    fields = ["{ " + escape_record(found.names[number]) + " | " + escape_record(description) + " }"]
    for i in outputs:
        fields.extend(value_fields(i))
    fill = palette["output"] if root_position in member_set else palette["group"]
    processing = current is not None and current in member_set
    highlight = {"color": palette["current"], "penwidth": "3"} if processing else {}
    graph.node(f"g{number}", _nohtml(row(fields)), shape="record", fillcolor=fill, **highlight)
    sources: list[str] = []
    for i in members:
        for p in (position[parent] for parent in nodes[i].parents):
            if p in member_set or p in hidden:
                continue
            source = source_of(p)
            if source not in sources:
                sources.append(source)
    # at a backward step inside the box, the edges that step sends gradient along
    sending = {source_of(position[p]) for p in nodes[current].parents} if current in member_set else set()
    for source in sources:
        if source in sending:
            graph.edge(source, f"g{number}", color=palette["current"], penwidth="2")
        else:
            graph.edge(source, f"g{number}")


def _step_title(
    nodes: Sequence[Value],
    grads: Sequence[float],
    current: int | None,
    step: int,
    steps: int,
    text_of: Callable[[float], str],
) -> str:
    if current is None:
        return f"backward step 0 of {steps}: the output's grad is seeded with 1"
    node = nodes[current]
    name = f"{node.label!r} ({node.op})" if node.label is not None else f"'{node.op}'"
    count = len(node.parents)
    return (
        f"backward step {step} of {steps}: {name} passes its grad {text_of(grads[current])} "
        f"to its {count} input{'s' if count != 1 else ''} (times each local derivative)"
    )


def draw_backward_steps(root: Value, **options: Any) -> list[ComputationGraph]:
    """The graph at every step of ``root.backward()``, from the seed (step 0) to the last step.

    >>> from autograd import Value
    >>> x = Value(0.5, label="x")
    >>> frames = draw_backward_steps((x * x).tanh())
    >>> len(frames), x.grad  # the real grads are untouched
    (3, 0.0)
    """
    return [draw_graph(root, backward_step=k, **options) for k in range(backward_step_count(root) + 1)]


_FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg"}


def save_graph(root: Value | Any, path: str | os.PathLike[str], **options: Any) -> Path:
    """Write ``root``'s drawing (or an already drawn graph) to exactly ``path``; returns it as a Path.

    The format comes from the suffix: ``.svg``, ``.png``, ``.jpg``, ``.pdf`` (system Graphviz only:
    graphviz-pure has no PDF) need a renderer; ``.gv`` / ``.dot`` write the DOT text and do not.
    ``options`` go to ``draw_graph``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if isinstance(root, Value):
        graph = draw_graph(root, **options)
    elif options:
        raise TypeError("save_graph: drawing options are for a Value, not for an already drawn graph")
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
    with _renderer_in_use() as renderer:
        try:
            data = graphviz.Digraph.pipe(graph, format=_FORMATS[suffix], quiet=True)
        except graphviz.CalledProcessError as error:
            stderr = (
                error.stderr.decode(errors="replace") if isinstance(error.stderr, bytes) else error.stderr
            )
            raise RuntimeError(
                f"save_graph: {renderer} could not write {_FORMATS[suffix]} "
                f"({(stderr or '').strip()}); graphviz-pure writes SVG, PNG and JPEG, a "
                f"system Graphviz also PDF"
            ) from error
    path.write_bytes(data)
    return path
