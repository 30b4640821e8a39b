#!/usr/bin/env bash
# What one build's write path costs against another's (issue 17's "POST and bulk at 90 % without the tree"):
#   scripts/bench-writes.sh --against OTHER.jar [--rounds R] [--only post,bulk] [--post-warmup S]
#                           [--post-duration S] [--bulk-warm N] [--bulk-count N] [--keep]
# Rounds of the two builds taking turns (this build first in odd rounds, the other in even ones), each run on a
# fresh server in a fresh directory with no configuration file, so that an older build starts with the same
# defaults:
#   post: wrk (2 threads, 32 connections) posts one 90-byte action, S seconds untimed (default 25: on two busy
#         cores the JIT is still compiling after 10 s), then S seconds timed (default 8);
#   bulk: N generated actions (default 400,000) posted untimed through /api/v1/action/bulk/ in requests of
#         100,000 lines, then N timed (default 300,000), the requests one after the other.
# Each run prints its rate, the server's CPU (user + system, from /proc) per request or action in the timed part,
# and the CPU of its writer thread, event loops and worker threads in it. Then each round's ratio (this build over
# the other) and the medians. JAVA_OPTS (default empty) goes to every JVM. Results go to target/bench/writes.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=5 only="post,bulk" post_warmup=25 post_duration=8 bulk_warm=400000 bulk_count=300000 keep=0 other=""
while [ $# -gt 0 ]; do
  case "$1" in
    --against) other=$(readlink -f "$2"); shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --post-warmup) post_warmup=$2; shift 2 ;;
    --post-duration) post_duration=$2; shift 2 ;;
    --bulk-warm) bulk_warm=$2; shift 2 ;;
    --bulk-count) bulk_count=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 --against OTHER.jar [--rounds R] [--only post,bulk] [--post-warmup S] [--post-duration S]" \
            "[--bulk-warm N] [--bulk-count N] [--keep]" >&2; exit 2 ;;
  esac
done
[ -n "$other" ] && [ -f "$other" ] || { echo "$0: --against OTHER.jar is needed (an existing jar)" >&2; exit 2; }
. scripts/common.sh
bench_start writes server_pid
jar="$root/target/actionlog.jar"
bench_ready "$jar"
tck=$(getconf CLK_TCK)

cat >"$work/post.lua" <<'EOF'
wrk.method = "POST"
wrk.path = "/api/v1/action/"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"action":"Bench Post","object":"/api/v1/service/bench/","user":"user1","state":"Success"}'
EOF
if [[ ",$only," == *,bulk,* ]]; then
  log "generating $(( bulk_warm + bulk_count )) actions for the bulk runs"
  timeout 900 java $JAVA_OPTS -jar "$jar" generate --count $(( bulk_warm + bulk_count )) --seed 7 \
    --out "$work/all.ndjson" >/dev/null
  head -n "$bulk_warm" "$work/all.ndjson" | split -l 100000 -d -a 3 - "$work/warm."
  tail -n +$(( bulk_warm + 1 )) "$work/all.ndjson" | split -l 100000 -d -a 3 - "$work/timed."
  rm "$work/all.ndjson"
fi

# start JAR: a server on a fresh directory; sets server_pid and port.
start() {
  rm -rf "$work/run"
  mkdir -p "$work/run"
  (cd "$work/run" && ACTIONLOG_HTTP_HOST=127.0.0.1 ACTIONLOG_HTTP_PORT=0 ACTIONLOG_DATA_DIR="$work/run/data" \
    ACTIONLOG_AUTH_ADMIN_KEY=$key exec java $JAVA_OPTS -jar "$1" >"$work/run/server.log" 2>&1) &
  server_pid=$!
  port=$(listening_port "$work/run/server.log" "$server_pid")
  [ -n "$port" ] || { cat "$work/run/server.log" >&2; exit 1; }
}

# threads: "name ticks" per thread of the server, digits at the end of names dropped (a pool is one name).
threads() {
  for f in /proc/"$server_pid"/task/*/stat; do cat "$f" 2>/dev/null || true; done \
    | sed -E 's/^[0-9]+ \((.*)\) [A-Z] (.*)$/\1|\2/' \
    | awk -F'|' '{ split($2, f, " "); name = $1; gsub(/[0-9]+$/, "", name); gsub(/ /, "_", name);
                   t[name] += f[11] + f[12] } END { for (n in t) print n, t[n] }'
}

# timed COMMAND...: runs it; sets cpu_ms and thread_ms ("writer=.. loops=.. workers=..") for its duration.
timed() {
  threads >"$work/t0"
  local c0; c0=$(awk '{print $14 + $15}' /proc/"$server_pid"/stat)
  "$@"
  cpu_ms=$(( ($(awk '{print $14 + $15}' /proc/"$server_pid"/stat) - c0) * 1000 / tck ))
  threads >"$work/t1"
  thread_ms=$(awk -v tck="$tck" 'NR == FNR { a[$1] = $2; next }
      { d = ($2 - a[$1]) * 1000 / tck }
      /^actionlog-write/ { w += d } /^vert\.x-eventloo/ { l += d } /^vert\.x-worker/ { k += d }
      END { printf "writer %d ms, event loops %d ms, workers %d ms", w, l, k }' "$work/t0" "$work/t1")
}

post_once() {
  wrk -t2 -c32 -d"$post_duration"s --timeout 5s -H "Authorization: Token $key" -s "$work/post.lua" \
    "http://127.0.0.1:$port" >"$work/wrk.txt"
}

bulk_files() {
  for f in "$@"; do
    curl -fsS -H "Authorization: Token $key" -H 'Content-Type: application/x-ndjson' --data-binary @"$f" \
      "http://127.0.0.1:$port/api/v1/action/bulk/" | jq -r .accepted
  done
}

# run SCENARIO JAR: one measured run; prints "rate cpu_per_unit_us | threads".
run() {
  start "$2"
  if [ "$1" = post ]; then
    wrk -t2 -c32 -d"$post_warmup"s --timeout 5s -H "Authorization: Token $key" -s "$work/post.lua" \
      "http://127.0.0.1:$port" >/dev/null
    timed post_once
    grep -q 'Non-2xx' "$work/wrk.txt" && { log "POST answered errors:"; cat "$work/wrk.txt" >&2; exit 1; }
    local rate; rate=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
    awk -v r="$rate" -v d="$post_duration" -v c="$cpu_ms" -v t="$thread_ms" \
      'BEGIN { printf "%.0f %.1f | %s\n", r, c * 1000 / (r * d), t }'
  else
    bulk_files "$work"/warm.* >/dev/null
    local t0 t1 n
    t0=$(date +%s%N)
    timed bulk_files "$work"/timed.* >"$work/accepted"
    t1=$(date +%s%N)
    n=$(awk '{s += $1} END {print s}' "$work/accepted")
    [ "$n" = "$bulk_count" ] || { log "bulk accepted $n of $bulk_count"; exit 1; }
    awk -v n="$n" -v ns=$(( t1 - t0 )) -v c="$cpu_ms" -v t="$thread_ms" \
      'BEGIN { printf "%.0f %.1f | %s\n", n * 1e9 / ns, c * 1000 / n, t }'
  fi
  stop "$server_pid"
  server_pid=""
}

median() { sort -g | awk '{v[NR] = $1} END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

report="$out/writes.md"
{
  echo "# Write path: \`$jar\` against \`$other\`, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "| scenario | round | build | rate (/s) | server CPU per request or action | timed part's threads | load |"
  echo "|---|---:|---|---:|---:|---|---:|"
} >"$report"
for scenario in ${only//,/ }; do
  : >"$work/ratios.$scenario"
  for r in $(seq 1 "$rounds"); do
    order="this other"
    [ $(( r % 2 )) = 0 ] && order="other this"
    for which in $order; do
      j=$jar
      [ "$which" = other ] && j=$other
      run "$scenario" "$j" >"$work/line"
      line=$(cat "$work/line")
      read -r rate cpu _ <<<"$line"
      echo "$rate" >"$work/rate.$which"
      echo "$cpu" >>"$work/cpu.$scenario.$which"
      echo "| $scenario | $r | $which | $rate | $cpu µs | ${line#*| } | $(cut -d' ' -f1 /proc/loadavg) |" \
        | tee -a "$report"
    done
    awk -v a="$(cat "$work/rate.this")" -v b="$(cat "$work/rate.other")" 'BEGIN { printf "%.3f\n", a / b }' \
      >>"$work/ratios.$scenario"
  done
  {
    echo
    echo "$scenario: ratio of rates, this build over the other, per round: $(paste -sd' ' "$work/ratios.$scenario");" \
      "median $(median <"$work/ratios.$scenario"); median CPU per unit: this $(median <"$work/cpu.$scenario.this") µs," \
      "other $(median <"$work/cpu.$scenario.other") µs"
    echo
  } | tee -a "$report"
done
log "report: $report"
