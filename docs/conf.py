"""Sphinx settings of chainrule's API site: ``scripts/docs`` builds it into ``docs/_build/html/``.

The pages are Markdown read by MyST. The API pages document every public name through its public
import path (``autograd.Value``, ``autograd.draw.draw_graph``, ``nn.MLP``) with autodoc, from the
docstrings; the guide pages include their sections of README.md (between ``<!-- site: ... -->``
markers), so the README stays the one source. The notebooks are shown by myst-nb with the outputs
they were committed with: nothing is executed. The site works offline, from ``file://`` too: the
theme, the search and MathJax are files of the site.

Before the build reads anything, this file stages what the site needs from elsewhere in the
repository (both are git-ignored and rewritten at every build):

- ``docs/notebooks/``: a copy of ``notebooks/*.ipynb`` and ``notebooks/solutions/*.ipynb``, where the
  README's links to the notebooks lead when the README is included from ``docs/``;
- ``docs/_generated/``: MathJax, and an example step-through page made now by ``step_through``.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from sphinx.errors import PycodeError
from sphinx.pycode import ModuleAnalyzer

import autograd

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
GENERATED = DOCS / "_generated"
STAGED_NOTEBOOKS = DOCS / "notebooks"

project = "chainrule"
author = "the chainrule authors"
copyright = "the chainrule authors (MIT licence)"  # noqa: A001 (the name Sphinx reads)
release = version = autograd.__version__

extensions = ["sphinx.ext.autodoc", "sphinx.ext.autosummary", "sphinx.ext.viewcode", "myst_nb"]
exclude_patterns = ["_build", "_generated", "**/.ipynb_checkpoints", "screenshot.py", "playground"]

# ----- Markdown and notebooks ----------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 4  # the README's "#### Exercises and solutions" can be linked to as well
nb_execution_mode = "off"  # the committed outputs are what the site shows
nb_merge_streams = True

# ----- the API pages -------------------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_preserve_defaults = True  # show `lr=0.01`, `max_nodes=300` as written, not as reprs
autodoc_typehints = "signature"
autodoc_default_options = {"members": True}  # "Bases:" only where a page asks (:show-inheritance:)
add_module_names = True  # `autograd.grad` and `nn.grad`-like names stay told apart

# ----- HTML ------------------------------------------------------------------------------------------
html_theme = "furo"
html_title = f"chainrule {release}"
html_static_path = ["_generated/static"]
html_extra_path = ["_generated/extra"]
html_copy_source = False  # no _sources/: the repository is the source
html_theme_options = {"navigation_with_keys": True}
# Search results list the pages without a snippet of each: the snippets are fetched from the pages,
# which a browser refuses for a site opened from file:// (an error on the console per result).
html_show_search_summary = False
# MathJax from the site itself (es5/tex-svg-full.js: every TeX extension built in, and SVG output
# needs no web fonts, which browsers refuse to load from file://)
mathjax_path = "mathjax/tex-svg-full.js"


def _stage_notebooks() -> None:
    """Copy the committed notebooks (and their solutions) where the README's links point."""
    shutil.rmtree(STAGED_NOTEBOOKS, ignore_errors=True)
    for folder in ("", "solutions"):
        target = STAGED_NOTEBOOKS / folder
        target.mkdir(parents=True, exist_ok=True)
        for notebook in sorted((ROOT / "notebooks" / folder).glob("*.ipynb")):
            if folder == "solutions":
                _stage_solutions(notebook, target / notebook.name)
            else:
                shutil.copy2(notebook, target / notebook.name)  # with its time: unchanged, not reread


def _stage_solutions(notebook: Path, target: Path) -> None:
    """A solutions notebook, titled "Solutions: ..." so that the menu and the search results tell it
    from the notebook of the same name (the title is the first line of the first cell)."""
    content = json.loads(notebook.read_text(encoding="utf-8"))
    source = content["cells"][0]["source"]
    lines = source if isinstance(source, list) else source.splitlines(keepends=True)
    if lines and lines[0].startswith("# "):
        lines[0] = "# Solutions: " + lines[0][2:]
    content["cells"][0]["source"] = lines
    target.write_text(json.dumps(content), encoding="utf-8")
    shutil.copystat(notebook, target)  # the source's time: unchanged ones are not reread


def _stage_mathjax() -> None:
    """The one MathJax file the site loads, from the django-static-mathjax wheel (docs group)."""
    spec = importlib.util.find_spec("mathjax")
    if spec is None or spec.origin is None:
        raise RuntimeError("MathJax's files are missing: install the docs group (scripts/docs does)")
    source = Path(spec.origin).parent / "static" / "mathjax" / "es5" / "tex-svg-full.js"
    target = GENERATED / "static" / "mathjax"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target / source.name)


def _stage_step_through() -> None:
    """An example step-through page, made now with this checkout's engine (``step_through.md``)."""
    from autograd import Value
    from autograd.draw import step_through

    x, w, b = Value(2.0, label="x"), Value(-0.5, label="w"), Value(0.1, label="b")
    y = (w * x + b).tanh()
    y.label = "y"
    target = GENERATED / "extra" / "step_through_neuron.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    step_through(y, inputs=[x], parameters=[w, b]).save(target)


def _attribute_docstring(name: str, value: object) -> list[str] | None:
    """The docstring written under a constant's assignment (``ROLE_COLORS = {...}`` then a string),
    found in whichever of the package's modules assigns it: autodoc looks only in the module of the
    public path (``autograd.draw``), which merely imports it, and would show ``dict``'s docstring."""
    package = name.split(".")[0]
    attribute = name.rsplit(".", 1)[1]
    for module_name, module in sorted(sys.modules.items()):
        if module_name.split(".")[0] != package or getattr(module, attribute, None) is not value:
            continue
        try:
            docs = ModuleAnalyzer.for_module(module_name).find_attr_docs()
        except PycodeError:
            continue
        if ("", attribute) in docs:
            return list(docs["", attribute])
    return None


def _fill_docstrings(app: Any, what: str, name: str, obj: object, options: Any, lines: list[str]) -> None:
    """Docstrings autodoc misses: a constant's (see above), and a slot's that a class inherits
    (``Value.data`` is ``Node``'s slot, documented where ``Node`` declares its ``__slots__``)."""
    if what == "data":
        found = _attribute_docstring(name, obj)
        if found is not None:
            lines[:] = found
    elif what == "attribute" and not lines and type(obj).__name__ == "member_descriptor":
        text = inspect.getdoc(obj)  # read from the owner's __slots__ dict, as help() does
        if text:
            lines[:] = [*text.splitlines(), ""]


# Classes whose objects a function makes: their constructors' arguments are internal, so the pages
# show no signature for them (their docstrings name the function).
MADE_BY_FUNCTIONS = {"autograd.tracing.Program", "autograd.draw.StepThrough"}  # by trace and step_through


def _hide_internal_constructors(
    app: Any, what: str, name: str, obj: object, options: Any, signature: str | None, annotation: str | None
) -> tuple[str, str | None] | None:
    return ("", annotation) if what == "class" and name in MADE_BY_FUNCTIONS else None


def _skip_tensor_habits(app: Any, what: str, name: str, obj: object, skip: bool, options: Any) -> bool | None:
    """The tensor attributes a Value lacks (``autograd/tensor_habits.py``) are no entries of the
    site: value.md says in one sentence what using one does."""
    return True if type(obj).__name__ == "TensorHabit" else None


def setup(app: Any) -> None:
    app.connect("autodoc-process-docstring", _fill_docstrings)
    app.connect("autodoc-skip-member", _skip_tensor_habits)
    app.connect("autodoc-process-signature", _hide_internal_constructors)


_stage_notebooks()
_stage_mathjax()
_stage_step_through()
