#!/usr/bin/env bash
# A follower of the events stream while a bulk load is recorded:
#   scripts/bench-follow.sh [--against OTHER.jar] [--rounds R] [--lines N] [--filtered] [--entries E] [--keep]
# Each round starts a server on a fresh directory (this build, then OTHER's when given, taking turns), opens one
# Server-Sent Events follower of /api/v1/events/ read by curl as fast as it comes, then posts N generated actions
# (default 200,000) in one bulk request. With --filtered the follower asks only for the object /bench/marker/, which
# none of them has, and one action of that object is recorded after the bulk request: the follower of a quiet corner
# of a busy server. It prints how long the request took, how many events the follower received, whether it was cut
# off (SLOW_CONSUMER), whether the events' ids (journal positions) only increased, and how long after the
# request's start it had the last event it was to get. --entries sets stream.max_pending_entries (default: the
# server's default). Only 127.0.0.1; every process it starts is stopped on exit. Results go to
# target/bench/follow.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=3 lines=200000 filtered=0 entries="" keep=0 other=""
while [ $# -gt 0 ]; do
  case "$1" in
    --against) other=$(readlink -f "$2"); shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --lines) lines=$2; shift 2 ;;
    --filtered) filtered=1; shift ;;
    --entries) entries=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--against OTHER.jar] [--rounds R] [--lines N] [--filtered] [--entries E] [--keep]" >&2
       exit 2 ;;
  esac
done
[ -z "$other" ] || [ -f "$other" ] || { echo "$0: --against names no file" >&2; exit 2; }
[[ "$rounds" =~ ^[1-9][0-9]{0,2}$ ]] || { echo "$0: --rounds is 1 to 999" >&2; exit 2; }
[[ "$lines" =~ ^[1-9][0-9]{0,6}$ ]] && [ "$lines" -le 1000000 ] || { echo "$0: --lines is 1 to 1000000" >&2; exit 2; }
[ -z "$entries" ] || [[ "$entries" =~ ^[1-9][0-9]{0,7}$ ]] || { echo "$0: --entries is a whole number" >&2; exit 2; }
. scripts/common.sh
bench_start follow server_pid follower_pid
jar="$root/target/actionlog.jar"
bench_ready "$jar"

log "generating $lines actions"
timeout 900 java $JAVA_OPTS -jar "$jar" generate --count "$lines" --seed 3 --out "$work/all.ndjson" >/dev/null
sed -E 's/^\{"uuid":"[0-9a-f-]+",/{/' "$work/all.ndjson" >"$work/lines.ndjson"
rm "$work/all.ndjson"

# round JAR NAME: one server, one follower, one bulk request; appends a row to the report.
round() {
  rm -rf "$work/data"
  local settings=(ACTIONLOG_HTTP_HOST=127.0.0.1 ACTIONLOG_HTTP_PORT=0 ACTIONLOG_DATA_DIR="$work/data"
    ACTIONLOG_AUTH_ADMIN_KEY=$key)
  [ -z "$entries" ] || settings+=(ACTIONLOG_STREAM_MAX_PENDING_ENTRIES="$entries")
  env "${settings[@]}" timeout 600 java $JAVA_OPTS -jar "$1" >"$work/server.log" 2>&1 &
  server_pid=$!
  local port
  port=$(listening_port "$work/server.log" "$server_pid")
  [ -n "$port" ] || { cat "$work/server.log" >&2; exit 1; }
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/health" | grep -q '"UP"' && break; sleep 0.5; done
  local query=""
  [ "$filtered" = 0 ] || query="?object=/bench/marker/"
  timeout 600 curl -sN -H "Authorization: ApiKey admin:$key" "http://127.0.0.1:$port/api/v1/events/$query" \
    >"$work/events.txt" &
  follower_pid=$!
  sleep 1
  local t0 t1 took expected got cut
  t0=$(date +%s.%N)
  took=$(curl -fsS --max-time 300 -o "$work/reply.json" -w '%{time_total}' -H "Authorization: ApiKey admin:$key" \
    -H 'Content-Type: application/x-ndjson' --data-binary @"$work/lines.ndjson" \
    "http://127.0.0.1:$port/api/v1/action/bulk/")
  expected=$lines
  if [ "$filtered" = 1 ]; then
    expected=1
    curl -fsS -o /dev/null -H "Authorization: ApiKey admin:$key" -H 'Content-Type: application/json' \
      -d '{"action":"Marker","object":"/bench/marker/"}' "http://127.0.0.1:$port/api/v1/action/"
  fi
  for _ in $(seq 1 1200); do
    got=$(grep -c '^data:' "$work/events.txt" || true)
    [ "$got" -ge "$expected" ] && break
    kill -0 "$follower_pid" 2>/dev/null || break
    grep -q SLOW_CONSUMER "$work/events.txt" && break
    sleep 0.1
  done
  t1=$(date +%s.%N)
  cut=no
  grep -q SLOW_CONSUMER "$work/events.txt" && { cut=yes; got=$((got - 1)); }
  # Event ids are journal positions: in order, each once, is what a follower is promised.
  local order
  order=$(awk '/^id:/ {id = $2 + 0; if (n++ && id <= last) bad++; last = id}
    END {print bad ? bad " out of order" : "yes"}' "$work/events.txt")
  printf '| %s | %s | %.2f | %s of %s | %s | %s | %.2f |\n' "$2" "$(jq '.accepted' "$work/reply.json")" "$took" \
    "$got" "$expected" "$order" "$cut" "$(echo "$t1 - $t0" | bc)" >>"$report"
  stop "$follower_pid"; follower_pid=""
  stop "$server_pid"; server_pid=""
}

report="$out/follow.md"
{
  echo "# An events follower during a bulk load of $lines actions, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  follower='every event'
  [ "$filtered" = 0 ] || follower='one object no bulk action has'
  echo "Follower: $follower; stream.max_pending_entries: ${entries:-default}."
  echo
  echo "| build | accepted | bulk request (s) | events received | ids increasing | cut off | last event after (s) |"
  echo "|---|---:|---:|---:|---|---|---:|"
} >"$report"
for r in $(seq 1 "$rounds"); do
  log "round $r of $rounds"
  round "$jar" this
  [ -z "$other" ] || round "$other" other
done
cat "$report"
