"""Build, execute and scrub the notebooks: ``scripts/notebooks`` runs this in the project's .venv.

Each notebook is written as a plain Python file in ``notebooks/_source/`` (cells separated by ``# %%``
lines; a ``# %% [markdown]`` cell is markdown with each line behind ``# ``), which reads well in a
diff and in review. This script turns every source into ``notebooks/NN_name.ipynb``, executes it with
nbclient in a temporary working directory (so nothing is written into the repository), and scrubs the
outputs so that a rebuild is reproducible: no absolute paths, no memory addresses, no timings, fixed
cell ids.

    python notebooks/_build.py                # every notebook
    python notebooks/_build.py 03 05          # only those whose names start so
    python notebooks/_build.py --no-execute   # cells only, no outputs (quick check of the sources)
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent
SOURCES = NOTEBOOKS / "_source"
ROOT = NOTEBOOKS.parent
MAX_SECONDS = 20.0  # each notebook must run in less than this (issue 6)
MAX_BYTES = 2_000_000

_CELL_MARK = re.compile(r"^# %%(?P<kind> \[markdown\])?\s*$")
ADDRESS = re.compile(r"0x[0-9a-fA-F]{4,}")


def parse_source(text: str) -> list[tuple[str, str]]:
    """A percent-format source as ``(kind, text)`` cells, kind ``"markdown"`` or ``"code"``."""
    cells: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        mark = _CELL_MARK.match(line)
        if mark:
            cells.append(("markdown" if mark.group("kind") else "code", []))
            continue
        if not cells:
            if line.strip():
                raise ValueError(f"text before the first '# %%' line: {line!r}")
            continue
        kind, lines = cells[-1]
        if kind == "markdown":
            if line.startswith("# "):
                line = line[2:]
            elif line.rstrip() == "#":
                line = ""
            elif line.strip():
                raise ValueError(f"a markdown line must start with '# ': {line!r}")
        lines.append(line)
    result = []
    for kind, lines in cells:
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        result.append((kind, "\n".join(lines)))
    return result


def build(source: Path) -> nbformat.NotebookNode:
    """The notebook for one source file, without outputs; cell ids are fixed so rebuilds diff cleanly."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for number, (kind, text) in enumerate(parse_source(source.read_text(encoding="utf-8")), 1):
        cell = nbformat.v4.new_markdown_cell(text) if kind == "markdown" else nbformat.v4.new_code_cell(text)
        cell.id = f"{source.stem[:2]}-{number:03d}"
        notebook.cells.append(cell)
    return notebook


def _scrub_text(text: str, places: list[str]) -> str:
    for place in places:
        text = text.replace(place, "<dir>")
    return ADDRESS.sub("0x...", text)


def _merge_streams(cell: nbformat.NotebookNode) -> None:
    """Join consecutive prints to the same stream: how the kernel splits them depends on timing."""
    merged: list[nbformat.NotebookNode] = []
    for output in cell.get("outputs", []):
        previous = merged[-1] if merged else None
        if (output.output_type == "stream" and previous is not None and previous.output_type == "stream"
                and previous.name == output.name):
            previous.text += output.text
        else:
            merged.append(output)
    if "outputs" in cell:
        cell.outputs = merged


def scrub(notebook: nbformat.NotebookNode, places: list[str]) -> None:
    """Remove what differs from run to run or machine to machine: paths, addresses, timings."""
    notebook.metadata["language_info"] = {"name": "python"}
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # timestamps
        _merge_streams(cell)
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = _scrub_text(output["text"], places)
            if "traceback" in output:
                output["traceback"] = [_scrub_text(line, places) for line in output["traceback"]]
            for mime, data in output.get("data", {}).items():
                if mime.startswith("text/") or mime == "image/svg+xml":
                    output["data"][mime] = _scrub_text(data, places)


def execute(notebook: nbformat.NotebookNode) -> float:
    """Run every cell in a fresh kernel inside a temporary directory; the seconds it took."""
    with tempfile.TemporaryDirectory(prefix="chainrule-notebook-") as workdir:
        client = NotebookClient(notebook, timeout=120, kernel_name="python3", record_timing=False,
                                resources={"metadata": {"path": workdir}})
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
        places = sorted({workdir, os.path.realpath(workdir), str(ROOT), tempfile.gettempdir(),
                         str(Path.home())}, key=len, reverse=True)
        scrub(notebook, [place for place in places if len(place) > 1])
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="only notebooks whose names start with one of these")
    parser.add_argument("--no-execute", action="store_true", help="write the cells only, without outputs")
    options = parser.parse_args(argv)
    sources = sorted(SOURCES.glob("[0-9][0-9]_*.py"))
    if options.names:
        sources = [s for s in sources if any(s.stem.startswith(name) for name in options.names)]
    if not sources:
        print("no notebook sources matched", file=sys.stderr)
        return 1
    problems = []
    for source in sources:
        target = NOTEBOOKS / f"{source.stem}.ipynb"
        notebook = build(source)
        seconds = 0.0
        if not options.no_execute:
            seconds = execute(notebook)
        nbformat.validate(notebook)
        nbformat.write(notebook, target)
        size = target.stat().st_size
        print(f"{target.relative_to(ROOT)}: {seconds:5.1f} s, {size / 1000:7.1f} kB")
        if seconds > MAX_SECONDS:
            problems.append(f"{target.name} took {seconds:.1f} s (limit {MAX_SECONDS:.0f} s)")
        if size > MAX_BYTES:
            problems.append(f"{target.name} is {size / 1e6:.2f} MB (limit {MAX_BYTES / 1e6:.0f} MB)")
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
