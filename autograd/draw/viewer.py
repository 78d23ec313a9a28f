"""Step through the forward and backward passes of any graph, in Jupyter or in a browser.

``step_through(root)`` returns a ``StepThrough``: it shows itself inline in Jupyter and saves one
self-contained HTML page (``.save("backprop.html")``) that works offline, without a kernel and
without any network: the picture is the SVG Graphviz lays out, laid out once (sized for the widest
number of any frame, so nothing moves), and a short script written here (``viewer.js``, put
inline with its style sheet ``viewer.css``) changes its numbers and highlights frame by frame.

The frames are computed here, not in the browser: the forward pass gives each node its value in
topological order; the backward pass is the engine's own driver, replayed on a shadow of the graph
(``autograd.draw.replay``), one step per node in the order ``backward()`` takes them, each edge's update
shown as ``old + local × upstream = new``. No ``.grad`` is read or written. Without JavaScript (a
notebook on GitHub, or not trusted) the page shows the last frame; ``StepThrough.frame(k)`` gives
any frame as a static SVG.

>>> from autograd import Value
>>> a = Value(3.0, label="a")
>>> b = a + a
>>> steps = step_through(b)
>>> steps.frame_count, steps.frame_titles[-1]
(5, "backward step 1 of 1: '+' passes its grad 1 to its 2 inputs (times each local derivative)")
>>> [line for line in steps.update_lines(1)]
['a.grad: 0 + 1 × 1 = 1', 'a.grad: 1 + 1 × 1 = 2']
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import os
import string
from collections.abc import Iterable, Mapping
from dataclasses import replace
from importlib import resources
from pathlib import Path

from autograd.draw.dot import NumberFormat, Scene, Style, box_sources, display_name, dot_graph, text_width
from autograd.draw.render import render_image
from autograd.draw.replay import Replay, replay_backward
from autograd.draw.scene import (
    GroupsOption,
    build_scene,
    check_max_nodes,
    check_root,
    check_size,
    style_of,
    with_direction,
)
from autograd.draw.viewer_svg import Frame, MarkedPicture, mark_picture, picture_style
from autograd.graph import Node

__all__ = ["StepThrough", "step_through"]

UNKNOWN = "?"
"""What a number not computed yet reads: a value before its forward step, a grad before the backward pass."""


# ----- the frames -------------------------------------------------------------------------------


def _infix(node: Node, names: list[str], constant: str | None) -> str:
    """How the forward pass computed ``node``, in words: ``a * b``, ``tanh(n)``, ``x**2``."""
    arguments = list(names)
    if constant is not None:
        first = node.primitive is not None and node.primitive.constant_first
        arguments.insert(0 if first else len(arguments), constant)
    if node.op in ("+", "*", "/"):
        return f" {node.op} ".join(arguments)
    if node.op.startswith("**") and len(arguments) == 1:
        return f"{arguments[0]}{node.op}"
    return f"{node.op}({', '.join(arguments)})"


class _Frames:
    """Every frame of a replay, with the texts of every number in it."""

    def __init__(self, replay: Replay, scene: Scene, style: Style) -> None:
        self.replay, self.scene, self.style = replay, scene, style
        self.names = [display_name(node, i) for i, node in enumerate(replay.nodes)]
        self.zero, self.seed = style.number(0.0), style.number(1.0)
        # each update's numbers as the drawing writes them
        self.texts = [
            [
                (
                    self.zero if u.old is None else style.number(u.old),
                    style.number(u.local),
                    style.number(u.upstream),
                    style.number(u.new),
                )
                for u in step.updates
            ]
            for step in replay.steps
        ]

    def grad_texts(self, steps: int | None) -> list[str]:
        """Every node's grad text after ``steps`` backward steps (``None``: during the forward pass)."""
        count = len(self.replay.nodes)
        if steps is None:
            return [UNKNOWN] * count
        grads = [self.zero] * count
        grads[-1] = self.seed
        for step, step_texts in zip(self.replay.steps[:steps], self.texts):
            for update, texts in zip(step.updates, step_texts):
                grads[update.parent] = texts[3]
        return grads

    def data_texts(self, computed: int) -> list[str]:
        """Every node's data text once the first ``computed`` nodes have their values."""
        return [text if i < computed else UNKNOWN for i, text in enumerate(self.scene.data_texts)]

    def element(self, i: int) -> str | None:
        """The drawn element that stands for node ``i`` (its box, or its record), if any."""
        return None if i in self.scene.hidden else self.scene.name_of(i)

    def in_edges(self, i: int) -> tuple[str, ...]:
        """The drawn edges along which node ``i`` takes its inputs (and sends them gradient)."""
        scene = self.scene
        if i not in scene.box_of:
            return tuple(f"e{i}_{k}" for k in range(len(scene.nodes[i].parents)))
        number = scene.box_of[i]
        members = set(scene.boxes[number].members)
        sources = [scene.position[p] for p in scene.nodes[i].parents]
        names = {scene.name_of(p) for p in sources if p not in members and p not in scene.hidden}
        return tuple(sorted(f"b{number}_{name}" for name in names))

    def worker(self, i: int) -> tuple[str, ...]:
        """What a step of node ``i`` outlines: its operation, the box it is in, or for a leaf its
        record (a leaf hidden in a box: that box)."""
        scene = self.scene
        if i in scene.box_of:
            return (f"g{scene.box_of[i]}",)
        if i in scene.hidden:
            return (f"g{scene.box_of[scene.users[i][0]]}",)
        return (f"op{i}",) if scene.nodes[i].parents else (f"v{i}",)

    def forward(self, k: int) -> Frame:
        """Forward step ``k`` (1..n): node ``k - 1`` receives its value; 0: nothing computed yet."""
        n = len(self.replay.nodes)
        if k == 0:
            values = f"{n} value{'s' if n != 1 else ''}"
            return Frame(f"forward pass, {values} to compute: nothing computed yet", 0, None)
        i = k - 1
        node, name = self.replay.nodes[i], self.names[i]
        if not node.parents:
            title = (
                f"forward step {k} of {n}: {name} = {self.scene.data_texts[i]} (a leaf: given, not computed)"
            )
            return Frame(title, k, None, self.worker(i))
        constant = self.scene.constants.get(i)
        how = _infix(
            node,
            [self.names[self.scene.position[p]] for p in node.parents],
            None if constant is None else self.style.number(constant),
        )
        title = f"forward step {k} of {n}: {name} = {how} = {self.scene.data_texts[i]}"
        return Frame(title, k, None, self.worker(i), self.in_edges(i))

    def backward(self, s: int) -> Frame:
        """Backward step ``s`` (0: the seed)."""
        n, m = len(self.replay.nodes), len(self.replay.steps)
        if s == 0:
            root = self.element(n - 1)
            return Frame(
                f"backward step 0 of {m}: the output's grad is seeded with 1 (d out/d out)",
                n,
                0,
                (),
                (),
                () if root is None else (root,),
            )
        step = self.replay.steps[s - 1]
        node = self.replay.nodes[step.node]
        updated = [self.element(u.parent) for u in step.updates]
        inputs = f"{len(node.parents)} input{'s' if len(node.parents) != 1 else ''}"
        title = (
            f"backward step {s} of {m}: {self._quoted(step.node)} passes its grad {self.texts[s - 1][0][2]} "
            f"to its {inputs} (times each local derivative)"
        )
        unique = tuple(dict.fromkeys(name for name in updated if name is not None))
        return Frame(title, n, s, self.worker(step.node), self.in_edges(step.node), unique)

    def _quoted(self, i: int) -> str:
        node = self.replay.nodes[i]
        return f"{node.label!r} ({node.op})" if node.label is not None else f"'{node.op}'"

    def all(self) -> list[Frame]:
        n, m = len(self.replay.nodes), len(self.replay.steps)
        return [self.forward(k) for k in range(n + 1)] + [self.backward(s) for s in range(m + 1)]

    def texts_of(self, frame: Frame) -> tuple[list[str], list[str]]:
        return self.data_texts(frame.computed), self.grad_texts(frame.steps)

    def appears(self) -> dict[str, int]:
        """Each drawn element's position in the forward pass (it is pending until then)."""
        scene, at = self.scene, {}
        for i, node in enumerate(scene.nodes):
            for name in (
                f"v{i}",
                f"op{i}",
                f"c{i}",
                f"r{i}",
                *(f"e{i}_{k}" for k in range(len(node.parents))),
            ):
                at[name] = i
        for number, box in enumerate(scene.boxes):
            at[f"g{number}"] = box.members[0]
            for source in box_sources(scene, number):
                at[f"b{number}_{source}"] = box.members[0]
        return at


# ----- the layout ---------------------------------------------------------------------------------


def _widest(texts: Iterable[str]) -> str:
    return max(texts, key=text_width)


def _layout_scene(scene: Scene, frames: _Frames) -> Scene:
    """``scene`` with each number at its widest text of any frame, so that one layout fits them all."""
    grads: list[list[str]] = [[UNKNOWN, frames.zero] for _ in scene.nodes]
    grads[-1].append(frames.seed)
    for step_texts, step in zip(frames.texts, frames.replay.steps):
        for update, texts in zip(step.updates, step_texts):
            grads[update.parent].append(texts[3])
    return replace(
        scene,
        data_texts=[_widest([UNKNOWN, text]) for text in scene.data_texts],
        grad_texts=[_widest(texts) for texts in grads],
    )


def step_through(
    root: Node,
    *,
    parameters: Iterable[Node] | None = None,
    inputs: Iterable[Node] | None = None,
    groups: GroupsOption | None = None,
    number_format: NumberFormat = ".4g",
    rankdir: str | None = None,
    colors: Mapping[str, str] | None = None,
    max_nodes: int | None = 300,
) -> StepThrough:
    """A page that steps through ``root``'s forward and backward passes (see the module's text).

    The options are ``draw_graph``'s: roles (``parameters``, ``inputs``), ``groups`` (for ``nn``:
    ``nn.neuron_groups(loss)``; a box steps as its members do), ``number_format``, ``rankdir``,
    ``colors``, and ``max_nodes`` (``GraphTooLargeError`` past it). Rendering needs a ``dot``
    program, as ``save_graph`` does.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> steps = step_through(x * x)  # shows itself in Jupyter; steps.save("x.html") writes the page
    >>> steps.frame_count, steps.update_lines(1)
    (5, ['x.grad: 0 + 2 × 1 = 2', 'x.grad: 2 + 2 × 1 = 4'])
    """
    check_root(root, "step_through")
    style = replace(style_of(rankdir, colors, number_format, False, "step_through"), marked=True)
    check_max_nodes(max_nodes, "step_through")
    replay = replay_backward(root)
    scene = build_scene(
        replay.nodes,
        replay.grads,
        style,
        parameters=parameters,
        inputs=inputs,
        groups=groups,
        who="step_through",
    )
    check_size(scene, max_nodes, "step_through")
    frames = _Frames(replay, scene, style)
    layout = _layout_scene(scene, frames)
    style = with_direction(layout, style)
    svg = render_image(dot_graph(layout, style, None), "svg")
    picture = mark_picture(svg, scene, picture_style(style.palette))
    return StepThrough(frames, picture)


# ----- the page -----------------------------------------------------------------------------------

_counter = itertools.count(1)  # tells apart the pages shown in one notebook


def _asset(name: str) -> str:
    return resources.files("autograd.draw").joinpath(name).read_text(encoding="utf-8")


def _number(x: float) -> float | str:
    """``x`` for JSON, which has no inf or nan."""
    return x if math.isfinite(x) else repr(x)


class StepThrough:
    """A step-through of a graph's forward and backward passes: shown inline in Jupyter, saved as a page.

    ``step_through(root)`` makes one. It has ``frame_count`` frames: the forward pass (nothing
    computed, then one value per node), then the backward pass (the seed, then one step per node).
    ``frame(k)`` is frame ``k`` as a static SVG; ``update_lines(s)`` the text of backward step
    ``s``'s updates; ``html`` the page's HTML.

    >>> from autograd import Value
    >>> steps = step_through(Value(3.0, label="a") * 2)
    >>> for title in steps.frame_titles[:3]:
    ...     print(title)
    forward pass, 2 values to compute: nothing computed yet
    forward step 1 of 2: a = 3 (a leaf: given, not computed)
    forward step 2 of 2: * #1 = a * 2 = 6
    """

    def __init__(self, frames: _Frames, picture: MarkedPicture) -> None:
        self._frames = frames
        self._picture = picture
        self._all = frames.all()
        self._appears = frames.appears()
        last = self._all[-1]
        self._final_svg = picture.show(last, *frames.texts_of(last), self._appears)

    @property
    def frame_count(self) -> int:
        """How many frames the page has."""
        return len(self._all)

    @property
    def frame_titles(self) -> list[str]:
        """What each frame says it does."""
        return [frame.title for frame in self._all]

    def frame(self, k: int) -> FrameDrawing:
        """Frame ``k`` (``0 <= k < frame_count``; negative counts from the end) as a static SVG drawing.

        >>> from autograd import Value
        >>> x = Value(2.0, label="x")
        >>> last = step_through(x * x).frame(-1)  # shows itself in Jupyter; last.save("x.svg")
        >>> last.svg.startswith("<svg"), last.title.split(":")[0]
        (True, 'backward step 1 of 1')
        """
        if isinstance(k, bool) or not isinstance(k, int) or not -len(self._all) <= k < len(self._all):
            raise IndexError(f"StepThrough.frame: got {k!r}; this page has frames 0 to {len(self._all) - 1}")
        frame = self._all[k]
        return FrameDrawing(
            frame.title, self._picture.show(frame, *self._frames.texts_of(frame), self._appears)
        )

    def update_lines(self, step: int) -> list[str]:
        """Step ``step``'s updates as the page shows them: ``a.grad: old + local × upstream = new``.

        >>> from autograd import Value
        >>> a = Value(3.0, label="a")
        >>> step_through(a * a).update_lines(1)  # one line per edge: a is used twice
        ['a.grad: 0 + 3 × 1 = 3', 'a.grad: 3 + 3 × 1 = 6']
        """
        frames = self._frames
        if not 1 <= step <= len(frames.replay.steps):
            raise IndexError(
                f"StepThrough.update_lines: got {step!r}; steps run 1 to {len(frames.replay.steps)}"
            )
        updates = frames.replay.steps[step - 1].updates
        return [
            f"{frames.names[u.parent]}.grad: {old} + {local} × {upstream} = {new}"
            for u, (old, local, upstream, new) in zip(updates, frames.texts[step - 1])
        ]

    def _data(self, standalone: bool) -> dict[str, object]:
        """Everything the page's script needs, as JSON-ready data."""
        frames = self._frames
        replay, scene = frames.replay, frames.scene
        steps = [
            [step.node, [[u.parent, *texts, _number(u.new)] for u, texts in zip(step.updates, step_texts)]]
            for step, step_texts in zip(replay.steps, frames.texts)
        ]
        return {
            "names": frames.names,
            "ops": [node.op for node in replay.nodes],
            "data": scene.data_texts,
            "parents": [[scene.position[p] for p in node.parents] for node in replay.nodes],
            "locals": [[frames.style.number(float(g)) for g in node.local_grads] for node in replay.nodes],
            "elements": {name: self._members(name) for name in self._picture.elements if name[0] in "vgo"},
            "appears": self._appears,
            "steps": steps,
            "frames": [[f.title, f.computed, f.steps, f.current, f.sending, f.updated] for f in self._all],
            "unknown": UNKNOWN,
            "zero": frames.zero,
            "seed": frames.seed,
            "standalone": standalone,
        }

    def _members(self, name: str) -> list[int]:
        """The nodes a click on drawn element ``name`` inspects."""
        scene = self._frames.scene
        if name.startswith("g"):
            box = scene.boxes[int(name[1:])]
            return [i for _, i in box.shown] if box.shown is not None else box.members[-1:]
        return [int(name[2:] if name.startswith("op") else name[1:])]

    def _html(self, standalone: bool) -> str:
        data = json.dumps(self._data(standalone), separators=(",", ":")).replace("<", "\\u003c")
        payload = hashlib.sha1(data.encode()).hexdigest()[:8]
        # one substitution pass, so that no text of the graph is taken for a placeholder
        return string.Template(_asset("viewer.html")).substitute(
            identity=f"chainrule-steps-{next(_counter)}-{payload}",
            style=_asset("viewer.css"),
            final_title=_escape(self._all[-1].title),
            picture=self._final_svg,
            data=data,
            script=_asset("viewer.js"),
        )

    @property
    def html(self) -> str:
        """The step-through as an HTML fragment (what Jupyter shows)."""
        return self._html(standalone=False)

    def _repr_html_(self) -> str:
        return self.html

    def _repr_mimebundle_(
        self, include: object = None, exclude: object = None, **kwargs: object
    ) -> dict[str, str]:
        """The page as HTML, and its last frame as an SVG image for front-ends that show no HTML."""
        return {"text/html": self.html, "image/svg+xml": self._final_svg}

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the step-through as one self-contained HTML page to exactly ``path``; returns the Path.

        >>> import tempfile
        >>> from pathlib import Path
        >>> from autograd import Value
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     page = step_through(Value(3.0) * 2).save(Path(folder) / "steps.html")
        ...     print(page.name, page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>"))
        steps.html True
        """
        path = Path(path)
        page = (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            "<title>chainrule: step through backpropagation</title>\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"</head>\n<body>\n{self._html(standalone=True)}\n</body>\n</html>\n"
        )
        path.write_text(page, encoding="utf-8")
        return path


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class FrameDrawing:
    """One frame of a step-through as a static SVG: shows inline in Jupyter, ``svg`` is its text."""

    def __init__(self, title: str, svg: str) -> None:
        self.title = title
        self.svg = svg

    def _repr_svg_(self) -> str:
        return self.svg

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the frame as an SVG file to exactly ``path``."""
        path = Path(path)
        path.write_text(self.svg, encoding="utf-8")
        return path
