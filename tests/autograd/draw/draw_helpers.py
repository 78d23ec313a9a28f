"""What the drawing tests share: example graphs (a neuron written out by hand, a small MLP's loss),
and readers of DOT text and SVG."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ElementTree

import pytest

import autograd
from autograd import Value, linear
from autograd.draw.render import RendererNotFoundError, find_renderer

SVG = "{http://www.w3.org/2000/svg}"


def renderer_available() -> bool:
    try:
        find_renderer()
    except RendererNotFoundError:
        return False
    return True


needs_renderer = pytest.mark.skipif(
    not renderer_available(), reason="no dot program (pip install graphviz-pure)"
)


def lines_with(source: str, text: str) -> list[str]:
    """The lines of DOT text ``source`` that contain ``text``, stripped."""
    return [line.strip() for line in source.splitlines() if text in line]


def node_line(source: str, name: str) -> str:
    """The one line of ``source`` that declares node ``name``."""
    (line,) = [line.strip() for line in source.splitlines() if line.strip().startswith(f"{name} [")]
    return line


def svg_texts(svg: str | bytes) -> list[str]:
    """The texts an SVG shows."""
    tree = ElementTree.fromstring(svg)
    return [element.text or "" for element in tree.iter(f"{SVG}text")]


def shown_numbers(svg: str) -> dict[tuple[int, str], list[str]]:
    """The numbers a frame's SVG shows, by (node position, "data" or "grad"): one text per place shown."""
    shown: dict[tuple[int, str], list[str]] = {}
    for text in ElementTree.fromstring(svg).iter(f"{SVG}text"):
        node = text.get("data-node")
        if node is not None:
            field = text.get("data-field", "")
            assert (text.text or "").startswith(field + " ")
            shown.setdefault((int(node), field), []).append((text.text or "")[len(field) + 1 :])
    return shown


def reused() -> tuple[Value, Value, Value]:
    """``y = (a * a + x) * x`` and ``tanh``: ``a`` used twice by one node, ``x`` by two nodes."""
    a, x = Value(3.0, label="a"), Value(-0.5, label="x")
    y = ((a * a + x) * x).tanh()
    y.label = "y"
    return y, a, x


def neuron() -> tuple[Value, list[Value], list[Value]]:
    """``o = tanh(x1*w1 + x2*w2 + b)``, every value labelled; returns (o, inputs, parameters)."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    n = x1w1 + x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, [x1, x2], [w1, w2, b]


def labelled(value: Value, label: str) -> Value:
    """``value``, labelled ``label``."""
    value.label = label
    return value


def one_neuron_loss() -> tuple[Value, list[Value], list[Value]]:
    """Notebook 02's ``L = (tanh(w*x + b) - 1) ** 2``, its values labelled as there (wx, z, a, u, L);
    returns (L, inputs, parameters)."""
    x, w, b = Value(2.0, label="x"), Value(-0.5, label="w"), Value(0.5, label="b")
    z = labelled(labelled(w * x, "wx") + b, "z")
    u = labelled(labelled(z.tanh(), "a") - 1, "u")
    return labelled(u**2, "L"), [x], [w, b]


def mlp_loss(seed: int = 0) -> tuple[Value, list[Value], list[Value]]:
    """A 2-4-1 tanh MLP's squared error on 4 points, built from Values; returns (loss, inputs, parameters)."""
    rng = random.Random(seed)

    def parameter(label: str) -> Value:
        return Value(rng.uniform(-1.0, 1.0), label=label)

    hidden = [([parameter(f"w{j}{i}") for i in range(2)], parameter(f"b{j}")) for j in range(4)]
    out_weights, out_bias = [parameter(f"v{j}") for j in range(4)], parameter("c")
    parameters = [p for weights, bias in hidden for p in (*weights, bias)] + [*out_weights, out_bias]
    inputs: list[Value] = []
    terms = []
    for k, (row, target) in enumerate(
        zip([[2.0, 3.0], [3.0, -1.0], [0.5, 1.0], [1.0, 1.0]], [1.0, -1.0, -1.0, 1.0])
    ):
        xs = [Value(v, label=f"x{k}{i}") for i, v in enumerate(row)]
        inputs += xs
        hs = [linear(weights, xs, bias).tanh() for weights, bias in hidden]
        prediction = linear(out_weights, hs, out_bias).tanh()
        terms.append((prediction - target) ** 2)
    loss = autograd.sum(terms)
    loss.label = "loss"
    return loss, inputs, parameters


def edge_labels(svg: str) -> dict[str, str]:
    """The local derivatives a frame's SVG writes on its edges, by edge name (empty ones left out)."""
    return {
        text.get("data-edge", ""): text.text or ""
        for text in ElementTree.fromstring(svg).iter(f"{SVG}text")
        if text.get("data-edge") is not None and text.text
    }


def unlabelled_neuron() -> tuple[Value, list[Value], list[Value]]:
    """``(w1*x1 + w2*x2 + b).tanh()`` with only the leaves labelled, as a learner writes it."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    return (w1 * x1 + w2 * x2 + b).tanh(), [x1, x2], [w1, w2, b]
