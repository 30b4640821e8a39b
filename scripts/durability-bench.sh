#!/usr/bin/env bash
# What durability `os` costs: single-action POSTs against target/actionlog.jar with journal.durability=process and
# =os, one after the other on fresh data directories, with wrk on 127.0.0.1: 2 threads x 32 connections for
# throughput, then 1 connection for the latency of one client alone. Bounded: about 4 x SECONDS plus start-ups.
#
#   scripts/durability-bench.sh [SECONDS]      default 15
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
secs=${1:-15}
command -v wrk >/dev/null || { echo "durability-bench: needs wrk (apt-get install wrk)"; exit 1; }
[ -f target/actionlog.jar ] || mvn -B -q -DskipTests package
work=$(mktemp -d)
pid=""
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
key=durability-bench-key-0123456789
cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Token $key"
wrk.body = '{"action":"Instance Create","user":"alice","method":"POST","path":"/api/instances/","object":"/api/instances/42/","ip":"192.0.2.17","user_agent":"bench","body":{"flavor":"m1.small"}}'
done = function(summary, latency, requests)
  local non2xx = (summary.errors.status or 0)
  io.write(string.format("  %.0f req/s, p50 %.2f ms, p99 %.2f ms, non-2xx %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, non2xx))
end
LUA
for mode in process os; do
  rm -rf "$work/data"
  java -Xmx1g -Dhttp.host=127.0.0.1 -Dhttp.port=0 -Ddata.dir="$work/data" -Dauth.admin_key=$key \
    -Djournal.durability=$mode -jar target/actionlog.jar >"$work/log" 2>&1 &
  pid=$!
  port=$(listening_port "$work/log")
  [ -n "$port" ] || { cat "$work/log"; exit 1; }
  url="http://127.0.0.1:$port/api/v1/action/"
  wrk -t2 -c32 -d5s -s "$work/post.lua" "$url" >/dev/null   # warm-up
  echo "durability $mode, 2 threads x 32 connections, ${secs}s:"
  wrk -t2 -c32 -d"${secs}s" -s "$work/post.lua" "$url" | tail -1
  echo "durability $mode, 1 connection, ${secs}s:"
  wrk -t1 -c1 -d"${secs}s" -s "$work/post.lua" "$url" | tail -1
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
