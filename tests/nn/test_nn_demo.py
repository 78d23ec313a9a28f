"""The demo: it reaches micrograd's accuracy, writes its files, and rejects bad options clearly."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import nn
from nn import demo
from nn.demo_options import parse_arguments

ROOT = Path(__file__).resolve().parents[2]


def test_the_default_demo_reaches_97_percent_and_writes_its_files(run_demo):
    run = run_demo([])
    summary = run.summary
    assert summary["accuracy"] >= 0.97
    files = summary["files"]
    for key in ("model", "decision_boundary", "loss"):
        assert files[key].stat().st_size > 1000
    assert files["decision_boundary"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if "neuron" in files:  # needs a Graphviz renderer; the demo prints a note without one
        assert "<svg" in files["neuron"].read_text()
    document = json.loads(files["model"].read_text())
    assert document["architecture"] == {
        "type": "MLP",
        "n_inputs": 2,
        "sizes": [16, 16, 1],
        "activation": "relu",
        "output_activation": "linear",
    }
    model = nn.load_model(files["model"])
    X, y = nn.make_moons(100, noise=0.1, seed=1337)
    assert nn.accuracy(nn.predict(model, X), y) == summary["accuracy"]
    printed = run.printed
    assert "step    0" in printed and "step   99" in printed and "training accuracy" in printed


@pytest.mark.parametrize("dataset", ["circles", "blobs", "spirals"])
def test_other_datasets_train_beyond_guessing_and_save_what_was_measured(tmp_path, dataset):
    arguments = ["--dataset", dataset, "--steps", "30", "--hidden", "8,8", "--activation", "tanh"]
    arguments += ["--lr", "0.5"]
    summary = demo.main([*arguments, "--out", str(tmp_path), "--quiet"])
    X, y = demo.make_data(parse_arguments(arguments))
    commonest = max(y.count(label) for label in set(y)) / len(y)
    assert summary["accuracy"] > commonest + 0.05  # better than always answering the commonest class
    saved = nn.load_model(summary["files"]["model"])
    targets = [2 * c - 1 for c in y] if max(y) == 1 else y
    assert nn.accuracy(nn.predict(saved, X), targets) == summary["accuracy"]
    if dataset == "blobs":
        assert saved.sizes == [8, 8, 3]  # three classes: cross-entropy over three outputs


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--dataset", "swirls"], "invalid choice: 'swirls'"),
        (["--hidden", "16,x"], "hidden layer sizes as positive whole numbers"),
        (["--hidden", "0"], "hidden layer sizes as positive whole numbers"),
        (["--steps", "0"], "expected a positive whole number, got 0"),
        (["--lr", "-1"], "expected a finite number > 0"),
        (["--lr", "fast"], "expected a number, got 'fast'"),
        (["--activation", "gelu"], "invalid choice: 'gelu'"),
        (["--seed", "1.5"], "expected a whole number"),
        (["--classes", "3"], "--classes is for blobs and spirals"),
    ],
)
def test_bad_options_exit_with_a_clear_message(arguments, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_arguments(arguments)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_arguments(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in ("--dataset", "--hidden", "--activation", "--steps", "--lr", "--seed", "--out"):
        assert option in text


def test_without_a_renderer_or_the_drawing_module_the_demo_still_succeeds(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CHAINRULE_DOT", str(tmp_path / "no-such-dot"))
    summary = demo.main(["--steps", "3", "--out", str(tmp_path / "a")])
    assert "neuron" not in summary["files"] and summary["files"]["model"].exists()
    assert "skipped neuron.svg" in capsys.readouterr().out
    monkeypatch.setitem(sys.modules, "autograd.draw", None)  # as if the draw extra were not installed
    summary = demo.main(["--steps", "3", "--out", str(tmp_path / "b")])
    assert "neuron" not in summary["files"]
    assert "skipped neuron.svg: drawing needs the 'draw' extra" in capsys.readouterr().out


def _one_line_failure(arguments, capsys, code=1):
    """Run the demo, expecting it to stop with exit status ``code`` and one line on stderr; that line."""
    with pytest.raises(SystemExit) as exit_info:
        demo.main(arguments)
    assert exit_info.value.code == code
    captured = capsys.readouterr()
    (line,) = captured.err.splitlines()
    assert line.startswith("nn.demo: error: ")  # called from Python: the module's name
    return line, captured.out


def _read_only_folder(tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):  # root writes anywhere: take a folder the kernel keeps read-only
        folder = Path("/sys")
    return folder


@pytest.mark.parametrize(
    "make_out, message",
    [
        (lambda tmp: Path("/proc/nope"), "cannot make this folder"),
        (lambda tmp: tmp / "a-file" / "out", "cannot make this folder"),
        (lambda tmp: tmp / "a-file", "it exists and is not a folder"),
        (_read_only_folder, "cannot write into this folder"),
        (lambda tmp: (tmp / "out" / "model.json").mkdir(parents=True) or tmp / "out", "is a folder, where"),
        (lambda tmp: (tmp / "out" / "loss.png").mkdir(parents=True) or tmp / "out", "is a folder, where"),
    ],
)
def test_a_bad_out_fails_in_one_line_before_training(tmp_path, capsys, make_out, message):
    (tmp_path / "a-file").write_text("not a folder")
    out = make_out(tmp_path)
    line, printed = _one_line_failure(["--out", str(out)], capsys)
    assert f"--out {out}: " in line and message in line
    assert printed == ""  # stopped before the model was even described, let alone trained


def test_noise_that_overflows_the_data_fails_in_one_line_before_training(tmp_path, capsys):
    line, printed = _one_line_failure(
        ["--dataset", "circles", "--noise", "1e308", "--out", str(tmp_path)], capsys
    )
    assert "--dataset circles --noise 1e+308: make_circles: noise 1e+308 pushes points beyond" in line
    assert printed == "" and not (tmp_path / "model.json").exists()


@pytest.mark.parametrize("hidden", ["²", "16,²", "١٦", "16,,16", " "])
def test_hidden_sizes_in_other_digits_fail_in_one_line(capsys, hidden):
    line, _ = _one_line_failure(["--hidden", hidden], capsys, code=2)
    assert "expected hidden layer sizes as positive whole numbers" in line and "--help" in line


def test_a_loss_that_becomes_nan_or_inf_says_so_and_writes_no_model(tmp_path, capsys):
    line, _ = _one_line_failure(["--lr", "1e9", "--steps", "20", "--out", str(tmp_path)], capsys)
    assert re.search(r"the loss became (nan|inf) at step \d+: training diverged", line)
    assert "try a smaller --lr" in line
    assert not (tmp_path / "model.json").exists()


def run_as_scripts_demo(name: str, *arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command that scripts/demo ends with, run as the script runs it (``$0`` is ``name``), in
    this environment's Python rather than the script's .venv."""
    script = (ROOT / "scripts" / "demo").read_text().splitlines()
    commands = [line.strip() for line in script if line.strip() and not line.lstrip().startswith("#")]
    assert not any(line.startswith("cd ") or " cd " in line for line in commands)  # it stays where it is run
    assert commands[-1].startswith('exec "$PY" -I ')  # -I: a folder named nn where it is run is not imported
    command = [shutil.which("bash") or "/bin/bash", "-c", commands[-1], name, *arguments]
    env = {**os.environ, "PY": sys.executable}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_a_relative_out_is_relative_to_where_the_demo_is_run(tmp_path):
    result = run_as_scripts_demo("scripts/demo", "--out", "relative", "--steps", "2", "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "relative" / "model.json").is_file() and "files in relative/" in result.stdout


def start_demo(how: str, *arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The demo started as a person would: ``python -m nn``, ``python -m nn.demo`` or scripts/demo."""
    if how.startswith("python -m "):
        command = [sys.executable, "-I", "-m", how.split()[-1], *arguments]
        return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=60)
    return run_as_scripts_demo(how, *arguments, cwd=cwd)


@pytest.mark.parametrize("how", ["python -m nn", "python -m nn.demo", "scripts/demo", "../repo/scripts/demo"])
def test_the_help_and_errors_name_the_demo_as_it_was_started(how, tmp_path):
    # the Python as it was typed: the name of the program that ran (python, python3.11, ...)
    name = how.replace("python", Path(sys.executable).name, 1) if how.startswith("python ") else how
    shown = start_demo(how, "--help", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(f"usage: {name} [-h]")
    refused = start_demo(how, "--steps", "0", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr == (
        f"{name}: error: argument --steps: expected a positive whole number, got 0 (see {name} --help)\n"
    )


HUGE = "99999999999999999999999"
LIMIT = "expected a positive whole number up to"


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--steps", HUGE], f"--steps: {LIMIT} 1,000,000 (the demo's limit), got {HUGE}"),
        (["--steps", "1" + "0" * 5000], "--steps: expected a positive whole number, got one of 5001 digits"),
        (["--samples", "100001"], f"--samples: {LIMIT} 100,000 (the demo's limit), got 100001"),
        (["--dataset", "blobs", "--classes", HUGE], f"--classes: {LIMIT} 1,000 (the demo's limit)"),
        (
            ["--hidden", HUGE],
            f"--hidden {HUGE} makes 4.0e+23 parameters, and a step over --samples 100 "
            "a graph of 4.0e+25 numbers, beyond the demo's limit of 20,000,000 (about 1 GB); use fewer",
        ),
        (
            ["--hidden", "400,400", "--samples", "1000"],
            "--hidden 400,400 makes 162,001 parameters, and a "
            "step over --samples 1000 a graph of 162,001,000 numbers, beyond",
        ),
        (
            ["--hidden", "64", "--dataset", "blobs", "--classes", "1000", "--samples", "400"],
            "--hidden 64 makes 65,192 parameters",
        ),  # the output layer counts: one output per class
        (["--hidden", "16," + "0" * 5000], "expected hidden layer sizes as positive whole numbers"),
        (["--seed", "1" + "0" * 5000], "--seed: expected a whole number, got one of 5001 digits"),
    ],
)
def test_absurd_sizes_fail_in_one_line_before_anything_is_allocated(monkeypatch, capsys, arguments, message):
    def allocating(*args, **kwargs):
        raise AssertionError("the demo allocated before refusing its options")

    for name in ("make_moons", "make_blobs", "MLP"):
        monkeypatch.setattr(nn, name, allocating)
    monkeypatch.setattr(demo, "prepare_output", allocating)
    line, printed = _one_line_failure(arguments, capsys, code=2)
    assert message in line and len(line) < 300 and printed == ""
