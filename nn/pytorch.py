"""Moving an ``MLP``'s numbers to PyTorch and back (``MLP.to_torch``, ``MLP.from_torch``).

PyTorch is optional: chainrule never needs it, and it is imported here only, when one of these
functions runs (``import_torch`` says how to install it when it is missing). This module knows
PyTorch's side, a ``torch.nn.Sequential`` of ``Linear`` layers and activation modules; an MLP's
side is plain data: one ``(weights, biases)`` pair per layer, ``weights[j][i]`` being neuron j's
weight for input i (a row of ``Linear.weight``, whose shape is outputs x inputs).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

LayerNumbers = tuple[list[list[float]], list[float]]
"""One layer's numbers: its weights (one row per neuron) and its biases (one per neuron)."""


def import_torch(who: str) -> Any:
    """The ``torch`` module, or an ``ImportError`` that says ``who`` needs it and how to install it."""
    try:
        return importlib.import_module("torch")
    except ImportError as error:
        raise ImportError(
            f"{who} needs PyTorch, which cannot be imported here ({error}); install it with "
            "pip install torch (chainrule itself does not need it)"
        ) from error


def _activation_classes(torch: Any) -> dict[str, Any]:
    """chainrule's activation names -> PyTorch's module classes (the same functions)."""
    return {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid}


def linear_positions(activations: list[str]) -> list[int]:
    """Where each layer's ``Linear`` sits in the ``Sequential``: an activation module follows each
    layer whose activation is not ``"linear"``.

    >>> linear_positions(["relu", "relu", "linear"]), linear_positions(["linear", "tanh", "sigmoid"])
    ([0, 2, 4], [0, 1, 3])
    """
    positions, position = [], 0
    for activation in activations:
        positions.append(position)
        position += 1 if activation == "linear" else 2
    return positions


def build_sequential(layers: list[LayerNumbers], activations: list[str]) -> Any:
    """A float64 ``torch.nn.Sequential`` computing the MLP with these layers and activations."""
    torch = import_torch("MLP.to_torch")
    classes = _activation_classes(torch)
    modules = []
    for (weights, biases), activation in zip(layers, activations):
        # skip_init: PyTorch's random initialisation would be overwritten, and would move its global RNG
        linear = torch.nn.utils.skip_init(torch.nn.Linear, len(weights[0]), len(weights), dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(weights, dtype=torch.float64))
            linear.bias.copy_(torch.tensor(biases, dtype=torch.float64))
        modules.append(linear)
        if activation != "linear":
            modules.append(classes[activation]())
    return torch.nn.Sequential(*modules)


@dataclass
class SequentialMLP:
    """What a ``Sequential`` of ``Linear`` layers and activations holds, as an MLP describes it."""

    n_inputs: int
    sizes: list[int]
    activation: str
    output_activation: str
    layers: list[LayerNumbers]


def read_sequential(sequential: Any) -> SequentialMLP:
    """The MLP that ``sequential`` computes, or an error naming the first module an MLP cannot hold.

    An MLP is ``Linear`` layers with biases, each followed by at most one ``ReLU``, ``Tanh`` or
    ``Sigmoid``, the same after every hidden layer (the last layer's may differ).
    """
    torch = import_torch("MLP.from_torch")
    if not isinstance(sequential, torch.nn.Sequential):
        raise TypeError(
            f"MLP.from_torch: expected a torch.nn.Sequential of Linear layers and activations, "
            f"got {type(sequential).__name__}"
        )
    classes = _activation_classes(torch)
    linears: list[Any] = []
    activations: list[str] = []  # one per Linear: the module after it, or "linear"
    for index, module in enumerate(sequential):
        where = f"MLP.from_torch: module {index} ({type(module).__name__})"
        if type(module) is torch.nn.Linear:
            _check_linear(module, linears[-1] if linears else None, where, torch)
            linears.append(module)
            activations.append("linear")
            continue
        name = next((name for name, cls in classes.items() if type(module) is cls), None)
        if name is None:
            raise ValueError(f"{where}: an MLP holds only Linear, ReLU, Tanh and Sigmoid modules")
        if not linears or activations[-1] != "linear":
            raise ValueError(f"{where}: an activation must follow a Linear, one activation per layer")
        activations[-1] = name
    if not linears:
        raise ValueError("MLP.from_torch: the Sequential holds no Linear layer")
    return SequentialMLP(
        n_inputs=linears[0].in_features,
        sizes=[linear.out_features for linear in linears],
        activation=_hidden_activation(activations[:-1], linear_positions(activations)),
        output_activation=activations[-1],
        layers=[(_floats(linear.weight, torch), _floats(linear.bias, torch)) for linear in linears],
    )


def _check_linear(linear: Any, previous: Any, where: str, torch: Any) -> None:
    """A ``Linear`` an MLP can hold: with a bias, real numbers of the shapes it states, fed by the
    previous layer's outputs."""
    if linear.bias is None:
        raise ValueError(f"{where} has no bias, and every chainrule neuron has one: build it with bias=True")
    expected_shapes = {
        "weight": [linear.out_features, linear.in_features],
        "bias": [linear.out_features],
    }
    for name, expected_shape in expected_shapes.items():
        tensor = getattr(linear, name)
        if tensor.is_meta:  # a shape without numbers: reading them raises a bare NotImplementedError
            raise ValueError(
                f"{where} is on the meta device: its {name} has a shape but no numbers; give it numbers "
                "first (for example linear.to_empty(device='cpu') then load_state_dict)"
            )
        if not torch.is_floating_point(tensor):
            raise ValueError(f"{where} holds {tensor.dtype} numbers; an MLP holds real floats")
        if list(tensor.shape) != expected_shape:
            raise ValueError(
                f"{where}: its {name} has shape {list(tensor.shape)}, but in_features={linear.in_features} "
                f"and out_features={linear.out_features} make it {expected_shape}"
            )
    if previous is not None and linear.in_features != previous.out_features:
        raise ValueError(
            f"{where} takes {linear.in_features} inputs; the Linear before it gives {previous.out_features}"
        )


def _hidden_activation(hidden: list[str], positions: list[int]) -> str:
    """The one activation of the hidden layers (``"relu"`` when there are none, the MLP default)."""
    for k, activation in enumerate(hidden):
        if activation != hidden[0]:
            raise ValueError(
                f"MLP.from_torch: mixed hidden activations: the Linear at module {positions[0]} is followed "
                f"by {hidden[0]}, the one at module {positions[k]} by {activation}; an MLP has one "
                "activation for all its hidden layers"
            )
    return hidden[0] if hidden else "relu"


def _floats(tensor: Any, torch: Any) -> Any:
    """A tensor's numbers as Python floats (float64: float32 and float16 convert exactly)."""
    return tensor.detach().to(device="cpu", dtype=torch.float64).tolist()
