"""The public names of chainrule, by the paths users import them from: what the API site documents
(tests/test_docs_site.py) and what must have a docstring with an example (tests/test_docstrings.py).
"""

from __future__ import annotations

import inspect

import autograd
import autograd.draw
import autograd.tracing
import nn


def public_objects() -> list[tuple[str, object]]:
    """Every public name: the ``__all__`` of ``autograd``, ``autograd.draw``, ``autograd.tracing``
    and ``nn``, and ``autograd.sum`` and ``autograd.abs`` (public, kept out of ``__all__``). What
    ``autograd`` takes from ``autograd.tracing`` (``trace``, ``Program``) is named as the latter's,
    as the site documents it: one source module, one documented module, so that the site's links
    between the documentation and the source agree."""
    tracing = [
        (f"autograd.tracing.{name}", getattr(autograd.tracing, name)) for name in autograd.tracing.__all__
    ]
    also_in_tracing = {id(value) for _, value in tracing}  # autograd.trace is documented as tracing's
    found = [(f"autograd.{name}", getattr(autograd, name)) for name in autograd.__all__]
    found = [(path, value) for path, value in found if id(value) not in also_in_tracing]
    found += [("autograd.sum", autograd.sum), ("autograd.abs", autograd.abs)]
    found += [(f"autograd.draw.{name}", getattr(autograd.draw, name)) for name in autograd.draw.__all__]
    found += tracing
    found += [(f"nn.{name}", getattr(nn, name)) for name in nn.__all__]
    return found


def public_attributes(owner: type) -> list[str]:
    """The public attributes a class defines, with those of its undocumented bases (``Value``'s
    ``Node``), the names of its public bases left out."""
    public_bases = {value for _, value in public_objects() if inspect.isclass(value)} - {owner}
    names: set[str] = set()
    for cls in owner.__mro__:
        if cls in public_bases or cls.__module__.split(".")[0] not in ("autograd", "nn"):
            continue
        names.update(name for name in vars(cls) if not name.startswith("_"))
    return sorted(names)


def public_classes() -> list[tuple[str, type]]:
    """The public classes that are not exceptions, by path."""
    return [
        (path, value)
        for path, value in public_objects()
        if inspect.isclass(value) and not issubclass(value, BaseException)
    ]
