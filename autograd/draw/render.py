"""Turning a drawing's DOT text into an image: finding a Graphviz ``dot`` program, and running it.

Building a drawing needs only the ``graphviz`` Python package (``pip install "chainrule[draw]"``);
turning it into an image needs a renderer, found by ``find_renderer``: the ``CHAINRULE_DOT``
environment variable if set, else a DOT-to-SVG function given to ``use_dot_to_svg``, else a system
Graphviz ``dot`` on PATH, else the pip-installed ``graphviz-pure``. Without any, the DOT text
(``.source``) still works. Whatever the renderer, its output is checked: one that exits cleanly but
writes no image raises ``RenderError`` instead of leaving an empty file behind.

The DOT-to-SVG function is the one hook for a Python that cannot run programs: in a browser
(Pyodide), Graphviz compiled to WebAssembly turns DOT text into SVG, and chainrule's playground
gives it here. It writes SVG only; PNG and PDF still need a ``dot`` program.

>>> from autograd import Value
>>> from autograd.draw import draw_graph
>>> svg = render_image(draw_graph(Value(2.0, label="x")), "svg")  # runs find_renderer()'s program
>>> b"data 2" in svg
True
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any, Union


def graphviz_package() -> ModuleType:
    """The ``graphviz`` Python package, imported on first use (so that building a scene or a
    ``Group`` needs no graphviz), with a message that says how to install it."""
    try:
        import graphviz  # type: ignore[import-untyped]
        import graphviz.backend  # type: ignore[import-untyped]
    except ModuleNotFoundError as error:  # pragma: no cover - the draw extra is part of dev
        raise ModuleNotFoundError(
            "drawing graphs needs the graphviz Python package: pip install 'chainrule[draw]' "
            "(or pip install graphviz==0.21 graphviz-pure==0.2.2)"
        ) from error
    package: ModuleType = graphviz
    return package


__all__ = [
    "RENDERER_VARIABLE",
    "DotToSvg",
    "RenderError",
    "Renderer",
    "RendererNotFoundError",
    "find_renderer",
    "render_image",
    "scrolling_html",
    "use_dot_to_svg",
    "verbatim",
]

RENDERER_VARIABLE = "CHAINRULE_DOT"
"""The environment variable naming the ``dot`` program to use, ahead of any other."""


DotToSvg = Callable[[str], str]
"""A renderer written as a function: a graph's DOT text in, its SVG text out."""

Renderer = Union[Path, DotToSvg]
"""What ``find_renderer`` finds: a ``dot`` program, or the function given to ``use_dot_to_svg``."""


class RendererNotFoundError(RuntimeError):
    """No Graphviz ``dot`` program was found to turn the DOT text into an image."""


class RenderError(RuntimeError):
    """The ``dot`` program ran but gave no image: it failed, or wrote nothing or something else."""


# ----- finding a renderer -------------------------------------------------------------------

_dot_to_svg: DotToSvg | None = None  # the function given to use_dot_to_svg, if any


def use_dot_to_svg(function: DotToSvg | None) -> None:
    """Render drawings with ``function`` (DOT text in, SVG text out) where no ``dot`` program is found
    before it; ``None`` takes it away. It writes SVG only (``render_image``, Jupyter's display,
    ``save_graph`` to ``.svg``, ``step_through``); ``CHAINRULE_DOT``, when set, still comes first.

    >>> from autograd import Value
    >>> from autograd.draw import draw_graph
    >>> use_dot_to_svg(lambda dot: "<svg><!-- " + dot.split()[0] + " --></svg>")
    >>> render_image(draw_graph(Value(2.0)), "svg")
    b'<svg><!-- digraph --></svg>'
    >>> use_dot_to_svg(None)
    """
    global _dot_to_svg
    if function is not None and not callable(function):
        raise TypeError(
            f"use_dot_to_svg: expected a function from DOT text to SVG text (or None), got "
            f"{type(function).__name__}"
        )
    _dot_to_svg = function


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


def find_renderer() -> Renderer:
    """What renders drawings: ``$CHAINRULE_DOT``, else the function given to ``use_dot_to_svg``, else
    ``dot``, else ``graphviz-pure``.

    ``CHAINRULE_DOT`` may be a path or a program name; when it is set nothing else is tried. Raises
    ``RendererNotFoundError`` (a ``RuntimeError``) saying where it looked and how to install one.

    >>> renderer = find_renderer()  # the Path of a program
    >>> renderer.is_file()
    True
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
    if _dot_to_svg is not None:
        return _dot_to_svg
    looked = [f"{RENDERER_VARIABLE}: not set", "use_dot_to_svg: no function given"]
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


# ----- text the graphviz package must not reinterpret -----------------------------------------


def verbatim(text: str) -> str:
    """``text`` marked to be written as a quoted DOT string, never taken for an HTML-like label.

    The graphviz package writes a label that starts with ``<`` and ends with ``>`` unquoted, as
    HTML; a title such as ``<b>x</b>`` would then be markup (or a syntax error), not text.

    >>> from autograd.draw.digraph import ComputationGraph
    >>> graph = ComputationGraph(graph_attr={"label": verbatim("<b>x</b>")})
    >>> '"<b>x</b>"' in graph.source
    True
    """
    marked: str = graphviz_package().nohtml(text)
    return marked


# ----- running it -----------------------------------------------------------------------------

# The graphviz package runs whatever program its module-level DOT_BINARY names. A render swaps in
# ours for the length of the call and puts the old one back; the lock keeps two threads from
# swapping at once (an RLock, since a render may call another render of the same graph).
_render_lock = threading.RLock()


@contextmanager
def renderer_in_use() -> Iterator[Renderer]:
    """Point the graphviz package at ``find_renderer()``'s program, for this call only (a
    DOT-to-SVG function is called directly, so the graphviz package is left alone)."""
    binary = find_renderer()
    if not isinstance(binary, Path):
        yield binary
        return
    dot_command = graphviz_package().backend.dot_command
    with _render_lock:
        saved = dot_command.DOT_BINARY
        dot_command.DOT_BINARY = binary
        try:
            yield binary
        finally:
            dot_command.DOT_BINARY = saved


# How each format's output starts (SVG: somewhere after an XML declaration and comments).
_SIGNATURES = {"png": b"\x89PNG\r\n\x1a\n", "jpeg": b"\xff\xd8\xff", "jpg": b"\xff\xd8\xff", "pdf": b"%PDF"}


def svg_of(function: DotToSvg, graph: Any, image_format: str) -> bytes:
    """``graph`` drawn by the DOT-to-SVG function given to ``use_dot_to_svg``."""
    if image_format != "svg":
        raise RenderError(
            f"{renderer_name(function)} writes SVG only, not {image_format}: ask for svg, or render with a "
            "dot program (use_dot_to_svg(None) lets find_renderer look for one)"
        )
    try:
        svg = function(graph.source)
    except Exception as error:
        raise RenderError(f"{renderer_name(function)} failed on the graph's DOT text: {error}") from error
    return svg.encode("utf-8") if isinstance(svg, str) else bytes(svg)


def renderer_name(renderer: Renderer) -> str:
    """How a message names ``renderer``: a program's path, or the function and where it came from."""
    if isinstance(renderer, Path):
        return str(renderer)
    return f"the DOT-to-SVG function {getattr(renderer, '__name__', repr(renderer))} given to use_dot_to_svg"


def checked_output(renderer: Renderer, image_format: str, output: Union[bytes, str]) -> Any:
    """``output`` if it is an image in ``image_format``; else ``RenderError`` saying what came back."""
    data = output.encode("utf-8", "replace") if isinstance(output, str) else output
    if image_format == "svg":
        looks_right = b"<svg" in data
    else:
        looks_right = bool(data) and data.startswith(_SIGNATURES.get(image_format, b""))
    if looks_right:
        return output
    what = "nothing (0 bytes)" if not data else f"{len(data)} bytes that are not {image_format.upper()}"
    raise not_a_renderer(renderer, f"{what} instead of an image in {image_format} format")


def not_a_renderer(renderer: Renderer, wrote: str) -> RenderError:
    if not isinstance(renderer, Path):
        return RenderError(f"{renderer_name(renderer)} returned {wrote}")
    return RenderError(
        f"{renderer} exited without an error but wrote {wrote}: it is not a working Graphviz dot "
        f"program. Point {RENDERER_VARIABLE} at a real one (or unset it to use a system dot or "
        "graphviz-pure)."
    )


def _failure_message(renderer: Path, image_format: str, error: Any) -> str:
    stderr = error.stderr.decode(errors="replace") if isinstance(error.stderr, bytes) else error.stderr
    return (
        f"{renderer} could not write {image_format} ({(stderr or '').strip()}); graphviz-pure writes SVG, "
        "PNG and JPEG, a system Graphviz also PDF"
    )


def render_image(graph: Any, format: str) -> bytes:  # noqa: A002 (graphviz's keyword)
    """The image of a drawn graph (any ``graphviz`` graph) in ``format`` (``"svg"``, ``"png"``, ...).

    Raises ``RendererNotFoundError`` without a renderer, ``RenderError`` when the renderer fails or
    gives no image.
    """
    graphviz = graphviz_package()
    if not isinstance(graph, (graphviz.Graph, graphviz.Digraph)):
        raise TypeError(
            f"render_image: expected a drawn graph (from draw_graph, or any graphviz graph), "
            f"got {type(graph).__name__}"
        )
    with renderer_in_use() as renderer:
        if not isinstance(renderer, Path):
            output = svg_of(renderer, graph, format)
        else:
            try:
                # the plain graphviz pipe: the renderer is set already, and the output is checked below
                output = graphviz.Digraph.pipe(graph, format=format, quiet=True)
            except graphviz.CalledProcessError as error:
                raise RenderError(_failure_message(renderer, format, error)) from error
    checked: bytes = checked_output(renderer, format, output)
    return checked


def scrolling_html(svg: str) -> str:
    """An SVG image as HTML that keeps its own size: in a column narrower than the picture (a
    notebook's) it scrolls instead of shrinking, so its text stays the size it was drawn at.

    >>> scrolling_html('<?xml version="1.0"?><svg width="900pt"></svg>')
    '<div style="overflow:auto;max-width:100%"><svg style="max-width:none" width="900pt"></svg></div>'
    """
    body = svg[svg.find("<svg") :].replace("<svg", '<svg style="max-width:none"', 1)
    return f'<div style="overflow:auto;max-width:100%">{body}</div>'
