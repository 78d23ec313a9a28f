"""gradcheck, gradgradcheck and detect_anomaly."""

import math

import pytest

import autograd as ag
from autograd import GradcheckError, Value, detect_anomaly, gradcheck, gradgradcheck
from autograd.elementary import SIN, TANH


def test_gradcheck_passes_on_every_real_op():
    ops = [
        lambda x: x.exp(),
        lambda x: (x + 2).log(),
        lambda x: (x + 2).sqrt(),
        lambda x: x.tanh(),
        lambda x: x.sigmoid(),
        lambda x: x.softplus(),
        lambda x: x.relu(),
        lambda x: abs(x),
        lambda x: x.sin(),
        lambda x: x.cos(),
        lambda x: x**3,
        lambda x: 2.0**x,
        lambda x: 1 / (x + 3),
        lambda x: (x + 2) ** x,
        lambda x: ag.maximum(x, x * x),
        lambda x: ag.minimum(x, 0.2),
        lambda x: ag.linear([x, x], [x.sin(), 2.0], x),
        lambda x: ag.sum([x, x * x, 1.0]),
    ]
    for op in ops:
        for x in (-0.7, 0.4, 1.3):
            assert gradcheck(op, [x]) is True


def test_gradcheck_several_inputs_and_outputs():
    assert gradcheck(lambda x, y: x * y.tanh(), [0.5, -0.3])
    assert gradcheck(lambda x, y: [x * y, x - y, ag.exp(x)], [0.5, -0.3])


def test_gradcheck_catches_a_broken_rule(monkeypatch):
    # a deliberately wrong derivative: d tanh/dx = 1 + tanh^2 instead of 1 - tanh^2
    monkeypatch.setattr(TANH, "rule", lambda out, x: 1.0 + out * out)
    with pytest.raises(GradcheckError, match="input 0: analytic .* but numeric") as caught:
        gradcheck(lambda x: x.tanh(), [0.5])
    assert isinstance(caught.value, RuntimeError)
    t = math.tanh(0.5)
    assert repr(1 + t * t) in str(caught.value)


def test_gradcheck_names_the_input_that_is_wrong(monkeypatch):
    monkeypatch.setattr(SIN, "rule", lambda out, x: -ag.cos(x))
    with pytest.raises(GradcheckError, match="respect to input 1"):
        gradcheck(lambda x, y: x * 2 + y.sin(), [0.1, 0.2])


def test_gradgradcheck_catches_a_broken_second_derivative(monkeypatch):
    # the right first derivative, but as a constant when asked for a Value: its own derivative
    # (the second derivative of sin) is lost, and only gradgradcheck can see that
    def broken(out, x):
        return ag.cos(x.data if isinstance(x, Value) else x)

    monkeypatch.setattr(SIN, "rule", broken)
    assert gradcheck(lambda x: x.sin(), [0.3])
    with pytest.raises(GradcheckError, match="second derivative"):
        gradgradcheck(lambda x: x.sin(), [0.3])


def test_gradcheck_bad_input():
    with pytest.raises(ValueError, match="inputs is empty"):
        gradcheck(lambda: Value(1.0), [])
    with pytest.raises(TypeError, match="input 0: got str"):
        gradcheck(lambda x: x, ["a"])


def test_detect_anomaly_forward_names_the_op_and_inputs():
    x = Value(0.0, label="x")
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"forward pass of '\*'.*x = 0.0"):
        _ = x * x.log()  # 0 * -inf = nan


def test_detect_anomaly_backward_names_the_op_and_label():
    x = Value(0.0, label="x")
    y = x * x
    y.label = "square"
    z = y.sqrt()  # forward is fine: sqrt(0) = 0; backward: 0 * inf = nan at the '*'
    expected = r"backward pass of '\*' \(label 'square'\)"
    with detect_anomaly(), pytest.raises(FloatingPointError, match=expected):
        z.backward()


def test_detect_anomaly_in_gradients_and_create_graph():
    x = Value(0.0, label="x")
    z = (x * x).sqrt()
    with detect_anomaly():
        with pytest.raises(FloatingPointError, match="backward pass of"):
            ag.gradients(z, [x])
        # with create_graph the nan appears in a new '*' node of the gradient's graph
        with pytest.raises(FloatingPointError, match=r"pass of '\*'"):
            z.backward(create_graph=True)


def test_without_detect_anomaly_nan_flows_silently_as_in_pytorch():
    x = Value(0.0)
    z = (x * x).sqrt()
    z.backward()
    assert math.isnan(x.grad)
    assert math.isnan((x * x.log()).data)


def test_detect_anomaly_is_off_outside_and_restored_after_an_error():
    x = Value(0.0)
    with pytest.raises(FloatingPointError), detect_anomaly():
        _ = x * x.log()
    assert math.isnan((x * x.log()).data)  # no error once outside


def test_gradgradcheck_sees_a_wrong_second_order_rule(monkeypatch):
    right = TANH.rule

    def detached(out, x):  # right as floats; as Values, a constant (its own derivative lost)
        return right(out.data if isinstance(out, Value) else out, x)

    monkeypatch.setattr(TANH, "rule", detached)
    assert gradcheck(lambda x: x.tanh(), [0.4])
    with pytest.raises(GradcheckError, match="second derivative"):
        gradgradcheck(lambda x: x.tanh(), [0.4])


def test_gradcheck_rejects_a_zero_step():
    with pytest.raises(ValueError, match="eps"):
        gradcheck(lambda x: x * x, [1.0], eps=0)
