# %% [markdown]
# # 1. Values and the forward pass
#
# **Goal:** build an expression out of `Value`s, draw the computation graph it records, and read
# every node's data off it: the forward pass is ordinary arithmetic that leaves a graph behind.
#
# Nothing is differentiated yet (that is notebook 2), so every `grad` you see here is still 0. But
# first, what a `grad` will mean, and why training needs it.

# %%
import math
import random
import tempfile
from pathlib import Path

import autograd as ag
from autograd import Value, no_grad, topological_order
from autograd.draw import draw_graph, save_graph

random.seed(0)  # nothing here is random, but every notebook starts the same way

# %% [checking]

# %% [markdown]
# ## One Value
#
# A `Value` wraps one number. Besides `data` it holds the slots the backward pass will use:
# `grad` (the derivative of the final output with respect to this value, 0 until someone computes
# it), `parents` (the values it was made from), `local_grads` (how it changes with each parent),
# `op` (the operation that made it) and an optional `label` for printing and drawing. A value you
# create yourself is a *leaf*: it has no parents.

# %%
x = Value(1.5, label="x")
print(x)
print("data:", x.data, " grad:", x.grad, " parents:", x.parents, " op:", repr(x.op))

# %% [markdown]
# ## An expression is a graph
#
# Operators on `Value`s compute the result right away, like floats, and also record where it came
# from. Here is a small expression that uses `x` twice:
#
# $$s = x \cdot y + 3, \qquad t = \tanh(s), \qquad \text{out} = t \cdot x .$$

# %%
y = Value(-0.5, label="y")
s = x * y + 3
s.label = "s"
t = s.tanh()
t.label = "t"
out = t * x
out.label = "out"
print(f"s = {s.data},  t = {t.data:.6f},  out = {out.data:.6f}")
print("check with floats:", math.tanh(1.5 * -0.5 + 3) * 1.5)

# %% [markdown]
# `draw_graph` draws what was recorded. Boxes are values (label, `data`, `grad`), ovals are operations;
# arrows run from the inputs of an operation to its result. Blue boxes are leaves we created, white
# ones intermediate results, the green one the output the drawing starts from. The constant `3` is
# not a `Value` of its own: it is folded into the `+` node and drawn as a small grey box.
#
# Notice that `x` has two arrows leaving it: it is used by the `*` that makes `x*y` and by the final
# `*`. The graph is not a tree, and that will matter in the backward pass.

# %%
draw_graph(out)

# %% [markdown]
# ## What a gradient means: nudge an input, watch the output
#
# Each box has a `grad` slot, still 0. It will hold the **derivative** of the output with respect to
# that value: how much `out` moves per unit of nudge. Nudge `x` by a small $h$ and `out` moves by
# about $\frac{\partial\, \text{out}}{\partial x} \cdot h$; the sign says which way. We can see it
# right now, by recomputing the expression with one input nudged (forward passes only):


# %%
def expression(x, y):
    return (x * y + 3).tanh() * x


h = 0.001
base = expression(Value(1.5), Value(-0.5)).data
slopes = {}
for which, (x_, y_) in {"x": (1.5 + h, -0.5), "y": (1.5, -0.5 + h)}.items():
    moved = expression(Value(x_), Value(y_)).data - base
    slopes[which] = moved / h
    print(
        f"nudge {which} by +{h}: out moves by {moved:+.7f}, so d out/d{which} is about {slopes[which]:+.4f}"
    )
moved_down = expression(Value(1.5 - h), Value(-0.5)).data - base
print(f"nudge x by -{h}: out moves by {moved_down:+.7f} (the other way, by about as much)")
assert slopes["x"] > 0 and slopes["y"] > 0 and moved_down < 0  # what the prose below says
assert 8 < slopes["x"] / slopes["y"] < 12

# %% [markdown]
# Both derivatives are positive: raising `x` or `y` raises `out`, and `out` reacts to `x` about ten
# times as strongly as to `y` (printed above). That is all a gradient is: for every value in the
# graph, the rate at which the output changes when that value alone changes.
#
# **Why training wants it.** Suppose `out` were a *loss*, a number that measures how wrong a model
# is, and `x` and `y` were the model's parameters. To lower the loss, move each parameter a little
# *against* its derivative: $x \leftarrow x - \eta \, \partial\, \text{out}/\partial x$, with a small
# step size $\eta$. Each parameter then moves the way that lowers `out`, by an amount that
# follows how much it matters:

# %%
eta = 0.05
stepped = expression(Value(1.5 - eta * slopes["x"]), Value(-0.5 - eta * slopes["y"])).data
print(f"out before the step {base:.5f}, after it {stepped:.5f}")
assert stepped < base

# %% [markdown]
# That step is *gradient descent*, and every network in these notebooks is trained with it. Nudging
# one input at a time is how we measured the derivatives here, but it needs one extra forward pass
# per input, and a network has thousands of parameters. Notebook 2 computes all of them at once, in
# one backward pass over the graph; this notebook looks at the graph itself first.

# %% [markdown]
# ## Reading the graph node by node
#
# `topological_order(out)` lists every node `out` depends on, each one after all of its parents
# (the forward pass computed them in exactly such an order). For each node we print its op, its data
# and its parents.


# %%
def name(node):
    return node.label or f"({node.op})"


for node in topological_order(out):
    parents = ", ".join(name(p) for p in node.parents) or "-"
    print(f"{name(node):>5}  op {node.op or 'leaf':5}  data {node.data:+.6f}   parents: {parents}")

# %% [markdown]
# ## Local derivatives are recorded in the forward pass too
#
# Each operation also stores, next to its result, the derivative of that result with respect to each
# of its parents: `local_grads`, parallel to `parents`. For a product $a \cdot b$ they are $(b, a)$;
# for $\tanh(s)$ it is $1 - \tanh^2(s)$. They are just numbers at this point; the backward pass in
# notebook 2 multiplies them along the paths of the graph (the chain rule).
#
# With `local_grads=True` the drawing writes them on the edges.

# %%
for node in (s, t, out):
    print(
        f"{node.label}: op {node.op!r}, parents {[name(p) for p in node.parents]}, "
        f"local_grads {[round(g, 6) for g in node.local_grads]}"
    )
draw_graph(out, local_grads=True, number_format=".4g")

# %% [markdown]
# ## Parents keep their order, and repeats
#
# `parents` is a tuple in argument order. Using one value twice in an operation keeps it twice:
# `x * x` has parents `(x, x)`, two edges in the drawing, and two local derivatives, each equal to
# `x`. (micrograd keeps parents in a `set`, which merges the two: its `a * a` records `a` once, and
# its drawing shows one edge. Its gradient is still right, $2a$, because each of its operations
# carries its own backward function, and the one for `*` adds both contributions, `other * grad` to
# the first factor and `self * grad` to the second, both landing on `a`; the set is only used to list
# the nodes to visit. chainrule keeps the repeat in the graph itself, so the one backward loop, the
# drawing and anyone reading `parents` see both edges.)

# %%
square = x * x
print(square.parents == (x, x), square.local_grads)
draw_graph(square, local_grads=True)

# %% [markdown]
# ## Bigger building blocks: `linear` and `sum`
#
# A neuron's weighted sum $w_1 x_1 + w_2 x_2 + w_3 x_3 + b$ written with `*` and `+` makes six
# operation nodes (three products, three sums). `autograd.linear(weights, inputs, bias)` makes it one
# node with seven parents (its local
# derivatives are the inputs for the weights, the weights for the inputs, and 1 for the bias). Same
# number, a smaller graph, and a faster backward pass.

# %%
w = [Value(0.4, label="w1"), Value(-0.2, label="w2"), Value(0.7, label="w3")]
inputs = [Value(1.0, label="x1"), Value(2.0, label="x2"), Value(-1.0, label="x3")]
b = Value(0.1, label="b")

by_hand = w[0] * inputs[0] + w[1] * inputs[1] + w[2] * inputs[2] + b
as_one_node = ag.linear(w, inputs, b)
print(by_hand.data, as_one_node.data)
print(
    "nodes:",
    len(topological_order(by_hand)),
    "written out,",
    len(topological_order(as_one_node)),
    "with linear",
)

# %%
drawing = draw_graph(by_hand, parameters=w + [b], inputs=inputs)
drawing.attr(size="8.9,20")  # at most 8.9 inches wide: scaled down to a notebook column (860 px)
drawing

# %%
drawing = draw_graph(ag.tanh(as_one_node), parameters=w + [b], inputs=inputs, local_grads=True)
drawing.attr(size="8.9,20")  # scaled down to a notebook column if it is wider, as above
drawing

# %% [markdown]
# Passing `parameters=` and `inputs=` only changes the colours (orange: what training will change;
# blue: data). The engine itself does not know what a parameter is.
#
# ## Two ways to lose the graph
#
# **Functions from `math`.** `math.exp(x)` accepts a `Value` (it converts it to a float) and returns a
# plain float: the result has no parents and gradients cannot flow back through it. Use the method
# `x.exp()` or the module-level `autograd.exp(x)`, which take numbers and Values alike.

# %%
print(type(math.exp(x)).__name__, "<- the graph stops here")
print(type(ag.exp(x)).__name__, ag.exp(x).parents == (x,))
print(type(ag.exp(1.5)).__name__, "<- a number in, a number out")

# %% [markdown]
# **`no_grad()`.** Inside it, operations compute their data but record nothing: every result is a
# leaf. That is what you want when you only evaluate a model (say, to plot it), because building a
# graph costs time and memory.

# %%
with no_grad():
    evaluated = (x * y + 3).tanh() * x
print(evaluated.data == out.data, evaluated.parents)

# %% [markdown]
# ## Forward values follow IEEE floating point
#
# The forward pass never raises a Python exception for a bad number: like PyTorch, it gives `inf` or
# `nan` and carries on. (`autograd.detect_anomaly()` stops at the first `nan` if you want to find
# where one came from.)

# %%
print(1 / Value(0.0), Value(0.0).log(), Value(-1.0).log(), Value(1000.0).exp(), sep="\n")

# %% [markdown]
# ## Saving a drawing
#
# `save_graph(root, path)` writes the drawing to a file; the format comes from the suffix (`.svg`,
# `.png`, or `.gv` for the DOT text). Here it goes to a temporary directory; a drawing is also a
# `graphviz.Digraph`, whose DOT text is in `.source`.

# %%
with tempfile.TemporaryDirectory() as folder:
    path = save_graph(out, Path(folder) / "expression.svg")
    print(path.name, path.read_text()[:38].strip(), "...")
print(draw_graph(out).source.splitlines()[0])

# %% [markdown]
# ## Exercises
#
# Each exercise has a cell to fill in (replace every `...`) followed by a checker cell that says
# *not yet*, *right*, or what is wrong and why. The answers are in `notebooks/solutions/`.
#
# **Exercise 1.1.** Without running anything, how many nodes does `topological_order` list for
# `e = (x * y + x).tanh() * y`? Count the leaves too, and remember that each leaf is listed once
# however often it is used.

# %%
node_count = ...

# %% [solution]
node_count = 6  # the leaves x and y, then x*y, (x*y)+x, tanh, and the final *

# %%
e = (x * y + x).tanh() * y
check(
    "Exercise 1.1",
    lambda: close(
        "the number of nodes",
        node_count,
        len(topological_order(e)),
        hint="x*y, +x, tanh and *y make one node each; x and y are listed once",
    ),
)

# %% [markdown]
# **Exercise 1.2.** Take `m = Value(2.0)` and `n = Value(-0.25)`, `p = m * n` and `q = p.tanh()`.
# Give, as numbers, the local derivatives the forward pass records: `p.local_grads` (two of them,
# in the order of `p.parents`) and `q.local_grads[0]`. You may use `math.tanh`.

# %%
p_local_grads = (..., ...)
q_local_grad = ...

# %% [solution]
p_local_grads = (-0.25, 2.0)  # d(m*n)/dm = n, d(m*n)/dn = m
q_local_grad = 1 - math.tanh(2.0 * -0.25) ** 2  # d tanh(p)/dp = 1 - tanh(p)^2


# %%
def test_local_grads():
    m, n = Value(2.0), Value(-0.25)
    p = m * n
    q = p.tanh()
    answered(p_local_grads, q_local_grad)
    if tuple(p_local_grads) == (2.0, -0.25):
        raise Wrong("the two are swapped: d(m*n)/dm is the factor that multiplies m, which is n")
    for which, given, expected in zip(("m", "n"), p_local_grads, p.local_grads):
        close(f"d(m*n)/d{which}", given, expected, hint="a product's derivative by one factor is the other")
    if q_local_grad == 1 - (2.0 * -0.25) ** 2:
        raise Wrong("tanh'(p) is 1 - tanh(p)^2: square tanh's output, not its input p")
    close(
        "d tanh(p)/dp",
        q_local_grad,
        q.local_grads[0],
        hint=("how does tanh(p) change with p? Look up tanh's derivative", "1 - tanh(p)^2, with p = m * n"),
    )


check("Exercise 1.2", test_local_grads)

# %% [markdown]
# **Exercise 1.3.** `autograd.softplus(z)` is $\log(1 + e^z)$ in one node. Write it yourself out
# of `Value` operations (`ag.exp`, `ag.log`, `+`), so that it builds a graph of several nodes with
# the same value. The checker compares the value and makes sure the graph leads back to `z`.


# %%
def my_softplus(z):
    return ...


# %% [solution]
def my_softplus(z):
    return ag.log(1 + ag.exp(z))


# %%
def test_my_softplus():
    for number in (-3.0, 0.0, 0.7, 5.0):
        z = Value(number, label="z")
        mine = my_softplus(z)
        answered(mine)
        if not isinstance(mine, Value) or z not in topological_order(mine):
            raise Wrong("the result must be a Value whose graph leads back to z: use ag.exp and ag.log")
        close(f"my_softplus({number})", mine, ag.softplus(number))
    print("your graph:", [node.op or "leaf" for node in topological_order(my_softplus(Value(0.0)))])


check("Exercise 1.3", test_my_softplus)

# %% [markdown]
# **Exercise 1.4.** A model with two parameters, `a = 0.5` and `b = -0.2`, has the loss 2.0, and the
# derivatives of the loss are $\partial L/\partial a = 4$ and $\partial L/\partial b = -1$. Take one
# gradient-descent step with $\eta = 0.1$: give the new `a` and `b`, and the loss you expect after
# the step, to first order (each parameter's change times its derivative, added up).

# %%
new_a = ...
new_b = ...
expected_loss = ...

# %% [solution]
new_a = 0.5 - 0.1 * 4.0  # against the derivative: a goes down
new_b = -0.2 - 0.1 * -1.0  # b's derivative is negative: b goes up
expected_loss = 2.0 + 4.0 * (new_a - 0.5) + -1.0 * (new_b - -0.2)


# %%
def test_descent_step():
    answered(new_a, new_b, expected_loss)
    if new_a > 0.5 or new_b < -0.2:
        raise Wrong("a parameter moved with its derivative, which raises the loss: move against it")
    close("the new a", new_a, 0.1, hint=("a - eta * dL/da", "0.5 - 0.1 * 4"))
    close("the new b", new_b, -0.1, hint=("b - eta * dL/db, and dL/db is negative", "-0.2 - 0.1 * -1"))
    close(
        "the expected loss",
        expected_loss,
        0.3,
        hint=(
            "the loss moves by about dL/da * (change of a) + dL/db * (change of b)",
            "2 + 4 * (-0.4) + (-1) * 0.1",
        ),
    )


check("Exercise 1.4", test_descent_step)

# %% [markdown]
# **Takeaways.** A gradient says how much the output moves when one value is nudged, and which
# way: training moves each parameter against it. A `Value` is a number plus a record of how it was
# made. The forward pass computes data the usual way and leaves behind a graph of parents and local
# derivatives: plain data that can be printed, drawn and walked in topological order. Next,
# notebook 2 walks it backwards, and gets every gradient at once.
