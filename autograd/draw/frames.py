"""The frames of the step-through page: what each one says, shows and highlights, computed here.

The forward pass goes the way a reader computes by hand (``autograd.draw.order``): parents before
the values they make, a layer's neurons 1 to n, layer by layer, and the leaves, which are given
rather than computed, a layer's weights in one frame. The backward pass is the engine's, replayed
by its own driver (``autograd.draw.replay``), one step per node, each edge's update shown as
``old + local × upstream = new``; a gradient not arrived yet reads ``?``.

>>> from autograd import Value
>>> from autograd.draw.replay import replay_backward
>>> from autograd.draw.scene import build_scene, style_of, with_texts
>>> w, x = Value(-3.0, label="w"), Value(2.0, label="x")
>>> replay = replay_backward((w * x).tanh())
>>> style = style_of(None, None, ".4g", False, "example")
>>> frames = Frames(replay, with_texts(build_scene(replay.nodes), style, replay.grads), style)
>>> for frame in frames.all()[1:4]:
...     print(frame.title)
forward step 1 of 3: given (leaves, not computed): w and x
forward step 2 of 3: v1 = w * x = -6
forward step 3 of 3: v2 = tanh(v1) = -1
>>> frames.update_lines(2)
['w.grad: 0 + 2 × 2.458e-05 = 4.915e-05', 'x.grad: 0 + -3 × 2.458e-05 = -7.373e-05']
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd.draw.dot import Scene, Style
from autograd.draw.names import UNKNOWN, backward_title, formula, infix, listing, seed_title
from autograd.draw.order import forward_steps
from autograd.draw.replay import Replay

__all__ = ["Frame", "Frames"]


@dataclass(frozen=True)
class Frame:
    """One frame of the page: what it says, how far each pass has come, and what it highlights.

    ``computed``: how many forward steps have run; ``steps``: how many backward steps have run,
    ``None`` during the forward pass. The highlights are names of drawn elements: ``current`` (the
    node computing, or passing its gradient on), ``sending`` (its edges), ``updated`` (the values
    whose gradient the step changed) and ``filled`` (the values whose data it wrote).
    """

    title: str
    computed: int
    steps: int | None
    current: tuple[str, ...] = ()
    sending: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    filled: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()


class Frames:
    """Every frame of a replay drawn as ``scene``, with the texts of every number in them."""

    def __init__(self, replay: Replay, scene: Scene, style: Style) -> None:
        self.replay, self.scene, self.style = replay, scene, style
        self.names = scene.names
        self.forward_steps = forward_steps(replay.nodes)
        self.step_of = [0] * len(replay.nodes)  # the forward step that gives each node its value
        for k, step in enumerate(self.forward_steps):
            for i in step:
                self.step_of[i] = k
        self.zero, self.seed = style.number(0.0), style.number(1.0)
        # each update's numbers as the drawing writes them, and the drawn edge it travels along
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
        self.edges = [
            [self._edge(step.node, k, u.parent) for k, u in enumerate(step.updates)] for step in replay.steps
        ]

    # ----- what is drawn where ------------------------------------------------------------------

    def _edge(self, i: int, k: int, parent: int) -> str | None:
        """The drawn edge along which node ``i`` takes its ``k``-th input (``parent``), if there is one."""
        scene = self.scene
        if i not in scene.box_of:
            return f"e{i}_{k}"
        number = scene.box_of[i]
        if parent in scene.boxes[number].members or parent in scene.hidden:
            return None
        return f"b{number}_{scene.name_of(parent)}"

    def element(self, i: int) -> str:
        """The drawn element that shows node ``i``'s numbers: its record, its box, or for a leaf
        hidden in boxes the box of its first user."""
        scene = self.scene
        if i in scene.hidden:
            return f"g{scene.box_of[scene.users[i][0]]}"
        return scene.name_of(i)

    def in_edges(self, i: int) -> tuple[str, ...]:
        """The drawn edges along which node ``i`` takes its inputs (and sends them gradient)."""
        parents = [self.scene.position[p] for p in self.scene.nodes[i].parents]
        found = (self._edge(i, k, p) for k, p in enumerate(parents))
        return tuple(dict.fromkeys(edge for edge in found if edge is not None))

    def worker(self, i: int) -> tuple[str, ...]:
        """What a step of node ``i`` outlines: its operation, the box it is in, or for a leaf its record."""
        scene = self.scene
        if i in scene.box_of or i in scene.hidden or not scene.nodes[i].parents:
            return (self.element(i),)
        return (f"op{i}",)

    # ----- the texts of a frame -----------------------------------------------------------------

    def grad_texts(self, steps: int | None) -> list[str]:
        """Every node's grad text after ``steps`` backward steps (``None``: during the forward pass)."""
        grads = [UNKNOWN] * len(self.replay.nodes)
        if steps is None:
            return grads
        grads[-1] = self.seed
        for step, step_texts in zip(self.replay.steps[:steps], self.texts):
            for update, texts in zip(step.updates, step_texts):
                grads[update.parent] = texts[3]
        return grads

    def data_texts(self, computed: int) -> list[str]:
        """Every node's data text once the first ``computed`` forward steps have run."""
        return [
            text if self.step_of[i] < computed else UNKNOWN for i, text in enumerate(self.scene.data_texts)
        ]

    def edge_labels(self, frame: Frame, every_edge: bool) -> dict[str, str]:
        """The local derivatives the edges show in ``frame``: those the backward step uses, or with
        ``every_edge`` every edge of a computed node (as ``draw_graph(local_grads=True)``)."""
        labels: dict[str, str] = {}
        if every_edge:
            appears = self.appears()
            every = self.all_edge_labels().items()
            labels = {name: text for name, text in every if appears[name] < frame.computed}
        if frame.steps:
            used: dict[str, list[str]] = {}
            for edge, texts in zip(self.edges[frame.steps - 1], self.texts[frame.steps - 1]):
                if edge is not None:
                    used.setdefault(edge, []).append(texts[1])
            labels.update((edge, ", ".join(texts)) for edge, texts in used.items())
        return labels

    def all_edge_labels(self) -> dict[str, str]:
        """Every drawn edge's local derivative(s), as ``draw_graph(local_grads=True)`` writes them."""
        carried: dict[str, list[str]] = {}
        for edges, texts in zip(self.edges, self.texts):
            for edge, text in zip(edges, texts):
                if edge is not None:
                    carried.setdefault(edge, []).append(text[1])
        return {edge: ", ".join(texts) for edge, texts in carried.items()}

    def update_lines(self, step: int) -> list[str]:
        """Backward step ``step``'s updates: ``name.grad: old + local × upstream = new``."""
        updates = self.replay.steps[step - 1].updates
        return [
            f"{self.names[u.parent]}.grad: {old} + {local} × {upstream} = {new}"
            for u, (old, local, upstream, new) in zip(updates, self.texts[step - 1])
        ]

    # ----- the frames ----------------------------------------------------------------------------

    def _given(self, k: int, leaves: list[int]) -> Frame:
        """Forward step ``k``: ``leaves`` are given their values (they are not computed)."""
        count = len(self.forward_steps)
        data = self.scene.data_texts
        drawn = [self.names[i] for i in leaves if i not in self.scene.hidden]
        hidden = [i for i in leaves if i in self.scene.hidden]
        boxes = list(dict.fromkeys(self.names[i].rpartition(": ")[0] for i in hidden))
        if boxes:
            drawn.append(f"the parameters inside {listing(boxes)}")
        kind = "a leaf" if len(leaves) == 1 else "leaves"
        title = f"forward step {k} of {count}: given ({kind}, not computed): {listing(drawn)}"
        if len(leaves) == 1 and not boxes:
            leaf = leaves[0]
            given = f"{self.names[leaf]} = {data[leaf]}"
            title = f"forward step {k} of {count}: {given} (a leaf: given, not computed)"
        elements = tuple(dict.fromkeys(self.element(i) for i in leaves))
        lines = tuple(f"{self.names[i]} = {data[i]}" for i in leaves)
        return Frame(title, k, None, elements, (), (), elements, lines)

    def forward(self, k: int) -> Frame:
        """Forward step ``k`` (1 to the number of forward steps); 0: nothing computed yet."""
        n = len(self.replay.nodes)
        if k == 0:
            values = f"{n} value{'s' if n != 1 else ''}"
            return Frame(f"forward pass, {values} to compute: nothing computed yet", 0, None)
        (i, *others) = step = self.forward_steps[k - 1]
        if others or not self.scene.nodes[i].parents:
            return self._given(k, step)
        scene, data = self.scene, self.scene.data_texts
        written = formula(scene, self.style, i)
        title = f"forward step {k} of {len(self.forward_steps)}: {written} = {data[i]}"
        node = scene.nodes[i]
        constant = scene.constants.get(i)
        numbers = [data[scene.position[p]] for p in node.parents]
        with_numbers = infix(node, numbers, None if constant is None else self.style.number(constant))
        line = f"{self.names[i]} = {with_numbers} = {data[i]}"
        return Frame(title, k, None, self.worker(i), self.in_edges(i), (), (self.element(i),), (line,))

    def backward(self, s: int) -> Frame:
        """Backward step ``s`` (0: the seed)."""
        computed, m = len(self.forward_steps), len(self.replay.steps)
        if s == 0:
            root = self.element(len(self.replay.nodes) - 1)
            return Frame(seed_title(self.scene, m), computed, 0, (), (), (root,))
        step = self.replay.steps[s - 1]
        title = backward_title(self.scene, self.style, step.node, s, m, self.texts[s - 1][0][2])
        updated = tuple(dict.fromkeys(self.element(u.parent) for u in step.updates))
        lines = tuple(self.update_lines(s))
        return Frame(title, computed, s, self.worker(step.node), self.in_edges(step.node), updated, (), lines)

    def all(self) -> list[Frame]:
        """Every frame: the forward pass (nothing, then each step), then the backward pass (the seed,
        then each step)."""
        forward = [self.forward(k) for k in range(len(self.forward_steps) + 1)]
        return forward + [self.backward(s) for s in range(len(self.replay.steps) + 1)]

    def texts_of(self, frame: Frame) -> tuple[list[str], list[str]]:
        """The data and grad texts of every node in ``frame``."""
        return self.data_texts(frame.computed), self.grad_texts(frame.steps)

    def appears(self) -> dict[str, int]:
        """Each drawn element's forward step (it is pending until that step has run)."""
        scene, at = self.scene, {}
        for i, node in enumerate(scene.nodes):
            inputs = (f"e{i}_{k}" for k in range(len(node.parents)))
            for name in (f"v{i}", f"op{i}", f"c{i}", f"r{i}", *inputs):
                at[name] = self.step_of[i]
        for number, box in enumerate(scene.boxes):
            at[f"g{number}"] = min(self.step_of[i] for i in box.members)
        for edges, step in zip(self.edges, self.replay.steps):  # an edge into a box: with its first user
            for edge in edges:
                if edge is not None and edge.startswith("b"):
                    at[edge] = min(at.get(edge, len(self.forward_steps)), self.step_of[step.node])
        return at
