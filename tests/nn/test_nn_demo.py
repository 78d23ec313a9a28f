"""The demo: it reaches micrograd's accuracy, writes its files, and rejects bad options clearly."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # demo.py sits at the repository root

import demo  # noqa: E402
import nn  # noqa: E402


def test_the_default_demo_reaches_97_percent_and_writes_its_files(tmp_path, capsys):
    summary = demo.main(["--out", str(tmp_path / "out")])
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
    printed = capsys.readouterr().out
    assert "step    0" in printed and "step   99" in printed and "training accuracy" in printed


@pytest.mark.parametrize("dataset", ["circles", "blobs", "spirals"])
def test_other_datasets_run(tmp_path, dataset):
    summary = demo.main(
        [
            "--dataset",
            dataset,
            "--steps",
            "30",
            "--hidden",
            "8,8",
            "--activation",
            "tanh",
            "--lr",
            "0.5",
            "--out",
            str(tmp_path),
            "--quiet",
        ]
    )
    assert 0.0 <= summary["accuracy"] <= 1.0 and summary["files"]["model"].exists()
    if dataset == "blobs":
        assert summary["model"].sizes == [8, 8, 3]  # three classes: cross-entropy over three outputs


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
        demo.parse_arguments(arguments)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        demo.parse_arguments(["--help"])
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
