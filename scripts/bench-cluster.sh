#!/usr/bin/env bash
# The cluster figures of docs/scaling.md, in one command:
#   scripts/bench-cluster.sh [--clients C] [--duration S] [--samples N] [--actions N] [--bulk-lines N]
# All on 127.0.0.1, one step after another:
#   1. single POSTs (wrk, the POST scenario of scripts/bench.sh, C connections, S seconds after an S-second
#      warm-up) against one single-host node (journal.kind=chronicle), the comparison;
#   2. a single-node KRaft broker and three nodes n1-n3; the same load through n1 alone, then split over the three
#      nodes at once (three wrk of C/3 connections);
#   3. the lag from n1's 201 until n2 has applied that write (scripts/cluster-lag.py, N samples), with the nodes
#      idle, then while n3 takes the wrk load;
#   4. N generated actions bulk-loaded through n1 (NDJSON, parts of --bulk-lines), then n3 stopped, its data
#      directory wiped, and timed from its launch until its position reaches the topic's end: the rebuild rate;
#      and the topic's bytes per command and per action (the partition's .log files).
# Prints one table, also written to target/bench-cluster/results.md (with the nodes' logs). Ports: ACTIONLOG_BENCH_KAFKA_PORT (19292, and
# the next one for its controller), ACTIONLOG_BENCH_PORTS ("18181 18182 18183 18184": n1-n3 and the single host).
# NODE_JAVA_OPTS (default -Xmx512m) goes to every node. Everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

clients=24 duration=10 samples=300 actions=100000 bulk_lines=50000
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) clients=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --samples) samples=$2; shift 2 ;;
    --actions) actions=$2; shift 2 ;;
    --bulk-lines) bulk_lines=$2; shift 2 ;;
    *) echo "usage: $0 [--clients C] [--duration S] [--samples N] [--actions N] [--bulk-lines N]" >&2; exit 2 ;;
  esac
done
[ "$clients" -ge 3 ] || { echo "$0: --clients takes at least 3 (one per node)" >&2; exit 2; }
kafka_port=${ACTIONLOG_BENCH_KAFKA_PORT:-19292}
read -r -a ports <<<"${ACTIONLOG_BENCH_PORTS:-18181 18182 18183 18184}"
[ "${#ports[@]}" = 4 ] || { echo "$0: ACTIONLOG_BENCH_PORTS takes four ports" >&2; exit 2; }
key=bench-admin-key-0123456789abcdef
auth="Authorization: Token $key"
out="$root/target/bench-cluster"
mkdir -p "$out"

. scripts/common.sh
. scripts/cluster-common.sh
work=$(mktemp -d -t actionlog-bench-cluster.XXXXXX)
wrk_pids=()
cleanup() {
  local pid
  for pid in "${wrk_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_cluster
  cp "$work"/*.log "$out"/ 2>/dev/null || true # the nodes' and the broker's logs, for a second look
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cluster_jars

cat >"$work/post.lua" <<'EOF'
wrk.method = "POST"
wrk.path = "/api/v1/action/"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"action":"Bench Post","object":"/api/v1/service/bench/","user":"user1","state":"Success"}'
function done(summary, latency, requests)
  io.write(string.format("RESULT %.1f %d %d %d %d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
EOF
# wrk_post PORT THREADS CONNECTIONS SECONDS: prints "req/s p50_us p99_us non2xx socket_errors"
wrk_post() {
  timeout $(( $4 + 30 )) wrk -t"$2" -c"$3" -d"$4"s --timeout 10s --latency -H "$auth" -s "$work/post.lua" \
    "http://127.0.0.1:$1" | awk '$1 == "RESULT" {print $2, $3, $4, $5, $6}'
}
# posts_on PORT...: the warm-up, then the measured run, with C connections split over the ports (one wrk each,
# all at once); prints "total_req/s worst_p50_us worst_p99_us non2xx socket_errors cpu_us_per_request"
posts_on() {
  local port ticks n=$# per=$(( clients / $# )) threads=$(( $# == 1 ? 2 : 1 ))
  for port in "$@"; do wrk_post "$port" "$threads" "$per" "$duration" >/dev/null & wrk_pids+=($!); done
  wait "${wrk_pids[@]}"; wrk_pids=()
  ticks=$(cpu_ticks)
  for port in "$@"; do wrk_post "$port" "$threads" "$per" "$duration" >"$work/wrk.$port" & wrk_pids+=($!); done
  wait "${wrk_pids[@]}"; wrk_pids=()
  ticks=$(( $(cpu_ticks) - ticks ))
  # CPU that the broker and the nodes spent per request: steadier than req/s on a machine shared with others.
  cat "$work"/wrk.* | awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v d="$duration" \
    '{r += $1; if ($2 > p50) p50 = $2; if ($3 > p99) p99 = $3; s += $4; e += $5}
    END {printf "%.0f %d %d %d %d %.0f\n", r, p50, p99, s, e, (r > 0 ? t / hz * 1e6 / (r * d) : 0)}'
  rm -f "$work"/wrk.*
}
cpu_ticks() { # user + system CPU clock ticks of the broker and every node running
  local pid
  for pid in "$broker_pid" "${node_pid[@]}"; do [ -n "$pid" ] && awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null; done \
    | awk '{s += $1} END {print s + 0}'
}
position() { local p; p=$(health "$1" position); echo "${p:-0}"; } # 0 while the node does not answer
ms() { awk -v us="$1" 'BEGIN{printf "%.2f ms", us / 1000}'; }
declare -A fig=()

# --- 1. the single host ---------------------------------------------------------------------------------------
log "single host (journal.kind=chronicle) on ${ports[3]}: $clients connections, ${duration} s warm-up + ${duration} s"
start_node single "${ports[3]}" chronicle
fig[single]=$(posts_on "${ports[3]}")
log "  ${fig[single]}"
stop "${node_pid[single]}"; node_pid[single]=""

# --- 2. writes through Kafka ----------------------------------------------------------------------------------
log "broker on $kafka_port and nodes n1-n3 on ${ports[*]:0:3}"
start_broker
for i in 0 1 2; do start_node "n$(( i + 1 ))" "${ports[$i]}"; done
log "cluster, all through n1: $clients connections"
fig[one]=$(posts_on "${ports[0]}")
log "  ${fig[one]}"
log "cluster, through n1, n2, n3 at once: $(( clients / 3 )) connections each"
fig[three]=$(posts_on "${ports[0]}" "${ports[1]}" "${ports[2]}")
log "  ${fig[three]}"

# --- 3. lag ---------------------------------------------------------------------------------------------------
lag() { timeout 600 python3 scripts/cluster-lag.py --key "$key" --writer "127.0.0.1:${ports[0]}" \
  --reader "127.0.0.1:${ports[1]}" --samples "$samples"; }
log "lag n1 → n2, $samples samples, idle"
fig[lag_idle]=$(lag)
log "  ${fig[lag_idle]}"
log "lag n1 → n2, $samples samples, while n3 takes $(( clients / 3 )) connections of POSTs"
# timeout passes the kill below on to wrk
timeout 600 wrk -t1 -c$(( clients / 3 )) -d600s -H "$auth" -s "$work/post.lua" "http://127.0.0.1:${ports[2]}" \
  >/dev/null & wrk_pids+=($!)
fig[lag_load]=$(lag)
kill "${wrk_pids[@]}" 2>/dev/null || true; wait "${wrk_pids[@]}" 2>/dev/null || true; wrk_pids=()
log "  ${fig[lag_load]}"

# --- 4. bulk load, then a rebuild -----------------------------------------------------------------------------
log "generating $actions actions"
timeout 900 java -jar target/actionlog.jar generate --count "$actions" --seed 1 --out "$work/load.ndjson" >&2
split -l "$bulk_lines" -d -a 3 "$work/load.ndjson" "$work/load."
rm "$work/load.ndjson"
partition_bytes() { find "$work/kafka" -path '*actionlog.journal-0/*.log' -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }
before=$(health n1 position)
bytes_before=$(partition_bytes)
t0=$(date +%s%N)
for part in "$work"/load.???; do
  code=$(timeout 900 curl -sS -X POST -T - -H "$auth" -H 'Content-Type: application/x-ndjson' -o "$part.reply" \
    -w '%{http_code}' "http://127.0.0.1:${ports[0]}/api/v1/action/bulk/" <"$part")
  [ "$code" = 200 ] || { cat "$part.reply" >&2; log "bulk answered $code"; exit 1; }
done
bulk_ns=$(( $(date +%s%N) - t0 ))
accepted=$(cat "$work"/load.???.reply | jq -s 'map(.accepted) | add')
[ "$accepted" = "$actions" ] || { log "only $accepted of $actions accepted"; exit 1; }
end=$(health n1 position)
log "bulk: $actions actions as $(( end - before )) commands in $(( bulk_ns / 1000000 )) ms"
for name in n2 n3; do # every node has the whole topic before n3 is wiped
  for _ in $(seq 1 600); do [ "$(position "$name")" -ge "$end" ] && break; sleep 0.2; done
done
total_actions=$(health n3 actions)
log_bytes=$(partition_bytes)
log "topic: $end commands, $log_bytes bytes in the partition's .log files; n3 holds $total_actions actions"

log "rebuild: n3 stopped, its data directory wiped, started again"
stop "${node_pid[n3]}"
rm -rf "$work/n3"
t0=$(date +%s%N)
start_node n3 "${ports[2]}"
listen_ns=$(( $(date +%s%N) - t0 ))
for _ in $(seq 1 6000); do [ "$(position n3)" -ge "$end" ] && break; sleep 0.1; done
reached=$(date +%s%N)
rebuild_ns=$(( reached - t0 ))
# The apply alone: from the node's line saying it applies the topic from its start (JVM start and topic check before).
from_line=$(grep 'applying topic .* from its start' "$work/n3.log" | tail -n 1 | cut -d' ' -f1)
apply_ns=$(( reached - $(date -d "$from_line" +%s%N) ))
node_line=$(grep -oE 'applied [0-9]+ commands of topic .*' "$work/n3.log" | tail -n 1 || true)
[ "$(position n3)" -ge "$end" ] || { log "n3 did not reach $end in time"; exit 1; }
# A node that starts on an empty data directory records its admin credential once more: one command past the end
# timed here, so n3 is compared with n1 once both have it.
for _ in $(seq 1 100); do [ "$(position n3)" = "$(position n1)" ] && break; sleep 0.1; done
[ "$(health n3 actions)" = "$(health n1 actions)" ] || { log "n3 rebuilt $(health n3 actions) actions, n1 has $(health n1 actions)"; exit 1; }

# --- the table ------------------------------------------------------------------------------------------------
row() { # row TITLE FIGURES
  local rps p50 p99 bad errs cpu
  read -r rps p50 p99 bad errs cpu <<<"$2"
  echo "| $1 | $rps | $(ms "$p50") | $(ms "$p99") | $cpu µs | $bad non-2xx, $errs socket errors |"
}
lagrow() { # lagrow TITLE "lag samples=.. p50_ms=.. ..."
  echo "| $1 | $(echo "$2" | sed -E 's/.*p50_ms=([^ ]+) p99_ms=([^ ]+) max_ms=([^ ]+) baseline_p50_ms=([^ ]+) baseline_p99_ms=([^ ]+).*/\1 ms | \2 ms | \3 ms | \4 ms, \5 ms/') |"
}
rate() { awk -v n="$1" -v ns="$2" 'BEGIN{printf "%.0f", n / (ns / 1e9)}'; }
{
  echo "actionlog cluster benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end;" \
       "one broker and three nodes on 127.0.0.1, NODE_JAVA_OPTS='${NODE_JAVA_OPTS:--Xmx512m}'"
  echo
  echo "| single POSTs, $clients connections, ${duration} s (after a ${duration} s warm-up) | req/s | p50 (worst wrk) | p99 (worst wrk) | CPU a request (broker + nodes) | errors |"
  echo "|---|---:|---:|---:|---:|---|"
  row "single host (journal.kind=chronicle)" "${fig[single]}"
  row "cluster, all through n1" "${fig[one]}"
  row "cluster, split over n1, n2, n3" "${fig[three]}"
  echo
  echo "| lag from n1's 201 to n2's answer with that position, $samples samples | p50 | p99 | max | one GET alone (p50, p99) |"
  echo "|---|---:|---:|---:|---:|"
  lagrow "idle" "${fig[lag_idle]}"
  lagrow "while n3 takes $(( clients / 3 )) connections of POSTs" "${fig[lag_load]}"
  echo
  echo "| topic and rebuild | figure |"
  echo "|---|---:|"
  echo "| bulk load through n1 ($actions actions, parts of $bulk_lines lines) | $(rate "$actions" "$bulk_ns") actions/s, $(( end - before )) commands |"
  echo "| topic | $end commands, $total_actions actions, $log_bytes bytes: $(( log_bytes / end )) bytes/command, $(( log_bytes / total_actions )) bytes/action |"
  echo "| topic, before the bulk load ($before commands of single POSTs, lag probes and credential records) | $bytes_before bytes: $(( bytes_before / before )) bytes/command |"
  echo "| topic, the bulk load ($actions generated actions) | $(( log_bytes - bytes_before )) bytes: $(( (log_bytes - bytes_before) / actions )) bytes/action |"
  echo "| rebuild of n3 from an empty data directory, launch to position $end (listening after $(( listen_ns / 1000000 )) ms) | $(( rebuild_ns / 1000000 )) ms: $(rate "$end" "$rebuild_ns") commands/s, $(rate "$total_actions" "$rebuild_ns") actions/s |"
  echo "| the same from its line 'applying topic ... from its start' (after the JVM start and the topic check) | $(( apply_ns / 1000000 )) ms: $(rate "$end" "$apply_ns") commands/s, $(rate "$total_actions" "$apply_ns") actions/s |"
  [ -z "$node_line" ] || echo "| the node's own log of its catch-up before serving | $node_line |"
} | tee "$out/results.md"
