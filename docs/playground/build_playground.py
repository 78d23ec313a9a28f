"""Build the playground (scripts/playground): a static folder that runs chainrule in the browser, offline.

    python docs/playground/build_playground.py           # builds docs/_build/html/playground/
    python docs/playground/build_playground.py --serve   # builds, then serves it on http://127.0.0.1:8000/

What goes into the folder, all from this machine once built (nothing from a CDN when the page runs):
  - this folder's page (index.html, playground.css, playground.js, worker.js) and its examples;
  - Pyodide, CPython compiled to WebAssembly, and Viz.js, Graphviz compiled to WebAssembly: the npm
    packages pinned in package.json and package-lock.json, installed with ``npm ci``;
  - chainrule's ``autograd`` and ``nn`` from the working tree, with chainrule_playground.py, as one
    zip; and the pure-Python wheels chainrule needs (``WHEELS``), downloaded from PyPI with
    ``pip download``. The worker unpacks each into Python's site-packages.
Downloads are kept in docs/_build/playground-cache/, so a rebuild needs no network.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUTPUT = ROOT / "docs" / "_build" / "html" / "playground"
CACHE = ROOT / "docs" / "_build" / "playground-cache"

PAGE_FILES = ("index.html", "playground.css", "playground.js", "worker.js")
PYODIDE_FILES = ("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
VIZ_FILE = "dist/viz-global.js"  # the build that defines a global Viz, for a classic worker
WHEELS = ("tqdm==4.70.1", "graphviz==0.21")
"""The pure-Python wheels chainrule needs besides itself: its dependency, and the drawing extra's binding."""

PACKAGES = ("autograd", "nn")
RUNNER = "chainrule_playground.py"


class BuildError(Exception):
    """The playground could not be built; the message says why and what to do."""


# ----- what chainrule supports ------------------------------------------------------------------


def supported_pythons() -> list[str]:
    """The Python versions chainrule supports, from pyproject.toml's classifiers (``["3.10", ...]``)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.findall(r'"Programming Language :: Python :: (3\.\d+)"', text)


def pyodide_python(lock_file: Path) -> str:
    """The full version of the Python a Pyodide build runs (``"3.13.2"``), from its pyodide-lock.json."""
    return str(json.loads(lock_file.read_text(encoding="utf-8"))["info"]["python"])


def check_python(version: str) -> None:
    """Refuse a Pyodide whose Python chainrule does not support."""
    supported = supported_pythons()
    if ".".join(version.split(".")[:2]) not in supported:
        raise BuildError(
            f"the pinned Pyodide runs Python {version}, and chainrule supports Python "
            f"{', '.join(supported)}: pin a Pyodide for one of those in {HERE / 'package.json'}"
        )


# ----- downloads ---------------------------------------------------------------------------------


def _run(command: list[str], cwd: Path) -> None:
    print("playground:", " ".join(command), flush=True)
    try:
        subprocess.run(command, cwd=cwd, check=True)
    except FileNotFoundError as error:
        raise BuildError(
            f"{command[0]} not found: building the playground needs Node.js and npm "
            "(Debian/Ubuntu: apt-get install nodejs npm; elsewhere: https://nodejs.org)"
        ) from error
    except subprocess.CalledProcessError as error:
        raise BuildError(f"{' '.join(command)} failed (exit status {error.returncode}; see above)") from error


def npm_packages(cache: Path) -> Path:
    """The pinned npm packages, installed with ``npm ci`` (again only when the lock file changed)."""
    folder = cache / "npm"
    folder.mkdir(parents=True, exist_ok=True)
    lock = (HERE / "package-lock.json").read_text(encoding="utf-8")
    stamp = folder / "installed-lock.json"
    if (folder / "node_modules").is_dir() and stamp.is_file() and stamp.read_text(encoding="utf-8") == lock:
        return folder / "node_modules"
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(HERE / name, folder / name)
    _run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], folder)
    stamp.write_text(lock, encoding="utf-8")
    return folder / "node_modules"


def wheel_files(cache: Path, python: str) -> list[Path]:
    """``WHEELS`` from PyPI (downloaded once), checked to be pure Python, for Pyodide's ``python``."""
    folder = cache / "wheels"
    folder.mkdir(parents=True, exist_ok=True)
    found = []
    for requirement in WHEELS:
        name, version = requirement.split("==")
        pattern = f"{name.replace('-', '_')}-{version}-*.whl"
        if not list(folder.glob(pattern)):
            _run(
                [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--no-deps",
                 "--only-binary=:all:", "--python-version", python, "--platform", "any",
                 "--dest", str(folder), requirement],
                ROOT,
            )  # fmt: skip
        wheels = sorted(folder.glob(pattern))
        if not wheels or not wheels[0].name.endswith("-none-any.whl"):
            raise BuildError(f"no pure-Python wheel of {requirement} in {folder}: got {wheels}")
        found.append(wheels[0])
    return found


# ----- the folder ----------------------------------------------------------------------------------


def chainrule_zip(path: Path) -> Path:
    """``autograd``, ``nn`` and the playground's runner from the working tree, as one zip."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for package in PACKAGES:
            for file in sorted((ROOT / package).rglob("*")):
                if file.is_file() and "__pycache__" not in file.parts:
                    archive.write(file, file.relative_to(ROOT).as_posix())
        archive.write(HERE / RUNNER, RUNNER)
    return path


def examples(folder: Path = HERE / "examples") -> list[dict[str, str]]:
    """The editor's starting examples: ``folder``'s .py files in order, each titled by its first line."""
    found = []
    for file in sorted(folder.glob("*.py")):
        code = file.read_text(encoding="utf-8")
        first = code.splitlines()[0]
        if not first.startswith("# "):
            raise BuildError(f"{file} must start with a comment that titles it, e.g. '# A neuron'")
        found.append({"title": first[2:], "code": code})
    return found


def build(output: Path = OUTPUT, cache: Path = CACHE) -> Path:
    """Build the playground into ``output`` (emptied first); returns ``output``."""
    modules = npm_packages(cache)
    pyodide = modules / "pyodide"
    python = pyodide_python(pyodide / "pyodide-lock.json")
    check_python(python)
    wheels = wheel_files(cache, ".".join(python.split(".")[:2]))
    if output.exists():
        shutil.rmtree(output)
    for folder in ("pyodide", "viz", "python"):
        (output / folder).mkdir(parents=True)
    for name in PAGE_FILES:
        shutil.copyfile(HERE / name, output / name)
    for name in PYODIDE_FILES:
        shutil.copyfile(pyodide / name, output / "pyodide" / name)
    shutil.copyfile(modules / "@viz-js" / "viz" / VIZ_FILE, output / "viz" / "viz-global.js")
    archives = []
    for wheel in wheels:
        shutil.copyfile(wheel, output / "python" / wheel.name)
        archives.append(f"python/{wheel.name}")
    archives.append(f"python/{chainrule_zip(output / 'python' / 'chainrule.zip').name}")
    (output / "examples.js").write_text(
        f"// The editor's examples, from docs/playground/examples/ (written by build_playground.py)\n"
        f"const PLAYGROUND_EXAMPLES = {json.dumps(examples(), indent=1)};\n",
        encoding="utf-8",
    )
    versions = {name: _version(modules / name) for name in ("pyodide", "@viz-js/viz")}
    build_data = {"pyodide": versions["pyodide"], "viz": versions["@viz-js/viz"], "python": python}
    build_data["archives"] = archives
    (output / "build.json").write_text(json.dumps(build_data, indent=1) + "\n", encoding="utf-8")
    print(f"playground: built {output} (Pyodide {versions['pyodide']}, Python {python})", flush=True)
    return output


def _version(package: Path) -> str:
    return str(json.loads((package / "package.json").read_text(encoding="utf-8"))["version"])


# ----- serving it ----------------------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the types browsers insist on for WebAssembly and scripts."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".whl": "application/zip",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name); quiet
        pass


def start_server(folder: Path, port: int = 0) -> http.server.ThreadingHTTPServer:
    """Serve ``folder`` on 127.0.0.1 from a background thread (port 0: any free port); ``shutdown()``
    ends it."""
    handler = functools.partial(_Handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--serve", action="store_true", help="after building, serve it (Ctrl+C stops)")
    parser.add_argument("--port", type=int, default=8000, help="the port to serve on (default 8000)")
    arguments = parser.parse_args()
    try:
        output = build()
    except BuildError as error:
        sys.exit(f"playground: {error}")
    if arguments.serve:
        server = start_server(output, arguments.port)
        print(f"playground: serving on http://127.0.0.1:{server.server_port}/ (Ctrl+C stops)", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            server.shutdown()


if __name__ == "__main__":
    main()
