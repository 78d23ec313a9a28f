"""Tests of autograd.draw's layout: the DOT text it writes (no renderer needed), and backward steps."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest
from draw_helpers import SVG, lines_with, mlp_loss, needs_renderer, neuron, node_line, svg_texts

import autograd
import nn
from autograd import Value
from autograd.draw import (
    ROLE_COLORS,
    GraphTooLargeError,
    backward_step_count,
    draw_backward_steps,
    draw_graph,
    escape_record,
)

graphviz = pytest.importorskip("graphviz")


# ----- the DOT text, no renderer needed ----------------------------------------------------------


def test_one_record_per_value_and_one_node_per_operation() -> None:
    o, _, _ = neuron()
    o.backward()
    graph = draw_graph(o, rankdir="LR")
    assert isinstance(graph, graphviz.Digraph)
    source = graph.source
    assert len(re.findall(r"^\tv\d+ \[", source, re.M)) == 10  # 5 leaves, 5 results
    assert len(re.findall(r"^\top\d+ \[", source, re.M)) == 5
    assert "rankdir=LR" in source
    assert 'label="{ o | data 0.7071 | grad 1 }"' in source
    assert 'label="{ x1 | data 2 | grad -1.5 }"' in source
    assert 'label="{ w1 | data -3 | grad 1 }"' in source
    assert "label=tanh" in source


def test_autograd_draw_is_the_drawing_package() -> None:
    import autograd

    o, _, _ = neuron()
    assert autograd.draw.draw_graph(o, rankdir="TB").source == draw_graph(o, rankdir="TB").source
    assert not hasattr(o, "draw")  # the core knows nothing of drawing


def test_edges_follow_argument_order_and_repeats() -> None:
    a, b = Value(3.0, label="a"), Value(4.0, label="b")
    y = a * a + b * a
    position = {node: i for i, node in enumerate(autograd.topological_order(y))}
    aa, ba = y.parents
    va, vb, vaa, vba, vy = (f"v{position[node]}" for node in (a, b, aa, ba, y))
    op_aa, op_ba, op_y = (f"op{position[node]}" for node in (aa, ba, y))
    edges = lines_with(draw_graph(y).source, "->")
    assert edges.index(f"{va} -> {op_aa}") + 1 == edges.index(
        f"{va} -> {op_aa}", edges.index(f"{va} -> {op_aa}") + 1
    )
    assert [e for e in edges if e.endswith(op_aa)] == [f"{va} -> {op_aa}"] * 2  # a*a: two edges from a
    assert [e for e in edges if e.endswith(op_ba)] == [f"{vb} -> {op_ba}", f"{va} -> {op_ba}"]  # b first
    assert [e for e in edges if e.endswith(op_y)] == [f"{vaa} -> {op_y}", f"{vba} -> {op_y}"]
    assert len(edges) == 9  # 6 argument edges, 3 from an operation to its result


def test_local_derivatives_on_edges() -> None:
    x = Value(3.0, label="x")
    y = Value(5.0, label="y")
    z = x * y
    edges = lines_with(draw_graph(z, local_grads=True).source, "->")
    assert edges == ["op2 -> v2", "v0 -> op2 [label=5]", "v1 -> op2 [label=3]"]  # d(xy)/dx = y
    assert "local derivatives" in draw_graph(z, local_grads=True).source


def test_folded_constants_are_drawn_as_constants() -> None:
    x = Value(1.5, label="x")
    y = x * 2.0 + 0.25
    source = draw_graph(y).source
    assert node_line(source, "c1").startswith("c1 [label=2 ")
    assert node_line(source, "c2").startswith("c2 [label=0.25 ")
    assert "c1 -> op1 [style=dashed]" in source
    assert ROLE_COLORS["constant"] in node_line(source, "c1")


def test_rankdir_changes_direction_and_keeps_rows() -> None:
    x = Value(1.0, label="x")
    source = draw_graph(x.exp(), rankdir="TB").source
    assert "rankdir=TB" in source
    assert 'label="x | data 1 | grad 0"' in source  # a row: no braces top to bottom
    with pytest.raises(ValueError, match="rankdir"):
        draw_graph(x, rankdir="sideways")


def test_number_format() -> None:
    x = Value(1.0 / 3.0, label="x")
    assert "data 0.33 " in draw_graph(x, number_format=".2f").source
    assert "data third " in draw_graph(x, number_format=lambda v: "third" if v < 0.5 else "?").source
    with pytest.raises(ValueError):
        draw_graph(x, number_format="not a spec")


def test_record_special_characters_are_escaped() -> None:
    assert escape_record('a|b{c}<d>"e"\\') == 'a\\|b\\{c\\}\\<d\\>\\"e\\"\\\\'
    x = Value(1.0, label='odd | {label} <with> "quotes" \\ ')
    source = draw_graph(x).source
    assert 'odd \\| \\{label\\} \\<with\\> \\"quotes\\" \\\\' in source


def test_dot_text_is_deterministic() -> None:
    loss1, loss2 = mlp_loss()[0], mlp_loss()[0]
    first = draw_graph(loss1, groups=nn.neuron_groups(loss1)).source
    second = draw_graph(loss2, groups=nn.neuron_groups(loss2)).source
    assert first == second
    o1, o2 = neuron()[0], neuron()[0]
    assert draw_graph(o1, local_grads=True).source == draw_graph(o2, local_grads=True).source
    loss = mlp_loss()[0]
    source = draw_graph(loss).source
    assert not any(str(id(node)) in source for node in autograd.topological_order(loss))  # no id() in it


def test_colours_by_role() -> None:
    o, inputs, parameters = neuron()
    constant = Value(0.5, label="k")
    y = o * constant
    source = draw_graph(y, parameters=parameters, inputs=inputs).source
    position = {node: i for i, node in enumerate(autograd.topological_order(y))}
    assert ROLE_COLORS["input"] in node_line(source, f"v{position[inputs[0]]}")
    assert ROLE_COLORS["parameter"] in node_line(source, f"v{position[parameters[2]]}")
    assert ROLE_COLORS["constant"] in node_line(source, f"v{position[constant]}")
    assert ROLE_COLORS["output"] in node_line(source, f"v{position[y]}")
    assert ROLE_COLORS["value"] in node_line(source, f"v{position[o]}")
    assert ROLE_COLORS["operation"] in node_line(source, f"op{position[o]}")
    # without inputs=, leaves that are not parameters are inputs; colours can be overridden
    source = draw_graph(y, parameters=parameters, colors={"input": "pink"}).source
    assert "pink" in node_line(source, f"v{position[constant]}")


def test_neuron_groups_keep_an_mlp_legible() -> None:
    loss, inputs, parameters = mlp_loss()
    full = draw_graph(loss, parameters=parameters, inputs=inputs).source
    collapsed = draw_graph(loss, parameters=parameters, inputs=inputs, groups=nn.neuron_groups(loss)).source
    boxes = re.findall(r"^\tg\d+ \[label=\"\{ \{ (layer \d, neuron \d) \| ([^|]*?) \}", collapsed, re.M)
    assert len(boxes) == 20  # 5 neurons x 4 points
    assert sorted({name for name, _ in boxes}) == [f"layer 1, neuron {k}" for k in range(1, 5)] + [
        "layer 2, neuron 1"
    ]
    assert {description for _, description in boxes} == {
        "tanh(w.x + b)\\n3 parameters",
        "tanh(w.x + b)\\n5 parameters",
    }
    assert "linear" not in collapsed and "linear" in full
    assert "w00" not in collapsed and "w00" in full  # the weights live inside the boxes
    assert "x00" in collapsed  # the inputs do not
    count = len(re.findall(r"^\t\w+ \[", collapsed, re.M))
    assert count < len(re.findall(r"^\t\w+ \[", full, re.M)) / 2
    # without parameters=, the neuron groups hide their weights and biases all the same
    assert draw_graph(loss, inputs=inputs, groups=nn.neuron_groups(loss)).source == collapsed


def test_explicit_groups() -> None:
    o, inputs, parameters = neuron()
    x1w1, x2w2 = o.parents[0].parents[0].parents
    source = draw_graph(o, groups={"weighted sum": [x1w1, x2w2]}, parameters=parameters).source
    (box,) = lines_with(source, "g0 [")
    assert "weighted sum" in box and "2 nodes" in box
    edges = lines_with(source, "-> g0")
    assert len(edges) == 2  # x1 and x2 (the weights disappear into the box)
    with pytest.raises(ValueError, match="two groups"):
        draw_graph(o, groups=[[x1w1], [x1w1, x2w2]])


def test_max_nodes_has_a_clear_message() -> None:
    loss, _, _ = mlp_loss()
    with pytest.raises(GraphTooLargeError, match=r"would have \d+ nodes, more than max_nodes=50.*groups="):
        draw_graph(loss, max_nodes=50)
    assert isinstance(GraphTooLargeError("x"), ValueError)
    draw_graph(loss, max_nodes=None)
    draw_graph(loss, groups=nn.neuron_groups(loss), max_nodes=100)


def test_the_size_limit_is_checked_before_any_replay_or_number_formatting(monkeypatch) -> None:
    import autograd.draw.scene
    import autograd.draw.viewer
    from autograd.draw import step_through
    from autograd.draw.dot import Style

    def must_not_run(*args: object) -> None:
        raise AssertionError("a graph too large to draw was replayed, named or had its numbers formatted")

    monkeypatch.setattr(autograd.draw, "replay_backward", must_not_run)
    monkeypatch.setattr(autograd.draw.viewer, "replay_backward", must_not_run)
    monkeypatch.setattr(autograd.draw.scene, "short_names", must_not_run)
    monkeypatch.setattr(Style, "number", must_not_run)
    x = Value(0.5, label="x")
    y = x
    for _ in range(100_000):  # 10^5 nodes, each drawn with its operation and its constant
        y = y + 1.0
    for draw in (
        lambda: draw_graph(y),
        lambda: draw_graph(y, backward_step=1),
        lambda: step_through(y),
        lambda: draw_graph(y, groups=[[y]], number_format=lambda v: "?"),
    ):
        with pytest.raises(GraphTooLargeError, match=r"would have (300001|299999) nodes, more than"):
            draw()


def test_a_single_leaf_draws() -> None:
    source = draw_graph(Value(2.0, label="alone")).source
    assert lines_with(source, "->") == []
    assert ROLE_COLORS["output"] in node_line(source, "v0")


# ----- stepping through the backward pass ---------------------------------------------------------


def grads_in(source: str) -> dict[str, str]:
    """Each value record's grad, by its DOT name, in either direction's record shape."""
    found = re.findall(r'^\t(v\d+) \[label="(?:\{ )?(?:[^|]*\| )?data [^|]* \| grad ([^ "]+)', source, re.M)
    return dict(found)


def test_backward_steps_fill_in_gradients_without_touching_the_graph() -> None:
    o, _, _ = neuron()
    steps = backward_step_count(o)
    assert steps == 5
    frames = [draw_graph(o, backward_step=k).source for k in range(steps + 1)]
    assert all(node.grad == 0.0 for node in autograd.topological_order(o))  # real grads untouched
    # step 0: only the seed; no other gradient has arrived (not a computed zero)
    assert grads_in(frames[0])["v9"] == "1" and set(grads_in(frames[0]).values()) == {"1", "?"}
    assert "backward step 0 of 5" in frames[0]
    # step 1: tanh passes 1 - tanh(n)**2 = 0.5 to n
    assert grads_in(frames[1])["v8"] == "0.5"
    assert 'op9 [label=tanh color="#d62728"' in frames[1]
    # the edge it uses carries its local derivative and points the way the gradient flows
    assert 'v8 -> op9 [label=0.5 color="#d62728" dir=back' in frames[1]
    assert 'color="#1f77b4"' in node_line(frames[1], "v8")  # n: the value whose grad the step changed
    assert grads_in(frames[1])["v0"] == "?"
    # the last step gives what backward() gives
    o.backward()
    assert grads_in(frames[-1]) == grads_in(draw_graph(o).source)
    assert len(draw_backward_steps(o)) == steps + 1
    with pytest.raises(ValueError, match="steps 0 to 5"):
        draw_graph(o, backward_step=6)


def test_backward_steps_match_backward_on_repeats() -> None:
    a = Value(3.0, label="a")
    y = a * a * a  # dy/da = 27
    final = grads_in(draw_graph(y, backward_step=backward_step_count(y)).source)
    assert final["v0"] == "27"
    assert a.grad == 0.0


def test_backward_step_highlights_a_collapsed_box() -> None:
    loss, inputs, parameters = mlp_loss()
    interior = [node for node in autograd.topological_order(loss) if node.parents]
    steps = len(interior)
    neurons = nn.neuron_groups(loss)
    last = draw_graph(loss, groups=neurons, backward_step=steps).source  # a first-layer linear
    assert interior[0].op == "linear"
    assert len(re.findall(r'^\tg\d+ .*color="#d62728"', last, re.M)) == 1
    sending = re.findall(r'^\tv\d+ -> g\d+ \[label=(\S+) color="#d62728" dir=back', last, re.M)
    assert len(sending) == 2  # from its two inputs, each with its local derivative (a weight)
    tanh_step = steps - interior.index(next(node for node in interior if node.op == "tanh"))
    source = draw_graph(loss, groups=neurons, backward_step=tanh_step).source
    assert len(re.findall(r'^\tg\d+ .*color="#d62728"', source, re.M)) == 1
    assert "penwidth=2" not in source  # tanh passes its grad inside the box, along no drawn edge


def test_a_one_term_sum_draws_no_constant_box():
    import autograd as ag

    x = Value(2.0, label="x")
    with_zero = draw_graph(ag.sum([x * x])).source
    with_shift = draw_graph(ag.sum([x * x, 3.0])).source
    constant_colour = ROLE_COLORS["constant"]
    assert constant_colour not in with_zero
    assert constant_colour in with_shift and "3" in with_shift


# ----- text that is shown as written, and bad arguments ---------------------------------------------


def test_a_title_like_html_is_text_not_an_html_label() -> None:
    source = draw_graph(Value(1.0, label="x"), title='<b>x</b> & "y"').source
    (graph_line,) = lines_with(source, "graph [")
    # the caption is an HTML-like label (it holds the colour key); the title is text inside it
    assert "&lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;" in graph_line and "<b>" not in graph_line


@needs_renderer
def test_a_title_like_html_renders_as_written() -> None:
    graph = draw_graph(Value(1.0, label="x"), title="<b>x</b>")
    assert "<b>x</b>" in svg_texts(graph.pipe(format="svg"))


@pytest.mark.parametrize(
    "character", ["\x00", "\x01", "\t", "\r", "\x1b", "\x7f", "\x85", "\ud800", "\uffff"]
)
def test_invisible_characters_in_labels_are_written_as_escapes(character: str) -> None:
    escape = character.encode("unicode_escape", "backslashreplace").decode("ascii")  # e.g. \x00
    x = Value(1.0, label=f"a{character}b")
    y = x.exp()
    y.label = f"out{character}"
    source = draw_graph(y, title=f"title{character}", number_format=lambda v: f"{v:.1f}{character}").source
    assert not any(character in line.lstrip("\t") for line in source.splitlines())  # DOT indents by tabs
    doubled = escape.replace("\\", "\\\\")  # a backslash is written \\ in DOT
    assert f"a{doubled}b" in node_line(source, "v0")  # a record label
    assert f"title{escape}" in lines_with(source, "graph [")[0]  # in the caption, an HTML-like label
    assert source.encode("utf-8")  # a lone surrogate would not even encode


@needs_renderer
def test_a_nul_in_a_label_renders_as_an_escape() -> None:
    svg = draw_graph(Value(1.0, label="a\x00b"), title="t\x00").pipe(format="svg")
    ElementTree.fromstring(svg)  # well-formed XML
    texts = svg_texts(svg)
    assert "a\\x00b" in texts and "t\\x00" in texts


@needs_renderer
@pytest.mark.parametrize("text", ["a &amp; b", "&#1;", "&#xD800;", "R&D;", "&lt;x&gt;", "&", "\ud800"])
def test_ampersands_and_character_references_are_drawn_as_written(text: str) -> None:
    # Graphviz decodes character references: "&amp;" was drawn as "&", "&#1;" made invalid XML and
    # "&#xD800;" invalid UTF-8; every text must come out exactly as written, in a valid SVG
    shown = text.encode("unicode_escape", "backslashreplace").decode("ascii") if text == "\ud800" else text
    x = Value(2.0, label=text)
    y = x * 3.0
    y.label = f"y {text}"
    graph = draw_graph(y, title=text, local_grads=True, number_format=lambda v: f"{v:g}{text}")
    svg = graph.pipe(format="svg")
    root = ElementTree.fromstring(svg.decode("utf-8"))  # valid UTF-8, valid XML
    texts = svg_texts(svg)
    for expected in (shown, f"y {shown}", f"data 2{shown}", f"grad 0{shown}", f"3{shown}"):
        assert expected in texts  # a record, a label, an edge's derivative, a constant
    assert texts.count(shown) == 2  # the leaf's label and the title
    tooltips = [a.get("{http://www.w3.org/1999/xlink}title") for a in root.iter(f"{SVG}a")]
    assert f"{shown}: data=2.0, grad=0.0" in tooltips


@pytest.mark.parametrize("root", [1.5, None, "x", [Value(1.0)]])
def test_drawing_something_that_is_not_a_value_is_a_type_error(root: object) -> None:
    for call in (draw_graph, backward_step_count, draw_backward_steps):
        with pytest.raises(TypeError, match=r"root must be a Value.*got " + type(root).__name__):
            call(root)  # type: ignore[arg-type]


def test_bad_options_name_the_option() -> None:
    x = Value(1.0, label="x")
    with pytest.raises(TypeError, match=r"number_format=.*function"):
        draw_graph(x, number_format=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"number_format=.*returned float"):
        draw_graph(x, number_format=lambda v: v)  # type: ignore[arg-type,return-value]
    with pytest.raises(ValueError, match=r"max_nodes=.*positive int"):
        draw_graph(x, max_nodes=0)
    with pytest.raises(TypeError, match=r"title=.*string"):
        draw_graph(x, title=5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"colors=.*unknown roles \['inputs'\]"):
        draw_graph(x, colors={"inputs": "pink"})
    with pytest.raises(TypeError, match=r"parameters=.*iterable of Values"):
        draw_graph(x, parameters=x)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"inputs=.*got a float"):
        draw_graph(x, inputs=[1.0])  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"backward_step=.*steps 0 to 0"):
        draw_graph(x, backward_step=True)
    # numpy's integers count as integers, as Python's do
    y = x.exp()
    assert (
        draw_graph(y, backward_step=np.int64(1), max_nodes=np.int64(3)).source
        == draw_graph(y, backward_step=1, max_nodes=3).source
    )


# ----- readable at a notebook's width -------------------------------------------------------------


def test_the_direction_follows_the_shape_of_the_graph() -> None:
    x = Value(0.5, label="x")
    chain = x
    for _ in range(12):
        chain = (chain * 1.01).tanh()
    assert "rankdir=TB" in draw_graph(chain).source  # left to right it would be a strip ~3,000 px wide
    assert "rankdir=LR" in draw_graph(x * Value(2.0, label="y")).source  # small: left to right fits
    short = (Value(0.5, label="x") + 1).tanh()
    short.backward()
    assert "rankdir=TB" in draw_graph(short).source  # left to right: 900 px, wider than the 860 px column
    wide = autograd.sum([Value(float(k), label=f"input {k}") * 2.0 for k in range(12)])
    assert "rankdir=LR" in draw_graph(wide).source  # top to bottom, twelve inputs would sit side by side
    assert "rankdir=RL" in draw_graph(chain, rankdir="RL").source  # asked for: kept


def test_a_colour_key_in_the_picture_names_the_colours_it_uses() -> None:
    o, inputs, parameters = neuron()
    (graph_line,) = lines_with(draw_graph(o, inputs=inputs, parameters=parameters).source, "graph [")
    key = re.findall(r'<TD BORDER="\d"(?: BGCOLOR| COLOR)="([^"]+)">([^<]+)</TD>', graph_line)
    assert key == [
        (ROLE_COLORS["input"], "input"),
        (ROLE_COLORS["parameter"], "parameter"),
        (ROLE_COLORS["value"], "value"),
        (ROLE_COLORS["output"], "output"),
        (ROLE_COLORS["operation"], "operation"),
    ]
    (step_line,) = lines_with(draw_graph(o, backward_step=1, colors={"current": "orange"}).source, "graph [")
    assert '<TD BORDER="2" COLOR="orange">being processed</TD>' in step_line
    assert f'<TD BORDER="2" COLOR="{ROLE_COLORS["updated"]}">gradient updated</TD>' in step_line


def test_arguments_keep_their_order_in_the_picture() -> None:
    source = draw_graph(neuron()[0]).source
    operations = re.findall(r"^\top\d+ \[.*$", source, re.M)
    assert operations and all("ordering=in" in line for line in operations)


@needs_renderer
def test_no_text_is_smaller_than_11_points() -> None:
    x = Value(1.5, label="x")
    y = (x * 2.0 + 0.25).tanh()
    svg = draw_graph(y, local_grads=True, backward_step=2, title="t").pipe(format="svg")
    sizes = [float(text.get("font-size", "0")) for text in ElementTree.fromstring(svg).iter(f"{SVG}text")]
    assert len(sizes) > 10 and min(sizes) >= 11.0


def test_a_gradient_reset_to_none_is_drawn_as_zero():
    x = Value(2.0, label="x")
    y = x * 3.0
    x.grad = None  # type: ignore[assignment]
    source = draw_graph(y).source
    assert "x: data=2.0, grad=0.0" in source
