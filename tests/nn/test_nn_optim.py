"""Optimizers and schedules: single steps against hand-computed updates."""

import math

import pytest

from autograd import Value, is_grad_enabled
from nn import SGD, Adam, LinearDecay, Optimizer


def quadratic_step(optimizer, p):
    optimizer.zero_grad()
    (p * p * 0.5).backward()  # gradient p
    optimizer.step()


def test_sgd_plain_step():
    p = Value(2.0)
    p.grad = 0.5
    SGD([p], learning_rate=0.1).step()
    assert p.data == 2.0 - 0.1 * 0.5


def test_sgd_weight_decay_adds_to_the_gradient():
    p = Value(2.0)
    p.grad = 0.5
    SGD([p], learning_rate=0.1, weight_decay=0.01).step()
    assert p.data == pytest.approx(2.0 - 0.1 * (0.5 + 0.01 * 2.0), rel=1e-15)


def test_sgd_momentum_matches_pytorch_recurrence():
    p = Value(1.0)
    optimizer = SGD([p], learning_rate=0.1, momentum=0.9)
    expected, buffer = 1.0, None
    for _ in range(4):
        g = expected
        buffer = g if buffer is None else 0.9 * buffer + g
        expected -= 0.1 * buffer
        quadratic_step(optimizer, p)
        assert p.data == pytest.approx(expected, rel=1e-14)
    assert optimizer.steps == 4


def test_adam_first_steps():
    p = Value(1.0)
    optimizer = Adam([p], learning_rate=0.01, betas=(0.9, 0.999), eps=1e-8)
    m = v = 0.0
    expected = 1.0
    for t in range(1, 4):
        g = expected
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        expected -= 0.01 * (m / (1 - 0.9**t)) / (math.sqrt(v / (1 - 0.999**t)) + 1e-8)
        quadratic_step(optimizer, p)
        assert p.data == pytest.approx(expected, rel=1e-14)
    assert p.data == pytest.approx(1.0 - 3 * 0.01, abs=1e-4)  # each early step is about learning_rate


def test_adam_first_step_is_learning_rate_whatever_the_gradient_scale():
    for scale in (1e-3, 1.0, 1e6):
        p = Value(0.0)
        p.grad = scale
        Adam([p], learning_rate=0.1).step()
        assert p.data == pytest.approx(-0.1, rel=1e-5)


def test_adam_weight_decay():
    p = Value(1.0)
    optimizer = Adam([p], learning_rate=0.1, weight_decay=0.5)
    p.grad = 0.0  # the whole gradient is the decay term 0.5 * p
    optimizer.step()
    assert p.data == pytest.approx(0.9, rel=1e-6)


def test_adam_with_eps_0_and_a_zero_gradient_gives_nan_as_pytorch():
    p, q = Value(1.0), Value(2.0)
    p.grad, q.grad = 0.0, 1e-200  # q: the square of its gradient underflows to 0, so its step is inf
    Adam([p, q], learning_rate=0.1, eps=0.0).step()
    assert math.isnan(p.data) and q.data == -math.inf


@pytest.mark.parametrize("rate", [math.nan, -0.1, math.inf, "0.1", None, True])
def test_a_schedule_giving_a_bad_rate_is_a_clear_error_and_changes_nothing(rate):
    p = Value(1.0)
    p.grad = 1.0
    optimizer = SGD([p], learning_rate=lambda step: 0.5 if step == 0 else rate)
    optimizer.step()
    with pytest.raises(ValueError, match=r"SGD: the learning-rate schedule gave .* at step 1; a learning"):
        optimizer.step()
    assert p.data == 0.5 and optimizer.steps == 1


def test_linear_decay_is_micrograds_schedule():
    schedule = LinearDecay(1.0, 0.1, 100)
    for k in range(100):
        assert schedule(k) == pytest.approx(1.0 - 0.9 * k / 100, rel=1e-14)
    assert schedule(1000) == pytest.approx(0.1)


def test_optimizer_follows_its_schedule():
    p = Value(0.0)
    optimizer = SGD([p], learning_rate=LinearDecay(1.0, 0.5, 2))
    rates = []
    for _ in range(3):
        rates.append(optimizer.learning_rate)
        p.grad = 1.0
        optimizer.step()
    assert rates == [1.0, 0.75, 0.5] and p.data == -2.25


def test_zero_grad_clears_grads_and_step_runs_under_no_grad():
    seen = []

    class Probe(Optimizer):
        def _update(self, learning_rate):
            seen.append(is_grad_enabled())

    p = Value(1.0)
    (p * p).backward(create_graph=True)
    probe = Probe([p], 0.1)
    probe.step()
    assert seen == [False]
    probe.zero_grad()
    assert p.grad == 0.0 and p.grad_value is None


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: SGD([], 0.1), "no parameters"),
        (lambda: SGD([1.0], 0.1), "parameter 0 is float, not a Value"),
        (lambda: SGD([Value(1.0)], -0.1), "learning_rate must be in"),
        (lambda: SGD([Value(1.0)], 0.0), "learning_rate must be in"),
        (lambda: SGD([Value(1.0)], math.nan), "finite number"),
        (lambda: SGD([Value(1.0)], 0.1, momentum=1.5), "momentum must be in"),
        (lambda: Adam([Value(1.0)], 0.1, betas=(0.9, 1.0)), "betas must be below 1"),
        (lambda: Adam([Value(1.0)], 0.1, betas=(0.9,)), "pair of numbers"),
        (lambda: LinearDecay(1.0, 0.1, 0), "steps must be a positive int"),
    ],
)
def test_bad_settings_are_clear_errors(build, message):
    with pytest.raises((ValueError, TypeError), match=message):
        build()
