"""Traced programs: a graph written out once as straight-line code, then run on new numbers.

``trace(f, *example)`` runs ``f`` once on Values, records the graph, and writes its forward and
backward passes as a Python function of floats (a ``Program``), using the engine's own derivative
rules and driver; ``Program.batch`` runs it on many examples at once, with numpy when it is
installed (imported only then). This wing sits above the core: the core never imports it.

>>> from autograd.tracing import trace
>>> program = trace(lambda x: x * x + 1, 3.0)
>>> program.value_and_grad(4.0)
(17.0, (8.0,))
"""

from autograd.tracing.batch import Batch
from autograd.tracing.program import Program, add_gradients
from autograd.tracing.tracer import trace

__all__ = ["Batch", "Program", "add_gradients", "trace"]
