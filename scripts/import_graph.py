"""The import graph of chainrule's packages, read from their import statements.

Every import counts, wherever it is in the file: at the top, inside a function, or under
``if TYPE_CHECKING:`` (a type-only import is still an edge: a circle through one is still a circle).
An edge goes from a module to each module of the packages that it names, including the package
``__init__`` of a ``from package import name``.

    python3 scripts/import_graph.py            # each module, then the modules it imports
    python3 scripts/import_graph.py --tree     # each module with its line count
    python3 scripts/import_graph.py --cycles   # the import circles (none, one per line otherwise)

Only the standard library: it reads files and never imports the packages.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
PACKAGES = ("autograd", "nn")


def module_name(path: Path, root: Path = REPOSITORY) -> str:
    """``autograd/tracing/program.py`` as ``autograd.tracing.program`` (a package as its name)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path = REPOSITORY, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    """Every module of ``packages`` under ``root``, by name."""
    paths = [path for package in packages for path in sorted((root / package).rglob("*.py"))]
    return {module_name(path, root): path for path in paths}


def imports_of(path: Path) -> list[tuple[str, list[str]]]:
    """Every import in ``path``, anywhere in the file: (module, names imported from it)."""
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def graph(root: Path = REPOSITORY, packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    """Each module, and the modules of ``packages`` it imports: ``from package import module``
    names that module (not the package's ``__init__``, which Python runs first for any of its
    modules), ``from package import name`` the package."""
    known = modules(root, packages)
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = set()
        for module, names in imports_of(path):
            submodules = {f"{module}.{n}" for n in names if f"{module}.{n}" in known}
            targets.update(submodules)
            if module in known and (not names or len(submodules) < len(names)):
                targets.add(module)  # a name from the module itself, not only its submodules
        targets.discard(name)
        edges[name] = targets
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import circles: each strongly connected group of more than one module (Tarjan's
    algorithm, iteratively), sorted."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = lowest[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = lowest[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    lowest[node] = min(lowest[node], index[child])
                continue
            work.pop()
            if work:
                lowest[work[-1][0]] = min(lowest[work[-1][0]], lowest[node])
            if lowest[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return sorted(found)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", action="store_true", help="each module with its line count")
    parser.add_argument("--cycles", action="store_true", help="the import circles only")
    options = parser.parse_args(argv)
    if options.tree:
        for path in modules().values():
            lines = len(path.read_text(encoding="utf-8").splitlines())
            print(f"{lines:5d}  {path.relative_to(REPOSITORY)}")
        return 0
    edges = graph()
    if options.cycles:
        found = cycles(edges)
        for group in found:
            print(" <-> ".join(group))
        return 1 if found else 0
    for name in sorted(edges):
        print(f"{name} -> {', '.join(sorted(edges[name])) or '(nothing of the packages)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
