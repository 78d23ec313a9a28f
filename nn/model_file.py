"""Model files: the JSON format, reading one with every check, and writing one atomically.

A model file is strict JSON (no ``NaN`` or ``Infinity`` tokens)::

    {"format": "chainrule.nn", "version": 1,
     "architecture": {"type": "MLP", "n_inputs": 2, "sizes": [16, 16, 1], ...},
     "parameters": {"layers.0.neurons.0.weights.0": 0.318..., ...}}

Floats are written with ``repr``, so a round trip gives back the same bits. Parameters are finite
numbers: saving refuses a nan or inf parameter by name, and reading refuses one (or a number too
large for a float) by name. This module knows the format, not the modules: ``Module.save`` and
``Module.load`` hand it plain dicts.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Union

from nn.arguments import is_number, to_float

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]
FORMAT = "chainrule.nn"
FORMAT_VERSION = 1

PARTIAL_SUFFIX = ".chainrule-partial"
"""How the temporary file of a save in progress ends: ``.model.json.<random>.chainrule-partial``.

A save killed before its last step leaves such a file beside the target. The name says what it
is, no ``*.json`` pattern matches it, and reading refuses it."""

MAX_NESTING = 32
"""How deeply a model file may nest brackets (a model file needs 3 levels; JSON parsers recurse)."""

_LARGEST_FLOAT_DIGITS = len(str(int(1.7976931348623157e308)))  # 309: more digits never fit a float


class ModelFileError(ValueError):
    """A model file that cannot be loaded: not JSON, truncated, not a chainrule model, or another model's."""


def file_path(path: Any, who: str) -> str:
    """``path`` (a str, bytes or ``os.PathLike``) as a str, or a ``TypeError`` saying ``who`` wants a path.

    >>> file_path(b"model.json", "load_model")
    'model.json'
    >>> file_path(3, "load_model")
    Traceback (most recent call last):
    ...
    TypeError: load_model: expected a file path (a str, bytes or os.PathLike), got int 3
    """
    try:
        return os.fsdecode(path)
    except TypeError:
        raise TypeError(
            f"{who}: expected a file path (a str, bytes or os.PathLike), "
            f"got {type(path).__name__} {path!r:.40}"
        ) from None


# ----- writing ------------------------------------------------------------------------------


def write_model_file(path: PathLike, architecture: Mapping[str, Any], parameters: Mapping[str, Any]) -> None:
    """Write a model file atomically: a crash or a kill leaves the old file, never half a new one.

    The text goes to a temporary file beside the target (same file system, so the final rename is
    atomic), is flushed to disk, and is renamed over the target. An existing target keeps its
    permissions; a symbolic link is written through (its target is replaced, the link stays).
    A target that exists but is not a regular file (a directory, a named pipe, a device, a socket)
    is refused and left as it is: renaming over it would delete it. Errors name ``path``, never
    the temporary file. Parameters are written as floats (a numpy ``float32`` too); one that is
    not a number (a bool, a str) or not finite is refused by name.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> write_model_file(path, {"type": "Scale"}, {"factor": 2.0})
    >>> read_model_file(path)["parameters"]
    {'factor': 2.0}
    >>> write_model_file(path, {"type": "Scale"}, {"factor": float("nan")})
    Traceback (most recent call last):
    ...
    ValueError: cannot save a model whose parameter 'factor' is nan: a model file holds finite numbers
    """
    filename = file_path(path, "save")
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "architecture": architecture,
        "parameters": {name: _savable_number(name, value) for name, value in parameters.items()},
    }
    text = json.dumps(document, indent=1, allow_nan=False) + "\n"
    target = Path(os.path.realpath(filename))  # through symbolic links: the link stays a link
    temporary = _temporary_beside(target)
    try:
        _write_and_rename(text, temporary, target)
    except OSError as error:
        raise _naming_the_target(error, filename) from None


def _savable_number(name: str, value: object) -> float:
    """A parameter's value as the float a model file holds, or an error naming the parameter."""
    if not is_number(value):  # a bool would be written as true, which no reader takes for a number
        raise TypeError(
            f"cannot save a model whose parameter {name!r} is {type(value).__name__} {value!r:.40}, "
            "not a number: a model file holds finite numbers (set it to a float)"
        )
    number = to_float(value)
    if not math.isfinite(number):
        raise ValueError(
            f"cannot save a model whose parameter {name!r} is {number}: a model file holds finite numbers"
        )
    return number


def _temporary_beside(target: Path) -> Path:
    """A new name beside ``target`` for the text being written: ``.NAME.<random>.chainrule-partial``.

    NAME is the target's name, shortened if need be: a target name of up to the file system's
    limit (255 bytes on most) must not make the temporary name longer than allowed.
    """
    random_end = f".{secrets.token_hex(6)}{PARTIAL_SUFFIX}"
    longest = _longest_file_name(target.parent)
    name = target.name
    while name and len(os.fsencode(f".{name}{random_end}")) > longest:
        name = name[:-1]
    return target.with_name(f".{name}{random_end}")


def _longest_file_name(folder: Path) -> int:
    """How many bytes a file name in ``folder`` may have (255 where the system does not say)."""
    try:
        longest = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # no such folder, or a system without pathconf
        return 255
    return longest if longest > 0 else 255


_KINDS_OF_FILE = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _write_and_rename(text: str, temporary: Path, target: Path) -> None:
    try:
        status = os.stat(target)
    except FileNotFoundError:
        mode: int | None = None  # a new file: the usual permissions (0o666 less the umask)
    else:
        _refuse_what_is_not_a_regular_file(status.st_mode)
        mode = status.st_mode & 0o7777
    # os.open rather than mkstemp: mkstemp would make the file 0o600 whatever the umask
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            if mode is not None:
                os.fchmod(file.fileno(), mode)
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _refuse_what_is_not_a_regular_file(mode: int) -> None:
    """Raise ``OSError`` saying what the target is unless ``mode`` is a regular file's.

    The rename that ends a save would replace the target: a device or a pipe would be deleted.
    """
    if stat.S_ISREG(mode):
        return
    kind = next((name for is_kind, name in _KINDS_OF_FILE if is_kind(mode)), "a special file")
    raise OSError(
        f"it is {kind}, not a regular file, and saving would replace it; save the model to a regular file"
    )


def _naming_the_target(error: OSError, path: str) -> OSError:
    """The same kind of error, about the file the user asked for rather than the temporary one."""
    reason = error.strerror or str(error)
    message = f"cannot save the model to {path}: {reason}"
    return OSError(message) if error.errno is None else OSError(error.errno, message)


# ----- reading ------------------------------------------------------------------------------


def read_model_file(path: PathLike) -> dict[str, Any]:
    """The checked contents of a model file: a dict with ``architecture`` and ``parameters``.

    The parameters come back as finite floats. Raises ``ModelFileError``, naming the file and the
    field, for a file that is not JSON (truncated, corrupt), not a chainrule model file, or holds a
    parameter that is not a finite number; ``FileNotFoundError`` passes through.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> with open(path, "w") as file:
    ...     _ = file.write('{"format": "chainrule.nn", "version": 1, "architec')
    >>> read_model_file(path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nn.model_file.ModelFileError: ...: not a valid model file: bad JSON at line 1 column 42 ...
    """
    filename = file_path(path, "read_model_file")
    if filename.endswith(PARTIAL_SUFFIX):
        raise ModelFileError(
            f"{filename}: the temporary file of a save that did not finish, not a model file (delete it)"
        )
    document = _parse(Path(filename).read_bytes(), filename)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ModelFileError(f'{filename}: not a chainrule model file (no "format": {FORMAT!r} entry)')
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= FORMAT_VERSION:
        raise ModelFileError(
            f"{filename}: model file version {version!r:.40} is not supported (this chainrule reads "
            f"version {FORMAT_VERSION})"
        )
    architecture = document.get("architecture")
    if not isinstance(architecture, dict):
        raise ModelFileError(f'{filename}: the model file has no "architecture" object')
    if not isinstance(architecture.get("type"), str):
        raise ModelFileError(
            f"{filename}: architecture.type is {architecture.get('type')!r:.40}; expected the name of a "
            'module type, such as "MLP"'
        )
    parameters = document.get("parameters")
    if not isinstance(parameters, dict):
        raise ModelFileError(f'{filename}: the model file has no "parameters" object')
    return {"architecture": architecture, "parameters": _finite_parameters(parameters, filename)}


def _parse(raw: bytes, path: str) -> Any:
    """The JSON document in ``raw``, or a ``ModelFileError`` saying what is wrong and where."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ModelFileError(f"{path}: not a chainrule model file (not UTF-8 text)") from None
    too_deep = _where_nesting_exceeds(text, MAX_NESTING)
    if too_deep is not None:
        raise ModelFileError(
            f"{path}: {too_deep} nests brackets more than {MAX_NESTING} deep; not a chainrule model file"
        )
    try:
        return json.loads(text, parse_int=_integer)
    except json.JSONDecodeError as error:
        raise ModelFileError(
            f"{path}: not a valid model file: bad JSON at line {error.lineno} column {error.colno} "
            f"({error.msg}); the file is truncated or corrupt"
        ) from None


def _integer(digits: str) -> int | float:
    """A JSON integer; one too long for any float is read as inf and reported by its field.

    (``int()`` would refuse more than 4300 digits with a ``ValueError`` that names no field.)
    """
    if len(digits.lstrip("-")) > _LARGEST_FLOAT_DIGITS:
        return -math.inf if digits.startswith("-") else math.inf
    return int(digits)


# A string's closing quote is optional: an unterminated string is one token running to the end of
# the text. Were it required, the search would restart at every quote inside the unterminated
# string and scan to the end again: quadratic time (28 s for 64 KB of escaped quotes) instead of
# linear.
_JSON_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}:]', re.DOTALL)


def _where_nesting_exceeds(text: str, limit: int) -> str | None:
    """The field in which JSON ``text`` first opens more than ``limit`` brackets, or None.

    >>> _where_nesting_exceeds('{"a": 1, "b": {"c": [[[0]]]}}', 4)
    'b.c'
    >>> _where_nesting_exceeds('{"a": 1, "b": {"c": [[[0]]]}}', 5) is None
    True
    """
    opened_in: list[str] = []  # per open bracket: the key it is the value of ("" inside a list)
    last_string, previous = "", ""
    for match in _JSON_STRUCTURE.finditer(text):
        token = match.group()
        if token in ("{", "["):
            opened_in.append(last_string if previous == ":" else "")
            if len(opened_in) > limit:
                return ".".join(key for key in opened_in if key) or "the top level"
        elif token in ("}", "]"):
            if opened_in:
                opened_in.pop()
        elif token != ":":
            last_string = token[1:-1]
        previous = token
    return None


def _finite_parameters(parameters: Mapping[str, Any], path: str) -> dict[str, float]:
    finite = {}
    for name, value in parameters.items():
        if not is_number(value):
            raise ModelFileError(
                f"{path}: parameter {name!r} is {type(value).__name__} {value!r:.40}, not a number"
            )
        number = to_float(value)
        if not math.isfinite(number):
            raise ModelFileError(
                f"{path}: parameter {name!r} is not a finite number (the file holds nan, inf, or a "
                "number beyond a float's range, 1.8e308); a model file holds finite numbers"
            )
        finite[name] = number
    return finite
