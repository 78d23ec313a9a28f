"""Step through the forward and backward passes of any graph, in Jupyter or in a browser.

``step_through(root)`` returns a ``StepThrough``: it shows itself inline in Jupyter and saves one
self-contained HTML page (``.save("backprop.html")``) that works offline, without a kernel and
without any network: the picture is the SVG Graphviz lays out, laid out once (sized for the widest
number of any frame, so nothing moves), and a short script written here (``viewer.js``, put
inline with its style sheet ``viewer.css``) changes its numbers and highlights frame by frame.

The frames are computed here (``autograd.draw.frames``), not in the browser: the forward pass
gives each node its value, parents first, a network's neurons layer by layer; the backward pass is
the engine's own driver, replayed on a shadow of the graph (``autograd.draw.replay``), one step per
node in the order ``backward()`` takes them, each edge's update shown as ``old + local × upstream =
new`` with the local derivative written on the edge. No ``.grad`` is read or written. Without JavaScript (a
notebook on GitHub, or not trusted) the page shows the last frame; ``StepThrough.frame(k)`` gives
any frame as a static SVG.

>>> from autograd import Value
>>> a = Value(3.0, label="a")
>>> b = a + a
>>> steps = step_through(b)
>>> steps
StepThrough: 5 frames of 'v1', 2 values
>>> print(steps.frame_titles[-1])
backward step 1 of 1: v1 = a + a passes its grad 1 back to each input, times the local derivative on its edge

>>> [line for line in steps.update_lines(1)]
['a.grad: 0 + 1 × 1 = 1', 'a.grad: 1 + 1 × 1 = 2']
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import string
from collections.abc import Iterable, Mapping
from dataclasses import replace
from importlib import resources
from pathlib import Path

from autograd.draw.dot import NumberFormat, Scene, dot_graph
from autograd.draw.frames import Frame, Frames
from autograd.draw.names import UNKNOWN
from autograd.draw.practice import json_number, questions
from autograd.draw.render import render_image
from autograd.draw.replay import replay_backward
from autograd.draw.scene import (
    GroupsOption,
    checked_scene,
    drawn_count,
    style_of,
    whole_number,
    with_direction,
    with_texts,
)
from autograd.draw.text import text_width
from autograd.draw.viewer_svg import MarkedPicture, mark_picture, picture_style
from autograd.node import Node

__all__ = ["StepThrough", "step_through"]

LABELS_LAID_OUT = 100
"""Up to this many drawn nodes, Graphviz lays out every edge with room for its local derivative."""


def _widest(texts: Iterable[str]) -> str:
    return max(texts, key=text_width)


def _layout_scene(scene: Scene, frames: Frames) -> Scene:
    """``scene`` with each number at its widest text of any frame, so that one layout fits them all."""
    grads: list[list[str]] = [[UNKNOWN] for _ in scene.nodes]
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
    rankdir: str | None = None,
    parameters: Iterable[Node] | None = None,
    inputs: Iterable[Node] | None = None,
    local_grads: bool = False,
    number_format: NumberFormat = ".4g",
    groups: GroupsOption | None = None,
    max_nodes: int | None = 300,
    colors: Mapping[str, str] | None = None,
    title: str | None = None,
    backward_step: None = None,
) -> StepThrough:
    """A page that steps through ``root``'s forward and backward passes (see the module's text).

    It takes ``draw_graph``'s options: ``rankdir``, roles (``parameters``, ``inputs``),
    ``local_grads`` (every edge shows its local derivative for the whole pass; without it, the
    edges a backward step uses show theirs), ``number_format``, ``groups`` (for ``nn``:
    ``nn.neuron_groups(loss)``; a box steps as its members do), ``max_nodes``
    (``GraphTooLargeError`` past it), ``colors`` and ``title`` (a caption in the picture). Not
    ``backward_step``: the page has every step (``draw_graph(root, backward_step=k)`` draws one).
    Rendering needs a ``dot`` program, as ``save_graph`` does.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> steps = step_through((x * x).tanh())  # shows itself in Jupyter; .save("x.html") writes it
    >>> steps
    StepThrough: 7 frames of 'v2', 3 values
    >>> steps.update_lines(2)
    ['x.grad: 0 + 2 × 0.001341 = 0.002682', 'x.grad: 0.002682 + 2 × 0.001341 = 0.005364']
    """
    if backward_step is not None:
        raise TypeError(
            "step_through(backward_step=...): the page steps through every backward step; for one "
            "step's picture use draw_graph(root, backward_step=k) or step_through(root).frame(k)"
        )
    style = replace(style_of(rankdir, colors, number_format, local_grads, "step_through"), marked=True)
    scene = checked_scene(root, "step_through", parameters, inputs, groups, max_nodes, title)
    replay = replay_backward(root)  # its nodes are the scene's: the same topological order
    scene = with_texts(scene, style, replay.grads)
    frames = Frames(replay, scene, style)
    layout = _layout_scene(scene, frames)
    # Graphviz lays out every edge's local derivative, where the page shows one, unless the graph is
    # big: a label on every edge makes its layout take about three times as long (1.2 s instead of
    # 0.4 s at 100 values with graphviz-pure); then a step's are written beside its edges (viewer_svg)
    laid_out = style.local_grads or drawn_count(scene) <= LABELS_LAID_OUT
    layout_style = with_direction(layout, replace(style, local_grads=laid_out))
    svg = render_image(dot_graph(layout, layout_style, title), "svg")
    picture = mark_picture(svg, layout, picture_style(style.palette))
    return StepThrough(frames, picture)


# ----- the page -----------------------------------------------------------------------------------

_counter = itertools.count(1)  # tells apart the pages shown in one notebook


def _asset(name: str) -> str:
    return resources.files("autograd.draw").joinpath(name).read_text(encoding="utf-8")


class StepThrough:
    """A step-through of a graph's forward and backward passes: shown inline in Jupyter, saved as a page.

    ``frame_count`` frames: the forward pass (nothing computed, then one step at a time), then the
    backward pass (the seed, then one step per node). ``frame(k)`` is frame ``k`` as a static SVG;
    ``update_lines(s)`` the text of backward step ``s``'s updates; ``html`` the page's HTML.

    >>> from autograd import Value
    >>> steps = step_through(Value(3.0, label="a") * 2)
    >>> for title in steps.frame_titles[:3]:
    ...     print(title)
    forward pass, 2 values to compute: nothing computed yet
    forward step 1 of 2: a = 3 (a leaf: given, not computed)
    forward step 2 of 2: v1 = a * 2 = 6
    """

    def __init__(self, frames: Frames, picture: MarkedPicture) -> None:
        self._frames = frames
        self._picture = picture
        self._all = frames.all()
        self._appears = frames.appears()
        self._final_svg = self._svg(self._all[-1])

    def __repr__(self) -> str:
        values = len(self._frames.replay.nodes)
        root = self._frames.names[-1]
        return f"StepThrough: {len(self._all)} frames of {root!r}, {values} value{'s' if values != 1 else ''}"

    def _svg(self, frame: Frame) -> str:
        frames = self._frames
        labels = frames.edge_labels(frame, frames.style.local_grads)
        return self._picture.show(frame, *frames.texts_of(frame), self._appears, labels)

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
        index = whole_number(k)
        if index is None or not -len(self._all) <= index < len(self._all):
            raise IndexError(f"StepThrough.frame: got {k!r}; this page has frames 0 to {len(self._all) - 1}")
        frame = self._all[index]
        return FrameDrawing(frame.title, self._svg(frame))

    def update_lines(self, step: int) -> list[str]:
        """Step ``step``'s updates as the page shows them: ``a.grad: old + local × upstream = new``.

        >>> from autograd import Value
        >>> a = Value(3.0, label="a")
        >>> step_through(a * a).update_lines(1)  # one line per edge: a is used twice
        ['a.grad: 0 + 3 × 1 = 3', 'a.grad: 3 + 3 × 1 = 6']
        """
        frames = self._frames
        index = whole_number(step)
        if index is None or not 1 <= index <= len(frames.replay.steps):
            raise IndexError(
                f"StepThrough.update_lines: got {step!r}; steps run 1 to {len(frames.replay.steps)}"
            )
        return frames.update_lines(index)

    def _data(self, standalone: bool) -> dict[str, object]:
        """Everything the page's script needs, as JSON-ready data."""
        frames = self._frames
        replay, scene = frames.replay, frames.scene
        steps = []  # each update: [parent, old, local, upstream, new (texts), new (a number), its edge]
        for step, texts, edges in zip(replay.steps, frames.texts, frames.edges):
            numbers = [json_number(u.new) for u in step.updates]
            updates = [[u.parent, *t, n, e] for u, t, n, e in zip(step.updates, texts, numbers, edges)]
            steps.append([step.node, updates])
        answers, hints = questions(frames)
        locals_of: list[list[str]] = [[] for _ in replay.nodes]
        for step, step_texts in zip(replay.steps, frames.texts):
            locals_of[step.node] = [texts[1] for texts in step_texts]
        return {
            "names": frames.names,
            "ops": [node.op for node in replay.nodes],
            "data": scene.data_texts,
            "stepOf": frames.step_of,
            "parents": [[scene.position[p] for p in node.parents] for node in replay.nodes],
            "locals": locals_of,
            "elements": {name: self._members(name) for name in self._picture.elements if name[0] in "vgo"},
            "appears": self._appears,
            "steps": steps,
            "frames": [
                [f.title, f.computed, f.steps, f.current, f.sending, f.updated, f.filled, f.lines]
                for f in self._all
            ],
            "answers": answers,
            "hints": hints,
            "edgeLabels": frames.all_edge_labels(),
            "everyEdge": frames.style.local_grads,
            "unknown": UNKNOWN,
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
        last = self._all[-1]
        # one substitution pass, so that no text of the graph is taken for a placeholder
        return string.Template(_asset("viewer.html")).substitute(
            identity=f"chainrule-steps-{next(_counter)}-{payload}",
            style=_asset("viewer.css"),
            final_title=_escape(self._all[-1].title),
            final_lines="".join(f'<div class="cr-update">{_escape(line)}</div>' for line in last.lines),
            picture=self._final_svg,
            data=data,
            script=_asset("viewer_practice.js") + "\n" + _asset("viewer.js"),
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
