#!/usr/bin/env bash
# Local SQS-compatible server (ElasticMQ) for development and tests.
#
#   sqs-local.sh fetch      download the server and its dependencies once (needs Maven + network)
#   sqs-local.sh classpath  print the Java classpath (fetches first); used by test/support/elasticmq.ts
#   sqs-local.sh run        run in the foreground (Ctrl-C stops it)
#   sqs-local.sh start      run in the background, wait until it answers, write a pid file
#   sqs-local.sh stop       SIGTERM, then SIGKILL after a grace period
#   sqs-local.sh status     exit 0 when running, 3 when not
#
# Environment: SQS_PORT (9324), SQS_MAX_RECEIVE_COUNT (3), ELASTICMQ_VERSION (1.7.1),
# EMBEDLINE_CACHE_DIR ($HOME/.cache/embedline), ELASTICMQ_CONFIG (config/elasticmq/elasticmq.conf),
# SQS_START_TIMEOUT_SEC (60), SQS_READY_QUEUE (embedline-requests).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly ROOT
readonly VERSION="${ELASTICMQ_VERSION:-1.7.1}"
readonly CACHE="${EMBEDLINE_CACHE_DIR:-$HOME/.cache/embedline}/elasticmq"
readonly HOME_DIR="$CACHE/$VERSION"
readonly CLASSPATH_FILE="$HOME_DIR/classpath.txt"
readonly PORT="${SQS_PORT:-9324}"
readonly CONFIG="${ELASTICMQ_CONFIG:-$ROOT/config/elasticmq/elasticmq.conf}"
readonly PID_FILE="$CACHE/run/sqs-local-$PORT.pid"
readonly LOG_FILE="$CACHE/run/sqs-local-$PORT.log"
readonly MAIN_CLASS="org.elasticmq.server.Main"
# Queue whose presence means start-up finished; set it to "" with a custom ELASTICMQ_CONFIG.
readonly READY_QUEUE="${SQS_READY_QUEUE-embedline-requests}"
# The published elasticmq-server jar is not a fat jar, so Maven resolves the full
# runtime classpath from a throwaway pom. The plugin version is pinned so the
# result does not depend on whatever Maven's super-pom defaults to.
readonly DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

log() { printf 'sqs-local: %s\n' "$*" >&2; }

write_pom() {
  cat >"$1/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>embedline.local</groupId>
  <artifactId>elasticmq-fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.elasticmq</groupId>
      <artifactId>elasticmq-server_2.13</artifactId>
      <version>$VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
}

fetch_unlocked() {
  [[ -s "$CLASSPATH_FILE" ]] && return 0
  command -v mvn >/dev/null || { log "Maven (mvn) is needed once to fetch ElasticMQ $VERSION"; exit 1; }
  local tmp
  tmp="$(mktemp -d "$CACHE/.fetch.XXXXXX")"
  write_pom "$tmp"
  log "fetching ElasticMQ $VERSION and its dependencies into $HOME_DIR"
  if ! mvn -B -q -f "$tmp/pom.xml" "$DEP_PLUGIN:copy-dependencies" \
      -DincludeScope=runtime -DoutputDirectory="$tmp/lib" >"$tmp/mvn.log" 2>&1; then
    cat "$tmp/mvn.log" >&2
    log "Maven could not resolve org.elasticmq:elasticmq-server_2.13:$VERSION"
    rm -rf "$tmp"
    exit 1
  fi
  # Move into place before writing classpath.txt: its presence marks a complete fetch.
  rm -rf "$HOME_DIR"
  mkdir -p "$HOME_DIR"
  mv "$tmp/lib" "$HOME_DIR/lib"
  rm -rf "$tmp"
  printf '%s\n' "$HOME_DIR"/lib/*.jar | paste -sd: - >"$CLASSPATH_FILE.tmp"
  mv "$CLASSPATH_FILE.tmp" "$CLASSPATH_FILE"
}

fetch() {
  mkdir -p "$CACHE"
  # Parallel test workers may fetch at once; flock serialises them where it exists.
  if command -v flock >/dev/null; then
    exec 9>"$CACHE/.fetch.lock"
    flock 9
    fetch_unlocked
    exec 9>&-
  else
    fetch_unlocked
  fi
}

java_cmd() {
  [[ -f "$CONFIG" ]] || { log "config not found: $CONFIG"; exit 1; }
  # Small heap, serial GC and C1-only JIT: a dev queue needs fast start-up, not peak throughput.
  JAVA_ARGS=(-Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
    "-Dconfig.file=$CONFIG" -cp "$(cat "$CLASSPATH_FILE")" "$MAIN_CLASS")
}

read_pid() { [[ -f "$PID_FILE" ]] && cat "$PID_FILE"; }

# A stale pid file may name a recycled pid: only a live ElasticMQ JVM counts, so
# `stop` can never signal an unrelated process.
is_running() {
  local pid
  pid="$(read_pid)" || return 1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ ! -r "/proc/$pid/cmdline" ]] || tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$MAIN_CLASS"
}

# Ready means the API answers and the configured queues exist: ElasticMQ binds the
# port and logs "started" a few milliseconds before it creates the queues.
answers() {
  local body
  body="$(curl -fsS -m 2 "http://127.0.0.1:$PORT/?Action=ListQueues" 2>/dev/null)" || return 1
  [[ -z "$READY_QUEUE" || "$body" == *"/$READY_QUEUE<"* ]]
}

start() {
  if is_running; then log "already running (pid $(read_pid)) on port $PORT"; return 0; fi
  fetch
  java_cmd
  mkdir -p "$(dirname "$PID_FILE")"
  export SQS_PORT="$PORT"
  nohup java "${JAVA_ARGS[@]}" >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  local deadline=$((SECONDS + ${SQS_START_TIMEOUT_SEC:-60}))
  until answers; do
    if ! is_running; then
      tail -n 40 "$LOG_FILE" >&2
      rm -f "$PID_FILE"
      log "ElasticMQ exited during start-up; log: $LOG_FILE"
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      log "ElasticMQ did not answer on port $PORT in time; stopping it (log: $LOG_FILE)"
      stop
      exit 1
    fi
    sleep 0.3
  done
  log "ElasticMQ $VERSION ready at http://127.0.0.1:$PORT (pid $(read_pid), log $LOG_FILE)"
}

stop() {
  if ! is_running; then rm -f "$PID_FILE"; log "not running on port $PORT"; return 0; fi
  local pid
  pid="$(read_pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid ignored SIGTERM for 10 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  log "stopped (pid $pid)"
}

status() {
  if is_running; then
    echo "running (pid $(read_pid)) at http://127.0.0.1:$PORT"
  else
    echo "not running on port $PORT"
    return 3
  fi
}

run() {
  fetch
  java_cmd
  export SQS_PORT="$PORT"
  exec java "${JAVA_ARGS[@]}"
}

case "${1:-}" in
  fetch) fetch ;;
  classpath) fetch; cat "$CLASSPATH_FILE" ;;
  run) run ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $(basename "$0") fetch|classpath|run|start|stop|status" >&2
    exit 2
    ;;
esac
