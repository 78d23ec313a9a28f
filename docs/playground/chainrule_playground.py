"""The Python half of the playground: run a learner's code, then step through the value it ends with.

The page's worker (``worker.js``) imports this module inside Pyodide and calls ``run`` with the code
from the editor; the playground's tests import it in CPython and run the same code there, to check
that the browser shows the same gradients. Nothing here knows it is in a browser: the only link to
the page is ``use_graphviz``, which hands chainrule's renderer the Graphviz compiled to WebAssembly.

What is stepped through: the value of the code's last line when that line is an expression (as in
Jupyter), or the variable the page names. A ``Value`` is shown with ``step_through(value)``; a
``StepThrough`` the code made itself (``step_through(loss, groups=...)``) is shown as it is.

>>> result = run("from autograd import Value\\nx = Value(3.0, label='x')\\ny = x * x\\ny")
>>> result["error"], result["frames"]
(None, 6)
>>> print(run("x = 1 +")["error"])
  File "<playground>", line 1
    x = 1 +
           ^
SyntaxError: invalid syntax
"""

from __future__ import annotations

import ast
import contextlib
import io
import linecache
import time
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

from autograd import Value

SOURCE_NAME = "<playground>"
"""The file name the learner's code runs under: tracebacks show it as ``File "<playground>", line 3``."""

TRACEBACK_LINES = 20
"""How many lines of a traceback the page shows: the last ones, where the error is."""


class NothingToShowError(Exception):
    """The code ran but gave no ``Value`` to step through."""


def use_graphviz(dot_to_svg: Callable[[str], str]) -> None:
    """Render every drawing with ``dot_to_svg`` (DOT text in, SVG text out): in the page, Viz.js."""
    from autograd.draw import use_dot_to_svg

    use_dot_to_svg(dot_to_svg)


def run(source: str, name: str = "") -> dict[str, Any]:
    """Run ``source`` and step through its final value (or the variable ``name``), as the page shows it.

    Returns plain data for the page: ``html`` (the step-through, or None), ``title`` (what it
    steps through), ``frames``, ``output`` (what the code printed), ``error`` (the last lines of the
    traceback, or None) and ``seconds`` (how long the code and the step-through took).
    """
    started = time.perf_counter()
    printed = io.StringIO()
    result: dict[str, Any] = {"html": None, "title": None, "frames": None, "error": None}
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            value = final_value(source, name.strip())
            steps = step_through_of(value, name.strip())
        result.update(html=steps.html, title=steps.frame_titles[-1], frames=steps.frame_count)
    except BaseException as error:  # the learner's error (exit() too), shown in the page: never a blank page
        result["error"] = traceback_tail(error)
    result["output"] = printed.getvalue()
    result["seconds"] = time.perf_counter() - started
    return result


def final_value(source: str, name: str = "") -> Any:
    """Run ``source`` in a fresh namespace; return its last expression's value, or the variable ``name``.

    >>> final_value("a = 2\\nb = a * 3\\nb + 1")
    7
    >>> final_value("a = 2\\nb = a * 3", "b")
    6
    """
    lines = source.splitlines(keepends=True)
    linecache.cache[SOURCE_NAME] = (len(source), None, lines, SOURCE_NAME)  # traceback lines show the code
    tree = ast.parse(source, SOURCE_NAME)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(tree, SOURCE_NAME, "exec"), namespace)
    value = (
        None if last is None else eval(compile(ast.Expression(last.value), SOURCE_NAME, "eval"), namespace)
    )
    if name:
        if not name.isidentifier():
            raise NothingToShowError(
                f"'{name}' is not a variable name: name a variable of your code, e.g. loss"
            )
        if name not in namespace:
            raise NothingToShowError(f"your code defines no variable '{name}': name one it defines")
        return namespace[name]
    if last is None:
        raise NothingToShowError(
            "the code's last line is not an expression: end it with the Value to step through "
            "(a line that says just y), or name a variable in the box above"
        )
    return value


def step_through_of(value: Any, name: str = "") -> Any:
    """``value`` as a step-through: a ``Value``'s passes, or the ``StepThrough`` the code made."""
    from autograd.draw import StepThrough, step_through

    if isinstance(value, StepThrough):
        return value
    if isinstance(value, Value):
        return step_through(value)
    what = f"'{name}'" if name else "the code's last expression"
    raise NothingToShowError(
        f"{what} is {type(value).__name__} {value!r:.60}, not a Value: end the code with the Value "
        "to step through (or with step_through(value, ...) to choose its options)"
    )


def traceback_tail(error: BaseException) -> str:
    """The last ``TRACEBACK_LINES`` lines of ``error``'s traceback, without this module's own frames."""
    if isinstance(error, (SyntaxError, NothingToShowError)):
        lines = traceback.format_exception_only(type(error), error)
    else:
        lines = traceback.format_exception(type(error), error, _without_this_module(error.__traceback__))
    text = "".join(lines).rstrip("\n").splitlines()
    if len(text) > TRACEBACK_LINES:
        text = ["...", *text[-TRACEBACK_LINES:]]
    return "\n".join(text)


def _without_this_module(frames: TracebackType | None) -> TracebackType | None:
    """The traceback from the first frame that is not this module's (the learner's code, or chainrule)."""
    while frames is not None and frames.tb_frame.f_code.co_filename == __file__:
        frames = frames.tb_next
    return frames
