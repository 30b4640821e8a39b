#!/usr/bin/env bash
# Bulk ingest of one build against another's, side by side:
#   scripts/bench-bulk-side.sh --against OTHER.jar [--rounds R] [--warmup S] [--duration S] [--keep]
# Each round starts both builds' servers at once, each on a fresh directory with no configuration file, and one
# client per server that posts 300,000 generated actions without their uuids through /api/v1/action/bulk/, requests
# of 100,000 lines one after the other, again and again without a pause, until the round ends. After S seconds of warm-up (default 20) it counts the actions
# each server holds, again S seconds later (default 20), and prints each server's rate in that window and the ratio
# (this build over the other). Both servers and clients share the cores and whatever else the machine does
# meanwhile, through the whole window: on a machine whose speed moves by half from one minute to the next, runs that
# take turns (scripts/bench-writes.sh) cannot tell 10 % apart. Only 127.0.0.1; every process it starts is stopped on
# exit. JAVA_OPTS (default empty) goes to every JVM. Results go to target/bench/bulk-side.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=4 warmup=20 duration=20 keep=0 other=""
while [ $# -gt 0 ]; do
  case "$1" in
    --against) other=$(readlink -f "$2"); shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 --against OTHER.jar [--rounds R] [--warmup S] [--duration S] [--keep]" >&2; exit 2 ;;
  esac
done
[ -n "$other" ] && [ -f "$other" ] || { echo "$0: --against OTHER.jar is needed (an existing jar)" >&2; exit 2; }
for n in "$rounds" "$warmup" "$duration"; do
  [[ "$n" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "$0: --rounds, --warmup and --duration are whole numbers, 1 to 9999" >&2; exit 2; }
done
. scripts/common.sh
bench_start bulk-side client_this client_other pid_this pid_other
jar="$root/target/actionlog.jar"
bench_ready "$jar"

log "generating 300,000 actions"
timeout 900 java $JAVA_OPTS -jar "$jar" generate --count 300000 --seed 7 --out "$work/all.ndjson" >/dev/null
# Without their uuids, so that each time a line is posted again it records a new action (the server gives the uuid).
sed -E 's/^\{"uuid":"[0-9a-f-]+",/{/' "$work/all.ndjson" | split -l 100000 -d -a 3 - "$work/lines."
rm "$work/all.ndjson"
grep -q '"uuid"' "$work/lines.000" && { log "the generated lines still carry uuids"; exit 1; }

# start NAME JAR: a server on a fresh directory; prints its port.
start() {
  rm -rf "$work/$1"
  mkdir -p "$work/$1"
  (cd "$work/$1" && ACTIONLOG_HTTP_HOST=127.0.0.1 ACTIONLOG_HTTP_PORT=0 ACTIONLOG_DATA_DIR="$work/$1/data" \
    ACTIONLOG_AUTH_ADMIN_KEY=$key exec java $JAVA_OPTS -jar "$2" >"$work/$1/server.log" 2>&1) &
  echo $! >"$work/$1.pid"
}

# client PORT: posts the files again and again until $work/stop exists, each request bounded in time.
client() {
  while [ ! -e "$work/stop" ]; do
    for f in "$work"/lines.*; do
      [ ! -e "$work/stop" ] || return 0
      curl -fsS --max-time 300 -H "Authorization: Token $key" -H 'Content-Type: application/x-ndjson' \
        --data-binary @"$f" "http://127.0.0.1:$1/api/v1/action/bulk/" >/dev/null || sleep 1
    done
  done
}

# count PORT: the actions the server holds (its index's size, from /metrics).
count() {
  curl -fsS --max-time 30 -H "Authorization: Token $key" "http://127.0.0.1:$1/metrics" \
    | awk '/^actionlog_index_actions / {printf "%.0f", $2}'
}

cpu_ticks() { awk '{print $14 + $15}' /proc/"$1"/stat; }

report="$out/bulk-side.md"
{
  echo "# Bulk ingest side by side: \`$jar\` against \`$other\`, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "Each round: ${warmup} s of warm-up, then ${duration} s counted; both servers and clients at once."
  echo
  echo "| round | this: actions/s | other: actions/s | this / other | server CPU per action, this / other (µs) | load |"
  echo "|---:|---:|---:|---:|---|---:|"
} >"$report"
tck=$(getconf CLK_TCK)
: >"$work/ratios"
for r in $(seq 1 "$rounds"); do
  start this "$jar"
  start other "$other"
  pid_this=$(cat "$work/this.pid") pid_other=$(cat "$work/other.pid")
  port_this=$(listening_port "$work/this/server.log" "$pid_this")
  port_other=$(listening_port "$work/other/server.log" "$pid_other")
  [ -n "$port_this" ] && [ -n "$port_other" ] || { cat "$work"/*/server.log >&2; exit 1; }
  # The clients start in turn, this one first in odd rounds.
  if [ $(( r % 2 )) = 1 ]; then
    client "$port_this" 2>>"$work/clients.err" & client_this=$!
    client "$port_other" 2>>"$work/clients.err" & client_other=$!
  else
    client "$port_other" 2>>"$work/clients.err" & client_other=$!
    client "$port_this" 2>>"$work/clients.err" & client_this=$!
  fi
  sleep "$warmup"
  a0=$(count "$port_this") b0=$(count "$port_other") ca0=$(cpu_ticks "$pid_this") cb0=$(cpu_ticks "$pid_other")
  t0=$(date +%s%N)
  sleep "$duration"
  a1=$(count "$port_this") b1=$(count "$port_other") ca1=$(cpu_ticks "$pid_this") cb1=$(cpu_ticks "$pid_other")
  t1=$(date +%s%N)
  touch "$work/stop"
  for c in "$client_this" "$client_other"; do pkill -P "$c" 2>/dev/null || true; done
  wait "$client_this" "$client_other" 2>/dev/null || true
  rm -f "$work/stop"
  client_this="" client_other=""
  stop "$pid_this"; stop "$pid_other"
  pid_this="" pid_other=""
  line=$(awk -v a=$(( a1 - a0 )) -v b=$(( b1 - b0 )) -v ns=$(( t1 - t0 )) -v ca=$(( ca1 - ca0 )) \
      -v cb=$(( cb1 - cb0 )) -v tck="$tck" 'BEGIN {
        if (a <= 0 || b <= 0) { print "none"; exit }
        printf "%.0f %.0f %.3f %.1f %.1f", a * 1e9 / ns, b * 1e9 / ns, a / b, ca * 1e6 / tck / a, cb * 1e6 / tck / b }')
  [ "$line" != none ] || { log "round $r: a server took no actions in the counted window ($a0 to $a1, $b0 to $b1)"; exit 1; }
  read -r rate_a rate_b ratio cpu_a cpu_b <<<"$line"
  echo "$ratio" >>"$work/ratios"
  echo "| $r | $rate_a | $rate_b | $ratio | $cpu_a / $cpu_b | $(cut -d' ' -f1 /proc/loadavg) |" | tee -a "$report"
done
median=$(sort -g "$work/ratios" | awk '{v[NR] = $1} END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
{
  echo
  echo "Rate ratios, this build over the other: $(paste -sd' ' "$work/ratios"); median **$median**."
} | tee -a "$report"
log "report: $report"
