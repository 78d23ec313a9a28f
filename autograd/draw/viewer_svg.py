"""The step-through page's picture: one SVG laid out by Graphviz, whose numbers and highlights change.

Graphviz lays the graph out once (``autograd.draw.viewer``); this module finds, in its SVG, the
text of every number a frame changes (each value's ``data`` and ``grad``, in value records and
group boxes) and marks it with ``data-node`` and ``data-field``, gives the SVG a style sheet for the
highlight classes, and writes a frame into it: the texts, the local derivatives on the edges, and
the classes ``cr-current`` (the node being computed or passing its gradient on), ``cr-sending`` (its
edges; ``cr-sending-back`` in the backward pass), ``cr-updated`` (the values whose gradient the step
changed) and ``cr-pending`` (not computed yet). Each edge also gets an arrowhead at its start
(``cr-back``), shown instead of its own when it is ``cr-sending-back``, so that a backward step's
edges point the way the gradient flows. The page's script does the same in the browser; a
``Frame`` is what both are given.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from autograd.draw.dot import Scene, box_outputs, number_field
from autograd.draw.frames import Frame

__all__ = ["MarkedPicture", "mark_picture", "picture_style"]

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_SVG = "{" + SVG_NAMESPACE + "}"
ElementTree.register_namespace("", SVG_NAMESPACE)
ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")


def picture_style(palette: Mapping[str, str]) -> str:
    """The style sheet of the highlight classes, in the drawing's colours (scoped to this picture)."""
    current, updated = palette["current"], palette["updated"]
    outline = "polygon, .cr-frame .cr-{0} ellipse"  # a record's or box's frame, an operation's oval
    sending = ".cr-frame .cr-sending {0}, .cr-frame .cr-sending-back {0}"  # an edge in either pass
    return (
        f".cr-frame .cr-current {outline.format('current')} {{stroke: {current}; stroke-width: 3px}}\n"
        f"{sending.format('path')} {{stroke: {current}; stroke-width: 2.5px}}\n"
        f"{sending.format('polygon')} {{stroke: {current}; fill: {current}}}\n"
        ".cr-frame .cr-back {visibility: hidden}\n"
        ".cr-frame text.cr-beside {paint-order: stroke; stroke: #ffffff; stroke-width: 3px}\n"
        ".cr-frame .cr-sending-back .cr-back {visibility: visible}\n"
        ".cr-frame .cr-sending-back polygon.cr-ahead {visibility: hidden}\n"
        f"{sending.format('text')} {{fill: {current}; font-weight: bold}}\n"
        f".cr-frame .cr-updated {outline.format('updated')} {{stroke: {updated}; stroke-width: 3px}}\n"
        ".cr-frame .cr-updated text[data-field=grad] {font-weight: bold}\n"
        ".cr-frame .cr-pending {opacity: 0.3}\n"
        ".cr-frame .cr-selected polygon, .cr-frame .cr-selected ellipse {stroke-dasharray: 5 3}\n"
        ".cr-frame g.node {cursor: pointer}\n"
    )


def _classes(element: ElementTree.Element) -> list[str]:
    return (element.get("class") or "").split()


def _texts(group: ElementTree.Element) -> list[ElementTree.Element]:
    return list(group.iter(f"{_SVG}text"))


def _fields_of(scene: Scene, name: str) -> list[tuple[int, str]]:
    """The numbers element ``name`` shows, in the order its record writes them: ``(node, field)``."""
    if name.startswith("v"):
        i = int(name[1:])
        return [(i, "data"), (i, "grad")]
    number = int(name[1:])
    shown = scene.boxes[number].shown
    members = [i for _, i in shown] if shown is not None else box_outputs(scene, number)
    return [(i, field) for i in members for field in ("data", "grad")]


def _words(text: str | None) -> str:
    """``text`` with its runs of spaces as one space, as a renderer may lay them out."""
    return " ".join((text or "").split())


def _mark_fields(group: ElementTree.Element, scene: Scene, name: str) -> None:
    """Mark the texts of element ``name``'s numbers: those that read exactly as its numbers were
    drawn (``scene``: the layout's texts), which then come in the record's order. A caption or a
    label may start with "grad " or "data " too; one that reads exactly like a number is refused,
    as the page could not tell it from the number it must update."""
    fields = _fields_of(scene, name)
    expected = [_words(number_field(scene, node, field)) for node, field in fields]
    texts = [text for text in _texts(group) if _words(text.text) in expected]
    found = [_words(text.text) for text in texts]
    if len(found) > len(expected):
        extra = (Counter(found) - Counter(expected)).most_common(1)[0][0]
        raise ValueError(
            f"step_through: {_described(scene, name)} has a caption or label that reads {extra!r}, exactly "
            "like one of its numbers, so the page cannot tell which text to update; change that caption "
            "or label"
        )
    if found != expected:
        raise RuntimeError(
            f"step_through: the picture of {name} shows {found} where its numbers {expected} go "
            "(the renderer changed or dropped them)"
        )
    for text, (node, field) in zip(texts, fields):
        text.set("data-node", str(node))
        text.set("data-field", field)


def _described(scene: Scene, name: str) -> str:
    """How a message names drawn element ``name``: the group's name, or the value's."""
    if name.startswith("g"):
        return f"the group {scene.boxes[int(name[1:])].name!r}"
    return f"the value {scene.names[int(name[1:])]!r}"


@dataclass
class MarkedPicture:
    """The page's SVG, its numbers marked, ready to take frames."""

    root: ElementTree.Element
    fields: dict[tuple[int, str], list[ElementTree.Element]]  # (node, field) -> its texts
    elements: dict[str, ElementTree.Element]  # a drawn element's class -> its group
    labels: dict[str, ElementTree.Element]  # an edge's class -> the text of its local derivative

    def show(
        self,
        frame: Frame,
        data: Sequence[str],
        grads: Sequence[str],
        appears: Mapping[str, int],
        labels: Mapping[str, str],
    ) -> str:
        """The SVG text of ``frame``: ``data``/``grads`` are every node's texts in that frame,
        ``appears`` each element's forward step (pending until it has run), ``labels`` the local
        derivatives the edges show."""
        for (node, field), texts in self.fields.items():
            for text in texts:
                text.text = f"{field} {data[node] if field == 'data' else grads[node]}"
        for name, text in self.labels.items():
            text.text = labels.get(name, "")
        sending = "cr-sending" if frame.steps is None else "cr-sending-back"
        marks: dict[str, list[str]] = {name: [] for name in self.elements}
        for kind, names in (
            ("cr-current", frame.current),
            (sending, frame.sending),
            ("cr-updated", frame.updated),
        ):
            for name in names:
                marks[name].append(kind)
        for name, element in self.elements.items():
            if appears.get(name, 0) >= frame.computed:
                marks[name].append("cr-pending")
            kept = [c for c in _classes(element) if not c.startswith("cr-")]
            element.set("class", " ".join(kept + marks[name]))
        return ElementTree.tostring(self.root, encoding="unicode")


def mark_picture(svg: bytes, scene: Scene, style_sheet: str) -> MarkedPicture:
    """Graphviz's SVG of a marked drawing (``Style(marked=True)``) of ``scene``, its numbers found
    and marked, Graphviz's comments and ``<title>`` elements dropped (the page names nodes itself)."""
    root = ElementTree.fromstring(svg)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{_SVG}title":
                parent.remove(child)
    root.set("class", "cr-frame")
    root.set("style", "max-width:none")  # its own size (without the script): a notebook scrolls it
    style = ElementTree.Element(f"{_SVG}style")
    style.text = style_sheet
    root.insert(0, style)
    elements: dict[str, ElementTree.Element] = {}
    for group in root.iter(f"{_SVG}g"):
        classes = _classes(group)
        if len(classes) == 2 and classes[0] in ("node", "edge"):
            elements[classes[1]] = group
    fields: dict[tuple[int, str], list[ElementTree.Element]] = {}
    for name, group in elements.items():
        if re.fullmatch(r"[vg]\d+", name):
            _mark_fields(group, scene, name)
    for text in root.iter(f"{_SVG}text"):
        if text.get("data-node") is not None:
            fields.setdefault((int(text.get("data-node", "")), text.get("data-field", "")), []).append(text)
    labels: dict[str, ElementTree.Element] = {}
    right = _right_end(root)
    for name, group in elements.items():
        if re.fullmatch(r"e\d+_\d+|b\d+_\w+", name):
            points = _path_points(group)
            if len(points) < 2:
                continue
            _add_back_arrow(group, points)
            # the local derivative Graphviz laid out on the edge (local_grads=True), else one beside it
            found = _texts(group)[:1] or [_label_beside(group, points, right)]
            found[0].set("data-edge", name)
            labels[name] = found[0]
    return MarkedPicture(root, fields, elements, labels)


def _path_points(edge: ElementTree.Element) -> list[tuple[float, float]]:
    """The points of ``edge``'s path: its start, then three per cubic Bezier segment."""
    path = edge.find(f"{_SVG}path")
    found = re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", "" if path is None else path.get("d", ""))
    numbers = [float(n) for n in found]
    return list(zip(numbers[0::2], numbers[1::2]))


def _right_end(root: ElementTree.Element) -> float:
    """The right end of the drawing, in the coordinates of its paths (its background's corners)."""
    background = root.find(f"{_SVG}g/{_SVG}polygon")
    numbers = re.findall(r"-?\d+(?:\.\d+)?", "" if background is None else background.get("points", ""))
    return max((float(x) for x in numbers[0::2]), default=float("inf"))


def _label_beside(
    edge: ElementTree.Element, points: list[tuple[float, float]], right: float
) -> ElementTree.Element:
    """An empty text beside the middle of ``edge``'s path, where a step writes its local derivative:
    off the path on its right-hand side (its left near the drawing's right end), or above a path that
    runs across. Placed here rather than laid out by Graphviz, whose layout takes several times as
    long with a label on every edge."""
    segments = (len(points) - 1) // 3
    middle = segments // 2
    if segments % 2:  # the middle of the middle segment, a cubic Bezier at t = 1/2, and its direction
        p0, p1, p2, p3 = points[3 * middle : 3 * middle + 4]
        x = (p0[0] + 3 * p1[0] + 3 * p2[0] + p3[0]) / 8
        y = (p0[1] + 3 * p1[1] + 3 * p2[1] + p3[1]) / 8
        dx, dy = p3[0] + p2[0] - p1[0] - p0[0], p3[1] + p2[1] - p1[1] - p0[1]
    else:  # where the two middle segments meet
        x, y = points[3 * middle]
        (before_x, before_y), (after_x, after_y) = points[3 * middle - 1], points[3 * middle + 1]
        dx, dy = after_x - before_x, after_y - before_y
    length = (dx * dx + dy * dy) ** 0.5 or 1.0
    nx, ny = -dy / length, dx / length  # a normal to the path, turned to point right (or up)
    if nx < 0 or (nx == 0 and ny > 0):
        nx, ny = -nx, -ny
    text = ElementTree.SubElement(edge, f"{_SVG}text")
    if nx >= abs(ny) * 0.5:  # beside a path that runs up or down, or slants
        side = -1.0 if x + 6 * nx + _LABEL_ROOM > right else 1.0
        text.set("text-anchor", "start" if side > 0 else "end")
        text.set("x", f"{x + side * 6 * nx:.2f}")
        text.set("y", f"{y + 6 * ny + 4 * (1 + ny):.2f}")  # the baseline: below the point as the normal dips
    else:  # above a path that runs across
        text.set("text-anchor", "middle")
        text.set("x", f"{x:.2f}")
        text.set("y", f"{y - 5:.2f}")
    text.set("font-family", "Helvetica,sans-Serif")
    text.set("font-size", "11.00")
    text.set("class", "cr-beside")
    return text


_LABEL_ROOM = 40.0  # points: about the width of a local derivative's text


_ARROW_LENGTH, _ARROW_HALF_WIDTH = 7.0, 3.0  # points, about Graphviz's arrowsize 0.6


def _add_back_arrow(edge: ElementTree.Element, points: list[tuple[float, float]]) -> None:
    """An arrowhead at the start of ``edge``'s path (``points``), pointing out of it (into the node
    the edge leaves), hidden until the backward pass sends gradient along the edge; the arrowhead
    Graphviz drew at its end gets the class ``cr-ahead``."""
    (x0, y0), later = points[0], [p for p in points[1:] if p != points[0]]
    if not later:
        return
    dx, dy = x0 - later[0][0], y0 - later[0][1]
    length = (dx * dx + dy * dy) ** 0.5
    ux, uy = dx / length, dy / length
    bx, by = x0 - _ARROW_LENGTH * ux, y0 - _ARROW_LENGTH * uy
    corners = [
        (x0, y0),
        (bx - _ARROW_HALF_WIDTH * uy, by + _ARROW_HALF_WIDTH * ux),
        (bx + _ARROW_HALF_WIDTH * uy, by - _ARROW_HALF_WIDTH * ux),
    ]
    for polygon in edge.findall(f"{_SVG}polygon"):
        polygon.set("class", "cr-ahead")
    arrow = ElementTree.SubElement(edge, f"{_SVG}polygon")
    arrow.set("class", "cr-back")
    arrow.set("points", " ".join(f"{x:.2f},{y:.2f}" for x, y in corners))
