"""chainrule's engine: scalar reverse-mode automatic differentiation.

The public face of the core (``Value``, the operations, the functional API, the checks and modes)
and of its two wings: traced programs (``trace``, ``Program``) and drawing (``autograd.draw``,
imported on first use so that ``import autograd`` never needs graphviz).

>>> from autograd import Value
>>> x = Value(3.0, label="x")
>>> y = (x * x).tanh() + x
>>> y.backward()
>>> round(x.grad, 6)
1.0
"""

import importlib
from typing import Any

from autograd.arithmetic import divide, power
from autograd.check import GradcheckError, gradcheck, gradgradcheck, numeric_jacobian
from autograd.elementary import (
    absolute,
    cos,
    exp,
    log,
    relu,
    sigmoid,
    sin,
    softplus,
    sqrt,
    tanh,
)
from autograd.graph import topological_order
from autograd.modes import (
    TracingError,
    detect_anomaly,
    enable_grad,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from autograd.operations import dot, linear, maximum, minimum
from autograd.operations import (
    sum as sum,  # public as autograd.sum; kept out of __all__ (see below)
)
from autograd.tracing.program import Program
from autograd.tracing.tracer import trace
from autograd.transforms import grad, gradients, hessian, jacobian, value_and_grad
from autograd.value import Value

abs = absolute  # noqa: A001 (numpy's and PyTorch's name; public, kept out of __all__ like sum)

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """``autograd.draw``, imported when first asked for (drawing needs graphviz; the engine does not)."""
    if name == "draw":
        return importlib.import_module("autograd.draw")
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), "draw"])


__all__ = [
    "GradcheckError",
    "Program",
    "TracingError",
    "Value",
    "absolute",
    "cos",
    "detect_anomaly",
    "divide",
    "dot",
    "enable_grad",
    "exp",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "gradients",
    "hessian",
    "jacobian",
    "is_grad_enabled",
    "linear",
    "log",
    "maximum",
    "minimum",
    "no_grad",
    "numeric_jacobian",
    "power",
    "set_grad_enabled",
    "relu",
    "sigmoid",
    "sin",
    "softplus",
    "sqrt",
    "tanh",
    "topological_order",
    "trace",
    "value_and_grad",
]
# autograd.sum and autograd.abs are public but not in __all__, so that "from autograd import *"
# keeps the builtins sum and abs.
