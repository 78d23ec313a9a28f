"""Neuron, Layer, MLP: shapes, lists, initialisation, errors, the float path, gradients vs differences."""

import math
import random

import pytest

import nn
from autograd import Value, gradcheck, no_grad
from nn import MLP, Layer, Neuron


def test_layer_and_mlp_always_return_lists():
    assert isinstance(Layer(2, 1, seed=0)([1.0, 2.0]), list)
    out = MLP(2, [16, 1, 1], seed=0)([0.5, -0.5])  # a 1-wide hidden layer (micrograd returns a bare Value)
    assert isinstance(out, list) and len(out) == 1 and isinstance(out[0], Value)
    assert len(MLP(2, [4, 3], seed=0)([0.0, 1.0])) == 3
    assert isinstance(Neuron(2, seed=0)([1.0, 2.0]), Value)


def test_mlp_16_1_1_trains():
    X, y = nn.make_moons(40, noise=0.05, seed=0)
    model = MLP(2, [16, 1, 1], seed=0)
    history = nn.fit(model, X, [2 * c - 1 for c in y], optimizer=nn.SGD(model.parameters(), 0.1), epochs=20)
    assert history["loss"][-1] < history["loss"][0]


def test_layer_sizes_and_activations():
    model = MLP(3, [4, 5, 2], "tanh", seed=0)
    assert [(layer.n_inputs, layer.n_outputs) for layer in model.layers] == [(3, 4), (4, 5), (5, 2)]
    assert [layer.activation for layer in model.layers] == ["tanh", "tanh", "linear"]
    assert MLP(2, [3, 1], output_activation="sigmoid", seed=0).layers[-1].activation == "sigmoid"
    assert model.num_parameters() == 4 * 4 + 5 * 5 + 2 * 6


@pytest.mark.parametrize(
    "activation, function",
    [
        ("relu", lambda z: max(z, 0.0)),
        ("tanh", math.tanh),
        ("sigmoid", lambda z: 1 / (1 + math.exp(-z))),
        ("linear", lambda z: z),
    ],
)
def test_neuron_computes_activation_of_weighted_sum(activation, function):
    neuron = Neuron(3, activation, seed=0)
    neuron.load_state_dict({"weights.0": 0.5, "weights.1": -1.0, "weights.2": 2.0, "bias": 0.25})
    z = 0.5 * 1.0 - 1.0 * 2.0 + 2.0 * 0.5 + 0.25
    assert neuron([1.0, 2.0, 0.5]).data == pytest.approx(function(z))


def test_a_neuron_is_one_linear_node_and_an_activation():
    neuron = Neuron(16, seed=0)
    out = neuron([0.1] * 16)
    assert out.op == "relu" and out.parents[0].op == "linear"
    assert len(out.parents[0].parents) == 16 + 16 + 1
    assert Neuron(4, "linear", seed=0)([1.0] * 4).op == "linear"


def test_initialisation_is_reproducible_and_scaled_by_fan_in():
    assert MLP(2, [8, 1], seed=7).state_dict() == MLP(2, [8, 1], seed=7).state_dict()
    assert MLP(2, [8, 1], seed=7).state_dict() != MLP(2, [8, 1], seed=8).state_dict()
    rng_a, rng_b = random.Random(3), random.Random(3)
    assert MLP(2, [8, 1], seed=rng_a).state_dict() == MLP(2, [8, 1], seed=rng_b).state_dict()
    assert rng_a.random() == rng_b.random()  # the given generator was used (and advanced)
    wide = Layer(400, 50, "relu", seed=0)
    weights = [w.data for neuron in wide.neurons for w in neuron.weights]
    bound = math.sqrt(6 / 400)
    assert max(map(abs, weights)) <= bound
    variance = sum(w * w for w in weights) / len(weights)
    assert variance == pytest.approx(2 / 400, rel=0.05)  # He: 2 / fan_in
    tanh_weights = [w.data for n in Layer(400, 50, "tanh", seed=0).neurons for w in n.weights]
    assert sum(w * w for w in tanh_weights) / len(tanh_weights) == pytest.approx(1 / 400, rel=0.05)
    assert all(neuron.bias.data == 0.0 for neuron in wide.neurons)


def test_unseeded_models_differ():
    assert MLP(2, [8, 1]).state_dict() != MLP(2, [8, 1]).state_dict()


@pytest.mark.parametrize(
    "build, error, message",
    [
        (lambda: MLP(0, [2]), ValueError, "n_inputs must be a positive int, got 0"),
        (lambda: MLP(2, [4, -1]), ValueError, r"sizes\[1\] must be a positive int, got -1"),
        (lambda: MLP(2, [4, 2.5]), TypeError, r"sizes\[1\] must be a positive int, got float"),
        (lambda: MLP(2, [True]), TypeError, "got bool"),
        (lambda: MLP(2, []), ValueError, "at least one layer"),
        (lambda: MLP(2, 16), TypeError, "sizes must be a list"),
        (lambda: MLP(2, [4, 1], "gelu"), ValueError, "unknown activation 'gelu'; expected one of 'relu'"),
        (lambda: MLP(2, [4, 1], output_activation="softmax"), ValueError, "unknown activation 'softmax'"),
        (lambda: Layer(2, 0), ValueError, "n_outputs must be a positive int"),
        (lambda: Neuron(-3), ValueError, "n_inputs must be a positive int"),
        (lambda: Neuron(2, seed="x"), TypeError, "seed: expected an int"),
    ],
)
def test_invalid_construction_is_a_clear_error(build, error, message):
    with pytest.raises(error, match=message):
        build()


def test_wrong_input_size_names_expected_and_given():
    with pytest.raises(ValueError, match="this MLP expects 2 inputs, got 3"):
        MLP(2, [4, 1], seed=0)([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="this Layer expects 3 inputs, got 1"):
        Layer(3, 2, seed=0)([1.0])
    with pytest.raises(ValueError, match="this Neuron expects 2 inputs, got 0"):
        Neuron(2, seed=0)([])
    with pytest.raises(ValueError, match="this MLP expects 2 inputs, got 1"):
        MLP(2, [4, 1], seed=0).evaluate([1.0])
    with pytest.raises(TypeError, match="takes a list of 2 inputs"):
        MLP(2, [4, 1], seed=0)(3.0)


def test_inputs_may_be_values_and_get_gradients():
    x = [Value(0.5), Value(-1.5)]
    out = MLP(2, [4, 1], "tanh", seed=0)(x)[0]
    out.backward()
    assert any(v.grad != 0.0 for v in x)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_evaluate_gives_the_same_bits_as_the_graph(activation):
    model = MLP(3, [6, 5, 2], activation, seed=1)
    rng = random.Random(0)
    for _ in range(20):
        x = [rng.uniform(-2, 2) for _ in range(3)]
        assert model.evaluate(x) == [v.data for v in model(x)]
    with no_grad():
        assert model([0.1, 0.2, 0.3])[0].parents == ()


@pytest.mark.parametrize("compensated", [False, True])
def test_evaluate_adds_in_the_engines_order_where_rounding_cancels(compensated, monkeypatch):
    """[1e16, 1, -1e16] added in order is 0.0; Python 3.12's compensated sum() gives 1.0."""
    if compensated:  # as Python 3.12's sum() of floats, for this sum
        monkeypatch.setattr("builtins.sum", lambda terms, start=0: math.fsum([start, *terms]))
    neuron = Neuron(3, activation="linear")
    for weight, number in zip(neuron.weights, [1e16, 1.0, -1e16]):
        weight.data = number
    neuron.bias.data = 0.5
    assert neuron.evaluate([1.0, 1.0, 1.0]) == neuron([1.0, 1.0, 1.0]).data == 0.5


def _error_of(call):
    try:
        call()
    except (TypeError, ValueError) as error:
        return type(error), str(error)
    raise AssertionError("no error")


@pytest.mark.parametrize("inputs", [["1", "2"], [True, 1.0], [1.0, None], [1.0, [2.0]], 3.0, [1.0]])
@pytest.mark.parametrize("model", [MLP(2, [3, 1], seed=0), Layer(2, 3, seed=0), Neuron(2, seed=0)])
def test_evaluate_and_predict_reject_what_calling_the_model_rejects(model, inputs):
    expected = _error_of(lambda: model(inputs))
    assert _error_of(lambda: model.evaluate(inputs)) == expected
    if isinstance(inputs, list):
        assert _error_of(lambda: nn.predict(model, [[0.0, 0.0], inputs])) == expected


def test_evaluate_takes_an_int_beyond_floats_as_calling_does():
    model = MLP(2, [3, 2], "tanh", seed=0)
    called = [v.data for v in model([10**400, 1])]
    assert model.evaluate([10**400, 1]) == called and all(math.isfinite(v) for v in called)
    assert nn.predict(model, [[10**400, 1]]) == [called]


def _use_parameters(model, values):
    """Put ``values`` in the places of ``model``'s parameters, in the order of ``parameters()``."""
    values = iter(values)
    for layer in model.layers:
        for neuron in layer.neurons:
            neuron.weights = [next(values) for _ in neuron.weights]
            neuron.bias = next(values)


@pytest.mark.parametrize(
    "sizes, activation, loss",
    [
        ([5, 4, 1], "tanh", "mse"),
        ([5, 4, 1], "sigmoid", "bce"),
        ([6, 6, 1], "relu", "hinge"),
        ([5, 3], "tanh", "cross_entropy"),
    ],
)
def test_whole_mlp_gradients_match_central_differences(sizes, activation, loss):
    rng = random.Random(42)
    X = [[rng.uniform(-1, 1) for _ in range(3)] for _ in range(8)]
    model = MLP(3, sizes, activation, seed=5)
    if loss == "cross_entropy":
        y = [rng.randrange(3) for _ in X]
        objective = nn.cross_entropy
    elif loss == "hinge":
        y = [rng.choice([-1, 1]) for _ in X]
        objective = nn.hinge
    elif loss == "bce":
        y = [rng.choice([0, 1]) for _ in X]
        objective = nn.binary_cross_entropy
    else:
        y = [rng.uniform(-1, 1) for _ in X]
        objective = nn.mse

    def total(*parameters):  # the training objective as a function of the parameters
        _use_parameters(model, parameters)
        return objective([model(x) for x in X], y) + 1e-3 * nn.l2(model.parameters())

    assert gradcheck(total, [p.data for p in model.parameters()], atol=1e-6, rtol=1e-4)
