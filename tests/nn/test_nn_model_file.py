"""Model files at their edges: targets that are not regular files, hostile files, odd names and types."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from nn import MLP
from nn.model_file import _refuse_what_is_not_a_regular_file, _where_nesting_exceeds

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
