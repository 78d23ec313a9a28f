"""The module types a model file can name: ``build`` one from its architecture, ``load_model``.

A model file records ``config()`` (for example ``{"type": "MLP", "n_inputs": 2, "sizes": [16, 1],
...}``); ``build`` turns that back into a freshly initialised module, and ``load_model`` builds the
module a file describes and fills in its parameters.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from typing import Any

from nn.arguments import Seed, is_number
from nn.layers import MLP, Layer, Neuron
from nn.model_file import ModelFileError, PathLike, file_path, read_model_file
from nn.module import Module, load_parameters

BUILDERS: dict[str, Callable[..., Module]] = {"MLP": MLP, "Layer": Layer, "Neuron": Neuron}
"""The module types by the name ``config()["type"]`` gives them."""


def build(config: Mapping[str, Any], seed: Seed = None) -> Module:
    """A new module of the architecture ``config`` (as made by ``config()``), freshly initialised.

    >>> build({"type": "MLP", "n_inputs": 2, "sizes": [3, 1], "activation": "tanh",
    ...        "output_activation": "linear"}, seed=0).num_parameters()
    13
    """
    kind = config.get("type")
    if not isinstance(kind, str) or kind not in BUILDERS:
        raise ValueError(f"unknown module type {kind!r:.40}; expected one of {', '.join(BUILDERS)}")
    options = {key: value for key, value in config.items() if key != "type"}
    try:
        return BUILDERS[kind](**options, seed=seed)
    except TypeError as error:
        raise ValueError(f"cannot build a {kind} from {dict(config)!r:.200}: {error}") from None


def parameter_count(config: Mapping[str, Any]) -> int | None:
    """How many parameters ``build(config)`` would make, found without building; None if unknown.

    Loading checks it against the file's parameters first, so that a file claiming a huge model
    is refused at once instead of being built. None means the sizes are not positive ints (or the
    type is not one of ``BUILDERS``): building then says what is wrong.

    >>> parameter_count({"type": "MLP", "n_inputs": 2, "sizes": [16, 16, 1]})
    337
    >>> parameter_count({"type": "MLP", "n_inputs": 2, "sizes": "16"}) is None
    True
    """
    kind = config.get("type")
    sizes = config.get("sizes")
    if kind == "MLP" and isinstance(sizes, list) and sizes:
        shape = [config.get("n_inputs"), *sizes]
    elif kind == "Layer":
        shape = [config.get("n_inputs"), config.get("n_outputs")]
    elif kind == "Neuron":
        shape = [config.get("n_inputs"), 1]
    else:
        return None
    if not all(is_number(n) and isinstance(n, numbers.Integral) and int(n) > 0 for n in shape):
        return None
    # each neuron of a layer has one weight per input of the layer, and a bias
    return sum((int(fan_in) + 1) * int(size) for fan_in, size in zip(shape, shape[1:]))


def load_model(path: PathLike) -> Module:
    """A new model built from the architecture recorded in a file written by ``save``, loaded.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> MLP(2, [4, 1], seed=0).save(path)
    >>> load_model(path)
    MLP(2 -> [4, 1], activation='relu', output_activation='linear', parameters=17)
      (0): Layer(2 -> 4, activation='relu')
      (1): Layer(4 -> 1, activation='linear')
    """
    filename = file_path(path, "load_model")
    document = read_model_file(filename)
    architecture, parameters = document["architecture"], document["parameters"]
    expected = parameter_count(architecture)
    if expected is not None and expected != len(parameters):
        described = str(expected) if expected < 10**12 else f"over 10**{len(str(expected)) - 1}"
        raise ModelFileError(
            f"{filename}: the architecture describes {described} parameters, the file holds {len(parameters)}"
        )
    try:
        model = build(architecture, seed=0)
    except ValueError as error:
        raise ModelFileError(f"{filename}: architecture: {error}") from None
    load_parameters(model, parameters, filename)
    return model
