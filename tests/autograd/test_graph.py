"""The graph: deep chains, repeated backward, shared nodes, edges, modes, memory, determinism."""

import asyncio
import gc
import math
import os
import pydoc
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest

import autograd as ag
from autograd import Value, enable_grad, is_grad_enabled, no_grad, topological_order

# ----- depth ---------------------------------------------------------------------------------


def test_million_node_chain_at_the_default_recursion_limit() -> None:
    limit = sys.getrecursionlimit()
    assert limit <= 1000, "the test must run at Python's default recursion limit"
    x = Value(1.0, label="x")
    y = x
    for _ in range(10**6):
        y = y * 1.000001
    assert y.data == pytest.approx(1.000001**1e6, rel=1e-9)
    y.backward()
    # d y/d x is the product of a million local derivatives
    assert x.grad == pytest.approx(1.000001**1e6, rel=1e-9)
    assert y.grad == 1.0
    order = topological_order(y)
    assert len(order) == 10**6 + 1
    assert order[0] is x and order[-1] is y
    assert sys.getrecursionlimit() == limit
    del order, y  # freeing a million-node chain must not overflow the C stack either


def test_deep_chain_of_unary_ops_and_its_gradient() -> None:
    x = Value(0.3)
    y = x
    for _ in range(20_000):
        y = y + y.sin() * 1e-4
    y.backward()
    z, dz_dx = 0.3, 1.0  # the same chain in floats, with its derivative carried forward
    for _ in range(20_000):
        z, dz_dx = z + math.sin(z) * 1e-4, dz_dx * (1.0 + math.cos(z) * 1e-4)
    assert y.data == z  # the same float operations in the same order: the same bits
    assert x.grad == pytest.approx(dz_dx, rel=1e-10)
    assert x.grad != pytest.approx(1.0, abs=0.1)  # far from the identity's derivative


# ----- backward twice, shared subexpressions ------------------------------------------------


def test_backward_twice_doubles_leaves_and_resets_interior_nodes() -> None:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b  # interior, used twice below
    d = c * c + c.sin()
    out = d * a + b
    out.backward()
    leaves_first = (a.grad, b.grad)
    interior_first = (c.grad, d.grad, out.grad)
    # d out/d a = d + a * (2c + cos c) * b ; d out/d b = a * (2c + cos c) * a + 1
    dc = 2 * c.data + math.cos(c.data)
    assert a.grad == pytest.approx(d.data + a.data * dc * b.data, rel=1e-12)
    assert b.grad == pytest.approx(a.data * dc * a.data + 1.0, rel=1e-12)
    out.backward()
    assert (a.grad, b.grad) == (2 * leaves_first[0], 2 * leaves_first[1])
    assert (c.grad, d.grad, out.grad) == interior_first
    out.backward(grad=0.5)
    assert (a.grad, b.grad) == (2.5 * leaves_first[0], 2.5 * leaves_first[1])
    assert (c.grad, d.grad, out.grad) == (0.5 * interior_first[0], 0.5 * interior_first[1], 0.5)


def test_backward_from_an_interior_node_after_a_full_pass() -> None:
    """Interior grads left by an earlier pass must not leak into a pass from another root."""
    a = Value(3.0)
    b = a * a
    c = b * 2.0
    c.backward()
    assert (a.grad, b.grad) == (12.0, 2.0)
    a.grad = 0.0
    b.backward()
    assert (a.grad, b.grad) == (6.0, 1.0)


def test_a_times_a() -> None:
    a = Value(3.0)
    y = a * a
    y.backward()
    assert (y.data, a.grad) == (9.0, 6.0)


def test_b_is_a_plus_a_and_c_is_b_plus_b() -> None:
    """The diamond a naive recursion gets wrong: c = 4a, so dc/da = 4."""
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert (c.data, a.grad, b.grad) == (12.0, 4.0, 2.0)


def test_b_squared_plus_b() -> None:
    a = Value(2.0)
    b = a * a
    y = b * b + b
    y.backward()
    assert (y.data, a.grad, b.grad) == (20.0, 36.0, 9.0)


def test_wide_diamond_of_shared_nodes() -> None:
    a = Value(1.5)
    layer = [a * float(i) for i in range(1, 6)]  # each uses a
    out = ag.sum(p * q for p in layer for q in layer)  # every pair: (sum i)^2 a^2 = 225 a^2
    out.backward()
    assert out.data == pytest.approx(225 * 1.5**2, rel=1e-14)
    assert a.grad == pytest.approx(450 * 1.5, rel=1e-14)


# ----- edges: argument order, repeats kept --------------------------------------------------


def test_help_of_a_value_documents_data_and_grad() -> None:
    shown = pydoc.render_doc(Value, renderer=pydoc.plaintext)  # what help(Value) prints
    lines = [line.strip(" |") for line in shown.splitlines()]
    for attribute, first_words in (
        ("data", "The value computed in the forward pass"),
        ("grad", "d(output)/d(self) after ``backward()``"),
    ):
        described = lines[lines.index(attribute) + 1]
        assert described.startswith(first_words), (attribute, described)


def test_parents_are_in_argument_order_with_repeats() -> None:
    a, b = Value(2.0, label="a"), Value(5.0, label="b")
    for node, parents, local_grads in [
        (a * a, (a, a), (2.0, 2.0)),
        (a * b, (a, b), (5.0, 2.0)),
        (b * a, (b, a), (2.0, 5.0)),
        (a + b, (a, b), (1.0, 1.0)),
        (b + a, (b, a), (1.0, 1.0)),
        (a + 1.0, (a,), (1.0,)),
        (3.0 * a, (a,), (3.0,)),
        (ag.sum([a, b, a]), (a, b, a), (1.0, 1.0, 1.0)),
        (ag.sum([a]), (a,), (1.0,)),  # n-ary with one term: a tuple of one inside, as public
        (a.tanh(), (a,), (1.0 - math.tanh(2.0) ** 2,)),
        (ag.linear([a, b], [b, a], a), (a, b, b, a, a), (5.0, 2.0, 2.0, 5.0, 1.0)),
        (ag.maximum(b, a), (b, a), (1.0, 0.0)),
    ]:
        assert len(node.parents) == len(parents)
        assert all(p is q for p, q in zip(node.parents, parents)), node.op
        assert node.local_grads == local_grads, node.op
    assert a.parents == () and a.local_grads == () and a.op == ""
    for node in (a * 3.0, a * b, ag.sum([a])):  # whatever the storage inside, users see tuples
        assert type(node.parents) is tuple and type(node.local_grads) is tuple


def test_one_term_sum_and_bare_parent_nodes_mix_in_one_graph() -> None:
    x = Value(0.5)
    y = ag.sum([(x * 2.0).tanh()]) * x + ag.sum([x])  # tuple of one, bare parent, two parents
    y.backward()
    t = math.tanh(1.0)
    assert y.data == pytest.approx(t * 0.5 + 0.5, rel=1e-15)
    assert x.grad == pytest.approx(2.0 * (1.0 - t * t) * 0.5 + t + 1.0, rel=1e-15)


def test_op_labels() -> None:
    a, b = Value(2.0), Value(5.0)
    assert (a * b).op == "*"
    assert (a + b).op == "+"
    assert a.tanh().op == "tanh"
    assert (a**2).op == "**2"
    assert (a**b).op == "**"


# ----- no_grad, enable_grad, detach -----------------------------------------------------------


def test_no_grad_records_nothing() -> None:
    x = Value(2.0)
    with no_grad():
        assert not is_grad_enabled()
        y = (x * 3).exp() + x
        z = ag.linear([x], [x], x)
    assert is_grad_enabled()
    for node in (y, z):
        assert node.parents == () and node.local_grads == () and node.op == ""
    assert y.data == pytest.approx(math.exp(6.0) + 2.0) and z.data == 6.0
    y.backward()
    assert x.grad == 0.0  # nothing flows to x
    w = x * x  # recording again after the block
    assert w.parents == (x, x)


def test_no_grad_is_restored_after_an_exception_and_nests() -> None:
    x = Value(1.0)
    with pytest.raises(RuntimeError), no_grad():
        raise RuntimeError
    assert is_grad_enabled()
    with no_grad():
        with enable_grad():
            assert len((x * x).parents) == 2
        assert (x * x).parents == ()
        with no_grad():
            assert (x * x).parents == ()
        assert (x * x).parents == ()
    assert len((x * x).parents) == 2


def test_no_grad_as_a_decorator() -> None:
    @no_grad()
    def step(v: Value) -> Value:
        return v * 2

    assert step(Value(1.0)).parents == ()
    assert is_grad_enabled()


def test_no_grad_is_per_thread() -> None:
    x = Value(2.0)
    inside, release = threading.Event(), threading.Event()
    seen = {}

    def worker() -> None:
        with no_grad():
            inside.set()
            release.wait(10)
            seen["worker"] = (x * x).parents

    thread = threading.Thread(target=worker)
    thread.start()
    assert inside.wait(10)
    seen["main"] = (x * x).parents  # while the other thread is inside no_grad
    release.set()
    thread.join(10)
    assert seen["main"] == (x, x)
    assert seen["worker"] == ()


def test_no_grad_is_per_asyncio_task() -> None:
    x = Value(2.0)

    async def without_grad(entered: asyncio.Event, proceed: asyncio.Event) -> tuple:
        with no_grad():
            entered.set()
            await proceed.wait()
            return (x * x).parents

    async def with_grad(entered: asyncio.Event, proceed: asyncio.Event) -> tuple:
        await entered.wait()  # the other task is inside no_grad now
        parents = (x * x).parents
        proceed.set()
        return parents

    async def main() -> tuple:
        entered, proceed = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(without_grad(entered, proceed), with_grad(entered, proceed))

    inside, outside = asyncio.run(main())
    assert inside == ()
    assert outside == (x, x)


def test_detach_is_a_new_leaf_with_the_same_data() -> None:
    x = Value(3.0, label="x")
    d = x.detach()
    assert d is not x and d.data == 3.0 and d.parents == () and d.grad == 0.0
    y = d * x
    y.backward()
    assert x.grad == 3.0  # only through the second factor
    assert d.grad == 3.0


def test_detach_cuts_an_interior_node() -> None:
    x = Value(3.0)
    square = x * x
    y = square.detach() * x  # 9x: the square is a constant now
    y.backward()
    assert (y.data, x.grad) == (27.0, 9.0)
    assert square.grad == 0.0


# ----- memory: reference counting alone frees a graph ----------------------------------------


def test_a_graph_is_freed_by_reference_counting_alone() -> None:
    enabled = gc.isenabled()
    gc.disable()
    try:
        x = Value(0.5, label="x")
        hidden = (x * 2.0).tanh()
        y = hidden * x + ag.linear([x, hidden], [hidden, x], 1.0) + ag.maximum(hidden, x)
        y.backward()
        ag.topological_order(y)
        probe = weakref.ref(hidden)
        probe_root = weakref.ref(y)
        del hidden, y
        assert probe() is None, "an interior node survived: the graph holds a reference cycle"
        assert probe_root() is None
        assert x.grad != 0.0
    finally:
        if enabled:
            gc.enable()


def _tracked_objects_made_by(build: Callable[[], object]) -> tuple[int, object]:
    """How many objects the cyclic collector tracks after ``build()``, more than before it."""
    gc.collect()
    before = len(gc.get_objects())
    kept = build()
    gc.collect()  # tuples of untracked floats (local_grads) get untracked by a collection
    return len(gc.get_objects()) - before, kept


def test_a_one_parent_node_is_one_object_for_the_garbage_collector() -> None:
    """Every full pass of the cyclic collector rescans every tracked object, so a node should be
    one: a single parent and its derivative are stored bare, and backward keeps nothing per node."""

    def chain() -> Value:
        y = Value(0.3)
        for _ in range(1000):
            y = (y * 1.0001 + 0.5).tanh()
        return y

    made, y = _tracked_objects_made_by(chain)
    assert 3000 <= made <= 3010  # 3000 nodes, a leaf, and a few objects of the test itself
    assert isinstance(y, Value)
    made_by_backward, _ = _tracked_objects_made_by(lambda: y.backward())
    assert made_by_backward <= 5


def test_a_two_parent_node_is_two_objects_for_the_garbage_collector() -> None:
    a, b = Value(1.5), Value(-2.0)
    made, products = _tracked_objects_made_by(lambda: [a * b for _ in range(1000)])
    assert 2000 <= made <= 2010  # the Value and its parents tuple; (b, a) of floats is untracked
    assert isinstance(products, list) and products[0].parents == (a, b)


def test_a_graph_after_create_graph_is_collectable() -> None:
    """With create_graph the gradients are Values in a graph; it must still be freed (gc allowed)."""
    x = Value(0.5)
    y = (x * x).sin()
    y.backward(create_graph=True)
    probe = weakref.ref(y)
    del y
    gc.collect()
    assert probe() is None


# ----- topological order and determinism ---------------------------------------------------


def _program() -> tuple[Value, list[Value]]:
    a, b, c = Value(0.7, label="a"), Value(-1.3, label="b"), Value(2.0, label="c")
    d = a * b + c.exp()
    e = (d * a).tanh() + ag.maximum(d, b) * c
    f = ag.linear([e, d, a], [b, c, e], d).sigmoid() + (e / c) ** 2 + ag.sum([a, d, e, a])
    return f, [a, b, c]


def _fingerprint() -> list[str]:
    f, leaves = _program()
    f.backward()
    order = topological_order(f)
    return [f"{node.label or node.op} {node.data.hex()} {node.grad.hex()}" for node in order]


def test_topological_order_puts_parents_first_and_every_node_once() -> None:
    f, leaves = _program()
    order = topological_order(f)
    position = {node: i for i, node in enumerate(order)}
    assert len(position) == len(order)
    assert order[-1] is f
    for node in order:
        for parent in node.parents:
            assert position[parent] < position[node]
    assert set(leaves) <= set(order)


def test_topological_order_leaves_grads_untouched() -> None:
    f, leaves = _program()
    f.backward()
    order = topological_order(f)
    for i, node in enumerate(order):
        node.grad = 0.25 * i - 3.0  # a mark nobody would compute
    assert topological_order(f) == order
    assert [node.grad for node in order] == [0.25 * i - 3.0 for i in range(len(order))]
    leaf = Value(1.0)
    leaf.grad = 7.0
    assert topological_order(leaf) == [leaf] and leaf.grad == 7.0


def test_same_program_same_order_same_bits() -> None:
    first = _fingerprint()
    assert _fingerprint() == first
    assert len(first) > 10


def test_same_bits_across_processes() -> None:
    """Order and bits must not depend on hashing or on where objects live in memory."""
    tests_dir = Path(__file__).resolve().parent
    code = (
        f"import sys; sys.path.insert(0, {str(tests_dir)!r}); import test_graph; "
        "print('\\n'.join(test_graph._fingerprint()))"
    )
    outputs = set()
    for seed in ("0", "1"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env=env,
            cwd=tests_dir.parent.parent,
            timeout=60,
            check=True,
        )
        outputs.add(result.stdout)
    assert outputs == {"\n".join(_fingerprint()) + "\n"}


def test_topological_order_rejects_a_non_value_clearly():
    # a non-Value is a TypeError that names topological_order
    with pytest.raises(TypeError, match="topological_order"):
        ag.topological_order(1.5)  # type: ignore[type-var]
