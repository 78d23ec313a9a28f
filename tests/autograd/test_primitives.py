"""The table of primitives: each defined once, and every list of operations made from it or checked
against it (the methods, the public functions, what a traced program calls and imports, the numpy
versions a batch calls)."""

from __future__ import annotations

import doctest
import inspect
import math
import pickle

import pytest

import autograd
from autograd import Value, arithmetic, elementary, operations
from autograd.primitive import Primitive, every_primitive, primitive_named
from autograd.tracing.expression import NUMPY, SCALAR, functions_for, imports_for, names_in_code

PRIMITIVES = every_primitive()
# the primitives of one input that have a method and a function of their own: the elementary ones
ELEMENTARY = [p for p in PRIMITIVES if p.doc is not None]


def test_each_primitive_is_defined_once_under_its_own_key() -> None:
    keys = [p.key for p in PRIMITIVES]
    assert len(keys) == len(set(keys)) == 25
    calls = [p.calls for p in PRIMITIVES if p.calls is not None]
    assert len(calls) == len(set(calls))
    assert [p.key for p in ELEMENTARY] == [
        "exp",
        "log",
        "sqrt",
        "tanh",
        "sigmoid",
        "softplus",
        "relu",
        "abs",
        "sin",
        "cos",
    ]
    for p in PRIMITIVES:
        assert primitive_named(p.key) is p and pickle.loads(pickle.dumps(p)) is p


def test_a_key_of_an_earlier_version_names_the_same_primitive() -> None:
    assert primitive_named("Value.TANH") is elementary.TANH
    assert primitive_named("Value.ADD_CONSTANT") is arithmetic.ADD_CONSTANT
    assert primitive_named("operations.SUM") is operations.SUM


def test_a_second_definition_is_refused() -> None:
    with pytest.raises(ValueError, match="the key 'tanh' or the function 'tanh' is taken"):
        Primitive("tanh", math.tanh, lambda out, x: 1.0, on_arrays=lambda np, x: np.tanh(x))
    with pytest.raises(ValueError, match="needs on_arrays"):
        Primitive("atan", math.atan, lambda out, x: 1.0)
    assert [p.key for p in every_primitive()] == [p.key for p in PRIMITIVES]


def test_value_has_no_primitive_among_its_attributes() -> None:
    assert [name for name in dir(Value) if name.isupper()] == []


@pytest.mark.parametrize("primitive", ELEMENTARY, ids=lambda p: p.name)
def test_each_elementary_function_has_its_method_and_public_function(primitive: Primitive) -> None:
    method = getattr(Value, primitive.name)
    assert method.__name__ == primitive.name and inspect.getdoc(method) == primitive.doc
    x = Value(0.5)
    y = method(x)
    assert y.primitive is primitive and y.data == primitive.forward(0.5)
    name = "absolute" if primitive.name == "abs" else primitive.name
    function = getattr(autograd, name)
    assert name in autograd.__all__ and getattr(elementary, name) is function
    assert function(0.5) == primitive.forward(0.5) and function(Value(0.5)).primitive is primitive
    with pytest.raises(TypeError, match=f"{name}: got str"):
        function("0.5")


@pytest.mark.parametrize("primitive", ELEMENTARY, ids=lambda p: p.name)
def test_the_examples_of_the_derived_functions_run(primitive: Primitive) -> None:
    name = "absolute" if primitive.name == "abs" else primitive.name
    function = getattr(autograd, name)
    assert ">>>" in function.__doc__
    for example in (function, getattr(Value, primitive.name)):
        tests = doctest.DocTestFinder().find(example, name, globs={"Value": Value})
        results = [doctest.DocTestRunner().run(test) for test in tests]
        assert results and all(r.failed == 0 and r.attempted > 0 for r in results), example


def test_the_public_face_exports_every_function_of_the_table() -> None:
    # autograd/__init__.py's imports and __all__ are written by hand: they name every public
    # function of the modules that define primitives, and each function a program's code calls
    defined = {
        name
        for module in (elementary, arithmetic, operations)
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and value.__module__ in (module.__name__, "autograd")
        and not name.startswith("_")
        and not name.endswith("_rule")
    }
    assert defined == {
        "exp",
        "log",
        "sqrt",
        "tanh",
        "sigmoid",
        "softplus",
        "relu",
        "absolute",
        "sin",
        "cos",
        "divide",
        "power",
        "linear",
        "dot",
        "sum",
        "maximum",
        "minimum",
    }
    for name in defined:
        assert getattr(autograd, name) is getattr(
            next(m for m in (elementary, arithmetic, operations) if name in vars(m)), name
        )
    assert defined - {"sum"} <= set(autograd.__all__)  # sum stays out, as the builtin's namesake
    for primitive in PRIMITIVES:
        if primitive.calls is not None:
            assert primitive.calls in autograd.__all__, primitive


def test_a_program_calls_the_functions_of_the_table() -> None:
    calls = {p.calls for p in PRIMITIVES if p.calls is not None}
    elementary_calls = {"exp", "log", "sqrt", "tanh", "sigmoid", "softplus", "relu", "sin", "cos"}
    assert calls == elementary_calls | {"divide", "power", "maximum", "minimum"}
    assert names_in_code() == calls | {"abs", "add_in_order", "where", "inf", "nan"}
    scalar = functions_for(SCALAR)
    assert all(scalar[p.calls] is p.forward for p in PRIMITIVES if p.calls is not None)
    np = pytest.importorskip("numpy")
    arrays = functions_for(NUMPY)
    for name in names_in_code() - {"abs"}:  # every other name the code uses is given to it
        assert name in arrays and (name in scalar or name == "where"), name
    for p in PRIMITIVES:
        if p.calls is not None:
            points = [-2.0, -0.0, 0.5, 3.0, math.inf, math.nan]
            operands = [np.array(points)] * (2 if p.calls in ("divide", "power", "maximum", "minimum") else 1)
            with np.errstate(all="ignore"):
                got = arrays[p.calls](*operands)
            expected = [p.forward(*[x] * len(operands)) for x in points]
            assert np.allclose(got, expected, rtol=1e-15, equal_nan=True), p
    imports = imports_for({"tanh", "abs", "sum", "inf", "v1"})
    assert imports == ["from math import inf", "from autograd import tanh"]


def test_the_rule_text_is_the_first_line_of_the_rule() -> None:
    assert elementary.TANH.rule_text == "d tanh(x)/dx = 1 - tanh(x)**2, in terms of the output."
    assert all(p.rule_text.startswith("d") for p in PRIMITIVES)
