"""PyTorch and JAX habits that work here: item(), grad = None, set_grad_enabled, argnums everywhere."""

from __future__ import annotations

import pytest

import autograd as ag
from autograd import Value, gradients, hessian, is_grad_enabled, jacobian, no_grad, set_grad_enabled


def test_item_is_the_number():
    assert Value(2.5).item() == 2.5 and type((Value(1.0) * 3).item()) is float


def test_a_none_gradient_starts_from_zero():
    x = Value(3.0)
    x.grad = None  # type: ignore[assignment]
    (x * x).backward()
    assert x.grad == 6.0
    x.grad = None  # type: ignore[assignment]
    (x * x).backward(create_graph=True)
    assert x.grad == 6.0 and x.grad_value.data == 6.0
    (x * x).backward()  # and accumulates from there
    assert x.grad == 12.0


def test_set_grad_enabled_as_a_function_as_a_block_and_as_a_decorator():
    x = Value(1.0)
    with set_grad_enabled(False):
        assert not is_grad_enabled() and (x * 2).parents == ()
    assert is_grad_enabled()
    set_grad_enabled(False)
    try:
        assert not is_grad_enabled()
        with set_grad_enabled(True):
            assert (x * 2).parents == (x,)
        assert not is_grad_enabled()
    finally:
        set_grad_enabled(True)
    assert is_grad_enabled()

    @set_grad_enabled(False)
    def inference(v):
        return v * 2

    assert is_grad_enabled()  # decorating switched nothing
    assert inference(x).parents == () and is_grad_enabled()
    reusable = set_grad_enabled(False)
    with reusable:
        pass
    assert is_grad_enabled()
    with reusable:
        assert not is_grad_enabled()
    assert is_grad_enabled()
    with no_grad(), set_grad_enabled(True):
        assert is_grad_enabled()
    with pytest.raises(TypeError, match="expected True or False"):
        set_grad_enabled("no")  # type: ignore[arg-type]


def test_hessian_and_jacobian_take_argnums():
    f = lambda x, y, z: x * x * y + z * y  # noqa: E731
    assert hessian(f)(3.0, 2.0, 1.0) == [[4.0, 6.0, 0.0], [6.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    assert hessian(f, argnums=(0, 2))(3.0, 2.0, 1.0) == [[4.0, 0.0], [0.0, 0.0]]
    assert hessian(f, argnums=0)(3.0, 2.0, 1.0) == 4.0
    g = lambda x, y: [x * y, x + y, y * y]  # noqa: E731
    assert jacobian(g, argnums=1)(2.0, 3.0) == [2.0, 1.0, 6.0]
    assert jacobian(g, argnums=(1,))(2.0, 3.0) == [[2.0], [1.0], [6.0]]
    with pytest.raises(TypeError, match="argnums"):
        hessian(f, argnums="x")(1.0, 2.0, 3.0)  # type: ignore[arg-type]


def test_keyword_arguments_pass_through_every_transformation():
    f = lambda x, scale=1.0: x * x * scale  # noqa: E731
    assert ag.grad(f)(3.0, scale=2.0) == 12.0
    assert ag.value_and_grad(f)(3.0, scale=2.0) == (18.0, 12.0)
    assert hessian(f)(3.0, scale=2.0) == [[4.0]]
    assert jacobian(lambda x, k=1.0: [x * k])(3.0, k=5.0) == [[5.0]]


def test_abs_is_absolute_and_stays_out_of_star_imports():
    assert ag.abs(-2.0) == 2.0 and ag.abs(Value(-3.0)).data == 3.0 and ag.abs is ag.absolute
    assert "abs" not in ag.__all__ and "sum" not in ag.__all__


def test_grad_of_a_value_points_to_gradients():
    x = Value(2.0)
    y = x * x
    with pytest.raises(TypeError, match=r"use autograd.gradients\(y, \[x, w\]\)"):
        ag.grad(y, [x])  # type: ignore[arg-type]
    assert gradients(y, [x]) == (4.0,)
