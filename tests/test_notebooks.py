"""The committed notebooks are what a reader browsing the repository sees: check their hygiene.

Running them is nbmake's job (``--nbmake`` in pyproject.toml executes every ``notebooks/*.ipynb`` and
``notebooks/solutions/*.ipynb``: in the solutions every checker is strict, so a wrong answer fails
the run); here we check that the committed files were executed and scrubbed by ``scripts/notebooks``,
that they match their sources in ``notebooks/_source``, that the sources pass the packages' lint, and
that the exercises and their checkers do what they promise.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LEARNER_PATHS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
SOLUTION_PATHS = sorted((NOTEBOOKS / "solutions").glob("[0-9][0-9]_*.ipynb"))
PATHS = LEARNER_PATHS + SOLUTION_PATHS
SOURCES = sorted((NOTEBOOKS / "_source").glob("[0-9][0-9]_*.py"))
if (ROOT / "PKG-INFO").exists() and not PATHS:  # an unpacked sdist; a clone always has its notebooks
    pytest.skip(
        "the sdist leaves out the executed notebooks (scripts/notebooks builds them from notebooks/_source)",
        allow_module_level=True,
    )
MIN_EXERCISES = 3
VERDICT = r"^Exercise \d+\.\d+: (not yet|right|wrong)\b"  # one line per checker cell

ABSOLUTE_PATH = re.compile(r"(?<![\w.:/])(/(home|root|tmp|work|usr|var|opt|Users|private)/|[A-Za-z]:\\\\)")
ADDRESS = re.compile(r"0x[0-9a-fA-F]{4,}")
TIMING = re.compile(r"Wall time|CPU times|\d+(\.\d+)?\s*(it/s|s/it)|\bper loop\b|\d{2}:\d{2}<\d{2}:\d{2}")


def _load_builder():  # notebooks/_build.py is a script, not a package module
    spec = importlib.util.spec_from_file_location("notebook_builder", NOTEBOOKS / "_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _texts(cell: dict) -> list[str]:
    """The text a reader sees in a code cell's outputs (images other than SVG are base64 and skipped)."""
    texts = []
    for output in cell.get("outputs", []):
        text = output.get("text")
        texts.append("".join(text) if isinstance(text, list) else (text or ""))
        texts.extend(output.get("traceback", []))
        for mime, data in output.get("data", {}).items():
            if mime.startswith("text/") or mime == "image/svg+xml":
                texts.append("".join(data) if isinstance(data, list) else data)
    return texts


def _ids(paths: list[Path]) -> list[str]:
    return [f"{p.parent.name}/{p.stem}" if p.parent.name == "solutions" else p.stem for p in paths]


def _load_checking(solutions: bool):  # the checkers' helper, as the build puts it into a notebook
    namespace: dict = {}
    exec(_load_builder().checking_code(solutions), namespace)
    return namespace


def test_every_source_has_its_notebook_and_its_solutions():
    assert SOURCES, "no notebook sources found"
    assert [p.stem for p in LEARNER_PATHS] == [s.stem for s in SOURCES]
    assert [p.stem for p in SOLUTION_PATHS] == [s.stem for s in SOURCES], "every notebook has exercises"
    numbers = [p.name[:2] for p in LEARNER_PATHS]
    assert numbers == [f"{k:02d}" for k in range(1, len(numbers) + 1)], f"numbered 01, 02, ...: {numbers}"


def test_readme_lists_every_notebook_in_order():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"\]\(notebooks/(\d\d_\w+)\.ipynb\)", readme)
    assert listed == [p.stem for p in LEARNER_PATHS]


def test_notebook_sources_pass_the_packages_lint(tmp_path: Path) -> None:
    """Both editions of every notebook, as built (the checkers' helper in place, each exercise or its
    solution), pass ruff with the packages' settings; so do the builder and the helper."""
    import nbformat

    builder = _load_builder()
    for source in SOURCES:
        for solutions in (False, True):
            edition = tmp_path / ("solutions" if solutions else "learner") / f"{source.stem}.ipynb"
            edition.parent.mkdir(exist_ok=True)
            nbformat.write(builder.build(source, solutions), edition)
    checked = [str(tmp_path), str(NOTEBOOKS / "_build.py"), str(NOTEBOOKS / "_source" / "_checking.py")]
    command = [
        sys.executable,
        "-m",
        "ruff",
        "check",
        "--config",
        str(ROOT / "pyproject.toml"),
        "--output-format",
        "concise",
        *checked,
    ]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout.replace(str(tmp_path), "<built>") + result.stderr


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_notebook_hygiene(path: Path) -> None:
    assert path.stat().st_size < 2_000_000, f"{path.name} is over 2 MB: prefer SVG graphs and low-dpi plots"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook["cells"]

    first = cells[0]
    assert first["cell_type"] == "markdown"
    assert "**Goal:**" in "".join(first["source"]), f"{path.name}: the first cell must state the goal"
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    assert "seed" in "".join(code[0]["source"]), f"{path.name}: set the seeds in the first code cell"

    for number, cell in enumerate(code, 1):
        assert cell["execution_count"] == number, f"{path.name}: not run top to bottom by scripts/notebooks"
        assert "execution" not in cell["metadata"], f"{path.name}: timing metadata left in"
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{path.name}: a committed cell failed"
        for text in _texts(cell):
            for pattern, what in (
                (ABSOLUTE_PATH, "an absolute path"),
                (ADDRESS, "a memory address"),
                (TIMING, "a timing"),
            ):
                found = pattern.search(text)
                assert found is None, f"{path.name} cell {cell['id']}: {what} in an output: {found.group()!r}"
    with_outputs = sum(1 for cell in code if cell.get("outputs"))
    assert with_outputs >= len(code) // 2, f"{path.name}: outputs missing"
    assert any(
        "image/svg+xml" in output.get("data", {}) or "image/png" in output.get("data", {})
        for cell in code
        for output in cell.get("outputs", [])
    ), f"{path.name}: no picture"


def _load_figures():  # notebooks/_figures.py, the build's picture checks
    spec = importlib.util.spec_from_file_location("notebook_figures", NOTEBOOKS / "_figures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_pictures_fit_a_notebook_column(path: Path) -> None:
    """Every picture at most 860 px wide as Jupyter shows it, its text at least 9 px (SVG: checked
    here; matplotlib: checked by the build as each figure is drawn, which leaves no complaint)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert _load_figures().picture_problems(notebook, path.name) == []


def test_the_picture_checks_measure_as_jupyter_shows() -> None:
    import base64
    import doctest
    import struct
    import zlib

    figures = _load_figures()
    assert doctest.testmod(figures).failed == 0
    assert (
        figures.svg_problems(
            '<svg width="645pt" viewBox="0 0 645 10"><g transform="scale(1 1)">'
            '<text font-size="7.00">x</text></g></svg>'
        )
        == []
    )  # 7 pt is 9.3 px
    scaled = (
        '<svg width="600pt" viewBox="0 0 600 10"><g transform="scale(0.5 0.5)">'
        '<text font-size="12"/></g></svg>'
    )
    assert figures.svg_problems(scaled) == ["text 8.0 px high (at least 9)"]

    def png(width: int) -> str:
        header = struct.pack(">IIBBBBB", width, 1, 8, 0, 0, 0, 0)
        chunk = b"IHDR" + header
        return base64.b64encode(
            b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
        ).decode()

    assert figures.png_problems(png(861), {}) == ["861 px wide (at most 860)"]
    assert figures.png_problems(png(1720), {"width": 860}) == []
    assert figures.png_problems(png(860), {}) == []


@pytest.mark.parametrize("path", PATHS, ids=_ids(PATHS))
def test_notebook_matches_its_source(path: Path) -> None:
    builder = _load_builder()
    expected = builder.build(NOTEBOOKS / "_source" / f"{path.stem}.py", solutions=path in SOLUTION_PATHS)
    committed = json.loads(path.read_text(encoding="utf-8"))
    assert ["".join(c["source"]) for c in committed["cells"]] == [c.source for c in expected.cells], (
        f"{path} differs from notebooks/_source/{path.stem}.py: run scripts/notebooks"
    )


def _checker_outputs(path: Path) -> list[str]:
    """The printed verdict of every checker cell (a code cell calling check(...)) of a notebook."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    checkers = [
        cell
        for cell in cells
        if cell["cell_type"] == "code" and re.search(r"^check\(", "".join(cell["source"]), re.M)
    ]
    return ["".join(t for t in _texts(cell)) for cell in checkers]


@pytest.mark.parametrize("path", LEARNER_PATHS, ids=_ids(LEARNER_PATHS))
def test_learners_get_untouched_exercises_and_their_checkers_say_not_yet(path: Path) -> None:
    verdicts = _checker_outputs(path)
    assert len(verdicts) >= MIN_EXERCISES, f"{path.name}: {len(verdicts)} exercises, want {MIN_EXERCISES}"
    for verdict in verdicts:
        assert re.findall(VERDICT, verdict, re.M) == ["not yet"], f"{path.name}: {verdict!r}"


@pytest.mark.parametrize("path", SOLUTION_PATHS, ids=_ids(SOLUTION_PATHS))
def test_in_the_solutions_every_checker_says_right(path: Path) -> None:
    verdicts = _checker_outputs(path)
    assert len(verdicts) >= MIN_EXERCISES
    for verdict in verdicts:
        assert re.findall(VERDICT, verdict, re.M) == ["right"], f"{path}: {verdict!r}"
    first = json.loads(path.read_text(encoding="utf-8"))["cells"][0]
    assert _load_builder().SOLUTIONS_NOTE in "".join(first["source"])


def _verdict(checking: dict, test) -> str:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        checking["check"]("Exercise 0.1", test)
    return printed.getvalue()


def test_a_learners_checker_says_not_yet_right_or_wrong_and_why():
    checking = _load_checking(solutions=False)
    close = checking["close"]
    assert _verdict(checking, lambda: close("dL/dw", ..., 2.0)) == (
        "Exercise 0.1: not yet (replace each ... with your answer)\n"
    )
    nested = _verdict(checking, lambda: checking["answered"]([1.0, {"b": ...}]))
    assert nested.startswith("Exercise 0.1: not yet")
    assert _verdict(checking, lambda: close("dL/dw", 2.0000000001, 2.0)) == "Exercise 0.1: right\n"
    assert _verdict(checking, lambda: close("dL/dw", 3.0, 2.0, hint="x is used twice")) == (
        "Exercise 0.1: wrong. dL/dw is 2, you gave 3. Hint: x is used twice\n"
    )
    assert _verdict(checking, lambda: close("dL/dw", "two", 2.0)) == (
        "Exercise 0.1: wrong. dL/dw should be a number, you gave 'two'\n"
    )
    assert _verdict(checking, lambda: 1 / 0) == (
        "Exercise 0.1: wrong. Your code raised ZeroDivisionError: division by zero\n"
    )


def test_in_the_solutions_a_checker_raises_on_a_wrong_or_missing_answer():
    checking = _load_checking(solutions=True)
    close = checking["close"]
    with pytest.raises(checking["Wrong"], match="dL/dw is 2, you gave 3"):
        checking["check"]("Exercise 0.1", lambda: close("dL/dw", 3.0, 2.0))
    with pytest.raises(checking["NotYet"]):
        checking["check"]("Exercise 0.1", lambda: close("dL/dw", ..., 2.0))
    with pytest.raises(ZeroDivisionError):
        checking["check"]("Exercise 0.1", lambda: 1 / 0)
    assert _verdict(checking, lambda: close("dL/dw", 2.0, 2.0)) == "Exercise 0.1: right\n"


def test_later_tries_get_fuller_hints_and_not_yet_is_no_try():
    checking = _load_checking(solutions=False)
    close = checking["close"]

    def wrong():
        close("dL/dw", 3.0, 2.0, hint=("think of the paths", "sum both paths: 2"))

    assert _verdict(checking, lambda: close("dL/dw", ..., 2.0)).startswith("Exercise 0.1: not yet")
    assert _verdict(checking, wrong).endswith("Hint: think of the paths\n")
    assert _verdict(checking, wrong).endswith("Hint: sum both paths: 2\n")
    assert _verdict(checking, wrong).endswith("Hint: sum both paths: 2\n")


def test_without_the_engine_refuses_the_engine_under_any_name_and_restores_it():
    import autograd
    import nn
    from autograd import Value

    checking = _load_checking(solutions=False)
    checking["grad"] = autograd.grad  # as a notebook's `from autograd import grad` binds it
    without_the_engine, refused = checking["without_the_engine"], checking["EngineRefused"]
    attempts = [
        ("autograd.grad", lambda: checking["grad"](autograd.tanh)(0.5)),
        ("autograd.grad", lambda: autograd.grad(autograd.tanh)(0.5)),
        ("autograd.gradients", lambda: autograd.gradients(Value(1.0) * 2, [])),
        ("backward()", lambda: Value(1.0).tanh().backward()),
        ("nn.cross_entropy", lambda: nn.cross_entropy([[Value(1.0), Value(0.0)]], [0])),
        ("nn.mse", lambda: nn.losses.mse([Value(1.0)], [0.0])),
    ]
    for name, attempt in attempts:
        with without_the_engine(), pytest.raises(refused, match=f"called {re.escape(name)}: this"):
            attempt()
    with without_the_engine():
        assert Value(2.0).tanh().data == pytest.approx(0.9640275800758169)  # the forward pass still works
    assert checking["grad"] is autograd.grad and autograd.grad(autograd.tanh)(0.0) == 1.0
    assert nn.losses.mse is nn.mse and Value.backward.__name__ == "backward"

    def answer_with_the_engine():
        with without_the_engine():
            autograd.grad(autograd.tanh)(1.0)

    assert _verdict(checking, answer_with_the_engine) == (
        "Exercise 0.1: wrong. Your answer called autograd.grad: this exercise asks you to compute it "
        "yourself\n"
    )


def test_a_solution_cell_replaces_its_exercise_only_in_the_solutions(tmp_path: Path) -> None:
    builder = _load_builder()
    source = tmp_path / "01_example.py"
    source.write_text(
        "# %% [markdown]\n# **Goal:** one\n# %%\nanswer = ...\n# %% [solution]\nanswer = 42\n"
        "# %% [checking]\n# %%\nprint(answer)\n"
    )
    learner, solutions = builder.build(source), builder.build(source, solutions=True)
    assert [c.source for c in learner.cells][1:2] == ["answer = ..."]
    assert [c.source for c in solutions.cells][1:2] == ["answer = 42"]
    assert "SOLUTIONS = False" in learner.cells[2].source and "SOLUTIONS = True" in solutions.cells[2].source
    assert builder.SOLUTIONS_NOTE in solutions.cells[0].source
    assert builder.SOLUTIONS_NOTE not in learner.cells[0].source
    source.write_text("# %% [markdown]\n# text\n# %% [solution]\nanswer = 42\n")
    with pytest.raises(ValueError, match="must follow the code cell of its exercise"):
        builder.build(source)


def _step_throughs(path: Path) -> list[dict]:
    """The outputs of a notebook that are step-through pages (``autograd.draw.step_through``)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [
        output.get("data", {})
        for cell in cells
        for output in cell.get("outputs", [])
        if 'class="cr-steps"' in "".join(output.get("data", {}).get("text/html", ""))
    ]


def _without_scripts(html: str) -> str:
    """What a page holds where scripts are removed (GitHub, an untrusted notebook)."""
    return re.sub(r"<script\b.*?</script>", "", html, flags=re.S)


@pytest.mark.parametrize(
    ("stem", "at_least"), [("02_the_chain_rule_and_the_backward_pass", 3), ("04_from_neuron_to_mlp", 1)]
)
def test_passes_are_stepped_through_and_read_without_javascript(stem: str, at_least: int) -> None:
    """Notebook 02 steps through its one-neuron loss, b = a + a; c = b + b and a reused x, 04 an MLP's
    loss; without scripts each page still shows its last frame, the same SVG a front-end without HTML
    gets."""
    for path in (NOTEBOOKS / f"{stem}.ipynb", NOTEBOOKS / "solutions" / f"{stem}.ipynb"):
        pages = _step_throughs(path)
        assert len(pages) >= at_least, f"{path.name}: {len(pages)} step-throughs, want {at_least}"
        for data in pages:
            svg = "".join(data["image/svg+xml"])
            assert svg.lstrip().startswith("<svg") and "grad" in svg
            assert svg.strip() in _without_scripts("".join(data["text/html"])), f"{path.name}: no still frame"


def test_no_notebook_stacks_backward_frames() -> None:
    """The backward pass is stepped through, not drawn as a column of still frames."""
    for source in SOURCES:
        text = source.read_text(encoding="utf-8")
        assert "draw_backward_steps" not in text and "backward_step=" not in text, source.name


def _source_named(fragment: str) -> Path:
    (source,) = [s for s in SOURCES if fragment in s.stem]
    return source


def _verdict_for(fragment: str, exercise: str, answer: str) -> str:
    """The verdict a learner gets for ``answer``: the notebook whose name holds ``fragment``, its
    other exercises answered, runs in this process up to the checker of ``exercise``, with ``answer``
    in place of the answer cell that defines the same name."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    builder = _load_builder()
    cells = [
        c.source
        for c in builder.build(_source_named(fragment), solutions=True).cells
        if c.cell_type == "code"
    ]
    cells = [builder.checking_code(solutions=False) if "SOLUTIONS = True" in c else c for c in cells]
    defined = answer.split("(")[0]
    (place,) = [k for k, cell in enumerate(cells) if cell.startswith(defined)]
    (checker,) = [k for k, cell in enumerate(cells) if f'check("{exercise}"' in cell]
    namespace: dict = {"__name__": "__main__"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), pytest.MonkeyPatch.context() as patch:
        patch.setattr(plt, "show", lambda *args, **kwargs: None)
        for k, cell in enumerate(cells[: checker + 1]):
            exec(compile(answer if k == place else cell, f"<{fragment} cell {k}>", "exec"), namespace)
            plt.close("all")
    return printed.getvalue().splitlines()[-1]


MISTAKES = [  # (notebook, exercise, a wrong answer, what its checker must say about it)
    (
        "chain_rule",
        "Exercise 2.3",
        "def central_difference(f, x, h=1e-6):\n    return ag.grad(f)(x)",
        "wrong. Your answer called autograd.grad: this exercise asks you to compute it yourself",
    ),
    (
        "build_your_own",
        "Exercise 3.1",
        "def add(a, b):\n"
        "    return MyValue(a.data + b.data, parents=(a, b), local_grads=(1.0, 1.0), op='+')\n"
        "def mul(a, b):\n    return MyValue(a.data * b.data, parents=(a, b), local_grads=(a.data, b.data))",
        "each factor's local derivative is the *other* factor",
    ),
    (
        "build_your_own",
        "Exercise 3.2",
        "def tanh(a):\n    return MyValue(math.tanh(a.data), (a,), (1 - a.data ** 2,))\n"
        "def exp(a):\n    return MyValue(math.exp(a.data), (a,), (math.exp(a.data),))\n"
        "def power(a, n):\n    return MyValue(a.data ** n, (a,), (n * a.data ** (n - 1),))",
        "square the result, out, not the input",
    ),
    (
        "delta_recursion",
        "Exercise 5.2",
        "def relu_hidden_delta(W_next, delta_next, z):\n"
        "    return times(matvec(W_next, delta_next), [1.0 if v > 0 else 0.0 for v in z])",
        "Hint: W_next has one row per neuron of the next layer",
    ),
    (
        "losses",
        "Exercise 8.1",
        "def sigmoid_slope(z):\n    return grad(ag.sigmoid)(z)",
        "wrong. Your answer called autograd.grad",
    ),
    (
        "losses",
        "Exercise 8.3",
        "def cross_entropy_gradient(logits, label):\n    values = [Value(z) for z in logits]\n"
        "    nn.cross_entropy([values], [label]).backward()\n    return [v.grad for v in values]",
        "wrong. Your answer called nn.cross_entropy",
    ),
    (
        "backprop_as_code",
        "Exercise 12.3",
        "def traced_step(program, optimizer, *inputs):\n    value = program.backward(*inputs)\n"
        "    optimizer.step()\n    return value",
        "Hint: gradients accumulate in .grad from call to call",
    ),
]


@pytest.mark.parametrize(("fragment", "exercise", "answer", "said"), MISTAKES, ids=[m[1] for m in MISTAKES])
def test_a_common_mistake_gets_its_own_hint(fragment: str, exercise: str, answer: str, said: str) -> None:
    verdict = _verdict_for(fragment, exercise, answer)
    assert verdict.startswith(f"{exercise}: wrong") and said in verdict, verdict


def test_the_backward_pass_must_reset_the_gradients() -> None:
    """Exercise 3.4 runs the learner's backward twice: one that does not start from zero fails."""
    without_reset = (
        "def backward(root):\n    order = topological_order(root)\n    root.grad = 1.0\n"
        "    for node in reversed(order):\n"
        "        for parent, local in zip(node.parents, node.local_grads):\n"
        "            parent.grad += local * node.grad"
    )
    verdict = _verdict_for("build_your_own", "Exercise 3.4", without_reset)
    assert "a second backward() changed the gradients in expression 0: v3 = x0" in verdict, verdict
