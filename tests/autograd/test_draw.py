"""Tests of autograd.draw: the DOT text (no renderer needed), real renders, and finding a renderer."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from draw_examples import mlp_loss, neuron

import autograd
from autograd import Value
from autograd.draw import (
    ROLE_COLORS,
    ComputationGraph,
    GraphTooLargeError,
    RendererNotFoundError,
    backward_step_count,
    draw_backward_steps,
    draw_graph,
    escape_record,
    find_renderer,
    save_graph,
)

graphviz = pytest.importorskip("graphviz")
from graphviz.backend import dot_command  # noqa: E402

REPOSITORY = Path(__file__).resolve().parents[2]
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


# ----- helpers --------------------------------------------------------------------------------


def lines_with(source: str, text: str) -> list[str]:
    return [line.strip() for line in source.splitlines() if text in line]


def node_line(source: str, name: str) -> str:
    (line,) = [line.strip() for line in source.splitlines() if line.strip().startswith(f"{name} [")]
    return line


def svg_texts(svg: str | bytes) -> list[str]:
    tree = ElementTree.fromstring(svg)
    return [element.text or "" for element in tree.iter(f"{SVG}text")]


# ----- the DOT text, no renderer needed ----------------------------------------------------------


def test_one_record_per_value_and_one_node_per_operation() -> None:
    o, _, _ = neuron()
    o.backward()
    graph = draw_graph(o)
    assert isinstance(graph, graphviz.Digraph)
    source = graph.source
    assert len(re.findall(r"^\tv\d+ \[", source, re.M)) == 10  # 5 leaves, 5 results
    assert len(re.findall(r"^\top\d+ \[", source, re.M)) == 5
    assert "rankdir=LR" in source
    assert 'label="{ o | data 0.7071 | grad 1 }"' in source
    assert 'label="{ x1 | data 2 | grad -1.5 }"' in source
    assert 'label="{ w1 | data -3 | grad 1 }"' in source
    assert "label=tanh" in source


def test_value_draw_is_draw_graph() -> None:
    o, _, _ = neuron()
    assert o.draw(rankdir="TB").source == draw_graph(o, rankdir="TB").source


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
    first = draw_graph(mlp_loss()[0], collapse="neurons").source
    second = draw_graph(mlp_loss()[0], collapse="neurons").source
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


def test_collapsing_neurons_keeps_an_mlp_legible() -> None:
    loss, inputs, parameters = mlp_loss()
    full = draw_graph(loss, parameters=parameters, inputs=inputs).source
    collapsed = draw_graph(loss, parameters=parameters, inputs=inputs, collapse="neurons").source
    boxes = re.findall(r"^\tg\d+ \[label=\"\{ \{ (neuron \d) \| ([^|]*?) \}", collapsed, re.M)
    assert len(boxes) == 20  # 5 neurons x 4 points
    assert sorted({name for name, _ in boxes}) == [f"neuron {k}" for k in range(1, 6)]
    assert {description for _, description in boxes} == {
        "tanh(w.x + b)\\n3 parameters",
        "tanh(w.x + b)\\n5 parameters",
    }
    assert "linear" not in collapsed and "linear" in full
    assert "w00" not in collapsed and "w00" in full  # the weights live inside the boxes
    assert "x00" in collapsed  # the inputs do not
    count = len(re.findall(r"^\t\w+ \[", collapsed, re.M))
    assert count < len(re.findall(r"^\t\w+ \[", full, re.M)) / 2
    # without parameters=, collapse="neurons" hides the weights and biases all the same
    assert draw_graph(loss, inputs=inputs, collapse="neurons").source == collapsed.replace(
        ROLE_COLORS["parameter"], ROLE_COLORS["parameter"]
    )


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
    with pytest.raises(GraphTooLargeError, match=r"would have \d+ nodes, more than max_nodes=50.*collapse"):
        draw_graph(loss, max_nodes=50)
    assert isinstance(GraphTooLargeError("x"), ValueError)
    draw_graph(loss, max_nodes=None)
    draw_graph(loss, collapse="neurons", max_nodes=100)


def test_a_single_leaf_draws() -> None:
    source = draw_graph(Value(2.0, label="alone")).source
    assert lines_with(source, "->") == []
    assert ROLE_COLORS["output"] in node_line(source, "v0")


# ----- stepping through the backward pass ---------------------------------------------------------


def grads_in(source: str) -> dict[str, str]:
    return dict(re.findall(r'^\t(v\d+) \[label="\{ (?:[^|]*\| )?data [^|]* \| grad ([^ ]+) \}', source, re.M))


def test_backward_steps_fill_in_gradients_without_touching_the_graph() -> None:
    o, _, _ = neuron()
    steps = backward_step_count(o)
    assert steps == 5
    frames = [draw_graph(o, backward_step=k).source for k in range(steps + 1)]
    assert all(node.grad == 0.0 for node in autograd.topological_order(o))  # real grads untouched
    # step 0: only the seed
    assert grads_in(frames[0])["v9"] == "1" and set(grads_in(frames[0]).values()) == {"1", "0"}
    assert "backward step 0 of 5" in frames[0]
    # step 1: tanh passes 1 - tanh(n)**2 = 0.5 to n
    assert grads_in(frames[1])["v8"] == "0.5"
    assert 'op9 [label=tanh color="#d62728"' in frames[1]
    assert 'v8 -> op9 [color="#d62728"' in frames[1]
    assert grads_in(frames[1])["v0"] == "0"
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
    last = draw_graph(loss, collapse="neurons", backward_step=steps).source  # a first-layer linear
    assert interior[0].op == "linear"
    assert len(re.findall(r'^\tg\d+ .*color="#d62728"', last, re.M)) == 1
    assert len(re.findall(r'^\tv\d+ -> g\d+ \[color="#d62728"', last, re.M)) == 2  # from its two inputs
    tanh_step = steps - interior.index(next(node for node in interior if node.op == "tanh"))
    source = draw_graph(loss, collapse="neurons", backward_step=tanh_step).source
    assert len(re.findall(r'^\tg\d+ .*color="#d62728"', source, re.M)) == 1
    assert "penwidth=2" not in source  # tanh passes its grad inside the box, along no drawn edge


# ----- renders ----------------------------------------------------------------------------------


@needs_renderer
def test_svg_and_png_renders(tmp_path: Path) -> None:
    o, inputs, parameters = neuron()
    o.label = 'o <"out">'
    o.backward()
    svg_path = save_graph(o, tmp_path / "neuron.svg", parameters=parameters, inputs=inputs, local_grads=True)
    png_path = save_graph(o, tmp_path / "neuron.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neuron.png", "neuron.svg"]  # exactly these files
    texts = svg_texts(svg_path.read_bytes())
    for text in ['o <"out">', "data 0.7071", "grad 1", "x1", "w1", "tanh", "grad -1.5", "-3"]:
        assert text in texts
    assert png_path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    graph = draw_graph(o, parameters=parameters, inputs=inputs, local_grads=True)
    save_graph(graph, tmp_path / "again.svg")  # an already drawn graph
    assert (tmp_path / "again.svg").read_bytes() == svg_path.read_bytes()


def test_save_dot_text_needs_no_renderer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINRULE_DOT", str(tmp_path / "nowhere" / "dot"))
    o, _, _ = neuron()
    path = save_graph(o, tmp_path / "neuron.gv")
    assert path.read_text(encoding="utf-8") == draw_graph(o).source
    with pytest.raises(ValueError, match="format"):
        save_graph(o, tmp_path / "neuron.bmpx")


@needs_renderer
def test_pdf_where_the_renderer_supports_it(tmp_path: Path) -> None:
    o, _, _ = neuron()
    try:
        path = save_graph(o, tmp_path / "neuron.pdf")
    except RuntimeError as error:
        assert "could not write pdf" in str(error)
        assert not (tmp_path / "neuron.pdf").exists()
    else:
        assert path.read_bytes().startswith(b"%PDF")


@needs_renderer
def test_digraph_render_and_renderer_is_set_only_during_the_call(tmp_path: Path) -> None:
    before = dot_command.DOT_BINARY
    o, _, _ = neuron()
    graph = draw_graph(o)
    written = graph.render(outfile=tmp_path / "graph.svg")
    assert Path(written).name == "graph.svg" and Path(written).exists()
    assert dot_command.DOT_BINARY == before
    assert isinstance(graph.copy(), ComputationGraph)


@needs_renderer
def test_jupyter_rich_display() -> None:
    from IPython.core.formatters import DisplayFormatter

    o, _, _ = neuron()
    graph = draw_graph(o)
    bundle = graph._repr_mimebundle_()
    assert "n" in svg_texts(bundle["image/svg+xml"].encode())
    data, _ = DisplayFormatter().format(graph)
    assert "x1" in svg_texts(data["image/svg+xml"].encode())
    png = graph._repr_mimebundle_(include=["image/png"])["image/png"]
    assert png.startswith(b"\x89PNG")


# ----- finding a renderer -----------------------------------------------------------------------


def test_missing_renderer_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import autograd.draw as draw

    monkeypatch.delenv("CHAINRULE_DOT", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(draw, "_graphviz_pure_places", lambda: [tmp_path / "scripts"])
    o, _, _ = neuron()
    graph = draw_graph(o)
    assert "digraph" in graph.source  # the DOT text still works
    with pytest.raises(RendererNotFoundError) as caught:
        graph.pipe(format="svg")
    message = str(caught.value)
    assert isinstance(caught.value, RuntimeError)
    for expected in [
        "no Graphviz 'dot' program",
        "'dot' on PATH",
        str(tmp_path / "scripts"),
        "pip install graphviz-pure",
        "apt install graphviz",
        "brew install graphviz",
        "winget install graphviz",
        "choco install graphviz",
        "CHAINRULE_DOT",
        ".source",
    ]:
        assert expected in message
    with pytest.raises(RendererNotFoundError):
        graph._repr_mimebundle_()
    with pytest.raises(RendererNotFoundError):
        save_graph(o, tmp_path / "o.svg")
    assert not (tmp_path / "o.svg").exists()


def test_chainrule_dot_overrides_and_must_exist(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHAINRULE_DOT", str(tmp_path / "missing-dot"))
    with pytest.raises(RendererNotFoundError, match="CHAINRULE_DOT=.*missing-dot.*no such program"):
        find_renderer()
    fake = tmp_path / "my-dot"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("CHAINRULE_DOT", str(fake))
    assert find_renderer() == fake


@needs_renderer
def test_graphviz_pure_found_when_path_lacks_the_scripts_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    if shutil.which("dot") is not None or os.environ.get("CHAINRULE_DOT"):
        pytest.skip("a system dot or CHAINRULE_DOT is in use")
    monkeypatch.setenv("PATH", os.pathsep.join(["/usr/bin", "/bin"]))
    renderer = find_renderer()
    assert renderer.name.startswith("graphviz-pure")
    o, _, _ = neuron()
    assert "tanh" in svg_texts(draw_graph(o).pipe(format="svg"))


@needs_renderer
def test_renders_from_a_process_whose_path_lacks_the_venv(tmp_path: Path) -> None:
    # as a Jupyter kernel started without the environment activated
    program = textwrap.dedent("""
        from autograd import Value
        x = Value(2.0, label="x")
        svg = x.tanh().draw()._repr_mimebundle_()["image/svg+xml"]
        print("ok" if "data 2" in svg else "missing")
    """)
    environment = {key: value for key, value in os.environ.items() if key != "CHAINRULE_DOT"}
    environment["PATH"] = os.pathsep.join(["/usr/bin", "/bin"])
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_import_autograd_does_not_import_graphviz() -> None:
    program = "import sys, autograd; autograd.Value(1.0) * 2; print('graphviz' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=REPOSITORY, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr


@needs_renderer
def test_jupyter_kernel_without_the_venv_on_path_displays_the_graph() -> None:
    manager = pytest.importorskip("jupyter_client.manager")
    pytest.importorskip("ipykernel")
    environment = {key: value for key, value in os.environ.items() if key != "CHAINRULE_DOT"}
    environment["PATH"] = os.pathsep.join(["/usr/bin", "/bin"])
    kernel, client = manager.start_new_kernel(kernel_name="python3", env=environment, cwd=str(REPOSITORY))
    outputs: list[dict[str, str]] = []
    try:
        code = "from autograd import Value\nValue(2.0, label='x').tanh().draw()"
        reply = client.execute_interactive(
            code,
            timeout=60,
            output_hook=lambda message: outputs.append(message["content"].get("data", {})),
        )
    finally:
        client.stop_channels()
        kernel.shutdown_kernel(now=True)
    assert reply["content"]["status"] == "ok", reply["content"]
    (svg,) = [data["image/svg+xml"] for data in outputs if "image/svg+xml" in data]
    assert "data 2" in svg_texts(svg.encode())


def test_graphviz_pure_found_through_its_package_record(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import autograd.draw as draw

    places = draw._graphviz_pure_places()
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))  # not next to the interpreter,
    monkeypatch.setattr(draw.sysconfig, "get_path", lambda *args: str(tmp_path))  # nor in a scripts folder
    record_places = draw._graphviz_pure_places()
    if not any((place / "graphviz-pure").exists() for place in places):
        pytest.skip("graphviz-pure is not installed")
    assert any((place / "graphviz-pure").exists() for place in record_places)


def test_a_one_term_sum_draws_no_constant_box():
    import autograd as ag

    x = Value(2.0, label="x")
    with_zero = draw_graph(ag.sum([x * x])).source
    with_shift = draw_graph(ag.sum([x * x, 3.0])).source
    constant_colour = ROLE_COLORS["constant"]
    assert constant_colour not in with_zero
    assert constant_colour in with_shift and "3" in with_shift
