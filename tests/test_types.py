"""Types a user's ``mypy --strict`` sees: the README's examples check as written, and what types
promise is what runs (``.grad`` may be None, ``nn.load_model(p)(x)`` can be called, the functional
API's results have types). One mypy run over every script, its cache kept in the temp directory."""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
README_BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)

USER_SCRIPT = """
import autograd as ag
import nn
from autograd import Value, grad, hessian, jacobian, value_and_grad


def train_once(path: str) -> float:
    model = nn.load_model(path).train()      # any Module can be called
    out = model([1.0, 2.0])
    loss = nn.mse(out, [0.5])
    loss.backward(gradient=1.0, retain_graph=True)
    total = 0.0
    for p in model.parameters():
        if p.grad is not None:                 # None after zero_grad(): checked before use
            total += abs(p.grad)
    keys = model.eval().load_state_dict(model.state_dict(), strict=False)
    assert keys.missing_keys == [] and keys.unexpected_keys == []
    return total


x = Value(2.0, requires_grad=True)
y = x.pow(2).clamp(min=0.0, max=3.0)
leaf: bool = x.is_leaf and not y.is_leaf
slope: float = grad(lambda v: v ** 3)(2.0)
second: float = grad(grad(lambda v: v ** 3))(2.0)
both: tuple[float, ...] = grad(lambda a, b: a * b, argnums=(0, 1))(2.0, 3.0)
value, derivative = value_and_grad(lambda v: ag.sin(v))(0.0)
matrix: list[list[float]] = hessian(lambda a, b: a * a * b)(3.0, 2.0)
rows: list[list[float]] = jacobian(lambda a: [a, a * a])(3.0)
nested = grad(lambda v: v * v)(Value(1.0))   # Values in: Values out, typed Any
print(slope - value + derivative + second + both[0] + matrix[0][0] + rows[0][0], leaf, nested)
"""

UNCHECKED_GRAD = """
import nn

model = nn.MLP(2, [1], seed=0)
model.zero_grad()
for p in model.parameters():
    print(abs(p.grad))          # None after zero_grad(): a type error, as it is a crash
if model.parameters()[0].is_leaf():
    pass
print(model.parameters()[0].numel())   # a tensor method a Value lacks: mypy sees no attribute
"""


@pytest.fixture(scope="module")
def mypy_report() -> dict[str, list[str]]:
    """Each script's mypy --strict error lines, from one run (its cache in the temp directory)."""
    api = pytest.importorskip("mypy.api")
    place = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]  # one cache per checkout
    folder = Path(tempfile.gettempdir()) / f"chainrule-mypy-{place}"
    scripts = folder / "scripts"
    scripts.mkdir(parents=True, exist_ok=True)
    sources = {f"readme_block_{i}.py": block for i, block in enumerate(README_BLOCKS)}
    sources.update({"user_script.py": USER_SCRIPT, "unchecked_grad.py": UNCHECKED_GRAD})
    for stale in scripts.glob("*.py"):
        stale.unlink()
    for name, source in sources.items():
        (scripts / name).write_text(source, encoding="utf-8")
    config = folder / "mypy.ini"
    config.write_text("[mypy]\nstrict = True\npython_version = 3.10\n", encoding="utf-8")
    stdout, stderr, _ = api.run(
        [
            "--config-file",
            str(config),
            "--cache-dir",
            str(folder / "cache"),
            "--no-error-summary",
            "--hide-error-context",
            str(scripts),
        ]
    )
    assert not stderr, stderr
    report: dict[str, list[str]] = {name: [] for name in sources}
    for line in stdout.splitlines():
        name = Path(line.split(":", 1)[0]).name
        assert name in report, line  # an error in the library itself, not in a script
        report[name].append(line.split(":", 1)[1])
    return report


def test_the_readmes_examples_pass_mypy_strict(mypy_report):
    assert len(README_BLOCKS) >= 4
    failing = {name: lines for name, lines in mypy_report.items() if name.startswith("readme") and lines}
    assert not failing


def test_pytorch_habits_and_the_functional_api_type_check(mypy_report):
    assert mypy_report["user_script.py"] == []


def test_what_would_fail_at_run_time_is_a_type_error(mypy_report):
    errors = mypy_report["unchecked_grad.py"]
    assert len(errors) == 3, errors
    assert '"abs" has incompatible type "float | None"' in errors[0]
    assert '"bool" not callable' in errors[1]  # is_leaf is a property, as in PyTorch
    assert '"Value" has no attribute "numel"' in errors[2]  # the habits are hidden from mypy
