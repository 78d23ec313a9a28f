"""The benchmark machinery, never its timings: a before/after run measures the engines it names.

``--baseline REF`` runs a git revision's engine beside the working tree's; these tests check that
each child imports the engine it is given (and that a mix-up stops the run), that the revision is
exported as committed, that bad requests are clear errors, and that benchmarks/ has no import
circles and imports no other module's private names.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import __main__ as cli
from benchmarks import baseline, harness, memory

ROOT = Path(__file__).resolve().parent.parent


def git(folder: Path, *args: str) -> str:
    command = ["git", "-C", str(folder), "-c", "user.name=test", "-c", "user.email=test@example.com", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose committed engine says 'committed', its working tree 'changed'."""
    folder = tmp_path / "repository"
    for package in ("autograd", "nn"):
        (folder / package).mkdir(parents=True)
        (folder / package / "__init__.py").write_text("STATE = 'committed'\n")
    (folder / "benchmarks").mkdir()
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "engine")
    (folder / "autograd" / "__init__.py").write_text("STATE = 'changed'\n")
    monkeypatch.setattr(baseline, "REPOSITORY", folder)
    return folder


def test_export_engine_writes_the_committed_packages_not_the_working_tree(repository, tmp_path):
    exported = tmp_path / "exported"
    exported.mkdir()
    commit, packages = baseline.export_engine("HEAD", exported)
    assert packages == ["autograd", "nn"]
    assert git(repository, "rev-parse", "HEAD").startswith(commit)
    assert (exported / "autograd" / "__init__.py").read_text() == "STATE = 'committed'\n"
    assert sorted(p.name for p in exported.iterdir()) == ["autograd", "nn"]  # nothing else of the tree
    assert baseline.describe_working_tree().endswith("with uncommitted changes)")


def test_export_engine_names_an_unknown_revision(repository, tmp_path):
    with pytest.raises(baseline.RevisionError, match="no-such-branch: git cannot find that revision"):
        baseline.export_engine("no-such-branch", tmp_path)


def test_export_engine_refuses_a_revision_without_the_engine(repository, tmp_path):
    git(repository, "rm", "-q", "-r", "--cached", "autograd")
    git(repository, "commit", "-q", "-m", "no engine")
    with pytest.raises(baseline.RevisionError, match="has no autograd/ folder"):
        baseline.export_engine("HEAD", tmp_path)


def test_a_child_imports_the_engine_of_the_folder_it_is_given(tmp_path):
    baseline.export_engine("HEAD", tmp_path)  # this repository's own last commit
    with harness.Isolated(memory.trial, "chainrule", 10, engine_path=tmp_path, name="before") as child:
        measured = child()
        assert child.engine_files["autograd"] == str(tmp_path.resolve() / "autograd" / "__init__.py")
    assert measured["objects_per_op"] > 0
    with harness.Isolated(memory.trial, "chainrule", 10, name="after") as child:
        child()
        assert child.engine_files["autograd"] == str(ROOT / "autograd" / "__init__.py")


def test_a_child_that_imports_another_engine_stops_the_run(tmp_path):
    # the folder has no autograd: the child falls back to the working tree's, which must not pass
    with harness.Isolated(memory.trial, "chainrule", 10, engine_path=tmp_path, name="before") as child:
        with pytest.raises(RuntimeError, match="before: the child imported autograd from .*, not from"):
            child()


def test_a_failing_child_reports_its_traceback():
    with harness.Isolated(memory.trial, "no such engine", 10, name="broken") as child:
        with pytest.raises(RuntimeError, match="(?s)child for broken failed:.*KeyError: 'no such engine'"):
            child()


def test_a_row_gives_before_after_and_their_ratio():
    row = baseline.Row("bytes / node", 152.0, 159.6, "{:.0f}".format, 1)
    assert row.cells() == ["bytes / node", "152", "160", "1.050 (+5.0%)", "1"]


def test_a_timing_row_takes_the_median_of_each_rounds_ratio():
    # round by round the after side is 10% faster, though the machine slowed down in between
    row = baseline.Row("chain", 0.02, 0.019, harness.format_time, 3, 1.05, round_ratios=[0.9, 0.9, 0.91])
    assert row.ratio == 0.9
    assert row.cells() == ["chain", "20 ms", "19 ms", "0.900 (-10.0%), rounds 0.90 to 0.91", "3"]


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--baseline", "main", "--rounds", "3"], "--baseline needs at least 5 rounds, not 3"),
        (["--baseline", "main", "--only", "wide"], "--baseline compares mlp_step, chain, memory, not wide"),
        (["--rounds", "0"], "--rounds must be at least 1"),
    ],
)
def test_bad_options_are_clear_errors(arguments, message, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.parse_arguments(arguments)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_baseline_defaults_to_five_rounds_even_when_quick():
    assert cli.parse_arguments(["--baseline", "HEAD", "--quick"]).rounds == 5


def test_the_baseline_command_prints_before_after_and_targets():
    """A real run, memory only (no timing): HEAD's engine against the working tree's."""
    command = [sys.executable, "-m", "benchmarks", "--baseline", "HEAD", "--only", "memory", "--quick"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "### Before and after: HEAD (" in out and "against the working tree, 5 rounds interleaved" in out
    assert "| measure " in out and "| before: HEAD (" in out and "| after: working tree (" in out
    assert "memory (n = 10,000), bytes / node" in out and "after: memory: bytes per node" in out


def test_an_unknown_revision_stops_the_command_clearly():
    command = [sys.executable, "-m", "benchmarks", "--baseline", "no-such-branch", "--only", "memory"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "error: --baseline no-such-branch: git cannot find that revision" in result.stderr


# ----- the structure of benchmarks/: no import circles, no private names of other modules --------


def module_imports(package: str) -> dict[str, list[ast.AST]]:
    """Each module of ``package`` (by dotted name) and its import statements, at any depth."""
    folder = ROOT / package
    found = {}
    for path in sorted(folder.glob("*.py")):
        name = package if path.stem == "__init__" else f"{package}.{path.stem}"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found[name] = [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]
    return found


def imported_modules(node: ast.AST, modules: set[str]) -> set[str]:
    """The modules of ``modules`` that one import statement imports (lazily or not)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names} & modules
    assert isinstance(node, ast.ImportFrom)
    base = node.module or ""
    names = {f"{base}.{alias.name}" for alias in node.names} | {base}
    return names & modules


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of ``graph`` as a list of modules, or None."""
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> list[str] | None:
        state[module] = "open"
        for other in sorted(graph[module]):
            if state.get(other) == "open":
                return path[path.index(other) :] + [other]
            if other not in state and (cycle := visit(other, [*path, other])):
                return cycle
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state and (cycle := visit(module, [module])):
            return cycle
    return None


def test_find_cycle_sees_a_circle_and_its_absence():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_benchmarks_have_no_import_circles():
    imports = module_imports("benchmarks")
    modules = set(imports)
    graph = {m: set().union(*(imported_modules(n, modules) for n in imports[m])) - {m} for m in modules}
    assert find_cycle(graph) is None, f"import circle: {' -> '.join(find_cycle(graph) or [])}"


def test_benchmarks_import_no_private_names():
    for module, nodes in module_imports("benchmarks").items():
        for node in nodes:
            names = [alias.name for alias in node.names]
            private = [n for n in names if n.split(".")[-1].startswith("_") and not n.endswith("__")]
            assert not private, f"{module} imports private names {private} (line {node.lineno})"


def test_memory_targets_judge_the_figures_as_shown():
    report = harness.Report()
    memory.bytes_target(report, 160.03)  # shown as 160: the leaf adds a fraction of a byte per node
    memory.bytes_target(report, 160.6)
    memory.objects_target(report, 1.00003)
    memory.objects_target(report, 1.34)
    shown = [row[2:] for row in report.targets]
    assert shown == [["160", "yes"], ["161", "**no**"], ["1.00", "yes"], ["1.34", "**no**"]]
