"""The playground's build (docs/playground/build_playground.py), the parts that need no network: the pins, the
Python version check, the zip of chainrule, the examples, the server. The build itself (npm, PyPI)
runs in the browser tests (test_playground_browser.py)."""

from __future__ import annotations

import json
import urllib.request
import zipfile
from pathlib import Path

import pytest
from build_playground import (
    HERE,
    ROOT,
    WHEELS,
    BuildError,
    chainrule_zip,
    check_python,
    examples,
    npm_packages,
    start_server,
    supported_pythons,
)
from packaging.requirements import Requirement

PACKAGE = json.loads((HERE / "package.json").read_text(encoding="utf-8"))
LOCK = json.loads((HERE / "package-lock.json").read_text(encoding="utf-8"))


def test_the_supported_pythons_come_from_pyproject() -> None:
    assert supported_pythons() == ["3.10", "3.11", "3.12", "3.13"]


def test_a_pyodide_whose_python_chainrule_does_not_support_is_refused() -> None:
    check_python("3.13.2")
    with pytest.raises(
        BuildError, match=r"runs Python 3\.14\.2, and chainrule supports Python 3\.10, .*3\.13"
    ):
        check_python("3.14.2")


def test_the_npm_packages_are_pinned_and_locked() -> None:
    pins = PACKAGE["dependencies"]
    assert set(pins) == {"pyodide", "@viz-js/viz"}
    for name, version in pins.items():
        assert version[0].isdigit(), f"{name}: pin an exact version, not {version}"
        locked = LOCK["packages"][f"node_modules/{name}"]
        assert locked["version"] == version and locked["integrity"].startswith("sha512-")
    assert LOCK["packages"][""]["dependencies"] == pins


def test_the_wheels_are_pinned_within_chainrules_own_ranges() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for pin in WHEELS:
        name, version = pin.split("==")
        declared = [Requirement(line) for line in _quoted(text) if line.startswith(f"{name}>=")]
        assert declared, f"{name} is not among chainrule's dependencies"
        assert all(version in requirement.specifier for requirement in declared), (pin, declared)


def _quoted(text: str) -> list[str]:
    return [part for part in text.split('"')[1::2]]


def test_the_zip_holds_chainrule_and_the_runner_and_nothing_compiled(tmp_path: Path) -> None:
    with zipfile.ZipFile(chainrule_zip(tmp_path / "chainrule.zip")) as archive:
        names = archive.namelist()
    assert {"autograd/__init__.py", "nn/__init__.py", "chainrule_playground.py"} <= set(names)
    assert any(name.endswith("viewer.js") for name in names)  # the viewer's assets come along
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    assert {name.split("/")[0] for name in names} == {"autograd", "nn", "chainrule_playground.py"}


def test_each_example_is_titled_by_its_first_line(tmp_path: Path) -> None:
    titles = [example["title"] for example in examples()]
    assert titles[0].startswith("A neuron") and len(titles) == 4
    (tmp_path / "untitled.py").write_text("x = 1\n", encoding="utf-8")
    with pytest.raises(BuildError, match="untitled.py must start with a comment that titles it"):
        examples(tmp_path)


def test_without_npm_the_build_says_how_to_get_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm on it
    with pytest.raises(BuildError, match="needs Node.js and npm .*apt-get install nodejs npm"):
        npm_packages(tmp_path / "cache")


def test_the_server_gives_webassembly_its_type(tmp_path: Path) -> None:
    (tmp_path / "python.wasm").write_bytes(b"\0asm")
    (tmp_path / "worker.js").write_text("// a worker\n", encoding="utf-8")
    server = start_server(tmp_path)
    try:
        base = f"http://127.0.0.1:{server.server_port}/"
        with urllib.request.urlopen(base + "python.wasm") as response:
            assert response.headers["Content-Type"] == "application/wasm"
        with urllib.request.urlopen(base + "worker.js") as response:
            assert response.headers["Content-Type"] == "text/javascript"
    finally:
        server.shutdown()
        server.server_close()


def test_the_readme_says_how_to_build_it_and_which_pyodide_it_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "scripts/playground --serve" in readme and "scripts/playground --test" in readme
    # which Python it runs: the browser test reads the version in the page
    assert f"Pyodide {PACKAGE['dependencies']['pyodide']}, which runs" in readme
