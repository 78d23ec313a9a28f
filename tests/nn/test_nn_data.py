"""Data generators: shapes, label sets, scikit-learn's statistics, determinism by seed, errors."""

import math
import random
import statistics

import pytest

from nn import make_blobs, make_circles, make_moons, make_spirals

GENERATORS = [make_moons, make_circles, make_blobs, make_spirals]


@pytest.mark.parametrize("generate", GENERATORS)
def test_shapes_labels_and_determinism(generate):
    X, y = generate(n_samples=101, noise=0.1, seed=3)
    assert len(X) == len(y) == 101
    assert all(
        isinstance(row, list) and len(row) == 2 and all(isinstance(v, float) for v in row) for row in X
    )
    assert all(type(label) is int for label in y)
    assert sorted(set(y)) == list(range(max(y) + 1))
    assert generate(n_samples=101, noise=0.1, seed=3) == (X, y)
    assert generate(n_samples=101, noise=0.1, seed=4) != (X, y)
    assert generate(n_samples=101, noise=0.1, seed=random.Random(3)) == (X, y)


@pytest.mark.parametrize("generate", GENERATORS)
def test_noise_is_gaussian_with_the_given_standard_deviation(generate):
    # the shuffle draws come first, so the same seed gives the same order with and without noise
    clean, labels = generate(n_samples=4000, noise=0.0, seed=1)
    noisy, noisy_labels = generate(n_samples=4000, noise=0.3, seed=1)
    assert labels == noisy_labels
    residuals = [a - b for p, q in zip(noisy, clean) for a, b in zip(p, q)]
    assert statistics.fmean(residuals) == pytest.approx(0.0, abs=0.02)
    assert statistics.pstdev(residuals) == pytest.approx(0.3, rel=0.03)


def test_moons_match_scikit_learns_formula():
    X, y = make_moons(n_samples=9, seed=0)  # no noise: the exact curves; 4 outer points, 5 inner
    assert y.count(0) == 4 and y.count(1) == 5
    outer = {(round(math.cos(math.pi * i / 3), 12), round(math.sin(math.pi * i / 3), 12)) for i in range(4)}
    inner = {
        (round(1 - math.cos(math.pi * i / 4), 12), round(0.5 - math.sin(math.pi * i / 4), 12))
        for i in range(5)
    }
    points = {(label, round(a, 12), round(b, 12)) for (a, b), label in zip(X, y)}
    assert points == {(0, *p) for p in outer} | {(1, *p) for p in inner}
    X, _ = make_moons(n_samples=100, seed=0)
    assert statistics.fmean(p[0] for p in X) == pytest.approx(0.5)
    assert statistics.fmean(p[1] for p in X) == pytest.approx(0.25)


def test_moons_are_shuffled_unless_asked_not_to():
    _, y = make_moons(n_samples=100, seed=0)
    assert y != sorted(y)
    _, y = make_moons(n_samples=100, seed=0, shuffle=False)
    assert y == sorted(y)


def test_circles_match_scikit_learns_formula():
    X, y = make_circles(n_samples=11, seed=0, factor=0.3)
    assert y.count(0) == 5 and y.count(1) == 6  # the inner circle takes the odd point
    for (a, b), label in zip(X, y):
        assert math.hypot(a, b) == pytest.approx(1.0 if label == 0 else 0.3)
    angles = sorted(round(math.atan2(b, a) % (2 * math.pi), 9) for (a, b), label in zip(X, y) if label == 0)
    assert angles == [round(2 * math.pi * i / 5, 9) for i in range(5)]  # evenly spaced, no endpoint
    assert make_circles(n_samples=10, seed=0)[0][0] != [0.0, 0.0]
    X, y = make_circles(seed=0)
    assert {round(math.hypot(*p), 9) for p in X} == {1.0, 0.8}  # scikit-learn's default factor


def test_blobs_statistics():
    X, y = make_blobs(n_samples=3001, noise=0.5, seed=2, centers=3)
    assert [y.count(c) for c in range(3)] == [1001, 1000, 1000]
    for c in range(3):
        points = [p for p, label in zip(X, y) if label == c]
        center = [statistics.fmean(p[d] for p in points) for d in range(2)]
        assert all(-10.5 <= v <= 10.5 for v in center)
        spread = [statistics.pstdev(p[d] for p in points) for d in range(2)]
        assert spread == pytest.approx([0.5, 0.5], rel=0.08)
    X, y = make_blobs(n_samples=2000, noise=1.0, seed=2, centers=[[0.0, 0.0, 0.0], [5.0, 5.0, 5.0]])
    assert len(X[0]) == 3
    ones = [p for p, label in zip(X, y) if label == 1]
    assert statistics.fmean(p[2] for p in ones) == pytest.approx(5.0, abs=0.1)
    assert len(make_blobs(n_samples=10, seed=0, n_features=4)[0][0]) == 4


def test_spirals_follow_the_documented_formula():
    X, y = make_spirals(n_samples=40, seed=0, n_classes=2, turns=1.0, shuffle=False)
    assert y == [0] * 20 + [1] * 20
    for i, (a, b) in enumerate(X[:20]):
        r = (i + 0.5) / 20
        assert (a, b) == pytest.approx((r * math.cos(2 * math.pi * r), r * math.sin(2 * math.pi * r)))
    # the second arm is the first rotated by half a turn
    assert X[20] == pytest.approx([-X[0][0], -X[0][1]])
    X, y = make_spirals(n_samples=300, n_classes=3, seed=0)
    assert [y.count(c) for c in range(3)] == [100, 100, 100]
    assert all(0.0 < math.hypot(*p) < 1.0 for p in X)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: make_moons(n_samples=0), "n_samples must be an int of at least 2"),
        (lambda: make_moons(n_samples=2.5), "n_samples must be an int"),
        (lambda: make_moons(noise=-0.1), "noise must be a finite number >= 0"),
        (lambda: make_circles(factor=1.0), r"factor must be in \[0, 1\)"),
        (lambda: make_blobs(centers=0), "centers must be an int of at least 1"),
        (lambda: make_blobs(centers=[[0.0, 0.0], [1.0]]), "same, non-zero dimension"),
        (lambda: make_spirals(n_classes=1), "n_classes must be an int of at least 2"),
        (lambda: make_spirals(noise=math.inf), "noise must be a finite number"),
        (lambda: make_circles(noise=1e308, seed=0), r"make_circles: noise 1e\+308 pushes points beyond"),
        (lambda: make_blobs(noise=1e308, seed=0), r"make_blobs: noise 1e\+308 pushes points beyond"),
    ],
)
def test_bad_arguments_are_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
