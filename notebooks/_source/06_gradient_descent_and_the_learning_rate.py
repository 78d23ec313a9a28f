# %% [markdown]
# # 6. Gradient descent and the learning rate
#
# **Goal:** write the update rule $w \leftarrow w - \eta\,\dfrac{\partial L}{\partial w}$ out by hand,
# run it with the engine on a two-parameter loss, and *see* what the learning rate $\eta$ does: too
# small crawls, about right converges, too large diverges.
#
# Everything numeric comes from `autograd`; the loss below is ordinary Python arithmetic on `Value`s.

# %%
import random

import matplotlib.pyplot as plt

import autograd as ag
from autograd import Value

random.seed(0)  # nothing here is random, but every notebook starts the same way
plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 4), "axes.grid": True, "grid.alpha": 0.3})

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
        w1.grad = w2.grad = 0.0          # forget the previous step's gradients
        L = loss(w1, w2)                 # forward: builds a fresh graph
        path.append((w1.data, w2.data, L.data))
        L.backward()                     # fills w1.grad and w2.grad
        w1.data -= learning_rate * w1.grad   # w <- w - eta * dL/dw
        w2.data -= learning_rate * w2.grad
    path.append((w1.data, w2.data, loss(w1.data, w2.data)))
    return path


for w1_, w2_, L_ in descend((-4.0, 1.5), learning_rate=0.05, steps=5):
    print(f"w1 = {w1_:8.4f}   w2 = {w2_:8.4f}   L = {L_:8.4f}")

# %% [markdown]
# ## Three learning rates on the loss surface
#
# Contours are lines of equal loss; the gradient is always perpendicular to them, pointing uphill.
# Below, 30 steps from the same start with three learning rates:
#
# - $\eta = 0.02$: every step is safe but tiny; after 30 steps we are still far from the minimum.
# - $\eta = 0.15$: the steep direction overshoots a little (the path zig-zags across the valley), but
#   it settles quickly.
# - $\eta = 0.21$: along $w_2$ each step overshoots by more than it corrects; the zig-zag grows and
#   the loss explodes.

# %%
start, steps = (-4.0, 1.5), 30
rates = {"too small: 0.02": 0.02, "about right: 0.15": 0.15, "too large: 0.21": 0.21}
paths = {name: descend(start, eta, steps) for name, eta in rates.items()}

grid_w1 = [-5 + 10 * i / 120 for i in range(121)]
grid_w2 = [-2.5 + 5 * j / 120 for j in range(121)]
surface = [[loss(a, b) for a in grid_w1] for b in grid_w2]

fig, axes = plt.subplots(1, 3, figsize=(13, 4), sharey=True)
for ax, (name, path) in zip(axes, paths.items()):
    ax.contour(grid_w1, grid_w2, surface, levels=[0.5, 2, 5, 10, 20, 35, 50], cmap="viridis")
    xs = [p[0] for p in path if abs(p[1]) < 3]
    ys = [p[1] for p in path if abs(p[1]) < 3]
    ax.plot(xs, ys, "o-", color="crimson", markersize=3, linewidth=1)
    ax.plot([0], [0], "k*", markersize=10)
    ax.set(title=f"eta {name}", xlabel="w1", xlim=(-5, 5), ylim=(-2.5, 2.5))
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
# gradient descent whatever $\eta$ you choose. (Notebook 10 uses the curvature itself, with Newton's
# method.)
#
# Let the engine confirm the factors:

# %%
for eta in (0.02, 0.15, 0.21):
    path = descend(start, eta, 2)
    (a0, b0, _), (a1, b1, _) = path[0], path[1]
    print(f"eta = {eta}: w1 factor {a1 / a0:+.3f} (predicted {1 - eta:+.3f}),"
          f"  w2 factor {b1 / b0:+.3f} (predicted {1 - 10 * eta:+.3f})")

# %% [markdown]
# ## A learning-rate sweep
#
# The loss after 30 steps, for many learning rates. It falls as $\eta$ grows (bigger steps, more
# progress) until just below 0.2, where it shoots up: the best learning rate sits close to the edge
# of divergence. This is why a learning-rate search is usually done on a log scale, and why it pays to
# start small and increase.

# %%
etas = [0.005 * 1.08 ** k for k in range(52)]
final = [descend(start, eta, steps)[-1][2] for eta in etas]
fig, ax = plt.subplots()
ax.loglog(etas, final, ".-")
ax.axvline(0.2, color="grey", linestyle="--", label="2 / largest curvature")
ax.set(xlabel="learning rate eta", ylabel="loss after 30 steps", ylim=(1e-6, 1e6))
ax.legend()
plt.show()

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
# **Takeaways.** Gradient descent is `w.data -= learning_rate * w.grad` after a fresh `backward()`.
# The learning rate trades speed for stability; the steepest direction of the loss sets the limit
# ($\eta < 2/\text{curvature}$), and near that limit the path zig-zags. Optimizers such as momentum
# and Adam (in `nn.optim`) exist largely to cope with losses that are steep in some directions and
# flat in others.
