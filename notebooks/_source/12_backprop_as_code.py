# %% [markdown]
# # 12. Backprop as code
#
# **Goal:** read backpropagation as the code you would write by hand. `autograd.trace` runs a
# function once and writes what it computed as a straight-line Python program: the forward pass,
# one line per operation, then the backward pass, one line per chain-rule step. We trace the
# one-neuron loss of notebook 2 and match its program line by line against the hand derivation,
# run the program on other inputs, see how it handles kinks and why it refuses branches, and then
# train a network with traced programs and check that they give the engine's model.

# %%
import math
import random

import matplotlib.pyplot as plt

import autograd as ag
import nn
from autograd import TracingError, Value, trace
from autograd.draw import draw_graph

SEED = 0
random.seed(SEED)  # data sets, models and fit() take their own seeds too, so every run is the same
plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 4), "axes.grid": True, "grid.alpha": 0.3})

# %% [checking]

# %% [markdown]
# ## The neuron, by hand
#
# Notebook 2's loss: one input $x$, a weight $w$, a bias $b$, a tanh, and a squared error against
# a target $t$,
#
# $$z = w x + b, \qquad a = \tanh(z), \qquad u = a - t, \qquad L = u^2 .$$
#
# The chain rule, outermost first, gives
#
# $$\frac{\partial L}{\partial u} = 2u, \qquad \frac{\partial L}{\partial a} = \frac{\partial L}{\partial u},
# \qquad \delta = \frac{\partial L}{\partial z} = \frac{\partial L}{\partial a}\,(1 - a^2), \qquad
# \frac{\partial L}{\partial b} = \delta, \qquad \frac{\partial L}{\partial w} = \delta\, x .$$
#
# Here is the same loss as a Python function of $x$ and $t$; $w$ and $b$ are Values it reaches
# without receiving them, as a model's parameters are. Labels name the intermediate values; the
# drawing writes the local derivative on each edge.

# %%
w = Value(-0.5, label="w")
b = Value(0.5, label="b")


def neuron_loss(x, t):
    wx = w * x
    wx.label = "wx"
    z = wx + b
    z.label = "z"
    a = z.tanh()
    a.label = "a"
    u = a - t
    u.label = "u"
    loss = u**2
    loss.label = "L"
    return loss


draw_graph(neuron_loss(2.0, 1.0), parameters=[w, b], local_grads=True, number_format=".4g")

# %% [markdown]
# ## The neuron, traced
#
# `trace(neuron_loss, 2.0, 1.0, argnums=())` calls the function once on Values standing for $x$ and
# $t$ (the example numbers only decide the shapes: one number each), records the graph, and writes
# it out. `argnums=()` says that we want no gradient with respect to $x$ or $t$, only with respect
# to the parameters it found, $w$ and $b$.

# %%
program = trace(neuron_loss, 2.0, 1.0, argnums=())
print(program)

# %% [markdown]
# Every line of the backward pass is one edge of the graph above, taken in the order `backward()`
# takes them, and each is the hand derivation's next factor:
#
# | program line | hand derivation |
# |---|---|
# | `g_u = 2.0 * power(u, 1.0)` | $\partial L/\partial u = 2u$ (the rule of $u^n$, $n u^{n-1}$, at $n = 2$) |
# | `g_a = g_u` | $\partial L/\partial a = \partial L/\partial u \cdot 1$ |
# | `g_z = (1.0 - a * a) * g_a` | $\delta = \partial L/\partial a\,(1 - a^2)$ |
# | `g_b = g_z` | $\partial L/\partial b = \delta$ |
# | `g_w = x * g_wx` | $\partial L/\partial w = \delta\, x$ (through $wx$, whose gradient is $\delta$) |
#
# Two lines have no counterpart by hand: the engine has no subtraction, so $a - t$ is
# $a + (-1)\cdot t$ (`v1 = t * -1.0`), and no gradient is written for $t$ or $x$, which we did not
# ask for. The cell below checks that the program says what the table quotes.

# %%
for line in (
    "g_u = 2.0 * power(u, 1.0)",
    "g_a = g_u",
    "g_z = (1.0 - a * a) * g_a",
    "g_b = g_z",
    "g_w = x * g_wx",
    "v1 = t * -1.0",
):
    assert line in program.source, line
print(f"{len(program.source.splitlines())} lines; parameters: {[p.label for p in program.parameters]}")

# %% [markdown]
# ## Running it
#
# `program.backward(x, t)` runs the program and adds the parameters' gradients to their `.grad`,
# exactly as `neuron_loss(x, t).backward()` does: the same operations in the same order, so the
# same bits. At notebook 2's point the numbers are the hand derivation's.

# %%
value = program.backward(2.0, 1.0)
a = math.tanh(-0.5 * 2.0 + 0.5)
delta = 2 * (a - 1.0) * (1 - a * a)
print(f"L = {value:.6f};  dL/dw: program {w.grad:+.12f}, by hand {delta * 2.0:+.12f}")
print(f"           dL/db: program {b.grad:+.12f}, by hand {delta:+.12f}")

by_program = (w.grad, b.grad)
w.grad, b.grad = 0.0, 0.0
neuron_loss(2.0, 1.0).backward()
print("the engine's backward() gives the same bits:", (w.grad, b.grad) == by_program)

# %% [markdown]
# One trace serves every input: the example numbers are not in the program, only its shape is.
# Here it is at other points, against the engine each time, and after a change to $w$ (parameters
# are read from `.data` at every call, so an optimizer can update them between calls).


# %%
def engine_gradients(x, t):
    w.grad, b.grad = 0.0, 0.0
    loss = neuron_loss(x, t)
    loss.backward()
    return loss.data, w.grad, b.grad


def program_gradients(x, t):
    w.grad, b.grad = 0.0, 0.0
    value = program.backward(x, t)
    return value, w.grad, b.grad


for x_now, t_now, w_now in ((2.0, 1.0, -0.5), (-1.5, 0.3, -0.5), (0.7, -1.0, 1.25)):
    w.data = w_now
    same = program_gradients(x_now, t_now) == engine_gradients(x_now, t_now)
    print(f"x = {x_now:+}, t = {t_now:+}, w = {w_now:+}: program == engine: {same}")
w.data = -0.5

# %% [markdown]
# The program is plain Python: `program.source` runs on its own. Executed, it defines a function of
# the inputs and the parameters' values that returns the loss, the gradients we asked of the
# inputs (none) and the parameters' gradients: no `Value`, no graph, only floats.

# %%
namespace = {}
exec(program.source, namespace)  # the source a reader can copy out of the notebook
print(namespace["neuron_loss"](2.0, 1.0, [w.data, b.data]))

# %% [markdown]
# ## Kinks are expressions, branches are refused
#
# A relu's derivative depends on which side of 0 its input lies. The program must be right for
# every input, so it writes that choice as an expression that runs at every call:

# %%
print(trace(lambda x: ag.relu(3.0 * x), 1.0))

# %% [markdown]
# An `if` on a value is different: while tracing, `x > 0` would be decided once, for the example,
# and the program would silently take that branch for every input. So tracing refuses, and names
# what to use instead.


# %%
def leaky_relu_with_a_branch(x):
    return x if x > 0 else 0.1 * x


try:
    trace(leaky_relu_with_a_branch, 1.0)
except TracingError as error:
    print("TracingError:", error)

# %% [markdown]
# ## Training with a traced program
#
# Training needs the gradient of the loss over the whole data set, at every step, with new
# parameters. The engine builds the same graph again at every step; a traced program is built once,
# and each step only runs it. Below: micrograd's set-up (two moons, an MLP with relu layers, the
# hinge loss plus a little L2), the full-batch loss traced once, its inputs the two coordinates of
# the 100 points as two lists. The training loop is the usual one, with `loss.backward()` replaced by
# `program.backward(...)`.

# %%
X, y = nn.make_moons(n_samples=100, noise=0.1, seed=SEED)
labels = [2 * c - 1 for c in y]  # the hinge loss wants -1 / +1
x1s, x2s = [p[0] for p in X], [p[1] for p in X]
traced_model = nn.MLP(2, [8, 8, 1], activation="relu", seed=SEED)


def batch_loss(x1s, x2s):
    scores = [traced_model([x1, x2])[0] for x1, x2 in zip(x1s, x2s, strict=True)]
    return nn.hinge(scores, labels) + 1e-4 * nn.l2(traced_model.parameters())


batch_program = trace(batch_loss, x1s, x2s, argnums=())
lines = len(batch_program.source.splitlines())
print(f"{traced_model.num_parameters()} parameters, a program of {lines} lines")

steps = 30
optimizer = nn.SGD(traced_model.parameters(), lr=0.5)
for _ in range(steps):
    optimizer.zero_grad()
    loss_value = batch_program.backward(x1s, x2s)  # instead of loss = ...; loss.backward()
    optimizer.step()

engine_model = nn.MLP(2, [8, 8, 1], activation="relu", seed=SEED)
optimizer = nn.SGD(engine_model.parameters(), lr=0.5)
for _ in range(steps):
    optimizer.zero_grad()
    scores = [engine_model(point)[0] for point in X]
    loss = nn.hinge(scores, labels) + 1e-4 * nn.l2(engine_model.parameters())
    loss.backward()
    optimizer.step()
identical = all(p.data == q.data for p, q in zip(traced_model.parameters(), engine_model.parameters()))
print(
    f"after {steps} steps: loss {loss_value:.6f} (traced), {loss.data:.6f} (engine); "
    f"every parameter identical: {identical}"
)
assert identical

# %% [markdown]
# Every parameter is the same to the last bit after 30 steps: the program is the engine's backward
# pass written down, not an approximation of it.
#
# ## `nn.fit(..., compile=True)`
#
# `nn.fit` does this for you, and better: with `compile=True` it traces *one example's* loss (one
# program per class, since the label decides what a hinge term computes, so the program stays small
# whatever the size of the data set), and runs it on all the examples of a batch at once
# (`program.batch`, with numpy when it is installed), adding the L2 term outside. The sums come out
# in a different order than the engine's, so the model agrees with the engine's to rounding rather
# than to the bit. Here is notebook 9's training, both ways:


# %%
def train(compiled):
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=SEED)
    epochs = 60
    optimizer = nn.SGD(model.parameters(), lr=nn.LinearDecay(1.0, 0.1, epochs))
    history = nn.fit(
        model,
        X,
        labels,
        loss=nn.hinge,
        optimizer=optimizer,
        epochs=epochs,
        l2=1e-4,
        progress=False,
        compile=compiled,
    )
    return model, history


engine_model, engine_history = train(compiled=False)
compiled_model, compiled_history = train(compiled=True)
pairs = zip(engine_model.parameters(), compiled_model.parameters())
largest = max(abs(p.data - q.data) for p, q in pairs)
within = largest <= 1e-12
print(f"{engine_model.num_parameters()} parameters, every one within 1e-12 of the engine's: {within}")
print("the same accuracy at every step:", engine_history["accuracy"] == compiled_history["accuracy"])
print(f"final training accuracy {compiled_history['accuracy'][-1]:.0%}")
assert within and engine_history["accuracy"] == compiled_history["accuracy"]  # what the prose says

fig, ax = plt.subplots()
ax.plot(engine_history["loss"], linewidth=4, alpha=0.4, label="the engine: a graph per step")
ax.plot(compiled_history["loss"], "k--", linewidth=1, label="compile=True: traced programs")
ax.set(title="the same training, two ways", xlabel="step", ylabel="loss (hinge + L2)", yscale="log")
ax.legend()
plt.show()

# %% [markdown]
# ## How much faster?
#
# The notebook shows no timings (they would change at every rebuild, and a notebook is a poor
# stopwatch). The figures below are quoted from the project's benchmarks: `benchmarks/README.md`,
# the traced-programs table for `mlp_step` (the demo's training step on 100 points), one run of
# `python -m benchmarks --only traced --rounds 7` on a shared 2-core machine. They are ratios to
# hand-written float code (Python loops over lists of floats computing the same forward and backward
# pass), which change less from machine to machine than times do.

# %%
quoted = {"the engine": 4.37, "a traced program": 0.68, "batched with numpy": 0.22}  # x the float code
for way, ratio in quoted.items():
    faster = f", {quoted['the engine'] / ratio:.0f} x faster than the engine" if way != "the engine" else ""
    print(f"{way:>18}: {ratio:4.2f} x the time of hand-written floats{faster}")

# %% [markdown]
# Building a graph costs the engine 4.37 times the float code's time per step. A traced program is
# straight-line float code, with no graph, no loop and no list indexing, so it beats the
# hand-written loops (0.68x); batched, each line works on a whole column of examples (0.22x).
# Tracing is paid once, before the first step; the benchmarks' README says after how many steps it
# has paid for itself.
#
# ## Exercises
#
# Each exercise has a cell to fill in (replace every `...`) followed by a checker cell that says
# *not yet*, *right*, or what is wrong and why. The answers are in `notebooks/solutions/`.
#
# **Exercise 12.1.** Write the backward pass of $f(x, y) = x y + \tanh(x)$ as code, the way `trace`
# would: the forward lines are given; return the value and the gradients $\partial f/\partial x$
# and $\partial f/\partial y$ (remember that $x$ is used twice). The checker compares with the
# traced program at several points.


# %%
def f_and_gradients(x, y):
    v1 = x * y
    v2 = math.tanh(x)
    v3 = v1 + v2
    g_x = ...
    g_y = ...
    return v3, (g_x, g_y)


# %% [solution]
def f_and_gradients(x, y):
    v1 = x * y
    v2 = math.tanh(x)
    v3 = v1 + v2
    g_x = y + (1.0 - v2 * v2)  # through x * y, plus through tanh(x)
    g_y = x
    return v3, (g_x, g_y)


# %%
def test_f_and_gradients():
    reference = trace(lambda x, y: x * y + ag.tanh(x), 1.0, 1.0)
    for x, y in ((0.5, -1.0), (-2.0, 3.0), (1.3, 0.2)):
        expected_value, expected = reference.value_and_grad(x, y)
        with without_the_engine():
            value, gradients = f_and_gradients(x, y)
        answered(gradients)
        close(f"f({x}, {y})", value, expected_value)
        close(f"df/dx at ({x}, {y})", gradients[0], expected[0], hint="x reaches f along two paths: add them")
        close(f"df/dy at ({x}, {y})", gradients[1], expected[1])


check("Exercise 12.1", test_f_and_gradients)

# %% [markdown]
# **Exercise 12.2.** Make the leaky relu traceable: write it without an `if` on its argument, with
# `ag.maximum` (for slopes below 1, $\max(x, 0.1x)$ is $x$ for $x > 0$ and $0.1x$ otherwise). The
# checker traces your function at $x = 1$ and runs the program on both sides of the kink.


# %%
def leaky_relu(x):
    return ...


# %% [solution]
def leaky_relu(x):
    return ag.maximum(x, 0.1 * x)


# %%
def test_leaky_relu():
    answered(leaky_relu(Value(1.0)))
    traced = trace(leaky_relu, 1.0, argnums=0)  # the slope alone, not a tuple of one
    for x in (-3.0, -0.5, 0.25, 2.0):
        value, slope = traced.value_and_grad(x)
        close(f"leaky_relu({x})", value, x if x > 0 else 0.1 * x)
        close(
            f"the slope at {x}",
            slope,
            1.0 if x > 0 else 0.1,
            hint="one trace must be right on both sides of 0",
        )


check("Exercise 12.2", test_leaky_relu)

# %% [markdown]
# **Exercise 12.3.** Write one training step with a traced program: the usual step (zero the
# gradients, compute them, update), with the program in place of the graph. Return the loss. The
# checker trains a fresh model for 5 steps with your function and compares every parameter with the
# engine's training, bit for bit.


# %%
def traced_step(program, optimizer, *inputs):
    return ...


# %% [solution]
def traced_step(program, optimizer, *inputs):
    optimizer.zero_grad()
    value = program.backward(*inputs)  # adds the parameters' gradients to .grad
    optimizer.step()
    return value


# %%
def test_traced_step():
    fresh, reference = (nn.MLP(2, [4, 1], activation="tanh", seed=SEED + 1) for _ in range(2))
    points = X[:20]
    program = trace(
        lambda x1s, x2s: nn.mse([fresh([p, q])[0] for p, q in zip(x1s, x2s)], y[:20]),
        [p[0] for p in points],
        [p[1] for p in points],
        argnums=(),
    )
    mine, theirs = nn.SGD(fresh.parameters(), lr=0.2), nn.SGD(reference.parameters(), lr=0.2)
    for step in range(5):
        value = traced_step(program, mine, [p[0] for p in points], [p[1] for p in points])
        answered(value)
        theirs.zero_grad()
        loss = nn.mse([reference(p)[0] for p in points], y[:20])
        loss.backward()
        theirs.step()
        if step > 0 and value != loss.data:
            raise Wrong(
                f"the loss at step {step} is {loss.data!r}, you gave {value!r}, though the steps "
                "before it were right. Hint: gradients accumulate in .grad from call to call"
            )
        close(f"the loss at step {step}", value, loss.data, rel_tol=0.0, abs_tol=0.0)
    for i, (p, q) in enumerate(zip(fresh.parameters(), reference.parameters())):
        if p.data != q.data:
            raise Wrong(
                f"parameter {i} is {p.data!r}, the engine's training gives {q.data!r}: "
                "zero the gradients, run program.backward, then step"
            )


check("Exercise 12.3", test_traced_step)

# %% [markdown]
# **Takeaways.** The backward pass is a program: one line per edge of the graph, in the order
# `backward()` takes them, each the next factor of the hand derivation. `trace` writes it once;
# every later call runs plain float code, for any input of the same shape, with the engine's numbers
# to the bit. A derivative that depends on the data becomes an expression in the program; a branch
# on the data cannot be written down once for all inputs, so tracing refuses it. Training with the
# program is the usual loop with `program.backward` in place of `loss.backward()`, or
# `nn.fit(..., compile=True)`.
