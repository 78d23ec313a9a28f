# %% [markdown]
# # 5. Why backpropagation: the cost of a gradient
#
# **Goal:** count what a full gradient costs, in operations, two ways: by finite differences (two
# forward passes per parameter) and by one forward and one backward pass; and see, as the number
# of parameters grows, why every neural network is trained with the second.
#
# Everything here is counted, not timed, so the numbers are the same on every machine and every run.

# %%
import random

import matplotlib.pyplot as plt

import nn
from autograd import no_grad, topological_order

SEED = 0
random.seed(SEED)  # the models and the example take their own seeds too
plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 4), "axes.grid": True, "grid.alpha": 0.3})

# %% [checking]

# %% [markdown]
# ## Two ways to get a gradient
#
# Notebook 2 checked `backward()` against central differences, one input at a time:
# $\dfrac{\partial L}{\partial w_i} \approx \dfrac{L(w + h e_i) - L(w - h e_i)}{2h}$. For a model
# with $P$ parameters that is **two forward passes per parameter**, $2P$ in all. Backpropagation
# gets all $P$ derivatives from **one** forward pass (which records the graph) and **one** backward
# pass. Here both are run on a small network, counting the forward passes; they agree to the
# precision finite differences can offer.

# %%
model = nn.MLP(4, [8, 8, 1], activation="tanh", seed=SEED)
rng = random.Random(SEED)
example, target = [rng.uniform(-1, 1) for _ in range(4)], 0.5
forward_passes = 0


def loss_of(model):
    global forward_passes
    forward_passes += 1
    return (model(example)[0] - target) ** 2


def finite_difference_gradient(model, h=1e-6):
    slopes = []
    with no_grad():  # only numbers are needed here
        for p in model.parameters():
            saved = p.data
            p.data = saved + h
            up = loss_of(model).data
            p.data = saved - h
            down = loss_of(model).data
            p.data = saved
            slopes.append((up - down) / (2 * h))
    return slopes


numeric = finite_difference_gradient(model)
passes_numeric, forward_passes = forward_passes, 0
model.zero_grad()
loss_of(model).backward()
engine = [p.grad for p in model.parameters()]
print(f"{model.num_parameters()} parameters")
print(f"finite differences: {passes_numeric} forward passes; backpropagation: {forward_passes} forward "
      "and 1 backward pass")
largest = max(abs(a - b) for a, b in zip(numeric, engine))
print(f"largest difference between the two gradients: {largest:.1e}")

# %% [markdown]
# ## Counting operations
#
# What does a pass cost? Count the **edges** of the loss's graph: one per (operation, input) pair.
# The forward pass reads every input of every operation once; the backward pass does one
# multiply-add, `parent.grad += local * node.grad`, per edge. So, in this count, one forward pass
# costs $E$ and one backward pass costs $E$ too: **a gradient by backpropagation costs about two
# forward passes, whatever the number of parameters**, while finite differences cost $2P$ of them.

# %%
def graph_edges(root):
    """The number of (operation, input) pairs in root's graph: the work of one pass over it."""
    return sum(len(node.parents) for node in topological_order(root))


def costs(width):
    """(parameters, operations by finite differences, operations by backpropagation) for a 4-w-w-1 MLP."""
    sized = nn.MLP(4, [width, width, 1], activation="tanh", seed=SEED)
    edges = graph_edges((sized(example)[0] - target) ** 2)
    parameters = sized.num_parameters()
    return parameters, 2 * parameters * edges, edges + edges


widths = [1, 2, 4, 8, 16, 32, 64, 128]
table = [costs(width) for width in widths]
print(f"{'width':>5} {'parameters':>10} {'finite differences':>19} {'backpropagation':>16} {'ratio':>7}")
for width, (parameters, numeric_ops, backprop_ops) in zip(widths, table):
    ratio = numeric_ops / backprop_ops
    print(f"{width:5d} {parameters:10d} {numeric_ops:19,d} {backprop_ops:16,d} {ratio:7.0f}")
    assert ratio == parameters  # what the prose below says

# %% [markdown]
# The ratio in the last column is exactly $P$: $2P \cdot E$ against $2E$. The graph grows in
# proportion to the parameters (each weight is one edge into a `linear` node), so finite
# differences grow like $P^2$ and backpropagation like $P$:

# %%
parameters = [row[0] for row in table]
fig, ax = plt.subplots(figsize=(6.5, 4))
ax.loglog(parameters, [row[1] for row in table], "o-", label="finite differences: 2P forward passes")
ax.loglog(parameters, [row[2] for row in table], "s-", label="backpropagation: 1 forward + 1 backward")
ax.set(xlabel="number of parameters P", ylabel="operations (graph edges visited)",
       title="the cost of one full gradient")
ax.legend()
plt.show()
assert nn.MLP(2, [16, 16, 1]).num_parameters() == 337  # the model the prose below quotes

# %% [markdown]
# For the model of notebook 8, `nn.MLP(2, [16, 16, 1])`, the ratio is its 337 parameters; for a
# network with millions of parameters, finite differences would cost millions of forward passes per
# training step. Backpropagation is what makes training large models possible at all: the
# gradient costs a small constant number of forward passes, however many parameters there are.
# Finite differences stay useful as a *check* (`gradcheck`), on a few inputs.
#
# ## Exercises
#
# Each exercise has a cell to fill in (replace every `...`) followed by a checker cell that says
# *not yet*, *right*, or what is wrong and why. The answers are in `notebooks/solutions/`.
#
# **Exercise 5.1.** The *forward* difference $\dfrac{L(w + h e_i) - L(w)}{h}$ is less accurate
# than the central one, but cheaper. How many forward passes does a forward-difference gradient of
# a model with `P` parameters take? Write it as a function of `P`. The checker counts the passes
# of a forward-difference gradient.

# %%
def passes_for_forward_differences(P):
    return ...

# %% [solution]
def passes_for_forward_differences(P):
    return P + 1  # L(w + h e_i) for every parameter i, and L(w) once: it is the same for all


# %%
def forward_difference_gradient(model, h=1e-6):
    with no_grad():
        base = loss_of(model).data
        slopes = []
        for p in model.parameters():
            saved = p.data
            p.data = saved + h
            slopes.append((loss_of(model).data - base) / h)
            p.data = saved
    return slopes


def test_forward_passes():
    global forward_passes
    for sized in (nn.MLP(4, [3, 1], seed=SEED), model, nn.MLP(4, [16, 16, 1], seed=SEED)):
        forward_passes = 0
        forward_difference_gradient(sized)
        close(f"forward passes for {sized.num_parameters()} parameters",
              passes_for_forward_differences(sized.num_parameters()), forward_passes,
              hint=("which of the two losses in the formula changes with i?",
                    "L(w) is the same for every parameter: compute it once"))


check("Exercise 5.1", test_forward_passes)

# %% [markdown]
# **Exercise 5.2.** How many parameters does `nn.MLP(3, [w, w, w, 1])`, with three hidden layers,
# have, as a formula in `w`? Count weights and biases layer by layer.

# %%
def parameters_of_width(w):
    return ...

# %% [solution]
def parameters_of_width(w):
    return (3 * w + w) + 2 * (w * w + w) + (w * 1 + 1)  # a layer: inputs x outputs weights, outputs biases


# %%
def test_parameters_of_width():
    for width in (1, 5, 64):
        close(f"the parameters of MLP(3, [{width}, {width}, {width}, 1])", parameters_of_width(width),
              nn.MLP(3, [width, width, width, 1], seed=SEED).num_parameters(),
              hint=("four layers: 3 -> w, w -> w, w -> w, w -> 1",
                    "a layer from n inputs to m outputs has n * m weights and m biases"))


check("Exercise 5.2", test_parameters_of_width)

# %% [markdown]
# **Exercise 5.3.** A model has one million parameters, and one forward pass takes 1 millisecond.
# Counting as above (a backward pass costs what a forward pass costs), how many seconds does one
# full gradient take by finite differences, and how many by backpropagation?

# %%
seconds_by_finite_differences = ...
seconds_by_backpropagation = ...

# %% [solution]
seconds_by_finite_differences = 2 * 1_000_000 * 0.001  # 2P forward passes: over half an hour
seconds_by_backpropagation = 2 * 0.001  # one forward and one backward pass


# %%
def test_seconds():
    answered(seconds_by_finite_differences, seconds_by_backpropagation)
    close("seconds by finite differences", seconds_by_finite_differences, 2000.0, hint="2P forward passes")
    close("seconds by backpropagation", seconds_by_backpropagation, 0.002,
          hint="a forward and a backward pass")


check("Exercise 5.3", test_seconds)

# %% [markdown]
# **Takeaways.** A gradient by finite differences costs two forward passes per parameter; by
# backpropagation, one forward and one backward pass, and the backward pass does one multiply-add
# per edge of the graph, as much work as the forward pass. The ratio between the two is the number
# of parameters, which is why backpropagation (reverse-mode differentiation) trains every neural
# network, and finite differences only check it.
