# %% [markdown]
# # 6. Why backpropagation: the cost of a gradient
#
# **Goal:** count what a full gradient costs, in operations, three ways: by finite differences (two
# forward passes per parameter), by forward-mode differentiation (exact, but one pass per
# parameter), and by backpropagation (one forward and one backward pass); see, as the number of
# parameters grows, why every neural network is trained with the last, and when forward mode would
# win instead.
#
# Everything here is counted, not timed, so the numbers are the same on every machine and every run.

# %%
import math
import random

import matplotlib.pyplot as plt

import autograd as ag
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
print(
    f"finite differences: {passes_numeric} forward passes; backpropagation: {forward_passes} forward "
    "and 1 backward pass"
)
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
ax.set(
    xlabel="number of parameters P",
    ylabel="operations (graph edges visited)",
    title="the cost of one full gradient",
)
ax.legend()
plt.show()
assert nn.MLP(2, [16, 16, 1]).num_parameters() == 337  # the model the prose below quotes

# %% [markdown]
# For the model of notebook 9, `nn.MLP(2, [16, 16, 1])`, the ratio is its 337 parameters; for a
# network with millions of parameters, finite differences would cost millions of forward passes per
# training step. Backpropagation is what makes training large models possible at all: the
# gradient costs a small constant number of forward passes, however many parameters there are.
# Finite differences stay useful as a *check* (`gradcheck`), on a few inputs.
#
# ## Forward mode: exact, but one pass per input
#
# Finite differences are approximate. There is an exact way to differentiate that also runs
# forwards: carry, next to every number, its derivative with respect to one chosen input (its
# *tangent*), and apply the rules of differentiation as you compute. A pair (value, tangent) is a
# *dual number* $v + \dot v\,\varepsilon$ with $\varepsilon^2 = 0$: multiplying two of them gives
# $u v + (\dot u v + u \dot v)\,\varepsilon$, the product rule. Here is all of it that our network
# needs (chainrule itself is reverse-mode only; this class lives in this notebook):


# %%
class Dual:
    """A number and its tangent: its derivative with respect to one chosen input."""

    def __init__(self, value, tangent=0.0):
        self.value, self.tangent = value, tangent

    def __add__(self, other):
        other = other if isinstance(other, Dual) else Dual(other)  # a constant: tangent 0
        return Dual(self.value + other.value, self.tangent + other.tangent)

    def __mul__(self, other):
        other = other if isinstance(other, Dual) else Dual(other)
        return Dual(self.value * other.value, self.tangent * other.value + self.value * other.tangent)

    def __sub__(self, other):
        return self + other * -1

    def __pow__(self, n):  # n a number
        return Dual(self.value**n, n * self.value ** (n - 1) * self.tangent)

    def tanh(self):
        out = math.tanh(self.value)
        return Dual(out, (1 - out * out) * self.tangent)

    __radd__, __rmul__ = __add__, __mul__


# %% [markdown]
# To push Duals through the network we write its loss in plain arithmetic, from the flat list of
# its parameters in `model.parameters()` order (each neuron's weights, then its bias). Seeding one
# parameter's tangent with 1 and every other with 0, one forward pass gives the derivative of the
# loss with respect to that parameter: $P$ passes for the whole gradient.


# %%
def plain_loss(parameters, sizes=(4, 8, 8, 1)):
    """The model's loss on the example, from its parameters (floats or Duals): tanh hidden layers."""
    activations, k = list(example), 0
    for layer, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        outputs = []
        for _ in range(n_out):
            z = parameters[k + n_in]  # the bias, then the weighted inputs
            for w, a in zip(parameters[k : k + n_in], activations):
                z = z + w * a
            outputs.append(z if layer == len(sizes) - 2 else z.tanh())
            k += n_in + 1
        activations = outputs
    return (activations[0] - target) ** 2


def forward_mode_gradient(values):
    """One forward pass per parameter, each with that parameter's tangent set to 1."""
    return [
        plain_loss([Dual(v, 1.0 if j == i else 0.0) for j, v in enumerate(values)]).tangent
        for i in range(len(values))
    ]


values = [p.data for p in model.parameters()]
forward_mode = forward_mode_gradient(values)
print(
    f"{len(forward_mode)} forward-mode passes; largest difference from backpropagation: "
    f"{max(abs(f - e) for f, e in zip(forward_mode, engine)):.1e}"
)
assert max(abs(f - e) for f, e in zip(forward_mode, engine)) < 1e-12  # exact, as the prose says

# %% [markdown]
# Forward mode agrees with backpropagation to rounding error: both apply the same rules exactly;
# only finite differences approximate. But it needs one pass per *input* of the function (here, per
# parameter), each pass carrying a tangent next to every value, so the gradient of one loss with
# respect to $P$ parameters costs about $P$ times a forward pass, the same growth as finite
# differences. Reverse mode (backpropagation) needs one backward pass per *output*: for one loss,
# one. In general, for a function with $n$ inputs and $m$ outputs, forward mode gets the whole
# Jacobian in $n$ passes and reverse mode in $m$. Training has one loss and many parameters, so
# reverse mode wins by a factor of about $P$. Forward mode wins when there are few inputs and many
# outputs: the sensitivity of a whole simulation's state to one physical constant, say. Here is
# such a function, one input and 50 outputs, both ways, counting passes:


# %%
def many_outputs(x, count=50):
    """One input, `count` outputs: tanh(k x) for k = 1 .. count."""
    return [(x * k).tanh() for k in range(1, count + 1)]


x_dual = Dual(0.3, 1.0)
tangents = [out.tangent for out in many_outputs(x_dual)]  # every output's derivative: 1 pass
x_value = ag.Value(0.3)
reverse = []
for out in many_outputs(x_value):  # reverse mode: one backward pass per output
    x_value.grad = 0.0
    out.backward()
    reverse.append(x_value.grad)
print(
    f"50 derivatives: forward mode in 1 pass, reverse mode in {len(reverse)} backward passes; "
    f"largest difference {max(abs(f - r) for f, r in zip(tangents, reverse)):.1e}"
)

# %% [markdown]
# ## What one forward and one backward pass cost in chainrule
#
# A common rule of thumb for networks built of matrix layers says a backward pass costs about twice
# a forward pass: for $z = W a$ the forward pass does one matrix product, and the backward pass two,
# $W^\top \delta$ (for the layer below) and $\delta\, a^\top$ (for the weights). Counting our graph's
# work in the same units shows where chainrule stands: the multiply-adds that compute each node's
# value (a `linear` node with $n$ weights does $n$ of them, any other operation 1), the local
# derivatives the forward pass also computes and stores (one per edge), and the backward pass's
# multiply-adds (one per edge).


# %%
def pass_costs(root):
    """(multiply-adds for the values, local derivatives stored, multiply-adds of the backward pass)."""
    order = topological_order(root)
    values = sum((len(node.parents) - 1) // 2 if node.op == "linear" else 1 for node in order if node.parents)
    edges = sum(len(node.parents) for node in order)
    return values, edges, edges


value_work, stored, backward_work = pass_costs(loss_of(model))
print(f"forward: {value_work} multiply-adds for the values, and {stored} local derivatives stored")
print(
    f"backward: {backward_work} multiply-adds, {backward_work / value_work:.1f} x the values' work, and "
    f"{backward_work / (value_work + stored):.2f} x the whole forward pass"
)
assert 1.8 < backward_work / value_work < 2.2 and backward_work < value_work + stored  # the prose below

# %% [markdown]
# Against the values alone, the backward pass is about twice the work: the rule of thumb, for the
# same reason (each weight has one edge for its own gradient and the input beside it one for the
# layer below). But chainrule's forward pass does more than compute values: every operation also
# computes its local derivatives and stores them on the node, one number per edge (for `linear`,
# its inputs and weights; for `tanh`, $1 - \tanh^2$). The backward pass then only multiplies stored
# numbers along the edges, so here it costs *less* than the forward pass. A tensor library does
# that derivative work in the backward pass instead; the total is about the same, about three
# forward passes' worth of values for a gradient, and constant in $P$ either way.
#
# ## Exercises
#
# Each exercise has a cell to fill in (replace every `...`) followed by a checker cell that says
# *not yet*, *right*, or what is wrong and why. The answers are in `notebooks/solutions/`.
#
# **Exercise 6.1.** The *forward* difference $\dfrac{L(w + h e_i) - L(w)}{h}$ is less accurate
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
        close(
            f"forward passes for {sized.num_parameters()} parameters",
            passes_for_forward_differences(sized.num_parameters()),
            forward_passes,
            hint=(
                "which of the two losses in the formula changes with i?",
                "L(w) is the same for every parameter: compute it once",
            ),
        )


check("Exercise 6.1", test_forward_passes)

# %% [markdown]
# **Exercise 6.2.** How many parameters does `nn.MLP(3, [w, w, w, 1])`, with three hidden layers,
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
        close(
            f"the parameters of MLP(3, [{width}, {width}, {width}, 1])",
            parameters_of_width(width),
            nn.MLP(3, [width, width, width, 1], seed=SEED).num_parameters(),
            hint=(
                "four layers: 3 -> w, w -> w, w -> w, w -> 1",
                "a layer from n inputs to m outputs has n * m weights and m biases",
            ),
        )


check("Exercise 6.2", test_parameters_of_width)

# %% [markdown]
# **Exercise 6.3.** A model has one million parameters, and one forward pass takes 1 millisecond.
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
    close(
        "seconds by backpropagation", seconds_by_backpropagation, 0.002, hint="a forward and a backward pass"
    )


check("Exercise 6.3", test_seconds)

# %% [markdown]
# **Exercise 6.4.** Teach `Dual` the exponential: write `dual_exp(d)`, which returns the Dual of
# $e^{v}$ for a Dual `d` (its value and its tangent, by the chain rule). The checker compares the
# tangents with the engine's derivatives.


# %%
def dual_exp(d):
    return ...


# %% [solution]
def dual_exp(d):
    out = math.exp(d.value)
    return Dual(out, out * d.tangent)  # d(e^v) = e^v dv


# %%
def test_dual_exp():
    for number, tangent in ((0.0, 1.0), (1.3, 1.0), (-2.0, 0.5)):
        slope = ag.grad(ag.exp)(number)
        with without_the_engine():
            result = dual_exp(Dual(number, tangent))
        answered(result)
        if not isinstance(result, Dual):
            raise Wrong(f"dual_exp should return a Dual, you returned {result!r}")
        close(f"the value of dual_exp at {number}", result.value, math.exp(number))
        close(
            f"the tangent at {number} with tangent {tangent}",
            result.tangent,
            slope * tangent,
            hint=(
                "the chain rule: the derivative of exp, times the tangent that comes in",
                "exp(v) * tangent",
            ),
        )


check("Exercise 6.4", test_dual_exp)

# %% [markdown]
# **Exercise 6.5.** A function has `n` inputs and `m` outputs and you want its whole Jacobian (the
# derivative of every output with respect to every input). How many passes does forward mode need,
# and how many backward passes does reverse mode need?


# %%
def forward_mode_passes(n, m):
    return ...


def reverse_mode_passes(n, m):
    return ...


# %% [solution]
def forward_mode_passes(n, m):
    return n  # one pass per input, each giving that input's column of the Jacobian


def reverse_mode_passes(n, m):
    return m  # one backward pass per output, each giving that output's row


# %%
def test_passes_for_a_jacobian():
    for n, m in ((1, 50), (337, 1), (3, 3)):
        close(
            f"forward-mode passes for {n} inputs and {m} outputs",
            forward_mode_passes(n, m),
            n,
            hint="a pass carries the tangent of one input through everything",
        )
        close(
            f"reverse-mode passes for {n} inputs and {m} outputs",
            reverse_mode_passes(n, m),
            m,
            hint="a backward pass starts from one output's seed",
        )


check("Exercise 6.5", test_passes_for_a_jacobian)

# %% [markdown]
# **Takeaways.** A gradient by finite differences costs two forward passes per parameter, and is
# approximate; forward mode is exact but still costs one pass per parameter; backpropagation costs
# one forward and one backward pass, whatever the number of parameters. For one loss and $P$
# parameters that is a factor of about $P$, which is why backpropagation (reverse-mode
# differentiation) trains every neural network; forward mode wins only when inputs are few and
# outputs many, and finite differences remain a check. In chainrule the forward pass also stores
# every local derivative, so the backward pass is one multiply-add per edge.
