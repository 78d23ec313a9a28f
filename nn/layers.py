"""``Neuron``, ``Layer`` and ``MLP``: fully connected networks of Values.

A neuron computes ``activation(w . x + b)``. The weighted sum is ONE graph node
(``autograd.linear``), not ``2n`` nodes of ``*`` and ``+`` as in micrograd: that keeps the graph of
micrograd's demo about ten times smaller, and its training step tens of times faster.

Initialisation. Weights are drawn uniformly from ``[-a, a]`` and biases start at 0:

- ``a = sqrt(6 / n_inputs)`` for ``relu`` neurons (He et al. 2015): a weight variance of
  ``2 / n_inputs`` keeps the size of the signal about constant from layer to layer, since relu
  zeroes half of it;
- ``a = sqrt(3 / n_inputs)`` for ``tanh``, ``sigmoid`` and ``linear`` neurons (LeCun): a weight
  variance of ``1 / n_inputs`` keeps pre-activations near the range where tanh and sigmoid are not
  saturated.

(micrograd draws every weight from ``[-1, 1]``, whatever the fan-in; scaling by the fan-in is what
lets the same code train wide layers.) The draws come from a ``random.Random``: pass ``seed`` as an
int for a reproducible model, as a ``random.Random`` to share one stream, or leave it ``None`` for
a fresh random one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import reduce
from operator import add, mul
from typing import Any, Union

import autograd
from autograd import Value, linear
from nn.arguments import Seed, check_choice, check_length, check_size, make_rng
from nn.module import Module
from nn.pytorch import build_sequential, linear_positions, read_sequential

Activation = Union[Callable[[Value], Value], None]

ACTIVATIONS: dict[str, Activation] = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "linear": None,
}
"""The activation functions by name (``"linear"`` is none at all)."""

_FLOAT_ACTIVATIONS: dict[str, Callable[[float], float] | None] = {
    "relu": autograd.relu,
    "tanh": autograd.tanh,
    "sigmoid": autograd.sigmoid,
    "linear": None,
}
"""The same functions on plain floats (the engine's module-level functions take numbers too)."""


def init_bound(activation: str, n_inputs: int) -> float:
    """The half-width ``a`` of the uniform weight initialisation (see the module docstring).

    >>> init_bound("relu", 6), init_bound("tanh", 3)
    (1.0, 1.0)
    """
    return math.sqrt((6.0 if activation == "relu" else 3.0) / n_inputs)


def as_inputs(inputs: Sequence[Any], n_inputs: int, who: str) -> list[Value]:
    """``inputs`` checked for length, numbers turned into constant Values (so ``linear`` is fast).

    >>> as_inputs([1.0, Value(2.0)], 2, "this MLP")
    [Value(data=1.0, grad=0.0), Value(data=2.0, grad=0.0)]
    >>> as_inputs([1.0], 2, "this MLP")
    Traceback (most recent call last):
    ...
    ValueError: this MLP expects 2 inputs, got 1
    """
    check_length(inputs, n_inputs, who)
    return [x if isinstance(x, Value) else Value(x) for x in inputs]


def as_numbers(inputs: Sequence[Any], n_inputs: int, who: str) -> list[float]:
    """``inputs`` as floats, checked exactly as ``as_inputs`` checks them (the same errors).

    >>> as_numbers([1, 10 ** 400], 2, "this MLP")
    [1.0, inf]
    >>> as_numbers(["1", 2.0], 2, "this MLP")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: ...got str '1'...
    """
    return [x.data for x in as_inputs(inputs, n_inputs, who)]


class Neuron(Module):
    """One neuron: ``activation(dot(w, x) + b)`` with ``n_inputs`` weights and a bias.

    >>> neuron = Neuron(2, activation="linear", seed=0)
    >>> neuron.load_state_dict({"weights.0": 1.0, "weights.1": -2.0, "bias": 0.5})
    LoadedKeys(missing_keys=[], unexpected_keys=[])
    >>> neuron([3.0, 1.0]).data
    1.5
    """

    def __init__(self, n_inputs: int, activation: str = "relu", *, seed: Seed = None) -> None:
        self.n_inputs = check_size(n_inputs, "Neuron: n_inputs")
        self.activation = check_choice(activation, ACTIVATIONS, "activation")
        rng = make_rng(seed)
        bound = init_bound(activation, self.n_inputs)
        self.weights = [Value(rng.uniform(-bound, bound), label=f"w{i}") for i in range(self.n_inputs)]
        self.bias = Value(0.0, label="b")
        self._activate = ACTIVATIONS[activation]

    def __call__(self, inputs: Sequence[Any]) -> Value:
        """The neuron's output for one example (a list of ``n_inputs`` numbers or Values)."""
        return self._forward(as_inputs(inputs, self.n_inputs, "this Neuron"))

    def _forward(self, inputs: list[Value]) -> Value:
        out = linear(self.weights, inputs, self.bias)
        activate = self._activate
        return out if activate is None else activate(out)

    def evaluate(self, inputs: Sequence[float]) -> float:
        """The output for one example as a plain float, building no graph (see ``MLP.evaluate``).

        >>> neuron = Neuron(2, seed=0)
        >>> neuron.evaluate([0.5, -1.0]) == neuron([0.5, -1.0]).data
        True
        """
        return self._evaluate(as_numbers(inputs, self.n_inputs, "this Neuron"))

    def _evaluate(self, inputs: list[float]) -> float:
        # the same arithmetic, in the same order, as autograd.linear's forward value: the products
        # added left to right from 0.0 (not sum(), which compensates rounding from Python 3.12 on)
        products = map(mul, [w.data for w in self.weights], inputs)
        out: float = reduce(add, products, 0.0) + self.bias.data
        activate = _FLOAT_ACTIVATIONS[self.activation]
        return out if activate is None else activate(out)

    def config(self) -> dict[str, Any]:
        return {"type": "Neuron", "n_inputs": self.n_inputs, "activation": self.activation}

    def __repr__(self) -> str:
        return f"Neuron({self.n_inputs}, activation={self.activation!r})"


class Layer(Module):
    """``n_outputs`` neurons that all see the same inputs; calling it ALWAYS returns a list.

    >>> layer = Layer(3, 2, seed=0)
    >>> outputs = layer([1.0, 2.0, 3.0])
    >>> len(outputs), Layer(3, 1, seed=0)([1.0, 2.0, 3.0]).__class__.__name__
    (2, 'list')
    """

    def __init__(self, n_inputs: int, n_outputs: int, activation: str = "relu", *, seed: Seed = None) -> None:
        self.n_inputs = check_size(n_inputs, "Layer: n_inputs")
        self.n_outputs = check_size(n_outputs, "Layer: n_outputs")
        self.activation = check_choice(activation, ACTIVATIONS, "activation")
        rng = make_rng(seed)
        self.neurons = [Neuron(self.n_inputs, activation, seed=rng) for _ in range(self.n_outputs)]

    def __call__(self, inputs: Sequence[Any]) -> list[Value]:
        """The layer's outputs for one example, one Value per neuron."""
        return self._forward(as_inputs(inputs, self.n_inputs, "this Layer"))

    def _forward(self, inputs: list[Value]) -> list[Value]:
        return [neuron._forward(inputs) for neuron in self.neurons]

    def evaluate(self, inputs: Sequence[float]) -> list[float]:
        """The outputs for one example as plain floats, building no graph (see ``MLP.evaluate``).

        >>> layer = Layer(2, 3, seed=0)
        >>> layer.evaluate([0.5, -1.0]) == [v.data for v in layer([0.5, -1.0])]
        True
        """
        return self._evaluate(as_numbers(inputs, self.n_inputs, "this Layer"))

    def _evaluate(self, inputs: list[float]) -> list[float]:
        return [neuron._evaluate(inputs) for neuron in self.neurons]

    def config(self) -> dict[str, Any]:
        return {
            "type": "Layer",
            "n_inputs": self.n_inputs,
            "n_outputs": self.n_outputs,
            "activation": self.activation,
        }

    def __repr__(self) -> str:
        return f"Layer({self.n_inputs} -> {self.n_outputs}, activation={self.activation!r})"


class MLP(Module):
    """A multi-layer perceptron: layers of the given ``sizes``, the last one linear by default.

    ``MLP(2, [16, 16, 1])`` is micrograd's demo model: 2 inputs, two hidden relu layers of 16, one
    linear output. Calling it on one example returns a list of Values (one for one output).

    >>> model = MLP(2, [16, 16, 1], seed=0)
    >>> model
    MLP(2 -> [16, 16, 1], activation='relu', output_activation='linear', parameters=337)
      (0): Layer(2 -> 16, activation='relu')
      (1): Layer(16 -> 16, activation='relu')
      (2): Layer(16 -> 1, activation='linear')
    >>> len(model([0.5, -1.0]))
    1
    """

    def __init__(
        self,
        n_inputs: int,
        sizes: Sequence[int],
        activation: str = "relu",
        *,
        output_activation: str = "linear",
        seed: Seed = None,
    ) -> None:
        self.n_inputs = check_size(n_inputs, "MLP: n_inputs")
        if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
            raise TypeError(
                f"MLP: sizes must be a list of layer sizes such as [16, 16, 1], got {sizes!r:.40}"
            )
        if len(sizes) == 0:
            raise ValueError("MLP: sizes must name at least one layer, e.g. [16, 16, 1]")
        self.sizes = [check_size(size, f"MLP: sizes[{i}]") for i, size in enumerate(sizes)]
        self.activation = check_choice(activation, ACTIVATIONS, "activation")
        self.output_activation = check_choice(output_activation, ACTIVATIONS, "activation")
        rng = make_rng(seed)
        fan_ins = [self.n_inputs, *self.sizes[:-1]]
        last = len(self.sizes) - 1
        self.layers = [
            Layer(fan_in, size, output_activation if i == last else activation, seed=rng)
            for i, (fan_in, size) in enumerate(zip(fan_ins, self.sizes))
        ]

    def __call__(self, inputs: Sequence[Any]) -> list[Value]:
        """The outputs for one example (``n_inputs`` numbers or Values): a list of Values."""
        values = as_inputs(inputs, self.n_inputs, "this MLP")
        for layer in self.layers:
            values = layer._forward(values)
        return values

    def evaluate(self, inputs: Sequence[float]) -> list[float]:
        """The outputs for one example as plain floats, computed with no graph at all.

        The same arithmetic in the same order as calling the model, so the same bits, several
        times faster: for inference, ``nn.predict`` and plots (a decision boundary is thousands of
        calls), not for training.

        >>> model = MLP(2, [8, 8, 1], seed=0)
        >>> model.evaluate([0.5, -1.0]) == [v.data for v in model([0.5, -1.0])]
        True
        """
        values = as_numbers(inputs, self.n_inputs, "this MLP")
        for layer in self.layers:
            values = layer._evaluate(values)
        return values

    # ----- onward to PyTorch, and back -----------------------------------------------------

    def to_torch(self) -> Any:
        """This model as a ``torch.nn.Sequential`` of ``Linear`` layers and activations, in float64.

        Each layer becomes a ``torch.nn.Linear`` followed by ``ReLU``, ``Tanh`` or ``Sigmoid`` (none
        for ``"linear"``): ``MLP(2, [16, 16, 1])`` becomes ``Linear(2, 16), ReLU(), Linear(16, 16),
        ReLU(), Linear(16, 1)``, with this model's numbers. Its outputs and gradients are this
        model's (up to rounding: PyTorch sums in another order). It needs PyTorch installed.

        PyTorch keeps a tensor per layer where chainrule keeps a ``Value`` per number: neuron j of
        layer k holds row j of the k-th ``Linear``'s ``weight`` and entry j of its ``bias``. The
        names, for ``MLP(2, [16, 16, 1])`` (modules 1 and 3 are its two ``ReLU`` modules)::

            chainrule (named_parameters)     PyTorch (to_torch().state_dict()) and index
            layers.0.neurons.j.weights.i     0.weight [j, i]
            layers.0.neurons.j.bias          0.bias   [j]
            layers.1.neurons.j.weights.i     2.weight [j, i]
            layers.2.neurons.0.bias          4.bias   [0]

        ``torch_names()`` gives this map for every parameter:

        >>> names = MLP(2, [16, 16, 1], seed=0).torch_names()
        >>> names["layers.1.neurons.3.weights.5"], names["layers.2.neurons.0.bias"]
        (('2.weight', (3, 5)), ('4.bias', (0,)))

        With PyTorch::

            net = model.to_torch()
            net(torch.tensor([0.5, -1.0], dtype=torch.float64))  # model([0.5, -1.0]), as a tensor
            key, index = model.torch_names()["layers.1.neurons.3.weights.5"]
            net.state_dict()[key][index]  # that weight's number
        """
        layers = [
            ([[w.data for w in n.weights] for n in layer.neurons], [n.bias.data for n in layer.neurons])
            for layer in self.layers
        ]
        return build_sequential(layers, [layer.activation for layer in self.layers])

    def torch_names(self) -> dict[str, tuple[str, tuple[int, ...]]]:
        """Each parameter's place in ``to_torch()``: its name -> (PyTorch's key, index in that tensor).

        >>> MLP(2, [3, 1], activation="linear", seed=0).torch_names()["layers.1.neurons.0.weights.2"]
        ('1.weight', (0, 2))
        """
        positions = linear_positions([layer.activation for layer in self.layers])
        names: dict[str, tuple[str, tuple[int, ...]]] = {}
        for k, (layer, position) in enumerate(zip(self.layers, positions)):
            for j, neuron in enumerate(layer.neurons):
                for i in range(neuron.n_inputs):
                    names[f"layers.{k}.neurons.{j}.weights.{i}"] = (f"{position}.weight", (j, i))
                names[f"layers.{k}.neurons.{j}.bias"] = (f"{position}.bias", (j,))
        return names

    @classmethod
    def from_torch(cls, sequential: Any) -> MLP:
        """The MLP that a ``torch.nn.Sequential`` of ``Linear`` layers and activations computes.

        The inverse of ``to_torch``: ``Linear`` layers with biases, each followed by at most one
        ``ReLU``, ``Tanh`` or ``Sigmoid``, the same after every hidden layer. Numbers of any float
        type are converted to float64 exactly. Anything else (a ``Linear`` without bias, one whose
        weight's shape is not ``[out_features, in_features]``, one on the meta device, mixed hidden
        activations, another module) is a ``ValueError`` naming the module. With PyTorch::

            net = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
            model = MLP.from_torch(net)  # MLP(2 -> [8, 1], activation='tanh', ...), net's numbers
            MLP.from_torch(model.to_torch()).state_dict() == model.state_dict()  # True
        """
        found = read_sequential(sequential)
        model = cls(found.n_inputs, found.sizes, found.activation, output_activation=found.output_activation)
        for layer, (weights, biases) in zip(model.layers, found.layers):
            for neuron, row, bias in zip(layer.neurons, weights, biases):
                for weight, number in zip(neuron.weights, row):
                    weight.data = number
                neuron.bias.data = bias
        return model

    def config(self) -> dict[str, Any]:
        return {
            "type": "MLP",
            "n_inputs": self.n_inputs,
            "sizes": list(self.sizes),
            "activation": self.activation,
            "output_activation": self.output_activation,
        }

    def __repr__(self) -> str:
        head = (
            f"MLP({self.n_inputs} -> {self.sizes}, activation={self.activation!r}, "
            f"output_activation={self.output_activation!r}, parameters={self.num_parameters()})"
        )
        return "\n".join([head, *(f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers))])
