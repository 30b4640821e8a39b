#!/usr/bin/env bash
# Start time and idle memory of the unpacked package on a data directory (make one with `generate`):
#   scripts/start-bench.sh PACKAGE_DIR DATA_DIR [RUNS] [with|without]
# Each run launches bin/actionlog with the launcher's defaults, polls /health every 10 ms from the moment the port
# opens until it says UP, and prints the milliseconds from launch to UP; then, after 5 s idle, the process's
# anonymous resident memory (RssAnon: heap, metaspace, code, stacks; the mapped journal is file-backed and not in
# it). `without` moves the class-data archive aside for the runs. Prints the median of each.
set -euo pipefail
pkg=$(cd "$1" && pwd)
data=$2
runs=${3:-5}
mode=${4:-with}
work=$(mktemp -d)
pid=""
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; [ ! -f "$work/actionlog.jsa" ] || mv "$work/actionlog.jsa" "$pkg/lib/"; rm -rf "$work"' EXIT
[ "$mode" = with ] || mv "$pkg/lib/actionlog.jsa" "$work/"
ups=""; rss=""; cpus=""
for r in $(seq 1 "$runs"); do
  t0=$(date +%s%N)
  ACTIONLOG_HTTP_HOST=127.0.0.1 ACTIONLOG_HTTP_PORT=0 ACTIONLOG_DATA_DIR="$data" "$pkg/bin/actionlog" serve \
    >"$work/log" 2>&1 &
  pid=$!
  port=""
  while [ -z "$port" ]; do
    sleep 0.01
    port=$(grep -oE 'port [^ ]+:[0-9]+ open' "$work/log" | grep -oE ':[0-9]+' | tr -d : || true)
    kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
  done
  # grep reads to the end: with pipefail, an early exit (-q) could fail curl on SIGPIPE and the loop never end.
  until curl -s --max-time 2 "http://127.0.0.1:$port/health" | grep '"UP"' >/dev/null; do sleep 0.01; done
  up=$(( ($(date +%s%N) - t0) / 1000000 ))
  # CPU the process used until then (user + system, clock ticks to ms): less at the mercy of other load than the wall.
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
  sleep "${IDLE:-5}"
  anon=$(awk '/RssAnon/ {print int($2 / 1024)}' "/proc/$pid/status")
  echo "run $r: UP after $up ms ($cpu ms of CPU); RssAnon $anon MiB; $(grep -oE 'replayed [0-9]+ journal entries .*' "$work/log")"
  ups="$ups$up"$'\n'; rss="$rss$anon"$'\n'; cpus="$cpus$cpu"$'\n'
  kill -TERM "$pid"; wait "$pid" || true; pid=""
done
mid=$(( (runs + 1) / 2 ))
echo "median ($mode archive): UP after $(printf '%s' "$ups" | sort -n | sed -n "${mid}p") ms," \
  "CPU $(printf '%s' "$cpus" | sort -n | sed -n "${mid}p") ms, RssAnon $(printf '%s' "$rss" | sort -n | sed -n "${mid}p") MiB"
