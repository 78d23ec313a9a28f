"""fit, predict, accuracy; the micrograd failure case MLP(2, [32, 32, 1]) with L2 trains."""

import math
import sys

import pytest

import nn
from autograd import Value
from nn import MLP, SGD, Adam, LinearDecay, accuracy, fit, predict


def test_accuracy_by_sign_and_by_argmax():
    assert accuracy([Value(0.5), Value(-0.1), Value(0.0)], [1, -1, 1]) == pytest.approx(2 / 3)
    assert accuracy([[Value(0.5)], [Value(-2.0)]], [1, 0]) == 1.0  # 0/1 labels
    assert accuracy([[0.1, 0.2, 0.05], [1.0, 0.0, 0.0]], [1, 2]) == 0.5
    with pytest.raises(ValueError, match="2 outputs but 1 labels"):
        accuracy([1.0, 2.0], [1])


def test_predict_builds_no_graph_and_matches_the_model():
    model = MLP(2, [4, 3], seed=0)
    X = [[0.1, 0.2], [-1.0, 0.5]]
    scores = predict(model, X)
    assert scores == [[v.data for v in model(x)] for x in X]
    neuron = nn.Neuron(2, seed=0)
    assert predict(neuron, X) == [neuron(x).data for x in X]

    def plain(x):  # any callable model: evaluated under no_grad
        out = x[0] * Value(2.0)
        assert out.parents == ()
        return out

    assert predict(plain, [[Value(1.5)]]) == [3.0]


def test_fit_full_batch_reaches_micrograds_demo_accuracy_quickly():
    X, y = nn.make_moons(100, noise=0.1, seed=1337)
    labels = [2 * c - 1 for c in y]
    model = MLP(2, [16, 16, 1], seed=1337)
    history = fit(
        model,
        X,
        labels,
        loss=nn.hinge,
        optimizer=SGD(model.parameters(), LinearDecay(1.0, 0.1, 100)),
        epochs=100,
        l2=1e-4,
        progress=False,
    )
    assert len(history["loss"]) == len(history["accuracy"]) == 100
    assert history["loss"][-1] < 0.1 * history["loss"][0]
    assert accuracy(predict(model, X), labels) >= 0.97


def test_mlp_32_32_1_with_the_demos_l2_term_trains():
    # in micrograd this L2 term, a sum() over 1,185 parameters, is a chain deeper than the recursion limit
    X, y = nn.make_moons(40, noise=0.1, seed=0)
    labels = [2 * c - 1 for c in y]
    model = MLP(2, [32, 32, 1], seed=0)
    assert model.num_parameters() == 1185
    limit = sys.getrecursionlimit()
    history = fit(model, X, labels, optimizer=SGD(model.parameters(), 0.1), epochs=5, l2=1e-4, progress=False)
    assert sys.getrecursionlimit() == limit
    assert all(math.isfinite(v) for v in history["loss"]) and history["loss"][-1] < history["loss"][0]


def test_minibatches_cross_entropy_and_adam():
    X, y = nn.make_blobs(60, noise=0.5, seed=0, centers=3)
    model = MLP(2, [8, 3], "tanh", seed=0)
    history = fit(
        model,
        X,
        y,
        loss=nn.cross_entropy,
        optimizer=Adam(model.parameters(), 0.05),
        epochs=15,
        batch_size=16,
        seed=0,
        progress=False,
    )
    assert history["accuracy"][-1] >= 0.9
    assert accuracy(predict(model, X), y) >= 0.9


def test_regression_history_has_nan_accuracy_and_callback_runs():
    model = MLP(1, [4, 1], "tanh", seed=0)
    X = [[x / 10] for x in range(-10, 11)]
    y = [0.5 * x[0] + 0.1 for x in X]
    seen = []
    history = fit(
        model,
        X,
        y,
        loss=nn.mse,
        optimizer=SGD(model.parameters(), 0.1, momentum=0.9),
        epochs=30,
        progress=False,
        callback=lambda epoch, h: seen.append((epoch, len(h["loss"]))),
    )
    assert seen == [(k, k + 1) for k in range(30)]
    assert all(math.isnan(a) for a in history["accuracy"])
    assert history["loss"][-1] < 0.01


@pytest.mark.parametrize(
    "options, message",
    [
        ({"y": [1]}, "2 examples in X but 1 labels"),
        ({"epochs": -1}, "epochs must be an int >= 0"),
        ({"batch_size": 0}, "batch_size must be a positive int"),
        ({"l2": -1.0}, "l2 must be a finite number >= 0"),
        ({"y": [0, 1]}, "hinge needs labels -1 or"),
    ],
)
def test_fit_errors(options, message):
    arguments = {"X": [[0.0], [1.0]], "y": [-1, 1], **options}
    with pytest.raises(ValueError, match=message):
        fit(
            MLP(1, [1], seed=0),
            arguments["X"],
            arguments["y"],
            epochs=options.get("epochs", 1),
            batch_size=options.get("batch_size"),
            l2=options.get("l2", 0.0),
            progress=False,
        )
