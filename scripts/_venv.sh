# Sourced by the scripts in scripts/: create, check and reuse the project's own .venv.
# Installs only when what would be installed changed (a stamp of pyproject.toml and what was asked).
# Every line it prints starts with "chainrule setup:", so that it is never mistaken for a tool's.
# CHAINRULE_VENV names another folder of the repository to use instead of .venv (CI tests each
# Python in its own: CHAINRULE_PYTHON=python3.10 CHAINRULE_VENV=.venv-3.10 scripts/test).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV_NAME="${CHAINRULE_VENV:-.venv}"
VENV="$ROOT/$VENV_NAME"
PY="$VENV/bin/python"

say() {
  echo "chainrule setup: $*" >&2
}

python_version() {  # usage: python_version PROGRAM; prints "3.11", fails if PROGRAM does not run
  "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

new_enough() {  # usage: new_enough 3.9; chainrule needs Python 3.10 or newer
  local major="${1%%.*}" minor="${1#*.}"
  [ "$major" -gt 3 ] || { [ "$major" -eq 3 ] && [ "$minor" -ge 10 ]; }
}

venv_problem() {  # usage: venv_problem FOLDER; prints why that venv cannot be used, nothing if it can
  local python="$1/bin/python" version
  if [ ! -x "$python" ]; then
    echo "it has no bin/python"
  elif ! version="$(python_version "$python")"; then
    echo "its Python no longer runs (moved or uninstalled?)"
  elif ! new_enough "$version"; then
    echo "it was made by Python $version and chainrule needs 3.10 or newer"
  elif ! "$python" -m pip --version >/dev/null 2>&1; then
    echo "it has no pip"
  fi
}

find_python() {  # prints a Python 3.10+ to make .venv with: $CHAINRULE_PYTHON, else the first found
  local candidate version found=()
  for candidate in ${CHAINRULE_PYTHON:-} python3 python3.14 python3.13 python3.12 python3.11 python3.10; do
    if version="$(python_version "$candidate")"; then
      if new_enough "$version"; then
        echo "$candidate"
        return 0
      fi
      found+=("$candidate is $version")
    fi
  done
  say "no Python 3.10 or newer found (${found[*]:-no python3 on PATH}): install one, or set" \
    "CHAINRULE_PYTHON=/path/to/python3.x"
  return 1
}

find_python_version() {  # usage: find_python_version 3.12; prints a program that runs Python 3.12
  # pythonX.Y on PATH, else pyenv's (whose shim on PATH runs only the versions pyenv has selected)
  local version="$1" candidate
  for candidate in "python$version" "$(PYENV_VERSION="$version" pyenv which "python$version" 2>/dev/null)"; do
    if [ -n "$candidate" ] && [ "$(python_version "$candidate")" = "$version" ]; then
      command -v "$candidate"
      return 0
    fi
  done
  say "no Python $version found: neither python$version on PATH nor pyenv's (pyenv install $version)"
  return 1
}

make_venv() {  # usage: make_venv; (re)creates $VENV with pip unless it is usable as it is
  local problem python
  if [ -e "$VENV" ]; then
    problem="$(venv_problem "$VENV")"
    [ -z "$problem" ] && return 0
    say "rebuilding $VENV_NAME: $problem"
    rm -rf "$VENV"
  fi
  python="$(find_python)"
  say "creating $VENV_NAME with $python (Python $(python_version "$python"))"
  if ! "$python" -m venv "$VENV" >&2; then
    rm -rf "$VENV"
    say "could not create $VENV_NAME with $python (see above; on Debian/Ubuntu: apt install python3-venv)"
    return 1
  fi
}

show_pip_progress() {  # reads pip's output; one line per package fetched, then what it installs
  local line words file
  while IFS= read -r line; do
    case "$line" in
      Collecting*) say "  pip: ${line:0:100}" ;;
      Processing*)  # a package file found on local disk
        file="${line#Processing }"
        file="${file%% *}"
        say "  pip: Collecting ${file##*/}"
        ;;
      "Installing collected packages:"*)
        IFS=, read -ra words <<<"${line#*:}"
        say "  pip: installing ${#words[@]} package(s)"
        ;;
      "Successfully installed"*)
        read -ra words <<<"$line"
        say "  pip: installed $((${#words[@]} - 2)) package(s)"
        ;;
      ERROR*) say "  pip: $line" ;;
    esac
  done
}

pip_install() {  # usage: pip_install ARGUMENT...; the whole output goes to .venv/chainrule-setup.log
  local log="$VENV/chainrule-setup.log"
  if ! (cd "$ROOT" && "$PY" -m pip install --disable-pip-version-check --progress-bar off "$@") 2>&1 \
    | tee -a "$log" | show_pip_progress; then
    say "pip failed; its whole output is in $VENV_NAME/chainrule-setup.log"
    return 1
  fi
}

ensure_venv() {  # usage: ensure_venv NAMES [pip requirement...]
  # NAMES, comma-separated: extras of the package (draw, demo, jupyter), or dev (the test command's
  # tools, with the demo extra the tests use), bench (the benchmarks' anchors) and docs (the API
  # site's builder, with the draw extra its step-through page needs), which are dependency groups:
  # development tools, kept out of the published metadata.
  local names="$1" extras=() groups=() name list
  shift
  IFS=, read -ra list <<<"$names"
  for name in "${list[@]}"; do
    case "$name" in
      dev) groups+=(--group dev) extras+=(demo) ;;
      bench) groups+=(--group bench) ;;
      docs) groups+=(--group docs) extras+=(draw) ;;
      *) extras+=("$name") ;;
    esac
  done
  make_venv
  local stamp="$VENV/.chainrule-stamp-${names//,/-}" want target="$ROOT" what
  want="$(cat "$ROOT/pyproject.toml"; echo "$names $*")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  if [ ${#extras[@]} -gt 0 ]; then
    target+="[$(IFS=,; echo "${extras[*]}")]"
  fi
  what="chainrule${target#"$ROOT"}"
  [ ${#groups[@]} -gt 0 ] && what+=", the development tools (${names})"
  [ $# -gt 0 ] && what+=", $*"
  say "installing $what into $VENV_NAME, editable (about a minute the first time)"
  say "  pip: upgrading pip itself (dependency groups need pip 25.1 or newer)"
  pip_install --quiet --upgrade pip
  pip_install -e "$target" ${groups[@]+"${groups[@]}"} "$@"
  printf '%s' "$want" >"$stamp"
  say "done: later runs reuse $VENV_NAME and install nothing unless pyproject.toml changes"
}
