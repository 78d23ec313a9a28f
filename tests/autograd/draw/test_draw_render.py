"""Tests of autograd.draw.render: real renders, checked output, and finding a renderer."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from draw_helpers import needs_renderer, neuron, svg_texts

import autograd.draw.render as render
from autograd import Value
from autograd.draw import ComputationGraph, RendererNotFoundError, draw_graph, find_renderer, save_graph

graphviz = pytest.importorskip("graphviz")
from graphviz.backend import dot_command  # noqa: E402

REPOSITORY = Path(__file__).resolve().parents[3]


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
    monkeypatch.delenv("CHAINRULE_DOT", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(render, "_graphviz_pure_places", lambda: [tmp_path / "scripts"])
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
        from autograd.draw import draw_graph
        x = Value(2.0, label="x")
        svg = draw_graph(x.tanh())._repr_mimebundle_()["image/svg+xml"]
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
        code = "import autograd\nautograd.draw.draw_graph(autograd.Value(2.0, label='x').tanh())"
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
    places = render._graphviz_pure_places()
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))  # not next to the interpreter,
    monkeypatch.setattr(render.sysconfig, "get_path", lambda *args: str(tmp_path))  # nor in a scripts folder
    record_places = render._graphviz_pure_places()
    if not any((place / "graphviz-pure").exists() for place in places):
        pytest.skip("graphviz-pure is not installed")
    assert any((place / "graphviz-pure").exists() for place in record_places)


# ----- a renderer's output is checked -------------------------------------------------------------


def fake_renderer(folder: Path, prints: str) -> Path:
    """A program that takes dot's arguments, exits 0 and prints ``prints`` instead of an image."""
    program = folder / "fake-dot"
    program.write_text(f"#!/bin/sh\nprintf '%s' '{prints}'\n")
    program.chmod(0o755)
    return program


@pytest.mark.parametrize("prints", ["", "not an image"])
def test_a_renderer_that_writes_no_image_is_an_error(
    prints: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    program = fake_renderer(tmp_path, prints)
    monkeypatch.setenv("CHAINRULE_DOT", str(program))
    o, _, _ = neuron()
    for suffix, image_format in ((".svg", "SVG"), (".png", "PNG")):
        expected = "nothing" if not prints else rf"\d+ bytes that are not {image_format}"
        with pytest.raises(RuntimeError, match=f"{program}.* exited without an error but wrote {expected}"):
            save_graph(o, tmp_path / f"o{suffix}")
        assert not (tmp_path / f"o{suffix}").exists()  # no empty or broken image left behind
    graph = draw_graph(o)
    with pytest.raises(render.RenderError, match="not a working Graphviz dot"):
        graph.pipe(format="svg")
    with pytest.raises(render.RenderError, match="not a working Graphviz dot"):
        graph._repr_mimebundle_()  # Jupyter's inline display
    with pytest.raises(render.RenderError, match="wrote nothing to"):
        graph.render(outfile=tmp_path / "graph.svg")
    assert issubclass(render.RenderError, RuntimeError)


@pytest.mark.skipif(not Path("/bin/true").exists(), reason="no /bin/true")
def test_chainrule_dot_set_to_true_does_not_write_an_empty_svg(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CHAINRULE_DOT", "/bin/true")
    o, _, _ = neuron()
    with pytest.raises(
        RuntimeError, match=r"/bin/true exited without an error but wrote nothing \(0 bytes\)"
    ):
        save_graph(o, tmp_path / "o.svg")
    assert not (tmp_path / "o.svg").exists()


def test_saving_something_that_is_not_a_graph_is_a_type_error(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="save_graph: expected a Value to draw or a drawn graph.*got float"):
        save_graph(1.5, tmp_path / "x.svg")
    with pytest.raises(TypeError, match="render_image: expected a drawn graph.*got str"):
        render.render_image("digraph {}", "svg")
    assert not (tmp_path / "x.svg").exists()


@needs_renderer
def test_jupyter_gets_the_svg_and_html_that_scrolls_it_instead_of_shrinking_it() -> None:
    graph = draw_graph(Value(1.0, label="x").exp())
    bundle = graph._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/html"}
    html = bundle["text/html"]
    assert html.startswith('<div style="overflow:auto;max-width:100%"><svg style="max-width:none"')
    assert html.endswith("</svg>\n</div>")
    assert set(graph._repr_mimebundle_(include=["image/png"])) == {"image/png"}
    assert set(graph._repr_mimebundle_(exclude=["text/html"])) == {"image/svg+xml"}


# ----- a DOT-to-SVG function instead of a program (the playground's Graphviz in WebAssembly) -------------


@pytest.fixture
def program_as_function(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The dot program wrapped as a DOT-to-SVG function and given to use_dot_to_svg (taken away after);
    yields the DOT texts it was given."""
    monkeypatch.delenv("CHAINRULE_DOT", raising=False)
    program, given = find_renderer(), []

    def dot_to_svg(dot: str) -> str:
        given.append(dot)
        return subprocess.run(
            [str(program), "-Tsvg"], input=dot, capture_output=True, text=True, check=True
        ).stdout

    render.use_dot_to_svg(dot_to_svg)
    try:
        yield given
    finally:
        render.use_dot_to_svg(None)


@needs_renderer
def test_a_dot_to_svg_function_is_found_before_any_program(
    program_as_function: list[str], tmp_path: Path
) -> None:
    assert not isinstance(find_renderer(), Path)
    o, _, _ = neuron()
    graph = draw_graph(o)
    assert "tanh" in svg_texts(render.render_image(graph, "svg"))
    assert "tanh" in svg_texts(graph.pipe(format="svg"))
    assert "tanh" in graph._repr_mimebundle_()["text/html"]  # Jupyter's display
    assert "tanh" in svg_texts(save_graph(o, tmp_path / "o.svg").read_bytes())
    assert len(program_as_function) == 4 and program_as_function[0] == graph.source
    render.use_dot_to_svg(None)
    assert isinstance(find_renderer(), Path)  # taken away: the program again


@needs_renderer
def test_a_step_through_drawn_by_the_function_is_the_programs(program_as_function: list[str]) -> None:
    from autograd.draw import step_through

    o, _, _ = neuron()
    through_the_function = step_through(o)
    render.use_dot_to_svg(None)
    through_the_program = step_through(o)
    for k in range(through_the_program.frame_count):
        assert through_the_function.frame(k).svg == through_the_program.frame(k).svg


@needs_renderer
def test_the_function_writes_svg_only_and_says_so(program_as_function: list[str], tmp_path: Path) -> None:
    o, _, _ = neuron()
    with pytest.raises(
        render.RenderError, match="dot_to_svg given to use_dot_to_svg writes SVG only, not png"
    ):
        save_graph(o, tmp_path / "o.png")
    with pytest.raises(
        render.RenderError, match=r"render\(\) runs a dot program.*save_graph\(root, 'graph.svg'\)"
    ):
        draw_graph(o).render(tmp_path / "o", format="svg")
    assert list(tmp_path.iterdir()) == []


def test_a_failing_or_wrong_function_is_a_render_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHAINRULE_DOT", raising=False)
    graph = draw_graph(Value(2.0))

    def broken(dot: str) -> str:
        raise ValueError("syntax error in line 1")

    try:
        render.use_dot_to_svg(broken)
        with pytest.raises(
            render.RenderError, match="function broken .* failed on .*: syntax error in line 1"
        ):
            render.render_image(graph, "svg")
        render.use_dot_to_svg(lambda dot: "")
        with pytest.raises(render.RenderError, match="returned nothing .0 bytes. instead of an image in svg"):
            render.render_image(graph, "svg")
    finally:
        render.use_dot_to_svg(None)


def test_chainrule_dot_still_comes_first_and_a_function_must_be_a_function(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = tmp_path / "my-dot"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("CHAINRULE_DOT", str(fake))
    try:
        render.use_dot_to_svg(lambda dot: "<svg/>")
        assert find_renderer() == fake
    finally:
        render.use_dot_to_svg(None)
    with pytest.raises(
        TypeError, match="use_dot_to_svg: expected a function from DOT text to SVG text .* got str"
    ):
        render.use_dot_to_svg("dot")  # type: ignore[arg-type]
