# %% [markdown]
# # 2. The chain rule and the backward pass
#
# **Goal:** compute a small expression's gradients by hand with the chain rule, then with
# `backward()`, and see that they agree; step through the forward and backward passes one node at a
# time; understand why the backward pass must visit the nodes in topological order and why gradients
# *add up* at a reused node; and check the result against finite differences.

# %%
import math
import random

import matplotlib.pyplot as plt
from IPython.display import display

import autograd as ag
from autograd import Value, topological_order
from autograd.draw import backward_step_count, draw_graph, step_through

random.seed(0)  # nothing here is random, but every notebook starts the same way
plt.rcParams.update({"figure.dpi": 80, "figure.figsize": (6, 4), "axes.grid": True, "grid.alpha": 0.3})

# %% [checking]

# %% [markdown]
# ## A one-neuron loss
#
# One input $x$, a weight $w$, a bias $b$, a tanh, and a squared error against the target 1:
#
# $$z = w x + b, \qquad a = \tanh(z), \qquad L = u^2 \text{ with } u = a - 1 .$$

# %%
x = Value(2.0, label="x")
w = Value(-0.5, label="w")
b = Value(0.5, label="b")
wx = w * x
wx.label = "wx"
z = wx + b
z.label = "z"
a = z.tanh()
a.label = "a"
u = a - 1
u.label = "u"
L = u**2
L.label = "L"
print(f"z = {z.data}, a = {a.data:.6f}, L = {L.data:.6f}")
draw_graph(L, parameters=[w, b], inputs=[x], number_format=".4g")

# %% [markdown]
# ## What we are after
#
# As in notebook 1, a derivative says how the output moves when one input is nudged. Nudge the
# weight $w$ by a small $h$ and recompute the loss:


# %%
def one_neuron_loss(w, b, x):
    return ((w * x + b).tanh() - 1) ** 2


h = 1e-4
nudged = one_neuron_loss(Value(-0.5 + h), Value(0.5), Value(2.0)).data
print(
    f"L at w = -0.5: {L.data:.6f};  at w = -0.5 + {h}: {nudged:.6f};  "
    f"change / h = {(nudged - L.data) / h:+.3f}"
)
assert nudged < L.data and round((nudged - L.data) / h, 1) == -4.6  # what the prose below says

# %% [markdown]
# The loss goes *down* as $w$ goes up, about 4.6 times as fast: $\partial L/\partial w \approx -4.6$.
# Training would therefore raise $w$, against the sign of its derivative. Nudging gives one
# derivative per extra forward pass, and only approximately. The chain rule gives all of them
# exactly, from one pass backwards through the graph.

# %% [markdown]
# ## By hand: the chain rule
#
# $L$ depends on $w$ only through $a$, and $a$ only through $z$. The chain rule multiplies the
# derivatives along that path:
#
# $$\frac{\partial L}{\partial w} = \frac{\partial L}{\partial a}\,\frac{\partial a}{\partial z}\,
# \frac{\partial z}{\partial w} = 2(a - 1)\cdot(1 - a^2)\cdot x .$$
#
# The first two factors are shared by every input, so we compute them once, outermost first. That
# shared product, the derivative of the output with respect to an intermediate node, is what the
# engine stores in that node's `grad`.

# %%
dL_da = 2 * (a.data - 1)  # d(u^2)/du = 2u, with u = a - 1
dL_dz = dL_da * (1 - a.data**2)  # d tanh(z)/dz = 1 - tanh(z)^2
by_hand = {
    "w": dL_dz * x.data,  # dz/dw = x
    "b": dL_dz * 1.0,  # dz/db = 1
    "x": dL_dz * w.data,
}  # dz/dx = w
print({name: round(value, 6) for name, value in by_hand.items()})

# %% [markdown]
# ## With `backward()`
#
# `L.backward()` seeds $\partial L/\partial L = 1$ and walks the graph from $L$ back to the leaves,
# doing exactly these multiplications: each node passes its `grad` times each local derivative to its
# parents.

# %%
L.backward()
for leaf in (w, b, x):
    print(f"dL/d{leaf.label}: backward {leaf.grad:+.12f}   by hand {by_hand[leaf.label]:+.12f}")
    assert math.isclose(leaf.grad, by_hand[leaf.label], rel_tol=1e-12)
print(
    f"and the intermediate ones: dL/da = {a.grad:.6f} (by hand {dL_da:.6f}), "
    f"dL/dz = {z.grad:.6f} (by hand {dL_dz:.6f})"
)

# %% [markdown]
# ## Both passes, one step at a time
#
# `step_through(L)` replays both passes on this graph, one node per step, without touching the real
# gradients. The forward pass gives each node its value in topological order. The backward pass
# starts by seeding the output with 1 (step 0); at each later step one node hands its `grad`, times
# each local derivative (the number on each red edge), to its inputs, and the page writes every
# update as `old + local × upstream = new`. Press *play*, or step with the arrow keys; click a node to see its
# gradient written as a sum over its users; tick *practice* to do each step yourself: for every edge
# the page asks first for the local derivative, then for the parent's new gradient, and explains a
# wrong answer with the operation's rule or the chain rule, in this graph's numbers.
#
# (The controls need JavaScript: on GitHub, or in Jupyter before you trust the notebook or run the
# cell, you see the last frame, every `grad` filled in, as a still picture.)

# %%
steps = step_through(L, parameters=[w, b], inputs=[x])
steps

# %% [markdown]
# The same backward pass as text, one line per step: read it from the top and watch each `grad`
# being filled in from the output back to the leaves.


# %%
def print_backward_steps(steps, root):
    """Every backward step's updates, as the step-through page writes them."""
    for step in range(1, backward_step_count(root) + 1):
        print(f"step {step}:", "   ".join(steps.update_lines(step)))


print_backward_steps(steps, L)

# %% [markdown]
# ## Four patterns every backward pass is made of
#
# Each node passes its gradient on to its inputs times its local derivatives, and for the common
# operations that comes down to four patterns. Each is shown below on a tiny graph whose output is
# multiplied by 3, so that the gradient arriving at the operation is 3, not 1, and you can see what
# the operation does with it. Step through each (press *play* or use the arrow keys), and read the
# local derivatives on the red edges of the step that processes the operation.
#
# **Add distributes the gradient unchanged.** $\partial(a + b)/\partial a = 1$, so both inputs get
# exactly the gradient that arrives:


# %%
def tiny(op_name, make):
    """a = 2, b = -1.5, out = make(a, b) * 3: a graph for one pattern, stepped through."""
    a, b = Value(2.0, label="a"), Value(-1.5, label="b")
    middle = make(a, b)
    middle.label = op_name
    out = middle * 3
    out.label = "out"
    out.backward()
    display(step_through(out, inputs=[a, b], number_format=".3g"))
    print(f"d out/d {op_name} = 3;  d out/da = {a.grad:g},  d out/db = {b.grad:g}")
    return a.grad, b.grad


assert tiny("a+b", lambda a, b: a + b) == (3.0, 3.0)

# %% [markdown]
# **Multiply swaps and scales.** $\partial(a b)/\partial a = b$: each input gets the arriving
# gradient times the *other* input. Here $a$ gets $3 \times (-1.5)$ and $b$ gets $3 \times 2$, so the
# larger input gets the smaller gradient, and a negative factor flips the sign.

# %%
assert tiny("a*b", lambda a, b: a * b) == (-4.5, 6.0)

# %% [markdown]
# **Max routes the gradient to the winner.** $\max(a, b)$ is $a$ wherever $a > b$, so its derivative
# is 1 for the larger input and 0 for the other: the whole gradient goes to the winner, none to the
# loser. (relu is $\max(z, 0)$: it passes the gradient where $z > 0$ and blocks it elsewhere.)

# %%
assert tiny("max", ag.maximum) == (3.0, 0.0)

# %% [markdown]
# **A reused value sums its contributions.** When $a$ feeds two operations, it receives a gradient
# from each, and they add up. Here $a$ feeds the product $a b$ (its share: $3 \times b = -4.5$) and
# the sum (its share: $3$), and ends with $-1.5$. The sections below look at this rule closely: it
# is why the backward pass must visit the nodes in a careful order.

# %%
assert tiny("ab+a", lambda a, b: a * b + a) == (-1.5, 6.0)

# %% [markdown]
# ## Why a topological order?
#
# In the graph above every node is used once, so *any* walk from the output backwards would do. Now
# take a node that is used twice, twice over:
#
# $$b = a + a, \qquad c = b + b .$$
#
# Since $c = 4a$, the answer must be $\partial c/\partial a = 4$.


# %%
def doubled_twice():
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    c = b + b
    c.label = "c"
    return a, b, c


a, b, c = doubled_twice()
c.backward()
print("engine: dc/db =", b.grad, " dc/da =", a.grad)
doubled_steps = step_through(c)
display(doubled_steps)
print_backward_steps(doubled_steps, c)
assert doubled_steps.update_lines(1)[-1] == "b.grad: 1 + 1 × 1 = 2"  # what the prose below reads off

# %% [markdown]
# Step 1 is `c` giving `b` both of its shares, one per edge (`b.grad` reaches 2); only at step 2 does
# `b`, now complete, pass its 2 along both edges to `a`. A tempting way to write the backward pass is
# a recursion instead: *when a node gets gradient, pass it on to
# its parents straight away.* Here it is, written against the same graph data the engine uses
# (`parents`, `local_grads`, `grad`):


# %%
def naive_backward(node):
    """Wrong: passes node.grad on before node has received everything it will receive."""
    for parent, local in zip(node.parents, node.local_grads):
        parent.grad += local * node.grad
        naive_backward(parent)


a, b, c = doubled_twice()
c.grad = 1.0
naive_backward(c)
print("naive recursion: dc/db =", b.grad, " dc/da =", a.grad, " (should be 2 and 4)")

# %% [markdown]
# It says 6. Trace it: `c` gives `b` its first contribution (1), and the recursion immediately passes
# `b.grad = 1` on to `a` (twice: `a.grad = 2`). Then `c` gives `b` its second contribution
# (`b.grad = 2`), and the recursion passes the *whole* 2 on again (twice: `a.grad = 2 + 4 = 6`). The
# first contribution reached `a` twice.
#
# The fix is to let a node pass its gradient on only once, after **every** node that uses it has
# passed it its share. Ordering the nodes so that each comes after all of its parents (a
# *topological order*) and walking that list backwards guarantees exactly this: by the time we reach
# `b`, `c` is done. The engine's whole backward pass is that one loop.

# %%
a, b, c = doubled_twice()
order = topological_order(c)
print("topological order:", [node.label for node in order])
c.grad = 1.0
for node in reversed(order):  # outputs first, each node after all of its users
    for parent, local in zip(node.parents, node.local_grads):
        parent.grad += local * node.grad
print("topological order: dc/db =", b.grad, " dc/da =", a.grad)

# %% [markdown]
# There is a second naive recursion that *is* correct: pass each incoming contribution down the graph
# separately, never reading the accumulated `grad`. It sums the product of local derivatives over
# every path from the output to each leaf (which is what the chain rule says), but the number of paths
# doubles with every `b = a + a` layer, while the number of nodes grows by one. The topological order
# visits each edge once.


# %%
def paths_backward(node, incoming, counter):
    """Correct but exponential: one recursive call per path from the output."""
    counter[0] += 1
    node.grad += incoming
    for parent, local in zip(node.parents, node.local_grads):
        paths_backward(parent, local * incoming, counter)


depths, calls, edges = list(range(1, 17)), [], []
for depth in depths:
    a = Value(1.0)
    top = a
    for _ in range(depth):
        top = top + top
    counter = [0]
    paths_backward(top, 1.0, counter)
    assert a.grad == 2.0**depth  # right answer ...
    calls.append(counter[0])  # ... at a price
    edges.append(sum(len(node.parents) for node in topological_order(top)))

fig, ax = plt.subplots()
ax.semilogy(depths, calls, "o-", label="calls, one per path (recursion)")
ax.semilogy(depths, edges, "s-", label="edges visited (topological order)")
ax.set(xlabel="number of doublings  b = a + a", ylabel="work", title="summing over paths vs. one pass")
ax.legend()
plt.show()

# %% [markdown]
# ## Gradients add up at a reused node
#
# The same rule answers why `grad` is accumulated with `+=`: a value used in several places
# influences the output along several paths, and the total derivative is the **sum** over them.
# Here `x` is used twice, by two different operations:
#
# $$u = x + 1, \qquad y = u \cdot x, \qquad \frac{dy}{dx} = \underbrace{u}_{\text{through } y = u x}
# + \underbrace{x \cdot 1}_{\text{through } u} = 2x + 1 .$$

# %%
x = Value(3.0, label="x")
u = x + 1
u.label = "u"
y = u * x
y.label = "y"
reused_steps = step_through(y, inputs=[x])
display(reused_steps)
print_backward_steps(reused_steps, y)
assert reused_steps.update_lines(2) == ["x.grad: 4 + 1 × 3 = 7"]  # what the prose below reads off
y.backward()
print(f"dy/dx at 3: {x.grad} = 2 * 3 + 1")

# %% [markdown]
# `x` gets its gradient in two steps: 4 from the product (its other factor, `u`), then 3 more
# through `u`. Had the second step *set* `x.grad` instead of adding to it, the 4 would be lost. A
# node can even use `x` twice itself: in `x * x` both parents are `x`, each edge contributes the
# other factor, and the two add up in the same step.

# %%
x = Value(3.0, label="x")
y = x * x
y.backward()
print("d(x*x)/dx at 3:", x.grad, "= 3 + 3")

# %% [markdown]
# The same `+=` means that gradients also accumulate *across calls*: leaves keep what they had.
# Calling `backward()` twice gives twice the gradient (as in PyTorch), which is why training loops
# zero the gradients before each backward pass.

# %%
y.backward()
print("after a second backward():", x.grad)
x.grad = 0.0
y.backward()
print("zeroed, then backward():   ", x.grad)

# %% [markdown]
# ## Checking against finite differences
#
# A derivative is a limit of slopes, so a slope over a tiny step approximates it. The central
# difference $\dfrac{f(x+h) - f(x-h)}{2h}$ has error of order $h^2$. For the one-neuron loss:


# %%
def loss(w, b, x):
    return (ag.tanh(w * x + b) - 1) ** 2


point = [-0.5, 0.5, 2.0]
engine = dict(zip("wbx", ag.grad(loss, argnums=(0, 1, 2))(*point)))  # backward(), through grad
h = 1e-6
for i, name in enumerate("wbx"):
    up, down = list(point), list(point)
    up[i] += h
    down[i] -= h
    numeric = (loss(*up) - loss(*down)) / (2 * h)
    print(f"dL/d{name}: central difference {numeric:+.9f}   backward {engine[name]:+.9f}")
print("gradcheck:", ag.gradcheck(loss, point))

# %% [markdown]
# Why not take $h$ as small as possible? Two errors pull in opposite directions. The *truncation*
# error of the formula shrinks with $h$: like $h^2$ for the central difference, only like $h$ for the
# forward difference $\dfrac{f(x+h) - f(x)}{h}$. The *rounding* error grows like
# $\varepsilon/h$ ($\varepsilon \approx 10^{-16}$): for a tiny $h$ the two function values agree in
# most of their digits, and subtracting them cancels the digits that were right. Here is the error
# against the engine's $\partial L/\partial w$ for both formulas, as $h$ shrinks (left to right):

# %%
steps = [10.0 ** (-k / 2) for k in range(1, 29)]
exact = engine["w"]
errors_central = [abs((loss(-0.5 + h, 0.5, 2.0) - loss(-0.5 - h, 0.5, 2.0)) / (2 * h) - exact) for h in steps]
errors_forward = [abs((loss(-0.5 + h, 0.5, 2.0) - loss(-0.5, 0.5, 2.0)) / h - exact) for h in steps]
fig, ax = plt.subplots(figsize=(6.5, 4))
ax.loglog(
    steps, [max(e, 1e-17) for e in errors_forward], "s-", label="forward difference (f(x+h) - f(x)) / h"
)
ax.loglog(steps, [max(e, 1e-17) for e in errors_central], "o-", label="central difference")
ax.set(xlabel="step h", ylabel="|difference - backward()|", title="finite differences vs. the engine's dL/dw")
ax.invert_xaxis()
ax.legend(loc="upper center")
plt.show()
best = {
    name: min(zip(errors, steps))
    for name, errors in (("central", errors_central), ("forward", errors_forward))
}
for name, (error, step) in best.items():
    print(f"{name} difference: smallest error {error:.0e}, at h = {step:.0e}")
assert 1e-7 <= best["central"][1] <= 1e-5 and 1e-9 <= best["forward"][1] <= 3e-8  # the prose below

# %% [markdown]
# Each curve falls while truncation dominates and rises once rounding does. The central difference
# is best for $h$ between $10^{-7}$ and $10^{-5}$; the forward difference, whose truncation error
# shrinks more slowly, only near $h = 10^{-8}$, and with a larger error (printed above). Either way
# the best $h$ is in between, which is why finite differences are a *check* (good to 6-10 digits)
# and the backward pass, exact up to rounding, is what we train with.

# %% [markdown]
# ## Exercises
#
# Each exercise has a cell to fill in (replace every `...`) followed by a checker cell that says
# *not yet*, *right*, or what is wrong and why. The answers are in `notebooks/solutions/`.
#
# **Exercise 2.1.** Fill in the gradients of $f = (a b + c)\, a$ at $a = 2$, $b = -3$, $c = 1.5$ by
# hand (a is used twice: add up both paths), as numbers or as arithmetic on these numbers.

# %%
df = {"a": ..., "b": ..., "c": ...}

# %% [solution]
df = {
    "a": (2 * -3 + 1.5) + 2 * -3,  # the outer factor (a*b + c), plus a times d(a*b + c)/da = a * b
    "b": 2 * 2,  # a * a
    "c": 2,
}  # a


# %%
def test_gradients_by_hand():
    answered(df)
    leaves = {name: Value(number, label=name) for name, number in (("a", 2.0), ("b", -3.0), ("c", 1.5))}
    f = (leaves["a"] * leaves["b"] + leaves["c"]) * leaves["a"]
    f.backward()
    for name, leaf in leaves.items():
        close(f"df/d{name}", df[name], leaf.grad, hint="a reaches f along two paths: sum them")


check("Exercise 2.1", test_gradients_by_hand)

# %% [markdown]
# **Exercise 2.2.** Here is a graph with every node labelled. Write a topological order of it by
# hand: a list of all its labels, each node after every one of its parents (several orders are
# right).


# %%
def labelled_graph():
    x, y = Value(0.5, label="x"), Value(-1.0, label="y")
    u = x * y
    u.label = "u"
    v = u + x
    v.label = "v"
    w = v.tanh()
    w.label = "w"
    out = w * u
    out.label = "out"
    return out


draw_graph(labelled_graph())

# %%
my_order = [...]

# %% [solution]
my_order = ["x", "y", "u", "v", "w", "out"]


# %%
def test_my_order():
    answered(my_order)
    nodes = {node.label: node for node in topological_order(labelled_graph())}
    if sorted(my_order) != sorted(nodes):
        raise Wrong(f"list every label exactly once: {sorted(nodes)}")
    seen = set()
    for label in my_order:
        missing = [parent.label for parent in nodes[label].parents if parent.label not in seen]
        if missing:
            raise Wrong(f"{label} comes before its parent {missing[0]}")
        seen.add(label)


check("Exercise 2.2", test_my_order)

# %% [markdown]
# **Exercise 2.3.** Write the central difference $\dfrac{f(x+h) - f(x-h)}{2h}$ as a function. The
# checker compares it with `grad(f)` on three functions, at a tolerance that finite differences
# can meet.


# %%
def central_difference(f, x, h=1e-6):
    return ...


# %% [solution]
def central_difference(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


# %%
def test_central_difference():
    for f, name in ((ag.tanh, "tanh"), (ag.exp, "exp"), (lambda v: v * v * v, "x^3")):
        for x in (-1.0, 0.3, 2.0):
            slope = ag.grad(f)(x)
            with without_the_engine():  # the engine's gradients are refused while your function runs
                yours = central_difference(f, x)
            close(
                f"the slope of {name} at {x}",
                yours,
                slope,
                rel_tol=1e-6,
                abs_tol=1e-7,
                hint=(
                    "f is evaluated at two points, one step either side of x",
                    "(f(x + h) - f(x - h)) / (2 h)",
                ),
            )


check("Exercise 2.3", test_central_difference)

# %% [markdown]
# **Exercise 2.4.** With the four patterns alone, no calculus: what are the gradients of
# $\text{out} = 2 \max(a b,\ a + c)$ at $a = 1.5$, $b = 2$, $c = -1$? (First find which input of
# the max wins.)

# %%
d_out = {"a": ..., "b": ..., "c": ...}

# %% [solution]
d_out = {
    "a": 2 * 2,  # a*b = 3 beats a+c = 0.5: the max passes 2 to a*b, which passes 2 * b to a
    "b": 2 * 1.5,  # and 2 * a to b
    "c": 0,
}  # the losing side of a max gets nothing


# %%
def test_patterns():
    answered(d_out)
    leaves = {name: Value(number, label=name) for name, number in (("a", 1.5), ("b", 2.0), ("c", -1.0))}
    (2 * ag.maximum(leaves["a"] * leaves["b"], leaves["a"] + leaves["c"])).backward()
    if d_out["c"] != 0:
        raise Wrong("c feeds only a + c, which loses the max: max routes the gradient to the winner alone")
    for name, leaf in leaves.items():
        close(
            f"d out/d{name}",
            d_out[name],
            leaf.grad,
            hint=(
                "the max passes 2 to the winner; a product swaps and scales",
                "a*b = 3 wins: a gets 2 * b, b gets 2 * a",
            ),
        )


check("Exercise 2.4", test_patterns)

# %% [markdown]
# **Takeaways.** A derivative says how the output moves when one value is nudged. The backward
# pass gets all of them at once: it is the chain rule, organised, and made of a few patterns (add
# distributes, multiply swaps and scales, max routes to the winner, a reused value sums). Each
# node's `grad` is the derivative of the output with respect to it, obtained by summing, over the
# nodes that use it, their `grad` times the local derivative. Walking a topological order backwards makes every node complete before
# it passes its gradient on, visiting each edge once; a naive recursion either double-counts or
# explodes. Finite differences confirm the result to the precision they can offer.
