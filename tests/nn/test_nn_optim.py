"""Optimizers and schedules: single steps against hand-computed updates."""

import json
import math

import pytest
from helpers import require_torch

import nn
from autograd import Value, is_grad_enabled
from nn import SGD, Adam, LinearDecay, Optimizer


def quadratic_step(optimizer, p):
    optimizer.zero_grad()
    (p * p * 0.5).backward()  # gradient p
    optimizer.step()


def test_sgd_plain_step():
    p = Value(2.0)
    p.grad = 0.5
    SGD([p], lr=0.1).step()
    assert p.data == 2.0 - 0.1 * 0.5


def test_sgd_weight_decay_adds_to_the_gradient():
    p = Value(2.0)
    p.grad = 0.5
    SGD([p], lr=0.1, weight_decay=0.01).step()
    assert p.data == pytest.approx(2.0 - 0.1 * (0.5 + 0.01 * 2.0), rel=1e-15)


def test_sgd_momentum_matches_pytorch_recurrence():
    p = Value(1.0)
    optimizer = SGD([p], lr=0.1, momentum=0.9)
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
    optimizer = Adam([p], lr=0.01, betas=(0.9, 0.999), eps=1e-8)
    m = v = 0.0
    expected = 1.0
    for t in range(1, 4):
        g = expected
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        expected -= 0.01 * (m / (1 - 0.9**t)) / (math.sqrt(v / (1 - 0.999**t)) + 1e-8)
        quadratic_step(optimizer, p)
        assert p.data == pytest.approx(expected, rel=1e-14)
    assert p.data == pytest.approx(1.0 - 3 * 0.01, abs=1e-4)  # each early step is about lr


def test_adam_first_step_is_lr_whatever_the_gradient_scale():
    for scale in (1e-3, 1.0, 1e6):
        p = Value(0.0)
        p.grad = scale
        Adam([p], lr=0.1).step()
        assert p.data == pytest.approx(-0.1, rel=1e-5)


def test_adam_weight_decay():
    p = Value(1.0)
    optimizer = Adam([p], lr=0.1, weight_decay=0.5)
    p.grad = 0.0  # the whole gradient is the decay term 0.5 * p
    optimizer.step()
    assert p.data == pytest.approx(0.9, rel=1e-6)


def test_adam_with_eps_0_and_a_zero_gradient_gives_nan_as_pytorch():
    p, q = Value(1.0), Value(2.0)
    p.grad, q.grad = 0.0, 1e-200  # q: the square of its gradient underflows to 0, so its step is inf
    Adam([p, q], lr=0.1, eps=0.0).step()
    assert math.isnan(p.data) and q.data == -math.inf


@pytest.mark.parametrize("rate", [math.nan, -0.1, math.inf, "0.1", None, True])
def test_a_schedule_giving_a_bad_rate_is_a_clear_error_and_changes_nothing(rate):
    p = Value(1.0)
    p.grad = 1.0
    optimizer = SGD([p], lr=lambda step: 0.5 if step == 0 else rate)
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
    optimizer = SGD([p], lr=LinearDecay(1.0, 0.5, 2))
    rates = []
    for _ in range(3):
        rates.append(optimizer.learning_rate)
        p.grad = 1.0
        optimizer.step()
    assert rates == [1.0, 0.75, 0.5] and p.data == -2.25


def test_zero_grad_clears_grads_and_step_runs_under_no_grad():
    seen = []

    class Probe(Optimizer):
        def _update(self, lr):
            seen.append((is_grad_enabled(), lr))

    p = Value(1.0)
    (p * p).backward(create_graph=True)
    probe = Probe([p], 0.1)
    probe.step()
    assert seen == [(False, 0.1)]
    probe.zero_grad(set_to_none=False)
    assert p.grad == 0.0 and p.grad_value is None
    (p * p).backward(create_graph=True)
    probe.zero_grad()
    assert p.grad is None and p.grad_value is None


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: SGD([], 0.1), "no parameters"),
        (lambda: SGD([1.0], 0.1), "parameter 0 is float, not a Value"),
        (lambda: SGD([Value(1.0)], -0.1), "lr must be in"),
        (lambda: SGD([Value(1.0)], 0.0), "lr must be in"),
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


# ----- lr, as torch.optim names it ---------------------------------------------------------


def test_lr_is_the_keyword_and_learning_rate_the_read_only_current_rate():
    p = Value(1.0)
    optimizer = SGD([p], lr=0.1, momentum=0.9)
    assert optimizer.lr == 0.1 and optimizer.learning_rate == 0.1
    assert repr(optimizer) == "SGD(1 parameters, lr=0.1, momentum=0.9, weight_decay=0.0)"
    with pytest.raises(AttributeError):
        optimizer.learning_rate = 0.5
    with pytest.raises(TypeError, match="learning_rate"):
        SGD([p], learning_rate=0.1)
    optimizer.lr = 0.5  # as PyTorch's param_groups[0]["lr"]: the next step uses it
    p.grad = 1.0
    optimizer.step()
    assert p.data == 0.5 and optimizer.learning_rate == 0.5
    optimizer.lr = LinearDecay(1.0, 0.0, 2)  # a schedule of the step count, which is 1 now
    assert optimizer.learning_rate == 0.5
    assert repr(Adam([p], 0.01)).startswith("Adam(1 parameters, lr=0.01, betas=(0.9, 0.999)")


def test_the_default_lr_is_pytorchs():
    assert SGD([Value(1.0)]).lr == Adam([Value(1.0)]).lr == 0.001


def test_a_bad_lr_set_between_steps_is_a_clear_error_and_changes_nothing():
    p = Value(1.0)
    p.grad = 1.0
    optimizer = Adam([p], lr=0.1)
    optimizer.lr = -1.0
    with pytest.raises(ValueError, match=r"Adam: lr is -1.0 at step 0; a learning rate is a finite"):
        optimizer.step()
    assert p.data == 1.0 and optimizer.steps == 0 and optimizer.first_moments == [0.0]


# ----- a gradient of None: no gradient yet ---------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda ps: SGD(ps, lr=0.1),
        lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1),
        lambda ps: Adam(ps, lr=0.1, weight_decay=0.1),
    ],
    ids=["sgd", "sgd-momentum-decay", "adam-decay"],
)
def test_optimizers_skip_a_parameter_whose_grad_is_none(build):
    frozen, moving = Value(1.0), Value(1.0)
    optimizer = build([frozen, moving])
    before = optimizer.state_dict()
    for _ in range(3):
        optimizer.zero_grad()
        assert frozen.grad is None and moving.grad is None
        (moving * moving).backward()
        optimizer.step()
    assert frozen.data == 1.0 and frozen.grad is None and moving.data < 1.0
    after = optimizer.state_dict()
    for key, entries in after.items():
        if isinstance(entries, list):  # the frozen parameter's buffer, moments and count never started
            assert entries[0] == before[key][0]


def test_adam_counts_each_parameters_steps_as_pytorch():
    p, q = Value(1.0), Value(1.0)
    optimizer = Adam([p, q], lr=0.1)
    p.grad, q.grad = None, 1.0
    optimizer.step()  # p has no gradient: its first step comes later, with t = 1
    p.grad, q.grad = 2.0, 2.0
    optimizer.step()
    assert optimizer.parameter_steps == [1, 2] and optimizer.steps == 2
    m = 0.1 * 2.0
    v = 0.001 * 4.0
    assert p.data == 1.0 - 0.1 * (m / (1 - 0.9)) / (math.sqrt(v / (1 - 0.999)) + 1e-8)  # t = 1 for p


@pytest.mark.parametrize("who", ["module", "optimizer"])
def test_zero_grad_sets_none_by_default_and_zero_when_asked_as_pytorch(who):
    model = nn.MLP(2, [3, 1], seed=0)
    clear = model.zero_grad if who == "module" else SGD(model.parameters(), lr=0.1).zero_grad
    (model([1.0, -1.0])[0] ** 2).backward(create_graph=True)
    assert all(p.grad != 0.0 and p.grad_value is not None for p in model.parameters())
    clear(set_to_none=False)
    assert all(p.grad == 0.0 and p.grad_value is None for p in model.parameters())
    clear()
    assert all(p.grad is None and p.grad_value is None for p in model.parameters())
    clear(set_to_none=False)  # as in PyTorch, a missing gradient stays missing
    assert all(p.grad is None for p in model.parameters())
    model([1.0, -1.0])[0].backward()  # backward starts a None gradient from 0
    fresh = nn.MLP(2, [3, 1], seed=0)
    fresh([1.0, -1.0])[0].backward()
    assert [p.grad for p in model.parameters()] == [p.grad for p in fresh.parameters()]
    with pytest.raises(TypeError, match=r"set_to_none=...\): expected True or False, got 'yes'"):
        clear(set_to_none="yes")


def test_pytorch_trajectories_with_missing_gradients():
    torch = require_torch()
    schedule = [(1.5, -0.5), (None, 2.0), (0.25, None), (-3.0, 1.0), (0.5, 0.5)]  # per step, None: no grad
    cases = [
        (
            lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01),
            lambda ts: torch.optim.SGD(ts, lr=0.1, momentum=0.9, weight_decay=0.01),
        ),
        (
            lambda ps: Adam(ps, lr=0.1, betas=(0.8, 0.99), weight_decay=0.01),
            lambda ts: torch.optim.Adam(ts, lr=0.1, betas=(0.8, 0.99), weight_decay=0.01),
        ),
    ]
    for ours_from, theirs_from in cases:
        values = [Value(0.7), Value(-1.2)]
        tensors = [torch.tensor(v.data, dtype=torch.float64, requires_grad=True) for v in values]
        ours, theirs = ours_from(values), theirs_from(tensors)
        for grads in schedule:
            ours.zero_grad()
            theirs.zero_grad()
            for value, tensor, g in zip(values, tensors, grads):
                value.grad = g
                tensor.grad = None if g is None else torch.tensor(g, dtype=torch.float64)
            ours.step()
            theirs.step()
            for value, tensor in zip(values, tensors):
                assert value.data == pytest.approx(tensor.item(), rel=1e-13, abs=1e-15)


# ----- state_dict: resuming exactly ---------------------------------------------------------

RESUMABLE = {
    "sgd-momentum": lambda ps: SGD(ps, lr=LinearDecay(0.5, 0.05, 100), momentum=0.9, weight_decay=1e-3),
    "sgd-schedule": lambda ps: SGD(ps, lr=LinearDecay(0.5, 0.05, 100)),
    "adam": lambda ps: Adam(ps, lr=0.01, betas=(0.8, 0.99), weight_decay=1e-3),
}


def _train(model, optimizer, steps):
    X, y = nn.make_moons(16, noise=0.1, seed=0)
    labels = [2 * c - 1 for c in y]
    for _ in range(steps):
        optimizer.zero_grad()
        nn.hinge([model(x)[0] for x in X], labels).backward()
        if optimizer.steps % 3 == 0:  # now and then a parameter has no gradient: its own counts lag
            model.parameters()[-1].grad = None
        optimizer.step()


def _bits(model):
    return [p.data.hex() for p in model.parameters()]


@pytest.mark.parametrize("name", RESUMABLE)
def test_100_steps_equal_50_then_a_json_round_trip_a_new_optimizer_and_50_more_bit_for_bit(name):
    build = RESUMABLE[name]
    straight = nn.MLP(2, [4, 4, 1], seed=0)
    _train(straight, build(straight.parameters()), 100)

    first = nn.MLP(2, [4, 4, 1], seed=0)
    optimizer = build(first.parameters())
    _train(first, optimizer, 50)
    saved_model, saved_optimizer = json.dumps(first.state_dict()), json.dumps(optimizer.state_dict())

    resumed = nn.MLP(2, [4, 4, 1], seed=1)
    resumed.load_state_dict(json.loads(saved_model))
    resumed_optimizer = build(resumed.parameters())
    resumed_optimizer.load_state_dict(json.loads(saved_optimizer))
    assert resumed_optimizer.state_dict() == optimizer.state_dict()
    _train(resumed, resumed_optimizer, 50)
    assert _bits(resumed) == _bits(straight)

    forgetful = nn.MLP(2, [4, 4, 1], seed=1)  # the same without the optimizer's state: not the same run
    forgetful.load_state_dict(json.loads(saved_model))
    _train(forgetful, build(forgetful.parameters()), 50)
    assert _bits(forgetful) != _bits(straight)


def test_the_state_is_plain_json_data():
    p, q = Value(1.0), Value(2.0)
    sgd, adam = SGD([p, q], lr=0.1, momentum=0.5), Adam([p, q], lr=0.1)
    assert sgd.state_dict() == {"type": "SGD", "steps": 0, "momentum_buffers": [None, None]}
    p.grad, q.grad = 0.5, None
    sgd.step()
    adam.step()
    expected = {"type": "SGD", "steps": 1, "momentum_buffers": [0.5, None]}
    assert json.loads(json.dumps(sgd.state_dict())) == expected
    state = adam.state_dict()
    assert (
        json.loads(json.dumps(state))
        == state
        == {
            "type": "Adam",
            "steps": 1,
            "parameter_steps": [1, 0],
            "first_moments": [(1.0 - 0.9) * 0.5, 0.0],
            "second_moments": [(1.0 - 0.999) * 0.5 * 0.5, 0.0],
        }
    )
    state["first_moments"].append(1.0)  # a copy: changing it changes nothing in the optimizer
    assert len(adam.first_moments) == 2


@pytest.mark.parametrize(
    "change, error, message",
    [
        (lambda s: [1, 2], TypeError, r"SGD.load_state_dict: expected a mapping as state_dict\(\) returns"),
        (lambda s: {**s, "type": "Adam"}, ValueError, r"the state's type is 'Adam', this optimizer's 'SGD'"),
        (
            lambda s: {k: v for k, v in s.items() if k != "steps"},
            ValueError,
            r"the state has no 'steps' \(SGD's state has type, steps, momentum_buffers\)",
        ),
        (lambda s: {**s, "moments": []}, ValueError, r"has 'moments', which SGD's state does not have"),
        (lambda s: {**s, "steps": -1}, ValueError, r"steps is int -1, not a count \(an int >= 0\)"),
        (lambda s: {**s, "steps": True}, ValueError, r"steps is bool True, not a count"),
        (
            lambda s: {**s, "momentum_buffers": [1.0]},
            ValueError,
            r"momentum_buffers has 1 entries, but the optimizer has 2 parameters",
        ),
        (lambda s: {**s, "momentum_buffers": "1, 2"}, ValueError, r"buffers is str '1, 2', not a list"),
        (
            lambda s: {**s, "momentum_buffers": [1.0, "2"]},
            ValueError,
            r"SGD.load_state_dict: momentum_buffers\[1\] is str '2', not a number",
        ),
    ],
)
def test_a_bad_state_names_the_field_and_changes_nothing(change, error, message):
    p, q = Value(1.0), Value(2.0)
    optimizer = SGD([p, q], lr=0.1, momentum=0.9)
    p.grad, q.grad = 1.0, 1.0
    optimizer.step()
    before = optimizer.state_dict()
    with pytest.raises(error, match=message):
        optimizer.load_state_dict(change(optimizer.state_dict()))
    assert optimizer.state_dict() == before


def test_an_adam_state_checks_counts_and_numbers():
    optimizer = Adam([Value(1.0)], lr=0.1)
    state = optimizer.state_dict()
    with pytest.raises(ValueError, match=r"parameter_steps\[0\] is float 1.5, not a count"):
        optimizer.load_state_dict({**state, "parameter_steps": [1.5]})
    with pytest.raises(ValueError, match=r"second_moments\[0\] is NoneType None, not a number"):
        optimizer.load_state_dict({**state, "second_moments": [None]})
    optimizer.load_state_dict({**state, "steps": 4.0, "parameter_steps": [4], "first_moments": [math.nan]})
    assert optimizer.steps == 4 and type(optimizer.steps) is int and math.isnan(optimizer.first_moments[0])


@pytest.mark.parametrize("bad", [-1e-12, -math.inf])
def test_adam_refuses_a_negative_second_moment_at_load(bad):
    p, q = Value(1.0), Value(2.0)
    optimizer = Adam([p, q], lr=0.1)
    state = optimizer.state_dict()
    with pytest.raises(ValueError, match=r"load_state_dict: second_moments\[1\] is -.*, below 0: a second"):
        optimizer.load_state_dict({**state, "steps": 3, "second_moments": [0.5, bad]})
    assert optimizer.state_dict() == state
    optimizer.load_state_dict({**state, "second_moments": [0.0, math.inf]})  # training can make these


def a_gradient_that_is_no_number(optimizer, q):
    q.grad = "0.5"


def a_negative_second_moment(optimizer, q):
    optimizer.second_moments[1] = -1.0  # set past load's check: sqrt raises a math domain error


@pytest.mark.parametrize(
    "build, break_the_step",
    [
        (lambda ps: SGD(ps, lr=0.1, momentum=0.9), a_gradient_that_is_no_number),
        (lambda ps: Adam(ps, lr=0.1), a_gradient_that_is_no_number),
        (lambda ps: Adam(ps, lr=0.1), a_negative_second_moment),
    ],
)
def test_a_step_that_raises_changes_no_parameter_and_no_state(build, break_the_step):
    p, q = Value(1.0), Value(2.0)
    optimizer = build([p, q])
    p.grad, q.grad = 1.0, 1.0
    optimizer.step()
    p.grad, q.grad = 0.5, 0.5
    break_the_step(optimizer, q)  # the step fails at q, after p (which comes first) was computed
    before = (p.data, q.data, json.dumps(optimizer.state_dict()))
    with pytest.raises((TypeError, ValueError)):
        optimizer.step()
    assert (p.data, q.data, json.dumps(optimizer.state_dict())) == before
