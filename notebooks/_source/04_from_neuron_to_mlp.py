# %% [markdown]
# # 4. From a neuron to an MLP
#
# **Goal:** build a neuron (weighted sum, bias, activation), a layer and a multi-layer perceptron
# from `nn`, see each as a graph, and step through an MLP's forward and backward passes neuron by
# neuron: the gradient of the loss reaches every weight by the same chain rule as in notebook 2,
# one neuron after another. Notebook 5 then writes that flow as a formula, layer by layer.

# %%
import random

import autograd as ag
import nn
from autograd import Value
from autograd.draw import draw_graph, step_through

SEED = 3
random.seed(SEED)  # the models below also take their own seeds, so every run is the same

# %% [checking]

# %% [markdown]
# ## A neuron
#
# A neuron takes inputs $x_1, \dots, x_n$, forms the weighted sum plus a bias,
# $z = \sum_i w_i x_i + b = w \cdot x + b$, and passes it through an activation $f$: $a = f(z)$.
# The weights say how much each input matters, the bias shifts where the activation switches, and
# the activation makes the whole thing non-linear (without it, stacking layers would still give a
# linear function).
#
# `nn.Neuron` computes $z$ with `autograd.linear` (one node for the whole weighted sum) and then
# applies the activation. Weights start random (seeded), the bias starts at 0.

# %%
neuron = nn.Neuron(3, activation="tanh", seed=SEED)
x = [0.5, -1.0, 2.0]
out = neuron(x)
print(neuron, "weights", [round(w.data, 3) for w in neuron.weights], "bias", neuron.bias.data)
weighted_sum = sum(w.data * xi for w, xi in zip(neuron.weights, x)) + neuron.bias.data
print("output:", out.data, "= tanh of", weighted_sum)
drawing = draw_graph(out, parameters=neuron.parameters(), number_format=".3g")
drawing.attr(size="8.9,20")  # at most 8.9 inches wide: scaled down to a notebook column (860 px)
drawing

# %% [markdown]
# ## A layer
#
# A layer is several neurons that all read the same inputs; each has its own weights and bias.
# Stacking the weight vectors as rows gives the matrix form $z = W x + b$, $a = f(z)$, with $W$ of
# shape (outputs x inputs). A `nn.Layer` always returns a list, even with one neuron. To draw both
# outputs in one picture we draw their sum (the sum is only for the drawing).

# %%
layer = nn.Layer(3, 2, activation="tanh", seed=SEED)
outputs = layer(x)
print(layer, "->", [round(o.data, 4) for o in outputs])
drawing = draw_graph(ag.sum(outputs), parameters=layer.parameters(), number_format=".3g")
drawing.attr(size="8.9,20")  # at most 8.9 inches wide: scaled down to a notebook column (860 px)
drawing

# %% [markdown]
# ## An MLP
#
# A multi-layer perceptron feeds each layer's outputs into the next. `nn.MLP(3, [2, 2, 1])` has two
# hidden layers of 2 neurons and one output (linear by default, so it can take any value). Its
# graph with a squared-error loss is already too busy to read node by node, so we group it with
# `nn.neuron_groups(loss, pre_activations=True)`: each neuron becomes one yellow box, the weights and
# bias feeding it hidden inside, showing its weighted sum `z` next to its output `out` (the output
# neuron has no activation, so its `z` is its output).
#
# `step_through` plays the network's two passes. Forward, the values flow in layer by layer, each
# box filling in its `z`, then its `out`. Backward, the gradient flows out from the loss: each box
# first receives the gradient of its `out`, multiplies it by the activation's slope to get the
# gradient of its `z`, then sends that on to the boxes of the layer below (and to its hidden
# weights and bias). Press *play*, or step with the arrow keys; click a box to inspect it. Without
# JavaScript (on GitHub) you see the last frame: every gradient filled in.

# %%
model = nn.MLP(3, [2, 2, 1], activation="tanh", seed=SEED)
target = [0.5]
inputs = [Value(v, label=f"x{i}") for i, v in enumerate(x, 1)]  # labelled, for the drawing
prediction = model(inputs)
loss = (prediction[0] - target[0]) ** 2
loss.label = "L"
print(model)
print("prediction", prediction[0].data, "loss", loss.data)
step_through(loss, groups=nn.neuron_groups(loss, pre_activations=True), inputs=inputs, number_format=".3g")

# %% [markdown]
# Watch one hidden neuron in the backward pass. The gradient arriving at its `out` is the sum, over
# the neurons of the next layer, of their `z` gradient times the weight that connects them (the
# reused-value rule of notebook 2: `out` feeds every neuron above it). Multiplied by tanh's slope,
# $1 - \text{out}^2$, it becomes the gradient of `z`, and from there each weight $w_i$ gets
# `z`'s gradient times its input $x_i$ and the bias gets `z`'s gradient itself. The cell below
# checks those three statements on the engine's numbers for the first neuron of the first layer.

# %%
model.zero_grad()
loss.backward()
first, above = model.layers[0].neurons[0], model.layers[1].neurons
groups = nn.neuron_groups(loss, pre_activations=True)
z_of = {group.name: group.members[0] for group in groups}  # a neuron's group starts with its z
activation_of = {group.name: group.members[-1] for group in groups}
z, out = z_of["layer 1, neuron 1"], activation_of["layer 1, neuron 1"]
from_above = sum(
    z_of[f"layer 2, neuron {k}"].grad * neuron.weights[0].data  # weight from neuron 1
    for k, neuron in enumerate(above, 1)
)
print(f"dL/d out = {out.grad:+.6f};  sum over the next layer of dL/dz x weight = {from_above:+.6f}")
print(f"dL/dz = {z.grad:+.6f};  dL/d out x (1 - out^2) = {out.grad * (1 - out.data**2):+.6f}")
print(
    f"dL/dw = {[round(w.grad, 6) for w in first.weights]};  dL/dz x inputs = "
    f"{[round(z.grad * v, 6) for v in x]};  dL/db = {first.bias.grad:+.6f}"
)
assert abs(out.grad - from_above) < 1e-12 and abs(z.grad - out.grad * (1 - out.data**2)) < 1e-12

# %% [markdown]
# ## Exercises
#
# Each exercise has a cell to fill in (replace every `...`) followed by a checker cell that says
# *not yet*, *right*, or what is wrong and why. The answers are in `notebooks/solutions/`.
#
# **Exercise 4.1.** How many parameters (weights and biases) does `nn.MLP(4, [6, 3, 2])` have?
# Count them from the shapes of $W_l$ and $b_l$, without building it.

# %%
parameter_count = ...

# %% [solution]
parameter_count = (6 * 4 + 6) + (3 * 6 + 3) + (2 * 3 + 2)  # W_l is n_l x n_(l-1), b_l has n_l entries

# %%
check(
    "Exercise 4.1",
    lambda: close(
        "the number of parameters",
        parameter_count,
        nn.MLP(4, [6, 3, 2]).num_parameters(),
        hint=(
            "count layer by layer: 4 -> 6, 6 -> 3, 3 -> 2",
            "layer l has n_l x n_(l-1) weights and n_l biases",
        ),
    ),
)

# %% [markdown]
# **Exercise 4.2.** Write a tanh neuron's forward pass yourself, on plain numbers: from its weights,
# its bias and the inputs, return $\tanh(w \cdot x + b)$ (`ag.tanh` takes numbers too).
# The checker compares with `nn.Neuron`.


# %%
def neuron_output(weights, bias, inputs):
    return ...


# %% [solution]
def neuron_output(weights, bias, inputs):
    return ag.tanh(sum(w * v for w, v in zip(weights, inputs)) + bias)


# %%
def test_neuron_output():
    rng = random.Random(SEED)
    for size in (1, 3, 5):
        neuron = nn.Neuron(size, activation="tanh", seed=size)
        neuron.bias.data = rng.uniform(-1, 1)
        inputs = [rng.uniform(-2, 2) for _ in range(size)]
        yours = neuron_output([w.data for w in neuron.weights], neuron.bias.data, inputs)
        close(
            f"the output of a neuron with {size} inputs",
            yours,
            neuron(inputs).data,
            hint=(
                "the weighted sum of the inputs, plus the bias, through tanh",
                "tanh(sum(w * v for w, v in zip(weights, inputs)) + bias)",
            ),
        )


check("Exercise 4.2", test_neuron_output)

# %% [markdown]
# **Exercise 4.3.** The gradients of one neuron's loss, by hand. For a tanh neuron with output
# $a = \tanh(w \cdot x + b)$ and the loss $L = (a - t)^2$, return the list of
# $\partial L/\partial w_i$ and the number $\partial L/\partial b$, as the step-through above passes
# them: the loss's gradient at $a$, times tanh's slope, times what multiplies each parameter.
# The checker compares with `backward()`, and refuses to let the engine do it for you.


# %%
def neuron_gradients(weights, bias, inputs, target):
    return ..., ...


# %% [solution]
def neuron_gradients(weights, bias, inputs, target):
    a = ag.tanh(sum(w * v for w, v in zip(weights, inputs)) + bias)
    dL_dz = 2 * (a - target) * (1 - a * a)  # dL/da times da/dz
    return [dL_dz * v for v in inputs], dL_dz  # dz/dw_i = x_i, dz/db = 1


# %%
def test_neuron_gradients():
    rng = random.Random(SEED + 1)
    for size in (1, 3):
        neuron = nn.Neuron(size, activation="tanh", seed=size)
        neuron.bias.data = rng.uniform(-1, 1)
        inputs, target = [rng.uniform(-2, 2) for _ in range(size)], rng.uniform(-1, 1)
        ((neuron(inputs) - target) ** 2).backward()
        with without_the_engine():
            weight_grads, bias_grad = neuron_gradients(
                [w.data for w in neuron.weights], neuron.bias.data, inputs, target
            )
        answered(weight_grads, bias_grad)
        close(
            f"dL/db with {size} inputs",
            bias_grad,
            neuron.bias.grad,
            hint=("dL/da is 2 (a - t); multiply by tanh's slope at z", "2 (a - t) (1 - a^2)"),
        )
        for i, (given, w) in enumerate(zip(weight_grads, neuron.weights)):
            close(
                f"dL/dw{i} with {size} inputs",
                given,
                w.grad,
                hint=("dL/dz times what multiplies w_i in z", "dL/db times x_i"),
            )


check("Exercise 4.3", test_neuron_gradients)

# %% [markdown]
# **Takeaways.** A neuron is `activation(w . x + b)`, a layer is neurons side by side ($z = Wx + b$),
# an MLP is layers in sequence. Its backward pass is the chain rule of notebook 2 applied neuron by
# neuron: a neuron's `out` collects the gradients of the neurons it feeds, weighted by their
# weights; tanh's slope turns that into the gradient of `z`; and `z` hands it to its weights (times
# their inputs), to its bias, and to the layer below. Notebook 5 writes this as one recursion over
# the layers.
