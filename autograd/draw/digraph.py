"""``ComputationGraph``: the ``graphviz.Digraph`` that chainrule's drawings are, rendered with the
``dot`` program that ``autograd.draw.render`` finds. This is the one drawing module that imports
graphviz when it is imported; the others import it when they draw."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from autograd.draw.render import (
    RenderError,
    checked_output,
    graphviz_package,
    not_a_renderer,
    renderer_in_use,
    renderer_name,
    scrolling_html,
    svg_of,
)

graphviz_package()  # without graphviz: a ModuleNotFoundError that says how to install it
import graphviz  # type: ignore[import-untyped]  # noqa: E402

_NODE = re.compile(r'(\w+|"(?:[^"\\]|\\.)*") \[')  # a node statement: its name, then its attributes
_DEFAULTS = ("graph [", "node [", "edge [")  # statements of every node's or edge's attributes


class ComputationGraph(graphviz.Digraph):  # type: ignore[misc]
    """A ``graphviz.Digraph`` that renders (``pipe``, ``render``, ``view``, Jupyter's inline display)
    with the program ``find_renderer`` finds, and checks that it wrote an image; every other
    graphviz use in the process is unchanged.

    In Jupyter it shows as SVG and as HTML that scrolls a picture wider than the notebook instead of
    shrinking its text (front-ends fit a plain SVG image to the column).

    >>> from autograd import Value
    >>> from autograd.draw import draw_graph
    >>> graph = draw_graph(Value(2.0, label="x") * 3)
    >>> type(graph).__name__, graph.pipe(format="svg").startswith(b"<?xml")
    ('ComputationGraph', True)
    """

    def __repr__(self) -> str:
        # graphviz's own is object's (<... object at 0x...>); Jupyter shows this one only when it
        # cannot show the picture.
        statements = [line.strip() for line in self.body]
        edges = sum(" -> " in line for line in statements)
        nodes = sum(bool(_NODE.match(line)) and not line.startswith(_DEFAULTS) for line in statements)
        return f"<ComputationGraph {self.name!r}: {nodes} nodes, {edges} edges; its DOT text is .source>"

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        wanted = set(include) if include is not None else {"image/svg+xml", "text/html"}
        wanted -= set(exclude or ())
        bundle: dict[str, Any] = super()._repr_mimebundle_(wanted - {"text/html"}, None, **kwargs)
        if "text/html" in wanted:
            svg = bundle.get("image/svg+xml") or self.pipe(format="svg", encoding="utf-8")
            bundle["text/html"] = scrolling_html(svg)
        return bundle

    def pipe(self, format: str | None = None, *args: Any, **kwargs: Any) -> Any:  # noqa: A002 (graphviz's)
        """The picture as bytes (or text, given ``encoding``): ``graphviz.Digraph.pipe``'s arguments.

        >>> from autograd import Value
        >>> from autograd.draw import draw_graph
        >>> svg = draw_graph(Value(2.0, label="x")).pipe(format="svg", encoding="utf-8")
        >>> svg.startswith("<?xml")
        True
        """
        with renderer_in_use() as renderer:
            if isinstance(renderer, Path):
                output = super().pipe(format, *args, **kwargs)
            else:
                output = svg_of(renderer, self, format or self.format)
                if kwargs.get("encoding") is not None:
                    output = output.decode(kwargs["encoding"])
        return checked_output(renderer, format or self.format, output)

    def render(self, *args: Any, **kwargs: Any) -> Any:
        """Write the picture to a file and return its path: ``graphviz.Digraph.render``'s arguments.

        >>> from autograd import Value
        >>> from autograd.draw import draw_graph
        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     written = draw_graph(Value(2.0, label="x")).render("x", directory=folder, format="svg")
        ...     print(os.path.basename(written))
        x.svg
        """
        with renderer_in_use() as renderer:
            if not isinstance(renderer, Path):
                raise RenderError(
                    f"render() runs a dot program, and the renderer is {renderer_name(renderer)}: "
                    "write the picture with save_graph(root, 'graph.svg'), or take its text with "
                    "pipe(format='svg')"
                )
            written = super().render(*args, **kwargs)
        if not Path(written).is_file() or Path(written).stat().st_size == 0:
            raise not_a_renderer(renderer, f"nothing to {written}")
        return written
