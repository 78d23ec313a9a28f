"""Losses: values against hand-computed ones, gradients, stability at +-1000, clear errors."""

import math

import pytest

import autograd
from autograd import Value
from nn import binary_cross_entropy, cross_entropy, hinge, l2, mse


def values(*numbers):
    return [Value(x) for x in numbers]


def test_mse_value_and_gradient():
    p = values(1.0, 3.0)
    loss = mse(p, [0.0, 1.0])
    assert loss.data == 2.5  # (1 + 4) / 2
    loss.backward()
    assert [v.grad for v in p] == [1.0, 2.0]  # 2 (p - t) / n


def test_hinge_is_micrograds_max_margin_loss():
    s = values(2.0, 0.5, -1.5, 0.25)
    y = [1, 1, 1, -1]
    loss = hinge(s, y)
    expected = (0.0 + 0.5 + 2.5 + 1.25) / 4
    assert loss.data == expected
    # micrograd's own expression, built from the same Values
    micrograd = sum((1 + -yi * si).relu() for yi, si in zip(y, s)) * (1.0 / len(s))
    assert loss.data == micrograd.data
    loss.backward()
    assert [v.grad for v in s] == [0.0, -0.25, -0.25, 0.25]


def test_hinge_accepts_model_outputs_as_one_element_lists_and_float_labels():
    assert hinge([[Value(0.0)], [Value(2.0)]], [1.0, -1.0]).data == 2.0


def test_binary_cross_entropy_values():
    z = values(0.0, 2.0, -3.0)
    loss = binary_cross_entropy(z, [1, 0, 1])
    expected = (math.log(2) + math.log(1 + math.exp(2)) + math.log(1 + math.exp(3))) / 3
    assert loss.data == pytest.approx(expected, rel=1e-15)
    loss.backward()
    sig = [1 / (1 + math.exp(-x.data)) for x in z]
    assert [v.grad for v in z] == pytest.approx([(sig[0] - 1) / 3, sig[1] / 3, (sig[2] - 1) / 3])


def test_binary_cross_entropy_is_exact_at_zero_and_stable_at_1000():
    assert binary_cross_entropy([Value(0.0)], [0]).data == math.log(2)
    assert binary_cross_entropy([Value(0.0)], [1]).data == math.log(2)
    for z, label, expected, gradient in [
        (1000.0, 1, 0.0, 0.0),
        (-1000.0, 0, 0.0, 0.0),
        (1000.0, 0, 1000.0, 1.0),
        (-1000.0, 1, 1000.0, -1.0),
    ]:
        logit = Value(z)
        loss = binary_cross_entropy([logit], [label])
        loss.backward()
        assert loss.data == expected and logit.grad == gradient


def test_cross_entropy_values_and_gradient():
    z = values(1.0, 2.0, 3.0)
    loss = cross_entropy([z], [0])
    total = sum(math.exp(x) for x in (1.0, 2.0, 3.0))
    assert loss.data == pytest.approx(math.log(total) - 1.0, rel=1e-14)
    loss.backward()
    softmax = [math.exp(x) / total for x in (1.0, 2.0, 3.0)]
    assert [v.grad for v in z] == pytest.approx([softmax[0] - 1, softmax[1], softmax[2]], rel=1e-12)


def test_cross_entropy_mean_over_examples_and_two_class_case_matches_bce():
    a = cross_entropy([values(0.0, 0.0), values(0.0, 1.5)], [1, 1])
    b = binary_cross_entropy([Value(0.0), Value(1.5)], [1, 1])
    assert a.data == pytest.approx(b.data, rel=1e-14)


def test_cross_entropy_is_stable_at_1000():
    z = values(1000.0, -1000.0, 1000.0)
    loss = cross_entropy([z], [0])
    assert loss.data == pytest.approx(math.log(2), rel=1e-14)
    loss.backward()
    assert [v.grad for v in z] == pytest.approx([-0.5, 0.0, 0.5])
    assert cross_entropy([values(-1000.0, 1000.0)], [0]).data == 2000.0


@pytest.mark.parametrize("size", [1e17, 1e308, -1e308])
def test_cross_entropy_of_two_equal_huge_logits_is_log_2(size):
    z = values(size, size)
    loss = cross_entropy([z], [0])
    assert loss.data == math.log(2)  # the shift added back first rounded it away: 0.0
    loss.backward()
    assert [v.grad for v in z] == [-0.5, 0.5]


def test_losses_of_plain_numbers_are_values():
    assert isinstance(hinge([0.5], [1]), Value)
    assert mse([1.0, 2.0], [1.0, 0.0]).data == 2.0
    assert cross_entropy([[0.0, 0.0]], [0]).data == pytest.approx(math.log(2))


def test_l2_is_the_sum_of_squares_in_one_node():
    p = values(*[float(i) for i in range(2000)])
    total = l2(p)
    assert total.data == sum(i * i for i in range(2000))
    assert len(total.parents) == 4000 and not any(parent.parents for parent in total.parents)
    total.backward()
    assert p[10].grad == 20.0


def test_a_mean_over_many_examples_is_shallow():
    scores = values(*[0.5] * 5000)
    loss = hinge(scores, [1] * 5000)
    depth = len(autograd.topological_order(loss))
    assert depth < 4 * 5000 + 10  # a handful of nodes per example, no chain of 5000 additions
    loss.backward()  # at the default recursion limit


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: hinge(values(1.0), [0]),
            ValueError,
            r"label 0 is 0; hinge needs labels -1 or \+1 \(for 0/1",
        ),
        (lambda: hinge(values(1.0, 2.0), [1]), ValueError, "2 predictions but 1 targets"),
        (lambda: hinge([], []), ValueError, "no examples"),
        (lambda: binary_cross_entropy(values(1.0), [-1]), ValueError, "needs labels 0 or 1"),
        (lambda: binary_cross_entropy(values(1.0), [0.5]), ValueError, "label 0 is 0.5"),
        (lambda: cross_entropy([values(1.0, 2.0)], [2]), ValueError, r"class index 0..1"),
        (lambda: cross_entropy([values(1.0, 2.0)], [1.0]), ValueError, "class index"),
        (
            lambda: cross_entropy([values(1.0, 2.0), values(1.0)], [0, 0]),
            ValueError,
            "example 1 has 1 logits",
        ),
        (lambda: cross_entropy([values(1.0)], [0]), ValueError, "at least 2 logits"),
        (lambda: mse([[Value(1.0), Value(2.0)]], [1.0]), ValueError, "has 2 outputs"),
        (lambda: mse(values(1.0), ["a"]), TypeError, "target 0 is str"),
        (lambda: mse([None], [1.0]), TypeError, "prediction 0 is NoneType"),
        (lambda: hinge(values(1.0), [True]), ValueError, "label 0 is True"),
        (
            lambda: cross_entropy([[0.0, 1.0], [2.0, "3"]], [0, 1]),
            TypeError,
            "cross_entropy: logit 1 of example 1 is str '3', not a number",
        ),
    ],
)
def test_wrong_labels_and_lengths_are_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
