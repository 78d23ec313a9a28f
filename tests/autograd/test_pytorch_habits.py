"""PyTorch and JAX habits that work here: item(), grad = None, set_grad_enabled, argnums everywhere."""

from __future__ import annotations

import pytest

import autograd as ag
from autograd import Value, gradients, hessian, is_grad_enabled, jacobian, no_grad, set_grad_enabled


def test_item_is_the_number():
    assert Value(2.5).item() == 2.5 and type((Value(1.0) * 3).item()) is float


def test_a_none_gradient_starts_from_zero():
    x = Value(3.0)
    x.grad = None
    (x * x).backward()
    assert x.grad == 6.0
    x.grad = None
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


def test_is_leaf_is_a_property_as_in_pytorch():
    x = Value(2.0)
    y = x * x
    assert x.is_leaf is True and y.is_leaf is False
    if y.is_leaf:  # was always true while is_leaf was a method
        pytest.fail("an interior node read as a leaf")


def test_backward_takes_pytorchs_gradient_and_retain_graph():
    x = Value(3.0)
    y = x * x
    y.backward(gradient=2.0)
    assert x.grad == 12.0
    y.backward(retain_graph=True)  # accepted: the graph is always kept
    y.backward(retain_graph=False)  # and kept anyway, so a second call still works
    assert x.grad == 24.0
    with pytest.raises(TypeError, match="both grad= and gradient="):
        y.backward(2.0, gradient=2.0)
    with pytest.raises(TypeError, match="retain_graph"):
        y.backward(retain_graph="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"backward\(grad=\.\.\.\)"):
        y.backward(gradient="2")  # type: ignore[arg-type]


def test_requires_grad_true_is_accepted_and_false_says_how_to_get_a_constant():
    x = Value(2.0, requires_grad=True)
    (x * x).backward()
    assert x.grad == 4.0
    with pytest.raises(ValueError, match=r"requires_grad=False.*plain number.*detach\(\).*no_grad"):
        Value(2.0, requires_grad=False)
    with pytest.raises(TypeError, match="expected True"):
        Value(2.0, requires_grad=1)  # type: ignore[arg-type]


def test_pow_is_the_operator():
    x, y = Value(2.0), Value(3.0)
    z = x.pow(y) + x.pow(2)
    z.backward()
    assert z.data == 12.0 and x.grad == 3 * 4.0 + 4.0 and y.grad == pytest.approx(8.0 * 0.6931471805599453)


@pytest.mark.parametrize(
    ("x", "low", "high", "data", "gradient"),
    [
        (-3.0, -1.0, 2.0, -1.0, 0.0),
        (-1.0, -1.0, 2.0, -1.0, 1.0),
        (0.5, -1.0, 2.0, 0.5, 1.0),
        (2.0, -1.0, 2.0, 2.0, 1.0),
        (4.0, -1.0, 2.0, 2.0, 0.0),
        (0.5, 1.0, 0.0, 0.0, 0.0),
        (-5.0, None, 2.0, -5.0, 1.0),
        (5.0, 2.0, None, 5.0, 1.0),
        (1.0, 2.0, None, 2.0, 0.0),
    ],
)
def test_clamp_has_pytorchs_gradient_at_the_bounds(x, low, high, data, gradient):
    v = Value(x)
    out = v.clamp(min=low, max=high)
    out.backward()
    assert (out.data, v.grad) == (data, gradient)


def test_clamp_at_nan_and_with_an_infinite_gradient_and_without_bounds():
    v = Value(float("nan"))
    out = v.clamp(min=0.0, max=1.0)
    out.backward()
    assert out.data != out.data and v.grad == 0.0
    w = Value(-2.0)
    w.clamp(min=0.0).sqrt().backward()  # d sqrt/dx at 0 is inf: the flat side still gives 0
    assert w.grad == 0.0
    with pytest.raises(TypeError, match="give min=, max= or both"):
        w.clamp()
    with pytest.raises(TypeError, match=r"clamp\(max=\.\.\.\)"):
        w.clamp(max="1")  # type: ignore[arg-type]


def test_clamp_matches_pytorch_at_and_between_the_bounds():
    from tests.helpers import require_torch

    torch = require_torch()
    for x in (-3.0, -1.0, 0.0, 2.0, 5.0, float("inf"), float("nan")):
        for low, high in ((-1.0, 2.0), (None, 2.0), (-1.0, None), (1.0, 0.0)):
            v = Value(x)
            out = v.clamp(min=low, max=high)
            out.backward()
            t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
            expected = t.clamp(min=low, max=high)
            expected.backward()
            ours, theirs = (out.data, v.grad), (expected.item(), t.grad.item())
            assert repr(ours) == repr(theirs), (x, low, high)


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("numel", "its numel is 1"),
        ("zero_", r"set v\.grad = None, or call model\.zero_grad\(\)"),
        ("shape", "it has no shape"),
        ("requires_grad_", r"v\.detach\(\)"),
        ("size", "it has no size"),
        ("dim", "its dim is 0"),
        ("ndim", "its ndim is 0"),
        ("dtype", "float64"),
        ("device", "on the CPU"),
        ("grad_fn", r"v\.primitive"),
        ("retain_grad", r"keeps its \.grad"),
        ("tolist", r"v\.item\(\)"),
        ("numpy", r"v\.item\(\)"),
        ("clip", r"v\.clamp\(min=\.\.\., max=\.\.\.\)"),
        ("add_", r"v\.data \+= x"),
    ],
)
def test_a_tensor_habit_on_a_value_names_chainrules_spelling(name, hint):
    with pytest.raises(AttributeError, match=f"^'Value' object has no attribute '{name}'; .*{hint}") as error:
        getattr(Value(1.0), name)
    assert error.value.name == name


def test_a_tensor_habit_reads_as_missing():
    v = Value(1.0)
    assert not hasattr(v, "shape") and getattr(v, "numel", None) is None
    assert "shape" not in dir(v) and "data" in dir(v) and "backward" in dir(v)
    with pytest.raises(
        AttributeError, match="^'Value' object has no attribute 'requires_grad' to set; every Value"
    ):
        v.requires_grad = False
    with pytest.raises(AttributeError, match=r"^'Value' object has no attribute 'nonsense'$"):
        v.nonsense  # type: ignore[attr-defined]  # noqa: B018


def test_a_tensor_habit_hides_nothing_a_value_has():
    from autograd.tensor_habits import TensorHabit, TensorHabits

    habits = {name for name, value in vars(TensorHabits).items() if isinstance(value, TensorHabit)}
    assert {"numel", "zero_", "shape", "requires_grad_"} <= habits
    for cls in Value.__mro__[: Value.__mro__.index(TensorHabits)]:
        assert habits.isdisjoint(vars(cls)), cls  # a Value's own attribute would win, silently


def test_numpy_sees_a_value_as_it_did_without_the_habits():
    np = pytest.importorskip("numpy")
    v = Value(2.0)
    assert (np.ndim(v), np.shape(v), np.size(v)) == (0, (), 1)
    assert np.asarray(v).dtype == object and (np.float64(3.0) * v).data == 6.0
