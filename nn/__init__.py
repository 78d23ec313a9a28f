"""chainrule's neural networks, built from ``autograd.Value`` operations (no derivative written here).

>>> import nn
>>> X, y = nn.make_moons(n_samples=40, noise=0.1, seed=0)
>>> model = nn.MLP(2, [8, 1], seed=0)
>>> history = nn.fit(model, X, [2 * label - 1 for label in y], loss=nn.hinge,
...                  optimizer=nn.SGD(model.parameters(), lr=0.1), epochs=3)
>>> len(history["loss"])
3
"""

from nn._import_guard import check_engine

check_engine()  # before anything imports from autograd: a clear error if it is another package

from autograd import __version__ as __version__  # noqa: E402 (one distribution: one version for both)
from nn.architectures import build, load_model  # noqa: E402
from nn.compiled import CompileError  # noqa: E402
from nn.data import make_blobs, make_circles, make_moons, make_spirals  # noqa: E402
from nn.drawing import neuron_groups  # noqa: E402
from nn.layers import ACTIVATIONS, MLP, Layer, Neuron  # noqa: E402
from nn.losses import binary_cross_entropy, cross_entropy, hinge, l2, mse  # noqa: E402
from nn.model_file import ModelFileError  # noqa: E402
from nn.module import LoadedKeys, Module  # noqa: E402
from nn.optim import SGD, Adam, LinearDecay, Optimizer  # noqa: E402
from nn.train import accuracy, fit, predict  # noqa: E402

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "SGD",
    "Adam",
    "CompileError",
    "Layer",
    "LinearDecay",
    "LoadedKeys",
    "ModelFileError",
    "Module",
    "Neuron",
    "Optimizer",
    "accuracy",
    "binary_cross_entropy",
    "build",
    "cross_entropy",
    "fit",
    "hinge",
    "l2",
    "load_model",
    "make_blobs",
    "make_circles",
    "make_moons",
    "make_spirals",
    "mse",
    "neuron_groups",
    "predict",
]
