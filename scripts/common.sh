# Shell functions the scripts share; sourced, not run.

# log MESSAGE...: a timestamped line on stderr.
log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }

# stop PID: SIGTERM, then SIGKILL after 60 s; nothing for an empty PID or a process already gone.
stop() {
  local pid=$1
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
}

# listening_port LOG_FILE [PID]: the port of the server's "listening on HOST:PORT" line, waiting up to 60 s, or
# less when the process PID has exited; empty if none.
listening_port() {
  local port=""
  for _ in $(seq 1 120); do
    port=$(grep -oE 'listening on [^ ]+:[0-9]+' "$1" | grep -oE '[0-9]+$' || true)
    [ -n "$port" ] && break
    [ -z "${2:-}" ] || kill -0 "$2" 2>/dev/null || break
    sleep 0.5
  done
  printf '%s' "$port"
}

# scratch NAME [PID_VARIABLE...]: a fresh scratch directory in $work. When the script exits, Ctrl-C included, it
# stops the processes whose pids those variables hold then, in the order given, and removes the directory, or keeps
# it when $keep is 1 (the scripts' --keep).
scratch() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/actionlog-$1.XXXXXX")
  shift
  scratch_pids="$*"
  trap scratch_cleanup EXIT
  trap 'exit 130' INT TERM
}

scratch_cleanup() {
  local v
  for v in $scratch_pids; do stop "${!v:-}"; done
  if [ "${keep:-0}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
}

# bench_start NAME [PID_VARIABLE...]: what a benchmark script sets up once its options are read: JAVA_OPTS (default
# empty) for every JVM it starts, the admin key its servers take, $out (target/bench) for its results, and its scratch
# directory, whose processes are those the variables name (set empty here; see scratch).
bench_start() {
  JAVA_OPTS=${JAVA_OPTS:-}
  key=bench-admin-key-0123456789abcdef
  out="$root/target/bench"
  mkdir -p "$out"
  local v
  for v in "${@:2}"; do printf -v "$v" '%s' ""; done
  scratch "$@"
}

# bench_ready JAR: exits when wrk, jq or curl is missing (scripts/bench.sh installs them); builds JAR when it is
# missing.
bench_ready() {
  command -v wrk >/dev/null && command -v jq >/dev/null && command -v curl >/dev/null \
    || { log "wrk, jq and curl are needed (scripts/bench.sh installs them)"; exit 1; }
  [ -f "$1" ] || timeout 900 mvn -B -q -DskipTests package
}
