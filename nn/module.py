"""``Module``: the base of every network part: its parameters, their names, and saving them.

A module finds its parameters by looking at its own attributes, in the order they were assigned
in ``__init__`` (as PyTorch does): a ``Value`` attribute is a parameter, a ``Module`` attribute is a
sub-module, and a list or tuple of either is numbered from 0. Attributes whose names start with
``_`` are private and never searched. So a ``Neuron`` (``weights``, then ``bias``) has the parameter
names ``weights.0, weights.1, ..., bias``, and an ``MLP`` has
``layers.0.neurons.0.weights.0, ..., layers.0.neurons.0.bias, layers.0.neurons.1.weights.0, ...``:
layer by layer, neuron by neuron, each neuron's weights and then its bias (micrograd's order).
That order is what ``parameters()`` returns, and it is stable: the same architecture always gives
the same order.

Saving and loading go through ``nn.model_file`` (the JSON format and the atomic writer).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple, TypeVar

from autograd import Value
from nn.arguments import is_number, to_float
from nn.model_file import ModelFileError, PathLike, file_path, read_model_file, write_model_file

M = TypeVar("M", bound="Module")


class Module:
    """The base class of layers and models: ``parameters()``, ``zero_grad()``, saving and loading.

    Subclasses assign their parameters (``Value``) and parts (``Module``) as attributes, and define
    ``__call__``; ``config()`` describes the architecture for model files.

    >>> from autograd import Value
    >>> class Scale(Module):
    ...     def __init__(self):
    ...         self.factor = Value(2.0)
    ...     def __call__(self, x):
    ...         return self.factor * x
    >>> model = Scale()
    >>> model.named_parameters()
    [('factor', Value(data=2.0, grad=0.0))]
    >>> model.num_parameters()
    1
    """

    def __call__(self, inputs: Any, /) -> Any:
        """The module applied to ``inputs``: every subclass defines it (declared here, so that any
        ``Module``, as ``nn.load_model`` returns, can be called where types are checked).

        >>> from nn import Neuron
        >>> Neuron(1, activation="linear", seed=0)([0.0]).data == Neuron(1, seed=0).bias.data
        True
        """
        raise NotImplementedError(
            f"{type(self).__name__} defines no __call__: a Module subclass says how it applies to its inputs"
        )

    def __repr__(self) -> str:
        """What it is, for a subclass without its own: ``Scale(parameters=1)``."""
        return f"{type(self).__name__}(parameters={self.num_parameters()})"

    # ----- parameters ---------------------------------------------------------------------

    def _parts(self) -> Iterator[tuple[str, Value | Module]]:
        """Each public attribute that is a Value or a Module, lists and tuples numbered, in order."""
        for name, attribute in vars(self).items():
            if name.startswith("_"):
                continue
            if isinstance(attribute, (Value, Module)):
                yield name, attribute
            elif isinstance(attribute, (list, tuple)):
                for index, item in enumerate(attribute):
                    if isinstance(item, (Value, Module)):
                        yield f"{name}.{index}", item

    def _collect(self, prefix: str, named: list[tuple[str, Value]], seen: set[Value | Module]) -> None:
        """Append this module's parameters not ``seen`` yet, with their names, depth first."""
        for name, part in self._parts():
            if part in seen:  # a tied parameter or a shared sub-module: listed under its first name
                continue
            seen.add(part)
            if isinstance(part, Value):
                named.append((prefix + name, part))
            else:
                part._collect(f"{prefix}{name}.", named, seen)

    def named_parameters(self) -> list[tuple[str, Value]]:
        """Every parameter with its dotted name, in the order of ``parameters()``.

        A parameter held twice (tied weights, or a sub-module used twice) is listed once, under the
        first name found, as in PyTorch: so an optimizer updates it once per step.

        >>> from nn import Neuron
        >>> [name for name, _ in Neuron(2, seed=0).named_parameters()]
        ['weights.0', 'weights.1', 'bias']
        """
        named: list[tuple[str, Value]] = []
        self._collect("", named, {self})
        return named

    def parameters(self) -> list[Value]:
        """Every parameter (a ``Value`` leaf) once, as one flat list, in the documented stable order.

        >>> from nn import MLP
        >>> len(MLP(2, [16, 16, 1], seed=0).parameters())
        337
        """
        return [parameter for _, parameter in self.named_parameters()]

    def num_parameters(self) -> int:
        """How many scalar parameters the module has.

        >>> from nn import Layer
        >>> Layer(3, 4, seed=0).num_parameters()
        16
        """
        return len(self.parameters())

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear every parameter's gradient: ``grad = None`` (as PyTorch 2), or 0 with ``set_to_none=False``.

        ``backward()`` accumulates into leaves, so call this (or the optimizer's) before each one;
        it starts a None gradient from 0. See ``nn.module.zero_grad``.

        >>> from nn import Neuron
        >>> neuron = Neuron(2, seed=0)
        >>> neuron([1.0, 2.0]).backward()
        >>> neuron.zero_grad()
        >>> {p.grad for p in neuron.parameters()}
        {None}
        """
        zero_grad(self.parameters(), set_to_none)

    def config(self) -> dict[str, Any]:
        """The architecture as JSON-ready data (enough to build the same module again).

        >>> from nn import MLP
        >>> MLP(2, [3, 1], activation="tanh", seed=0).config()
        {'type': 'MLP', 'n_inputs': 2, 'sizes': [3, 1], 'activation': 'tanh', 'output_activation': 'linear'}
        """
        return {"type": type(self).__name__}

    # ----- state: parameter values by name ------------------------------------------------

    def state_dict(self) -> dict[str, float]:
        """The parameter values by name, in ``parameters()`` order.

        >>> from nn import Neuron
        >>> neuron = Neuron(1, seed=0)
        >>> neuron.bias.data = 0.5
        >>> neuron.state_dict()["bias"]
        0.5
        """
        return {name: parameter.data for name, parameter in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, Any], strict: bool = True) -> LoadedKeys:
        """Set the parameters from ``state`` (name -> number), as made by ``state_dict()``.

        With ``strict=True`` (the default) every name must match exactly; otherwise a ``ValueError``
        names the first missing or unexpected parameter (or the first value that is not a number)
        and NOTHING is changed. With ``strict=False`` the names that match are loaded and the others
        are returned, as PyTorch does: ``LoadedKeys(missing_keys=[...], unexpected_keys=[...])``
        (both empty after a strict load). A value that is not a number is an error either way.

        >>> from nn import Neuron
        >>> neuron = Neuron(1, seed=0)
        >>> neuron.load_state_dict({"weights.0": 2.0, "bias": -1.0})
        LoadedKeys(missing_keys=[], unexpected_keys=[])
        >>> neuron([3.0]).data
        5.0
        >>> neuron.load_state_dict({"weights.0": 3.0, "scale": 1.0}, strict=False)
        LoadedKeys(missing_keys=['bias'], unexpected_keys=['scale'])
        >>> neuron([3.0]).data
        8.0
        >>> neuron.load_state_dict({"weights.0": 2.0})
        Traceback (most recent call last):
        ...
        ValueError: the state has no value for parameter 'bias' (this Neuron has 2 parameters, the state 1)
        """
        if not isinstance(state, Mapping):
            raise TypeError(
                f"load_state_dict: expected a mapping of name -> number, got {type(state).__name__}"
            )
        if not isinstance(strict, bool):
            raise TypeError(f"load_state_dict(strict=...): expected True or False, got {strict!r:.40}")
        named = self.named_parameters()
        kind = type(self).__name__
        sizes = f"(this {kind} has {len(named)} parameters, the state {len(state)})"
        known = {name for name, _ in named}
        missing = [name for name, _ in named if name not in state]
        unexpected = [name for name in state if name not in known]
        if strict and missing:
            raise ValueError(f"the state has no value for parameter {missing[0]!r} {sizes}")
        loaded = []
        for name, parameter in named:
            if name in state:
                value = state[name]
                if not is_number(value):
                    raise ValueError(
                        f"parameter {name!r}: expected a number, got {type(value).__name__} {value!r:.40}"
                    )
                loaded.append((parameter, to_float(value)))
        if strict and unexpected:
            raise ValueError(
                f"the state has a value for {unexpected[0]!r}, which this {kind} does not have {sizes}"
            )
        for parameter, value in loaded:
            parameter.data = value
        return LoadedKeys(missing, unexpected)

    # ----- PyTorch's habits that mean nothing here -----------------------------------------

    def train(self: M, mode: bool = True) -> M:
        """Does nothing and returns the module, so PyTorch's ``model.train()`` runs unchanged.

        No module here behaves differently in training and evaluation (there is no dropout or batch
        norm), so there is no mode to switch.

        >>> from nn import MLP
        >>> model = MLP(2, [3, 1], seed=0)
        >>> model.train() is model
        True
        """
        if not isinstance(mode, bool):
            raise TypeError(f"train(mode=...): expected True or False, got {mode!r:.40}")
        return self

    def eval(self: M) -> M:
        """Does nothing and returns the module, as ``train()``: PyTorch's ``model.eval()`` runs unchanged.

        >>> from nn import MLP
        >>> model = MLP(2, [3, 1], seed=0)
        >>> model.eval() is model
        True
        """
        return self

    # ----- files --------------------------------------------------------------------------

    def save(self, path: PathLike) -> None:
        """Write the architecture and the parameters to a JSON model file, atomically.

        A crash mid-write leaves the old file intact, never a half-written one; see
        ``nn.model_file.write_model_file``. A parameter that is not a finite number (nan, inf, a
        bool) is refused by name.

        >>> import os, tempfile
        >>> from nn import MLP
        >>> model = MLP(2, [4, 1], seed=0)
        >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
        >>> model.save(path)
        >>> MLP(2, [4, 1], seed=1).load(path).state_dict() == model.state_dict()
        True
        """
        write_model_file(path, self.config(), self.state_dict())

    def load(self: M, path: PathLike = "") -> M:
        """Fill this module's parameters from a file written by ``save`` and return the module.

        The file's architecture must equal this module's. A file that is not JSON, is truncated,
        is not a model file, or holds another architecture or other parameters raises
        ``ModelFileError`` (a ``ValueError``) naming the file and the field (for an architecture,
        the first difference). On any error nothing is changed.

        >>> import os, tempfile
        >>> from nn import MLP
        >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
        >>> MLP(2, [4, 1], seed=0).save(path)
        >>> MLP(2, [5, 1], seed=0).load(path)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        nn.model_file.ModelFileError: ...: the file holds a different architecture: sizes is [4, 1] ...
        """
        if not isinstance(self, Module):  # nn.MLP.load("m.json"): the path arrived as self
            raise TypeError(
                f"load() is called on a model, and fills its parameters: to build a model "
                f"from a file, use nn.load_model({self!r:.60}); to fill one, "
                f"model.load({self!r:.60})"
            )
        if path == "":
            raise TypeError(f"{type(self).__name__}.load(path): give the path of a file written by save()")
        filename = file_path(path, f"{type(self).__name__}.load")
        document = read_model_file(filename)
        mismatch = _first_difference(document["architecture"], self.config())
        if mismatch is not None:
            raise ModelFileError(f"{filename}: the file holds a different architecture: {mismatch}")
        load_parameters(self, document["parameters"], filename)
        return self


class LoadedKeys(NamedTuple):
    """What ``load_state_dict`` did not load: PyTorch's ``missing_keys`` and ``unexpected_keys``.

    >>> LoadedKeys(["bias"], []).missing_keys
    ['bias']
    """

    missing_keys: list[str]
    """The module's parameters the state had no value for (left as they were)."""
    unexpected_keys: list[str]
    """The state's names that are no parameter of the module (ignored)."""


def zero_grad(parameters: Iterable[Value], set_to_none: bool = True) -> None:
    """Clear each parameter's gradient, as PyTorch's ``zero_grad(set_to_none=...)`` does.

    ``set_to_none=True`` (the default, as in PyTorch 2) sets ``grad = None``: "no gradient yet";
    ``backward()`` starts it from 0 and optimizers skip the parameter until it has one.
    ``set_to_none=False`` sets a gradient to 0.0 and leaves a None one None. ``grad_value`` (the
    differentiable gradient of ``backward(create_graph=True)``) becomes None either way. This is
    what ``Module.zero_grad`` and ``Optimizer.zero_grad`` do.

    >>> from autograd import Value
    >>> x, y = Value(2.0), Value(3.0)
    >>> (x * y).backward(create_graph=True)
    >>> zero_grad([x], set_to_none=False); zero_grad([y])
    >>> x.grad, x.grad_value, y.grad, y.grad_value
    (0.0, None, None, None)
    """
    if not isinstance(set_to_none, bool):
        raise TypeError(f"zero_grad(set_to_none=...): expected True or False, got {set_to_none!r:.40}")
    for parameter in parameters:
        if set_to_none:
            parameter.grad = None  # "no gradient yet", as in PyTorch
        elif parameter.grad is not None:
            parameter.grad = 0.0
        parameter.grad_value = None


def load_parameters(module: Module, parameters: Mapping[str, float], path: str) -> None:
    """``module.load_state_dict(parameters)``, its errors a ``ModelFileError`` naming the file ``path``."""
    try:
        module.load_state_dict(parameters)
    except ValueError as error:
        raise ModelFileError(f"{path}: {error}") from None


def _first_difference(found: Mapping[str, Any], expected: Mapping[str, Any]) -> str | None:
    """The first architecture entry that differs, in words, or None."""
    for key in expected:
        if key not in found:
            return f"{key} is missing from the file (this model has {expected[key]!r})"
        if found[key] != expected[key]:
            return f"{key} is {found[key]!r:.60} in the file but {expected[key]!r} in this model"
    for key in found:
        if key not in expected:
            return f"the file has {key} = {found[key]!r:.60}, which this model does not have"
    return None
