"""Tests of drawing groups: ``Group`` (autograd.draw.groups) and the ``groups=`` option of draw_graph."""

from __future__ import annotations

import re

import pytest
from draw_helpers import lines_with, needs_renderer, neuron, node_line, svg_texts

from autograd import Value
from autograd.draw import ROLE_COLORS, Group, draw_graph

pytest.importorskip("graphviz")


def parts_of_neuron() -> tuple[Value, list[Value], list[Value], Value]:
    """The hand-written neuron ``o = tanh(n)``: (o, the nodes of n = x1*w1 + x2*w2 + b, [w1, w2, b], n)."""
    o, _, parameters = neuron()
    n = o.parents[0]
    x1w1_plus_x2w2 = n.parents[0]
    return o, [*x1w1_plus_x2w2.parents, x1w1_plus_x2w2, n], parameters, n


def box_label(source: str, number: int = 0) -> str:
    (label,) = re.findall(r'label="(.*?)" ', node_line(source, f"g{number}"))
    return label


def test_a_group_checks_its_arguments() -> None:
    x = Value(1.0)
    y = x.exp()
    with pytest.raises(TypeError, match="name must be a string"):
        Group(5, [y])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Group 'g' members: expected an iterable of Values, got str"):
        Group("g", "xy")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Group 'g' members: expected Values, got a float \(1.0\)"):
        Group("g", [y, 1.0])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"Group 'g' parameters: expected an iterable of Values, got Value"):
        Group("g", [y], parameters=x)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Group 'g' shown: expected a mapping from caption to Value"):
        Group("g", [y], shown=[y])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"shown values must be members; \['x'\] are not"):
        Group("g", [y], shown={"x": x})
    with pytest.raises(TypeError, match="description must be a string"):
        Group("g", [y], description=3)  # type: ignore[arg-type]
    group = Group("g", (v for v in [y]), parameters=iter([x]), shown={"y": y})
    assert group.members == (y,) and group.parameters == (x,) and group.shown == (("y", y),)


def test_every_form_of_the_groups_option_draws_the_same_boxes() -> None:
    o, members, _, _ = parts_of_neuron()
    as_group = draw_graph(o, groups=[Group("sum", members)]).source
    assert draw_graph(o, groups={"sum": members}).source == as_group
    assert draw_graph(o, groups=[members]).source == as_group.replace("sum", "group 1")
    assert box_label(as_group) == "{ { sum | 4 nodes } | data 0.8814 | grad 0 }"
    mixed = draw_graph(o, groups=[Group("sum", members), [o]]).source
    assert box_label(mixed, 1) == "{ { group 2 | 1 node } | data 0.7071 | grad 0 }"
    for option in ("sum", Group("sum", members), 5):
        with pytest.raises(TypeError, match=r"draw_graph\(groups=...\): expected Groups"):
            draw_graph(o, groups=option)  # type: ignore[arg-type]


def test_a_group_hides_the_parameters_it_holds() -> None:
    o, members, parameters, _ = parts_of_neuron()
    o.backward()
    without = draw_graph(o, groups=[Group("weighted sum", members)]).source
    with_parameters = draw_graph(
        o, groups=[Group("weighted sum", members, description="w.x + b", parameters=parameters)]
    ).source
    for name in ("w1", "w2", "b"):
        assert f"{{ {name} |" in without and f"{{ {name} |" not in with_parameters
    assert "x1" in with_parameters and "x2" in with_parameters  # the inputs stay outside
    assert (
        box_label(with_parameters) == "{ { weighted sum | w.x + b\\n3 parameters } | data 0.8814 | grad 0.5 }"
    )
    assert len(lines_with(with_parameters, "-> g0")) == 2  # from x1 and x2 only
    # a parameter that something outside the box uses stays drawn
    shared = parameters[0] * 2.0 + o
    source = draw_graph(
        shared, groups=[Group("weighted sum", members, parameters=parameters)], rankdir="LR"
    ).source
    assert "{ w1 |" in source and "{ w2 |" not in source


def test_a_grouped_neuron_shows_the_gradient_of_its_pre_activation() -> None:
    o, members, parameters, n = parts_of_neuron()
    group = Group("neuron", [*members, o], parameters=parameters, shown={"z": n, "out": o})
    o.backward()  # dL/dz = 1 - tanh(n)**2 = 0.5
    label = box_label(draw_graph(o, groups=[group]).source)
    cells = [
        "{ neuron | 5 nodes\\n3 parameters }",
        "{ z | data 0.8814 | grad 0.5 }",
        "{ out | data 0.7071 | grad 1 }",
    ]
    assert label == "{ " + " | ".join(cells) + " }"
    # top to bottom, each shown value is still one cell: its caption above its data and grad
    assert "| { z | data 0.8814 | grad 0.5 } |" in draw_graph(o, groups=[group], rankdir="TB").source
    # stepping through the backward pass: dL/dz appears at the step where tanh passes it on
    frames = [box_label(draw_graph(o, groups=[group], backward_step=k).source) for k in range(3)]
    assert "{ z | data 0.8814 | grad ? }" in frames[0] and "{ out | data 0.7071 | grad 1 }" in frames[0]
    assert "{ z | data 0.8814 | grad 0.5 }" in frames[1]


def test_group_members_outside_the_graph_are_left_out() -> None:
    o, members, _, n = parts_of_neuron()
    elsewhere = Value(1.0).exp()
    source = draw_graph(
        o, groups=[Group("sum", [*members, elsewhere], shown={"z": n, "e": elsewhere}), [elsewhere]]
    )
    assert box_label(source.source) == "{ { sum | 4 nodes } | { z | data 0.8814 | grad 0 } }"
    assert "g1" not in source.source  # a group with nothing in this graph draws no box


def test_the_root_in_a_group_colours_the_box_as_the_output() -> None:
    o, members, _, _ = parts_of_neuron()
    source = draw_graph(o, groups=[Group("all", [*members, o])]).source
    assert ROLE_COLORS["output"] in node_line(source, "g0")


@needs_renderer
def test_a_box_with_captions_renders() -> None:
    o, members, parameters, n = parts_of_neuron()
    group = Group("neuron <1>", [*members, o], parameters=parameters, shown={"z": n, "out": o})
    o.backward()
    texts = svg_texts(draw_graph(o, groups=[group]).pipe(format="svg"))
    for text in [
        "neuron <1>",
        "z",
        "out",
        "data 0.8814",
        "grad 0.5",
        "data 0.7071",
        "grad 1",
        "3 parameters",
    ]:
        assert text in texts
