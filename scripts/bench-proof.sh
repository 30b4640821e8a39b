#!/usr/bin/env bash
# The tamper evidence's figures of docs/benchmarks.md:
#   scripts/bench-proof.sh [--count N] [--duration S] [--port P] [--keep]
# Generates N actions (default 10,000,000) straight into a fresh data directory (a journal without a tree, as one
# written before the tree existed), starts the server, which builds the tree at its first start (the time is its
# own log line), and reports the tree's bytes per entry on disk. Then fetches 5,000 uuids through the list API and
# runs wrk (2 threads, 32 connections, --latency) for S seconds (default 10, after a 5 s warm-up) on
# GET /api/v1/action/<uuid>/proof/ for random ones of them, and once with 1 connection (the latency of one proof
# on an otherwise idle server), and stops the server and runs `verify` on the directory, timed. Everything it starts
# is stopped on exit. JAVA_OPTS (default empty) goes to every JVM. Results go to target/bench/proof.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
count=10000000 duration=10 port=18090 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--count N] [--duration S] [--port P] [--keep]" >&2; exit 2 ;;
  esac
done
. scripts/common.sh
bench_start proof server_pid
jar="$root/target/actionlog.jar"
bench_ready "$jar"

log "generating $count actions into $work/data"
timeout 3600 java $JAVA_OPTS -jar "$jar" generate --count "$count" --create --data-dir "$work/data" >&2
log "starting the server: it builds the tree of the journal"
ACTIONLOG_HTTP_HOST=127.0.0.1 ACTIONLOG_HTTP_PORT=$port ACTIONLOG_DATA_DIR="$work/data" \
  ACTIONLOG_AUTH_ADMIN_KEY=$key java $JAVA_OPTS -jar "$jar" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 36000); do
  grep -q 'listening on' "$work/server.log" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
grep -q 'listening on' "$work/server.log" || { log "not listening after an hour"; exit 1; }
build_line=$(grep -oE 'Merkle tree: [0-9]+ entries hashed in [0-9]+ ms' "$work/server.log" || echo "no tree built")
entries=$(curl -fsS "http://127.0.0.1:$port/api/v1/integrity/checkpoint/" | sed -n 2p)
tree_bytes=$(stat -c %s "$work/data/integrity/tree")
per_entry=$(awk -v b="$tree_bytes" -v n="$entries" 'BEGIN{printf "%.2f", b / n}')
log "$build_line; tree: $tree_bytes bytes for $entries entries = $per_entry bytes an entry"

auth="Authorization: Token $key"
for offset in $(awk -v n="$count" 'BEGIN{for (i = 0; i < 5; i++) print int(n * i / 5)}'); do
  timeout 120 curl -fsS -H "$auth" "http://127.0.0.1:$port/api/v1/action/?order_by=id&limit=1000&offset=$offset" \
    | jq -r '.objects[].uuid'
done | sed 's/.*/  "&",/' | { echo 'uuids = {'; cat; echo '}'; } >"$work/inputs.lua"
cat >"$work/proof.lua" <<EOF
dofile("$work/inputs.lua")
math.randomseed(42)
request = function()
  return wrk.format("GET", "/api/v1/action/" .. uuids[math.random(#uuids)] .. "/proof/")
end
function done(summary, latency, requests)
  io.write(string.format("RESULT %.1f %d %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), summary.errors.status))
end
EOF
run_wrk() { # run_wrk CONNECTIONS SECONDS: prints "rps p50_us p99_us non2xx"
  timeout $(( $2 + 30 )) wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"$2"s --timeout 5s --latency -H "$auth" \
    -s "$work/proof.lua" "http://127.0.0.1:$port" | awk '$1 == "RESULT" {print $2, $3, $4, $5}'
}
run_wrk 32 5 >/dev/null
read -r rps p50 p99 bad < <(run_wrk 32 "$duration")
log "proofs, 32 connections: $rps/s, p50 $p50 us, p99 $p99 us, $bad non-2xx"
read -r rps1 p501 p991 bad1 < <(run_wrk 1 "$duration")
log "proofs, 1 connection: $rps1/s, p50 $p501 us, p99 $p991 us, $bad1 non-2xx"
stop "$server_pid"; server_pid=""
t0=$(date +%s%N)
timeout 3600 java $JAVA_OPTS -jar "$jar" verify --data-dir "$work/data" >"$work/verify.out" 2>"$work/verify.err" \
  || { cat "$work/verify.err" >&2; log "verify failed"; exit 1; }
verify_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
verify_rate=$(awk -v n="$entries" -v ms="$verify_ms" 'BEGIN{printf "%.0f", n / (ms / 1000)}')
log "verify: $entries entries in $verify_ms ms (JVM start and journal open included) = $verify_rate entries/s"
{
  echo "actionlog proof benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $count actions, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| tree built at first start | $build_line |"
  echo "| tree on disk | $tree_bytes bytes for $entries entries = $per_entry bytes an entry |"
  echo "| proofs, wrk 2 threads, 32 connections | $rps/s, p50 $p50 µs, p99 $p99 µs ($bad non-2xx) |"
  echo "| proofs, 1 connection | $rps1/s, p50 $p501 µs, p99 $p991 µs ($bad1 non-2xx) |"
  echo "| verify, whole run | $verify_ms ms = $verify_rate entries/s |"
} | tee "$out/proof.md"
