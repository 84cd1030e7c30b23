#!/usr/bin/env bash
# Local Redis for the cache plugin's shared tier, in development and tests: Debian's
# redis-server, bound to 127.0.0.1, nothing persisted (no RDB snapshots, no AOF).
#
#   redis-local.sh run      run in the foreground (Ctrl-C stops it); used by test/support/redis.ts
#   redis-local.sh start    run in the background, wait until it answers PING, write a pid file
#   redis-local.sh stop     SIGTERM, then SIGKILL after a grace period
#   redis-local.sh status   exit 0 when running, 3 when not
#
# Environment: REDIS_PORT (6379), REDIS_MAXMEMORY (256mb; least recently used keys go first),
# EMBEDLINE_CACHE_DIR ($HOME/.cache/embedline), REDIS_START_TIMEOUT_SEC (10).
set -euo pipefail

readonly PORT="${REDIS_PORT:-6379}"
readonly MAXMEMORY="${REDIS_MAXMEMORY:-256mb}"
readonly RUN_DIR="${EMBEDLINE_CACHE_DIR:-$HOME/.cache/embedline}/redis/run"
readonly PID_FILE="$RUN_DIR/redis-local-$PORT.pid"
readonly LOG_FILE="$RUN_DIR/redis-local-$PORT.log"

log() { printf 'redis-local: %s\n' "$*" >&2; }

need_server() {
  command -v redis-server >/dev/null || { log "redis-server not found: install Debian's redis-server (scripts/ensure-system-deps.sh does as root)"; exit 1; }
}

# --dir: redis-server writes nothing with these flags, but keep its working directory ours anyway.
server_args() {
  mkdir -p "$RUN_DIR"
  printf '%s\n' --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$RUN_DIR" \
    --maxmemory "$MAXMEMORY" --maxmemory-policy allkeys-lru --loglevel warning
}

running() {
  [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

answers_ping() {
  # bash's /dev/tcp: no redis-cli needed.
  { exec 3<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  local reply
  read -r -t 1 reply <&3 || reply=''
  exec 3>&-
  [[ "$reply" == +PONG* ]]
}

case "${1:-}" in
  run)
    need_server
    mapfile -t args < <(server_args)
    exec redis-server "${args[@]}"
    ;;
  start)
    need_server
    if running; then log "already running on 127.0.0.1:$PORT (pid $(cat "$PID_FILE"))"; exit 0; fi
    mapfile -t args < <(server_args)
    nohup redis-server "${args[@]}" >"$LOG_FILE" 2>&1 &
    echo $! >"$PID_FILE"
    deadline=$((SECONDS + ${REDIS_START_TIMEOUT_SEC:-10}))
    until answers_ping; do
      if ! running; then log "redis-server exited; see $LOG_FILE"; tail -n 20 "$LOG_FILE" >&2; rm -f "$PID_FILE"; exit 1; fi
      if [ $SECONDS -ge $deadline ]; then log "no PONG on 127.0.0.1:$PORT after ${REDIS_START_TIMEOUT_SEC:-10}s"; exit 1; fi
      sleep 0.1
    done
    log "running on redis://127.0.0.1:$PORT (pid $(cat "$PID_FILE"), log $LOG_FILE)"
    ;;
  stop)
    if ! running; then log "not running on port $PORT"; rm -f "$PID_FILE"; exit 0; fi
    pid="$(cat "$PID_FILE")"
    kill -TERM "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    rm -f "$PID_FILE"
    log "stopped"
    ;;
  status)
    if running; then echo "running on 127.0.0.1:$PORT (pid $(cat "$PID_FILE"))"; else echo "not running"; exit 3; fi
    ;;
  *)
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
