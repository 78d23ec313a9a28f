"""Every public function, class and method has a docstring with a runnable example (the doctests
run them), so that help() and the API site show how to call it; and every docstring reads as
reStructuredText the way it reads as text (the API site renders them)."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

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


ROOT = Path(__file__).resolve().parent.parent
INLINE_LITERAL = re.compile(r"``(.+?)``", re.DOTALL)


def glued_literals(text: str) -> list[str]:
    """Inline literals followed by a letter or digit (``Group``s): reST does not end a literal
    there, so it reads on to the next pair of backquotes and garbles the rest of the line."""
    return [
        text[match.start() : match.end() + 1]
        for match in INLINE_LITERAL.finditer(text)
        if match.end() < len(text) and text[match.end()].isalnum()
    ]


def test_glued_literals_are_found() -> None:
    assert glued_literals("as ``Group``s (see ``x``)") == ["``Group``s"]
    assert glued_literals("``data``/``grads`` and ``a``.") == []


@pytest.mark.parametrize("package", ["autograd", "nn"])
def test_no_inline_literal_is_glued_to_a_word(package: str) -> None:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                text = ast.get_docstring(node, clean=False) or ""
                found += [f"{path.relative_to(ROOT)}: {glued}" for glued in glued_literals(text)]
    assert found == [], "write ``Group`` objects, not ``Group``s:\n" + "\n".join(found)
