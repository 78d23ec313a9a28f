"""Make sure ``import autograd`` found chainrule's engine, not another package of the same name.

The PyPI package ``autograd`` (HIPS autograd) uses the same import name. When it is installed in the
environment that runs ``nn`` it can win the import, and ``nn`` would then fail later with a puzzling
``cannot import name 'Value'``. This check fails first, with the cause and the fix.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

# Every name nn uses from the engine (tests/test_layers.py checks this list against nn's imports and
# its uses of autograd.<name>); HIPS autograd has none of them.
REQUIRED_NAMES = (
    "Program",
    "TracingError",
    "Value",
    "divide",
    "dot",
    "exp",
    "gradients",
    "linear",
    "log",
    "maximum",
    "minimum",
    "no_grad",
    "relu",
    "sigmoid",
    "softplus",
    "sum",
    "tanh",
    "topological_order",
    "trace",
)

_FIX = """\
Two packages install a module named 'autograd': chainrule (this package: 'autograd' is its engine
and 'nn' its networks) and HIPS autograd ('pip install autograd'). One Python environment can hold
only one of them: the one installed last overwrites the other's files. To fix it, either
  - give chainrule an environment of its own: python -m venv .venv, then install chainrule there
    (.venv/bin/pip install chainrule, or the wheel or folder you install it from; in a clone of
    chainrule's repository, scripts/test and scripts/demo make and use .venv for you);
  - or, if this environment does not need HIPS autograd: pip uninstall autograd, then
    pip install --force-reinstall chainrule (the uninstall removes the files the two share)."""

_REINSTALL = (
    "reinstall chainrule (pip install --force-reinstall chainrule, or the wheel or folder you install "
    "it from; in a clone of chainrule's repository, scripts/test and scripts/demo set up .venv)"
)


def problem_with(engine: ModuleType, nn_folder: Path) -> str | None:
    """Why ``engine`` is not chainrule's engine for the ``nn`` package in ``nn_folder``, or None.

    chainrule installs ``autograd`` and ``nn`` side by side, so the engine's package folder must sit
    next to ``nn``'s and provide the names ``nn`` uses.

    >>> import autograd
    >>> problem_with(autograd, Path(__file__).resolve().parent) is None
    True
    """
    engine_file = getattr(engine, "__file__", None)
    if engine_file is None:
        return "the module 'autograd' that was imported has no file (it is not chainrule's engine)"
    engine_folder = Path(engine_file).resolve().parent
    if engine_folder.parent != nn_folder.parent:
        return f"'autograd' was imported from {engine_folder}, not from next to nn ({nn_folder.parent})"
    missing = [name for name in REQUIRED_NAMES if not hasattr(engine, name)]
    if missing:
        return f"the module 'autograd' at {engine_folder} lacks {', '.join(missing)}"
    return None


def check_engine() -> None:
    """Raise ``ImportError`` explaining the fix unless ``autograd`` is chainrule's engine.

    ``import nn`` runs it first thing; with the right engine it does nothing:

    >>> check_engine()
    """
    try:
        import autograd
    except ImportError as error:
        raise ImportError(
            "nn needs chainrule's engine, the package 'autograd' installed with it, and it cannot be "
            f"imported ({error}): {_REINSTALL}"
        ) from error
    problem = problem_with(autograd, Path(__file__).resolve().parent)
    if problem is not None:
        raise ImportError(f"nn cannot use this 'autograd': {problem}.\n{_FIX}")
