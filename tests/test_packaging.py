"""The package as an index would see it: the wheel and its metadata, built here by hatchling.

The build backend runs in-process (no isolated environment, nothing downloaded), so building the
metadata and the wheel takes well under a second. Also: the README's install section lists what the
package really offers, and ``import nn`` explains the HIPS ``autograd`` clash to a pip user.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest
from hatchling.build import build_sdist, build_wheel, prepare_metadata_for_build_wheel
from packaging.requirements import Requirement

import autograd
import nn

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: hatchling brings tomli
    import tomli as tomllib  # type: ignore[no-redef]

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def metadata(tmp_path_factory: pytest.TempPathFactory) -> Message:
    """The METADATA of the wheel, as hatchling writes it."""
    folder = tmp_path_factory.mktemp("metadata")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        name = prepare_metadata_for_build_wheel(str(folder))
    return Parser().parsestr((folder / name / "METADATA").read_text(encoding="utf-8"))


def requirements(metadata: Message) -> list[Requirement]:
    return [Requirement(text) for text in metadata.get_all("Requires-Dist") or []]


def test_metadata_names_the_package_its_version_and_licence(metadata: Message) -> None:
    assert metadata["Name"] == "chainrule"
    assert metadata["Version"] == autograd.__version__
    assert metadata["License-Expression"] == "MIT"
    assert "autograd" in metadata["Keywords"] and "backpropagation" in metadata["Keywords"]
    assert metadata["Description-Content-Type"] == "text/markdown"


def test_both_packages_have_the_distributions_version() -> None:
    assert nn.__version__ == autograd.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", nn.__version__)


def test_metadata_names_its_authors_and_where_the_repository_docs_and_issues_are(metadata: Message) -> None:
    assert metadata["Author"] == "The chainrule maintainers"
    urls = dict(entry.split(", ", 1) for entry in metadata.get_all("Project-URL") or [])
    assert set(urls) == {"Repository", "Documentation", "Issues"}
    assert all(url.startswith("https://") for url in urls.values())
    # until the project is published they are placeholders, and the README says what replaces them
    publishing = README.split("## Publishing", 1)[1].split("\n## ", 1)[0]
    for label, url in urls.items():
        assert url in publishing and label in publishing


def test_the_python_versions_agree_everywhere(metadata: Message) -> None:
    assert metadata["Requires-Python"] == ">=3.10"
    classifiers = metadata.get_all("Classifier") or []
    versions = sorted(
        (int(m.group(1)), int(m.group(2)))
        for c in classifiers
        if (m := re.fullmatch(r"Programming Language :: Python :: (\d+)\.(\d+)", c))
    )
    assert versions[0] == (3, 10) and versions == [(3, minor) for minor in range(10, versions[-1][1] + 1)]
    assert PYPROJECT["tool"]["ruff"]["target-version"] == "py310"
    assert PYPROJECT["tool"]["mypy"]["python_version"] == "3.10"
    assert "Typing :: Typed" in classifiers
    assert (ROOT / "autograd" / "py.typed").exists() and (ROOT / "nn" / "py.typed").exists()


def test_extras_are_the_users_and_use_version_ranges_not_pins(metadata: Message) -> None:
    assert set(metadata.get_all("Provides-Extra") or []) == {"draw", "demo", "jupyter"}
    for requirement in requirements(metadata):
        if requirement.name == "chainrule":  # an extra that includes another: chainrule[draw]
            continue
        operators = {spec.operator for spec in requirement.specifier}
        assert ">=" in operators, f"{requirement}: give a lowest version known to work"
        assert operators <= {">=", "<"}, f"{requirement}: a range, not a pin"


def test_development_tools_stay_out_of_the_published_metadata(metadata: Message) -> None:
    published = {requirement.name.lower() for requirement in requirements(metadata)}
    groups = PYPROJECT["dependency-groups"]
    assert set(groups) == {"dev", "bench", "docs"}
    tools = {Requirement(text).name.lower() for group in groups.values() for text in group}
    assert {"pytest", "mypy", "ruff", "hypothesis", "nbmake", "micrograd", "sphinx"} <= tools
    # ipywidgets is in both: the jupyter extra brings it to users, and a test looks for fit's widget bar
    leaked = published & tools - {"ipywidgets"}
    assert not leaked, f"development tools in the published metadata: {leaked}"
    assert published == {"tqdm", "graphviz", "graphviz-pure", "matplotlib", "jupyterlab", "ipywidgets"}


def test_the_wheel_holds_the_two_packages_and_nothing_else(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    wheel = tmp_path / build_wheel(str(tmp_path))
    assert wheel.name == f"chainrule-{autograd.__version__}-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"autograd", "nn", f"chainrule-{autograd.__version__}.dist-info"}
    assert {"autograd/__init__.py", "autograd/py.typed", "nn/__init__.py", "nn/py.typed"} <= set(names)
    assert f"chainrule-{autograd.__version__}.dist-info/licenses/LICENSE" in names


def test_the_sdist_holds_the_sources_tests_and_docs_but_not_the_executed_notebooks(tmp_path: Path) -> None:
    """Every file git tracks is in the sdist, but the notebooks that scripts/notebooks executes."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (an unpacked sdist?): no list of tracked files to compare with")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        archive = tmp_path / build_sdist(str(tmp_path))
    top = f"chainrule-{autograd.__version__}"
    assert archive.name == f"{top}.tar.gz"
    with tarfile.open(archive) as sdist:
        names = {name.removeprefix(f"{top}/") for name in sdist.getnames()}
    assert not [name for name in names if name.endswith(".ipynb")], "the executed notebooks stay out"
    assert {"README.md", "LICENSE", "pyproject.toml", "PKG-INFO", "notebooks/_build.py"} <= names
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    wanted = {name for name in tracked.stdout.splitlines() if not name.endswith(".ipynb")}
    assert {"autograd/__init__.py", "nn/__init__.py", "tests/helpers.py"} <= wanted
    assert any(name.startswith("docs/") for name in wanted)
    missing = wanted - names
    assert not missing, f"left out of the sdist: {sorted(missing)}"
    assert archive.stat().st_size < 1_000_000  # the notebooks' outputs alone are megabytes


# ----- the README's install section -----------------------------------------------------------


def install_section() -> str:
    return README.split("## Installing with pip", 1)[1].split("\n## ", 1)[0]


def test_the_readme_lists_every_extra_and_what_it_brings() -> None:
    section = install_section()
    listed = set(re.findall(r"^\| `chainrule\[(\w+)\]` \|", section, flags=re.MULTILINE))
    assert listed == set(PYPROJECT["project"]["optional-dependencies"])
    for extra, needs in PYPROJECT["project"]["optional-dependencies"].items():
        row = re.search(rf"^\| `chainrule\[{extra}\]` \|(.*)$", section, flags=re.MULTILINE)
        assert row is not None
        for requirement in map(Requirement, needs):
            name = requirement.name if requirement.name != "chainrule" else next(iter(requirement.extras))
            assert f"`{name}`" in row.group(1), f"the README's row for [{extra}] does not name {name}"
    for group in PYPROJECT["dependency-groups"]:
        assert f"`{group}`" in section


def test_the_readme_says_how_to_install_from_a_clone_or_a_wheel_and_about_the_clash() -> None:
    section = install_section()
    assert 'pip install ".[draw]"' in section
    wheel = f"chainrule-{autograd.__version__}-py3-none-any.whl"
    assert f'pip install "./dist/{wheel}[draw]"' in section and "pip wheel --no-deps" in section
    assert 'pip install -e ".[demo]" --group dev' in section
    assert "HIPS autograd" in section and "pip uninstall autograd" in section


# ----- the clash with HIPS autograd, as a pip user meets it ------------------------------------


def import_nn_beside(fake_engine: str, tmp_path: Path) -> str:
    """Import nn where another package named autograd comes first; what it says."""
    (tmp_path / "autograd").mkdir()
    (tmp_path / "autograd" / "__init__.py").write_text(fake_engine)
    code = f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import nn"
    command = [sys.executable, "-c", code]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    return result.stderr


def test_the_clash_message_names_both_packages_and_the_fix(tmp_path: Path) -> None:
    message = import_nn_beside("def grad(fun):\n    return fun\n", tmp_path)  # HIPS's best-known name
    assert "ImportError: nn cannot use this 'autograd'" in message
    assert "chainrule (this package" in message and "HIPS autograd ('pip install autograd')" in message
    assert "python -m venv .venv" in message  # the fix for a pip user: an environment of its own
    assert "pip uninstall autograd, then" in message and "pip install --force-reinstall chainrule" in message
    assert "scripts/test and scripts/demo" in message  # and for someone in a clone


def test_an_engine_that_cannot_be_imported_says_to_reinstall_chainrule(tmp_path: Path) -> None:
    message = import_nn_beside("from autograd.wrap_util import unary_to_nary\n", tmp_path)  # half a HIPS
    assert "nn needs chainrule's engine, the package 'autograd' installed with it" in message
    assert "reinstall chainrule (pip install --force-reinstall chainrule" in message
