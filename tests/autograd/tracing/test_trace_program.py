"""Traced programs as code: the source reads like the hand derivation, runs on its own, cannot be
injected into by labels; tracing refuses what a program could not repeat; arguments are checked."""

from __future__ import annotations

import ast
import copy
import math
import pickle
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import autograd as ag
from autograd import TracingError, Value
from autograd.tracing.expression import NUMPY
from autograd.tracing.program import SHOWN_LINES

README = Path(__file__).resolve().parents[3] / "README.md"


def test_the_readme_prints_the_program_of_a_neuron_as_it_is() -> None:
    """The README's neuron, traced: its program reads like the hand derivation, and the README
    shows exactly what ``print(program)`` prints."""
    section = README.read_text(encoding="utf-8").split("## Backprop as code", 1)[1]
    code, printed = re.findall(r"```(?:python|text)\n(.*?)```", section, flags=re.DOTALL)[:2]
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    program = namespace["program"]
    assert program.source == printed
    assert str(program) == printed.rstrip("\n")
    assert "    g2 = 1.0 - v3 * v3  # tanh: d v3/d v2 = 1.0 - v3 * v3\n" in printed


def test_the_source_runs_on_its_own() -> None:
    w = Value(1.5, label="w")
    program = ag.trace(lambda x, y: (w * x / y).log() + ag.maximum(x, y).sqrt(), 2.0, 3.0)
    namespace: dict[str, Any] = {}
    exec(program.source, namespace)  # its imports are in it
    value, gradients, (gw,) = namespace["f"](2.0, 0.5, [1.5])
    assert (value, gradients) == program.value_and_grad(2.0, 0.5)
    assert namespace["f"](2.0, 0.0, [1.5])[0] == math.inf  # 1.5 * 2 / 0: no ZeroDivisionError
    assert "from autograd import divide, log, maximum, sqrt" in program.source


def test_plain_division_where_it_cannot_raise_and_the_ieee_helper_where_it_can() -> None:
    program = ag.trace(lambda x, y: (x / 4.0 + x / y) * x, 1.0, 1.0)
    assert "v2 = divide(x, 4.0)" in program.source  # the forward line, as the engine's primitive writes it
    assert "g_x += g2 / 4.0" in program.source  # d(x/4)/dx times g: a division by a nonzero constant
    assert "g_x += divide(g1, y)" in program.source  # by a variable: may be 0, so the IEEE helper
    assert program.value_and_grad(1.0, 0.0) == ag.value_and_grad(
        lambda x, y: (x / 4.0 + x / y) * x, argnums=(0, 1)
    )(1.0, 0.0)


NASTY_LABELS = [
    "w'); __import__('os').system('echo hacked'); ('",
    'b"""\nimport os\n"""',
    "line\nbreak\r\nand\x0cform feed\u2028separator",
    "__import__",
    "if",
    "v1",
    "g_x",
    "tanh",
    "parameters",
    "# not a comment",
    "",
    "θ",
    "w",
    "w",
]


def test_labels_cannot_inject_code() -> None:
    weights = [Value(1.0 + i, label=label) for i, label in enumerate(NASTY_LABELS)]
    hidden = (weights[0] * weights[1]).tanh()
    hidden.label = "'; raise SystemExit; '"
    program = ag.trace(lambda x: ag.sum([hidden * x, *(w * x for w in weights)]), 2.0)
    tree = ast.parse(program.source)
    allowed_calls = {
        "divide",
        "power",
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
        "maximum",
        "minimum",
        "add_in_order",
    }
    for node in ast.walk(tree):
        assert not isinstance(node, (ast.Attribute, ast.Import, ast.Lambda, ast.Subscript)), ast.dump(node)
        if isinstance(node, ast.Constant):
            assert type(node.value) is float, node.value  # no strings, nothing but numbers
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name) and node.func.id in allowed_calls
        if isinstance(node, ast.ImportFrom):
            assert node.module in ("math", "autograd", "autograd.ieee")
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert all(name.isascii() and name.isidentifier() for name in names)
    assert len(program.parameter_names) == len(set(program.parameter_names)) == len(NASTY_LABELS)
    assert "hacked" not in program.source.replace("echo_hacked", "")
    expected = ag.value_and_grad(lambda x: ag.sum([hidden * x, *(w * x for w in weights)]))(3.0)
    assert program.value_and_grad(3.0) == (expected[0], (expected[1],))


def test_names_come_from_labels_and_the_signature() -> None:
    weight = Value(2.0, label="weight")

    def loss(prediction: Value, target: Value) -> Value:
        error = prediction * weight - target
        error.label = "error"
        return error * error

    lines = ag.trace(loss, 1.0, 0.5).source.splitlines()
    assert lines[:2] == ["def loss(prediction, target, parameters):", "    [weight] = parameters"]
    assert "    error = v2 + v1             # +" in lines
    assert "    g_error += error            # *: d v4/d error = error" in lines
    assert "    g_weight = prediction * g2  # *: d v2/d weight = prediction" in lines


def test_a_huge_program_prints_a_summary() -> None:
    def chain(x: Value) -> Value:
        for _ in range(300):
            x = (x * 1.0001 + 0.5).tanh()
        return x

    program = ag.trace(chain, 0.3)
    printed = str(program).splitlines()
    assert len(program.source.splitlines()) > 1000
    assert len(printed) < SHOWN_LINES + 2
    assert any("more lines (print(program.source) shows them all)" in line for line in printed)
    assert printed[-1] == program.source.splitlines()[-1]


def test_repr_counts_the_lines() -> None:
    program = ag.trace(lambda x, y: x * y, 1.0, 2.0)
    assert repr(program) == "<Program f: 2 argument(s), 0 parameter(s), 1 forward and 2 backward lines>"


def test_numpy_code_chooses_elementwise() -> None:
    code = ag.trace(lambda x: x.relu(), 1.0).code(NUMPY)
    assert "where(x <= 0.0, 0.0, g)" not in code  # the gradient is the literal 1.0 here
    assert "g_x = where(x <= 0.0, 0.0, 1.0)" in code


# ----- what tracing refuses --------------------------------------------------------------------


@pytest.mark.parametrize(
    "f, message",
    [
        (lambda x: x if x > 0 else -x, r"comparing a traced Value \(>\).*autograd.maximum, minimum, relu"),
        (lambda x: x if x <= 1 else -x, r"comparing a traced Value \(<=\)"),
        (lambda x: x if 1.0 < x else -x, r"comparing a traced Value \(>\)"),
        (lambda x: x if x else -x, r"the truth of a traced Value.*autograd.maximum"),
        (lambda x: x * float(x), r"float\(\) of a traced Value would bake.*detach"),
        (lambda x: x * int(x), r"int\(\) of a traced Value"),
        (lambda x: x * x.item(), r"\.item\(\) of a traced Value"),
        (lambda x: x * math.exp(x), r"float\(\) of a traced Value"),
        (lambda x: (x * x).backward() or x, r"backward\(\) inside a function being traced"),
        (lambda x: ag.grad(lambda y: y * y)(x), r"grad.*inside a function being traced"),
        (lambda x: ag.gradients(x * x, [x])[0], r"gradients inside a function being traced"),
        (lambda x: ag.no_grad()(lambda: x)(), r"no_grad\(\) inside a function being traced"),
        (lambda x: ag.detect_anomaly()(lambda: x)(), r"detect_anomaly\(\) inside a function being traced"),
        (lambda x: ag.trace(lambda y: y, 1.0) and x, r"autograd.trace inside a function being traced"),
        (lambda x: ag.set_grad_enabled(False) and x, r"set_grad_enabled\(\) inside a function being traced"),
        (lambda x: x * round(x), r"round\(\) of a traced Value"),
        (lambda x: ag.set_grad_enabled(True) and x if x > 0 else x, r"comparing a traced Value"),
    ],
)
def test_tracing_refuses_what_a_program_cannot_repeat(f: Any, message: str) -> None:
    with pytest.raises(TracingError, match=message):
        ag.trace(f, 1.0)
    assert ag.is_grad_enabled() and ag.no_grad()(lambda: not ag.is_grad_enabled())()  # modes work after
    assert Value(2.0) > 1.0 and float(Value(2.5)) == 2.5 and int(Value(2.5)) == 2  # and numbers again


def test_a_traced_function_may_enable_grad() -> None:
    program = ag.trace(lambda x: ag.enable_grad()(lambda: x * x)(), 3.0)
    assert program.value_and_grad(2.0) == (4.0, (4.0,))


def test_tracing_works_inside_no_grad() -> None:
    with ag.no_grad():
        program = ag.trace(lambda x: x * x, 3.0)
    assert program.value_and_grad(2.0) == (4.0, (4.0,))


def test_a_program_pickles_and_copies_after_it_has_run() -> None:
    w = Value(0.5, label="w")
    program = ag.trace(lambda x: (w * x).tanh(), 2.0)
    expected = program.value_and_grad(3.0), program.batch([1.0, 2.0]), program(1.0)
    for copied in (pickle.loads(pickle.dumps(program)), copy.deepcopy(program), copy.copy(program)):
        assert (copied.value_and_grad(3.0), copied.batch([1.0, 2.0]), copied(1.0)) == expected
        assert copied.source == program.source
    assert program.value_and_grad(3.0) == expected[0]  # the original still runs


# ----- arguments -------------------------------------------------------------------------------


def test_calls_with_another_structure_are_refused_by_name() -> None:
    program = ag.trace(lambda xs, y: ag.sum(xs) * y, [1.0, 2.0], 3.0)
    with pytest.raises(TypeError, match=r"traced with 2 argument\(s\) \(xs, y\); got 1"):
        program([1.0, 2.0])
    with pytest.raises(ValueError, match=r"argument 0 \(xs\) was a list of 2 numbers when traced, got 3"):
        program([1.0, 2.0, 3.0], 1.0)
    with pytest.raises(TypeError, match=r"argument 1 \(y\) was a number when traced, got list of 1"):
        program.value_and_grad([1.0, 2.0], [1.0])
    with pytest.raises(TypeError, match=r"argument 0 \(xs\) was a list of 2 numbers when traced, got float"):
        program.backward(1.0, 1.0)
    with pytest.raises(TypeError, match=r"argument 1 \(y\): got str"):
        program([1.0, 2.0], "3")


def test_a_numpy_array_of_no_dimension_is_a_number() -> None:
    program = ag.trace(lambda x, ys: x * ag.sum(ys), np.array(2.0), [np.array(1.0), 2.0])
    assert program.value_and_grad(np.array(3.0), np.array([1.0, 2.0])) == (9.0, (3.0, [3.0, 3.0]))
    assert program(np.float64(3.0), (np.array(1.0), 2)) == 9.0
    batch = program.batch([1.0, 2.0], np.array([1.0, 2.0]), numpy=False)
    assert batch.values.tolist() == [3.0, 6.0] and batch.gradients[1] == [3.0, 3.0]


@pytest.mark.parametrize(
    "unordered",
    [
        {1.0, 2.0},
        {1.0: "a", 2.0: "b"},
        {1.0: 0, 2.0: 0}.keys(),
        {"a": 1.0, "b": 2.0}.values(),
        frozenset({1.0, 2.0}),
    ],
    ids=type,
)
def test_a_dict_or_a_set_is_refused_as_a_list_its_order_is_not_the_callers(unordered: Any) -> None:
    kind = type(unordered).__name__
    message = rf"argument 0 \(xs\) is {kind}, whose order is not the caller's: pass a list"
    with pytest.raises(TypeError, match=message):
        ag.trace(lambda xs: xs[0] - xs[1], unordered)
    program = ag.trace(lambda xs: xs[0] - xs[1], [1.0, 2.0])
    for run in (program, program.value_and_grad, program.backward):
        with pytest.raises(TypeError, match=message):
            run(unordered)
    for numpy in (True, False):
        with pytest.raises(TypeError, match=message.replace("(xs\\)", "(xs\\)\\[0\\]")):
            program.batch([unordered, [3.0, 4.0]], numpy=numpy)


@pytest.mark.parametrize(
    "args, error, message",
    [
        (("1.0",), TypeError, r"argument 0 \(x\) is str"),
        ((Value(1.0),), TypeError, r"argument 0 \(x\) is a Value; pass numbers"),
        (([1.0, [2.0]],), TypeError, r"argument 0 \(x\)\[1\] is list"),
        (([1.0, True],), TypeError, r"argument 0 \(x\)\[1\] is bool"),
        ((None,), TypeError, r"argument 0 \(x\) is NoneType"),
    ],
)
def test_example_arguments_are_numbers_or_flat_lists(args: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        ag.trace(lambda x: x, *args)


@pytest.mark.parametrize(
    "argnums, error, message",
    [
        (2, ValueError, r"argnums has 2, but the function was called with 2 positional argument\(s\)"),
        ("0", TypeError, r"argnums must be an int or a tuple of ints"),
        ((True,), TypeError, r"argnums must be an int or a tuple of ints"),
    ],
)
def test_argnums_is_checked(argnums: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        ag.trace(lambda x, y: x * y, 1.0, 2.0, argnums=argnums)


@pytest.mark.parametrize(
    "result, message",
    [([Value(1.0)], r"returned a list of 1; it must return one number"), ("x", r"returned str")],
)
def test_the_function_returns_one_number(result: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        ag.trace(lambda x: result, 1.0)


def test_trace_needs_a_function() -> None:
    with pytest.raises(TypeError, match="trace: expected a function, got float"):
        ag.trace(1.0, 2.0)  # type: ignore[arg-type]


def test_a_call_of_floats_alone_and_a_call_of_other_numbers_give_the_same() -> None:
    # a program of numbers called with floats alone passes them as they are (one test of their
    # types); any other number goes through the checks, and a wrong one is named as before
    np = pytest.importorskip("numpy")
    program = ag.trace(lambda x, y, *ws: ag.linear(list(ws), [x, y]), 1.0, 2.0, 3.0, 4.0, argnums=(2, 3))
    floats = program.value_and_grad(1.5, -2.0, 0.5, 3.0)
    assert floats == (1.5 * 0.5 - 2.0 * 3.0, (1.5, -2.0))
    assert program.value_and_grad(np.float64(1.5), -2, 0.5, np.array(3.0)) == floats
    with pytest.raises(TypeError, match=r"value_and_grad: argument 1 \(y\): got bool"):
        program.value_and_grad(1.5, True, 0.5, 3.0)
