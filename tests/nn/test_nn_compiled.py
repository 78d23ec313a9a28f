"""Training with traced programs (fit(compile=True), the demo's --compile), and nn traced cleanly."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

import autograd as ag
import nn
from autograd import Value
from nn import demo
from nn.compiled import CompiledObjective


def same_model(a: nn.Module, b: nn.Module) -> bool:
    """Every parameter within 1e-12, absolute and relative."""
    return all(
        math.isclose(p.data, q.data, rel_tol=1e-12, abs_tol=1e-12)
        for p, q in zip(a.parameters(), b.parameters(), strict=True)
    )


@pytest.mark.parametrize("arguments", [[], ["--dataset", "blobs", "--activation", "tanh"]])
def test_the_demo_compiled_trains_the_same_model(arguments: list[str], run_demo: Any) -> None:
    """After 25 steps (the learning rate decaying over them, as over the default 100): every
    parameter within 1e-12, the same accuracy history."""
    arguments = [*arguments, "--steps", "25"]  # a quarter of the default's training time
    engine = run_demo(arguments).summary
    compiled = run_demo([*arguments, "--compile"]).summary
    assert same_model(engine["model"], compiled["model"])
    assert compiled["history"]["accuracy"] == engine["history"]["accuracy"]
    assert compiled["history"]["loss"] == pytest.approx(engine["history"]["loss"], rel=1e-12, abs=1e-15)
    assert compiled["accuracy"] == engine["accuracy"]


def test_the_demo_says_it_compiles(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    demo.main(["--compile", "--steps", "2", "--out", str(tmp_path)])
    assert "by traced programs (--compile)" in capsys.readouterr().out


MOONS = nn.make_moons(40, noise=0.1, seed=3)


@pytest.mark.parametrize(
    "loss, labels, outputs",
    [
        (nn.hinge, [2 * c - 1 for c in MOONS[1]], 1),
        (nn.binary_cross_entropy, MOONS[1], 1),
        (nn.mse, MOONS[1], 1),
        (nn.mse, [x[0] * 0.5 - x[1] for x in MOONS[0]], 1),  # real-valued targets: an input of one program
        (nn.cross_entropy, MOONS[1], 2),
    ],
)
@pytest.mark.parametrize("batch_size", [None, 16])
def test_every_loss_trains_the_same_compiled(
    loss: Any, labels: list[Any], outputs: int, batch_size: int | None
) -> None:
    models = [nn.MLP(2, [6, outputs], activation="tanh", seed=5) for _ in range(2)]
    histories = [
        nn.fit(
            model,
            MOONS[0],
            labels,
            loss=loss,
            optimizer=nn.SGD(model.parameters(), 0.2),
            epochs=15,
            batch_size=batch_size,
            l2=1e-3,
            seed=7,
            progress=False,
            compile=compile_,
        )
        for model, compile_ in zip(models, (False, True))
    ]
    assert same_model(*models)
    assert histories[0]["loss"] == pytest.approx(histories[1]["loss"], rel=1e-12)
    assert histories[0]["accuracy"] == histories[1]["accuracy"] or math.isnan(histories[0]["accuracy"][0])


def test_a_loss_that_is_not_a_mean_is_refused() -> None:
    model = nn.MLP(2, [4, 1], seed=0)
    total = lambda outputs, labels: nn.hinge(outputs, labels) * len(outputs)  # noqa: E731 (a sum)
    with pytest.raises(nn.CompileError, match="must be the mean over examples of one example's loss"):
        nn.fit(model, MOONS[0], [2 * c - 1 for c in MOONS[1]], loss=total, epochs=1, compile=True)


class Branching(nn.Module):
    """A model that decides by comparing a Value: right for the example it was traced at only."""

    def __init__(self) -> None:
        self.w = Value(0.5)

    def __call__(self, x: list[Value]) -> list[Value]:
        return [self.w * x[0] if x[0] > 0 else self.w * x[1]]


class ReadingData(Branching):
    """The same decision taken on an input's ``.data``: refused while tracing too."""

    def __call__(self, x: list[Value]) -> list[Value]:
        return [self.w * x[0] if x[0].data > 0 else self.w * x[1]]


class Leaky(nn.Module):
    """A neuron whose leaky relu is written as a branch on its output's ``.data`` (the issue's)."""

    def __init__(self) -> None:
        self.neuron = nn.Neuron(2, activation="linear", seed=1)

    def __call__(self, x: list[Value]) -> list[Value]:
        v = self.neuron(x)
        return [v if v.data > 0 else v * 0.01]


@pytest.mark.parametrize("model", [Branching(), ReadingData(), Leaky()], ids=type)
def test_a_model_that_branches_on_its_numbers_is_refused_before_training(model: nn.Module) -> None:
    before = [p.data for p in model.parameters()]
    with pytest.raises(nn.CompileError, match="branches on or reads the numbers of its Values"):
        nn.fit(model, MOONS[0], [2 * c - 1 for c in MOONS[1]], epochs=3, batch_size=1, compile=True)
    assert [p.data for p in model.parameters()] == before  # refused before training: untouched


class ReadingParameter(nn.Module):
    """A leaky unit that branches on its own weight's ``.data``, which tracing cannot guard: the
    program keeps the branch of the weight's sign when traced."""

    def __init__(self, w: float) -> None:
        self.w = Value(w)

    def __call__(self, x: list[Value]) -> list[Value]:
        return [self.w * x[0] if self.w.data > 0 else self.w * x[0] * 0.01]


def test_a_branch_on_a_parameter_is_stopped_at_the_next_epochs_check_before_its_step() -> None:
    """The weight turns negative during epoch 1; the program keeps the positive branch. Epoch 2's
    check, on an example of its first batch, stops training before that batch's step."""
    X, labels = [[1.0], [2.0], [1.5]], [-1.0, -2.0, -1.5]
    model = ReadingParameter(0.3)
    optimizer = nn.SGD(model.parameters(), lr=0.5)
    stopped = (
        r"in epoch 2, before step 4, on example \d, the traced programs give .* where the engine "
        r"gives .*: the model or the loss reads a number the trace cannot guard .* after 3 step\(s\); "
        r"train without compile=True"
    )
    with pytest.raises(nn.CompileError, match=stopped):
        nn.fit(
            model, X, labels, loss=nn.mse, optimizer=optimizer, epochs=5, batch_size=1, seed=0, compile=True
        )
    assert optimizer.steps == 3 and model.w.data < 0


def test_every_label_is_checked_every_epoch_on_an_example_it_trains_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checked: list[tuple[int, int]] = []
    original = CompiledObjective._check_example

    def spy(self: Any, model: Any, loss: Any, example: int, when: str) -> None:
        checked.append((int(when.split()[2].rstrip(",")), example))
        original(self, model, loss, example, when)

    monkeypatch.setattr(CompiledObjective, "_check_example", spy)
    X, y = MOONS[0][:12], [2 * c - 1 for c in MOONS[1][:12]]
    nn.fit(nn.MLP(2, [4, 1], seed=0), X, y, epochs=4, batch_size=5, seed=2, progress=False, compile=True)
    assert [epoch for epoch, _ in checked] == [1, 1, 2, 2, 3, 3, 4, 4]
    for epoch in (1, 2, 3, 4):
        assert sorted(y[i] for e, i in checked if e == epoch) == [-1, 1]
    assert len({i for _, i in checked}) > 2  # not always the same examples


class Tempered(nn.Module):
    """A model that divides by a fixed Value it does not list in ``parameters()``."""

    def __init__(self) -> None:
        self.inner = nn.MLP(2, [4, 1], activation="tanh", seed=0)
        self._temperature = Value(2.0)

    def __call__(self, x: list[Value]) -> list[Value]:
        return [self.inner(x)[0] / self._temperature]


def test_a_value_outside_parameters_is_a_constant_read_at_each_call_as_on_the_engine_path() -> None:
    models = [Tempered(), Tempered()]
    assert len(models[0].parameters()) == 17  # the temperature is not one
    for model, compile_ in zip(models, (False, True)):
        for temperature in (2.0, 0.5):  # changed between fits: both paths read the new number
            model._temperature.data = temperature
            nn.fit(
                model,
                MOONS[0],
                [2 * c - 1 for c in MOONS[1]],
                epochs=3,
                batch_size=8,
                seed=1,
                progress=False,
                compile=compile_,
            )
    assert same_model(*models)
    assert [m._temperature.data for m in models] == [0.5, 0.5]


def test_more_than_64_classes_train_compiled_as_on_the_engine() -> None:
    rng = random.Random(0)
    X = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(140)]
    classes = [i % 70 for i in range(140)]
    models = [nn.MLP(2, [70], seed=0), nn.MLP(2, [70], seed=0)]
    histories = [
        nn.fit(
            model,
            X,
            classes,
            loss=nn.cross_entropy,
            epochs=2,
            batch_size=50,
            seed=1,
            progress=False,
            compile=compile_,
        )
        for model, compile_ in zip(models, (False, True))
    ]
    assert same_model(*models)
    assert histories[0]["accuracy"] == histories[1]["accuracy"]
    targets = [float(i) for i in range(140)]  # whole-number targets of a regression: one program
    objective = CompiledObjective(nn.MLP(2, [1], seed=0), X, targets, nn.mse, 0.0)
    assert list(objective.programs) == [None]


@pytest.mark.parametrize(
    "loss, labels, message",
    [
        (nn.hinge, [c for c in MOONS[1]], r"hinge: label \d+ is 0; hinge needs labels -1 or \+1"),
        (nn.hinge, [0.5 for _ in MOONS[1]], r"hinge: label 0 is 0.5; hinge needs labels -1 or \+1"),
        (nn.binary_cross_entropy, [2 for _ in MOONS[1]], r"binary_cross_entropy: label 0 is 2; it needs"),
    ],
)
def test_labels_the_loss_refuses_are_named_as_given(loss: Any, labels: list[Any], message: str) -> None:
    """As the engine path names them, never as a Value standing for a label while tracing."""
    with pytest.raises(ValueError, match=message) as engine:
        nn.fit(nn.MLP(2, [4, 1], seed=0), MOONS[0], labels, loss=loss, epochs=1, progress=False)
    with pytest.raises(nn.CompileError, match=message) as compiled:
        nn.fit(nn.MLP(2, [4, 1], seed=0), MOONS[0], labels, loss=loss, epochs=1, progress=False, compile=True)
    assert "Value(" not in str(compiled.value) and str(engine.value) in str(compiled.value)


def test_compile_takes_numbers_and_a_bool() -> None:
    model = nn.MLP(2, [4, 1], seed=0)
    with pytest.raises(nn.CompileError, match="example 0 holds Value"):
        nn.fit(model, [[Value(1.0), 2.0]], [1], epochs=1, compile=True)
    with pytest.raises(TypeError, match="compile must be True or False"):
        nn.fit(model, [[1.0, 2.0]], [1], epochs=1, compile="yes")  # type: ignore[arg-type]


# ----- every loss and activation traces cleanly ------------------------------------------------


def same_bits(a: Any, b: Any) -> bool:
    if isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_bits(x, y) for x, y in zip(a, b))
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))


@pytest.mark.parametrize(
    "loss, labels",
    [
        (nn.hinge, [1, -1]),
        (nn.binary_cross_entropy, [1, 0]),
        (nn.mse, [0.5, -2.0]),
        (nn.cross_entropy, [1, 0]),
    ],
)
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_every_loss_and_activation_traces_to_the_engines_bits(
    loss: Any, labels: list[Any], activation: str
) -> None:
    outputs = 2 if loss is nn.cross_entropy else 1
    model = nn.MLP(2, [3, outputs], activation=activation, output_activation=activation, seed=1)

    def objective(xs: list[Value]) -> Value:
        return loss([model(xs[:2]), model(xs[2:])], labels) + nn.l2(model.parameters()) * 1e-3

    program = ag.trace(objective, [0.1, 0.2, 0.3, 0.4])
    for xs in ([0.5, -1.0, 2.0, 0.0], [1e3, -1e3, 0.0, -0.0], [300.0, 1e-310, -5.0, 7.0]):
        engine = ag.value_and_grad(lambda *v: objective(list(v)), argnums=(0, 1, 2, 3))(*xs)
        value, (gradients,) = program.value_and_grad(xs)
        assert same_bits([value, *gradients], [engine[0], *engine[1]])


@pytest.mark.parametrize(
    "logits",
    [
        [1e308, 1e308],
        [1e17, 1e17],
        [math.inf, 0.0],
        [-math.inf, -math.inf],
        [math.nan, 1.0],
        [1000.0, -1000.0],
    ],
)
def test_cross_entropy_traces_its_shift(logits: list[float]) -> None:
    """The shift is computed for each call (not baked in from the traced logits), as the engine does."""
    program = ag.trace(lambda z: nn.cross_entropy([z], [1]), [0.0, 0.0])
    engine = ag.value_and_grad(lambda a, b: nn.cross_entropy([[a, b]], [1]), argnums=(0, 1))(*logits)
    value, (gradients,) = program.value_and_grad(logits)
    assert same_bits([value, *gradients], [engine[0], *engine[1]])
