# %% [markdown]
# # 8. Loss functions and activation derivatives
#
# **Goal:** see the activations (relu, tanh, sigmoid) next to their derivatives, and the losses
# (mean squared error, hinge, binary cross-entropy, cross-entropy) next to theirs, every derivative
# taken from the engine's own `backward()` rather than from a formula, and learn what their shapes
# mean for training.

# %%
import random

import matplotlib.pyplot as plt

import autograd as ag
import nn
from autograd import Value, grad

random.seed(0)  # nothing here is random, but every notebook starts the same way
plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 4), "axes.grid": True, "grid.alpha": 0.3})

# %% [checking]

# %% [markdown]
# ## Activations and their derivatives, from the engine
#
# For each point $z$ of a grid we build `activation(Value(z))`, call `backward()`, and read
# `z.grad`. No derivative formula is typed in this notebook: what is plotted is what backpropagation
# uses.


# %%
def value_and_slope(activation, z):
    z = Value(z)
    out = activation(z)
    out.backward()
    return out.data, z.grad


activations = {"relu": ag.relu, "tanh": ag.tanh, "sigmoid": ag.sigmoid, "softplus": ag.softplus}
zs = [-4 + 8 * i / 400 for i in range(401)]
fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 4))
for name, activation in activations.items():
    values, slopes = zip(*(value_and_slope(activation, z) for z in zs))
    left.plot(zs, values, label=name)
    right.plot(zs, slopes, label=f"d {name}/dz")
left.set(title="activation f(z)", xlabel="z", ylim=(-1.5, 4))
right.set(title="its derivative f'(z), by backward()", xlabel="z", ylim=(-0.1, 1.1))
left.legend()
right.legend()
fig.tight_layout()

# %% [markdown]
# What the shapes say:
#
# - **relu** passes gradient 1 where it is on and exactly 0 where it is off. A neuron whose weighted
#   sum is negative for every example gets no gradient at all (a "dead" relu). At the kink the engine
#   uses $\text{relu}'(0) = 0$, as PyTorch does.
# - **tanh** has slope 1 at 0 and almost none beyond $|z| \approx 3$: a saturated tanh neuron barely
#   learns.
# - **sigmoid** is a shifted, squashed tanh ($\sigma(z) = (1 + \tanh(z/2))/2$): its slope is at most
#   $1/4$, which is one reason deep stacks of sigmoids learn slowly.
# - **softplus** $\log(1 + e^z)$ is a smooth relu, and its derivative is the sigmoid.
#
# The engine's derivatives agree with the textbook formulas; here the largest difference over the grid:

# %%
formulas = {
    "tanh": lambda z: 1 - ag.tanh(z) ** 2,
    "sigmoid": lambda z: ag.sigmoid(z) * (1 - ag.sigmoid(z)),
    "softplus": lambda z: ag.sigmoid(z),
    "relu": lambda z: 1.0 if z > 0 else 0.0,
}
for name, formula in formulas.items():
    worst = max(abs(value_and_slope(activations[name], z)[1] - formula(z)) for z in zs)
    print(f"{name:>8}: {worst:.1e}")
print("relu'(0) =", value_and_slope(ag.relu, 0.0)[1])

# %% [markdown]
# ## Four losses, one score
#
# A classifier outputs a *score* $s$ for an example; training pushes the score to the right side.
# Take one example of the positive class and look at each loss as a function of its score (in `nn`
# every loss takes a list of predictions and a list of targets and returns the mean):
#
# | loss | target | formula for one example |
# |---|---|---|
# | `nn.mse` | 1 | $(s - 1)^2$ |
# | `nn.hinge` | label $+1$ | $\max(0,\ 1 - s)$ |
# | `nn.binary_cross_entropy` | label 1 | $-\log \sigma(s) = \log(1 + e^{-s})$ |
# | `nn.cross_entropy` | class 0 of logits $(s, 0)$ | $-\log \dfrac{e^{s}}{e^{s} + e^{0}}$ |
#
# With two classes and the second logit fixed at 0, cross-entropy *is* binary cross-entropy; it
# generalises to any number of classes.

# %%
losses = {
    "mse (target 1)": lambda s: nn.mse([s], [1.0]),
    "hinge (label +1)": lambda s: nn.hinge([s], [1]),
    "binary cross-entropy (label 1)": lambda s: nn.binary_cross_entropy([s], [1]),
    "cross-entropy (logits (s, 0), class 0)": lambda s: nn.cross_entropy([[s, Value(0.0)]], [0]),
}
scores = [-3 + 6 * i / 300 for i in range(301)]
fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 4))
for (name, loss), style in zip(losses.items(), ["-", "-", "-", "--"]):
    left.plot(scores, [loss(Value(s)).data for s in scores], style, label=name)
    right.plot(scores, [grad(loss)(s) for s in scores], style, label=name)
left.set(title="loss of one positive example", xlabel="score s", ylim=(-0.2, 5))
right.set(title="dL/ds, by the engine", xlabel="score s", ylim=(-4.5, 4.5))
left.axvline(0, color="black", linewidth=0.5)
right.axhline(0, color="black", linewidth=0.5)
fig.legend(*left.get_legend_handles_labels(), loc="lower center", ncol=4, fontsize=9)
fig.tight_layout(rect=(0, 0.08, 1, 1))

# %% [markdown]
# Reading the right-hand plot (gradient descent moves the score *against* the gradient):
#
# - **mse** keeps pulling the score to exactly 1, and *punishes a score that is too right* ($s > 1$
#   gives a positive gradient, pushing it back down). Fine for regression, odd for classification.
# - **hinge** has a constant pull of 1 until the score reaches the margin $s = 1$, then none at all:
#   examples that are right by a margin stop influencing the model.
# - **binary cross-entropy** pulls hard when the score is badly wrong (its gradient tends to $-1$)
#   and ever more gently as it gets right, but never quite stops.
# - **cross-entropy** with two logits lies exactly on top of binary cross-entropy.

# %%
for s in (-2.0, 0.0, 3.0):
    b = nn.binary_cross_entropy([Value(s)], [1]).data
    c = nn.cross_entropy([[Value(s), Value(0.0)]], [0]).data
    print(f"s = {s:+.1f}: binary cross-entropy {b:.12f}, cross-entropy {c:.12f}")

# %% [markdown]
# ## Cross-entropy's gradient is "probabilities minus the answer"
#
# For $K$ classes, $L = -\log \text{softmax}(z)_y$, and its gradient with respect to the logits is
# $\text{softmax}(z) - \text{onehot}(y)$: the predicted probabilities, minus 1 at the right class.
# The engine gets there by differentiating `exp`, `log` and sums; the formula is only a check.

# %%
logits = [Value(2.0, label="cat"), Value(0.5, label="dog"), Value(-1.0, label="bird")]
loss = nn.cross_entropy([logits], [1])  # the right answer is "dog"
loss.backward()
total = sum(ag.exp(z.data) for z in logits)
for k, z in enumerate(logits):
    p = ag.exp(z.data) / total
    print(f"{z.label:>4}: probability {p:.4f}   dL/dz {z.grad:+.4f}   p - onehot {p - (k == 1):+.4f}")

# %% [markdown]
# ## Why sigmoid + mse learns slowly and sigmoid + cross-entropy does not
#
# A network that outputs a probability $p = \sigma(s)$ could be trained with mse on $p$ or with
# binary cross-entropy on $s$. Compare the gradient that reaches the score $s$ when the answer is 1
# and the model is confidently wrong ($s$ very negative): mse's gradient is multiplied by
# $\sigma'(s) \approx 0$ and vanishes, while cross-entropy's stays near $-1$ exactly when a strong
# correction is needed.


# %%
def mse_on_probability(s):
    return nn.mse([ag.sigmoid(s)], [1.0])


def cross_entropy_on_score(s):
    return nn.binary_cross_entropy([s], [1])


wide = [-8 + 12 * i / 300 for i in range(301)]
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(wide, [grad(mse_on_probability)(s) for s in wide], label="mse(sigmoid(s), 1)")
ax.plot(wide, [grad(cross_entropy_on_score)(s) for s in wide], label="binary_cross_entropy(s, 1)")
ax.set(
    xlabel="score s (confidently wrong on the left)",
    ylabel="dL/ds",
    title="gradient reaching the score, answer = 1",
)
ax.legend()
plt.show()

# %%
for s in (-8.0, -4.0, 0.0):
    print(
        f"s = {s:+.0f}: mse on sigmoid {grad(mse_on_probability)(s):+.5f},"
        f"   binary cross-entropy {grad(cross_entropy_on_score)(s):+.5f}"
    )

# %% [markdown]
# ## Stable at the extremes
#
# Written naively, $-\log \sigma(s)$ breaks for large $|s|$: $\sigma(-1000)$ rounds to 0 and
# $\log 0 = -\infty$. `nn.binary_cross_entropy` is written with `softplus`, and `nn.cross_entropy`
# shifts its log-sum-exp by the largest logit, so both give finite losses and gradients at $\pm 1000$:

# %%
naive = -ag.log(ag.sigmoid(Value(-1000.0)))
print("naive -log(sigmoid(-1000)):", naive.data)
s = Value(-1000.0)
stable = nn.binary_cross_entropy([s], [1])
stable.backward()
print("binary_cross_entropy at -1000:", stable.data, " dL/ds:", s.grad)
print(
    "cross_entropy, logits (1000, -1000), class 1:",
    nn.cross_entropy([[Value(1000.0), Value(-1000.0)]], [1]).data,
)

# %% [markdown]
# ## Exercises
#
# Each exercise has a cell to fill in (replace every `...`) followed by a checker cell that says
# *not yet*, *right*, or what is wrong and why. The answers are in `notebooks/solutions/`.
#
# **Exercise 8.1.** Write the derivative of the sigmoid as a formula in $\sigma(z)$ itself
# (`ag.sigmoid` works on numbers). The checker compares it with `backward()` over the grid.


# %%
def sigmoid_slope(z):
    return ...


# %% [solution]
def sigmoid_slope(z):
    return ag.sigmoid(z) * (1 - ag.sigmoid(z))


# %%
def test_sigmoid_slope():
    for z in zs[::20]:
        slope = value_and_slope(ag.sigmoid, z)[1]
        with without_the_engine():
            yours = sigmoid_slope(z)
        close(
            f"sigmoid'({z:.2f})",
            yours,
            slope,
            hint=(
                "differentiate 1 / (1 + exp(-z)) and write the result with sigmoid(z)",
                "exp(-z) / (1 + exp(-z))^2: split it into a product of two fractions",
            ),
        )


check("Exercise 8.1", test_sigmoid_slope)

# %% [markdown]
# **Exercise 8.2.** A new activation, *softsign*: $f(x) = \dfrac{x}{1 + |x|}$. Write the rule of
# this operation, its local derivative $f'(x)$ as a formula (for $x \ne 0$ the quotient rule with
# $\frac{d|x|}{dx} = \text{sign}(x)$ simplifies nicely; it holds at 0 too). The checker builds
# softsign from `Value` operations, checks that graph with `gradcheck`, and compares your rule with
# its `backward()`.


# %%
def softsign_rule(x):
    return ...


# %% [solution]
def softsign_rule(x):
    return 1 / (1 + abs(x)) ** 2


# %%
def softsign(x):
    return x / (1 + ag.absolute(x))


def test_softsign_rule():
    assert ag.gradcheck(softsign, [0.7]) and ag.gradcheck(softsign, [-2.5])  # the engine's side is right
    for x in (-4.0, -1.0, -0.2, 0.0, 0.5, 3.0):
        slope = grad(softsign)(x)
        with without_the_engine():
            yours = softsign_rule(x)
        close(
            f"softsign'({x})",
            yours,
            slope,
            hint=(
                "the quotient rule: (u/v)' = (u' v - u v') / v^2, with u = x and v = 1 + |x|",
                "(1 + |x| - x sign(x)) / (1 + |x|)^2, and x sign(x) = |x|",
            ),
        )


check("Exercise 8.2", test_softsign_rule)

# %% [markdown]
# **Exercise 8.3.** Write the gradient of the cross-entropy loss of one example with respect to
# its logits (a list of numbers), as a list: one entry per class. The section above says what it
# is; the checker compares with `backward()` through `nn.cross_entropy`.


# %%
def cross_entropy_gradient(logits, label):
    return ...


# %% [solution]
def cross_entropy_gradient(logits, label):
    total = sum(ag.exp(z) for z in logits)
    return [ag.exp(z) / total - (k == label) for k, z in enumerate(logits)]  # softmax - onehot


# %%
def test_cross_entropy_gradient():
    for numbers, label in (([2.0, 0.5, -1.0], 1), ([0.0, 0.0], 0), ([-3.0, 1.0, 4.0, 0.5], 3)):
        logits = [Value(z) for z in numbers]
        nn.cross_entropy([logits], [label]).backward()
        with without_the_engine():
            mine = cross_entropy_gradient(numbers, label)
        answered(mine)
        if len(mine) != len(logits):
            raise Wrong(f"one entry per class: {len(logits)} entries, not {len(mine)}")
        for k, (given, z) in enumerate(zip(mine, logits)):
            close(
                f"dL/dz{k} for logits {numbers}, class {label}",
                given,
                z.grad,
                hint=(
                    "one entry per class, from the softmax probabilities",
                    "the softmax probability, minus 1 at the right class",
                ),
            )


check("Exercise 8.3", test_cross_entropy_gradient)

# %% [markdown]
# **Takeaways.** An activation's derivative decides how much gradient flows through a neuron (relu:
# all or nothing; tanh and sigmoid: little once saturated). A loss's derivative decides how hard each
# example pulls on the model: hinge ignores examples beyond the margin, cross-entropy pulls hardest on
# the confidently wrong ones, and pairing a sigmoid output with mse loses exactly those gradients.
# All of it came from `backward()`.
