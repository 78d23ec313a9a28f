# %% [markdown]
# # 5. The delta recursion: backpropagation layer by layer, and depth
#
# **Goal:** write the backward pass of notebook 4's MLP as the recursion that backpropagation
# computes layer by layer,
#
# $$\delta_l = \left(W_{l+1}^\top \delta_{l+1}\right) \odot f'(z_l), \qquad
# \frac{\partial L}{\partial W_l} = \delta_l\, a_{l-1}^\top, \qquad
# \frac{\partial L}{\partial b_l} = \delta_l ,$$
#
# check numerically that the engine's gradients are exactly this (and see every neuron's $\delta$
# drawn on the network), see why no bias belongs inside $\delta$, and read off the recursion what
# depth does to gradients: they vanish through sigmoids and survive through relus.

# %%
import math
import random

import matplotlib.pyplot as plt

import autograd as ag
import nn
from autograd import Value, no_grad
from autograd.draw import draw_graph

SEED = 3
random.seed(SEED)  # the models below also take their own seeds, so every run is the same
plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 4), "axes.grid": True, "grid.alpha": 0.3})

# %% [checking]

# %% [markdown]
# The network of notebook 4, `nn.MLP(3, [2, 2, 1])` with tanh hidden layers and a linear output,
# one example and a squared-error loss:

# %%
model = nn.MLP(3, [2, 2, 1], activation="tanh", seed=SEED)
x, target = [0.5, -1.0, 2.0], [0.5]
inputs = [Value(v, label=f"x{i}") for i, v in enumerate(x, 1)]  # labelled, for the drawing
print(model)

# %% [markdown]
# ## The error recursion, derived
#
# Number the layers $l = 1, \dots, N$ and write the forward pass in matrix form, with $a_0 = x$:
#
# $$z_l = W_l\, a_{l-1} + b_l, \qquad a_l = f_l(z_l), \qquad L = \textstyle\sum_k (a_{N,k} - t_k)^2 .$$
#
# Define the **error** of layer $l$ as the gradient of the loss with respect to its weighted sums,
# $\delta_l = \partial L / \partial z_l$ (a vector, one entry per neuron). Three facts follow from the
# chain rule:
#
# 1. **At the output**,
#    $\delta_N = \dfrac{\partial L}{\partial a_N} \odot f_N'(z_N) = 2(a_N - t) \odot f_N'(z_N)$
#    (here $f_N$ is the identity, so $f_N' = 1$).
# 2. **One layer down.** $z_{l+1}$ depends on $z_l$ only through $a_l = f_l(z_l)$, and
#    $\partial z_{l+1} / \partial a_l = W_{l+1}$. So
#    $\dfrac{\partial L}{\partial a_l} = W_{l+1}^\top \delta_{l+1}$ and
#    $$\delta_l = \left(W_{l+1}^\top \delta_{l+1}\right) \odot f_l'(z_l) .$$
#    The bias $b_{l+1}$ is a constant added to $z_{l+1}$: it does not depend on $a_l$, so its
#    derivative with respect to $a_l$ is zero and **it does not appear here**. (Shapes agree:
#    $W_{l+1}$ is $n_{l+1} \times n_l$, so $W_{l+1}^\top \delta_{l+1}$ has $n_l$ entries, one per
#    neuron of layer $l$.)
# 3. **The parameters.** $z_{l,i} = \sum_j W_{l,ij}\, a_{l-1,j} + b_{l,i}$, so
#    $\partial L/\partial W_{l,ij} = \delta_{l,i}\, a_{l-1,j}$, which is the outer product
#    $\delta_l\, a_{l-1}^\top$, and $\partial L/\partial b_{l,i} = \delta_{l,i}$.
#
# The engine never sees this recursion: it only multiplies local derivatives node by node. Let us
# check that the two agree.
#
# ## The recursion in plain Python
#
# Small helpers on lists. They refuse vectors of different lengths rather than guessing (numpy would
# *broadcast* a length-1 vector silently, which can hide exactly the kind of mistake we look for).


# %%
def add(u, v):
    if len(u) != len(v):
        raise ValueError(f"cannot add vectors of lengths {len(u)} and {len(v)}")
    return [a + b for a, b in zip(u, v)]


def times(u, v):  # element-wise product
    if len(u) != len(v):
        raise ValueError(f"cannot multiply vectors of lengths {len(u)} and {len(v)}")
    return [a * b for a, b in zip(u, v)]


def matvec(W, v):
    return [sum(w * x for w, x in zip(row, v, strict=True)) for row in W]


def transpose(W):
    return [list(column) for column in zip(*W)]


def outer(u, v):
    return [[a * b for b in v] for a in u]


def matrices(model):
    """The model's weights and biases as plain floats: W[l] is a list of rows, b[l] a list."""
    W = [[[w.data for w in neuron.weights] for neuron in layer.neurons] for layer in model.layers]
    b = [[neuron.bias.data for neuron in layer.neurons] for layer in model.layers]
    return W, b


# %% [markdown]
# The recursion itself. The forward pass is redone in floats (keeping every $z_l$ and $a_l$);
# `autograd.tanh` on a number returns a number. `bias_inside=True` gives the variant:
# $\delta_l = (W_{l+1}^\top \delta_{l+1} + b_{l+1}) \odot f'(z_l)$.


# %%
def tanh_slope(z):  # d tanh(z)/dz = 1 - tanh(z)^2
    return [1 - ag.tanh(v) ** 2 for v in z]


def backpropagate_layers(W, b, x, target, bias_inside=False):
    """dL/dW and dL/db of every layer for a tanh MLP with a linear output and a squared-error loss.

    Python lists count from 0, so W[k] holds the weights of layer l = k + 1.
    """
    N = len(W)
    a, z = [list(x)], []
    for k in range(N):
        z.append(add(matvec(W[k], a[-1]), b[k]))
        a.append([ag.tanh(v) for v in z[-1]] if k < N - 1 else z[-1])
    delta = [2 * (y - t) for y, t in zip(a[N], target)]  # delta_N (f_N' = 1)
    grad_W, grad_b = [None] * N, [None] * N
    for k in reversed(range(N)):
        grad_W[k] = outer(delta, a[k])  # delta_l a_{l-1}^T
        grad_b[k] = delta  # delta_l
        if k > 0:
            back = matvec(transpose(W[k]), delta)  # W_{l+1}^T delta_{l+1}
            if bias_inside:
                back = add(back, b[k])  # the variant: + b_{l+1}
            delta = times(back, tanh_slope(z[k - 1]))  # (...) * f'(z_l)
    return grad_W, grad_b


# %% [markdown]
# ## The engine against the recursion
#
# `nn` starts every bias at 0. Trained biases are not 0, and (as we will see) a bias mistake is
# invisible at 0, so we first give the biases random values. Then one `backward()` fills every
# parameter's `.grad`, and we compare entry by entry.


# %%
def randomise_biases(model, seed):
    rng = random.Random(seed)
    for layer in model.layers:
        for neuron in layer.neurons:
            neuron.bias.data = rng.uniform(-1, 1)


def engine_gradients(model, x, target):
    model.zero_grad()
    loss = ag.sum([(y - t) ** 2 for y, t in zip(model(x), target)])
    loss.backward()
    grad_W = [[[w.grad for w in neuron.weights] for neuron in layer.neurons] for layer in model.layers]
    grad_b = [[neuron.bias.grad for neuron in layer.neurons] for layer in model.layers]
    return grad_W, grad_b


def flat(grad_W, grad_b):
    """All gradients as one list, in the order of model.parameters()."""
    return [g for Wl, bl in zip(grad_W, grad_b) for row, bias in zip(Wl, bl) for g in (*row, bias)]


randomise_biases(model, SEED)
engine = flat(*engine_gradients(model, x, target))
recursion = flat(*backpropagate_layers(*matrices(model), x, target))
print(
    f"{len(engine)} parameters; largest |engine - recursion| = "
    f"{max(abs(e - r) for e, r in zip(engine, recursion)):.1e}"
)

# %% [markdown]
# They agree to rounding error (here exactly: the same multiplications happen, in the same order).
# A third, independent witness: central finite differences, nudging one parameter at a time and
# recomputing the loss (under `no_grad`, since we only need numbers).


# %%
def finite_differences(model, x, target, h=1e-6):
    def loss_value():
        with no_grad():
            return sum((y.data - t) ** 2 for y, t in zip(model(x), target))

    slopes = []
    for p in model.parameters():
        saved = p.data
        p.data = saved + h
        up = loss_value()
        p.data = saved - h
        down = loss_value()
        p.data = saved
        slopes.append((up - down) / (2 * h))
    return slopes


numeric = finite_differences(model, x, target)
print(f"largest |engine - finite differences| = {max(abs(e - n) for e, n in zip(engine, numeric)):.1e}")

# %% [markdown]
# ## The deltas, drawn
#
# A neuron's $\delta$ is $\partial L/\partial z$, and the engine holds $z$ as a node (the neuron's
# `linear` node), so after `backward()` that node's `grad` *is* $\delta$. Grouped with
# `pre_activations=True`, each box shows it: the `grad` under `z`. Here is notebook 4's network, now
# with the random biases, after one backward pass; next to it, the $\delta$ of every neuron from the
# recursion above (its `grad_b`, since $\partial L/\partial b_l = \delta_l$).

# %%
model.zero_grad()
loss = (model(inputs)[0] - target[0]) ** 2
loss.label = "L"
loss.backward()
groups = nn.neuron_groups(loss, pre_activations=True)  # layer by layer, each layer's neurons in order
_, recursion_deltas = backpropagate_layers(*matrices(model), x, target)
for group, delta in zip(groups, [d for layer_deltas in recursion_deltas for d in layer_deltas], strict=True):
    weighted_sum = group.members[0]  # a neuron's group starts with its linear node, z
    print(f"{group.name}: dL/dz drawn {weighted_sum.grad:+.4f}, delta from the recursion {delta:+.4f}")
    assert math.isclose(weighted_sum.grad, delta, rel_tol=1e-12, abs_tol=1e-15)
draw_graph(loss, groups=groups, inputs=inputs, number_format=".3g")

# %% [markdown]
# Read the picture from the bottom up and the recursion appears: the output box's $\delta$ is
# $2(a_N - t)$; each box of the second layer gets $W^\top\delta$ as the grad of its `out`, and its `z`
# grad is that times $\tanh'(z) = 1 - \text{out}^2$; the first layer repeats the step. No bias enters
# any of it. Each neuron's bias is hidden in its box, and its `grad` equals the box's $\delta$
# ($\partial L/\partial b = \delta$), but the bias only *receives* the error: nothing flows out of a
# bias into the layer below.

# %% [markdown]
# ## No bias inside $\delta$
#
# Some write-ups give the recursion as $\delta_l = (W_{l+1}^\top \delta_{l+1} + b_{l+1}) \odot
# f'(z_l)$. Fact 2 above says why that is wrong: $b_{l+1}$ is added to $z_{l+1}$ and does not depend
# on $a_l$, so it has no part in $\partial L/\partial a_l$. The shapes say so too: $W_{l+1}^\top
# \delta_{l+1}$ has one entry per neuron of layer $l$, $b_{l+1}$ one per neuron of layer $l+1$, so
# in our 3 -> 2 -> 2 -> 1 network `backpropagate_layers(..., bias_inside=True)` stops at the first
# step down from the output with a `ValueError` (2 entries and 1 bias). With equally wide layers
# the formula runs, and its gradients are off by order one below the output layer; but only if
# the biases are not 0. `nn` starts every bias at 0, where the variant adds zeros and agrees with
# everything: a test at initialisation would never catch it. Exercise 5.3 asks you to refute it.

# %% [markdown]
# ## What the recursion says about depth: vanishing gradients
#
# Each step down the recursion multiplies by $W_{l+1}^\top$ and by $f'(z_l)$. A sigmoid's slope is
# at most $1/4$, so with weights of moderate size $\delta$ shrinks by a roughly constant factor per
# layer, and the first layers of a deep sigmoid network hardly learn. A relu's slope is exactly 1
# wherever it is on, and with the weights scaled as `nn` scales them for relu (He initialisation),
# the size of $\delta$ stays about the same from layer to layer.
#
# We need no new code to see it: the third fact above says $\partial L/\partial b_l = \delta_l$, so
# after `backward()` every bias's `grad` *is* its neuron's $\delta$. Below: networks with hidden
# layers of width 8, one output and a squared-error loss, the mean $|\delta|$ of each layer
# averaged over 20 random inputs.


# %%
def mean_abs_delta_per_layer(activation, depth, width=8, examples=20, seed=SEED):
    """Mean |delta| of each layer, the first hidden layer first, read off the biases' gradients."""
    deep = nn.MLP(width, [width] * depth + [1], activation=activation, seed=seed)
    rng = random.Random(seed)
    totals = [0.0] * (depth + 1)
    for _ in range(examples):
        example = [rng.gauss(0.0, 1.0) for _ in range(width)]
        deep.zero_grad()
        ((deep(example)[0] - 1.0) ** 2).backward()
        for k, layer in enumerate(deep.layers):
            totals[k] += sum(abs(neuron.bias.grad) for neuron in layer.neurons) / len(layer.neurons)
    return [total / examples for total in totals]


depth = 12
per_layer = {name: mean_abs_delta_per_layer(name, depth) for name in ("sigmoid", "relu")}
depths = list(range(1, 17))
first_layer = {name: [mean_abs_delta_per_layer(name, d)[0] for d in depths] for name in ("sigmoid", "relu")}

fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 4))
for name, style in (("sigmoid", "o-"), ("relu", "s-")):
    left.semilogy(range(1, depth + 2), per_layer[name], style, label=name)
    right.semilogy(depths, first_layer[name], style, label=name)
left.set(
    xlabel="layer l (1 = first hidden layer, 13 = output)",
    ylabel="mean |delta_l|",
    title=f"{depth} hidden layers of width 8",
)
right.set(
    xlabel="number of hidden layers", ylabel="mean |delta_1|", title="the first layer's delta as depth grows"
)
left.legend()
right.legend()
fig.tight_layout()
ratio = {name: deltas[0] / deltas[-1] for name, deltas in per_layer.items()}
for name, deltas in per_layer.items():
    print(
        f"{name:>7}: |delta| at the output {deltas[-1]:.2e}, at the first hidden layer {deltas[0]:.2e}, "
        f"ratio {ratio[name]:.1e}"
    )
assert ratio["sigmoid"] < 1e-6 and ratio["relu"] > 1e-2  # what the prose below says

# %% [markdown]
# The printed ratios say it in numbers: through 12 sigmoid layers, the first layer's $\delta$ (and
# with it every gradient of its weights, $\delta_l a_{l-1}^\top$) is more than a million times
# smaller than the output's, and on the right it falls by orders of magnitude as layers are added
# (not at every single layer: with random weights the curve wobbles, but the trend is steady);
# through 12 relu layers it loses less than a factor of 100. This is the *vanishing gradient*
# problem, and why deep networks use relu-like activations and careful initialisation.
#
# ## Exercises
#
# Each exercise has a cell to fill in (replace every `...`) followed by a checker cell that says
# *not yet*, *right*, or what is wrong and why. The answers are in `notebooks/solutions/`.

# %% [markdown]
# **Exercise 5.1.** A classifier for two classes often ends in one neuron whose score $s$ (its $z$)
# goes through a sigmoid, $p = \sigma(s)$, with the loss $L = -\log p$ for label 1 and
# $L = -\log(1 - p)$ for label 0: that is `nn.binary_cross_entropy([s], [label])`. Derive the output
# delta $\delta = \partial L/\partial s$ and write it as a function of $s$ and the label (use
# $\sigma'(s) = \sigma(s)(1 - \sigma(s))$; `ag.sigmoid` works on numbers). The answer is short.


# %%
def output_delta(s, label):
    return ...


# %% [solution]
def output_delta(s, label):
    return ag.sigmoid(s) - label  # p - t: the sigmoid's slope cancels against the log's 1/p


# %%
def test_output_delta():
    for s in (-3.0, -0.5, 0.0, 1.2, 4.0):
        for label in (0, 1):
            score = Value(s)
            nn.binary_cross_entropy([score], [label]).backward()
            with without_the_engine():
                yours = output_delta(s, label)
            close(
                f"dL/ds at s = {s}, label {label}",
                yours,
                score.grad,
                hint=(
                    "multiply dL/dp by dp/ds and simplify: most factors cancel",
                    "for label 1, dL/dp = -1/p and dp/ds = p (1 - p)",
                ),
            )


check("Exercise 5.1", test_output_delta)

# %% [markdown]
# **Exercise 5.2.** Write one step of the recursion for a **relu** network: from the next layer's
# weights `W_next` (a list of rows), its delta `delta_next` and this layer's weighted sums `z`,
# return this layer's delta ($\text{relu}'(z) = 1$ for $z > 0$, else 0). The helpers `matvec`,
# `transpose` and `times` from above are yours to use. The checker runs a relu network with random
# biases and compares your deltas with the biases' gradients from `backward()`.


# %%
def relu_hidden_delta(W_next, delta_next, z):
    return ...


# %% [solution]
def relu_hidden_delta(W_next, delta_next, z):
    back = matvec(transpose(W_next), delta_next)  # W_{l+1}^T delta_{l+1}: no bias here
    return times(back, [1.0 if v > 0 else 0.0 for v in z])  # times relu'(z_l)


# %%
def test_relu_hidden_delta():
    relu_model = nn.MLP(3, [5, 4, 2], activation="relu", seed=SEED)
    randomise_biases(relu_model, SEED + 1)
    relu_model.zero_grad()
    ag.sum([(y - t) ** 2 for y, t in zip(relu_model(x), [0.3, -0.4])]).backward()
    deltas = [[neuron.bias.grad for neuron in layer.neurons] for layer in relu_model.layers]
    W, b = matrices(relu_model)
    z, a = [], list(x)
    for k in range(len(W)):
        z.append(add(matvec(W[k], a), b[k]))
        a = [max(v, 0.0) for v in z[-1]]
    for k in (1, 0):  # layer 2 from the output's delta, then layer 1 from layer 2's
        try:
            with without_the_engine():
                yours = relu_hidden_delta(W[k + 1], deltas[k + 1], z[k])
        except ValueError as error:
            raise Wrong(
                f"{error}. Hint: W_next has one row per neuron of the next layer, so "
                "matvec(W_next, delta_next) does not fit; which matrix maps the next layer's "
                "delta back to this layer?"
            ) from None
        answered(yours)
        if len(yours) != len(deltas[k]):
            raise Wrong(f"layer {k + 1} has {len(deltas[k])} neurons, your delta has {len(yours)} entries")
        for i, (given, expected) in enumerate(zip(yours, deltas[k])):
            close(
                f"delta of layer {k + 1}, neuron {i}",
                given,
                expected,
                hint=(
                    "which entries of W_next connect neuron i of this layer to the next one?",
                    "W_next transposed times delta_next, then times relu'(z); no bias",
                ),
            )


check("Exercise 5.2", test_relu_hidden_delta)

# %% [markdown]
# **Exercise 5.3.** Refute the bias-inside variant yourself: return a network (an `nn.MLP` with
# tanh hidden layers and a linear output, what `backpropagate_layers` computes), an input and a
# target on which `backpropagate_layers(..., bias_inside=True)` runs and is wrong: off from finite
# differences by more than 0.01 for some parameter. `randomise_biases` from above may help.


# %%
def variant_counterexample():
    return ..., ..., ...


# %% [solution]
def variant_counterexample():
    square = nn.MLP(3, [3, 3, 3], activation="tanh", seed=SEED)  # equal widths: the shapes agree
    randomise_biases(square, SEED)  # non-zero biases: the variant adds something
    return square, [0.5, -1.0, 2.0], [0.5, -0.2, 0.1]


# %%
def test_variant_counterexample():
    answer = variant_counterexample()
    answered(answer)
    network, example, goal = answer
    try:
        variant = flat(*backpropagate_layers(*matrices(network), example, goal, bias_inside=True))
    except ValueError as error:
        raise Wrong(
            f"the variant cannot even run here ({error}). Hint: which layer widths let "
            "W^T delta and b be added?"
        ) from None
    numeric = finite_differences(network, example, goal)
    correct = flat(*backpropagate_layers(*matrices(network), example, goal))
    if max(abs(c - n) for c, n in zip(correct, numeric)) > 1e-4:
        raise Wrong(
            "the correct recursion does not match this network: use tanh hidden layers and a "
            "linear output (nn.MLP(..., activation='tanh')), what backpropagate_layers assumes"
        )
    gap = max(abs(v - n) for v, n in zip(variant, numeric))
    if gap <= 0.01:
        raise Wrong(
            f"here the variant agrees with finite differences to {gap:.1e}. Hint: what does it add "
            "when every bias is 0?"
        )
    print(f"the variant is off by up to {gap:.2f} on {network.num_parameters()} gradients")


check("Exercise 5.3", test_variant_counterexample)

# %% [markdown]
# **Takeaways.** Backpropagation through an MLP is the recursion
# $\delta_l = (W_{l+1}^\top \delta_{l+1}) \odot f'(z_l)$ with
# $\partial L/\partial W_l = \delta_l a_{l-1}^\top$ and $\partial L/\partial b_l = \delta_l$:
# biases receive the error, they never feed it back. The engine computes exactly this without being
# told, because it only applies the chain rule node by node. Each step down multiplies by the
# weights and the activation's slope, which is why gradients vanish through deep stacks of sigmoids.
# When checking a hand derivation, use parameters that are not at their initial values (here:
# non-zero biases), and compare against finite differences.
