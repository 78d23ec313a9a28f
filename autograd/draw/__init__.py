"""Drawing computation graphs with Graphviz: one box per value, one oval per operation.

This module is the drawing's front door: ``draw_graph``, ``save_graph``, the frames of the backward
pass, and ``step_through`` (a page that steps through both passes, ``autograd.draw.viewer``). Behind
it, ``autograd.draw.scene`` decides what to draw of a graph (which nodes, which of them inside group
boxes: ``Group``, in ``autograd.draw.groups``), ``autograd.draw.replay`` replays the backward pass with
the engine's driver, ``autograd.draw.dot`` writes DOT text, and ``autograd.draw.render`` finds a ``dot``
program to turn it into an image. ``import autograd`` imports none of them (``autograd.draw`` is
imported on first use), and graphviz is imported only when a graph is drawn.

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> y = (x * x).tanh()
>>> y.label = "y"
>>> graph = draw_graph(y)
>>> for line in graph.source.splitlines():
...     if "label" in line and "graph [" not in line:
...         print(line.strip().split(" fillcolor")[0])
v0 [label="{ x | data 2 | grad 0 }"
v1 [label="{ v1 | data 4 | grad 0 }"
op1 [label="*"
v2 [label="{ y | data 0.9993 | grad 0 }"
op2 [label=tanh
>>> [line.strip() for line in graph.source.splitlines() if "->" in line]
['op1 -> v1', 'v0 -> op1', 'v0 -> op1', 'op2 -> v2', 'v1 -> op2']

``graph`` shows itself inline in Jupyter; ``save_graph(y, "y.svg")`` writes an image file.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograd.draw.dot import ROLE_COLORS, NumberFormat, Scene, Style, dot_graph
from autograd.draw.groups import Group
from autograd.draw.names import backward_title
from autograd.draw.render import (
    RendererNotFoundError,
    RenderError,
    find_renderer,
    render_image,
    use_dot_to_svg,
)
from autograd.draw.replay import Replay, replay_backward
from autograd.draw.scene import (
    GraphTooLargeError,
    GroupsOption,
    check_root,
    checked_scene,
    style_of,
    whole_number,
    with_direction,
    with_texts,
)
from autograd.draw.text import escape_record
from autograd.draw.viewer import StepThrough, step_through
from autograd.graph import topological_order
from autograd.node import Node

if TYPE_CHECKING:
    from autograd.draw.digraph import ComputationGraph

__all__ = [
    "ROLE_COLORS",
    "ComputationGraph",
    "GraphTooLargeError",
    "Group",
    "RenderError",
    "RendererNotFoundError",
    "StepThrough",
    "backward_step_count",
    "draw_backward_steps",
    "draw_graph",
    "escape_record",
    "find_renderer",
    "save_graph",
    "step_through",
    "use_dot_to_svg",
]


def __getattr__(name: str) -> Any:
    """``ComputationGraph``, whose module imports graphviz, imported when first asked for."""
    if name == "ComputationGraph":
        return importlib.import_module("autograd.draw.digraph").ComputationGraph
    raise AttributeError(f"module 'autograd.draw' has no attribute {name!r}")


def _backward_step(replay: Replay, backward_step: object) -> tuple[list[float | None], int | None, set[int]]:
    """The gradients after ``backward_step`` steps, the node that step processes, the nodes it updates."""
    steps = whole_number(backward_step)
    if steps is None or not 0 <= steps <= len(replay.steps):
        raise ValueError(
            f"draw_graph(backward_step=...): got {backward_step!r}; this graph's backward "
            f"pass has steps 0 to {len(replay.steps)}"
        )
    if steps == 0:
        return replay.grads_after(0), None, set()
    step = replay.steps[steps - 1]
    return replay.grads_after(steps), step.node, {update.parent for update in step.updates}


def _title(
    title: str | None, scene: Scene, style: Style, backward_step: int | None, steps: int
) -> str | None:
    """The caption: ``title`` if given, else what the backward step does, or what edge labels mean."""
    if title is not None:
        return title
    if backward_step is not None:
        grad_text = "" if scene.current is None else scene.grad_texts[scene.current]
        return backward_title(scene, style, scene.current, backward_step, steps, grad_text)
    if style.local_grads:
        return "numbers on edges: local derivatives d(node)/d(input)"
    return None


def _gradients_to_draw(
    root: Node, nodes: list[Node], backward_step: int | None
) -> tuple[int, list[float | None], int | None, set[int]]:
    """The number of backward steps, the gradients to show, the node being processed and the values
    it updates: the graph's own grads, or those after ``backward_step`` replayed steps."""
    if backward_step is None:
        # a gradient reset to None (PyTorch's way) is drawn as 0: nothing has flowed in yet
        grads: list[float | None] = [0.0 if node.grad is None else float(node.grad) for node in nodes]
        return 0, grads, None, set()
    replay = replay_backward(root)  # its nodes are ``nodes``: the same topological order
    after, current, updated = _backward_step(replay, backward_step)
    return len(replay.steps), after, current, updated


def draw_graph(
    root: Node,
    *,
    rankdir: str | None = None,
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
    edge. A key of the colours sits on top. Nodes are named by their topological position, so the
    DOT text is the same on every run.

    Options:
      - ``rankdir``: ``"LR"`` (left to right), ``"RL"``, ``"TB"`` or ``"BT"``; by default (``None``)
        left to right when that fits a notebook column (Jupyter's, 860 pixels), else top to bottom.
      - ``parameters``, ``inputs``: colour leaves by role (``autograd`` knows nothing of models, so
        they are passed in: ``draw_graph(loss, parameters=model.parameters())``). Leaves that are
        neither are inputs, or constants once ``inputs`` is given.
      - ``local_grads``: label each edge with the local derivative d(node)/d(parent).
      - ``number_format``: a format spec (``".4g"``) or a function of a float.
      - ``groups``: draw sub-structures as single boxes: ``Group`` objects (see ``autograd.draw.groups``),
        lists of values, or ``{name: values}``. A box shows its outputs' data and grad (or the
        values its group names) and has one edge per outside value it uses; a group's own
        ``parameters``, and the ``parameters`` above, are hidden when only boxes use them. For a
        network built with ``nn``, ``groups=nn.neuron_groups(loss)`` makes each neuron one box.
      - ``max_nodes``: past this many drawn nodes, ``GraphTooLargeError`` (``None``: no limit).
      - ``backward_step=k``: the graph as it is after ``k`` steps of ``root.backward()`` (``0``: only
        the root's seed; up to ``backward_step_count(root)``), the node processed at step ``k``
        outlined in red with the edges it sends gradient along, the values it updates in blue. The
        engine's backward driver replays the pass; the real grads are not read or touched.
      - ``colors``: fill colours by role, overriding ``ROLE_COLORS``; ``title``: a caption.

    >>> from autograd import Value
    >>> a = Value(3.0, label="a")
    >>> b = a * a
    >>> b.backward()
    >>> graph = draw_graph(b, local_grads=True)
    >>> [line.strip() for line in graph.source.splitlines() if "->" in line]
    ['op1 -> v1', 'v0 -> op1 [label=3]', 'v0 -> op1 [label=3]']
    """
    style = style_of(rankdir, colors, number_format, local_grads, "draw_graph")
    scene = checked_scene(root, "draw_graph", parameters, inputs, groups, max_nodes, title)
    steps, grads, current, updated = _gradients_to_draw(root, scene.nodes, backward_step)
    scene = with_texts(scene, style, grads, current, updated)
    style = with_direction(scene, style)
    return dot_graph(scene, style, _title(title, scene, style, backward_step, steps))


def backward_step_count(root: Node) -> int:
    """How many steps ``root.backward()`` takes: one per node with parents (``backward_step=`` runs 0..this).

    >>> from autograd import Value
    >>> x = Value(1.0)
    >>> backward_step_count((x * 2.0 + 1.0).tanh())
    3
    """
    return sum(1 for node in topological_order(check_root(root, "backward_step_count")) if node.parents)


def draw_backward_steps(root: Node, **options: Any) -> list[ComputationGraph]:
    """The graph at every step of ``root.backward()``, from the seed (step 0) to the last step.

    >>> from autograd import Value
    >>> x = Value(0.5, label="x")
    >>> frames = draw_backward_steps((x * x).tanh())
    >>> len(frames), x.grad  # the real grads are untouched
    (3, 0.0)
    """
    steps = backward_step_count(check_root(root, "draw_backward_steps"))
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
