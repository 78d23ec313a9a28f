"""The set-up and test scripts (scripts/_venv.sh, scripts/test), run against stand-in Pythons.

A stand-in ``python`` is a small shell script that answers what the scripts ask (its version, whether
it has pip, ``-m venv``, ``-m pip install``, ``-m ruff``, ...) and logs each call, so that these
tests run in well under a second and never install anything. One test probes real virtual
environments made by this interpreter too.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASH = shutil.which("bash") or "/bin/bash"

STAND_IN = """#!{bash}
# a stand-in Python {version} for the scripts' tests
echo "$*" >> "{log}"
case "$1" in
  -c) echo "{version}" ;;
  -m)
    case "$2" in
      venv) mkdir -p "$3/bin" && cp "{good}" "$3/bin/python" ;;
      pip)
        case "$3" in
          --version) {pip} ;;
          install)
            case " $* " in *" --quiet "*) exit 0 ;; esac
            [ "{install}" = fail ] && {{ echo "ERROR: No matching distribution found for nothing"; exit 1; }}
            echo "Collecting pytest>=8"
            echo "Processing /some/folder/numpy-2.4.6-cp311-cp311-manylinux_x86_64.whl"
            echo "Installing collected packages: numpy, pytest"
            echo "Successfully installed numpy-2.4.6 pytest-9.0.0"
            ;;
        esac
        ;;
      ruff)
        case "$3" in
          format) echo "166 files already formatted" ;;
          *) echo "All checks passed!" ;;
        esac
        ;;
      mypy) {mypy} ;;
      pytest) echo "pytest got: ${{*:3}}"; echo "============ 3 passed in 0.01s ============" ;;
    esac
    ;;
esac
"""


MYPY_FINDS = {
    "ok": 'echo "Success: no issues found in 2 source files"',
    "fail": 'echo "nn/x.py:1: error: Name \\"y\\" is not defined"; echo "Found 1 error in 1 file"; exit 1',
}


class Sandbox:
    """A copy of the scripts with pyproject.toml in a temporary repository, and stand-in Pythons."""

    def __init__(self, folder: Path) -> None:
        self.root = folder / "repository"
        (self.root / "scripts").mkdir(parents=True)
        for name in ("_venv.sh", "test"):
            shutil.copy(ROOT / "scripts" / name, self.root / "scripts" / name)
        shutil.copy(ROOT / "pyproject.toml", self.root / "pyproject.toml")
        self.venv = self.root / ".venv"
        self.log = folder / "calls.log"
        self.log.touch()
        self.bin = folder / "bin"
        self.bin.mkdir()
        self.good = self.stand_in(self.bin / "good-python", "3.11")

    def stand_in(
        self, path: Path, version: str, pip: bool = True, install: str = "ok", mypy: str = "ok"
    ) -> Path:
        """Write a stand-in Python at ``path``; ``install="fail"`` makes its pip fail, ``mypy="fail"``
        its mypy find an error."""
        path.parent.mkdir(parents=True, exist_ok=True)
        text = STAND_IN.format(
            bash=BASH,
            version=version,
            log=self.log,
            good=self.bin / "good-python",
            pip="echo pip 26.0" if pip else "exit 1",
            install=install,
            mypy=MYPY_FINDS[mypy],
        )
        path.write_text(text)
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
        return path

    def run(self, *arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
        """Run ``scripts/test arguments...`` at the sandbox's root, Pythons made with the good stand-in."""
        inherited = {name: value for name, value in os.environ.items() if name != "CHAINRULE_VENV"}  # CI's
        env = {**inherited, "CHAINRULE_PYTHON": str(self.good), **environment}
        command = [BASH, str(self.root / "scripts" / "test"), *arguments]
        return subprocess.run(command, cwd=self.root, env=env, capture_output=True, text=True, timeout=60)

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines()


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path)


def setup_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("chainrule setup:")]


def test_a_venv_made_by_python_3_9_is_rebuilt_with_one_line(sandbox: Sandbox) -> None:
    sandbox.stand_in(sandbox.venv / "bin" / "python", "3.9")
    result = sandbox.run()
    assert result.returncode == 0, result.stderr
    lines = setup_lines(result.stderr)
    assert lines[0] == (
        "chainrule setup: rebuilding .venv: it was made by Python 3.9 and chainrule needs 3.10 or newer"
    )
    assert lines[1] == f"chainrule setup: creating .venv with {sandbox.good} (Python 3.11)"
    assert f"-m venv {sandbox.venv}" in sandbox.calls()
    assert (sandbox.venv / "bin" / "python").read_text() == sandbox.good.read_text()


def test_a_venv_without_pip_is_rebuilt(sandbox: Sandbox) -> None:
    sandbox.stand_in(sandbox.venv / "bin" / "python", "3.11", pip=False)
    result = sandbox.run()
    assert result.returncode == 0, result.stderr
    assert setup_lines(result.stderr)[0] == "chainrule setup: rebuilding .venv: it has no pip"


def test_the_first_install_says_what_it_does_and_the_next_run_installs_nothing(sandbox: Sandbox) -> None:
    result = sandbox.run()
    assert result.returncode == 0, result.stderr
    assert setup_lines(result.stderr) == [
        f"chainrule setup: creating .venv with {sandbox.good} (Python 3.11)",
        "chainrule setup: installing chainrule[demo], the development tools (dev) into .venv, editable "
        "(about a minute the first time)",
        "chainrule setup:   pip: upgrading pip itself (dependency groups need pip 25.1 or newer)",
        "chainrule setup:   pip: Collecting pytest>=8",
        "chainrule setup:   pip: Collecting numpy-2.4.6-cp311-cp311-manylinux_x86_64.whl",
        "chainrule setup:   pip: installing 2 package(s)",
        "chainrule setup:   pip: installed 2 package(s)",
        "chainrule setup: done: later runs reuse .venv and install nothing unless pyproject.toml changes",
    ]
    installs = [call for call in sandbox.calls() if call.startswith("-m pip install")]
    assert installs[-1].endswith(f"-e {sandbox.root}[demo] --group dev")  # the tools: a dependency group
    again = sandbox.run()
    assert again.returncode == 0 and setup_lines(again.stderr) == []


def test_a_failed_install_points_to_its_log(sandbox: Sandbox) -> None:
    sandbox.stand_in(sandbox.bin / "good-python", "3.11", install="fail")
    result = sandbox.run()
    assert result.returncode != 0
    lines = setup_lines(result.stderr)
    assert "chainrule setup:   pip: ERROR: No matching distribution found for nothing" in lines
    assert lines[-1] == "chainrule setup: pip failed; its whole output is in .venv/chainrule-setup.log"
    assert "No matching distribution" in (sandbox.venv / "chainrule-setup.log").read_text()


def test_without_a_new_enough_python_it_says_how_to_get_one(sandbox: Sandbox) -> None:
    # a PATH whose only python3 is 3.9, plus the few programs the scripts use
    only = sandbox.bin / "only"
    sandbox.stand_in(only / "python3", "3.9")
    for program in ("dirname", "cat", "rm", "mkdir", "cp", "tee"):
        (only / program).symlink_to(shutil.which(program) or f"/bin/{program}")
    result = sandbox.run(PATH=str(only), CHAINRULE_PYTHON="")
    assert result.returncode != 0
    assert setup_lines(result.stderr) == [
        "chainrule setup: no Python 3.10 or newer found (python3 is 3.9): install one, or set "
        "CHAINRULE_PYTHON=/path/to/python3.x"
    ]


def test_each_tools_lines_say_which_tool_printed_them(sandbox: Sandbox) -> None:
    result = sandbox.run("--with-torch", "--no-notebooks", "-x")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "ruff: All checks passed!",
        "ruff: 166 files already formatted",
        "pytest: running the tests (scripts/test --no-notebooks leaves the notebooks out)",
    ]
    # --with-torch is the script's; the rest is pytest's, after the workers the script asks for
    assert lines[3] == "pytest got: -n auto --no-notebooks -x"
    assert lines[4].startswith("=") and "passed" in lines[4]  # pytest's summary ends its output
    assert lines[5:] == ["mypy: Success: no issues found in 2 source files"]  # mypy ran meanwhile
    assert any(call.endswith("torch==2.13.0") for call in sandbox.calls() if "pip install" in call)


def test_a_mypy_error_fails_the_run_after_the_tests_ran(sandbox: Sandbox) -> None:
    sandbox.stand_in(sandbox.bin / "good-python", "3.11", mypy="fail")
    result = sandbox.run("--no-notebooks")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[4].startswith("=") and "passed" in lines[4]
    assert lines[5:] == ['mypy: nn/x.py:1: error: Name "y" is not defined', "mypy: Found 1 error in 1 file"]


def test_the_probes_read_real_virtual_environments(tmp_path: Path) -> None:
    without_pip = tmp_path / "without-pip"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(without_pip)], check=True)
    script = ROOT / "scripts" / "_venv.sh"

    def problem(folder: Path) -> str:
        command = f'source "{script}"; venv_problem "{folder}"'
        result = subprocess.run([BASH, "-c", command], capture_output=True, text=True, check=True)
        return result.stdout.strip()

    assert problem(without_pip) == "it has no pip"
    assert problem(Path(sys.prefix)) == ""  # the environment running these tests is fine
    assert problem(tmp_path / "nothing") == "it has no bin/python"


def test_chainrule_venv_names_another_folder_for_the_venv(sandbox: Sandbox) -> None:
    result = sandbox.run(CHAINRULE_VENV=".venv-3.11")  # as CI does for each other Python
    assert result.returncode == 0, result.stderr
    first = setup_lines(result.stderr)[0]
    assert first == f"chainrule setup: creating .venv-3.11 with {sandbox.good} (Python 3.11)"
    assert (sandbox.root / ".venv-3.11" / "bin" / "python").exists() and not sandbox.venv.exists()


def test_ci_finds_each_python_on_path_or_through_pyenv(sandbox: Sandbox) -> None:
    """find_python_version, which .ci/run uses to make .venv-3.X: pythonX.Y on PATH if it runs that
    version (a pyenv shim runs only the versions pyenv has selected), else pyenv's, else a clear no."""
    tools = sandbox.bin / "tools"
    for program in ("dirname", "cat"):
        (tools / program).parent.mkdir(exist_ok=True)
        (tools / program).symlink_to(shutil.which(program) or f"/bin/{program}")
    on_path = sandbox.stand_in(sandbox.bin / "path" / "python3.12", "3.12")
    shim = sandbox.stand_in(sandbox.bin / "shims" / "python3.12", "3.11")  # as if pyenv had chosen 3.11
    pyenvs = sandbox.stand_in(sandbox.bin / "versions" / "3.12.4" / "bin" / "python3.12", "3.12")
    pyenv = sandbox.bin / "pyenv-bin" / "pyenv"
    pyenv.parent.mkdir()
    pyenv.write_text(f'#!{BASH}\n[ "$PYENV_VERSION $*" = "3.12 which python3.12" ] && echo "{pyenvs}"\n')
    pyenv.chmod(0o755)

    def find(*folders: Path) -> subprocess.CompletedProcess[str]:
        script = f'source "{ROOT / "scripts" / "_venv.sh"}"; find_python_version 3.12'
        path = ":".join(str(folder) for folder in (*folders, tools))
        return subprocess.run([BASH, "-c", script], env={"PATH": path}, capture_output=True, text=True)

    assert find(on_path.parent, pyenv.parent).stdout.strip() == str(on_path)
    assert find(shim.parent, pyenv.parent).stdout.strip() == str(pyenvs)
    missing = find(shim.parent)
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.strip() == (
        "chainrule setup: no Python 3.12 found: neither python3.12 on PATH nor pyenv's (pyenv install 3.12)"
    )


def test_ci_tests_every_python_the_classifiers_claim() -> None:
    """.ci/run reads the versions from pyproject.toml's classifiers, so the two cannot disagree."""
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    (reading,) = [line for line in ci if line.startswith("claimed=")]
    command = [BASH, "-c", f"{reading}; echo $claimed"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    classifiers = (ROOT / "pyproject.toml").read_text()
    claimed = re.findall(r'"Programming Language :: Python :: (3\.\d+)"', classifiers)
    assert result.stdout.split() == claimed and claimed[0] == "3.10"
    each = '  CHAINRULE_PYTHON="$python" CHAINRULE_VENV=".venv-$version" bash scripts/test --no-notebooks'
    assert each in ci  # each in its own venv, with the Python that find_python_version found


# ----- pytest's own settings: skipped tests summarised, notebooks optional -------------------------


def run_pytest(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "-p", "no:randomly", *arguments]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_skipped_tests_are_summarised_with_their_reasons(tmp_path: Path) -> None:
    test = tmp_path / "test_skipping.py"
    test.write_text(
        "import pytest\n\n"
        "def test_runs():\n    pass\n\n"
        "@pytest.mark.skip(reason='needs the moon')\n"
        "def test_skips():\n    pass\n"
    )
    result = run_pytest("-c", str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path), str(test))
    assert result.returncode == 0, result.stdout
    summary = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED [1] ")]
    assert len(summary) == 1 and summary[0].endswith("test_skipping.py:6: needs the moon")
    assert result.stdout.splitlines()[-1].strip("= ").startswith("1 passed, 1 skipped")


def test_no_notebooks_leaves_the_notebooks_out() -> None:
    notebook = sorted((ROOT / "notebooks").glob("01_*.ipynb"))[0].relative_to(ROOT)
    chosen = (str(notebook), "tests/test_notebooks.py", "tests/test_readme.py")
    with_notebooks = run_pytest("--collect-only", "-q", *chosen)
    assert f"{notebook}::" in with_notebooks.stdout and "test_notebooks.py::" in with_notebooks.stdout
    without = run_pytest("--collect-only", "-q", "--no-notebooks", *chosen)
    assert ".ipynb" not in without.stdout and "test_notebooks.py::" not in without.stdout
    assert "test_readme.py::" in without.stdout and " deselected" in without.stdout


def test_pytest_shows_mypys_lines_above_its_count_which_stays_the_last_line(tmp_path: Path) -> None:
    lines = tmp_path / "mypy-lines"
    lines.write_text("mypy: Success: no issues found in 54 source files\n", encoding="utf-8")
    (tmp_path / "mypy-lines.done").write_text("0\n", encoding="utf-8")
    environment = {**os.environ, "CHAINRULE_MYPY_LINES": str(lines)}
    command = [sys.executable, "-m", "pytest", "-n", "2", "-q", "--no-notebooks", "tests/test_reprs.py"]
    result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    shown = result.stdout.splitlines()
    assert "mypy: Success: no issues found in 54 source files" in shown[:-1]  # in the summary, once
    assert shown.count("mypy: Success: no issues found in 54 source files") == 1
    assert " passed in " in shown[-1]  # pytest's count is still the last line, as CI reads it
    assert (tmp_path / "mypy-lines.shown").exists()  # so scripts/test does not show them again
