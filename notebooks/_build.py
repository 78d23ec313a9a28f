"""Build, execute and scrub the notebooks: ``scripts/notebooks`` runs this in the project's .venv.

Each notebook is written as a plain Python file in ``notebooks/_source/`` (cells separated by ``# %%``
lines; a ``# %% [markdown]`` cell is markdown with each line behind ``# ``), which reads well in a
diff and in review. This script turns every source into ``notebooks/NN_name.ipynb``, executes it with
nbclient in a temporary working directory (so nothing is written into the repository), and scrubs the
outputs so that a rebuild is reproducible: no absolute paths, no memory addresses, no timings, fixed
cell ids.

Exercises. A ``# %% [solution]`` cell holds the answer to the code cell just before it (the exercise,
with ``...`` where the learner writes). Each source is built twice from the same cells:

- ``notebooks/NN_name.ipynb``, as a learner gets it: exercises untouched, solutions left out, so
  every checker prints "not yet";
- ``notebooks/solutions/NN_name.ipynb``: each exercise replaced by its solution, and the checkers
  made strict (``SOLUTIONS = True``), so a wrong or missing answer raises and the run fails.

A ``# %% [checking]`` cell (empty in the source) becomes the checkers' helper code, the text of
``notebooks/_source/_checking.py``, the same in every notebook.

    python notebooks/_build.py                # every notebook, and its solutions
    python notebooks/_build.py 03 05          # only those whose names start so
    python notebooks/_build.py --no-execute   # cells only, no outputs (quick check of the sources)
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent
sys.path.insert(0, str(NOTEBOOKS))  # for _figures, when this file is loaded by path (the tests do)
from _figures import picture_problems  # noqa: E402

FIGURE_WATCH = (  # run in each notebook's kernel before its first cell; binds no name there
    f"__import__('runpy').run_path({str(NOTEBOOKS / '_figures.py')!r}, run_name='chainrule_figures')"
    "['watch_matplotlib']();"
)
SOURCES = NOTEBOOKS / "_source"
SOLUTIONS = NOTEBOOKS / "solutions"
CHECKING = SOURCES / "_checking.py"
ROOT = NOTEBOOKS.parent
MAX_SECONDS = 20.0  # each notebook must run in less than this many CPU seconds (kernel included)
MAX_BYTES = 2_000_000

_CELL_MARK = re.compile(r"^# %%(?: \[(?P<kind>markdown|solution|checking)\])?\s*$")
_LEARNER_MODE = "SOLUTIONS = False"
_SOLUTIONS_MODE = "SOLUTIONS = True"
SOLUTIONS_NOTE = (
    "*The solutions: every exercise below is answered, and every checker must say right (here a wrong "
    "answer raises, so the test run fails).*"
)
ADDRESS = re.compile(r"0x[0-9a-fA-F]{4,}")


def parse_source(text: str) -> list[tuple[str, str]]:
    """A percent-format source as ``(kind, text)`` cells: ``"markdown"``, ``"code"``, ``"solution"``
    (the answer to the code cell before it) or ``"checking"`` (the checkers' helper goes there)."""
    cells: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        mark = _CELL_MARK.match(line)
        if mark:
            kind = mark.group("kind") or "code"
            if kind == "solution" and (not cells or cells[-1][0] != "code"):
                raise ValueError("a '# %% [solution]' cell must follow the code cell of its exercise")
            cells.append((kind, []))
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


def checking_code(solutions: bool) -> str:
    """The checkers' helper cell: lenient for learners, strict (raising) in the solutions."""
    text = CHECKING.read_text(encoding="utf-8").strip()
    if text.count(_LEARNER_MODE) != 1:
        raise ValueError(f"{CHECKING.name} must set {_LEARNER_MODE!r} exactly once")
    return text.replace(_LEARNER_MODE, _SOLUTIONS_MODE) if solutions else text


def edition(cells: list[tuple[str, str]], solutions: bool) -> list[tuple[str, str]]:
    """The cells of one edition: solution cells dropped (learners) or put in their exercise's place."""
    chosen: list[tuple[str, str]] = []
    for kind, text in cells:
        if kind == "solution":
            if solutions:
                chosen[-1] = ("code", text)
        elif kind == "checking":
            chosen.append(("code", checking_code(solutions)))
        else:
            chosen.append((kind, text))
    if solutions and chosen and chosen[0][0] == "markdown":
        chosen[0] = ("markdown", f"{chosen[0][1]}\n\n{SOLUTIONS_NOTE}")
    return chosen


def has_exercises(source: Path) -> bool:
    """Whether a source has solution cells (then it also gets a solutions notebook)."""
    return any(kind == "solution" for kind, _ in parse_source(source.read_text(encoding="utf-8")))


def build(source: Path, solutions: bool = False) -> nbformat.NotebookNode:
    """The notebook for one source file, without outputs; cell ids are fixed so rebuilds diff cleanly.

    ``solutions=True`` gives the solutions edition (see the module docstring)."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    cells = edition(parse_source(source.read_text(encoding="utf-8")), solutions)
    for number, (kind, text) in enumerate(cells, 1):
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
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
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


def _cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished children (the notebooks' kernels)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def execute(notebook: nbformat.NotebookNode) -> float:
    """Run every cell in a fresh kernel inside a temporary directory; the CPU seconds it took.

    CPU time, not wall time: on a shared machine the wall time of the same notebook varies threefold
    with the load, while the work it asks of a learner's machine does not."""
    with tempfile.TemporaryDirectory(prefix="chainrule-notebook-") as workdir:
        client = NotebookClient(
            notebook,
            timeout=120,
            kernel_name="python3",
            record_timing=False,
            resources={"metadata": {"path": workdir}},
            extra_arguments=[f"--IPKernelApp.exec_lines={FIGURE_WATCH}"],
        )
        start = _cpu_seconds()
        client.execute()  # starts the kernel, a child process, and waits for it when it shuts down
        seconds = _cpu_seconds() - start
        places = sorted(
            {workdir, os.path.realpath(workdir), str(ROOT), tempfile.gettempdir(), str(Path.home())},
            key=len,
            reverse=True,
        )
        scrub(notebook, [place for place in places if len(place) > 1])
    return seconds


def _limits_broken(target: Path, seconds: float, notebook: nbformat.NotebookNode) -> list[str]:
    """Print a built notebook's run time and size; the limits it breaks (time, size, pictures that do
    not fit a notebook column), as sentences."""
    size = target.stat().st_size
    print(f"{target.relative_to(ROOT)}: {seconds:5.1f} s of CPU, {size / 1000:7.1f} kB", flush=True)
    problems = []
    if seconds > MAX_SECONDS:
        problems.append(f"{target.name} took {seconds:.1f} s of CPU (limit {MAX_SECONDS:.0f} s)")
    if size > MAX_BYTES:
        problems.append(f"{target.name} is {size / 1e6:.2f} MB (limit {MAX_BYTES / 1e6:.0f} MB)")
    return problems + picture_problems(notebook, str(target.relative_to(ROOT)))


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
    problems: list[str] = []
    SOLUTIONS.mkdir(exist_ok=True)
    for source in sources:
        editions = [(NOTEBOOKS, False)] + ([(SOLUTIONS, True)] if has_exercises(source) else [])
        for folder, solutions in editions:
            target = folder / f"{source.stem}.ipynb"
            notebook = build(source, solutions)
            seconds = 0.0
            if not options.no_execute:
                seconds = execute(notebook)
            nbformat.validate(notebook)
            nbformat.write(notebook, target)
            problems.extend(_limits_broken(target, seconds, notebook))
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
