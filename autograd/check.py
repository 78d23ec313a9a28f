"""Gradient checking: the backward pass against central finite differences.

The defaults are PyTorch's for float64 (``eps=1e-6, atol=1e-5, rtol=1e-3``): an analytic
derivative ``a`` passes against the numeric ``n`` when ``|a - n| <= atol + rtol * |n|``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograd.functional import grad, jacobian
from autograd.value import Value, as_float


class GradcheckError(RuntimeError):
    """A derivative from the backward pass disagrees with finite differences."""


def _outputs(out: object) -> list[float]:
    """A function's result (a Value, a number, or a list of them) as a list of floats."""
    items = out if isinstance(out, (list, tuple)) else [out]
    return [item.data if isinstance(item, Value) else as_float(item, "gradcheck: the function's result")
            for item in items]


def _numeric_jacobian(f: Callable[..., Any], point: list[float], eps: float) -> list[list[float]]:
    """d f_k / d x_j by central differences, ``(f(x + eps) - f(x - eps)) / (2 eps)``."""
    columns = []
    for j in range(len(point)):
        plus, minus = list(point), list(point)
        plus[j] += eps
        minus[j] -= eps
        # evaluated on fresh leaves, so f may use Value methods (x.tanh()) and nested grads
        high = _outputs(f(*[Value(x) for x in plus]))
        low = _outputs(f(*[Value(x) for x in minus]))
        columns.append([(h - lo) / (2.0 * eps) for h, lo in zip(high, low)])
    return [list(row) for row in zip(*columns)]


def _compare(analytic: list[list[Any]], numeric: list[list[float]], atol: float, rtol: float,
             what: str) -> None:
    for k, (analytic_row, numeric_row) in enumerate(zip(analytic, numeric)):
        for j, (a, n) in enumerate(zip(analytic_row, numeric_row)):
            a = float(a)
            if not abs(a - n) <= atol + rtol * abs(n):  # written so that nan fails
                output = f" of output {k}" if len(analytic) > 1 else ""
                raise GradcheckError(
                    f"gradcheck: {what}{output} with respect to input {j}: analytic {a!r} but "
                    f"numeric {n!r} (allowed difference {atol + rtol * abs(n):.3g})"
                )


def gradcheck(f: Callable[..., Any], inputs: Sequence[float], eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3) -> bool:
    """Check ``f``'s derivatives at ``inputs`` against central differences; ``True`` or an error.

    ``f`` takes one number per input and returns a Value (or a list of Values). On a mismatch it
    raises ``GradcheckError`` naming the input and both derivatives.

    >>> from autograd import tanh
    >>> gradcheck(lambda x, y: tanh(x) * y, [0.3, -1.2])
    True
    """
    point = [as_float(x, f"gradcheck: input {i}") for i, x in enumerate(inputs)]
    if not point:
        raise ValueError("gradcheck: inputs is empty; pass one number per argument of f")
    analytic = jacobian(_returning_list(f))(*point)
    _compare(analytic, _numeric_jacobian(f, point, eps), atol, rtol, "the derivative")
    return True


def gradgradcheck(f: Callable[..., Any], inputs: Sequence[float], eps: float = 1e-6, atol: float = 1e-5,
                  rtol: float = 1e-3) -> bool:
    """Check ``f``'s second derivatives: each first derivative is checked like ``gradcheck``.

    ``f`` returns one Value; ``True`` or a ``GradcheckError``.

    >>> from autograd import sin
    >>> gradgradcheck(lambda x, y: sin(x * y), [0.5, 2.0])
    True
    """
    point = [as_float(x, f"gradgradcheck: input {i}") for i, x in enumerate(inputs)]
    if not point:
        raise ValueError("gradgradcheck: inputs is empty; pass one number per argument of f")
    for i in range(len(point)):
        first_derivative = grad(f, argnums=i)
        analytic = jacobian(_returning_list(first_derivative))(*point)
        numeric = _numeric_jacobian(first_derivative, point, eps)
        _compare(analytic, numeric, atol, rtol, f"the second derivative (of d/d input {i})")
    return True


def _returning_list(f: Callable[..., Any]) -> Callable[..., list[Any]]:
    """``f`` made to return a list, as ``jacobian`` needs (a scalar becomes a list of one)."""

    def listed(*args: Any) -> list[Any]:
        out = f(*args)
        return list(out) if isinstance(out, (list, tuple)) else [out]

    return listed
