#!/usr/bin/env bash
# Steady mixed load for a while, watching memory and latency: starts target/actionlog.jar on 127.0.0.1 with a
# fresh data directory and runs wrk (2 threads x 16 connections; half POSTs of new actions, half list reads with
# filters) in back-to-back 30-second rounds. After each round it prints the round's requests/s, p50 and p99, and
# the server's heap in use (actionlog_jvm_heap_used_bytes from /metrics) and action count.
#
#   scripts/soak.sh [SECONDS]      default 600 (10 minutes); at most 7200
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
total=${1:-600}
[ "$total" -le 7200 ] || { echo "soak: at most 7200 seconds"; exit 2; }
command -v wrk >/dev/null || { echo "soak: needs wrk (apt-get install wrk)"; exit 1; }
[ -f target/actionlog.jar ] || mvn -B -q -DskipTests package
work=$(mktemp -d)
pid=""
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
key=soak-test-admin-key-0123456789
java -Xmx1g -Dhttp.host=127.0.0.1 -Dhttp.port=0 -Ddata.dir="$work/data" -Dauth.admin_key=$key \
  -jar target/actionlog.jar >"$work/log" 2>&1 &
pid=$!
port=$(listening_port "$work/log")
[ -n "$port" ] || { cat "$work/log"; echo "soak: server did not start"; exit 1; }
base="http://127.0.0.1:$port"
cat >"$work/mix.lua" <<LUA
local states = {"Pending", "In%20progress", "Success", "Failed"}
local n = 0
request = function()
  n = n + 1
  local h = {["Authorization"] = "Token $key", ["Content-Type"] = "application/json"}
  if n % 2 == 0 then
    local body = string.format('{"action":"Soak %d","user":"u%d","object":"/api/o/%d/","ip":"192.0.2.%d","body":{"n":%d}}',
      n % 50, n % 200, n % 5000, n % 250, n)
    return wrk.format("POST", "/api/v1/action/", h, body)
  end
  local q = string.format("/api/v1/action/?state=%s&limit=25&offset=%d", states[(n % 4) + 1], (n * 7) % 500)
  if n % 6 == 1 then q = string.format("/api/v1/action/?user=u%d&order_by=-id", n % 200) end
  return wrk.format("GET", q, h)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.2f %.2f %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    (summary.errors.status or 0) + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
metric() { curl -fsS "$base/metrics" | awk -v m="$1" '$1 == m { printf "%d", $2 }'; }
echo "soak: $total s against $base (wrk 2 threads x 16 connections, 1:1 POST:list)"
printf '%6s %9s %8s %8s %7s %10s %9s\n' elapsed req/s p50_ms p99_ms errors heap_MiB actions
elapsed=0
while [ "$elapsed" -lt "$total" ]; do
  round=$(( total - elapsed < 30 ? total - elapsed : 30 ))
  read -r _ rps p50 p99 errors < <(wrk -t2 -c16 -d"${round}s" -s "$work/mix.lua" "$base" | grep '^RESULT')
  elapsed=$(( elapsed + round ))
  heap=$(metric actionlog_jvm_heap_used_bytes)
  actions=$(metric actionlog_index_actions)
  printf '%6s %9s %8s %8s %7s %10s %9s\n' "$elapsed" "$rps" "$p50" "$p99" "$errors" $(( heap / 1048576 )) "$actions"
done
