"""Figures that fit a notebook column: what ``scripts/notebooks`` checks in every picture it builds.

Jupyter's notebook column is 860 px wide by default. Every picture a notebook shows must fit it as
Jupyter shows it, with text at least 9 px high at that size:

- an SVG (a Graphviz drawing, a step-through page's still frame) is shown at its ``width`` (in pt,
  4/3 px each, or in px); its text at ``font-size`` times the drawing's scale;
- a PNG (matplotlib) at its width in pixels, or at the width its output's metadata sets. Its text is
  checked where the figure is drawn: ``watch_matplotlib`` runs in the notebook's kernel (the build
  starts it before the first cell) and complains, in the cell's output, about any text smaller than
  9 px (font size in pt x dpi / 72 x the display scale).

``picture_problems(notebook)`` lists what breaks these rules in an executed notebook, as sentences
naming the cell; the build fails on any, and the tests check the committed notebooks with it.
This file is a helper of ``notebooks/_build.py`` and of the tests, not a module notebooks import.
"""

from __future__ import annotations

import base64
import re
import struct
import sys
from typing import Any

from autograd.draw.scene import NOTEBOOK_COLUMN_PX as COLUMN_PX  # the column drawings are made for

MIN_TEXT_PX = 9.0
COMPLAINT = "figure check:"  # how watch_matplotlib's complaints start, in a cell's stderr

_SVG_TAG = re.compile(r"<svg\b[^>]*>")
_LENGTH = re.compile(r"^\s*([\d.]+)\s*(pt|px)?\s*$")
_PX_PER = {"pt": 4.0 / 3.0, "px": 1.0, None: 1.0}


def _attribute(tag: str, name: str) -> str | None:
    found = re.search(rf'\s{name}="([^"]*)"', tag)
    return found.group(1) if found else None


def svg_problems(svg: str) -> list[str]:
    """What is too wide or too small in an SVG (or in each SVG inside an HTML page), as sentences.

    >>> svg_problems('<svg width="700pt" viewBox="0 0 700 100"><text font-size="14.00">x</text></svg>')
    ['933 px wide (at most 860)']
    >>> svg_problems('<svg width="300pt" viewBox="0 0 600 100"><text font-size="12.00">x</text></svg>')
    ['text 8.0 px high (at least 9)']
    """
    problems = []
    for tag in _SVG_TAG.finditer(svg):
        width = _LENGTH.match(_attribute(tag.group(), "width") or "")
        if width is None:
            continue
        shown_px = float(width.group(1)) * _PX_PER[width.group(2)]
        if shown_px > COLUMN_PX + 0.5:
            problems.append(f"{shown_px:.0f} px wide (at most {COLUMN_PX:.0f})")
        view_box = (_attribute(tag.group(), "viewBox") or "").split()
        px_per_unit = shown_px / float(view_box[2]) if len(view_box) == 4 else _PX_PER[width.group(2)]
        rest = svg[tag.end() :]
        scale = re.search(r'transform="scale\(([\d.]+)', rest)
        px_per_unit *= float(scale.group(1)) if scale else 1.0
        sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)', rest.split("</svg>")[0])]
        if sizes and min(sizes) * px_per_unit < MIN_TEXT_PX - 0.05:
            problems.append(f"text {min(sizes) * px_per_unit:.1f} px high (at least {MIN_TEXT_PX:.0f})")
    return problems


def png_problems(encoded: str, metadata: dict[str, Any]) -> list[str]:
    """What is too wide in a base64 PNG output, shown at the width its metadata sets or its own."""
    pixels = struct.unpack(">I", base64.b64decode(encoded[:44])[16:20])[0]  # IHDR: the width first
    shown_px = float(metadata.get("width", pixels))
    return [f"{shown_px:.0f} px wide (at most {COLUMN_PX:.0f})"] if shown_px > COLUMN_PX else []


def picture_problems(notebook: Any, name: str) -> list[str]:
    """Every picture of an executed notebook that does not fit the column, and every complaint of
    ``watch_matplotlib``, as sentences naming the notebook and the cell."""
    problems = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            found: list[str] = []
            data = output.get("data", {})
            for mime in ("image/svg+xml", "text/html"):
                if mime in data:
                    found += svg_problems("".join(data[mime]))
            if "image/png" in data:
                shown = output.get("metadata", {}).get("image/png", {})
                found += png_problems("".join(data["image/png"]), shown)
            text = "".join(output.get("text", "")) if output.get("name") == "stderr" else ""
            found += [
                line[len(COMPLAINT) :].strip() for line in text.splitlines() if line.startswith(COMPLAINT)
            ]
            problems += [
                f"{name} cell {cell.get('id')}: a picture {problem}" for problem in dict.fromkeys(found)
            ]
    return problems


def _text_problems(figure: Any, dpi: float) -> list[str]:
    """Each visible text of a matplotlib figure smaller than MIN_TEXT_PX when drawn at ``dpi``."""
    from matplotlib.text import Text

    problems = []
    for text in figure.findobj(Text):
        if text.get_visible() and text.get_text().strip():
            px = text.get_fontsize() * dpi / 72.0
            if px < MIN_TEXT_PX - 0.05:
                problems.append(f"text {text.get_text()!r} {px:.1f} px high (at least {MIN_TEXT_PX:.0f})")
    return problems


def watch_matplotlib() -> None:
    """In an IPython kernel: once a cell has imported matplotlib, complain on stderr (in the cell's
    output) about every text of a figure, as it is drawn, that is smaller than MIN_TEXT_PX."""
    from IPython import get_ipython

    shell = get_ipython()

    def install(*_: Any) -> None:
        if "matplotlib.backend_bases" not in sys.modules:
            return
        shell.events.unregister("post_run_cell", install)
        from matplotlib.backend_bases import FigureCanvasBase

        drawn = FigureCanvasBase.print_figure

        def checked(self: Any, *args: Any, **kwargs: Any) -> Any:
            dpi = kwargs.get("dpi") or self.figure.dpi
            for problem in _text_problems(self.figure, float(dpi)):
                print(f"{COMPLAINT} {problem}", file=sys.stderr)
            return drawn(self, *args, **kwargs)

        FigureCanvasBase.print_figure = checked

    shell.events.register("post_run_cell", install)
