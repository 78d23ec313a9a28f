# %% [markdown]
# # 3. Build your own Value
#
# **Goal:** write a minimal reverse-mode autograd engine yourself, in a few dozen lines: a node that
# records its parents and local derivatives, a handful of operations, a topological order and the
# backward pass. Then check it against chainrule on hundreds of random expressions.
#
# Every other notebook imports the engine and never redefines it; this one defines engine code on
# purpose, because writing it once is the best way to see that there is nothing more to it. The
# steps follow notebooks 1 and 2: each cell below asks you to fill in a few lines (replace every
# `...`), and the checker after it says whether they are right.

# %%
import math
import random

import autograd as ag
from autograd import Value
from autograd.draw import draw_graph

SEED = 0
random.seed(SEED)  # the random expressions below take their own seeded generator too

# %% [checking]

# %% [markdown]
# ## Step 1: the node (given)
#
# A node is a number plus the record of how it was made: its `parents` and, parallel to them, its
# `local_grads` (the derivative of this node with respect to each parent), and an empty `grad` for
# the backward pass to fill. The operators call functions that you write in the next steps (Python
# looks them up only when an operator runs, so they may be defined later). A plain number used with
# a node becomes a node without parents, a constant.


# %%
class MyValue:
    """A number that remembers the operation that made it, for reverse-mode differentiation."""

    def __init__(self, data, parents=(), local_grads=(), op=""):
        self.data = data
        self.grad = 0.0
        self.parents = parents  # the nodes this one was computed from, in argument order
        self.local_grads = local_grads  # d self / d parent, one per parent
        self.op = op

    def __add__(self, other):
        return add(self, lift(other))

    def __radd__(self, other):
        return add(lift(other), self)

    def __mul__(self, other):
        return mul(self, lift(other))

    def __rmul__(self, other):
        return mul(lift(other), self)

    def __pow__(self, n):
        return power(self, n)

    def __repr__(self):
        return f"MyValue(data={self.data}, grad={self.grad})"


def lift(x):
    """A node for x: x itself if it is one, else a constant node."""
    return x if isinstance(x, MyValue) else MyValue(x)


three = lift(3.0)
print(three, "parents:", three.parents, "op:", repr(three.op))

# %% [markdown]
# ## Step 2: sums and products
#
# An operation computes its result *and* its local derivatives, right away, in the forward pass:
# $\frac{\partial (a+b)}{\partial a} = 1$, $\frac{\partial (a b)}{\partial a} = b$, and so on.
# Local derivatives are plain numbers here (chainrule's can also be Values, for higher order).
#
# **Exercise 3.1.** Fill in the data and the local derivatives of `add` and `mul`.


# %%
def add(a, b):
    return MyValue(..., parents=(a, b), local_grads=(..., ...), op="+")


def mul(a, b):
    return MyValue(..., parents=(a, b), local_grads=(..., ...), op="*")


# %% [solution]
def add(a, b):
    return MyValue(a.data + b.data, parents=(a, b), local_grads=(1.0, 1.0), op="+")


def mul(a, b):
    return MyValue(a.data * b.data, parents=(a, b), local_grads=(b.data, a.data), op="*")


# %%
def expect_node(what, node, data, local_grads, mistakes=()):
    """Compare a node's data and local derivatives with chainrule's numbers; ``mistakes`` are pairs
    (local derivatives a common mistake gives, what is wrong with them) that get their own hint."""
    answered(node.data, list(node.local_grads))
    close(f"the data of {what}", node.data, data)
    if len(node.local_grads) != len(local_grads):
        raise Wrong(f"{what} needs one local derivative per parent, {len(local_grads)} in all")
    for wrong, why in mistakes:
        if all(math.isclose(g, w) for g, w in zip(node.local_grads, wrong)) and not all(
            math.isclose(g, e) for g, e in zip(node.local_grads, local_grads)
        ):
            raise Wrong(f"the local derivatives of {what}: {why}")
    for k, (given, expected) in enumerate(zip(node.local_grads, local_grads)):
        close(f"local derivative {k} of {what}", given, expected)


def test_add_and_mul():
    a, b = MyValue(2.0), MyValue(-3.0)
    x, y = Value(2.0), Value(-3.0)
    swapped = "each factor's local derivative is the *other* factor: d(a*b)/da = b"
    expect_node("a + b", a + b, (x + y).data, (x + y).local_grads)
    expect_node("a * b", a * b, (x * y).data, (x * y).local_grads, [((2.0, -3.0), swapped)])
    expect_node("a * 4", a * 4, (x * Value(4.0)).data, (x * Value(4.0)).local_grads, [((2.0, 4.0), swapped)])


check("Exercise 3.1", test_add_and_mul)

# %% [markdown]
# ## Step 3: functions of one node
#
# The same for `tanh`, `exp` and a power with a constant exponent `n` (a plain number). Each
# derivative can be written with the numbers at hand: $\tanh' = 1 - \tanh^2$ uses the result itself,
# $\exp' = \exp$ too, and $(a^n)' = n\,a^{n-1}$.
#
# **Exercise 3.2.** Fill in the local derivatives.


# %%
def tanh(a):
    out = math.tanh(a.data)
    return MyValue(out, parents=(a,), local_grads=(...,), op="tanh")


def exp(a):
    out = math.exp(a.data)
    return MyValue(out, parents=(a,), local_grads=(...,), op="exp")


def power(a, n):
    return MyValue(a.data**n, parents=(a,), local_grads=(...,), op=f"**{n}")


# %% [solution]
def tanh(a):
    out = math.tanh(a.data)
    return MyValue(out, parents=(a,), local_grads=(1 - out * out,), op="tanh")


def exp(a):
    out = math.exp(a.data)
    return MyValue(out, parents=(a,), local_grads=(out,), op="exp")


def power(a, n):
    return MyValue(a.data**n, parents=(a,), local_grads=(n * a.data ** (n - 1),), op=f"**{n}")


# %%
def test_functions():
    for number in (-1.5, 0.25, 2.0):
        x = Value(number)
        expect_node(
            f"tanh({number})",
            tanh(MyValue(number)),
            ag.tanh(x).data,
            ag.tanh(x).local_grads,
            [((1 - number**2,), "tanh' is 1 - tanh(a)^2: square the result, out, not the input")],
        )
        expect_node(
            f"exp({number})",
            exp(MyValue(number)),
            ag.exp(x).data,
            ag.exp(x).local_grads,
            [((number,), "exp' is exp itself: the result, out, not the input")],
        )
        for n in (2, 3):
            expect_node(
                f"{number} ** {n}",
                MyValue(number) ** n,
                (x**n).data,
                (x**n).local_grads,
                [
                    ((n * number**n,), "(a^n)' = n a^(n-1): the exponent drops by one"),
                    ((number ** (n - 1),), "(a^n)' = n a^(n-1): the old exponent n comes down"),
                ],
            )


check("Exercise 3.2", test_functions)

# %% [markdown]
# ## Step 4: a topological order
#
# Notebook 2 showed why the backward pass must handle a node only after every node that uses it:
# it walks a *topological order* (each node after all of its parents) from the end. The classic
# way to build one is a depth-first walk that appends a node once all of its parents are in the
# list, skipping nodes already visited (a node used twice must appear once).
#
# **Exercise 3.3.** Write `topological_order(root)`: every node `root` depends on, `root` last. A
# recursive helper is fine at this size.


# %%
def topological_order(root):
    return ...


# %% [solution]
def topological_order(root):
    order, visited = [], set()

    def visit(node):
        if id(node) not in visited:
            visited.add(id(node))
            for parent in node.parents:
                visit(parent)
            order.append(node)

    visit(root)
    return order


# %%
def test_topological_order():
    a, b = MyValue(1.0), MyValue(2.0)
    c = a * b + a
    root = (c * c) * c + b  # only + and *, so that this checks exercise 3.3 alone
    order = topological_order(root)
    answered(order)
    reachable, stack = set(), [root]
    while stack:  # every node root depends on, found by a plain search
        node = stack.pop()
        if id(node) not in reachable:
            reachable.add(id(node))
            stack.extend(node.parents)
    if len(order) != len({id(node) for node in order}):
        raise Wrong("a node appears twice: remember the nodes you have visited")
    if {id(node) for node in order} != reachable:
        raise Wrong(f"the graph has {len(reachable)} nodes, your order lists {len(order)}")
    placed = set()
    for node in order:
        if any(id(parent) not in placed for parent in node.parents):
            raise Wrong(f"a {node.op!r} node comes before one of its parents")
        placed.add(id(node))


check("Exercise 3.3", test_topological_order)

# %% [markdown]
# ## Step 5: the backward pass
#
# Now the chain rule, once. Reset every `grad` to 0, seed `root.grad = 1`, and walk the topological
# order from the end: each node adds its `grad` times each local derivative to the `grad` of the
# corresponding parent (`+=`: a node used several times collects a contribution from each use).
#
# **Exercise 3.4.** Write `backward(root)`; it returns nothing.


# %%
def backward(root):
    return ...


# %% [solution]
def backward(root):
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * node.grad


# %% [markdown]
# ## Step 6: against chainrule, on random expressions
#
# A random expression is a recipe: start from three inputs and apply one operation after another
# (`+`, `*`, `tanh`, `exp`, a square, a cube, or a constant added or multiplied), each to the
# previous result and, for `+` and `*`, to a randomly chosen earlier one. The first steps bring in
# the inputs and the last is a `+` or `*`, so every expression reaches all three inputs and reuses
# at least one result: the cases where a backward pass can go wrong. The same recipe is cooked once
# with your `MyValue` and once with chainrule's `Value`; the values and every input's gradient must
# agree. Here is one such expression, built and drawn by chainrule:

# %%
OPERATIONS = ("+", "*", "tanh", "exp", "**2", "**3", "+c", "*c")


def random_recipe(rng, n_inputs=3, n_steps=8):
    """Input numbers and a list of steps (operation, operand positions, constant): each step works on
    the previous result (and, for + and *, one earlier result); the first steps combine the inputs."""
    inputs = [rng.uniform(-1, 1) for _ in range(n_inputs)]
    steps = []
    for made in range(n_inputs, n_inputs + n_steps):
        previous = made - 1 if made > n_inputs else 0
        if made - n_inputs < n_inputs - 1:  # bring in the next input
            steps.append((rng.choice("+*"), previous, made - n_inputs + 1, 0.0))
            continue
        last = made == n_inputs + n_steps - 1
        op = rng.choice("+*") if last else rng.choice(OPERATIONS)
        steps.append((op, previous, rng.randrange(made), rng.uniform(-2, 2)))
    return inputs, steps


def describe(recipe):
    """A recipe as formulas, one per step: 'v3 = x0 * x1; v4 = tanh(v3); ...'."""
    inputs, steps = recipe
    names = [f"x{k}" for k in range(len(inputs))]
    formulas = []
    for op, i, j, constant in steps:
        a, b = names[i], names[j]
        text = {
            "+": f"{a} + {b}",
            "*": f"{a} * {b}",
            "tanh": f"tanh({a})",
            "exp": f"exp(tanh({a}))",
            "**2": f"{a} ** 2",
            "**3": f"{a} ** 3",
            "+c": f"{a} + {constant:.3g}",
            "*c": f"{a} * {constant:.3g}",
        }[op]
        names.append(f"v{len(names)}")
        formulas.append(f"{names[-1]} = {text}")
    return "; ".join(formulas)


def apply(op, a, b, constant, tanh_of, exp_of):
    """One step of a recipe, with the engine's own tanh and exp."""
    if op in ("+", "*"):
        return a + b if op == "+" else a * b
    if op in ("tanh", "exp"):
        return tanh_of(a) if op == "tanh" else exp_of(tanh_of(a))
    if op in ("**2", "**3"):
        return a ** int(op[2])
    return a + constant if op == "+c" else a * constant


def cook(recipe, leaf, tanh_of, exp_of):
    """The recipe's inputs and result, with leaf() making the input nodes."""
    inputs, steps = recipe
    nodes = [leaf(number) for number in inputs]
    for op, i, j, constant in steps:
        nodes.append(apply(op, nodes[i], nodes[j], constant, tanh_of, exp_of))
    return nodes[: len(inputs)], nodes[-1]


def reused(root):
    """How many nodes of root's graph are used more than once (by two operations, or twice by one)."""
    uses = {}
    for node in ag.topological_order(root):
        for parent in node.parents:
            uses[parent] = uses.get(parent, 0) + 1
    return sum(1 for count in uses.values() if count > 1)


example = random_recipe(random.Random(SEED))
example_leaves, example_root = cook(example, Value, ag.tanh, ag.exp)
for k, leaf in enumerate(example_leaves):
    leaf.label = f"x{k}"
example_root.backward()
print(describe(example))
print(f"{reused(example_root)} reused nodes")
assert reused(example_root) > 0
draw_graph(example_root, inputs=example_leaves, number_format=".3g")

# %% [markdown]
# (`exp` is applied to a `tanh`, so that repeated exponentials cannot overflow.) The checker
# compares 300 random expressions like this one; here is what they hold:

# %%
rng = random.Random(SEED)
recipes = [random_recipe(rng) for _ in range(300)]
roots = [cook(recipe, Value, ag.tanh, ag.exp) for recipe in recipes]
reaching_all = sum(1 for leaves, root in roots if all(leaf in ag.topological_order(root) for leaf in leaves))
with_reuse = sum(1 for _, root in roots if reused(root) > 0)
print(
    f"{len(recipes)} expressions of {len(recipes[0][1])} operations each; {reaching_all} reach all three "
    f"inputs, {with_reuse} reuse at least one node"
)
assert reaching_all == with_reuse == len(recipes)

# %% [markdown]
# The checker runs your `backward` twice on each, as training does: the second pass must give the
# same gradients, so it must start from zero. It needs exercises 3.1 to 3.3 to be right first.


# %%
def test_against_chainrule():
    for earlier in (test_add_and_mul, test_functions, test_topological_order):
        try:
            earlier()
        except (NotYet, Wrong):
            raise NotYet("exercises 3.1 to 3.3 first") from None
    for trial, recipe in enumerate(recipes):
        leaves, root = cook(recipe, Value, ag.tanh, ag.exp)
        root.backward()
        with without_the_engine():
            my_leaves, my_root = cook(recipe, MyValue, tanh, exp)
            if backward(my_root) is ...:
                raise NotYet("write backward()")
            first = [leaf.grad for leaf in my_leaves]
            backward(my_root)
        where = f"in expression {trial}: {describe(recipe)}"
        close(f"the value {where}", my_root.data, root.data, rel_tol=1e-12)
        if [leaf.grad for leaf in my_leaves] != first:
            raise Wrong(
                f"a second backward() changed the gradients {where}. Hint: reset every grad to 0 "
                "before seeding the root"
            )
        for k, (mine, theirs) in enumerate(zip(my_leaves, leaves)):
            close(
                f"d(v{len(leaves) + len(recipe[1]) - 1})/dx{k} {where}",
                mine.grad,
                theirs.grad,
                rel_tol=1e-9,
                abs_tol=1e-12,
                hint=(
                    "walk the order from the end, and add (+=) to each parent's grad",
                    "reset, seed 1, then reversed(order) with +=",
                ),
            )


check("Exercise 3.4", test_against_chainrule)

# %% [markdown]
# **Takeaways.** A reverse-mode engine is small: a node that stores its parents and local
# derivatives next to its value, operations that fill them in during the forward pass, a
# topological order, and one loop that applies the chain rule from the output back. chainrule is
# this same design with more operations, IEEE-exact edge cases (`inf` and `nan` instead of Python
# exceptions), an iterative order that handles graphs of millions of nodes, local derivatives that
# can be `Value`s themselves (for the second derivatives of notebook 11), and a lot of tests.
#
# **From numbers to tensors.** Here every local derivative is one number stored on its edge, and the
# backward pass multiplies it by one number. A tensor library applies the same loop to whole arrays,
# and there a local derivative would be a Jacobian matrix: for $z = W x$ with a $1000 \times 1000$
# matrix $W$, $\partial z/\partial W$ has $10^9$ entries, too many to build. So each operation stores
# instead what it needs to *multiply a gradient by* its Jacobian, a vector-Jacobian product: given
# $\bar z = \partial L/\partial z$, it returns $W^\top \bar z$ for $x$ and $\bar z\, x^\top$ for
# $W$. Each of those products sums, over the edges into one node, exactly the `local * node.grad`
# terms our loop adds one at a time; the chain rule and the order are the same.
