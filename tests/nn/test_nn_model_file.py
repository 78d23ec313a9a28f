"""Model files at their edges: targets that are not regular files, hostile files, odd names and types."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nn
from nn import MLP
from nn.model_file import (
    PARTIAL_SUFFIX,
    _refuse_what_is_not_a_regular_file,
    _temporary_beside,
    _where_nesting_exceeds,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
@pytest.mark.parametrize("through_a_link", [False, True])
def test_save_refuses_a_named_pipe_and_leaves_it_in_place(tmp_path, through_a_link):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    path = tmp_path / "model.json" if through_a_link else fifo
    if through_a_link:
        path.symlink_to(fifo)
    with pytest.raises(OSError) as error:
        MLP(2, [2, 1], seed=0).save(path)
    assert str(error.value) == (
        f"cannot save the model to {path}: it is a named pipe (FIFO), not a regular file, and saving "
        "would replace it; save the model to a regular file"
    )
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert path.is_symlink() == through_a_link
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({"pipe", path.name})


def test_save_refuses_a_directory_and_leaves_it_in_place(tmp_path):
    folder = tmp_path / "model.json"
    folder.mkdir()
    (folder / "kept").write_text("mine")
    with pytest.raises(OSError, match=f"{folder}: it is a directory, not a regular file"):
        MLP(2, [2, 1], seed=0).save(folder)
    assert (folder / "kept").read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]


@pytest.mark.parametrize(
    "kind, name",
    [
        (stat.S_IFCHR, "a character device"),  # /dev/null: as root, a save used to delete it
        (stat.S_IFBLK, "a block device"),
        (stat.S_IFSOCK, "a socket"),
    ],
)
def test_devices_and_sockets_are_refused_by_kind(kind, name):
    with pytest.raises(OSError, match=f"it is {name}, not a regular file"):
        _refuse_what_is_not_a_regular_file(kind | 0o666)
    _refuse_what_is_not_a_regular_file(stat.S_IFREG | 0o644)  # a regular file is fine


def test_a_megabyte_of_escaped_quotes_is_refused_clearly_without_hanging(tmp_path):
    # an unterminated string of escaped quotes took quadratic time: 28 s at 64 KB, so hours at 1 MB
    path = tmp_path / "crafted.json"
    path.write_text('{"format": "chainrule.nn", "x": "' + '\\"' * 500_000)
    loading = (
        "import sys, nn\n"
        "for load in (nn.load_model, nn.MLP(2, [2, 1]).load):\n"
        "    try:\n"
        "        load(sys.argv[1])\n"
        "    except nn.ModelFileError as error:\n"
        "        print(error)\n"
    )
    # the timeout only guards against a hang; the test asserts no time
    result = subprocess.run(
        [sys.executable, "-c", loading, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    message = (
        f"{path}: not a valid model file: bad JSON at line 1 column 33 (Unterminated string starting at); "
        "the file is truncated or corrupt"
    )
    assert result.stdout == f"{message}\n{message}\n", result.stderr


def test_an_unterminated_string_is_one_token_to_the_end():
    assert _where_nesting_exceeds('{"a": "[[[[[[' + '\\"[' * 10, 2) is None
    assert _where_nesting_exceeds('{"a": "x", "b": [[["', 3) == "b"


@pytest.mark.parametrize("name", ["m" * 216 + ".json", "m" * 250 + ".json", "é" * 125 + ".json"])
def test_a_file_name_up_to_the_longest_allowed_saves_and_loads(tmp_path, name):
    # 255 bytes at most; the temporary name, 32 bytes longer, used to fail with "File name too long"
    path = tmp_path / name
    model = MLP(2, [2, 1], seed=0)
    model.save(path)
    model.save(path)  # and replaces itself
    assert nn.load_model(path).state_dict() == model.state_dict()
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_the_temporary_name_is_shortened_to_fit_and_stays_recognisable(tmp_path):
    target = tmp_path / ("é" * 125 + ".json")
    temporary = _temporary_beside(target)
    assert temporary.parent == tmp_path and len(os.fsencode(temporary.name)) <= 255
    assert temporary.name.startswith(".éééé") and temporary.name.endswith(PARTIAL_SUFFIX)
    short = _temporary_beside(tmp_path / "model.json").name
    assert short.startswith(".model.json.") and len(short) == len(".model.json.") + 12 + len(PARTIAL_SUFFIX)


@pytest.mark.parametrize(
    "value, error, message",
    [
        (True, TypeError, "parameter 'layers.0.neurons.1.bias' is bool True, not a number: a model file"),
        ("0.5", TypeError, "parameter 'layers.0.neurons.1.bias' is str '0.5', not a number"),
        (np.float32("inf"), ValueError, "parameter 'layers.0.neurons.1.bias' is inf: a model file holds"),
    ],
)
def test_save_refuses_a_parameter_that_is_no_number_by_name_and_keeps_the_old_file(
    tmp_path, value, error, message
):
    path = tmp_path / "model.json"
    model = MLP(2, [2, 1], seed=0)
    model.save(path)
    text = path.read_text()
    model.layers[0].neurons[1].bias.data = value
    with pytest.raises(error, match=message):
        model.save(path)
    assert path.read_text() == text and [p.name for p in tmp_path.iterdir()] == ["model.json"]


def test_numpy_numbers_save_as_the_floats_they_are(tmp_path):
    path = tmp_path / "model.json"
    model = MLP(2, [2, 1], seed=0)
    model.layers[0].neurons[0].weights[1].data = np.float32(0.1)
    model.layers[1].neurons[0].bias.data = np.float64(-2.5)
    model.layers[0].neurons[1].bias.data = 3  # an int too
    model.save(path)
    loaded = nn.load_model(path).state_dict()
    assert loaded["layers.0.neurons.0.weights.1"] == float(np.float32(0.1)) != 0.1  # every bit kept
    assert loaded["layers.1.neurons.0.bias"] == -2.5 and loaded["layers.0.neurons.1.bias"] == 3.0
    assert all(type(value) is float for value in loaded.values())


def test_a_path_given_as_bytes_saves_and_loads(tmp_path):
    path = os.fsencode(tmp_path / "model.json")
    model = MLP(2, [2, 1], seed=0)
    model.save(path)
    assert nn.load_model(path).state_dict() == model.state_dict()
    assert MLP(2, [2, 1], seed=1).load(path).state_dict() == model.state_dict()
    with pytest.raises(nn.ModelFileError, match=f"^{tmp_path}/model.json: the file holds a different"):
        MLP(2, [3, 1], seed=1).load(path)  # the message shows the path as text, not b'...'


@pytest.mark.parametrize("who", ["load_model", "MLP.load", "save"])
def test_a_path_that_is_no_path_is_a_clear_error(who):
    model = MLP(2, [2, 1], seed=0)
    act = {"load_model": nn.load_model, "MLP.load": model.load, "save": model.save}[who]
    message = rf"^{who}: expected a file path \(a str, bytes or os.PathLike\), got int 3$"
    with pytest.raises(TypeError, match=message):
        act(3)
