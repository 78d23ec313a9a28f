# %% [markdown]
# # 7. Gradient descent and the learning rate
#
# **Goal:** write the update rule $w \leftarrow w - \eta\,\dfrac{\partial L}{\partial w}$ out by hand,
# run it with the engine on a two-parameter loss, and *see* what the learning rate $\eta$ does: too
# small crawls, about right converges, too large diverges.
#
# Everything numeric comes from `autograd`; the loss below is ordinary Python arithmetic on `Value`s.

# %%
import math
import random

import matplotlib.pyplot as plt

import autograd as ag
from autograd import Value

random.seed(0)  # nothing here is random, but every notebook starts the same way
plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 4), "axes.grid": True, "grid.alpha": 0.3})

# %% [checking]

# %% [markdown]
# ## A loss with two parameters
#
# A stretched bowl: $L(w_1, w_2) = \tfrac12\,(w_1^2 + 10\,w_2^2)$. Its minimum is at $(0, 0)$, and it is
# ten times steeper along $w_2$ than along $w_1$. Real losses are not bowls, but near a minimum
# they look like one, and a stretched bowl already shows every behaviour of the learning rate.
#
# The same function works on floats (for drawing contours) and on `Value`s (for gradients).


# %%
def loss(w1, w2):
    return 0.5 * (w1 * w1 + 10 * w2 * w2)


w1, w2 = Value(-4.0, label="w1"), Value(1.5, label="w2")
L = loss(w1, w2)
L.backward()
print(f"L = {L.data}, dL/dw1 = {w1.grad}, dL/dw2 = {w2.grad}")  # by hand: w1 and 10 * w2

# %% [markdown]
# ## The update rule, written out
#
# One step of gradient descent is four lines: zero the old gradients (they **accumulate** in a leaf,
# see notebook 2), build the loss, run `backward()`, and move each parameter a little against its
# gradient. Only `.data` is changed: the update itself is not something to differentiate.


# %%
def descend(start, learning_rate, steps):
    """The path of plain gradient descent on `loss` from `start`: a list of (w1, w2, L)."""
    w1, w2 = Value(start[0], label="w1"), Value(start[1], label="w2")
    path = []
    for _ in range(steps):
        w1.grad = w2.grad = 0.0  # forget the previous step's gradients
        L = loss(w1, w2)  # forward: builds a fresh graph
        path.append((w1.data, w2.data, L.data))
        L.backward()  # fills w1.grad and w2.grad
        w1.data -= learning_rate * w1.grad  # w <- w - eta * dL/dw
        w2.data -= learning_rate * w2.grad
    path.append((w1.data, w2.data, loss(w1.data, w2.data)))
    return path


for w1_, w2_, L_ in descend((-4.0, 1.5), learning_rate=0.05, steps=5):
    print(f"w1 = {w1_:8.4f}   w2 = {w2_:8.4f}   L = {L_:8.4f}")

# %% [markdown]
# ## Three learning rates on the loss surface
#
# Contours are lines of equal loss (labelled with their value); the gradient is always perpendicular
# to them, pointing uphill: the grey arrows are the gradient at a few points of the contour
# $L = 5$, shortened to one length but with their true directions (the axes have equal scales, so
# right angles look right). Descent goes against the arrows. Below, 30 steps from the same start
# with three learning rates:
#
# - $\eta = 0.02$: every step is safe but tiny; after 30 steps we are still far from the minimum.
# - $\eta = 0.15$: each step overshoots in the steep direction: $w_2$ changes sign at every step,
#   though each time it lands closer to 0 (the path zig-zags across the valley), and it settles
#   quickly.
# - $\eta = 0.21$: along $w_2$ each step overshoots by more than it corrects; the zig-zag grows and
#   the loss explodes.

# %%
start, steps = (-4.0, 1.5), 30
rates = {"too small: 0.02": 0.02, "about right: 0.15": 0.15, "too large: 0.21": 0.21}
paths = {name: descend(start, eta, steps) for name, eta in rates.items()}

grid_w1 = [-5 + 10 * i / 120 for i in range(121)]
grid_w2 = [-2.5 + 5 * j / 120 for j in range(121)]
surface = [[loss(a, b) for a in grid_w1] for b in grid_w2]

# the gradient at points of the contour L = 5 (w1^2 + 10 w2^2 = 10), scaled to length 0.5
gradient = ag.grad(loss, argnums=(0, 1))
on_contour = [(10**0.5 * math.cos(k * math.pi / 6), math.sin(k * math.pi / 6)) for k in range(12)]
arrows = []
for a, b in on_contour:
    g1, g2 = gradient(a, b)
    arrows.append((a, b, 0.5 * g1 / math.hypot(g1, g2), 0.5 * g2 / math.hypot(g1, g2)))

fig, axes = plt.subplots(1, 3, figsize=(10.5, 2.9), sharey=True)
for ax, (name, path) in zip(axes, paths.items()):
    contours = ax.contour(grid_w1, grid_w2, surface, levels=[0.5, 2, 5, 10, 20, 35], cmap="viridis")
    ax.clabel(contours, fontsize=8.5)
    ax.quiver(*zip(*arrows), angles="xy", scale_units="xy", scale=1, color="grey", width=0.004)
    xs = [p[0] for p in path if abs(p[1]) < 3]
    ys = [p[1] for p in path if abs(p[1]) < 3]
    ax.plot(xs, ys, "o-", color="crimson", markersize=3, linewidth=1)
    ax.plot([0], [0], "k*", markersize=10)
    ax.set(title=f"eta {name}", xlabel="w1", xlim=(-5, 5), ylim=(-2.5, 2.5))
    ax.set_aspect("equal")
axes[0].set_ylabel("w2")
fig.tight_layout()

# %% [markdown]
# The loss along each path tells the same story in one picture (log scale: a straight falling line
# means the error shrinks by a constant factor every step).

# %%
fig, ax = plt.subplots()
for name, path in paths.items():
    ax.semilogy([p[2] for p in path], label=f"eta {name}")
ax.set(xlabel="step", ylabel="loss", title="loss during gradient descent")
ax.legend()
plt.show()

# %% [markdown]
# ## Why 0.2 is the cliff
#
# For this bowl the gradient is $(w_1,\ 10\,w_2)$, so one step multiplies each coordinate by a fixed
# factor:
#
# $$w_1 \leftarrow (1 - \eta)\,w_1, \qquad w_2 \leftarrow (1 - 10\,\eta)\,w_2 .$$
#
# A coordinate shrinks only while its factor lies between $-1$ and $1$. The steep direction decides:
# $|1 - 10\eta| < 1$ means $\eta < 2/10 = 0.2$. In general the largest stable learning rate is
# $2 / \text{(largest curvature)}$, and the shallow directions then move at the rate
# $1 - \eta\cdot\text{(smallest curvature)}$: a stretched loss is slow to minimise with plain
# gradient descent whatever $\eta$ you choose. (Notebook 11 uses the curvature itself, with Newton's
# method.)
#
# Let the engine confirm the factors:

# %%
for eta in (0.02, 0.15, 0.21):
    path = descend(start, eta, 2)
    (a0, b0, _), (a1, b1, _) = path[0], path[1]
    print(
        f"eta = {eta}: w1 factor {a1 / a0:+.3f} (predicted {1 - eta:+.3f}),"
        f"  w2 factor {b1 / b0:+.3f} (predicted {1 - 10 * eta:+.3f})"
    )

# %% [markdown]
# At $\eta = 0.15$ the factor of $w_2$ is $-0.5$: each step flips its sign and halves it, the
# zig-zag of the middle picture. At $0.21$ it is $-1.1$: the zig-zag grows by a tenth per step.

# %% [markdown]
# ## A learning-rate sweep
#
# The loss after 30 steps, for many learning rates. It falls as $\eta$ grows (bigger steps, more
# progress) down to its lowest point, a little below $2/11 \approx 0.18$ (printed below), and past
# 0.2 it shoots up: the best learning rate sits close to the edge of divergence. Why near $2/11$?
# After many steps the slower of the two coordinates decides, and the factors $|1 - \eta|$
# (shrinking as $\eta$ grows) and $|1 - 10\eta|$ (growing, once $\eta > 0.1$) are equal at
# $1 - \eta = 10\eta - 1$, that is $\eta = 2/11$: the fastest rate in the long run. After only 30
# steps, the starting point still counts a little, which moves the best rate slightly. This is why
# a learning-rate search is usually done on a log scale, and why it pays to start small and
# increase.

# %%
etas = [0.005 * 1.08**k for k in range(52)] + [2 / 11]
etas.sort()
final = [descend(start, eta, steps)[-1][2] for eta in etas]
best_eta = etas[final.index(min(final))]
fig, ax = plt.subplots()
ax.loglog(etas, final, ".-")
ax.axvline(0.2, color="grey", linestyle="--", label="2 / largest curvature")
ax.axvline(2 / 11, color="tab:green", linestyle=":", label="2 / 11")
ax.set(xlabel="learning rate eta", ylabel="loss after 30 steps", ylim=(1e-6, 1e6))
ax.legend()
plt.show()
print(f"the lowest loss after 30 steps: {min(final):.1e}, at eta = {best_eta:.3f} (2/11 = {2 / 11:.3f})")
assert 0.15 < best_eta < 2 / 11 < 0.2  # what the prose above says

# %% [markdown]
# ## The same thing with the functional API
#
# `value_and_grad(f, argnums=...)` turns a plain function into one that returns the value and the
# gradient as floats, without touching any `.grad`. The loop gets shorter, and there is nothing to
# zero.

# %%
step = ag.value_and_grad(loss, argnums=(0, 1))
w = [-4.0, 1.5]
for _ in range(30):
    value, (g1, g2) = step(*w)
    w = [w[0] - 0.15 * g1, w[1] - 0.15 * g2]
print(f"after 30 steps: w = ({w[0]:.2e}, {w[1]:.2e}), loss {loss(*w):.2e}")
assert abs(w[0] - paths["about right: 0.15"][-1][0]) < 1e-12  # the same path as the loop above

# %% [markdown]
# ## Exercises
#
# Each exercise has a cell to fill in (replace every `...`) followed by a checker cell that says
# *not yet*, *right*, or what is wrong and why. The answers are in `notebooks/solutions/`.
#
# **Exercise 7.1.** Predict it before you run it: for the bowl $L = \tfrac12\,(w_1^2 + 25\,w_2^2)$,
# above which learning rate does gradient descent diverge? The checker runs the engine just below
# and just above your answer.

# %%
diverges_above = ...

# %% [solution]
diverges_above = 2 / 25  # the steep direction has curvature 25: |1 - 25 eta| < 1 means eta < 2/25


# %%
def steeper(w1, w2):
    return 0.5 * (w1 * w1 + 25 * w2 * w2)


def test_divergence():
    answered(diverges_above)
    step = ag.value_and_grad(steeper, argnums=(0, 1))
    for factor, should_grow in ((0.98, False), (1.02, True)):
        eta = factor * diverges_above
        w = [1.0, 1.0]
        for _ in range(300):
            _, (g1, g2) = step(*w)
            w = [w[0] - eta * g1, w[1] - eta * g2]
        if (steeper(*w) > steeper(1.0, 1.0)) != should_grow:
            verdict = "diverges" if should_grow is False else "still converges"
            raise Wrong(
                f"at eta = {eta:.4g} ({factor} x your answer) descent {verdict}: "
                "find the factor each step multiplies w2 by"
            )


check("Exercise 7.1", test_divergence)

# %% [markdown]
# **Exercise 7.2.** Write one step of gradient descent on `loss` (the first bowl) yourself: from
# the numbers `w1, w2`, return the new pair of numbers. Use `Value`s and `backward()`, or
# `ag.grad`; the checker compares with the `descend` function above.


# %%
def gradient_step(w1, w2, learning_rate):
    return ...


# %% [solution]
def gradient_step(w1, w2, learning_rate):
    v1, v2 = Value(w1), Value(w2)
    loss(v1, v2).backward()
    return w1 - learning_rate * v1.grad, w2 - learning_rate * v2.grad


# %%
def test_gradient_step():
    for point, eta in (((-4.0, 1.5), 0.05), ((2.0, -0.3), 0.15), ((0.5, 2.0), 0.21)):
        mine = gradient_step(*point, eta)
        answered(mine)
        expected = descend(point, eta, 1)[1]
        for name, given, wanted in zip(("w1", "w2"), mine, expected):
            close(
                f"the new {name} from {point} at eta {eta}",
                given,
                wanted,
                hint=("a step moves against the gradient, scaled by the learning rate", "w - eta * dL/dw"),
            )


check("Exercise 7.2", test_gradient_step)

# %% [markdown]
# **Exercise 7.3.** With $\eta = 0.15$ on the first bowl, each step multiplies $w_1$ by a fixed
# factor. After how many steps is $|w_1|$ first below 1% of where it started? Work it out with a
# logarithm (or a loop over numbers); the checker counts the steps of the engine's descent.

# %%
steps_to_one_percent = ...

# %% [solution]
steps_to_one_percent = math.ceil(math.log(0.01) / math.log(1 - 0.15))  # (1 - eta)^n < 0.01


# %%
def test_steps_to_one_percent():
    answered(steps_to_one_percent)
    path = descend(start, 0.15, 60)
    counted = next(k for k, (w1_, _, _) in enumerate(path) if abs(w1_) < 0.01 * abs(start[0]))
    close(
        "the number of steps",
        steps_to_one_percent,
        counted,
        hint=(
            "see 'Why 0.2 is the cliff': what does one step do to w1?",
            "w1 is multiplied by 1 - eta per step: solve (1 - eta)^n < 0.01",
        ),
    )


check("Exercise 7.3", test_steps_to_one_percent)

# %% [markdown]
# **Takeaways.** Gradient descent is `w.data -= learning_rate * w.grad` after a fresh `backward()`.
# The learning rate trades speed for stability; the steepest direction of the loss sets the limit
# ($\eta < 2/\text{curvature}$), and near that limit the path zig-zags. Optimizers such as momentum
# and Adam (in `nn.optim`) exist largely to cope with losses that are steep in some directions and
# flat in others.
