#!/usr/bin/env bash
# The export figures of docs/benchmarks.md:
#   scripts/bench-export.sh [--count N] [--heap SIZE] [--port P] [--keep]
# Generates N actions (default 1,000,000) straight into a fresh data directory, starts the server on it with
# -Xmx SIZE (default 256m), then exports every action three times (NDJSON, CSV, NDJSON with all logs) with curl,
# timing each and counting its bytes and lines. Meanwhile a second client lists (limit 25) every 100 ms and its
# latencies are compared with the same loop on the idle server; the server's heap in use (jvm_memory_used_bytes,
# area heap) is sampled every 200 ms. Everything runs on 127.0.0.1; every step is bounded in time; everything it
# starts is stopped on exit. JAVA_OPTS (default empty) goes to the server. Results go to target/bench/export.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

count=1000000 heap=256m port=18083 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --heap) heap=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--count N] [--heap SIZE] [--port P] [--keep]" >&2; exit 2 ;;
  esac
done
[[ "$count" =~ ^[1-9][0-9]{0,8}$ ]] || { echo "$0: --count takes a number from 1 to 999999999" >&2; exit 2; }
JAVA_OPTS=${JAVA_OPTS:-}
key=bench-admin-key-0123456789abcdef
base="http://127.0.0.1:$port"
out="$root/target/bench"
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/actionlog-bench-export.XXXXXX")
server_pid="" sampler_pid="" lister_pid=""

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
stop() {
  local pid=$1
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop "$lister_pid"; stop "$sampler_pid"; stop "$server_pid"
  if [ "$keep" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -f target/actionlog.jar ] || timeout 900 mvn -B -q -DskipTests package
log "generating $count actions"
timeout 1800 java -jar target/actionlog.jar generate --count "$count" --data-dir "$work/data" --create >/dev/null

ACTIONLOG_HTTP_HOST=127.0.0.1 ACTIONLOG_HTTP_PORT=$port ACTIONLOG_DATA_DIR="$work/data" ACTIONLOG_AUTH_ADMIN_KEY=$key \
  java -Xmx"$heap" $JAVA_OPTS -jar target/actionlog.jar >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  curl -sf "$base/health" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.2
done
curl -sf "$base/health" >/dev/null || { log "server did not come up"; exit 1; }

heap_used() { # bytes of heap in use now
  curl -s --max-time 5 "$base/metrics" | awk '/^jvm_memory_used_bytes\{.*area="heap"/ { s += $NF } END { printf "%d\n", s }'
}
sample_heap() { while :; do heap_used; sleep 0.2; done; }
list_loop() { # one list request every 100 ms; prints its time in ms
  while :; do
    curl -s -o /dev/null --max-time 10 -H "Authorization: Token $key" -w '%{time_total}\n' \
      "$base/api/v1/action/?limit=25" | awk '{ printf "%.1f\n", $1 * 1000 }'
    sleep 0.1
  done
}
quantiles() { # file -> "p50 p99 max (n)"
  sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR == 0) { print "none"; exit }
    printf "%.1f / %.1f / %.1f ms (%d requests)", v[int(NR * 0.5) + (NR * 0.5 > int(NR * 0.5))], v[int(NR * 0.99) + (NR * 0.99 > int(NR * 0.99))], v[NR], NR }'
}

log "idle list latency, 10 s"
list_loop >"$work/idle.txt" & lister_pid=$!
sample_heap >"$work/heap-idle.txt" & sampler_pid=$!
sleep 10
stop "$lister_pid"; lister_pid=""; stop "$sampler_pid"; sampler_pid=""

report="$out/export.md"
{
  echo "| export | time | actions/s | bytes | lines | heap in use, max (idle max) | list p50 / p99 / max during it |"
  echo "|---|---:|---:|---:|---:|---:|---|"
} >"$report"
idle_heap=$(sort -n "$work/heap-idle.txt" | tail -1)
for query in "format=ndjson" "format=csv" "format=ndjson&include_logs=true"; do
  log "export ?$query"
  list_loop >"$work/busy.txt" & lister_pid=$!
  sample_heap >"$work/heap.txt" & sampler_pid=$!
  stats=$(curl -s --max-time 1200 -H "Authorization: Token $key" -o "$work/export.out" \
    -w '%{time_total} %{size_download} %{http_code}' "$base/api/v1/action/export/?$query")
  stop "$lister_pid"; lister_pid=""; stop "$sampler_pid"; sampler_pid=""
  read -r seconds bytes code <<<"$stats"
  [ "$code" = 200 ] || { log "export answered $code"; exit 1; }
  lines=$(wc -l <"$work/export.out")
  [ "${query#format=csv}" = "$query" ] || lines=$((lines - 1)) # the header row
  max_heap=$(sort -n "$work/heap.txt" | tail -1)
  printf '| `%s` | %.2f s | %s | %s | %s | %d MB (%d MB) | %s |\n' "$query" "$seconds" \
    "$(awk -v n="$lines" -v s="$seconds" 'BEGIN { printf "%d", n / s }')" "$bytes" "$lines" \
    $((max_heap / 1048576)) $((idle_heap / 1048576)) "$(quantiles "$work/busy.txt")" >>"$report"
  rm -f "$work/export.out"
done
echo >>"$report"
echo "List latency on the idle server: $(quantiles "$work/idle.txt"); $count actions, server -Xmx$heap." >>"$report"
cat "$report"
