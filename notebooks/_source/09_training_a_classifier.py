# %% [markdown]
# # 9. Training a classifier
#
# **Goal:** train a small network with `nn` to separate two interleaved half-moons, watch the loss
# fall and the decision boundary form, try a harder data set (two spirals), see what width, depth and
# the learning rate change, and save and load the trained model.
#
# Everything from notebooks 1 to 8 is at work here: `nn.fit` builds the loss graph for the batch,
# calls `backward()`, and lets an optimizer apply $w \leftarrow w - \eta\, \partial L/\partial w$.

# %%
import random
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.colors import ListedColormap

import nn
from autograd import Value

SEED = 0
random.seed(SEED)  # data sets, models and fit() take their own seeds too, so every run is the same
plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 4), "axes.grid": True, "grid.alpha": 0.3})
COLORS = ListedColormap(["#1f77b4", "#d62728"])

# %% [checking]

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
# *score*: positive means class 1), the hinge loss from notebook 8 plus a little L2 penalty on the
# weights, and plain SGD whose learning rate decays linearly from 1.0 to 0.1. Each epoch is one
# full-batch step: the forward pass over all 100 points, one `backward()`, one update.

# %%
model = nn.MLP(2, [16, 16, 1], activation="relu", seed=SEED)
print(model)
epochs = 60
optimizer = nn.SGD(model.parameters(), lr=nn.LinearDecay(1.0, 0.1, epochs))
history = nn.fit(model, X, labels, loss=nn.hinge, optimizer=optimizer, epochs=epochs, l2=1e-4, progress=False)
print(
    f"after {epochs} steps: loss {history['loss'][-1]:.4f}, training accuracy {history['accuracy'][-1]:.0%}"
)

# %% [markdown]
# **The L2 penalty.** `l2=1e-4` adds $\lambda \sum_p p^2$ to the loss, with $\lambda = 10^{-4}$ and
# the sum over every parameter (`1e-4 * nn.l2(model.parameters())`, as micrograd's demo does). Its
# gradient is $2\lambda p$, so every step also pulls each parameter towards 0 by
# $\eta \cdot 2\lambda p$: a parameter the data does not need decays away, which is why the penalty
# is also called *weight decay*. Smaller weights give a smoother boundary, and notebook 10 shows why
# that matters on new data. The engine agrees that the penalty adds exactly $2\lambda p$ to each
# gradient:


# %%
def gradients_of(objective):
    model.zero_grad()
    objective.backward()
    return [p.grad for p in model.parameters()]


scores = [model(point)[0] for point in X]
plain = gradients_of(nn.hinge(scores, labels))
penalised = gradients_of(nn.hinge(scores, labels) + 1e-4 * nn.l2(model.parameters()))
largest = max(abs(g - (f + 2e-4 * p.data)) for g, f, p in zip(penalised, plain, model.parameters()))
print(f"largest |penalised gradient - (plain gradient + 2e-4 p)| over {len(plain)} parameters: {largest:.1e}")
assert largest < 1e-15

# %% [markdown]
# The history holds one loss and one accuracy per epoch (measured on the way, before each update).

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 3.5))
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
    grid = [scores[j * steps : (j + 1) * steps] for j in range(steps)]
    ax.contourf(
        g1,
        g2,
        [[1.0 if s > 0 else 0.0 for s in row] for row in grid],
        levels=[-0.5, 0.5, 1.5],
        cmap=COLORS,
        alpha=0.25,
    )
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
# boundaries), binary cross-entropy on 0/1 labels, and a better optimizer than plain SGD: Adam.
#
# ### Momentum and Adam
#
# Notebook 7 showed plain gradient descent's weakness: on a loss that is steep in one direction and
# flat in another, the learning rate must suit the steep direction, and the flat one crawls. Two
# fixes, each a few lines of arithmetic per parameter $p$ with gradient $g$ (`nn.optim` has both):
#
# - **Momentum** (`nn.SGD(..., momentum=0.9)`) keeps a running sum of past gradients,
#   $b \leftarrow \mu b + g$, and steps along it, $p \leftarrow p - \eta\, b$. Where the gradient
#   keeps its sign (the flat valley floor) the steps grow, up to $1/(1 - \mu) = 10$ times; where it
#   flips sign from step to step (across the steep direction) the contributions cancel.
# - **Adam** keeps two running averages, of the gradient and of its square,
#   $m \leftarrow \beta_1 m + (1 - \beta_1)\, g$ and $v \leftarrow \beta_2 v + (1 - \beta_2)\, g^2$
#   ($\beta_1 = 0.9$, $\beta_2 = 0.999$), corrects them for starting at 0 after $t$ steps,
#   $\hat m = m / (1 - \beta_1^t)$ and $\hat v = v / (1 - \beta_2^t)$, and steps by
#   $p \leftarrow p - \eta\, \hat m / (\sqrt{\hat v} + \varepsilon)$. Dividing by the gradient's typical
#   size gives every parameter a step of about $\eta$, steep direction or flat: a learning rate per
#   parameter.
#
# Here are the three on notebook 7's bowl stretched ten times further, $\tfrac12(w_1^2 + 100\, w_2^2)$,
# from the same start. Plain SGD must keep its learning rate below $2/100$ (notebook 7's limit) and
# gets 0.019; the others get rates that suit them:


# %%
def descend_with(make_optimizer, steps=60):
    """The loss along `steps` steps of an nn optimizer on the stretched bowl, from (-4, 1.5)."""
    w1, w2 = Value(-4.0), Value(1.5)
    optimizer, losses = make_optimizer([w1, w2]), []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = 0.5 * (w1 * w1 + 100 * w2 * w2)
        losses.append(loss.data)
        loss.backward()
        optimizer.step()
    return losses


optimizers = {
    "SGD, lr 0.019": lambda ps: nn.SGD(ps, lr=0.019),
    "SGD with momentum 0.7, lr 0.03": lambda ps: nn.SGD(ps, lr=0.03, momentum=0.7),
    "Adam, lr 0.5": lambda ps: nn.Adam(ps, lr=0.5),
}
bowl = {name: descend_with(make) for name, make in optimizers.items()}
fig, ax = plt.subplots(figsize=(7, 4))
for name, losses in bowl.items():
    ax.semilogy(losses, label=f"{name}: {losses[-1]:.1e} after 60 steps")
ax.set(title="1/2 (w1^2 + 100 w2^2)", xlabel="step", ylabel="loss", ylim=(1e-8, 1e5))
ax.legend(loc="upper right", fontsize=9)
plt.show()
assert bowl["SGD, lr 0.019"][-1] > 10 * max(losses[-1] for losses in list(bowl.values())[1:])  # the prose

# %% [markdown]
# Plain SGD is held back by the flat direction; momentum and Adam both get much further in the same
# number of steps (the legend gives each final loss). On a network's loss, with thousands of
# directions of very different steepness, Adam's per-parameter steps are what make the spirals
# learnable in a few hundred steps:

# %%
Xs, ys = nn.make_spirals(n_samples=100, noise=0.05, seed=SEED)
spiral_model = nn.MLP(2, [16, 16, 1], activation="tanh", seed=SEED)
spiral_history = nn.fit(
    spiral_model,
    Xs,
    ys,
    loss=nn.binary_cross_entropy,
    optimizer=nn.Adam(spiral_model.parameters(), lr=0.02),
    epochs=130,
    progress=False,
)
spiral_accuracy = spiral_history["accuracy"][-1]
print(f"spirals: loss {spiral_history['loss'][-1]:.4f}, training accuracy {spiral_accuracy:.0%}")

fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 4))
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
fig, axes = plt.subplots(1, len(shapes), figsize=(10.5, 3.4))
for ax, sizes in zip(axes, shapes):
    candidate = nn.MLP(2, sizes, activation="relu", seed=SEED)
    run = nn.fit(
        candidate,
        X_small,
        labels_small,
        loss=nn.hinge,
        epochs=50,
        l2=1e-4,
        progress=False,
        optimizer=nn.SGD(candidate.parameters(), lr=nn.LinearDecay(1.0, 0.1, 50)),
    )
    plot_boundary(
        candidate,
        X_small,
        y_small,
        ax,
        f"MLP(2, {sizes}): {candidate.num_parameters()} parameters, {run['accuracy'][-1]:.0%}",
    )
fig.tight_layout()

# %% [markdown]
# ## The learning rate
#
# Notebook 7 showed the learning rate on a bowl; here it is on a network. With the same model and
# data, a small rate learns slowly, a good one quickly; a rate that is too large makes the loss jump
# around or blow up. A relu network can also "die", and the run at 5.0 below does: after a few wild
# steps its loss hovers near 1, jumps once more, and then stays flat for good.

# %%
runs, trained_at = {}, {}
fig, ax = plt.subplots(figsize=(7, 4))
for learning_rate in (0.01, 0.3, 5.0):
    candidate = nn.MLP(2, [8, 8, 1], activation="relu", seed=SEED)
    run = nn.fit(
        candidate,
        X_small,
        labels_small,
        loss=nn.hinge,
        epochs=50,
        progress=False,
        optimizer=nn.SGD(candidate.parameters(), lr=learning_rate),
    )
    runs[learning_rate], trained_at[learning_rate] = run, candidate
    ax.plot(run["loss"], label=f"learning rate {learning_rate}: final accuracy {run['accuracy'][-1]:.0%}")
ax.set(title="hinge loss on 60 moons, MLP(2, [8, 8, 1])", xlabel="step", yscale="log")
ax.legend()
plt.show()

# %% [markdown]
# What happened at 5.0? Take the trained network apart: its loss along the way, its final scores,
# and, layer by layer, how many relus are off (output 0) for every one of the 60 points.

# %%
wild, wild_loss = trained_at[5.0], runs[5.0]["loss"]
scores = nn.predict(wild, X_small)
output_bias = wild.layers[-1].neurons[0].bias.data
layer_inputs, switched_off = [list(x) for x in X_small], []
for layer in wild.layers[:-1]:
    outputs = [layer.evaluate(row) for row in layer_inputs]
    switched_off.append(sum(all(row[i] == 0.0 for row in outputs) for i in range(len(layer.neurons))))
    layer_inputs = outputs
jump = max(range(10, len(wild_loss)), key=wild_loss.__getitem__)
settled = next(k for k in range(jump + 1, len(wild_loss)) if all(abs(v - 1) < 1e-12 for v in wild_loss[k:]))
positives = sum(1 for label in labels_small if label > 0)
print("loss, first 6 steps:", [round(v, 3) for v in wild_loss[:6]])
print(
    f"largest loss after step 10: {wild_loss[jump]:.3f} at step {jump}; then",
    [round(v, 6) for v in wild_loss[jump + 1 : settled]],
)
print(
    f"from step {settled} to the last, step {len(wild_loss) - 1}: every loss is 1 up to rounding, "
    f"between {min(wild_loss[settled:])!r} and {max(wild_loss[settled:])!r}"
)
print(f"final scores: {sorted(set(scores))} for all 60 points; the output neuron's bias: {output_bias}")
print(
    f"relus off for every point: {switched_off[0]} of 8 in the first hidden layer, "
    f"{switched_off[1]} of 8 in the second"
)
print(
    f"labels: {positives} of +1 and {len(labels_small) - positives} of -1; "
    f"final accuracy {runs[5.0]['accuracy'][-1]:.0%}"
)
# what the prose below says
assert all(score == output_bias for score in scores) and switched_off[1] == 8
assert len(wild_loss) - settled >= 10 and 2 * positives == len(labels_small) == 60

# %% [markdown]
# The big steps switched off every relu of the second hidden layer for every point. From then on
# the output neuron sees only zeros, so the network's score is its bias alone: one number for every
# point (printed above). After the jump the loss creeps back to 1 within a few steps and then stays
# there, to the last digit, and here is why it can never move again.
# With the same score $s$ for everyone, $-1 < s < 1$, the hinge loss is $1 - s$ on each of the 30
# positive points and $1 + s$ on each of the 30 negative ones: the mean is exactly 1 whatever $s$.
# The gradient reaching the bias is the mean of $-y$, which is 0 with as many of each, and the
# relus that are off pass no gradient to anything below them. No parameter receives a gradient, so
# no step changes anything: the network answers +1 for every point, right for half of them.

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
# ## Exercises
#
# Each exercise has a cell to fill in (replace every `...`) followed by a checker cell that says
# *not yet*, *right*, or what is wrong and why. The answers are in `notebooks/solutions/`.
#
# **Exercise 9.1.** The run at learning rate 5.0 ended with the same score $s$, the output bias, for
# every point, and for $-1 < s < 1$ its mean hinge loss is 1. Write the mean hinge loss of such a
# constant model on the 60 moons (labels `labels_small`) as a function of $s$, for **every** $s$,
# from the labels and the hinge formula $\max(0, 1 - y s)$ (not with `nn.hinge`: the checker
# compares with it).


# %%
def constant_score_loss(s):
    return ...


# %% [solution]
def constant_score_loss(s):
    return sum(max(0.0, 1 - label * s) for label in labels_small) / len(labels_small)


# %%
def test_constant_score_loss():
    for s in (-3.0, -1.0, -0.4, 0.0, 0.917, 1.0, 2.5):
        expected = nn.hinge([s] * len(labels_small), labels_small).data
        with without_the_engine():
            yours = constant_score_loss(s)
        close(
            f"the mean hinge loss at s = {s}",
            yours,
            expected,
            hint=(
                "outside -1 < s < 1 one of the two classes has no loss left",
                "the mean over the points of max(0, 1 - y s)",
            ),
        )


check("Exercise 9.1", test_constant_score_loss)

# %% [markdown]
# **Exercise 9.2.** Write the training loop that `nn.fit` runs, by hand: for each epoch, the
# outputs for all of `X`, the loss `nn.hinge(outputs, labels)`, zeroed gradients, `backward()`, and
# `p.data -= learning_rate * p.grad` for every parameter. Return the list of the losses, one per
# epoch (before each update). The checker trains two copies of a model, yours and `nn.fit` with
# `nn.SGD`, and compares the losses and the parameters.


# %%
def train_by_hand(model, X, labels, learning_rate, epochs):
    losses = []
    ...
    return losses


# %% [solution]
def train_by_hand(model, X, labels, learning_rate, epochs):
    losses = []
    for _ in range(epochs):
        objective = nn.hinge([model(x) for x in X], labels)
        losses.append(objective.data)
        model.zero_grad()
        objective.backward()
        for p in model.parameters():
            p.data -= learning_rate * p.grad
    return losses


# %%
def test_train_by_hand():
    mine, theirs = (nn.MLP(2, [8, 1], activation="relu", seed=SEED) for _ in range(2))
    my_losses = train_by_hand(mine, X_small, labels_small, 0.1, 5)
    fit_losses = nn.fit(
        theirs,
        X_small,
        labels_small,
        loss=nn.hinge,
        epochs=5,
        progress=False,
        optimizer=nn.SGD(theirs.parameters(), lr=0.1),
    )["loss"]
    if not my_losses:
        raise NotYet("train_by_hand returned no losses yet")
    if len(my_losses) != 5:
        raise Wrong(f"5 epochs give 5 losses, you returned {len(my_losses)}")
    for epoch, (given, expected) in enumerate(zip(my_losses, fit_losses)):
        close(
            f"the loss of epoch {epoch}",
            given,
            expected,
            rel_tol=1e-12,
            hint="record the loss before the update, and zero the gradients before backward()",
        )
    for (name, p), q in zip(mine.named_parameters(), theirs.parameters()):
        close(f"parameter {name} after training", p.data, q.data, rel_tol=1e-12)


check("Exercise 9.2", test_train_by_hand)

# %% [markdown]
# **Exercise 9.3.** Count the *dead* neurons of a relu network: hidden neurons whose weighted sum
# is $\le 0$ for every example, so they output 0 everywhere and pass no gradient back. `evaluate`
# runs a layer or a neuron on plain numbers (`layer.evaluate(inputs)` gives the layer's outputs,
# which are the next layer's inputs). The checker tries your function on the network trained at
# learning rate 5.0 and on the one trained at 0.3.


# %%
def dead_neurons(model, X):
    return ...


# %% [solution]
def dead_neurons(model, X):
    count, inputs = 0, [list(x) for x in X]
    for layer in model.layers[:-1]:  # the hidden layers
        outputs = [layer.evaluate(row) for row in inputs]
        count += sum(all(row[i] == 0.0 for row in outputs) for i in range(len(layer.neurons)))
        inputs = outputs
    return count


# %%
def test_dead_neurons():
    for learning_rate, model_ in trained_at.items():
        expected = 0
        inputs = [list(x) for x in X_small]
        for layer in model_.layers[:-1]:
            for neuron in layer.neurons:  # a relu outputs 0 exactly when its weighted sum is <= 0
                expected += all(neuron.evaluate(row) == 0.0 for row in inputs)
            inputs = [layer.evaluate(row) for row in inputs]
        close(
            f"dead neurons after training at {learning_rate}",
            dead_neurons(model_, X_small),
            expected,
            hint="a hidden neuron is dead if it outputs 0 for every example; go layer by layer",
        )


check("Exercise 9.3", test_dead_neurons)

# %% [markdown]
# **Exercise 9.4.** Write Adam's update for one parameter by hand: from the parameter `p`, its
# gradient `g`, the running averages `m` and `v` and the step number `t` (1 for the first step),
# return the new `p`, `m` and `v`, with the formulas above ($\beta_1 = 0.9$, $\beta_2 = 0.999$,
# $\varepsilon = 10^{-8}$). The checker runs `nn.Adam` on one parameter for five steps beside yours.


# %%
def adam_step(p, g, m, v, t, lr):
    return ..., ..., ...


# %% [solution]
def adam_step(p, g, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)  # corrected for starting at 0
    return p - lr * m_hat / (v_hat**0.5 + eps), m, v


# %%
def test_adam_step():
    weight = Value(1.5)
    optimizer = nn.Adam([weight], lr=0.1)
    mine, m, v = 1.5, 0.0, 0.0
    for t in range(1, 6):
        optimizer.zero_grad()
        (weight * weight * weight).backward()  # the gradient 3 p^2 changes from step to step
        optimizer.step()
        answered(adam_step(mine, 3 * mine**2, m, v, t, 0.1))
        mine, m, v = adam_step(mine, 3 * mine**2, m, v, t, 0.1)
        close(
            f"the parameter after step {t}",
            mine,
            weight.data,
            rel_tol=1e-12,
            hint=(
                "update m and v first, then correct both by 1 - beta^t before the step",
                "p - lr * m_hat / (sqrt(v_hat) + eps)",
            ),
        )


check("Exercise 9.4", test_adam_step)

# %% [markdown]
# **Takeaways.** Training is the loop from notebook 7 at scale: forward over a batch, a loss,
# `backward()`, an optimizer step; an L2 penalty adds $2\lambda p$ to each gradient, momentum and
# Adam reshape the step from the gradients' history. The loss curve tells you whether learning
# works; the decision boundary shows what was learnt. Width and depth set how curved a boundary the
# model can draw, the learning rate how fast (or whether) it gets there, and a saved model reloads
# bit for bit.
