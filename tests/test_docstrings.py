"""Every public function, class and method has a docstring with a runnable example (the doctests
run them), so that help() and the API site show how to call it."""

from __future__ import annotations

import inspect

import pytest
from public_api import public_attributes, public_classes, public_objects

# Examples that cannot run in the doctests: they are literal blocks (``::``) instead.
LITERAL_EXAMPLES = {"nn.MLP.from_torch": "needs PyTorch, which the tests may not have"}


def needs_example(value: object) -> bool:
    """Functions, methods and classes need an example; constants, exceptions and properties need
    only a docstring (and a class's data attributes none: its docstring describes them)."""
    if inspect.isclass(value):
        return not issubclass(value, BaseException)
    return callable(value)


def problem(path: str, value: object) -> str | None:
    text = inspect.getdoc(value) if not isinstance(value, (dict, list, tuple)) else "a constant"
    if not text or text == inspect.getdoc(type(value)):
        return f"{path}: no docstring"
    if needs_example(value) and ">>>" not in text and path not in LITERAL_EXAMPLES:
        return f"{path}: no example (>>>) in its docstring"
    return None


def test_every_public_name_has_a_docstring_with_an_example() -> None:
    problems = [problem(path, value) for path, value in public_objects()]
    assert [p for p in problems if p] == []


@pytest.mark.parametrize("path, owner", public_classes(), ids=[path for path, _ in public_classes()])
def test_every_public_method_has_a_docstring_with_an_example(path: str, owner: type) -> None:
    problems = []
    for name in public_attributes(owner):
        attribute = inspect.getattr_static(owner, name)
        if isinstance(attribute, (staticmethod, classmethod)):
            attribute = attribute.__func__
        if callable(attribute) or isinstance(attribute, property):  # data attributes: the class says
            problems.append(problem(f"{path}.{name}", attribute))
    assert [p for p in problems if p] == []
