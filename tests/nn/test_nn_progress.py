"""fit's progress bar: where someone is watching (a terminal; Jupyter, as a widget), and nowhere else."""

import io
import subprocess
import sys

import nbformat
from nbclient import NotebookClient

from nn import MLP, fit
from nn.train import someone_watching

WIDGET = "application/vnd.jupyter.widget-view+json"
X, Y = [[0.0], [1.0]], [-1, 1]


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_by_default_a_bar_shows_on_a_terminal_only(monkeypatch, capsys):
    fit(MLP(1, [1], seed=0), X, Y, epochs=2)  # the test runner's stderr: nobody watches
    assert capsys.readouterr().err == "" and not someone_watching()
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert someone_watching()
    fit(MLP(1, [1], seed=0), X, Y, epochs=2)
    shown = terminal.getvalue()
    assert "training: 100%" in shown and "2/2" in shown
    fit(MLP(1, [1], seed=0), X, Y, epochs=2, progress=False)
    assert terminal.getvalue() == shown
    monkeypatch.setattr(sys, "stderr", None)  # pythonw and some services have no stderr at all
    assert not someone_watching()


def test_progress_true_and_false_override_where(capsys):
    fit(MLP(1, [1], seed=0), X, Y, epochs=2, progress=True)
    assert "training" in capsys.readouterr().err
    fit(MLP(1, [1], seed=0), X, Y, epochs=2, progress=False)
    assert capsys.readouterr().err == ""


def test_in_a_jupyter_kernel_the_bar_is_a_widget(tmp_path):
    notebook = nbformat.v4.new_notebook()
    training = "nn.fit(nn.MLP(1, [2, 1], seed=0), [[0.0], [1.0]], [-1, 1], epochs=3{})['loss'][-1] >= 0"
    notebook.cells = [
        nbformat.v4.new_code_cell("import sys\nimport nn\nprint(sys.prefix)"),
        nbformat.v4.new_code_cell(training.format("")),
        nbformat.v4.new_code_cell(training.format(", progress=False")),
    ]
    client = NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    where, watched, quiet = (cell.outputs for cell in notebook.cells)
    assert where[0]["text"].strip() == sys.prefix  # the project's environment runs the kernel
    widgets = [output for output in watched if WIDGET in output.get("data", {})]
    assert len(widgets) == 1, watched
    assert not [output for output in watched if output["output_type"] == "stream"], watched  # no warning
    assert watched[-1]["data"]["text/plain"] == "True"
    assert [output["data"]["text/plain"] for output in quiet] == ["True"]  # progress=False: no bar


def test_import_nn_and_fit_without_a_bar_leave_tqdm_auto_alone():
    # in Jupyter without ipywidgets, importing tqdm.auto prints a warning: only a bar shown needs it
    code = (
        "import sys, nn\n"
        "nn.fit(nn.MLP(1, [1], seed=0), [[0.0], [1.0]], [-1, 1], epochs=1, progress=False)\n"
        "print('tqdm.auto' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
