#!/usr/bin/env bash
# The figures of docs/benchmarks.md that wrk cannot give:
#   scripts/bench-replay.sh [--counts "1000000 10000000"] [--runs R] [--bulk-count N]
# For each count: generates that many actions straight into a fresh data directory, then R times (default 3) in
# turns: in a fresh JVM (the harness's `replay`) times the replay of the journal into a fresh index, measures the
# heap the index holds after full collections and the journal's size per action; then starts the real server on
# that directory and times it from launch to listening. The table shows the run with the median replay and the
# median time to listen, with every run's figures beside them: on a machine shared with other jobs one run can take
# half as long again as the next. Last, the harness's `bulk` posts an NDJSON file of --bulk-count actions (default
# 1,000,000) to a fresh in-process server. The harness is target/actionlog-bench.jar (`mvn -DskipTests -Pbench
# package`, built when missing), run beside target/actionlog.jar. Every step is bounded; everything it starts is
# stopped on exit. JAVA_OPTS (default empty) goes to every JVM. Results go to target/bench/replay.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

counts="1000000 10000000" runs=3 bulk_count=1000000 port=18082 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --counts) counts=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --bulk-count) bulk_count=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--counts \"N ...\"] [--runs R] [--bulk-count N] [--port P] [--keep]" >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]?$ ]] || { echo "$0: --runs takes a number from 1 to 99" >&2; exit 2; }

. scripts/common.sh
bench_start bench-replay server_pid

# The product jar, and the benchmark harness built from the test classes beside it (never shipped).
[ -f target/actionlog-bench.jar ] || timeout 900 mvn -B -q -DskipTests -Pbench package
jar="$root/target/actionlog.jar"
run() { # run SECONDS JAR ARGS...: a jar with a time bound
  local limit=$1 j=$2; shift 2
  timeout "$limit" java $JAVA_OPTS -jar "$j" "$@" 2> >(grep -v '^SLF4J' >&2)
}
get() { awk -F= -v k="$1" '$1 == k {print $2}' "$2"; }

rows=""
for n in $counts; do
  d="$work/data-$n"
  log "generating $n actions into a fresh data directory"
  run 1200 "$jar" generate --count "$n" --seed 1 --data-dir "$d" --create >&2
  replays="" listens=""
  for r in $(seq 1 "$runs"); do
    log "run $r of $runs: replay and memory in one JVM"
    run 600 "$root/target/actionlog-bench.jar" replay --data-dir "$d" | tee "$work/replay-$n-$r.txt" >&2
    log "run $r of $runs: starting the server on it"
    t0=$(date +%s%N)
    ACTIONLOG_HTTP_HOST=127.0.0.1 ACTIONLOG_HTTP_PORT=$port ACTIONLOG_DATA_DIR="$d" \
      ACTIONLOG_AUTH_ADMIN_KEY=$key java $JAVA_OPTS -jar "$jar" >"$work/server-$n-$r.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 6000); do # 300 s: a slow replay of 10 M actions must still be measured, not cut short
      grep -q 'listening on' "$work/server-$n-$r.log" && break
      kill -0 "$server_pid" 2>/dev/null || { cat "$work/server-$n-$r.log" >&2; exit 1; }
      sleep 0.05
    done
    grep -q 'listening on' "$work/server-$n-$r.log" || { log "server not listening after 300 s"; exit 1; }
    listening_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    log "server: $(grep -oE 'replayed .* in [0-9]+ ms' "$work/server-$n-$r.log"); listening $listening_ms ms after launch"
    stop "$server_pid"; server_pid=""
    replays="$replays$(get replay_ms "$work/replay-$n-$r.txt") $r"$'\n'
    listens="$listens$listening_ms $r"$'\n'
  done
  apparent=$(du -s --apparent-size -B1 "$d/journal" | cut -f1)
  allocated=$(du -s -B1 "$d/journal" | cut -f1)
  log "journal directory: $apparent bytes apparent, $allocated bytes allocated"
  # The run whose replay is the median (heap and journal size are the same in every run), and the median listen.
  mid=$(( (runs + 1) / 2 ))
  r=$(printf '%s' "$replays" | sort -n | sed -n "${mid}p" | cut -d' ' -f2)
  lr=$(printf '%s' "$listens" | sort -n | sed -n "${mid}p" | cut -d' ' -f2)
  listening_ms=$(printf '%s' "$listens" | sort -n | sed -n "${mid}p" | cut -d' ' -f1)
  server_replay=$(grep -oE 'replayed .* in [0-9]+ ms \([0-9]+ entries/s\)' "$work/server-$n-$lr.log")
  all_replays=$(printf '%s' "$replays" | sort -k2 -n | awk '{printf "%s%.0f", (NR > 1 ? ", " : ""), $1}')
  all_listens=$(printf '%s' "$listens" | sort -k2 -n | awk '{printf "%s%s", (NR > 1 ? ", " : ""), $1}')
  cp "$work/replay-$n-$r.txt" "$work/replay-$n.txt"
  f="$work/replay-$n.txt"
  rows="$rows| $n | $(get replay_ms "$f") ms | $(printf '%.0f' "$(get replay_actions_per_s "$f")") | $(get ready_ms "$f") ms"
  rows="$rows | $all_replays ms | ${server_replay#replayed } | $listening_ms ms | $all_listens ms | $(get heap_bytes_per_action "$f")"
  rows="$rows | $(get index_estimate_bytes_per_action "$f") | $(get journal_disk_bytes_per_action "$f")"
  rows="$rows | $(awk -v b="$apparent" -v n="$n" 'BEGIN{printf "%.1f", b / n}')"
  rows="$rows | $(awk -v b="$allocated" -v n="$n" 'BEGIN{printf "%.1f", b / n}') |"$'\n'
  rm -rf "$d"
done

log "bulk ingest in process: $bulk_count actions"
run 900 "$jar" generate --count "$bulk_count" --seed 2 --out "$work/bulk.ndjson" >&2
run 900 "$root/target/actionlog-bench.jar" bulk --ndjson "$work/bulk.ndjson" --data-dir "$work/bulk-data" | tee "$work/bulk.txt" >&2

{
  echo "actionlog replay, memory and journal size, $(date -u +%Y-%m-%dT%H:%MZ), JAVA_OPTS='${JAVA_OPTS}'"
  echo
  echo
  echo "$runs run(s) a count, taking turns: the bench columns are the run with the median replay, the server" \
       "columns the run with the median time to listen; every run's figure beside them, in run order."
  echo
  echo "| actions | replay (bench) | actions/s | open + replay | every run's replay | server log |" \
       "server listening after launch | every run's listening | heap bytes/action (after GC) | index's own estimate |" \
       "journal.diskBytes()/action | du apparent/action | du allocated/action |"
  echo "|---:|---:|---:|---:|---|---|---:|---|---:|---:|---:|---:|---:|"
  printf '%s' "$rows"
  echo
  echo "Targets: replay ≥ 2,000,000 actions/s and 10 M ready in ≤ 5 s; ≤ 48 heap bytes per action at 10 M;" \
       "≤ 250 journal bytes per action."
  echo
  echo "Bulk ingest in process (one request of $bulk_count lines, $(get bulk_bytes "$work/bulk.txt") bytes):" \
       "$(get bulk_accepted "$work/bulk.txt") accepted in $(get bulk_seconds "$work/bulk.txt") s =" \
       "$(get bulk_actions_per_s "$work/bulk.txt") actions/s (target ≥ 500,000)"
} | tee "$out/replay.md"
