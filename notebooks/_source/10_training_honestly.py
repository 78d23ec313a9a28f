# %% [markdown]
# # 10. Training honestly: held-out data, mini-batches, initialisation
#
# **Goal:** measure a model honestly, on examples it never trained on, and see it *overfit*
# (better and better on its training set, worse on new data); compare mini-batch SGD with
# full-batch steps; and see why weights must not start all equal: identical neurons receive
# identical gradients, so training can never tell them apart.

# %%
import random

import matplotlib.pyplot as plt

import nn

SEED = 0
random.seed(SEED)  # data sets, models and fit() take their own seeds too, so every run is the same
plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 4), "axes.grid": True, "grid.alpha": 0.3})

# %% [checking]

# %% [markdown]
# ## A held-out set
#
# Accuracy on the training set says how well a model has *fitted* its examples, not how well it
# will do on new ones. So keep some examples apart, never train on them, and measure on them: a
# *held-out* (test) set. `make_moons` shuffles its points, so we take the first 20 for training
# and keep 100 for testing. Noisy moons and few training points make overfitting easy to see.
#
# One training run is one draw of the data and of the initial weights: a difference of a few
# percent between two numbers of one run can be luck. So we repeat the experiment with 5 seeds (5
# data sets, 5 initialisations) and draw the mean and the spread (the lowest and highest of the 5).
# Each run trains a network with 337 parameters on its 20 points for 200 epochs with Adam; before
# training and every 5 epochs a callback measures the hinge loss and the accuracy on both sets, the
# same way for both (with `nn.predict`, which builds no graph and changes nothing).

# %%
SEEDS, EPOCHS, EVERY = range(5), 200, 5
measured = {seed: {} for seed in SEEDS}  # seed -> "training loss", "held-out accuracy", ... -> a list


def train_and_measure(seed):
    X, y = nn.make_moons(n_samples=120, noise=0.3, seed=seed)
    labels = [2 * c - 1 for c in y]  # hinge labels
    parts = {"training": (X[:20], labels[:20]), "held-out": (X[20:], labels[20:])}
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=seed)
    curves = measured[seed]

    def measure(epoch, history):
        if (epoch + 1) % EVERY == 0:
            for part, (points, targets) in parts.items():
                scores = nn.predict(model, points)
                curves.setdefault(f"{part} loss", []).append(nn.hinge(scores, targets).data)
                curves.setdefault(f"{part} accuracy", []).append(nn.accuracy(scores, targets))

    measure(-1, None)  # before the first step: "epoch 0"
    nn.fit(
        model,
        *parts["training"],
        loss=nn.hinge,
        epochs=EPOCHS,
        progress=False,
        callback=measure,
        optimizer=nn.Adam(model.parameters(), lr=0.05),
    )


for seed in SEEDS:
    train_and_measure(seed)
epochs = list(range(0, EPOCHS + 1, EVERY))


def across_seeds(name):
    """The mean, lowest and highest over the seeds of a measured curve, at each checkpoint."""
    columns = list(zip(*(measured[seed][name] for seed in SEEDS)))
    return [sum(c) / len(c) for c in columns], [min(c) for c in columns], [max(c) for c in columns]


fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 3.8))
for ax, quantity in ((left, "accuracy"), (right, "loss")):
    for part, color in (("training", "tab:blue"), ("held-out", "tab:orange")):
        mean, low, high = across_seeds(f"{part} {quantity}")
        ax.plot(epochs, mean, color=color, label=f"{part} set, mean of 5 seeds")
        ax.fill_between(epochs, low, high, color=color, alpha=0.2, label=f"{part} set, lowest to highest")
    ax.set(xlabel="epoch", ylabel=f"hinge {quantity}" if quantity == "loss" else quantity)
left.set_title("accuracy: MLP(2, [16, 16, 1]) on 20 noisy moons")
right.set_title("hinge loss, same runs")
left.legend(loc="lower right", fontsize=9)
fig.tight_layout()

# %%
for seed in SEEDS:
    held_out = measured[seed]
    lowest = min(held_out["held-out loss"])
    print(
        f"seed {seed}: training accuracy {held_out['training accuracy'][-1]:.0%}; held-out loss at its "
        f"lowest {lowest:.2f} (epoch {epochs[held_out['held-out loss'].index(lowest)]}), at the end "
        f"{held_out['held-out loss'][-1]:.2f}; held-out accuracy at best "
        f"{max(held_out['held-out accuracy']):.0%}, at the end {held_out['held-out accuracy'][-1]:.0%}"
    )
rises = [measured[seed]["held-out loss"][-1] / min(measured[seed]["held-out loss"]) for seed in SEEDS]
print(f"the held-out loss ends {min(rises):.1f} to {max(rises):.1f} times its lowest value")
mean_accuracy, low_accuracy, high_accuracy = across_seeds("held-out accuracy")
peak = mean_accuracy.index(max(mean_accuracy))
print(
    f"mean held-out accuracy: {mean_accuracy[0]:.0%} before training, at most {max(mean_accuracy):.1%} "
    f"(epoch {epochs[peak]}), {mean_accuracy[-1]:.1%} at the end; the 5 runs end between "
    f"{low_accuracy[-1]:.0%} and {high_accuracy[-1]:.0%}"
)
assert min(rises) > 1.5 and all(measured[seed]["training accuracy"][-1] == 1.0 for seed in SEEDS)  # the prose
lowest_at = [measured[seed]["held-out loss"].index(min(measured[seed]["held-out loss"])) for seed in SEEDS]
assert all(0 < checkpoint <= 2 for checkpoint in lowest_at)  # after the first epochs, never before
assert 2 <= min(rises) and max(rises) <= 4
assert max(mean_accuracy) - mean_accuracy[-1] < high_accuracy[-1] - low_accuracy[-1]

# %% [markdown]
# In every run the training accuracy climbs to 100%: the network bends its boundary around every
# one of its 20 points, noise included, and the training loss falls to 0. The held-out accuracy
# jumps to about 80% in the first few epochs and then stays there: for the remaining epochs its
# mean moves by a point or two, less than the spread between the runs (printed above), so from
# accuracy alone you could not say whether the later epochs helped or hurt, and one run could not
# tell a drop of a few points from luck. The held-out *loss* says it plainly. It falls in the first
# epochs, then rises, in every one of the 5 runs, to 2 to 4 times its lowest value, far outside the
# spread: after the first epochs,
# what the model learns is the noise of its training set, and on the new points it gets wrong it
# is ever more confidently wrong. Accuracy only counts which side of the boundary a point falls on;
# the loss also measures by how much. That is overfitting, and only held-out data shows it: the
# training curves look better and better. Remedies: more data, a smaller model, a weight penalty
# (`l2=` in `nn.fit`, notebook 9), or stopping where the held-out loss is lowest (*early stopping*;
# choosing the epoch on the test set, though, makes the test set part of training: a third,
# *validation* set is what you choose with).
#
# ## Mini-batches
#
# `nn.fit` takes one step per epoch by default: the gradient of the loss over **all** examples.
# With `batch_size=b` it shuffles the examples each epoch and takes one step per batch of `b`:
# each step is noisier (it sees a few examples) but much cheaper, so for the same work (one pass
# over the data) it takes many more steps. Below, the same model and data trained both ways for
# the same number of epochs, so both compute the same number of example gradients. Both are
# measured the same way: after each epoch, on all 100 points (the history `fit` returns averages
# over the batches as they were before each step, which would compare a mini-batch run's earlier
# models with the full-batch run's later ones).

# %%
X_moons, y_moons = nn.make_moons(n_samples=100, noise=0.1, seed=SEED)
moon_labels = [2 * c - 1 for c in y_moons]
curves = {}
for batch_size in (None, 10):
    candidate = nn.MLP(2, [16, 16, 1], activation="relu", seed=SEED)
    run = {"loss": [], "accuracy": []}

    def after_epoch(epoch, history, candidate=candidate, run=run):
        scores = nn.predict(candidate, X_moons)  # the whole set, after the epoch's last step
        run["loss"].append(nn.hinge(scores, moon_labels).data)
        run["accuracy"].append(nn.accuracy(scores, moon_labels))

    nn.fit(
        candidate,
        X_moons,
        moon_labels,
        loss=nn.hinge,
        batch_size=batch_size,
        seed=SEED,
        epochs=20,
        optimizer=nn.SGD(candidate.parameters(), lr=0.05),
        progress=False,
        callback=after_epoch,
    )
    name = "full batch: 1 step per epoch" if batch_size is None else "batches of 10: 10 steps per epoch"
    curves[name] = run

fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 3.8))
for name, run in curves.items():
    left.plot(range(1, 21), run["loss"], "o-", markersize=3, label=name)
    right.plot(range(1, 21), run["accuracy"], "o-", markersize=3, label=name)
left.set(xlabel="epoch (one pass over the 100 points)", ylabel="hinge loss on all 100 points", yscale="log")
right.set(xlabel="epoch (one pass over the 100 points)", ylabel="accuracy on all 100 points")
left.legend()
fig.tight_layout()
for name, run in curves.items():
    print(f"{name}: loss {run['loss'][-1]:.3f}, accuracy {run['accuracy'][-1]:.0%} after 20 epochs")
full, mini = curves.values()
assert mini["loss"][-1] < full["loss"][-1]  # what the prose below says

# %% [markdown]
# For the same number of example gradients, the mini-batches get much further: ten small steps
# beat one exact one. Their loss curve is also less smooth, because each step follows the
# gradient of a random tenth of the data, so the model at the end of an epoch depends on which
# batch came last. That noise is cheap and mostly harmless, and it is why
# large data sets are always trained in mini-batches.
#
# ## Initialisation: why weights start random
#
# Give every weight of a network the same value. The neurons of a layer then compute the same
# function, so they receive the same gradient, take the same step, and stay identical: training
# can never break the tie, and a layer of 8 neurons works like a layer of 1. Here is
# `MLP(2, [8, 1])` with every weight set to 0.5 (biases 0), trained like a randomly initialised
# one.


# %%
def hidden_neurons_told_apart(model):
    """How many different (weights, bias) rows the hidden layer has."""
    layer = model.layers[0]
    return len({(*[w.data for w in neuron.weights], neuron.bias.data) for neuron in layer.neurons})


def all_equal(model, value=0.5):
    for neuron in (neuron for layer in model.layers for neuron in layer.neurons):
        for w in neuron.weights:
            w.data = value
    return model


SYMMETRY_STEPS = 60
starts = {
    "all weights 0.5": all_equal(nn.MLP(2, [8, 1], activation="relu", seed=SEED)),
    "random (nn's default)": nn.MLP(2, [8, 1], activation="relu", seed=SEED),
}
fig, ax = plt.subplots(figsize=(7, 3.8))
symmetric_runs = {}
for name, candidate in starts.items():
    run = nn.fit(
        candidate,
        X_moons,
        moon_labels,
        loss=nn.hinge,
        epochs=SYMMETRY_STEPS,
        progress=False,
        optimizer=nn.SGD(candidate.parameters(), lr=0.1),
    )
    symmetric_runs[name] = run
    distinct = hidden_neurons_told_apart(candidate)
    told_apart = f"{distinct} distinct hidden neuron{'s' if distinct > 1 else ''}"
    ax.plot(run["loss"], label=f"{name}: {told_apart}")
    print(
        f"{name}: after {SYMMETRY_STEPS} steps, {told_apart} of 8, "
        f"loss {run['loss'][-1]:.3f}, accuracy {run['accuracy'][-1]:.0%}"
    )
assert hidden_neurons_told_apart(starts["all weights 0.5"]) == 1  # the prose below says so
ax.set(xlabel="step", ylabel="mean hinge loss", title="MLP(2, [8, 1]) on 100 moons")
ax.legend()
plt.show()

# %% [markdown]
# After training, the all-equal network still has one distinct hidden neuron, repeated 8 times,
# and a boundary no better than a single relu can draw; the random start uses all 8. Any equal
# start does this (zeros are worse still: relu passes no gradient at 0), which is why `nn` draws
# weights at random, scaled by the fan-in (see `nn.layers`).
#
# ## Exercises
#
# Each exercise has a cell to fill in (replace every `...`) followed by a checker cell that says
# *not yet*, *right*, or what is wrong and why. The answers are in `notebooks/solutions/`.
#
# **Exercise 10.1.** Write `split(X, y, n_test, seed)`: shuffle the examples (with
# `random.Random(seed)`, keeping each `X[i]` with its `y[i]`) and return
# `X_train, y_train, X_test, y_test`, with `n_test` examples in the test part.


# %%
def split(X, y, n_test, seed):
    return ...


# %% [solution]
def split(X, y, n_test, seed):
    order = list(range(len(X)))
    random.Random(seed).shuffle(order)
    test, train = order[:n_test], order[n_test:]
    return [X[i] for i in train], [y[i] for i in train], [X[i] for i in test], [y[i] for i in test]


# %%
def test_split():
    points = [[float(i), float(-i)] for i in range(50)]
    classes = [i % 3 for i in range(50)]
    parts = split(points, classes, 12, seed=1)
    answered(parts)
    X_a, y_a, X_b, y_b = parts
    if (len(X_a), len(y_a), len(X_b), len(y_b)) != (38, 38, 12, 12):
        raise Wrong(f"50 examples with n_test=12 give 38 and 12, you gave {len(X_a)} and {len(X_b)}")
    pairs = [(tuple(x), c) for x, c in zip(X_a + X_b, y_a + y_b)]
    if sorted(pairs) != sorted((tuple(x), c) for x, c in zip(points, classes)):
        raise Wrong("every example must land in exactly one part, with its own label")
    if X_b in (points[:12], points[-12:]):
        raise Wrong("shuffle first: the test part should not be the first or last examples in order")
    if split(points, classes, 12, seed=1) != parts:
        raise Wrong("the same seed must give the same split")


check("Exercise 10.1", test_split)

# %% [markdown]
# **Exercise 10.2.** How many optimizer steps does one epoch of `nn.fit` take on `n` examples with
# `batch_size=b` (the last batch may be smaller)? The checker counts the steps of a real run.


# %%
def steps_per_epoch(n, batch_size):
    return ...


# %% [solution]
def steps_per_epoch(n, batch_size):
    return (n + batch_size - 1) // batch_size  # n / batch_size, rounded up


# %%
def test_steps_per_epoch():
    for n, batch_size in ((100, 10), (100, 32), (7, 7), (30, 1)):
        small = nn.MLP(2, [2, 1], seed=SEED)
        optimizer = nn.SGD(small.parameters(), lr=0.01)  # it counts its steps
        nn.fit(
            small,
            X_moons[:n],
            moon_labels[:n],
            loss=nn.hinge,
            batch_size=batch_size,
            seed=SEED,
            optimizer=optimizer,
            epochs=1,
            progress=False,
        )
        close(
            f"steps for {n} examples in batches of {batch_size}",
            steps_per_epoch(n, batch_size),
            optimizer.steps,
            hint="a smaller last batch still takes a step",
        )


check("Exercise 10.2", test_steps_per_epoch)

# %% [markdown]
# **Exercise 10.3.** Break the symmetry of a network whose weights are all equal: write
# `break_symmetry(model, seed)`, which gives every weight a different small random value (say
# uniform in $[-1, 1]$, from `random.Random(seed)`). The checker trains the repaired network and
# wants 8 distinct hidden neurons and a lower loss than the all-equal run above.


# %%
def break_symmetry(model, seed): ...


# %% [solution]
def break_symmetry(model, seed):
    rng = random.Random(seed)
    for layer in model.layers:
        for neuron in layer.neurons:
            for w in neuron.weights:
                w.data = rng.uniform(-1.0, 1.0)


# %%
def test_break_symmetry():
    repaired = all_equal(nn.MLP(2, [8, 1], activation="relu", seed=SEED))
    break_symmetry(repaired, seed=SEED)
    if hidden_neurons_told_apart(repaired) == 1:
        raise NotYet("every hidden neuron is still the same")
    run = nn.fit(
        repaired,
        X_moons,
        moon_labels,
        loss=nn.hinge,
        epochs=SYMMETRY_STEPS,
        progress=False,
        optimizer=nn.SGD(repaired.parameters(), lr=0.1),
    )
    if hidden_neurons_told_apart(repaired) != 8:
        raise Wrong(f"after training, {hidden_neurons_told_apart(repaired)} distinct hidden neurons, not 8")
    if run["loss"][-1] >= symmetric_runs["all weights 0.5"]["loss"][-1]:
        raise Wrong("the repaired network should end with a lower loss than the all-equal one")


check("Exercise 10.3", test_break_symmetry)

# %% [markdown]
# **Exercise 10.4.** Early stopping, chosen honestly over the 5 runs: at which epoch is the *mean*
# held-out loss over the seeds lowest? Compute it from `measured` and `epochs` (each run's
# `"held-out loss"` list has one entry per epoch in `epochs`).


# %%
def best_epoch(measured, epochs):
    return ...


# %% [solution]
def best_epoch(measured, epochs):
    runs = [curves["held-out loss"] for curves in measured.values()]
    mean = [sum(losses) / len(losses) for losses in zip(*runs)]  # one mean per checkpoint
    return epochs[mean.index(min(mean))]


# %%
def test_best_epoch():
    mean, _, _ = across_seeds("held-out loss")
    close(
        "the epoch with the lowest mean held-out loss",
        best_epoch(measured, epochs),
        epochs[mean.index(min(mean))],
        hint=(
            "average the 5 curves checkpoint by checkpoint first, then find the lowest",
            "zip(*runs) gives the 5 losses of each checkpoint",
        ),
    )


check("Exercise 10.4", test_best_epoch)

# %% [markdown]
# **Takeaways.** Judge a model on data it never saw: training accuracy rewards memorising, and a
# held-out set is the only way to see overfitting; measure it over several seeds, and watch the
# held-out loss as well as the accuracy. Mini-batches buy many cheap, noisy steps for the
# price of one exact one, and usually win. And initialisation matters: neurons that start equal
# stay equal, so weights start random.
