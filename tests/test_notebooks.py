"""The committed notebooks are what a reader browsing the repository sees: check their hygiene.

Running them is nbmake's job (``--nbmake`` in pyproject.toml executes every ``notebooks/*.ipynb``);
here we check that the committed files were executed and scrubbed by ``scripts/notebooks``, and that
they match their sources in ``notebooks/_source``.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
SOURCES = sorted((NOTEBOOKS / "_source").glob("[0-9][0-9]_*.py"))

ABSOLUTE_PATH = re.compile(r"(?<![\w.:/])(/(home|root|tmp|work|usr|var|opt|Users|private)/|[A-Za-z]:\\\\)")
ADDRESS = re.compile(r"0x[0-9a-fA-F]{4,}")
TIMING = re.compile(r"Wall time|CPU times|\d+(\.\d+)?\s*(it/s|s/it)|\bper loop\b|\d{2}:\d{2}<\d{2}:\d{2}")


def _load_builder():  # notebooks/_build.py is a script, not a package module
    spec = importlib.util.spec_from_file_location("notebook_builder", NOTEBOOKS / "_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _texts(cell: dict) -> list[str]:
    """The text a reader sees in a code cell's outputs (images other than SVG are base64 and skipped)."""
    texts = []
    for output in cell.get("outputs", []):
        text = output.get("text")
        texts.append("".join(text) if isinstance(text, list) else (text or ""))
        texts.extend(output.get("traceback", []))
        for mime, data in output.get("data", {}).items():
            if mime.startswith("text/") or mime == "image/svg+xml":
                texts.append("".join(data) if isinstance(data, list) else data)
    return texts


def test_every_source_has_its_notebook():
    assert SOURCES, "no notebook sources found"
    assert [p.stem for p in PATHS] == [s.stem for s in SOURCES]
    numbers = [p.name[:2] for p in PATHS]
    assert numbers == [f"{k:02d}" for k in range(1, len(PATHS) + 1)], f"numbered 01, 02, ...: {numbers}"


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_hygiene(path: Path) -> None:
    assert path.stat().st_size < 2_000_000, f"{path.name} is over 2 MB: prefer SVG graphs and low-dpi plots"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook["cells"]

    first = cells[0]
    assert first["cell_type"] == "markdown"
    assert "**Goal:**" in "".join(first["source"]), f"{path.name}: the first cell must state the goal"
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    assert "seed" in "".join(code[0]["source"]), f"{path.name}: set the seeds in the first code cell"

    for number, cell in enumerate(code, 1):
        assert cell["execution_count"] == number, f"{path.name}: not run top to bottom by scripts/notebooks"
        assert "execution" not in cell["metadata"], f"{path.name}: timing metadata left in"
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{path.name}: a committed cell failed"
        for text in _texts(cell):
            for pattern, what in ((ABSOLUTE_PATH, "an absolute path"), (ADDRESS, "a memory address"),
                                  (TIMING, "a timing")):
                found = pattern.search(text)
                assert found is None, f"{path.name} cell {cell['id']}: {what} in an output: {found.group()!r}"
    with_outputs = sum(1 for cell in code if cell.get("outputs"))
    assert with_outputs >= len(code) // 2, f"{path.name}: outputs missing"
    assert any("image/svg+xml" in output.get("data", {}) or "image/png" in output.get("data", {})
               for cell in code for output in cell.get("outputs", [])), f"{path.name}: no picture"


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_matches_its_source(path: Path) -> None:
    builder = _load_builder()
    expected = builder.build(NOTEBOOKS / "_source" / f"{path.stem}.py")
    committed = json.loads(path.read_text(encoding="utf-8"))
    assert ["".join(c["source"]) for c in committed["cells"]] == [c.source for c in expected.cells], (
        f"{path.name} differs from notebooks/_source/{path.stem}.py: run scripts/notebooks"
    )
