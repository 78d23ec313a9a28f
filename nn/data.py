"""Toy data sets in plain Python: ``make_moons``, ``make_circles``, ``make_blobs``, ``make_spirals``.

Each returns ``(X, y)``: a list of feature lists (``[x1, x2]``) and a list of int labels ``0..k-1``,
shuffled, from a ``random.Random`` seeded by ``seed`` (an int, a ``random.Random``, or None for a
fresh stream). ``noise`` is the standard deviation of Gaussian noise added to every coordinate.

The first three follow scikit-learn's generators of the same names (same shapes, the same split of
points between classes, the same noise model; scikit-learn is not needed). They draw from Python's
``random`` instead of numpy, so the same seed gives other points than scikit-learn, with the same
statistics.
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Sequence
from typing import Union

from nn.arguments import Seed, check_count, check_number, make_rng

Dataset = tuple[list[list[float]], list[int]]


def _split(n_samples: int, n_groups: int) -> list[int]:
    """``n_samples`` shared out between groups as evenly as possible, the first groups taking the rest."""
    return [n_samples // n_groups + (1 if g < n_samples % n_groups else 0) for g in range(n_groups)]


def _finish(
    points: list[list[float]], labels: list[int], noise: float, rng: random.Random, shuffle: bool, who: str
) -> Dataset:
    """Shuffle (points and labels together), then add Gaussian noise to every coordinate."""
    if shuffle:
        order = list(range(len(points)))
        rng.shuffle(order)
        points = [points[i] for i in order]
        labels = [labels[i] for i in order]
    if noise > 0.0:
        gauss = rng.gauss
        points = [[x + gauss(0.0, noise) for x in point] for point in points]
        if not all(math.isfinite(x) for point in points for x in point):
            raise ValueError(
                f"{who}: noise {noise:g} pushes points beyond the largest float (to inf); use a smaller noise"
            )
    return points, labels


def _linspace(start: float, stop: float, n: int, endpoint: bool = True) -> list[float]:
    if n == 1:
        return [start]
    step = (stop - start) / (n - 1 if endpoint else n)
    return [start + i * step for i in range(n)]


def make_moons(
    n_samples: int = 100, noise: float = 0.0, seed: Seed = None, *, shuffle: bool = True
) -> Dataset:
    """Two interleaving half circles (scikit-learn's ``make_moons``), labels 0 and 1.

    Class 0 (``n_samples // 2`` points) lies on the upper half circle ``(cos t, sin t)``, class 1
    (the rest) on the lower one ``(1 - cos t, 0.5 - sin t)``, with ``t`` evenly spaced over
    ``[0, pi]`` in each.

    >>> X, y = make_moons(n_samples=100, noise=0.1, seed=0)
    >>> len(X), len(X[0]), sorted(set(y)), y.count(1)
    (100, 2, [0, 1], 50)
    """
    n = check_count(n_samples, "make_moons: n_samples", 2)
    noise = check_number(noise, "make_moons: noise", 0.0)
    rng = make_rng(seed)
    n_outer = n // 2
    n_inner = n - n_outer
    outer = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, math.pi, n_outer)]
    inner = [[1.0 - math.cos(t), 1.0 - math.sin(t) - 0.5] for t in _linspace(0.0, math.pi, n_inner)]
    return _finish(outer + inner, [0] * n_outer + [1] * n_inner, noise, rng, shuffle, "make_moons")


def make_circles(
    n_samples: int = 100, noise: float = 0.0, seed: Seed = None, *, factor: float = 0.8, shuffle: bool = True
) -> Dataset:
    """A circle of radius ``factor`` (label 1) inside the unit circle (label 0), as scikit-learn's.

    Each circle's points are evenly spaced in angle over ``[0, 2 pi)``; the outer circle has
    ``n_samples // 2`` points, the inner one the rest.

    >>> X, y = make_circles(n_samples=10, seed=0, factor=0.5)
    >>> sorted({round(math.hypot(*x), 9) for x in X})
    [0.5, 1.0]
    """
    n = check_count(n_samples, "make_circles: n_samples", 2)
    noise = check_number(noise, "make_circles: noise", 0.0)
    factor = check_number(factor, "make_circles: factor", 0.0, 1.0, open_high=True)
    rng = make_rng(seed)
    n_outer = n // 2
    n_inner = n - n_outer
    outer = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, 2 * math.pi, n_outer, endpoint=False)]
    inner = [
        [factor * math.cos(t), factor * math.sin(t)]
        for t in _linspace(0.0, 2 * math.pi, n_inner, endpoint=False)
    ]
    return _finish(outer + inner, [0] * n_outer + [1] * n_inner, noise, rng, shuffle, "make_circles")


def make_blobs(
    n_samples: int = 100,
    noise: float = 1.0,
    seed: Seed = None,
    *,
    centers: Union[int, Sequence[Sequence[float]]] = 3,
    n_features: int = 2,
    center_box: tuple[float, float] = (-10.0, 10.0),
    shuffle: bool = True,
) -> Dataset:
    """Gaussian blobs around ``centers`` (scikit-learn's ``make_blobs``), label = the blob's index.

    ``centers`` is a count (drawn uniformly in ``center_box`` per feature) or a list of points.
    ``noise`` is each blob's standard deviation (scikit-learn's ``cluster_std``, default 1.0). The
    points are shared out as evenly as possible, the first blobs taking one more.

    >>> X, y = make_blobs(n_samples=10, seed=0, centers=[[0.0, 0.0], [5.0, 5.0]], noise=0.0)
    >>> sorted(map(tuple, X))[::5], y.count(0)
    ([(0.0, 0.0), (5.0, 5.0)], 5)
    """
    n = check_count(n_samples, "make_blobs: n_samples")
    noise = check_number(noise, "make_blobs: noise", 0.0)
    rng = make_rng(seed)
    if isinstance(centers, numbers.Integral) and not isinstance(centers, bool):
        n_centers = check_count(centers, "make_blobs: centers")
        dimension = check_count(n_features, "make_blobs: n_features")
        low, high = (float(bound) for bound in center_box)
        if not low <= high:
            raise ValueError(
                f"make_blobs: center_box must be (low, high) with low <= high, got {center_box!r}"
            )
        points = [[rng.uniform(low, high) for _ in range(dimension)] for _ in range(n_centers)]
    elif isinstance(centers, Sequence) and len(centers) > 0:
        points = [[float(x) for x in center] for center in centers]
        dimension = len(points[0])
        if dimension == 0 or any(len(center) != dimension for center in points):
            raise ValueError("make_blobs: centers must be points of one same, non-zero dimension")
        n_centers = len(points)
    else:
        raise ValueError(
            f"make_blobs: centers must be a positive int or a list of points, got {centers!r:.40}"
        )
    X: list[list[float]] = []
    y: list[int] = []
    for label, (center, count) in enumerate(zip(points, _split(n, n_centers))):
        X.extend(list(center) for _ in range(count))
        y.extend([label] * count)
    return _finish(X, y, noise, rng, shuffle, "make_blobs")


def make_spirals(
    n_samples: int = 100,
    noise: float = 0.0,
    seed: Seed = None,
    *,
    n_classes: int = 2,
    turns: float = 1.0,
    shuffle: bool = True,
) -> Dataset:
    """``n_classes`` interleaved spiral arms around the origin, label = the arm's index.

    Arm ``c`` has ``m`` points (shared out as in ``make_blobs``); its point ``i`` is at radius
    ``r = (i + 1/2) / m`` (from near 0 to near 1) and angle ``2 pi (turns * r + c / n_classes)``:
    ``(r cos angle, r sin angle)``. So each arm winds ``turns`` times outwards, and the arms are the
    same curve rotated by ``1 / n_classes`` of a turn; ``noise`` is added as for the others.

    >>> X, y = make_spirals(n_samples=90, n_classes=3, seed=0)
    >>> len(X), sorted(set(y)), max(math.hypot(*x) for x in X) < 1.0
    (90, [0, 1, 2], True)
    """
    n = check_count(n_samples, "make_spirals: n_samples")
    noise = check_number(noise, "make_spirals: noise", 0.0)
    k = check_count(n_classes, "make_spirals: n_classes", 2)
    turns = check_number(turns, "make_spirals: turns")
    rng = make_rng(seed)
    X: list[list[float]] = []
    y: list[int] = []
    for arm, m in enumerate(_split(n, k)):
        for i in range(m):
            r = (i + 0.5) / m
            angle = 2 * math.pi * (turns * r + arm / k)
            X.append([r * math.cos(angle), r * math.sin(angle)])
            y.append(arm)
    return _finish(X, y, noise, rng, shuffle, "make_spirals")
