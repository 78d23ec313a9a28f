# %% [markdown]
# # 8. Training a classifier
#
# **Goal:** train a small network with `nn` to separate two interleaved half-moons, watch the loss
# fall and the decision boundary form, try a harder data set (two spirals), see what width, depth and
# the learning rate change, and save and load the trained model.
#
# Everything from notebooks 1 to 7 is at work here: `nn.fit` builds the loss graph for the batch,
# calls `backward()`, and lets an optimizer apply $w \leftarrow w - \eta\, \partial L/\partial w$.

# %%
import random
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.colors import ListedColormap

import nn

SEED = 0
random.seed(SEED)  # data sets, models and fit() take their own seeds too, so every run is the same
plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 4), "axes.grid": True, "grid.alpha": 0.3})
COLORS = ListedColormap(["#1f77b4", "#d62728"])

# %% [markdown]
# ## The data: two moons
#
# `nn.make_moons` gives 2-D points and 0/1 labels; no straight line separates the two classes, so a
# single neuron cannot do it, and a hidden layer has to bend the boundary.

# %%
X, y = nn.make_moons(n_samples=100, noise=0.1, seed=SEED)
labels = [2 * c - 1 for c in y]  # the hinge loss wants -1 / +1
fig, ax = plt.subplots(figsize=(5, 4))
ax.scatter([p[0] for p in X], [p[1] for p in X], c=y, cmap=COLORS, edgecolors="k", s=25)
ax.set(title="make_moons: 100 points, two classes", xlabel="x1", ylabel="x2")
plt.show()

# %% [markdown]
# ## A model, a loss, an optimizer
#
# micrograd's classic set-up: an MLP with two hidden relu layers of 16 and one linear output (the
# *score*: positive means class 1), the hinge loss from notebook 7 plus a little L2 penalty on the
# weights, and plain SGD whose learning rate decays linearly from 1.0 to 0.1. Each epoch is one
# full-batch step: the forward pass over all 100 points, one `backward()`, one update.

# %%
model = nn.MLP(2, [16, 16, 1], activation="relu", seed=SEED)
print(model)
epochs = 60
optimizer = nn.SGD(model.parameters(), learning_rate=nn.LinearDecay(1.0, 0.1, epochs))
history = nn.fit(model, X, labels, loss=nn.hinge, optimizer=optimizer, epochs=epochs, l2=1e-4,
                 progress=False)
print(f"after {epochs} steps: loss {history['loss'][-1]:.4f}, "
      f"training accuracy {history['accuracy'][-1]:.0%}")

# %% [markdown]
# The history holds one loss and one accuracy per epoch (measured on the way, before each update).

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.5))
left.plot(history["loss"])
left.set(title="loss (hinge + L2)", xlabel="step", yscale="log")
right.plot(history["accuracy"])
right.set(title="training accuracy", xlabel="step", ylim=(0.4, 1.02))
fig.tight_layout()

# %% [markdown]
# ## The decision boundary
#
# The model is a function of the plane, so we can colour the plane by its score. `nn.predict` (and
# `model.evaluate`) run the model on plain floats without building a graph: a few thousand
# evaluations take a fraction of a second. The boundary is the contour where the score is 0.

# %%
def plot_boundary(model, X, y, ax, title, steps=70, margin=0.5):
    x1s, x2s = [p[0] for p in X], [p[1] for p in X]
    lo1, hi1, lo2, hi2 = min(x1s) - margin, max(x1s) + margin, min(x2s) - margin, max(x2s) + margin
    g1 = [lo1 + (hi1 - lo1) * i / (steps - 1) for i in range(steps)]
    g2 = [lo2 + (hi2 - lo2) * j / (steps - 1) for j in range(steps)]
    scores = nn.predict(model, [[a, b] for b in g2 for a in g1])
    grid = [scores[j * steps:(j + 1) * steps] for j in range(steps)]
    ax.contourf(g1, g2, [[1.0 if s > 0 else 0.0 for s in row] for row in grid], levels=[-0.5, 0.5, 1.5],
                cmap=COLORS, alpha=0.25)
    ax.contour(g1, g2, grid, levels=[0.0], colors="k", linewidths=1)
    ax.scatter(x1s, x2s, c=y, cmap=COLORS, edgecolors="k", s=18)
    ax.set(title=title, xticks=[], yticks=[])
    ax.grid(False)


fig, ax = plt.subplots(figsize=(5, 4))
plot_boundary(model, X, y, ax, f"MLP(2, [16, 16, 1]), accuracy {history['accuracy'][-1]:.0%}")

# %% [markdown]
# ## A harder data set: two spirals
#
# Two arms winding around each other need a much more curved boundary. Here we use tanh units (smooth
# boundaries), binary cross-entropy on 0/1 labels, and Adam, which adapts a step size per parameter
# and copes better with such a loss than plain SGD.

# %%
Xs, ys = nn.make_spirals(n_samples=100, noise=0.05, seed=SEED)
spiral_model = nn.MLP(2, [16, 16, 1], activation="tanh", seed=SEED)
spiral_history = nn.fit(spiral_model, Xs, ys, loss=nn.binary_cross_entropy,
                        optimizer=nn.Adam(spiral_model.parameters(), learning_rate=0.02), epochs=130,
                        progress=False)
spiral_accuracy = spiral_history["accuracy"][-1]
print(f"spirals: loss {spiral_history['loss'][-1]:.4f}, training accuracy {spiral_accuracy:.0%}")

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
left.plot(spiral_history["loss"])
left.set(title="spirals: binary cross-entropy", xlabel="step", yscale="log")
plot_boundary(spiral_model, Xs, ys, right, f"spirals, accuracy {spiral_accuracy:.0%}", margin=0.3)
fig.tight_layout()

# %% [markdown]
# ## Width and depth
#
# Same moons (fewer points, to keep this quick), same training, different shapes. One hidden layer
# of 2 units can only bend the boundary a little; more units or a second layer give it the freedom
# to follow the moons. Capacity is not free: bigger models cost more per step and, with little data,
# can follow the noise instead of the pattern.

# %%
X_small, y_small = nn.make_moons(n_samples=60, noise=0.1, seed=SEED + 1)
labels_small = [2 * c - 1 for c in y_small]
shapes = [[2, 1], [8, 1], [8, 8, 1]]
fig, axes = plt.subplots(1, len(shapes), figsize=(12, 3.6))
for ax, sizes in zip(axes, shapes):
    candidate = nn.MLP(2, sizes, activation="relu", seed=SEED)
    run = nn.fit(candidate, X_small, labels_small, loss=nn.hinge, epochs=50, l2=1e-4, progress=False,
                 optimizer=nn.SGD(candidate.parameters(), learning_rate=nn.LinearDecay(1.0, 0.1, 50)))
    plot_boundary(candidate, X_small, y_small, ax,
                  f"MLP(2, {sizes}): {candidate.num_parameters()} parameters, {run['accuracy'][-1]:.0%}")
fig.tight_layout()

# %% [markdown]
# ## The learning rate
#
# Notebook 6 showed the learning rate on a bowl; here it is on a network. With the same model and
# data, a small rate learns slowly, a good one quickly; a rate that is too large makes the loss jump
# around or blow up. Relu networks often "die" instead: at 5.0 below, after a few wild steps the loss
# sits at exactly 1, the hinge loss of a score of 0 for every point: the relus have all switched off,
# no gradient flows, and nothing will ever change again.

# %%
fig, ax = plt.subplots(figsize=(7, 4))
for learning_rate in (0.01, 0.3, 5.0):
    candidate = nn.MLP(2, [8, 8, 1], activation="relu", seed=SEED)
    run = nn.fit(candidate, X_small, labels_small, loss=nn.hinge, epochs=50, progress=False,
                 optimizer=nn.SGD(candidate.parameters(), learning_rate=learning_rate))
    ax.plot(run["loss"], label=f"learning rate {learning_rate}: final accuracy {run['accuracy'][-1]:.0%}")
ax.set(title="hinge loss on 60 moons, MLP(2, [8, 8, 1])", xlabel="step", yscale="log")
ax.legend()
plt.show()

# %% [markdown]
# ## Saving and loading
#
# `model.save(path)` writes the architecture and every parameter to a JSON file; `nn.load_model(path)`
# rebuilds the model from it (and `model.load(path)` fills an existing model of the same shape).
# A reloaded model gives exactly the same scores. We write to a temporary directory, which is removed
# afterwards.

# %%
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "moons.json"
    model.save(path)
    print(f"{path.name}: {path.stat().st_size} bytes, starting with {path.read_text()[:45]!r}...")
    restored = nn.load_model(path)

print(restored)
same = nn.predict(restored, X) == nn.predict(model, X)
print("same scores on all 100 points:", same)
print("accuracy of the reloaded model:", nn.accuracy(nn.predict(restored, X), labels))

# %% [markdown]
# **Takeaways.** Training is the loop from notebook 6 at scale: forward over a batch, a loss,
# `backward()`, an optimizer step. The loss curve tells you whether learning works; the decision
# boundary shows what was learnt. Width and depth set how curved a boundary the model can draw, the
# learning rate how fast (or whether) it gets there, and a saved model reloads bit for bit.
