#!/usr/bin/env bash
# Three actionlog nodes sharing one journal on a local Kafka broker, all on 127.0.0.1:
#   scripts/cluster-demo.sh            starts a single-node KRaft broker and three nodes, records some actions
#                                      through each node, shows the same list (count, digest, last rows) from each,
#                                      then keeps them running for you until Ctrl-C or ACTIONLOG_DEMO_SECONDS.
#   scripts/cluster-demo.sh --check    the same without a person: writes through all three nodes at once, kills
#                                      one node with kill -9 midway and restarts it on its data directory, then
#                                      prints "node NAME actions=N digest=SHA256" per node (digest of its complete
#                                      list, the NDJSON export in id order) and exits 0 only when every node shows
#                                      the same list and every write answered 201 is in it.
# Environment (defaults in brackets):
#   ACTIONLOG_DEMO_KAFKA_PORT [19092]          the broker's client port; its controller takes the next port too
#   ACTIONLOG_DEMO_PORTS ["18081 18082 18083"] the three nodes' HTTP ports (nodes n1, n2, n3)
#   ACTIONLOG_DEMO_SECONDS [300]               the demo's lifetime; with --check, the bound of the whole run
#   ACTIONLOG_DEMO_WRITES [300]                with --check, the writes sent through each node
#   NODE_JAVA_OPTS [-Xmx512m]                  the nodes' JVM options
# Builds target/actionlog-cluster.jar when missing. Data and logs live in a scratch directory, removed at the end
# with every process this script started.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=demo
case "${1:-}" in
  --check) mode=check ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
kafka_port=${ACTIONLOG_DEMO_KAFKA_PORT:-19092}
read -r -a ports <<<"${ACTIONLOG_DEMO_PORTS:-18081 18082 18083}"
seconds=${ACTIONLOG_DEMO_SECONDS:-300}
writes=${ACTIONLOG_DEMO_WRITES:-300}
[ "${#ports[@]}" = 3 ] || { echo "$0: ACTIONLOG_DEMO_PORTS takes three ports, not '${ports[*]}'" >&2; exit 2; }
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "$0: ACTIONLOG_DEMO_SECONDS takes a number of seconds" >&2; exit 2; }
[[ "$writes" =~ ^[1-9][0-9]*$ ]] || { echo "$0: ACTIONLOG_DEMO_WRITES takes a positive number" >&2; exit 2; }
names=(n1 n2 n3)
key=demo-admin-key-0123456789abcdef
auth="Authorization: Token $key"

. scripts/common.sh
. scripts/cluster-common.sh
work=$(mktemp -d -t actionlog-cluster-demo.XXXXXX)
writer_pids=() watchdog=""
cleanup() {
  local pid
  for pid in "${writer_pids[@]}"; do pkill -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  [ -z "$watchdog" ] || { pkill -P "$watchdog" 2>/dev/null; kill "$watchdog" 2>/dev/null; } || true
  stop_cluster
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ "$mode" = check ]; then
  # The whole check is bounded: past the limit the script is stopped and fails.
  ( sleep "$seconds"; log "check: not done after $seconds s (ACTIONLOG_DEMO_SECONDS)"; kill -TERM $$ ) &
  watchdog=$!
fi
started=$SECONDS

cluster_jars
log "starting a Kafka broker on 127.0.0.1:$kafka_port"
start_broker
for i in 0 1 2; do
  log "starting node ${names[$i]} on 127.0.0.1:${ports[$i]}"
  start_node "${names[$i]}" "${ports[$i]}"
done

# post NAME BODY: one POST /api/v1/action/ on the node; prints "HTTP_CODE POSITION" (000 when it did not answer).
post() {
  curl -sS --max-time 20 -o /dev/null -w '%{http_code} %header{x-actionlog-position}\n' -H "$auth" \
    -H 'Content-Type: application/json' -d "$2" "http://127.0.0.1:${node_port[$1]}/api/v1/action/" 2>/dev/null \
    || true # curl has printed 000 for a node that did not answer
}

# writer NAME COUNT OUT: COUNT writes through the node, one after the other, each with its own uuid; appends
# "UUID HTTP_CODE POSITION" per write to OUT.
writer() {
  local j uuid answer
  for j in $(seq 1 "$2"); do
    uuid=$(</proc/sys/kernel/random/uuid)
    answer=$(post "$1" "{\"uuid\":\"$uuid\",\"action\":\"Demo Write\",\"object\":\"/api/v1/demo/$1/$j/\",\"user\":\"user$(( j % 7 ))\",\"state\":\"Success\"}")
    echo "$uuid $answer"
    # A node that is down refuses at once: slow down, so writes meet it again once it is back.
    [ "${answer%% *}" != 000 ] || sleep 0.2
  done >>"$3"
}

# show_nodes MIN_POSITION: one line per node (action count and digest of its complete list, read once the node has
# applied MIN_POSITION commands); fails when a node does not answer or the nodes differ.
show_nodes() {
  local name digests=""
  for name in "${names[@]}"; do
    export_list "$name" "$1" "$work/list.$name" || return 1
    sha256sum "$work/list.$name" | cut -d' ' -f1 >"$work/digest.$name"
    echo "node $name actions=$(wc -l <"$work/list.$name") digest=$(cat "$work/digest.$name")"
    digests="$digests $(cat "$work/digest.$name")"
  done
  [ "$(echo "$digests" | tr ' ' '\n' | sed '/^$/d' | sort -u | wc -l)" = 1 ] || { log "the nodes' lists differ"; return 1; }
}

# max_position FILE...: the highest position any answer in the files carried (their third column).
max_position() {
  cat "$@" | awk '$3 ~ /^[0-9]+$/ && $3 > m {m = $3} END {print m + 0}'
}

run_demo() {
  local name j
  log "recording 10 actions through each node"
  for name in "${names[@]}"; do writer "$name" 10 "$work/writes"; done
  awk '$2 != 201 {bad++} END {exit bad > 0}' "$work/writes" || { cat "$work/writes" >&2; log "a write failed"; exit 1; }
  show_nodes "$(max_position "$work/writes")"
  for name in "${names[@]}"; do
    echo "last 3 actions on $name (http://127.0.0.1:${node_port[$name]}):"
    curl -fsS -H "$auth" "http://127.0.0.1:${node_port[$name]}/api/v1/action/?order_by=-id&limit=3" \
      | jq -r '.objects[] | "  \(.id)  \(.uuid)  \(.action)  \(.object)"'
  done
  cat <<EOF

Running: broker 127.0.0.1:$kafka_port, nodes ${names[0]} :${ports[0]}, ${names[1]} :${ports[1]}, ${names[2]} :${ports[2]}.
Try, for example:
  curl -s -H '$auth' -H 'Content-Type: application/json' -d '{"action":"Try","object":"/api/v1/try/1/"}' http://127.0.0.1:${ports[0]}/api/v1/action/
  curl -s -H '$auth' 'http://127.0.0.1:${ports[2]}/api/v1/action/?order_by=-id&limit=1'
  curl -s http://127.0.0.1:${ports[1]}/health
Everything stops on Ctrl-C or after $seconds s.
EOF
  while [ $(( SECONDS - started )) -lt "$seconds" ]; do sleep 1; done
}

run_check() {
  local victim=n2 i half pid acked missing=0 name position
  log "writing $writes actions through each node at once"
  for i in 0 1 2; do
    writer "${names[$i]}" "$writes" "$work/writes.${names[$i]}" &
    writer_pids+=($!)
  done
  half=$(( writes * 3 / 2 ))
  until [ "$(cat "$work"/writes.* 2>/dev/null | wc -l)" -ge "$half" ]; do sleep 0.1; done
  log "kill -9 of node $victim after $half writes; restarting it on its data directory"
  kill_node "$victim"
  start_node "$victim" "${node_port[$victim]}"
  log "node $victim is back at position $(health "$victim" position) of $(health "$victim" topic_end)"
  for pid in "${writer_pids[@]}"; do wait "$pid"; done
  writer_pids=()
  cat "$work"/writes.* >"$work/writes"
  awk '$2 == 201 {print $1}' "$work/writes" | sort >"$work/acked"
  acked=$(wc -l <"$work/acked")
  position=$(max_position "$work/writes")
  log "$(wc -l <"$work/writes") writes sent, $acked acknowledged (201); answers by node:$(for name in "${names[@]}"; do
    printf ' %s' "$name"; awk '{n[$2]++} END {for (c in n) printf " %s×%s", c, n[c]}' "$work/writes.$name"; printf ';'; done)"
  log "reading every node's list once it has applied position $position (the highest an answer carried)"
  show_nodes "$position" || return 1
  for name in "${names[@]}"; do
    jq -r .uuid "$work/list.$name" | sort >"$work/uuids.$name"
    i=$(comm -23 "$work/acked" "$work/uuids.$name" | wc -l)
    [ "$i" = 0 ] || { log "node $name lacks $i acknowledged writes"; missing=$(( missing + i )); }
  done
  [ "$missing" = 0 ] || return 1
  # What else is in the list: writes the killed node had sent to the topic but not answered, and the credential
  # records each node's first start adds (its admin key), which no writer sent.
  awk '$2 != 201 {print $1}' "$work/writes" | sort | comm -12 - "$work/uuids.n1" >"$work/unanswered"
  log "each list: $acked acknowledged writes, $(wc -l <"$work/unanswered") written without an answer" \
      "(in flight at the kill), $(( $(wc -l <"$work/uuids.n1") - acked - $(wc -l <"$work/unanswered") )) recorded by the nodes themselves"
  log "check passed: 3 nodes agree; all $acked acknowledged writes are on every node ($(( SECONDS - started )) s)"
}

if [ "$mode" = check ]; then run_check; else run_demo; fi
