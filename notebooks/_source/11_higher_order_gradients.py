# %% [markdown]
# # 11. Higher-order gradients: second derivatives, a Hessian, Newton's method
#
# **Goal:** differentiate a gradient again. We take second derivatives with `grad(grad(f))`, build a
# Hessian, check both against finite differences, and use the curvature they measure in Newton's
# method, which reaches the minimum of a curved valley in a handful of steps where gradient descent
# needs hundreds.

# %%
import math
import random

import matplotlib.pyplot as plt

import autograd as ag
from autograd import Value, grad, gradients, hessian, value_and_grad
from autograd.draw import draw_graph

random.seed(0)  # nothing here is random, but every notebook starts the same way
plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 4), "axes.grid": True, "grid.alpha": 0.3})

# %% [checking]

# %% [markdown]
# ## Why a gradient can be differentiated again
#
# In notebook 2 the backward pass multiplied *numbers*: each node's local derivative times the
# gradient flowing in. If instead those products are built from `Value` operations, the gradient is
# itself the output of a graph, and that graph has a backward pass of its own. The engine does this
# when asked: `backward(create_graph=True)` leaves the gradient as a `Value` in `x.grad_value`
# (`x.grad` stays a float), and `gradients(output, inputs)` differentiates it without touching any
# `.grad`.
#
# For $f(x) = x^3$: $f'(x) = 3x^2$ and $f''(x) = 6x$, so at $x = 2$ we expect 12 and 12.

# %%
x = Value(2.0, label="x")
y = x**3
y.backward(create_graph=True)
first = x.grad_value  # a Value: 3 * x**2, with its own graph back to x
(second,) = gradients(first, [x])  # d(first)/dx = 6 * x
print(f"f'(2) = {x.grad}, the same as a Value: {first.data}; f''(2) = {second}")

# %% [markdown]
# ## The gradient is a graph
#
# Draw `x.grad_value` and you see the derivative as a computation: the graph that the backward
# pass recorded while it computed $3x^2$, with `x` as its leaf (blue). Read it from the top:
#
# - `**2` and `*` with the constant 3 are the local derivative of `x ** 3`, $3x^2$, built from
#   `Value` operations instead of computed as a float;
# - the `*` with the constant 1 multiplies it by the gradient flowing into `y`: the seed
#   $\partial y/\partial y = 1$;
# - the `+` with one input adds up the contributions that reach `x`: one term per use of `x`, and
#   `x` is used once here.
#
# The `grad 12` on `x` is its float gradient from `y.backward` above; the `grad 0` of the other
# boxes belongs to this new graph, which nothing has differentiated yet. It is an ordinary graph of
# `Value`s, so `gradients(first, [x])` above simply ran the backward pass through it, and got $6x$.

# %%
assert [node.op for node in ag.topological_order(first)] == ["", "**2", "*", "*", "+"]  # as listed above
draw_graph(first, inputs=[x])

# %% [markdown]
# The functional API says the same in one line per derivative: `grad(f)` is the function
# $x \mapsto f'(x)$, so `grad(grad(f))` is $f''$, and so on.


# %%
def f(x):
    return x**3


print([grad(f)(2.0), grad(grad(f))(2.0), grad(grad(grad(f)))(2.0), grad(grad(grad(grad(f))))(2.0)])

# %% [markdown]
# ## A function and its first two derivatives
#
# $g(x) = \tanh(x)\,\sin(2x)$ has no derivative you would want to work out by hand twice. The engine
# does it, and the picture shows the relations you know from calculus: $g'$ is zero where $g$ has a
# peak or a dip, and $g''$ is zero where $g'$ does (where $g$ changes from bending up to bending down).


# %%
def g(x):
    return ag.tanh(x) * ag.sin(2 * x)


dg, d2g = grad(g), grad(grad(g))
xs = [-3 + 6 * i / 300 for i in range(301)]
fig, ax = plt.subplots(figsize=(8, 4))
ax.plot(xs, [g(x) for x in xs], label="g(x)")
ax.plot(xs, [dg(x) for x in xs], label="g'(x)  = grad(g)")
ax.plot(xs, [d2g(x) for x in xs], label="g''(x) = grad(grad(g))")
ax.axhline(0, color="black", linewidth=0.5)
ax.set(xlabel="x", title="derivatives by the engine")
ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
plt.show()

# %% [markdown]
# Are they right? A central difference of the *engine's* first derivative estimates the second:
# $g''(x) \approx \dfrac{g'(x+h) - g'(x-h)}{2h}$. `autograd.gradgradcheck` runs this comparison with
# PyTorch's tolerances.

# %%
h = 1e-5
worst = max(abs(d2g(x) - (dg(x + h) - dg(x - h)) / (2 * h)) for x in xs)
print(f"largest difference over the plot: {worst:.1e}")
print("gradgradcheck:", ag.gradgradcheck(g, [0.7]))

# %% [markdown]
# ## A Hessian
#
# For a function of several inputs, the second derivatives form a matrix, the Hessian
# $H_{ij} = \dfrac{\partial^2 f}{\partial x_i\,\partial x_j}$. Row $i$ is the gradient of
# $\partial f/\partial x_i$, which is exactly how `hessian(f)` builds it: one more backward pass per
# input through the differentiable gradient.
#
# Our test problem is a curved valley (Rosenbrock's function with a milder factor 10):
#
# $$f(x, y) = (1 - x)^2 + 10\,(y - x^2)^2, \qquad \text{minimum } f(1, 1) = 0 .$$


# %%
def valley(x, y):
    return (1 - x) ** 2 + 10 * (y - x * x) ** 2


H = hessian(valley)(1.0, 1.0)
print("Hessian at (1, 1):", H)
# by hand: f_xx = 2 - 40 (y - x^2) + 80 x^2 = 82, f_xy = -40 x = -40, f_yy = 20
assert H == [[82.0, -40.0], [-40.0, 20.0]]

# the same matrix from finite differences of the gradient, column by column
gradient = grad(valley, argnums=(0, 1))
point, h = (-0.5, 0.5), 1e-5
numeric = [
    [
        (
            gradient(point[0] + h * (j == 0), point[1] + h * (j == 1))[i]
            - gradient(point[0] - h * (j == 0), point[1] - h * (j == 1))[i]
        )
        / (2 * h)
        for j in range(2)
    ]
    for i in range(2)
]
print("engine at (-0.5, 0.5):  ", hessian(valley)(*point))
print("finite differences:     ", [[round(v, 6) for v in row] for row in numeric])

# %% [markdown]
# At the minimum the Hessian's two curvatures (its eigenvalues) are about 101.6 and 0.39: the valley
# is some 260 times more curved across than along (printed below). Notebook 7 showed what that does to
# gradient descent: the steep direction caps the learning rate at about $2/101.6$, and the flat
# direction then crawls.


# %%
def eigenvalues(H):
    """The two eigenvalues of a symmetric 2 x 2 matrix."""
    mean, half_gap = (H[0][0] + H[1][1]) / 2, math.hypot((H[0][0] - H[1][1]) / 2, H[0][1])
    return mean - half_gap, mean + half_gap


low, high = eigenvalues(H)
print(f"curvatures at the minimum: {low:.2f} and {high:.2f}, a ratio of {high / low:.0f}")
assert round(high, 1) == 101.6 and round(low, 2) == 0.39 and 255 < high / low < 265  # the prose above

# %% [markdown]
# ## Newton's method
#
# Near a point $w$ a function looks like its second-order Taylor expansion,
# $f(w + d) \approx f(w) + \nabla f^\top d + \tfrac12\, d^\top H\, d$. Setting the derivative with
# respect to $d$ to zero gives the step that jumps to the bottom of that quadratic:
#
# $$H\,d = -\nabla f, \qquad w \leftarrow w + d .$$
#
# Where gradient descent uses one learning rate for every direction, Newton's step divides each
# direction by its own curvature: long steps along the flat valley floor, short ones across it. For
# two unknowns, $H d = -\nabla f$ is solved by Cramer's rule.


# %%
def newton(f, start, steps):
    slope = value_and_grad(f, argnums=(0, 1))
    curvature = hessian(f)
    w, path = list(start), []
    for _ in range(steps):
        value, (gx, gy) = slope(*w)
        path.append((w[0], w[1], value))
        (a, b), (c, d) = curvature(*w)
        det = a * d - b * c
        w = [w[0] - (d * gx - b * gy) / det, w[1] - (a * gy - c * gx) / det]  # w + H^-1 (-g)
    path.append((w[0], w[1], f(*w)))
    return path


def gradient_descent(f, start, learning_rate, steps):
    slope = value_and_grad(f, argnums=(0, 1))
    w, path = list(start), []
    for _ in range(steps):
        value, (gx, gy) = slope(*w)
        path.append((w[0], w[1], value))
        w = [w[0] - learning_rate * gx, w[1] - learning_rate * gy]
    path.append((w[0], w[1], f(*w)))
    return path


start = (-1.2, 1.0)
newton_path = newton(valley, start, 8)
descent_path = gradient_descent(valley, start, learning_rate=0.012, steps=400)
for k, (x_, y_, value) in enumerate(newton_path):
    print(f"Newton step {k}: (x, y) = ({x_:+.10f}, {y_:+.10f})   f = {value:.3e}")

# %% [markdown]
# Far from the minimum the quadratic model is poor, and Newton's early steps wander (steps 2 and 4
# even raise $f$: nothing in the plain method forbids that). Once it is close, the number of correct
# digits roughly doubles every step (quadratic convergence): $f$ goes
# $10^{-3} \to 10^{-5} \to 10^{-14} \to 10^{-27}$. Gradient descent, with a learning rate near the
# largest that stays stable here, is still creeping along the valley floor after 400 steps.

# %%
grid_x = [-1.5 + 3 * i / 150 for i in range(151)]
grid_y = [-0.5 + 2 * j / 100 for j in range(101)]
surface = [[math.log10(valley(a, b) + 1e-3) for a in grid_x] for b in grid_y]

fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 4.2))
left.contour(grid_x, grid_y, surface, levels=15, cmap="viridis", linewidths=0.8)
left.plot(
    [p[0] for p in descent_path],
    [p[1] for p in descent_path],
    ".-",
    color="tab:orange",
    markersize=2,
    linewidth=0.8,
    label="gradient descent, 400 steps",
)
left.plot(
    [p[0] for p in newton_path],
    [p[1] for p in newton_path],
    "o-",
    color="crimson",
    markersize=4,
    label="Newton, 8 steps",
)
left.plot([1], [1], "k*", markersize=12)
left.set(xlabel="x", ylabel="y", title="paths on log10 f contours")
left.legend(loc="upper center")

right.loglog(
    range(1, len(descent_path) + 1),
    [p[2] for p in descent_path],
    color="tab:orange",
    label="gradient descent",
)
right.loglog(
    range(1, len(newton_path) + 1), [p[2] for p in newton_path], "o-", color="crimson", label="Newton"
)
right.set(
    xlabel="step + 1 (log scale)",
    ylabel="f (log scale)",
    title="f along the way (minimum: 0)",
    ylim=(1e-28, 1e2),
)
right.legend()
fig.tight_layout()

# %% [markdown]
# ## Where Newton's method goes wrong
#
# Newton's step goes to the *stationary point* of the local quadratic, which is a minimum only when
# the curvature is positive. On $q(x) = x^4 - 2x^2$ (minima at $\pm 1$, a maximum at 0), starting at
# $x = 0.3$ where $q'' < 0$, Newton's method climbs to the maximum, while gradient descent rolls
# down to a minimum. Practical second-order methods check the curvature (or add a multiple of the
# identity to $H$) before trusting the step.


# %%
def q(x):
    return x**4 - 2 * x**2


dq, d2q = grad(q), grad(grad(q))
xn = xg = 0.3
print(f"q''(0.3) = {d2q(0.3):.2f} (negative: the quadratic model opens downwards)")
for _ in range(6):
    xn = xn - dq(xn) / d2q(xn)
    xg = xg - 0.1 * dq(xg)
print(f"after 6 steps: Newton x = {xn:.2e} (the maximum), gradient descent x = {xg:.4f} (heading to 1)")

# %% [markdown]
# ## Exercises
#
# Each exercise has a cell to fill in (replace every `...`) followed by a checker cell that says
# *not yet*, *right*, or what is wrong and why. The answers are in `notebooks/solutions/`.
#
# **Exercise 11.1.** By hand: the second derivative of $f(x) = x \sin x$, at $x = 1.2$ (use
# `math.sin` and `math.cos`). The checker compares with `grad(grad(f))`.

# %%
second_derivative = ...

# %% [solution]
second_derivative = 2 * math.cos(1.2) - 1.2 * math.sin(1.2)  # f' = sin x + x cos x


# %%
def x_sin_x(x):
    return x * ag.sin(x)


check(
    "Exercise 11.1",
    lambda: close(
        "f''(1.2)",
        second_derivative,
        grad(grad(x_sin_x))(1.2),
        hint=("the product rule, twice", "f'(x) = sin x + x cos x; differentiate each term again"),
    ),
)

# %% [markdown]
# **Exercise 11.2.** By hand: the Hessian of $h(x, y) = x^2 y + y^3$ at $(1, 2)$, as a list of two
# rows.

# %%
my_hessian = [[..., ...], [..., ...]]

# %% [solution]
my_hessian = [[2 * 2, 2 * 1], [2 * 1, 6 * 2]]  # [[2y, 2x], [2x, 6y]]


# %%
def h_xy(x, y):
    return x * x * y + y**3


def test_hessian():
    answered(my_hessian)
    expected = hessian(h_xy)(1.0, 2.0)
    for i, row in enumerate(expected):
        for j, entry in enumerate(row):
            close(f"H[{i}][{j}]", my_hessian[i][j], entry, hint="H[i][j] = d/dx_j of dh/dx_i")


check("Exercise 11.2", test_hessian)

# %% [markdown]
# **Exercise 11.3.** Write one step of Newton's method for a function of one variable, using the
# engine's `grad` for both derivatives. On a parabola one step must land exactly on its minimum;
# the checker tries that and the function `q` from above.


# %%
def newton_step(f, x):
    return ...


# %% [solution]
def newton_step(f, x):
    return x - grad(f)(x) / grad(grad(f))(x)


# %%
def parabola(x):
    return 3 * (x - 2) ** 2 + 1


def test_newton_step():
    for x in (-5.0, 0.0, 7.5):
        close(
            f"one Newton step on 3 (x - 2)^2 + 1 from {x}",
            newton_step(parabola, x),
            2.0,
            hint=(
                "the step jumps to the stationary point of the local parabola",
                "x minus the first derivative divided by the second",
            ),
        )
    for x in (0.3, 1.7, -2.0):
        expected = x - (4 * x**3 - 4 * x) / (12 * x**2 - 4)  # q' and q'' by hand
        close(f"one Newton step on q from {x}", newton_step(q, x), expected)


check("Exercise 11.3", test_newton_step)

# %% [markdown]
# **Takeaways.** Because the backward pass can be recorded as a graph of `Value` operations, every
# derivative the engine gives can be differentiated again: `grad(grad(f))`, `hessian(f)`,
# `backward(create_graph=True)` with `gradients`. Second derivatives measure curvature, and Newton's
# method uses it to take the right step length in every direction at once: a few steps instead of
# hundreds near a minimum, but only when the curvature is positive. A Hessian costs one backward pass
# per input, which is why networks with many parameters are trained with first-order methods.
