#!/usr/bin/env bash
# The export and backup figures of docs/benchmarks.md:
#   scripts/bench-data.sh [--count N] [--heap SIZE] [--port P] [--keep]
# Generates N actions (default 1,000,000) straight into a fresh data directory, starts the server on it with
# -Xmx SIZE (default 256m), then exports every action four times (NDJSON, CSV, NDJSON with all logs, and NDJSON again
# on the server the first three warmed up) and takes a full backup, with curl, timing each and counting its bytes
# (the bodies go to /dev/null). Meanwhile a second client
# lists (limit 25) and a third records an action, each every 100 ms, and their latencies are compared with the same
# loops on the idle server; the server's heap in use (jvm_memory_used_bytes, area heap) is sampled every 200 ms.
# Everything runs on 127.0.0.1; every step is bounded in time; everything it starts is stopped on exit. JAVA_OPTS
# (default empty) goes to the server. Results go to target/bench/data.md.
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
base="http://127.0.0.1:$port"

. scripts/common.sh
bench_start bench-data lister_pid poster_pid sampler_pid server_pid

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
post_loop() { # one recorded action every 100 ms; prints its time in ms
  while :; do
    curl -s -o /dev/null --max-time 10 -H "Authorization: Token $key" -H 'Content-Type: application/json' \
      -d '{"action":"Bench Probe"}' -w '%{time_total}\n' "$base/api/v1/action/" | awk '{ printf "%.1f\n", $1 * 1000 }'
    sleep 0.1
  done
}
quantiles() { # file -> "p50 p99 max (n)"
  sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR == 0) { print "none"; exit }
    printf "%.1f / %.1f / %.1f ms (%d requests)", v[int(NR * 0.5) + (NR * 0.5 > int(NR * 0.5))], v[int(NR * 0.99) + (NR * 0.99 > int(NR * 0.99))], v[NR], NR }'
}

loops() { # start the list and post loops and the heap sampler, writing to files named after $1
  list_loop >"$work/list-$1.txt" & lister_pid=$!
  post_loop >"$work/post-$1.txt" & poster_pid=$!
  sample_heap >"$work/heap-$1.txt" & sampler_pid=$!
}
stop_loops() {
  stop "$lister_pid"; lister_pid=""; stop "$poster_pid"; poster_pid=""; stop "$sampler_pid"; sampler_pid=""
}

log "idle latencies, 10 s"
loops idle
sleep 10
stop_loops
# The probes above recorded actions: the exports below count them too.

report="$out/data.md"
{
  echo "| request | time | actions/s | MB/s | bytes | heap in use, max | list p50 / p99 / max during it | POST p50 / p99 / max during it |"
  echo "|---|---:|---:|---:|---:|---:|---|---|"
} >"$report"
for request in "action/export/?format=ndjson" "action/export/?format=csv" \
               "action/export/?format=ndjson&include_logs=true" "action/export/?format=ndjson (again, warm)" \
               "admin/backup/"; do
  path=${request%% *}
  log "GET /api/v1/$path"
  loops busy
  # The body goes to /dev/null: writing half a gigabyte to a file is the client's work, not the server's.
  stats=$(curl -s --max-time 1200 -H "Authorization: Token $key" -o /dev/null \
    -w '%{time_total} %{size_download} %{http_code}' "$base/api/v1/$path")
  stop_loops
  read -r seconds bytes code <<<"$stats"
  [ "$code" = 200 ] || { log "answered $code"; exit 1; }
  actions=$(curl -s -H "Authorization: Token $key" "$base/api/v1/action/?limit=1" | sed 's/.*"total_count":\([0-9]*\).*/\1/')
  max_heap=$(sort -n "$work/heap-busy.txt" | tail -1)
  printf '| `%s`%s | %.2f s | %s | %s | %s | %d MB | %s | %s |\n' "$path" "${request#"$path"}" "$seconds" \
    "$(awk -v n="$actions" -v s="$seconds" 'BEGIN { printf "%d", n / s }')" \
    "$(awk -v b="$bytes" -v s="$seconds" 'BEGIN { printf "%d", b / s / 1048576 }')" "$bytes" \
    $((max_heap / 1048576)) "$(quantiles "$work/list-busy.txt")" "$(quantiles "$work/post-busy.txt")" >>"$report"
done
echo >>"$report"
{
  echo "Idle server: list $(quantiles "$work/list-idle.txt"), POST $(quantiles "$work/post-idle.txt"), heap in use" \
    "at most $(( $(sort -n "$work/heap-idle.txt" | tail -1) / 1048576 )) MB; $count generated actions, server -Xmx$heap."
} >>"$report"
cat "$report"
