"""``repr`` of every public object says what it is: never ``<... object at 0x...>``."""

from __future__ import annotations

import inspect

import pytest

import autograd as ag
import nn
from autograd import Value
from autograd.draw import Group, draw_graph
from autograd.tracing import trace
from tests.public_api import public_classes


class Scale(nn.Module):
    def __init__(self) -> None:
        self.factor = Value(2.0)

    def __call__(self, x: Value) -> Value:
        return self.factor * x


class Plain(nn.Optimizer):
    def _update(self, lr: float) -> None:
        pass


def _examples() -> dict[str, object]:
    """One instance of each public class, by the class's path (the exceptions and the drawings'
    classes are left out: an exception's repr is Python's, ``StepThrough``'s is tested with the viewer's)."""
    program = trace(lambda x: x * x, 1.0)
    return {
        "autograd.Value": Value(1.0),
        "autograd.no_grad": ag.no_grad(),
        "autograd.enable_grad": ag.enable_grad(),
        "autograd.detect_anomaly": ag.detect_anomaly(),
        "autograd.set_grad_enabled": ag.set_grad_enabled(ag.is_grad_enabled()),
        "autograd.draw.Group": Group("layer 1", [Value(1.0)]),
        "autograd.draw.ComputationGraph": draw_graph(Value(1.0, label="x") * 2.0),
        "autograd.tracing.Program": program,
        "autograd.tracing.Batch": program.batch([1.0, 2.0]),
        "nn.Module": Scale(),
        "nn.Neuron": nn.Neuron(2, seed=0),
        "nn.Layer": nn.Layer(2, 3, seed=0),
        "nn.MLP": nn.MLP(2, [3, 1], seed=0),
        "nn.Optimizer": Plain([Value(1.0)], lr=0.1),
        "nn.SGD": nn.SGD([Value(1.0)], lr=0.1),
        "nn.Adam": nn.Adam([Value(1.0)], lr=0.1),
        "nn.LinearDecay": nn.LinearDecay(1.0, 0.1, 10),
        "nn.LoadedKeys": nn.LoadedKeys([], []),
    }


EXAMPLES = _examples()
LEFT_TO_OTHERS = {"autograd.draw.StepThrough"}


def test_every_public_class_has_an_example_here():
    classes = {path for path, _ in public_classes()} - LEFT_TO_OTHERS
    assert classes == set(EXAMPLES)


@pytest.mark.parametrize("path", sorted(EXAMPLES))
def test_repr_says_what_it_is(path):
    example = EXAMPLES[path]
    text = repr(example)
    assert " object at 0x" not in text
    assert type(example).__name__ in text or inspect.isclass(example)


def test_reprs_read_as_they_are_written():
    assert [repr(EXAMPLES[f"autograd.{name}"]) for name in ("no_grad", "enable_grad", "detect_anomaly")] == [
        "no_grad()",
        "enable_grad()",
        "detect_anomaly()",
    ]
    with ag.no_grad():
        assert repr(ag.set_grad_enabled(True)) == "set_grad_enabled(True)"
    assert repr(Scale()) == "Scale(parameters=1)"
    assert repr(EXAMPLES["nn.Optimizer"]) == "Plain(1 parameters, lr=0.1)"


def test_a_drawings_repr_counts_its_nodes_and_edges():
    # x and x * 2 as records, * and the constant 2 as nodes of their own; x, 2 -> * -> x * 2
    # (graphviz's own repr is object's: <... object at 0x...>)
    expected = "<ComputationGraph 'computation graph': 4 nodes, 3 edges; its DOT text is .source>"
    assert repr(EXAMPLES["autograd.draw.ComputationGraph"]) == expected


def cube(x):
    """x cubed."""
    return x**3


def test_a_transformed_functions_repr_names_the_transformation():
    assert repr(ag.grad(cube)).startswith("<function grad(cube) at 0x")
    assert repr(ag.grad(ag.grad(cube))).startswith("<function grad(grad(cube)) at 0x")
    for name in ("value_and_grad", "hessian", "jacobian"):
        assert getattr(ag, name)(cube).__qualname__ == f"{name}(cube)"
    assert ag.grad(cube).__doc__ == "x cubed." and ag.grad(cube).__name__ == "cube"  # help() shows cube's
