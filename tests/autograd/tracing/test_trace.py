"""Traced programs: the same bits as the engine, for every op, random graphs, kinks and IEEE edges."""

from __future__ import annotations

import builtins
import copy
import itertools
import math
import pickle
import random
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from helpers import OPS, SPECIAL_INPUTS, Op, op_id

import autograd as ag
from autograd import Value

EDGE_INPUTS = (*SPECIAL_INPUTS, 1e-310, -2.5, 0.5, 3.0, 1e300)
"""Where IEEE gives inf, nan, signed zeros or a kink: a program must follow the engine there."""


def same_bits(actual: Any, expected: Any) -> bool:
    """Equal as IEEE doubles: nan is nan, and 0.0 is not -0.0 (lists and tuples item by item)."""
    if isinstance(expected, (list, tuple)):
        return (
            isinstance(actual, (list, tuple))
            and len(actual) == len(expected)
            and all(same_bits(a, e) for a, e in zip(actual, expected))
        )
    if math.isnan(expected):
        return math.isnan(actual)
    return bool(actual == expected) and math.copysign(1.0, actual) == math.copysign(1.0, expected)


def assert_program_matches_engine(f: Callable[..., Any], points: Sequence[Sequence[float]]) -> ag.Program:
    """One trace of ``f`` at the first point, then value and gradients at every point, as the
    engine's ``value_and_grad`` gives them, bit for bit: compiled, and as ``program.source`` reads."""
    arity = len(points[0])
    program = ag.trace(f, *points[0])
    engine = ag.value_and_grad(f, argnums=tuple(range(arity)))
    namespace: dict[str, Any] = {}
    exec(program.source, namespace)  # one line per operation, where the compiled code writes some inline
    readable = namespace[program.name]
    for point in points:
        expected = engine(*point)
        actual = program.value_and_grad(*point)
        assert same_bits(actual, expected), f"at {point}: program {actual}, engine {expected}"
        assert same_bits(program(*point), expected[0])
        value, gradients, _ = readable(*point, *program.parameter_values())
        assert same_bits((value, gradients), expected)
    return program


def edge_points(op: Op) -> list[tuple[float, ...]]:
    """The op's own points, then every edge input (pairs of them for two inputs, a sample beyond)."""
    if op.arity <= 2:
        edges = list(itertools.product(EDGE_INPUTS, repeat=op.arity))
    else:
        rng = random.Random(op.name)
        edges = [tuple(rng.choice(EDGE_INPUTS) for _ in range(op.arity)) for _ in range(300)]
    return [*op.points, *edges]


@pytest.mark.parametrize("op", OPS, ids=op_id)
def test_every_op_gives_the_engines_bits_at_every_input(op: Op) -> None:
    """Kinks, masks and IEEE edges included: one trace is right for every input."""
    assert_program_matches_engine(op.engine, edge_points(op))


def test_same_bits_tells_signed_zeros_and_nan_apart() -> None:
    assert not same_bits(0.0, -0.0)
    assert not same_bits(1.0, math.nan)
    assert same_bits([math.nan, -0.0], [math.nan, -0.0])


# ----- random graphs ---------------------------------------------------------------------------

UNARY = ("exp", "log", "sqrt", "tanh", "sigmoid", "softplus", "relu", "abs", "sin", "cos", "neg", "detach")
BINARY = ("+", "-", "*", "/", "**", "maximum", "minimum")
CONSTANTS = (0.0, -0.0, 1.0, -1.0, 2.0, 0.5, -2.5, math.inf, math.nan, 1e-310)


def _unary(name: str, x: Any) -> Any:
    if name == "neg":
        return -x
    if name == "detach":
        return x.detach() if isinstance(x, Value) else x
    return getattr(ag, "absolute" if name == "abs" else name)(x)


def _binary(name: str, a: Any, b: Any) -> Any:
    operations: dict[str, Callable[[Any, Any], Any]] = {
        "+": lambda a, b: a + b,
        "-": lambda a, b: a - b,
        "*": lambda a, b: a * b,
        "/": ag.divide,
        "**": ag.power,
        "maximum": ag.maximum,
        "minimum": ag.minimum,
    }
    return operations[name](a, b)


def random_function(seed: int, parameters: Sequence[Value] = ()) -> tuple[Callable[..., Any], int]:
    """A random function of 1-3 inputs: unary and binary operations (with constants on either
    side), sums, dot products and linear nodes with repeated and shared operands, detach; it also
    reads the captured ``parameters`` (Values made outside it, as a model's weights are)."""
    rng = random.Random(seed)
    steps = [
        (rng.random(), rng.random(), rng.random(), rng.randrange(1, 4), rng.choice(CONSTANTS))
        for _ in range(rng.randint(1, 12))
    ]
    arity = rng.randint(1, 3)

    def f(*inputs: Any) -> Any:
        pick = random.Random(seed).choice
        values = [*inputs, *parameters]
        for kind, which, side, count, c in steps:
            if kind < 0.35:
                y = _unary(UNARY[int(which * len(UNARY))], pick(values))
            elif kind < 0.7:
                y = _binary(BINARY[int(which * len(BINARY))], pick(values), pick(values))
            elif kind < 0.85:
                name = BINARY[int(which * 5)]  # + - * / ** with a constant
                a, b = (c, pick(values)) if side < 0.5 else (pick(values), abs(c) if name == "**" else c)
                y = _binary(name, a, b)
            elif which < 0.4:
                y = ag.sum([pick(values) for _ in range(count)] + ([c] if side < 0.5 else []))
            elif which < 0.6:
                y = ag.dot([pick(values) for _ in range(count)], [pick(values) for _ in range(count)])
            else:
                xs = [pick(values) if side < 0.7 else c for _ in range(count)]
                y = ag.linear([pick(values) for _ in range(count)], xs, pick(values) if side < 0.5 else c)
            values.append(y)
        return values[-1]

    return f, arity


RANDOM_INPUTS = (0.0, -0.0, 1.0, -1.0, 2.0, -3.0, 0.5, 0.7, math.inf, -math.inf, math.nan, 1e-310, 1e300)


@pytest.mark.parametrize("seed", range(200))
def test_random_graphs_give_the_engines_bits(seed: int) -> None:
    f, arity = random_function(seed)
    rng = random.Random(seed)
    start = [rng.choice([0.3, 1.5, -0.7, 2.0]) for _ in range(arity)]
    points = [start] + [[rng.choice(RANDOM_INPUTS) for _ in range(arity)] for _ in range(12)]
    assert_program_matches_engine(f, points)


# ----- random graphs in batches: numpy and the loop against the engine ---------------------------

BATCH_INPUTS = (0.0, -0.0, 1.0, -1.0, 2.0, -3.0, 0.5, 0.7, 1e-310, math.inf, math.nan)
PARAMETER_DATA = (0.0, -0.0, 1.0, -1.0, 2.0, 0.5, -3.0)  # the kinks of relu, abs and maximum among them


def close(actual: Any, expected: float, scale: float = 0.0) -> bool:
    """Within 1e-12 relative to ``expected`` (or to ``scale``, the size of the terms of a sum, which
    numpy adds in another order than the loop); nan for nan, the same infinities."""
    if math.isnan(expected) or math.isinf(expected):
        return same_bits(float(actual), expected) or math.isnan(expected) and math.isnan(actual)
    return abs(float(actual) - expected) <= 1e-12 * max(abs(expected), scale)


def summed_close(actual: Any, terms: Sequence[float]) -> bool:
    """A gradient summed over the batch against the engine's per-example ones."""
    return close(actual, sum(terms, 0.0), sum(abs(t) for t in terms))


def engine_examples(
    f: Callable[..., Any],
    parameters: Sequence[Value],
    examples: Sequence[Sequence[float]],
) -> list[tuple[float, tuple[float, ...], tuple[float, ...]]]:
    """Per example: the engine's value, gradients of the arguments and of ``parameters``."""
    arity = len(examples[0])
    results = []
    for example in examples:
        value, gradients = ag.value_and_grad(f, argnums=tuple(range(arity)))(*example)
        out = f(*(Value(x) for x in example))
        parameter_gradients = ag.gradients(out, parameters, allow_unused=True) if parameters else ()
        results.append((value, gradients, parameter_gradients))
    return results


@pytest.mark.parametrize("seed", range(200))
def test_random_graphs_with_parameters_batch_as_the_engine_computes(seed: int) -> None:
    """Reused nodes, kinks and captured parameters; one argument shared (given once) or none;
    numpy's batch and the loop both agree with the engine, example by example."""
    rng = random.Random(seed)
    captured = [Value(rng.choice(PARAMETER_DATA)) for _ in range(rng.randint(0, 3))]
    f, arity = random_function(seed, captured)
    program = ag.trace(f, *[rng.choice([0.3, 1.5, -0.7, 2.0]) for _ in range(arity)])
    shared = rng.randrange(arity + 1) if arity > 1 else None  # an argument given once, or none
    examples = [[rng.choice(BATCH_INPUTS) for _ in range(arity)] for _ in range(rng.randint(1, 7))]
    for example in examples:
        if shared is not None and shared < arity:
            example[shared] = examples[0][shared]
    args = [examples[0][i] if i == shared else [e[i] for e in examples] for i in range(arity)]
    expected = engine_examples(f, program.parameters, examples)
    for numpy in (True, False):
        batch = program.batch(*args, numpy=numpy)
        where = f"seed {seed}, numpy={numpy}, examples {examples}"
        assert all(close(v, e[0]) for v, e in zip(batch.values, expected)), f"{where}: values {batch.values}"
        for i, gradient in enumerate(batch.gradients):
            terms = [e[1][i] for e in expected]
            right = summed_close(gradient, terms) if i == shared else all(map(close, gradient, terms))
            assert right, f"{where}: gradient {i} is {gradient}, the engine's {terms}"
        for k, total in enumerate(batch.parameter_gradients):
            terms = [e[2][k] for e in expected]
            assert summed_close(total, terms), f"{where}: parameter {k} gets {total}, the engine {terms}"


def test_a_program_of_constants_alone() -> None:
    program = ag.trace(lambda x: ag.exp(Value(1.0)) * 2.0, 3.0)
    assert program.value_and_grad(5.0) == (math.e * 2.0, (0.0,))
    assert "exp" not in program.source  # computed when traced: the same operations give the same bits


# ----- kinks and edges, spelled out ------------------------------------------------------------


@pytest.mark.parametrize(
    "f, x, expected",
    [
        (lambda x: x.relu().sqrt(), -1.0, (0.0, (0.0,))),  # flat relu blocks sqrt's inf
        (lambda x: x.relu(), 0.0, (0.0, (0.0,))),
        (lambda x: abs(x), -0.0, (0.0, (0.0,))),
        (lambda x: ag.maximum(x, 2.0), 2.0, (2.0, (0.5,))),
        (lambda x: x**0 * math.inf, 5.0, (math.inf, (0.0,))),
        (lambda x: 1.0 / x, 0.0, (math.inf, (-math.inf,))),
        (lambda x: x.log(), 0.0, (-math.inf, (math.inf,))),
        (lambda x: x.exp(), 1000.0, (math.inf, (math.inf,))),
        (lambda x: x**3.0, 1e200, (math.inf, (math.inf,))),
        (lambda x: x.sin(), math.inf, (math.nan, (math.nan,))),
        (lambda x: x * x.log(), 1e-310, (1e-310 * math.log(1e-310), (math.log(1e-310) + 1.0,))),
    ],
)
def test_kinks_masks_and_ieee_edges_never_raise(f: Callable[..., Any], x: float, expected: Any) -> None:
    program = ag.trace(f, 1.0)  # traced away from the edge: the program is right there anyway
    assert same_bits(program.value_and_grad(x), expected)
    assert same_bits(program.value_and_grad(x), ag.value_and_grad(f, argnums=(0,))(x))


def test_sums_start_from_zero_as_the_engine_adds() -> None:
    """-0.0 + -0.0 is -0.0, but a sum node starts from 0.0: the program knows which."""
    pair = assert_program_matches_engine(lambda a, b: a + b, [(-0.0, -0.0)])
    summed = assert_program_matches_engine(lambda a, b: ag.sum([a, b]), [(-0.0, -0.0)])
    assert math.copysign(1.0, pair(-0.0, -0.0)) == -1.0
    assert math.copysign(1.0, summed(-0.0, -0.0)) == 1.0


def in_order(terms: Sequence[float], start: float = 0.0) -> float:
    """The documented order, spelled out: ``start + t_1``, then ``+ t_2``, ... (no builtins.sum)."""
    total = start
    for term in terms:
        total = total + term
    return total


# Where adding in order and Python 3.12's compensated sum() differ (1.0 against 0.0), and more.
CANCELLING = [[1e16, 1.0, -1e16], [1.0, 1e100, 1.0, -1e100], [0.1] * 10, [1e308, 1e308, -1e308], [-0.0, -0.0]]


def compensated_sum(terms: Any, start: Any = 0) -> Any:
    """Python 3.12's sum() of floats, in spirit: the rounding errors carried along (Neumaier)."""
    terms = list(terms)
    if not all(type(t) is float for t in terms):
        return PYTHONS_SUM(terms, start)
    total, carried = float(start), 0.0
    for t in terms:
        new = total + t
        carried += (total - new) + t if abs(total) >= abs(t) else (t - new) + total
        total = new
    return total + carried


PYTHONS_SUM = builtins.sum


@pytest.mark.parametrize("python_sum", ["this Python's", "compensated, as Python 3.12's"])
@pytest.mark.parametrize("terms", CANCELLING, ids=str)
def test_linear_sum_and_dot_add_in_order_in_the_engine_programs_and_batches(
    terms: list[float], python_sum: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One documented order on every Python: left to right from 0.0 (then the bias), bit for bit,
    whatever builtins.sum does (Python 3.12 made it compensated: 1.0 for [1e16, 1.0, -1e16])."""
    if python_sum != "this Python's":
        monkeypatch.setattr(builtins, "sum", compensated_sum)
    ones = [1.0] * len(terms)
    functions = {
        "linear": (lambda *xs: ag.linear(list(xs), ones, 0.5), in_order(terms) + 0.5),
        "dot": (lambda *xs: ag.dot(list(xs), ones), in_order(terms)),
        "sum": (lambda *xs: ag.sum(list(xs)), in_order(terms)),
        "sum with numbers": (lambda *xs: ag.sum([2.0, *xs, 3.0]), in_order(terms, 2.0 + 3.0)),
    }
    for name, (f, expected) in functions.items():
        assert same_bits(f(*(Value(t) for t in terms)).data, expected), name
        program = ag.trace(f, *terms)
        assert same_bits(program(*terms), expected), name
        for numpy in (True, False):
            batch = program.batch(*([t, t] for t in terms), numpy=numpy)
            assert same_bits(list(batch.values), [expected, expected]), (name, numpy)


# ----- arguments, argnums, parameters ----------------------------------------------------------


def test_argnums_picks_the_gradients_and_the_rest_still_vary() -> None:
    f = lambda x, y, z: x * y + z  # noqa: E731
    one = ag.trace(f, 1.0, 2.0, 3.0, argnums=1)
    assert one.value_and_grad(2.0, 5.0, 1.0) == (11.0, 2.0)
    several = ag.trace(f, 1.0, 2.0, 3.0, argnums=(2, 0, 0))
    assert several.value_and_grad(2.0, 5.0, 1.0) == (11.0, (1.0, 5.0, 5.0))
    assert ag.trace(f, 1.0, 2.0, 3.0, argnums=()).value_and_grad(2.0, 5.0, 1.0) == (11.0, ())
    assert ag.trace(f, 1.0, 2.0, 3.0, argnums=-1).value_and_grad(2.0, 5.0, 1.0)[1] == 1.0


def test_list_arguments_give_lists_of_gradients() -> None:
    def f(xs: list[Value], y: Value) -> Value:
        return ag.dot(xs, xs) * y

    program = ag.trace(f, [1.0, 2.0, 3.0], 2.0)
    value, (g_xs, g_y) = program.value_and_grad([1.0, -1.0, 0.5], 3.0)
    xs, y = [Value(1.0), Value(-1.0), Value(0.5)], Value(3.0)
    out = f(xs, y)
    assert (value, g_xs, g_y) == (out.data, list(ag.gradients(out, xs)), ag.gradients(out, [y])[0])
    assert program.source.splitlines()[-1] == "    return v2, ([g_xs_0, g_xs_1, g_xs_2], g_y), ()"


def test_parameters_are_read_at_every_call_and_backward_matches_the_engine() -> None:
    w, b = Value(0.5, label="w"), Value(-0.25, label="b")
    f = lambda x: (w * x + b).tanh() * w  # noqa: E731
    program = ag.trace(f, 2.0)
    assert program.parameters == [w, b]
    w.data, b.data = 1.5, 0.75  # as an optimizer's step changes them
    expected = f(Value(-1.0))
    assert program(-1.0) == expected.data
    expected.backward()
    engine_grads = (w.grad, b.grad)
    w.grad = b.grad = 0.0
    for _ in range(2):  # accumulates, as backward() does
        assert program.backward(-1.0) == expected.data
    assert (w.grad, b.grad) == (engine_grads[0] * 2.0, engine_grads[1] * 2.0)


def test_program_backward_keeps_grad_value_in_step_as_backward_does() -> None:
    """After a create_graph pass, ``backward()`` extends ``grad_value`` by what it adds to ``grad``."""
    f = lambda w, x: w * w * x  # noqa: E731
    weights = [Value(3.0), Value(3.0)]
    for w in weights:
        f(w, Value(1.0)).backward(create_graph=True)  # w.grad_value = 2 w x, a Value
    f(weights[0], Value(2.0)).backward()  # the engine: grad 6 + 12, grad_value extended by 12
    ag.trace(lambda x: f(weights[1], x), 1.0).backward(2.0)
    assert [w.grad for w in weights] == [18.0, 18.0]
    assert [w.grad_value.data for w in weights] == [18.0, 18.0]
    ag.gradients(weights[1].grad_value, [weights[1]])  # still differentiable


def test_values_made_inside_the_function_are_constants_not_parameters() -> None:
    f = lambda x: 2**x + ag.linear([1.0, Value(2.0)], [x, x], 0.5) * Value(3.0)  # noqa: E731
    program = assert_program_matches_engine(f, [(1.0,), (-2.0,)])
    assert program.parameters == []


def test_a_node_made_before_the_trace_is_recomputed_from_its_leaves() -> None:
    w = Value(3.0, label="w")
    doubled = w * 2.0  # made outside: the program follows the graph down to w
    program = ag.trace(lambda x: doubled * x, 1.0)
    assert program.parameters == [w]
    w.data = 5.0
    assert program(1.0) == 10.0


def test_detach_traces_as_a_stop_gradient() -> None:
    f = lambda x: x * x.detach() + x.detach().exp()  # noqa: E731
    program = assert_program_matches_engine(f, [(3.0,), (-1.0,), (0.0,)])
    assert "detach: no gradient back" in program.source


def test_detach_of_a_parameter_passes_no_gradient_to_it() -> None:
    w = Value(2.0)
    program = ag.trace(lambda x: x * w.detach(), 1.0)
    w.grad = -0.0
    program.backward(3.0)
    assert math.copysign(1.0, w.grad) == -1.0  # untouched, as backward() leaves it


@pytest.mark.parametrize(
    "f",
    [
        lambda x: x * x.data,  # an argument's number
        lambda x: x if (x * 3.0).data > 0 else x * 0.01,  # a computed Value's, in a branch
        lambda x: x * x.detach().data,  # a detached copy's: still this input's number
        lambda xs: xs[0] * xs[1].data,  # an element of a list argument
    ],
)
def test_reading_data_of_a_traced_value_is_refused(f: Callable[..., Any]) -> None:
    example = [1.0, 2.0] if "xs" in f.__code__.co_varnames else 2.0
    with pytest.raises(ag.TracingError, match=r"reading \.data of a traced Value would bake"):
        ag.trace(f, example)


@pytest.mark.parametrize("copied", [copy.deepcopy, copy.copy, lambda v: pickle.loads(pickle.dumps(v))])
def test_copying_or_pickling_a_value_while_tracing_is_refused(copied: Callable[[Value], Value]) -> None:
    """A copy is a new leaf with the number of the moment: in a program it would be a constant."""
    w = Value(2.0)
    for f in (lambda x: copied(x) * x, lambda x: copied(x * x) + x, lambda x: copied(w) * x):
        with pytest.raises(ag.TracingError, match=r"copying .*a Value .* would bake .* use \.detach\(\)"):
            ag.trace(f, 3.0)
    assert copied(w).data == 2.0  # outside a trace, as before
    assert ag.trace(lambda x: x.detach() * x, 3.0).value_and_grad(4.0) == ag.value_and_grad(
        lambda x: copied(x) * x, argnums=(0,)
    )(4.0)  # what to write instead: the engine's (16.0, (4.0,))


def test_reading_data_of_a_parameter_bakes_a_constant_as_documented() -> None:
    """A Value made before the trace is not guarded: the number read while tracing stays in the program."""
    w = Value(2.0)
    program = ag.trace(lambda x: x * w.data, 1.0)
    w.data = 5.0
    assert program(3.0) == 6.0


def test_traced_values_hand_out_their_numbers_after_the_trace() -> None:
    kept = []
    program = ag.trace(lambda x: kept.append(x * 2.0) or kept[-1], 1.5)
    assert kept[0].data == 3.0 and program(2.0) == 4.0
    kept[0].data = 1.0  # and can be set, as any Value's
    assert kept[0].data == 1.0 and float(kept[0]) == 1.0


def test_a_function_of_nothing_but_parameters() -> None:
    w = Value(3.0)
    program = ag.trace(lambda: w * w)
    assert program.value_and_grad() == (9.0, ())
    program.backward()
    assert w.grad == 6.0


def test_returning_an_input_a_parameter_or_a_number() -> None:
    w = Value(4.0)
    assert ag.trace(lambda x, y: x, 1.0, 2.0).value_and_grad(5.0, 6.0) == (5.0, (1.0, 0.0))
    assert ag.trace(lambda x: w, 1.0).value_and_grad(5.0) == (4.0, (0.0,))
    assert ag.trace(lambda x: 7, 1.0).value_and_grad(5.0) == (7.0, (0.0,))
