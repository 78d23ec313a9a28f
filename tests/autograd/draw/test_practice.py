"""Practice mode's answers and hints on the Python side (autograd.draw.practice): the hint is the
primitive's own rule text, and the local derivative from the shown numbers is the rule's own."""

from __future__ import annotations

import pytest

import autograd
from autograd import Value
from autograd.draw.practice import locals_from_shown, new_from_shown, rule_hint, rule_text

x, y = Value(0.7, label="x"), Value(-1.3, label="y")
EVERY_KIND = [
    x + y,
    x + 2.0,
    x * y,
    x * 2.0,
    x / y,
    x / 2.0,
    2.0 / x,
    x**2,
    x ** y.abs(),
    x.exp(),
    x.log(),
    x.sqrt(),
    x.tanh(),
    x.sigmoid(),
    x.softplus(),
    x.relu(),
    x.abs(),
    x.sin(),
    x.cos(),
    autograd.linear([x, y], [y, x], x),
    autograd.sum([x, y, x]),
    autograd.maximum(x, y),
    autograd.minimum(x, y),
]


@pytest.mark.parametrize("node", EVERY_KIND, ids=[node.op for node in EVERY_KIND])
def test_every_primitive_has_a_rule_text_and_gives_the_locals_from_numbers(node: Value) -> None:
    text = rule_text(node)
    assert text is not None and text.startswith("d") and "\n" not in text
    primitive = node.primitive
    assert primitive is not None
    constant = repr(node.constant) if primitive.takes_constant else None
    exact = locals_from_shown(node, repr(node.data), [repr(p.data) for p in node.parents], constant)
    assert exact == [float(local) for local in node.local_grads]


def test_the_hint_names_the_rules_arguments_with_this_nodes_numbers() -> None:
    product = x * y
    assert rule_hint(product, "v1 = -0.91", ["x = 0.7", "y = -1.3"], None) == (
        "d(a * b)/da = b, d(a * b)/db = a. Here a is x = 0.7, b is y = -1.3, and the output is v1 = -0.91."
    )
    scaled = x * 2.0
    assert rule_hint(scaled, "v2 = 1.4", ["x = 0.7"], "2") == (
        "d(x * c)/dx = c. Here x is x = 0.7, c = 2, and the output is v2 = 1.4."
    )
    many = autograd.sum([x, y, x])  # a rule of many terms: the inputs are listed
    assert rule_hint(many, "v3 = 0.1", ["x = 0.7", "y = -1.3", "x = 0.7"], None).endswith(
        "Here the inputs are x = 0.7, y = -1.3, x = 0.7, and the output is v3 = 0.1."
    )


def test_numbers_that_are_not_numbers_give_no_value_from_the_shown_digits() -> None:
    assert locals_from_shown(x.tanh(), "~0.6", ["0.7"], None) is None
    assert new_from_shown("0", "0.5", "~1") is None
    assert new_from_shown("1", "0.5", "-2") == 0.0
