"""The functional API: gradients, grad, value_and_grad, hessian, jacobian, and their errors."""

import math

import pytest

import autograd as ag
from autograd import (
    Value,
    grad,
    gradcheck,
    gradgradcheck,
    gradients,
    hessian,
    jacobian,
    no_grad,
    value_and_grad,
)
from autograd.elementary import SIN


def test_gradients_returns_floats_and_touches_no_grad():
    x, y = Value(2.0), Value(5.0)
    x.grad, y.grad = 10.0, 20.0  # earlier accumulations stay as they were
    z = x * x * y + y
    mid = z.parents[0]
    mid.grad = 7.0
    assert gradients(z, [x, y]) == (20.0, 5.0)
    assert (x.grad, y.grad, mid.grad, z.grad) == (10.0, 20.0, 7.0, 0.0)


def test_gradients_with_respect_to_an_interior_node():
    x = Value(3.0)
    h = x * x
    z = h.tanh()
    (dz_dh,) = gradients(z, [h])
    assert math.isclose(dz_dh, 1 - math.tanh(9.0) ** 2)


def test_gradients_unused_input_is_an_error_unless_allowed():
    x, unused = Value(1.0), Value(2.0)
    z = x * 3
    with pytest.raises(ValueError, match="input 1 .* not used .* allow_unused=True"):
        gradients(z, [x, unused])
    assert gradients(z, [x, unused], allow_unused=True) == (3.0, 0.0)


def test_gradients_create_graph_gives_values_that_differentiate_again():
    x = Value(1.5)
    (first,) = gradients(x.sin(), [x], create_graph=True)
    assert isinstance(first, Value)
    (second,) = gradients(first, [x])
    assert math.isclose(second, -math.sin(1.5))


def test_gradients_bad_arguments():
    with pytest.raises(TypeError, match="output must be a Value, got float"):
        gradients(1.0, [Value(1.0)])
    with pytest.raises(TypeError, match="input 0 must be a Value, got float"):
        gradients(Value(1.0) * 2, [1.0])


def test_grad_of_a_plain_float_function():
    def f(x):
        return x * x * x + 2 * x

    assert grad(f)(2.0) == 14.0
    assert isinstance(grad(f)(2), float)
    assert grad(grad(f))(2.0) == 12.0
    assert grad(grad(grad(f)))(2.0) == 6.0
    assert f(2.0) == 12.0  # f itself still works on floats


def test_grad_argnums_int_and_tuple():
    def f(x, y, z):
        return x * y + ag.sin(z)

    assert grad(f, argnums=1)(2.0, 3.0, 0.0) == 2.0
    assert grad(f, argnums=(0, 2))(2.0, 3.0, 0.0) == (3.0, 1.0)
    assert grad(f, argnums=-1)(2.0, 3.0, 0.0) == 1.0


def test_grad_with_values_returns_values():
    x = Value(2.0)
    g = grad(lambda v: v**3)(x)
    assert isinstance(g, Value) and g.data == 12.0
    g.backward()
    assert x.grad == 12.0  # d/dx 3x^2


def test_nested_grad_keeps_inner_and_outer_variables_apart():
    # d/dx [x * d/dy (x * y)] = d/dx [x * x] = 2x: the inner derivative must not see the outer x
    def outer(x):
        return x * grad(lambda y: x * y)(1.0)

    assert grad(outer)(3.0) == 6.0


def test_value_and_grad():
    value, gradient = value_and_grad(lambda x, y: x * ag.exp(y), argnums=(0, 1))(2.0, 0.0)
    assert value == 2.0 and gradient == (1.0, 2.0)


def test_constant_function_has_zero_gradient():
    assert grad(lambda x: 3.0)(1.0) == 0.0
    assert value_and_grad(lambda x: 7)(1.0) == (7.0, 0.0)


def test_hessian_and_jacobian():
    h = hessian(lambda x, y: x**2 * y + ag.exp(y))(1.0, 0.0)
    assert h == [[0.0, 2.0], [2.0, 1.0]]
    j = jacobian(lambda x, y: [x * y, x + y, 4.0])(2.0, 3.0)
    assert j == [[3.0, 2.0], [1.0, 1.0], [0.0, 0.0]]


def test_hessian_of_a_function_of_three_arguments_is_symmetric():
    def f(x, y, z):
        return ag.tanh(x * y) * z + x * ag.sin(z)

    h = hessian(f)(0.3, -0.7, 1.1)
    for i in range(3):
        for j in range(3):
            assert math.isclose(h[i][j], h[j][i], rel_tol=1e-12)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: grad(lambda x: [x, x])(1.0), TypeError, "returned a list of 2.*use jacobian"),
        (lambda: grad(lambda x: (x,))(1.0), TypeError, "returned a tuple of 1"),
        (lambda: grad(lambda x: "a")(1.0), TypeError, "result: got str"),
        (lambda: jacobian(lambda x: x * 2)(1.0), TypeError, "must return a list.*use grad"),
        (lambda: grad(lambda x: x, argnums=1)(1.0), ValueError, "argnums has 1.*1 positional"),
        (lambda: grad(lambda x, y: x, argnums=(0, 5))(1.0, 2.0), ValueError, "argnums has 5"),
        (lambda: grad(lambda x: x, argnums="0"), TypeError, "argnums must be an int"),
        (lambda: grad(lambda x: x, argnums=1.0), TypeError, "argnums must be an int or a tuple of ints"),
        (lambda: hessian(lambda x: x, argnums=[True]), TypeError, "argnums must be an int"),
        (lambda: grad(lambda x: x)("2"), TypeError, "argument 0: got str"),
        (lambda: grad(lambda x: x)(None), TypeError, "argument 0: got NoneType"),
        (lambda: grad(lambda x: x)(True), TypeError, "got bool"),
        (lambda: grad(3.0), TypeError, "expected a function, got float"),
        (lambda: hessian(lambda: 1.0)(), TypeError, "at least one positional argument"),
    ],
)
def test_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_non_differentiated_arguments_pass_through_unchanged():
    def f(x, table):
        return x * table["scale"]

    assert grad(f)(2.0, {"scale": 5.0}) == 5.0


def test_every_transformation_passes_the_numbers_it_does_not_differentiate_as_values():
    # f uses Value methods on every argument, as PyTorch's functional API lets f use tensor methods
    def f(x, y):
        return (x * y).sin() * x.exp()

    def df_dy(x, y):  # d/dy sin(x y) e^x
        return x * math.cos(x * y) * math.exp(x)

    x, y = 0.3, 1.7
    assert math.isclose(grad(f, argnums=1)(x, y), df_dy(x, y), rel_tol=1e-12)
    value, derivative = value_and_grad(f, argnums=1)(x, 1.7)
    assert math.isclose(value, math.sin(x * y) * math.exp(x), rel_tol=1e-12)
    assert math.isclose(derivative, df_dy(x, y), rel_tol=1e-12)
    assert isinstance(derivative, float)
    assert math.isclose(hessian(f, argnums=1)(x, y), -x * x * math.sin(x * y) * math.exp(x), rel_tol=1e-12)
    assert math.isclose(jacobian(lambda x, y: [f(x, y)], argnums=1)(x, y)[0], df_dy(x, y), rel_tol=1e-12)
    assert math.isclose(grad(f, argnums=1)(x, 2), x * math.cos(x * 2) * math.exp(x), rel_tol=1e-12)  # an int
    assert ag.gradcheck(f, [x, y])
    assert ag.gradgradcheck(f, [x, y])


def test_gradgradcheck_still_sees_a_wrong_second_order_rule_with_two_arguments(monkeypatch):
    right = SIN.rule

    def detached(out, x):  # right as floats; as Values, a constant (its own derivative lost)
        return right(out.data if isinstance(out, Value) else out, x.data if isinstance(x, Value) else x)

    monkeypatch.setattr(SIN, "rule", detached)
    assert ag.gradcheck(lambda x, y: x * y.sin(), [0.3, 1.7])
    # only d/dy = x cos(y) goes through sin's rule; its derivative in y is the one lost
    with pytest.raises(ag.GradcheckError, match=r"\(of d/d input 1\) with respect to input 1"):
        ag.gradgradcheck(lambda x, y: x * y.sin(), [0.3, 1.7])


def test_function_transformations_differentiate_inside_no_grad():
    with no_grad():
        assert ag.grad(lambda a: a**3)(2.0) == 12.0
        assert value_and_grad(lambda a: a**3)(2.0) == (8.0, 12.0)
        assert ag.grad(ag.grad(lambda a: a**3))(2.0) == 12.0
        assert hessian(lambda x, y: x * x * y)(3.0, 2.0) == [[4.0, 6.0], [6.0, 0.0]]
        assert jacobian(lambda x, y: [x * y, x + y])(2.0, 3.0) == [[3.0, 2.0], [1.0, 1.0]]
        assert gradcheck(lambda x: x.tanh(), [0.3])
        assert gradgradcheck(lambda x: x.sin(), [0.3])
        y = Value(3.0) * 2.0  # recorded nothing: a leaf
        assert y.parents == ()
    x = Value(2.0)
    z = x * x
    with no_grad():
        (g,) = gradients(z, [x], create_graph=True)
    assert g.data == 4.0 and gradients(g, [x]) == (2.0,)


def test_argnums_may_name_an_argument_twice():
    assert ag.grad(lambda x, y: x * y, argnums=(0, 0))(2.0, 3.0) == (3.0, 3.0)
    assert value_and_grad(lambda x, y: x * y, argnums=(1, -1, 0))(2.0, 3.0) == (6.0, (2.0, 2.0, 3.0))


def test_argnums_accepts_numpy_integers():
    # argnums takes numpy's integers, as JAX does (through operator.index)
    np = pytest.importorskip("numpy")
    assert ag.grad(lambda x, y: x * y, argnums=np.int64(1))(2.0, 3.0) == 2.0
    assert ag.grad(lambda x, y: x * y, argnums=(np.int64(0), 1))(2.0, 3.0) == (3.0, 2.0)


def test_gradients_and_gradcheck_take_one_input_as_torch_or_say_so():
    # gradients(y, x) and gradcheck(f, 1.0) take a single input, as PyTorch takes a single tensor
    x = Value(3.0)
    y = x * x
    for call, name in (
        (lambda: gradients(y, x), "gradients"),
        (lambda: ag.gradcheck(lambda v: v * v, 3.0), "gradcheck"),
    ):
        try:
            result = call()
        except TypeError as error:
            assert name in str(error) and "iterable" not in str(error)
        else:
            assert result in ((6.0,), True)


def test_argnums_follows_one_rule_everywhere():
    # grad, value_and_grad, hessian, jacobian and trace read argnums with one parser: numpy's
    # integers everywhere, () for no argument, a wrong position named with the argument count
    np = pytest.importorskip("numpy")
    f = lambda x, y: x * x * y  # noqa: E731
    one = np.int64(1)
    assert grad(f, argnums=one)(3.0, 2.0) == 9.0
    assert hessian(f, argnums=one)(3.0, 2.0) == 0.0
    assert jacobian(lambda x, y: [f(x, y)], argnums=(np.int32(0),))(3.0, 2.0) == [[12.0]]
    assert ag.trace(f, 3.0, 2.0, argnums=one).value_and_grad(3.0, 2.0) == (18.0, 9.0)
    assert grad(f, argnums=())(3.0, 2.0) == ()
    assert value_and_grad(f, argnums=())(3.0, 2.0) == (18.0, ())
    assert hessian(f, argnums=())(3.0, 2.0) == []
    assert ag.trace(f, 3.0, 2.0, argnums=()).value_and_grad(3.0, 2.0) == (18.0, ())
    for make in (lambda: grad(f, argnums=2)(3.0, 2.0), lambda: ag.trace(f, 3.0, 2.0, argnums=2)):
        with pytest.raises(ValueError, match="argnums has 2, but the function was called with 2"):
            make()
