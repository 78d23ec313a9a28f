"""The demo's command line: its options, their limits, and the checks made before anything runs.

``parse_arguments`` reads the options of ``nn/demo.py`` (``--help`` lists them, under the name the
demo was started by, ``invoked_as()``): a bad value, or options whose one training step would
hold a graph too big for memory, exit in one line before anything is computed.

>>> arguments = parse_arguments(["--dataset", "blobs", "--hidden", "8"])
>>> arguments.dataset, arguments.hidden, class_count(arguments)
('blobs', [8], 3)
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import nn

DATASETS = ("moons", "circles", "blobs", "spirals")

# Ceilings on the options, so that an absurd value is one line before anything is allocated
# (rather than a MemoryError or an OverflowError after minutes). Each is far beyond what trains in
# plain Python in reasonable time.
MAX_STEPS = 1_000_000
MAX_SAMPLES = 100_000
MAX_CLASSES = 1_000
MAX_STEP_GRAPH = 20_000_000
"""At most this many (samples x parameters): one full-batch step's graph holds about that many
numbers, some 40 bytes each (so about 1 GB)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad option is one line (the usage is one ``--help`` away)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _int(text: str, sign: str = "[+-]?", kind: str = "a whole number") -> int:
    # ASCII digits only: int() also reads other scripts' digits, and '²'.isdigit() is True
    if not re.fullmatch(sign + "[0-9]+", text.strip()):
        raise argparse.ArgumentTypeError(f"expected {kind}, got {text!r:.40}")
    try:
        return int(text)
    except ValueError:  # more digits than Python converts (4300)
        raise argparse.ArgumentTypeError(f"expected {kind}, got one of {len(text.strip())} digits") from None


def _positive_int(text: str) -> int:
    value = _int(text, "[+]?", "a positive whole number")
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {value}")
    return value


def _count_up_to(limit: int) -> Callable[[str], int]:
    """A parser of a positive whole number of at most ``limit``."""

    def parse(text: str) -> int:
        value = _positive_int(text)
        if value > limit:
            raise argparse.ArgumentTypeError(
                f"expected a positive whole number up to {limit:,} (the demo's limit), got {text.strip():.40}"
            )
        return value

    return parse


def _number(minimum: float, inclusive: bool) -> Callable[[str], float]:
    relation = ">=" if inclusive else ">"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not (value >= minimum if inclusive else value > minimum) or value == math.inf:
            raise argparse.ArgumentTypeError(f"expected a finite number {relation} {minimum:g}, got {text}")
        return value

    return parse


def _hidden(text: str) -> list[int]:
    try:
        sizes = [_positive_int(part) for part in text.split(",")]
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"expected hidden layer sizes as positive whole numbers separated by commas (e.g. 16,16), "
            f"got {text!r:.60}"
        ) from None
    return sizes


def invoked_as() -> str:
    """The demo's name as it was started, for ``--help`` and its errors.

    ``python -m nn`` or ``python -m nn.demo`` (with the Python that was typed); ``nn.demo`` when
    another program calls ``main()``. ``scripts/demo`` passes its own name to ``main()`` instead.

    >>> invoked_as()  # called by another program: here, pytest
    'nn.demo'
    """
    started = getattr(sys.modules.get("__main__"), "__spec__", None)
    if started is not None and started.name in ("nn.demo", "nn.__main__"):
        return f"{Path(sys.executable).name} -m {started.name.removesuffix('.__main__')}"
    return "nn.demo"


def _parser(program: str) -> argparse.ArgumentParser:
    parser = _Parser(
        prog=program,
        description="Train micrograd's demo classifier with chainrule: a small MLP on a 2-D toy data "
        "set, full-batch SGD with a linearly decaying learning rate. Writes plots, the graph of one "
        "neuron and the trained model to --out.",
    )
    option = parser.add_argument
    option("--dataset", choices=DATASETS, default="moons", help="the data set (default: moons)")
    option(
        "--samples",
        type=_count_up_to(MAX_SAMPLES),
        default=100,
        help=f"number of points (default: 100, at most {MAX_SAMPLES:,})",
    )
    option("--noise", type=_number(0.0, True), help="noise of the data set (default: 0.1; 1.0 for blobs)")
    option(
        "--classes",
        type=_count_up_to(MAX_CLASSES),
        help=f"classes for blobs and spirals (default: 3 and 2, at most {MAX_CLASSES:,})",
    )
    option(
        "--hidden",
        type=_hidden,
        default=[16, 16],
        help=f"hidden layer sizes (default: 16,16); samples x parameters at most {MAX_STEP_GRAPH:,}",
    )
    option(
        "--activation",
        choices=sorted(a for a in nn.ACTIVATIONS if a != "linear"),
        default="relu",
        help="activation of the hidden layers (default: relu)",
    )
    option(
        "--steps",
        type=_count_up_to(MAX_STEPS),
        default=100,
        help=f"training steps (default: 100, at most {MAX_STEPS:,})",
    )
    option(
        "--lr",
        type=_number(0.0, False),
        default=1.0,
        help="starting learning rate, decaying linearly to a tenth of it (default: 1.0)",
    )
    option("--l2", type=_number(0.0, True), default=1e-4, help="weight of the L2 penalty (default: 1e-4)")
    option("--seed", type=_int, default=1337, help="seed of the data and the weights (default: 1337)")
    option(
        "--compile",
        action="store_true",
        help="train with programs traced once (autograd.trace) instead of a graph per step: the same "
        "model up to rounding, several times faster",
    )
    option("--out", type=Path, default=Path("out"), help="output folder, made if needed (default: out/)")
    option("--quiet", action="store_true", help="print only the summary")
    return parser


def parse_arguments(argv: Sequence[str] | None = None, program: str | None = None) -> argparse.Namespace:
    """The demo's options (``--help`` lists them, named ``program``); a bad value exits in one clear line."""
    parser = _parser(program or invoked_as())
    arguments = parser.parse_args(argv)
    if arguments.classes is not None:
        if arguments.dataset not in ("blobs", "spirals"):
            parser.error(f"--classes is for blobs and spirals, not {arguments.dataset}")
        if arguments.classes < 2:
            parser.error(f"--classes must be at least 2, got {arguments.classes}")
    if arguments.samples < 2:
        parser.error("--samples must be at least 2")
    parameters = _parameter_count(arguments.hidden, class_count(arguments))
    if arguments.samples * parameters > MAX_STEP_GRAPH:
        hidden = ",".join(map(str, arguments.hidden))
        parser.error(
            f"--hidden {hidden:.40} makes {_amount(parameters)} parameters, and a step over --samples "
            f"{arguments.samples} a graph of {_amount(arguments.samples * parameters)} numbers, beyond "
            f"the demo's limit of {MAX_STEP_GRAPH:,} (about 1 GB); use fewer or smaller layers, or "
            "fewer samples"
        )
    return arguments


def _amount(n: int) -> str:
    """A count for a person: ``162,802``, or ``4.0e+20`` when the digits would be too many to read."""
    return f"{n:,}" if n < 10**12 else f"{n:.1e}"


def class_count(arguments: argparse.Namespace) -> int:
    """How many classes the chosen data set has: ``--classes``, else the data set's default."""
    return arguments.classes or {"blobs": 3, "spirals": 2}.get(arguments.dataset, 2)


def _parameter_count(hidden: list[int], classes: int) -> int:
    """How many parameters the demo's MLP has: 2 inputs, the hidden layers, one output per class
    (one in all for two classes), each neuron a weight per input and a bias."""
    sizes = [*hidden, 1 if classes == 2 else classes]
    return sum((fan_in + 1) * size for fan_in, size in zip([2, *sizes], sizes))
