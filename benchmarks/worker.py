"""The child side of ``harness.Isolated``: ``python -m benchmarks.worker``, one engine per process.

It reads a pickled ``(factory, args)`` from standard input, builds the trial ``factory(*args)``,
then runs it once for each request (``gc.collect()`` first, outside the timed region) and sends back
what it measured, until it reads ``None``. To what the trial measured it adds ``cpu``: the CPU time
this process spent in the trial, which other work on the machine disturbs far less than wall-clock
time. Each answer is pickled: ``("ok", content, files)``, where ``files`` says where this process
imported ``autograd`` and ``nn`` from so far (the parent checks it), or ``("error", traceback,
files)``. The answers go to the original standard output; anything the engine prints goes to
standard error.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import time
import traceback
from typing import Any, BinaryIO

PACKAGES = ("autograd", "nn")


def engine_files() -> dict[str, str | None]:
    """Where this process imported chainrule's packages from (None: not imported)."""
    return {name: getattr(sys.modules.get(name), "__file__", None) for name in PACKAGES}


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """Build the trial, then run it on each request, until a ``None`` request."""

    def answer(kind: str, content: Any) -> None:
        pickle.dump((kind, content, engine_files()), answers)
        answers.flush()

    try:
        factory, args = pickle.load(requests)
        trial = factory(*args)
        answer("ok", None)
        while pickle.load(requests) is not None:
            gc.collect()
            start = time.process_time()
            measured = trial()
            answer("ok", {**measured, "cpu": time.process_time() - start})
    except EOFError:  # the parent went away: nothing left to do
        return
    except Exception:
        answer("error", traceback.format_exc())


def main() -> None:
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print cannot corrupt the answers
    serve(sys.stdin.buffer, answers)


if __name__ == "__main__":
    main()
