"""The packages' layering, read from their import statements (type-only imports included).

The core (``autograd/`` at its top level) imports no wing; the wings (``autograd/draw/``,
``autograd/tracing/``) import the core and not each other; ``autograd`` never imports ``nn``; ``nn``
imports from ``autograd`` only the names that ``autograd`` or a wing exports; no module of either
imports itself through others (``python3 scripts/import_graph.py`` prints the graph). The README's
tree of modules lists every module, each above the ones it imports.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

import autograd
import autograd.draw
import autograd.tracing
from nn._import_guard import REQUIRED_NAMES

REPOSITORY = Path(__file__).resolve().parents[1]


def _load_import_graph():  # scripts/import_graph.py is a script, not a package module
    spec = importlib.util.spec_from_file_location("import_graph", REPOSITORY / "scripts" / "import_graph.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


import_graph = _load_import_graph()
imports_of = import_graph.imports_of
module_name = import_graph.module_name

WINGS = ("autograd.draw", "autograd.tracing")
PUBLIC = {
    "autograd": set(autograd.__all__) | {"sum", "abs", "draw", "__version__"},
    "autograd.draw": set(autograd.draw.__all__),
    "autograd.tracing": set(autograd.tracing.__all__),
}


def modules(package: str) -> list[Path]:
    return sorted((REPOSITORY / package).rglob("*.py"))


def wing_of(module: str) -> str | None:
    return next((wing for wing in WINGS if module == wing or module.startswith(wing + ".")), None)


@pytest.mark.parametrize("path", modules("autograd"), ids=lambda p: module_name(p))
def test_autograd_modules_respect_the_layers(path: Path) -> None:
    me = module_name(path)
    my_wing = wing_of(me)
    for module, _ in imports_of(path):
        assert not module.startswith("nn"), f"{me} imports {module}: autograd never imports nn"
        their_wing = wing_of(module)
        if me == "autograd" or their_wing is None or their_wing == my_wing:
            continue  # the public face imports everything; anything may import the core
        where = f"the wing {my_wing}" if my_wing else "the core"
        raise AssertionError(f"{me} ({where}) imports {module} of the wing {their_wing}")


@pytest.mark.parametrize("path", modules("nn"), ids=lambda p: module_name(p))
def test_nn_imports_only_public_names(path: Path) -> None:
    me = module_name(path)
    for module, names in imports_of(path):
        if module != "autograd" and not module.startswith("autograd."):
            continue
        assert module in PUBLIC, f"{me} imports the module {module}: import from {', '.join(PUBLIC)}"
        private = [name for name in names if name not in PUBLIC[module]]
        assert not private, f"{me} imports {private} from {module}, which does not export them"


def test_the_layering_test_sees_a_violation(tmp_path: Path) -> None:
    core = tmp_path / "core.py"
    core.write_text("if TYPE_CHECKING:\n    from autograd.draw import Group\n")
    assert ("autograd.draw", ["Group"]) in imports_of(core)


def names_nn_uses() -> set[str]:
    """Every name nn takes from ``autograd``: imported from it, or read as ``autograd.<name>``."""
    names: set[str] = set()
    for path in modules("nn"):
        for module, imported in imports_of(path):
            if module == "autograd":
                names.update(imported)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "autograd":
                names.add(node.attr)
    return names - {"__version__"}


def test_the_import_guard_lists_every_name_nn_uses() -> None:
    assert sorted(REQUIRED_NAMES) == sorted(names_nn_uses())


def test_no_import_circles() -> None:
    edges = import_graph.graph()
    assert "autograd.value" in edges and "nn.layers" in edges
    assert import_graph.cycles(edges) == []


def test_the_circle_check_sees_a_circle_through_a_type_only_import(tmp_path: Path) -> None:
    package = tmp_path / "pack"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pack.b import B\n")
    type_only = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pack.c import C\n"
    (package / "b.py").write_text(type_only)
    (package / "c.py").write_text("from pack import a\n")
    (package / "d.py").write_text("from pack import a, b\n")
    edges = import_graph.graph(tmp_path, ("pack",))
    assert edges["pack.d"] == {"pack.a", "pack.b"}  # modules named from the package: not the package
    assert import_graph.cycles(edges) == [["pack.a", "pack.b", "pack.c"]]


def _readme_tree() -> dict[str, list[str]]:
    """The README's tree of modules (its Design section): each folder's modules, top to bottom."""
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    block = readme.split("\nautograd/ ", 1)[1].split("```", 1)[0]
    tree: dict[str, list[str]] = {}
    folder = "autograd/"
    for line in ("autograd/ " + block).splitlines():
        name, _, description = line.strip().partition(" ")
        assert description.strip(), f"the README's tree says nothing of {name}: one line per module"
        if line.startswith(" "):
            tree[folder].append(name)
        else:
            folder = name
            tree[folder] = []
    return tree


def test_the_readme_tree_lists_every_module_each_above_those_it_imports() -> None:
    tree = _readme_tree()
    listed = [folder + name for folder, names in tree.items() for name in names]
    paths = modules("autograd") + modules("nn")
    existing = [path.relative_to(REPOSITORY).as_posix() for path in paths]
    assert sorted(listed) == sorted(existing), "the README's Design tree must list each module once"
    edges = import_graph.graph()
    for folder, names in tree.items():
        order = [module_name(REPOSITORY / folder / name) for name in names]
        for i, module in enumerate(order):
            above = set(order[:i]) & edges[module]
            assert not above, f"the README lists {module} below {sorted(above)}, which it imports"
