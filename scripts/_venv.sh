# Sourced by scripts/demo and scripts/test: create and reuse the project's own .venv.
# Installs only when what would be installed changed (a stamp of pyproject.toml and the extras).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

ensure_venv() {  # usage: ensure_venv EXTRAS [extra pip requirement...]
  local extras="$1"; shift
  if [ ! -x "$PY" ]; then
    echo "chainrule: creating $VENV" >&2
    python3 -m venv "$VENV"
  fi
  local stamp="$VENV/.chainrule-stamp-${extras//,/-}"
  local want
  want="$(cat "$ROOT/pyproject.toml"; echo "$extras $*")"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "chainrule: installing .[${extras}] $* into .venv" >&2
    "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    "$PY" -m pip install --quiet --disable-pip-version-check -e "$ROOT[${extras}]" "$@" >&2
    printf '%s' "$want" > "$stamp"
  fi
}
