"""Second and third derivatives: create_graph, nested grad, hessian, against PyTorch and differences."""

import gc
import math
import weakref
from types import SimpleNamespace

import pytest
from helpers import require_torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import Value, grad, gradgradcheck, hessian

# Each primitive once, as a function of one Value, with points away from kinks and edges.
# (name, chainrule function, torch function, points)
UNARY = [
    ("exp", lambda x: x.exp(), lambda t, x: t.exp(x), [-1.3, 0.0, 0.7]),
    ("log", lambda x: x.log(), lambda t, x: t.log(x), [0.3, 1.0, 2.5]),
    ("sqrt", lambda x: x.sqrt(), lambda t, x: t.sqrt(x), [0.2, 1.0, 3.0]),
    ("tanh", lambda x: x.tanh(), lambda t, x: t.tanh(x), [-1.5, 0.0, 0.4]),
    ("sigmoid", lambda x: x.sigmoid(), lambda t, x: t.sigmoid(x), [-2.0, 0.0, 1.1]),
    ("softplus", lambda x: x.softplus(), lambda t, x: t.nn.functional.softplus(x), [-3.0, 0.0, 2.0]),
    ("sin", lambda x: x.sin(), lambda t, x: t.sin(x), [-1.0, 0.0, 2.0]),
    ("cos", lambda x: x.cos(), lambda t, x: t.cos(x), [-1.0, 0.0, 2.0]),
    ("relu", lambda x: x.relu() * x * x, lambda t, x: t.relu(x) * x * x, [-1.0, 0.5, 2.0]),
    ("abs", lambda x: abs(x) * x * x, lambda t, x: t.abs(x) * x * x, [-1.0, 0.5, 2.0]),
    ("pow const", lambda x: x**3, lambda t, x: x**3, [-1.5, 0.5, 2.0]),
    ("pow frac", lambda x: x**2.5, lambda t, x: x**2.5, [0.5, 2.0]),
    ("pow neg", lambda x: x**-2, lambda t, x: x**-2, [-1.5, 0.5, 2.0]),
    ("rpow", lambda x: 2.0**x, lambda t, x: 2.0**x, [-1.0, 0.5, 3.0]),
    ("div", lambda x: 1.0 / (x + 3.0), lambda t, x: 1.0 / (x + 3.0), [-1.0, 0.5, 2.0]),
    ("mul", lambda x: x * x * 0.5 - x, lambda t, x: x * x * 0.5 - x, [-1.0, 2.0]),
    ("self pow", lambda x: x**x, lambda t, x: x**x, [0.5, 1.5]),
    ("max", lambda x: ag.maximum(x * x, x), lambda t, x: t.maximum(x * x, x), [-1.0, 0.5, 2.0]),
    ("min", lambda x: ag.minimum(x * x, x), lambda t, x: t.minimum(x * x, x), [-1.0, 0.5, 2.0]),
    (
        "linear",
        lambda x: ag.linear([x, x * x], [x.sin(), Value(2.0)], x),
        lambda t, x: x * t.sin(x) + 2 * x * x + x,
        [-1.0, 0.5],
    ),
    ("sum", lambda x: ag.sum([x * x, x.exp(), 3.0]), lambda t, x: x * x + t.exp(x) + 3.0, [0.5]),
]
CASES = [(name, f, tf, x) for name, f, tf, points in UNARY for x in points]
IDS = [f"{name}@{x}" for name, _, _, x in CASES]


def torch_derivatives(torch_function, x, order):
    """Derivatives 1..order of a one-argument function at x, by PyTorch float64 double backward."""
    torch = require_torch()
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = torch_function(torch, xt)
    results = []
    for _ in range(order):
        if not y.requires_grad:  # a constant: every further derivative is 0
            results.append(0.0)
            continue
        (y,) = torch.autograd.grad(y, xt, create_graph=True, allow_unused=True, materialize_grads=True)
        results.append(y.item())
    return results


def close(a, b, tol=1e-9):
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


@pytest.mark.parametrize(("name", "f", "torch_function", "x"), CASES, ids=IDS)
def test_second_and_third_derivative_match_pytorch(name, f, torch_function, x):
    first, second, third = torch_derivatives(torch_function, x, 3)
    assert close(grad(f)(x), first)
    assert close(grad(grad(f))(x), second)
    assert close(grad(grad(grad(f)))(x), third)


@pytest.mark.parametrize(("name", "f", "torch_function", "x"), CASES, ids=IDS)
def test_second_derivative_matches_finite_differences_of_the_first(name, f, torch_function, x):
    assert gradgradcheck(f, [x])


@pytest.mark.parametrize(("name", "f", "torch_function", "x"), CASES, ids=IDS)
def test_backward_create_graph_matches_nested_grad(name, f, torch_function, x):
    v = Value(x)
    f(v).backward(create_graph=True)
    assert isinstance(v.grad, float)
    assert isinstance(v.grad_value, Value)
    assert v.grad == v.grad_value.data
    first = v.grad_value
    v.grad, v.grad_value = 0.0, None
    first.backward()
    assert close(v.grad, grad(grad(f))(x))


def test_cube_second_and_third_derivatives_with_create_graph():
    x = Value(2.0)
    (x**3).backward(create_graph=True)
    first = x.grad_value
    assert x.grad == 12.0
    x.grad, x.grad_value = 0.0, None
    first.backward(create_graph=True)
    second = x.grad_value
    assert x.grad == 12.0
    x.grad, x.grad_value = 0.0, None
    second.backward()
    assert x.grad == 6.0


def test_mixed_partials_of_x_y_exp_x():
    def f(x, y):
        return x * y * ag.exp(x)

    x, y = 0.7, -1.3
    e = math.exp(x)
    assert close(grad(f, argnums=0)(x, y), y * (1 + x) * e)
    assert close(grad(grad(f, argnums=0), argnums=1)(x, y), (1 + x) * e)
    assert close(grad(grad(f, argnums=1), argnums=0)(x, y), (1 + x) * e)
    assert close(grad(grad(f, argnums=0), argnums=0)(x, y), y * (2 + x) * e)
    assert grad(grad(f, argnums=1), argnums=1)(x, y) == 0.0
    h = hessian(f)(x, y)
    assert close(h[0][0], y * (2 + x) * e)
    assert close(h[0][1], (1 + x) * e) and close(h[1][0], (1 + x) * e)
    assert h[1][1] == 0.0


def test_leaf_grad_value_accumulates_like_grad():
    x = Value(3.0)
    (x * x).backward(create_graph=True)
    (x * x * x).backward(create_graph=True)
    assert x.grad == 6.0 + 27.0
    assert x.grad_value.data == x.grad
    second = x.grad_value
    x.grad, x.grad_value = 0.0, None
    second.backward()
    assert x.grad == 2.0 + 18.0  # d/dx (2x + 3x^2)


def test_hand_reset_grad_is_respected_by_create_graph():
    x = Value(3.0)
    (x * x).backward(create_graph=True)
    x.grad = 0.0  # the user zeroes .grad but leaves .grad_value
    (x * x).backward(create_graph=True)
    assert x.grad == 6.0 and x.grad_value.data == 6.0


def test_create_graph_graph_holds_a_cycle_but_functional_api_does_not():
    # backward(create_graph=True) stores a graph on x that refers back to x, as in PyTorch
    gc.disable()
    try:
        x = Value(2.0)
        (x * x * x).backward(create_graph=True)
        ref = weakref.ref(x)
        del x
        assert ref() is not None  # only the cyclic collector can free it
        gc.collect()
        assert ref() is None
        # the functional API keeps gradients out of the nodes: freed by reference counting
        y = Value(2.0)
        g = grad(grad(lambda v: v * v * v))(y)
        ref = weakref.ref(y)
        del y, g
        assert ref() is None
    finally:
        gc.enable()


# The same random program runs on chainrule and on PyTorch through one of these namespaces.
CHAINRULE = SimpleNamespace(
    tanh=ag.tanh,
    sin=ag.sin,
    exp=ag.exp,
    softplus=ag.softplus,
    total=ag.sum,
    linear=lambda a, b: ag.linear([a, b], [b, a], a),
)


def torch_namespace():
    torch = require_torch()
    return SimpleNamespace(
        tanh=torch.tanh,
        sin=torch.sin,
        exp=torch.exp,
        softplus=torch.nn.functional.softplus,
        total=sum,
        linear=lambda a, b: a * b + b * a + a,
    )


def _random_function(ops, n_inputs, lib):
    """A function of n_inputs scalars built from a list of (op, i, j) over earlier nodes."""

    def f(*xs):
        nodes = list(xs)
        for op, i, j in ops:
            a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
            if op == "add":
                nodes.append(a + b)
            elif op == "mul":
                nodes.append(a * b)
            elif op == "square":
                nodes.append(a**2)
            elif op == "softplus":
                nodes.append(lib.softplus(a - b))
            elif op == "linear":
                nodes.append(lib.linear(a, b))
            elif op == "sin":
                nodes.append(lib.sin(a) * 1.5)
            elif op == "exp":
                nodes.append(lib.exp(a * 0.3))
            else:
                nodes.append(lib.tanh(a))
        return lib.total(nodes[n_inputs:])

    return f


OPS = st.sampled_from(["add", "mul", "tanh", "sin", "exp", "softplus", "square", "linear"])
PROGRAMS = st.lists(st.tuples(OPS, st.integers(0, 20), st.integers(0, 20)), min_size=1, max_size=8)
POINTS = st.lists(st.floats(-1.5, 1.5), min_size=3, max_size=3)


@settings(max_examples=60)
@given(ops=PROGRAMS, point=POINTS)
def test_hessians_of_random_dags_match_pytorch(ops, point):
    torch = require_torch()
    ours = hessian(_random_function(ops, 3, CHAINRULE))(*point)
    inputs = tuple(torch.tensor(p, dtype=torch.float64) for p in point)
    theirs = torch.autograd.functional.hessian(_random_function(ops, 3, torch_namespace()), inputs)
    for i in range(3):
        for j in range(3):
            expected = theirs[i][j].item()
            assert math.isclose(ours[i][j], expected, rel_tol=1e-9, abs_tol=1e-9), (i, j)


@settings(max_examples=30)
@given(ops=PROGRAMS, point=POINTS)
def test_hessians_of_random_dags_match_finite_differences(ops, point):
    assert gradgradcheck(_random_function(ops, 3, CHAINRULE), point, atol=1e-4, rtol=1e-3)
