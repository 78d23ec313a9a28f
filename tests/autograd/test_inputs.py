"""Inputs: real numbers (numpy's included) are accepted; anything else is a TypeError that names
the offending type and the operation. Also repr and float()."""

import fractions
import math
import re
from decimal import Decimal

import numpy as np
import pytest

import autograd as ag
from autograd import Value

x = Value(2.0, label="x")

# (what, a call that must fail, the type's name, the operation's name as the message shows it)
BAD_INPUTS = [
    ('Value("3")', lambda: Value("3"), "str", "Value()"),
    ("Value(None)", lambda: Value(None), "NoneType", "Value()"),
    ("Value(1j)", lambda: Value(1j), "complex", "Value()"),
    ("Value(True)", lambda: Value(True), "bool", "Value()"),
    ("Value(False)", lambda: Value(False), "bool", "Value()"),
    ("Value([1])", lambda: Value([1]), "list", "Value()"),
    ("Value((1,))", lambda: Value((1.0,)), "tuple", "Value()"),
    ("Value(Decimal)", lambda: Value(Decimal("1.5")), "Decimal", "Value()"),
    ("Value(np.bool_)", lambda: Value(np.bool_(True)), "bool", "Value()"),
    ("Value(np.array)", lambda: Value(np.array([1.0, 2.0])), "ndarray", "Value()"),
    ("Value(Value)", lambda: Value(Value(1.0)), "Value", "Value()"),
    ('x + "a"', lambda: x + "a", "str", "+"),
    ('"a" + x', lambda: "a" + x, "str", "+"),
    ("x + None", lambda: x + None, "NoneType", "+"),
    ("x + True", lambda: x + True, "bool", "+"),
    ('x - "a"', lambda: x - "a", "str", "-"),
    ('"a" - x', lambda: "a" - x, "str", "- Value"),
    ('"a" * x', lambda: "a" * x, "str", "*"),
    ('x * "a"', lambda: x * "a", "str", "*"),
    ("x * [1]", lambda: x * [1], "list", "*"),
    ("x * 1j", lambda: x * 1j, "complex", "*"),
    ('x / "a"', lambda: x / "a", "str", "/"),
    ('"a" / x', lambda: "a" / x, "str", "/ Value"),
    ("None / x", lambda: None / x, "NoneType", "/ Value"),
    ('x ** "a"', lambda: x ** "a", "str", "**"),
    ("x ** None", lambda: x**None, "NoneType", "**"),
    ("x ** 1j", lambda: x**1j, "complex", "**"),
    ("1j ** x", lambda: (1j) ** x, "complex", "**"),
    ('"a" ** x', lambda: "a" ** x, "str", "**"),
    ('backward(grad="x")', lambda: (x * 1.0).backward(grad="x"), "str", "backward"),
    ("backward(grad=None)", lambda: (x * 1.0).backward(grad=None), "NoneType", "backward"),
    ("backward(grad=True)", lambda: (x * 1.0).backward(grad=True), "bool", "backward"),
    ("backward(create_graph=1)", lambda: (x * 1.0).backward(create_graph=1), "int", "backward"),
    ('x < "a"', lambda: x < "a", "str", "<"),
    ("x >= None", lambda: x >= None, "NoneType", ">="),
    ("Value(1, label=3)", lambda: Value(1.0, label=3), "int", "label"),
    ('exp("a")', lambda: ag.exp("a"), "str", "exp"),
    ("log(None)", lambda: ag.log(None), "NoneType", "log"),
    ("tanh(True)", lambda: ag.tanh(True), "bool", "tanh"),
    ("relu([1])", lambda: ag.relu([1.0]), "list", "relu"),
    ('sqrt("4")', lambda: ag.sqrt("4"), "str", "sqrt"),
    ('maximum(x, "a")', lambda: ag.maximum(x, "a"), "str", "maximum"),
    ('minimum("a", 1)', lambda: ag.minimum("a", 1.0), "str", "minimum"),
    ('power(x, "a")', lambda: ag.power(x, "a"), "str", "**"),
    ('linear(["a"], [x])', lambda: ag.linear(["a"], [x]), "str", "linear"),
    ('linear([x], ["a"])', lambda: ag.linear([x], ["a"]), "str", "linear"),
    ('linear([x], [x], "b")', lambda: ag.linear([x], [x], "b"), "str", "linear"),
    ("linear([None], [1.0])", lambda: ag.linear([None], [1.0]), "NoneType", "linear"),
    ('sum([x, "a"])', lambda: ag.sum([x, "a"]), "str", "sum"),
    ("dot([x], [None])", lambda: ag.dot([x], [None]), "NoneType", "linear"),
]


@pytest.mark.parametrize(
    "call, type_name, operation", [pytest.param(*row[1:], id=row[0]) for row in BAD_INPUTS]
)
def test_bad_input_raises_type_error_naming_type_and_operation(call, type_name, operation) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError) as error:
        call()
    message = str(error.value)
    assert re.search(rf"\b{re.escape(type_name)}\b", message), message
    assert operation in message, message


def test_bad_input_leaves_no_node_behind() -> None:
    """A failed operation must not have half-built a graph around its Value operand."""
    y = Value(1.0)
    with pytest.raises(TypeError):
        y + "a"
    (y * 3.0).backward()
    assert y.grad == 3.0


@pytest.mark.parametrize(
    "call",
    [
        lambda: ag.linear([x, x], [x]),
        lambda: ag.linear([x], [x, x, x]),
        lambda: ag.dot([1.0, 2.0], [x]),
    ],
    ids=["2 weights 1 input", "1 weight 3 inputs", "dot 2 by 1"],
)
def test_mismatched_lengths_raise_value_error(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=r"linear: \d+ weights but \d+ inputs"):
        call()


# ----- numbers that are accepted ----------------------------------------------------------


@pytest.mark.parametrize(
    "number, expected",
    [
        (np.float32(1.5), 1.5),
        (np.float64(-2.25), -2.25),
        (np.int64(3), 3.0),
        (np.int32(-7), -7.0),
        (np.float16(0.5), 0.5),
        (fractions.Fraction(1, 4), 0.25),
        (7, 7.0),
        (-0.0, -0.0),
    ],
    ids=lambda v: type(v).__name__,
)
def test_real_numbers_are_accepted_as_floats(number: object, expected: float) -> None:
    v = Value(number)  # type: ignore[arg-type]
    assert type(v.data) is float and v.data == expected
    assert math.copysign(1.0, v.data) == math.copysign(1.0, expected)
    for result, value in [
        (x + number, 2.0 + expected),
        (number + x, expected + 2.0),
        (x * number, 2.0 * expected),
        (number * x, expected * 2.0),
        (x - number, 2.0 - expected),
        (number - x, expected - 2.0),
        (x**number, 2.0**expected),
        (ag.maximum(x, number), max(2.0, expected)),
    ]:
        assert isinstance(result, Value), type(result)
        assert type(result.data) is float
        assert result.data == pytest.approx(value, rel=1e-15)


def test_numpy_scalars_on_the_left_defer_to_value() -> None:
    a = Value(3.0)
    y = np.float64(2.0) * a + np.float32(1.0) - np.int64(4) / a
    assert isinstance(y, Value)
    y.backward()
    assert y.data == pytest.approx(2.0 * 3.0 + 1.0 - 4.0 / 3.0)
    assert a.grad == pytest.approx(2.0 + 4.0 / 9.0)


def test_numpy_scalar_as_the_backward_seed() -> None:
    a = Value(3.0)
    (a * a).backward(grad=np.float32(0.5))
    assert a.grad == 3.0
    assert type(a.grad) is float


def test_comparisons_are_by_data_and_equality_by_identity() -> None:
    a, b = Value(1.0), Value(1.0)
    assert a <= b and a >= b and not a < b and not a > b
    assert a < 2 and 2 > a and a >= np.float64(1.0)
    assert a != b and a == a
    assert len({a, b}) == 2
    assert type(a < b) is bool


# ----- presentation ----------------------------------------------------------------------


def test_repr_shows_label_data_and_grad() -> None:
    a = Value(1.5, label="weight")
    text = repr(a)
    assert "weight" in text and "1.5" in text and "grad=0.0" in text
    (a * 4.0).backward()
    assert "grad=4.0" in repr(a)
    unlabelled = repr(Value(-0.25))
    assert "-0.25" in unlabelled and "grad" in unlabelled
    assert "label" not in unlabelled


def test_float_gives_the_data() -> None:
    a = Value(2.5)
    assert float(a) == 2.5 and type(float(a)) is float
    assert float(a.exp()) == math.exp(2.5)
    assert math.isnan(float(Value(-1.0).log()))


def test_truthiness_follows_the_number():
    assert not Value(0.0) and Value(2.0) and Value(math.nan) and not Value(-0.0)
    ((Value(0.0) * 2.0) * 3.0).backward()
    zero = Value(0.0)
    ((zero * 2.0) * 3.0).backward()
    assert zero.grad == 6.0
    leaf = Value(0.0)
    y = (leaf + 1.0).tanh() * 0.0 + leaf
    y.backward()
    assert leaf.grad == 1.0


def test_a_huge_integer_exponent_is_inf_like_the_rest():
    assert (Value(2.0) ** (10**5000)).data == math.inf
    assert (Value(2.0) ** (10**5000)).op == "**inf"
