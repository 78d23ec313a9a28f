"""Gradient checking: the backward pass against central finite differences.

The defaults are PyTorch's for float64 (``eps=1e-6, atol=1e-5, rtol=1e-3``): an analytic
derivative ``a`` passes against the numeric ``n`` when ``|a - n| <= atol + rtol * |n|``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from autograd.inputs import as_float
from autograd.transforms import grad, jacobian
from autograd.value import Value


class GradcheckError(RuntimeError):
    """A derivative from the backward pass disagrees with finite differences."""


def _outputs(out: object) -> list[float]:
    """A function's result (a Value, a number, or a list of them) as a list of floats."""
    items = out if isinstance(out, (list, tuple)) else [out]
    return [
        item.data if isinstance(item, Value) else as_float(item, "gradcheck: the function's result")
        for item in items
    ]


def numeric_jacobian(
    f: Callable[..., Any], point: Sequence[float], eps: float = 1e-6, as_values: bool = True
) -> list[list[float]]:
    """d f_k / d x_j by central differences, ``(f(x + eps) - f(x - eps)) / (2 eps)``.

    ``f`` gets fresh leaves (``as_values``), so it may use Value methods such as ``x.tanh()``, or
    plain floats. One row per output of ``f`` (a number or Value, or a list of them).

    >>> [[round(d, 6) for d in row] for row in numeric_jacobian(lambda x, y: [x * y, x + y], [2.0, 3.0])]
    [[3.0, 2.0], [1.0, 1.0]]
    """
    point = [as_float(x, f"numeric_jacobian: input {i}") for i, x in enumerate(point)]
    wrap: Callable[[float], Any] = Value if as_values else float
    columns = []
    for j in range(len(point)):
        plus, minus = list(point), list(point)
        plus[j] += eps
        minus[j] -= eps
        high = _outputs(f(*[wrap(x) for x in plus]))
        low = _outputs(f(*[wrap(x) for x in minus]))
        columns.append([(h - lo) / (2.0 * eps) for h, lo in zip(high, low)])
    return [list(row) for row in zip(*columns)]


def _check_options(eps: object, atol: object, rtol: object, who: str) -> tuple[float, float, float]:
    """The tolerances as floats; eps must be a positive finite step."""
    eps_, atol_, rtol_ = (
        as_float(x, f"{who}({name}=...)") for x, name in ((eps, "eps"), (atol, "atol"), (rtol, "rtol"))
    )
    if not 0.0 < eps_ < math.inf:
        raise ValueError(
            f"{who}(eps=...): the finite-difference step must be positive and finite, got {eps_!r}"
        )
    if not (atol_ >= 0.0 and rtol_ >= 0.0):
        raise ValueError(f"{who}: atol and rtol must be >= 0, got atol={atol_!r}, rtol={rtol_!r}")
    return eps_, atol_, rtol_


def _compare(
    analytic: list[list[Any]], numeric: list[list[float]], atol: float, rtol: float, what: str
) -> None:
    for k, (analytic_row, numeric_row) in enumerate(zip(analytic, numeric)):
        for j, (a, n) in enumerate(zip(analytic_row, numeric_row)):
            a = float(a)
            if not abs(a - n) <= atol + rtol * abs(n):  # written so that nan fails
                output = f" of output {k}" if len(analytic) > 1 else ""
                raise GradcheckError(
                    f"gradcheck: {what}{output} with respect to input {j}: analytic {a!r} but "
                    f"numeric {n!r} (allowed difference {atol + rtol * abs(n):.3g})"
                )


def gradcheck(
    f: Callable[..., Any],
    inputs: float | Sequence[float],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Check ``f``'s derivatives at ``inputs`` against central differences; ``True`` or an error.

    ``f`` takes one number per input and returns a Value (or a list of Values). On a mismatch it
    raises ``GradcheckError`` naming the input and both derivatives.

    >>> from autograd import tanh
    >>> gradcheck(lambda x, y: tanh(x) * y, [0.3, -1.2])
    True
    """
    eps, atol, rtol = _check_options(eps, atol, rtol, "gradcheck")
    point = _point(inputs, "gradcheck")
    if not point:
        raise ValueError("gradcheck: inputs is empty; pass one number per argument of f")
    analytic = jacobian(_returning_list(f))(*point)
    _compare(analytic, numeric_jacobian(f, point, eps), atol, rtol, "the derivative")
    return True


def gradgradcheck(
    f: Callable[..., Any],
    inputs: float | Sequence[float],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Check ``f``'s second derivatives: each first derivative is checked like ``gradcheck``.

    The analytic second derivatives come from ``create_graph`` (the rules applied to Values); the
    reference is central differences of the float path's first derivatives, so a rule whose Value
    form is wrong cannot hide. ``f`` returns one Value; ``True`` or a ``GradcheckError``.

    >>> from autograd import sin
    >>> gradgradcheck(lambda x, y: sin(x * y), [0.5, 2.0])
    True
    """
    eps, atol, rtol = _check_options(eps, atol, rtol, "gradgradcheck")
    point = _point(inputs, "gradgradcheck")
    if not point:
        raise ValueError("gradgradcheck: inputs is empty; pass one number per argument of f")
    for i in range(len(point)):
        first_derivative = grad(f, argnums=i)
        analytic = jacobian(_returning_list(first_derivative))(*point)
        # floats in: grad takes the float path, whose derivatives are not the create_graph ones
        numeric = numeric_jacobian(first_derivative, point, eps, as_values=False)
        _compare(analytic, numeric, atol, rtol, f"the second derivative (of d/d input {i})")
    return True


def _point(inputs: float | Sequence[float], who: str) -> list[float]:
    """The inputs as floats: one number, or one per argument of f."""
    if not isinstance(inputs, Iterable) or isinstance(inputs, (str, bytes)):
        return [as_float(inputs, f"{who}: input 0")]
    return [as_float(x, f"{who}: input {i}") for i, x in enumerate(inputs)]


def _returning_list(f: Callable[..., Any]) -> Callable[..., list[Any]]:
    """``f`` made to return a list, as ``jacobian`` needs (a scalar becomes a list of one)."""

    def listed(*args: Any) -> list[Any]:
        out = f(*args)
        return list(out) if isinstance(out, (list, tuple)) else [out]

    return listed
