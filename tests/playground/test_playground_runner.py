"""The Python half of the playground (docs/playground/chainrule_playground.py), run in CPython: what it
steps through, and how it reports a learner's error. The page runs the same module in Pyodide."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from chainrule_playground import TRACEBACK_LINES, NothingToShowError, final_value, run, traceback_tail

from autograd import Value

pytest.importorskip("graphviz")
from autograd.draw import StepThrough, step_through

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "docs" / "playground" / "examples").glob("*.py"))


def test_there_are_the_four_starting_examples() -> None:
    assert [path.stem for path in EXAMPLES] == ["1_neuron", "2_reuse", "3_mlp", "4_second_derivative"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_each_example_runs_and_gives_a_step_through(path: Path) -> None:
    result = run(path.read_text(encoding="utf-8"))
    assert result["error"] is None
    assert result["html"].startswith("<!-- chainrule's step-through page")
    assert result["frames"] > 5 and result["title"].startswith("backward step")


def test_the_examples_show_what_they_say() -> None:
    neuron = run(EXAMPLES[0].read_text(encoding="utf-8"))
    # forward: the empty frame, the four leaves the products use, 2 products, their sum, b, the sum
    # with b, tanh; backward: the seed and 5 steps
    assert neuron["frames"] == 8 + 6
    reuse = step_through(final_value(EXAMPLES[1].read_text(encoding="utf-8")))
    assert reuse.update_lines(2) == ["a.grad: 0 + 1 × 2 = 2", "a.grad: 2 + 1 × 2 = 4"]  # dc/da = 4
    mlp = run(EXAMPLES[2].read_text(encoding="utf-8"))
    assert "layer 2, neuron 1" in mlp["html"] and mlp["output"].startswith("prediction ")
    second = run(EXAMPLES[3].read_text(encoding="utf-8"))
    dy_dx, d2y_dx2 = (float(line.split("=")[1]) for line in second["output"].splitlines())
    assert dy_dx == pytest.approx(0.855341023742973, rel=1e-14)  # tanh x + x (1 - tanh^2 x) at 0.5
    assert d2y_dx2 == pytest.approx(1.209464475240061, rel=1e-14)  # 2 (1 - tanh^2 x)(1 - x tanh x)


def test_the_final_value_is_the_last_expression_or_the_named_variable() -> None:
    source = "from autograd import Value\nx = Value(2.0)\ny = x * x\ny + 1"
    assert final_value(source).data == 5.0
    assert final_value(source, "y").data == 4.0
    steps = final_value("from autograd import Value\nfrom autograd.draw import step_through\n"
                        "step_through(Value(2.0) * 3)")  # fmt: skip
    assert isinstance(steps, StepThrough)  # the code's own step-through, with its options
    assert run("from autograd import Value\ny = Value(2.0) * 3", "y")["frames"] == 5  # 2 values, 1 step


@pytest.mark.parametrize(
    ("source", "name", "message"),
    [
        ("x = 1", "", "the code's last line is not an expression: end it with the Value"),
        ("x = 1", "z", "your code defines no variable 'z'"),
        ("x = 1", "x y", "'x y' is not a variable name"),
        ("x = 1\nx", "", "the code's last expression is int 1, not a Value"),
        ("x = 1.5", "x", "'x' is float 1.5, not a Value"),
    ],
)
def test_without_a_value_to_show_it_says_what_to_do(source: str, name: str, message: str) -> None:
    result = run(source, name)
    assert result["html"] is None
    assert result["error"].startswith("chainrule_playground.NothingToShowError: ")
    assert message in result["error"]


def test_an_exception_shows_the_learners_lines_not_the_runners() -> None:
    source = "from autograd import Value\nx = Value(1.0)\n\ndef f(v):\n    return v + 'a'\n\nf(x)"
    error = run(source)["error"]
    assert error.startswith("Traceback (most recent call last):")
    assert 'File "<playground>", line 7, in <module>\n    f(x)' in error
    assert "File \"<playground>\", line 5, in f\n    return v + 'a'" in error
    assert "chainrule_playground.py" not in error
    assert error.splitlines()[-1].startswith("TypeError: ") and "str" in error.splitlines()[-1]


def test_a_syntax_error_points_at_the_line() -> None:
    error = run("x = 1\ny = (x +\n")["error"]
    assert 'File "<playground>", line 2' in error and "SyntaxError" in error


def test_a_long_traceback_keeps_its_last_lines() -> None:
    # twelve functions, each calling the next: a traceback of over 30 lines
    calls = "".join(f"def f{k}():\n    return f{k + 1}()\n" for k in range(12))
    error = run(calls + "def f12():\n    raise ValueError('deep')\nf0()")["error"]
    lines = error.splitlines()
    assert lines[0] == "..." and len(lines) == TRACEBACK_LINES + 1
    assert lines[-3:] == [
        '  File "<playground>", line 26, in f12',
        "    raise ValueError('deep')",
        "ValueError: deep",
    ]


def test_printed_output_and_exit_are_the_pages_too() -> None:
    result = run("print('hello')\nimport sys\nsys.exit(3)")
    assert result["output"] == "hello\n"
    lines = result["error"].splitlines()
    assert lines[-1] == "SystemExit: 3"
    assert "    sys.exit(3)" in lines[-3:-1]  # Python 3.13 (Pyodide's) marks the call under it: ~~~~~~~~^^^


def test_a_tail_of_an_error_raised_outside_any_frame() -> None:
    assert traceback_tail(NothingToShowError("nothing")) == "chainrule_playground.NothingToShowError: nothing"
    assert re.fullmatch(r"ValueError: bad", traceback_tail(ValueError("bad")))


def test_the_value_class_is_the_engines() -> None:
    assert final_value("from autograd import Value\nValue(1.0)").__class__ is Value
