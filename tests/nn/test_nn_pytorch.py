"""MLP.to_torch and MLP.from_torch: the same outputs and gradients in PyTorch, and clear refusals."""

import random
import sys

import pytest
from helpers import require_torch

import autograd as ag
from nn import MLP

ARCHITECTURES = [
    (3, [5, 4, 2], "relu", "linear"),
    (2, [6, 6, 1], "tanh", "sigmoid"),
    (4, [3, 3], "sigmoid", "tanh"),
    (3, [4, 2], "linear", "relu"),
    (3, [2], "relu", "linear"),
]
TOLERANCE = 1e-12


def close(a, b):
    return abs(a - b) <= TOLERANCE * max(1.0, abs(b))


def assert_same_outputs_and_gradients(model, net, torch, seed=0):
    """On random inputs, ``net`` (float64) gives ``model``'s outputs, and every parameter's gradient of
    a random weighting of the outputs is the same in both."""
    rng = random.Random(seed)
    X = [[rng.uniform(-2.0, 2.0) for _ in range(model.n_inputs)] for _ in range(6)]
    weights = [[rng.uniform(-1.0, 1.0) for _ in range(model.sizes[-1])] for _ in X]
    model.zero_grad()
    outputs = [model(x) for x in X]
    ag.sum([w * out for row_w, row in zip(weights, outputs) for w, out in zip(row_w, row)]).backward()

    net.zero_grad()
    theirs = net(torch.tensor(X, dtype=torch.float64))
    (theirs * torch.tensor(weights, dtype=torch.float64)).sum().backward()
    assert theirs.dtype == torch.float64
    for row, their_row in zip(outputs, theirs.tolist()):
        assert all(close(v.data, t) for v, t in zip(row, their_row))
    parameters = dict(net.named_parameters())
    names = model.torch_names()
    assert {key for key, _ in names.values()} == set(parameters) == set(net.state_dict())
    for name, value in model.named_parameters():
        key, index = names[name]
        assert parameters[key][index].item() == value.data, name  # the same numbers, exactly
        assert close(value.grad, parameters[key].grad[index].item()), name


@pytest.mark.parametrize("n_inputs, sizes, activation, output_activation", ARCHITECTURES)
def test_to_torch_gives_the_same_outputs_and_gradients(n_inputs, sizes, activation, output_activation):
    torch = require_torch()
    model = MLP(n_inputs, sizes, activation, output_activation=output_activation, seed=1)
    rng = random.Random(2)
    for neuron in (n for layer in model.layers for n in layer.neurons):  # biases away from 0
        neuron.bias.data = rng.uniform(-0.5, 0.5)
    state = torch.random.get_rng_state()
    net = model.to_torch()
    assert torch.equal(torch.random.get_rng_state(), state)  # PyTorch's random numbers are left alone
    kinds = [type(module).__name__ for module in net]
    expected = []
    for layer in model.layers:
        expected.append("Linear")
        if layer.activation != "linear":
            expected.append({"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}[layer.activation])
    assert kinds == expected
    assert_same_outputs_and_gradients(model, net, torch)


@pytest.mark.parametrize("n_inputs, sizes, activation, output_activation", ARCHITECTURES)
def test_from_torch_brings_a_float32_network_back(n_inputs, sizes, activation, output_activation):
    torch = require_torch()
    torch.manual_seed(0)
    modules = []
    modules_of = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid}
    for k, (fan_in, size) in enumerate(zip([n_inputs, *sizes[:-1]], sizes)):
        modules.append(torch.nn.Linear(fan_in, size))  # float32, PyTorch's default
        name = output_activation if k == len(sizes) - 1 else activation
        if name != "linear":
            modules.append(modules_of[name]())
    net32 = torch.nn.Sequential(*modules)
    model = MLP.from_torch(net32)
    assert (model.n_inputs, model.sizes) == (n_inputs, sizes)
    assert model.output_activation == output_activation
    assert model.activation == (activation if len(sizes) > 1 else "relu")
    assert_same_outputs_and_gradients(model, net32.double(), torch)  # its numbers, converted exactly
    again = MLP.from_torch(model.to_torch())
    assert again.config() == model.config() and again.state_dict() == model.state_dict()


def _refused(torch):
    """Sequentials an MLP cannot be, each with the error that says why."""
    layers = torch.nn
    linear = layers.Linear
    return [
        (
            [linear(2, 3, bias=False)],
            r"module 0 \(Linear\) has no bias, and every chainrule neuron has one: "
            "build it with bias=True",
        ),
        (
            [linear(2, 3), layers.ReLU(), linear(3, 3), layers.Tanh(), linear(3, 1)],
            "mixed hidden activations: the Linear at module 0 is followed by relu, "
            "the one at module 2 by tanh",
        ),
        (
            [linear(2, 3), linear(3, 3), layers.ReLU(), linear(3, 1)],
            "the Linear at module 0 is followed by linear, the one at module 1 by relu",
        ),
        (
            [linear(2, 3), layers.Dropout(0.1), linear(3, 1)],
            r"module 1 \(Dropout\): an MLP holds only Linear, ReLU, Tanh and Sigmoid modules",
        ),
        ([linear(2, 3), layers.LeakyReLU(), linear(3, 1)], r"module 1 \(LeakyReLU\): an MLP holds only"),
        ([layers.Sequential(linear(2, 1))], r"module 0 \(Sequential\): an MLP holds only"),
        ([layers.ReLU(), linear(2, 1)], r"module 0 \(ReLU\): an activation must follow a Linear"),
        ([linear(2, 1), layers.ReLU(), layers.Tanh()], r"module 2 \(Tanh\): an activation must follow"),
        ([linear(2, 3), linear(4, 1)], r"module 1 \(Linear\) takes 4 inputs; the Linear before it gives 3"),
        ([], "the Sequential holds no Linear layer"),
        (
            [linear(2, 3, device="meta")],
            r"module 0 \(Linear\) is on the meta device: its weight has a shape "
            r"but no numbers; give it numbers first \(for example linear.to_empty",
        ),
        (
            [_reshaped(linear(2, 3), "weight", torch.ones(3, 4))],
            r"module 0 \(Linear\): its weight has shape \[3, 4\], but in_features=2 and out_features=3 make "
            r"it \[3, 2\]",
        ),
        ([_reshaped(linear(2, 3), "weight", torch.ones(6))], r"its weight has shape \[6\], but in_feat"),
        (
            [_reshaped(linear(2, 3), "bias", torch.ones(1, 3))],
            r"its bias has shape \[1, 3\], but in_features="
            r"2 and out_features=3 make it \[3\]",
        ),
    ]


def _reshaped(linear, name, numbers):
    """``linear`` with its parameter ``name`` replaced by ``numbers``, a shape that disagrees with it."""
    setattr(linear, name, type(linear.weight)(numbers))
    return linear


def test_from_torch_refuses_what_an_mlp_cannot_be_by_module():
    torch = require_torch()
    for modules, message in _refused(torch):
        with pytest.raises(ValueError, match=message):
            MLP.from_torch(torch.nn.Sequential(*modules))
    with pytest.raises(TypeError, match="expected a torch.nn.Sequential of Linear layers and activations"):
        MLP.from_torch(torch.nn.Linear(2, 1))
    integer_linear = torch.nn.Linear(2, 1)
    integer_linear.weight = torch.nn.Parameter(torch.ones(1, 2, dtype=torch.int64), requires_grad=False)
    with pytest.raises(ValueError, match="holds torch.int64 numbers; an MLP holds real floats"):
        MLP.from_torch(torch.nn.Sequential(integer_linear))


def test_without_pytorch_both_ways_say_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # as if PyTorch were not installed
    with pytest.raises(ImportError, match=r"MLP.to_torch needs PyTorch, .*pip install torch \(chainrule"):
        MLP(2, [1], seed=0).to_torch()
    with pytest.raises(ImportError, match=r"MLP.from_torch needs PyTorch"):
        MLP.from_torch(object())


def test_torch_names_need_no_pytorch_and_follow_the_modules():
    names = MLP(2, [3, 3, 1], activation="tanh", output_activation="sigmoid", seed=0).torch_names()
    assert names["layers.0.neurons.2.weights.1"] == ("0.weight", (2, 1))
    assert names["layers.1.neurons.0.bias"] == ("2.bias", (0,))
    assert names["layers.2.neurons.0.weights.2"] == ("4.weight", (0, 2))
    assert len(names) == MLP(2, [3, 3, 1], seed=0).num_parameters()
