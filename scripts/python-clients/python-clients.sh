#!/usr/bin/env bash
# A venv with the official Python `openai` client, for the interoperability tests
# (test/integration/http/pythonOpenAiClient.test.ts): that client asks for base64 vectors by
# default and sends token ids as given, which is what a Python user's code does.
#
#   python-clients.sh install   create the venv once (idempotent; needs PyPI); prints its python
#
# Environment: OPENAI_PY_VERSION (3.57.0), EMBEDLINE_CACHE_DIR ($HOME/.cache/embedline).
set -euo pipefail

readonly VERSION="${OPENAI_PY_VERSION:-3.57.0}"
readonly CACHE="${EMBEDLINE_CACHE_DIR:-$HOME/.cache/embedline}"
readonly VENV="$CACHE/venvs/openai-python-$VERSION"

log() { printf 'python-clients: %s\n' "$*" >&2; }

install_unlocked() {
  # The marker is written last: its presence means the venv is complete.
  if [[ ! -f "$VENV/.installed" ]]; then
    command -v python3 >/dev/null || { log "python3 is needed (scripts/ensure-system-deps.sh)"; exit 1; }
    log "installing openai $VERSION into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "openai==$VERSION" >&2
    touch "$VENV/.installed"
  fi
  echo "$VENV/bin/python"
}

case "${1:-}" in
  install)
    mkdir -p "$CACHE/venvs"
    # Parallel test runs may install at once; flock serialises them where it exists.
    if command -v flock >/dev/null; then
      exec 9>"$CACHE/venvs/.openai-python.lock"
      flock 9
    fi
    install_unlocked
    ;;
  *) echo "usage: $0 install" >&2; exit 2 ;;
esac
