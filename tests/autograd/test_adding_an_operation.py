"""The README's "Adding an operation" is exactly true: its three edits, made in a copy of
``autograd/``, give a new primitive (``atan``) that works everywhere an operation works."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
SECTION = REPOSITORY.joinpath("README.md").read_text(encoding="utf-8").split("### Adding an operation\n")[1]
SECTION = SECTION.split("\n#", 1)[0]

# What the new operation must do, run in a fresh interpreter that imports the edited copy.
CHECKS = textwrap.dedent(
    """
    import math
    from pathlib import Path

    import autograd as ag
    from autograd import Value
    from autograd.draw import draw_graph

    assert Path(ag.__file__).parent == Path.cwd() / "autograd", ag.__file__  # the edited copy

    # the engine: the method, the function of a number or a Value, the derivative
    x = Value(0.5)
    y = x.atan()
    y.backward()
    assert y.data == math.atan(0.5) and x.grad == 1.0 / (1.0 + 0.25), (y, x.grad)
    assert ag.atan(0.5) == math.atan(0.5) and ag.atan(Value(0.5)).data == math.atan(0.5)

    # create_graph: the rule on Values, differentiable again
    second = ag.grad(ag.grad(ag.atan))(0.5)
    assert math.isclose(second, -2 * 0.5 / (1 + 0.25) ** 2, rel_tol=1e-12), second
    assert ag.gradcheck(ag.atan, [0.3]) and ag.gradgradcheck(lambda v: v.atan() * v, [0.3])

    # a traced program: the same bits as the engine, and a source that runs on its own
    f = lambda v, w: ag.atan(v * w) + v  # noqa: E731
    program = ag.trace(f, 0.5, 2.0)
    assert program.value_and_grad(0.7, -1.3) == ag.value_and_grad(f, argnums=(0, 1))(0.7, -1.3)
    assert "= atan(" in program.source and "from autograd import atan" in program.source
    namespace = {}
    exec(program.source, namespace)
    assert namespace["f"](0.7, -1.3)[:2] == program.value_and_grad(0.7, -1.3)

    # a batch, with numpy (whose arctan may differ from math.atan by an ulp) and as a loop
    points = [(0.7, -1.3), (-2.0, 0.25), (0.0, 3.0)]
    expected = [program.value_and_grad(v, w) for v, w in points]
    for use_numpy in (True, False):
        batch = program.batch([v for v, _ in points], [w for _, w in points], numpy=use_numpy)
        for k, (value, (dv, dw)) in enumerate(expected):
            got = (batch.values[k], batch.gradients[0][k], batch.gradients[1][k])
            assert all(math.isclose(a, b, rel_tol=1e-12) for a, b in zip(got, (value, dv, dw))), got

    # a drawing
    assert "atan" in draw_graph(y).source
    print("atan works")
    """
)


def _blocks() -> list[str]:
    """The section's code blocks, as written in its numbered list (three spaces in); ``py``, not
    ``python``, since they are edits, which tests/test_readme.py does not run on their own."""
    found = re.findall(r"```py\n(.*?)```", SECTION, flags=re.DOTALL)
    return ["".join(line[3:] for line in block.splitlines(keepends=True)) for block in found]


def _edited_copy(folder: Path) -> Path:
    """A copy of ``autograd/`` with exactly the section's three edits made."""
    engine = folder / "autograd"
    shutil.copytree(REPOSITORY / "autograd", engine, ignore=shutil.ignore_patterns("__pycache__"))
    definition, method = _blocks()
    elementary = engine / "elementary.py"
    elementary.write_text(elementary.read_text(encoding="utf-8") + "\n\n" + definition, encoding="utf-8")
    anchor = "    cos = _method_of(elementary.COS)\n"
    assert "after the line `cos = _method_of(elementary.COS)`" in SECTION
    value = engine / "value.py"
    text = value.read_text(encoding="utf-8")
    assert text.count(anchor) == 1
    value.write_text(text.replace(anchor, anchor + method), encoding="utf-8")
    assert "`atan` in the import from `autograd.elementary` and in `__all__`" in SECTION
    init = engine / "__init__.py"
    text = init.read_text(encoding="utf-8")
    imported = ("from autograd.elementary import (\n", "    atan,\n")
    listed = ("__all__ = [\n", '    "atan",\n')
    for before, added in (imported, listed):
        assert text.count(before) == 1
        text = text.replace(before, before + added)
    init.write_text(text, encoding="utf-8")
    return folder


def test_the_section_lists_three_edits() -> None:
    definition, method = _blocks()
    assert "ATAN = Primitive(" in definition and "atan = number_or_value(ATAN)" in definition
    assert method == "    atan = _method_of(elementary.ATAN)\n"


def test_its_edits_give_an_operation_that_works_everywhere(tmp_path: Path) -> None:
    pytest.importorskip("numpy")
    pytest.importorskip("graphviz")
    folder = _edited_copy(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", CHECKS],
        cwd=folder,
        env={"PYTHONPATH": str(folder), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "atan works"
