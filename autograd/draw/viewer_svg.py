"""The step-through page's picture: one SVG laid out by Graphviz, whose numbers and highlights change.

Graphviz lays the graph out once (``autograd.draw.viewer``); this module finds, in its SVG, the
text of every number a frame changes (each value's ``data`` and ``grad``, in value records and
group boxes) and marks it with ``data-node`` and ``data-field``, gives the SVG a style sheet for the
highlight classes, and writes a frame into it: the texts, and the classes ``cr-current`` (the node
being computed or passing its gradient on), ``cr-sending`` (its edges), ``cr-updated`` (the values
whose gradient the step changed) and ``cr-pending`` (not computed yet). The page's script does the
same in the browser; ``Frame`` is what both are given.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from autograd.draw.dot import Scene, box_outputs

__all__ = ["Frame", "MarkedPicture", "mark_picture", "picture_style"]

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_SVG = "{" + SVG_NAMESPACE + "}"
ElementTree.register_namespace("", SVG_NAMESPACE)
ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")


@dataclass(frozen=True)
class Frame:
    """One frame of the page: what it says, how far each pass has come, and what it highlights.

    ``computed``: how many nodes (in topological order) have their data; ``steps``: how many backward
    steps have run, ``None`` during the forward pass. The highlights are classes of drawn elements.
    """

    title: str
    computed: int
    steps: int | None
    current: tuple[str, ...] = ()
    sending: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()


def picture_style(palette: Mapping[str, str]) -> str:
    """The style sheet of the highlight classes, in the drawing's colours (scoped to this picture)."""
    current, updated = palette["current"], palette["updated"]
    outline = "polygon, .cr-frame .cr-{0} ellipse"  # a record's or box's frame, an operation's oval
    return (
        f".cr-frame .cr-current {outline.format('current')} {{stroke: {current}; stroke-width: 3px}}\n"
        f".cr-frame .cr-sending path {{stroke: {current}; stroke-width: 2.5px}}\n"
        f".cr-frame .cr-sending polygon {{stroke: {current}; fill: {current}}}\n"
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


def _mark_fields(group: ElementTree.Element, fields: list[tuple[int, str]], name: str) -> None:
    """Mark the texts of ``fields``: the last ones of the record (a label or caption comes first)."""
    texts = [text for text in _texts(group) if re.match(r"(data|grad) ", text.text or "")]
    if len(texts) < len(fields):
        raise RuntimeError(
            f"step_through: the picture of {name} lacks its numbers (the renderer dropped them)"
        )
    for text, (node, field) in zip(texts[len(texts) - len(fields) :], fields):
        if not (text.text or "").startswith(field + " "):
            raise RuntimeError(
                f"step_through: the picture of {name} shows {text.text!r} where its {field} goes"
            )
        text.set("data-node", str(node))
        text.set("data-field", field)


@dataclass
class MarkedPicture:
    """The page's SVG, its numbers marked, ready to take frames."""

    root: ElementTree.Element
    fields: dict[tuple[int, str], list[ElementTree.Element]]  # (node, field) -> its texts
    elements: dict[str, ElementTree.Element]  # a drawn element's class -> its group

    def show(
        self, frame: Frame, data: Sequence[str], grads: Sequence[str], appears: Mapping[str, int]
    ) -> str:
        """The SVG text of ``frame``: ``data``/``grads`` are every node's texts in that frame,
        ``appears`` each element's position in the forward pass (pending before it)."""
        for (node, field), texts in self.fields.items():
            for text in texts:
                text.text = f"{field} {data[node] if field == 'data' else grads[node]}"
        marks: dict[str, list[str]] = {name: [] for name in self.elements}
        for kind, names in (
            ("cr-current", frame.current),
            ("cr-sending", frame.sending),
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
    """Graphviz's SVG of a marked drawing (``Style(marked=True)``), its numbers found and marked,
    Graphviz's comments and ``<title>`` elements dropped (the page names nodes itself)."""
    root = ElementTree.fromstring(svg)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{_SVG}title":
                parent.remove(child)
    root.set("class", "cr-frame")
    root.set("style", "max-width:none")  # its own size: a notebook scrolls it instead of shrinking the text
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
            wanted = _fields_of(scene, name)
            _mark_fields(group, wanted, name)
    for text in root.iter(f"{_SVG}text"):
        if text.get("data-node") is not None:
            fields.setdefault((int(text.get("data-node", "")), text.get("data-field", "")), []).append(text)
    return MarkedPicture(root, fields, elements)
