#!/usr/bin/env bash
# Local S3-compatible server (moto in server mode) for development and tests: the cache plugin's
# snapshot store on S3 is tested against it.
#
#   s3-local.sh install   create the venv and install moto[server] once (idempotent; needs PyPI)
#   s3-local.sh run       run in the foreground on 127.0.0.1:S3_PORT; used by test/support/s3Server.ts
#   s3-local.sh start     run in the background, wait until it answers, write a pid file
#   s3-local.sh stop      SIGTERM, then SIGKILL after a grace period
#   s3-local.sh status    exit 0 when running, 3 when not
#
# Environment: S3_PORT (5000), MOTO_VERSION (5.2.5), EMBEDLINE_CACHE_DIR ($HOME/.cache/embedline),
# S3_START_TIMEOUT_SEC (30). Everything is kept in memory: a stopped server forgets its buckets.
set -euo pipefail

readonly VERSION="${MOTO_VERSION:-5.2.5}"
readonly CACHE="${EMBEDLINE_CACHE_DIR:-$HOME/.cache/embedline}"
readonly VENV="$CACHE/venvs/moto-$VERSION"
readonly PORT="${S3_PORT:-5000}"
readonly RUN_DIR="$CACHE/s3-local/run"
readonly PID_FILE="$RUN_DIR/s3-local-$PORT.pid"
readonly LOG_FILE="$RUN_DIR/s3-local-$PORT.log"

log() { printf 's3-local: %s\n' "$*" >&2; }

install_unlocked() {
  # The marker is written last: its presence means the venv is complete.
  [[ -f "$VENV/.installed" && -x "$VENV/bin/moto_server" ]] && return 0
  command -v python3 >/dev/null || { log "python3 is needed (scripts/ensure-system-deps.sh)"; exit 1; }
  log "installing moto[server] $VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "moto[server]==$VERSION" >&2
  touch "$VENV/.installed"
}

install() {
  mkdir -p "$CACHE/venvs"
  # Parallel test workers may install at once; flock serialises them where it exists.
  if command -v flock >/dev/null; then
    exec 9>"$CACHE/venvs/.moto.lock"
    flock 9
    install_unlocked
    exec 9>&-
  else
    install_unlocked
  fi
}

answers() { curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$PORT/moto-api/" 2>/dev/null; }

read_pid() { [[ -f "$PID_FILE" ]] && cat "$PID_FILE"; }

# A stale pid file may name a recycled pid: only a live moto_server counts.
is_running() {
  local pid
  pid="$(read_pid)" || return 1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ ! -r "/proc/$pid/cmdline" ]] || tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q moto_server
}

case "${1:-}" in
  install) install ;;
  run)
    install
    exec "$VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT"
    ;;
  start)
    install
    if is_running; then log "already running (pid $(read_pid)) on port $PORT"; exit 0; fi
    mkdir -p "$RUN_DIR"
    nohup "$VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT" >"$LOG_FILE" 2>&1 </dev/null &
    echo $! >"$PID_FILE"
    deadline=$((SECONDS + ${S3_START_TIMEOUT_SEC:-30}))
    until answers; do
      if ! is_running; then tail -n 20 "$LOG_FILE" >&2; rm -f "$PID_FILE"; log "moto_server exited; log: $LOG_FILE"; exit 1; fi
      if ((SECONDS >= deadline)); then log "no answer on port $PORT in time (log: $LOG_FILE)"; exit 1; fi
      sleep 0.2
    done
    log "running at http://127.0.0.1:$PORT (pid $(read_pid), log $LOG_FILE)"
    ;;
  stop)
    if ! is_running; then rm -f "$PID_FILE"; log "not running on port $PORT"; exit 0; fi
    pid="$(read_pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    rm -f "$PID_FILE"
    log "stopped"
    ;;
  status)
    if is_running; then echo "running (pid $(read_pid)) at http://127.0.0.1:$PORT"; else echo "not running on port $PORT"; exit 3; fi
    ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
